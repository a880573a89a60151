/*
 * Helpers of the fd-based network backends: fd watches, the stream
 * frame reader, fd= and host:port parsing, multicast sockets.
 * Source of truth: see net/net-sockets.h.
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/un.h>
#include <linux/vm_sockets.h>
#include "net-sockets.h"
#include "system/main-loop.h"
#include "qemu/cutils.h"

/* ---- fd watches ---------------------------------------------------------- */

static gboolean net_fd_watch_read_ready(gint fd, GIOCondition cond,
                                        gpointer opaque)
{
    NetFdWatch *w = opaque;

    w->on_read(w->opaque);
    return G_SOURCE_CONTINUE;
}

static gboolean net_fd_watch_write_ready(gint fd, GIOCondition cond,
                                         gpointer opaque)
{
    NetFdWatch *w = opaque;

    w->on_write(w->opaque);
    return G_SOURCE_CONTINUE;
}

static void net_fd_watch_drop(guint *tag)
{
    if (*tag) {
        g_source_remove(*tag);
        *tag = 0;
    }
}

void net_fd_watch_set(NetFdWatch *w, int fd, NetFdFunc *on_read,
                      NetFdFunc *on_write, void *opaque)
{
    if (w->fd != fd) {
        net_fd_watch_clear(w);
        w->fd = fd;
    }
    w->on_read = on_read;
    w->on_write = on_write;
    w->opaque = opaque;
    if (!on_read) {
        net_fd_watch_drop(&w->read_tag);
    } else if (!w->read_tag) {
        w->read_tag = main_loop_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                    net_fd_watch_read_ready, w);
    }
    if (!on_write) {
        net_fd_watch_drop(&w->write_tag);
    } else if (!w->write_tag) {
        w->write_tag = main_loop_fd_add(fd, G_IO_OUT | G_IO_HUP | G_IO_ERR,
                                     net_fd_watch_write_ready, w);
    }
}

void net_fd_watch_clear(NetFdWatch *w)
{
    net_fd_watch_drop(&w->read_tag);
    net_fd_watch_drop(&w->write_tag);
    w->on_read = NULL;
    w->on_write = NULL;
}

/* ---- length-prefixed frames ---------------------------------------------- */

void net_frame_reader_init(NetFrameReader *rs, NetFrameFunc *finalize)
{
    rs->state = 0;
    rs->index = 0;
    rs->packet_len = 0;
    rs->finalize = finalize;
}

int net_frame_reader_fill(NetFrameReader *rs, const uint8_t *buf, int size)
{
    while (size > 0) {
        uint32_t l;

        if (rs->state == 0) {
            l = MIN(4 - rs->index, (uint32_t)size);
            memcpy(rs->buf + rs->index, buf, l);
            buf += l;
            size -= l;
            rs->index += l;
            if (rs->index == 4) {
                rs->packet_len = (uint32_t)rs->buf[0] << 24 |
                                 rs->buf[1] << 16 | rs->buf[2] << 8 |
                                 rs->buf[3];
                rs->index = 0;
                rs->state = 2;
            }
            continue;
        }
        l = MIN(rs->packet_len - rs->index, (uint32_t)size);
        if (rs->index + l > sizeof(rs->buf)) {
            /* QEMU's words, fprintf'd without its program name */
            error_printf("serious error: oversized packet received,"
                         "connection terminated.\n");
            rs->index = rs->state = 0;
            return -1;
        }
        memcpy(rs->buf + rs->index, buf, l);
        rs->index += l;
        buf += l;
        size -= l;
        if (rs->index >= rs->packet_len) {
            rs->index = 0;
            rs->state = 0;
            rs->finalize(rs);
        }
    }
    return 0;
}

ssize_t net_sendv_from(int fd, const struct iovec *iov, int iovcnt,
                       size_t offset)
{
    struct iovec local[iovcnt];
    struct msghdr msg = { .msg_iov = local };
    int n = 0;
    ssize_t ret;

    for (int i = 0; i < iovcnt; i++) {
        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        local[n].iov_base = (uint8_t *)iov[i].iov_base + offset;
        local[n].iov_len = iov[i].iov_len - offset;
        offset = 0;
        n++;
    }
    if (n == 0) {
        return 0;
    }
    msg.msg_iovlen = n;
    do {
        ret = sendmsg(fd, &msg, MSG_NOSIGNAL);
    } while (ret < 0 && errno == EINTR);
    return ret;
}

