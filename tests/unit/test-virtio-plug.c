/*
 * The virtio-mmio plug model: -device (qdev_device_add) puts a virtio
 * device on a free transport in QEMU 7.2's order (the last-created
 * first) or on bus=virtio-mmio-bus.N; the plugged transports feed the
 * kernel command line and the device tree. Expected values captured from
 * the real QEMU 7.2 (-M microvm,acpi=off -kernel probe.img
 * -append console=ttyS0 -device virtio-rng-device ...).
 *
 * "virtio-test-device" is a test double registered here (a virtio device
 * with no queue), so that the plug model is tested apart from any model.
 */
#include "qemu/osdep.h"
#include "hw/i386/microvm.h"
#include "hw/i386/microvm-dt.h"
#include "system/qdev-monitor.h"
#include <libfdt.h>

#define TYPE_VIRTIO_TEST_DEVICE "virtio-test-device"

static void virtio_test_realize(VirtIODevice *vdev, Error **errp)
{
    virtio_init(vdev, 4, 0);
}

static void virtio_test_class_init(ObjectClass *oc, void *data)
{
    DEVICE_CLASS(oc)->desc = "test double";
    VIRTIO_DEVICE_CLASS(oc)->realize = virtio_test_realize;
}

static const TypeInfo virtio_test_info = {
    .name = TYPE_VIRTIO_TEST_DEVICE,
    .parent = TYPE_VIRTIO_DEVICE,
    .class_init = virtio_test_class_init,
};

static QemuOptsList device_opts = {
    .name = "device",
    .implied_opt_name = "driver",
    .desc = { { 0 } },
};

typedef struct Fixture {
    X86MachineInfo info;
    VirtIOMMIOProxy *transport[IOAPIC_NUM_PINS];
} Fixture;

/* The transports as the board creates them (acpi=off: 8 on GSI 5-12). */
static void fixture_init(Fixture *f, bool acpi, bool ioapic2)
{
    memset(f, 0, sizeof(*f));
    f->info.acpi = acpi;
    f->info.ioapic2 = ioapic2;
    microvm_layout(&f->info);
    for (unsigned i = 0; i < f->info.virtio_num_transports; i++) {
        f->transport[i] = virtio_mmio_create(
            f->info.virtio_mmio_base + i * MICROVM_VIRTIO_MMIO_SIZE, i, NULL,
            NULL, &error_abort);
    }
}

static void fixture_fini(Fixture *f)
{
    qdev_unrealize_all();
}

static DeviceState *plug(const char *arg, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(&device_opts, arg, true, &error_abort);
    DeviceState *dev = qdev_device_add(opts, errp);

    qemu_opts_del(opts);
    return dev;
}

