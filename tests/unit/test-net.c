/*
 * The network core (net/net.c, net/queue.c) with two fake clients, a
 * "backend" and a "NIC", as QEMU 7.2's net/net.c and net/queue.c behave:
 * peers, client names, delivery (flat and iovec receivers), link down,
 * a receive returning 0 (queued, receive_disabled until the receiver
 * flushes, sent_cb then), can_receive, the VM not running, the queue
 * limit, purge, frames sent from inside a receive, deletion of either
 * side, the default MAC sequence, vnet header wrappers, padding, the
 * backend registry.
 */
#include "qemu/osdep.h"
#include "net/net.h"
#include "system/runstate.h"

#define MAX_LOG 16

/* What a fake client received and was told */
typedef struct FakeClient {
    NetClientState nc;          /* first: info->size is the whole struct */
    ssize_t ret;                /* what receive answers; 0: not now */
    bool can_receive;
    unsigned frames;
    size_t sizes[MAX_LOG];
    uint8_t last[256];
    int last_iovcnt;
    unsigned sent_calls;
    ssize_t sent_ret;
    unsigned cleanups;
    unsigned link_changes;
    bool vnet_hdr;
    int vnet_hdr_len_set;
    unsigned echo;              /* receives to send back, then plain */
    ssize_t echo_ret;           /* what sending back returned */
} FakeClient;

typedef struct FakeNic {
    NICState nic;
    FakeClient rx;              /* what the NIC received (one queue) */
} FakeNic;

static FakeClient *fake_of(NetClientState *nc)
{
    if (nc->info->type == NET_CLIENT_DRIVER_NIC) {
        return &((FakeNic *)qemu_get_nic(nc))->rx;
    }
    return container_of(nc, FakeClient, nc);
}

static void fake_record(FakeClient *f, const uint8_t *buf, size_t size,
                        int iovcnt)
{
    if (f->frames < MAX_LOG) {
        f->sizes[f->frames] = size;
    }
    f->frames++;
    memcpy(f->last, buf, MIN(size, sizeof(f->last)));
    f->last_iovcnt = iovcnt;
}

static ssize_t fake_receive(NetClientState *nc, const uint8_t *buf,
                            size_t size)
{
    FakeClient *f = fake_of(nc);

    if (f->ret <= 0) {
        return f->ret;
    }
    fake_record(f, buf, size, 0);
    if (f->echo) {
        f->echo--;
        f->echo_ret = qemu_send_packet(nc, buf, size);
    }
    return size;
}

static ssize_t fake_receive_iov(NetClientState *nc, const struct iovec *iov,
                                int iovcnt)
{
    FakeClient *f = fake_of(nc);
    uint8_t buf[256];
    size_t size = 0;
    int i;

    if (f->ret <= 0) {
        return f->ret;
    }
    for (i = 0; i < iovcnt; i++) {
        memcpy(buf + size, iov[i].iov_base, iov[i].iov_len);
        size += iov[i].iov_len;
    }
    fake_record(f, buf, size, iovcnt);
    return size;
}

static bool fake_can_receive(NetClientState *nc)
{
    return fake_of(nc)->can_receive;
}

static void fake_cleanup(NetClientState *nc)
{
    fake_of(nc)->cleanups++;
}

static void fake_link_status_changed(NetClientState *nc)
{
    fake_of(nc)->link_changes++;
}

static bool fake_has_vnet_hdr(NetClientState *nc)
{
    return fake_of(nc)->vnet_hdr;
}

static void fake_set_vnet_hdr_len(NetClientState *nc, int len)
{
    fake_of(nc)->vnet_hdr_len_set = len;
}

static void fake_sent(NetClientState *sender, ssize_t ret)
{
    FakeClient *f = fake_of(sender);

    f->sent_calls++;
    f->sent_ret = ret;
}

/* A backend taking flat buffers */
static const NetClientInfo fake_backend_info = {
    .type = NET_CLIENT_DRIVER_TAP,
    .size = sizeof(FakeClient),
    .receive = fake_receive,
    .can_receive = fake_can_receive,
    .cleanup = fake_cleanup,
    .has_vnet_hdr = fake_has_vnet_hdr,
    .set_vnet_hdr_len = fake_set_vnet_hdr_len,
};

/* A backend taking iovecs only, with no optional callback */
static const NetClientInfo fake_iov_info = {
    .type = NET_CLIENT_DRIVER_SOCKET,
    .size = sizeof(FakeClient),
    .receive_iov = fake_receive_iov,
};

