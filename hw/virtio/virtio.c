/*
 * The virtio device core: status, features, config space, ISR, and the
 * split virtqueues (virtio 1.2, 2.1-2.7), as QEMU 7.2's
 * hw/virtio/virtio.c behaves for a guest.
 *
 * Every guest-controlled value is checked where it enters: ring
 * addresses when the driver sets them (virtio_queue_map_rings, QEMU's
 * virtio_init_region_cache), each descriptor when a chain is walked
 * (virtqueue_pop). The walk is bounded by the queue size or the indirect
 * table's size, so a loop cannot hang it; a malformed ring breaks the
 * device (virtio_error) and never crashes the VMM.
 *
 * Ordering against the guest's vCPUs: the available index is read and
 * the used index written with sequentially consistent atomics, which
 * gives QEMU's smp_rmb() after reading avail->idx, its smp_wmb() before
 * publishing used->idx, and its smp_mb() between publishing used->idx
 * and reading used_event/avail->flags (virtio_split_should_notify).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/virtio/virtio.h"

/* Offsets in the rings (virtio 1.2, 2.7.6 and 2.7.8) */
#define VRING_AVAIL_FLAGS   0
#define VRING_AVAIL_IDX     2
#define VRING_AVAIL_RING    4
#define VRING_USED_FLAGS    0
#define VRING_USED_IDX      2
#define VRING_USED_RING     4

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

/* ---- Ring accessors ------------------------------------------------------ */

static uint16_t vring_load16(const uint8_t *p)
{
    return GUINT16_FROM_LE(__atomic_load_n((const uint16_t *)p,
                                           __ATOMIC_SEQ_CST));
}

static void vring_store16(uint8_t *p, uint16_t v)
{
    __atomic_store_n((uint16_t *)p, GUINT16_TO_LE(v), __ATOMIC_SEQ_CST);
}

static uint16_t vring_avail_flags(VirtQueue *vq)
{
    return vring_load16(vq->avail_host + VRING_AVAIL_FLAGS);
}

static uint16_t vring_avail_idx(VirtQueue *vq)
{
    vq->shadow_avail_idx = vring_load16(vq->avail_host + VRING_AVAIL_IDX);
    return vq->shadow_avail_idx;
}

static uint16_t vring_avail_ring(VirtQueue *vq, unsigned i)
{
    return vring_load16(vq->avail_host + VRING_AVAIL_RING + 2 * i);
}

/* used_event sits after the available ring (2.7.10) */
static uint16_t vring_get_used_event(VirtQueue *vq)
{
    return vring_avail_ring(vq, vq->num);
}

/* avail_event sits after the used ring */
static void vring_set_avail_event(VirtQueue *vq, uint16_t val)
{
    if (!vq->notification) {
        return;
    }
    vring_store16(vq->used_host + VRING_USED_RING +
                  VRING_USED_ELEM_SIZE * vq->num, val);
}

static void vring_used_flags_set(VirtQueue *vq, uint16_t mask, bool set)
{
    uint8_t *p = vq->used_host + VRING_USED_FLAGS;
    uint16_t flags = vring_load16(p);

    vring_store16(p, set ? flags | mask : flags & ~mask);
}

static void vring_desc_read(const uint8_t *table, unsigned i, VRingDesc *d)
{
    const uint8_t *p = table + (size_t)i * VRING_DESC_SIZE;
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;

    memcpy(&addr, p, 8);
    memcpy(&len, p + 8, 4);
    memcpy(&flags, p + 12, 2);
    memcpy(&next, p + 14, 2);
    d->addr = GUINT64_FROM_LE(addr);
    d->len = GUINT32_FROM_LE(len);
    d->flags = GUINT16_FROM_LE(flags);
    d->next = GUINT16_FROM_LE(next);
}

/* Whether to interrupt after old..new were used (2.7.10, vring_need_event) */
static bool vring_need_event(uint16_t event, uint16_t new, uint16_t old)
{
    return (uint16_t)(new - event - 1) < (uint16_t)(new - old);
}

/* ---- Errors and interrupts -------------------------------------------- */

/* What a data plane's thread left for the main loop */
#define VIRTIO_DP_QUEUE         1   /* a used-buffer interrupt */
#define VIRTIO_DP_NEEDS_RESET   2   /* virtio_error on a VERSION_1 device */

/*
 * broken is set by virtio_error(), which a data plane's thread may call
 * while a vCPU's InterruptAck reads it: relaxed atomics (plain moves on
 * x86) make that sound.
 */
static inline bool virtio_broken(VirtIODevice *vdev)
{
    return __atomic_load_n(&vdev->broken, __ATOMIC_RELAXED);
}

static inline void virtio_set_broken(VirtIODevice *vdev, bool broken)
{
    __atomic_store_n(&vdev->broken, broken, __ATOMIC_RELAXED);
}

