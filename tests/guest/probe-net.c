/*
 * probe.usernet on the command line: the probe as a tiny IPv4 host on
 * the first virtio-net device, wired to -netdev user (libslirp), polled.
 * It does what a guest's network stack does first and prints what came
 * back, fact by fact, for run-diff to compare with QEMU 7.2's full
 * binary (the microvm one has no user networking):
 *
 *  - DHCP (RFC 2131): DISCOVER, OFFER, REQUEST, ACK; libslirp's
 *    bootp_reply answers with the options of its configuration;
 *  - ARP (RFC 826): libslirp's host (the DHCP server, 10.0.2.2 by
 *    default) resolved; the probe's second address (the lease + 1,
 *    10.0.2.16), which libslirp has not seen, makes libslirp ask
 *    (if_encap4 holds the packet and broadcasts a request) and the probe
 *    answers, after which the held packet comes;
 *  - ICMP echo (RFC 792) to the host, answered by libslirp itself
 *    (icmp_reflect);
 *  - TCP (RFC 793) from a hostfwd port: once the probe prints
 *    net.tcp.listen, run-diff connects to the host port; libslirp's
 *    tcp_connect sends the SYN, the probe answers SYN-ACK, takes the
 *    peer's line, answers a line of its own with FIN and takes
 *    libslirp's FIN;
 *  - UDP from a hostfwd port: after net.udp.listen run-diff sends a
 *    datagram to the host port, the probe answers it.
 *
 * Nothing printed varies from run to run: the xid and the probe's ISN
 * are fixed, libslirp's sequence numbers are printed relative to its
 * ISN (tcp_iss moves with time), and its source port (the host peer's
 * ephemeral port) is not printed. Every wait is bounded; a missing
 * answer is printed as "none".
 */

#include "probe.h"

#define ETH_ARP         0x0806
#define ETH_IP          0x0800
#define IP_ICMP         1
#define IP_TCP          6
#define IP_UDP          17

#define TCP_FIN         0x01
#define TCP_SYN         0x02
#define TCP_PSH         0x08
#define TCP_ACK         0x10

#define DHCP_DISCOVER   1
#define DHCP_OFFER      2
#define DHCP_REQUEST    3
#define DHCP_ACK        5
#define DHCP_XID        0x6d715101u     /* the probe's own, fixed */
#define BOOTP_LEN       548             /* 236 + the 312 option bytes */

#define ICMP_ID         0x7071
#define TCP_PORT        22              /* the case's hostfwd guest port */
#define TCP_ISS         0x6d710000u     /* the probe's own, fixed */
#define TCP_WINDOW      4096

/* A frame kept for printing: a whole Ethernet frame (1514) fits */
#define PKT_MAX         1600
/*
 * How long a wait for an answer lasts, in TSC ticks: 2^31 is 0.5 s at
 * 4 GHz, 2 s at 1 GHz. libslirp answers within the VMM's TX flush or
 * its next main-loop round, so only a missing answer ever waits that
 * long. The SYN and the datagram come once run-diff saw the listen
 * line and the host peer acted: four times as long. Polls are capped
 * too (VIO_POLL_LIMIT), in case the TSC stands still.
 */
#define NET_WAIT_TSC    (1ull << 31)
#define PEER_WAIT_TSC   (1ull << 33)
#define TCP_DATA_MAX    128
#define TCP_SEGMENTS    16

/* Ring area of the slot: queues 0 and 1, RX buffers, the TX frame */
#define NET_RX_BUFS     0x8000
#define NET_RX_BUF_LEN  0x800
#define NET_TX          0xc000

typedef struct Net {
    uint32_t base, ring, hdr_len;
    uint8_t mac[6];
    uint8_t ip[4];          /* the lease (10.0.2.15 if there is none) */
    uint8_t host[4];        /* libslirp's: the DHCP server (10.0.2.2) */
    uint8_t alias[4];       /* the probe's second address: lease + 1 */
    uint8_t router_mac[6];
    uint16_t tx_count;      /* TX chains made available */
    uint16_t ip_id;
    uint32_t arp_answered;
} Net;

static Net net;

static const uint8_t ip_any[4] = { 0, 0, 0, 0 };
static const uint8_t ip_bcast[4] = { 255, 255, 255, 255 };
static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* The last frame a wait took, and the ARP request the probe answered */
static uint8_t pkt[PKT_MAX];
static uint32_t pkt_len;
static uint8_t arp_req[64];
static uint32_t arp_req_len;

static uint16_t be16(const uint8_t *p)
{
    return (p[0] << 8) | p[1];
}

static void set_be16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void set_be32(uint8_t *p, uint32_t v)
{
    set_be16(p, v >> 16);
    set_be16(p + 2, v);
}

