/*
 * The virtio-mmio transport (virtio 1.2 spec, 4.2.2; QEMU 7.2
 * hw/virtio/virtio-mmio.c). microvm always creates its transports, with
 * or without a device behind them.
 */
#ifndef HW_VIRTIO_VIRTIO_MMIO_H
#define HW_VIRTIO_VIRTIO_MMIO_H

#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_MMIO "virtio-mmio"
#define TYPE_VIRTIO_MMIO_BUS "virtio-mmio-bus"

/* Register offsets (virtio 1.2, 4.2.2) used by an empty transport. */
#define VIRTIO_MMIO_MAGIC_VALUE     0x000
#define VIRTIO_MMIO_VERSION         0x004
#define VIRTIO_MMIO_DEVICE_ID       0x008
#define VIRTIO_MMIO_VENDOR_ID       0x00c

#define VIRT_MAGIC          0x74726976  /* "virt" */
#define VIRT_VERSION        2
#define VIRT_VERSION_LEGACY 1
#define VIRT_VENDOR         0x554d4551  /* "QEMU" */

#define VIRTIO_MMIO_REGION_SIZE 0x200

typedef struct VirtIOMMIOProxy {
    DeviceState parent_obj;
    bool legacy;            /* force-legacy: QEMU 7.2 defaults to true */
    /* Set by the board before realize */
    uint64_t base;
    unsigned index;         /* the slot: its bus is virtio-mmio-bus.INDEX */
    qemu_irq irq;
    GuestMemory *mem;
    /* The device slot: a bus holding at most one virtio device */
    VirtioBus bus;
} VirtIOMMIOProxy;

#define VIRTIO_MMIO(obj) OBJECT_CHECK(VirtIOMMIOProxy, (obj), TYPE_VIRTIO_MMIO)

uint64_t virtio_mmio_read(void *opaque, uint64_t offset, unsigned size);
void virtio_mmio_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size);
/*
 * Creates, maps at base and realizes transport index, with its device
 * slot "virtio-mmio-bus.INDEX" (QEMU numbers the buses of a type in
 * creation order; microvm creates its transports in index order). The
 * device list owns it (qdev_unrealize_all() frees it): the pointer
 * returned is borrowed.
 */
VirtIOMMIOProxy *virtio_mmio_create(uint64_t base, unsigned index,
                                    qemu_irq irq, GuestMemory *mem,
                                    Error **errp);
/* Whether a virtio device is plugged into the transport's slot. */
bool virtio_mmio_is_plugged(const VirtIOMMIOProxy *proxy);

void virtio_mmio_register_types(void);

#endif
