/*
 * The virtio-mmio transport's register file (QEMU 7.2
 * hw/virtio/virtio-mmio.c): an empty slot, then legacy (version 1) and
 * modern (version 2) transports with a device behind them: every
 * register's reset value and access rule, queue set-up both ways,
 * features, status, kicks, the interrupt line and InterruptACK.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-mmio.h"
#include "log-capture.h"

/* Nothing logged since the last look. */
static void assert_nothing_logged(void)
{
    g_autofree char *log = log_capture_take();

    g_assert_cmpstr(log, ==, "");
}

#define BASE 0xfeb00000

static void setup(void)
{
    qdev_register_types();
    virtio_register_types();
    virtio_mmio_register_types();
}

static uint64_t mmio_read(uint64_t addr, unsigned size)
{
    uint64_t v = 0x5a5a5a5a;

    g_assert_true(address_space_read(&address_space_memory, addr, &v, size));
    return v;
}

static void test_registers(void)
{
    VirtIOMMIOProxy *proxy = virtio_mmio_create(BASE, 0, NULL, NULL, NULL);

    g_assert_nonnull(proxy);
    g_assert_cmphex(mmio_read(BASE + VIRTIO_MMIO_MAGIC_VALUE, 4), ==,
                    0x74726976);
    g_assert_cmphex(mmio_read(BASE + VIRTIO_MMIO_VERSION, 4), ==, 1);
    g_assert_cmphex(mmio_read(BASE + VIRTIO_MMIO_DEVICE_ID, 4), ==, 0);
    g_assert_cmphex(mmio_read(BASE + VIRTIO_MMIO_VENDOR_ID, 4), ==,
                    0x554d4551);
    /* An 8-byte read is two 4-byte register reads (QEMU's memory core). */
    g_assert_cmphex(mmio_read(BASE + VIRTIO_MMIO_MAGIC_VALUE, 8), ==,
                    0x0000000174726976ULL);
    /* every other register reads as zero, and writes change nothing */
    for (uint64_t off = 0x10; off < VIRTIO_MMIO_REGION_SIZE; off += 4) {
        g_assert_cmphex(mmio_read(BASE + off, 4), ==, 0);
    }
    g_assert_true(address_space_write(&address_space_memory,
                                      BASE + 0x070, 0xf, 4)); /* status */
    g_assert_cmphex(mmio_read(BASE + 0x070, 4), ==, 0);
    g_assert_cmphex(mmio_read(BASE + VIRTIO_MMIO_MAGIC_VALUE, 4), ==,
                    0x74726976);
    qdev_unrealize_all();
    address_space_clear(&address_space_memory);
}

static void test_modern(void)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(object_new(TYPE_VIRTIO_MMIO));

    g_assert_true(object_property_parse(OBJECT(proxy), "force-legacy", "off",
                                        NULL));
    proxy->base = BASE + 0x200;
    g_assert_true(qdev_realize_and_unref(DEVICE(proxy), NULL));
    g_assert_cmphex(mmio_read(BASE + 0x200 + VIRTIO_MMIO_VERSION, 4), ==, 2);
    /* the slot ends where the next begins */
    g_assert_false(address_space_read(&address_space_memory, BASE + 0x400,
                                      &(uint64_t){0}, 4));
    qdev_unrealize_all();
    address_space_clear(&address_space_memory);
}

/* qdev_unrealize(): the transport's window goes with it, slot too. */
static void test_unrealize_unmaps(void)
{
    VirtIOMMIOProxy *a = virtio_mmio_create(BASE, 0, NULL, NULL, &error_abort);
    VirtIOMMIOProxy *b = virtio_mmio_create(BASE + 0x200, 1, NULL, NULL,
                                            &error_abort);

    g_assert_true(qbus_find_by_name("virtio-mmio-bus.0") == &a->bus.bus);
    qdev_unrealize(DEVICE(a));
    g_assert_false(address_space_read(&address_space_memory, BASE,
                                      &(uint64_t){0}, 4));
    g_assert_null(qbus_find_by_name("virtio-mmio-bus.0"));
    /* the other transport is untouched */
    g_assert_cmphex(mmio_read(BASE + 0x200 + VIRTIO_MMIO_MAGIC_VALUE, 4), ==,
                    0x74726976);
    g_assert_true(qbus_find_by_name("virtio-mmio-bus.1") == &b->bus.bus);
    qdev_unrealize_all();
    g_assert_false(address_space_owner_mapped(&address_space_memory, b));
}

