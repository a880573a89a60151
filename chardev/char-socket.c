/*
 * The "socket" chardev: a stream over a Unix or TCP socket, as a server
 * (one client at a time, wait=on blocks start-up until it connects) or a
 * client (reconnect=N retries every N seconds after a failure or hang-up).
 * As QEMU 7.2 chardev/char-socket.c (qemu_chr_parse_socket,
 * qmp_chardev_validate_socket, qmp_chardev_open_socket, tcp_chr_disconnect,
 * the "QEMU waiting for connection on:" line) and util/qemu-sockets.c
 * (inet/unix listen and connect, their error wording).
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "chardev-internal.h"
#include "qemu/cutils.h"

#define TYPE_CHARDEV_SOCKET "chardev-socket"

typedef enum SocketKind {
    SOCKET_KIND_UNIX,
    SOCKET_KIND_INET,
    SOCKET_KIND_FD,
} SocketKind;

typedef struct SocketChardev {
    Chardev parent_obj;
    SocketKind kind;
    bool is_listen;
    bool nodelay;
    bool abstract;
    bool tight;
    char *path;
    char *host;
    char *port;
    int64_t reconnect;          /* seconds; 0: none */
    int listen_fd;
    int conn_fd;
    GSource *listen_source;     /* accepting while not connected */
    guint reconnect_timer;
    bool connect_err_reported;
} SocketChardev;

#define SOCKET_CHARDEV(obj) \
    OBJECT_CHECK(SocketChardev, (obj), TYPE_CHARDEV_SOCKET)

static int socket_count(const char *a, const char *b, const char *c)
{
    return !!a + !!b + !!c;
}

static bool socket_chr_parse(QemuOpts *opts, Error **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    const char *host = qemu_opt_get(opts, "host");
    const char *fd = qemu_opt_get(opts, "fd");

    if (socket_count(path, fd, host) > 1) {
        error_setg(errp, "None or one of 'path', 'fd' or 'host' option "
                   "required.");
        return false;
    }
    if (host && !qemu_opt_get(opts, "port")) {
        error_setg(errp, "chardev: socket: no port given");
        return false;
    }
    if (qemu_opt_get(opts, "delay") && qemu_opt_get(opts, "nodelay")) {
        error_setg(errp, "'delay' and 'nodelay' are mutually exclusive");
        return false;
    }
    return true;
}

/* QEMU's qmp_chardev_validate_socket, in its order. */
static bool socket_validate(QemuOpts *opts, SocketKind kind, bool server,
                            Error **errp)
{
    bool has_reconnect = qemu_opt_has(opts, "reconnect");

    if (qemu_opt_get(opts, "tls-creds")) {
        /* No TLS credential objects exist in microqemu. */
        error_setg(errp, "No TLS credentials with id '%s'",
                   qemu_opt_get(opts, "tls-creds"));
        return false;
    }
    if (kind == SOCKET_KIND_FD && has_reconnect) {
        error_setg(errp, "'reconnect' option is incompatible with 'fd' "
                   "address type");
        return false;
    }
    if (qemu_opt_get(opts, "tls-authz")) {
        error_setg(errp, "'tls_authz' option requires 'tls_creds' option");
        return false;
    }
    if (server) {
        if (has_reconnect) {
            error_setg(errp, "'reconnect' option is incompatible with "
                       "socket in server listen mode");
            return false;
        }
    } else {
        if (qemu_opt_get_bool(opts, "websocket", false)) {
            error_setg(errp, "Websocket client is not implemented");
            return false;
        }
        if (qemu_opt_has(opts, "wait")) {
            error_setg(errp, "'wait' option is incompatible with socket in "
                       "client connect mode");
            return false;
        }
    }
    return true;
}

/* ---- Addresses ----------------------------------------------------------- */

