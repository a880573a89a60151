/*
 * -netdev user (net/slirp.c) driven by a fake guest NIC with synthetic
 * frames, no KVM: DHCP discover -> offer with QEMU's defaults, ARP for
 * the host address, ICMP echo to 10.0.2.2, a TCP connection through a
 * hostfwd= port end to end (the test is both the host-side client and
 * the guest's TCP, built frame by frame), a guestfwd= to a chardev, a NIC
 * that cannot receive, and QEMU 7.2's option errors.
 *
 * Nothing sleeps: the main loop is iterated until the expected frame or
 * bytes arrive, a bounded number of times (libslirp's own timeout wakes
 * the loop at least once a second).
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "chardev/char.h"
#include "net/net.h"
#include "net/net-opts.h"
#include "net/slirp.h"
#include "system/runstate.h"
#include "log-capture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define MAX_ITERATIONS 100

/*
 * LeakSanitizer's hooks: libslirp 4.7's slirp_cleanup never frees the
 * tftp-server-name= copy slirp_new makes (its bug, not ours). The slow
 * unwinder sees through GLib (no frame pointers) to slirp_new.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:slirp_new\n";
}

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}

#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t broadcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/* libslirp's address for the virtual host: 52:55 + its IPv4 address */
static const uint8_t host_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

#define GUEST_IP 0x0a00020f     /* 10.0.2.15 */
#define HOST_IP 0x0a000202      /* 10.0.2.2 */
#define DNS_IP 0x0a000203       /* 10.0.2.3 */

/* ---- The fake guest NIC -------------------------------------------------- */

typedef struct FakeNic {
    NICState nic;               /* first: the core's NIC layout */
    bool can_receive;
    GQueue frames;              /* GByteArray, oldest first */
} FakeNic;

static ssize_t fake_receive(NetClientState *nc, const uint8_t *buf,
                            size_t size)
{
    FakeNic *f = (FakeNic *)qemu_get_nic(nc);
    GByteArray *frame = g_byte_array_sized_new(size);

    g_byte_array_append(frame, buf, size);
    g_queue_push_tail(&f->frames, frame);
    return size;
}

static bool fake_can_receive(NetClientState *nc)
{
    return ((FakeNic *)qemu_get_nic(nc))->can_receive;
}

static const NetClientInfo fake_nic_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(FakeNic),
    .receive = fake_receive,
    .can_receive = fake_can_receive,
};

/* A test's network: -netdev user,id=net0 and a fake NIC on it */
typedef struct TestNet {
    NICConf conf;
    FakeNic *nic;
    NetClientState *nc;         /* the NIC's queue */
    NetClientState *user;
} TestNet;

/*
 * -netdev PARAMS,id=net0 (or PARAMS, a JSON object with its "id") through
 * the net core, as the command line does: parsed (the keys and their
 * types checked), then created.
 */
static bool user_netdev_new(const char *params, Error **errp)
{
    g_autofree char *arg = params[0] == '{' ? g_strdup(params) :
                           g_strdup_printf("%s,id=net0", params);
    bool ok;

    ok = net_client_parse(NET_OPTION_NETDEV, arg, errp) &&
         net_init_clients(errp) == 0;
    net_opts_reset();
    return ok;
}

static void test_net_start(TestNet *t, const char *params)
{
    Error *err = NULL;

    memset(t, 0, sizeof(*t));
    if (!user_netdev_new(params, &err)) {
        g_error("%s: %s", params, error_get_pretty(err));
    }
    t->user = qemu_find_netdev("net0");
    g_assert_nonnull(t->user);
    g_assert_cmpstr(t->user->model, ==, "user");

    t->conf.peers.ncs[0] = t->user;
    t->conf.peers.queues = 1;
    t->nic = (FakeNic *)qemu_new_nic(&fake_nic_info, &t->conf, "fake-nic",
                                     "nic0", t);
    t->nic->can_receive = true;
    g_queue_init(&t->nic->frames);
    t->nc = qemu_get_queue(&t->nic->nic);
    /* As virtio-net: no padding of short frames */
    t->nc->do_not_pad = true;
}

static void frame_free(gpointer data)
{
    g_byte_array_free(data, true);
}

static void test_net_stop(TestNet *t)
{
    g_queue_clear_full(&t->nic->frames, frame_free);
    qemu_del_nic(&t->nic->nic);
    qemu_del_net_client(t->user);
}

static void guest_send(TestNet *t, const GByteArray *frame)
{
    g_assert_cmpint(qemu_send_packet(t->nc, frame->data, frame->len),
                    ==, frame->len);
}

typedef bool FrameMatch(const GByteArray *frame, void *opaque);

/*
 * The first frame that matches, waiting for it in the main loop;
 * frames that do not match are dropped.
 */
static GByteArray *guest_wait(TestNet *t, FrameMatch *match, void *opaque)
{
    int i;

    for (i = 0; i < MAX_ITERATIONS; i++) {
        GByteArray *frame;

        while ((frame = g_queue_pop_head(&t->nic->frames))) {
            if (match(frame, opaque)) {
                return frame;
            }
            g_byte_array_free(frame, true);
        }
        g_main_context_iteration(NULL, true);
    }
    g_error("the expected frame never came");
}

/* ---- A tiny frame builder and reader ------------------------------------- */

static void put16(GByteArray *b, uint16_t v)
{
    uint8_t x[2] = { v >> 8, v };

    g_byte_array_append(b, x, 2);
}

static void put32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = { v >> 24, v >> 16, v >> 8, v };

    g_byte_array_append(b, x, 4);
}

static uint16_t get16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        sum += get16(p + i);
    }
    if (len & 1) {
        sum += p[len - 1] << 8;
    }
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

static GByteArray *eth_frame(const uint8_t *dst, uint16_t type)
{
    GByteArray *b = g_byte_array_new();

    g_byte_array_append(b, dst, 6);
    g_byte_array_append(b, guest_mac, 6);
    put16(b, type);
    return b;
}

/* Ethernet + IPv4 around payload (for TCP/UDP: checksummed by the caller) */
static GByteArray *ipv4_frame(const uint8_t *dst_mac, uint32_t src,
                              uint32_t dst, uint8_t proto,
                              const GByteArray *payload)
{
    GByteArray *b = eth_frame(dst_mac, ETH_P_IP);
    size_t ip = b->len;
    uint16_t sum;

    put16(b, 0x4500);                   /* v4, IHL 5, TOS 0 */
    put16(b, 20 + payload->len);
    put32(b, 0x12340000);               /* id, no fragment */
    put16(b, 64 << 8 | proto);
    put16(b, 0);                        /* checksum, below */
    put32(b, src);
    put32(b, dst);
    sum = csum_fold(csum_add(0, b->data + ip, 20));
    b->data[ip + 10] = sum >> 8;
    b->data[ip + 11] = sum;
    g_byte_array_append(b, payload->data, payload->len);
    return b;
}

