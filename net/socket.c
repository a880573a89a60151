/*
 * -netdev socket: frames over a TCP connection (listen= or connect=,
 * each frame a 4-byte big-endian length then the frame), a UDP socket
 * (udp= with localaddr=, one datagram a frame), a multicast group
 * (mcast=, optional localaddr=) or an inherited socket (fd=).
 *
 * Source of truth: QEMU 7.2's net/socket.c (net_init_socket and the
 * listen/connect/mcast/udp/fd inits, net_socket_receive with its
 * send_index for a partly sent frame, net_socket_send and the end of a
 * connection: link down, listening again). Differences: frames the
 * NIC queued while the connection was stalled are dropped when the peer
 * goes (QEMU keeps them queued, and its NIC stuck); an empty datagram
 * is ignored (QEMU stops reading the socket).
 *
 * The connections of -netdev stream and dgram are these same clients
 * with their own driver type and info (net_stream_*_new and
 * net_dgram_client_new, net/net-sockets.h): one framing, one
 * backpressure path for all three.
 */
#include "qemu/osdep.h"
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include "net/clients.h"
#include "net-sockets.h"

typedef struct NetSocketState {
    NetClientState nc;
    int listen_fd;
    int fd;
    NetFdWatch watch;
    NetFdWatch listen_watch;
    NetFrameReader rs;
    unsigned send_index;        /* bytes of the current frame sent (TCP) */
    /* the datagram destination; none (fd=, unix): send() */
    struct sockaddr_storage dgram_dst;
    socklen_t dgram_dst_len;
    NetFdFunc *send_fn;         /* TCP or datagram reading */
    bool read_poll;
    bool write_poll;
    bool is_stream;             /* -netdev stream: its info and events */
    uint8_t rbuf[NET_BUFSIZE];
} NetSocketState;

static void net_socket_accept(void *opaque);
static void net_socket_writable(void *opaque);

static NetSocketState *net_socket_state(NetClientState *nc)
{
    return container_of(nc, NetSocketState, nc);
}

static void net_socket_update_fd_handler(NetSocketState *s)
{
    if (s->fd < 0) {
        return;
    }
    net_fd_watch_set(&s->watch, s->fd, s->read_poll ? s->send_fn : NULL,
                     s->write_poll ? net_socket_writable : NULL, s);
}

static void net_socket_read_poll(NetSocketState *s, bool enable)
{
    s->read_poll = enable;
    net_socket_update_fd_handler(s);
}

static void net_socket_write_poll(NetSocketState *s, bool enable)
{
    s->write_poll = enable;
    net_socket_update_fd_handler(s);
}

static void net_socket_writable(void *opaque)
{
    NetSocketState *s = opaque;

    net_socket_write_poll(s, false);
    qemu_flush_queued_packets(&s->nc);
}

static ssize_t net_socket_receive(NetClientState *nc, const uint8_t *buf,
                                  size_t size)
{
    NetSocketState *s = net_socket_state(nc);
    uint32_t len = htonl(size);
    struct iovec iov[] = {
        { .iov_base = &len, .iov_len = sizeof(len) },
        { .iov_base = (void *)buf, .iov_len = size },
    };
    size_t remaining = sizeof(len) + size - s->send_index;
    ssize_t ret;

    if (s->fd < 0) {
        return size;    /* not connected: dropped, as with link down */
    }
    ret = net_sendv_from(s->fd, iov, 2, s->send_index);
    if (ret < 0 && errno == EAGAIN) {
        ret = 0;
    }
    if (ret < 0) {
        s->send_index = 0;
        return -errno;
    }
    if ((size_t)ret < remaining) {
        /* The peer is slow: the rest when it can take it (the frame waits
         * at the head of our queue). */
        s->send_index += ret;
        net_socket_write_poll(s, true);
        return 0;
    }
    s->send_index = 0;
    return size;
}

static ssize_t net_socket_receive_dgram(NetClientState *nc,
                                        const uint8_t *buf, size_t size)
{
    NetSocketState *s = net_socket_state(nc);
    ssize_t ret;

    do {
        if (s->dgram_dst_len) {
            ret = sendto(s->fd, buf, size, 0,
                         (struct sockaddr *)&s->dgram_dst,
                         s->dgram_dst_len);
        } else {
            ret = send(s->fd, buf, size, MSG_NOSIGNAL);
        }
    } while (ret < 0 && errno == EINTR);
    if (ret < 0 && errno == EAGAIN) {
        net_socket_write_poll(s, true);
        return 0;
    }
    return ret < 0 ? -errno : ret;
}