/* A device that maps its range and then fails to realize. */
#define TYPE_FAILING_DEVICE "failing-device"

static const MemoryRegionOps failing_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
};

static void failing_realize(DeviceState *dev, Error **errp)
{
    address_space_map(&address_space_memory, BASE, 0x10, &failing_ops, dev,
                      "failing", dev);
    error_setg(errp, "no");
}

static void failing_class_init(ObjectClass *oc, void *data)
{
    DEVICE_CLASS(oc)->realize = failing_realize;
}

static const TypeInfo failing_info = {
    .name = TYPE_FAILING_DEVICE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(DeviceState),
    .class_init = failing_class_init,
};

static void test_failed_realize_unmaps(void)
{
    Error *err = NULL;

    g_assert_false(qdev_realize_and_unref(
        DEVICE(object_new(TYPE_FAILING_DEVICE)), &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "no");
    error_free(err);
    g_assert_false(address_space_read(&address_space_memory, BASE,
                                      &(uint64_t){0}, 4));
}

/* ---- with a device plugged ---- */

#define TYPE_VIRTIO_MMIO_TEST "virtio-mmio-test"
#define RAM_SIZE    0x100000

static uint8_t *ram;
static GuestMemory *mem;
static int irq_level;
static unsigned kicks[2];

static void test_irq_handler(void *opaque, int n, int level)
{
    irq_level = level;
}

static void test_kick(VirtIODevice *vdev, VirtQueue *vq)
{
    kicks[vq->queue_index]++;
}

static void test_dev_realize(VirtIODevice *vdev, Error **errp)
{
    virtio_init(vdev, 7, 8);
    virtio_add_queue(vdev, 16, test_kick);
    virtio_add_queue(vdev, 256, test_kick);
}

static void test_dev_get_config(VirtIODevice *vdev, uint8_t *config)
{
    memcpy(config, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
}

static void test_dev_class_init(ObjectClass *oc, void *data)
{
    VIRTIO_DEVICE_CLASS(oc)->realize = test_dev_realize;
    VIRTIO_DEVICE_CLASS(oc)->get_config = test_dev_get_config;
}

static const TypeInfo test_dev_info = {
    .name = TYPE_VIRTIO_MMIO_TEST,
    .parent = TYPE_VIRTIO_DEVICE,
    .class_init = test_dev_class_init,
};

static qemu_irq test_irq;

/* A transport (legacy or not) with the test device in its slot, reset. */
static VirtIOMMIOProxy *plugged(bool legacy)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(object_new(TYPE_VIRTIO_MMIO));
    DeviceState *dev;

    ram = g_malloc0(RAM_SIZE);
    mem = guest_memory_new();
    guest_memory_add(mem, 0, RAM_SIZE, ram, false, "ram");
    irq_level = -1;
    kicks[0] = kicks[1] = 0;
    if (!test_irq) {
        test_irq = qemu_allocate_irq(test_irq_handler, NULL, 0);
    }
    proxy->legacy = legacy;
    proxy->base = BASE;
    proxy->irq = test_irq;
    proxy->mem = mem;
    g_assert_true(qdev_realize_and_unref(DEVICE(proxy), &error_abort));
    dev = DEVICE(object_new(TYPE_VIRTIO_MMIO_TEST));
    dev->parent_bus = &proxy->bus.bus;
    g_assert_true(qdev_realize_and_unref(dev, &error_abort));
    qdev_reset_all();
    log_capture_start(LOG_GUEST_ERROR);
    return proxy;
}

static void unplug(void)
{
    log_capture_stop();
    qdev_unrealize_all();
    address_space_clear(&address_space_memory);
    guest_memory_free(mem);
    g_free(ram);
}

static uint32_t rd(uint64_t off)
{
    return mmio_read(BASE + off, 4);
}

static void wr(uint64_t off, uint32_t v)
{
    g_assert_true(address_space_write(&address_space_memory, BASE + off, v,
                                      4));
}

static void assert_logged(const char *msg)
{
    g_autofree char *log = log_capture_take();

    if (!strstr(log, msg)) {
        g_error("expected \"%s\" in the log, got \"%s\"", msg, log);
    }
}

/* Reset values (QEMU 7.2 with virtio-rng-like features: the defaults). */
static void test_reset_values(gconstpointer data)
{
    bool legacy = GPOINTER_TO_INT(data);
    VirtIOMMIOProxy *proxy = plugged(legacy);
    static const struct {
        uint64_t off;
        uint32_t legacy, modern;
    } regs[] = {
        { VIRTIO_MMIO_MAGIC_VALUE, 0x74726976, 0x74726976 },
        { VIRTIO_MMIO_VERSION, 1, 2 },
        { VIRTIO_MMIO_DEVICE_ID, 7, 7 },
        { VIRTIO_MMIO_VENDOR_ID, 0x554d4551, 0x554d4551 },
        /* NOTIFY_ON_EMPTY, ANY_LAYOUT, INDIRECT_DESC, EVENT_IDX; modern
         * hides the legacy-only bits */
        { VIRTIO_MMIO_DEVICE_FEATURES, 0x39000000, 0x30000000 },
        { VIRTIO_MMIO_QUEUE_NUM_MAX, 1024, 1024 },
        { VIRTIO_MMIO_QUEUE_PFN, 0, 0 },
        { VIRTIO_MMIO_QUEUE_READY, 0, 0 },
        { VIRTIO_MMIO_INTERRUPT_STATUS, 0, 0 },
        { VIRTIO_MMIO_STATUS, 0, 0 },
        { VIRTIO_MMIO_SHM_LEN_LOW, 0xffffffff, 0xffffffff },
        { VIRTIO_MMIO_SHM_LEN_HIGH, 0xffffffff, 0xffffffff },
        { VIRTIO_MMIO_CONFIG_GENERATION, 0, 0 },
    };

    g_assert_true(virtio_mmio_is_plugged(proxy));
    for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
        g_assert_cmphex(rd(regs[i].off), ==,
                        legacy ? regs[i].legacy : regs[i].modern);
    }
    /* the high word: VERSION_1 and RING_RESET for a modern driver only */
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 5);
    g_assert_cmphex(rd(VIRTIO_MMIO_DEVICE_FEATURES), ==,
                    legacy ? 0 : 0x101);
    /* a queue the device does not have */
    wr(VIRTIO_MMIO_QUEUE_SEL, 2);
    g_assert_cmphex(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 0);
    /* config space: the device's bytes, then all-ones */
    g_assert_cmphex(mmio_read(BASE + 0x100, 4), ==, 0x04030201);
    g_assert_cmphex(mmio_read(BASE + 0x106, 2), ==, 0x0807);
    g_assert_cmphex(mmio_read(BASE + 0x107, 1), ==, 0x08);
    g_assert_cmphex(mmio_read(BASE + 0x108, 4), ==, 0xffffffff);
    g_assert_cmphex(mmio_read(BASE + 0x1fc, 4), ==, 0xffffffff);
    unplug();
}

