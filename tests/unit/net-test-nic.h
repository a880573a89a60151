/*
 * What the backends' unit tests share: a fake NIC peer that records the
 * frames it receives (refusing them while it has no room, as a NIC
 * without RX buffers does) and sends frames with QEMU's async contract,
 * a -netdev made from a "type,id=...,key=value" string through the
 * backend's registration, and a main-loop pump.
 */
#ifndef TESTS_UNIT_NET_TEST_NIC_H
#define TESTS_UNIT_NET_TEST_NIC_H

#include "qemu/osdep.h"
#include "net/net.h"
#include "qemu/option.h"

typedef struct TestNic {
    NICState nic;
    GPtrArray *frames;      /* of GBytes, in arrival order */
    int room;               /* frames it takes before "not now"; -1: any */
    unsigned sent_cbs;      /* sent_cb calls: a queued frame went */
    bool waiting;           /* a send was queued: wait for sent_cb */
} TestNic;

static inline TestNic *test_nic_of(NetClientState *nc)
{
    return (TestNic *)qemu_get_nic(nc);
}

static inline ssize_t test_nic_receive(NetClientState *nc,
                                       const uint8_t *buf,
                                size_t size)
{
    TestNic *n = test_nic_of(nc);

    if (n->room == 0) {
        return 0;
    }
    if (n->room > 0) {
        n->room--;
    }
    g_ptr_array_add(n->frames, g_bytes_new(buf, size));
    return size;
}

static inline bool test_nic_can_receive(NetClientState *nc)
{
    return test_nic_of(nc)->room != 0;
}

static const NetClientInfo test_nic_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(TestNic),
    .receive = test_nic_receive,
    .can_receive = test_nic_can_receive,
};

/* The NIC's properties (the NIC keeps a pointer): one NIC at a time */
static NICConf test_nic_conf;

/* A NIC on the netdev's queues (the clients named like backend) */
static inline TestNic *test_nic_new(NetClientState **queues, int n_queues)
{
    TestNic *n;

    memset(&test_nic_conf, 0, sizeof(test_nic_conf));
    for (int i = 0; i < n_queues; i++) {
        test_nic_conf.peers.ncs[i] = queues[i];
    }
    test_nic_conf.peers.queues = n_queues;
    n = (TestNic *)qemu_new_nic(&test_nic_info, &test_nic_conf, "test-nic",
                                "nic0", NULL);
    n->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    n->room = -1;
    return n;
}

static inline void test_nic_free(TestNic *n)
{
    g_ptr_array_unref(n->frames);
    qemu_del_nic(&n->nic);
}

static inline NetClientState *test_nic_nc(TestNic *n)
{
    return qemu_get_queue(&n->nic);
}

/* The NIC has room for `room` more frames (-1: any): what waits comes. */
static inline void test_nic_set_room(TestNic *n, int room)
{
    n->room = room;
    qemu_flush_queued_packets(test_nic_nc(n));
}

static inline void test_nic_sent(NetClientState *nc, ssize_t ret)
{
    TestNic *n = test_nic_of(nc);

    n->sent_cbs++;
    n->waiting = false;
}

/* Send as a NIC does: returns false when the frame was queued. */
static inline bool test_nic_send(TestNic *n, const void *buf, size_t size)
{
    ssize_t ret = qemu_send_packet_async(test_nic_nc(n), buf, size,
                                         test_nic_sent);

    if (ret == 0) {
        n->waiting = true;
    }
    return ret != 0;
}

static inline void test_nic_assert_frame(TestNic *n, guint i,
                                         const void *buf,
                                  size_t size)
{
    gsize len;
    const void *data;

    g_assert_cmpuint(n->frames->len, >, i);
    data = g_bytes_get_data(n->frames->pdata[i], &len);
    g_assert_cmpuint(len, ==, size);
    g_assert_cmpmem(data, len, buf, size);
}

/* -netdev TYPE,id=ID,...: the backend's init through its registration */
static QemuOptsList test_netdev_list = {
    .name = "netdev",
    .implied_opt_name = "type",
    .desc = { { NULL } },
};

static inline NetClientState *test_netdev_new(const char *spec,
                                              Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(&test_netdev_list, spec, true, errp);
    g_autofree char *type = NULL;
    g_autofree char *id = NULL;
    const NetBackend *be;
    int ret;

    g_assert_nonnull(opts);
    type = g_strdup(qemu_opt_get(opts, "type"));
    id = g_strdup(qemu_opts_id(opts));
    be = net_backend_find(type);
    g_assert_nonnull(be);
    qemu_opt_unset(opts, "type");
    if (!qemu_opts_validate(opts, be->keys, errp)) {
        qemu_opts_del(opts);
        return NULL;
    }
    ret = be->init(opts, id, NULL, errp);
    qemu_opts_del(opts);
    return ret < 0 ? NULL : qemu_find_netdev(id);
}

/* The error a netdev spec fails with */
static inline char *test_netdev_error(const char *spec)
{
    Error *err = NULL;
    char *msg;

    g_assert_null(test_netdev_new(spec, &err));
    g_assert_nonnull(err);
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

/* Main-loop iterations (blocking) until cond holds */
#define TEST_PUMP_UNTIL(cond)                       \
    do {                                            \
        while (!(cond)) {                           \
            g_main_context_iteration(NULL, TRUE);   \
        }                                           \
    } while (0)

/* What is ready now, without blocking */
static inline void test_pump_ready(void)
{
    while (g_main_context_iteration(NULL, FALSE)) {
        /* more */
    }
}

#endif
