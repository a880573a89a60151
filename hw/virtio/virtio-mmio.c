/*
 * The virtio-mmio transport (virtio 1.2 spec, 4.2.2 and 4.2.4 legacy), as
 * QEMU 7.2's hw/virtio/virtio-mmio.c: version 1 (force-legacy=true, the
 * default: GuestPageSize, QueuePFN, QueueAlign) or version 2 (QueueDesc/
 * Avail/Used, QueueReady, ConfigGeneration), with QEMU's access rules:
 * registers below 0x100 take 4-byte accesses only, a register of the
 * other version or of the wrong direction is logged and ignored. With no
 * device plugged, only the magic value, version and vendor id read as
 * such, everything else reads as zero and writes are ignored, so no
 * driver claims the slot.
 *
 * Kicks: a QueueNotify write exits and runs the queue's handler, or,
 * while DRIVER_OK under KVM with ioeventfd=on, signals an eventfd in the
 * kernel that the main loop reads (QEMU's virtio_bus_start_ioeventfd).
 * The interrupt is the transport's GSI, raised while the ISR is non-zero
 * (QEMU's virtio_mmio_update_irq): through the userspace IOAPIC, as
 * QEMU's virtio-mmio does (it uses no irqfd).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/virtio/virtio-mmio.h"
#include "system/kvm.h"
#include "system/main-loop.h"
#include <glib-unix.h>
#include <sys/eventfd.h>

static const Property virtio_mmio_properties[] = {
    DEFINE_PROP_BOOL("format_transport_address", VirtIOMMIOProxy,
                     format_transport_address, true, NULL),
    DEFINE_PROP_BOOL("force-legacy", VirtIOMMIOProxy, legacy, true, NULL),
    DEFINE_PROP_BOOL("ioeventfd", VirtIOMMIOProxy, ioeventfd, true,
                     "on/off"),
    DEFINE_PROP_END_OF_LIST(),
};

/* ---- ioeventfd -------------------------------------------------------- */

static gboolean virtio_mmio_ioeventfd_read(gint fd, GIOCondition cond,
                                           gpointer opaque)
{
    VirtIOMMIOIoeventfd *e = opaque;
    uint64_t count;

    if (read(fd, &count, sizeof(count)) == sizeof(count) &&
        e->proxy->bus.vdev) {
        virtio_queue_notify(e->proxy->bus.vdev, e->queue);
    }
    return G_SOURCE_CONTINUE;
}

/*
 * QEMU's virtio_bus_stop_ioeventfd: the kicks exit again. A device with a
 * data plane gives the eventfds back once its thread has handled the
 * kicks it saw and finished its requests; otherwise a kick that arrived
 * meanwhile is handled now (virtio_queue_host_notifier_read).
 */
static void virtio_mmio_stop_ioeventfd(VirtIOMMIOProxy *proxy)
{
    VirtIODevice *vdev = proxy->bus.vdev;
    bool taken = proxy->ioeventfd_taken;

    for (unsigned i = 0; i < proxy->num_ioeventfds; i++) {
        VirtIOMMIOIoeventfd *e = &proxy->ioeventfds[i];

        kvm_set_ioeventfd_mmio(e->fd, proxy->base + VIRTIO_MMIO_QUEUE_NOTIFY,
                               4, true, e->queue, false, NULL);
    }
    /* an unplugged device stopped its data plane when unrealized */
    if (taken && vdev) {
        VIRTIO_DEVICE_GET_CLASS(vdev)->ioeventfd_stop(vdev);
    }
    proxy->ioeventfd_taken = false;
    for (unsigned i = 0; i < proxy->num_ioeventfds; i++) {
        VirtIOMMIOIoeventfd *e = &proxy->ioeventfds[i];
        uint64_t count;

        if (e->source) {
            g_source_remove(e->source);
        }
        if (!taken && read(e->fd, &count, sizeof(count)) == sizeof(count) &&
            vdev) {
            virtio_queue_notify(vdev, e->queue);
        }
        close(e->fd);
    }
    g_clear_pointer(&proxy->ioeventfds, g_free);
    proxy->num_ioeventfds = 0;
}

/*
 * Who reads the eventfds: a device with a data plane takes them
 * (vdc->ioeventfd_start), else the main loop watches them.
 */