static void net_socket_send_completed(NetClientState *nc, ssize_t len)
{
    NetSocketState *s = net_socket_state(nc);

    if (!s->read_poll) {
        net_socket_read_poll(s, true);
    }
}

static void net_socket_rs_finalize(NetFrameReader *rs)
{
    NetSocketState *s = container_of(rs, NetSocketState, rs);

    if (qemu_send_packet_async(&s->nc, rs->buf, rs->packet_len,
                               net_socket_send_completed) == 0) {
        net_socket_read_poll(s, false);
    }
}

/* The peer went: link down, and a listener takes the next one. */
static void net_socket_disconnect(NetSocketState *s)
{
    net_fd_watch_clear(&s->watch);
    s->read_poll = s->write_poll = false;
    if (s->listen_fd != -1) {
        net_fd_watch_set(&s->listen_watch, s->listen_fd, net_socket_accept,
                         NULL, s);
    }
    close(s->fd);
    s->fd = -1;
    s->send_index = 0;
    net_frame_reader_init(&s->rs, net_socket_rs_finalize);
    s->nc.link_down = true;
    qemu_set_info_str(&s->nc, "%s", "");
    /* What the NIC queued for the old peer is dropped (link down). */
    qemu_flush_queued_packets(&s->nc);
}

static void net_socket_send(void *opaque)
{
    NetSocketState *s = opaque;
    ssize_t size = recv(s->fd, s->rbuf, sizeof(s->rbuf), 0);

    if (size < 0 && (errno == EAGAIN || errno == EINTR)) {
        return;
    }
    if (size <= 0 || net_frame_reader_fill(&s->rs, s->rbuf, size) < 0) {
        net_socket_disconnect(s);
    }
}

/*
 * Up to NET_READ_BURST datagrams per wake-up (QEMU's
 * net_socket_send_dgram reads one). Stops when the socket is empty or
 * the peer is full (read again when the frame it queued went), so
 * nothing is dropped or reordered.
 */

static void net_socket_send_dgram(void *opaque)
{
    NetSocketState *s = opaque;

    for (int i = 0; i < NET_READ_BURST && s->read_poll; i++) {
        ssize_t size = recv(s->fd, s->rs.buf, sizeof(s->rs.buf), 0);

        if (size <= 0) {
            return;
        }
        if (qemu_send_packet_async(&s->nc, s->rs.buf, size,
                                   net_socket_send_completed) == 0) {
            net_socket_read_poll(s, false);
            return;
        }
    }
}

static void net_socket_cleanup(NetClientState *nc)
{
    NetSocketState *s = net_socket_state(nc);

    net_fd_watch_clear(&s->watch);
    net_fd_watch_clear(&s->listen_watch);
    if (s->fd != -1) {
        close(s->fd);
        s->fd = -1;
    }
    if (s->listen_fd != -1) {
        close(s->listen_fd);
        s->listen_fd = -1;
    }
}

static const NetClientInfo net_dgram_socket_info = {
    .type = NET_CLIENT_DRIVER_SOCKET,
    .size = sizeof(NetSocketState),
    .receive = net_socket_receive_dgram,
    .cleanup = net_socket_cleanup,
};

static const NetClientInfo net_dgram_info = {
    .type = NET_CLIENT_DRIVER_DGRAM,
    .size = sizeof(NetSocketState),
    .receive = net_socket_receive_dgram,
    .cleanup = net_socket_cleanup,
};

static const NetClientInfo net_socket_info = {
    .type = NET_CLIENT_DRIVER_SOCKET,
    .size = sizeof(NetSocketState),
    .receive = net_socket_receive,
    .cleanup = net_socket_cleanup,
};

static const NetClientInfo net_stream_info = {
    .type = NET_CLIENT_DRIVER_STREAM,
    .size = sizeof(NetSocketState),
    .receive = net_socket_receive,
    .cleanup = net_socket_cleanup,
};