/* What QEMU logs and ignores. */
static void test_access_rules(gconstpointer data)
{
    bool legacy = GPOINTER_TO_INT(data);
    static const uint64_t write_only[] = {
        VIRTIO_MMIO_DEVICE_FEATURES_SEL, VIRTIO_MMIO_DRIVER_FEATURES,
        VIRTIO_MMIO_DRIVER_FEATURES_SEL, VIRTIO_MMIO_GUEST_PAGE_SIZE,
        VIRTIO_MMIO_QUEUE_SEL, VIRTIO_MMIO_QUEUE_NUM,
        VIRTIO_MMIO_QUEUE_ALIGN, VIRTIO_MMIO_QUEUE_NOTIFY,
        VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_QUEUE_DESC_LOW,
        VIRTIO_MMIO_QUEUE_DESC_HIGH, VIRTIO_MMIO_QUEUE_AVAIL_LOW,
        VIRTIO_MMIO_QUEUE_AVAIL_HIGH, VIRTIO_MMIO_QUEUE_USED_LOW,
        VIRTIO_MMIO_QUEUE_USED_HIGH,
    };
    static const uint64_t read_only[] = {
        VIRTIO_MMIO_MAGIC_VALUE, VIRTIO_MMIO_VERSION, VIRTIO_MMIO_DEVICE_ID,
        VIRTIO_MMIO_VENDOR_ID, VIRTIO_MMIO_DEVICE_FEATURES,
        VIRTIO_MMIO_QUEUE_NUM_MAX, VIRTIO_MMIO_INTERRUPT_STATUS,
        VIRTIO_MMIO_CONFIG_GENERATION,
    };
    static const uint64_t legacy_only[] = {
        VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTIO_MMIO_QUEUE_ALIGN,
        VIRTIO_MMIO_QUEUE_PFN,
    };
    static const uint64_t modern_only[] = {
        VIRTIO_MMIO_QUEUE_READY, VIRTIO_MMIO_QUEUE_DESC_LOW,
        VIRTIO_MMIO_QUEUE_DESC_HIGH, VIRTIO_MMIO_QUEUE_AVAIL_LOW,
        VIRTIO_MMIO_QUEUE_AVAIL_HIGH, VIRTIO_MMIO_QUEUE_USED_LOW,
        VIRTIO_MMIO_QUEUE_USED_HIGH,
    };
    VirtIOMMIOProxy *proxy = plugged(legacy);
    VirtIODevice *vdev = proxy->bus.vdev;
    char msg[128];

    for (size_t i = 0; i < ARRAY_SIZE(write_only); i++) {
        g_assert_cmphex(rd(write_only[i]), ==, 0);
        snprintf(msg, sizeof(msg), "virtio_mmio_read: read of write-only "
                 "register (0x%" PRIx64 ")", write_only[i]);
        assert_logged(msg);
    }
    for (size_t i = 0; i < ARRAY_SIZE(read_only); i++) {
        wr(read_only[i], 0x12345678);
        snprintf(msg, sizeof(msg), "virtio_mmio_write: write to read-only "
                 "register (0x%" PRIx64 ")", read_only[i]);
        assert_logged(msg);
    }
    g_assert_cmphex(rd(VIRTIO_MMIO_MAGIC_VALUE), ==, 0x74726976);
    g_assert_cmphex(rd(VIRTIO_MMIO_DEVICE_ID), ==, 7);
    /* the other version's registers */
    for (size_t i = 0; i < (legacy ? ARRAY_SIZE(modern_only) :
                            ARRAY_SIZE(legacy_only)); i++) {
        uint64_t off = legacy ? modern_only[i] : legacy_only[i];

        wr(off, 0x1000);
        snprintf(msg, sizeof(msg), "virtio_mmio_write: write to %s register "
                 "(0x%" PRIx64 ") in %s mode", legacy ? "non-legacy" :
                 "legacy", off, legacy ? "legacy" : "non-legacy");
        assert_logged(msg);
    }
    g_assert_cmphex(rd(legacy ? VIRTIO_MMIO_QUEUE_READY :
                       VIRTIO_MMIO_QUEUE_PFN), ==, 0);
    snprintf(msg, sizeof(msg), "virtio_mmio_read: read from %s register",
             legacy ? "non-legacy" : "legacy");
    assert_logged(msg);
    if (legacy) {
        g_assert_cmphex(rd(VIRTIO_MMIO_CONFIG_GENERATION), ==, 0);
        assert_logged("read from non-legacy register (0xfc) in legacy mode");
    }
    g_assert_null(vdev->vq[0].desc_host);
    /* registers take 4-byte accesses only */
    g_assert_cmphex(mmio_read(BASE + VIRTIO_MMIO_MAGIC_VALUE, 2), ==, 0);
    assert_logged("virtio_mmio_read: wrong size access to register!");
    g_assert_true(address_space_write(&address_space_memory,
                                      BASE + VIRTIO_MMIO_STATUS, 1, 1));
    assert_logged("virtio_mmio_write: wrong size access to register!");
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, 0);
    /* holes */
    g_assert_cmphex(rd(0x018), ==, 0);
    assert_logged("virtio_mmio_read: bad register offset (0x18)");
    wr(0x0c0, 1);
    assert_logged("virtio_mmio_write: bad register offset (0xc0)");
    /* QueueSel past the maximum is ignored */
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    wr(VIRTIO_MMIO_QUEUE_SEL, VIRTIO_QUEUE_MAX);
    g_assert_cmpuint(vdev->queue_sel, ==, 1);
    /* legacy: driver features past the first word are refused */
    if (legacy) {
        wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
        wr(VIRTIO_MMIO_DRIVER_FEATURES, 1);
        assert_logged("attempt to write guest features with "
                      "guest_features_sel > 0 in legacy mode");
    }
    unplug();
}

