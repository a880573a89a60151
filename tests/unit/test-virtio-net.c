/*
 * virtio-net-device (QEMU 7.2 hw/net/virtio-net.c) on fake guest memory
 * with a fake backend client, driven through the virtio core as a
 * transport would: features with and without a vnet-header backend,
 * config space per property, TX with and without the backend's header
 * (legacy, mergeable, VERSION_1 header sizes), TX backpressure (a
 * backend that queues holds the queue until its sent callback), the TX
 * burst and tx=timer, RX into one buffer and mergeable buffers, RX
 * without buffers (queued, flushed by the guest's kick), receive
 * filtering (promiscuous, unicast, broadcast, multicast, MAC table,
 * VLAN), the control queue and its errors, malformed TX chains, link
 * status, reset, realize errors, multiqueue (a backend of several
 * queues: the queue layout features make, each pair on its own backend
 * queue, the MQ command attaching and detaching backend queues).
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-net.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "log-capture.h"
#include "virtio-test-ring.h"

#define RAM_SIZE    (4 << 20)
#define Q_RX        0
#define Q_TX        1
#define Q_CTRL      2
#define NQ          3
#define SLOT        0x800

static bool modern;

static void run_main_loop(void)
{
    while (g_main_context_iteration(NULL, FALSE)) {
        /* until nothing is ready */
    }
}

/* ---- The fake backend ------------------------------------------------- */

typedef struct FakeBackend {
    NetClientState nc;
    int room;               /* frames it takes before saying "not now" */
    bool vnet_hdr;          /* takes a virtio_net_hdr */
    bool ufo;
    int hdr_len_ok;         /* the vnet header length it accepts (0: 10) */
    int hdr_len;            /* set by the NIC */
    bool using_vnet_hdr;
    bool detached;          /* set_queue_enabled(false) (tap: TUNSETQUEUE) */
    unsigned queue_calls;   /* set_queue_enabled calls */
    int offload[5];         /* csum, tso4, tso6, ecn, ufo */
    GPtrArray *frames;      /* of GByteArray */
} FakeBackend;

static FakeBackend *be;

static ssize_t fake_receive(NetClientState *nc, const uint8_t *buf,
                            size_t size)
{
    FakeBackend *b = container_of(nc, FakeBackend, nc);
    GByteArray *f;

    if (b->room == 0) {
        return 0;
    }
    if (b->room > 0) {
        b->room--;
    }
    f = g_byte_array_new();
    g_byte_array_append(f, buf, size);
    g_ptr_array_add(b->frames, f);
    return size;
}

static bool fake_has_vnet_hdr(NetClientState *nc)
{
    return container_of(nc, FakeBackend, nc)->vnet_hdr;
}

static bool fake_has_vnet_hdr_len(NetClientState *nc, int len)
{
    FakeBackend *b = container_of(nc, FakeBackend, nc);

    return len == VIRTIO_NET_HDR_LEN || len == b->hdr_len_ok;
}

static bool fake_has_ufo(NetClientState *nc)
{
    return container_of(nc, FakeBackend, nc)->ufo;
}

static void fake_using_vnet_hdr(NetClientState *nc, bool enable)
{
    container_of(nc, FakeBackend, nc)->using_vnet_hdr = enable;
}

static void fake_set_vnet_hdr_len(NetClientState *nc, int len)
{
    container_of(nc, FakeBackend, nc)->hdr_len = len;
}

static void fake_set_offload(NetClientState *nc, int csum, int tso4,
                             int tso6, int ecn, int ufo)
{
    FakeBackend *b = container_of(nc, FakeBackend, nc);

    b->offload[0] = csum;
    b->offload[1] = tso4;
    b->offload[2] = tso6;
    b->offload[3] = ecn;
    b->offload[4] = ufo;
}

static int fake_set_queue_enabled(NetClientState *nc, bool enable)
{
    FakeBackend *b = container_of(nc, FakeBackend, nc);

    b->detached = !enable;
    b->queue_calls++;
    return 0;
}

static void fake_cleanup(NetClientState *nc)
{
    FakeBackend *b = container_of(nc, FakeBackend, nc);

    g_ptr_array_free(b->frames, true);
}

static const NetClientInfo fake_info = {
    .type = NET_CLIENT_DRIVER_SOCKET,
    .size = sizeof(FakeBackend),
    .receive = fake_receive,
    .cleanup = fake_cleanup,
    .has_vnet_hdr = fake_has_vnet_hdr,
    .has_vnet_hdr_len = fake_has_vnet_hdr_len,
    .has_ufo = fake_has_ufo,
    .using_vnet_hdr = fake_using_vnet_hdr,
    .set_offload = fake_set_offload,
    .set_vnet_hdr_len = fake_set_vnet_hdr_len,
    .set_queue_enabled = fake_set_queue_enabled,
};

static FakeBackend *backend_new(const char *id, bool vnet_hdr)
{
    NetClientState *nc = qemu_new_net_client(&fake_info, NULL, "fake", id);
    FakeBackend *b = container_of(nc, FakeBackend, nc);

    nc->is_netdev = true;
    b->room = -1;
    b->vnet_hdr = vnet_hdr;
    b->ufo = vnet_hdr;
    b->frames = g_ptr_array_new_with_free_func(
        (GDestroyNotify)g_byte_array_unref);
    return b;
}

static GByteArray *frame(unsigned i)
{
    g_assert_cmpuint(i, <, be->frames->len);
    return g_ptr_array_index(be->frames, i);
}

/* ---- Fixture ----------------------------------------------------------- */

static TestRing tq[NQ];
static VirtIONet *vnet;
static VirtIODevice *vdev;

static VirtIONet *vnet_new_on(VirtioBus *bus, const char *const *props,
                              Error **errp)
{
    Object *obj = object_new(TYPE_VIRTIO_NET);

    for (; props && props[0]; props += 2) {
        if (!object_property_parse(obj, props[0], props[1], errp)) {
            object_unref(obj);
            return NULL;
        }
    }
    DEVICE(obj)->parent_bus = &bus->bus;
    if (!qdev_realize_and_unref(DEVICE(obj), errp)) {
        return NULL;
    }
    return VIRTIO_NET(obj);
}

static VirtIONet *vnet_new(const char *const *props, Error **errp)
{
    return vnet_new_on(&test_vbus, props, errp);
}

/* The bus, a backend "b0" (with a vnet header or not), the device on it */
static void setup_full(bool is_modern, bool vnet_hdr,
                       const char *const *props)
{
    const char *all[32] = { "netdev", "b0" };
    unsigned n = 2;

    modern = is_modern;
    test_ram_init(RAM_SIZE, modern ? &test_vbus_modern_ops : &test_vbus_legacy_ops);
    be = backend_new("b0", vnet_hdr);
    for (; props && props[0]; props++) {
        all[n++] = props[0];
    }
    all[n] = NULL;
    vnet = vnet_new(all, &error_abort);
    vdev = VIRTIO_DEVICE(vnet);
}

static void setup(const char *const *props)
{
    setup_full(false, false, props);
}