static void virtio_raise(VirtIODevice *vdev)
{
    if (vdev->vbus) {
        vdev->vbus->ops->notify(vdev->parent_obj.parent_bus->parent);
    }
}

static void virtio_notify_vector(VirtIODevice *vdev)
{
    if (virtio_broken(vdev)) {
        return;
    }
    virtio_raise(vdev);
}

/*
 * The main loop's half of a data plane's notifications (BQL held), as
 * QEMU's virtio_queue_guest_notifier_read: the decision to interrupt
 * was taken in the data plane's thread, so the line is raised even if
 * the device broke meanwhile (virtio_error's own config interrupt).
 */
static void virtio_dataplane_deliver(void *opaque)
{
    VirtIODevice *vdev = opaque;
    int pending = g_atomic_int_and(&vdev->dataplane_pending, 0);

    if (pending & VIRTIO_DP_NEEDS_RESET) {
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) {
            vdev->isr |= VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG;
            vdev->generation++;
        }
    }
    if (pending & VIRTIO_DP_QUEUE) {
        vdev->isr |= VIRTIO_ISR_QUEUE;
    }
    if (pending) {
        virtio_raise(vdev);
    }
}

/* From the data plane's thread: the main loop does the rest */
static void virtio_dataplane_request(VirtIODevice *vdev, int what)
{
    g_atomic_int_or(&vdev->dataplane_pending, what);
    qemu_bh_schedule(vdev->dataplane_bh);
}

void virtio_set_dataplane(VirtIODevice *vdev, bool on)
{
    if (on && !vdev->dataplane_bh) {
        vdev->dataplane_bh = qemu_bh_new(virtio_dataplane_deliver, vdev);
    }
    vdev->dataplane = on;
    if (!on && vdev->dataplane_bh) {
        qemu_bh_cancel(vdev->dataplane_bh);
        virtio_dataplane_deliver(vdev);
    }
}

void virtio_update_irq(VirtIODevice *vdev)
{
    virtio_notify_vector(vdev);
}

void virtio_notify_config(VirtIODevice *vdev)
{
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG;
    vdev->generation++;
    virtio_notify_vector(vdev);
}

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qemu_log_mask(LOG_GUEST_ERROR, "%s: %s\n", vdev->name, msg);

    /* QEMU 7.2: a virtio 1 driver is told through NEEDS_RESET */
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        if (vdev->dataplane) {
            virtio_dataplane_request(vdev, VIRTIO_DP_NEEDS_RESET);
        } else {
            vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
            virtio_notify_config(vdev);
        }
    }
    virtio_set_broken(vdev, true);
}

/* ---- Queue set-up ----------------------------------------------------- */

static uint64_t vring_avail_size(VirtIODevice *vdev, unsigned num)
{
    bool event = virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX);

    return VRING_AVAIL_RING + 2ULL * num + (event ? 2 : 0);
}

static uint64_t vring_used_size(VirtIODevice *vdev, unsigned num)
{
    bool event = virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX);

    return VRING_USED_RING + (uint64_t)VRING_USED_ELEM_SIZE * num +
           (event ? 2 : 0);
}

/*
 * QEMU's virtio_init_region_cache: the three rings must be guest RAM
 * (the used ring writable) for the queue's size. Ours also wants the
 * 16-bit indices aligned (2.7: the spec's alignment, which every driver
 * keeps), since they are accessed atomically.
 */
static void virtio_queue_map_rings(VirtIODevice *vdev, unsigned n,
                                   bool report)
{
    VirtQueue *vq = &vdev->vq[n];
    uint8_t *desc, *avail, *used;
    const char *err = NULL;

    vq->desc_host = vq->avail_host = vq->used_host = NULL;
    if (!vq->desc || !vq->num) {
        return;
    }
    desc = guest_memory_translate(vdev->mem, vq->desc,
                                  (uint64_t)vq->num * VRING_DESC_SIZE, false);
    used = guest_memory_translate(vdev->mem, vq->used,
                                  vring_used_size(vdev, vq->num), true);
    avail = guest_memory_translate(vdev->mem, vq->avail,
                                   vring_avail_size(vdev, vq->num), false);
    if (!desc) {
        err = "Cannot map desc";
    } else if (!used) {
        err = "Cannot map used";
    } else if (!avail) {
        err = "Cannot map avail";
    } else if ((vq->avail | vq->used) & 1) {
        err = "Misaligned avail or used ring";
    }
    if (err) {
        if (report) {
            virtio_error(vdev, "%s", err);
        }
        return;
    }
    vq->desc_host = desc;
    vq->avail_host = avail;
    vq->used_host = used;
}

