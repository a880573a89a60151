/*
 * virtio-net-device: an Ethernet NIC on a network backend (virtio 1.2,
 * 5.1; QEMU 7.2's hw/net/virtio-net.c, include/hw/virtio/virtio-net.h,
 * include/standard-headers/linux/virtio_net.h).
 *
 * TX is popped in the main loop (a bottom half or timer scheduled by the
 * queue's kick) and handed to the backend; RX comes from the backend's
 * delivery, in the main loop. Everything here runs with the BQL held.
 */
#ifndef HW_VIRTIO_VIRTIO_NET_H
#define HW_VIRTIO_VIRTIO_NET_H

#include "hw/virtio/virtio.h"
#include "hw/net/nic-properties.h"
#include "net/net.h"
#include "qemu/bh.h"
#include "qemu/timer.h"
#include "system/runstate.h"

#define TYPE_VIRTIO_NET "virtio-net-device"
#define VIRTIO_ID_NET 1

/* Feature bits (virtio 1.2, 5.1.3) */
#define VIRTIO_NET_F_CSUM               0
#define VIRTIO_NET_F_GUEST_CSUM         1
#define VIRTIO_NET_F_CTRL_GUEST_OFFLOADS 2
#define VIRTIO_NET_F_MTU                3
#define VIRTIO_NET_F_MAC                5
#define VIRTIO_NET_F_GSO                6   /* legacy only */
#define VIRTIO_NET_F_GUEST_TSO4         7
#define VIRTIO_NET_F_GUEST_TSO6         8
#define VIRTIO_NET_F_GUEST_ECN          9
#define VIRTIO_NET_F_GUEST_UFO          10
#define VIRTIO_NET_F_HOST_TSO4          11
#define VIRTIO_NET_F_HOST_TSO6          12
#define VIRTIO_NET_F_HOST_ECN           13
#define VIRTIO_NET_F_HOST_UFO           14
#define VIRTIO_NET_F_MRG_RXBUF          15
#define VIRTIO_NET_F_STATUS             16
#define VIRTIO_NET_F_CTRL_VQ            17
#define VIRTIO_NET_F_CTRL_RX            18
#define VIRTIO_NET_F_CTRL_VLAN          19
#define VIRTIO_NET_F_CTRL_RX_EXTRA      20
#define VIRTIO_NET_F_GUEST_ANNOUNCE     21
#define VIRTIO_NET_F_MQ                 22
#define VIRTIO_NET_F_CTRL_MAC_ADDR      23
#define VIRTIO_NET_F_HASH_REPORT        57
#define VIRTIO_NET_F_RSS                60
#define VIRTIO_NET_F_RSC_EXT            61
#define VIRTIO_NET_F_STANDBY            62
#define VIRTIO_NET_F_SPEED_DUPLEX       63

/* Config space (struct virtio_net_config, little endian on x86) */
#define VIRTIO_NET_CFG_MAC              0   /* 6 bytes */
#define VIRTIO_NET_CFG_STATUS           6   /* le16 */
#define VIRTIO_NET_CFG_MAX_VQ_PAIRS     8   /* le16 */
#define VIRTIO_NET_CFG_MTU              10  /* le16 */
#define VIRTIO_NET_CFG_SPEED            12  /* le32 */
#define VIRTIO_NET_CFG_DUPLEX           16  /* u8 */
#define VIRTIO_NET_CFG_RSS_MAX_KEY      17  /* u8 */
#define VIRTIO_NET_CFG_RSS_MAX_TABLE    18  /* le16 */
#define VIRTIO_NET_CFG_HASH_TYPES       20  /* le32 */
#define VIRTIO_NET_CFG_SIZE             24

#define VIRTIO_NET_S_LINK_UP            1
#define VIRTIO_NET_S_ANNOUNCE           2

/* struct virtio_net_hdr (10 bytes), + num_buffers (mrg_rxbuf, 12) */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM     1
#define VIRTIO_NET_HDR_F_DATA_VALID     2
#define VIRTIO_NET_HDR_GSO_NONE         0
#define VIRTIO_NET_HDR_LEN              10
#define VIRTIO_NET_HDR_MRG_LEN          12
#define VIRTIO_NET_HDR_NUM_BUFFERS      10  /* offset of le16 num_buffers */

/* Control queue (5.1.6.5): class, command, data, then the ack byte */
#define VIRTIO_NET_OK                   0
#define VIRTIO_NET_ERR                  1
#define VIRTIO_NET_CTRL_RX              0
#define  VIRTIO_NET_CTRL_RX_PROMISC     0
#define  VIRTIO_NET_CTRL_RX_ALLMULTI    1
#define  VIRTIO_NET_CTRL_RX_ALLUNI      2
#define  VIRTIO_NET_CTRL_RX_NOMULTI     3
#define  VIRTIO_NET_CTRL_RX_NOUNI       4
#define  VIRTIO_NET_CTRL_RX_NOBCAST     5
#define VIRTIO_NET_CTRL_MAC             1
#define  VIRTIO_NET_CTRL_MAC_TABLE_SET  0
#define  VIRTIO_NET_CTRL_MAC_ADDR_SET   1
#define VIRTIO_NET_CTRL_VLAN            2
#define  VIRTIO_NET_CTRL_VLAN_ADD       0
#define  VIRTIO_NET_CTRL_VLAN_DEL       1
#define VIRTIO_NET_CTRL_ANNOUNCE        3
#define  VIRTIO_NET_CTRL_ANNOUNCE_ACK   0
#define VIRTIO_NET_CTRL_MQ              4
#define  VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET 0
#define  VIRTIO_NET_CTRL_MQ_RSS_CONFIG  1
#define  VIRTIO_NET_CTRL_MQ_HASH_CONFIG 2
#define  VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN 1
#define  VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX 0x8000
#define VIRTIO_NET_CTRL_GUEST_OFFLOADS  5
#define  VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET 0