static void teardown(void)
{
    qdev_unrealize_all();
    if (be) {
        qemu_del_net_client(&be->nc);
        be = NULL;
    }
    test_ram_cleanup();
    vnet = NULL;
    vdev = NULL;
}

/* The driver's handshake with features, every queue set up. */
static void driver_ready(uint64_t features)
{
    virtio_reset(vdev);
    g_assert_cmpint(virtio_set_features(vdev, features), ==, 0);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    for (unsigned n = 0; n < NQ; n++) {
        test_ring_init(&tq[n], vdev, n, 0x100000 + 0x80000 * n, 0x80000,
                       SLOT);
    }
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);
}

static uint64_t f(unsigned bit)
{
    return 1ULL << bit;
}

/* A guest frame: 14-byte Ethernet header to dst from 52:54:00:00:00:01 */
static size_t eth_frame(uint8_t *buf, const uint8_t *dst, uint16_t type,
                        size_t len, uint8_t fill)
{
    static const uint8_t src[6] = { 0x52, 0x54, 0, 0, 0, 1 };

    memset(buf, fill, len);
    memcpy(buf, dst, 6);
    memcpy(buf + 6, src, 6);
    buf[12] = type >> 8;
    buf[13] = type;
    return len;
}

static const uint8_t own_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t other_mac[6] = { 0x52, 0x54, 0x00, 0x99, 0x99, 0x99 };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast_mac[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t some_mac[6] = { 0x52, 0x00, 0x00, 0x00, 0x00, 0x09 };

/* The guest sends hdr (hdr_len bytes) then data, as one or two buffers */
static void guest_send(const void *hdr, uint32_t hdr_len, const void *data,
                       uint32_t len, bool split)
{
    uint8_t one[SLOT];

    if (split) {
        const void *d[2] = { hdr, data };
        uint32_t lens[2] = { hdr_len, len };

        test_ring_offer_chain(&tq[Q_TX], false, d, lens, 2, NULL);
    } else {
        memcpy(one, hdr, hdr_len);
        memcpy(one + hdr_len, data, len);
        test_ring_offer_out(&tq[Q_TX], one, hdr_len + len);
    }
}

static void kick(unsigned qn)
{
    virtio_queue_notify(vdev, qn);
}

/* The backend sends a frame to the NIC: what qemu_send_packet returned */
static ssize_t host_send(const uint8_t *buf, size_t len)
{
    return qemu_send_packet(&be->nc, buf, len);
}

/* A control command on queue q: class, cmd, data; returns the ack byte */
static uint8_t ctrl_on(TestRing *q, uint8_t class, uint8_t cmd,
                       const void *data, uint32_t len)
{
    uint8_t hdr[2] = { class, cmd };
    TestSeg segs[3] = {
        { hdr, 2, false }, { data, len, false }, { NULL, 1, true },
    };
    uint32_t id, used_len;

    if (len) {
        test_ring_offer(q, segs, 3);
    } else {
        segs[1] = segs[2];
        test_ring_offer(q, segs, 2);
    }
    kick(q->n);
    g_assert_true(test_ring_take_used(q, &id, &used_len));
    g_assert_cmpuint(used_len, ==, 1);
    return test_ram[len ? segs[2].gpa : segs[1].gpa];
}

static uint8_t ctrl(uint8_t class, uint8_t cmd, const void *data,
                    uint32_t len)
{
    return ctrl_on(&tq[Q_CTRL], class, cmd, data, len);
}

static uint32_t cfg_read(uint32_t off, unsigned size)
{
    return virtio_config_read(vdev, off, size);
}

/* ---- features and config ------------------------------------------------ */

static const uint64_t offload_bits =
    1ULL << VIRTIO_NET_F_CSUM | 1ULL << VIRTIO_NET_F_HOST_TSO4 |
    1ULL << VIRTIO_NET_F_HOST_TSO6 | 1ULL << VIRTIO_NET_F_HOST_ECN |
    1ULL << VIRTIO_NET_F_GUEST_CSUM | 1ULL << VIRTIO_NET_F_GUEST_TSO4 |
    1ULL << VIRTIO_NET_F_GUEST_TSO6 | 1ULL << VIRTIO_NET_F_GUEST_ECN;
static const uint64_t ufo_bits =
    1ULL << VIRTIO_NET_F_GUEST_UFO | 1ULL << VIRTIO_NET_F_HOST_UFO;

/* QEMU 7.2's offer without a vnet-header backend (its -device default) */
static const uint64_t plain_features =
    1ULL << VIRTIO_NET_F_CTRL_GUEST_OFFLOADS | 1ULL << VIRTIO_NET_F_MAC |
    1ULL << VIRTIO_NET_F_GSO | 1ULL << VIRTIO_NET_F_MRG_RXBUF |
    1ULL << VIRTIO_NET_F_STATUS | 1ULL << VIRTIO_NET_F_CTRL_VQ |
    1ULL << VIRTIO_NET_F_CTRL_RX | 1ULL << VIRTIO_NET_F_CTRL_VLAN |
    1ULL << VIRTIO_NET_F_CTRL_RX_EXTRA | 1ULL << VIRTIO_NET_F_GUEST_ANNOUNCE |
    1ULL << VIRTIO_NET_F_CTRL_MAC_ADDR | 1ULL << VIRTIO_F_NOTIFY_ON_EMPTY |
    1ULL << VIRTIO_F_ANY_LAYOUT | 1ULL << VIRTIO_RING_F_INDIRECT_DESC |
    1ULL << VIRTIO_RING_F_EVENT_IDX | 1ULL << VIRTIO_F_RING_RESET;

static void test_features(void)
{
    static const char *const no_mrg[] = { "mrg_rxbuf", "off", "csum", "off",
                                          NULL };

    setup(NULL);
    g_assert_cmphex(vdev->host_features, ==, plain_features);
    g_assert_false(be->using_vnet_hdr);
    teardown();

    /* offloads only with a backend that takes the header (and UFO) */
    setup_full(false, true, NULL);
    g_assert_cmphex(vdev->host_features, ==,
                    plain_features | offload_bits | ufo_bits);
    g_assert_true(be->using_vnet_hdr);
    teardown();

    test_ram_init(RAM_SIZE, &test_vbus_legacy_ops);
    be = backend_new("b0", true);
    be->ufo = false;
    vnet = vnet_new((const char *const[]) { "netdev", "b0", NULL },
                    &error_abort);
    vdev = VIRTIO_DEVICE(vnet);
    g_assert_cmphex(vdev->host_features, ==, plain_features | offload_bits);
    teardown();

    setup_full(false, true, no_mrg);
    g_assert_cmphex(vdev->host_features, ==,
                    (plain_features | offload_bits | ufo_bits) &
                    ~(f(VIRTIO_NET_F_MRG_RXBUF) | f(VIRTIO_NET_F_CSUM)));
    teardown();

    /* modern: VERSION_1, and GSO hidden from the device feature words */
    setup_full(true, false, NULL);
    g_assert_cmphex(vdev->host_features, ==,
                    plain_features | f(VIRTIO_F_VERSION_1));
    g_assert_cmphex(VIRTIO_DEVICE_GET_CLASS(vdev)->legacy_features, ==,
                    VIRTIO_LEGACY_FEATURES | f(VIRTIO_NET_F_GSO));
    teardown();
}

static void test_config(void)
{
    static const char *const speed[] = {
        "mac", "02:00:00:aa:bb:cc", "speed", "1000", "duplex", "full",
        "host_mtu", "1400", "mq", "on", NULL
    };

    setup(NULL);
    g_assert_cmpuint(vdev->config_len, ==, 8);
    for (unsigned i = 0; i < 6; i++) {
        g_assert_cmphex(cfg_read(i, 1), ==, own_mac[i]);
    }
    g_assert_cmphex(cfg_read(VIRTIO_NET_CFG_STATUS, 2), ==,
                    VIRTIO_NET_S_LINK_UP);
    g_assert_cmphex(cfg_read(8, 1), ==, UINT32_MAX);  /* past the end */
    teardown();

    setup((const char *const[]) { "status", "off", NULL });
    g_assert_cmpuint(vdev->config_len, ==, 6);
    teardown();

    setup(speed);
    g_assert_cmpuint(vdev->config_len, ==, 17);
    g_assert_cmphex(cfg_read(0, 4), ==, 0xaa000002);
    g_assert_cmphex(cfg_read(4, 2), ==, 0xccbb);
    g_assert_cmpuint(cfg_read(VIRTIO_NET_CFG_MAX_VQ_PAIRS, 2), ==, 1);
    g_assert_cmpuint(cfg_read(VIRTIO_NET_CFG_MTU, 2), ==, 1400);
    g_assert_cmpuint(cfg_read(VIRTIO_NET_CFG_SPEED, 4), ==, 1000);
    g_assert_cmpuint(cfg_read(VIRTIO_NET_CFG_DUPLEX, 1), ==,
                     VIRTIO_NET_DUPLEX_FULL);
    g_assert_true(virtio_has_feature(vdev->host_features, VIRTIO_NET_F_MQ));
    g_assert_true(virtio_has_feature(vdev->host_features, VIRTIO_NET_F_MTU));
    g_assert_true(virtio_has_feature(vdev->host_features,
                                     VIRTIO_NET_F_SPEED_DUPLEX));
    teardown();

    /* a legacy driver without CTRL_MAC_ADDR sets the MAC by writing it */
    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC));
    virtio_config_write(vdev, 0, 4, 0x04030202);
    virtio_config_write(vdev, 4, 2, 0x0605);
    g_assert_cmphex(cfg_read(0, 4), ==, 0x04030202);
    g_assert_cmphex(vnet->mac[5], ==, 6);
    /* ... and a reset brings back the configured one */
    virtio_reset(vdev);
    g_assert_cmpmem(vnet->mac, 6, own_mac, 6);
    teardown();
}

