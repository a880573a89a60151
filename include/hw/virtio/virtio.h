/*
 * The virtio device core: VirtIODevice (status, features, config space,
 * ISR), its split virtqueues, and the virtio bus a transport offers.
 *
 * Source of truth: the virtio 1.2 spec (2.1 status, 2.2 features, 2.5
 * config generation, 2.7 split virtqueues) and QEMU 7.2's
 * hw/virtio/virtio.c (virtqueue_split_pop, virtqueue_flush,
 * virtio_split_should_notify, virtio_set_status, virtio_reset,
 * virtio_error).
 *
 * Threading: every function here is called with the BQL held (a vCPU's
 * MMIO exit, or a main-loop callback such as an ioeventfd handler or a
 * backend's completion), with one exception, the data plane: between
 * virtio_set_dataplane(vdev, true) and (vdev, false), the device's queue
 * functions (virtqueue_pop/push/fill/flush/detach/unpop, virtio_queue_*
 * notification and emptiness, virtio_notify, virtio_error) are called by
 * that one thread only (an iothread) and by no BQL holder; the ISR,
 * status, config generation and interrupt line stay BQL-only: the data
 * plane's virtio_notify and virtio_error leave them to a main-loop bottom
 * half (QEMU 7.2's guest notifier, read by the main loop). The transport
 * stops the data plane before any write that changes a queue, features,
 * status or config (see virtio-mmio.c), so no lock is taken on any path.
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include <sys/uio.h>
#include "hw/core/qdev.h"
#include "qemu/bh.h"

#define TYPE_VIRTIO_BUS "virtio-bus"
#define TYPE_VIRTIO_DEVICE "virtio-device"

/* QEMU 7.2's limits: queues per device, descriptors per queue/chain. */
#define VIRTIO_QUEUE_MAX    1024
#define VIRTQUEUE_MAX_SIZE  1024

/* Device status (virtio 1.2, 2.1) */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE     1
#define VIRTIO_CONFIG_S_DRIVER          2
#define VIRTIO_CONFIG_S_DRIVER_OK       4
#define VIRTIO_CONFIG_S_FEATURES_OK     8
#define VIRTIO_CONFIG_S_NEEDS_RESET     0x40
#define VIRTIO_CONFIG_S_FAILED          0x80

/* Feature bits (virtio 1.2, 6) */
#define VIRTIO_F_NOTIFY_ON_EMPTY        24
#define VIRTIO_F_ANY_LAYOUT             27
#define VIRTIO_RING_F_INDIRECT_DESC     28
#define VIRTIO_RING_F_EVENT_IDX         29
#define VIRTIO_F_BAD_FEATURE            30  /* QEMU: never offered */
#define VIRTIO_F_VERSION_1              32
#define VIRTIO_F_IOMMU_PLATFORM         33
#define VIRTIO_F_RING_PACKED            34
#define VIRTIO_F_RING_RESET             40

/* Feature bits a modern (version 2) transport hides (QEMU's
 * VIRTIO_LEGACY_FEATURES): every class's legacy_features has them. */
#define VIRTIO_LEGACY_FEATURES ((1ULL << VIRTIO_F_BAD_FEATURE) | \
                                (1ULL << VIRTIO_F_NOTIFY_ON_EMPTY) | \
                                (1ULL << VIRTIO_F_ANY_LAYOUT))

/* Split ring layout (virtio 1.2, 2.7) */
#define VRING_DESC_F_NEXT       1
#define VRING_DESC_F_WRITE      2
#define VRING_DESC_F_INDIRECT   4
#define VRING_AVAIL_F_NO_INTERRUPT  1
#define VRING_USED_F_NO_NOTIFY      1
#define VRING_DESC_SIZE         16  /* addr 8, len 4, flags 2, next 2 */
#define VRING_USED_ELEM_SIZE    8   /* id 4, len 4 */
/* The legacy layout's default alignment (QEMU's VIRTIO_PCI_VRING_ALIGN) */
#define VIRTIO_LEGACY_VRING_ALIGN 4096

/* ISR bits (virtio 1.2, 4.2.2: InterruptStatus) */
#define VIRTIO_ISR_QUEUE    1
#define VIRTIO_ISR_CONFIG   2

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;

