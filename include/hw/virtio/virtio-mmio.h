/*
 * The virtio-mmio transport (virtio 1.2 spec, 4.2.2; QEMU 7.2
 * hw/virtio/virtio-mmio.c). microvm always creates its transports, with
 * or without a device behind them.
 */
#ifndef HW_VIRTIO_VIRTIO_MMIO_H
#define HW_VIRTIO_VIRTIO_MMIO_H

#include "hw/core/qdev.h"

#define TYPE_VIRTIO_MMIO "virtio-mmio"

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
    uint64_t base;          /* set by the board before realize */
    qemu_irq irq;
} VirtIOMMIOProxy;

#define VIRTIO_MMIO(obj) OBJECT_CHECK(VirtIOMMIOProxy, (obj), TYPE_VIRTIO_MMIO)

uint64_t virtio_mmio_read(void *opaque, uint64_t offset, unsigned size);
void virtio_mmio_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size);
/*
 * Creates, maps at base and realizes one transport. The device list owns
 * it (qdev_unrealize_all() frees it): the pointer returned is borrowed.
 */
VirtIOMMIOProxy *virtio_mmio_create(uint64_t base, qemu_irq irq,
                                    Error **errp);

void virtio_mmio_register_types(void);

#endif
