/*
 * The properties every NIC has (QEMU 7.2's DEFINE_NIC_PROPERTIES,
 * hw/core/qdev-properties-system.c qdev_prop_macaddr and
 * qdev_prop_netdev): mac= into a MACAddr, netdev= into NICPeers.
 */
#ifndef HW_NET_NIC_PROPERTIES_H
#define HW_NET_NIC_PROPERTIES_H

#include "qom/object.h"
#include "net/net.h"

/* "52:54:00:12:34:56" (or '-' separated) into a MACAddr */
extern const PropertyInfo prop_info_macaddr;
/*
 * A -netdev id into a NICPeers: its client, as the NIC's queue 0 peer.
 * The client must exist and have no peer yet (QEMU's set_netdev errors).
 */
extern const PropertyInfo prop_info_netdev;

#define DEFINE_NIC_PROPERTIES(_state, _conf) \
    { .name = "mac", .info = &prop_info_macaddr, \
      .offset = offsetof(_state, _conf.macaddr), \
      .description = "Ethernet 6-byte MAC Address, example: " \
                     "52:54:00:12:34:56" }, \
    { .name = "netdev", .info = &prop_info_netdev, \
      .offset = offsetof(_state, _conf.peers), \
      .description = "ID of a netdev to use as a backend" }

#endif