static bool socket_unix_addr(SocketChardev *s, struct sockaddr_un *un,
                             socklen_t *len, Error **errp)
{
    size_t plen = strlen(s->path);

    memset(un, 0, sizeof(*un));
    un->sun_family = AF_UNIX;
    /* A filesystem path needs its NUL, an abstract one its leading NUL. */
    if (plen > sizeof(un->sun_path) - 1) {
        error_setg(errp, "UNIX socket path '%s' is too long", s->path);
        return false;
    }
    if (s->abstract) {
        memcpy(un->sun_path + 1, s->path, plen);
        *len = s->tight ? offsetof(struct sockaddr_un, sun_path) + 1 + plen
                        : sizeof(*un);
    } else {
        memcpy(un->sun_path, s->path, plen);
        *len = sizeof(*un);
    }
    return true;
}

static int socket_unix_listen(SocketChardev *s, Error **errp)
{
    struct sockaddr_un un;
    socklen_t len;
    int fd;

    if (!socket_unix_addr(s, &un, &len, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create Unix socket");
        return -1;
    }
    if (!s->abstract && unlink(s->path) < 0 && errno != ENOENT) {
        error_setg_errno(errp, errno, "Failed to unlink socket %s", s->path);
        close(fd);
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&un, len) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s", s->path);
        close(fd);
        return -1;
    }
    if (listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on socket");
        close(fd);
        return -1;
    }
    return fd;
}

static int socket_unix_connect(SocketChardev *s, Error **errp)
{
    struct sockaddr_un un;
    socklen_t len;
    int fd;

    if (!socket_unix_addr(s, &un, &len, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&un, len) < 0) {
        error_setg_errno(errp, errno, "Failed to connect to '%s'", s->path);
        close(fd);
        return -1;
    }
    return fd;
}

static struct addrinfo *socket_resolve(SocketChardev *s, QemuOpts *opts,
                                       bool passive, Error **errp)
{
    struct addrinfo hints = { 0 }, *res = NULL;
    bool v4 = opts && qemu_opt_get_bool(opts, "ipv4", false);
    bool v6 = opts && qemu_opt_get_bool(opts, "ipv6", false);
    int rc;

    hints.ai_flags = passive ? AI_PASSIVE : (AI_CANONNAME | AI_ADDRCONFIG);
    hints.ai_family = v4 && !v6 ? AF_INET : v6 && !v4 ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(passive && !*s->host ? NULL : s->host,
                     *s->port ? s->port : NULL, &hints, &res);
    if (rc != 0) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   s->host, s->port, gai_strerror(rc));
        return NULL;
    }
    return res;
}

/* QEMU's inet_listen_saddr: the first address that binds, ports up to to=. */
static int socket_inet_listen(SocketChardev *s, QemuOpts *opts,
                              Error **errp)
{
    struct addrinfo *res = socket_resolve(s, opts, true, errp);
    bool created = false;
    int saved = 0;

    if (!res) {
        return -1;
    }
    for (struct addrinfo *e = res; e; e = e->ai_next) {
        uint16_t first = ntohs(((struct sockaddr_in *)e->ai_addr)->sin_port);
        uint64_t last = qemu_opt_has(opts, "to")
                        ? qemu_opt_get_number(opts, "to", first) : first;

        for (uint64_t p = first; p <= last && p <= 65535; p++) {
            int one = 1, fd;

            /* sin_port and sin6_port sit at the same offset. */
            ((struct sockaddr_in *)e->ai_addr)->sin_port = htons(p);
            fd = socket(e->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                saved = errno;
                continue;
            }
            created = true;
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
            if (bind(fd, e->ai_addr, e->ai_addrlen) == 0 &&
                listen(fd, 1) == 0) {
                freeaddrinfo(res);
                return fd;
            }
            saved = errno;
            close(fd);
            if (saved != EADDRINUSE) {
                error_setg_errno(errp, saved, "Failed to bind socket");
                freeaddrinfo(res);
                return -1;
            }
        }
    }
    freeaddrinfo(res);
    error_setg_errno(errp, saved, created ? "Failed to find an available port"
                                          : "Failed to create a socket");
    return -1;
}