static NetSocketState *net_socket_new(const NetClientInfo *info,
                                      NetClientState *peer, const char *name,
                                      int fd)
{
    bool is_stream = info->type == NET_CLIENT_DRIVER_STREAM;
    const char *model = is_stream ? "stream"
                        : info->type == NET_CLIENT_DRIVER_DGRAM ? "dgram"
                        : "socket";
    NetClientState *nc = qemu_new_net_client(info, peer, model, name);
    NetSocketState *s = net_socket_state(nc);

    s->is_stream = is_stream;
    s->fd = fd;
    s->listen_fd = -1;
    s->watch.fd = -1;
    s->listen_watch.fd = -1;
    net_frame_reader_init(&s->rs, net_socket_rs_finalize);
    return s;
}

static NetSocketState *net_socket_fd_init_dgram(NetClientState *peer,
                                                const char *name, int fd,
                                                Error **errp)
{
    const char *type = net_socket_local_type(fd, errp);
    NetSocketState *s;

    if (!type) {
        return NULL;
    }
    s = net_socket_new(&net_dgram_socket_info, peer, name, fd);
    s->send_fn = net_socket_send_dgram;
    net_socket_read_poll(s, true);
    qemu_set_info_str(&s->nc, "socket: fd=%d %s", fd, type);
    return s;
}

static void net_socket_set_dest(NetSocketState *s, const void *dst,
                                socklen_t len)
{
    assert(len <= sizeof(s->dgram_dst));
    if (len) {
        memcpy(&s->dgram_dst, dst, len);
    }
    s->dgram_dst_len = len;
}

static void net_socket_connect(void *opaque)
{
    NetSocketState *s = opaque;

    s->send_fn = net_socket_send;
    s->write_poll = false;
    net_socket_read_poll(s, true);
}

/*
 * A stream client's connect finished (QEMU 7.2's
 * net_stream_client_connected): up, or "connection error" and down for
 * good (7.2 has no reconnect=).
 */
static void net_stream_connected(void *opaque)
{
    NetSocketState *s = opaque;
    g_autofree char *uri = NULL;
    socklen_t len = sizeof(int);
    int err = 0;

    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
        err = errno;
    }
    if (err) {
        net_fd_watch_clear(&s->watch);
        close(s->fd);
        s->fd = -1;
        qemu_set_info_str(&s->nc, "connection error");
        return;
    }
    uri = net_socket_uri(s->fd, true);
    qemu_set_info_str(&s->nc, "%s", uri);
    s->nc.link_down = false;
    net_socket_connect(s);
}

static NetSocketState *net_socket_fd_init_stream(NetClientState *peer,
                                                 const char *name, int fd,
                                                 bool is_connected)
{
    NetSocketState *s = net_socket_new(&net_socket_info, peer, name, fd);
    int one = 1;

    qemu_set_info_str(&s->nc, "socket: fd=%d", fd);
    /* No Nagle: a frame is latency-bound (QEMU's socket_set_nodelay) */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (is_connected) {
        net_socket_connect(s);
    } else {
        net_fd_watch_set(&s->watch, fd, NULL, net_socket_connect, s);
    }
    return s;
}

static NetSocketState *net_socket_fd_init(NetClientState *peer,
                                          const char *name, int fd,
                                          bool is_connected, Error **errp)
{
    int so_type = -1;
    socklen_t optlen = sizeof(so_type);

    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &so_type, &optlen) < 0) {
        error_setg(errp, "can't get socket option SO_TYPE");
        close(fd);
        return NULL;
    }
    switch (so_type) {
    case SOCK_DGRAM:
        return net_socket_fd_init_dgram(peer, name, fd, errp);
    case SOCK_STREAM:
        return net_socket_fd_init_stream(peer, name, fd, is_connected);
    default:
        error_setg(errp, "socket type=%d for fd=%d must be either"
                   " SOCK_DGRAM or SOCK_STREAM", so_type, fd);
        close(fd);
        return NULL;
    }
}

