/*
 * Unit tests for chardev/char-socket.c with real sockets: unix and
 * 127.0.0.1 TCP servers (wait=off) and clients, data both ways, a client
 * hanging up (the server listens again), reconnect=, output while nobody
 * is connected, and QEMU 7.2's option errors. Driven by
 * g_main_context_iteration, never by sleeping.
 */
#include "qemu/osdep.h"
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "chardev/char.h"

static char *tmpdir;

typedef struct Frontend {
    CharBackend be;
    GString *got;
    int opened;
    int closed;
} Frontend;

static int fe_can_read(void *opaque)
{
    return 64;
}

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    g_string_append_len(((Frontend *)opaque)->got, (const char *)buf, size);
}

static void fe_event(void *opaque, QEMUChrEvent event)
{
    Frontend *f = opaque;

    if (event == CHR_EVENT_OPENED) {
        f->opened++;
    } else if (event == CHR_EVENT_CLOSED) {
        f->closed++;
    }
}

static void fe_attach(Frontend *f, Chardev *chr)
{
    Error *err = NULL;

    f->got = g_string_new("");
    f->opened = f->closed = 0;
    g_assert_true(qemu_chr_fe_init(&f->be, chr, &err));
    qemu_chr_fe_set_event_handler(&f->be, fe_event);
    qemu_chr_fe_set_handlers(&f->be, fe_can_read, fe_read, f);
}

static void fe_detach(Frontend *f)
{
    qemu_chr_fe_deinit(&f->be);
    g_string_free(f->got, true);
}

static Chardev *new_chardev(const char *params, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(&qemu_chardev_opts, params, true, errp);
    Chardev *chr;

    if (!opts) {
        return NULL;
    }
    chr = qemu_chr_new_from_opts(opts, errp);
    qemu_opts_del(opts);
    return chr;
}

static Chardev *new_chardev_ok(const char *params)
{
    Error *err = NULL;
    Chardev *chr = new_chardev(params, &err);

    if (err) {
        g_error("%s: %s", params, error_get_pretty(err));
    }
    return chr;
}

static void expect_error(const char *params, const char *msg)
{
    Error *err = NULL;

    g_assert_null(new_chardev(params, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void run_until_connected(Chardev *chr, bool want)
{
    while (qemu_chr_socket_connected(chr) != want) {
        g_main_context_iteration(NULL, TRUE);
    }
}

static void run_until_received(Frontend *f, const char *want)
{
    while (strcmp(f->got->str, want) != 0) {
        g_assert_cmpuint(f->got->len, <, strlen(want));
        g_main_context_iteration(NULL, TRUE);
    }
}

static int unix_client(const char *path)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(un.sun_path, path, sizeof(un.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
    return fd;
}

static int unix_listener(const char *path)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(un.sun_path, path, sizeof(un.sun_path));
    unlink(path);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    return fd;
}

static void send_str(int fd, const char *s)
{
    g_assert_cmpint(send(fd, s, strlen(s), 0), ==, strlen(s));
}

static void recv_exact(int fd, const char *want)
{
    size_t len = strlen(want);
    g_autofree char *buf = g_malloc0(len + 1);
    size_t got = 0;

    while (got < len) {
        ssize_t r = recv(fd, buf + got, len - got, 0);

        g_assert_cmpint(r, >, 0);
        got += r;
    }
    g_assert_cmpstr(buf, ==, want);
}

/* Data both ways once a client is in; returns after checking. */
static void exchange(Chardev *chr, Frontend *f, int peer, const char *in,
                     const char *out)
{
    g_autofree char *expected = g_strconcat(f->got->str, in, NULL);

    send_str(peer, in);
    run_until_received(f, expected);
    g_assert_cmpint(qemu_chr_fe_write(&f->be, (const uint8_t *)out,
                                          strlen(out)), ==, strlen(out));
    recv_exact(peer, out);
}

static gboolean note_writable(GIOCondition cond, void *opaque)
{
    *(bool *)opaque = true;
    return G_SOURCE_REMOVE;
}

/*
 * A connected reader that stops reading: writes take what the socket
 * holds and then refuse with EAGAIN (never block); the watch fires once
 * the reader drains, and every byte arrives in order (QEMU 7.2's
 * tcp_chr_write and tcp_chr_add_watch).
 */
static void test_stalled_reader(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "stall.sock", NULL);
    g_autofree char *params = g_strdup_printf(
        "socket,id=st,path=%s,server=on,wait=off", path);
    Chardev *chr = new_chardev_ok(params);
    GString *sent = g_string_new("");
    GString *got = g_string_new("");
    bool writable = false;
    Frontend f;
    guint tag;
    int peer, ret;

    fe_attach(&f, chr);
    peer = unix_client(path);
    run_until_connected(chr, true);
    for (unsigned n = 0;; n++) {
        char chunk[32];
        int len = snprintf(chunk, sizeof(chunk), "%08u\n", n);

        ret = qemu_chr_fe_write(&f.be, (const uint8_t *)chunk, len);
        if (ret < 0) {
            g_assert_cmpint(errno, ==, EAGAIN);
            break;
        }
        g_string_append_len(sent, chunk, ret);
        if (ret < len) {
            break;
        }
    }
    g_assert_cmpuint(sent->len, >, 0);
    tag = qemu_chr_fe_add_watch(&f.be, G_IO_OUT | G_IO_HUP, note_writable,
                                &writable);
    g_assert_cmpuint(tag, !=, 0);
    while (g_main_context_iteration(NULL, FALSE)) {
        /* nothing drains: the watch must stay quiet */
    }
    g_assert_false(writable);

    /* The reader resumes: the watch fires, and the stream is intact. */
    while (!writable) {
        char buf[4096];
        ssize_t r = recv(peer, buf, sizeof(buf), MSG_DONTWAIT);

        if (r > 0) {
            g_string_append_len(got, buf, r);
        }
        g_main_context_iteration(NULL, r <= 0);
    }
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"end", 3), ==,
                    3);
    g_string_append(sent, "end");
    while (got->len < sent->len) {
        char buf[4096];
        ssize_t r = recv(peer, buf, sizeof(buf), 0);

        g_assert_cmpint(r, >, 0);
        g_string_append_len(got, buf, r);
    }
    g_assert_true(g_string_equal(got, sent));

    close(peer);
    g_string_free(sent, true);
    g_string_free(got, true);
    fe_detach(&f);
    qemu_chr_delete(chr);
}