static void virtio_mmio_hand_ioeventfds(VirtIOMMIOProxy *proxy)
{
    VirtIODevice *vdev = proxy->bus.vdev;
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    unsigned n = proxy->num_ioeventfds;
    g_autofree int *fds = g_new(int, n);

    for (unsigned i = 0; i < n; i++) {
        fds[i] = proxy->ioeventfds[i].fd;
    }
    if (vdc->ioeventfd_start && vdc->ioeventfd_start(vdev, fds, n)) {
        proxy->ioeventfd_taken = true;
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        VirtIOMMIOIoeventfd *e = &proxy->ioeventfds[i];

        e->source = main_loop_fd_add(e->fd, G_IO_IN,
                                     virtio_mmio_ioeventfd_read, e);
    }
}

/*
 * QEMU's virtio_bus_start_ioeventfd: one eventfd per queue the device
 * has, matching a 4-byte QueueNotify write of the queue's index. When
 * KVM refuses, QEMU says so and stays on the exit path.
 */
static void virtio_mmio_start_ioeventfd(VirtIOMMIOProxy *proxy)
{
    VirtIODevice *vdev = proxy->bus.vdev;
    unsigned n = 0;

    if (!proxy->ioeventfd || !kvm_enabled() || proxy->ioeventfds || !vdev) {
        return;
    }
    while (n < VIRTIO_QUEUE_MAX && virtio_queue_get_num(vdev, n)) {
        n++;
    }
    proxy->ioeventfds = g_new0(VirtIOMMIOIoeventfd, n);
    for (unsigned i = 0; i < n; i++) {
        VirtIOMMIOIoeventfd *e = &proxy->ioeventfds[i];
        Error *err = NULL;

        e->proxy = proxy;
        e->queue = i;
        e->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (e->fd < 0 ||
            !kvm_set_ioeventfd_mmio(e->fd,
                                    proxy->base + VIRTIO_MMIO_QUEUE_NOTIFY,
                                    4, true, i, true, &err)) {
            if (err) {
                error_report_err(err);
            }
            if (e->fd >= 0) {
                close(e->fd);
            }
            error_report("virtio_bus_start_ioeventfd: failed. Fallback to "
                         "userspace (slower).");
            virtio_mmio_stop_ioeventfd(proxy);
            proxy->ioeventfd = false;
            return;
        }
        proxy->num_ioeventfds = i + 1;
    }
    virtio_mmio_hand_ioeventfds(proxy);
}

/*
 * The writes that change what a data plane's thread reads (queue
 * layout, features, status, config): with the eventfds taken, the data
 * plane is stopped around them, so that thread never sees a change
 * half made (QEMU takes the AioContext lock for some of these).
 */
static bool virtio_mmio_write_quiesces(uint64_t offset)
{
    switch (offset) {
    case VIRTIO_MMIO_DRIVER_FEATURES:
    case VIRTIO_MMIO_QUEUE_NUM:
    case VIRTIO_MMIO_QUEUE_ALIGN:
    case VIRTIO_MMIO_QUEUE_PFN:
    case VIRTIO_MMIO_QUEUE_READY:
    case VIRTIO_MMIO_STATUS:
        return true;
    default:
        return offset >= VIRTIO_MMIO_CONFIG;
    }
}

/* ---- Registers -------------------------------------------------------- */

/* QEMU's virtio_mmio_soft_reset (a guest's status 0 or QueuePFN 0) */
static void virtio_mmio_soft_reset(VirtIOMMIOProxy *proxy)
{
    virtio_mmio_stop_ioeventfd(proxy);
    if (proxy->bus.vdev) {
        virtio_reset(proxy->bus.vdev);
    }
    if (!proxy->legacy) {
        for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
            proxy->vqs[i].enabled = false;
        }
    }
}

/* A register of the other version: QEMU logs it in these words. */
static bool virtio_mmio_version_ok(VirtIOMMIOProxy *proxy, uint64_t offset,
                                   bool legacy_reg, bool is_write)
{
    if (proxy->legacy == legacy_reg) {
        return true;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_%s: %s %s register "
                  "(0x%" PRIx64 ") in %s mode\n",
                  is_write ? "write" : "read",
                  is_write ? "write to" : "read from",
                  legacy_reg ? "legacy" : "non-legacy", offset,
                  proxy->legacy ? "legacy" : "non-legacy");
    return false;
}