/* The guest's page at 0x10000: desc, then avail, used page-aligned. */
static void test_legacy_queue(void)
{
    VirtIOMMIOProxy *proxy = plugged(true);
    VirtIODevice *vdev = proxy->bus.vdev;

    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
       VIRTIO_CONFIG_S_DRIVER);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << VIRTIO_RING_F_EVENT_IDX);
    g_assert_cmphex(vdev->guest_features, ==, 1u << VIRTIO_RING_F_EVENT_IDX);
    wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    wr(VIRTIO_MMIO_QUEUE_NUM, 128);
    wr(VIRTIO_MMIO_QUEUE_ALIGN, 4096);
    wr(VIRTIO_MMIO_QUEUE_PFN, 0x10);
    g_assert_cmphex(rd(VIRTIO_MMIO_QUEUE_PFN), ==, 0x10);
    g_assert_cmphex(vdev->vq[1].desc, ==, 0x10000);
    g_assert_cmphex(vdev->vq[1].avail, ==, 0x10000 + 16 * 128);
    g_assert_cmphex(vdev->vq[1].used, ==, 0x11000);
    g_assert_true(virtio_queue_ready(&vdev->vq[1]));
    wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) |
       VIRTIO_CONFIG_S_DRIVER_OK);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
    g_assert_cmpuint(kicks[1], ==, 1);
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);        /* queue 0 has no rings */
    wr(VIRTIO_MMIO_QUEUE_NOTIFY, 5000);
    g_assert_cmpuint(kicks[0], ==, 0);
    /* the device interrupts: the line follows the ISR until acked */
    vdev->isr |= VIRTIO_ISR_QUEUE;
    virtio_update_irq(vdev);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmphex(rd(VIRTIO_MMIO_INTERRUPT_STATUS), ==, 1);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, 1);
    g_assert_cmpint(irq_level, ==, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_INTERRUPT_STATUS), ==, 0);
    /* QueuePFN 0 resets the device */
    wr(VIRTIO_MMIO_QUEUE_PFN, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, 0);
    g_assert_false(virtio_queue_ready(&vdev->vq[1]));
    g_assert_cmphex(vdev->guest_features, ==, 0);
    /* a page size with no bit set: shift 0 (QEMU's ctz32 > 31) */
    wr(VIRTIO_MMIO_GUEST_PAGE_SIZE, 0);
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    wr(VIRTIO_MMIO_QUEUE_PFN, 0x20000);
    g_assert_cmphex(vdev->vq[0].desc, ==, 0x20000);
    assert_nothing_logged();
    unplug();
}