static int socket_inet_connect(SocketChardev *s, Error **errp)
{
    struct addrinfo *res = socket_resolve(s, NULL, false, errp);
    int saved = 0;

    if (!res) {
        return -1;
    }
    for (struct addrinfo *e = res; e; e = e->ai_next) {
        int fd = socket(e->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (fd < 0) {
            saved = errno;
            continue;
        }
        if (connect(fd, e->ai_addr, e->ai_addrlen) == 0) {
            freeaddrinfo(res);
            return fd;
        }
        saved = errno;
        close(fd);
    }
    freeaddrinfo(res);
    error_setg_errno(errp, saved, "Failed to connect to '%s:%s'", s->host,
                     s->port);
    return -1;
}

/* "unix:PATH,server=on" / "tcp:HOST:PORT,server=on", QEMU's filename. */
static char *socket_describe(SocketChardev *s)
{
    const char *server = s->is_listen ? ",server=on" : "";

    switch (s->kind) {
    case SOCKET_KIND_INET:
        return g_strdup_printf("tcp:%s:%s%s", s->host, s->port, server);
    case SOCKET_KIND_UNIX:
        return g_strdup_printf("unix:%s%s%s%s", s->path,
                               s->abstract ? ",abstract=on" : "",
                               s->abstract && s->tight ? ",tight=on" : "",
                               server);
    default:
        return g_strdup_printf("fd:%s%s", s->path, server);
    }
}

/* After listening QEMU names the bound address: numeric host and port. */
static void socket_take_local_name(SocketChardev *s)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char host[NI_MAXHOST], port[NI_MAXSERV];

    if (s->kind != SOCKET_KIND_INET ||
        getsockname(s->listen_fd, (struct sockaddr *)&ss, &len) < 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), port,
                    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return;
    }
    g_free(s->host);
    g_free(s->port);
    s->host = g_strdup(host);
    s->port = g_strdup(port);
}

/* ---- Connection state ---------------------------------------------------- */

static void socket_start_listening(SocketChardev *s);
static void socket_start_reconnect_timer(SocketChardev *s);

static void socket_new_client(SocketChardev *s, int fd)
{
    Chardev *chr = &s->parent_obj;
    int one = 1;

    g_unix_set_fd_nonblocking(fd, true, NULL);
    if (s->nodelay && s->kind == SOCKET_KIND_INET) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    s->conn_fd = chr->in_fd = chr->out_fd = fd;
    chr->in_eof = false;
    s->connect_err_reported = false;
    qemu_chr_be_event(chr, CHR_EVENT_OPENED);
    qemu_chr_update_input(chr);
}

static void socket_stop_listening(SocketChardev *s)
{
    if (s->listen_source) {
        g_source_destroy(s->listen_source);
        g_source_unref(s->listen_source);
        s->listen_source = NULL;
    }
}

/* QEMU's tcp_chr_disconnect: back to listening, or retry later. */
static void socket_disconnect(SocketChardev *s)
{
    Chardev *chr = &s->parent_obj;
    bool was_connected = s->conn_fd >= 0;

    qemu_chr_stop_input(chr);
    if (s->conn_fd >= 0) {
        close(s->conn_fd);
    }
    s->conn_fd = chr->in_fd = chr->out_fd = -1;
    if (s->is_listen) {
        socket_start_listening(s);
    }
    if (was_connected) {
        qemu_chr_be_event(chr, CHR_EVENT_CLOSED);
    }
    if (!s->is_listen && s->reconnect > 0) {
        socket_start_reconnect_timer(s);
    }
}

static void socket_input_closed(Chardev *chr)
{
    socket_disconnect(SOCKET_CHARDEV(chr));
}

static gboolean socket_accept_ready(gint fd, GIOCondition cond,
                                    gpointer opaque)
{
    SocketChardev *s = opaque;
    int conn;

    conn = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0) {
        return G_SOURCE_CONTINUE;
    }
    /* One client at a time: later ones wait in the backlog, as QEMU. */
    socket_stop_listening(s);
    socket_new_client(s, conn);
    return G_SOURCE_REMOVE;
}