/* The TCP/UDP checksum over the IPv4 pseudo-header */
static uint16_t l4_checksum(uint32_t src, uint32_t dst, uint8_t proto,
                            const GByteArray *seg)
{
    uint8_t pseudo[12] = {
        src >> 24, src >> 16, src >> 8, src,
        dst >> 24, dst >> 16, dst >> 8, dst,
        0, proto, seg->len >> 8, seg->len,
    };

    return csum_fold(csum_add(csum_add(0, pseudo, 12), seg->data, seg->len));
}

/* An IPv4 frame's L4 part, or NULL when it is not proto */
static const uint8_t *ipv4_payload(const GByteArray *f, uint8_t proto,
                                   size_t *len)
{
    const uint8_t *ip = f->data + 14;
    size_t ihl;

    if (f->len < 34 || get16(f->data + 12) != ETH_P_IP || ip[9] != proto) {
        return NULL;
    }
    ihl = (ip[0] & 0xf) * 4;
    g_assert_cmpuint(get16(ip + 2), <=, f->len - 14);
    g_assert_cmphex(csum_fold(csum_add(0, ip, ihl)), ==, 0);
    *len = get16(ip + 2) - ihl;
    return ip + ihl;
}

/* ---- ARP ----------------------------------------------------------------- */

static GByteArray *arp_request(uint32_t target)
{
    GByteArray *b = eth_frame(broadcast_mac, ETH_P_ARP);
    uint8_t zero_mac[6] = { 0 };

    put16(b, 1);                        /* Ethernet */
    put16(b, ETH_P_IP);
    put16(b, 6 << 8 | 4);
    put16(b, 1);                        /* request */
    g_byte_array_append(b, guest_mac, 6);
    put32(b, GUEST_IP);
    g_byte_array_append(b, zero_mac, 6);
    put32(b, target);
    return b;
}

static bool is_arp_reply(const GByteArray *f, void *opaque)
{
    return f->len >= 42 && get16(f->data + 12) == ETH_P_ARP &&
           get16(f->data + 20) == 2;
}

/* The guest asks for the host's MAC; libslirp learns the guest's on the way */
static void guest_arp_host(TestNet *t)
{
    g_autoptr(GByteArray) req = arp_request(HOST_IP);
    g_autoptr(GByteArray) reply = NULL;

    guest_send(t, req);
    reply = guest_wait(t, is_arp_reply, NULL);
    g_assert_cmpmem(reply->data, 6, guest_mac, 6);
    g_assert_cmpmem(reply->data + 22, 6, host_mac, 6);      /* sender MAC */
    g_assert_cmphex(get32(reply->data + 28), ==, HOST_IP);  /* sender IP */
    g_assert_cmpmem(reply->data + 32, 6, guest_mac, 6);     /* target MAC */
    g_assert_cmphex(get32(reply->data + 38), ==, GUEST_IP);
}

static void test_arp(void)
{
    TestNet t;

    test_net_start(&t, "user");
    guest_arp_host(&t);
    test_net_stop(&t);
}

/*
 * An idle user network leaves the main loop asleep: its poll waits for
 * the timeout (a 100 ms timer here, as no fd is ready) instead of being
 * woken at every prepare. (Re-arming libslirp's fds at every prepare
 * wakes the context in GLib, and the main loop spun at 100% CPU, which
 * starved the vCPU of a one-CPU host.)
 */
static GPollFunc idle_real_poll;
static unsigned idle_polls, idle_polls_woken;

static gint idle_poll(GPollFD *fds, guint nfds, gint timeout)
{
    gint n = idle_real_poll(fds, nfds, timeout);

    idle_polls++;
    idle_polls_woken += n > 0;
    return n;
}

static gboolean idle_tick(gpointer data)
{
    return G_SOURCE_CONTINUE;
}

static void test_idle_main_loop(void)
{
    GMainContext *ctx = g_main_context_default();
    guint tick;
    TestNet t;

    test_net_start(&t, "user,hostfwd=tcp:127.0.0.1:0-:22");
    /* settle: the first rounds register libslirp's sockets */
    for (int i = 0; i < 3; i++) {
        g_main_context_iteration(ctx, false);
    }
    tick = g_timeout_add(100, idle_tick, NULL);
    idle_real_poll = g_main_context_get_poll_func(ctx);
    g_main_context_set_poll_func(ctx, idle_poll);
    idle_polls = idle_polls_woken = 0;
    for (int i = 0; i < 3; i++) {
        g_main_context_iteration(ctx, true);
    }
    g_main_context_set_poll_func(ctx, idle_real_poll);
    g_source_remove(tick);
    g_assert_cmpuint(idle_polls, >=, 3);
    g_assert_cmpuint(idle_polls_woken, <, idle_polls);
    test_net_stop(&t);
}

/* A NIC that cannot receive: the reply waits in the core, slirp goes on */
static void test_nic_cannot_receive(void)
{
    g_autoptr(GByteArray) req = arp_request(HOST_IP);
    g_autoptr(GByteArray) dns_req = arp_request(DNS_IP);
    GByteArray *reply;
    TestNet t;

    test_net_start(&t, "user");
    t.nic->can_receive = false;
    guest_send(&t, req);
    guest_send(&t, dns_req);
    g_assert_cmpuint(g_queue_get_length(&t.nic->frames), ==, 0);

    t.nic->can_receive = true;
    qemu_flush_queued_packets(t.nc);
    g_assert_cmpuint(g_queue_get_length(&t.nic->frames), ==, 2);
    reply = g_queue_pop_head(&t.nic->frames);
    g_assert_true(is_arp_reply(reply, NULL));
    g_assert_cmphex(get32(reply->data + 28), ==, HOST_IP);
    g_byte_array_free(reply, true);
    reply = g_queue_pop_head(&t.nic->frames);
    g_assert_true(is_arp_reply(reply, NULL));
    g_assert_cmphex(get32(reply->data + 28), ==, DNS_IP);
    g_byte_array_free(reply, true);
    test_net_stop(&t);
}

/* ---- DHCP ---------------------------------------------------------------- */

#define BOOTP_XID 0x5eed1234