/*
 * One request: the device-readable buffers (out) then the
 * device-writable ones (in), each a host pointer into guest RAM that
 * stays valid while the element is held. Allocated by virtqueue_pop()
 * in one block; the caller g_free()s it after virtqueue_push().
 */
typedef struct VirtQueueElement {
    unsigned index;         /* the head descriptor: what the used ring gets */
    unsigned out_num;
    unsigned in_num;
    uint64_t *in_addr;
    uint64_t *out_addr;
    struct iovec *in_sg;
    struct iovec *out_sg;
} VirtQueueElement;

typedef void (*VirtIOHandleOutput)(VirtIODevice *vdev, VirtQueue *vq);

/* The split virtqueue state (QEMU's VirtQueue with its VRing). */
struct VirtQueue {
    VirtIODevice *vdev;
    unsigned queue_index;
    unsigned num;           /* 0: the queue does not exist */
    unsigned num_default;   /* the device's size: QueueNumMax's queue */
    unsigned align;         /* legacy layout */
    uint64_t desc;          /* guest-physical ring addresses */
    uint64_t avail;
    uint64_t used;
    /* Host views of the rings, checked when set: NULL until then */
    uint8_t *desc_host;
    uint8_t *avail_host;
    uint8_t *used_host;
    uint16_t last_avail_idx;
    uint16_t shadow_avail_idx;
    uint16_t used_idx;
    uint16_t signalled_used;
    bool signalled_used_valid;
    bool notification;
    unsigned inuse;
    VirtIOHandleOutput handle_output;
};

/*
 * What a transport offers its plugged device (QEMU's VirtioBusClass):
 * notify is called whenever the ISR may have changed, so that the
 * transport sets its interrupt line from it; features are the host
 * features the transport adds (VERSION_1 for a modern virtio-mmio).
 */
typedef struct VirtioBusOps {
    void (*notify)(DeviceState *transport);
    uint64_t (*features)(DeviceState *transport);
    /*
     * For a device with a data plane (QEMU's virtio_bus_ioeventfd_enabled
     * and virtio_bus_start_ioeventfd): whether the transport's ioeventfd=
     * is on, and start its ioeventfds now (a kick before DRIVER_OK).
     * NULL: a transport without ioeventfds.
     */
    bool (*ioeventfd_enabled)(DeviceState *transport);
    void (*ioeventfd_start)(DeviceState *transport);
} VirtioBusOps;

typedef struct VirtioBus {
    BusState bus;
    const VirtioBusOps *ops;
    GuestMemory *mem;
    VirtIODevice *vdev;     /* the plugged device, or NULL */
} VirtioBus;

struct VirtIODevice {
    DeviceState parent_obj;
    const char *name;
    uint16_t device_id;
    uint8_t status;
    uint8_t isr;
    bool broken;            /* virtio_error() until the next reset */
    uint16_t queue_sel;
    uint64_t host_features;
    uint64_t guest_features;
    uint32_t generation;
    size_t config_len;
    uint8_t *config;
    VirtQueue *vq;          /* VIRTIO_QUEUE_MAX of them, as QEMU */
    GuestMemory *mem;
    VirtioBus *vbus;        /* set when plugged */
    /* Properties: QEMU 7.2's DEFINE_VIRTIO_COMMON_FEATURES and flags */
    bool prop_indirect_desc;
    bool prop_event_idx;
    bool prop_notify_on_empty;
    bool prop_any_layout;
    bool prop_iommu_platform;
    bool prop_packed;
    bool prop_queue_reset;
    bool use_started;
    bool use_disabled_flag;
    bool disable_legacy_check;
    /* The data plane (virtio_set_dataplane): set only under the BQL */
    bool dataplane;
    int dataplane_pending;  /* atomic: VIRTIO_DP_* for the bottom half */
    QEMUBH *dataplane_bh;
};

