/*
 * Unit tests for -netdev tap (net/tap.c) on real tap devices, in a
 * network namespace of the test's own (unshare(CLONE_NEWNET): root
 * only, skipped otherwise), with a fake NIC as the peer and an
 * AF_PACKET socket as the host side of the interface: frames both ways,
 * short frames padded for a NIC that needs it, the vnet header (absent
 * for the NIC until it asks, then passed through), a NIC without room
 * (the tap is not read until it has), the up and down scripts, a tap
 * that vanishes (reported once, never polled again, the NIC's frames
 * dropped), multiqueue, a bridge helper, and QEMU 7.2's errors.
 */
#include "qemu/osdep.h"
#include <sched.h>
#include <sys/stat.h>
#include <poll.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "net/clients.h"
#include "net-test-nic.h"
#include "system/runstate.h"

#define TEST_ETHERTYPE 0x88b5     /* IEEE local experimental */

static const char *skip_reason;

static bool skipped(void)
{
    if (skip_reason) {
        g_test_skip(skip_reason);
    }
    return skip_reason != NULL;
}

/* A tap the test owns; ifname "tstN" */
static int tap_create(const char *name, int flags)
{
    struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | flags };
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(ifr.ifr_name, name, IFNAMSIZ);
    g_assert_cmpint(ioctl(fd, TUNSETIFF, &ifr), ==, 0);
    return fd;
}

/* The interface up, with no IPv6 chatter, and a packet socket on it */
static int host_side(const char *name)
{
    g_autofree char *v6 = g_strdup_printf(
        "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
    struct ifreq ifr = { 0 };
    struct sockaddr_ll sll = { .sll_family = AF_PACKET,
                               .sll_protocol = htons(ETH_P_ALL) };
    int s = socket(AF_INET, SOCK_DGRAM, 0), p;

    g_file_set_contents(v6, "1", 1, NULL);
    g_strlcpy(ifr.ifr_name, name, IFNAMSIZ);
    g_assert_cmpint(ioctl(s, SIOCGIFFLAGS, &ifr), ==, 0);
    ifr.ifr_flags |= IFF_UP;
    g_assert_cmpint(ioctl(s, SIOCSIFFLAGS, &ifr), ==, 0);
    close(s);
    p = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    g_assert_cmpint(p, >=, 0);
    sll.sll_ifindex = if_nametoindex(name);
    g_assert_cmpint(bind(p, (struct sockaddr *)&sll, sizeof(sll)), ==, 0);
    return p;
}

/* A test frame: broadcast, ours, TEST_ETHERTYPE, a numbered payload */
static size_t make_frame(uint8_t *buf, size_t size, unsigned n)
{
    static const uint8_t hdr[14] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1,
        TEST_ETHERTYPE >> 8, TEST_ETHERTYPE & 0xff,
    };

    memcpy(buf, hdr, sizeof(hdr));
    for (size_t i = sizeof(hdr); i < size; i++) {
        buf[i] = n + i;
    }
    return size;
}

static bool is_test_frame(const uint8_t *buf, size_t len, size_t off)
{
    return len >= off + 14 && buf[off + 12] == (TEST_ETHERTYPE >> 8) &&
           buf[off + 13] == (TEST_ETHERTYPE & 0xff);
}

/* The next test frame the host side sees (others ignored) */
static size_t host_recv(int p, uint8_t *buf, size_t size)
{
    for (;;) {
        struct sockaddr_ll from;
        socklen_t len = sizeof(from);
        ssize_t r = recvfrom(p, buf, size, 0, (struct sockaddr *)&from,
                             &len);

        if (r < 0 && errno == ENETDOWN) {
            continue;   /* reported once after the link went down */
        }
        g_assert_cmpint(r, >, 0);
        if (from.sll_pkttype != PACKET_OUTGOING &&
            is_test_frame(buf, r, 0)) {
            return r;
        }
    }
}

/* The NIC's test frames (the kernel may send others) */
static GPtrArray *nic_test_frames(TestNic *n, size_t off)
{
    GPtrArray *out = g_ptr_array_new();

    for (guint i = 0; i < n->frames->len; i++) {
        gsize len;
        const uint8_t *d = g_bytes_get_data(n->frames->pdata[i], &len);

        if (is_test_frame(d, len, off)) {
            g_ptr_array_add(out, n->frames->pdata[i]);
        }
    }
    return out;
}

