/*
 * -netdev user: the user-mode network stack on libslirp.
 *
 * Source of truth: QEMU 7.2's net/slirp.c (net_init_slirp,
 * net_slirp_init, slirp_hostfwd, slirp_guestfwd, the SlirpCb callbacks
 * and net_slirp_poll_notify), qapi/net.json NetdevUserOptions (keys and
 * their types) and net/net.c net_client_init (the ipv6-net= shorthand).
 *
 * The main loop: QEMU fills libslirp's fds into its poll array from a
 * poll notifier and hands the results back after the poll. Here a GSource
 * on the main loop's context does the same: prepare asks libslirp for its
 * fds and timeout, check and dispatch hand the revents back
 * (slirp_pollfds_poll), so libslirp's sockets and its TCP timers are
 * served by the one main loop, under the BQL like every GLib callback.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/timer.h"
#include "chardev/char.h"
#include "net/slirp.h"
#include "slirp-opts.h"

#include <arpa/inet.h>
#include <glib-unix.h>
#include <libslirp.h>

/* CONFIG_SMBD_COMMAND of Debian's QEMU 7.2 build (meson's default) */
#define SLIRP_SMBD_COMMAND "/usr/sbin/smbd"

/*
 * Bytes from the guest a guestfwd chardev may hold back before they are
 * dropped. libslirp takes no back-pressure from a guestfwd writer (it
 * assumes every byte went, slirp_send); QEMU blocks the whole process in
 * qemu_chr_fe_write_all instead, which we never do.
 */
#define SLIRP_GUESTFWD_MAX_PENDING (1024 * 1024)

typedef struct SlirpState SlirpState;

/* One guestfwd= to a chardev (QEMU's struct GuestFwd) */
typedef struct SlirpGuestFwd {
    CharBackend hd;
    SlirpState *s;
    struct in_addr server;
    int port;
    GByteArray *out;        /* guest bytes the chardev has not taken yet */
    guint out_watch;        /* waiting for the chardev to take them */
} SlirpGuestFwd;

/* libslirp's fds, as of the last prepare */
typedef struct SlirpPollFd {
    int fd;
    gpointer tag;           /* g_source_add_unix_fd */
    GIOCondition cond;      /* what it is polled for now */
    unsigned round;         /* the prepare that last asked for it */
} SlirpPollFd;

typedef struct SlirpSource {
    GSource source;
    SlirpState *s;
    GHashTable *fds;        /* fd -> SlirpPollFd */
    GPtrArray *polled;      /* this round's SlirpPollFd by libslirp index */
    unsigned round;
    gint64 deadline;        /* g_source_get_time when libslirp's timeout ends */
} SlirpSource;

struct SlirpState {
    NetClientState nc;
    Slirp *slirp;
    SlirpSource *source;
    GSList *fwds;           /* SlirpGuestFwd */
};

/* One libslirp timer (QEMU's SlirpTimer) */
typedef struct SlirpTimer {
    QEMUTimer *timer;
    SlirpState *s;
    SlirpTimerId id;
    void *cb_opaque;
} SlirpTimer;

/* ---- libslirp's callbacks ------------------------------------------------ */

static void slirp_guestfwd_kick_input(SlirpState *s);

static ssize_t slirp_cb_send_packet(const void *pkt, size_t pkt_len,
                                    void *opaque)
{
    SlirpState *s = opaque;
    uint8_t min_pkt[ETH_ZLEN];
    size_t min_pktsz = sizeof(min_pkt);

    /* As QEMU: pad for a peer that wants minimum-size frames */
    if (net_peer_needs_padding(&s->nc) &&
        eth_pad_short_frame(min_pkt, &min_pktsz, pkt, pkt_len)) {
        pkt = min_pkt;
        pkt_len = min_pktsz;
    }
    /* A peer that cannot take it now gets it queued by the core */
    return qemu_send_packet(&s->nc, pkt, pkt_len);
}

static void slirp_cb_guest_error(const char *msg, void *opaque)
{
    qemu_log_mask(LOG_GUEST_ERROR, "%s", msg);
}

/* QEMU's net_slirp_clock_get_ns: the virtual clock (stops with the VM) */
static int64_t slirp_cb_clock_get_ns(void *opaque)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static void slirp_cb_init_completed(Slirp *slirp, void *opaque)
{
    SlirpState *s = opaque;

    s->slirp = slirp;
}