static uint64_t virtio_mmio_read_empty(VirtIOMMIOProxy *proxy,
                                       uint64_t offset)
{
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

uint64_t virtio_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    VirtIOMMIOProxy *proxy = opaque;
    VirtIODevice *vdev = proxy->bus.vdev;

    if (!vdev) {
        return virtio_mmio_read_empty(proxy, offset);
    }
    if (offset >= VIRTIO_MMIO_CONFIG) {
        return virtio_config_read(vdev, offset - VIRTIO_MMIO_CONFIG, size);
    }
    if (size != 4) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio_mmio_read: wrong size access to register!\n");
        return 0;
    }
    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE:
    case VIRTIO_MMIO_VERSION:
    case VIRTIO_MMIO_VENDOR_ID:
        return virtio_mmio_read_empty(proxy, offset);
    case VIRTIO_MMIO_DEVICE_ID:
        return vdev->device_id;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        if (proxy->legacy) {
            return proxy->host_features_sel ? 0 :
                   (uint32_t)vdev->host_features;
        }
        return (vdev->host_features &
                ~VIRTIO_DEVICE_GET_CLASS(vdev)->legacy_features) >>
               (32 * proxy->host_features_sel);
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        /* QEMU 7.2 offers its maximum, whatever the device's size */
        return virtio_queue_get_num(vdev, vdev->queue_sel) ?
               VIRTQUEUE_MAX_SIZE : 0;
    case VIRTIO_MMIO_QUEUE_PFN:
        if (!virtio_mmio_version_ok(proxy, offset, true, false)) {
            return 0;
        }
        return virtio_queue_get_addr(vdev, vdev->queue_sel) >>
               proxy->guest_page_shift;
    case VIRTIO_MMIO_QUEUE_READY:
        if (!virtio_mmio_version_ok(proxy, offset, false, false)) {
            return 0;
        }
        return proxy->vqs[vdev->queue_sel].enabled;
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vdev->isr;
    case VIRTIO_MMIO_STATUS:
        return vdev->status;
    case VIRTIO_MMIO_CONFIG_GENERATION:
        if (!virtio_mmio_version_ok(proxy, offset, false, false)) {
            return 0;
        }
        return vdev->generation;
    case VIRTIO_MMIO_SHM_LEN_LOW:
    case VIRTIO_MMIO_SHM_LEN_HIGH:
        /* no shared memory regions: length -1 (Linux's convention) */
        return UINT32_MAX;
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
    case VIRTIO_MMIO_DRIVER_FEATURES:
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
    case VIRTIO_MMIO_QUEUE_SEL:
    case VIRTIO_MMIO_QUEUE_NUM:
    case VIRTIO_MMIO_QUEUE_ALIGN:
    case VIRTIO_MMIO_QUEUE_NOTIFY:
    case VIRTIO_MMIO_INTERRUPT_ACK:
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        qemu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_read: read of "
                      "write-only register (0x%" PRIx64 ")\n", offset);
        return 0;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_read: bad register "
                      "offset (0x%" PRIx64 ")\n", offset);
        return 0;
    }
}

/* QueueReady=1: the latched modern registers become the queue's rings. */
static void virtio_mmio_queue_enable(VirtIOMMIOProxy *proxy,
                                     VirtIODevice *vdev)
{
    unsigned n = vdev->queue_sel;
    VirtIOMMIOQueue *q = &proxy->vqs[n];

    virtio_queue_set_num(vdev, n, q->num);
    virtio_queue_set_rings(vdev, n,
                           (uint64_t)q->desc[1] << 32 | q->desc[0],
                           (uint64_t)q->avail[1] << 32 | q->avail[0],
                           (uint64_t)q->used[1] << 32 | q->used[0]);
    q->enabled = true;
}

static void virtio_mmio_write_status(VirtIOMMIOProxy *proxy,
                                     VirtIODevice *vdev, uint64_t value)
{
    if (!(value & VIRTIO_CONFIG_S_DRIVER_OK)) {
        virtio_mmio_stop_ioeventfd(proxy);
    }
    /* QEMU 7.2 takes the guest's features (and ignores a refusal) */
    if (!proxy->legacy && (value & VIRTIO_CONFIG_S_FEATURES_OK)) {
        virtio_set_features(vdev, (uint64_t)proxy->guest_features[1] << 32 |
                            proxy->guest_features[0]);
    }
    virtio_set_status(vdev, value & 0xff);
    if (value & VIRTIO_CONFIG_S_DRIVER_OK) {
        virtio_mmio_start_ioeventfd(proxy);
    }
    if (vdev->status == 0) {
        virtio_mmio_soft_reset(proxy);
    }
}