const char *net_socket_local_type(int fd, Error **errp)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        error_setg_errno(errp, errno, "%s",
                         "Unable to query local socket address");
        return NULL;
    }
    switch (ss.ss_family) {
    case AF_INET:
    case AF_INET6:
        return "inet";
    case AF_UNIX:
        return "unix";
    case AF_VSOCK:
        return "vsock";
    default:
        error_setg(errp, "socket family %d unsupported", ss.ss_family);
        return NULL;
    }
}

/* ---- addresses and fds --------------------------------------------------- */

int net_parse_fd(const char *str, Error **errp)
{
    int64_t fd;
    const char *end;

    if (qemu_strtoi64(str, &end, 10, &fd) < 0 || *end || fd < 0 ||
        fd > INT_MAX) {
        error_setg(errp, "Invalid file descriptor number '%s'", str);
        return -1;
    }
    return fd;
}

bool net_fd_set_nonblock(int fd, const char *name, Error **errp)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        error_setg_errno(errp, errno, "%s: Can't use file descriptor %d",
                         name, fd);
        return false;
    }
    return true;
}

int convert_host_port(struct sockaddr_in *saddr, const char *host,
                      const char *port, Error **errp)
{
    const char *end;
    int64_t p;

    memset(saddr, 0, sizeof(*saddr));
    saddr->sin_family = AF_INET;
    if (g_ascii_isdigit(host[0])) {
        if (!inet_aton(host, &saddr->sin_addr)) {
            error_setg(errp, "host address '%s' is not a valid IPv4 address",
                       host);
            return -1;
        }
    } else if (host[0]) {
        struct addrinfo hints = { .ai_family = AF_INET }, *res;

        if (getaddrinfo(host, NULL, &hints, &res) != 0) {
            error_setg(errp, "can't resolve host address '%s'", host);
            return -1;
        }
        saddr->sin_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
        freeaddrinfo(res);
    }
    /* QEMU's qemu_strtol with an end pointer: trailing text is allowed */
    if (qemu_strtoi64(port, &end, 0, &p) != 0) {
        error_setg(errp, "port number '%s' is invalid", port);
        return -1;
    }
    saddr->sin_port = htons(p);
    return 0;
}

int parse_host_port(struct sockaddr_in *saddr, const char *str,
                    Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(str, ":", 2);

    if (!parts[0] || !parts[1]) {
        error_setg(errp, "host address '%s' doesn't contain ':' "
                   "separating host from port", str);
        return -1;
    }
    return convert_host_port(saddr, parts[0], parts[1], errp);
}

int net_udp_open(const struct sockaddr_in *addr, Error **errp)
{
    int fd, one = 1;

    fd = socket(PF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "can't create datagram socket");
        return -1;
    }
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
        error_setg_errno(errp, errno, "can't set socket option SO_REUSEADDR");
        close(fd);
        return -1;
    }
    if (addr && bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
        error_setg_errno(errp, errno, "can't bind ip=%s to socket",
                         inet_ntoa(addr->sin_addr));
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

int net_mcast_create(struct sockaddr_in *mcastaddr,
                     struct in_addr *localaddr, Error **errp)
{
    struct ip_mreq imr;
    int fd, one = 1;

    if (!IN_MULTICAST(ntohl(mcastaddr->sin_addr.s_addr))) {
        error_setg(errp, "specified mcastaddr %s (0x%08x) does not contain "
                   "a multicast address", inet_ntoa(mcastaddr->sin_addr),
                   (int)ntohl(mcastaddr->sin_addr.s_addr));
        return -1;
    }
    fd = net_udp_open(mcastaddr, errp);
    if (fd < 0) {
        return -1;
    }
    imr.imr_multiaddr = mcastaddr->sin_addr;
    imr.imr_interface.s_addr = localaddr ? localaddr->s_addr
                                         : htonl(INADDR_ANY);
    if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &imr,
                   sizeof(imr)) < 0) {
        error_setg_errno(errp, errno, "can't add socket to multicast group %s",
                         inet_ntoa(imr.imr_multiaddr));
        goto fail;
    }
    /* Our own datagrams come back: VMs on one host hear each other. */
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one,
                   sizeof(one)) < 0) {
        error_setg_errno(errp, errno,
                         "can't force multicast message to loopback");
        goto fail;
    }
    if (localaddr && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, localaddr,
                                sizeof(*localaddr)) < 0) {
        error_setg_errno(errp, errno,
                         "can't set the default network send interface");
        goto fail;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
fail:
    close(fd);
    return -1;
}