/* ---- TX ----------------------------------------------------------------- */

static void test_tx_header_sizes(void)
{
    static const struct {
        bool modern, vnet_hdr, mrg;
        int hdr_len_ok;
        uint32_t guest_hdr;
        uint32_t host_hdr;
    } cases[] = {
        { false, false, false, 0, 10, 0 },
        { false, false, true, 0, 12, 0 },
        { true, false, false, 0, 12, 0 },
        { false, true, false, 0, 10, 10 },
        { false, true, true, 12, 12, 12 },
        { false, true, true, 0, 12, 10 },    /* backend keeps 10 bytes */
        { true, true, false, 12, 12, 12 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint8_t hdr[12], data[60];
        uint64_t feat = f(VIRTIO_NET_F_MAC);
        GByteArray *got;

        for (unsigned j = 0; j < sizeof(hdr); j++) {
            hdr[j] = 0xa0 + j;
        }
        eth_frame(data, other_mac, 0x0800, sizeof(data), i);
        setup_full(cases[i].modern, cases[i].vnet_hdr, NULL);
        be->hdr_len_ok = cases[i].hdr_len_ok;
        if (cases[i].mrg) {
            feat |= f(VIRTIO_NET_F_MRG_RXBUF);
        }
        if (cases[i].modern) {
            feat |= f(VIRTIO_F_VERSION_1);
        }
        driver_ready(feat);
        g_assert_cmpuint(vnet->guest_hdr_len, ==, cases[i].guest_hdr);
        g_assert_cmpuint(vnet->host_hdr_len, ==, cases[i].host_hdr);
        if (cases[i].host_hdr == 12) {
            g_assert_cmpint(be->hdr_len, ==, 12);
        }
        guest_send(hdr, cases[i].guest_hdr, data, sizeof(data), i & 1);
        kick(Q_TX);
        g_assert_cmpuint(be->frames->len, ==, 0);   /* not on the kick */
        run_main_loop();
        g_assert_cmpuint(be->frames->len, ==, 1);
        got = frame(0);
        g_assert_cmpuint(got->len, ==, cases[i].host_hdr + sizeof(data));
        g_assert_cmpmem(got->data, cases[i].host_hdr, hdr, cases[i].host_hdr);
        g_assert_cmpmem(got->data + cases[i].host_hdr, sizeof(data),
                        data, sizeof(data));
        g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX]), ==, 1);
        teardown();
    }
}

/* A backend that says "not now" holds the queue until its sent callback */
static void test_tx_backpressure(void)
{
    uint8_t hdr[10] = { 0 }, data[60];
    uint32_t id, len;

    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC));
    be->room = 0;
    for (int i = 0; i < 3; i++) {
        eth_frame(data, other_mac, 0x0800, sizeof(data), i);
        guest_send(hdr, 10, data, sizeof(data), false);
    }
    kick(Q_TX);
    run_main_loop();
    /* the first was queued at the backend: nothing completed, two wait */
    g_assert_cmpuint(be->frames->len, ==, 0);
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX]), ==, 0);
    g_assert_nonnull(vnet->vqs[0].async_tx);
    kick(Q_TX);
    run_main_loop();
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX]), ==, 0);

    /* room again: the queued frame goes, its callback sends the rest */
    be->room = -1;
    qemu_flush_queued_packets(&be->nc);
    run_main_loop();
    g_assert_cmpuint(be->frames->len, ==, 3);
    for (int i = 0; i < 3; i++) {
        g_assert_cmpuint(frame(i)->data[20], ==, i);
        g_assert_true(test_ring_take_used(&tq[Q_TX], &id, &len));
        g_assert_cmpuint(len, ==, 0);
    }
    g_assert_null(vnet->vqs[0].async_tx);
    teardown();
}

static void test_tx_burst(void)
{
    uint8_t hdr[10] = { 0 }, data[60];

    setup((const char *const[]) { "x-txburst", "2", NULL });
    driver_ready(f(VIRTIO_NET_F_MAC));
    for (int i = 0; i < 5; i++) {
        eth_frame(data, other_mac, 0x0800, sizeof(data), i);
        guest_send(hdr, 10, data, sizeof(data), false);
    }
    kick(Q_TX);
    /* one run of the bottom half sends one burst and schedules the next */
    g_main_context_iteration(NULL, FALSE);
    g_assert_cmpuint(be->frames->len, ==, 2);
    run_main_loop();
    g_assert_cmpuint(be->frames->len, ==, 5);
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX]), ==, 5);
    teardown();
}