VirtQueue *virtio_add_queue(VirtIODevice *vdev, unsigned queue_size,
                            VirtIOHandleOutput handle_output)
{
    unsigned i;

    for (i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        if (vdev->vq[i].num_default == 0) {
            break;
        }
    }
    assert(i < VIRTIO_QUEUE_MAX);
    assert(queue_size > 0 && queue_size <= VIRTQUEUE_MAX_SIZE);
    vdev->vq[i].num = queue_size;
    vdev->vq[i].num_default = queue_size;
    vdev->vq[i].align = VIRTIO_LEGACY_VRING_ALIGN;
    vdev->vq[i].handle_output = handle_output;
    return &vdev->vq[i];
}

/*
 * QEMU's virtio_delete_queue: the size and handler go, the ring's
 * addresses stay (as QEMU's); the host views go with the size they were
 * checked for.
 */
void virtio_del_queue(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq;

    assert(n < VIRTIO_QUEUE_MAX);
    vq = &vdev->vq[n];
    vq->num = 0;
    vq->num_default = 0;
    vq->handle_output = NULL;
    vq->desc_host = vq->avail_host = vq->used_host = NULL;
}

void virtio_queue_reset(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];

    vq->desc = vq->avail = vq->used = 0;
    vq->desc_host = vq->avail_host = vq->used_host = NULL;
    vq->last_avail_idx = 0;
    vq->shadow_avail_idx = 0;
    vq->used_idx = 0;
    vq->signalled_used = 0;
    vq->signalled_used_valid = false;
    vq->notification = true;
    vq->num = vq->num_default;
    vq->inuse = 0;
}

unsigned virtio_queue_get_num(VirtIODevice *vdev, unsigned n)
{
    return vdev->vq[n].num;
}

unsigned virtio_queue_get_max_num(VirtIODevice *vdev, unsigned n)
{
    return vdev->vq[n].num_default;
}

void virtio_queue_set_num(VirtIODevice *vdev, unsigned n, unsigned num)
{
    VirtQueue *vq = &vdev->vq[n];

    /*
     * QEMU's virtio_queue_set_num: the guest may neither flip a queue
     * between existent and not nor pick a size over the maximum.
     */
    if (!!num != !!vq->num || num > VIRTQUEUE_MAX_SIZE) {
        return;
    }
    vq->num = num;
    /*
     * The rings' extent follows the size: remapped silently (the
     * transport sets the rings again and reports then); until then a
     * queue whose rings no longer fit is not ready.
     */
    virtio_queue_map_rings(vdev, n, false);
}

void virtio_queue_update_rings(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];

    if (!vq->num || !vq->desc || !vq->align) {
        return;
    }
    /* The legacy layout (2.7.2): avail after desc, used aligned after */
    vq->avail = vq->desc + (uint64_t)vq->num * VRING_DESC_SIZE;
    vq->used = vq->avail + VRING_AVAIL_RING + 2ULL * vq->num;
    vq->used = (vq->used + vq->align - 1) / vq->align * vq->align;
    virtio_queue_map_rings(vdev, n, true);
}

void virtio_queue_set_addr(VirtIODevice *vdev, unsigned n, uint64_t addr)
{
    if (!vdev->vq[n].num) {
        return;
    }
    vdev->vq[n].desc = addr;
    virtio_queue_update_rings(vdev, n);
}

uint64_t virtio_queue_get_addr(VirtIODevice *vdev, unsigned n)
{
    return vdev->vq[n].desc;
}

void virtio_queue_set_align(VirtIODevice *vdev, unsigned n, unsigned align)
{
    /* QEMU 7.2: a virtio 1 device keeps its alignment */
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        qemu_log_mask(LOG_GUEST_ERROR, "tried to modify queue alignment "
                      "for virtio-1 device\n");
        return;
    }
    if (align) {
        vdev->vq[n].align = align;
        virtio_queue_update_rings(vdev, n);
    }
}

void virtio_queue_set_rings(VirtIODevice *vdev, unsigned n, uint64_t desc,
                            uint64_t avail, uint64_t used)
{
    VirtQueue *vq = &vdev->vq[n];

    if (!vq->num) {
        return;
    }
    vq->desc = desc;
    vq->avail = avail;
    vq->used = used;
    virtio_queue_map_rings(vdev, n, true);
}

bool virtio_queue_ready(VirtQueue *vq)
{
    return vq->avail_host != NULL;
}

/* ---- Available ring --------------------------------------------------- */

bool virtio_queue_empty(VirtQueue *vq)
{
    if (virtio_broken(vq->vdev) || !vq->avail_host) {
        return true;
    }
    if (vq->shadow_avail_idx != vq->last_avail_idx) {
        return false;
    }
    return vring_avail_idx(vq) == vq->last_avail_idx;
}