static guint nic_test_count(TestNic *n, size_t off)
{
    g_autoptr(GPtrArray) f = nic_test_frames(n, off);

    return f->len;
}

static void nic_assert_test_frame(TestNic *n, guint i, size_t off,
                                  const uint8_t *buf, size_t size)
{
    g_autoptr(GPtrArray) f = nic_test_frames(n, off);
    gsize len;
    const uint8_t *d;

    g_assert_cmpuint(f->len, >, i);
    d = g_bytes_get_data(f->pdata[i], &len);
    g_assert_cmpuint(len, ==, off + size);
    g_assert_cmpmem(d + off, size, buf, size);
}

static NetClientState *netdev_ok(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static NetClientState *netdev_ok(const char *fmt, ...)
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

/* Both ways through a tap given as fd= */
static void test_fd_frames(void)
{
    uint8_t out[200], in[2048];
    NetClientState *nc;
    g_autofree char *info = NULL;
    TestNic *n;
    int fd, p;

    if (skipped()) {
        return;
    }
    fd = tap_create("tst0", 0);
    p = host_side("tst0");
    nc = netdev_ok("tap,id=t0,fd=%d", fd);
    info = g_strdup_printf("fd=%d", fd);
    g_assert_cmpstr(nc->info_str, ==, info);
    g_assert_false(qemu_has_vnet_hdr(nc));
    n = test_nic_new(&nc, 1);

    /* NIC to host */
    make_frame(out, 100, 1);
    g_assert_true(test_nic_send(n, out, 100));
    g_assert_cmpuint(host_recv(p, in, sizeof(in)), ==, 100);
    g_assert_cmpmem(in, 100, out, 100);

    /* host to NIC, and a short one padded to 60 bytes for this NIC */
    make_frame(out, 150, 2);
    g_assert_cmpint(send(p, out, 150, 0), ==, 150);
    TEST_PUMP_UNTIL(nic_test_count(n, 0) == 1);
    nic_assert_test_frame(n, 0, 0, out, 150);
    make_frame(out, 42, 3);
    g_assert_cmpint(send(p, out, 42, 0), ==, 42);
    TEST_PUMP_UNTIL(nic_test_count(n, 0) == 2);
    memset(out + 42, 0, 60 - 42);
    nic_assert_test_frame(n, 1, 0, out, 60);

    test_nic_free(n);
    net_cleanup();
    close(p);
}

/* IFF_VNET_HDR: stripped for a NIC that does not use it, else kept */
static void test_vnet_hdr(void)
{
    uint8_t out[12 + 200] = { 0 }, in[2048];
    NetClientState *nc;
    TestNic *n;
    int fd, p;

    if (skipped()) {
        return;
    }
    fd = tap_create("tst1", IFF_VNET_HDR);
    p = host_side("tst1");
    nc = netdev_ok("tap,id=t0,fd=%d", fd);
    n = test_nic_new(&nc, 1);
    g_assert_true(qemu_has_vnet_hdr(nc));
    g_assert_true(qemu_has_vnet_hdr_len(nc, 12));

    make_frame(out, 100, 4);
    g_assert_true(test_nic_send(n, out, 100));
    g_assert_cmpuint(host_recv(p, in, sizeof(in)), ==, 100);
    g_assert_cmpmem(in, 100, out, 100);
    make_frame(out, 120, 5);
    g_assert_cmpint(send(p, out, 120, 0), ==, 120);
    TEST_PUMP_UNTIL(nic_test_count(n, 0) == 1);
    nic_assert_test_frame(n, 0, 0, out, 120);

    /* virtio-net's way: a 12-byte header on every frame, both ways */
    qemu_set_vnet_hdr_len(nc, 12);
    qemu_using_vnet_hdr(nc, true);
    qemu_set_offload(nc, 1, 1, 1, 0, 0);
    g_assert_cmpint(qemu_set_vnet_le(nc, true), ==, 0);
    memset(out, 0, 12);
    make_frame(out + 12, 130, 6);
    g_assert_true(test_nic_send(n, out, 12 + 130));
    g_assert_cmpuint(host_recv(p, in, sizeof(in)), ==, 130);
    g_assert_cmpmem(in, 130, out + 12, 130);
    make_frame(out, 140, 7);
    g_assert_cmpint(send(p, out, 140, 0), ==, 140);
    TEST_PUMP_UNTIL(nic_test_count(n, 12) == 1);
    nic_assert_test_frame(n, 0, 12, out, 140);

    test_nic_free(n);
    net_cleanup();
    close(p);
}

static bool fd_readable(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    return poll(&pfd, 1, 0) == 1;
}

/* A NIC without room: one frame queued, the rest left in the tap */
static void test_rx_backpressure(void)
{
    uint8_t out[3][100];
    NetClientState *nc;
    TestNic *n;
    int fd, p;

    if (skipped()) {
        return;
    }
    fd = tap_create("tst2", 0);
    p = host_side("tst2");
    nc = netdev_ok("tap,id=t0,fd=%d", fd);
    n = test_nic_new(&nc, 1);
    n->room = 0;
    for (int i = 0; i < 3; i++) {
        make_frame(out[i], 100, 10 + i);
        g_assert_cmpint(send(p, out[i], 100, 0), ==, 100);
    }
    test_pump_ready();
    /* the first was read and waits in the queue; the tap keeps the rest */
    g_assert_cmpuint(n->frames->len, ==, 0);
    g_assert_true(fd_readable(fd));

    /* room: the queued frame at once, then the tap is read again */
    test_nic_set_room(n, -1);
    g_assert_cmpuint(n->frames->len, ==, 1);
    TEST_PUMP_UNTIL(nic_test_count(n, 0) == 3);
    for (int i = 0; i < 3; i++) {
        nic_assert_test_frame(n, i, 0, out[i], 100);
    }
    test_nic_free(n);
    net_cleanup();
    close(p);
}

static char *write_script(const char *dir, const char *name,
                          const char *log, int status)
{
    char *path = g_build_filename(dir, name, NULL);
    g_autofree char *text = g_strdup_printf(
        "#!/bin/sh\necho \"%s $1\" >> %s\nexit %d\n", name, log, status);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_assert_cmpint(chmod(path, 0755), ==, 0);
    return path;
}

/* ifname=, the scripts run with it, the interface gone with the netdev */
static void test_ifname_scripts(void)
{
    g_autofree char *dir = NULL, *log = NULL, *up = NULL, *down = NULL;
    g_autofree char *bad = NULL, *text = NULL, *msg = NULL, *want = NULL;
    g_autofree char *spec = NULL;
    NetClientState *nc;

    if (skipped()) {
        return;
    }
    dir = g_dir_make_tmp("net-tap-XXXXXX", NULL);
    log = g_build_filename(dir, "log", NULL);
    up = write_script(dir, "up", log, 0);
    down = write_script(dir, "down", log, 0);
    bad = write_script(dir, "bad", log, 3);

    nc = netdev_ok("tap,id=t0,ifname=tst3,script=%s,downscript=%s", up,
                   down);
    want = g_strdup_printf("ifname=tst3,script=%s,downscript=%s", up, down);
    g_assert_cmpstr(nc->info_str, ==, want);
    g_assert_cmpuint(if_nametoindex("tst3"), !=, 0);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "up tst3\n");
    g_clear_pointer(&text, g_free);
    net_cleanup();
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "up tst3\ndown tst3\n");
    g_assert_cmpuint(if_nametoindex("tst3"), ==, 0);

    /* a failing script: QEMU's raw wait status, nothing left behind */
    spec = g_strdup_printf("tap,id=t0,ifname=tst4,script=%s,downscript=no",
                           bad);
    msg = test_netdev_error(spec);
    g_clear_pointer(&want, g_free);
    want = g_strdup_printf("network script %s failed with status 768", bad);
    g_assert_cmpstr(msg, ==, want);
    g_assert_cmpuint(if_nametoindex("tst4"), ==, 0);

    /* the default name: tap0, tap1, ... */
    nc = netdev_ok("tap,id=t0,script=no,downscript=no");
    g_assert_true(g_str_has_prefix(nc->info_str, "ifname=tap"));
    net_cleanup();

    unlink(up);
    unlink(down);
    unlink(bad);
    unlink(log);
    rmdir(dir);
}

