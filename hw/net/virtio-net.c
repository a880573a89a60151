/*
 * virtio-net-device (virtio 1.2, 5.1), as QEMU 7.2's hw/net/virtio-net.c
 * without vhost, eBPF RSS, receive segment coalescing or failover: a
 * queue pair per queue of the network backend (netdev=, tap queues=N,
 * include/net/net.h) and the control queue last.
 *
 * Queues (QEMU's virtio_net_device_realize, virtio_net_set_multiqueue):
 * realize makes N pairs (RX 2i, TX 2i + 1) and the control queue 2N;
 * features without MQ cut that to one pair and the control queue 2,
 * features with MQ make the N pairs again. The guest uses
 * curr_queue_pairs of them (1 after reset, MQ VQ_PAIRS_SET), and the
 * backend's other queues are detached (tap: TUNSETQUEUE). Pair i
 * talks to backend queue i only: its own TX bottom half and RX path.
 *
 * Register map: the config space (struct virtio_net_config, little
 * endian as x86 QEMU's virtio_st*_p): mac, status, max_virtqueue_pairs,
 * mtu, speed, duplex and the RSS fields, cut to the size the host
 * features need (QEMU's feature_sizes / virtio_get_config_size).
 *
 * TX (virtio_net_flush_tx): a kick schedules a bottom half (tx=bh, the
 * default) or a timer (tx=timer) with guest notifications off; the main
 * loop pops up to x-txburst frames and hands them to the backend with
 * qemu_sendv_packet_async. A frame the backend queued (0) holds the
 * queue until its sent callback. RX (virtio_net_receive): a frame the
 * guest has no buffers for is refused with 0 (the net core queues it)
 * and the guest's next RX kick flushes the queue. The vnet header: the
 * guest's is guest_hdr_len bytes (10, or 12 with mergeable buffers or
 * VERSION_1); a backend that takes one (tap vnet_hdr) gets host_hdr_len
 * bytes of it, else none: headers are cut or made up on the way.
 *
 * The control queue is in hw/net/virtio-net-ctrl.c.
 *
 * Byte order: x86 guests and hosts are both little endian, so QEMU's
 * needs_vnet_hdr_swap is always false here and headers pass unchanged.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/virtio/virtio-net.h"

#define ETH_ALEN        6
#define ETH_HLEN        14
#define ETH_P_VLAN      0x8100

static int32_t virtio_net_flush_tx(VirtIONetQueue *q);

static inline void stw_le(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static inline void stl_le(uint8_t *p, uint32_t v)
{
    stw_le(p, v);
    stw_le(p + 2, v >> 16);
}

static inline uint16_t lduw_be(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static VirtIONetQueue *virtio_net_get_subqueue(NetClientState *nc)
{
    VirtIONet *n = qemu_get_nic_opaque(nc);

    return &n->vqs[nc->queue_index];
}

/* Virtqueue index to queue pair (rx 2i, tx 2i + 1) */
static unsigned vq2q(unsigned queue_index)
{
    return queue_index / 2;
}

static bool virtio_net_vm_running(void)
{
    return runstate_is_running();
}

/*
 * QEMU's flush_or_purge_queued_packets: what we sent that waits at the
 * peer goes now if it can, else is dropped; a frame held for its sent
 * callback (async_tx) is given up either way.
 */
static void virtio_net_flush_or_purge(VirtIONet *n, unsigned index)
{
    NetClientState *nc = qemu_get_subqueue(n->nic, index);
    VirtIONetQueue *q = &n->vqs[index];

    if (!nc->peer) {
        return;
    }
    qemu_flush_queued_packets(nc->peer);
    qemu_purge_queued_packets(nc);
    if (q->async_tx) {
        virtqueue_detach_element(q->tx_vq, q->async_tx);
        g_clear_pointer(&q->async_tx, g_free);
    }
}

/* ---- config space ---------------------------------------------------- */

/* QEMU's virtio_net_set_config_size: the last field a host feature needs */
static size_t virtio_net_config_size(uint64_t host_features)
{
    static const struct {
        uint64_t flags;
        size_t end;
    } feature_sizes[] = {
        { 1ULL << VIRTIO_NET_F_MAC, VIRTIO_NET_CFG_STATUS },
        { 1ULL << VIRTIO_NET_F_STATUS, VIRTIO_NET_CFG_MAX_VQ_PAIRS },
        { 1ULL << VIRTIO_NET_F_MQ, VIRTIO_NET_CFG_MTU },
        { 1ULL << VIRTIO_NET_F_MTU, VIRTIO_NET_CFG_SPEED },
        { 1ULL << VIRTIO_NET_F_SPEED_DUPLEX, VIRTIO_NET_CFG_RSS_MAX_KEY },
        { 1ULL << VIRTIO_NET_F_RSS | 1ULL << VIRTIO_NET_F_HASH_REPORT,
          VIRTIO_NET_CFG_SIZE },
    };
    size_t size = VIRTIO_NET_CFG_STATUS;

    host_features |= 1ULL << VIRTIO_NET_F_MAC;
    for (size_t i = 0; i < ARRAY_SIZE(feature_sizes); i++) {
        if (host_features & feature_sizes[i].flags) {
            size = MAX(size, feature_sizes[i].end);
        }
    }
    return size;
}

static void virtio_net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    uint8_t cfg[VIRTIO_NET_CFG_SIZE] = { 0 };

    memcpy(cfg + VIRTIO_NET_CFG_MAC, n->mac, ETH_ALEN);
    stw_le(cfg + VIRTIO_NET_CFG_STATUS, n->status);
    stw_le(cfg + VIRTIO_NET_CFG_MAX_VQ_PAIRS, n->max_queue_pairs);
    stw_le(cfg + VIRTIO_NET_CFG_MTU, n->mtu);
    stl_le(cfg + VIRTIO_NET_CFG_SPEED, n->speed);
    cfg[VIRTIO_NET_CFG_DUPLEX] = n->duplex;
    /* QEMU's VIRTIO_NET_RSS_MAX_KEY_SIZE and supported hash types */
    cfg[VIRTIO_NET_CFG_RSS_MAX_KEY] = 40;
    stw_le(cfg + VIRTIO_NET_CFG_RSS_MAX_TABLE, 1);
    stl_le(cfg + VIRTIO_NET_CFG_HASH_TYPES, 0x1ff);
    memcpy(config, cfg, n->config_size);
}

