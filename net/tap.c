/*
 * -netdev tap: frames to and from a Linux tap device, one client per
 * queue, with the virtio-net header offloads of IFF_VNET_HDR.
 *
 * Source of truth: QEMU 7.2's net/tap.c (net_init_tap, net_tap_init,
 * net_init_tap_one, launch_script, net_bridge_run_helper, tap_send,
 * tap_write_packet, tap_receive_iov, tap_enable/tap_disable) and
 * qapi/net.json NetdevTapOptions; the fd's ioctls are net/tap-linux.c.
 * Differences: no vhost-net (vhost=on, vhostforce=on and vhostfd= are
 * refused with QEMU's "could not be initialized" error instead of its
 * warning and assertion failure); a tap whose interface vanishes is
 * reported once and no longer polled, where QEMU polls it forever.
 */
#include "qemu/osdep.h"
#include <linux/virtio_net.h>
#include <sys/wait.h>
#include "net/clients.h"
#include "net-sockets.h"
#include "tap-int.h"

#define DEFAULT_NETWORK_SCRIPT "/etc/qemu-ifup"
#define DEFAULT_NETWORK_DOWN_SCRIPT "/etc/qemu-ifdown"
/* QEMU's DEFAULT_BRIDGE_INTERFACE (helper= without br=) */
#define DEFAULT_BRIDGE_INTERFACE "br0"
#define MAX_TAP_QUEUES 1024

typedef struct TAPState {
    NetClientState nc;
    int fd;
    NetFdWatch watch;
    bool read_poll;
    bool write_poll;
    bool enabled;           /* queue attached (TUNSETQUEUE) */
    bool using_vnet_hdr;    /* the peer hands us frames with a header */
    bool has_ufo;
    bool vanished;          /* EBADFD seen and reported */
    unsigned host_vnet_hdr_len;
    char *down_script;      /* NULL: none */
    char *down_script_arg;
    uint8_t buf[NET_BUFSIZE];
} TAPState;

static void tap_send(void *opaque);
static void tap_writable(void *opaque);

static TAPState *tap_state(NetClientState *nc)
{
    assert(nc->info->type == NET_CLIENT_DRIVER_TAP);
    return container_of(nc, TAPState, nc);
}

static void tap_update_fd_handler(TAPState *s)
{
    bool rd = s->read_poll && s->enabled && !s->vanished;
    bool wr = s->write_poll && s->enabled && !s->vanished;

    net_fd_watch_set(&s->watch, s->fd, rd ? tap_send : NULL,
                     wr ? tap_writable : NULL, s);
}

static void tap_read_poll(TAPState *s, bool enable)
{
    s->read_poll = enable;
    tap_update_fd_handler(s);
}

static void tap_write_poll(TAPState *s, bool enable)
{
    s->write_poll = enable;
    tap_update_fd_handler(s);
}

/*
 * The interface was deleted under us (the kernel answers EBADFD): say so
 * once, stop polling it, and drop what the guest sends from now on.
 */
static void tap_vanished(TAPState *s, int err)
{
    if (!s->vanished) {
        s->vanished = true;
        warn_report("tap %s: the tap device failed (%s): its frames are "
                    "dropped from now on", s->nc.name, strerror(err));
        tap_update_fd_handler(s);
    }
}

static void tap_writable(void *opaque)
{
    TAPState *s = opaque;

    tap_write_poll(s, false);
    qemu_flush_queued_packets(&s->nc);
}

static ssize_t tap_write_packet(TAPState *s, const struct iovec *iov,
                                int iovcnt)
{
    size_t total = 0;
    ssize_t len;

    for (int i = 0; i < iovcnt; i++) {
        total += iov[i].iov_len;
    }
    /* A detached queue (EBADFD too) or a dead tap: dropped */
    if (s->vanished || !s->enabled) {
        return total;
    }
    do {
        len = writev(s->fd, iov, iovcnt);
    } while (len < 0 && errno == EINTR);
    if (len < 0 && errno == EAGAIN) {
        /* Full: QEMU's tap_write_packet queues it and waits for POLLOUT */
        tap_write_poll(s, true);
        return 0;
    }
    if (len < 0 && errno == EBADFD) {
        tap_vanished(s, errno);
        return total;
    }
    if (len < 0 && errno == EIO) {
        /*
         * The interface is down (script=no, brought up later): this frame
         * is dropped, as QEMU 7.2's tap_write_packet() drops it, and the
         * next one goes through once the interface is up.
         */
        return total;
    }
    return len < 0 ? -errno : len;
}