static void socket_start_listening(SocketChardev *s)
{
    if (s->listen_fd < 0 || s->listen_source) {
        return;
    }
    s->listen_source = g_unix_fd_source_new(s->listen_fd, G_IO_IN);
    g_source_set_callback(s->listen_source,
                          (GSourceFunc)(void (*)(void))socket_accept_ready,
                          s, NULL);
    g_source_attach(s->listen_source, NULL);
}

static int socket_connect(SocketChardev *s, Error **errp)
{
    return s->kind == SOCKET_KIND_UNIX ? socket_unix_connect(s, errp)
                                       : socket_inet_connect(s, errp);
}

/* One reconnect attempt; the first failure in a row is reported. */
static void socket_try_reconnect(SocketChardev *s)
{
    Error *err = NULL;
    int fd = socket_connect(s, &err);

    if (fd >= 0) {
        socket_new_client(s, fd);
        return;
    }
    if (!s->connect_err_reported) {
        error_prepend(&err, "Unable to connect character device %s: ",
                      s->parent_obj.label);
        error_report_err(err);
        s->connect_err_reported = true;
    } else {
        error_free(err);
    }
    socket_start_reconnect_timer(s);
}

static gboolean socket_reconnect_timeout(gpointer opaque)
{
    SocketChardev *s = opaque;

    s->reconnect_timer = 0;
    if (s->conn_fd < 0) {
        socket_try_reconnect(s);
    }
    return G_SOURCE_REMOVE;
}

static void socket_start_reconnect_timer(SocketChardev *s)
{
    if (!s->reconnect_timer) {
        s->reconnect_timer = g_timeout_add_seconds(s->reconnect,
                                                   socket_reconnect_timeout,
                                                   s);
    }
}

/* QEMU connects reconnect=N clients from its main loop, not at open. */
static gboolean socket_first_connect(gpointer opaque)
{
    return socket_reconnect_timeout(opaque);
}

/* ---- Open, write, close -------------------------------------------------- */

static bool socket_open_fd(SocketChardev *s, const char *str, Error **errp)
{
    int fd, type;
    socklen_t len = sizeof(type);

    if (!str || qemu_strtoi(str, NULL, 10, &fd) < 0) {
        error_setg(errp, "Unable to parse FD number %s", str ? str : "");
        return false;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        error_setg(errp, "File descriptor '%s' is not a socket", str);
        close(fd);
        return false;
    }
    if (s->is_listen) {
        s->listen_fd = fd;
    } else {
        socket_new_client(s, fd);
    }
    return true;
}

static bool socket_chr_open(Chardev *chr, QemuOpts *opts, Error **errp)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);
    const char *path = qemu_opt_get(opts, "path");
    const char *host = qemu_opt_get(opts, "host");
    bool wait;

    chr->be_open = false;   /* until a peer connects */

    s->kind = path ? SOCKET_KIND_UNIX : host ? SOCKET_KIND_INET
                                             : SOCKET_KIND_FD;
    s->is_listen = qemu_opt_get_bool(opts, "server", false);
    if (!socket_validate(opts, s->kind, s->is_listen, errp)) {
        return false;
    }
    if (qemu_opt_get_bool(opts, "telnet", false) ||
        qemu_opt_get_bool(opts, "tn3270", false) ||
        qemu_opt_get_bool(opts, "websocket", false)) {
        error_setg(errp, "telnet, tn3270 and websocket sockets are not "
                   "supported by microqemu yet");
        return false;
    }
    s->nodelay = !qemu_opt_get_bool(opts, "delay", true) ||
                 qemu_opt_get_bool(opts, "nodelay", false);
    s->reconnect = qemu_opt_get_number(opts, "reconnect", 0);
    s->abstract = qemu_opt_get_bool(opts, "abstract", false);
    s->tight = qemu_opt_get_bool(opts, "tight", true);
    s->path = g_strdup(path ? path : qemu_opt_get(opts, "fd"));
    s->host = g_strdup(host);
    s->port = g_strdup(qemu_opt_get(opts, "port"));
    wait = qemu_opt_get_bool(opts, "wait", true);

    if (s->kind == SOCKET_KIND_FD) {
        if (!socket_open_fd(s, s->path, errp)) {
            return false;
        }
    } else if (s->is_listen) {
        s->listen_fd = s->kind == SOCKET_KIND_UNIX
                       ? socket_unix_listen(s, errp)
                       : socket_inet_listen(s, opts, errp);
        if (s->listen_fd < 0) {
            return false;
        }
        socket_take_local_name(s);
    } else if (s->reconnect > 0) {
        s->reconnect_timer = g_idle_add(socket_first_connect, s);
        return true;
    } else {
        int fd = socket_connect(s, errp);

        if (fd < 0) {
            return false;
        }
        socket_new_client(s, fd);
        return true;
    }

    if (s->is_listen && wait) {
        g_autofree char *name = socket_describe(s);
        int fd;

        info_report("QEMU waiting for connection on: disconnected:%s", name);
        do {
            fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        } while (fd < 0 && errno == EINTR);
        if (fd >= 0) {
            socket_new_client(s, fd);
            return true;
        }
    }
    socket_start_listening(s);
    return true;
}

