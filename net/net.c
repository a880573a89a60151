/*
 * The network core: clients and their peers, frame delivery and queueing,
 * NICs, the default MAC sequence, client names, the backend registry.
 *
 * Source of truth: QEMU 7.2's net/net.c (qemu_net_client_setup,
 * assign_name, qemu_macaddr_default_if_unset, qemu_del_net_client,
 * qemu_del_nic, qemu_can_send_packet, qemu_deliver_packet_iov,
 * nc_sendv_compat, qemu_flush_or_purge_queued_packets,
 * net_vm_change_state_handler, net_cleanup) and net/eth.c
 * (eth_pad_short_frame). No net filters (-object filter-*): microqemu
 * has none, so delivery goes straight to the peer's queue.
 */
#include "qemu/osdep.h"
#include "net/net.h"
#include "net/hub.h"
#include "net/net-opts.h"
#include "hw/virtio/virtio.h"
#include "system/runstate.h"
#include "queue.h"

/* Every client in creation order (QEMU's net_clients) */
static GPtrArray *net_clients;
static VMChangeStateEntry *net_change_state_entry;
/* Registered backend types (NetBackend), in registration order */
static GPtrArray *net_backends;

/* ---- MAC addresses ------------------------------------------------------ */

/*
 * How many NICs use 52:54:00:12:34:XX, per XX in 0x56..0xfe (QEMU's
 * mac_table): the default MAC is the lowest free one.
 */
static int mac_table[256];
static const uint8_t mac_base[5] = { 0x52, 0x54, 0x00, 0x12, 0x34 };

static bool qemu_macaddr_is_default_range(const MACAddr *macaddr)
{
    return memcmp(macaddr->a, mac_base, sizeof(mac_base)) == 0;
}

static void qemu_macaddr_set_used(const MACAddr *macaddr)
{
    if (macaddr->a[5] >= 0x56 && macaddr->a[5] < 0xff) {
        mac_table[macaddr->a[5]]++;
    }
}

static void qemu_macaddr_set_free(const MACAddr *macaddr)
{
    if (!qemu_macaddr_is_default_range(macaddr)) {
        return;
    }
    if (macaddr->a[5] >= 0x56 && macaddr->a[5] < 0xff) {
        mac_table[macaddr->a[5]]--;
    }
}

static int qemu_macaddr_get_free(void)
{
    int index;

    for (index = 0x56; index < 0xff; index++) {
        if (mac_table[index] == 0) {
            return index;
        }
    }
    return -1;      /* QEMU's: all 169 taken gives :ff */
}

void qemu_macaddr_default_if_unset(MACAddr *macaddr)
{
    static const MACAddr zero;

    if (memcmp(macaddr, &zero, sizeof(zero)) != 0) {
        /* Given by the user: taken out of the sequence if it is in it */
        if (qemu_macaddr_is_default_range(macaddr)) {
            qemu_macaddr_set_used(macaddr);
        }
        return;
    }
    memcpy(macaddr->a, mac_base, sizeof(mac_base));
    macaddr->a[5] = qemu_macaddr_get_free();
    qemu_macaddr_set_used(macaddr);
}

char *qemu_mac_strdup_printf(const uint8_t *macaddr)
{
    return g_strdup_printf(MAC_FMT, MAC_ARG(macaddr));
}

/* ---- clients ------------------------------------------------------------ */

void qemu_set_info_str(NetClientState *nc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(nc->info_str, sizeof(nc->info_str), fmt, ap);
    va_end(ap);
}

void qemu_format_nic_info_str(NetClientState *nc, const uint8_t macaddr[6])
{
    qemu_set_info_str(nc, "model=%s,macaddr=" MAC_FMT, nc->model,
                      MAC_ARG(macaddr));
}

/* QEMU's assign_name: "model.N", N = the other clients of that model */
static char *assign_name(NetClientState *nc1, const char *model)
{
    unsigned i;
    int id = 0;

    for (i = 0; i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        if (nc != nc1 && strcmp(nc->model, model) == 0) {
            id++;
        }
    }
    return g_strdup_printf("%s.%d", model, id);
}

