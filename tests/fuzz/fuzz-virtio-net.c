/*
 * libFuzzer target: a guest's virtio-net-device queues (hw/net/
 * virtio-net.c) on 64 KiB of guest RAM: the TX headers and chains, the
 * control queue's commands, RX buffers for frames from the backend.
 * Whatever the input, nothing may crash, hang, leak or touch memory
 * outside guest RAM.
 *
 * Input: byte 0 flags: bit 0 EVENT_IDX, bit 1 MRG_RXBUF, bit 2 VERSION_1
 * (a modern transport), bit 3 a backend that takes the vnet header, bit
 * 4 a backend that queues (TX waits for its sent callback, given at the
 * end), bit 5 a reset after the first kicks, bit 6 every control
 * feature, bit 7 tx=timer; byte 1 the length of the frames the backend
 * sends (times 8); the rest is the guest RAM. Three queues of 16: RX at
 * 0x0000 (descriptors; available ring +0x100, used ring +0x200), TX at
 * 0x0400, control at 0x0800; the guest writes avail->idx itself.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-net.h"
#include "system/main-loop.h"
#include "fuzz-target.h"

#define RAM_SIZE    0x10000
#define QSIZE       16

static VirtioBus vbus;

static void fuzz_notify(DeviceState *transport)
{
}

static uint64_t fuzz_modern_features(DeviceState *transport)
{
    return 1ULL << VIRTIO_F_VERSION_1;
}

static const VirtioBusOps fuzz_legacy_ops = { .notify = fuzz_notify };
static const VirtioBusOps fuzz_modern_ops = {
    .notify = fuzz_notify,
    .features = fuzz_modern_features,
};

/* The backend: takes frames (or queues them), may have a vnet header */
typedef struct FuzzBackend {
    NetClientState nc;
    bool full;
    bool vnet_hdr;
} FuzzBackend;

static ssize_t fuzz_be_receive(NetClientState *nc, const uint8_t *buf,
                               size_t size)
{
    return container_of(nc, FuzzBackend, nc)->full ? 0 : (ssize_t)size;
}

static bool fuzz_be_has_vnet_hdr(NetClientState *nc)
{
    return container_of(nc, FuzzBackend, nc)->vnet_hdr;
}

static bool fuzz_be_has_vnet_hdr_len(NetClientState *nc, int len)
{
    return true;
}

static const NetClientInfo fuzz_be_info = {
    .type = NET_CLIENT_DRIVER_SOCKET,
    .size = sizeof(FuzzBackend),
    .receive = fuzz_be_receive,
    .has_vnet_hdr = fuzz_be_has_vnet_hdr,
    .has_vnet_hdr_len = fuzz_be_has_vnet_hdr_len,
    .has_ufo = fuzz_be_has_vnet_hdr,
};

static void fuzz_init(void)
{
    qdev_register_types();
    virtio_register_types();
    virtio_net_register_types();
    qemu_init_main_loop();
    bql_lock();
    qemu_clock_set_virtual_manual(0);
    runstate_set(RUN_STATE_RUNNING, &error_abort);
}

