/*
 * The "udp" chardev: each guest write is one datagram to host:port, and
 * datagrams from there are the input, a datagram at a time.
 * As QEMU 7.2 chardev/char-udp.c (qemu_chr_parse_udp: host defaults to
 * localhost, localaddr/localport optional) and util/qemu-sockets.c
 * inet_dgram_saddr (its error wording; bind then connect).
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include <netdb.h>
#include <sys/socket.h>
#include "chardev-internal.h"

#define TYPE_CHARDEV_UDP "chardev-udp"
#define UDP_BUF_LEN 4096        /* QEMU's CHR_READ_BUF_LEN */

typedef struct UdpChardev {
    Chardev parent_obj;
    int fd;
    uint8_t buf[UDP_BUF_LEN];   /* the datagram being handed over */
    size_t bufcnt;
    size_t bufptr;
} UdpChardev;

#define UDP_CHARDEV(obj) OBJECT_CHECK(UdpChardev, (obj), TYPE_CHARDEV_UDP)

static const char *udp_nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

static bool udp_chr_parse(QemuOpts *opts, Error **errp)
{
    if (!udp_nonempty(qemu_opt_get(opts, "port"))) {
        error_setg(errp, "chardev: udp: remote port not specified");
        return false;
    }
    return true;
}

static int udp_family(QemuOpts *opts)
{
    bool v4 = qemu_opt_get_bool(opts, "ipv4", false);
    bool v6 = qemu_opt_get_bool(opts, "ipv6", false);

    if (v4 && !v6) {
        return AF_INET;
    }
    if (v6 && !v4) {
        return AF_INET6;
    }
    return AF_UNSPEC;
}

static int udp_connect(QemuOpts *opts, Error **errp)
{
    const char *host = udp_nonempty(qemu_opt_get(opts, "host"));
    const char *port = qemu_opt_get(opts, "port");
    const char *laddr = udp_nonempty(qemu_opt_get(opts, "localaddr"));
    const char *lport = udp_nonempty(qemu_opt_get(opts, "localport"));
    struct addrinfo hints = { 0 }, *peer = NULL, *local = NULL;
    int fd = -1, rc, one = 1;

    host = host ? host : "localhost";
    hints.ai_flags = AI_CANONNAME | AI_V4MAPPED | AI_ADDRCONFIG;
    hints.ai_family = udp_family(opts);
    hints.ai_socktype = SOCK_DGRAM;
    rc = getaddrinfo(host, port, &hints, &peer);
    if (rc != 0) {
        error_setg(errp, "address resolution failed for %s:%s: %s", host,
                   port, gai_strerror(rc));
        return -1;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_PASSIVE;
    hints.ai_family = peer->ai_family;
    hints.ai_socktype = SOCK_DGRAM;
    lport = lport ? lport : "0";
    rc = getaddrinfo(laddr, lport, &hints, &local);
    if (rc != 0) {
        /* glibc prints a NULL host as "(null)", and so does QEMU. */
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   laddr ? laddr : "(null)", lport, gai_strerror(rc));
        goto out;
    }
    fd = socket(peer->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket family %d",
                         peer->ai_family);
        goto out;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, local->ai_addr, local->ai_addrlen) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket");
        goto fail;
    }
    if (connect(fd, peer->ai_addr, peer->ai_addrlen) < 0) {
        /* QEMU names the local address here, its variables reused. */
        error_setg_errno(errp, errno, "Failed to connect to '%s:%s'",
                         laddr ? laddr : "(null)", lport);
        goto fail;
    }
    goto out;
fail:
    close(fd);
    fd = -1;
out:
    freeaddrinfo(peer);
    if (local) {
        freeaddrinfo(local);
    }
    return fd;
}

static bool udp_chr_open(Chardev *chr, QemuOpts *opts, Error **errp)
{
    UdpChardev *s = UDP_CHARDEV(chr);

    s->fd = udp_connect(opts, errp);
    if (s->fd < 0) {
        return false;
    }
    g_unix_set_fd_nonblocking(s->fd, true, NULL);
    chr->in_fd = chr->out_fd = s->fd;
    return true;
}

/* Hands over what is left of the last datagram, as room allows. */
static size_t udp_take(UdpChardev *s, uint8_t *buf, size_t len)
{
    size_t n = MIN(len, s->bufcnt - s->bufptr);

    memcpy(buf, s->buf + s->bufptr, n);
    s->bufptr += n;
    return n;
}

static ssize_t udp_chr_read(Chardev *chr, uint8_t *buf, size_t len)
{
    UdpChardev *s = UDP_CHARDEV(chr);
    ssize_t r;

    if (s->bufptr < s->bufcnt) {
        return udp_take(s, buf, len);
    }
    r = recv(s->fd, s->buf, sizeof(s->buf), 0);
    if (r < 0 && errno == ECONNREFUSED) {
        /* An ICMP error for an earlier send, not the end of input. */
        errno = EAGAIN;
        return -1;
    }
    if (r <= 0) {
        /* An empty datagram is not end of file. */
        if (r == 0) {
            errno = EAGAIN;
            return -1;
        }
        return r;
    }
    s->bufcnt = r;
    s->bufptr = 0;
    return udp_take(s, buf, len);
}

/* The rest of a datagram does not make the socket readable: push it. */
static void udp_chr_accept_input(Chardev *chr)
{
    UdpChardev *s = UDP_CHARDEV(chr);
    int room;

    while (s->bufptr < s->bufcnt && (room = qemu_chr_be_can_write(chr)) > 0) {
        uint8_t tmp[UDP_BUF_LEN];
        size_t n = udp_take(s, tmp, room);

        qemu_chr_be_write(chr, tmp, n);
    }
    qemu_chr_update_input(chr);
}

static int udp_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    UdpChardev *s = UDP_CHARDEV(chr);
    ssize_t r;

    do {
        r = send(s->fd, buf, len, 0);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -1 : (int)r;
}

static void udp_chr_close(Chardev *chr)
{
    UdpChardev *s = UDP_CHARDEV(chr);

    if (s->fd >= 0) {
        close(s->fd);
    }
    s->fd = chr->in_fd = chr->out_fd = -1;
}

static void udp_instance_init(Object *obj)
{
    UDP_CHARDEV(obj)->fd = -1;
}

static void char_udp_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->parse = udp_chr_parse;
    cc->open = udp_chr_open;
    cc->read = udp_chr_read;
    cc->write = udp_chr_write;
    cc->close = udp_chr_close;
    cc->accept_input = udp_chr_accept_input;
}

static const TypeInfo char_udp_type_info = {
    .name = TYPE_CHARDEV_UDP,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(UdpChardev),
    .instance_init = udp_instance_init,
    .class_init = char_udp_class_init,
};

void char_udp_register_types(void)
{
    type_register_static(&char_udp_type_info);
}
