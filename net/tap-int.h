/*
 * The tap device's fd (net/tap-linux.c), for net/tap.c: QEMU 7.2's
 * net/tap_int.h.
 */
#ifndef NET_TAP_INT_H
#define NET_TAP_INT_H

#include "qemu/osdep.h"
#include "qemu/error-report.h"

/*
 * Opens /dev/net/tun as the tap ifname ("" for the kernel's tapN, the
 * name then written back): vnet_hdr asks for IFF_VNET_HDR (false on
 * return when the kernel has none; an error if required), mq_required
 * for IFF_MULTI_QUEUE. A non-blocking fd, or -1 with QEMU's errors.
 */
int tap_open(char *ifname, size_t ifname_size, bool *vnet_hdr,
             bool vnet_hdr_required, bool mq_required, Error **errp);
/* 1 if the fd's tap has IFF_VNET_HDR, 0 if not, -1: not a tap (errp) */
int tap_probe_vnet_hdr(int fd, Error **errp);
bool tap_probe_has_ufo(int fd);
/* Whether the tap takes vnet headers of len bytes (setting unchanged) */
bool tap_probe_vnet_hdr_len(int fd, int len);
void tap_fd_set_vnet_hdr_len(int fd, int len);
void tap_fd_set_offload(int fd, int csum, int tso4, int tso6, int ecn,
                        int ufo);
/* 0, or -errno (-EINVAL: the kernel has no TUNSETVNETLE) */
int tap_fd_set_vnet_le(int fd, bool is_le);
/* TUNSETQUEUE: attach or detach this queue; 0 or -1 (reported) */
int tap_fd_set_queue(int fd, bool attach);
/* TUNSETSNDBUF (0: unlimited); an error only when has (given by the user) */
bool tap_fd_set_sndbuf(int fd, bool has, uint64_t size, Error **errp);

#endif