/* ---- SocketAddress ------------------------------------------------------- */

static const char *const net_addr_type_names[] = {
    [NET_ADDR_INET] = "inet",
    [NET_ADDR_UNIX] = "unix",
    [NET_ADDR_VSOCK] = "vsock",
    [NET_ADDR_FD] = "fd",
};

/* Each type's members, the required ones first (QAPI's order) */
static const char *const net_addr_members[][9] = {
    [NET_ADDR_INET] = { "host", "port", "numeric", "to", "ipv4", "ipv6",
                        "keep-alive", "mptcp" },
    [NET_ADDR_UNIX] = { "path", "abstract", "tight" },
    [NET_ADDR_VSOCK] = { "cid", "port" },
    [NET_ADDR_FD] = { "str" },
};
static const int net_addr_required[] = {
    [NET_ADDR_INET] = 2, [NET_ADDR_UNIX] = 1, [NET_ADDR_VSOCK] = 2,
    [NET_ADDR_FD] = 1,
};

typedef struct NetAddrScan {
    const char *prefix;     /* "addr." */
    NetAddrType type;
    bool any;
    const char *unexpected;
} NetAddrScan;

static int net_addr_scan_one(void *opaque, const char *name,
                             const char *value, Error **errp)
{
    NetAddrScan *scan = opaque;
    const char *member;

    if (!g_str_has_prefix(name, scan->prefix)) {
        return 0;
    }
    scan->any = true;
    member = name + strlen(scan->prefix);
    if (!strcmp(member, "type") || scan->unexpected ||
        scan->type > NET_ADDR_FD) {
        return 0;
    }
    for (int i = 0; i < 9 && net_addr_members[scan->type][i]; i++) {
        if (!strcmp(member, net_addr_members[scan->type][i])) {
            return 0;
        }
    }
    scan->unexpected = name;
    return 0;
}

bool net_socket_address_get(QemuOpts *opts, const char *prefix,
                            NetSocketAddress *addr, bool *present,
                            Error **errp)
{
    g_autofree char *dot = g_strdup_printf("%s.", prefix);
    g_autofree char *type_key = g_strdup_printf("%s.type", prefix);
    const char *type = qemu_opt_get(opts, type_key);
    NetAddrScan scan = { .prefix = dot, .type = NET_ADDR_FD + 1 };
    const char *const *members;

    memset(addr, 0, sizeof(*addr));
    *present = false;
    if (type) {
        for (NetAddrType t = NET_ADDR_INET; t <= NET_ADDR_FD; t++) {
            if (!strcmp(type, net_addr_type_names[t])) {
                scan.type = t;
            }
        }
    }
    qemu_opt_foreach(opts, net_addr_scan_one, &scan, NULL);
    if (!scan.any) {
        return true;
    }
    *present = true;
    if (!type) {
        error_setg(errp, "Parameter '%s' is missing", type_key);
        return false;
    }
    if (scan.type > NET_ADDR_FD) {
        error_setg(errp, "Parameter 'type' does not accept value '%s'", type);
        return false;
    }
    addr->type = scan.type;
    members = net_addr_members[scan.type];
    for (int i = 0; i < net_addr_required[scan.type]; i++) {
        g_autofree char *key = g_strdup_printf("%s%s", dot, members[i]);

        if (!qemu_opt_has(opts, key)) {
            error_setg(errp, "Parameter '%s' is missing", key);
            return false;
        }
    }
    if (scan.unexpected) {
        error_setg(errp, "Parameter '%s' is unexpected", scan.unexpected);
        return false;
    }
#define ADDR_KEY(m) (g_free(key), key = g_strdup_printf("%s" m, dot))
    {
        char *key = NULL;

        addr->host = qemu_opt_get(opts, ADDR_KEY("host"));
        addr->port = qemu_opt_get(opts, ADDR_KEY("port"));
        addr->numeric = qemu_opt_get_bool(opts, ADDR_KEY("numeric"), false);
        addr->has_to = qemu_opt_has(opts, ADDR_KEY("to"));
        addr->to = qemu_opt_get_number(opts, key, 0);
        addr->ipv4 = qemu_opt_get_bool(opts, ADDR_KEY("ipv4"), false);
        addr->ipv6 = qemu_opt_get_bool(opts, ADDR_KEY("ipv6"), false);
        addr->keep_alive = qemu_opt_get_bool(opts, ADDR_KEY("keep-alive"),
                                             false);
        addr->mptcp = qemu_opt_get_bool(opts, ADDR_KEY("mptcp"), false);
        addr->path = qemu_opt_get(opts, ADDR_KEY("path"));
        addr->abstract = qemu_opt_get_bool(opts, ADDR_KEY("abstract"),
                                           false);
        /* QEMU's default: a tight abstract address */
        addr->tight = qemu_opt_get_bool(opts, ADDR_KEY("tight"), true);
        addr->cid = qemu_opt_get(opts, ADDR_KEY("cid"));
        addr->str = qemu_opt_get(opts, ADDR_KEY("str"));
        g_free(key);
    }
#undef ADDR_KEY
    return true;
}