static ssize_t tap_receive_iov(NetClientState *nc, const struct iovec *iov,
                               int iovcnt)
{
    TAPState *s = tap_state(nc);
    struct iovec with_hdr[iovcnt + 1];
    struct virtio_net_hdr_v1_hash hdr = { 0 };

    /* The tap wants a header the peer does not give: an empty one. */
    if (s->host_vnet_hdr_len && !s->using_vnet_hdr) {
        with_hdr[0].iov_base = &hdr;
        with_hdr[0].iov_len = s->host_vnet_hdr_len;
        memcpy(&with_hdr[1], iov, iovcnt * sizeof(*iov));
        return tap_write_packet(s, with_hdr, iovcnt + 1);
    }
    return tap_write_packet(s, iov, iovcnt);
}

static void tap_send_completed(NetClientState *nc, ssize_t len)
{
    tap_read_poll(tap_state(nc), true);
}

static void tap_send(void *opaque)
{
    TAPState *s = opaque;

    for (int packets = 0; packets < NET_READ_BURST; packets++) {
        uint8_t min_pkt[ETH_ZLEN];
        size_t min_pktsz = sizeof(min_pkt);
        uint8_t *buf = s->buf;
        ssize_t size = read(s->fd, s->buf, sizeof(s->buf));

        if (size < 0 && errno == EBADFD) {
            tap_vanished(s, errno);
            return;
        }
        if (size <= 0) {
            return;
        }
        if (s->host_vnet_hdr_len && !s->using_vnet_hdr) {
            if (size < s->host_vnet_hdr_len) {
                continue;
            }
            buf += s->host_vnet_hdr_len;
            size -= s->host_vnet_hdr_len;
        }
        if (net_peer_needs_padding(&s->nc) &&
            eth_pad_short_frame(min_pkt, &min_pktsz, buf, size)) {
            buf = min_pkt;
            size = min_pktsz;
        }
        size = qemu_send_packet_async(&s->nc, buf, size, tap_send_completed);
        if (size == 0) {
            /* The peer is full: read again when the frame went (sent_cb). */
            tap_read_poll(s, false);
            return;
        }
        if (size < 0) {
            return;
        }
    }
}

/* ---- client callbacks ---------------------------------------------------- */

static bool tap_has_ufo(NetClientState *nc)
{
    return tap_state(nc)->has_ufo;
}

static bool tap_has_vnet_hdr(NetClientState *nc)
{
    return tap_state(nc)->host_vnet_hdr_len != 0;
}

static bool tap_has_vnet_hdr_len(NetClientState *nc, int len)
{
    return tap_probe_vnet_hdr_len(tap_state(nc)->fd, len);
}

static void tap_set_vnet_hdr_len(NetClientState *nc, int len)
{
    TAPState *s = tap_state(nc);

    assert(len == sizeof(struct virtio_net_hdr_mrg_rxbuf) ||
           len == sizeof(struct virtio_net_hdr) ||
           len == sizeof(struct virtio_net_hdr_v1_hash));
    tap_fd_set_vnet_hdr_len(s->fd, len);
    s->host_vnet_hdr_len = len;
}

static void tap_using_vnet_hdr(NetClientState *nc, bool using_vnet_hdr)
{
    TAPState *s = tap_state(nc);

    assert(!!s->host_vnet_hdr_len == using_vnet_hdr);
    s->using_vnet_hdr = using_vnet_hdr;
}

static int tap_set_vnet_le(NetClientState *nc, bool is_le)
{
    return tap_fd_set_vnet_le(tap_state(nc)->fd, is_le);
}