static void slirp_timer_expired(void *opaque)
{
    SlirpTimer *t = opaque;

    slirp_handle_timer(t->s->slirp, t->id, t->cb_opaque);
}

static void *slirp_cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque,
                                       void *opaque)
{
    SlirpTimer *t = g_new0(SlirpTimer, 1);

    t->s = opaque;
    t->id = id;
    t->cb_opaque = cb_opaque;
    t->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, slirp_timer_expired, t);
    return t;
}

static void slirp_cb_timer_free(void *timer, void *opaque)
{
    SlirpTimer *t = timer;

    timer_free(t->timer);
    g_free(t);
}

/* expire_time is in milliseconds of clock_get_ns (QEMU's SCALE_MS timer) */
static void slirp_cb_timer_mod(void *timer, int64_t expire_time,
                               void *opaque)
{
    SlirpTimer *t = timer;

    timer_mod(t->timer, expire_time * SCALE_MS);
}

/* The fds are handed over at every prepare: nothing to keep here. */
static void slirp_cb_register_poll_fd(int fd, void *opaque)
{
}

static void slirp_cb_unregister_poll_fd(int fd, void *opaque)
{
}

/*
 * A guestfwd socket has room again (QEMU's qemu_notify_event: the main
 * loop then polls the chardevs again).
 */
static void slirp_cb_notify(void *opaque)
{
    slirp_guestfwd_kick_input(opaque);
    g_main_context_wakeup(NULL);
}

static const SlirpCb slirp_callbacks = {
    .send_packet = slirp_cb_send_packet,
    .guest_error = slirp_cb_guest_error,
    .clock_get_ns = slirp_cb_clock_get_ns,
    .init_completed = slirp_cb_init_completed,
    .timer_new_opaque = slirp_cb_timer_new_opaque,
    .timer_free = slirp_cb_timer_free,
    .timer_mod = slirp_cb_timer_mod,
    .register_poll_fd = slirp_cb_register_poll_fd,
    .unregister_poll_fd = slirp_cb_unregister_poll_fd,
    .notify = slirp_cb_notify,
};

/* ---- The main loop's source ---------------------------------------------- */

static GIOCondition slirp_poll_to_gio(int events)
{
    GIOCondition cond = 0;

    cond |= (events & SLIRP_POLL_IN) ? G_IO_IN : 0;
    cond |= (events & SLIRP_POLL_OUT) ? G_IO_OUT : 0;
    cond |= (events & SLIRP_POLL_PRI) ? G_IO_PRI : 0;
    cond |= (events & SLIRP_POLL_ERR) ? G_IO_ERR : 0;
    cond |= (events & SLIRP_POLL_HUP) ? G_IO_HUP : 0;
    return cond;
}

static int slirp_gio_to_poll(GIOCondition cond)
{
    int events = 0;

    events |= (cond & G_IO_IN) ? SLIRP_POLL_IN : 0;
    events |= (cond & G_IO_OUT) ? SLIRP_POLL_OUT : 0;
    events |= (cond & G_IO_PRI) ? SLIRP_POLL_PRI : 0;
    events |= (cond & G_IO_ERR) ? SLIRP_POLL_ERR : 0;
    events |= (cond & G_IO_HUP) ? SLIRP_POLL_HUP : 0;
    return events;
}

/* slirp_pollfds_fill's add_poll: returns the index get_revents gets */
static int slirp_source_add_poll(int fd, int events, void *opaque)
{
    SlirpSource *src = opaque;
    SlirpPollFd *pfd = g_hash_table_lookup(src->fds, GINT_TO_POINTER(fd));
    GIOCondition cond = slirp_poll_to_gio(events);

    if (!pfd) {
        pfd = g_new0(SlirpPollFd, 1);
        pfd->fd = fd;
        pfd->cond = cond;
        pfd->tag = g_source_add_unix_fd(&src->source, fd, cond);
        g_hash_table_insert(src->fds, GINT_TO_POINTER(fd), pfd);
    } else {
        if (pfd->round == src->round) {
            /* The same fd twice in one round: poll for both */
            cond |= pfd->cond;
        }
        /*
         * Only a change: g_source_modify_unix_fd() wakes the context up,
         * so modifying at every prepare would make the main loop spin
         */
        if (cond != pfd->cond) {
            pfd->cond = cond;
            g_source_modify_unix_fd(&src->source, pfd->tag, cond);
        }
    }
    pfd->round = src->round;
    g_ptr_array_add(src->polled, pfd);
    return src->polled->len - 1;
}

