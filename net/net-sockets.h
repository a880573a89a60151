/*
 * What the fd-based backends (tap, socket, stream, dgram) share: an fd's
 * read/write watches on the main loop, the length-prefixed frame reader
 * of the stream transports, fd= numbers, IPv4 "host:port" parsing and
 * the multicast socket.
 *
 * Source of truth: QEMU 7.2's qemu_set_fd_handler (util/main-loop.c),
 * net/net.c (net_socket_rs_init, net_fill_rstate, convert_host_port,
 * parse_host_port), monitor/misc.c monitor_fd_param (no monitor yet: a
 * number), net/socket.c net_socket_mcast_create.
 */
#ifndef NET_NET_SOCKETS_H
#define NET_NET_SOCKETS_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "net/net.h"

/* ---- fd watches ---------------------------------------------------------- */

typedef void NetFdFunc(void *opaque);

/*
 * An fd watched for reading and/or writing in the default GMainContext,
 * as QEMU's qemu_set_fd_handler: a NULL function means "not watched".
 * Hang-ups and errors count as readable/writable, so the handler sees
 * them from its read()/write().
 */
typedef struct NetFdWatch {
    int fd;
    guint read_tag;
    guint write_tag;
    NetFdFunc *on_read;
    NetFdFunc *on_write;
    void *opaque;
} NetFdWatch;

/* Watch fd with these functions (either NULL); safe from a handler. */
void net_fd_watch_set(NetFdWatch *w, int fd, NetFdFunc *on_read,
                      NetFdFunc *on_write, void *opaque);
/* No watch left (before the fd is closed). */
void net_fd_watch_clear(NetFdWatch *w);

/* ---- length-prefixed frames (socket listen/connect, stream) -------------- */

/*
 * A frame is a 4-byte big-endian length then that many bytes, as QEMU's
 * net_fill_rstate without the vnet header variant (vhost-user only).
 */
typedef struct NetFrameReader NetFrameReader;
typedef void NetFrameFunc(NetFrameReader *rs);

struct NetFrameReader {
    int state;              /* 0: length, 2: data (QEMU's numbering) */
    uint32_t index;
    uint32_t packet_len;
    NetFrameFunc *finalize; /* a frame is in buf[0, packet_len) */
    uint8_t buf[NET_BUFSIZE];
};

void net_frame_reader_init(NetFrameReader *rs, NetFrameFunc *finalize);
/*
 * Feed size bytes; finalize runs once per complete frame. Returns 0, or
 * -1 for a frame longer than NET_BUFSIZE (printed as QEMU prints it; the
 * caller drops the connection).
 */
int net_frame_reader_fill(NetFrameReader *rs, const uint8_t *buf, int size);

/*
 * Send on a socket what is left of iov after its first `offset` bytes,
 * retrying EINTR, never raising SIGPIPE. Returns the bytes sent, or -1
 * with errno (EAGAIN included).
 */
ssize_t net_sendv_from(int fd, const struct iovec *iov, int iovcnt,
                       size_t offset);
/*
 * "inet", "unix" or "vsock": the family of the socket's local address
 * (QEMU's socket_local_address and SocketAddressType_str), with QEMU's
 * errors.
 */
const char *net_socket_local_type(int fd, Error **errp);

/* ---- addresses and fds --------------------------------------------------- */

/*
 * fd=NUMBER as QEMU's monitor_fd_param without a monitor: "Invalid file
 * descriptor number 'X'".
 */
int net_parse_fd(const char *str, Error **errp);
/* fd non-blocking, or "NAME: Can't use file descriptor N: ..." */
bool net_fd_set_nonblock(int fd, const char *name, Error **errp);

/* QEMU's convert_host_port and parse_host_port ("host:port", IPv4) */
int convert_host_port(struct sockaddr_in *saddr, const char *host,
                      const char *port, Error **errp);
int parse_host_port(struct sockaddr_in *saddr, const char *str,
                    Error **errp);

/*
 * A SocketAddress of QEMU's QAPI (qapi/sockets.json) given as flattened
 * keys under a prefix: "addr.type", "addr.host", "addr.port", ...
 */
typedef enum NetAddrType {
    NET_ADDR_INET,
    NET_ADDR_UNIX,
    NET_ADDR_VSOCK,
    NET_ADDR_FD,
} NetAddrType;