static void tap_set_offload(NetClientState *nc, int csum, int tso4,
                            int tso6, int ecn, int ufo)
{
    TAPState *s = tap_state(nc);

    if (s->fd >= 0) {
        tap_fd_set_offload(s->fd, csum, tso4, tso6, ecn, ufo);
    }
}

/* QEMU's tap_enable / tap_disable (virtio-net's queue pairs) */
static int tap_set_queue_enabled(NetClientState *nc, bool enable)
{
    TAPState *s = tap_state(nc);

    if (s->enabled == enable) {
        return 0;
    }
    if (tap_fd_set_queue(s->fd, enable) != 0) {
        return -1;
    }
    if (!enable) {
        qemu_purge_queued_packets(nc);
    }
    s->enabled = enable;
    tap_update_fd_handler(s);
    return 0;
}

/*
 * QEMU's launch_script: the script gets the interface name; every fd
 * but the tap's is closed in the child; a non-zero status is an error
 * with the raw wait status, as QEMU prints it.
 */
static bool tap_launch_script(const char *script, const char *ifname,
                              int fd, Error **errp)
{
    int status;
    pid_t pid = fork();

    if (pid < 0) {
        error_setg_errno(errp, errno, "could not launch network script %s",
                         script);
        return false;
    }
    if (pid == 0) {
        char *args[] = { (char *)script, (char *)ifname, NULL };

        if (fd > 3) {
            close_range(3, fd - 1, 0);
        }
        close_range(MAX(fd + 1, 3), ~0U, 0);
        execv(script, args);
        _exit(1);
    }
    while (waitpid(pid, &status, 0) != pid) {
        /* EINTR */
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return true;
    }
    error_setg(errp, "network script %s failed with status %d", script,
               status);
    return false;
}

/*
 * QEMU's net_bridge_run_helper: the helper (setuid root, as Debian
 * installs it) creates the tap, adds it to the bridge and passes its fd
 * back over a socketpair (SCM_RIGHTS). A helper with a space or tab is a
 * shell command line, else a program path.
 */
static int tap_recv_fd(int c)
{
    uint8_t control[CMSG_SPACE(sizeof(int))];
    uint8_t req;
    struct iovec iov = { .iov_base = &req, .iov_len = 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control,
                          .msg_controllen = sizeof(control) };
    struct cmsghdr *cmsg;
    ssize_t len;
    int fd;

    do {
        len = recvmsg(c, &msg, MSG_CMSG_CLOEXEC);
    } while (len < 0 && errno == EINTR);
    if (len <= 0) {
        if (len == 0) {
            errno = EPIPE;
        }
        return -1;
    }
    cmsg = CMSG_FIRSTHDR(&msg);
    if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS ||
        cmsg->cmsg_len != CMSG_LEN(sizeof(int))) {
        errno = EINVAL;
        return -1;
    }
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
    return fd;
}

