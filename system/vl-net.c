/*
 * -netdev, -nic and -net on the command line, as QEMU 7.2's
 * softmmu/vl.c: parsed as they come (any of them, or -nodefaults, turns
 * the default network off: default_net = 0), created with the late
 * backends, then checked once the devices exist (net_check_clients,
 * unless the network is the default one). net/net-opts.c does the work.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "net/net-opts.h"
#include "vl-internal.h"

void vl_parse_net(NetOption option, const char *arg)
{
    Error *err = NULL;

    if (!net_client_parse(option, arg, &err)) {
        exit_with_error(err);
    }
}

/* QEMU's default_net: no network option given, and -nodefaults not */
static bool default_net;

void vl_create_net_clients(CommandLine *cl)
{
    Error *err = NULL;
    int ret;

    default_net = cl->has_defaults && !net_clients_requested();
    if (default_net) {
        /*
         * QEMU's qemu_create_default_devices(): "-net nic -net user".
         * microvm creates no NIC, so neither is reachable by the guest,
         * but the NIC request takes 52:54:00:12:34:56 from the default
         * sequence, which a -device virtio-net-device then does not get.
         * The user stack is left out: nothing could ever talk to it.
         */
        net_client_parse(NET_OPTION_NET, "nic", &error_abort);
    }
    ret = net_init_clients(&err);

    if (ret < 0) {
        exit_with_error(err);
    }
    if (ret > 0) {
        exit(0);                /* -netdev help */
    }
}

/* QEMU's qemu_machine_creation_done(): not for the default network */
void vl_check_net_clients(void)
{
    if (!default_net) {
        net_check_clients();
    }
}