static ssize_t qemu_deliver_packet_iov(NetClientState *sender,
                                       const struct iovec *iov, int iovcnt,
                                       void *opaque);
static void net_vm_change_state_handler(void *opaque, bool running,
                                        RunState state);

/*
 * The first client registers the run-state handler (QEMU's
 * net_init_clients does it before any device exists; so does the first
 * -netdev or NIC here, and net_init_clients calls this too).
 */
void net_core_init(void)
{
    if (!net_clients) {
        net_clients = g_ptr_array_new();
    }
    if (!net_change_state_entry) {
        net_change_state_entry =
            qemu_add_vm_change_state_handler(net_vm_change_state_handler,
                                             NULL);
    }
}

static void qemu_net_client_setup(NetClientState *nc,
                                  const NetClientInfo *info,
                                  NetClientState *peer,
                                  const char *model, const char *name)
{
    assert(info->receive || info->receive_iov);
    net_core_init();
    nc->info = info;
    nc->model = g_strdup(model);
    nc->name = name ? g_strdup(name) : assign_name(nc, model);
    if (peer) {
        assert(!peer->peer);
        nc->peer = peer;
        peer->peer = nc;
    }
    g_ptr_array_add(net_clients, nc);
    nc->incoming_queue = qemu_new_net_queue(qemu_deliver_packet_iov, nc);
}

NetClientState *qemu_new_net_client(const NetClientInfo *info,
                                    NetClientState *peer,
                                    const char *model, const char *name)
{
    NetClientState *nc;

    assert(info->size >= sizeof(NetClientState));
    nc = g_malloc0(info->size);
    qemu_net_client_setup(nc, info, peer, model, name);
    return nc;
}

/*
 * A NIC's info->size is its NICState (or a struct starting with one);
 * its queues' NetClientStates follow it in the same allocation, as QEMU's.
 */
NICState *qemu_new_nic(const NetClientInfo *info, NICConf *conf,
                       const char *model, const char *name, void *opaque)
{
    NetClientState **peers = conf->peers.ncs;
    int queues = MAX(1, conf->peers.queues);
    NICState *nic;
    int i;

    assert(info->type == NET_CLIENT_DRIVER_NIC);
    assert(info->size >= sizeof(NICState));
    assert(queues <= MAX_QUEUE_NUM);
    nic = g_malloc0(info->size + sizeof(NetClientState) * queues);
    nic->ncs = (NetClientState *)((char *)nic + info->size);
    nic->conf = conf;
    nic->opaque = opaque;
    for (i = 0; i < queues; i++) {
        qemu_net_client_setup(&nic->ncs[i], info, peers[i], model, name);
        nic->ncs[i].queue_index = i;
    }
    return nic;
}

NetClientState *qemu_get_subqueue(NICState *nic, int queue_index)
{
    return nic->ncs + queue_index;
}

NetClientState *qemu_get_queue(NICState *nic)
{
    return qemu_get_subqueue(nic, 0);
}

NICState *qemu_get_nic(NetClientState *nc)
{
    NetClientState *nc0 = nc - nc->queue_index;

    return (NICState *)((char *)nc0 - nc->info->size);
}

void *qemu_get_nic_opaque(NetClientState *nc)
{
    return qemu_get_nic(nc)->opaque;
}

NetClientState *qemu_find_netdev(const char *id)
{
    unsigned i;

    for (i = 0; net_clients && i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        if (nc->info->type != NET_CLIENT_DRIVER_NIC &&
            strcmp(nc->name, id) == 0) {
            return nc;
        }
    }
    return NULL;
}

int qemu_find_net_clients_except(const char *id, NetClientState **ncs,
                                 NetClientDriver type, int max)
{
    unsigned i;
    int n = 0;

    for (i = 0; i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        if (nc->info->type == type || strcmp(nc->name, id) != 0) {
            continue;
        }
        if (n < max) {
            ncs[n] = nc;
        }
        n++;
    }
    return n;
}