static gboolean slirp_source_drop_stale(gpointer key, gpointer value,
                                        gpointer opaque)
{
    SlirpSource *src = opaque;
    SlirpPollFd *pfd = value;

    if (pfd->round == src->round) {
        return false;
    }
    g_source_remove_unix_fd(&src->source, pfd->tag);
    return true;
}

static gboolean slirp_source_prepare(GSource *source, gint *timeout)
{
    SlirpSource *src = (SlirpSource *)source;
    uint32_t slirp_timeout = UINT32_MAX;

    src->round++;
    g_ptr_array_set_size(src->polled, 0);
    slirp_pollfds_fill(src->s->slirp, &slirp_timeout, slirp_source_add_poll,
                       src);
    /* fds libslirp closed or no longer wants (also frees them) */
    g_hash_table_foreach_remove(src->fds, slirp_source_drop_stale, src);

    /* libslirp caps it at 1 s (its slow timer), 2 ms with TCP fast timers */
    slirp_timeout = MIN(slirp_timeout, (uint32_t)G_MAXINT / 1000);
    src->deadline = g_source_get_time(source) + slirp_timeout * 1000LL;
    *timeout = slirp_timeout;
    return false;
}

static gboolean slirp_source_check(GSource *source)
{
    SlirpSource *src = (SlirpSource *)source;
    unsigned i;

    for (i = 0; i < src->polled->len; i++) {
        SlirpPollFd *pfd = g_ptr_array_index(src->polled, i);

        if (g_source_query_unix_fd(source, pfd->tag)) {
            return true;
        }
    }
    return g_source_get_time(source) >= src->deadline;
}

static int slirp_source_get_revents(int idx, void *opaque)
{
    SlirpSource *src = opaque;
    SlirpPollFd *pfd;

    if (idx < 0 || (unsigned)idx >= src->polled->len) {
        return 0;
    }
    pfd = g_ptr_array_index(src->polled, idx);
    return slirp_gio_to_poll(g_source_query_unix_fd(&src->source, pfd->tag));
}

static gboolean slirp_source_dispatch(GSource *source, GSourceFunc cb,
                                      gpointer opaque)
{
    SlirpSource *src = (SlirpSource *)source;

    /* poll() errors are EINTR only here: select_error is never set */
    slirp_pollfds_poll(src->s->slirp, 0, slirp_source_get_revents, src);
    slirp_guestfwd_kick_input(src->s);
    return G_SOURCE_CONTINUE;
}

static void slirp_source_finalize(GSource *source)
{
    SlirpSource *src = (SlirpSource *)source;

    g_hash_table_destroy(src->fds);
    g_ptr_array_free(src->polled, true);
}

static GSourceFuncs slirp_source_funcs = {
    .prepare = slirp_source_prepare,
    .check = slirp_source_check,
    .dispatch = slirp_source_dispatch,
    .finalize = slirp_source_finalize,
};

static SlirpSource *slirp_source_new(SlirpState *s)
{
    SlirpSource *src = (SlirpSource *)g_source_new(&slirp_source_funcs,
                                                   sizeof(SlirpSource));

    src->s = s;
    src->fds = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    src->polled = g_ptr_array_new();
    g_source_set_name(&src->source, "slirp");
    g_source_attach(&src->source, NULL);
    return src;
}

static void slirp_source_free(SlirpSource *src)
{
    g_source_destroy(&src->source);
    g_source_unref(&src->source);
}

/* ---- guestfwd to a chardev ----------------------------------------------- */

static int slirp_guestfwd_can_read(void *opaque)
{
    SlirpGuestFwd *fwd = opaque;
    size_t room = slirp_socket_can_recv(fwd->s->slirp, fwd->server,
                                        fwd->port);

    return MIN(room, (size_t)INT_MAX);
}

static void slirp_guestfwd_read(void *opaque, const uint8_t *buf, int size)
{
    SlirpGuestFwd *fwd = opaque;

    slirp_socket_recv(fwd->s->slirp, fwd->server, fwd->port, buf, size);
}

/*
 * The chardev's input stops while can_read is 0; libslirp tells nobody
 * when a guest connection to the rule comes up, so whoever ran libslirp
 * asks again (QEMU's main loop asks can_read at every iteration).
 */