/* A modern queue-address register: latched until QueueReady. */
static uint32_t *virtio_mmio_queue_reg(VirtIOMMIOProxy *proxy,
                                       VirtIODevice *vdev, uint64_t offset)
{
    VirtIOMMIOQueue *q = &proxy->vqs[vdev->queue_sel];

    switch (offset) {
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        return &q->desc[0];
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        return &q->desc[1];
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
        return &q->avail[0];
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
        return &q->avail[1];
    case VIRTIO_MMIO_QUEUE_USED_LOW:
        return &q->used[0];
    default:
        return &q->used[1];
    }
}

static void virtio_mmio_write_reg(VirtIOMMIOProxy *proxy, VirtIODevice *vdev,
                                  uint64_t offset, uint64_t value,
                                  unsigned size);

void virtio_mmio_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size)
{
    VirtIOMMIOProxy *proxy = opaque;
    VirtIODevice *vdev = proxy->bus.vdev;

    if (!vdev) {
        return;     /* no device behind the transport: writes ignored */
    }
    if (proxy->ioeventfd_taken && virtio_mmio_write_quiesces(offset)) {
        virtio_mmio_stop_ioeventfd(proxy);
        virtio_mmio_write_reg(proxy, vdev, offset, value, size);
        if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) {
            virtio_mmio_start_ioeventfd(proxy);
        }
        return;
    }
    virtio_mmio_write_reg(proxy, vdev, offset, value, size);
}

static void virtio_mmio_write_reg(VirtIOMMIOProxy *proxy, VirtIODevice *vdev,
                                  uint64_t offset, uint64_t value,
                                  unsigned size)
{
    if (offset >= VIRTIO_MMIO_CONFIG) {
        virtio_config_write(vdev, offset - VIRTIO_MMIO_CONFIG, size, value);
        return;
    }
    if (size != 4) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio_mmio_write: wrong size access to register!\n");
        return;
    }
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        proxy->host_features_sel = value ? 1 : 0;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (!proxy->legacy) {
            proxy->guest_features[proxy->guest_features_sel] = value;
        } else if (proxy->guest_features_sel) {
            qemu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_write: attempt to "
                          "write guest features with guest_features_sel > 0 "
                          "in legacy mode\n");
        } else {
            virtio_set_features(vdev, (uint32_t)value);
        }
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        proxy->guest_features_sel = value ? 1 : 0;
        break;
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
        if (virtio_mmio_version_ok(proxy, offset, true, true)) {
            /* QEMU: ctz32, and 0 for a value with no bit set */
            proxy->guest_page_shift = (uint32_t)value ?
                                      __builtin_ctz((uint32_t)value) : 0;
        }
        break;
    case VIRTIO_MMIO_QUEUE_SEL:
        if (value < VIRTIO_QUEUE_MAX) {
            vdev->queue_sel = value;
        }
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        virtio_queue_set_num(vdev, vdev->queue_sel, value);
        if (proxy->legacy) {
            virtio_queue_update_rings(vdev, vdev->queue_sel);
        } else {
            proxy->vqs[vdev->queue_sel].num = value;
        }
        break;
    case VIRTIO_MMIO_QUEUE_ALIGN:
        if (virtio_mmio_version_ok(proxy, offset, true, true)) {
            virtio_queue_set_align(vdev, vdev->queue_sel, value);
        }
        break;
    case VIRTIO_MMIO_QUEUE_PFN:
        if (!virtio_mmio_version_ok(proxy, offset, true, true)) {
            break;
        }
        if (value == 0) {
            virtio_mmio_soft_reset(proxy);
        } else {
            virtio_queue_set_addr(vdev, vdev->queue_sel,
                                  value << proxy->guest_page_shift);
        }
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (!virtio_mmio_version_ok(proxy, offset, false, true)) {
            break;
        }
        if (value) {
            virtio_mmio_queue_enable(proxy, vdev);
        } else {
            proxy->vqs[vdev->queue_sel].enabled = false;
        }
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        if (value < VIRTIO_QUEUE_MAX) {
            virtio_queue_notify(vdev, value);
        }
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        vdev->isr &= ~value;
        virtio_update_irq(vdev);
        break;
    case VIRTIO_MMIO_STATUS:
        virtio_mmio_write_status(proxy, vdev, value);
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        if (virtio_mmio_version_ok(proxy, offset, false, true)) {
            *virtio_mmio_queue_reg(proxy, vdev, offset) = value;
        }
        break;
    case VIRTIO_MMIO_MAGIC_VALUE:
    case VIRTIO_MMIO_VERSION:
    case VIRTIO_MMIO_DEVICE_ID:
    case VIRTIO_MMIO_VENDOR_ID:
    case VIRTIO_MMIO_DEVICE_FEATURES:
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
    case VIRTIO_MMIO_INTERRUPT_STATUS:
    case VIRTIO_MMIO_CONFIG_GENERATION:
        qemu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_write: write to "
                      "read-only register (0x%" PRIx64 ")\n", offset);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "virtio_mmio_write: bad register "
                      "offset (0x%" PRIx64 ")\n", offset);
        break;
    }
}