static bool net_unix_sockaddr(const NetSocketAddress *addr,
                              struct sockaddr_un *un, socklen_t *len,
                              Error **errp)
{
    size_t plen = strlen(addr->path);

    memset(un, 0, sizeof(*un));
    un->sun_family = AF_UNIX;
    if (plen + (addr->abstract ? 1 : 0) >= sizeof(un->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", addr->path);
        error_append_hint(errp, "Path must be less than %zu bytes\n",
                          sizeof(un->sun_path) - (addr->abstract ? 1 : 0));
        return false;
    }
    memcpy(un->sun_path + (addr->abstract ? 1 : 0), addr->path, plen);
    *len = addr->abstract && addr->tight
           ? offsetof(struct sockaddr_un, sun_path) + 1 + plen
           : sizeof(*un);
    return true;
}

static int net_stream_unix_open(const NetSocketAddress *addr, bool server,
                                bool *in_progress, Error **errp)
{
    struct sockaddr_un un;
    socklen_t len;
    int fd;

    if (!net_unix_sockaddr(addr, &un, &len, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create Unix socket");
        return -1;
    }
    if (server) {
        if (!addr->abstract && unlink(addr->path) < 0 && errno != ENOENT) {
            error_setg_errno(errp, errno, "Failed to unlink socket %s",
                             addr->path);
            goto fail;
        }
        if (bind(fd, (struct sockaddr *)&un, len) < 0) {
            error_setg_errno(errp, errno, "Failed to bind socket to %s",
                             addr->path);
            goto fail;
        }
        if (listen(fd, 1) < 0) {
            error_setg_errno(errp, errno, "Failed to listen on socket");
            goto fail;
        }
        return fd;
    }
    if (connect(fd, (struct sockaddr *)&un, len) < 0) {
        if (errno != EINPROGRESS && errno != EAGAIN) {
            error_setg_errno(errp, errno, "Failed to connect to '%s'",
                             addr->path);
            goto fail;
        }
        *in_progress = true;
    }
    return fd;
fail:
    close(fd);
    return -1;
}

static int net_stream_inet_open(const NetSocketAddress *addr, bool server,
                                bool *in_progress, Error **errp)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *e;
    /* Multipath TCP (QEMU's inet_listen_saddr/inet_connect_addr) */
    int proto = addr->mptcp ? IPPROTO_MPTCP : 0, rc, fd = -1, saved = 0;

    hints.ai_family = addr->ipv4 && !addr->ipv6 ? AF_INET
                      : addr->ipv6 && !addr->ipv4 ? AF_INET6 : AF_UNSPEC;
    hints.ai_flags = server ? AI_PASSIVE : AI_ADDRCONFIG;
    hints.ai_flags |= addr->numeric ? AI_NUMERICHOST : 0;
    rc = getaddrinfo(server && !addr->host[0] ? NULL : addr->host,
                     addr->port, &hints, &res);
    if (rc != 0) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   addr->host, addr->port, gai_strerror(rc));
        return -1;
    }
    for (e = res; e && fd < 0; e = e->ai_next) {
        /* sin_port and sin6_port sit at the same offset */
        struct sockaddr_in *sin = (struct sockaddr_in *)e->ai_addr;
        unsigned first = ntohs(sin->sin_port);
        unsigned last = server && addr->has_to ? addr->to : first;

        for (unsigned p = first; p <= last && p <= 65535 && fd < 0; p++) {
            int one = 1;

            sin->sin_port = htons(p);
            fd = socket(e->ai_family, e->ai_socktype | SOCK_CLOEXEC |
                        SOCK_NONBLOCK, proto);
            if (fd < 0) {
                saved = errno;
                continue;
            }
            if (server) {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
                if (bind(fd, e->ai_addr, e->ai_addrlen) == 0 &&
                    listen(fd, 1) == 0) {
                    break;
                }
            } else {
                int rc = connect(fd, e->ai_addr, e->ai_addrlen);

                if (rc == 0 || errno == EINPROGRESS) {
                    *in_progress = rc != 0;
                    if (addr->keep_alive) {
                        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one,
                                   sizeof(one));
                    }
                    break;
                }
            }
            saved = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, saved, server ? "Failed to bind socket"
                         : "Failed to connect to '%s:%s'",
                         addr->host, addr->port);
    }
    return fd;
}