static void fuzz_run_main_loop(void)
{
    /* bounded: a guest may keep the TX bottom half busy */
    for (int i = 0; i < 64 && g_main_context_iteration(NULL, FALSE); i++) {
        /* nothing */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool initialized;
    static uint8_t ram[RAM_SIZE];
    static uint8_t frame[255 * 8 + 12];
    static int64_t clock;
    uint64_t features = 1ULL << VIRTIO_NET_F_MAC |
                        1ULL << VIRTIO_NET_F_STATUS |
                        1ULL << VIRTIO_RING_F_INDIRECT_DESC;
    NetClientState *bnc;
    FuzzBackend *be;
    VirtIODevice *vdev;
    DeviceState *dev;
    GuestMemory *mem;
    uint8_t flags;
    size_t frame_len;

    if (!initialized) {
        fuzz_init();
        initialized = true;
    }
    if (size < 2) {
        return 0;
    }
    flags = data[0];
    frame_len = data[1] * 8 + (flags & 8 ? 12 : 0);
    memset(ram, 0, sizeof(ram));
    memcpy(ram, data + 2, MIN(size - 2, sizeof(ram)));
    mem = guest_memory_new();
    guest_memory_add(mem, 0, RAM_SIZE, ram, false, "ram");
    virtio_bus_init(&vbus, "fuzz-bus", "fuzz-bus.0", NULL,
                    flags & 4 ? &fuzz_modern_ops : &fuzz_legacy_ops, mem);
    bnc = qemu_new_net_client(&fuzz_be_info, NULL, "fuzz", "b0");
    bnc->is_netdev = true;
    be = container_of(bnc, FuzzBackend, nc);
    be->vnet_hdr = flags & 8;
    be->full = flags & 16;

    dev = DEVICE(object_new(TYPE_VIRTIO_NET));
    object_property_parse(OBJECT(dev), "netdev", "b0", &error_abort);
    object_property_parse(OBJECT(dev), "mq", "on", &error_abort);
    object_property_parse(OBJECT(dev), "x-txburst", "8", &error_abort);
    if (flags & 128) {
        object_property_parse(OBJECT(dev), "tx", "timer", &error_abort);
    }
    dev->parent_bus = &vbus.bus;
    qdev_realize_and_unref(dev, &error_abort);
    vdev = VIRTIO_DEVICE(dev);

    features |= (flags & 1 ? 1ULL << VIRTIO_RING_F_EVENT_IDX : 0) |
                (flags & 2 ? 1ULL << VIRTIO_NET_F_MRG_RXBUF : 0) |
                (flags & 4 ? 1ULL << VIRTIO_F_VERSION_1 : 0);
    if (flags & 64) {
        features |= 1ULL << VIRTIO_NET_F_CTRL_VQ |
                    1ULL << VIRTIO_NET_F_CTRL_RX |
                    1ULL << VIRTIO_NET_F_CTRL_RX_EXTRA |
                    1ULL << VIRTIO_NET_F_CTRL_VLAN |
                    1ULL << VIRTIO_NET_F_CTRL_MAC_ADDR |
                    1ULL << VIRTIO_NET_F_CTRL_GUEST_OFFLOADS |
                    1ULL << VIRTIO_NET_F_GUEST_ANNOUNCE |
                    1ULL << VIRTIO_NET_F_MQ |
                    1ULL << VIRTIO_NET_F_GUEST_CSUM |
                    1ULL << VIRTIO_NET_F_GUEST_TSO4;
    }
    virtio_reset(vdev);
    virtio_set_features(vdev, features & vdev->host_features);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    for (unsigned q = 0; q < 3; q++) {
        uint64_t base = 0x400 * q;

        virtio_queue_set_num(vdev, q, QSIZE);
        virtio_queue_set_rings(vdev, q, base, base + 0x100, base + 0x200);
    }
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);

    virtio_queue_notify(vdev, 2);
    virtio_queue_notify(vdev, 1);
    fuzz_run_main_loop();
    /* frames from the backend: to the NIC's MAC, and broadcast */
    memset(frame, 0x5a, sizeof(frame));
    memcpy(frame + (flags & 8 ? 12 : 0), VIRTIO_NET(dev)->mac, 6);
    qemu_send_packet(bnc, frame, frame_len);
    memset(frame + (flags & 8 ? 12 : 0), 0xff, 6);
    qemu_send_packet(bnc, frame, frame_len);
    virtio_queue_notify(vdev, 0);
    if (flags & 32) {
        virtio_reset(vdev);
    }
    virtio_queue_notify(vdev, 1);
    clock += 1000000;
    qemu_clock_advance_virtual_time(clock);
    fuzz_run_main_loop();
    be->full = false;
    qemu_flush_queued_packets(bnc);
    fuzz_run_main_loop();

    qdev_unrealize_all();
    qemu_del_net_client(bnc);
    virtio_bus_cleanup(&vbus);
    guest_memory_free(mem);
    return 0;
}