/* A program that exits with the netdev there still runs its downscript */
static void test_downscript_at_exit(void)
{
    g_autofree char *dir = NULL, *log = NULL, *down = NULL, *text = NULL;

    if (skipped()) {
        return;
    }
    if (g_test_subprocess()) {
        netdev_ok("tap,id=t0,ifname=tst10,script=no,downscript=%s",
                  getenv("TEST_TAP_DOWN"));
        exit(0);
    }
    dir = g_dir_make_tmp("net-tap-XXXXXX", NULL);
    log = g_build_filename(dir, "log", NULL);
    down = write_script(dir, "down", log, 0);
    g_setenv("TEST_TAP_DOWN", down, true);
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "down tst10\n");
    unlink(down);
    unlink(log);
    rmdir(dir);
}

/* The interface deleted under the netdev: reported once, not polled */
static void test_vanish(void)
{
    const char *argv[] = { "ip", "link", "del", "tst5", NULL };
    uint8_t out[100];
    NetClientState *nc;
    TestNic *n;
    int status, p;

    if (skipped()) {
        return;
    }
    nc = netdev_ok("tap,id=t0,ifname=tst5,script=no,downscript=no");
    p = host_side("tst5");
    n = test_nic_new(&nc, 1);
    make_frame(out, 100, 20);
    g_assert_cmpint(send(p, out, 100, 0), ==, 100);
    TEST_PUMP_UNTIL(nic_test_count(n, 0) == 1);

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH,
                      NULL, NULL, NULL, NULL, &status, NULL) ||
        status != 0) {
        g_test_skip("ip link del failed (iproute2 missing?)");
    } else {
        g_assert_cmpuint(if_nametoindex("tst5"), ==, 0);
        /* a watch left on the dead fd would make this loop forever */
        test_pump_ready();
        g_assert_true(test_nic_send(n, out, 100));
        g_assert_true(test_nic_send(n, out, 100));
        test_pump_ready();
    }
    test_nic_free(n);
    net_cleanup();
    close(p);
}