static void qemu_cleanup_net_client(NetClientState *nc)
{
    g_ptr_array_remove(net_clients, nc);
    if (nc->info->cleanup) {
        nc->info->cleanup(nc);
    }
}

static void qemu_free_net_client(NetClientState *nc)
{
    if (nc->incoming_queue) {
        qemu_del_net_queue(nc->incoming_queue);
    }
    if (nc->peer) {
        /* What it sent that still waits there has no sender any more */
        qemu_net_queue_forget(nc->peer->incoming_queue, nc);
        nc->peer->peer = NULL;
    }
    g_free(nc->name);
    g_free(nc->model);
    if (nc->info->type != NET_CLIENT_DRIVER_NIC) {
        g_free(nc);
    }
}

void qemu_del_net_client(NetClientState *nc)
{
    NetClientState *ncs[MAX_QUEUE_NUM];
    int queues, i;

    assert(nc->info->type != NET_CLIENT_DRIVER_NIC);
    queues = qemu_find_net_clients_except(nc->name, ncs,
                                          NET_CLIENT_DRIVER_NIC,
                                          MAX_QUEUE_NUM);
    assert(queues != 0);

    /*
     * A backend whose peer is a NIC: cleaned up now, freed with the NIC
     * (the device still points at it); the NIC's link goes down.
     */
    if (nc->peer && nc->peer->info->type == NET_CLIENT_DRIVER_NIC) {
        NICState *nic = qemu_get_nic(nc->peer);

        if (nic->peer_deleted) {
            return;
        }
        nic->peer_deleted = true;
        for (i = 0; i < queues; i++) {
            ncs[i]->peer->link_down = true;
        }
        if (nc->peer->info->link_status_changed) {
            nc->peer->info->link_status_changed(nc->peer);
        }
        for (i = 0; i < queues; i++) {
            qemu_cleanup_net_client(ncs[i]);
        }
        return;
    }
    for (i = 0; i < queues; i++) {
        qemu_cleanup_net_client(ncs[i]);
        qemu_free_net_client(ncs[i]);
    }
}

void qemu_del_nic(NICState *nic)
{
    int i, queues = MAX(nic->conf->peers.queues, 1);

    qemu_macaddr_set_free(&nic->conf->macaddr);
    for (i = 0; i < queues; i++) {
        NetClientState *nc = qemu_get_subqueue(nic, i);

        if (nic->peer_deleted) {
            qemu_free_net_client(nc->peer);
        } else if (nc->peer) {
            /* RX frames waiting for the NIC: their senders are told */
            qemu_purge_queued_packets(nc->peer);
        }
    }
    for (i = queues - 1; i >= 0; i--) {
        NetClientState *nc = qemu_get_subqueue(nic, i);

        qemu_cleanup_net_client(nc);
        qemu_free_net_client(nc);
    }
    g_free(nic);
}

void net_cleanup(void)
{
    /* Deleting one client may delete several (queues, a NIC's peer) */
    while (net_clients && net_clients->len) {
        NetClientState *nc = g_ptr_array_index(net_clients, 0);

        if (nc->info->type == NET_CLIENT_DRIVER_NIC) {
            qemu_del_nic(qemu_get_nic(nc));
        } else {
            qemu_del_net_client(nc);
        }
    }
    if (net_change_state_entry) {
        qemu_del_vm_change_state_handler(net_change_state_entry);
        net_change_state_entry = NULL;
    }
}

void net_warn_clients_without_peer(void)
{
    unsigned i;

    for (i = 0; net_clients && i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        if (!nc->peer) {
            warn_report("%s %s has no peer",
                        nc->info->type == NET_CLIENT_DRIVER_NIC ?
                        "nic" : "netdev", nc->name);
        }
    }
}

/* ---- offload queries ---------------------------------------------------- */

bool qemu_has_ufo(NetClientState *nc)
{
    return nc && nc->info->has_ufo && nc->info->has_ufo(nc);
}

