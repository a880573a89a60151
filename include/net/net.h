/*
 * Network clients: the NIC side (a device such as virtio-net-device) and
 * the backend side (-netdev tap, user, socket, stream, dgram, hubport)
 * are both NetClientState, joined as peers. A frame one sends is
 * delivered to its peer's receive; when the peer cannot take it now it
 * waits in the peer's incoming queue and the sender is told when it went.
 *
 * Source of truth: QEMU 7.2's include/net/net.h, net/net.c and
 * net/queue.c (delivery and queueing semantics, the default MAC
 * sequence, client naming), net/hub.c (the -net hub).
 *
 * Threading: everything here runs with the BQL held (the main loop:
 * backends' fd watches and libslirp's timers, the NIC's queue kicks).
 *
 * Delivery contract (QEMU's, relied on by every backend and NIC):
 * - qemu_send_packet_async(sender, ...) returns the size when the peer
 *   took the frame (or dropped it: link down, no peer), or 0 when it was
 *   queued: the sender must then stop sending until sent_cb(sender, ret)
 *   is called, when the queued frame finally went.
 * - A receive callback returns the size taken, or 0 for "not now": the
 *   frame is queued and receive_disabled is set until the receiver calls
 *   qemu_flush_queued_packets() on itself (it got room: e.g. the guest
 *   added RX buffers). A negative return drops the frame.
 * - can_receive() false means the same as returning 0, without trying.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include <sys/uio.h>
#include "qemu/osdep.h"
#include "qemu/option.h"

/* A full GSO frame (64 KiB) plus headroom for ethernet and vnet headers */
#define NET_BUFSIZE (4096 + 65536)
/* Queues a multi-queue netdev (tap queues=) may offer a NIC */
#define MAX_QUEUE_NUM 1024
/*
 * Frames a backend reads from its fd in one wake-up (a tap, as QEMU's
 * tap_send; a datagram socket too, where QEMU reads one): a main-loop
 * iteration per frame costs more than the frame, and a busy fd cannot
 * hold the BQL for longer than this many frames.
 */
#define NET_READ_BURST 50

typedef struct MACAddr {
    uint8_t a[6];
} MACAddr;

#define MAC_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define MAC_ARG(m) (m)[0], (m)[1], (m)[2], (m)[3], (m)[4], (m)[5]

/* QEMU's NetClientDriver (the QAPI enum), the kinds microqemu has */
typedef enum NetClientDriver {
    NET_CLIENT_DRIVER_NONE,
    NET_CLIENT_DRIVER_NIC,
    NET_CLIENT_DRIVER_USER,
    NET_CLIENT_DRIVER_TAP,
    NET_CLIENT_DRIVER_SOCKET,
    NET_CLIENT_DRIVER_STREAM,
    NET_CLIENT_DRIVER_DGRAM,
    NET_CLIENT_DRIVER_HUBPORT,
} NetClientDriver;

typedef struct NetClientState NetClientState;
typedef struct NetQueue NetQueue;

/* Called on the sender when a frame it had queued was delivered. */
typedef void NetPacketSent(NetClientState *sender, ssize_t ret);

typedef struct NetClientInfo {
    NetClientDriver type;
    size_t size;            /* of the struct embedding NetClientState */
    /* One of receive/receive_iov is required; the core adapts. */
    ssize_t (*receive)(NetClientState *nc, const uint8_t *buf, size_t size);
    ssize_t (*receive_iov)(NetClientState *nc, const struct iovec *iov,
                           int iovcnt);
    bool (*can_receive)(NetClientState *nc);
    /* Before the client is freed: close fds, remove watches. */
    void (*cleanup)(NetClientState *nc);
    /* nc->link_down changed (set_link later; a backend's peer vanished) */
    void (*link_status_changed)(NetClientState *nc);
    /*
     * Virtio-net header offload (a backend that can take frames with a
     * struct virtio_net_hdr in front: tap with vnet_hdr). All optional;
     * absent means "no". QEMU's qemu_has_vnet_hdr & co.
     */
    bool (*has_vnet_hdr)(NetClientState *nc);
    bool (*has_vnet_hdr_len)(NetClientState *nc, int len);
    bool (*has_ufo)(NetClientState *nc);
    void (*using_vnet_hdr)(NetClientState *nc, bool enable);
    void (*set_offload)(NetClientState *nc, int csum, int tso4, int tso6,
                        int ecn, int ufo);
    void (*set_vnet_hdr_len)(NetClientState *nc, int len);
    int (*set_vnet_le)(NetClientState *nc, bool is_le);
    /* Queue pair enable/disable for multi-queue (tap queues=) */
    int (*set_queue_enabled)(NetClientState *nc, bool enable);
} NetClientInfo;

