/*
 * mac= and netdev=, the NIC properties (include/hw/net/nic-properties.h),
 * with QEMU 7.2's parsing and errors (hw/core/qdev-properties-system.c
 * set_mac, set_netdev, error_set_from_qdev_prop_error).
 */
#include "qemu/osdep.h"
#include "hw/net/nic-properties.h"

static const char *nic_prop_owner(Object *obj, const Property *prop)
{
    if (prop->owner_name) {
        return prop->owner_name;
    }
    return obj ? object_get_typename(obj) : "";
}

/* QEMU's set_mac: six hex pairs, each followed by ':' or '-' but the last */
static bool prop_macaddr_parse(Object *obj, const Property *prop,
                               const char *str, PropertyInput input,
                               void *value, Error **errp)
{
    MACAddr *mac = value;
    size_t len = strlen(str);

    for (int i = 0, pos = 0; i < 6; i++, pos += 3) {
        if ((size_t)pos + 2 > len || !g_ascii_isxdigit(str[pos]) ||
            !g_ascii_isxdigit(str[pos + 1])) {
            goto inval;
        }
        if (i == 5 ? str[pos + 2] != '\0'
                   : str[pos + 2] != ':' && str[pos + 2] != '-') {
            goto inval;
        }
        mac->a[i] = g_ascii_xdigit_value(str[pos]) << 4 |
                    g_ascii_xdigit_value(str[pos + 1]);
    }
    return true;

inval:
    error_setg(errp, "Property '%s.%s' doesn't take value '%s'",
               nic_prop_owner(obj, prop), prop->name, str);
    return false;
}

static char *prop_macaddr_print(const Property *prop, const void *field)
{
    const MACAddr *mac = field;

    return g_strdup_printf(MAC_FMT, MAC_ARG(mac->a));
}

const PropertyInfo prop_info_macaddr = {
    .name = "str",
    .qom_name = "string",
    .size = sizeof(MACAddr),
    .parse = prop_macaddr_parse,
    .print = prop_macaddr_print,
};

/*
 * QEMU's set_netdev. The parsed value is the backend's first client (a
 * NICPeers is far larger than a property value); store gives the NIC
 * every queue of it, one peer per queue (tap queues=N: N clients of one
 * name, in queue order).
 */
static bool prop_netdev_parse(Object *obj, const Property *prop,
                              const char *str, PropertyInput input,
                              void *value, Error **errp)
{
    NetClientState *nc = qemu_find_netdev(str);
    NetClientState *queues[MAX_QUEUE_NUM];
    int n;

    *(NetClientState **)value = NULL;
    if (input == PROP_INPUT_OPTS) {
        return true;
    }
    if (!nc || nc->info->type == NET_CLIENT_DRIVER_NIC) {
        error_setg(errp, "Property '%s.%s' can't find value '%s'",
                   nic_prop_owner(obj, prop), prop->name, str);
        return false;
    }
    n = qemu_find_net_clients_except(str, queues, NET_CLIENT_DRIVER_NIC,
                                     MAX_QUEUE_NUM);
    if (n > MAX_QUEUE_NUM) {
        error_setg(errp, "queues of backend '%s'(%d) exceeds QEMU "
                   "limitation(%d)", str, n, MAX_QUEUE_NUM);
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (queues[i]->peer) {
            error_setg(errp, "Property '%s.%s' can't take value '%s', "
                       "it's in use", nic_prop_owner(obj, prop), prop->name,
                       str);
            return false;
        }
    }
    *(NetClientState **)value = nc;
    return true;
}

static void prop_netdev_store(const Property *prop, void *field,
                              const void *value)
{
    NICPeers *peers = field;
    NetClientState *nc = *(NetClientState *const *)value;

    memset(peers->ncs, 0, sizeof(peers->ncs));
    peers->queues = 0;
    if (!nc) {
        return;
    }
    peers->queues = qemu_find_net_clients_except(nc->name, peers->ncs,
                                                 NET_CLIENT_DRIVER_NIC,
                                                 MAX_QUEUE_NUM);
    for (int i = 0; i < peers->queues; i++) {
        peers->ncs[i]->queue_index = i;
    }
}

static char *prop_netdev_print(const Property *prop, const void *field)
{
    const NICPeers *peers = field;

    return g_strdup(peers->ncs[0] ? peers->ncs[0]->name : "");
}

const PropertyInfo prop_info_netdev = {
    .name = "str",
    .qom_name = "string",
    .size = sizeof(NetClientState *),
    .parse = prop_netdev_parse,
    .store = prop_netdev_store,
    .print = prop_netdev_print,
};
