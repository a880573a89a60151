/*
 * Unit tests for -netdev socket, stream and dgram (net/socket.c,
 * net/stream.c, net/dgram.c) with a fake NIC as their peer: frames both
 * ways with QEMU 7.2's framing (4-byte big-endian length on streams,
 * a datagram per frame otherwise), partial reads and writes, a NIC
 * without room (the backend stops reading, every frame arrives in order
 * later), a stalled peer (the NIC's send is queued and resumes, nothing
 * lost or reordered), a peer that goes (link down, a listener takes the
 * next one), an oversized frame, connect failures, QEMU's option errors.
 */
#include "qemu/osdep.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "net/clients.h"
#include "net-test-nic.h"
#include "system/runstate.h"

static uint8_t big[65536];

static void fill_big(void)
{
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = i * 7 + (i >> 8);
    }
}

static void write_all(int fd, const void *buf, size_t len)
{
    g_assert_cmpint(write(fd, buf, len), ==, len);
}

/* One length-prefixed frame on a stream socket */
static void write_frame(int fd, const void *buf, uint32_t len)
{
    uint32_t be = htonl(len);

    write_all(fd, &be, 4);
    write_all(fd, buf, len);
}

static void read_all(int fd, void *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t r = read(fd, (uint8_t *)buf + got, len - got);

        g_assert_cmpint(r, >, 0);
        got += r;
    }
}

static void read_frame(int fd, const void *expect, uint32_t len)
{
    g_autofree uint8_t *buf = g_malloc(len);
    uint32_t be;

    read_all(fd, &be, 4);
    g_assert_cmpuint(ntohl(be), ==, len);
    read_all(fd, buf, len);
    g_assert_cmpmem(buf, len, expect, len);
}

static int unread_bytes(int fd)
{
    int n = 0;

    g_assert_cmpint(ioctl(fd, FIONREAD, &n), ==, 0);
    return n;
}

static int loopback_socket(int type, int *port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, type, 0);

    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    *port = ntohs(sin.sin_port);
    return fd;
}

static int free_port(int type)
{
    int port, fd = loopback_socket(type, &port);

    close(fd);
    return port;
}