static void net_socket_accept(void *opaque)
{
    NetSocketState *s = opaque;
    struct sockaddr_in saddr = { 0 };
    socklen_t len = sizeof(saddr);
    int fd;

    do {
        fd = accept4(s->listen_fd, (struct sockaddr *)&saddr, &len,
                     SOCK_CLOEXEC | SOCK_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0 && (errno == EINVAL || errno == ENOTSOCK)) {
        /* fd= that is no listening socket: it would wake us forever */
        net_fd_watch_clear(&s->listen_watch);
        qemu_set_info_str(&s->nc, "connection error");
        return;
    }
    if (fd < 0) {
        return;
    }
    /* One peer at a time: the listener rests until it goes. */
    net_fd_watch_clear(&s->listen_watch);
    s->fd = fd;
    s->nc.link_down = false;
    net_socket_connect(s);
    if (s->is_stream) {
        /* QEMU names the local address of a unix peer, else the remote */
        g_autofree char *uri = net_socket_uri(fd, saddr.sin_family !=
                                                  AF_UNIX);

        qemu_set_info_str(&s->nc, "%s", uri);
        return;
    }
    qemu_set_info_str(&s->nc, "socket: connection from %s:%d",
                      inet_ntoa(saddr.sin_addr), ntohs(saddr.sin_port));
}

static int net_socket_listen_init(NetClientState *peer, const char *name,
                                  const char *host_str, Error **errp)
{
    struct sockaddr_in saddr;
    NetSocketState *s;
    int fd, one = 1;

    if (parse_host_port(&saddr, host_str, errp) < 0) {
        return -1;
    }
    fd = socket(PF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "can't create stream socket");
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&saddr, sizeof(saddr)) < 0) {
        error_setg_errno(errp, errno, "can't bind ip=%s to socket",
                         inet_ntoa(saddr.sin_addr));
        close(fd);
        return -1;
    }
    if (listen(fd, 0) < 0) {
        error_setg_errno(errp, errno, "can't listen on socket");
        close(fd);
        return -1;
    }
    s = net_socket_new(&net_socket_info, peer, name, -1);
    s->listen_fd = fd;
    s->nc.link_down = true;
    net_fd_watch_set(&s->listen_watch, fd, net_socket_accept, NULL, s);
    return 0;
}

static int net_socket_connect_init(NetClientState *peer, const char *name,
                                   const char *host_str, Error **errp)
{
    struct sockaddr_in saddr;
    NetSocketState *s;
    bool connected = false;
    int fd;

    if (parse_host_port(&saddr, host_str, errp) < 0) {
        return -1;
    }
    fd = socket(PF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "can't create stream socket");
        return -1;
    }
    for (;;) {
        if (connect(fd, (struct sockaddr *)&saddr, sizeof(saddr)) == 0) {
            connected = true;
            break;
        }
        if (errno == EINPROGRESS || errno == EALREADY) {
            break;      /* writable when connected (or failed) */
        }
        if (errno != EINTR && errno != EWOULDBLOCK) {
            error_setg_errno(errp, errno, "can't connect socket");
            close(fd);
            return -1;
        }
    }
    s = net_socket_fd_init(peer, name, fd, connected, errp);
    if (!s) {
        return -1;
    }
    qemu_set_info_str(&s->nc, "socket: connect to %s:%d",
                      inet_ntoa(saddr.sin_addr), ntohs(saddr.sin_port));
    return 0;
}

static int net_socket_mcast_init(NetClientState *peer, const char *name,
                                 const char *host_str,
                                 const char *localaddr_str, Error **errp)
{
    struct in_addr localaddr;
    struct sockaddr_in saddr;
    NetSocketState *s;
    int fd;

    if (parse_host_port(&saddr, host_str, errp) < 0) {
        return -1;
    }
    if (localaddr_str && inet_aton(localaddr_str, &localaddr) == 0) {
        error_setg(errp, "localaddr '%s' is not a valid IPv4 address",
                   localaddr_str);
        return -1;
    }
    fd = net_mcast_create(&saddr, localaddr_str ? &localaddr : NULL, errp);
    if (fd < 0) {
        return -1;
    }
    s = net_socket_fd_init(peer, name, fd, false, errp);
    if (!s) {
        return -1;
    }
    net_socket_set_dest(s, &saddr, sizeof(saddr));
    qemu_set_info_str(&s->nc, "socket: mcast=%s:%d",
                      inet_ntoa(saddr.sin_addr), ntohs(saddr.sin_port));
    return 0;
}

static int net_socket_udp_init(NetClientState *peer, const char *name,
                               const char *rhost, const char *lhost,
                               Error **errp)
{
    struct sockaddr_in laddr, raddr;
    NetSocketState *s;
    int fd;

    if (parse_host_port(&laddr, lhost, errp) < 0 ||
        parse_host_port(&raddr, rhost, errp) < 0) {
        return -1;
    }
    fd = net_udp_open(&laddr, errp);
    if (fd < 0) {
        return -1;
    }
    s = net_socket_fd_init(peer, name, fd, false, errp);
    if (!s) {
        return -1;
    }
    net_socket_set_dest(s, &raddr, sizeof(raddr));
    qemu_set_info_str(&s->nc, "socket: udp=%s:%d", inet_ntoa(raddr.sin_addr),
                      ntohs(raddr.sin_port));
    return 0;
}

