/*
 * virtio-net-device's control queue (virtio 1.2, 5.1.6.5), as QEMU 7.2's
 * virtio_net_handle_ctrl_iov and the handlers it calls: a class and a
 * command byte, the command's data, then one ack byte the device writes
 * (VIRTIO_NET_OK or VIRTIO_NET_ERR). Every command is checked against
 * what it carries; a chain without room for the headers breaks the
 * device. The element's own iovec arrays are consumed in place.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/virtio/virtio-net.h"

#define ETH_ALEN        6

static uint8_t virtio_net_handle_rx_mode(VirtIONet *n, uint8_t cmd,
                                         struct iovec *iov, unsigned cnt)
{
    uint8_t on;

    if (iov_to_buf(iov, cnt, 0, &on, 1) != 1) {
        return VIRTIO_NET_ERR;
    }
    switch (cmd) {
    case VIRTIO_NET_CTRL_RX_PROMISC:
        n->promisc = on;
        break;
    case VIRTIO_NET_CTRL_RX_ALLMULTI:
        n->allmulti = on;
        break;
    case VIRTIO_NET_CTRL_RX_ALLUNI:
        n->alluni = on;
        break;
    case VIRTIO_NET_CTRL_RX_NOMULTI:
        n->nomulti = on;
        break;
    case VIRTIO_NET_CTRL_RX_NOUNI:
        n->nouni = on;
        break;
    case VIRTIO_NET_CTRL_RX_NOBCAST:
        n->nobcast = on;
        break;
    default:
        return VIRTIO_NET_ERR;
    }
    return VIRTIO_NET_OK;
}

static uint8_t virtio_net_handle_offloads(VirtIONet *n, uint8_t cmd,
                                          struct iovec *iov, unsigned cnt)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    uint64_t offloads;

    if (!virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS)) {
        return VIRTIO_NET_ERR;
    }
    if (iov_to_buf(iov, cnt, 0, &offloads, 8) != 8) {
        return VIRTIO_NET_ERR;
    }
    if (cmd != VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET || !n->has_vnet_hdr) {
        return VIRTIO_NET_ERR;
    }
    offloads = GUINT64_FROM_LE(offloads);
    /* RSC_EXT is accepted and ignored: it is never offered here */
    offloads &= ~(1ULL << VIRTIO_NET_F_RSC_EXT);
    if (offloads &
        ~virtio_net_guest_offloads_by_features(vdev->guest_features)) {
        return VIRTIO_NET_ERR;
    }
    n->curr_guest_offloads = offloads;
    virtio_net_apply_guest_offloads(n);
    return VIRTIO_NET_OK;
}

/*
 * One MAC list of the table command: a le32 count, then count entries
 * (QEMU's virtio_net_handle_mac). Entries that do not fit set overflow.
 * exact: the list must end the command (the multicast list).
 */
static bool virtio_net_read_mac_list(struct iovec **iov, unsigned *cnt,
                                     uint8_t *macs, uint32_t *in_use,
                                     bool *overflow, bool exact)
{
    uint32_t entries;
    uint64_t bytes;

    if (iov_to_buf(*iov, *cnt, 0, &entries, 4) != 4) {
        return false;
    }
    iov_discard_front(iov, cnt, 4);
    entries = GUINT32_FROM_LE(entries);
    bytes = (uint64_t)entries * ETH_ALEN;
    if (exact ? bytes != iov_size(*iov, *cnt)
              : bytes > iov_size(*iov, *cnt)) {
        return false;
    }
    if (entries <= VIRTIO_NET_MAC_TABLE_ENTRIES - *in_use) {
        iov_to_buf(*iov, *cnt, 0, macs + *in_use * ETH_ALEN, bytes);
        *in_use += entries;
    } else {
        *overflow = true;
    }
    iov_discard_front(iov, cnt, bytes);
    return true;
}

static uint8_t virtio_net_handle_mac(VirtIONet *n, uint8_t cmd,
                                     struct iovec *iov, unsigned cnt)
{
    uint8_t macs[VIRTIO_NET_MAC_TABLE_ENTRIES * ETH_ALEN] = { 0 };
    uint32_t in_use = 0, first_multi;
    bool uni_overflow = false, multi_overflow = false;

    if (cmd == VIRTIO_NET_CTRL_MAC_ADDR_SET) {
        if (iov_size(iov, cnt) != ETH_ALEN) {
            return VIRTIO_NET_ERR;
        }
        iov_to_buf(iov, cnt, 0, n->mac, ETH_ALEN);
        qemu_format_nic_info_str(qemu_get_queue(n->nic), n->mac);
        return VIRTIO_NET_OK;
    }
    if (cmd != VIRTIO_NET_CTRL_MAC_TABLE_SET) {
        return VIRTIO_NET_ERR;
    }
    if (!virtio_net_read_mac_list(&iov, &cnt, macs, &in_use, &uni_overflow,
                                  false)) {
        return VIRTIO_NET_ERR;
    }
    first_multi = in_use;
    if (!virtio_net_read_mac_list(&iov, &cnt, macs, &in_use,
                                  &multi_overflow, true)) {
        return VIRTIO_NET_ERR;
    }
    n->mac_table.in_use = in_use;
    n->mac_table.first_multi = first_multi;
    n->mac_table.uni_overflow = uni_overflow;
    n->mac_table.multi_overflow = multi_overflow;
    memcpy(n->mac_table.macs, macs, sizeof(macs));
    return VIRTIO_NET_OK;
}