static void slirp_guestfwd_kick_input(SlirpState *s)
{
    GSList *l;

    for (l = s->fwds; l; l = l->next) {
        SlirpGuestFwd *fwd = l->data;

        qemu_chr_fe_accept_input(&fwd->hd);
    }
}

/* Writes what the chardev takes now; false when the rest must wait. */
static bool slirp_guestfwd_flush(SlirpGuestFwd *fwd)
{
    while (fwd->out->len) {
        int n = qemu_chr_fe_write(&fwd->hd, fwd->out->data,
                                  MIN(fwd->out->len, (guint)INT_MAX));

        if (n < 0 && errno == EAGAIN) {
            return false;
        }
        /* Lost (the chardev failed) or taken: gone either way */
        g_byte_array_remove_range(fwd->out, 0,
                                  n <= 0 ? fwd->out->len : (guint)n);
    }
    return true;
}

static gboolean slirp_guestfwd_writable(GIOCondition cond, void *opaque)
{
    SlirpGuestFwd *fwd = opaque;

    if (!slirp_guestfwd_flush(fwd)) {
        return G_SOURCE_CONTINUE;
    }
    fwd->out_watch = 0;
    return G_SOURCE_REMOVE;
}

/* libslirp's write_cb: the guest sent bytes on the forwarded connection */
static ssize_t slirp_guestfwd_write(const void *buf, size_t len,
                                    void *opaque)
{
    SlirpGuestFwd *fwd = opaque;

    if (fwd->out->len + len > SLIRP_GUESTFWD_MAX_PENDING) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "slirp: guestfwd chardev '%s' is not taking the "
                      "guest's data: %zu bytes dropped\n",
                      fwd->hd.chr ? fwd->hd.chr->label : "", len);
        return len;
    }
    g_byte_array_append(fwd->out, buf, len);
    if (fwd->out_watch || slirp_guestfwd_flush(fwd)) {
        return len;
    }
    fwd->out_watch = qemu_chr_fe_add_watch(&fwd->hd, G_IO_OUT | G_IO_HUP,
                                           slirp_guestfwd_writable, fwd);
    if (!fwd->out_watch) {
        /* Nothing to wait for (disconnected): dropped, as QEMU's serial */
        g_byte_array_set_size(fwd->out, 0);
    }
    return len;
}

static void slirp_guestfwd_free(gpointer data)
{
    SlirpGuestFwd *fwd = data;
    Chardev *chr = fwd->hd.chr;

    if (fwd->out_watch) {
        g_source_remove(fwd->out_watch);
    }
    qemu_chr_fe_deinit(&fwd->hd);
    /* QEMU's qemu_chr_fe_deinit(&fwd->hd, true): the chardev goes too */
    if (chr) {
        qemu_chr_delete(chr);
    }
    g_byte_array_free(fwd->out, true);
    g_free(fwd);
}

/* ---- hostfwd= and guestfwd= ---------------------------------------------- */

/* [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport (QEMU's slirp_hostfwd) */
static bool slirp_hostfwd(SlirpState *s, const char *rule, Error **errp)
{
    struct in_addr host_addr = { .s_addr = INADDR_ANY };
    struct in_addr guest_addr = { .s_addr = 0 };
    const char *reason;
    const char *p = rule;
    char buf[256];
    int host_port, guest_port;
    bool is_udp;

    if (!slirp_str_sep(buf, sizeof(buf), &p, ':')) {
        reason = "No : separators";
        goto fail_syntax;
    }
    if (!strcmp(buf, "tcp") || buf[0] == '\0') {
        is_udp = false;
    } else if (!strcmp(buf, "udp")) {
        is_udp = true;
    } else {
        reason = "Bad protocol name";
        goto fail_syntax;
    }
    if (!slirp_str_sep(buf, sizeof(buf), &p, ':')) {
        reason = "Missing : separator";
        goto fail_syntax;
    }
    if (buf[0] != '\0' && !inet_aton(buf, &host_addr)) {
        reason = "Bad host address";
        goto fail_syntax;
    }
    if (!slirp_str_sep(buf, sizeof(buf), &p, '-')) {
        reason = "Bad host port separator";
        goto fail_syntax;
    }
    if (!slirp_parse_port(buf, 0, 0, 65535, &host_port)) {
        reason = "Bad host port";
        goto fail_syntax;
    }
    if (!slirp_str_sep(buf, sizeof(buf), &p, ':')) {
        reason = "Missing guest address";
        goto fail_syntax;
    }
    if (buf[0] != '\0' && !inet_aton(buf, &guest_addr)) {
        reason = "Bad guest address";
        goto fail_syntax;
    }
    if (!slirp_parse_port(p, 0, 1, 65535, &guest_port)) {
        reason = "Bad guest port";
        goto fail_syntax;
    }
    if (slirp_add_hostfwd(s->slirp, is_udp, host_addr, host_port,
                          guest_addr, guest_port) < 0) {
        error_setg(errp, "Could not set up host forwarding rule '%s'", rule);
        return false;
    }
    return true;

fail_syntax:
    error_setg(errp, "Invalid host forwarding rule '%s' (%s)", rule, reason);
    return false;
}