static GByteArray *dhcp_discover(void)
{
    g_autoptr(GByteArray) udp = g_byte_array_new();
    uint8_t zeros[202] = { 0 };
    static const uint8_t options[] = {
        99, 130, 83, 99,                /* magic cookie */
        53, 1, 1,                       /* DHCPDISCOVER */
        255,
    };

    put16(udp, 68);
    put16(udp, 67);
    put16(udp, 0);                      /* length, below */
    put16(udp, 0);                      /* no checksum (allowed for UDP) */
    g_byte_array_append(udp, (const uint8_t[]){ 1, 1, 6, 0 }, 4);
    put32(udp, BOOTP_XID);
    put32(udp, 0);                      /* secs, flags */
    g_byte_array_append(udp, zeros, 16);        /* ciaddr .. giaddr */
    g_byte_array_append(udp, guest_mac, 6);
    g_byte_array_append(udp, zeros, 10 + 64 + 128);
    g_byte_array_append(udp, options, sizeof(options));
    udp->data[4] = udp->len >> 8;
    udp->data[5] = udp->len;
    return ipv4_frame(broadcast_mac, 0, 0xffffffff, IPPROTO_UDP, udp);
}

static bool is_bootp_reply(const GByteArray *f, void *opaque)
{
    size_t len;
    const uint8_t *udp = ipv4_payload(f, IPPROTO_UDP, &len);

    return udp && len >= 8 + 240 && get16(udp) == 67 &&
           get16(udp + 2) == 68 && udp[8] == 2 &&
           get32(udp + 8 + 4) == BOOTP_XID;
}

/* The value of DHCP option code, or NULL */
static const uint8_t *dhcp_option(const uint8_t *opt, const uint8_t *end,
                                  uint8_t code, uint8_t *len)
{
    while (opt < end && *opt != 255) {
        if (*opt == 0) {
            opt++;
            continue;
        }
        g_assert_true(opt + 2 <= end && opt + 2 + opt[1] <= end);
        if (*opt == code) {
            *len = opt[1];
            return opt + 2;
        }
        opt += 2 + opt[1];
    }
    return NULL;
}

static void assert_dhcp_addr(const uint8_t *opts, const uint8_t *end,
                             uint8_t code, uint32_t want)
{
    uint8_t len;
    const uint8_t *val = dhcp_option(opts, end, code, &len);

    g_assert_nonnull(val);
    g_assert_cmpuint(len, ==, 4);
    g_assert_cmphex(get32(val), ==, want);
}

static void test_dhcp(void)
{
    g_autoptr(GByteArray) discover = dhcp_discover();
    g_autoptr(GByteArray) offer = NULL;
    const uint8_t *udp, *bootp, *opts, *end;
    const uint8_t *val;
    size_t len;
    uint8_t vlen;
    TestNet t;

    test_net_start(&t, "user,hostname=probe,dnssearch=a.example,"
                   "dnssearch=b.example");
    guest_send(&t, discover);
    offer = guest_wait(&t, is_bootp_reply, NULL);

    udp = ipv4_payload(offer, IPPROTO_UDP, &len);
    bootp = udp + 8;
    end = udp + len;
    g_assert_cmpmem(offer->data + 6, 6, host_mac, 6);
    g_assert_cmphex(get32(bootp + 16), ==, GUEST_IP);       /* yiaddr */
    g_assert_cmpmem(bootp + 28, 6, guest_mac, 6);           /* chaddr */
    opts = bootp + 236;
    g_assert_cmphex(get32(opts), ==, 0x63825363);
    opts += 4;

    val = dhcp_option(opts, end, 53, &vlen);
    g_assert_nonnull(val);
    g_assert_cmpuint(val[0], ==, 2);                        /* DHCPOFFER */
    assert_dhcp_addr(opts, end, 54, HOST_IP);               /* server id */
    assert_dhcp_addr(opts, end, 1, 0xffffff00);             /* netmask */
    assert_dhcp_addr(opts, end, 3, HOST_IP);                /* router */
    assert_dhcp_addr(opts, end, 6, DNS_IP);                 /* DNS */
    val = dhcp_option(opts, end, 12, &vlen);                /* hostname= */
    g_assert_nonnull(val);
    g_assert_cmpmem(val, vlen, "probe", 5);
    /* dnssearch=, both, RFC 3397-encoded */
    val = dhcp_option(opts, end, 119, &vlen);
    g_assert_nonnull(val);
    g_assert_cmpmem(val, 11, "\x01" "a\x07" "example\x00", 11);
    test_net_stop(&t);
}

/* net=, host=, dhcpstart=, dns= reach libslirp */
static void test_dhcp_custom_network(void)
{
    g_autoptr(GByteArray) discover = dhcp_discover();
    g_autoptr(GByteArray) offer = NULL;
    const uint8_t *udp, *opts, *end;
    size_t len;
    TestNet t;

    test_net_start(&t, "user,net=192.168.76.0/24,host=192.168.76.1,"
                   "dhcpstart=192.168.76.100,dns=192.168.76.53");
    guest_send(&t, discover);
    offer = guest_wait(&t, is_bootp_reply, NULL);
    udp = ipv4_payload(offer, IPPROTO_UDP, &len);
    end = udp + len;
    g_assert_cmphex(get32(udp + 8 + 16), ==, 0xc0a84c64);
    opts = udp + 8 + 240;
    assert_dhcp_addr(opts, end, 3, 0xc0a84c01);
    assert_dhcp_addr(opts, end, 6, 0xc0a84c35);
    test_net_stop(&t);
}

/* ---- ICMP ---------------------------------------------------------------- */

static GByteArray *icmp_echo(uint32_t dst, uint16_t id, uint16_t seq,
                             const char *data)
{
    g_autoptr(GByteArray) icmp = g_byte_array_new();
    uint16_t sum;

    put16(icmp, 8 << 8);                /* echo request, code 0 */
    put16(icmp, 0);
    put16(icmp, id);
    put16(icmp, seq);
    g_byte_array_append(icmp, (const uint8_t *)data, strlen(data));
    sum = csum_fold(csum_add(0, icmp->data, icmp->len));
    icmp->data[2] = sum >> 8;
    icmp->data[3] = sum;
    return ipv4_frame(host_mac, GUEST_IP, dst, IPPROTO_ICMP, icmp);
}

static bool is_echo_reply(const GByteArray *f, void *opaque)
{
    size_t len;
    const uint8_t *icmp = ipv4_payload(f, IPPROTO_ICMP, &len);

    return icmp && len >= 8 && icmp[0] == 0;
}