static const NetClientInfo fake_nic_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(FakeNic),
    .receive = fake_receive,
    .can_receive = fake_can_receive,
    .cleanup = fake_cleanup,
    .link_status_changed = fake_link_status_changed,
};

static FakeClient *fake_new(const NetClientInfo *info, FakeClient *peer,
                            const char *model, const char *name)
{
    FakeClient *f = container_of(qemu_new_net_client(info,
                                                     peer ? &peer->nc : NULL,
                                                     model, name),
                                 FakeClient, nc);

    f->ret = 1;
    f->can_receive = true;
    return f;
}

/* A backend and a single-queue NIC as its peer */
typedef struct Pair {
    FakeClient *be;
    FakeNic *nic;
    NICConf conf;
} Pair;

static void pair_new_mac(Pair *p, const char *model, const char *id,
                         const char *netdev, const uint8_t *mac)
{
    memset(p, 0, sizeof(*p));
    p->be = fake_new(&fake_backend_info, NULL, "tap", netdev);
    p->conf.peers.ncs[0] = &p->be->nc;
    p->conf.peers.queues = 1;
    if (mac) {
        memcpy(p->conf.macaddr.a, mac, 6);
    }
    qemu_macaddr_default_if_unset(&p->conf.macaddr);
    p->nic = (FakeNic *)qemu_new_nic(&fake_nic_info, &p->conf, model, id,
                                     p);
    p->nic->rx.ret = 1;
    p->nic->rx.can_receive = true;
}

static void pair_new(Pair *p, const char *model, const char *id,
                     const char *netdev)
{
    pair_new_mac(p, model, id, netdev, NULL);
}

static NetClientState *nic_nc(Pair *p)
{
    return qemu_get_queue(&p->nic->nic);
}

static const uint8_t frame[] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
    0x08, 0x06, 'a', 'r', 'p',
};

static void test_setup(void)
{
    vm_start();
}

static void test_teardown(void)
{
    net_cleanup();
}

/* ---- peers and names ---------------------------------------------------- */

static void test_peers_and_names(void)
{
    FakeClient *a = fake_new(&fake_backend_info, NULL, "user", NULL);
    FakeClient *b = fake_new(&fake_backend_info, NULL, "user", NULL);
    FakeClient *c = fake_new(&fake_backend_info, a, "hubport", "hp");
    Pair p;

    test_setup();
    /* QEMU's assign_name: model.N counting the other clients of model */
    g_assert_cmpstr(a->nc.name, ==, "user.0");
    g_assert_cmpstr(b->nc.name, ==, "user.1");
    g_assert_cmpstr(c->nc.name, ==, "hp");
    g_assert_cmpstr(c->nc.model, ==, "hubport");
    g_assert_true(a->nc.peer == &c->nc);
    g_assert_true(c->nc.peer == &a->nc);
    g_assert_null(b->nc.peer);

    pair_new(&p, "virtio-net-device", NULL, "net0");
    g_assert_cmpstr(nic_nc(&p)->name, ==, "virtio-net-device.0");
    g_assert_true(nic_nc(&p)->peer == &p.be->nc);
    g_assert_true(p.be->nc.peer == nic_nc(&p));
    g_assert_true(qemu_get_nic(nic_nc(&p)) == &p.nic->nic);
    g_assert_true(qemu_get_nic_opaque(nic_nc(&p)) == &p);

    /* netdevs only: a NIC is never found by name */
    g_assert_true(qemu_find_netdev("net0") == &p.be->nc);
    g_assert_true(qemu_find_netdev("hp") == &c->nc);
    g_assert_null(qemu_find_netdev("virtio-net-device.0"));
    g_assert_null(qemu_find_netdev("nope"));

    qemu_format_nic_info_str(nic_nc(&p), p.conf.macaddr.a);
    g_assert_cmpstr(nic_nc(&p)->info_str, ==,
                    "model=virtio-net-device,macaddr=52:54:00:12:34:56");
    qemu_set_info_str(&a->nc, "net=%s", "10.0.2.0");
    g_assert_cmpstr(a->nc.info_str, ==, "net=10.0.2.0");

    /* a deleted client's name is free for the next one */
    qemu_del_net_client(&b->nc);
    b = fake_new(&fake_backend_info, NULL, "user", NULL);
    g_assert_cmpstr(b->nc.name, ==, "user.1");
    test_teardown();
}