/* QEMU's virtio_net_set_config: a legacy driver without CTRL_MAC_ADDR
 * sets the MAC by writing it. */
static void virtio_net_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    if (!virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_MAC_ADDR) &&
        !virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1) &&
        memcmp(config + VIRTIO_NET_CFG_MAC, n->mac, ETH_ALEN)) {
        memcpy(n->mac, config + VIRTIO_NET_CFG_MAC, ETH_ALEN);
        qemu_format_nic_info_str(qemu_get_queue(n->nic), n->mac);
    }
}

/* ---- features ---------------------------------------------------------- */

/* QEMU's virtio_net_get_features, for a backend without vhost */
static uint64_t virtio_net_get_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    static const uint64_t needs_vnet_hdr =
        1ULL << VIRTIO_NET_F_CSUM | 1ULL << VIRTIO_NET_F_HOST_TSO4 |
        1ULL << VIRTIO_NET_F_HOST_TSO6 | 1ULL << VIRTIO_NET_F_HOST_ECN |
        1ULL << VIRTIO_NET_F_GUEST_CSUM | 1ULL << VIRTIO_NET_F_GUEST_TSO4 |
        1ULL << VIRTIO_NET_F_GUEST_TSO6 | 1ULL << VIRTIO_NET_F_GUEST_ECN |
        1ULL << VIRTIO_NET_F_HASH_REPORT;

    features |= n->host_features | 1ULL << VIRTIO_NET_F_MAC;
    if (!n->has_vnet_hdr) {
        features &= ~needs_vnet_hdr;
    }
    if (!n->has_vnet_hdr || !n->has_ufo) {
        features &= ~(1ULL << VIRTIO_NET_F_GUEST_UFO |
                      1ULL << VIRTIO_NET_F_HOST_UFO);
    }
    return features | 1ULL << VIRTIO_F_RING_RESET;
}

/* QEMU's virtio_net_set_mrg_rx_bufs (no hash report): every queue */
static void virtio_net_set_mrg_rx_bufs(VirtIONet *n, bool mergeable,
                                       bool version_1)
{
    n->mergeable_rx_bufs = mergeable;
    n->guest_hdr_len = version_1 || mergeable ? VIRTIO_NET_HDR_MRG_LEN
                                              : VIRTIO_NET_HDR_LEN;
    for (unsigned i = 0; i < n->max_queue_pairs; i++) {
        NetClientState *peer = qemu_get_subqueue(n->nic, i)->peer;

        if (n->has_vnet_hdr &&
            qemu_has_vnet_hdr_len(peer, n->guest_hdr_len)) {
            qemu_set_vnet_hdr_len(peer, n->guest_hdr_len);
            n->host_hdr_len = n->guest_hdr_len;
        }
    }
}

uint64_t virtio_net_guest_offloads_by_features(uint64_t features)
{
    static const uint64_t mask =
        1ULL << VIRTIO_NET_F_GUEST_CSUM | 1ULL << VIRTIO_NET_F_GUEST_TSO4 |
        1ULL << VIRTIO_NET_F_GUEST_TSO6 | 1ULL << VIRTIO_NET_F_GUEST_ECN |
        1ULL << VIRTIO_NET_F_GUEST_UFO;

    return features & mask;
}

void virtio_net_apply_guest_offloads(VirtIONet *n)
{
    uint64_t o = n->curr_guest_offloads;

    qemu_set_offload(qemu_get_queue(n->nic)->peer,
                     !!(o & 1ULL << VIRTIO_NET_F_GUEST_CSUM),
                     !!(o & 1ULL << VIRTIO_NET_F_GUEST_TSO4),
                     !!(o & 1ULL << VIRTIO_NET_F_GUEST_TSO6),
                     !!(o & 1ULL << VIRTIO_NET_F_GUEST_ECN),
                     !!(o & 1ULL << VIRTIO_NET_F_GUEST_UFO));
}

/* ---- queue pairs --------------------------------------------------- */

static void virtio_net_handle_rx(VirtIODevice *vdev, VirtQueue *vq);
static void virtio_net_handle_tx(VirtIODevice *vdev, VirtQueue *vq);
static void virtio_net_tx_bh(void *opaque);
static void virtio_net_tx_timer(void *opaque);

/* QEMU's virtio_net_add_queue: pair index takes the next two slots */
static void virtio_net_add_queue(VirtIONet *n, unsigned index)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    VirtIONetQueue *q = &n->vqs[index];

    q->n = n;
    q->rx_vq = virtio_add_queue(vdev, n->rx_queue_size, virtio_net_handle_rx);
    q->tx_vq = virtio_add_queue(vdev, n->tx_queue_size, virtio_net_handle_tx);
    if (n->tx && !strcmp(n->tx, "timer")) {
        q->tx_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, virtio_net_tx_timer,
                                   q);
    } else {
        q->tx_bh = qemu_bh_new(virtio_net_tx_bh, q);
    }
    q->tx_waiting = false;
}

/*
 * QEMU's virtio_net_del_queue: what the pair sent that waits at the
 * backend is dropped, its flush is forgotten, its slots are freed.
 */
static void virtio_net_del_queue(VirtIONet *n, unsigned index)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    VirtIONetQueue *q = &n->vqs[index];

    qemu_purge_queued_packets(qemu_get_subqueue(n->nic, index));
    if (q->async_tx) {
        virtqueue_detach_element(q->tx_vq, q->async_tx);
        g_clear_pointer(&q->async_tx, g_free);
    }
    virtio_del_queue(vdev, index * 2);
    g_clear_pointer(&q->tx_timer, timer_free);
    g_clear_pointer(&q->tx_bh, qemu_bh_delete);
    q->tx_waiting = false;
    virtio_del_queue(vdev, index * 2 + 1);
}

/*
 * QEMU's virtio_net_change_num_queue_pairs: the control queue always
 * moves to stay last, pairs go or come above the first.
 */
static void virtio_net_change_num_queue_pairs(VirtIONet *n, unsigned pairs)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    unsigned old_pairs = n->ctrl_vq->queue_index / 2;

    if (old_pairs == pairs) {
        return;
    }
    virtio_del_queue(vdev, n->ctrl_vq->queue_index);
    for (unsigned i = pairs; i < old_pairs; i++) {
        virtio_net_del_queue(n, i);
    }
    for (unsigned i = old_pairs; i < pairs; i++) {
        virtio_net_add_queue(n, i);
    }
    n->ctrl_vq = virtio_add_queue(vdev, VIRTIO_NET_CTRL_QUEUE_SIZE,
                                  virtio_net_handle_ctrl);
}