struct NetClientState {
    const NetClientInfo *info;
    bool link_down;
    NetClientState *peer;
    NetQueue *incoming_queue;
    char *model;            /* "tap", "user", "virtio-net-device", ... */
    char *name;             /* the netdev id, or a generated name */
    char info_str[256];     /* what `info network` prints later */
    bool receive_disabled;  /* a receive returned 0: wait for a flush */
    bool is_netdev;         /* created by -netdev (may be a NIC's peer) */
    unsigned queue_index;
    int vnet_hdr_len;
    /*
     * Frames to this client need no padding to ETH_ZLEN (virtio-net sets
     * it on its queues, as QEMU 7.2's virtio_net_device_realize): tap and
     * user pad short frames only for a peer without it.
     */
    bool do_not_pad;
};

/* The NIC properties every network device has (QEMU's NICConf) */
typedef struct NICPeers {
    NetClientState *ncs[MAX_QUEUE_NUM];
    int32_t queues;
} NICPeers;

typedef struct NICConf {
    MACAddr macaddr;
    NICPeers peers;         /* netdev=: the backend's queues */
    int32_t bootindex;
} NICConf;

typedef struct NICState {
    NetClientState *ncs;    /* one per queue */
    NICConf *conf;
    void *opaque;           /* the device */
    bool peer_deleted;
} NICState;

/* ---- clients ------------------------------------------------------------ */

NetClientState *qemu_new_net_client(const NetClientInfo *info,
                                    NetClientState *peer,
                                    const char *model, const char *name);
void qemu_del_net_client(NetClientState *nc);
/* A -netdev by id (QEMU's qemu_find_netdev), or NULL */
NetClientState *qemu_find_netdev(const char *id);
/*
 * The clients named id that are not of type `type`, in creation order:
 * the queues of a multi-queue backend share its name (tap queues=).
 * Stores up to max in ncs, returns how many there are (QEMU's
 * qemu_find_net_clients_except).
 */
int qemu_find_net_clients_except(const char *id, NetClientState **ncs,
                                 NetClientDriver type, int max);