void virtio_queue_set_notification(VirtQueue *vq, bool enable)
{
    vq->notification = enable;
    if (!vq->used_host) {
        return;
    }
    if (virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX)) {
        vring_set_avail_event(vq, vring_avail_idx(vq));
    } else {
        vring_used_flags_set(vq, VRING_USED_F_NO_NOTIFY, !enable);
    }
    /* the store above is sequentially consistent: the caller re-checks */
}

/*
 * One descriptor's buffer into the element being built: non-empty and
 * wholly inside one block of guest RAM (writable for device-writable
 * buffers), QEMU's virtqueue_map_desc refusing what dma_memory_map
 * cannot map.
 */
static bool virtqueue_map_desc(VirtIODevice *vdev, unsigned *num,
                               uint64_t *addr, struct iovec *iov,
                               unsigned max_num, bool is_write,
                               const VRingDesc *d)
{
    void *host;

    if (!d->len) {
        virtio_error(vdev, "virtio: zero sized buffers are not allowed");
        return false;
    }
    if (*num == max_num) {
        virtio_error(vdev, "virtio: too many write descriptors in "
                     "indirect table");
        return false;
    }
    host = guest_memory_translate(vdev->mem, d->addr, d->len, is_write);
    if (!host) {
        virtio_error(vdev, "virtio: bogus descriptor or out of resources");
        return false;
    }
    iov[*num].iov_base = host;
    iov[*num].iov_len = d->len;
    addr[*num] = d->addr;
    (*num)++;
    return true;
}

static VirtQueueElement *virtqueue_alloc_element(size_t sz, unsigned out_num,
                                                 unsigned in_num)
{
    VirtQueueElement *elem;
    size_t in_addr_ofs = QEMU_ALIGN_UP(sz, __alignof__(uint64_t));
    size_t out_addr_ofs = in_addr_ofs + in_num * sizeof(uint64_t);
    size_t out_addr_end = out_addr_ofs + out_num * sizeof(uint64_t);
    size_t in_sg_ofs = QEMU_ALIGN_UP(out_addr_end, __alignof__(struct iovec));
    size_t out_sg_ofs = in_sg_ofs + in_num * sizeof(struct iovec);
    size_t out_sg_end = out_sg_ofs + out_num * sizeof(struct iovec);

    assert(sz >= sizeof(VirtQueueElement));
    elem = g_malloc0(out_sg_end);
    elem->out_num = out_num;
    elem->in_num = in_num;
    elem->in_addr = (void *)elem + in_addr_ofs;
    elem->out_addr = (void *)elem + out_addr_ofs;
    elem->in_sg = (void *)elem + in_sg_ofs;
    elem->out_sg = (void *)elem + out_sg_ofs;
    return elem;
}

/*
 * The head of the next available chain (QEMU's virtqueue_get_head, with
 * virtqueue_num_heads' check that the guest did not move avail->idx by
 * more than a queue's worth).
 */
static bool virtqueue_get_head(VirtQueue *vq, uint16_t idx, unsigned *head)
{
    uint16_t avail = vq->shadow_avail_idx;

    if ((uint16_t)(avail - vq->last_avail_idx) > vq->num) {
        virtio_error(vq->vdev, "Guest moved used index from %u to %u",
                     vq->last_avail_idx, avail);
        return false;
    }
    *head = vring_avail_ring(vq, idx % vq->num);
    if (*head >= vq->num) {
        virtio_error(vq->vdev, "Guest says index %u is available", *head);
        return false;
    }
    return true;
}

/*
 * Walks the chain at head (QEMU's virtqueue_split_pop loop): each
 * descriptor checked and mapped into addr/iov, out buffers first. The
 * walk ends within max descriptors or breaks the device.
 */