static void test_tx_timer(void)
{
    uint8_t hdr[10] = { 0 }, data[60];
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    setup((const char *const[]) { "tx", "timer", "x-txtimer", "1000",
                                  NULL });
    driver_ready(f(VIRTIO_NET_F_MAC));
    eth_frame(data, other_mac, 0x0800, sizeof(data), 1);
    guest_send(hdr, 10, data, sizeof(data), false);
    kick(Q_TX);
    run_main_loop();
    g_assert_cmpuint(be->frames->len, ==, 0);
    qemu_clock_advance_virtual_time(now + 999);
    g_assert_cmpuint(be->frames->len, ==, 0);
    qemu_clock_advance_virtual_time(now + 1000);
    g_assert_cmpuint(be->frames->len, ==, 1);
    /* a second kick while the timer waits flushes at once */
    guest_send(hdr, 10, data, sizeof(data), false);
    kick(Q_TX);
    guest_send(hdr, 10, data, sizeof(data), false);
    kick(Q_TX);
    g_assert_cmpuint(be->frames->len, ==, 3);
    teardown();
}

/* Link down: what the guest sends is completed unsent */
static void test_link_status(void)
{
    uint8_t hdr[10] = { 0 }, data[60];
    NetClientState *nc;

    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_STATUS));
    nc = qemu_get_queue(vnet->nic);
    vdev->isr = 0;
    nc->link_down = true;
    nc->info->link_status_changed(nc);
    g_assert_cmpuint(cfg_read(VIRTIO_NET_CFG_STATUS, 2), ==, 0);
    g_assert_cmphex(vdev->isr, ==, VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG);
    eth_frame(data, other_mac, 0x0800, sizeof(data), 1);
    guest_send(hdr, 10, data, sizeof(data), false);
    kick(Q_TX);
    run_main_loop();
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX]), ==, 1);
    g_assert_cmpuint(be->frames->len, ==, 0);

    vdev->isr = 0;
    nc->link_down = false;
    nc->info->link_status_changed(nc);
    g_assert_cmpuint(cfg_read(VIRTIO_NET_CFG_STATUS, 2), ==,
                     VIRTIO_NET_S_LINK_UP);
    g_assert_cmphex(vdev->isr, ==, VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG);
    guest_send(hdr, 10, data, sizeof(data), false);
    kick(Q_TX);
    run_main_loop();
    g_assert_cmpuint(be->frames->len, ==, 1);
    teardown();
}

/* ---- RX ----------------------------------------------------------------- */

static void test_rx_one_buffer(void)
{
    uint8_t buf[100];
    uint64_t gpa;
    uint32_t id, len;
    static const uint8_t none[10] = { 0 };

    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC));
    gpa = test_ring_offer_in(&tq[Q_RX], 1526);
    eth_frame(buf, own_mac, 0x0800, sizeof(buf), 7);
    g_assert_cmpint(host_send(buf, sizeof(buf)), ==, sizeof(buf));
    g_assert_true(test_ring_take_used(&tq[Q_RX], &id, &len));
    g_assert_cmpuint(len, ==, 10 + sizeof(buf));
    g_assert_cmpmem(test_ram + gpa, 10, none, 10);
    g_assert_cmpmem(test_ram + gpa + 10, sizeof(buf), buf, sizeof(buf));

    /* a frame larger than the buffer is dropped, the buffer kept */
    gpa = test_ring_offer_in(&tq[Q_RX], 64);
    g_assert_cmpint(host_send(buf, sizeof(buf)), ==, sizeof(buf));
    g_assert_false(test_ring_take_used(&tq[Q_RX], &id, &len));
    g_assert_cmpint(host_send(buf, 50), ==, 50);
    g_assert_true(test_ring_take_used(&tq[Q_RX], &id, &len));
    g_assert_cmpuint(len, ==, 60);
    teardown();
}

/* A backend with the header: it reaches the guest as the backend made it */
static void test_rx_vnet_hdr(void)
{
    uint8_t buf[12 + 100];
    uint64_t gpa;
    uint32_t id, len;

    setup_full(false, true, NULL);
    be->hdr_len_ok = 12;
    driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_MRG_RXBUF) |
                 f(VIRTIO_NET_F_GUEST_CSUM));
    g_assert_cmpuint(vnet->host_hdr_len, ==, 12);
    memset(buf, 0, 12);
    buf[0] = VIRTIO_NET_HDR_F_DATA_VALID;
    buf[1] = 1;     /* gso tcpv4 */
    eth_frame(buf + 12, own_mac, 0x0800, 100, 3);
    gpa = test_ring_offer_in(&tq[Q_RX], 1526);
    g_assert_cmpint(host_send(buf, sizeof(buf)), ==, sizeof(buf));
    g_assert_true(test_ring_take_used(&tq[Q_RX], &id, &len));
    g_assert_cmpuint(len, ==, sizeof(buf));
    g_assert_cmpmem(test_ram + gpa, 10, buf, 10);
    g_assert_cmpuint(test_get16(gpa + 10), ==, 1);     /* num_buffers */
    g_assert_cmpmem(test_ram + gpa + 12, 100, buf + 12, 100);
    /* the guest's offloads went to the backend */
    g_assert_cmpint(be->offload[0], ==, 1);
    g_assert_cmpint(be->offload[1], ==, 0);
    /* a frame shorter than the header is dropped and logged */
    log_capture_start(LOG_GUEST_ERROR);
    g_assert_cmpint(host_send(buf, 5), ==, 5);
    {
        g_autofree char *log = log_capture_take();

        g_assert_nonnull(strstr(log, "shorter than the backend's header"));
    }
    log_capture_stop();
    teardown();
}

static void test_rx_mergeable(void)
{
    uint8_t buf[200];
    uint64_t gpas[4];
    uint32_t id, len;
    static const uint32_t want[4] = { 64, 64, 64, 20 };

    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_MRG_RXBUF));
    for (int i = 0; i < 4; i++) {
        gpas[i] = test_ring_offer_in(&tq[Q_RX], 64);
    }
    eth_frame(buf, own_mac, 0x0800, sizeof(buf), 0);
    for (unsigned i = 14; i < sizeof(buf); i++) {
        buf[i] = i;
    }
    g_assert_cmpint(host_send(buf, sizeof(buf)), ==, sizeof(buf));
    /* all four published at once, num_buffers in the first header */
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_RX]), ==, 4);
    g_assert_cmpuint(test_get16(gpas[0] + 10), ==, 4);
    for (int i = 0; i < 4; i++) {
        g_assert_true(test_ring_take_used(&tq[Q_RX], &id, &len));
        g_assert_cmpuint(len, ==, want[i]);
    }
    g_assert_cmpmem(test_ram + gpas[0] + 12, 52, buf, 52);
    g_assert_cmpmem(test_ram + gpas[1], 64, buf + 52, 64);
    g_assert_cmpmem(test_ram + gpas[3], 20, buf + 180, 20);

    /* not enough room for the whole frame: it waits */
    test_ring_offer_in(&tq[Q_RX], 64);
    g_assert_cmpint(host_send(buf, sizeof(buf)), ==, 0);
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_RX]), ==, 4);
    for (int i = 0; i < 3; i++) {
        test_ring_offer_in(&tq[Q_RX], 64);
    }
    kick(Q_RX);
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_RX]), ==, 8);
    teardown();
}