static int net_stream_vsock_open(const NetSocketAddress *addr, bool server,
                                 bool *in_progress, Error **errp)
{
    struct sockaddr_vm svm = { .svm_family = AF_VSOCK };
    uint64_t cid, port;
    int fd;

    if (qemu_strtou64(addr->cid, NULL, 10, &cid) < 0 || cid > UINT32_MAX) {
        error_setg(errp, "Invalid CID '%s'", addr->cid);
        return -1;
    }
    if (qemu_strtou64(addr->port, NULL, 10, &port) < 0 ||
        port > UINT32_MAX) {
        error_setg(errp, "Invalid port '%s'", addr->port);
        return -1;
    }
    svm.svm_cid = cid;
    svm.svm_port = port;
    fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return -1;
    }
    if (server) {
        if (bind(fd, (struct sockaddr *)&svm, sizeof(svm)) == 0 &&
            listen(fd, 1) == 0) {
            return fd;
        }
        error_setg_errno(errp, errno, "Failed to bind socket");
    } else {
        int rc = connect(fd, (struct sockaddr *)&svm, sizeof(svm));

        if (rc == 0 || errno == EINPROGRESS) {
            *in_progress = rc != 0;
            return fd;
        }
        error_setg_errno(errp, errno, "Failed to connect socket");
    }
    close(fd);
    return -1;
}

int net_stream_socket_open(const NetSocketAddress *addr, bool server,
                           bool *in_progress, Error **errp)
{
    int fd;

    *in_progress = false;
    switch (addr->type) {
    case NET_ADDR_INET:
        return net_stream_inet_open(addr, server, in_progress, errp);
    case NET_ADDR_UNIX:
        return net_stream_unix_open(addr, server, in_progress, errp);
    case NET_ADDR_VSOCK:
        return net_stream_vsock_open(addr, server, in_progress, errp);
    case NET_ADDR_FD:
        fd = net_parse_fd(addr->str, errp);
        if (fd >= 0 && !net_fd_set_nonblock(fd, addr->str, errp)) {
            fd = -1;
        }
        return fd;
    }
    g_assert_not_reached();
}

char *net_socket_uri(int fd, bool remote)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    int rc = remote ? getpeername(fd, (struct sockaddr *)&ss, &len)
                    : getsockname(fd, (struct sockaddr *)&ss, &len);

    if (rc < 0) {
        return g_strdup("");
    }
    switch (ss.ss_family) {
    case AF_UNIX: {
        struct sockaddr_un *un = (struct sockaddr_un *)&ss;

        return g_strdup_printf("unix:%s", un->sun_path[0] ? un->sun_path
                                                           : un->sun_path + 1);
    }
    case AF_VSOCK: {
        struct sockaddr_vm *svm = (struct sockaddr_vm *)&ss;

        return g_strdup_printf("vsock:%u:%u", svm->svm_cid, svm->svm_port);
    }
    default:
        if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host),
                        serv, sizeof(serv),
                        NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
            return g_strdup("");
        }
        return g_strdup_printf("tcp:%s:%s", host, serv);
    }
}