typedef struct NetSocketAddress {
    NetAddrType type;
    const char *host;       /* inet */
    const char *port;       /* inet, vsock */
    bool numeric;
    bool ipv4, ipv6;        /* both false: either */
    bool has_to;
    uint64_t to;
    bool keep_alive;
    bool mptcp;
    const char *path;       /* unix */
    bool abstract;
    bool tight;
    const char *cid;        /* vsock */
    const char *str;        /* fd */
} NetSocketAddress;

/*
 * Read the address under prefix ("addr", "local", ...) with QEMU's QAPI
 * errors ("Parameter 'addr.host' is missing", "... is unexpected").
 * Returns false with *present false and no error when no key has the
 * prefix (an optional address).
 */
bool net_socket_address_get(QemuOpts *opts, const char *prefix,
                            NetSocketAddress *addr, bool *present,
                            Error **errp);
/* The QemuOptDesc entries of an address under prefix, for NetBackend.keys */
#define NET_SOCKET_ADDRESS_KEYS(p)                                  \
    { .name = p ".type", .type = QEMU_OPT_STRING },                 \
    { .name = p ".host", .type = QEMU_OPT_STRING },                 \
    { .name = p ".port", .type = QEMU_OPT_STRING },                 \
    { .name = p ".numeric", .type = QEMU_OPT_BOOL },                \
    { .name = p ".to", .type = QEMU_OPT_NUMBER },                   \
    { .name = p ".ipv4", .type = QEMU_OPT_BOOL },                   \
    { .name = p ".ipv6", .type = QEMU_OPT_BOOL },                   \
    { .name = p ".keep-alive", .type = QEMU_OPT_BOOL },             \
    { .name = p ".mptcp", .type = QEMU_OPT_BOOL },                  \
    { .name = p ".path", .type = QEMU_OPT_STRING },                 \
    { .name = p ".abstract", .type = QEMU_OPT_BOOL },               \
    { .name = p ".tight", .type = QEMU_OPT_BOOL },                  \
    { .name = p ".cid", .type = QEMU_OPT_STRING },                  \
    { .name = p ".str", .type = QEMU_OPT_STRING }

/*
 * A non-blocking, close-on-exec stream socket listening on (server) or
 * connecting to (client) an inet, unix or vsock address, as QEMU's
 * socket_listen/socket_connect. A client's connect may be in progress:
 * *in_progress is then true and the socket becomes writable when it is
 * done (SO_ERROR tells how). Returns the fd, or -1 with errp set.
 */
int net_stream_socket_open(const NetSocketAddress *addr, bool server,
                           bool *in_progress, Error **errp);
/* "tcp:HOST:PORT", "unix:PATH", "vsock:CID:PORT" of a socket's address */
char *net_socket_uri(int fd, bool remote);

/*
 * -netdev stream's clients, on net/socket.c's framed connections: a
 * client on fd (connecting if in_progress; -1: the connect failed, the
 * client stays down with "connection error" as QEMU 7.2's), or a
 * server accepting one peer at a time on listen_fd (-1 likewise).
 */
void net_stream_client_new(NetClientState *peer, const char *name, int fd,
                           bool in_progress);
void net_stream_server_new(NetClientState *peer, const char *name,
                           int listen_fd);

/*
 * -netdev dgram's client on a non-blocking datagram socket, one datagram
 * a frame, sending to dst (len 0: send() on a connected socket).
 */
NetClientState *net_dgram_client_new(NetClientState *peer, const char *name,
                                     int fd, const void *dst, socklen_t len);

/*
 * An IPv4 UDP socket bound to addr (SO_REUSEADDR: several VMs on one
 * host share a port or a multicast group), non-blocking; -1 and errp in
 * QEMU's words on failure. With addr NULL, not bound (the caller binds).
 */
int net_udp_open(const struct sockaddr_in *addr, Error **errp);

/*
 * A non-blocking UDP socket bound to a multicast group, looping its
 * datagrams back, sending from localaddr if given (QEMU's
 * net_socket_mcast_create / net_dgram_mcast_create).
 */
int net_mcast_create(struct sockaddr_in *mcastaddr,
                     struct in_addr *localaddr, Error **errp);

#endif
