/*
 * The network backends' registration (QEMU's net/clients.h declares their
 * init functions; here each backend registers its NetBackend).
 */
#ifndef NET_CLIENTS_H
#define NET_CLIENTS_H

#include "net/net.h"

void net_tap_register(void);
void net_socket_register(void);
void net_stream_register(void);
void net_dgram_register(void);

#endif