static void set_link(const char *name, bool up)
{
    struct ifreq ifr = { 0 };
    int s = socket(AF_INET, SOCK_DGRAM, 0);

    g_strlcpy(ifr.ifr_name, name, IFNAMSIZ);
    g_assert_cmpint(ioctl(s, SIOCGIFFLAGS, &ifr), ==, 0);
    ifr.ifr_flags = up ? ifr.ifr_flags | IFF_UP : ifr.ifr_flags & ~IFF_UP;
    g_assert_cmpint(ioctl(s, SIOCSIFFLAGS, &ifr), ==, 0);
    close(s);
}

/*
 * A tap that is down when the guest sends (script=no, configured later):
 * the kernel answers EIO and that frame is dropped, as QEMU 7.2 drops it;
 * once the interface is up the next frames go through.
 */
static void test_down_then_up(void)
{
    struct timeval timeout = { .tv_sec = 30 };
    uint8_t out[100], in[2048];
    NetClientState *nc;
    TestNic *n;
    int p;

    if (skipped()) {
        return;
    }
    nc = netdev_ok("tap,id=t0,ifname=tst7,script=no,downscript=no");
    p = host_side("tst7");
    /* a dead tap would deliver nothing: fail, not hang */
    g_assert_cmpint(setsockopt(p, SOL_SOCKET, SO_RCVTIMEO, &timeout,
                               sizeof(timeout)), ==, 0);
    n = test_nic_new(&nc, 1);
    set_link("tst7", false);
    make_frame(out, 100, 40);
    g_assert_true(test_nic_send(n, out, 100));
    test_pump_ready();

    set_link("tst7", true);
    make_frame(out, 100, 41);
    g_assert_true(test_nic_send(n, out, 100));
    g_assert_cmpuint(host_recv(p, in, sizeof(in)), ==, 100);
    g_assert_cmpmem(in, 100, out, 100);
    test_nic_free(n);
    net_cleanup();
    close(p);
}