static uint8_t virtio_net_handle_vlan_table(VirtIONet *n, uint8_t cmd,
                                            struct iovec *iov, unsigned cnt)
{
    uint16_t vid;

    if (iov_to_buf(iov, cnt, 0, &vid, 2) != 2) {
        return VIRTIO_NET_ERR;
    }
    vid = GUINT16_FROM_LE(vid);
    if (vid >= VIRTIO_NET_MAX_VLAN) {
        return VIRTIO_NET_ERR;
    }
    if (cmd == VIRTIO_NET_CTRL_VLAN_ADD) {
        n->vlans[vid >> 5] |= 1U << (vid & 0x1f);
    } else if (cmd == VIRTIO_NET_CTRL_VLAN_DEL) {
        n->vlans[vid >> 5] &= ~(1U << (vid & 0x1f));
    } else {
        return VIRTIO_NET_ERR;
    }
    return VIRTIO_NET_OK;
}

/* No migration: ANNOUNCE is never raised, so an ack is an error (QEMU's
 * virtio_net_handle_announce without an announce round). */
static uint8_t virtio_net_handle_announce(VirtIONet *n, uint8_t cmd)
{
    if (cmd == VIRTIO_NET_CTRL_ANNOUNCE_ACK &&
        (n->status & VIRTIO_NET_S_ANNOUNCE)) {
        n->status &= ~VIRTIO_NET_S_ANNOUNCE;
        return VIRTIO_NET_OK;
    }
    return VIRTIO_NET_ERR;
}

/* QEMU's virtio_net_handle_mq: pairs in 1..max_queue_pairs with MQ
 * negotiated; RSS and hash configs need features never offered here,
 * so they fail as QEMU's do without them. */
static uint8_t virtio_net_handle_mq(VirtIONet *n, uint8_t cmd,
                                    struct iovec *iov, unsigned cnt)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    uint16_t pairs;

    if (cmd != VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET ||
        !virtio_vdev_has_feature(vdev, VIRTIO_NET_F_MQ)) {
        return VIRTIO_NET_ERR;
    }
    if (iov_to_buf(iov, cnt, 0, &pairs, 2) != 2) {
        return VIRTIO_NET_ERR;
    }
    pairs = GUINT16_FROM_LE(pairs);
    if (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN ||
        pairs > VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX ||
        pairs > n->max_queue_pairs || !n->multiqueue) {
        return VIRTIO_NET_ERR;
    }
    n->curr_queue_pairs = pairs;
    /* the queues stop before the backend's are detached (QEMU's order) */
    virtio_net_set_status(vdev, vdev->status);
    virtio_net_set_queue_pairs(n);
    return VIRTIO_NET_OK;
}

/*
 * QEMU's virtio_net_handle_ctrl_iov: the ack byte written, or 0 when the
 * element has no room for the headers (the device is then broken).
 */
static size_t virtio_net_handle_ctrl_elem(VirtIONet *n,
                                          VirtQueueElement *elem)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    struct iovec *iov = elem->out_sg;
    unsigned cnt = elem->out_num;
    uint8_t ctrl[2], status = VIRTIO_NET_ERR;

    if (iov_size(elem->in_sg, elem->in_num) < 1 ||
        iov_size(iov, cnt) < sizeof(ctrl)) {
        virtio_error(vdev, "virtio-net ctrl missing headers");
        return 0;
    }
    iov_to_buf(iov, cnt, 0, ctrl, sizeof(ctrl));
    iov_discard_front(&iov, &cnt, sizeof(ctrl));
    switch (ctrl[0]) {
    case VIRTIO_NET_CTRL_RX:
        status = virtio_net_handle_rx_mode(n, ctrl[1], iov, cnt);
        break;
    case VIRTIO_NET_CTRL_MAC:
        status = virtio_net_handle_mac(n, ctrl[1], iov, cnt);
        break;
    case VIRTIO_NET_CTRL_VLAN:
        status = virtio_net_handle_vlan_table(n, ctrl[1], iov, cnt);
        break;
    case VIRTIO_NET_CTRL_ANNOUNCE:
        status = virtio_net_handle_announce(n, ctrl[1]);
        break;
    case VIRTIO_NET_CTRL_MQ:
        status = virtio_net_handle_mq(n, ctrl[1], iov, cnt);
        break;
    case VIRTIO_NET_CTRL_GUEST_OFFLOADS:
        status = virtio_net_handle_offloads(n, ctrl[1], iov, cnt);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-net: unknown control "
                      "class %u\n", ctrl[0]);
        break;
    }
    iov_from_buf(elem->in_sg, elem->in_num, 0, &status, 1);
    return 1;
}

void virtio_net_handle_ctrl(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq, sizeof(*elem)))) {
        size_t written = virtio_net_handle_ctrl_elem(n, elem);

        if (!written) {
            virtqueue_detach_element(vq, elem);
            g_free(elem);
            break;
        }
        virtqueue_push(vq, elem, written);
        virtio_notify(vdev, vq);
        g_free(elem);
    }
}