/*
 * QEMU's peer_attach / peer_detach: a single-queue backend is never
 * touched (attach with one pair is a no-op, detach never happens).
 */
static void virtio_net_peer_set_enabled(VirtIONet *n, unsigned index,
                                        bool enable)
{
    NetClientState *nc = qemu_get_subqueue(n->nic, index);

    if (!nc->peer || (enable && n->max_queue_pairs == 1)) {
        return;
    }
    if (qemu_set_queue_enabled(nc->peer, enable) < 0) {
        error_report("virtio-net: cannot %s queue %u of netdev '%s'",
                     enable ? "attach" : "detach", index, nc->peer->name);
    }
}

/* QEMU's virtio_net_set_queue_pairs: the used pairs' backend queues on */
void virtio_net_set_queue_pairs(VirtIONet *n)
{
    if (n->nic->peer_deleted) {
        return;
    }
    for (unsigned i = 0; i < n->max_queue_pairs; i++) {
        virtio_net_peer_set_enabled(n, i, i < n->curr_queue_pairs);
    }
}

/* QEMU's virtio_net_set_multiqueue */
static void virtio_net_set_multiqueue(VirtIONet *n, bool multiqueue)
{
    n->multiqueue = multiqueue;
    virtio_net_change_num_queue_pairs(n, multiqueue ? n->max_queue_pairs
                                                    : 1);
    virtio_net_set_queue_pairs(n);
}

/* QEMU's virtio_net_set_features (RSS is never offered here) */
static void virtio_net_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    virtio_net_set_multiqueue(n, virtio_has_feature(features,
                                                    VIRTIO_NET_F_MQ));
    virtio_net_set_mrg_rx_bufs(n,
                               virtio_has_feature(features,
                                                  VIRTIO_NET_F_MRG_RXBUF),
                               virtio_has_feature(features,
                                                  VIRTIO_F_VERSION_1));
    if (n->has_vnet_hdr) {
        n->curr_guest_offloads =
            virtio_net_guest_offloads_by_features(features);
        virtio_net_apply_guest_offloads(n);
    }
    /* without CTRL_VLAN every VLAN passes the filter */
    memset(n->vlans, virtio_has_feature(features, VIRTIO_NET_F_CTRL_VLAN) ?
           0 : 0xff, sizeof(n->vlans));
}

/* ---- status, link, reset -------------------------------------------- */

static bool virtio_net_started(VirtIONet *n, uint8_t status)
{
    return (status & VIRTIO_CONFIG_S_DRIVER_OK) &&
           (n->status & VIRTIO_NET_S_LINK_UP) && virtio_net_vm_running();
}

/* QEMU's virtqueue_drop_all: every pending frame completed unsent */
static void virtio_net_drop_tx_queue_data(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtQueueElement *elem;
    unsigned dropped = 0;

    while ((elem = virtqueue_pop(vq, sizeof(*elem)))) {
        virtqueue_push(vq, elem, 0);
        g_free(elem);
        dropped++;
    }
    if (dropped) {
        virtio_notify(vdev, vq);
    }
}

static void virtio_net_schedule_tx(VirtIONet *n, VirtIONetQueue *q)
{
    if (q->tx_timer) {
        timer_mod(q->tx_timer,
                  qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + n->tx_timeout);
    } else {
        qemu_bh_schedule(q->tx_bh);
    }
}

/*
 * QEMU's virtio_net_set_status: a started queue pair takes what waits
 * for it and resumes a pending flush; a stopped one holds it, and drops
 * it when the link went down under a running driver.
 */
void virtio_net_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    for (unsigned i = 0; i < n->max_queue_pairs; i++) {
        NetClientState *ncs = qemu_get_subqueue(n->nic, i);
        VirtIONetQueue *q = &n->vqs[i];
        uint8_t queue_status = (!n->multiqueue && i != 0) ||
                               i >= n->curr_queue_pairs ? 0 : status;
        bool started = virtio_net_started(n, queue_status);

        if (started) {
            qemu_flush_queued_packets(ncs);
        }
        if (!q->tx_waiting) {
            continue;
        }
        if (started) {
            virtio_net_schedule_tx(n, q);
            continue;
        }
        if (q->tx_timer) {
            timer_del(q->tx_timer);
        } else {
            qemu_bh_cancel(q->tx_bh);
        }
        if (!(n->status & VIRTIO_NET_S_LINK_UP) &&
            (queue_status & VIRTIO_CONFIG_S_DRIVER_OK) &&
            virtio_net_vm_running()) {
            q->tx_waiting = false;
            virtio_queue_set_notification(q->tx_vq, true);
            virtio_net_drop_tx_queue_data(vdev, q->tx_vq);
        }
    }
}

/* QEMU's virtio_net_set_link_status: LINK_UP follows the NIC's link */
static void virtio_net_set_link_status(NetClientState *nc)
{
    VirtIONet *n = qemu_get_nic_opaque(nc);
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    uint16_t old_status = n->status;

    if (nc->link_down) {
        n->status &= ~VIRTIO_NET_S_LINK_UP;
    } else {
        n->status |= VIRTIO_NET_S_LINK_UP;
    }
    if (n->status != old_status) {
        virtio_notify_config(vdev);
    }
    virtio_net_set_status(vdev, vdev->status);
}

/* QEMU's virtio_vmstate_change: queues stop and resume with the VM */
static void virtio_net_vm_state_change(void *opaque, bool running,
                                       RunState state)
{
    VirtIODevice *vdev = opaque;

    virtio_net_set_status(vdev, vdev->status);
}

/* QEMU's virtio_net_reset: back to the compatible promiscuous NIC */
static void virtio_net_reset(VirtIODevice *vdev)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    n->promisc = true;
    n->allmulti = n->alluni = n->nomulti = n->nouni = n->nobcast = false;
    n->curr_queue_pairs = 1;
    n->status &= ~VIRTIO_NET_S_ANNOUNCE;
    memset(&n->mac_table, 0, sizeof(n->mac_table));
    memcpy(n->mac, n->nic_conf.macaddr.a, ETH_ALEN);
    qemu_format_nic_info_str(qemu_get_queue(n->nic), n->mac);
    memset(n->vlans, 0, sizeof(n->vlans));
    for (unsigned i = 0; i < n->max_queue_pairs; i++) {
        VirtIONetQueue *q = &n->vqs[i];

        virtio_net_flush_or_purge(n, i);
        q->tx_waiting = false;
        if (q->tx_timer) {
            timer_del(q->tx_timer);
        } else if (q->tx_bh) {
            qemu_bh_cancel(q->tx_bh);      /* none: a deleted pair */
        }
    }
}

