/*
 * The virtio-mmio transport (virtio 1.2 spec, 4.2.2), as QEMU 7.2's
 * hw/virtio/virtio-mmio.c presents it with no device plugged in: the
 * magic value, version and vendor id read as usual, every other register
 * reads as zero (so device id 0: no driver claims the slot) and writes
 * are ignored. microvm exposes its transports this way until a
 * virtio device is plugged; the virtio devices come with their own issue.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/virtio/virtio-mmio.h"

static const Property virtio_mmio_properties[] = {
    DEFINE_PROP_BOOL("force-legacy", VirtIOMMIOProxy, legacy, true,
                     "Force legacy virtio-mmio (version 1)"),
    DEFINE_PROP_END_OF_LIST(),
};

uint64_t virtio_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    VirtIOMMIOProxy *proxy = opaque;

    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRT_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return proxy->legacy ? VIRT_VERSION_LEGACY : VIRT_VERSION;
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRT_VENDOR;
    default:
        return 0;
    }
}

void virtio_mmio_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size)
{
    /* No device behind the transport: writes are ignored, as QEMU does. */
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .min_access_size = 1,
    .max_access_size = 4,
};

/* QEMU's virtio_mmio_update_irq: the line follows the ISR. */
static void virtio_mmio_notify(DeviceState *transport)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(transport);
    VirtIODevice *vdev = proxy->bus.vdev;

    qemu_set_irq(proxy->irq, vdev && vdev->isr);
}

static const VirtioBusOps virtio_mmio_bus_ops = {
    .notify = virtio_mmio_notify,
};

static void virtio_mmio_realize(DeviceState *dev, Error **errp)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(dev);
    g_autofree char *name = g_strdup_printf(TYPE_VIRTIO_MMIO_BUS ".%u",
                                            proxy->index);

    virtio_bus_init(&proxy->bus, TYPE_VIRTIO_MMIO_BUS, name, dev,
                    &virtio_mmio_bus_ops, proxy->mem);
    address_space_map(&address_space_memory, proxy->base,
                      VIRTIO_MMIO_REGION_SIZE, &virtio_mmio_ops, proxy,
                      "virtio-mmio", proxy);
}

static void virtio_mmio_unrealize(DeviceState *dev)
{
    virtio_bus_cleanup(&VIRTIO_MMIO(dev)->bus);
}

bool virtio_mmio_is_plugged(const VirtIOMMIOProxy *proxy)
{
    return proxy->bus.bus.num_children > 0;
}

VirtIOMMIOProxy *virtio_mmio_create(uint64_t base, unsigned index,
                                    qemu_irq irq, GuestMemory *mem,
                                    Error **errp)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(object_new(TYPE_VIRTIO_MMIO));

    proxy->base = base;
    proxy->index = index;
    proxy->irq = irq;
    proxy->mem = mem;
    if (!qdev_realize_and_unref(DEVICE(proxy), errp)) {
        return NULL;
    }
    return proxy;
}

static void virtio_mmio_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = virtio_mmio_realize;
    dc->unrealize = virtio_mmio_unrealize;
    dc->desc = "virtio-mmio transport";
    object_class_add_properties(oc, virtio_mmio_properties);
}

static const TypeInfo virtio_mmio_info = {
    .name = TYPE_VIRTIO_MMIO,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(VirtIOMMIOProxy),
    .class_init = virtio_mmio_class_init,
};

void virtio_mmio_register_types(void)
{
    type_register_static(&virtio_mmio_info);
}
