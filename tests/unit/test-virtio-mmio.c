/*
 * The empty virtio-mmio transport: what a guest reads from a microvm slot
 * with no device (QEMU 7.2 hw/virtio/virtio-mmio.c, no backend).
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-mmio.h"

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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    setup();
    type_register_static(&failing_info);
    g_test_add_func("/virtio-mmio/unrealize-unmaps", test_unrealize_unmaps);
    g_test_add_func("/virtio-mmio/failed-realize-unmaps",
                    test_failed_realize_unmaps);
    g_test_add_func("/virtio-mmio/empty-transport", test_registers);
    g_test_add_func("/virtio-mmio/force-legacy-off", test_modern);
    return g_test_run();
}