/* QEMU 7.2's limits and defaults */
#define VIRTIO_NET_MAC_TABLE_ENTRIES    64
#define VIRTIO_NET_MAX_VLAN             4096
#define VIRTIO_NET_TX_TIMER_INTERVAL    150000  /* ns */
#define VIRTIO_NET_TX_BURST             256
#define VIRTIO_NET_RX_QUEUE_DEFAULT_SIZE 256
#define VIRTIO_NET_RX_QUEUE_MIN_SIZE    256
#define VIRTIO_NET_TX_QUEUE_DEFAULT_SIZE 256
#define VIRTIO_NET_TX_QUEUE_MIN_SIZE    256
#define VIRTIO_NET_CTRL_QUEUE_SIZE      64
#define VIRTIO_NET_RSC_DEFAULT_INTERVAL 300000
#define VIRTIO_NET_SPEED_UNKNOWN        (-1)
#define VIRTIO_NET_DUPLEX_HALF          0x00
#define VIRTIO_NET_DUPLEX_FULL          0x01
#define VIRTIO_NET_DUPLEX_UNKNOWN       0xff

typedef struct VirtIONet VirtIONet;

/* One RX/TX queue pair (QEMU's VirtIONetQueue) */
typedef struct VirtIONetQueue {
    VirtQueue *rx_vq;
    VirtQueue *tx_vq;
    QEMUTimer *tx_timer;        /* tx=timer */
    QEMUBH *tx_bh;              /* tx=bh (the default) */
    bool tx_waiting;            /* a flush is scheduled or due */
    VirtQueueElement *async_tx; /* queued by the backend: waits sent_cb */
    VirtIONet *n;
} VirtIONetQueue;

struct VirtIONet {
    VirtIODevice parent_obj;
    /* Properties: QEMU 7.2's virtio_net_properties (bits of host_features) */
    bool f_csum, f_guest_csum, f_gso, f_guest_tso4, f_guest_tso6;
    bool f_guest_ecn, f_guest_ufo, f_guest_announce, f_host_tso4;
    bool f_host_tso6, f_host_ecn, f_host_ufo, f_mrg_rxbuf, f_status;
    bool f_ctrl_vq, f_ctrl_rx, f_ctrl_vlan, f_ctrl_rx_extra;
    bool f_ctrl_mac_addr, f_ctrl_guest_offloads, f_mq, f_rss, f_hash;
    bool f_guest_rsc_ext;
    uint32_t rsc_timeout;
    NICConf nic_conf;
    int32_t bootindex;
    uint32_t txtimer;
    int32_t txburst;
    char *tx;
    uint16_t rx_queue_size;
    uint16_t tx_queue_size;
    uint16_t mtu;
    bool mtu_bypass_backend;
    int32_t speed;
    char *duplex_str;
    bool failover;
    /* Guest-visible state */
    uint64_t host_features;     /* the properties' bits, as QEMU's field */
    uint8_t mac[6];
    uint16_t status;
    uint8_t duplex;
    size_t config_size;
    bool promisc, allmulti, alluni, nomulti, nouni, nobcast;
    struct {
        uint32_t in_use;
        uint32_t first_multi;
        bool multi_overflow;
        bool uni_overflow;
        uint8_t macs[VIRTIO_NET_MAC_TABLE_ENTRIES * 6];
    } mac_table;
    uint32_t vlans[VIRTIO_NET_MAX_VLAN / 32];
    uint64_t curr_guest_offloads;
    bool mergeable_rx_bufs;
    bool multiqueue;
    uint16_t max_queue_pairs;
    uint16_t curr_queue_pairs;
    /* Host plumbing */
    NICState *nic;
    VirtIONetQueue *vqs;
    VirtQueue *ctrl_vq;
    bool has_vnet_hdr;          /* the peer takes a virtio_net_hdr */
    bool has_ufo;
    size_t host_hdr_len;        /* header the backend sends and takes */
    size_t guest_hdr_len;       /* header the guest's buffers carry */
    int32_t tx_burst;
    int64_t tx_timeout;
    VMChangeStateEntry *vmstate;
};

#define VIRTIO_NET(obj) OBJECT_CHECK(VirtIONet, (obj), TYPE_VIRTIO_NET)

void virtio_net_register_types(void);

/* Inside the device (hw/net/virtio-net.c, virtio-net-ctrl.c) */
void virtio_net_handle_ctrl(VirtIODevice *vdev, VirtQueue *vq);
void virtio_net_set_status(VirtIODevice *vdev, uint8_t status);
void virtio_net_set_queue_pairs(VirtIONet *n);
uint64_t virtio_net_guest_offloads_by_features(uint64_t features);
void virtio_net_apply_guest_offloads(VirtIONet *n);

#endif
