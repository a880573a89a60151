/*
 * The -net hub (QEMU 7.2's net/hub.c): numbered hubs whose ports are
 * clients; a frame a port receives from its peer goes out of every other
 * port of the hub. -net puts each client on hub 0; -netdev hubport adds
 * a port (hubid=, optionally wired to netdev=).
 */
#ifndef NET_HUB_H
#define NET_HUB_H

#include "net/net.h"

/* A new port on hub hub_id (created on first use), peer of hubpeer */
NetClientState *net_hub_add_port(int hub_id, const char *name,
                                 NetClientState *hubpeer);
/* The other ports' queues are flushed (nc is a port that got room) */
bool net_hub_flush(NetClientState *nc);
/* QEMU's net_hub_check_clients warnings, newest hub and port first */
void net_hub_check_clients(void);
/* The hubport netdev type (net_backend_register) */
void net_hub_register(void);

#endif