static void test_icmp_echo(void)
{
    g_autoptr(GByteArray) ping = icmp_echo(HOST_IP, 0x77, 3, "microqemu ping!!");
    g_autoptr(GByteArray) pong = NULL;
    const uint8_t *icmp;
    size_t len;
    TestNet t;

    test_net_start(&t, "user");
    guest_arp_host(&t);
    guest_send(&t, ping);
    pong = guest_wait(&t, is_echo_reply, NULL);
    icmp = ipv4_payload(pong, IPPROTO_ICMP, &len);
    g_assert_cmphex(get32(pong->data + 14 + 12), ==, HOST_IP);
    g_assert_cmphex(get32(pong->data + 14 + 16), ==, GUEST_IP);
    g_assert_cmphex(csum_fold(csum_add(0, icmp, len)), ==, 0);
    g_assert_cmpuint(get16(icmp + 4), ==, 0x77);
    g_assert_cmpuint(get16(icmp + 6), ==, 3);
    g_assert_cmpmem(icmp + 8, len - 8, "microqemu ping!!", 16);
    test_net_stop(&t);
}

/*
 * A NIC that wants minimum-size frames gets them padded (QEMU's
 * net_slirp_send_packet): an echo reply without data is 42 bytes.
 */
static void test_short_frame_padded(void)
{
    g_autoptr(GByteArray) ping = icmp_echo(HOST_IP, 1, 1, "");
    GByteArray *pong;
    TestNet t;

    test_net_start(&t, "user");
    guest_arp_host(&t);
    guest_send(&t, ping);
    pong = guest_wait(&t, is_echo_reply, NULL);
    g_assert_cmpuint(pong->len, ==, 42);
    g_byte_array_free(pong, true);

    t.nc->do_not_pad = false;
    guest_send(&t, ping);
    pong = guest_wait(&t, is_echo_reply, NULL);
    g_assert_cmpuint(pong->len, ==, 60);
    g_assert_cmpuint(get16(pong->data + 14 + 2), ==, 28);
    g_byte_array_free(pong, true);
    test_net_stop(&t);
}

/* ---- TCP through hostfwd= ------------------------------------------------ */

/* The guest's side of one TCP connection */
typedef struct GuestTcp {
    uint16_t port;              /* the guest's */
    uint16_t peer_port;         /* libslirp's, from its SYN */
    uint32_t peer_ip;
    uint32_t snd_nxt;
    uint32_t rcv_nxt;
} GuestTcp;

static GByteArray *tcp_frame(GuestTcp *c, uint8_t flags, const char *data)
{
    g_autoptr(GByteArray) seg = g_byte_array_new();
    size_t dlen = data ? strlen(data) : 0;
    uint16_t sum;

    put16(seg, c->port);
    put16(seg, c->peer_port);
    put32(seg, c->snd_nxt);
    put32(seg, c->rcv_nxt);
    put16(seg, 5 << 12 | flags);
    put16(seg, 65535);                  /* window */
    put16(seg, 0);                      /* checksum, below */
    put16(seg, 0);
    g_byte_array_append(seg, (const uint8_t *)data, dlen);
    sum = l4_checksum(GUEST_IP, c->peer_ip, IPPROTO_TCP, seg);
    seg->data[16] = sum >> 8;
    seg->data[17] = sum;
    c->snd_nxt += dlen + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
    return ipv4_frame(host_mac, GUEST_IP, c->peer_ip, IPPROTO_TCP, seg);
}

/* libslirp's TCP checksum is right: the sum over it all folds to 0 */
static void assert_tcp_checksum(const GByteArray *f)
{
    size_t len;
    const uint8_t *tcp = ipv4_payload(f, IPPROTO_TCP, &len);
    GByteArray seg = { .data = (guint8 *)tcp, .len = len };

    g_assert_cmphex(l4_checksum(get32(f->data + 26), get32(f->data + 30),
                                IPPROTO_TCP, &seg), ==, 0);
}

typedef struct TcpMatch {
    uint16_t dst_port;
    uint8_t flags;              /* all of these set */
    bool with_data;
} TcpMatch;

static bool is_tcp(const GByteArray *f, void *opaque)
{
    TcpMatch *m = opaque;
    size_t len;
    const uint8_t *tcp = ipv4_payload(f, IPPROTO_TCP, &len);

    if (!tcp || len < 20 || get16(tcp + 2) != m->dst_port ||
        (tcp[13] & m->flags) != m->flags) {
        return false;
    }
    return !m->with_data || len > (size_t)(tcp[12] >> 4) * 4;
}

static int host_free_port(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t salen = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sa, &salen), ==, 0);
    close(fd);
    return ntohs(sa.sin_port);
}

/* Reads what the host socket has, running the main loop until n bytes */
static void host_read(int fd, char *buf, size_t n)
{
    size_t got = 0;
    int i;

    for (i = 0; i < MAX_ITERATIONS && got < n; i++) {
        ssize_t r = recv(fd, buf + got, n - got, MSG_DONTWAIT);

        if (r > 0) {
            got += r;
        } else {
            g_assert_true(r < 0 && errno == EAGAIN);
            g_main_context_iteration(NULL, true);
        }
    }
    g_assert_cmpuint(got, ==, n);
}

/* A TCP connection through the rule of format (%d: a free host port) */
static void tcp_hostfwd_through(const char *format)
{
    g_autofree char *params = NULL;
    g_autoptr(GByteArray) syn = NULL;
    g_autoptr(GByteArray) data = NULL;
    GByteArray *frame;
    struct sockaddr_in sa = { .sin_family = AF_INET };
    GuestTcp c = { .port = 22, .snd_nxt = 0x10000000 };
    TcpMatch m = { .dst_port = 22 };
    const uint8_t *tcp;
    char buf[16];
    size_t len;
    int port = host_free_port();
    int fd;
    TestNet t;

    params = g_strdup_printf(format, port);
    test_net_start(&t, params);
    guest_arp_host(&t);

    /* The host connects; libslirp accepts and sends the guest a SYN */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    m.flags = TCP_SYN;
    syn = guest_wait(&t, is_tcp, &m);
    g_assert_cmpmem(syn->data, 6, guest_mac, 6);
    g_assert_cmphex(get32(syn->data + 14 + 16), ==, GUEST_IP);
    tcp = ipv4_payload(syn, IPPROTO_TCP, &len);
    assert_tcp_checksum(syn);
    c.peer_ip = get32(syn->data + 14 + 12);
    c.peer_port = get16(tcp);
    c.rcv_nxt = get32(tcp + 4) + 1;

    /* SYN|ACK from the guest; the connection is up */
    frame = tcp_frame(&c, TCP_SYN | TCP_ACK, NULL);
    guest_send(&t, frame);
    g_byte_array_free(frame, true);

    /* host -> guest */
    g_assert_cmpint(send(fd, "hello", 5, 0), ==, 5);
    m.flags = TCP_ACK;
    m.with_data = true;
    data = guest_wait(&t, is_tcp, &m);
    tcp = ipv4_payload(data, IPPROTO_TCP, &len);
    g_assert_cmphex(get32(tcp + 4), ==, c.rcv_nxt);
    assert_tcp_checksum(data);
    g_assert_cmpmem(tcp + (tcp[12] >> 4) * 4, len - (tcp[12] >> 4) * 4,
                    "hello", 5);
    c.rcv_nxt += 5;

    /* guest -> host, acknowledging the hello */
    frame = tcp_frame(&c, TCP_ACK | TCP_PSH, "world");
    guest_send(&t, frame);
    g_byte_array_free(frame, true);
    host_read(fd, buf, 5);
    g_assert_cmpmem(buf, 5, "world", 5);

    close(fd);
    test_net_stop(&t);
}

