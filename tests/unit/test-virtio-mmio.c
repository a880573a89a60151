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
    VirtIOMMIOProxy *proxy = virtio_mmio_create(BASE, 0, NULL, NULL);

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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    setup();
    g_test_add_func("/virtio-mmio/empty-transport", test_registers);
    g_test_add_func("/virtio-mmio/force-legacy-off", test_modern);
    return g_test_run();
}