static bool slirp_guestfwd_chardev(SlirpState *s, const char *rule,
                                   struct in_addr server, int port,
                                   const char *spec, Error **errp)
{
    g_autofree char *label = g_strdup_printf("guestfwd.tcp.%d", port);
    Error *local_err = NULL;
    SlirpGuestFwd *fwd;
    Chardev *chr;

    chr = qemu_chr_new(label, spec, &local_err);
    if (!chr) {
        /*
         * QEMU's qemu_chr_new_noreplay reports the chardev's own error
         * first, then the caller's line follows.
         */
        if (local_err) {
            error_report_err(local_err);
        }
        error_setg(errp, "Could not open guest forwarding device '%s'",
                   label);
        return false;
    }
    fwd = g_new0(SlirpGuestFwd, 1);
    fwd->s = s;
    fwd->out = g_byte_array_new();
    if (!qemu_chr_fe_init(&fwd->hd, chr, errp)) {
        qemu_chr_delete(chr);
        g_byte_array_free(fwd->out, true);
        g_free(fwd);
        return false;
    }
    if (slirp_add_guestfwd(s->slirp, slirp_guestfwd_write, fwd, &server,
                           port) < 0) {
        error_setg(errp, "Conflicting/invalid host:port in guest "
                   "forwarding rule '%s'", rule);
        slirp_guestfwd_free(fwd);
        return false;
    }
    /* libslirp filled in the default server address (x.x.x.4) */
    fwd->server = server;
    fwd->port = port;
    qemu_chr_fe_set_handlers(&fwd->hd, slirp_guestfwd_can_read,
                             slirp_guestfwd_read, fwd);
    s->fwds = g_slist_append(s->fwds, fwd);
    return true;
}

/* [tcp]:[server]:port-{cmd:COMMAND|CHARDEV} (QEMU's slirp_guestfwd) */
static bool slirp_guestfwd(SlirpState *s, const char *rule, Error **errp)
{
    struct in_addr server = { .s_addr = 0 };
    const char *p = rule;
    char buf[128];
    int port;

    if (!slirp_str_sep(buf, sizeof(buf), &p, ':') ||
        (strcmp(buf, "tcp") && buf[0] != '\0') ||
        !slirp_str_sep(buf, sizeof(buf), &p, ':') ||
        (buf[0] != '\0' && !inet_aton(buf, &server)) ||
        !slirp_str_sep(buf, sizeof(buf), &p, '-') ||
        !slirp_parse_port(buf, 10, 1, 65535, &port)) {
        error_setg(errp, "Invalid guest forwarding rule '%s'", rule);
        return false;
    }
    if (g_str_has_prefix(p, "cmd:")) {
        if (slirp_add_exec(s->slirp, p + 4, &server, port) < 0) {
            error_setg(errp, "Conflicting/invalid host:port in guest "
                       "forwarding rule '%s'", rule);
            return false;
        }
        return true;
    }
    return slirp_guestfwd_chardev(s, rule, server, port, p, errp);
}

/*
 * smb= needs QEMU's smbd set-up, which microqemu does not have: refused
 * with QEMU 7.2's wording when smbd is missing (slirp_smb), and by name
 * when it is there.
 */
static bool slirp_smb(const char *dir, Error **errp)
{
    if (access(SLIRP_SMBD_COMMAND, F_OK)) {
        error_setg(errp, "Could not find '%s', please install it",
                   SLIRP_SMBD_COMMAND);
    } else {
        error_setg(errp, "-netdev user,smb=%s: the built-in SMB server is "
                   "not supported", dir);
    }
    return false;
}

/* ---- The client ---------------------------------------------------------- */