/* No buffers: the frame waits at the NIC and goes on the guest's kick */
static void test_rx_no_buffers(void)
{
    uint8_t buf[80];
    uint32_t id, len;

    setup(NULL);
    /*
     * Before DRIVER_OK the NIC cannot receive: the frame waits, and is
     * dropped when the driver becomes ready (QEMU 7.2 flushes in
     * set_status before the status is stored, so can_receive still says
     * no)
     */
    eth_frame(buf, own_mac, 0x0800, sizeof(buf), 1);
    g_assert_cmpint(host_send(buf, sizeof(buf)), ==, 0);
    driver_ready(f(VIRTIO_NET_F_MAC));
    /* the guest is asked to kick when it adds buffers */
    test_put16(tq[Q_RX].used, VRING_USED_F_NO_NOTIFY);
    buf[20] = 2;
    g_assert_cmpint(host_send(buf, sizeof(buf)), ==, 0);
    g_assert_cmpuint(test_get16(tq[Q_RX].used) & VRING_USED_F_NO_NOTIFY,
                     ==, 0);
    buf[20] = 3;
    g_assert_cmpint(host_send(buf, sizeof(buf)), ==, 0);
    test_ring_offer_in(&tq[Q_RX], 1526);
    test_ring_offer_in(&tq[Q_RX], 1526);
    test_ring_offer_in(&tq[Q_RX], 1526);
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_RX]), ==, 0);
    kick(Q_RX);
    /* both waiting frames, in order; then the NIC takes frames at once */
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_RX]), ==, 2);
    g_assert_true(test_ring_take_used(&tq[Q_RX], &id, &len));
    g_assert_cmpuint(len, ==, 90);
    g_assert_cmpuint(test_ram[tq[Q_RX].bufs + 10 + 20], ==, 2);
    g_assert_cmpuint(test_ram[tq[Q_RX].bufs + SLOT + 10 + 20], ==, 3);
    g_assert_cmpint(host_send(buf, sizeof(buf)), ==, sizeof(buf));
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_RX]), ==, 3);
    teardown();
}

/* Which frames the guest gets as the control queue sets the filter */
static void test_rx_filter(void)
{
    uint8_t buf[64], on = 1, off = 0;
    uint16_t vid = GUINT16_TO_LE(5);
    uint8_t table[4 + 6 + 4 + 6] = { 1, 0, 0, 0 };
    unsigned got = 0;

#define EXPECT(dst, type, pass) do { \
        eth_frame(buf, (dst), (type), sizeof(buf), 0); \
        buf[14] = 0; \
        buf[15] = 5; \
        test_ring_offer_in(&tq[Q_RX], 128); \
        g_assert_cmpint(host_send(buf, sizeof(buf)), ==, sizeof(buf)); \
        got += (pass); \
        g_assert_cmpuint(test_ring_used_idx(&tq[Q_RX]), ==, got); \
    } while (0)

    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_CTRL_VQ) |
                 f(VIRTIO_NET_F_CTRL_RX) | f(VIRTIO_NET_F_CTRL_RX_EXTRA) |
                 f(VIRTIO_NET_F_CTRL_VLAN));
    /* promiscuous after reset */
    EXPECT(other_mac, 0x0800, true);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
                          &off, 1), ==, VIRTIO_NET_OK);
    EXPECT(other_mac, 0x0800, false);
    EXPECT(own_mac, 0x0800, true);
    EXPECT(bcast_mac, 0x0806, true);
    EXPECT(mcast_mac, 0x0800, false);
    /* VLAN 5 filtered until added (CTRL_VLAN: none pass by default) */
    EXPECT(own_mac, 0x8100, false);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD,
                          &vid, 2), ==, VIRTIO_NET_OK);
    EXPECT(own_mac, 0x8100, true);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_DEL,
                          &vid, 2), ==, VIRTIO_NET_OK);
    EXPECT(own_mac, 0x8100, false);
    /* one unicast entry, one multicast entry */
    memcpy(table + 4, other_mac, 6);
    table[10] = 1;
    memcpy(table + 14, mcast_mac, 6);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET,
                          table, sizeof(table)), ==, VIRTIO_NET_OK);
    EXPECT(other_mac, 0x0800, true);
    EXPECT(mcast_mac, 0x0800, true);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_NOMULTI,
                          &on, 1), ==, VIRTIO_NET_OK);
    EXPECT(mcast_mac, 0x0800, false);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_NOBCAST,
                          &on, 1), ==, VIRTIO_NET_OK);
    EXPECT(bcast_mac, 0x0806, false);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_NOUNI,
                          &on, 1), ==, VIRTIO_NET_OK);
    EXPECT(own_mac, 0x0800, false);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_NOUNI,
                          &off, 1), ==, VIRTIO_NET_OK);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLUNI,
                          &on, 1), ==, VIRTIO_NET_OK);
    EXPECT(bcast_mac, 0x0806, false);
    EXPECT(some_mac, 0x0800, true);
    /* a frame shorter than an Ethernet header only passes promiscuous */
    test_ring_offer_in(&tq[Q_RX], 128);
    g_assert_cmpint(host_send(buf, 8), ==, 8);
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_RX]), ==, got);
    /* a reset goes back to promiscuous */
    driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_CTRL_VQ));
    got = 0;
    EXPECT(other_mac, 0x0800, true);
    teardown();
#undef EXPECT
}

/* ---- control queue ------------------------------------------------------ */

