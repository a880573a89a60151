/*
 * -netdev stream: QEMU 7.2's successor of socket's listen=/connect=, a
 * stream socket on an inet, unix, vsock or fd address (addr.*), as a
 * server (server=on: one peer at a time, listening again when it goes)
 * or a client. Frames are length-prefixed as with -netdev socket.
 *
 * Source of truth: QEMU 7.2's net/stream.c (net_init_stream, the
 * server and client inits) and qapi/net.json NetdevStreamOptions. As in
 * 7.2, where listen and connect run in a task, an address that cannot
 * be listened on or connected to is no error: the netdev stays down
 * with "connection error" as its info (7.2 has no reconnect=). Here
 * both are done at once, a connect completing in the main loop.
 */
#include "qemu/osdep.h"
#include "net/clients.h"
#include "net-sockets.h"

static int net_init_stream(QemuOpts *opts, const char *name,
                           NetClientState *peer, Error **errp)
{
    bool server = qemu_opt_get_bool(opts, "server", false);
    NetSocketAddress addr;
    bool present, in_progress;
    Error *err = NULL;
    int fd;

    if (!net_socket_address_get(opts, "addr", &addr, &present, errp)) {
        return -1;
    }
    if (!present) {
        error_setg(errp, "Parameter 'addr' is missing");
        return -1;
    }
    /* 7.2 reports this error nowhere: the task's error is dropped. */
    fd = net_stream_socket_open(&addr, server, &in_progress, &err);
    error_free(err);
    if (server) {
        net_stream_server_new(peer, name, fd);
    } else {
        net_stream_client_new(peer, name, fd, in_progress);
    }
    return 0;
}

static const QemuOptDesc net_stream_keys[] = {
    { .name = "server", .type = QEMU_OPT_BOOL },
    NET_SOCKET_ADDRESS_KEYS("addr"),
    { /* end of list */ }
};

static const NetBackend net_stream_backend = {
    .type = "stream",
    .driver = NET_CLIENT_DRIVER_STREAM,
    .keys = net_stream_keys,
    .init = net_init_stream,
};

void net_stream_register(void)
{
    net_backend_register(&net_stream_backend);
}