/* ---- delivery ----------------------------------------------------------- */

static void test_deliver(void)
{
    FakeClient *a, *b;
    struct iovec iov[2] = {
        { .iov_base = (void *)frame, .iov_len = 6 },
        { .iov_base = (void *)(frame + 6), .iov_len = sizeof(frame) - 6 },
    };

    test_setup();
    a = fake_new(&fake_iov_info, NULL, "socket", "s0");
    b = fake_new(&fake_backend_info, a, "tap", "t0");

    /* flat to a flat receiver */
    g_assert_cmpint(qemu_send_packet(&a->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    g_assert_cmpuint(b->frames, ==, 1);
    g_assert_cmpuint(b->sizes[0], ==, sizeof(frame));
    g_assert_cmpmem(b->last, sizeof(frame), frame, sizeof(frame));

    /* iovec to a flat receiver: joined into one buffer */
    g_assert_cmpint(qemu_sendv_packet_async(&a->nc, iov, 2, NULL), ==,
                    sizeof(frame));
    g_assert_cmpuint(b->frames, ==, 2);
    g_assert_cmpmem(b->last, sizeof(frame), frame, sizeof(frame));

    /* flat to an iovec receiver: one element; iovec kept as sent */
    g_assert_cmpint(qemu_send_packet(&b->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    g_assert_cmpuint(a->frames, ==, 1);
    g_assert_cmpint(a->last_iovcnt, ==, 1);
    g_assert_cmpint(qemu_sendv_packet_async(&b->nc, iov, 2, NULL), ==,
                    sizeof(frame));
    g_assert_cmpint(a->last_iovcnt, ==, 2);
    g_assert_cmpmem(a->last, sizeof(frame), frame, sizeof(frame));

    /* a negative receive drops the frame: not queued, receiver not off */
    b->ret = -1;
    g_assert_cmpint(qemu_send_packet(&a->nc, frame, sizeof(frame)), ==, -1);
    g_assert_false(b->nc.receive_disabled);
    b->ret = 1;
    qemu_flush_queued_packets(&b->nc);
    g_assert_cmpuint(b->frames, ==, 2);
    test_teardown();
}

static void test_drops(void)
{
    FakeClient *a, *b, *lone;
    struct iovec big = { .iov_base = NULL, .iov_len = NET_BUFSIZE + 1 };

    test_setup();
    a = fake_new(&fake_backend_info, NULL, "tap", "t0");
    b = fake_new(&fake_backend_info, a, "tap", "t1");
    lone = fake_new(&fake_backend_info, NULL, "tap", "t2");

    /* no peer: taken (dropped) */
    g_assert_cmpint(qemu_send_packet(&lone->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    g_assert_true(qemu_can_send_packet(&lone->nc));

    /* the sender's link down: dropped, reported as sent */
    a->nc.link_down = true;
    g_assert_cmpint(qemu_send_packet(&a->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    g_assert_cmpuint(b->frames, ==, 0);
    a->nc.link_down = false;

    /* the receiver's link down: the same, its receive never called */
    b->nc.link_down = true;
    g_assert_cmpint(qemu_send_packet(&a->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    g_assert_cmpuint(b->frames, ==, 0);
    b->nc.link_down = false;

    /* an iovec frame larger than NET_BUFSIZE: dropped before anything */
    g_assert_cmpint(qemu_sendv_packet_async(&a->nc, &big, 1, fake_sent), ==,
                    NET_BUFSIZE + 1);
    g_assert_cmpuint(b->frames, ==, 0);
    g_assert_cmpuint(a->sent_calls, ==, 0);

    g_assert_cmpint(qemu_send_packet(&a->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    g_assert_cmpuint(b->frames, ==, 1);
    test_teardown();
}

/* ---- queueing ----------------------------------------------------------- */

static void test_receive_zero_queues(void)
{
    FakeClient *a, *b;
    uint8_t second[20] = { 2 };

    test_setup();
    a = fake_new(&fake_backend_info, NULL, "tap", "t0");
    b = fake_new(&fake_backend_info, a, "tap", "t1");

    /* "not now": queued, the sender told 0, the receiver disabled */
    b->ret = 0;
    g_assert_cmpint(qemu_send_packet_async(&a->nc, frame, sizeof(frame),
                                           fake_sent), ==, 0);
    g_assert_true(b->nc.receive_disabled);
    g_assert_false(qemu_can_send_packet(&a->nc));
    g_assert_false(qemu_can_receive_packet(&b->nc));
    /* later frames queue behind without trying the receiver */
    b->ret = 1;
    g_assert_cmpint(qemu_send_packet_async(&a->nc, second, sizeof(second),
                                           fake_sent), ==, 0);
    g_assert_cmpuint(b->frames, ==, 0);
    g_assert_cmpuint(a->sent_calls, ==, 0);

    /* the receiver has room: both, in order, each sent_cb with its size */
    qemu_flush_queued_packets(&b->nc);
    g_assert_false(b->nc.receive_disabled);
    g_assert_cmpuint(b->frames, ==, 2);
    g_assert_cmpuint(b->sizes[0], ==, sizeof(frame));
    g_assert_cmpuint(b->sizes[1], ==, sizeof(second));
    g_assert_cmpuint(a->sent_calls, ==, 2);
    g_assert_cmpint(a->sent_ret, ==, sizeof(second));

    /* a flush that meets "not now" again keeps the rest in order */
    b->ret = 0;
    g_assert_cmpint(qemu_send_packet_async(&a->nc, frame, sizeof(frame),
                                           fake_sent), ==, 0);
    g_assert_cmpint(qemu_send_packet_async(&a->nc, second, sizeof(second),
                                           fake_sent), ==, 0);
    qemu_flush_queued_packets(&b->nc);
    g_assert_true(b->nc.receive_disabled);
    g_assert_cmpuint(a->sent_calls, ==, 2);
    b->ret = 1;
    qemu_flush_queued_packets(&b->nc);
    g_assert_cmpuint(b->frames, ==, 4);
    g_assert_cmpuint(b->sizes[2], ==, sizeof(frame));
    g_assert_cmpuint(b->sizes[3], ==, sizeof(second));
    g_assert_cmpuint(a->sent_calls, ==, 4);
    test_teardown();
}

static void test_can_receive(void)
{
    FakeClient *a, *b;

    test_setup();
    a = fake_new(&fake_backend_info, NULL, "tap", "t0");
    b = fake_new(&fake_backend_info, a, "tap", "t1");

    /* can_receive false: queued without calling receive */
    b->can_receive = false;
    g_assert_false(qemu_can_send_packet(&a->nc));
    g_assert_cmpint(qemu_send_packet_async(&a->nc, frame, sizeof(frame),
                                           fake_sent), ==, 0);
    g_assert_cmpuint(b->frames, ==, 0);
    g_assert_false(b->nc.receive_disabled);
    b->can_receive = true;
    qemu_flush_queued_packets(&b->nc);
    g_assert_cmpuint(b->frames, ==, 1);
    g_assert_cmpuint(a->sent_calls, ==, 1);
    g_assert_cmpint(a->sent_ret, ==, sizeof(frame));
    test_teardown();
}

static void test_vm_not_running(void)
{
    FakeClient *a, *b;

    test_setup();
    vm_stop(RUN_STATE_PAUSED);
    a = fake_new(&fake_backend_info, NULL, "tap", "t0");
    b = fake_new(&fake_backend_info, a, "tap", "t1");

    /* stopped: nothing is delivered; the VM start flushes */
    g_assert_false(qemu_can_send_packet(&a->nc));
    g_assert_cmpint(qemu_send_packet_async(&a->nc, frame, sizeof(frame),
                                           fake_sent), ==, 0);
    g_assert_cmpuint(b->frames, ==, 0);
    vm_start();
    g_assert_cmpuint(b->frames, ==, 1);
    g_assert_cmpuint(a->sent_calls, ==, 1);

    /* stopping delivers what can go and purges the rest (sent_cb 0) */
    b->ret = 0;
    g_assert_cmpint(qemu_send_packet_async(&a->nc, frame, sizeof(frame),
                                           fake_sent), ==, 0);
    vm_stop(RUN_STATE_PAUSED);
    g_assert_cmpuint(a->sent_calls, ==, 2);
    g_assert_cmpint(a->sent_ret, ==, 0);
    b->ret = 1;
    vm_start();
    qemu_flush_queued_packets(&b->nc);
    g_assert_cmpuint(b->frames, ==, 1);
    test_teardown();
}

static void test_queue_limit(void)
{
    FakeClient *a, *b;
    unsigned i;

    test_setup();
    a = fake_new(&fake_backend_info, NULL, "tap", "t0");
    b = fake_new(&fake_backend_info, a, "tap", "t1");
    b->can_receive = false;

    /* QEMU's 10000 frames; past it, frames without a sent_cb are lost */
    for (i = 0; i < 10000 + 5; i++) {
        g_assert_cmpint(qemu_send_packet(&a->nc, frame, sizeof(frame)), ==,
                        0);
    }
    /* one with a sent_cb is kept: its sender waits for it */
    g_assert_cmpint(qemu_send_packet_async(&a->nc, frame, 20, fake_sent), ==,
                    0);
    b->can_receive = true;
    qemu_flush_queued_packets(&b->nc);
    g_assert_cmpuint(b->frames, ==, 10001);
    g_assert_cmpuint(a->sent_calls, ==, 1);
    g_assert_cmpint(a->sent_ret, ==, 20);
    test_teardown();
}

static void test_purge(void)
{
    FakeClient *a, *b;

    test_setup();
    a = fake_new(&fake_backend_info, NULL, "tap", "t0");
    b = fake_new(&fake_backend_info, a, "tap", "t1");
    b->ret = 0;
    g_assert_cmpint(qemu_send_packet_async(&a->nc, frame, sizeof(frame),
                                           fake_sent), ==, 0);
    g_assert_cmpint(qemu_send_packet_async(&a->nc, frame, sizeof(frame),
                                           fake_sent), ==, 0);

    /* the sender's waiting frames go, each sent_cb told 0 */
    qemu_purge_queued_packets(&a->nc);
    g_assert_cmpuint(a->sent_calls, ==, 2);
    g_assert_cmpint(a->sent_ret, ==, 0);
    b->ret = 1;
    qemu_flush_queued_packets(&b->nc);
    g_assert_cmpuint(b->frames, ==, 0);
    test_teardown();
}

/*
 * A receive that sends back into the queue being delivered: the frame
 * waits (0, no recursion), and goes right after, with QEMU's flush that
 * follows a delivered frame.
 */
static void test_send_from_receive(void)
{
    FakeClient *a, *b;

    test_setup();
    a = fake_new(&fake_backend_info, NULL, "tap", "t0");
    b = fake_new(&fake_backend_info, a, "tap", "t1");
    a->echo = 1;
    b->echo = 1;
    /* a -> b; b echoes to a (delivered); a echoes into b's queue */
    g_assert_cmpint(qemu_send_packet(&a->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    g_assert_cmpint(b->echo_ret, ==, sizeof(frame));
    g_assert_cmpint(a->echo_ret, ==, 0);
    g_assert_cmpuint(a->frames, ==, 1);
    g_assert_cmpuint(b->frames, ==, 2);
    test_teardown();
}

/* ---- NICs and deletion -------------------------------------------------- */

static void test_nic_multiqueue(void)
{
    FakeClient *q0, *q1;
    NICConf conf = { 0 };
    FakeNic *nic;

    test_setup();
    /* a two-queue backend: both queues carry its name */
    q0 = fake_new(&fake_backend_info, NULL, "tap", "mq");
    q1 = fake_new(&fake_backend_info, NULL, "tap", "mq");
    conf.peers.ncs[0] = &q0->nc;
    conf.peers.ncs[1] = &q1->nc;
    conf.peers.queues = 2;
    nic = (FakeNic *)qemu_new_nic(&fake_nic_info, &conf, "virtio-net-device",
                                  "nic0", NULL);
    nic->rx.ret = 1;
    nic->rx.can_receive = true;
    g_assert_true(qemu_get_subqueue(&nic->nic, 1)->peer == &q1->nc);
    g_assert_cmpuint(qemu_get_subqueue(&nic->nic, 1)->queue_index, ==, 1);
    g_assert_true(qemu_get_nic(qemu_get_subqueue(&nic->nic, 1)) ==
                  &nic->nic);
    g_assert_cmpstr(qemu_get_subqueue(&nic->nic, 1)->name, ==, "nic0");

    /* a frame from queue 1's backend arrives on queue 1 */
    g_assert_cmpint(qemu_send_packet(&q1->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    g_assert_cmpuint(nic->rx.frames, ==, 1);

    /* deleting the backend takes every queue and downs the NIC's links */
    qemu_del_net_client(&q0->nc);
    g_assert_true(nic->nic.peer_deleted);
    g_assert_true(qemu_get_subqueue(&nic->nic, 0)->link_down);
    g_assert_true(qemu_get_subqueue(&nic->nic, 1)->link_down);
    g_assert_cmpuint(nic->rx.link_changes, ==, 1);
    g_assert_cmpuint(q0->cleanups, ==, 1);
    g_assert_cmpuint(q1->cleanups, ==, 1);
    g_assert_null(qemu_find_netdev("mq"));
    /* the NIC still sends into its (cleaned up) peer: dropped, link down */
    g_assert_cmpint(qemu_send_packet(qemu_get_queue(&nic->nic), frame,
                                     sizeof(frame)), ==, sizeof(frame));
    g_assert_cmpuint(q0->frames, ==, 0);
    /* and the NIC frees them (ASan: no leak, no use after free) */
    qemu_del_nic(&nic->nic);
    test_teardown();
}

static void test_del_nic_purges(void)
{
    Pair p;

    test_setup();
    pair_new(&p, "virtio-net-device", "n0", "net0");
    /* the guest has no RX buffers: the backend's frame waits */
    p.nic->rx.can_receive = false;
    g_assert_cmpint(qemu_send_packet_async(&p.be->nc, frame, sizeof(frame),
                                           fake_sent), ==, 0);
    /* the backend's frame to the NIC is purged: the backend resumes */
    qemu_del_nic(&p.nic->nic);
    g_assert_cmpuint(p.be->sent_calls, ==, 1);
    g_assert_cmpint(p.be->sent_ret, ==, 0);
    g_assert_null(p.be->nc.peer);
    g_assert_cmpint(qemu_send_packet(&p.be->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    test_teardown();
}

static void test_del_sender_with_queued(void)
{
    FakeClient *a, *b;

    test_setup();
    a = fake_new(&fake_backend_info, NULL, "tap", "t0");
    b = fake_new(&fake_backend_info, a, "tap", "t1");
    b->ret = 0;
    g_assert_cmpint(qemu_send_packet_async(&a->nc, frame, sizeof(frame),
                                           fake_sent), ==, 0);
    /* a goes: its waiting frame goes with it, never delivered later */
    qemu_del_net_client(&a->nc);
    g_assert_null(b->nc.peer);
    b->ret = 1;
    qemu_flush_queued_packets(&b->nc);
    g_assert_cmpuint(b->frames, ==, 0);
    test_teardown();
}

/* ---- MAC addresses ------------------------------------------------------ */

static void test_default_mac(void)
{
    static const uint8_t mac56[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    static const uint8_t mac57[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };
    MACAddr other = { .a = { 0x02, 0, 0, 0, 0, 0x56 } };
    Pair p1, p2, p3, p4;
    g_autofree char *s = NULL;

    test_setup();
    pair_new(&p1, "virtio-net-device", NULL, "n1");
    g_assert_cmpmem(p1.conf.macaddr.a, 6, mac56, 6);
    /* a user's MAC in the sequence takes its place there */
    pair_new_mac(&p2, "virtio-net-device", NULL, "n2", mac57);
    g_assert_cmpmem(p2.conf.macaddr.a, 6, mac57, 6);
    /* a MAC outside it is kept and takes nothing */
    qemu_macaddr_default_if_unset(&other);
    g_assert_cmpuint(other.a[0], ==, 0x02);
    g_assert_cmpuint(other.a[5], ==, 0x56);
    pair_new(&p3, "virtio-net-device", NULL, "n3");
    g_assert_cmpuint(p3.conf.macaddr.a[5], ==, 0x58);

    /* a deleted NIC's address is free again */
    qemu_del_nic(&p1.nic->nic);
    pair_new(&p4, "virtio-net-device", NULL, "n4");
    g_assert_cmpmem(p4.conf.macaddr.a, 6, mac56, 6);
    s = qemu_mac_strdup_printf(p4.conf.macaddr.a);
    g_assert_cmpstr(s, ==, "52:54:00:12:34:56");
    test_teardown();
}

/* ---- offloads, padding, backends ---------------------------------------- */

static void test_vnet_wrappers(void)
{
    FakeClient *a, *b;

    test_setup();
    a = fake_new(&fake_backend_info, NULL, "tap", "t0");
    b = fake_new(&fake_iov_info, NULL, "socket", "s0");

    /* absent callbacks: no, no-op */
    g_assert_false(qemu_has_vnet_hdr(&b->nc));
    g_assert_false(qemu_has_vnet_hdr_len(&b->nc, 12));
    g_assert_false(qemu_has_ufo(&b->nc));
    g_assert_false(qemu_has_vnet_hdr(NULL));
    qemu_using_vnet_hdr(&b->nc, true);
    qemu_set_offload(&b->nc, 1, 1, 1, 1, 1);
    qemu_set_vnet_hdr_len(&b->nc, 12);
    g_assert_cmpint(b->nc.vnet_hdr_len, ==, 0);
    /* a little-endian host: the header is LE already, QEMU's 0 */
    g_assert_cmpint(qemu_set_vnet_le(&b->nc, true), ==, 0);

    /* present: asked */
    g_assert_false(qemu_has_vnet_hdr(&a->nc));
    a->vnet_hdr = true;
    g_assert_true(qemu_has_vnet_hdr(&a->nc));
    qemu_set_vnet_hdr_len(&a->nc, 12);
    g_assert_cmpint(a->vnet_hdr_len_set, ==, 12);
    g_assert_cmpint(a->nc.vnet_hdr_len, ==, 12);
    test_teardown();
}

static void test_padding(void)
{
    uint8_t out[ETH_ZLEN];
    size_t len = sizeof(out);
    uint8_t big[ETH_ZLEN] = { 1 };
    Pair p;

    test_setup();
    g_assert_true(eth_pad_short_frame(out, &len, frame, sizeof(frame)));
    g_assert_cmpuint(len, ==, ETH_ZLEN);
    g_assert_cmpmem(out, sizeof(frame), frame, sizeof(frame));
    for (size_t i = sizeof(frame); i < ETH_ZLEN; i++) {
        g_assert_cmpuint(out[i], ==, 0);
    }
    len = sizeof(out);
    g_assert_false(eth_pad_short_frame(out, &len, big, sizeof(big)));
    g_assert_cmpuint(len, ==, sizeof(out));

    /* a peer needs padding unless it says it does not (virtio-net) */
    pair_new(&p, "virtio-net-device", NULL, "net0");
    g_assert_true(net_peer_needs_padding(&p.be->nc));
    nic_nc(&p)->do_not_pad = true;
    g_assert_false(net_peer_needs_padding(&p.be->nc));
    qemu_del_nic(&p.nic->nic);
    g_assert_false(net_peer_needs_padding(&p.be->nc));
    test_teardown();
}

static int fake_backend_init(QemuOpts *opts, const char *name,
                             NetClientState *peer, Error **errp)
{
    return 0;
}

static void test_backend_registry(void)
{
    static const NetBackend fake_tap = {
        .type = "tap",
        .driver = NET_CLIENT_DRIVER_TAP,
        .init = fake_backend_init,
    };
    static const NetBackend fake_user = {
        .type = "user",
        .driver = NET_CLIENT_DRIVER_USER,
        .init = fake_backend_init,
    };

    g_assert_null(net_backend_find("tap"));
    net_backend_register(&fake_tap);
    net_backend_register(&fake_user);
    g_assert_true(net_backend_find("tap") == &fake_tap);
    g_assert_true(net_backend_find("user") == &fake_user);
    g_assert_null(net_backend_find("vde"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/net/peers-and-names", test_peers_and_names);
    g_test_add_func("/net/deliver", test_deliver);
    g_test_add_func("/net/drops", test_drops);
    g_test_add_func("/net/receive-zero-queues", test_receive_zero_queues);
    g_test_add_func("/net/can-receive", test_can_receive);
    g_test_add_func("/net/vm-not-running", test_vm_not_running);
    g_test_add_func("/net/queue-limit", test_queue_limit);
    g_test_add_func("/net/purge", test_purge);
    g_test_add_func("/net/send-from-receive", test_send_from_receive);
    g_test_add_func("/net/nic-multiqueue", test_nic_multiqueue);
    g_test_add_func("/net/del-nic-purges", test_del_nic_purges);
    g_test_add_func("/net/del-sender-with-queued", test_del_sender_with_queued);
    g_test_add_func("/net/default-mac", test_default_mac);
    g_test_add_func("/net/vnet-wrappers", test_vnet_wrappers);
    g_test_add_func("/net/padding", test_padding);
    g_test_add_func("/net/backend-registry", test_backend_registry);
    return g_test_run();
}
