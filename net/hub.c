/*
 * The -net hub, as QEMU 7.2's net/hub.c: a hub is a set of ports, each a
 * client of type hubport; a frame a port receives from its peer is sent
 * out of every other port (to their peers), and a port can receive when
 * any other port can send. Hubs and ports are kept newest first, as
 * QEMU's QLIST_INSERT_HEAD, which is the order of the warnings.
 */
#include "qemu/osdep.h"
#include "net/hub.h"
#include "net/net-opts.h"
#include "hw/virtio/virtio.h"
#include "queue.h"

typedef struct NetHub NetHub;

typedef struct NetHubPort {
    NetClientState nc;
    NetHub *hub;
    int id;
} NetHubPort;

struct NetHub {
    int id;
    int num_ports;
    GList *ports;               /* of NetHubPort, newest first */
};

static GList *hubs;             /* of NetHub, newest first */

static NetHubPort *hub_port(NetClientState *nc)
{
    return container_of(nc, NetHubPort, nc);
}

static ssize_t net_hub_port_receive_iov(NetClientState *nc,
                                        const struct iovec *iov, int iovcnt)
{
    NetHubPort *source = hub_port(nc);
    GList *l;

    for (l = source->hub->ports; l; l = l->next) {
        NetHubPort *port = l->data;

        if (port != source) {
            qemu_sendv_packet_async(&port->nc, iov, iovcnt, NULL);
        }
    }
    return iov_size(iov, iovcnt);
}

static bool net_hub_port_can_receive(NetClientState *nc)
{
    NetHubPort *source = hub_port(nc);
    GList *l;

    for (l = source->hub->ports; l; l = l->next) {
        NetHubPort *port = l->data;

        if (port != source && qemu_can_send_packet(&port->nc)) {
            return true;
        }
    }
    return false;
}

static void net_hub_port_cleanup(NetClientState *nc)
{
    NetHubPort *port = hub_port(nc);
    NetHub *hub = port->hub;

    hub->ports = g_list_remove(hub->ports, port);
    /* QEMU keeps an empty hub for ever; here it goes with its last port */
    if (!hub->ports) {
        hubs = g_list_remove(hubs, hub);
        g_free(hub);
    }
}

static const NetClientInfo net_hub_port_info = {
    .type = NET_CLIENT_DRIVER_HUBPORT,
    .size = sizeof(NetHubPort),
    .receive_iov = net_hub_port_receive_iov,
    .can_receive = net_hub_port_can_receive,
    .cleanup = net_hub_port_cleanup,
};

NetClientState *net_hub_add_port(int hub_id, const char *name,
                                 NetClientState *hubpeer)
{
    g_autofree char *default_name = NULL;
    NetHub *hub = NULL;
    NetHubPort *port;
    NetClientState *nc;
    GList *l;

    for (l = hubs; l; l = l->next) {
        if (((NetHub *)l->data)->id == hub_id) {
            hub = l->data;
            break;
        }
    }
    if (!hub) {
        hub = g_new0(NetHub, 1);
        hub->id = hub_id;
        hubs = g_list_prepend(hubs, hub);
    }
    if (!name) {
        default_name = g_strdup_printf("hub%dport%d", hub_id, hub->num_ports);
        name = default_name;
    }
    nc = qemu_new_net_client(&net_hub_port_info, hubpeer, "hub", name);
    port = hub_port(nc);
    port->hub = hub;
    port->id = hub->num_ports++;
    hub->ports = g_list_prepend(hub->ports, port);
    return nc;
}

bool net_hub_flush(NetClientState *nc)
{
    NetHubPort *source = hub_port(nc);
    bool flushed = false;
    GList *l;

    for (l = source->hub->ports; l; l = l->next) {
        NetHubPort *port = l->data;

        if (port != source) {
            flushed |= qemu_net_queue_flush(port->nc.incoming_queue);
        }
    }
    return flushed;
}

void net_hub_check_clients(void)
{
    GList *h, *l;

    for (h = hubs; h; h = h->next) {
        NetHub *hub = h->data;
        bool has_nic = false, has_host_dev = false;

        for (l = hub->ports; l; l = l->next) {
            NetHubPort *port = l->data;
            NetClientState *peer = port->nc.peer;

            if (!peer) {
                warn_report("hub port %s has no peer", port->nc.name);
                continue;
            }
            switch (peer->info->type) {
            case NET_CLIENT_DRIVER_NIC:
                has_nic = true;
                break;
            case NET_CLIENT_DRIVER_USER:
            case NET_CLIENT_DRIVER_TAP:
            case NET_CLIENT_DRIVER_SOCKET:
            case NET_CLIENT_DRIVER_STREAM:
            case NET_CLIENT_DRIVER_DGRAM:
                has_host_dev = true;
                break;
            default:
                break;
            }
        }
        if (has_host_dev && !has_nic) {
            warn_report("hub %d with no nics", hub->id);
        }
        if (has_nic && !has_host_dev) {
            warn_report("hub %d is not connected to host network", hub->id);
        }
    }
}

/* -netdev hubport,id=,hubid=[,netdev=] (QEMU's net_init_hubport) */
static const QemuOptDesc net_hubport_keys[] = {
    { .name = "hubid", .type = QEMU_OPT_STRING },
    { .name = "netdev", .type = QEMU_OPT_STRING },
    { NULL }
};

static int net_init_hubport(QemuOpts *opts, const char *name,
                            NetClientState *peer, Error **errp)
{
    const char *netdev = qemu_opt_get(opts, "netdev");
    NetClientState *hubpeer = NULL;
    int64_t hubid;

    if (!qemu_opt_has(opts, "hubid")) {
        error_setg(errp, "Parameter 'hubid' is missing");
        return -1;
    }
    if (!net_opt_get_int32(opts, "hubid", &hubid, errp)) {
        return -1;
    }
    if (netdev) {
        hubpeer = qemu_find_netdev(netdev);
        if (!hubpeer) {
            error_setg(errp, "netdev '%s' not found", netdev);
            return -1;
        }
        /* QEMU 7.2 asserts here (qemu_net_client_setup); we refuse */
        if (hubpeer->peer) {
            error_setg(errp, "netdev '%s' is already in use", netdev);
            return -1;
        }
    }
    /*
     * Two ports of one hub as peers: each one's can_receive asks the
     * other's forever (QEMU 7.2 overflows its stack); refused.
     */
    if (hubpeer && hubpeer->info == &net_hub_port_info &&
        hub_port(hubpeer)->hub->id == hubid) {
        error_setg(errp, "netdev '%s' is a port of hub %d", netdev,
                   (int)hubid);
        return -1;
    }
    net_hub_add_port(hubid, name, hubpeer);
    return 0;
}

static const NetBackend net_hubport_backend = {
    .type = "hubport",
    .driver = NET_CLIENT_DRIVER_HUBPORT,
    .keys = net_hubport_keys,
    .init = net_init_hubport,
};

void net_hub_register(void)
{
    net_backend_register(&net_hubport_backend);
}