static int tap_run_bridge_helper(const char *helper, const char *bridge,
                                 Error **errp)
{
    g_autofree char *fd_arg = NULL, *br_arg = NULL, *cmd = NULL;
    int sv[2], status, fd, saved;
    pid_t pid;

    if (socketpair(PF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
        error_setg_errno(errp, errno, "socketpair() failed");
        return -1;
    }
    /* Everything the child needs is made before fork. */
    fd_arg = g_strdup_printf("--fd=%d", sv[1]);
    br_arg = g_strdup_printf("--br=%s", bridge);
    if (strpbrk(helper, " \t")) {
        cmd = g_strdup_printf("%s --use-vnet %s %s", helper, fd_arg,
                              strstr(helper, "--br=") ? "" : br_arg);
    }
    pid = fork();
    if (pid < 0) {
        error_setg_errno(errp, errno, "Can't fork bridge helper");
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        /* async-signal-safe calls only: other threads may hold locks */
        char *sh[] = { (char *)"sh", (char *)"-c", cmd, NULL };
        char *args[] = { (char *)helper, (char *)"--use-vnet", fd_arg,
                         br_arg, NULL };

        fcntl(sv[1], F_SETFD, 0);
        if (sv[1] > 3) {
            close_range(3, sv[1] - 1, 0);
        }
        close_range(MAX(sv[1] + 1, 3), ~0U, 0);
        if (cmd) {
            execv("/bin/sh", sh);
        } else {
            execv(helper, args);
        }
        _exit(1);
    }
    close(sv[1]);
    fd = tap_recv_fd(sv[0]);
    saved = errno;
    close(sv[0]);
    while (waitpid(pid, &status, 0) != pid) {
        /* EINTR */
    }
    /* A helper that fails sends nothing: its status says it (QEMU's) */
    if (fd < 0 && saved != EPIPE) {
        error_setg_errno(errp, saved, "failed to recv file descriptor");
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        error_setg(errp, "bridge helper failed");
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    if (fd < 0) {
        error_setg_errno(errp, saved, "failed to recv file descriptor");
    }
    return fd;
}

/*
 * The taps whose downscript is still to run: at exit too, as QEMU's exit
 * notifier (tap_exit_notify) runs it when the program ends with its
 * netdevs still there.
 */
static GSList *tap_down_scripts;

static void tap_run_down_script(TAPState *s)
{
    Error *err = NULL;

    if (!s->down_script) {
        return;
    }
    tap_down_scripts = g_slist_remove(tap_down_scripts, s);
    if (!tap_launch_script(s->down_script, s->down_script_arg, s->fd,
                           &err)) {
        error_report_err(err);
    }
    g_clear_pointer(&s->down_script, g_free);
    g_clear_pointer(&s->down_script_arg, g_free);
}

static void tap_exit_notify(void)
{
    while (tap_down_scripts) {
        tap_run_down_script(tap_down_scripts->data);
    }
}

static void tap_cleanup(NetClientState *nc)
{
    TAPState *s = tap_state(nc);

    qemu_purge_queued_packets(nc);
    tap_run_down_script(s);
    net_fd_watch_clear(&s->watch);
    close(s->fd);
    s->fd = -1;
}

static const NetClientInfo net_tap_info = {
    .type = NET_CLIENT_DRIVER_TAP,
    .size = sizeof(TAPState),
    .receive_iov = tap_receive_iov,
    .cleanup = tap_cleanup,
    .has_ufo = tap_has_ufo,
    .has_vnet_hdr = tap_has_vnet_hdr,
    .has_vnet_hdr_len = tap_has_vnet_hdr_len,
    .using_vnet_hdr = tap_using_vnet_hdr,
    .set_offload = tap_set_offload,
    .set_vnet_hdr_len = tap_set_vnet_hdr_len,
    .set_vnet_le = tap_set_vnet_le,
    .set_queue_enabled = tap_set_queue_enabled,
};

/* QEMU's net_tap_fd_init: the client on an open, non-blocking tap fd */
static TAPState *tap_client_new(NetClientState *peer, const char *model,
                                const char *name, int fd, bool vnet_hdr)
{
    NetClientState *nc = qemu_new_net_client(&net_tap_info, peer, model,
                                             name);
    TAPState *s = tap_state(nc);

    s->fd = fd;
    s->watch.fd = -1;
    s->host_vnet_hdr_len = vnet_hdr ? sizeof(struct virtio_net_hdr) : 0;
    s->has_ufo = tap_probe_has_ufo(fd);
    s->enabled = true;
    tap_set_offload(nc, 0, 0, 0, 0, 0);
    /* Another VMM may have left a persistent tap with another length. */
    if (tap_probe_vnet_hdr_len(fd, s->host_vnet_hdr_len)) {
        tap_fd_set_vnet_hdr_len(fd, s->host_vnet_hdr_len);
    }
    tap_read_poll(s, true);
    return s;
}

/* ---- -netdev tap --------------------------------------------------------- */

typedef struct TapInit {
    QemuOpts *opts;
    const char *name;
    NetClientState *peer;
    GPtrArray *clients;     /* created so far, deleted on failure */
} TapInit;

/* QEMU's net_init_tap_one; fd is the caller's until this succeeds. */
static bool tap_init_one(TapInit *t, int fd, bool vnet_hdr,
                         const char *ifname, const char *script,
                         const char *downscript, Error **errp)
{
    QemuOpts *opts = t->opts;
    const char *vhostfd = qemu_opt_get(opts, "vhostfd");
    bool vhost = qemu_opt_has(opts, "vhost")
                 ? qemu_opt_get_bool(opts, "vhost", false)
                 : vhostfd || qemu_opt_get_bool(opts, "vhostforce", false);
    TAPState *s;

    if (vhost) {
        /* QEMU's VHOST_NET_INIT_FAILED: there is no vhost-net here. */
        error_setg(errp, "vhost-net requested but could not be initialized");
        return false;
    }
    if (vhostfd) {
        error_setg(errp, "vhostfd(s)= is not valid without vhost");
        return false;
    }
    s = tap_client_new(t->peer, qemu_opt_has(opts, "helper") ? "bridge"
                                                             : "tap",
                       t->name, fd, vnet_hdr);
    if (!tap_fd_set_sndbuf(fd, qemu_opt_has(opts, "sndbuf"),
                           qemu_opt_get_size(opts, "sndbuf", 0), errp)) {
        s->fd = -1;     /* still the caller's */
        qemu_del_net_client(&s->nc);
        return false;
    }
    if (qemu_opt_has(opts, "fd") || qemu_opt_has(opts, "fds")) {
        qemu_set_info_str(&s->nc, "fd=%d", fd);
    } else if (qemu_opt_has(opts, "helper")) {
        qemu_set_info_str(&s->nc, "helper=%s", qemu_opt_get(opts, "helper"));
    } else {
        qemu_set_info_str(&s->nc, "ifname=%s,script=%s,downscript=%s",
                          ifname, script, downscript);
        if (strcmp(downscript, "no") != 0) {
            static bool exit_registered;

            s->down_script = g_strdup(downscript);
            s->down_script_arg = g_strdup(ifname);
            tap_down_scripts = g_slist_prepend(tap_down_scripts, s);
            if (!exit_registered) {
                exit_registered = true;
                atexit(tap_exit_notify);
            }
        }
    }
    g_ptr_array_add(t->clients, &s->nc);
    return true;
}

/* An fd= or fds= member: a tap fd made non-blocking, its vnet_hdr probed */
static int tap_take_fd(const char *str, const char *name, int *vnet_hdr,
                       Error **errp)
{
    int fd = net_parse_fd(str, errp);

    if (fd < 0) {
        return -1;
    }
    if (!net_fd_set_nonblock(fd, name, errp)) {
        return -1;
    }
    *vnet_hdr = tap_probe_vnet_hdr(fd, errp);
    if (*vnet_hdr < 0) {
        return -1;
    }
    return fd;
}

static bool tap_init_fd(TapInit *t, Error **errp)
{
    int vnet_hdr;
    int fd = tap_take_fd(qemu_opt_get(t->opts, "fd"), t->name, &vnet_hdr,
                         errp);

    if (fd < 0) {
        return false;
    }
    if (!tap_init_one(t, fd, vnet_hdr, NULL, NULL, NULL, errp)) {
        close(fd);
        return false;
    }
    return true;
}

static bool tap_init_fds(TapInit *t, Error **errp)
{
    g_auto(GStrv) fds = NULL;
    const char *vhostfds = qemu_opt_get(t->opts, "vhostfds");
    int vnet_hdr = 0;

    /* QEMU's get_fds: colon-separated, at most MAX_TAP_QUEUES */
    fds = g_strsplit(qemu_opt_get(t->opts, "fds"), ":", MAX_TAP_QUEUES);
    if (vhostfds) {
        g_auto(GStrv) vfds = g_strsplit(vhostfds, ":", MAX_TAP_QUEUES);

        if (g_strv_length(fds) != g_strv_length(vfds)) {
            error_setg(errp, "The number of fds passed does not match "
                       "the number of vhostfds passed");
            return false;
        }
    }
    for (int i = 0; i == 0 || fds[i]; i++) {
        int fd, hdr;

        /* "0:1:" is two fds, as QEMU's get_fds reads it */
        if (i > 0 && !fds[i][0] && !fds[i + 1]) {
            break;
        }
        fd = net_parse_fd(fds[i] ? fds[i] : "", errp);
        if (fd < 0 || !net_fd_set_nonblock(fd, t->name, errp)) {
            return false;
        }
        hdr = tap_probe_vnet_hdr(fd, i ? NULL : errp);
        if (i == 0 && hdr < 0) {
            return false;
        }
        if (i == 0) {
            vnet_hdr = hdr;
        } else if (hdr != vnet_hdr) {
            error_setg(errp, "vnet_hdr not consistent across given tap fds");
            return false;
        }
        if (!tap_init_one(t, fd, vnet_hdr, NULL, NULL, NULL, errp)) {
            return false;
        }
    }
    return true;
}

static bool tap_init_helper(TapInit *t, Error **errp)
{
    const char *br = qemu_opt_get(t->opts, "br");
    int vnet_hdr;
    int fd = tap_run_bridge_helper(qemu_opt_get(t->opts, "helper"),
                                   br ? br : DEFAULT_BRIDGE_INTERFACE, errp);

    if (fd < 0) {
        return false;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
        error_setg_errno(errp, errno, "Failed to set FD nonblocking");
        close(fd);
        return false;
    }
    vnet_hdr = tap_probe_vnet_hdr(fd, errp);
    if (vnet_hdr < 0 ||
        !tap_init_one(t, fd, vnet_hdr, NULL, NULL, NULL, errp)) {
        close(fd);
        return false;
    }
    return true;
}

static bool tap_init_ifname(TapInit *t, Error **errp)
{
    QemuOpts *opts = t->opts;
    const char *script = qemu_opt_get(opts, "script");
    const char *downscript = qemu_opt_get(opts, "downscript");
    const char *name_opt = qemu_opt_get(opts, "ifname");
    uint64_t queues = qemu_opt_get_number(opts, "queues", 1);
    bool has_vnet_hdr = qemu_opt_has(opts, "vnet_hdr");
    char ifname[128] = "";

    if (qemu_opt_has(opts, "vhostfds")) {
        error_setg(errp, "vhostfds= is invalid if fds= wasn't specified");
        return false;
    }
    if (queues == 0) {
        /* QEMU 7.2 makes no client and fails an assertion */
        error_setg(errp, "tap: queues=0: a tap needs at least one queue");
        return false;
    }
    script = script ? script : DEFAULT_NETWORK_SCRIPT;
    downscript = downscript ? downscript : DEFAULT_NETWORK_DOWN_SCRIPT;
    if (name_opt) {
        g_strlcpy(ifname, name_opt, sizeof(ifname));
    }
    for (uint64_t i = 0; i < queues; i++) {
        bool vnet_hdr = has_vnet_hdr
                        ? qemu_opt_get_bool(opts, "vnet_hdr", false) : true;
        bool required = has_vnet_hdr && vnet_hdr;
        /* Only the first queue runs the scripts (QEMU's net_init_tap). */
        const char *up = i ? "no" : script;
        const char *down = i ? "no" : downscript;
        int fd = tap_open(ifname, sizeof(ifname), &vnet_hdr, required,
                          queues > 1, errp);

        if (fd < 0) {
            return false;
        }
        if (up[0] && strcmp(up, "no") != 0 &&
            !tap_launch_script(up, ifname, fd, errp)) {
            close(fd);
            return false;
        }
        if (!tap_init_one(t, fd, vnet_hdr, ifname, up, down, errp)) {
            close(fd);
            return false;
        }
    }
    return true;
}

static int net_init_tap(QemuOpts *opts, const char *name,
                        NetClientState *peer, Error **errp)
{
    TapInit t = { opts, name, peer, g_ptr_array_new() };
    bool has_fd = qemu_opt_has(opts, "fd");
    bool has_fds = qemu_opt_has(opts, "fds");
    bool ok;

    /* QEMU's checks, in its order */
    if (peer && (qemu_opt_has(opts, "queues") || has_fds ||
                 qemu_opt_has(opts, "vhostfds"))) {
        error_setg(errp, "Multiqueue tap cannot be used with hubs");
        ok = false;
    } else if (has_fd) {
        if (qemu_opt_has(opts, "ifname") || qemu_opt_has(opts, "script") ||
            qemu_opt_has(opts, "downscript") ||
            qemu_opt_has(opts, "vnet_hdr") || qemu_opt_has(opts, "helper") ||
            qemu_opt_has(opts, "queues") || has_fds ||
            qemu_opt_has(opts, "vhostfds")) {
            error_setg(errp, "ifname=, script=, downscript=, vnet_hdr=, "
                       "helper=, queues=, fds=, and vhostfds= "
                       "are invalid with fd=");
            ok = false;
        } else {
            ok = tap_init_fd(&t, errp);
        }
    } else if (has_fds) {
        if (qemu_opt_has(opts, "ifname") || qemu_opt_has(opts, "script") ||
            qemu_opt_has(opts, "downscript") ||
            qemu_opt_has(opts, "vnet_hdr") || qemu_opt_has(opts, "helper") ||
            qemu_opt_has(opts, "queues") || qemu_opt_has(opts, "vhostfd")) {
            error_setg(errp, "ifname=, script=, downscript=, vnet_hdr=, "
                       "helper=, queues=, and vhostfd= "
                       "are invalid with fds=");
            ok = false;
        } else {
            ok = tap_init_fds(&t, errp);
        }
    } else if (qemu_opt_has(opts, "helper")) {
        if (qemu_opt_has(opts, "ifname") || qemu_opt_has(opts, "script") ||
            qemu_opt_has(opts, "downscript") ||
            qemu_opt_has(opts, "vnet_hdr") || qemu_opt_has(opts, "queues") ||
            qemu_opt_has(opts, "vhostfds")) {
            error_setg(errp, "ifname=, script=, downscript=, vnet_hdr=, "
                       "queues=, and vhostfds= are invalid with helper=");
            ok = false;
        } else {
            ok = tap_init_helper(&t, errp);
        }
    } else {
        ok = tap_init_ifname(&t, errp);
    }
    if (!ok) {
        /* Nothing left behind (the downscript undoes the upscript). */
        for (guint i = 0; i < t.clients->len; i++) {
            qemu_del_net_client(t.clients->pdata[i]);
        }
    }
    g_ptr_array_free(t.clients, true);
    return ok ? 0 : -1;
}

static const QemuOptDesc net_tap_keys[] = {
    { .name = "ifname", .type = QEMU_OPT_STRING },
    { .name = "fd", .type = QEMU_OPT_STRING },
    { .name = "fds", .type = QEMU_OPT_STRING },
    { .name = "script", .type = QEMU_OPT_STRING },
    { .name = "downscript", .type = QEMU_OPT_STRING },
    { .name = "br", .type = QEMU_OPT_STRING },
    { .name = "helper", .type = QEMU_OPT_STRING },
    { .name = "sndbuf", .type = QEMU_OPT_SIZE },
    { .name = "vnet_hdr", .type = QEMU_OPT_BOOL },
    { .name = "vhost", .type = QEMU_OPT_BOOL },
    { .name = "vhostfd", .type = QEMU_OPT_STRING },
    { .name = "vhostfds", .type = QEMU_OPT_STRING },
    { .name = "vhostforce", .type = QEMU_OPT_BOOL },
    { .name = "queues", .type = QEMU_OPT_NUMBER },
    { .name = "poll-us", .type = QEMU_OPT_NUMBER },
    { /* end of list */ }
};

static const NetBackend net_tap_backend = {
    .type = "tap",
    .driver = NET_CLIENT_DRIVER_TAP,
    .keys = net_tap_keys,
    .init = net_init_tap,
};

void net_tap_register(void)
{
    net_backend_register(&net_tap_backend);
}
