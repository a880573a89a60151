/*
 * Unit tests for chardev/char-udp.c on 127.0.0.1: each guest write is one
 * datagram to host:port from localport; a datagram larger than the front
 * end's room is handed over in pieces, none lost (QEMU 7.2's buffer in
 * char-udp.c); the legacy udp:HOST:PORT@:LPORT form; the errors.
 */
#include "qemu/osdep.h"
#include <netinet/in.h>
#include <sys/socket.h>
#include "chardev/char.h"

typedef struct Frontend {
    CharBackend be;
    GString *got;
    int room;
} Frontend;

static int fe_can_read(void *opaque)
{
    return ((Frontend *)opaque)->room;
}

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    Frontend *f = opaque;

    g_assert_cmpint(size, <=, f->room);
    g_string_append_len(f->got, (const char *)buf, size);
    f->room -= size;
}

/* A bound UDP socket on 127.0.0.1; returns its port. */
static int udp_peer(int *fd)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sin);

    *fd = socket(AF_INET, SOCK_DGRAM, 0);
    g_assert_cmpint(bind(*fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(getsockname(*fd, (struct sockaddr *)&sin, &len), ==, 0);
    return ntohs(sin.sin_port);
}

static int free_udp_port(void)
{
    int fd, port = udp_peer(&fd);

    close(fd);
    return port;
}

static void send_to(int fd, int port, const char *s)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons(port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

    g_assert_cmpint(sendto(fd, s, strlen(s), 0, (struct sockaddr *)&sin,
                           sizeof(sin)), ==, strlen(s));
}

static void check_round_trip(Chardev *chr, int peer, int local_port)
{
    Frontend f = { .got = g_string_new(""), .room = 4 };
    Error *err = NULL;
    char buf[64] = "";

    g_assert_true(qemu_chr_fe_init(&f.be, chr, &err));
    qemu_chr_fe_set_handlers(&f.be, fe_can_read, fe_read, &f);
    /* Two writes are two datagrams. */
    qemu_chr_fe_write(&f.be, (const uint8_t *)"one", 3);
    qemu_chr_fe_write(&f.be, (const uint8_t *)"two", 3);
    g_assert_cmpint(recv(peer, buf, sizeof(buf), 0), ==, 3);
    g_assert_cmpstr(buf, ==, "one");
    g_assert_cmpint(recv(peer, buf, sizeof(buf), 0), ==, 3);

    /* 10 bytes for a front end with room for 4: nothing lost. */
    send_to(peer, local_port, "0123456789");
    while (f.got->len < 4) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpstr(f.got->str, ==, "0123");
    f.room = 4;
    qemu_chr_fe_accept_input(&f.be);
    g_assert_cmpstr(f.got->str, ==, "01234567");
    f.room = 100;
    qemu_chr_fe_accept_input(&f.be);
    g_assert_cmpstr(f.got->str, ==, "0123456789");
    send_to(peer, local_port, "next");
    while (f.got->len < 14) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpstr(f.got->str, ==, "0123456789next");
    qemu_chr_fe_deinit(&f.be);
    g_string_free(f.got, true);
}

static void test_round_trip(void)
{
    int peer, port = udp_peer(&peer), lport = free_udp_port();
    g_autofree char *params = g_strdup_printf(
        "udp,id=u0,host=127.0.0.1,port=%d,localaddr=127.0.0.1,localport=%d",
        port, lport);
    Error *err = NULL;
    QemuOpts *opts = qemu_opts_parse(&qemu_chardev_opts, params, true, &err);
    Chardev *chr = qemu_chr_new_from_opts(opts, &err);

    qemu_opts_del(opts);
    g_assert_null(err);
    check_round_trip(chr, peer, lport);
    qemu_chr_delete(chr);
    close(peer);
}

static void test_legacy_form(void)
{
    int peer, port = udp_peer(&peer), lport = free_udp_port();
    g_autofree char *spec = g_strdup_printf("udp:127.0.0.1:%d@:%d", port,
                                            lport);
    Error *err = NULL;
    Chardev *chr = qemu_chr_new("serial4", spec, &err);

    g_assert_null(err);
    g_assert_cmpstr(object_get_typename(OBJECT(chr)), ==, "chardev-udp");
    check_round_trip(chr, peer, lport);
    qemu_chr_delete(chr);
    close(peer);
}

static void test_errors(void)
{
    static const struct {
        const char *params;
        const char *msg;
    } cases[] = {
        { "udp,id=e", "chardev: udp: remote port not specified" },
        { "udp,id=e,port=", "chardev: udp: remote port not specified" },
        { "udp,id=e,port=1,localport=abc",
          "address resolution failed for (null):abc: Servname not "
          "supported for ai_socktype" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Error *err = NULL;
        QemuOpts *opts = qemu_opts_parse(&qemu_chardev_opts,
                                         cases[i].params, true, &err);

        g_assert_null(qemu_chr_new_from_opts(opts, &err));
        qemu_opts_del(opts);
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].msg);
        error_free(err);
    }
    g_assert_null(qemu_chr_find("e"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    chardev_register_types();
    g_test_add_func("/char-udp/round-trip", test_round_trip);
    g_test_add_func("/char-udp/legacy-form", test_legacy_form);
    g_test_add_func("/char-udp/errors", test_errors);
    return g_test_run();
}