static bool virtqueue_read_chain(VirtQueue *vq, unsigned head,
                                 uint64_t *addr, struct iovec *iov,
                                 unsigned *p_out, unsigned *p_in)
{
    VirtIODevice *vdev = vq->vdev;
    const uint8_t *table = vq->desc_host;
    unsigned out_num = 0, in_num = 0, entries = 0;
    unsigned i = head, max = vq->num;
    bool indirect = false;
    VRingDesc d;

    vring_desc_read(table, i, &d);
    if (d.flags & VRING_DESC_F_INDIRECT) {
        /* 2.7.5.3: a table of len / 16 descriptors, walked from 0 */
        if (!d.len || d.len % VRING_DESC_SIZE) {
            virtio_error(vdev, "Invalid size for indirect buffer table");
            return false;
        }
        table = guest_memory_translate(vdev->mem, d.addr, d.len, false);
        if (!table) {
            virtio_error(vdev, "Cannot map indirect buffer");
            return false;
        }
        max = d.len / VRING_DESC_SIZE;
        indirect = true;
        i = 0;
        vring_desc_read(table, i, &d);
    }

    for (;;) {
        bool ok;

        if (indirect && (d.flags & VRING_DESC_F_INDIRECT)) {
            /* 2.7.5.3.1: the driver MUST NOT nest indirect tables */
            virtio_error(vdev, "Nested indirect descriptor");
            return false;
        }
        if (d.flags & VRING_DESC_F_WRITE) {
            ok = virtqueue_map_desc(vdev, &in_num, addr + out_num,
                                    iov + out_num,
                                    VIRTQUEUE_MAX_SIZE - out_num, true, &d);
        } else {
            if (in_num) {
                virtio_error(vdev, "Incorrect order for descriptors");
                return false;
            }
            ok = virtqueue_map_desc(vdev, &out_num, addr, iov,
                                    VIRTQUEUE_MAX_SIZE, false, &d);
        }
        if (!ok) {
            return false;
        }
        /* more descriptors than the table holds: a loop */
        if (++entries > max) {
            virtio_error(vdev, "Looped descriptor");
            return false;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            break;
        }
        if (d.next >= max) {
            virtio_error(vdev, "Desc next is %u", d.next);
            return false;
        }
        i = d.next;
        vring_desc_read(table, i, &d);
    }
    *p_out = out_num;
    *p_in = in_num;
    return true;
}

void *virtqueue_pop(VirtQueue *vq, size_t sz)
{
    VirtIODevice *vdev = vq->vdev;
    uint64_t addr[VIRTQUEUE_MAX_SIZE];
    struct iovec iov[VIRTQUEUE_MAX_SIZE];
    unsigned out_num, in_num, head, i;
    VirtQueueElement *elem;

    if (virtio_queue_empty(vq)) {
        return NULL;
    }
    if (vq->inuse >= vq->num) {
        virtio_error(vdev, "Virtqueue size exceeded");
        return NULL;
    }
    if (!virtqueue_get_head(vq, vq->last_avail_idx, &head)) {
        return NULL;
    }
    vq->last_avail_idx++;
    if (virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        vring_set_avail_event(vq, vq->last_avail_idx);
    }
    if (!virtqueue_read_chain(vq, head, addr, iov, &out_num, &in_num)) {
        return NULL;
    }

    elem = virtqueue_alloc_element(sz, out_num, in_num);
    elem->index = head;
    for (i = 0; i < out_num; i++) {
        elem->out_addr[i] = addr[i];
        elem->out_sg[i] = iov[i];
    }
    for (i = 0; i < in_num; i++) {
        elem->in_addr[i] = addr[out_num + i];
        elem->in_sg[i] = iov[out_num + i];
    }
    vq->inuse++;
    return elem;
}

void virtqueue_get_avail_bytes(VirtQueue *vq, unsigned *in_bytes,
                               unsigned *out_bytes, unsigned max_in_bytes,
                               unsigned max_out_bytes)
{
    uint64_t addr[VIRTQUEUE_MAX_SIZE];
    struct iovec iov[VIRTQUEUE_MAX_SIZE];
    uint64_t in_total = 0, out_total = 0;
    uint16_t idx = vq->last_avail_idx;

    if (virtio_broken(vq->vdev) || !vq->avail_host) {
        goto done;
    }
    vring_avail_idx(vq);
    while (idx != vq->shadow_avail_idx &&
           (in_total < max_in_bytes || out_total < max_out_bytes)) {
        unsigned head, out_num, in_num;

        if (!virtqueue_get_head(vq, idx, &head) ||
            !virtqueue_read_chain(vq, head, addr, iov, &out_num, &in_num)) {
            in_total = out_total = 0;
            goto done;
        }
        out_total += iov_size(iov, out_num);
        in_total += iov_size(iov + out_num, in_num);
        idx++;
    }
done:
    *in_bytes = MIN(in_total, UINT32_MAX);
    if (out_bytes) {
        *out_bytes = MIN(out_total, UINT32_MAX);
    }
}

void virtqueue_unpop(VirtQueue *vq, const VirtQueueElement *elem)
{
    if (virtio_broken(vq->vdev) || !vq->inuse) {
        return;
    }
    vq->last_avail_idx--;
    vq->inuse--;
}

/* ---- Used ring -------------------------------------------------------- */

void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned len, unsigned idx)
{
    uint32_t e[2] = { GUINT32_TO_LE(elem->index), GUINT32_TO_LE(len) };
    uint16_t slot = vq->used_idx + idx;

    /* QEMU's virtqueue_fill: a broken device no longer touches rings */
    if (virtio_broken(vq->vdev) || !vq->used_host) {
        return;
    }
    memcpy(vq->used_host + VRING_USED_RING +
           VRING_USED_ELEM_SIZE * (slot % vq->num), e, sizeof(e));
}