typedef struct VirtioDeviceClass {
    DeviceClass parent_class;
    /* The device's own realize: virtio_init(), queues, backends. */
    void (*realize)(VirtIODevice *vdev, Error **errp);
    void (*unrealize)(VirtIODevice *vdev);
    /* The device's features given the common ones (QEMU's get_features) */
    uint64_t (*get_features)(VirtIODevice *vdev, uint64_t features);
    void (*set_features)(VirtIODevice *vdev, uint64_t features);
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
    void (*reset)(VirtIODevice *vdev);
    /*
     * A device with a data plane (virtio-blk with iothread=) takes the
     * queues' kick eventfds (fds[i] for queue i, n of them) when the
     * transport starts ioeventfd, and returns true: the transport then
     * watches them no more. stop returns once the device's thread has
     * handled every kick it saw and every request it took is complete
     * (QEMU's vdc->start_ioeventfd/stop_ioeventfd, its dataplane drain);
     * the fds stay the transport's.
     */
    bool (*ioeventfd_start)(VirtIODevice *vdev, const int *fds, unsigned n);
    void (*ioeventfd_stop)(VirtIODevice *vdev);
    /*
     * Host features only a legacy driver sees: VIRTIO_LEGACY_FEATURES and
     * the device's own (virtio-net's GSO), QEMU's vdc->legacy_features.
     */
    uint64_t legacy_features;
} VirtioDeviceClass;

#define VIRTIO_DEVICE(obj) \
    OBJECT_CHECK(VirtIODevice, (obj), TYPE_VIRTIO_DEVICE)
#define VIRTIO_DEVICE_CLASS(klass) \
    OBJECT_CLASS_CHECK(VirtioDeviceClass, (klass), TYPE_VIRTIO_DEVICE)
#define VIRTIO_DEVICE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(VirtioDeviceClass, (obj), TYPE_VIRTIO_DEVICE)

static inline bool virtio_has_feature(uint64_t features, unsigned bit)
{
    return (features >> bit) & 1;
}

static inline bool virtio_vdev_has_feature(const VirtIODevice *vdev,
                                           unsigned bit)
{
    return virtio_has_feature(vdev->guest_features, bit);
}

/* ---- Device side ------------------------------------------------------ */

/* Called by a device's realize: id, name and config space size. */
void virtio_init(VirtIODevice *vdev, uint16_t device_id, size_t config_size);
/* Frees what virtio_init() allocated (a device's unrealize). */
void virtio_cleanup(VirtIODevice *vdev);
/*
 * A queue of size queue_size (<= VIRTQUEUE_MAX_SIZE) in the first free
 * slot: in order, or where virtio_del_queue() left a hole.
 */
VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned queue_size,
                            VirtIOHandleOutput handle_output);
/*
 * Queue n no longer exists (QueueNumMax reads 0, kicks are ignored) and
 * its slot is free for virtio_add_queue(): QEMU's virtio_del_queue, used
 * by virtio-net when the guest's features change its queue count.
 */
void virtio_del_queue(VirtIODevice *vdev, unsigned n);

/*
 * The next request, or NULL when the queue is empty, not set up, or the
 * device broken. Every descriptor is checked (see virtio.c); a malformed
 * chain breaks the device (virtio_error) and returns NULL. sz is the
 * size of the caller's element struct, which starts with a
 * VirtQueueElement (QEMU's convention).
 */
void *virtqueue_pop(VirtQueue *vq, size_t sz);
/* Hands elem back to the guest with len bytes written, as used entry. */
void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned len);
/*
 * virtqueue_push in two steps, for a device that completes several
 * elements at once (virtio-net's mergeable RX buffers): fill writes
 * elem as the idx-th used entry after the published ones, flush
 * publishes count entries at once (QEMU's virtqueue_fill/flush).
 */
void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned len, unsigned idx);
void virtqueue_flush(VirtQueue *vq, unsigned count);
/* A popped element the device drops without using it (QEMU's
 * virtqueue_detach_element): its buffers are not given back. */
void virtqueue_detach_element(VirtQueue *vq, const VirtQueueElement *elem);
/* Gives a popped element back to the available ring (not consumed). */
void virtqueue_unpop(VirtQueue *vq, const VirtQueueElement *elem);
/*
 * The bytes the available chains offer (device-writable in, readable
 * out), counted until both maxima are reached, without taking them
 * (QEMU's virtqueue_get_avail_bytes); 0 and 0 if a chain is malformed.
 */
void virtqueue_get_avail_bytes(VirtQueue *vq, unsigned *in_bytes,
                               unsigned *out_bytes, unsigned max_in_bytes,
                               unsigned max_out_bytes);
