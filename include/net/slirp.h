/*
 * -netdev user: the user-mode network stack (libslirp), as QEMU 7.2's
 * net/slirp.c. The guest sees a NAT router: DHCP, DNS, TFTP, ping of the
 * host address, host-to-guest forwarding (hostfwd=) and guest-to-host
 * forwarding to a chardev or a command (guestfwd=).
 *
 * libslirp's sockets and its timeouts are served by a GSource on the
 * main loop's GMainContext (no second event loop), its timers are
 * QEMUTimers on the virtual clock, as QEMU's.
 */
#ifndef NET_SLIRP_H
#define NET_SLIRP_H

#include "net/net.h"

/* Registers the "user" backend with the net core (start-up, once). */
void net_slirp_register(void);

#endif