void virtqueue_flush(VirtQueue *vq, unsigned count)
{
    uint16_t old = vq->used_idx, new = old + count;

    vq->inuse -= MIN(vq->inuse, count);
    if (virtio_broken(vq->vdev) || !vq->used_host) {
        return;
    }
    /* the elements are visible before the index that publishes them */
    vring_store16(vq->used_host + VRING_USED_IDX, new);
    vq->used_idx = new;
    /* the index wrapped past the last signalled one: notify next time */
    if ((uint16_t)(new - vq->signalled_used) < (uint16_t)(new - old)) {
        vq->signalled_used_valid = false;
    }
}

void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned len)
{
    virtqueue_fill(vq, elem, len, 0);
    virtqueue_flush(vq, 1);
}

void virtqueue_detach_element(VirtQueue *vq, const VirtQueueElement *elem)
{
    if (vq->inuse) {
        vq->inuse--;
    }
}

/* QEMU's virtio_split_should_notify */
static bool virtio_should_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    uint16_t old, new;
    bool valid;

    if (!vq->avail_host) {
        return false;
    }
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) &&
        !vq->inuse && virtio_queue_empty(vq)) {
        return true;
    }
    if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return !(vring_avail_flags(vq) & VRING_AVAIL_F_NO_INTERRUPT);
    }
    valid = vq->signalled_used_valid;
    vq->signalled_used_valid = true;
    old = vq->signalled_used;
    new = vq->signalled_used = vq->used_idx;
    return !valid || vring_need_event(vring_get_used_event(vq), new, old);
}

void virtio_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    if (virtio_broken(vdev) || !virtio_should_notify(vdev, vq)) {
        return;
    }
    if (vdev->dataplane) {
        virtio_dataplane_request(vdev, VIRTIO_DP_QUEUE);
        return;
    }
    vdev->isr |= VIRTIO_ISR_QUEUE;
    virtio_notify_vector(vdev);
}

void virtio_queue_notify(VirtIODevice *vdev, unsigned n)
{
    VirtQueue *vq = &vdev->vq[n];

    if (!vq->desc || virtio_broken(vdev) || !vq->handle_output) {
        return;
    }
    vq->handle_output(vdev, vq);
}

/* ---- Features, status, reset, config ---------------------------------- */

int virtio_set_features(VirtIODevice *vdev, uint64_t val)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    bool bad = (val & ~vdev->host_features) != 0;

    /* 3.1.1: no feature changes after FEATURES_OK */
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        return -EINVAL;
    }
    if (val & (1ULL << VIRTIO_F_BAD_FEATURE)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: guest driver for %s has enabled "
                      "UNUSED(30) feature bit!\n", __func__, vdev->name);
    }
    val &= vdev->host_features;
    if (vdc->set_features) {
        vdc->set_features(vdev, val);
    }
    vdev->guest_features = val;
    /* EVENT_IDX changes the rings' extent (QEMU re-inits its caches) */
    if (virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
            if (vdev->vq[i].num) {
                virtio_queue_map_rings(vdev, i, true);
            }
        }
    }
    return bad ? -1 : 0;
}

int virtio_set_status(VirtIODevice *vdev, uint8_t val)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    /* QEMU's virtio_validate_features: IOMMU_PLATFORM must be accepted */
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1) &&
        !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        (val & VIRTIO_CONFIG_S_FEATURES_OK) &&
        virtio_has_feature(vdev->host_features, VIRTIO_F_IOMMU_PLATFORM) &&
        !virtio_vdev_has_feature(vdev, VIRTIO_F_IOMMU_PLATFORM)) {
        return -EFAULT;
    }
    if (vdc->set_status) {
        vdc->set_status(vdev, val);
    }
    vdev->status = val;
    return 0;
}

void virtio_reset(VirtIODevice *vdev)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    virtio_set_status(vdev, 0);
    if (vdc->reset) {
        vdc->reset(vdev);
    }
    virtio_set_broken(vdev, false);
    /*
     * The device is told its features are gone (QEMU 7.2's stable
     * releases, as the reference binary 7.2.22: "virtio: Call
     * set_features during reset"): virtio-net drops the queue pairs MQ
     * made, so a reset device shows one pair and the control queue.
     */
    if (vdc->set_features) {
        vdc->set_features(vdev, 0);
    }
    vdev->guest_features = 0;
    vdev->queue_sel = 0;
    vdev->status = 0;
    vdev->isr = 0;
    virtio_notify_vector(vdev);
    for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        virtio_queue_reset(vdev, i);
    }
}

uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr, unsigned size)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    uint32_t val = 0;

    assert(size == 1 || size == 2 || size == 4);
    if ((uint64_t)addr + size > vdev->config_len) {
        return UINT32_MAX;
    }
    if (vdc->get_config) {
        vdc->get_config(vdev, vdev->config);
    }
    memcpy(&val, vdev->config + addr, size);
    return GUINT32_FROM_LE(val);
}