bool qemu_has_vnet_hdr(NetClientState *nc)
{
    return nc && nc->info->has_vnet_hdr && nc->info->has_vnet_hdr(nc);
}

bool qemu_has_vnet_hdr_len(NetClientState *nc, int len)
{
    return nc && nc->info->has_vnet_hdr_len &&
           nc->info->has_vnet_hdr_len(nc, len);
}

void qemu_using_vnet_hdr(NetClientState *nc, bool enable)
{
    if (nc && nc->info->using_vnet_hdr) {
        nc->info->using_vnet_hdr(nc, enable);
    }
}

void qemu_set_offload(NetClientState *nc, int csum, int tso4, int tso6,
                      int ecn, int ufo)
{
    if (nc && nc->info->set_offload) {
        nc->info->set_offload(nc, csum, tso4, tso6, ecn, ufo);
    }
}

void qemu_set_vnet_hdr_len(NetClientState *nc, int len)
{
    if (nc && nc->info->set_vnet_hdr_len) {
        nc->vnet_hdr_len = len;
        nc->info->set_vnet_hdr_len(nc, len);
    }
}

/*
 * QEMU 7.2 asks the backend only on a big-endian host: the vnet header
 * is little-endian here already, so this is always a success.
 */
/*
 * QEMU's tap_enable / tap_disable as virtio-net's peer_attach and
 * peer_detach call them: only a multi-queue backend has the hook; any
 * other takes every queue state as it is.
 */
int qemu_set_queue_enabled(NetClientState *nc, bool enable)
{
    if (!nc || !nc->info->set_queue_enabled) {
        return 0;
    }
    return nc->info->set_queue_enabled(nc, enable);
}

int qemu_set_vnet_le(NetClientState *nc, bool is_le)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    if (!nc || !nc->info->set_vnet_le) {
        return -ENOSYS;
    }
    return nc->info->set_vnet_le(nc, is_le);
#else
    return 0;
#endif
}

/* ---- frames ------------------------------------------------------------- */

bool qemu_can_receive_packet(NetClientState *nc)
{
    if (nc->receive_disabled) {
        return false;
    }
    return !nc->info->can_receive || nc->info->can_receive(nc);
}

/* As QEMU: nothing is delivered while the VM is not running */
bool qemu_can_send_packet(NetClientState *sender)
{
    if (!runstate_is_running()) {
        return false;
    }
    if (!sender->peer) {
        return true;
    }
    return qemu_can_receive_packet(sender->peer);
}

/* A receiver with only receive(): one flat buffer (QEMU's nc_sendv_compat) */
static ssize_t nc_sendv_compat(NetClientState *nc, const struct iovec *iov,
                               int iovcnt)
{
    g_autofree uint8_t *buf = NULL;
    size_t size;

    if (iovcnt == 1) {
        return nc->info->receive(nc, iov[0].iov_base, iov[0].iov_len);
    }
    size = iov_size(iov, iovcnt);
    if (size > NET_BUFSIZE) {
        return -1;
    }
    buf = g_malloc(size);
    iov_to_buf(iov, iovcnt, 0, buf, size);
    return nc->info->receive(nc, buf, size);
}

static ssize_t qemu_deliver_packet_iov(NetClientState *sender,
                                       const struct iovec *iov, int iovcnt,
                                       void *opaque)
{
    NetClientState *nc = opaque;
    ssize_t ret;

    if (nc->link_down) {
        return iov_size(iov, iovcnt);       /* dropped, as sent */
    }
    if (nc->receive_disabled) {
        return 0;
    }
    if (nc->info->receive_iov) {
        ret = nc->info->receive_iov(nc, iov, iovcnt);
    } else {
        ret = nc_sendv_compat(nc, iov, iovcnt);
    }
    if (ret == 0) {
        nc->receive_disabled = true;
    }
    return ret;
}