/*
 * QEMU's memory core splits an 8-byte access into two 4-byte ones for
 * this region (no .impl sizes); 1- and 2-byte accesses reach the device.
 */
static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    /* QEMU 7.2's virtio_mem_ops: no size rules, the callbacks see 1-4 */
};

/* QEMU's virtio_mmio_reset: the device, then every transport register. */
static void virtio_mmio_reset(DeviceState *dev)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(dev);

    virtio_mmio_soft_reset(proxy);
    proxy->host_features_sel = 0;
    proxy->guest_features_sel = 0;
    proxy->guest_page_shift = 0;
    proxy->guest_features[0] = proxy->guest_features[1] = 0;
    memset(proxy->vqs, 0, VIRTIO_QUEUE_MAX * sizeof(proxy->vqs[0]));
}

/* QEMU's virtio_mmio_update_irq: the line follows the ISR. */
static void virtio_mmio_notify(DeviceState *transport)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(transport);
    VirtIODevice *vdev = proxy->bus.vdev;

    if (vdev) {
        qemu_set_irq(proxy->irq, vdev->isr != 0);
    }
}

/* QEMU's virtio_mmio_pre_plugged: a modern transport offers VERSION_1. */
static uint64_t virtio_mmio_features(DeviceState *transport)
{
    return VIRTIO_MMIO(transport)->legacy ? 0 : 1ULL << VIRTIO_F_VERSION_1;
}

/* QEMU's virtio_mmio_ioeventfd_enabled: the property */
static bool virtio_mmio_ioeventfd_enabled(DeviceState *transport)
{
    return VIRTIO_MMIO(transport)->ioeventfd;
}

static void virtio_mmio_ioeventfd_start(DeviceState *transport)
{
    virtio_mmio_start_ioeventfd(VIRTIO_MMIO(transport));
}

static const VirtioBusOps virtio_mmio_bus_ops = {
    .notify = virtio_mmio_notify,
    .features = virtio_mmio_features,
    .ioeventfd_enabled = virtio_mmio_ioeventfd_enabled,
    .ioeventfd_start = virtio_mmio_ioeventfd_start,
};

static void virtio_mmio_realize(DeviceState *dev, Error **errp)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(dev);
    g_autofree char *name = g_strdup_printf(TYPE_VIRTIO_MMIO_BUS ".%u",
                                            proxy->index);

    proxy->vqs = g_new0(VirtIOMMIOQueue, VIRTIO_QUEUE_MAX);
    virtio_bus_init(&proxy->bus, TYPE_VIRTIO_MMIO_BUS, name, dev,
                    &virtio_mmio_bus_ops, proxy->mem);
    address_space_map(&address_space_memory, proxy->base,
                      VIRTIO_MMIO_REGION_SIZE, &virtio_mmio_ops, proxy,
                      "virtio-mmio", proxy);
}

static void virtio_mmio_unrealize(DeviceState *dev)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(dev);

    virtio_mmio_stop_ioeventfd(proxy);
    virtio_bus_cleanup(&proxy->bus);
    g_clear_pointer(&proxy->vqs, g_free);
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
    dc->reset = virtio_mmio_reset;
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