/* ---- RX ---------------------------------------------------------------- */

/* The guest added buffers: what waits for them goes now. */
static void virtio_net_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    qemu_flush_queued_packets(qemu_get_subqueue(n->nic,
                                                vq2q(vq->queue_index)));
}

static bool virtio_net_can_receive(NetClientState *nc)
{
    VirtIONet *n = qemu_get_nic_opaque(nc);
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    VirtIONetQueue *q = virtio_net_get_subqueue(nc);

    return virtio_net_vm_running() &&
           nc->queue_index < n->curr_queue_pairs &&
           virtio_queue_ready(q->rx_vq) &&
           (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK);
}

/*
 * QEMU's virtio_net_has_buffers: room for bufsize bytes (mergeable) or
 * one buffer. Without room the guest is asked to kick when it adds some,
 * and the queue is looked at again in case it did in between.
 */
static bool virtio_net_has_buffers(VirtIONetQueue *q, size_t bufsize)
{
    VirtIONet *n = q->n;

    for (int pass = 0; pass < 2; pass++) {
        unsigned in_bytes = 0;

        if (!virtio_queue_empty(q->rx_vq)) {
            if (!n->mergeable_rx_bufs) {
                break;
            }
            virtqueue_get_avail_bytes(q->rx_vq, &in_bytes, NULL, bufsize, 0);
            if (in_bytes >= bufsize) {
                break;
            }
        }
        if (pass) {
            return false;
        }
        virtio_queue_set_notification(q->rx_vq, true);
    }
    virtio_queue_set_notification(q->rx_vq, false);
    return true;
}

/*
 * QEMU's receive_filter: true when the guest wants the frame. A frame
 * too short for the fields looked at only passes in promiscuous mode.
 */
static bool virtio_net_receive_filter(VirtIONet *n, const uint8_t *buf,
                                      size_t size)
{
    static const uint8_t bcast[ETH_ALEN] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff
    };
    const uint8_t *ptr = buf + n->host_hdr_len;
    size_t len = size - n->host_hdr_len;

    if (n->promisc) {
        return true;
    }
    if (len < ETH_HLEN) {
        return false;
    }
    if (lduw_be(ptr + 12) == ETH_P_VLAN && len >= ETH_HLEN + 2) {
        unsigned vid = lduw_be(ptr + 14) & 0xfff;

        if (!(n->vlans[vid >> 5] & (1U << (vid & 0x1f)))) {
            return false;
        }
    }
    if (ptr[0] & 1) {
        if (!memcmp(ptr, bcast, ETH_ALEN)) {
            return !n->nobcast;
        }
        if (n->nomulti) {
            return false;
        }
        if (n->allmulti || n->mac_table.multi_overflow) {
            return true;
        }
        for (uint32_t i = n->mac_table.first_multi; i < n->mac_table.in_use;
             i++) {
            if (!memcmp(ptr, &n->mac_table.macs[i * ETH_ALEN], ETH_ALEN)) {
                return true;
            }
        }
        return false;
    }
    if (n->nouni) {
        return false;
    }
    if (n->alluni || n->mac_table.uni_overflow ||
        !memcmp(ptr, n->mac, ETH_ALEN)) {
        return true;
    }
    for (uint32_t i = 0; i < n->mac_table.first_multi; i++) {
        if (!memcmp(ptr, &n->mac_table.macs[i * ETH_ALEN], ETH_ALEN)) {
            return true;
        }
    }
    return false;
}

static uint16_t net_checksum_finish(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

static uint32_t net_checksum_add(const uint8_t *buf, size_t len)
{
    uint32_t sum = 0;
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        sum += buf[i] << 8 | buf[i + 1];
    }
    if (i < len) {
        sum += buf[i] << 8;
    }
    return sum;
}

/*
 * QEMU's net_checksum_calculate(CSUM_UDP) for the frames
 * work_around_broken_dhclient picks (IPv4, no VLAN, a 20-byte IP header
 * as QEMU assumes): the UDP checksum filled in.
 */
static void virtio_net_udp_checksum(uint8_t *frame, size_t len)
{
    uint8_t *ip = frame + ETH_HLEN, *udp = ip + 20;
    size_t hlen = (ip[0] & 0xf) * 4;
    size_t ip_len = lduw_be(ip + 2);
    uint32_t sum;

    if (len - ETH_HLEN < 20 || ip[0] >> 4 != 4 || hlen < 20 ||
        (lduw_be(ip + 6) & 0x3fff) || len - ETH_HLEN < ip_len ||
        ip_len < hlen + 8) {
        return;
    }
    ip_len -= hlen;
    udp[6] = udp[7] = 0;
    sum = net_checksum_add(udp, ip_len) + net_checksum_add(ip + 12, 8) +
          17 + ip_len;
    sum = net_checksum_finish(sum);
    udp[6] = sum >> 8;
    udp[7] = sum;
}

/*
 * QEMU's work_around_broken_dhclient: a DHCP reply (UDP from port 67)
 * the backend left for the guest to checksum gets its checksum, for
 * dhclients that ignore the header's NEEDS_CSUM. The frame is the
 * backend's: the fixed copy goes to the guest in fixed.
 */