/* ---- -netdev stream's connections (net/stream.c) ------------------------- */

void net_stream_client_new(NetClientState *peer, const char *name, int fd,
                           bool in_progress)
{
    NetSocketState *s = net_socket_new(&net_stream_info, peer, name, fd);
    int one = 1;

    s->nc.link_down = true;
    if (fd < 0) {
        qemu_set_info_str(&s->nc, "connection error");
        return;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (in_progress) {
        net_fd_watch_set(&s->watch, fd, NULL, net_stream_connected, s);
    } else {
        net_stream_connected(s);
    }
}

void net_stream_server_new(NetClientState *peer, const char *name,
                           int listen_fd)
{
    NetSocketState *s = net_socket_new(&net_stream_info, peer, name, -1);

    s->nc.link_down = true;
    if (listen_fd < 0) {
        qemu_set_info_str(&s->nc, "connection error");
        return;
    }
    s->listen_fd = listen_fd;
    net_fd_watch_set(&s->listen_watch, listen_fd, net_socket_accept, NULL, s);
}

/* ---- -netdev dgram's sockets (net/dgram.c) ------------------------------- */

NetClientState *net_dgram_client_new(NetClientState *peer, const char *name,
                                     int fd, const void *dst, socklen_t len)
{
    NetSocketState *s = net_socket_new(&net_dgram_info, peer, name, fd);

    s->send_fn = net_socket_send_dgram;
    net_socket_set_dest(s, dst, len);
    net_socket_read_poll(s, true);
    return &s->nc;
}

static int net_init_socket(QemuOpts *opts, const char *name,
                           NetClientState *peer, Error **errp)
{
    const char *fd_str = qemu_opt_get(opts, "fd");
    const char *listen_str = qemu_opt_get(opts, "listen");
    const char *connect_str = qemu_opt_get(opts, "connect");
    const char *mcast = qemu_opt_get(opts, "mcast");
    const char *udp = qemu_opt_get(opts, "udp");
    const char *localaddr = qemu_opt_get(opts, "localaddr");
    int fd;

    if (!!fd_str + !!listen_str + !!connect_str + !!mcast + !!udp != 1) {
        error_setg(errp, "exactly one of listen=, connect=, mcast= or udp="
                   " is required");
        return -1;
    }
    if (localaddr && !mcast && !udp) {
        error_setg(errp, "localaddr= is only valid with mcast= or udp=");
        return -1;
    }
    if (fd_str) {
        fd = net_parse_fd(fd_str, errp);
        if (fd < 0 || !net_fd_set_nonblock(fd, name, errp)) {
            return -1;
        }
        return net_socket_fd_init(peer, name, fd, true, errp) ? 0 : -1;
    }
    if (listen_str) {
        return net_socket_listen_init(peer, name, listen_str, errp);
    }
    if (connect_str) {
        return net_socket_connect_init(peer, name, connect_str, errp);
    }
    if (mcast) {
        return net_socket_mcast_init(peer, name, mcast, localaddr, errp);
    }
    if (!localaddr) {
        error_setg(errp, "localaddr= is mandatory with udp=");
        return -1;
    }
    return net_socket_udp_init(peer, name, udp, localaddr, errp);
}

static const QemuOptDesc net_socket_keys[] = {
    { .name = "fd", .type = QEMU_OPT_STRING },
    { .name = "listen", .type = QEMU_OPT_STRING },
    { .name = "connect", .type = QEMU_OPT_STRING },
    { .name = "mcast", .type = QEMU_OPT_STRING },
    { .name = "localaddr", .type = QEMU_OPT_STRING },
    { .name = "udp", .type = QEMU_OPT_STRING },
    { /* end of list */ }
};

static const NetBackend net_socket_backend = {
    .type = "socket",
    .driver = NET_CLIENT_DRIVER_SOCKET,
    .keys = net_socket_keys,
    .init = net_init_socket,
};

void net_socket_register(void)
{
    net_backend_register(&net_socket_backend);
}