static void test_tcp_hostfwd(void)
{
    tcp_hostfwd_through("user,hostfwd=tcp:127.0.0.1:%d-:22");
}

/*
 * JSON -netdev: hostfwd is a list of String, [{"str": rule}, ...]; the
 * rule that works is not the first, so every element reaches libslirp
 */
static void test_tcp_hostfwd_json(void)
{
    tcp_hostfwd_through("{\"type\":\"user\",\"id\":\"net0\",\"hostfwd\":["
                        "{\"str\":\"udp:127.0.0.1:0-:53\"},"
                        "{\"str\":\"tcp:127.0.0.1:%d-:22\"}]}");
}

/* The forwarding port is closed with the backend */
static void test_hostfwd_released(void)
{
    g_autofree char *params = NULL;
    int port = host_free_port();
    struct sockaddr_in sa = { .sin_family = AF_INET };
    TestNet t;
    int fd;

    params = g_strdup_printf("user,hostfwd=tcp:127.0.0.1:%d-:22", port);
    test_net_start(&t, params);
    test_net_stop(&t);

    fd = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, -1);
    g_assert_cmpint(errno, ==, ECONNREFUSED);
    close(fd);
}

/* ---- Option errors ------------------------------------------------------- */

typedef struct OptionError {
    const char *params;
    const char *error;
} OptionError;

/* Each checked against /usr/bin/qemu-system-x86_64 -netdev user,... */
static const OptionError option_errors[] = {
    { "user,bogus=1", "Invalid parameter 'bogus'" },
    { "user,restrict=foo", "Parameter 'restrict' expects 'on' or 'off'" },
    /* the types in QAPI's order, before unknown keys */
    { "user,ipv4=y2,restrict=x", "Parameter 'restrict' expects 'on' or 'off'" },
    { "user,bogus=1,ipv6=x", "Parameter 'ipv6' expects 'on' or 'off'" },
    { "user,ipv6-prefixlen=abc",
      "Parameter 'ipv6-prefixlen' expects an int64 value" },
    { "user,ipv6-prefixlen=200", "Invalid IPv6 prefix provided "
      "(IPv6 prefix length must be between 0 and 126)" },
    { "user,ipv6-prefixlen=-1", "Invalid IPv6 prefix provided "
      "(IPv6 prefix length must be between 0 and 126)" },
    { "user,ipv6-net=fec0::/abc",
      "Parameter 'ipv6-prefixlen' expects a number" },
    { "user,ipv6-net=", "Parameter 'ipv6-net' expects a valid IPv6 prefix" },
    { "user,ipv6-net=/64", "Failed to parse IPv6 prefix" },
    { "user,ipv6-net=zz", "Failed to parse IPv6 prefix" },
    { "user,ipv4=off,net=10.0.0.0/8",
      "IPv4 disabled but netmask/host/dns provided" },
    { "user,ipv6=off,ipv6-dns=fec0::3",
      "IPv6 disabled but prefix/host6/dns6 provided" },
    { "user,ipv4=off,ipv6=off", "IPv4 and IPv6 disabled" },
    { "user,net=bad", "Failed to parse netmask" },
    { "user,net=1.2.3.4/3", "Invalid netmask provided (must be in range 4-32)" },
    { "user,net=10.0.0.0/", "Invalid netmask provided (must be in range 4-32)" },
    { "user,net=10.0.0.0/255.0.x",
      "Failed to parse netmask (trailing chars)" },
    { "user,host=10.0.3.2", "Host doesn't belong to network" },
    { "user,host=x", "Failed to parse host" },
    { "user,dns=x", "Failed to parse DNS" },
    { "user,restrict=on,dns=8.8.8.8", "DNS doesn't belong to network" },
    { "user,dns=10.0.2.2", "DNS must be different from host" },
    { "user,dhcpstart=10.0.2.3", "DHCP must be different from host and DNS" },
    { "user,dhcpstart=10.0.3.3", "DHCP doesn't belong to network" },
    { "user,dhcpstart=x", "Failed to parse DHCP start address" },
    { "user,smbserver=bad", "Failed to parse SMB address" },
    { "user,ipv6-host=fe80::2", "IPv6 Host doesn't belong to network" },
    { "user,ipv6-host=x", "Failed to parse IPv6 host" },
    { "user,ipv6-dns=x", "Failed to parse IPv6 DNS" },
    { "user,restrict=on,ipv6-dns=fe80::3",
      "IPv6 DNS doesn't belong to network" },
    { "user,domainname=", "'domainname' parameter cannot be empty" },
    { "user,hostfwd=foo", "Invalid host forwarding rule 'foo' "
      "(No : separators)" },
    { "user,hostfwd=icmp::1-:5", "Invalid host forwarding rule 'icmp::1-:5' "
      "(Bad protocol name)" },
    { "user,hostfwd=tcp:1", "Invalid host forwarding rule 'tcp:1' "
      "(Missing : separator)" },
    { "user,hostfwd=tcp:x:1-:5", "Invalid host forwarding rule 'tcp:x:1-:5' "
      "(Bad host address)" },
    { "user,hostfwd=tcp::1", "Invalid host forwarding rule 'tcp::1' "
      "(Bad host port separator)" },
    { "user,hostfwd=tcp::99999-:22", "Invalid host forwarding rule "
      "'tcp::99999-:22' (Bad host port)" },
    { "user,hostfwd=tcp::1-", "Invalid host forwarding rule 'tcp::1-' "
      "(Missing guest address)" },
    { "user,hostfwd=tcp::1-x:4", "Invalid host forwarding rule 'tcp::1-x:4' "
      "(Bad guest address)" },
    { "user,hostfwd=tcp::0x10-:5x", "Invalid host forwarding rule "
      "'tcp::0x10-:5x' (Bad guest port)" },
    { "user,hostfwd=tcp::10-:0", "Invalid host forwarding rule "
      "'tcp::10-:0' (Bad guest port)" },
    { "user,hostfwd=tcp:1.2.3:1-:5",
      "Could not set up host forwarding rule 'tcp:1.2.3:1-:5'" },
    /* the last rule is set up first, guestfwd= before hostfwd= */
    { "user,hostfwd=bad1,hostfwd=bad2", "Invalid host forwarding rule 'bad2' "
      "(No : separators)" },
    { "user,guestfwd=bad2,hostfwd=bad1", "Invalid guest forwarding rule "
      "'bad2'" },
    { "user,guestfwd=udp:10.0.2.100:1234-null",
      "Invalid guest forwarding rule 'udp:10.0.2.100:1234-null'" },
    { "user,guestfwd=tcp:10.0.2.100:0-null",
      "Invalid guest forwarding rule 'tcp:10.0.2.100:0-null'" },
    { "user,guestfwd=tcp:10.0.2.2:1234-null", "Conflicting/invalid host:port "
      "in guest forwarding rule 'tcp:10.0.2.2:1234-null'" },
    { "user,guestfwd=tcp:10.0.2.100:1234-chardev:nope",
      "Could not open guest forwarding device 'guestfwd.tcp.1234'" },
    { "user,smb=/nonexistent,hostfwd=bad", "Invalid host forwarding rule "
      "'bad' (No : separators)" },
};