/* queues=2: a client per queue, each a queue of the same interface */
static void test_multiqueue(void)
{
    uint8_t out[100], in[2048];
    NetClientState *nc;
    TestNic *n;
    int p;

    if (skipped()) {
        return;
    }
    nc = netdev_ok("tap,id=t0,ifname=tst6,queues=2,script=no,downscript=no");
    g_assert_cmpstr(nc->info_str, ==,
                    "ifname=tst6,script=no,downscript=no");
    p = host_side("tst6");
    n = test_nic_new(&nc, 1);
    make_frame(out, 100, 30);

    /* a detached queue drops what the NIC sends (the kernel's EBADFD
     * there is no vanished tap) and is fine once attached again */
    g_assert_cmpint(nc->info->set_queue_enabled(nc, false), ==, 0);
    g_assert_true(test_nic_send(n, out, 100));
    g_assert_cmpint(nc->info->set_queue_enabled(nc, true), ==, 0);
    g_assert_true(test_nic_send(n, out, 100));
    g_assert_cmpuint(host_recv(p, in, sizeof(in)), ==, 100);
    g_assert_cmpmem(in, 100, out, 100);

    test_nic_free(n);
    net_cleanup();
    close(p);
    g_assert_cmpuint(if_nametoindex("tst6"), ==, 0);
}

/*
 * helper=: a bridge helper of the test's own (python3) makes the tap
 * and passes its fd back, as qemu-bridge-helper does
 */
static const char helper_text[] =
    "#!/usr/bin/env python3\n"
    "import array, fcntl, os, socket, struct, sys\n"
    "args = dict(a.split('=', 1) for a in sys.argv[1:] if '=' in a)\n"
    "t = os.open('/dev/net/tun', os.O_RDWR)\n"
    "fcntl.ioctl(t, 0x400454ca, struct.pack('16sH', b'tst9', 0x5002))\n"
    "s = socket.socket(fileno=int(args['--fd']))\n"
    "s.sendmsg([b'x'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,\n"
    "                    array.array('i', [t]))])\n"
    "open(sys.argv[0] + '.log', 'w').write(' '.join(sys.argv[1:]))\n";

static void test_bridge_helper(void)
{
    g_autofree char *dir = NULL, *helper = NULL, *log = NULL;
    g_autofree char *text = NULL, *want = NULL;
    g_autofree char *python = g_find_program_in_path("python3");
    NetClientState *nc;

    if (skipped()) {
        return;
    }
    if (!python) {
        g_test_skip("no python3 for the fake bridge helper");
        return;
    }
    dir = g_dir_make_tmp("net-tap-XXXXXX", NULL);
    helper = g_build_filename(dir, "helper", NULL);
    log = g_strconcat(helper, ".log", NULL);
    g_assert_true(g_file_set_contents(helper, helper_text, -1, NULL));
    g_assert_cmpint(chmod(helper, 0755), ==, 0);

    nc = netdev_ok("tap,id=t0,helper=%s,br=brx", helper);
    g_assert_cmpstr(nc->model, ==, "bridge");
    want = g_strdup_printf("helper=%s", helper);
    g_assert_cmpstr(nc->info_str, ==, want);
    g_assert_true(qemu_has_vnet_hdr(nc));
    g_assert_cmpuint(if_nametoindex("tst9"), !=, 0);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_true(g_str_has_prefix(text, "--use-vnet --fd="));
    g_assert_true(g_str_has_suffix(text, " --br=brx"));
    net_cleanup();
    g_assert_cmpuint(if_nametoindex("tst9"), ==, 0);
    unlink(log);
    unlink(helper);
    rmdir(dir);
}

typedef struct ErrorCase {
    const char *spec;       /* %d: a non-tap fd */
    const char *error;      /* %d likewise */
} ErrorCase;