static ssize_t slirp_receive(NetClientState *nc, const uint8_t *buf,
                             size_t size)
{
    SlirpState *s = container_of(nc, SlirpState, nc);

    /*
     * An empty frame is dropped: its size, 0, would mean "not now" and
     * stop delivery to us for good (QEMU 7.2's slirp wedges there).
     */
    if (!size) {
        return -1;
    }
    slirp_input(s->slirp, buf, MIN(size, (size_t)INT_MAX));
    if (s->fwds) {
        slirp_guestfwd_kick_input(s);
    }
    /*
     * A frame handed in from a vCPU thread may have opened a socket (an
     * outgoing TCP connection): the main loop polls it from its next
     * prepare on, so wake it up.
     */
    if (!g_main_context_is_owner(g_main_context_default())) {
        g_main_context_wakeup(NULL);
    }
    return size;
}

static void slirp_client_cleanup(NetClientState *nc)
{
    SlirpState *s = container_of(nc, SlirpState, nc);

    g_slist_free_full(s->fwds, slirp_guestfwd_free);
    s->fwds = NULL;
    if (s->source) {
        slirp_source_free(s->source);
        s->source = NULL;
    }
    if (s->slirp) {
        slirp_cleanup(s->slirp);
        s->slirp = NULL;
    }
}

static const NetClientInfo slirp_client_info = {
    .type = NET_CLIENT_DRIVER_USER,
    .size = sizeof(SlirpState),
    .receive = slirp_receive,
    .cleanup = slirp_client_cleanup,
};

/*
 * The forwarding rules in QEMU's order: net_init_slirp_configs pushes
 * each rule on the front of one list, hostfwd= first, so the last
 * guestfwd= is set up first and the first hostfwd= last.
 */
static bool slirp_setup_forwarding(SlirpState *s, const SlirpOptions *o,
                                   Error **errp)
{
    guint i;

    for (i = o->guestfwd->len; i > 0; i--) {
        if (!slirp_guestfwd(s, g_ptr_array_index(o->guestfwd, i - 1),
                            errp)) {
            return false;
        }
    }
    for (i = o->hostfwd->len; i > 0; i--) {
        if (!slirp_hostfwd(s, g_ptr_array_index(o->hostfwd, i - 1), errp)) {
            return false;
        }
    }
    return !o->smb || slirp_smb(o->smb, errp);
}

static int net_init_slirp(QemuOpts *opts, const char *name,
                          NetClientState *peer, Error **errp)
{
    SlirpOptions o;
    SlirpConfig cfg;
    NetClientState *nc;
    SlirpState *s;

    if (!slirp_options_parse(opts, &o, errp)) {
        slirp_options_free(&o);
        return -1;
    }

    nc = qemu_new_net_client(&slirp_client_info, peer, "user", name);
    qemu_set_info_str(nc, "net=%s,restrict=%s", inet_ntoa(o.net),
                      o.restricted ? "on" : "off");
    s = container_of(nc, SlirpState, nc);

    cfg = (SlirpConfig) {
        .version = 4,
        .restricted = o.restricted,
        .in_enabled = o.ipv4,
        .vnetwork = o.net,
        .vnetmask = o.mask,
        .vhost = o.host,
        .in6_enabled = o.ipv6,
        .vprefix_addr6 = o.prefix6,
        .vprefix_len = o.prefix6_len,
        .vhost6 = o.host6,
        .vhostname = o.hostname,
        .tftp_server_name = o.tftp_server_name,
        .tftp_path = o.tftp,
        .bootfile = o.bootfile,
        .vdhcp_start = o.dhcp,
        .vnameserver = o.dns,
        .vnameserver6 = o.dns6,
        .vdnssearch = o.dnssearch ? (const char **)o.dnssearch->pdata : NULL,
        .vdomainname = o.domainname,
    };
    s->slirp = slirp_new(&cfg, &slirp_callbacks, s);
    assert(s->slirp);
    s->source = slirp_source_new(s);

    if (!slirp_setup_forwarding(s, &o, errp)) {
        slirp_options_free(&o);
        qemu_del_net_client(nc);
        return -1;
    }
    slirp_options_free(&o);
    return 0;
}

static const NetBackend slirp_backend = {
    .type = "user",
    .driver = NET_CLIENT_DRIVER_USER,
    .keys = slirp_keys,
    .lists = slirp_lists,
    .init = net_init_slirp,
};

void net_slirp_register(void)
{
    net_backend_register(&slirp_backend);
}