static void test_option_errors(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(option_errors); i++) {
        const OptionError *c = &option_errors[i];
        Error *err = NULL;

        if (user_netdev_new(c->params, &err)) {
            g_error("%s: accepted", c->params);
        }
        g_assert_nonnull(err);
        if (strcmp(error_get_pretty(err), c->error)) {
            g_error("%s: '%s', expected '%s'", c->params,
                    error_get_pretty(err), c->error);
        }
        error_free(err);
        /* nothing left behind: the name is free again */
        g_assert_null(qemu_find_netdev("net0"));
    }
}

/* smb= needs an SMB server microqemu does not start: refused by name */
static void test_smb_refused(void)
{
    Error *err = NULL;

    g_assert_false(user_netdev_new("user,smb=/tmp", &err));
    if (access("/usr/sbin/smbd", F_OK)) {
        g_assert_cmpstr(error_get_pretty(err), ==,
                        "Could not find '/usr/sbin/smbd', please install it");
    } else {
        g_assert_nonnull(strstr(error_get_pretty(err), "smb"));
    }
    error_free(err);
}

static void test_options_accepted(void)
{
    static const char *const accepted[] = {
        "user,restrict=y,ipv6=off",
        "user,ip=10.1.2.0",
        "user,ipv6-prefixlen=0x10",
        "user,ipv6-prefixlen=abc,ipv6-net=fec0::/70",
        "user,ipv6-net=fd00:1::/48,ipv6-host=fd00:1::2",
        "user,net=10.0.0.0/255.0.255.0",
        "user,tftp=/nonexistent,bootfile=x,tftp-server-name=tftp",
        "user,guestfwd=tcp::1234-cmd:true,guestfwd=:10.0.2.100:1235-null",
        /* libslirp 4.7 never finds the port taken (byte order) */
        "user,guestfwd=tcp:10.0.2.100:1234-cmd:true,"
        "guestfwd=tcp:10.0.2.100:1234-cmd:true",
        "user,hostfwd=udp:127.0.0.1:0-:5,hostfwd=tcp:127.0.0.1:0-:6",
        "user,domainname=example.org,dnssearch=a.org",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(accepted); i++) {
        TestNet t;

        test_net_start(&t, accepted[i]);
        test_net_stop(&t);
    }
}

static void test_info_str(void)
{
    TestNet t;

    test_net_start(&t, "user,net=192.168.5.7/16,restrict=on");
    g_assert_cmpstr(t.user->info_str, ==,
                    "net=192.168.0.0,restrict=on");
    test_net_stop(&t);
}

/* ---- guestfwd= to a chardev ---------------------------------------------- */

/* The guest connects to a guestfwd= rule; libslirp answers the SYN */
static void guest_connect_fwd(TestNet *t, GuestTcp *c)
{
    TcpMatch m = { .dst_port = c->port, .flags = TCP_SYN | TCP_ACK };
    g_autoptr(GByteArray) syn = tcp_frame(c, TCP_SYN, NULL);
    g_autoptr(GByteArray) synack = NULL;
    const uint8_t *tcp;
    size_t len;

    guest_send(t, syn);
    synack = guest_wait(t, is_tcp, &m);
    tcp = ipv4_payload(synack, IPPROTO_TCP, &len);
    g_assert_cmphex(get32(synack->data + 14 + 12), ==, c->peer_ip);
    g_assert_cmpuint(get16(tcp), ==, c->peer_port);
    g_assert_cmphex(get32(tcp + 8), ==, c->snd_nxt);
    c->rcv_nxt = get32(tcp + 4) + 1;
}

static void test_guestfwd_chardev(void)
{
    QemuOpts *opts;
    Chardev *ring;
    GByteArray *frame;
    GuestTcp c = { .port = 40000, .peer_port = 4321,
                   .peer_ip = 0x0a000264, .snd_nxt = 0x20000000 };
    char buf[16];
    size_t len;
    TestNet t;
    int i;

    opts = qemu_opts_parse(&qemu_chardev_opts, "ringbuf,id=gfwd,size=64",
                           true, &error_abort);
    ring = qemu_chr_new_from_opts(opts, &error_abort);
    qemu_opts_del(opts);
    g_assert_nonnull(ring);

    test_net_start(&t, "user,guestfwd=tcp:10.0.2.100:4321-chardev:gfwd");
    guest_arp_host(&t);

    guest_connect_fwd(&t, &c);

    /* The guest's bytes go to the chardev */
    frame = tcp_frame(&c, TCP_ACK | TCP_PSH, "to-chardev");
    guest_send(&t, frame);
    g_byte_array_free(frame, true);
    len = 0;
    for (i = 0; i < MAX_ITERATIONS && len < 10; i++) {
        len += qemu_chr_ringbuf_read(ring, (uint8_t *)buf + len,
                                     sizeof(buf) - len);
        if (len < 10) {
            g_main_context_iteration(NULL, true);
        }
    }
    g_assert_cmpmem(buf, len, "to-chardev", 10);

    /* The rule's chardev goes with the backend, as QEMU's */
    test_net_stop(&t);
    g_assert_null(qemu_chr_find("gfwd"));
}