bool virtio_queue_empty(VirtQueue *vq);
bool virtio_queue_ready(VirtQueue *vq);
/* Whether the guest may kick (used ring flags / avail_event). */
void virtio_queue_set_notification(VirtQueue *vq, bool enable);
/* Interrupts the guest for vq unless it asked not to be (event idx). */
void virtio_notify(VirtIODevice *vdev, VirtQueue *vq);
/* The config space changed: generation and ISR bit 1 (DRIVER_OK only). */
void virtio_notify_config(VirtIODevice *vdev);
/*
 * The device cannot go on (a malformed ring): logged as a guest error,
 * NEEDS_RESET for a VERSION_1 driver, and every queue stops until the
 * next reset (QEMU 7.2's virtio_error()).
 */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* Copies between a flat buffer and iovecs; returns the bytes copied. */
size_t iov_from_buf(const struct iovec *iov, unsigned iov_cnt,
                    size_t offset, const void *buf, size_t bytes);
size_t iov_to_buf(const struct iovec *iov, unsigned iov_cnt,
                  size_t offset, void *buf, size_t bytes);
size_t iov_size(const struct iovec *iov, unsigned iov_cnt);
/* Drops bytes from the front of an array the caller owns (an element's
 * own iovecs): *iov and *iov_cnt advance (QEMU's iov_discard_front). */
void iov_discard_front(struct iovec **iov, unsigned *iov_cnt, size_t bytes);
/*
 * Points at most dst_cnt entries of dst at bytes bytes of src from
 * offset (SIZE_MAX: to the end), without copying data: the entries used
 * (QEMU's iov_copy).
 */
unsigned iov_copy(struct iovec *dst, unsigned dst_cnt,
                  const struct iovec *src, unsigned src_cnt,
                  size_t offset, size_t bytes);

/*
 * The data plane's hand-over, with the BQL held while that thread does
 * not run the queues (before it starts, once it has stopped): on, the
 * device's virtio_notify and virtio_error come from that thread and
 * only record what the main loop must do (a bottom half sets the ISR,
 * NEEDS_RESET and the line); off delivers what is still pending.
 */
void virtio_set_dataplane(VirtIODevice *vdev, bool on);

/* ---- Transport side --------------------------------------------------- */

void virtio_bus_init(VirtioBus *vbus, const char *typename, const char *name,
                     DeviceState *parent, const VirtioBusOps *ops,
                     GuestMemory *mem);
void virtio_bus_cleanup(VirtioBus *vbus);

/* Device reset: status 0, features (the device's set_features(0), as
 * QEMU 7.2.22), ISR, every queue (virtio_reset). */
void virtio_reset(VirtIODevice *vdev);
/* Guest features: -EINVAL after FEATURES_OK, -1 if not all offered. */
int virtio_set_features(VirtIODevice *vdev, uint64_t val);
int virtio_set_status(VirtIODevice *vdev, uint8_t val);
/* Recomputes the interrupt line from the ISR (the transport's notify). */
void virtio_update_irq(VirtIODevice *vdev);

/* Config space: out of range reads all-ones, writes are ignored. */
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr,
                            unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t addr, unsigned size,
                         uint32_t val);

unsigned virtio_queue_get_num(VirtIODevice *vdev, unsigned n);
unsigned virtio_queue_get_max_num(VirtIODevice *vdev, unsigned n);
/* A size the guest chose: ignored if it flips existence or is too big. */
void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, unsigned num);
/* Legacy layout: the descriptor table address, rings laid out after it. */
void virtio_queue_set_addr(VirtIODevice *vdev, unsigned n, uint64_t addr);
uint64_t virtio_queue_get_addr(VirtIODevice *vdev, unsigned n);
void virtio_queue_set_align(VirtIODevice *vdev, unsigned n, unsigned align);
void virtio_queue_update_rings(VirtIODevice *vdev, unsigned n);
/* Modern layout: the three rings where the driver put them. */
void virtio_queue_set_rings(VirtIODevice *vdev, unsigned n, uint64_t desc,
                            uint64_t avail, uint64_t used);
/* The guest kicked queue n (n < VIRTIO_QUEUE_MAX). */
void virtio_queue_notify(VirtIODevice *vdev, unsigned n);
/* Forgets queue n's rings and indices (reset, legacy PFN 0). */
void virtio_queue_reset(VirtIODevice *vdev, unsigned n);

void virtio_register_types(void);

#endif