static const uint8_t *virtio_net_fix_dhcp(VirtIONet *n, const uint8_t *buf,
                                          size_t size, uint8_t *fixed,
                                          size_t fixed_size)
{
    const uint8_t *frame = buf + n->host_hdr_len;
    size_t len = size - n->host_hdr_len;

    if (!(buf[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM) || len <= 27 ||
        len >= 1500 || frame[12] != 0x08 || frame[13] != 0x00 ||
        frame[23] != 17 || frame[34] != 0 || frame[35] != 67 ||
        size > fixed_size) {
        return buf;
    }
    memcpy(fixed, buf, size);
    virtio_net_udp_checksum(fixed + n->host_hdr_len, len);
    fixed[0] &= ~VIRTIO_NET_HDR_F_NEEDS_CSUM;
    return fixed;
}

/* QEMU's receive_header: the backend's header, or an empty one */
static void virtio_net_receive_header(VirtIONet *n, const struct iovec *iov,
                                      unsigned cnt, const uint8_t *buf)
{
    static const uint8_t none[VIRTIO_NET_HDR_LEN] = {
        0, VIRTIO_NET_HDR_GSO_NONE
    };

    iov_from_buf(iov, cnt, 0, n->has_vnet_hdr ? buf : none,
                 VIRTIO_NET_HDR_LEN);
}

/*
 * QEMU's virtio_net_receive_rcu: one frame (with the backend's header,
 * host_hdr_len bytes) into one buffer, or into as many as it needs with
 * mergeable buffers, all published at once. Returns size when taken or
 * dropped, 0 when the guest has no room yet, -1 when it cannot receive.
 */
static ssize_t virtio_net_receive(NetClientState *nc, const uint8_t *buf,
                                  size_t size)
{
    VirtIONet *n = qemu_get_nic_opaque(nc);
    VirtIONetQueue *q = virtio_net_get_subqueue(nc);
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    VirtQueueElement *elems[VIRTQUEUE_MAX_SIZE];
    size_t lens[VIRTQUEUE_MAX_SIZE];
    uint8_t fixed[1500 + VIRTIO_NET_HDR_MRG_LEN];
    size_t offset = 0, i = 0;
    ssize_t err;

    if (!virtio_net_can_receive(nc)) {
        return -1;
    }
    if (size < n->host_hdr_len) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-net: a %zu-byte frame is "
                      "shorter than the backend's header\n", size);
        return size;
    }
    if (!virtio_net_has_buffers(q, size + n->guest_hdr_len -
                                   n->host_hdr_len)) {
        return 0;
    }
    if (!virtio_net_receive_filter(n, buf, size)) {
        return size;
    }
    if (n->has_vnet_hdr) {
        buf = virtio_net_fix_dhcp(n, buf, size, fixed, sizeof(fixed));
    }

    while (offset < size) {
        VirtQueueElement *elem;
        size_t len, total = 0, guest_offset = 0;

        if (i == VIRTQUEUE_MAX_SIZE) {
            virtio_error(vdev, "virtio-net unexpected long buffer chain");
            err = size;
            goto err;
        }
        elem = virtqueue_pop(q->rx_vq, sizeof(*elem));
        if (!elem) {
            if (i) {
                virtio_error(vdev, "virtio-net unexpected empty queue: "
                             "i %zd mergeable %d offset %zd, size %zd, "
                             "guest hdr len %zd, host hdr len %zd "
                             "guest features 0x%" PRIx64, i,
                             n->mergeable_rx_bufs, offset, size,
                             n->guest_hdr_len, n->host_hdr_len,
                             vdev->guest_features);
            }
            err = -1;
            goto err;
        }
        if (elem->in_num < 1) {
            virtio_error(vdev,
                         "virtio-net receive queue contains no in buffers");
            virtqueue_detach_element(q->rx_vq, elem);
            g_free(elem);
            err = -1;
            goto err;
        }
        if (i == 0) {
            virtio_net_receive_header(n, elem->in_sg, elem->in_num, buf);
            offset = n->host_hdr_len;
            total = guest_offset = n->guest_hdr_len;
        }
        len = iov_from_buf(elem->in_sg, elem->in_num, guest_offset,
                           buf + offset, size - offset);
        total += len;
        offset += len;
        /* without mergeable buffers a frame must fit in one: dropped */
        if (!n->mergeable_rx_bufs && offset < size) {
            virtqueue_unpop(q->rx_vq, elem);
            g_free(elem);
            err = size;
            goto err;
        }
        elems[i] = elem;
        lens[i] = total;
        i++;
    }

    if (n->mergeable_rx_bufs && i) {
        uint16_t num_buffers = GUINT16_TO_LE(i);

        iov_from_buf(elems[0]->in_sg, elems[0]->in_num,
                     VIRTIO_NET_HDR_NUM_BUFFERS, &num_buffers, 2);
    }
    for (size_t j = 0; j < i; j++) {
        virtqueue_fill(q->rx_vq, elems[j], lens[j], j);
        g_free(elems[j]);
    }
    virtqueue_flush(q->rx_vq, i);
    virtio_notify(vdev, q->rx_vq);
    return size;

err:
    for (size_t j = 0; j < i; j++) {
        virtqueue_detach_element(q->rx_vq, elems[j]);
        g_free(elems[j]);
    }
    return err;
}

/* ---- TX ---------------------------------------------------------------- */

/* The frame the backend had queued went: the queue goes on. */
static void virtio_net_tx_complete(NetClientState *nc, ssize_t len)
{
    VirtIONet *n = qemu_get_nic_opaque(nc);
    VirtIONetQueue *q = virtio_net_get_subqueue(nc);
    VirtIODevice *vdev = VIRTIO_DEVICE(n);

    if (!q->async_tx) {
        return;     /* given up by a reset meanwhile */
    }
    virtqueue_push(q->tx_vq, q->async_tx, 0);
    virtio_notify(vdev, q->tx_vq);
    g_clear_pointer(&q->async_tx, g_free);

    virtio_queue_set_notification(q->tx_vq, true);
    if (virtio_net_flush_tx(q) >= n->tx_burst) {
        /* stopped by the burst: no kick will come for the rest */
        virtio_queue_set_notification(q->tx_vq, false);
        virtio_net_schedule_tx(n, q);
        q->tx_waiting = true;
    }
}

/*
 * QEMU's virtio_net_flush_tx: up to tx_burst frames to the backend.
 * Returns the frames sent, -EBUSY when the backend queued one (the
 * queue waits for virtio_net_tx_complete), -EINVAL when the ring is
 * malformed (the device is broken).
 */