/* Each checked against QEMU 7.2 */
static void test_errors(void)
{
    static const ErrorCase cases[] = {
        { "tap,id=n0,fd=foo", "Invalid file descriptor number 'foo'" },
        { "tap,id=n0,fd=%d",
          "Unable to query TUNGETIFF on FD %d: Inappropriate ioctl for "
          "device" },
        { "tap,id=n0,fds=%d:%d",
          "Unable to query TUNGETIFF on FD %d: Inappropriate ioctl for "
          "device" },
        { "tap,id=n0,fd=3,ifname=x", "ifname=, script=, downscript=, "
          "vnet_hdr=, helper=, queues=, fds=, and vhostfds= are invalid "
          "with fd=" },
        { "tap,id=n0,fds=3,queues=2", "ifname=, script=, downscript=, "
          "vnet_hdr=, helper=, queues=, and vhostfd= are invalid with "
          "fds=" },
        { "tap,id=n0,fds=3:4,vhostfds=5", "The number of fds passed does "
          "not match the number of vhostfds passed" },
        { "tap,id=n0,vhostfds=1",
          "vhostfds= is invalid if fds= wasn't specified" },
        { "tap,id=n0,ifname=tst7,script=/nonexistent,downscript=no",
          "network script /nonexistent failed with status 256" },
        { "tap,id=n0,ifname=a/b,script=no",
          "could not configure /dev/net/tun (a/b): Invalid argument" },
        { "tap,id=n0,ifname=tst8,vhost=on,script=no,downscript=no",
          "vhost-net requested but could not be initialized" },
        { "tap,id=n0,ifname=tst8,vhostforce=on,script=no,downscript=no",
          "vhost-net requested but could not be initialized" },
        { "tap,id=n0,ifname=tst8,vhostfd=5,script=no,downscript=no",
          "vhost-net requested but could not be initialized" },
        { "tap,id=n0,ifname=tst8,vhost=off,vhostfd=5,script=no,"
          "downscript=no", "vhostfd(s)= is not valid without vhost" },
        { "tap,id=n0,queues=0,script=no",
          "tap: queues=0: a tap needs at least one queue" },
        { "tap,id=n0,fds=", "Invalid file descriptor number ''" },
        { "tap,id=n0,helper=/bin/false", "bridge helper failed" },
        { "tap,id=n0,helper=/bin/true",
          "failed to recv file descriptor: Broken pipe" },
        { "tap,id=n0,helper=/bin/true,ifname=x", "ifname=, script=, "
          "downscript=, vnet_hdr=, queues=, and vhostfds= are invalid with "
          "helper=" },
    };

    if (skipped()) {
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
        g_autofree char *spec = g_strdup_printf(cases[i].spec, nul, nul);
        g_autofree char *want = g_strdup_printf(cases[i].error, nul);
        g_autofree char *msg = test_netdev_error(spec);

        g_assert_cmpstr(msg, ==, want);
        g_assert_null(qemu_find_netdev("n0"));
        g_assert_cmpuint(if_nametoindex("tst7"), ==, 0);
        g_assert_cmpuint(if_nametoindex("tst8"), ==, 0);
        close(nul);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    net_tap_register();
    vm_start();
    if (geteuid() != 0) {
        skip_reason = "not root: tap devices need CAP_NET_ADMIN";
    } else if (unshare(CLONE_NEWNET) != 0) {
        skip_reason = "unshare(CLONE_NEWNET) failed: no network namespace "
                      "of the test's own";
    } else if (access("/dev/net/tun", R_OK | W_OK) != 0) {
        skip_reason = "no /dev/net/tun";
    }
    g_test_add_func("/net/tap/fd-frames", test_fd_frames);
    g_test_add_func("/net/tap/vnet-hdr", test_vnet_hdr);
    g_test_add_func("/net/tap/rx-backpressure", test_rx_backpressure);
    g_test_add_func("/net/tap/ifname-scripts", test_ifname_scripts);
    g_test_add_func("/net/tap/downscript-at-exit", test_downscript_at_exit);
    g_test_add_func("/net/tap/vanish", test_vanish);
    g_test_add_func("/net/tap/down-then-up", test_down_then_up);
    g_test_add_func("/net/tap/multiqueue", test_multiqueue);
    g_test_add_func("/net/tap/bridge-helper", test_bridge_helper);
    g_test_add_func("/net/tap/errors", test_errors);
    return g_test_run();
}