static void test_unix_server(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "srv.sock", NULL);
    g_autofree char *log = g_build_filename(tmpdir, "srv.log", NULL);
    g_autofree char *params = g_strdup_printf(
        "socket,id=us,path=%s,server=on,wait=off,logfile=%s", path, log);
    Chardev *chr = new_chardev_ok(params);
    g_autofree char *logged = NULL;
    Frontend f;
    int c1, c2;

    fe_attach(&f, chr);
    g_assert_false(qemu_chr_socket_connected(chr));
    g_assert_false(qemu_chr_fe_backend_open(&f.be));
    /*
     * Nobody connected: the output is lost, but logged (QEMU 7.2's
     * qemu_chr_write_buffer logs what a backend error lost; checked
     * with a -serial on such a socket and logfile=).
     */
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"lost", 4),
                    ==, -1);

    c1 = unix_client(path);
    run_until_connected(chr, true);
    g_assert_cmpint(f.opened, ==, 1);
    g_assert_true(qemu_chr_fe_backend_open(&f.be));
    exchange(chr, &f, c1, "hello", "world");

    /* The client hangs up: closed event, and the server listens again. */
    close(c1);
    run_until_connected(chr, false);
    g_assert_cmpint(f.closed, ==, 1);
    g_assert_false(qemu_chr_fe_backend_open(&f.be));
    c2 = unix_client(path);
    run_until_connected(chr, true);
    g_assert_cmpint(f.opened, ==, 2);
    exchange(chr, &f, c2, "again", "back");
    close(c2);

    g_assert_true(g_file_get_contents(log, &logged, NULL, NULL));
    g_assert_cmpstr(logged, ==, "lostworldback");
    fe_detach(&f);
    qemu_chr_delete(chr);
}

static void test_one_client_at_a_time(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "one.sock", NULL);
    g_autofree char *params = g_strdup_printf(
        "socket,id=one,path=%s,server=on,wait=off", path);
    Chardev *chr = new_chardev_ok(params);
    Frontend f;
    int c1, c2;

    fe_attach(&f, chr);
    c1 = unix_client(path);
    run_until_connected(chr, true);
    /* A second client waits in the backlog, unserved... */
    c2 = unix_client(path);
    send_str(c2, "queued");
    exchange(chr, &f, c1, "first", "to-first");
    g_assert_cmpstr(f.got->str, ==, "first");
    /* ...until the first one leaves. */
    close(c1);
    run_until_received(&f, "firstqueued");
    g_assert_cmpint(f.opened, ==, 2);
    close(c2);
    fe_detach(&f);
    qemu_chr_delete(chr);
}

static int free_tcp_port(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    close(fd);
    return ntohs(sin.sin_port);
}