/* guestfwd= to a chardev spec (a TCP server the test connects to) */
static void test_guestfwd_socket(void)
{
    g_autofree char *params = NULL;
    g_autoptr(GByteArray) data = NULL;
    GByteArray *frame;
    GuestTcp c = { .port = 40001, .peer_port = 4322,
                   .peer_ip = 0x0a000264, .snd_nxt = 0x30000000 };
    TcpMatch m = { .dst_port = 40001, .flags = TCP_ACK, .with_data = true };
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int port = host_free_port();
    const uint8_t *tcp;
    Chardev *chr;
    char buf[16];
    size_t len;
    TestNet t;
    int fd, i;

    params = g_strdup_printf("user,guestfwd=tcp:10.0.2.100:4322-"
                             "tcp:127.0.0.1:%d,,server=on,,wait=off", port);
    test_net_start(&t, params);
    g_assert_nonnull(qemu_chr_find("guestfwd.tcp.4322"));
    guest_arp_host(&t);

    fd = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(port);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    /* the chardev drops what comes before it accepted, as QEMU's */
    chr = qemu_chr_find("guestfwd.tcp.4322");
    for (i = 0; i < MAX_ITERATIONS && !qemu_chr_socket_connected(chr); i++) {
        g_main_context_iteration(NULL, true);
    }
    g_assert_true(qemu_chr_socket_connected(chr));
    guest_connect_fwd(&t, &c);

    /* guest -> the chardev's client */
    frame = tcp_frame(&c, TCP_ACK | TCP_PSH, "to-host");
    guest_send(&t, frame);
    g_byte_array_free(frame, true);
    host_read(fd, buf, 7);
    g_assert_cmpmem(buf, 7, "to-host", 7);

    /* the chardev's client -> guest */
    g_assert_cmpint(send(fd, "to-guest", 8, 0), ==, 8);
    data = guest_wait(&t, is_tcp, &m);
    tcp = ipv4_payload(data, IPPROTO_TCP, &len);
    assert_tcp_checksum(data);
    g_assert_cmphex(get32(tcp + 4), ==, c.rcv_nxt);
    g_assert_cmpmem(tcp + (tcp[12] >> 4) * 4, len - (tcp[12] >> 4) * 4,
                    "to-guest", 8);

    close(fd);
    test_net_stop(&t);
    g_assert_null(qemu_chr_find("guestfwd.tcp.4322"));
}

/*
 * guestfwd= to a chardev that takes less than the guest sends (a FIFO
 * nobody reads yet, 64 KiB): the rest waits for the write watch, in
 * order, and libslirp never blocks.
 */
typedef struct FifoFwd {
    char *dir;
    char *base;                 /* pipe:BASE, BASE.in and BASE.out */
    int out_fd;                 /* our reading end of BASE.out */
} FifoFwd;

static void fifo_fwd_start(FifoFwd *f, TestNet *t, GuestTcp *c)
{
    g_autofree char *in = NULL, *out = NULL, *params = NULL;

    f->dir = g_dir_make_tmp("slirp-XXXXXX", NULL);
    f->base = g_build_filename(f->dir, "gf", NULL);
    in = g_strconcat(f->base, ".in", NULL);
    out = g_strconcat(f->base, ".out", NULL);
    g_assert_cmpint(mkfifo(in, 0600), ==, 0);
    g_assert_cmpint(mkfifo(out, 0600), ==, 0);
    params = g_strdup_printf("user,guestfwd=tcp:10.0.2.100:%d-pipe:%s",
                             c->peer_port, f->base);
    test_net_start(t, params);
    f->out_fd = open(out, O_RDONLY | O_NONBLOCK);
    g_assert_cmpint(f->out_fd, >=, 0);
    guest_arp_host(t);
    guest_connect_fwd(t, c);
}

static void fifo_fwd_stop(FifoFwd *f, TestNet *t)
{
    g_autofree char *in = g_strconcat(f->base, ".in", NULL);
    g_autofree char *out = g_strconcat(f->base, ".out", NULL);

    test_net_stop(t);
    close(f->out_fd);
    unlink(in);
    unlink(out);
    rmdir(f->dir);
    g_free(f->base);
    g_free(f->dir);
}

/* The guest sends n bytes of a pattern in 1000-byte segments */
static void guest_send_pattern(TestNet *t, GuestTcp *c, size_t n)
{
    char seg[1001];
    size_t i, done;

    for (done = 0; done < n; done += 1000) {
        GByteArray *frame;

        for (i = 0; i < 1000; i++) {
            seg[i] = 'a' + (done + i) % 26;
        }
        seg[MIN(1000, n - done)] = '\0';
        frame = tcp_frame(c, TCP_ACK | TCP_PSH, seg);
        guest_send(t, frame);
        g_byte_array_free(frame, true);
        /* libslirp's ACKs: not looked at */
        g_queue_clear_full(&t->nic->frames, frame_free);
    }
}

static void test_guestfwd_backpressure(void)
{
    GuestTcp c = { .port = 40002, .peer_port = 4323,
                   .peer_ip = 0x0a000264, .snd_nxt = 0x40000000 };
    size_t total = 200 * 1000, got = 0;
    g_autofree char *buf = g_malloc(total);
    FifoFwd f;
    TestNet t;
    size_t i;

    fifo_fwd_start(&f, &t, &c);
    guest_send_pattern(&t, &c, total);
    for (i = 0; i < MAX_ITERATIONS && got < total; i++) {
        ssize_t r = read(f.out_fd, buf + got, total - got);

        if (r > 0) {
            got += r;
        } else {
            g_assert_true(r < 0 && errno == EAGAIN);
            g_main_context_iteration(NULL, true);
        }
    }
    g_assert_cmpuint(got, ==, total);
    for (i = 0; i < total; i++) {
        g_assert_cmpint(buf[i], ==, 'a' + i % 26);
    }
    fifo_fwd_stop(&f, &t);
}