static void plug_fails(const char *arg, const char *msg)
{
    Error *err = NULL;

    g_assert_null(plug(arg, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static uint32_t plugged(Fixture *f)
{
    uint32_t mask = 0;

    for (unsigned i = 0; i < f->info.virtio_num_transports; i++) {
        if (virtio_mmio_is_plugged(f->transport[i])) {
            mask |= 1u << i;
        }
    }
    f->info.virtio_mmio_plugged = mask;
    return mask;
}

/* The newest transport first, then bus= picks its own. */
static void test_order_and_bus(void)
{
    Fixture f;
    DeviceState *a, *b, *c;
    g_autofree char *cmdline = NULL;

    fixture_init(&f, false, false);
    a = plug(TYPE_VIRTIO_TEST_DEVICE, &error_abort);
    g_assert_true(a->parent_bus == &f.transport[7]->bus.bus);
    b = plug(TYPE_VIRTIO_TEST_DEVICE ",id=r2", &error_abort);
    g_assert_true(b->parent_bus == &f.transport[6]->bus.bus);
    c = plug(TYPE_VIRTIO_TEST_DEVICE ",bus=virtio-mmio-bus.2",
             &error_abort);
    g_assert_true(c->parent_bus == &f.transport[2]->bus.bus);
    g_assert_cmphex(plugged(&f), ==, 0xc4);

    /* QEMU 7.2's fw_cfg command line for these three */
    cmdline = microvm_virtio_cmdline(&f.info, "console=ttyS0");
    g_assert_cmpstr(cmdline, ==,
                    "console=ttyS0 virtio_mmio.device=512@0xfeb00e00:12 "
                    "virtio_mmio.device=512@0xfeb00c00:11 "
                    "virtio_mmio.device=512@0xfeb00400:7");
    /* the next free one skips the taken slot 2 */
    plug(TYPE_VIRTIO_TEST_DEVICE, &error_abort);
    plug(TYPE_VIRTIO_TEST_DEVICE, &error_abort);
    plug(TYPE_VIRTIO_TEST_DEVICE, &error_abort);
    plug(TYPE_VIRTIO_TEST_DEVICE, &error_abort);
    g_assert_cmphex(plugged(&f), ==, 0xfe);
    fixture_fini(&f);
}

/* Errors as QEMU 7.2 prints them; a failed plug leaves the slot free. */
static void test_errors(void)
{
    Fixture f;

    fixture_init(&f, false, false);
    plug_fails(TYPE_VIRTIO_TEST_DEVICE ",bus=virtio-mmio-bus.8",
               "Bus 'virtio-mmio-bus.8' not found");
    plug_fails(TYPE_VIRTIO_TEST_DEVICE ",bus=virtio-mmio-bus.02",
               "Bus 'virtio-mmio-bus.02' not found");
    plug_fails(TYPE_VIRTIO_TEST_DEVICE ",bus=foo", "Bus 'foo' not found");
    plug(TYPE_VIRTIO_TEST_DEVICE ",bus=virtio-mmio-bus.2", &error_abort);
    plug_fails(TYPE_VIRTIO_TEST_DEVICE ",bus=virtio-mmio-bus.2",
               "Bus 'virtio-mmio-bus.2' is full");
    /* a property error: nothing plugged, the id free again */
    plug_fails(TYPE_VIRTIO_TEST_DEVICE ",id=x,nosuch=1",
               "Property 'virtio-test-device.nosuch' not found");
    g_assert_null(object_find_by_id("devices", "x"));
    plug(TYPE_VIRTIO_TEST_DEVICE ",id=x", &error_abort);
    g_assert_nonnull(object_find_by_id("devices", "x"));
    plug_fails(TYPE_VIRTIO_TEST_DEVICE ",id=x",
               "Duplicate ID 'x' for device");
    g_assert_cmphex(plugged(&f), ==, 0x84);
    for (int i = 0; i < 6; i++) {
        plug(TYPE_VIRTIO_TEST_DEVICE, &error_abort);
    }
    g_assert_cmphex(plugged(&f), ==, 0xff);
    plug_fails(TYPE_VIRTIO_TEST_DEVICE,
               "No 'virtio-bus' bus found for device 'virtio-test-device'");
    object_remove_id("devices", "x");
    fixture_fini(&f);
    /* the transports' buses went with them */
    plug_fails(TYPE_VIRTIO_TEST_DEVICE,
               "No 'virtio-bus' bus found for device 'virtio-test-device'");
    plug_fails("virtio-net-device",
               "device 'virtio-net-device' is not supported by microqemu "
               "yet");
}

/* The device tree lists the plugged transports (QEMU's dt_add_virtio). */
static void test_device_tree(void)
{
    Fixture f;
    g_autofree void *blob = NULL;
    const uint32_t *cells;
    size_t size;
    int off, len;

    fixture_init(&f, false, false);
    plug(TYPE_VIRTIO_TEST_DEVICE, &error_abort);
    plug(TYPE_VIRTIO_TEST_DEVICE ",bus=virtio-mmio-bus.2", &error_abort);
    plugged(&f);
    blob = microvm_dt_build(&f.info, &size, &error_abort);
    g_assert_nonnull(blob);
    g_assert_cmpint(fdt_path_offset(blob, "/virtio_mmio@feb00000"), <, 0);
    off = fdt_path_offset(blob, "/virtio_mmio@feb00e00");
    g_assert_cmpint(off, >=, 0);
    cells = fdt_getprop(blob, off, "interrupts", &len);
    g_assert_cmpuint(GUINT32_FROM_BE(cells[0]), ==, 12);
    off = fdt_path_offset(blob, "/virtio_mmio@feb00400");
    cells = fdt_getprop(blob, off, "interrupts", &len);
    g_assert_cmpuint(GUINT32_FROM_BE(cells[0]), ==, 7);
    g_assert_cmpint(fdt_getprop(blob, off, "dma-coherent", &len) != NULL,
                    ==, 1);
    fixture_fini(&f);
}

/* The layout of every case (QEMU 7.2 microvm_devices_init). */
static void test_layouts(void)
{
    Fixture f;
    g_autofree char *cmdline = NULL;

    fixture_init(&f, true, false);
    g_assert_cmpuint(f.info.ioapics, ==, 1);
    g_assert_cmpuint(f.info.virtio_irq_base, ==, 16);
    g_assert_cmpuint(f.info.virtio_num_transports, ==, 8);
    g_assert_cmpuint(f.info.pcie_irq_base, ==, 12);
    fixture_fini(&f);

    fixture_init(&f, true, true);
    g_assert_cmpuint(f.info.ioapics, ==, 2);
    g_assert_cmpuint(f.info.virtio_irq_base, ==, 24);
    g_assert_cmpuint(f.info.virtio_num_transports, ==, 24);
    g_assert_cmpuint(f.info.pcie_irq_base, ==, 16);
    /* 24 transports: the first device lands on the last one, GSI 47 */
    g_assert_true(plug(TYPE_VIRTIO_TEST_DEVICE, &error_abort)->parent_bus ==
                  &f.transport[23]->bus.bus);
    plugged(&f);
    cmdline = microvm_virtio_cmdline(&f.info, "");
    g_assert_cmpstr(cmdline, ==, " virtio_mmio.device=512@0xfeb02e00:47");
    fixture_fini(&f);

    /* ioapic2 without ACPI is ignored, as QEMU's microvm_ioapics() */
    fixture_init(&f, false, true);
    g_assert_cmpuint(f.info.ioapics, ==, 1);
    g_assert_cmpuint(f.info.virtio_irq_base, ==, 5);
    fixture_fini(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    virtio_register_types();
    virtio_mmio_register_types();
    type_register_static(&virtio_test_info);
    g_test_add_func("/virtio-plug/order-and-bus", test_order_and_bus);
    g_test_add_func("/virtio-plug/errors", test_errors);
    g_test_add_func("/virtio-plug/device-tree", test_device_tree);
    g_test_add_func("/virtio-plug/layouts", test_layouts);
    return g_test_run();
}