static void test_ctrl(void)
{
    uint8_t mac[6] = { 2, 0, 0, 0, 0, 7 }, on = 1;
    uint16_t pairs = GUINT16_TO_LE(1), vid = GUINT16_TO_LE(4096);
    uint64_t offloads = 0;
    uint8_t bad_table[4] = { 100, 0, 0, 0 };
    uint8_t multi[4 + 4 + 6] = { 0, 0, 0, 0, 1, 0, 0, 0 };
    uint8_t overflow[4 + 65 * 6 + 4] = { 65, 0, 0, 0 };

    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_CTRL_VQ) |
                 f(VIRTIO_NET_F_CTRL_RX) | f(VIRTIO_NET_F_CTRL_MAC_ADDR) |
                 f(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS));
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET,
                          mac, 6), ==, VIRTIO_NET_OK);
    g_assert_cmphex(cfg_read(5, 1), ==, 7);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET,
                          mac, 5), ==, VIRTIO_NET_ERR);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MAC, 7, mac, 6), ==,
                     VIRTIO_NET_ERR);
    /* a table claiming more entries than it carries */
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET,
                          bad_table, 4), ==, VIRTIO_NET_ERR);
    /* no unicast entry, one multicast */
    memcpy(multi + 8, mcast_mac, 6);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET,
                          multi, sizeof(multi)), ==, VIRTIO_NET_OK);
    g_assert_cmpuint(vnet->mac_table.in_use, ==, 1);
    g_assert_cmpuint(vnet->mac_table.first_multi, ==, 0);
    g_assert_false(vnet->mac_table.uni_overflow);
    /* 65 unicast entries: more than the table holds, so every one passes */
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET,
                          overflow, sizeof(overflow)), ==, VIRTIO_NET_OK);
    g_assert_cmpuint(vnet->mac_table.in_use, ==, 0);
    g_assert_true(vnet->mac_table.uni_overflow);
    /* a multicast list must end the command exactly */
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET,
                          multi, sizeof(multi) - 1), ==, VIRTIO_NET_ERR);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_RX, 9, &on, 1), ==,
                     VIRTIO_NET_ERR);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
                          NULL, 0), ==, VIRTIO_NET_ERR);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD,
                          &vid, 2), ==, VIRTIO_NET_ERR);
    /* nothing to acknowledge without migration */
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_ANNOUNCE,
                          VIRTIO_NET_CTRL_ANNOUNCE_ACK, NULL, 0), ==,
                     VIRTIO_NET_ERR);
    /* MQ was not negotiated, RSS is never offered */
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
                          &pairs, 2), ==, VIRTIO_NET_ERR);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG,
                          &pairs, 2), ==, VIRTIO_NET_ERR);
    /* guest offloads need a backend with the header */
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_GUEST_OFFLOADS,
                          VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, &offloads, 8),
                     ==, VIRTIO_NET_ERR);
    g_assert_cmpuint(ctrl(42, 0, NULL, 0), ==, VIRTIO_NET_ERR);
    g_assert_false(vdev->broken);
    teardown();

    setup_full(false, true, (const char *const[]) { "mq", "on", NULL });
    driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_CTRL_VQ) |
                 f(VIRTIO_NET_F_MQ) | f(VIRTIO_NET_F_GUEST_CSUM) |
                 f(VIRTIO_NET_F_GUEST_TSO4) |
                 f(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS));
    g_assert_cmpint(be->offload[1], ==, 1);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
                          &pairs, 2), ==, VIRTIO_NET_OK);
    pairs = GUINT16_TO_LE(2);
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
                          &pairs, 2), ==, VIRTIO_NET_ERR);
    offloads = GUINT64_TO_LE(f(VIRTIO_NET_F_GUEST_CSUM));
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_GUEST_OFFLOADS,
                          VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, &offloads, 8),
                     ==, VIRTIO_NET_OK);
    g_assert_cmpint(be->offload[0], ==, 1);
    g_assert_cmpint(be->offload[1], ==, 0);
    /* an offload the guest did not negotiate */
    offloads = GUINT64_TO_LE(f(VIRTIO_NET_F_GUEST_TSO6));
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_GUEST_OFFLOADS,
                          VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, &offloads, 8),
                     ==, VIRTIO_NET_ERR);
    teardown();
}

/* ---- multiqueue ---------------------------------------------------------- */

#define MQ_PAIRS    3
#define MQ_CTRL     (2 * MQ_PAIRS)

static FakeBackend *mq_be[MQ_PAIRS];
static TestRing mq_tq[2 * MQ_PAIRS + 1];

/* A backend "b0" of MQ_PAIRS queues (as tap queues=3), the device on it */
static void mq_setup(const char *mq)
{
    const char *props[] = { "netdev", "b0", "mq", mq, NULL };

    test_ram_init(RAM_SIZE, &test_vbus_legacy_ops);
    modern = false;
    for (unsigned i = 0; i < MQ_PAIRS; i++) {
        mq_be[i] = backend_new("b0", true);
    }
    be = mq_be[0];
    vnet = vnet_new(props, &error_abort);
    vdev = VIRTIO_DEVICE(vnet);
}

/* The handshake with every queue the features leave set up */
static void mq_driver_ready(uint64_t features)
{
    virtio_reset(vdev);
    g_assert_cmpint(virtio_set_features(vdev, features), ==, 0);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    for (unsigned n = 0; n <= MQ_CTRL; n++) {
        if (virtio_queue_get_num(vdev, n)) {
            test_ring_init(&mq_tq[n], vdev, n, 0x100000 + 0x40000 * n,
                           0x40000, SLOT);
        }
    }
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);
}

/* Queue sizes from 0 on: what QueueNumMax says exists */
static void assert_queue_sizes(const unsigned *sizes, unsigned count)
{
    for (unsigned n = 0; n < count; n++) {
        g_assert_cmpuint(virtio_queue_get_max_num(vdev, n), ==, sizes[n]);
    }
}

/* VQ_PAIRS_SET on the control queue, wherever the features put it */
static uint8_t mq_set_pairs(uint16_t pairs)
{
    uint16_t le = GUINT16_TO_LE(pairs);

    return ctrl_on(&mq_tq[vnet->ctrl_vq->queue_index], VIRTIO_NET_CTRL_MQ,
                   VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &le, 2);
}

static void assert_detached(bool d0, bool d1, bool d2)
{
    g_assert_cmpint(mq_be[0]->detached, ==, d0);
    g_assert_cmpint(mq_be[1]->detached, ==, d1);
    g_assert_cmpint(mq_be[2]->detached, ==, d2);
}

/*
 * QEMU 7.2's layout: N pairs and the control queue after them from
 * realize, MQ offered by mq=on, max_virtqueue_pairs N either way;
 * features without MQ leave one pair and the control queue 2.
 */
static void test_mq_layout(void)
{
    static const unsigned full[] = { 256, 256, 256, 256, 256, 256, 64, 0 };
    static const unsigned one[] = { 256, 256, 64, 0, 0, 0, 0, 0 };
    const uint64_t base = f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_STATUS) |
                          f(VIRTIO_NET_F_CTRL_VQ);

    mq_setup("on");
    g_assert_cmpuint(vnet->max_queue_pairs, ==, MQ_PAIRS);
    assert_queue_sizes(full, G_N_ELEMENTS(full));
    g_assert_true(vdev->host_features & f(VIRTIO_NET_F_MQ));
    g_assert_cmpuint(vdev->config_len, ==, 10);
    g_assert_cmphex(cfg_read(VIRTIO_NET_CFG_MAX_VQ_PAIRS, 2), ==, MQ_PAIRS);
    for (unsigned i = 0; i < MQ_PAIRS; i++) {
        /* every queue of the backend speaks the header, none is padded */
        g_assert_true(mq_be[i]->using_vnet_hdr);
        g_assert_true(qemu_get_subqueue(vnet->nic, i)->do_not_pad);
        g_assert_true(mq_be[i]->nc.peer ==
                      qemu_get_subqueue(vnet->nic, i));
    }

    /* without MQ: one pair, the control queue right after it */
    mq_driver_ready(base);
    assert_queue_sizes(one, G_N_ELEMENTS(one));
    g_assert_true(vnet->ctrl_vq == &vdev->vq[2]);
    assert_detached(false, true, true);
    /* with MQ again: every pair, the control queue last */
    mq_driver_ready(base | f(VIRTIO_NET_F_MQ));
    assert_queue_sizes(full, G_N_ELEMENTS(full));
    g_assert_true(vnet->ctrl_vq == &vdev->vq[MQ_CTRL]);
    g_assert_cmpuint(vnet->curr_queue_pairs, ==, 1);
    assert_detached(false, true, true);
    teardown();

    /* mq=off: the pairs are there until the features, MQ is not offered */
    mq_setup("off");
    assert_queue_sizes(full, G_N_ELEMENTS(full));
    g_assert_false(vdev->host_features & f(VIRTIO_NET_F_MQ));
    mq_driver_ready(base);
    assert_queue_sizes(one, G_N_ELEMENTS(one));
    teardown();

    /* a single-queue backend is never attached or detached */
    setup_full(false, true, (const char *const[]) { "mq", "on", NULL });
    g_assert_cmpuint(vnet->max_queue_pairs, ==, 1);
    driver_ready(base | f(VIRTIO_NET_F_MQ));
    g_assert_cmpuint(ctrl(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
                          &(uint16_t) { GUINT16_TO_LE(1) }, 2), ==,
                     VIRTIO_NET_OK);
    g_assert_cmpuint(be->queue_calls, ==, 0);
    teardown();
}