void virtio_config_write(VirtIODevice *vdev, uint32_t addr, unsigned size,
                         uint32_t val)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    uint32_t le = GUINT32_TO_LE(val);

    assert(size == 1 || size == 2 || size == 4);
    if ((uint64_t)addr + size > vdev->config_len) {
        return;
    }
    memcpy(vdev->config + addr, &le, size);
    if (vdc->set_config) {
        vdc->set_config(vdev, vdev->config);
    }
}

/* ---- iovec helpers ------------------------------------------------------ */

size_t iov_from_buf(const struct iovec *iov, unsigned iov_cnt,
                    size_t offset, const void *buf, size_t bytes)
{
    size_t done = 0;

    for (unsigned i = 0; i < iov_cnt && done < bytes; i++) {
        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        size_t n = MIN(iov[i].iov_len - offset, bytes - done);
        memcpy((uint8_t *)iov[i].iov_base + offset,
               (const uint8_t *)buf + done, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t iov_to_buf(const struct iovec *iov, unsigned iov_cnt,
                  size_t offset, void *buf, size_t bytes)
{
    size_t done = 0;

    for (unsigned i = 0; i < iov_cnt && done < bytes; i++) {
        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        size_t n = MIN(iov[i].iov_len - offset, bytes - done);
        memcpy((uint8_t *)buf + done,
               (const uint8_t *)iov[i].iov_base + offset, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t iov_size(const struct iovec *iov, unsigned iov_cnt)
{
    size_t len = 0;

    for (unsigned i = 0; i < iov_cnt; i++) {
        len += iov[i].iov_len;
    }
    return len;
}

void iov_discard_front(struct iovec **iov, unsigned *iov_cnt, size_t bytes)
{
    while (*iov_cnt && bytes >= (*iov)->iov_len) {
        bytes -= (*iov)->iov_len;
        (*iov)++;
        (*iov_cnt)--;
    }
    if (*iov_cnt && bytes) {
        (*iov)->iov_base = (uint8_t *)(*iov)->iov_base + bytes;
        (*iov)->iov_len -= bytes;
    }
}

unsigned iov_copy(struct iovec *dst, unsigned dst_cnt,
                  const struct iovec *src, unsigned src_cnt,
                  size_t offset, size_t bytes)
{
    unsigned n = 0;

    for (unsigned i = 0; i < src_cnt && n < dst_cnt && bytes; i++) {
        size_t len;

        if (offset >= src[i].iov_len) {
            offset -= src[i].iov_len;
            continue;
        }
        len = MIN(src[i].iov_len - offset, bytes);
        dst[n].iov_base = (uint8_t *)src[i].iov_base + offset;
        dst[n].iov_len = len;
        n++;
        bytes -= len;
        offset = 0;
    }
    return n;
}

/* ---- The device type and the bus -------------------------------------- */

void virtio_init(VirtIODevice *vdev, uint16_t device_id, size_t config_size)
{
    vdev->name = object_get_typename(OBJECT(vdev));
    vdev->device_id = device_id;
    vdev->config_len = config_size;
    vdev->config = config_size ? g_malloc0(config_size) : NULL;
    vdev->vq = g_new0(VirtQueue, VIRTIO_QUEUE_MAX);
    for (unsigned i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        vdev->vq[i].vdev = vdev;
        vdev->vq[i].queue_index = i;
        vdev->vq[i].notification = true;
    }
}

void virtio_cleanup(VirtIODevice *vdev)
{
    g_clear_pointer(&vdev->config, g_free);
    g_clear_pointer(&vdev->vq, g_free);
    g_clear_pointer(&vdev->dataplane_bh, qemu_bh_delete);
}

void virtio_bus_init(VirtioBus *vbus, const char *typename, const char *name,
                     DeviceState *parent, const VirtioBusOps *ops,
                     GuestMemory *mem)
{
    qbus_init(&vbus->bus, typename, TYPE_VIRTIO_BUS, name, 1, parent);
    vbus->ops = ops;
    vbus->mem = mem;
    vbus->vdev = NULL;
}

void virtio_bus_cleanup(VirtioBus *vbus)
{
    qbus_cleanup(&vbus->bus);
}

/* The host features every device offers: the common properties. */
static uint64_t virtio_common_features(VirtIODevice *vdev)
{
    static const struct {
        size_t offset;
        unsigned bit;
    } bits[] = {
        { offsetof(VirtIODevice, prop_indirect_desc),
          VIRTIO_RING_F_INDIRECT_DESC },
        { offsetof(VirtIODevice, prop_event_idx), VIRTIO_RING_F_EVENT_IDX },
        { offsetof(VirtIODevice, prop_notify_on_empty),
          VIRTIO_F_NOTIFY_ON_EMPTY },
        { offsetof(VirtIODevice, prop_any_layout), VIRTIO_F_ANY_LAYOUT },
        { offsetof(VirtIODevice, prop_iommu_platform),
          VIRTIO_F_IOMMU_PLATFORM },
        { offsetof(VirtIODevice, prop_queue_reset), VIRTIO_F_RING_RESET },
    };
    uint64_t f = 0;

    for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
        if (*(bool *)((uint8_t *)vdev + bits[i].offset)) {
            f |= 1ULL << bits[i].bit;
        }
    }
    return f;
}

/*
 * QEMU's virtio_device_realize + virtio_bus_device_plugged: the device's
 * realize, then its host features (the common ones, the device's, the
 * transport's), then it is the bus's device.
 */
static void virtio_device_realize(DeviceState *dev, Error **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(dev);
    VirtioBus *vbus;
    uint64_t features;

    if (!dev->parent_bus) {
        error_setg(errp, "virtio device '%s' has no virtio bus",
                   object_get_typename(OBJECT(dev)));
        return;
    }
    vbus = container_of(dev->parent_bus, VirtioBus, bus);
    if (vdev->prop_packed) {
        error_setg(errp, "packed virtqueues (packed=on) are not supported "
                   "by microqemu");
        return;
    }
    vdev->mem = vbus->mem;
    if (vdc->realize) {
        Error *err = NULL;

        vdc->realize(vdev, &err);
        if (err) {
            error_propagate(errp, err);
            return;
        }
    }
    assert(vdev->vq);   /* the device's realize called virtio_init() */
    /* the transport's first: a device looks at VERSION_1 (QEMU's
     * virtio_mmio_pre_plugged runs before get_features) */
    features = virtio_common_features(vdev);
    if (vbus->ops->features) {
        features |= vbus->ops->features(dev->parent_bus->parent);
    }
    if (vdc->get_features) {
        features = vdc->get_features(vdev, features);
    }
    vdev->host_features = features;
    vdev->vbus = vbus;
    vbus->vdev = vdev;
}

static void virtio_device_unrealize(DeviceState *dev)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(dev);

    if (vdev->vbus) {
        vdev->vbus->vdev = NULL;
        vdev->vbus = NULL;
    }
    if (vdc->unrealize) {
        vdc->unrealize(vdev);
    }
    virtio_cleanup(vdev);
}

/* QEMU 7.2's virtio_properties (DEFINE_VIRTIO_COMMON_FEATURES first) */
static const Property virtio_properties[] = {
    DEFINE_PROP_BOOL("indirect_desc", VirtIODevice, prop_indirect_desc, true,
                     "on/off"),
    DEFINE_PROP_BOOL("event_idx", VirtIODevice, prop_event_idx, true,
                     "on/off"),
    DEFINE_PROP_BOOL("notify_on_empty", VirtIODevice, prop_notify_on_empty,
                     true, "on/off"),
    DEFINE_PROP_BOOL("any_layout", VirtIODevice, prop_any_layout, true,
                     "on/off"),
    DEFINE_PROP_BOOL("iommu_platform", VirtIODevice, prop_iommu_platform,
                     false, "on/off"),
    DEFINE_PROP_BOOL("packed", VirtIODevice, prop_packed, false, "on/off"),
    DEFINE_PROP_BOOL("queue_reset", VirtIODevice, prop_queue_reset, true,
                     "on/off"),
    DEFINE_PROP_BOOL("use-started", VirtIODevice, use_started, true, NULL),
    DEFINE_PROP_BOOL("use-disabled-flag", VirtIODevice, use_disabled_flag,
                     true, NULL),
    DEFINE_PROP_BOOL("x-disable-legacy-check", VirtIODevice,
                     disable_legacy_check, false, NULL),
    DEFINE_PROP_END_OF_LIST(),
};

/* QEMU's virtio_device_class_init: every virtio device needs a slot. */
static void virtio_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->bus_type = TYPE_VIRTIO_BUS;
    VIRTIO_DEVICE_CLASS(oc)->legacy_features = VIRTIO_LEGACY_FEATURES;
    dc->realize = virtio_device_realize;
    dc->unrealize = virtio_device_unrealize;
    object_class_add_properties(oc, virtio_properties);
}

static const TypeInfo virtio_device_info = {
    .name = TYPE_VIRTIO_DEVICE,
    .parent = TYPE_DEVICE,
    .abstract = true,
    .instance_size = sizeof(VirtIODevice),
    .class_size = sizeof(VirtioDeviceClass),
    .class_init = virtio_device_class_init,
};

void virtio_register_types(void)
{
    type_register_static(&virtio_device_info);
}