/*
 * QEMU's tcp_chr_write: what the socket takes now (a stalled reader
 * throttles the front end through the watch on out_fd); nobody connected
 * is EIO and the bytes are lost; any other error is a disconnect.
 */
static int socket_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);
    int done = 0;

    if (s->conn_fd < 0) {
        errno = EIO;
        return -1;
    }
    while (done < len) {
        /* MSG_NOSIGNAL: a gone peer is an error here, never SIGPIPE. */
        ssize_t r = send(s->conn_fd, buf + done, len - done, MSG_NOSIGNAL);

        if (r > 0) {
            done += r;
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (r < 0 && errno == EAGAIN) {
            break;
        } else {
            int saved = errno;

            socket_disconnect(s);
            errno = saved ? saved : EIO;
            return done ? done : -1;
        }
    }
    if (!done) {
        errno = EAGAIN;
        return -1;
    }
    return done;
}

bool qemu_chr_socket_connected(Chardev *chr)
{
    return SOCKET_CHARDEV(chr)->conn_fd >= 0;
}

static void socket_chr_close(Chardev *chr)
{
    SocketChardev *s = SOCKET_CHARDEV(chr);

    socket_stop_listening(s);
    if (s->reconnect_timer) {
        g_source_remove(s->reconnect_timer);
        s->reconnect_timer = 0;
    }
    if (s->conn_fd >= 0) {
        close(s->conn_fd);
    }
    if (s->listen_fd >= 0) {
        /*
         * QEMU 7.2's qio_channel_socket_close() of a listening socket:
         * socket_listen_cleanup() removes a unix socket's file.
         */
        if (s->kind == SOCKET_KIND_UNIX && !s->abstract && s->path &&
            unlink(s->path) < 0 && errno != ENOENT) {
            warn_report("Failed to unlink socket %s: %s", s->path,
                        strerror(errno));
        }
        close(s->listen_fd);
    }
    s->conn_fd = s->listen_fd = chr->in_fd = chr->out_fd = -1;
    g_free(s->path);
    g_free(s->host);
    g_free(s->port);
}

static void socket_instance_init(Object *obj)
{
    SocketChardev *s = SOCKET_CHARDEV(obj);

    s->listen_fd = -1;
    s->conn_fd = -1;
}

static void char_socket_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->parse = socket_chr_parse;
    cc->open = socket_chr_open;
    cc->write = socket_chr_write;
    cc->close = socket_chr_close;
    cc->input_closed = socket_input_closed;
}

static const TypeInfo char_socket_type_info = {
    .name = TYPE_CHARDEV_SOCKET,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(SocketChardev),
    .instance_init = socket_instance_init,
    .class_init = char_socket_class_init,
};

void char_socket_register_types(void)
{
    type_register_static(&char_socket_type_info);
}