/* 512 queues need 1025 virtqueues: QEMU's refusal */
static void test_mq_too_many(void)
{
    const char *props[] = { "netdev", "b0", NULL };
    Error *err = NULL;

    test_ram_init(RAM_SIZE, &test_vbus_legacy_ops);
    for (unsigned i = 0; i < 512; i++) {
        FakeBackend *b = backend_new("b0", false);

        if (!i) {
            be = b;
        }
    }
    g_assert_null(vnet_new(props, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid number of queue "
                    "pairs (= 512), must be a positive integer less than "
                    "511.");
    error_free(err);
    teardown();
}

/*
 * Pair k and backend queue k: frames from queue k land in RX queue 2k,
 * TX from queue 2k + 1 goes to backend queue k; VQ_PAIRS_SET attaches
 * and detaches the backend's queues; a reset is back to one pair.
 */
static void test_mq_datapath(void)
{
    const uint64_t features = f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_CTRL_VQ) |
                              f(VIRTIO_NET_F_MQ);
    static const uint8_t hdr[10] = { 0 };
    uint8_t buf[80];
    uint32_t id, len;
    GByteArray *f0;

    mq_setup("on");
    mq_driver_ready(features);
    assert_detached(false, true, true);
    /* pairs in 1..N */
    g_assert_cmpuint(mq_set_pairs(0), ==, VIRTIO_NET_ERR);
    g_assert_cmpuint(mq_set_pairs(MQ_PAIRS + 1), ==, VIRTIO_NET_ERR);
    g_assert_cmpuint(vnet->curr_queue_pairs, ==, 1);
    g_assert_cmpuint(mq_set_pairs(MQ_PAIRS), ==, VIRTIO_NET_OK);
    g_assert_cmpuint(vnet->curr_queue_pairs, ==, MQ_PAIRS);
    assert_detached(false, false, false);

    for (unsigned k = 0; k < MQ_PAIRS; k++) {
        /* RX: backend queue k into RX queue 2k, no other */
        test_ring_offer_in(&mq_tq[2 * k], 1526);
        eth_frame(buf, own_mac, 0x0800, sizeof(buf), k);
        g_assert_cmpint(qemu_send_packet(&mq_be[k]->nc, buf, sizeof(buf)),
                        ==, sizeof(buf));
        for (unsigned j = 0; j < MQ_PAIRS; j++) {
            g_assert_cmpint(test_ring_take_used(&mq_tq[2 * j], &id, &len),
                            ==, j == k);
        }
        /* the backend's header is the guest's: the frame as sent */
        g_assert_cmpuint(len, ==, sizeof(buf));

        /* TX: queue 2k + 1 to backend queue k, no other */
        eth_frame(buf, other_mac, 0x0800, sizeof(buf), 10 + k);
        test_ring_offer_chain(&mq_tq[2 * k + 1], false,
                              (const void *const[]) { hdr, buf },
                              (const uint32_t[]) { 10, sizeof(buf) }, 2,
                              NULL);
        kick(2 * k + 1);
        run_main_loop();
        for (unsigned j = 0; j < MQ_PAIRS; j++) {
            g_assert_cmpuint(mq_be[j]->frames->len, ==, j == k);
        }
        f0 = g_ptr_array_index(mq_be[k]->frames, 0);
        g_assert_cmpuint(f0->len, ==, 10 + sizeof(buf));
        g_assert_cmpmem(f0->data + 10, sizeof(buf), buf, sizeof(buf));
        g_assert_true(test_ring_take_used(&mq_tq[2 * k + 1], &id, &len));
        g_ptr_array_set_size(mq_be[k]->frames, 0);
    }

    /* back to one pair: the others' backend queues detached, and a
     * frame on one waits (its RX queue is not used) */
    g_assert_cmpuint(mq_set_pairs(1), ==, VIRTIO_NET_OK);
    assert_detached(false, true, true);
    test_ring_offer_in(&mq_tq[2], 1526);
    g_assert_cmpint(qemu_send_packet(&mq_be[1]->nc, buf, sizeof(buf)), ==, 0);
    g_assert_false(test_ring_take_used(&mq_tq[2], &id, &len));

    /* a reset is one pair and the control queue 2 (the features are
     * gone: QEMU 7.2.22's virtio_reset), the backend's other queues
     * detached; features with MQ bring the pairs back */
    g_assert_cmpuint(mq_set_pairs(2), ==, VIRTIO_NET_OK);
    assert_detached(false, false, true);
    virtio_reset(vdev);
    g_assert_cmpuint(vnet->curr_queue_pairs, ==, 1);
    assert_detached(false, true, true);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 2), ==, 64);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 3), ==, 0);
    mq_driver_ready(features);
    assert_detached(false, true, true);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, MQ_CTRL), ==, 64);
    teardown();

    /* without MQ negotiated the command fails */
    mq_setup("on");
    mq_driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_CTRL_VQ));
    g_assert_cmpuint(mq_set_pairs(2), ==, VIRTIO_NET_ERR);
    g_assert_cmpuint(vnet->curr_queue_pairs, ==, 1);
    teardown();
}

/* ---- malformed chains --------------------------------------------------- */

static void expect_broken(const char *msg)
{
    g_autofree char *log = log_capture_take();

    g_assert_true(vdev->broken);
    g_assert_nonnull(strstr(log, msg));
}