static bool bytes_eq(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return false;
        }
    }
    return true;
}

/* The length of the NUL-terminated string in a field of max bytes */
static uint32_t str_len(const uint8_t *s, uint32_t max)
{
    uint32_t n = 0;

    while (n < max && s[n]) {
        n++;
    }
    return n;
}

static bool is_text(const uint8_t *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] >= 0x7f) {
            return false;
        }
    }
    return true;
}

static void put_ip(const uint8_t *ip)
{
    pr("%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
}

static void put_mac(const uint8_t *m)
{
    for (int i = 0; i < 6; i++) {
        if (i) {
            serial_putc(':');
        }
        put_hex(m[i], 2);
    }
}

/* The Internet checksum (RFC 1071) of n bytes, added to sum */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i + 1 < n; i += 2) {
        sum += be16(p + i);
    }
    if (n & 1) {
        sum += p[n - 1] << 8;
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

/* The UDP/TCP checksum over the pseudo-header and the segment */
static uint16_t csum_l4(const uint8_t *iph, const uint8_t *l4, uint32_t n)
{
    uint32_t sum = csum_add(0, iph + 12, 8);

    sum += iph[9] + n;
    return csum_fold(csum_add(sum, l4, n));
}

/* A UDP checksum to send: a computed 0 goes as 0xffff (RFC 768) */
static uint16_t csum_udp(const uint8_t *iph, const uint8_t *udp, uint32_t n)
{
    uint16_t sum = csum_l4(iph, udp, n);

    return sum ? sum : 0xffff;
}

/* ---- the device ---- */

static uint8_t *tx_frame(void)
{
    return (uint8_t *)(net.ring + NET_TX + 0x20);
}

/*
 * The frame at tx_frame() (len bytes, padded to the 60 of Ethernet)
 * behind a zeroed virtio-net header; waits for the device to take it.
 */
static bool net_send(uint32_t len)
{
    uint32_t bufs[2] = { net.ring + NET_TX, net.ring + NET_TX + 0x20 };
    uint32_t lens[2] = { net.hdr_len, len < 60 ? 60 : len };

    memset((void *)bufs[0], 0, 0x20);
    vnet_offer(net.base, 1, (net.tx_count % (VIO_QNUM / 2)) * 2, bufs, lens,
               2, 0);
    net.tx_count++;
    return vio_wait(1, net.tx_count);
}

/* A fresh frame to dst of that type: its payload */
static uint8_t *eth_start(const uint8_t *dst, uint16_t type)
{
    uint8_t *f = tx_frame();

    memset(f, 0, PKT_MAX);
    memcpy(f, dst, 6);
    memcpy(f + 6, net.mac, 6);
    set_be16(f + 12, type);
    return f + 14;
}

/* An IPv4 header (no options, TTL 64) for len bytes of payload */
static uint8_t *ip_start(const uint8_t *dst_mac, const uint8_t *src,
                         const uint8_t *dst, uint8_t proto, uint32_t len)
{
    uint8_t *ip = eth_start(dst_mac, ETH_IP);

    ip[0] = 0x45;
    set_be16(ip + 2, 20 + len);
    set_be16(ip + 4, ++net.ip_id);
    ip[8] = 64;
    ip[9] = proto;
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    set_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
    return ip + 20;
}

static void arp_send(uint16_t op, const uint8_t *dst_mac,
                     const uint8_t *spa, const uint8_t *tha,
                     const uint8_t *tpa)
{
    static const uint8_t head[] = { 0x00, 0x01, 0x08, 0x00, 6, 4 };
    uint8_t *a = eth_start(dst_mac, ETH_ARP);

    memcpy(a, head, sizeof(head));
    set_be16(a + 6, op);
    memcpy(a + 8, net.mac, 6);
    memcpy(a + 14, spa, 4);
    memcpy(a + 18, tha, 6);
    memcpy(a + 24, tpa, 4);
    net_send(14 + 28);
}

/*
 * libslirp's ARP requests for the probe's addresses are answered
 * whenever they come (RFC 826: a reply to the sender); the first is
 * kept for the transcript.
 */
static void arp_answer(const uint8_t *f, uint32_t len)
{
    const uint8_t *a = f + 14;

    if (len < 42 || be16(f + 12) != ETH_ARP || be16(a + 6) != 1 ||
        (!bytes_eq(a + 24, net.ip, 4) && !bytes_eq(a + 24, net.alias, 4))) {
        return;
    }
    if (!net.arp_answered++) {
        arp_req_len = len < sizeof(arp_req) ? len : sizeof(arp_req);
        memcpy(arp_req, f, arp_req_len);
    }
    arp_send(2, a + 8, a + 24, a + 8, a + 14);
}

/*
 * Takes received frames until match() accepts one (copied to pkt) or
 * ticks of the TSC pass (or VIO_POLL_LIMIT polls) without one; each
 * frame is looked at for ARP requests first and its buffer made
 * available again.
 */
static bool net_wait(bool (*match)(const uint8_t *f, uint32_t len),
                     uint64_t ticks)
{
    VioQueue *vq = &vio_q[0];
    uint64_t start = rdtsc();

    for (uint32_t n = 0; n < VIO_POLL_LIMIT && rdtsc() - start < ticks;
         n++) {
        uint16_t slot = vq->seen % VIO_QNUM;
        uint32_t id, len, buf;
        const uint8_t *f;
        bool hit;

        if (get16_at(vq->used + 2) == vq->seen) {
            __asm__ volatile("pause");
            continue;
        }
        __asm__ volatile("" ::: "memory");
        id = *(volatile uint32_t *)(vq->used + 4 + 8 * slot) % VIO_QNUM;
        len = *(volatile uint32_t *)(vq->used + 8 + 8 * slot);
        vq->seen++;
        buf = net.ring + NET_RX_BUFS + id * NET_RX_BUF_LEN;
        f = (const uint8_t *)buf + net.hdr_len;
        len = len > net.hdr_len ? len - net.hdr_len : 0;
        if (len > NET_RX_BUF_LEN - net.hdr_len) {
            len = NET_RX_BUF_LEN - net.hdr_len;
        }
        arp_answer(f, len);
        hit = match(f, len);
        if (hit) {
            pkt_len = len < PKT_MAX ? len : PKT_MAX;
            memcpy(pkt, f, pkt_len);
        }
        vio_offer(net.base, 0, id, buf, NET_RX_BUF_LEN, true);
        if (hit) {
            return true;
        }
    }
    return false;
}

/* The first virtio-net device: MAC only, rx and tx queues, RX buffers */
static bool net_open(void)
{
    uint32_t slot, version;

    for (slot = 0; slot < VIRTIO_MMIO_SLOTS && !virtio_slot_is(slot, 1);
         slot++) {
    }
    if (slot == VIRTIO_MMIO_SLOTS) {
        pr("net.error=no virtio-net device\n");
        return false;
    }
    net.base = VIRTIO_MMIO_BASE + slot * 0x200;
    net.ring = VIO_RING_BASE + slot * 0x10000;
    version = vio_rd(net.base, 0x004);
    net.hdr_len = version == 2 ? 12 : 10;
    vio_wr(net.base, VIO_STATUS, 0);
    vio_wr(net.base, VIO_STATUS, 1);
    vio_wr(net.base, VIO_STATUS, 3);
    vio_wr(net.base, 0x024, 0);
    vio_wr(net.base, 0x020, 1u << 5);                   /* MAC */
    vio_wr(net.base, 0x024, 1);
    vio_wr(net.base, 0x020, version == 2 ? 1 : 0);      /* VERSION_1 */
    if (version == 2) {
        vio_wr(net.base, VIO_STATUS, 0xb);
    }
    for (int i = 0; i < 6; i++) {
        net.mac[i] = *(volatile uint8_t *)(net.base + 0x100 + i);
    }
    memset((void *)net.ring, 0, 0x8000);
    vio_setup_queues(net.base, net.ring, version, 2);
    vio_wr(net.base, VIO_STATUS, vio_rd(net.base, VIO_STATUS) | 4);
    for (uint16_t d = 0; d < VIO_QNUM; d++) {
        vio_offer(net.base, 0, d,
                  net.ring + NET_RX_BUFS + d * NET_RX_BUF_LEN,
                  NET_RX_BUF_LEN, true);
    }
    pr("net.slot=%u\n", slot);
    pr("net.mac=");
    put_mac(net.mac);
    pr("\nnet.status=%2x\n", vio_rd(net.base, VIO_STATUS));
    return true;
}

/* ---- what came back, printed ---- */

static const uint8_t *pkt_ip(void)
{
    return pkt + 14;
}

static const uint8_t *pkt_l4(void)
{
    return pkt + 14 + (pkt[14] & 15) * 4;
}

/* The L4 length the IP header gives (bounded by what was received) */
static uint32_t pkt_l4_len(void)
{
    uint32_t hl = (pkt[14] & 15) * 4, tot = be16(pkt + 16);

    if (tot > pkt_len - 14) {
        tot = pkt_len - 14;
    }
    return tot > hl ? tot - hl : 0;
}

static bool pkt_is_ip(const uint8_t *f, uint32_t len, uint8_t proto)
{
    return len >= 34 && be16(f + 12) == ETH_IP && (f[14] >> 4) == 4 &&
           (f[14] & 15) >= 5 && len >= 14u + (f[14] & 15) * 4 + 8 &&
           f[23] == proto;
}

static void report_eth(const char *what)
{
    pr("%s.eth=", what);
    put_mac(pkt + 6);
    pr(">");
    put_mac(pkt);
    pr(" type=%4x len=%u\n", be16(pkt + 12), pkt_len);
}

/* The Ethernet and IPv4 headers: addresses, TTL, TOS, flags, checksum */
static void report_ip(const char *what)
{
    const uint8_t *ip = pkt_ip();

    report_eth(what);
    pr("%s.ip=", what);
    put_ip(ip + 12);
    pr(">");
    put_ip(ip + 16);
    pr(" ihl=%u len=%u tos=%2x frag=%4x ttl=%u proto=%u csum=%s\n",
       ip[0] & 15, be16(ip + 2), ip[1], be16(ip + 6), ip[8], ip[9],
       csum_fold(csum_add(0, ip, (ip[0] & 15) * 4)) ? "bad" : "ok");
}

static void report_arp(const char *what, const uint8_t *f, uint32_t len)
{
    const uint8_t *a = f + 14;

    if (f != pkt) {
        memcpy(pkt, f, len);
        pkt_len = len;
    }
    report_eth(what);
    pr("%s.arp=hw=%u proto=%4x hlen=%u plen=%u op=%u sha=", what,
       be16(a), be16(a + 2), a[4], a[5], be16(a + 6));
    put_mac(a + 8);
    pr(" spa=");
    put_ip(a + 14);
    pr(" tha=");
    put_mac(a + 18);
    pr(" tpa=");
    put_ip(a + 24);
    pr("\n");
}

/* ---- DHCP ---- */

static uint8_t dhcp_want;           /* the message type awaited */
static uint8_t dhcp_server[4];      /* option 54 of the OFFER */

/* Option tag of a BOOTP reply's options: its value and length, or NULL */
static const uint8_t *dhcp_opt(const uint8_t *bp, uint32_t bp_len,
                               uint8_t tag, uint8_t *len)
{
    uint32_t i = 240;

    while (i < bp_len && bp[i] != 255) {
        if (bp[i] == 0) {
            i++;
            continue;
        }
        if (i + 2 > bp_len || i + 2 + bp[i + 1] > bp_len) {
            break;
        }
        if (bp[i] == tag) {
            *len = bp[i + 1];
            return bp + i + 2;
        }
        i += 2 + bp[i + 1];
    }
    return NULL;
}

static bool dhcp_match(const uint8_t *f, uint32_t len)
{
    const uint8_t *udp, *bp, *type;
    uint32_t bp_len;
    uint8_t n;

    if (!pkt_is_ip(f, len, IP_UDP)) {
        return false;
    }
    udp = f + 14 + (f[14] & 15) * 4;
    bp = udp + 8;
    if (be16(udp + 2) != 68 || bp + 240 > f + len) {
        return false;
    }
    bp_len = f + len - bp;
    type = dhcp_opt(bp, bp_len, 53, &n);
    return bp[0] == 2 && get32_be(bp + 4) == DHCP_XID &&
           get32_be(bp + 236) == 0x63825363 && type && n == 1 &&
           *type == dhcp_want;
}

/* A DISCOVER or a REQUEST (for the offered address, from its server) */
static void dhcp_send(uint8_t type, const uint8_t *req_ip)
{
    uint8_t *udp = ip_start(mac_bcast, ip_any, ip_bcast, IP_UDP,
                            8 + BOOTP_LEN);
    uint8_t *bp = udp + 8, *o = bp + 240;

    set_be16(udp, 68);
    set_be16(udp + 2, 67);
    set_be16(udp + 4, 8 + BOOTP_LEN);
    bp[0] = 1;                                  /* BOOTREQUEST */
    bp[1] = 1;                                  /* Ethernet */
    bp[2] = 6;
    set_be32(bp + 4, DHCP_XID);
    memcpy(bp + 28, net.mac, 6);                /* chaddr */
    set_be32(bp + 236, 0x63825363);             /* magic cookie */
    *o++ = 53;
    *o++ = 1;
    *o++ = type;
    if (req_ip) {
        *o++ = 50;                              /* requested address */
        *o++ = 4;
        memcpy(o, req_ip, 4);
        o += 4;
        *o++ = 54;                              /* server identifier */
        *o++ = 4;
        memcpy(o, dhcp_server, 4);
        o += 4;
    }
    *o = 255;
    set_be16(udp + 6, csum_udp(udp - 20, udp, 8 + BOOTP_LEN));
    net_send(14 + 20 + 8 + BOOTP_LEN);
}

/* An OFFER or ACK: the headers, the BOOTP fields, each option in order */
static void dhcp_report(const char *what)
{
    const uint8_t *udp = pkt_l4(), *bp = udp + 8;
    uint32_t l4 = pkt_l4_len(), bp_len = l4 > 8 ? l4 - 8 : 0;
    uint32_t i = 240, n = 0;
    uint16_t sum = be16(udp + 6);

    report_ip(what);
    pr("%s.udp=%u>%u len=%u csum=%s\n", what, be16(udp), be16(udp + 2),
       be16(udp + 4), !sum ? "none" : csum_l4(pkt_ip(), udp, l4) ? "bad" :
       "ok");
    pr("%s.bootp=op=%u htype=%u hlen=%u hops=%u secs=%u flags=%4x", what,
       bp[0], bp[1], bp[2], bp[3], be16(bp + 8), be16(bp + 10));
    pr(" ciaddr=");
    put_ip(bp + 12);
    pr(" yiaddr=");
    put_ip(bp + 16);
    pr(" siaddr=");
    put_ip(bp + 20);
    pr(" giaddr=");
    put_ip(bp + 24);
    pr(" chaddr=%s\n", bytes_eq(bp + 28, net.mac, 6) ? "ours" : "other");
    pr("%s.bootp.sname=", what);
    put_escaped(bp + 44, str_len(bp + 44, 64));
    pr("\n%s.bootp.file=", what);
    put_escaped(bp + 108, str_len(bp + 108, 128));
    pr("\n");
    while (i < bp_len && bp[i] != 255) {
        const uint8_t *v = bp + i + 2;
        uint8_t len;

        if (bp[i] == 0) {
            i++;
            continue;
        }
        if (i + 2 > bp_len || i + 2 + bp[i + 1] > bp_len) {
            pr("%s.opt.%u=truncated\n", what, n);
            return;
        }
        len = bp[i + 1];
        pr("%s.opt.%u=%u len=%u ", what, n++, bp[i], len);
        if (len == 4 && bp[i] != 51) {
            put_ip(v);                              /* addresses, mask */
        } else if (len == 4) {
            pr("%us", get32_be(v));                 /* lease time */
        } else if (len > 1 && is_text(v, len)) {
            pr("\"");
            put_escaped(v, len);                    /* names */
            pr("\"");
        } else {
            put_bytes(v, len);
        }
        pr("\n");
        i += 2 + len;
    }
    pr("%s.opt.end=%s\n", what, i < bp_len ? "255" : "missing");
}

static bool dhcp(void)
{
    const uint8_t *bp, *v;
    uint8_t n;

    dhcp_want = DHCP_OFFER;
    dhcp_send(DHCP_DISCOVER, NULL);
    if (!net_wait(dhcp_match, NET_WAIT_TSC)) {
        pr("net.dhcp.offer=none\n");
        return false;
    }
    dhcp_report("net.dhcp.offer");
    bp = pkt_l4() + 8;
    v = dhcp_opt(bp, pkt_l4_len() - 8, 54, &n);
    memcpy(dhcp_server, v && n == 4 ? v : ip_any, 4);
    if (v && n == 4) {
        memcpy(net.host, v, 4);
    }
    memcpy(net.ip, bp + 16, 4);
    dhcp_want = DHCP_ACK;
    dhcp_send(DHCP_REQUEST, net.ip);
    if (!net_wait(dhcp_match, NET_WAIT_TSC)) {
        pr("net.dhcp.ack=none\n");
        return false;
    }
    dhcp_report("net.dhcp.ack");
    memcpy(net.ip, pkt_l4() + 8 + 16, 4);
    return true;
}

/* ---- ARP and ICMP echo ---- */

static const uint8_t *arp_want_spa;     /* the reply awaited */

static bool arp_reply_match(const uint8_t *f, uint32_t len)
{
    return len >= 42 && be16(f + 12) == ETH_ARP && be16(f + 20) == 2 &&
           bytes_eq(f + 28, arp_want_spa, 4);
}

static void arp_resolve_router(void)
{
    static const uint8_t none[6];

    arp_want_spa = net.host;
    arp_send(1, mac_bcast, net.ip, none, net.host);
    if (!net_wait(arp_reply_match, NET_WAIT_TSC)) {
        pr("net.arp.router=none\n");
        memcpy(net.router_mac, mac_bcast, 6);
        return;
    }
    report_arp("net.arp.router", pkt, pkt_len);
    memcpy(net.router_mac, pkt + 22, 6);
}

#define ICMP_PAYLOAD    56

/* Payload byte i of echo request seq: what the reply must carry back */
static uint8_t icmp_byte(uint16_t seq, uint32_t i)
{
    return "microqemu probe echo"[i % 20] ^ (seq * 7);
}

static void icmp_echo(const uint8_t *src, uint16_t seq)
{
    uint8_t *icmp = ip_start(net.router_mac, src, net.host, IP_ICMP,
                             8 + ICMP_PAYLOAD);

    icmp[0] = 8;
    set_be16(icmp + 4, ICMP_ID);
    set_be16(icmp + 6, seq);
    for (uint32_t i = 0; i < ICMP_PAYLOAD; i++) {
        icmp[8 + i] = icmp_byte(seq, i);
    }
    set_be16(icmp + 2, csum_fold(csum_add(0, icmp, 8 + ICMP_PAYLOAD)));
    net_send(14 + 20 + 8 + ICMP_PAYLOAD);
}

static bool icmp_reply_match(const uint8_t *f, uint32_t len)
{
    const uint8_t *icmp = f + 14 + (f[14] & 15) * 4;

    return pkt_is_ip(f, len, IP_ICMP) && icmp[0] == 0 &&
           be16(icmp + 4) == ICMP_ID;
}

static void icmp_report(const char *what)
{
    const uint8_t *icmp = pkt_l4();
    uint32_t l4 = pkt_l4_len(), same = l4 == 8 + ICMP_PAYLOAD;
    uint16_t seq = be16(icmp + 6);

    for (uint32_t i = 0; same && i < ICMP_PAYLOAD; i++) {
        same = icmp[8 + i] == icmp_byte(seq, i);
    }
    report_ip(what);
    pr("%s.icmp=type=%u code=%u id=%4x seq=%u len=%u payload=%s csum=%s\n",
       what, icmp[0], icmp[1], be16(icmp + 4), seq, l4,
       same ? "echoed" : "different",
       csum_fold(csum_add(0, icmp, l4)) ? "bad" : "ok");
}

static bool arp_request_alias_match(const uint8_t *f, uint32_t len)
{
    return len >= 42 && be16(f + 12) == ETH_ARP && be16(f + 20) == 1 &&
           bytes_eq(f + 38, net.alias, 4);
}

/*
 * Echo 1 from the lease; echo 2 from the alias: libslirp holds its
 * reply and asks who has the alias (if_encap4), the probe answers;
 * echo 3 from the lease. The replies to 2 and 3 may come in either
 * order (the held one leaves at libslirp's next if_start, which may be
 * echo 3's or the main loop's), so both are kept and printed in order.
 */
static uint8_t echo_kept[2][14 + 20 + 8 + ICMP_PAYLOAD];
static uint32_t echo_kept_len[2];

static void ping(void)
{
    icmp_echo(net.ip, 1);
    if (net_wait(icmp_reply_match, NET_WAIT_TSC) && be16(pkt_l4() + 6) == 1) {
        icmp_report("net.icmp.1");
    } else {
        pr("net.icmp.1=none\n");
    }
    icmp_echo(net.alias, 2);
    if (net_wait(arp_request_alias_match, NET_WAIT_TSC)) {
        report_arp("net.arp.asked", arp_req, arp_req_len);
    } else {
        pr("net.arp.asked=none\n");
    }
    icmp_echo(net.ip, 3);
    for (int i = 0; i < 2 && net_wait(icmp_reply_match, NET_WAIT_TSC); i++) {
        uint16_t seq = be16(pkt_l4() + 6);

        if ((seq == 2 || seq == 3) && pkt_len <= sizeof(echo_kept[0])) {
            memcpy(echo_kept[seq - 2], pkt, pkt_len);
            echo_kept_len[seq - 2] = pkt_len;
        }
    }
    for (uint16_t seq = 2; seq <= 3; seq++) {
        if (!echo_kept_len[seq - 2]) {
            pr("net.icmp.%u=none\n", seq);
            continue;
        }
        memcpy(pkt, echo_kept[seq - 2], echo_kept_len[seq - 2]);
        pkt_len = echo_kept_len[seq - 2];
        icmp_report(seq == 2 ? "net.icmp.2" : "net.icmp.3");
    }
    pr("net.arp.answered=%u\n", net.arp_answered);
}

/* ---- TCP from the hostfwd port ---- */

typedef struct Tcp {
    uint8_t peer_port[2];   /* libslirp's source port (not printed) */
    uint32_t irs;           /* libslirp's ISN */
    uint32_t rcv_nxt, snd_nxt;
    uint8_t flags_seen;     /* every segment's flags after the SYN */
    bool synack_acked, data_acked, fin;
    uint32_t fin_seq;       /* relative to irs */
    uint8_t data[TCP_DATA_MAX];
    uint32_t data_len;
} Tcp;

static Tcp tcp;

static bool tcp_syn_match(const uint8_t *f, uint32_t len)
{
    const uint8_t *t = f + 14 + (f[14] & 15) * 4;

    return pkt_is_ip(f, len, IP_TCP) && len >= 54 &&
           bytes_eq(f + 30, net.ip, 4) && be16(t + 2) == TCP_PORT &&
           (t[13] & TCP_SYN) && !(t[13] & TCP_ACK);
}

static bool tcp_conn_match(const uint8_t *f, uint32_t len)
{
    const uint8_t *t = f + 14 + (f[14] & 15) * 4;

    return pkt_is_ip(f, len, IP_TCP) && len >= 54 &&
           bytes_eq(t, tcp.peer_port, 2) && be16(t + 2) == TCP_PORT;
}

/* One segment to libslirp: flags, then data (and the MSS with SYN) */
static void tcp_send(uint8_t flags, const uint8_t *data, uint32_t len)
{
    uint32_t hl = flags & TCP_SYN ? 24 : 20;
    uint8_t *t = ip_start(net.router_mac, net.ip, net.host, IP_TCP,
                          hl + len);

    set_be16(t, TCP_PORT);
    memcpy(t + 2, tcp.peer_port, 2);
    set_be32(t + 4, tcp.snd_nxt);
    set_be32(t + 8, tcp.rcv_nxt);
    t[12] = hl << 2;
    t[13] = flags;
    set_be16(t + 14, TCP_WINDOW);
    if (flags & TCP_SYN) {
        t[20] = 2;                                      /* MSS 1460 */
        t[21] = 4;
        set_be16(t + 22, 1460);
    }
    memcpy(t + hl, data, len);
    set_be16(t + 16, csum_l4(t - 20, t, hl + len));
    net_send(14 + 20 + hl + len);
    tcp.snd_nxt += len + !!(flags & TCP_SYN) + !!(flags & TCP_FIN);
}

/* A segment of the connection: flags, ACKs, in-order data and FIN */
static void tcp_take(void)
{
    const uint8_t *t = pkt_l4();
    uint32_t l4 = pkt_l4_len(), hl = (t[12] >> 4) * 4;
    uint32_t seq = get32_be(t + 4), ack = get32_be(t + 8);
    uint32_t len = l4 > hl ? l4 - hl : 0;

    tcp.flags_seen |= t[13];
    if (t[13] & TCP_ACK) {
        tcp.synack_acked |= ack == TCP_ISS + 1;
        tcp.data_acked |= ack == tcp.snd_nxt && tcp.snd_nxt > TCP_ISS + 1;
    }
    if (seq == tcp.rcv_nxt && len) {
        for (uint32_t i = 0; i < len && tcp.data_len < TCP_DATA_MAX; i++) {
            tcp.data[tcp.data_len++] = t[hl + i];
        }
        tcp.rcv_nxt += len;
    }
    if ((t[13] & TCP_FIN) && seq + len == tcp.rcv_nxt && !tcp.fin) {
        tcp.fin = true;
        tcp.fin_seq = seq + len - tcp.irs;
        tcp.rcv_nxt++;
    }
}

static bool tcp_has_line(void)
{
    for (uint32_t i = 0; i < tcp.data_len; i++) {
        if (tcp.data[i] == '\n') {
            return true;
        }
    }
    return false;
}

static void tcp_hostfwd(void)
{
    static const char reply[] = "hello from the probe\n";
    const uint8_t *t;
    uint32_t hl;
    int n;

    pr("net.tcp.listen=%u\n", TCP_PORT);
    if (!net_wait(tcp_syn_match, PEER_WAIT_TSC)) {
        pr("net.tcp.syn=none\n");
        return;
    }
    t = pkt_l4();
    hl = (t[12] >> 4) * 4;
    report_ip("net.tcp.syn");
    pr("net.tcp.syn.tcp=dport=%u flags=%2x ack=%x hlen=%u window=%u "
       "urg=%u csum=%s options=", be16(t + 2), t[13], get32_be(t + 8), hl,
       be16(t + 14), be16(t + 18),
       csum_l4(pkt_ip(), t, pkt_l4_len()) ? "bad" : "ok");
    put_bytes(t + 20, hl > 20 && hl <= pkt_l4_len() ? hl - 20 : 0);
    pr("\n");
    memcpy(tcp.peer_port, t, 2);
    tcp.irs = get32_be(t + 4);
    tcp.rcv_nxt = tcp.irs + 1;
    tcp.snd_nxt = TCP_ISS;
    tcp_send(TCP_SYN | TCP_ACK, NULL, 0);

    /* the handshake's ACK and the peer's line, in however many segments */
    for (n = 0; n < TCP_SEGMENTS && !(tcp.synack_acked && tcp_has_line());
         n++) {
        if (!net_wait(tcp_conn_match, NET_WAIT_TSC)) {
            break;
        }
        tcp_take();
    }
    pr("net.tcp.synack_acked=%u\n", tcp.synack_acked);
    pr("net.tcp.data=");
    put_escaped(tcp.data, tcp.data_len);
    pr("\nnet.tcp.data.len=%u\n", tcp.data_len);
    tcp_send(TCP_ACK | TCP_PSH | TCP_FIN, (const uint8_t *)reply,
             sizeof(reply) - 1);

    /* its ACK of the reply and FIN, then its own FIN (the peer closed) */
    for (n = 0; n < TCP_SEGMENTS && !(tcp.data_acked && tcp.fin); n++) {
        if (!net_wait(tcp_conn_match, NET_WAIT_TSC)) {
            break;
        }
        tcp_take();
    }
    pr("net.tcp.reply_acked=%u\n", tcp.data_acked);
    if (tcp.fin) {
        pr("net.tcp.fin=rel_seq=%u\n", tcp.fin_seq);
        tcp_send(TCP_ACK, NULL, 0);
    } else {
        pr("net.tcp.fin=none\n");
    }
    pr("net.tcp.data.total=%u\n", tcp.data_len);
    pr("net.tcp.flags_seen=%2x\n", tcp.flags_seen);
}

/* ---- UDP from a hostfwd port ---- */

#define UDP_PORT        7               /* the case's udp hostfwd port */

static bool udp_match(const uint8_t *f, uint32_t len)
{
    const uint8_t *u = f + 14 + (f[14] & 15) * 4;

    return pkt_is_ip(f, len, IP_UDP) && bytes_eq(f + 30, net.ip, 4) &&
           be16(u + 2) == UDP_PORT;
}

/*
 * After net.udp.listen, run-diff's peer sends a datagram to the case's
 * hostfwd=udp: port; libslirp forwards it to port 7 (its source port,
 * a host port, is not printed) and the probe answers to where it came
 * from, which libslirp sends on to the peer.
 */
static void udp_hostfwd(void)
{
    static const char reply[] = "pong from the probe\n";
    const uint8_t *u;
    uint8_t peer_ip[4], peer_port[2], *o;
    uint32_t l4, len;

    pr("net.udp.listen=%u\n", UDP_PORT);
    if (!net_wait(udp_match, PEER_WAIT_TSC)) {
        pr("net.udp.rx=none\n");
        return;
    }
    u = pkt_l4();
    l4 = pkt_l4_len();
    len = be16(u + 4) < l4 ? be16(u + 4) : l4;
    report_ip("net.udp.rx");
    pr("net.udp.rx.udp=dport=%u len=%u csum=%s data=", be16(u + 2),
       be16(u + 4), !be16(u + 6) ? "none" :
       csum_l4(pkt_ip(), u, len) ? "bad" : "ok");
    put_escaped(u + 8, len > 8 ? len - 8 : 0);
    pr("\n");
    memcpy(peer_ip, pkt_ip() + 12, 4);
    memcpy(peer_port, u, 2);
    o = ip_start(net.router_mac, net.ip, peer_ip, IP_UDP,
                 8 + sizeof(reply) - 1);
    set_be16(o, UDP_PORT);
    memcpy(o + 2, peer_port, 2);
    set_be16(o + 4, 8 + sizeof(reply) - 1);
    memcpy(o + 8, reply, sizeof(reply) - 1);
    set_be16(o + 6, csum_udp(o - 20, o, 8 + sizeof(reply) - 1));
    pr("net.udp.tx=%u\n", net_send(14 + 20 + 8 + sizeof(reply) - 1));
}

void probe_usernet(void)
{
    if (!net_open()) {
        return;
    }
    memcpy(net.ip, (const uint8_t[4]){ 10, 0, 2, 15 }, 4);
    memcpy(net.host, (const uint8_t[4]){ 10, 0, 2, 2 }, 4);
    dhcp();
    memcpy(net.alias, net.ip, 4);
    net.alias[3]++;
    pr("net.ip=");
    put_ip(net.ip);
    pr("\nnet.host=");
    put_ip(net.host);
    pr("\nnet.alias=");
    put_ip(net.alias);
    pr("\n");
    arp_resolve_router();
    ping();
    tcp_hostfwd();
    udp_hostfwd();
    pr("net.arp.answered.end=%u\n", net.arp_answered);
    vio_wr(net.base, VIO_STATUS, 0);
}