static int32_t virtio_net_flush_tx(VirtIONetQueue *q)
{
    VirtIONet *n = q->n;
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    NetClientState *nc = qemu_get_subqueue(n->nic, vq2q(q->tx_vq->queue_index));
    int32_t num_packets = 0;

    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return 0;
    }
    if (q->async_tx) {
        virtio_queue_set_notification(q->tx_vq, false);
        return 0;
    }
    for (;;) {
        struct iovec sg[VIRTQUEUE_MAX_SIZE];
        struct iovec *out_sg;
        unsigned out_num;
        VirtQueueElement *elem = virtqueue_pop(q->tx_vq, sizeof(*elem));
        ssize_t ret;

        if (!elem) {
            break;
        }
        out_num = elem->out_num;
        out_sg = elem->out_sg;
        if (out_num < 1) {
            virtio_error(vdev, "virtio-net header not in first element");
            virtqueue_detach_element(q->tx_vq, elem);
            g_free(elem);
            return -EINVAL;
        }
        if (n->has_vnet_hdr &&
            iov_size(out_sg, out_num) < n->guest_hdr_len) {
            virtio_error(vdev, "virtio-net header incorrect");
            virtqueue_detach_element(q->tx_vq, elem);
            g_free(elem);
            return -EINVAL;
        }
        /* the backend sees host_hdr_len bytes of the guest's header */
        if (n->host_hdr_len != n->guest_hdr_len) {
            out_num = iov_copy(sg, ARRAY_SIZE(sg), elem->out_sg,
                               elem->out_num, 0, n->host_hdr_len);
            out_num += iov_copy(sg + out_num, ARRAY_SIZE(sg) - out_num,
                                elem->out_sg, elem->out_num,
                                n->guest_hdr_len, SIZE_MAX);
            out_sg = sg;
        }
        ret = qemu_sendv_packet_async(nc, out_sg, out_num,
                                      virtio_net_tx_complete);
        if (ret == 0) {
            virtio_queue_set_notification(q->tx_vq, false);
            q->async_tx = elem;
            return -EBUSY;
        }
        virtqueue_push(q->tx_vq, elem, 0);
        virtio_notify(vdev, q->tx_vq);
        g_free(elem);
        if (++num_packets >= n->tx_burst) {
            break;
        }
    }
    return num_packets;
}

/*
 * QEMU's virtio_net_tx_bh and virtio_net_tx_timer: a burst; a full one
 * means more are coming (flush again soon), else notifications go back
 * on and what came in meanwhile is flushed.
 */
static void virtio_net_tx_run(VirtIONetQueue *q)
{
    VirtIONet *n = q->n;
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    int32_t ret;

    if (!virtio_net_vm_running()) {
        return;     /* tx_waiting stays: resumed with the VM */
    }
    q->tx_waiting = false;
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    ret = virtio_net_flush_tx(q);
    if (ret == -EBUSY || ret == -EINVAL) {
        return;
    }
    if (ret >= n->tx_burst) {
        q->tx_waiting = true;
        virtio_net_schedule_tx(n, q);
        return;
    }
    virtio_queue_set_notification(q->tx_vq, true);
    ret = virtio_net_flush_tx(q);
    if (ret > 0) {
        virtio_queue_set_notification(q->tx_vq, false);
        q->tx_waiting = true;
        virtio_net_schedule_tx(n, q);
    }
}

static void virtio_net_tx_bh(void *opaque)
{
    virtio_net_tx_run(opaque);
}

static void virtio_net_tx_timer(void *opaque)
{
    virtio_net_tx_run(opaque);
}

/*
 * The guest kicked TX (on a vCPU, or in the main loop from the queue's
 * ioeventfd): notifications off, and the main loop flushes (QEMU's
 * virtio_net_handle_tx_bh / _timer). Frames are never sent on a vCPU.
 */
static void virtio_net_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    VirtIONetQueue *q = &n->vqs[vq2q(vq->queue_index)];

    if (!(n->status & VIRTIO_NET_S_LINK_UP)) {
        virtio_net_drop_tx_queue_data(vdev, vq);
        return;
    }
    if (q->tx_timer) {
        if (!virtio_net_vm_running()) {
            q->tx_waiting = true;
            return;
        }
        if (q->tx_waiting) {
            /* a second kick before the timer: flush now */
            timer_del(q->tx_timer);
            virtio_net_tx_run(q);
            return;
        }
        q->tx_waiting = true;
        virtio_queue_set_notification(vq, false);
        virtio_net_schedule_tx(n, q);
        return;
    }
    if (q->tx_waiting) {
        return;
    }
    q->tx_waiting = true;
    if (!virtio_net_vm_running()) {
        return;
    }
    virtio_queue_set_notification(vq, false);
    qemu_bh_schedule(q->tx_bh);
}

/* ---- realize ----------------------------------------------------------- */

static NetClientInfo net_virtio_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(NICState),
    .can_receive = virtio_net_can_receive,
    .receive = virtio_net_receive,
    .link_status_changed = virtio_net_set_link_status,
};

/* The properties' bits, as QEMU's DEFINE_PROP_BIT64 on host_features */
static uint64_t virtio_net_prop_features(VirtIONet *n)
{
    const struct {
        bool on;
        unsigned bit;
    } bits[] = {
        { n->f_csum, VIRTIO_NET_F_CSUM },
        { n->f_guest_csum, VIRTIO_NET_F_GUEST_CSUM },
        { n->f_gso, VIRTIO_NET_F_GSO },
        { n->f_guest_tso4, VIRTIO_NET_F_GUEST_TSO4 },
        { n->f_guest_tso6, VIRTIO_NET_F_GUEST_TSO6 },
        { n->f_guest_ecn, VIRTIO_NET_F_GUEST_ECN },
        { n->f_guest_ufo, VIRTIO_NET_F_GUEST_UFO },
        { n->f_guest_announce, VIRTIO_NET_F_GUEST_ANNOUNCE },
        { n->f_host_tso4, VIRTIO_NET_F_HOST_TSO4 },
        { n->f_host_tso6, VIRTIO_NET_F_HOST_TSO6 },
        { n->f_host_ecn, VIRTIO_NET_F_HOST_ECN },
        { n->f_host_ufo, VIRTIO_NET_F_HOST_UFO },
        { n->f_mrg_rxbuf, VIRTIO_NET_F_MRG_RXBUF },
        { n->f_status, VIRTIO_NET_F_STATUS },
        { n->f_ctrl_vq, VIRTIO_NET_F_CTRL_VQ },
        { n->f_ctrl_rx, VIRTIO_NET_F_CTRL_RX },
        { n->f_ctrl_vlan, VIRTIO_NET_F_CTRL_VLAN },
        { n->f_ctrl_rx_extra, VIRTIO_NET_F_CTRL_RX_EXTRA },
        { n->f_ctrl_mac_addr, VIRTIO_NET_F_CTRL_MAC_ADDR },
        { n->f_ctrl_guest_offloads, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS },
        { n->f_mq, VIRTIO_NET_F_MQ },
        { n->f_rss, VIRTIO_NET_F_RSS },
        { n->f_hash, VIRTIO_NET_F_HASH_REPORT },
        { n->f_guest_rsc_ext, VIRTIO_NET_F_RSC_EXT },
    };
    uint64_t f = 0;

    for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
        if (bits[i].on) {
            f |= 1ULL << bits[i].bit;
        }
    }
    return f;
}