static void test_malformed(void)
{
    uint8_t hdr[2] = { VIRTIO_NET_CTRL_RX, 0 }, data[20] = { 0 };

    log_capture_start(LOG_GUEST_ERROR);

    /* a control command without room for the ack */
    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_NET_F_CTRL_VQ));
    test_ring_offer_out(&tq[Q_CTRL], hdr, 2);
    kick(Q_CTRL);
    expect_broken("virtio-net ctrl missing headers");
    teardown();

    /* a TX chain with no readable buffer */
    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC));
    test_ring_offer_in(&tq[Q_TX], 64);
    kick(Q_TX);
    run_main_loop();
    expect_broken("virtio-net header not in first element");
    teardown();

    /* a header shorter than the negotiated one, to a vnet-header backend */
    setup_full(true, true, NULL);
    driver_ready(f(VIRTIO_NET_F_MAC) | f(VIRTIO_F_VERSION_1));
    test_ring_offer_out(&tq[Q_TX], data, 11);
    kick(Q_TX);
    run_main_loop();
    expect_broken("virtio-net header incorrect");
    g_assert_true(vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET);
    g_assert_cmpuint(be->frames->len, ==, 0);
    teardown();

    /* RX buffers that are not device-writable */
    setup(NULL);
    driver_ready(f(VIRTIO_NET_F_MAC));
    test_ring_offer_out(&tq[Q_RX], data, 20);
    eth_frame(data, own_mac, 0x0800, sizeof(data), 0);
    host_send(data, sizeof(data));
    expect_broken("virtio-net receive queue contains no in buffers");
    teardown();

    log_capture_stop();
}

/* ---- realize and properties ------------------------------------------- */

static void test_realize_errors(void)
{
    static const struct {
        const char *prop, *value, *error;
    } cases[] = {
        { "rx_queue_size", "100", "Invalid rx_queue_size (= 100), must be "
          "a power of 2 between 256 and 1024." },
        { "rx_queue_size", "2048", "Invalid rx_queue_size (= 2048), must "
          "be a power of 2 between 256 and 1024." },
        { "tx_queue_size", "128", "Invalid tx_queue_size (= 128), must be "
          "a power of 2 between 256 and 1024" },
        { "duplex", "foo", "'duplex' must be 'half' or 'full'" },
        { "speed", "-5", "'speed' must be between 0 and INT_MAX" },
        { "rss", "on", "virtio-net-device rss=on (receive-side scaling) "
          "is not supported by microqemu" },
        { "failover", "on", "virtio-net-device failover=on (needs a PCI "
          "primary device; microvm has no PCI) is not supported by "
          "microqemu" },
        { "bootindex", "1", "virtio-net-device bootindex= is not supported "
          "by microqemu (microvm has no boot order)" },
        { "netdev", "nope", "Property 'virtio-net-device.netdev' can't find "
          "value 'nope'" },
        { "netdev", "b0", "Property 'virtio-net-device.netdev' can't take "
          "value 'b0', it's in use" },
        { "mac", "zz", "Property 'virtio-net-device.mac' doesn't take value "
          "'zz'" },
        { "mac", "52:54:00:12:34", "Property 'virtio-net-device.mac' "
          "doesn't take value '52:54:00:12:34'" },
        { "mac", "52:54:00:12:34:5", "Property 'virtio-net-device.mac' "
          "doesn't take value '52:54:00:12:34:5'" },
        { "mac", "52:54:00:12:34:567", "Property 'virtio-net-device.mac' "
          "doesn't take value '52:54:00:12:34:567'" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *props[] = { cases[i].prop, cases[i].value, NULL };
        VirtioBus bus2;
        Error *err = NULL;

        /* b0 taken by a first NIC; the second on a bus of its own */
        setup(NULL);
        virtio_bus_init(&bus2, "test-bus", "test-bus.1", NULL,
                        &test_vbus_legacy_ops, test_mem);
        g_assert_null(vnet_new_on(&bus2, props, &err));
        g_assert_nonnull(err);
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].error);
        error_free(err);
        teardown();
        virtio_bus_cleanup(&bus2);
    }
}

static void test_properties(void)
{
    Object *obj;
    g_autofree char *mac = NULL, *netdev = NULL;

    test_ram_init(RAM_SIZE, &test_vbus_legacy_ops);
    be = backend_new("b0", false);
    obj = object_new(TYPE_VIRTIO_NET);
    g_assert_true(object_property_parse(obj, "mac", "02-00-00-AB-cd-01",
                                        &error_abort));
    g_assert_true(object_property_parse(obj, "netdev", "b0", &error_abort));
    mac = object_property_print(obj, "mac");
    netdev = object_property_print(obj, "netdev");
    g_assert_cmpstr(mac, ==, "02:00:00:ab:cd:01");
    g_assert_cmpstr(netdev, ==, "b0");
    DEVICE(obj)->parent_bus = &test_vbus.bus;
    g_assert_true(qdev_realize_and_unref(DEVICE(obj), &error_abort));
    vnet = VIRTIO_NET(obj);
    vdev = VIRTIO_DEVICE(obj);
    /* the backend is the NIC's peer, and the NIC its */
    g_assert_true(be->nc.peer == qemu_get_queue(vnet->nic));
    g_assert_true(qemu_get_queue(vnet->nic)->peer == &be->nc);
    g_assert_cmphex(cfg_read(3, 1), ==, 0xab);
    teardown();

    /* no netdev: a NIC without a peer, whose frames go nowhere */
    test_ram_init(RAM_SIZE, &test_vbus_legacy_ops);
    vnet = vnet_new(NULL, &error_abort);
    vdev = VIRTIO_DEVICE(vnet);
    g_assert_null(qemu_get_queue(vnet->nic)->peer);
    driver_ready(f(VIRTIO_NET_F_MAC));
    {
        uint8_t hdr[10] = { 0 }, data[60] = { 0 };

        guest_send(hdr, 10, data, sizeof(data), false);
        kick(Q_TX);
        run_main_loop();
        g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX]), ==, 1);
    }
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    virtio_register_types();
    virtio_net_register_types();
    qemu_init_main_loop();
    bql_lock();
    qemu_clock_set_virtual_manual(0);
    runstate_set(RUN_STATE_RUNNING, &error_abort);

    g_test_add_func("/virtio-net/features", test_features);
    g_test_add_func("/virtio-net/config", test_config);
    g_test_add_func("/virtio-net/tx/header-sizes", test_tx_header_sizes);
    g_test_add_func("/virtio-net/tx/backpressure", test_tx_backpressure);
    g_test_add_func("/virtio-net/tx/burst", test_tx_burst);
    g_test_add_func("/virtio-net/tx/timer", test_tx_timer);
    g_test_add_func("/virtio-net/link-status", test_link_status);
    g_test_add_func("/virtio-net/rx/one-buffer", test_rx_one_buffer);
    g_test_add_func("/virtio-net/rx/vnet-hdr", test_rx_vnet_hdr);
    g_test_add_func("/virtio-net/rx/mergeable", test_rx_mergeable);
    g_test_add_func("/virtio-net/rx/no-buffers", test_rx_no_buffers);
    g_test_add_func("/virtio-net/rx/filter", test_rx_filter);
    g_test_add_func("/virtio-net/ctrl", test_ctrl);
    g_test_add_func("/virtio-net/mq/layout", test_mq_layout);
    g_test_add_func("/virtio-net/mq/datapath", test_mq_datapath);
    g_test_add_func("/virtio-net/mq/too-many", test_mq_too_many);
    g_test_add_func("/virtio-net/malformed", test_malformed);
    g_test_add_func("/virtio-net/realize-errors", test_realize_errors);
    g_test_add_func("/virtio-net/properties", test_properties);
    return g_test_run();
}
