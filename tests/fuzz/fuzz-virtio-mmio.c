/*
 * libFuzzer target: a guest's accesses to a virtio-mmio transport
 * (hw/virtio/virtio-mmio.c) with a virtio-rng-device plugged, on 64 KiB
 * of guest RAM: the register file, queue set-up of both versions, kicks
 * that walk the rings (hw/virtio/virtio.c) and fill requests, status
 * changes and resets, and the rate-limit timer. Or, instead, a
 * virtio-serial-device with a virtconsole and a named virtserialport
 * (hw/char/virtio-serial-bus.c, virtio-console.c): the control queue's
 * messages, port output, the emergency write register. Whatever the
 * guest does, nothing may crash, hang, leak or touch memory outside
 * guest RAM.
 *
 * Input: byte 0 bit 0 selects the modern transport (force-legacy=off),
 * bit 1 the virtio-serial device instead of virtio-rng;
 * byte 1 is the number of operations (at most 255), then 8 bytes each:
 *   bytes 0-1  register offset (little endian, modulo 0x200)
 *   byte 2     bits 0-1: size 1, 2, 4 or 8; bit 7: read (else write);
 *              bit 6: instead, advance the virtual clock by value ms
 *   bytes 4-7  value (little endian)
 * and the rest is the guest RAM's contents (rings, descriptors).
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-rng.h"
#include "hw/char/virtio-serial.h"
#include "system/object-add.h"
#include "fuzz-target.h"

#define RAM_SIZE    0x10000
#define BASE        0xfeb00000ULL
#define OP_SIZE     8

static void fuzz_init(void)
{
    qdev_register_types();
    object_add_register_types();
    rng_register_types();
    virtio_register_types();
    virtio_mmio_register_types();
    virtio_rng_register_types();
    chardev_register_types();
    virtio_serial_register_types();
    virtio_console_register_types();
    qemu_clock_set_virtual_manual(0);
    runstate_set(RUN_STATE_RUNNING, &error_abort);
}

static void fuzz_op(const uint8_t *op)
{
    uint32_t off = (op[0] | op[1] << 8) % VIRTIO_MMIO_REGION_SIZE;
    uint32_t value = op[4] | op[5] << 8 | op[6] << 16 | (uint32_t)op[7] << 24;
    unsigned size = 1u << (op[2] & 3);
    uint64_t data = value;

    if (op[2] & 0x40) {
        qemu_clock_advance_virtual_time(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)
                                        + (int64_t)(value & 0xffff) *
                                        SCALE_MS);
    } else if (op[2] & 0x80) {
        address_space_read(&address_space_memory, BASE + off, &data, size);
    } else {
        address_space_write(&address_space_memory, BASE + off, data, size);
    }
}

/* virtio-serial-device, a virtconsole (id 0), "org.fuzz.1" (id 1) */
static void plug_serial(VirtIOMMIOProxy *proxy)
{
    VirtIOSerial *vser;
    DeviceState *dev = DEVICE(object_new(TYPE_VIRTIO_SERIAL));

    object_property_parse(OBJECT(dev), "max_ports", "4", &error_abort);
    dev->parent_bus = &proxy->bus.bus;
    qdev_realize_and_unref(dev, &error_abort);
    vser = VIRTIO_SERIAL(dev);

    dev = DEVICE(object_new(TYPE_VIRTCONSOLE));
    dev->parent_bus = &vser->bus.bus;
    qdev_realize_and_unref(dev, &error_abort);
    dev = DEVICE(object_new(TYPE_VIRTSERIALPORT));
    object_property_parse(OBJECT(dev), "name", "org.fuzz.1", &error_abort);
    dev->parent_bus = &vser->bus.bus;
    qdev_realize_and_unref(dev, &error_abort);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool initialized;
    static uint8_t ram[RAM_SIZE];
    VirtIOMMIOProxy *proxy;
    DeviceState *dev;
    GuestMemory *mem;
    size_t nops, ops_end;

    if (!initialized) {
        fuzz_init();
        initialized = true;
    }
    if (size < 2) {
        return 0;
    }
    nops = data[1];
    ops_end = 2 + nops * OP_SIZE;
    if (ops_end > size) {
        nops = (size - 2) / OP_SIZE;
        ops_end = 2 + nops * OP_SIZE;
    }
    qemu_clock_set_virtual_manual(0);   /* no timer is left pending */
    memset(ram, 0, sizeof(ram));
    memcpy(ram, data + ops_end, MIN(size - ops_end, sizeof(ram)));
    mem = guest_memory_new();
    guest_memory_add(mem, 0, RAM_SIZE, ram, false, "ram");

    proxy = VIRTIO_MMIO(object_new(TYPE_VIRTIO_MMIO));
    proxy->legacy = !(data[0] & 1);
    proxy->base = BASE;
    proxy->mem = mem;
    if (qdev_realize_and_unref(DEVICE(proxy), &error_abort)) {
        if (data[0] & 2) {
            plug_serial(proxy);
        } else {
            dev = DEVICE(object_new(TYPE_VIRTIO_RNG));
            /*
             * A guest may offer 8 chains of 1024 overlapping buffers: up
             * to 512 MiB of entropy per kick without a quota (as QEMU's,
             * it is the guest's CPU time); a quota keeps each input fast.
             */
            object_property_parse(OBJECT(dev), "max-bytes", "65536",
                                  &error_abort);
            dev->parent_bus = &proxy->bus.bus;
            qdev_realize_and_unref(dev, &error_abort);
        }
        qdev_reset_all();
        for (size_t i = 0; i < nops; i++) {
            fuzz_op(data + 2 + i * OP_SIZE);
        }
    }
    qdev_unrealize_all();
    address_space_clear(&address_space_memory);
    guest_memory_free(mem);
    return 0;
}