void qemu_set_info_str(NetClientState *nc, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* A NIC with conf->peers.queues queues (at least one) */
NICState *qemu_new_nic(const NetClientInfo *info, NICConf *conf,
                       const char *model, const char *name, void *opaque);
void qemu_del_nic(NICState *nic);
NetClientState *qemu_get_queue(NICState *nic);
NetClientState *qemu_get_subqueue(NICState *nic, int queue_index);
NICState *qemu_get_nic(NetClientState *nc);
void *qemu_get_nic_opaque(NetClientState *nc);
/* "model=virtio-net-device,macaddr=52:54:00:12:34:56" */
void qemu_format_nic_info_str(NetClientState *nc, const uint8_t macaddr[6]);
/* QEMU's default MAC sequence: 52:54:00:12:34:56, :57, ... */
void qemu_macaddr_default_if_unset(MACAddr *macaddr);

/* "52:54:00:12:34:56", to be g_free'd */
char *qemu_mac_strdup_printf(const uint8_t *macaddr);

/*
 * Registers the run-state handler that flushes the queues when the VM
 * starts and flushes or purges them when it stops (QEMU's
 * net_vm_change_state_handler). Idempotent; the first client calls it.
 */
void net_core_init(void);
/* Deletes every client and NIC (at exit; between unit tests) */
void net_cleanup(void);

/* ---- frames ------------------------------------------------------------- */

bool qemu_can_send_packet(NetClientState *sender);
bool qemu_can_receive_packet(NetClientState *nc);
ssize_t qemu_send_packet(NetClientState *sender, const uint8_t *buf,
                         int size);
ssize_t qemu_send_packet_async(NetClientState *sender, const uint8_t *buf,
                               int size, NetPacketSent *sent_cb);
ssize_t qemu_sendv_packet_async(NetClientState *sender,
                                const struct iovec *iov, int iovcnt,
                                NetPacketSent *sent_cb);
/* The receiver has room again: deliver what waits in its queue. */
void qemu_flush_queued_packets(NetClientState *nc);
/* Drop what nc sent that still waits in its peer's queue. */
void qemu_purge_queued_packets(NetClientState *nc);

/*
 * Short frames: QEMU 7.2's tap and user backends pad what they send to a
 * peer that needs it to the minimum Ethernet frame (ETH_ZLEN, without
 * FCS): buf of *padded_buflen >= ETH_ZLEN bytes gets pkt and zeros, and
 * *padded_buflen becomes ETH_ZLEN; false (nothing done) when pkt_size is
 * ETH_ZLEN or more.
 */
#define ETH_ZLEN 60
static inline bool net_peer_needs_padding(NetClientState *nc)
{
    return nc->peer && !nc->peer->do_not_pad;
}
bool eth_pad_short_frame(uint8_t *padded_pkt, size_t *padded_buflen,
                         const void *pkt, size_t pkt_size);

/* Offload queries and settings on a (backend) client; false/no-op when
 * the client does not implement them. */
bool qemu_has_vnet_hdr(NetClientState *nc);
bool qemu_has_vnet_hdr_len(NetClientState *nc, int len);
bool qemu_has_ufo(NetClientState *nc);
void qemu_using_vnet_hdr(NetClientState *nc, bool enable);
void qemu_set_offload(NetClientState *nc, int csum, int tso4, int tso6,
                      int ecn, int ufo);
void qemu_set_vnet_hdr_len(NetClientState *nc, int len);
int qemu_set_vnet_le(NetClientState *nc, bool is_le);
/* A backend queue attached or detached (tap queues=: TUNSETQUEUE); 0
 * when done or when the backend has no such thing, else negative. */
int qemu_set_queue_enabled(NetClientState *nc, bool enable);

/* ---- backends (-netdev, -net, -nic) ------------------------------------- */

/*
 * A backend type. The core parses -netdev/-net/-nic (QemuOpts, and the
 * JSON form), checks every key against `keys` with QEMU's errors, and
 * calls init with the options (read them with qemu_opt_get* and, for
 * repeatable keys such as hostfwd=, qemu_opt_iter_*). peer is the -net
 * hub port or NULL for -netdev. init creates its client(s) named `name`
 * and returns 0, or sets errp (QEMU's message for that backend) and
 * returns -1 leaving nothing behind.
 */
typedef struct NetBackend {
    const char *type;               /* "tap", "user", ... */
    NetClientDriver driver;
    const QemuOptDesc *keys;        /* besides type= and id= */
    int (*init)(QemuOpts *opts, const char *name, NetClientState *peer,
                Error **errp);
    /*
     * Optional, NULL-terminated: the members that must be given (QAPI's
     * mandatory ones), "Parameter 'x' is missing" in keys order before
     * undeclared keys are looked at, as QEMU's visitor. "addr" is given
     * by any "addr.*" key.
     */
    const char *const *required;
    /*
     * Optional, NULL-terminated: the members that are QAPI lists of
     * String (key=value: the key repeated; JSON: [{"str": "..."}, ...],
     * each element a value of the key, in order).
     */
    const char *const *lists;
} NetBackend;

void net_backend_register(const NetBackend *backend);
/* The registered backend of that type, or NULL */
const NetBackend *net_backend_find(const char *type);

#endif
