/*
 * -netdev, -nic and -net on the command line, as QEMU 7.2's
 * softmmu/vl.c: parsed as they come (any of them turns the default
 * network off: default_net = 0), created with the late backends, then
 * checked once the devices exist (net_check_clients, only when some
 * network option was given). net/net-opts.c does the work.
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

void vl_create_net_clients(void)
{
    Error *err = NULL;
    int ret = net_init_clients(&err);

    if (ret < 0) {
        exit_with_error(err);
    }
    if (ret > 0) {
        exit(0);                /* -netdev help */
    }
}

void vl_check_net_clients(void)
{
    if (net_clients_requested()) {
        net_check_clients();
    }
}