static void test_modern_queue(void)
{
    VirtIOMMIOProxy *proxy = plugged(false);
    VirtIODevice *vdev = proxy->bus.vdev;

    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
       VIRTIO_CONFIG_S_DRIVER);
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 1);             /* VERSION_1 */
    wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << VIRTIO_RING_F_EVENT_IDX);
    g_assert_cmphex(vdev->guest_features, ==, 0);   /* latched */
    wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) |
       VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_cmphex(vdev->guest_features, ==,
                    (1ULL << VIRTIO_F_VERSION_1) |
                    (1ULL << VIRTIO_RING_F_EVENT_IDX));
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, 0xb);

    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    wr(VIRTIO_MMIO_QUEUE_NUM, 8);
    wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x10000);
    wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
    wr(VIRTIO_MMIO_QUEUE_AVAIL_LOW, 0x11000);
    wr(VIRTIO_MMIO_QUEUE_AVAIL_HIGH, 0);
    wr(VIRTIO_MMIO_QUEUE_USED_LOW, 0x12000);
    wr(VIRTIO_MMIO_QUEUE_USED_HIGH, 0);
    g_assert_false(virtio_queue_ready(&vdev->vq[0]));
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
    g_assert_cmphex(rd(VIRTIO_MMIO_QUEUE_READY), ==, 1);
    g_assert_cmpuint(virtio_queue_get_num(vdev, 0), ==, 8);
    g_assert_cmphex(vdev->vq[0].used, ==, 0x12000);
    g_assert_true(virtio_queue_ready(&vdev->vq[0]));
    /* rings above 4 GiB: not RAM here, so the device breaks */
    wr(VIRTIO_MMIO_QUEUE_SEL, 1);
    wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, 1);
    wr(VIRTIO_MMIO_QUEUE_READY, 1);
    g_assert_cmphex(vdev->vq[1].desc, ==, 0x100000000ULL);
    g_assert_true(vdev->broken);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET,
                    ==, VIRTIO_CONFIG_S_NEEDS_RESET);
    assert_logged("Cannot map desc");
    /* status 0: device and queues reset, QueueReady back to 0 */
    wr(VIRTIO_MMIO_STATUS, 0);
    g_assert_false(vdev->broken);
    wr(VIRTIO_MMIO_QUEUE_SEL, 0);
    g_assert_cmphex(rd(VIRTIO_MMIO_QUEUE_READY), ==, 0);
    g_assert_false(virtio_queue_ready(&vdev->vq[0]));
    /* feature changes after FEATURES_OK are refused by the core */
    unplug();
}