static int tcp_client(int port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons(port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    return fd;
}

static void test_tcp_server(void)
{
    int port = free_tcp_port();
    g_autofree char *params = g_strdup_printf(
        "socket,id=ts,host=127.0.0.1,port=%d,server=on,wait=off,nodelay=on",
        port);
    Chardev *chr = new_chardev_ok(params);
    Frontend f;
    int c;

    fe_attach(&f, chr);
    c = tcp_client(port);
    run_until_connected(chr, true);
    exchange(chr, &f, c, "tcp-in", "tcp-out");
    close(c);
    run_until_connected(chr, false);
    g_assert_cmpint(f.closed, ==, 1);
    fe_detach(&f);
    qemu_chr_delete(chr);
}

static void test_tcp_client(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sin);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    g_autofree char *params = NULL;
    Chardev *chr;
    Frontend f;
    int peer;

    g_assert_cmpint(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    g_assert_cmpint(getsockname(lfd, (struct sockaddr *)&sin, &len), ==, 0);
    params = g_strdup_printf("socket,id=tc,host=127.0.0.1,port=%d",
                             ntohs(sin.sin_port));
    /* A client without reconnect= connects during creation. */
    chr = new_chardev_ok(params);
    g_assert_true(qemu_chr_socket_connected(chr));
    peer = accept(lfd, NULL, NULL);
    fe_attach(&f, chr);
    exchange(chr, &f, peer, "from-server", "from-client");
    /* The server goes away: disconnected for good (no reconnect=). */
    close(peer);
    run_until_connected(chr, false);
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"x", 1),
                    ==, -1);
    close(lfd);
    fe_detach(&f);
    qemu_chr_delete(chr);
}

static void test_unix_client_reconnect(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "rc.sock", NULL);
    g_autofree char *params = g_strdup_printf(
        "socket,id=rc,path=%s,reconnect=1", path);
    int lfd = unix_listener(path);
    Chardev *chr = new_chardev_ok(params);
    Frontend f;
    int peer;

    fe_attach(&f, chr);
    /* reconnect=: the first connect happens from the main loop. */
    g_assert_false(qemu_chr_socket_connected(chr));
    run_until_connected(chr, true);
    peer = accept(lfd, NULL, NULL);
    exchange(chr, &f, peer, "ping", "pong");

    close(peer);
    run_until_connected(chr, false);
    g_assert_cmpint(f.closed, ==, 1);
    /* One second later (a timer, not a sleep here) it is back. */
    run_until_connected(chr, true);
    g_assert_cmpint(f.opened, ==, 2);
    peer = accept(lfd, NULL, NULL);
    exchange(chr, &f, peer, "ping2", "pong2");
    close(peer);
    close(lfd);
    fe_detach(&f);
    qemu_chr_delete(chr);
}

static void test_legacy_unix_server(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "legacy.sock", NULL);
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off",
                                            path);
    Error *err = NULL;
    Chardev *chr = qemu_chr_new("serial5", spec, &err);
    Frontend f;
    int c;

    g_assert_null(err);
    g_assert_nonnull(chr);
    fe_attach(&f, chr);
    c = unix_client(path);
    run_until_connected(chr, true);
    exchange(chr, &f, c, "legacy", "ok");
    close(c);
    fe_detach(&f);
    qemu_chr_delete(chr);
}

static void test_errors(void)
{
    g_autofree char *missing = g_build_filename(tmpdir, "nobody", NULL);
    g_autofree char *refused = g_strdup_printf("socket,id=e,path=%s",
                                               missing);
    g_autofree char *refused_msg = g_strdup_printf(
        "Failed to connect to '%s': No such file or directory", missing);

    expect_error("socket,id=e", "Unable to parse FD number ");
    expect_error("socket,id=e,host=h", "chardev: socket: no port given");
    expect_error("socket,id=e,path=/x,host=h",
                 "None or one of 'path', 'fd' or 'host' option required.");
    expect_error("socket,id=e,path=/x,delay=on,nodelay=on",
                 "'delay' and 'nodelay' are mutually exclusive");
    expect_error("socket,id=e,path=/x,server=on,reconnect=1",
                 "'reconnect' option is incompatible with socket in server "
                 "listen mode");
    expect_error("socket,id=e,path=/x,wait=on",
                 "'wait' option is incompatible with socket in client "
                 "connect mode");
    expect_error("socket,id=e,path=/nonexistent/x,server=on,wait=off",
                 "Failed to bind socket to /nonexistent/x: No such file or "
                 "directory");
    expect_error(refused, refused_msg);
    g_assert_null(qemu_chr_find("e"));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    chardev_register_types();
    tmpdir = g_dir_make_tmp("test-char-socket-XXXXXX", NULL);
    g_test_add_func("/char-socket/unix-server", test_unix_server);
    g_test_add_func("/char-socket/stalled-reader", test_stalled_reader);
    g_test_add_func("/char-socket/one-client-at-a-time",
                    test_one_client_at_a_time);
    g_test_add_func("/char-socket/tcp-server", test_tcp_server);
    g_test_add_func("/char-socket/tcp-client", test_tcp_client);
    g_test_add_func("/char-socket/unix-client-reconnect",
                    test_unix_client_reconnect);
    g_test_add_func("/char-socket/legacy-unix-server",
                    test_legacy_unix_server);
    g_test_add_func("/char-socket/errors", test_errors);
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", tmpdir);
    g_assert_cmpint(system(cmd), ==, 0);
    return ret;
}