/* Past 1 MiB held back, the guest's bytes are dropped and logged */
static void test_guestfwd_overflow(void)
{
    GuestTcp c = { .port = 40003, .peer_port = 4324,
                   .peer_ip = 0x0a000264, .snd_nxt = 0x50000000 };
    g_autofree char *log = NULL;
    FifoFwd f;
    TestNet t;

    log_capture_start(LOG_GUEST_ERROR);
    fifo_fwd_start(&f, &t, &c);
    guest_send_pattern(&t, &c, 1200 * 1000);
    log = log_capture_take();
    g_assert_nonnull(strstr(log, "slirp: guestfwd chardev 'guestfwd.tcp.4324'"
                                 " is not taking the guest's data: 1000 bytes"
                                 " dropped"));
    log_capture_stop();
    fifo_fwd_stop(&f, &t);
}

/* ---- Bad frames from the guest ------------------------------------------- */

/*
 * Frames that are too short for their headers, or whose lengths lie, or
 * that are larger than any MTU: libslirp drops them (some with a guest
 * error logged), nothing crashes, and the network still works.
 */
static void test_bad_frames(void)
{
    g_autoptr(GByteArray) ping = icmp_echo(HOST_IP, 9, 9, "still alive");
    g_autoptr(GByteArray) pong = NULL;
    g_autofree uint8_t *huge = g_malloc0(NET_BUFSIZE);
    uint8_t buf[128];
    TestNet t;
    size_t len;

    test_net_start(&t, "user");
    guest_arp_host(&t);

    /* every length from nothing to a full IPv4 + TCP header, junk-filled */
    for (len = 0; len < 60; len++) {
        GByteArray *f = ipv4_frame(host_mac, GUEST_IP, HOST_IP, IPPROTO_TCP,
                                   &(GByteArray){ (guint8 *)"junkjunkjunkjunk"
                                                  "junkjunkjunkjunk", 32 });

        qemu_send_packet(t.nc, f->data, MIN(len, f->len));
        g_byte_array_free(f, true);
    }
    /* IPv4 total length past the frame, header length past the packet */
    memcpy(buf, ping->data, ping->len);
    buf[14 + 2] = 0xff;
    qemu_send_packet(t.nc, buf, ping->len);
    memcpy(buf, ping->data, ping->len);
    buf[14] = 0x4f;
    qemu_send_packet(t.nc, buf, ping->len);
    /* truncated ARP and IPv6 */
    memcpy(buf, ping->data, 14);
    buf[12] = 0x08;
    buf[13] = 0x06;
    qemu_send_packet(t.nc, buf, 20);
    buf[12] = 0x86;
    buf[13] = 0xdd;
    qemu_send_packet(t.nc, buf, 30);
    /* larger than any MTU */
    memcpy(huge, ping->data, ping->len);
    qemu_send_packet(t.nc, huge, NET_BUFSIZE);

    g_queue_clear_full(&t.nic->frames, frame_free);
    guest_send(&t, ping);
    pong = guest_wait(&t, is_echo_reply, NULL);
    test_net_stop(&t);
}

/* ---- libslirp's timers ---------------------------------------------------- */

static bool is_router_advert(const GByteArray *f, void *opaque)
{
    /* IPv6, next header ICMPv6, type 134 */
    return f->len >= 14 + 40 + 4 && get16(f->data + 12) == 0x86dd &&
           f->data[14 + 6] == 58 && f->data[14 + 40] == 134;
}

/*
 * libslirp's router advertisement timer runs on the virtual clock: armed
 * at start for 200-600 s, it sends an RA when the clock gets there (and
 * only then: the clock is manual). In a subprocess, as the manual clock
 * stays manual.
 */
static void test_ra_timer_child(void)
{
    g_autoptr(GByteArray) ra = NULL;
    TestNet t;
    int64_t now = 1000 * NANOSECONDS_PER_SECOND;

    qemu_clock_set_virtual_manual(now);
    test_net_start(&t, "user");
    qemu_clock_advance_virtual_time(now + 150 * NANOSECONDS_PER_SECOND);
    g_assert_cmpuint(g_queue_get_length(&t.nic->frames), ==, 0);
    qemu_clock_advance_virtual_time(now + 601 * NANOSECONDS_PER_SECOND);
    ra = guest_wait(&t, is_router_advert, NULL);
    /* from the router's link-local address, fe80::2 */
    g_assert_cmphex(ra->data[14 + 8], ==, 0xfe);
    g_assert_cmphex(ra->data[14 + 8 + 15], ==, 2);
    test_net_stop(&t);
}

static void test_ra_timer(void)
{
    g_test_trap_subprocess("/net/slirp/ra-timer/subprocess", 0,
                           G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    net_slirp_register();
    chardev_register_types();
    /* The net core holds frames back while the VM is not running */
    vm_start();

    g_test_add_func("/net/slirp/arp", test_arp);
    g_test_add_func("/net/slirp/idle-main-loop", test_idle_main_loop);
    g_test_add_func("/net/slirp/nic-cannot-receive", test_nic_cannot_receive);
    g_test_add_func("/net/slirp/dhcp", test_dhcp);
    g_test_add_func("/net/slirp/dhcp-custom-network",
                    test_dhcp_custom_network);
    g_test_add_func("/net/slirp/icmp-echo", test_icmp_echo);
    g_test_add_func("/net/slirp/short-frame-padded",
                    test_short_frame_padded);
    g_test_add_func("/net/slirp/tcp-hostfwd", test_tcp_hostfwd);
    g_test_add_func("/net/slirp/tcp-hostfwd-json", test_tcp_hostfwd_json);
    g_test_add_func("/net/slirp/hostfwd-released", test_hostfwd_released);
    g_test_add_func("/net/slirp/guestfwd-chardev", test_guestfwd_chardev);
    g_test_add_func("/net/slirp/guestfwd-socket", test_guestfwd_socket);
    g_test_add_func("/net/slirp/guestfwd-backpressure",
                    test_guestfwd_backpressure);
    g_test_add_func("/net/slirp/guestfwd-overflow", test_guestfwd_overflow);
    g_test_add_func("/net/slirp/bad-frames", test_bad_frames);
    g_test_add_func("/net/slirp/option-errors", test_option_errors);
    g_test_add_func("/net/slirp/smb-refused", test_smb_refused);
    g_test_add_func("/net/slirp/options-accepted", test_options_accepted);
    g_test_add_func("/net/slirp/info-str", test_info_str);
    g_test_add_func("/net/slirp/ra-timer", test_ra_timer);
    g_test_add_func("/net/slirp/ra-timer/subprocess", test_ra_timer_child);
    return g_test_run();
}