/* A config change: generation and ISR bit 1 (modern). */
static void test_config_generation(void)
{
    VirtIOMMIOProxy *proxy = plugged(false);
    VirtIODevice *vdev = proxy->bus.vdev;

    wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_DRIVER_OK);
    virtio_notify_config(vdev);
    g_assert_cmphex(rd(VIRTIO_MMIO_CONFIG_GENERATION), ==, 1);
    g_assert_cmphex(rd(VIRTIO_MMIO_INTERRUPT_STATUS), ==, 3);
    g_assert_cmpint(irq_level, ==, 1);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, 2);
    g_assert_cmpint(irq_level, ==, 1);
    wr(VIRTIO_MMIO_INTERRUPT_ACK, 1);
    g_assert_cmpint(irq_level, ==, 0);
    /* machine reset: transport registers and device back to reset */
    wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    qdev_reset_all();
    g_assert_cmphex(rd(VIRTIO_MMIO_DEVICE_FEATURES), ==, 0x30000000);
    g_assert_cmphex(rd(VIRTIO_MMIO_STATUS), ==, 0);
    unplug();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    setup();
    type_register_static(&failing_info);
    type_register_static(&test_dev_info);
    g_test_add_func("/virtio-mmio/unrealize-unmaps", test_unrealize_unmaps);
    g_test_add_func("/virtio-mmio/failed-realize-unmaps",
                    test_failed_realize_unmaps);
    g_test_add_func("/virtio-mmio/empty-transport", test_registers);
    g_test_add_func("/virtio-mmio/force-legacy-off", test_modern);
    g_test_add_data_func("/virtio-mmio/legacy/reset-values",
                         GINT_TO_POINTER(true), test_reset_values);
    g_test_add_data_func("/virtio-mmio/modern/reset-values",
                         GINT_TO_POINTER(false), test_reset_values);
    g_test_add_data_func("/virtio-mmio/legacy/access-rules",
                         GINT_TO_POINTER(true), test_access_rules);
    g_test_add_data_func("/virtio-mmio/modern/access-rules",
                         GINT_TO_POINTER(false), test_access_rules);
    g_test_add_func("/virtio-mmio/legacy/queue", test_legacy_queue);
    g_test_add_func("/virtio-mmio/modern/queue", test_modern_queue);
    g_test_add_func("/virtio-mmio/modern/config-generation",
                    test_config_generation);
    return g_test_run();
}
