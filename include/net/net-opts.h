/*
 * -netdev, -nic and -net (QEMU 7.2's net/net.c option half: net_client_parse,
 * netdev_is_modern / netdev_parse_modern, net_init_clients, net_param_nic,
 * net_client_init1, show_netdevs, net_check_clients). The command line
 * calls these; backends only see their NetBackend.init.
 */
#ifndef NET_NET_OPTS_H
#define NET_NET_OPTS_H

#include "net/net.h"

typedef enum NetOption {
    NET_OPTION_NETDEV,
    NET_OPTION_NIC,
    NET_OPTION_NET,
} NetOption;

/*
 * At parse time: QemuOpts syntax and duplicate -netdev ids; the modern
 * form (JSON, or type stream/dgram) is checked whole now, as QEMU's
 * netdev_parse_modern. Nothing is created yet.
 */
bool net_client_parse(NetOption option, const char *optarg, Error **errp);
/* Some -netdev/-nic/-net was given (QEMU's default_net = 0) */
bool net_clients_requested(void);
/*
 * Creates the clients in QEMU's order (modern -netdev, -netdev, -nic,
 * -net); errors carry the option's location. Returns 1 when a -netdev
 * help printed the types (the caller exits 0), 0 when done, -1 on error.
 */
int net_init_clients(Error **errp);
/* "Available netdev backend types:" and the registered ones, QEMU's order */
void show_netdevs(void);
/* QEMU's warnings: hubs, clients without a peer, NICs never created */
void net_check_clients(void);
/* net.c: "netdev X has no peer" / "nic X has no peer" per lone client */
void net_warn_clients_without_peer(void);
/* Forgets every parsed option and NIC request (unit tests) */
void net_opts_reset(void);

/* QEMU's net_parse_macaddr: 0, or -1 for bad syntax */
int net_parse_macaddr(uint8_t *macaddr, const char *p);

/*
 * A signed integer key (QemuOptDesc numbers are checked as unsigned, the
 * opts visitor's uint64): absent leaves *out alone; else QEMU's "expects
 * an int64 value" / "expects int32_t".
 */
bool net_opt_get_int32(QemuOpts *opts, const char *key, int64_t *out,
                       Error **errp);

#endif