static int tcp_connect(int port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons(port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    return fd;
}

static int unix_connect(const char *path)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(un.sun_path, path, sizeof(un.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
    return fd;
}

static NetClientState *netdev_new_ok(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static NetClientState *netdev_new_ok(const char *fmt, ...)
{
    g_autofree char *spec = NULL;
    NetClientState *nc;
    va_list ap;

    va_start(ap, fmt);
    spec = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    nc = test_netdev_new(spec, &error_abort);
    g_assert_nonnull(nc);
    return nc;
}

/* info_str is exactly the formatted text */
static void assert_info(NetClientState *nc, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void assert_info(NetClientState *nc, const char *fmt, ...)
{
    g_autofree char *want = NULL;
    va_list ap;

    va_start(ap, fmt);
    want = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_assert_cmpstr(nc->info_str, ==, want);
}

static TestNic *nic_on(NetClientState *nc)
{
    return test_nic_new(&nc, 1);
}

static void teardown(TestNic *n)
{
    test_nic_free(n);
    net_cleanup();
}

/* ---- socket fd=: a connected stream -------------------------------------- */

static void test_fd_stream_frames(void)
{
    static const uint8_t a[] = "frame-a", b[] = "bb", c[] = "the third";
    uint8_t two[4 + sizeof(a) + 4 + sizeof(b)];
    uint32_t be;
    NetClientState *nc;
    TestNic *n;
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    nc = netdev_new_ok("socket,id=s0,fd=%d", sv[1]);
    n = nic_on(nc);
    assert_info(nc, "socket: fd=%d", sv[1]);

    /* two frames in one write, then one a byte at a time */
    be = htonl(sizeof(a));
    memcpy(two, &be, 4);
    memcpy(two + 4, a, sizeof(a));
    be = htonl(sizeof(b));
    memcpy(two + 4 + sizeof(a), &be, 4);
    memcpy(two + 8 + sizeof(a), b, sizeof(b));
    write_all(sv[0], two, sizeof(two));
    TEST_PUMP_UNTIL(n->frames->len == 2);
    be = htonl(sizeof(c));
    for (int i = 0; i < 4; i++) {
        write_all(sv[0], (uint8_t *)&be + i, 1);
        test_pump_ready();
    }
    for (size_t i = 0; i < sizeof(c); i++) {
        g_assert_cmpuint(n->frames->len, ==, 2);
        write_all(sv[0], c + i, 1);
        TEST_PUMP_UNTIL(unread_bytes(sv[1]) == 0);
    }
    g_assert_cmpuint(n->frames->len, ==, 3);
    test_nic_assert_frame(n, 0, a, sizeof(a));
    test_nic_assert_frame(n, 1, b, sizeof(b));
    test_nic_assert_frame(n, 2, c, sizeof(c));

    /* the other way: a length in front */
    g_assert_true(test_nic_send(n, big, 1514));
    read_frame(sv[0], big, 1514);

    close(sv[0]);
    teardown(n);
}

/* A NIC without room: queued in order, the socket no longer read */
static void test_rx_backpressure(void)
{
    NetClientState *nc;
    TestNic *n;
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    nc = netdev_new_ok("socket,id=s0,fd=%d", sv[1]);
    n = nic_on(nc);
    n->room = 0;
    for (int i = 0; i < 3; i++) {
        write_frame(sv[0], big + i, 100 + i);
    }
    TEST_PUMP_UNTIL(unread_bytes(sv[1]) == 0);
    g_assert_cmpuint(n->frames->len, ==, 0);

    /* the backend waits for the NIC: a fourth frame stays unread */
    write_frame(sv[0], big + 3, 103);
    test_pump_ready();
    test_pump_ready();
    g_assert_cmpint(unread_bytes(sv[1]), ==, 4 + 103);
    g_assert_cmpuint(n->frames->len, ==, 0);

    test_nic_set_room(n, -1);
    g_assert_cmpuint(n->frames->len, ==, 3);
    TEST_PUMP_UNTIL(n->frames->len == 4);
    for (int i = 0; i < 4; i++) {
        test_nic_assert_frame(n, i, big + i, 100 + i);
    }
    close(sv[0]);
    teardown(n);
}

/*
 * Drives a NIC that sends `total` numbered frames of `size` bytes to a
 * stream peer whose buffers are small: sends stop when one is queued and
 * resume on sent_cb; the peer reads frames as they come. Returns how
 * often the NIC had to wait.
 */
static unsigned stalled_transfer(TestNic *n, int peer, unsigned total,
                                 size_t size)
{
    unsigned sent = 0, got = 0, stalls = 0;
    g_autofree uint8_t *frame = g_malloc(size);
    g_autoptr(GByteArray) in = g_byte_array_new();
    uint8_t chunk[4096];

    while (got < total) {
        ssize_t r;

        while (sent < total && !n->waiting) {
            memcpy(frame, big + sent, size);
            if (!test_nic_send(n, frame, size)) {
                stalls++;
            }
            sent++;
        }
        /* what the peer can read now, without waiting for the rest */
        r = recv(peer, chunk, sizeof(chunk), MSG_DONTWAIT);
        if (r > 0) {
            g_byte_array_append(in, chunk, r);
        }
        while (in->len >= 4 + size) {
            uint32_t be;

            memcpy(&be, in->data, 4);
            g_assert_cmpuint(ntohl(be), ==, size);
            /* frame `got`, whole and in order */
            g_assert_cmpmem(in->data + 4, size, big + got, size);
            g_byte_array_remove_range(in, 0, 4 + size);
            got++;
        }
        test_pump_ready();
    }
    g_assert_cmpuint(in->len, ==, 0);
    g_assert_false(n->waiting);
    return stalls;
}

static void test_tx_stalled_peer(void)
{
    int sv[2], small = 4096;
    NetClientState *nc;
    TestNic *n;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    nc = netdev_new_ok("socket,id=s0,fd=%d", sv[1]);
    n = nic_on(nc);

    /* frames larger than the buffers: each goes in several writes */
    g_assert_cmpuint(stalled_transfer(n, sv[0], 40, 30000), >, 0);
    close(sv[0]);
    teardown(n);
}

static void test_oversized_frame(void)
{
    uint32_t be = htonl(NET_BUFSIZE + 1);
    NetClientState *nc;
    TestNic *n;
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    nc = netdev_new_ok("socket,id=s0,fd=%d", sv[1]);
    n = nic_on(nc);
    write_all(sv[0], &be, 4);
    /* more than the longest frame: the connection is dropped (QEMU's
     * net_fill_rstate checks what came, not the length) */
    write_all(sv[0], big, sizeof(big));
    write_all(sv[0], big, 8192);
    TEST_PUMP_UNTIL(nc->link_down);
    g_assert_cmpuint(n->frames->len, ==, 0);
    /* a frame from the NIC now is dropped, not written anywhere */
    g_assert_true(test_nic_send(n, big, 60));
    close(sv[0]);
    teardown(n);
}

/* ---- socket listen= / connect= ------------------------------------------- */

static void exchange_stream(TestNic *n, int peer, unsigned i)
{
    guint before = n->frames->len;

    write_frame(peer, big + i, 64 + i);
    TEST_PUMP_UNTIL(n->frames->len == before + 1);
    test_nic_assert_frame(n, before, big + i, 64 + i);
    g_assert_true(test_nic_send(n, big + i + 1, 80 + i));
    read_frame(peer, big + i + 1, 80 + i);
}

/* A peer that goes and the next one, a listener's life (both backends) */
static void check_listener(NetClientState *nc, TestNic *n,
                           int (*connect_peer)(const void *),
                           const void *where)
{
    int peer, small = 4096;

    g_assert_true(nc->link_down);
    peer = connect_peer(where);
    TEST_PUMP_UNTIL(!nc->link_down);
    exchange_stream(n, peer, 1);
    close(peer);
    TEST_PUMP_UNTIL(nc->link_down);
    g_assert_cmpstr(nc->info_str, ==, "");
    /* down: the NIC's frames are dropped */
    g_assert_true(test_nic_send(n, big, 60));

    /* the next peer stalls with frames queued, then goes: they are dropped
     * and the NIC may send again */
    peer = connect_peer(where);
    setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    TEST_PUMP_UNTIL(!nc->link_down);
    while (!n->waiting) {
        test_nic_send(n, big, 30000);
    }
    close(peer);
    TEST_PUMP_UNTIL(nc->link_down);
    g_assert_false(n->waiting);

    /* and a third peer works */
    peer = connect_peer(where);
    TEST_PUMP_UNTIL(!nc->link_down);
    exchange_stream(n, peer, 2);
    close(peer);
}

static int connect_tcp_port(const void *port)
{
    return tcp_connect(*(const int *)port);
}

static void test_listen_reconnect(void)
{
    int port = free_port(SOCK_STREAM);
    NetClientState *nc = netdev_new_ok("socket,id=s0,listen=127.0.0.1:%d",
                                       port);
    TestNic *n = nic_on(nc);
    int peer;

    check_listener(nc, n, connect_tcp_port, &port);
    peer = tcp_connect(port);
    TEST_PUMP_UNTIL(!nc->link_down);
    g_assert_true(g_str_has_prefix(nc->info_str,
                                   "socket: connection from 127.0.0.1:"));
    close(peer);
    teardown(n);
}

static void test_connect(void)
{
    int port, lfd = loopback_socket(SOCK_STREAM, &port), peer;
    NetClientState *nc;
    TestNic *n;

    g_assert_cmpint(listen(lfd, 1), ==, 0);
    nc = netdev_new_ok("socket,id=s0,connect=127.0.0.1:%d", port);
    n = nic_on(nc);
    assert_info(nc, "socket: connect to 127.0.0.1:%d", port);
    peer = accept(lfd, NULL, NULL);
    g_assert_cmpint(peer, >=, 0);
    exchange_stream(n, peer, 3);
    close(peer);
    close(lfd);
    TEST_PUMP_UNTIL(nc->link_down);
    teardown(n);
}

/* ---- datagrams ----------------------------------------------------------- */

static void exchange_dgram(TestNic *n, int peer, const struct sockaddr *to,
                           socklen_t tolen)
{
    uint8_t buf[2048];
    guint before = n->frames->len;

    g_assert_cmpint(sendto(peer, big, 1000, 0, to, tolen), ==, 1000);
    TEST_PUMP_UNTIL(n->frames->len == before + 1);
    test_nic_assert_frame(n, before, big, 1000);
    g_assert_true(test_nic_send(n, big + 5, 1500));
    g_assert_cmpint(recv(peer, buf, sizeof(buf), 0), ==, 1500);
    g_assert_cmpmem(buf, 1500, big + 5, 1500);
}

/*
 * A socket,udp= netdev and its peer, a UDP socket on the loopback: *to
 * is the netdev's local address (where the peer sends), *rport the
 * peer's port.
 */
static NetClientState *udp_netdev(int *peer, struct sockaddr_in *to,
                                  int *rport)
{
    int lport = free_port(SOCK_DGRAM);

    *peer = loopback_socket(SOCK_DGRAM, rport);
    *to = (struct sockaddr_in) { .sin_family = AF_INET,
                                 .sin_port = htons(lport),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    return netdev_new_ok("socket,id=u0,udp=127.0.0.1:%d,"
                         "localaddr=127.0.0.1:%d", *rport, lport);
}

static void test_udp(void)
{
    int peer, rport;
    struct sockaddr_in to;
    NetClientState *nc = udp_netdev(&peer, &to, &rport);
    TestNic *n = nic_on(nc);

    assert_info(nc, "socket: udp=127.0.0.1:%d", rport);
    exchange_dgram(n, peer, (struct sockaddr *)&to, sizeof(to));
    close(peer);
    teardown(n);
}

/*
 * Datagrams waiting are read in one wake-up (a burst), up to the one the
 * NIC has no room for, which is queued while the rest stay unread in the
 * socket; all come in order once the NIC has room again.
 */
static void test_udp_burst(void)
{
    int peer, rport;
    struct sockaddr_in to;
    TestNic *n = nic_on(udp_netdev(&peer, &to, &rport));

    n->room = 2;
    for (int i = 0; i < 5; i++) {
        g_assert_cmpint(sendto(peer, big + i, 100 + i, 0,
                               (struct sockaddr *)&to, sizeof(to)),
                        ==, 100 + i);
    }
    g_main_context_iteration(NULL, TRUE);
    g_assert_cmpuint(n->frames->len, ==, 2);
    /* the third is queued for the NIC, the rest left in the socket */
    test_pump_ready();
    g_assert_cmpuint(n->frames->len, ==, 2);

    test_nic_set_room(n, -1);
    TEST_PUMP_UNTIL(n->frames->len == 5);
    for (int i = 0; i < 5; i++) {
        test_nic_assert_frame(n, i, big + i, 100 + i);
    }
    close(peer);
    teardown(n);
}

static void test_dgram_inet(void)
{
    int rport, peer = loopback_socket(SOCK_DGRAM, &rport);
    int lport = free_port(SOCK_DGRAM);
    struct sockaddr_in to = { .sin_family = AF_INET,
                              .sin_port = htons(lport),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    NetClientState *nc = netdev_new_ok(
        "dgram,id=d0,local.type=inet,local.host=127.0.0.1,local.port=%d,"
        "remote.type=inet,remote.host=127.0.0.1,remote.port=%d", lport,
        rport);
    TestNic *n = nic_on(nc);

    assert_info(nc, "udp=127.0.0.1:%d/127.0.0.1:%d", lport, rport);
    exchange_dgram(n, peer, (struct sockaddr *)&to, sizeof(to));
    close(peer);
    teardown(n);
}

static void test_dgram_unix(void)
{
    g_autofree char *dir = g_dir_make_tmp("net-dgram-XXXXXX", NULL);
    g_autofree char *lpath = g_build_filename(dir, "local", NULL);
    g_autofree char *rpath = g_build_filename(dir, "remote", NULL);
    struct sockaddr_un to = { .sun_family = AF_UNIX };
    struct sockaddr_un me = { .sun_family = AF_UNIX };
    int peer = socket(AF_UNIX, SOCK_DGRAM, 0);
    NetClientState *nc;
    TestNic *n;

    g_strlcpy(me.sun_path, rpath, sizeof(me.sun_path));
    g_strlcpy(to.sun_path, lpath, sizeof(to.sun_path));
    g_assert_cmpint(bind(peer, (struct sockaddr *)&me, sizeof(me)), ==, 0);
    nc = netdev_new_ok("dgram,id=d0,local.type=unix,local.path=%s,"
                       "remote.type=unix,remote.path=%s", lpath, rpath);
    n = nic_on(nc);
    exchange_dgram(n, peer, (struct sockaddr *)&to, sizeof(to));
    close(peer);
    teardown(n);
    unlink(lpath);
    unlink(rpath);
    rmdir(dir);
}

/* dgram local.type=fd on a socketpair: both ways, and a NIC without room */
static void test_dgram_fd(void)
{
    NetClientState *nc;
    TestNic *n;
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), ==, 0);
    nc = netdev_new_ok("dgram,id=d0,local.type=fd,local.str=%d", sv[1]);
    n = nic_on(nc);
    assert_info(nc, "fd=%d unix", sv[1]);
    exchange_dgram(n, sv[0], NULL, 0);

    n->room = 0;
    for (int i = 0; i < 3; i++) {
        write_all(sv[0], big + i, 200 + i);
    }
    /* one taken and queued; the rest wait in the socket (FIONREAD: the
     * next datagram's size) */
    TEST_PUMP_UNTIL(unread_bytes(sv[1]) == 201);
    test_pump_ready();
    g_assert_cmpint(unread_bytes(sv[1]), ==, 201);
    g_assert_cmpuint(n->frames->len, ==, 1);
    test_nic_set_room(n, -1);
    TEST_PUMP_UNTIL(n->frames->len == 4);
    for (int i = 0; i < 3; i++) {
        test_nic_assert_frame(n, 1 + i, big + i, 200 + i);
    }
    close(sv[0]);
    teardown(n);
}

/* ---- stream -------------------------------------------------------------- */

static int connect_unix_path(const void *path)
{
    return unix_connect(path);
}

static void test_stream_server_unix(void)
{
    g_autofree char *dir = g_dir_make_tmp("net-stream-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "sock", NULL);
    NetClientState *nc = netdev_new_ok("stream,id=t0,server=on,"
                                       "addr.type=unix,addr.path=%s", path);
    TestNic *n = nic_on(nc);
    int peer;

    g_assert_cmpint(nc->info->type, ==, NET_CLIENT_DRIVER_STREAM);
    check_listener(nc, n, connect_unix_path, path);
    peer = unix_connect(path);
    TEST_PUMP_UNTIL(!nc->link_down);
    assert_info(nc, "unix:%s", path);
    close(peer);
    teardown(n);
    unlink(path);
    rmdir(dir);
}

static void test_stream_server_inet(void)
{
    int port = free_port(SOCK_STREAM);
    NetClientState *nc = netdev_new_ok("stream,id=t0,server=on,"
                                       "addr.type=inet,addr.host=127.0.0.1,"
                                       "addr.port=%d", port);
    TestNic *n = nic_on(nc);

    check_listener(nc, n, connect_tcp_port, &port);
    teardown(n);
}

static void test_stream_client(void)
{
    int port, lfd = loopback_socket(SOCK_STREAM, &port), peer;
    NetClientState *nc;
    TestNic *n;

    g_assert_cmpint(listen(lfd, 1), ==, 0);
    nc = netdev_new_ok("stream,id=t0,addr.type=inet,addr.host=127.0.0.1,"
                       "addr.port=%d", port);
    n = nic_on(nc);
    peer = accept(lfd, NULL, NULL);
    TEST_PUMP_UNTIL(!nc->link_down);
    assert_info(nc, "tcp:127.0.0.1:%d", port);
    exchange_stream(n, peer, 4);
    /* TCP's buffers grow as they please: stalls or not, all in order */
    stalled_transfer(n, peer, 20, 60000);
    close(peer);
    close(lfd);
    TEST_PUMP_UNTIL(nc->link_down);
    teardown(n);
}

/* 7.2 connects in a task: a refused connect is no error, the link stays
 * down with "connection error" as its info */
static void test_stream_client_refused(void)
{
    NetClientState *nc = netdev_new_ok(
        "stream,id=t0,addr.type=inet,addr.host=127.0.0.1,addr.port=%d",
        free_port(SOCK_STREAM));
    TestNic *n = nic_on(nc);

    TEST_PUMP_UNTIL(!strcmp(nc->info_str, "connection error"));
    g_assert_true(nc->link_down);
    g_assert_true(test_nic_send(n, big, 60));
    teardown(n);
}

/* ---- errors (each checked against QEMU 7.2) ------------------------------ */

typedef struct ErrorCase {
    const char *spec;
    const char *error;      /* a prefix */
} ErrorCase;

static void test_errors(void)
{
    static const ErrorCase cases[] = {
        { "socket,id=n0",
          "exactly one of listen=, connect=, mcast= or udp= is required" },
        { "socket,id=n0,listen=:0,connect=:1",
          "exactly one of listen=, connect=, mcast= or udp= is required" },
        { "socket,id=n0,listen=foo", "host address 'foo' doesn't contain "
          "':' separating host from port" },
        { "socket,id=n0,listen=:abc", "port number 'abc' is invalid" },
        { "socket,id=n0,listen=1.2.3.4.5:5",
          "host address '1.2.3.4.5' is not a valid IPv4 address" },
        { "socket,id=n0,localaddr=1.2.3.4,listen=:1",
          "localaddr= is only valid with mcast= or udp=" },
        { "socket,id=n0,udp=127.0.0.1:5",
          "localaddr= is mandatory with udp=" },
        { "socket,id=n0,mcast=127.0.0.1:5", "specified mcastaddr 127.0.0.1 "
          "(0x7f000001) does not contain a multicast address" },
        { "socket,id=n0,mcast=230.0.0.1:5,localaddr=x",
          "localaddr 'x' is not a valid IPv4 address" },
        { "socket,id=n0,fd=0", "can't get socket option SO_TYPE" },
        { "socket,id=n0,fd=x", "Invalid file descriptor number 'x'" },
        { "socket,id=n0,listen=1.2.3.4:5",
          "can't bind ip=1.2.3.4 to socket: Cannot assign requested address" },
        { "stream,id=n0", "Parameter 'addr' is missing" },
        { "stream,id=n0,addr.type=foo",
          "Parameter 'type' does not accept value 'foo'" },
        { "stream,id=n0,addr.host=x", "Parameter 'addr.type' is missing" },
        { "stream,id=n0,addr.type=inet", "Parameter 'addr.host' is missing" },
        { "stream,id=n0,addr.type=inet,addr.host=x",
          "Parameter 'addr.port' is missing" },
        { "stream,id=n0,addr.type=unix", "Parameter 'addr.path' is missing" },
        { "stream,id=n0,addr.type=fd", "Parameter 'addr.str' is missing" },
        { "stream,id=n0,addr.type=inet,addr.host=h,addr.port=1,addr.path=x",
          "Parameter 'addr.path' is unexpected" },
        { "dgram,id=n0", "dgram requires local= parameter" },
        { "dgram,id=n0,local.host=1", "Parameter 'local.type' is missing" },
        { "dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=0",
          "type=inet or type=unix requires remote parameter" },
        { "dgram,id=n0,local.type=unix,local.path=/nonexist/a,"
          "remote.type=unix,remote.path=/tmp/b",
          "can't bind unix=/nonexist/a to socket: No such file or directory" },
        { "dgram,id=n0,local.type=fd,local.str=0,remote.type=inet,"
          "remote.host=1.2.3.4,remote.port=1",
          "don't set remote with local.fd" },
        { "dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=0,"
          "remote.type=unix,remote.path=/x",
          "remote and local types must be the same" },
        { "dgram,id=n0,local.type=fd,local.str=0",
          "Unable to query local socket address: Socket operation on "
          "non-socket" },
        { "dgram,id=n0,local.type=vsock,local.cid=1,local.port=2,"
          "remote.type=vsock,remote.cid=1,remote.port=2",
          "only support inet or fd type for local" },
        { "dgram,id=n0,local.type=unix,local.path=/x,remote.type=inet,"
          "remote.host=230.0.0.1,remote.port=5",
          "only support inet or fd type for local" },
    };
    int null = open("/dev/null", O_RDONLY);

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *msg = NULL;

        /* fd 0 is no socket, as in the QEMU runs these were taken from
         * (and a failed fd= is closed, as QEMU closes it) */
        g_assert_cmpint(dup2(null, 0), ==, 0);
        msg = test_netdev_error(cases[i].spec);

        if (!g_str_has_prefix(msg, cases[i].error)) {
            g_error("%s: got \"%s\", want \"%s\"", cases[i].spec, msg,
                    cases[i].error);
        }
        g_assert_null(qemu_find_netdev("n0"));
    }
    close(null);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    fill_big();
    net_socket_register();
    net_stream_register();
    net_dgram_register();
    vm_start();
    g_test_add_func("/net/socket/fd-stream-frames", test_fd_stream_frames);
    g_test_add_func("/net/socket/rx-backpressure", test_rx_backpressure);
    g_test_add_func("/net/socket/tx-stalled-peer", test_tx_stalled_peer);
    g_test_add_func("/net/socket/oversized-frame", test_oversized_frame);
    g_test_add_func("/net/socket/listen-reconnect", test_listen_reconnect);
    g_test_add_func("/net/socket/connect", test_connect);
    g_test_add_func("/net/socket/udp", test_udp);
    g_test_add_func("/net/socket/udp-burst", test_udp_burst);
    g_test_add_func("/net/dgram/inet", test_dgram_inet);
    g_test_add_func("/net/dgram/unix", test_dgram_unix);
    g_test_add_func("/net/dgram/fd", test_dgram_fd);
    g_test_add_func("/net/stream/server-unix", test_stream_server_unix);
    g_test_add_func("/net/stream/server-inet", test_stream_server_inet);
    g_test_add_func("/net/stream/client", test_stream_client);
    g_test_add_func("/net/stream/client-refused", test_stream_client_refused);
    g_test_add_func("/net/errors", test_errors);
    return g_test_run();
}
