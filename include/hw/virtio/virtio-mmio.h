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

/* Register offsets (virtio 1.2, 4.2.2; Linux's virtio_mmio.h names) */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE     0x028   /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_ALIGN         0x03c   /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN           0x040   /* legacy */
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW     0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH    0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW      0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH     0x0a4
#define VIRTIO_MMIO_SHM_SEL             0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW         0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH        0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW        0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH       0x0bc
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRT_MAGIC          0x74726976  /* "virt" */
#define VIRT_VERSION        2
#define VIRT_VERSION_LEGACY 1
#define VIRT_VENDOR         0x554d4551  /* "QEMU" */

#define VIRTIO_MMIO_REGION_SIZE 0x200

/* A modern queue's registers, latched until QueueReady (QEMU's). */
typedef struct VirtIOMMIOQueue {
    uint16_t num;
    bool enabled;
    uint32_t desc[2];
    uint32_t avail[2];
    uint32_t used[2];
} VirtIOMMIOQueue;

/* A queue kicked through an ioeventfd (see virtio_mmio_start_ioeventfd) */
typedef struct VirtIOMMIOIoeventfd {
    struct VirtIOMMIOProxy *proxy;
    unsigned queue;
    int fd;
    unsigned source;        /* the main loop's watch of fd */
} VirtIOMMIOIoeventfd;

typedef struct VirtIOMMIOProxy {
    DeviceState parent_obj;
    /* Properties (QEMU 7.2's) */
    bool legacy;            /* force-legacy: QEMU 7.2 defaults to true */
    bool format_transport_address;
    bool ioeventfd;
    /* Set by the board before realize */
    uint64_t base;
    unsigned index;         /* the slot: its bus is virtio-mmio-bus.INDEX */
    qemu_irq irq;
    GuestMemory *mem;
    /* Guest-visible registers */
    uint32_t host_features_sel;
    uint32_t guest_features_sel;
    uint32_t guest_page_shift;
    uint32_t guest_features[2];
    VirtIOMMIOQueue *vqs;   /* VIRTIO_QUEUE_MAX of them, modern only */
    /* Kicks that bypass the exit path, while DRIVER_OK */
    VirtIOMMIOIoeventfd *ioeventfds;
    unsigned num_ioeventfds;
    bool ioeventfd_taken;   /* by the device's data plane, not the main loop */
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
 * device reaches guest RAM through mem. The device list owns it
 * (qdev_unrealize_all() frees it): the pointer returned is borrowed.
 */
VirtIOMMIOProxy *virtio_mmio_create(uint64_t base, unsigned index,
                                    qemu_irq irq, GuestMemory *mem,
                                    Error **errp);
/* Whether a virtio device is plugged into the transport's slot. */
bool virtio_mmio_is_plugged(const VirtIOMMIOProxy *proxy);

void virtio_mmio_register_types(void);

#endif