ssize_t qemu_sendv_packet_async(NetClientState *sender,
                                const struct iovec *iov, int iovcnt,
                                NetPacketSent *sent_cb)
{
    size_t size = iov_size(iov, iovcnt);

    if (size > NET_BUFSIZE) {
        return size;
    }
    if (sender->link_down || !sender->peer) {
        return size;
    }
    return qemu_net_queue_send_iov(sender->peer->incoming_queue, sender,
                                   iov, iovcnt, sent_cb);
}

/* QEMU's flat send does not check NET_BUFSIZE: neither does this one */
ssize_t qemu_send_packet_async(NetClientState *sender, const uint8_t *buf,
                               int size, NetPacketSent *sent_cb)
{
    struct iovec iov = {
        .iov_base = (void *)buf,
        .iov_len = size,
    };

    if (sender->link_down || !sender->peer) {
        return size;
    }
    return qemu_net_queue_send_iov(sender->peer->incoming_queue, sender,
                                   &iov, 1, sent_cb);
}

ssize_t qemu_send_packet(NetClientState *sender, const uint8_t *buf,
                         int size)
{
    return qemu_send_packet_async(sender, buf, size, NULL);
}

void qemu_purge_queued_packets(NetClientState *nc)
{
    if (nc->peer) {
        qemu_net_queue_purge(nc->peer->incoming_queue, nc);
    }
}

static void qemu_flush_or_purge_queued_packets(NetClientState *nc,
                                               bool purge)
{
    nc->receive_disabled = false;
    if (nc->peer && nc->peer->info->type == NET_CLIENT_DRIVER_HUBPORT) {
        /* the hub's other ports may hold frames for this one */
        net_hub_flush(nc->peer);
    }
    /*
     * QEMU then kicks its main loop so that backends re-poll their fds;
     * here a backend waits for its sent_cb instead, called just now.
     */
    if (!qemu_net_queue_flush(nc->incoming_queue) && purge) {
        qemu_net_queue_purge(nc->incoming_queue, nc->peer);
    }
}

void qemu_flush_queued_packets(NetClientState *nc)
{
    qemu_flush_or_purge_queued_packets(nc, false);
}

/*
 * QEMU's net_vm_change_state_handler: when the VM runs again what waited
 * goes; when it stops every queue is flushed or purged, so no device
 * state changes while it is stopped.
 */
static void net_vm_change_state_handler(void *opaque, bool running,
                                        RunState state)
{
    g_autoptr(GPtrArray) clients = g_ptr_array_copy(net_clients, NULL, NULL);
    unsigned i;

    for (i = 0; i < clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(clients, i);

        if (running) {
            if (nc->peer && qemu_can_send_packet(nc)) {
                qemu_flush_queued_packets(nc->peer);
            }
        } else {
            qemu_flush_or_purge_queued_packets(nc, true);
        }
    }
}

/* QEMU's eth_pad_short_frame (net/eth.c) */
bool eth_pad_short_frame(uint8_t *padded_pkt, size_t *padded_buflen,
                         const void *pkt, size_t pkt_size)
{
    assert(padded_buflen && *padded_buflen >= ETH_ZLEN);
    if (pkt_size >= ETH_ZLEN) {
        return false;
    }
    memcpy(padded_pkt, pkt, pkt_size);
    memset(padded_pkt + pkt_size, 0, ETH_ZLEN - pkt_size);
    *padded_buflen = ETH_ZLEN;
    return true;
}

/* ---- backends ----------------------------------------------------------- */

void net_backend_register(const NetBackend *backend)
{
    if (!net_backends) {
        net_backends = g_ptr_array_new();
    }
    /* Registered once each, at start-up (a second is a bug) */
    assert(!net_backend_find(backend->type));
    g_ptr_array_add(net_backends, (gpointer)backend);
}

const NetBackend *net_backend_find(const char *type)
{
    unsigned i;

    for (i = 0; net_backends && i < net_backends->len; i++) {
        const NetBackend *backend = g_ptr_array_index(net_backends, i);

        if (strcmp(backend->type, type) == 0) {
            return backend;
        }
    }
    return NULL;
}