/* What microqemu does not do: refused by name, never ignored */
static bool virtio_net_check_supported(VirtIONet *n, Error **errp)
{
    static const struct {
        size_t offset;
        const char *what;
    } refused[] = {
        { offsetof(VirtIONet, f_rss), "rss=on (receive-side scaling)" },
        { offsetof(VirtIONet, f_hash), "hash=on (hash reporting)" },
        { offsetof(VirtIONet, f_guest_rsc_ext),
          "guest_rsc_ext=on (receive segment coalescing)" },
        { offsetof(VirtIONet, failover),
          "failover=on (needs a PCI primary device; microvm has no PCI)" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
        if (*(bool *)((uint8_t *)n + refused[i].offset)) {
            error_setg(errp, "virtio-net-device %s is not supported by "
                       "microqemu", refused[i].what);
            return false;
        }
    }
    if (n->bootindex != -1) {
        error_setg(errp, "virtio-net-device bootindex= is not supported by "
                   "microqemu (microvm has no boot order)");
        return false;
    }
    return true;
}

/* QEMU's realize checks of duplex, speed and the queue sizes */
static bool virtio_net_check_conf(VirtIONet *n, Error **errp)
{
    if (n->duplex_str) {
        if (!strcmp(n->duplex_str, "half")) {
            n->duplex = VIRTIO_NET_DUPLEX_HALF;
        } else if (!strcmp(n->duplex_str, "full")) {
            n->duplex = VIRTIO_NET_DUPLEX_FULL;
        } else {
            error_setg(errp, "'duplex' must be 'half' or 'full'");
            return false;
        }
        n->host_features |= 1ULL << VIRTIO_NET_F_SPEED_DUPLEX;
    } else {
        n->duplex = VIRTIO_NET_DUPLEX_UNKNOWN;
    }
    if (n->speed < VIRTIO_NET_SPEED_UNKNOWN) {
        error_setg(errp, "'speed' must be between 0 and INT_MAX");
        return false;
    }
    if (n->speed >= 0) {
        n->host_features |= 1ULL << VIRTIO_NET_F_SPEED_DUPLEX;
    }
    if (n->rx_queue_size < VIRTIO_NET_RX_QUEUE_MIN_SIZE ||
        n->rx_queue_size > VIRTQUEUE_MAX_SIZE ||
        (n->rx_queue_size & (n->rx_queue_size - 1))) {
        error_setg(errp, "Invalid rx_queue_size (= %" PRIu16 "), "
                   "must be a power of 2 between %d and %d.",
                   n->rx_queue_size, VIRTIO_NET_RX_QUEUE_MIN_SIZE,
                   VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (n->tx_queue_size < VIRTIO_NET_TX_QUEUE_MIN_SIZE ||
        n->tx_queue_size > VIRTQUEUE_MAX_SIZE ||
        (n->tx_queue_size & (n->tx_queue_size - 1))) {
        error_setg(errp, "Invalid tx_queue_size (= %" PRIu16 "), "
                   "must be a power of 2 between %d and %d",
                   n->tx_queue_size, VIRTIO_NET_TX_QUEUE_MIN_SIZE,
                   VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (n->tx && strcmp(n->tx, "timer") && strcmp(n->tx, "bh")) {
        warn_report("virtio-net: "
                    "Unknown option tx=%s, valid options: \"timer\" \"bh\"",
                    n->tx);
        error_printf("Defaulting to \"bh\"");
    }
    return true;
}

/* QEMU's virtio_net_device_realize */
static void virtio_net_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    NetClientState *nc;
    unsigned pairs;

    n->host_features = virtio_net_prop_features(n);
    if (n->mtu) {
        n->host_features |= 1ULL << VIRTIO_NET_F_MTU;
    }
    if (!virtio_net_check_supported(n, errp) ||
        !virtio_net_check_conf(n, errp)) {
        return;
    }
    /* every queue of the backend is a datapath queue (no vhost-vdpa) */
    pairs = MAX(n->nic_conf.peers.queues, 1);
    if (pairs * 2 + 1 > VIRTIO_QUEUE_MAX) {
        error_setg(errp, "Invalid number of queue pairs (= %u), must be a "
                   "positive integer less than %d.", pairs,
                   (VIRTIO_QUEUE_MAX - 1) / 2);
        return;
    }
    n->config_size = virtio_net_config_size(n->host_features);
    virtio_init(vdev, VIRTIO_ID_NET, n->config_size);

    n->max_queue_pairs = pairs;
    n->curr_queue_pairs = 1;
    n->tx_timeout = n->txtimer;
    n->tx_burst = n->txburst;
    n->vqs = g_new0(VirtIONetQueue, n->max_queue_pairs);
    /* QEMU's virtio_net_max_tx_queue_size: 256 but for vhost-user/vdpa */
    n->tx_queue_size = MIN(n->tx_queue_size, VIRTIO_NET_TX_QUEUE_DEFAULT_SIZE);
    for (unsigned i = 0; i < n->max_queue_pairs; i++) {
        virtio_net_add_queue(n, i);
    }
    n->ctrl_vq = virtio_add_queue(vdev, VIRTIO_NET_CTRL_QUEUE_SIZE,
                                  virtio_net_handle_ctrl);

    qemu_macaddr_default_if_unset(&n->nic_conf.macaddr);
    memcpy(n->mac, n->nic_conf.macaddr.a, ETH_ALEN);
    n->status = VIRTIO_NET_S_LINK_UP;
    n->nic = qemu_new_nic(&net_virtio_info, &n->nic_conf,
                          object_get_typename(OBJECT(n)), OBJECT(n)->id, n);
    nc = qemu_get_queue(n->nic);
    /* QEMU's peer_test_vnet_hdr / peer_has_ufo: the first queue speaks
     * for all; no queue needs short frames padded */
    n->has_vnet_hdr = nc->peer && qemu_has_vnet_hdr(nc->peer);
    n->has_ufo = n->has_vnet_hdr && qemu_has_ufo(nc->peer);
    for (unsigned i = 0; i < n->max_queue_pairs; i++) {
        NetClientState *qnc = qemu_get_subqueue(n->nic, i);

        qnc->do_not_pad = true;
        if (n->has_vnet_hdr) {
            qemu_using_vnet_hdr(qnc->peer, true);
        }
    }
    n->host_hdr_len = n->has_vnet_hdr ? VIRTIO_NET_HDR_LEN : 0;
    qemu_format_nic_info_str(nc, n->nic_conf.macaddr.a);
    virtio_net_set_mrg_rx_bufs(n, false, false);
    n->promisc = true;
    n->vmstate = qemu_add_vm_change_state_handler(virtio_net_vm_state_change,
                                                  vdev);
}

/*
 * QEMU's virtio_net_device_unrealize: the queues stop, then the NIC goes
 * (frames it sent that still wait at the backend are forgotten without
 * their callback; frames waiting for it go back to their senders).
 */
static void virtio_net_unrealize(VirtIODevice *vdev)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    if (!n->vqs) {
        return;     /* realize failed before anything was made */
    }
    qemu_del_vm_change_state_handler(n->vmstate);
    for (unsigned i = 0; i < n->max_queue_pairs; i++) {
        g_clear_pointer(&n->vqs[i].tx_timer, timer_free);
        g_clear_pointer(&n->vqs[i].tx_bh, qemu_bh_delete);
    }
    qemu_del_nic(n->nic);
    n->nic = NULL;
    for (unsigned i = 0; i < n->max_queue_pairs; i++) {
        g_clear_pointer(&n->vqs[i].async_tx, g_free);
    }
    g_clear_pointer(&n->vqs, g_free);
}

/*
 * QEMU 7.2's virtio_net_properties (bits of host_features print
 * "on/off", plain booleans nothing; bootindex is QEMU's
 * device_add_bootindex_property).
 */
#define NET_BIT(_name, _field, _def) \
    DEFINE_PROP_BOOL(_name, VirtIONet, _field, _def, "on/off")

static const Property virtio_net_properties[] = {
    NET_BIT("csum", f_csum, true),
    NET_BIT("guest_csum", f_guest_csum, true),
    NET_BIT("gso", f_gso, true),
    NET_BIT("guest_tso4", f_guest_tso4, true),
    NET_BIT("guest_tso6", f_guest_tso6, true),
    NET_BIT("guest_ecn", f_guest_ecn, true),
    NET_BIT("guest_ufo", f_guest_ufo, true),
    NET_BIT("guest_announce", f_guest_announce, true),
    NET_BIT("host_tso4", f_host_tso4, true),
    NET_BIT("host_tso6", f_host_tso6, true),
    NET_BIT("host_ecn", f_host_ecn, true),
    NET_BIT("host_ufo", f_host_ufo, true),
    NET_BIT("mrg_rxbuf", f_mrg_rxbuf, true),
    NET_BIT("status", f_status, true),
    NET_BIT("ctrl_vq", f_ctrl_vq, true),
    NET_BIT("ctrl_rx", f_ctrl_rx, true),
    NET_BIT("ctrl_vlan", f_ctrl_vlan, true),
    NET_BIT("ctrl_rx_extra", f_ctrl_rx_extra, true),
    NET_BIT("ctrl_mac_addr", f_ctrl_mac_addr, true),
    NET_BIT("ctrl_guest_offloads", f_ctrl_guest_offloads, true),
    NET_BIT("mq", f_mq, false),
    NET_BIT("rss", f_rss, false),
    NET_BIT("hash", f_hash, false),
    NET_BIT("guest_rsc_ext", f_guest_rsc_ext, false),
    DEFINE_PROP_UINT32("rsc_interval", VirtIONet, rsc_timeout,
                       VIRTIO_NET_RSC_DEFAULT_INTERVAL, NULL),
    DEFINE_NIC_PROPERTIES(VirtIONet, nic_conf),
    DEFINE_PROP_UINT32("x-txtimer", VirtIONet, txtimer,
                       VIRTIO_NET_TX_TIMER_INTERVAL, NULL),
    DEFINE_PROP_INT32("x-txburst", VirtIONet, txburst, VIRTIO_NET_TX_BURST,
                      NULL),
    DEFINE_PROP_STRING("tx", VirtIONet, tx, NULL),
    DEFINE_PROP_UINT16("rx_queue_size", VirtIONet, rx_queue_size,
                       VIRTIO_NET_RX_QUEUE_DEFAULT_SIZE, NULL),
    DEFINE_PROP_UINT16("tx_queue_size", VirtIONet, tx_queue_size,
                       VIRTIO_NET_TX_QUEUE_DEFAULT_SIZE, NULL),
    DEFINE_PROP_UINT16("host_mtu", VirtIONet, mtu, 0, NULL),
    DEFINE_PROP_BOOL("x-mtu-bypass-backend", VirtIONet, mtu_bypass_backend,
                     true, NULL),
    DEFINE_PROP_INT32("speed", VirtIONet, speed, VIRTIO_NET_SPEED_UNKNOWN,
                      NULL),
    DEFINE_PROP_STRING("duplex", VirtIONet, duplex_str, NULL),
    DEFINE_PROP_BOOL("failover", VirtIONet, failover, false, NULL),
    DEFINE_PROP_BOOTINDEX(VirtIONet, bootindex),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_net_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->categories = 1u << DEVICE_CATEGORY_NETWORK;
    dc->user_creatable = true;
    vdc->realize = virtio_net_realize;
    vdc->unrealize = virtio_net_unrealize;
    vdc->get_config = virtio_net_get_config;
    vdc->set_config = virtio_net_set_config;
    vdc->get_features = virtio_net_get_features;
    vdc->set_features = virtio_net_set_features;
    vdc->set_status = virtio_net_set_status;
    vdc->reset = virtio_net_reset;
    /* GSO is a legacy-only bit (QEMU's vdc->legacy_features) */
    vdc->legacy_features |= 1ULL << VIRTIO_NET_F_GSO;
    object_class_add_properties(oc, virtio_net_properties);
}

static const TypeInfo virtio_net_info = {
    .name = TYPE_VIRTIO_NET,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIONet),
    .class_init = virtio_net_class_init,
};

void virtio_net_register_types(void)
{
    type_register_static(&virtio_net_info);
}
