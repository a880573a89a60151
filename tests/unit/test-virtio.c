/*
 * The virtio core on fake guest memory, without KVM: split virtqueues
 * (direct and indirect chains, event index both ways, 16-bit index
 * wrap-around), feature negotiation, status, config space, and every
 * malformed ring QEMU 7.2's virtqueue_split_pop refuses (plus nested
 * indirect tables and misaligned rings, which microqemu refuses too).
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio.h"
#include "log-capture.h"

/* Nothing logged since the last look. */
static void assert_nothing_logged(void)
{
    g_autofree char *log = log_capture_take();

    g_assert_cmpstr(log, ==, "");
}

#define RAM_SIZE    (1 << 20)
#define QSIZE       8
#define DESC        0x1000      /* the rings, modern layout */
#define AVAIL       0x2000
#define USED        0x3000
#define BUF         0x10000     /* data buffers */
#define TABLE       0x8000      /* indirect tables */

#define TYPE_VIRTIO_TEST "virtio-test"

static GuestMemory *mem;
static uint8_t *ram;
static VirtioBus vbus;
static unsigned notifies;
static unsigned kicks;

static void test_notify(DeviceState *transport)
{
    notifies++;
}

static uint64_t test_transport_features(DeviceState *transport)
{
    return 1ULL << VIRTIO_F_VERSION_1;
}

static const VirtioBusOps test_bus_ops = {
    .notify = test_notify,
    .features = test_transport_features,
};

static void test_handle(VirtIODevice *vdev, VirtQueue *vq)
{
    kicks++;
}

static void test_get_config(VirtIODevice *vdev, uint8_t *config)
{
    config[0] = 0xab;
}

static void test_realize(VirtIODevice *vdev, Error **errp)
{
    virtio_init(vdev, 42, 6);
    virtio_add_queue(vdev, QSIZE, test_handle);
}

static void test_class_init(ObjectClass *oc, void *data)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    vdc->realize = test_realize;
    vdc->get_config = test_get_config;
}

static const TypeInfo test_info = {
    .name = TYPE_VIRTIO_TEST,
    .parent = TYPE_VIRTIO_DEVICE,
    .class_init = test_class_init,
};

/* ---- the guest's side, written straight into fake RAM ---- */

static void put16(uint64_t gpa, uint16_t v)
{
    memcpy(ram + gpa, &v, 2);
}

static uint16_t get16(uint64_t gpa)
{
    uint16_t v;

    memcpy(&v, ram + gpa, 2);
    return v;
}

static uint32_t get32(uint64_t gpa)
{
    uint32_t v;

    memcpy(&v, ram + gpa, 4);
    return v;
}

static void desc_at(uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                    uint16_t flags, uint16_t next)
{
    uint8_t *p = ram + table + 16 * i;

    memcpy(p, &addr, 8);
    memcpy(p + 8, &len, 4);
    memcpy(p + 12, &flags, 2);
    memcpy(p + 14, &next, 2);
}

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                 uint16_t next)
{
    desc_at(DESC, i, addr, len, flags, next);
}

/* Offers head: the next avail ring slot, then avail->idx. */
static void offer(uint16_t head)
{
    uint16_t idx = get16(AVAIL + 2);

    put16(AVAIL + 4 + 2 * (idx % QSIZE), head);
    put16(AVAIL + 2, idx + 1);
}

static void set_used_event(uint16_t v)
{
    put16(AVAIL + 4 + 2 * QSIZE, v);
}

static uint16_t avail_event(void)
{
    return get16(USED + 4 + 8 * QSIZE);
}

/* ---- fixture ---- */

static VirtIODevice *vdev_new(void)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(object_new(TYPE_VIRTIO_TEST));

    DEVICE(vdev)->parent_bus = &vbus.bus;
    g_assert_true(qdev_realize_and_unref(DEVICE(vdev), &error_abort));
    return vdev;
}

static void setup(void)
{
    ram = g_malloc0(RAM_SIZE);
    mem = guest_memory_new();
    guest_memory_add(mem, 0, RAM_SIZE, ram, false, "ram");
    virtio_bus_init(&vbus, "test-bus", "test-bus.0", NULL, &test_bus_ops,
                    mem);
    notifies = kicks = 0;
    log_capture_start(LOG_GUEST_ERROR);
}

static void teardown(void)
{
    log_capture_stop();
    qdev_unrealize_all();
    virtio_bus_cleanup(&vbus);
    guest_memory_free(mem);
    g_free(ram);
}

/* A device with features negotiated and queue 0 at DESC/AVAIL/USED. */
static VirtIODevice *vdev_ready(uint64_t features)
{
    VirtIODevice *vdev;

    setup();
    vdev = vdev_new();
    g_assert_cmpint(virtio_set_features(vdev, features), ==, 0);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    virtio_queue_set_rings(vdev, 0, DESC, AVAIL, USED);
    g_assert_true(virtio_queue_ready(&vdev->vq[0]));
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);
    return vdev;
}

#define F_V1        (1ULL << VIRTIO_F_VERSION_1)
#define F_EVENT     (1ULL << VIRTIO_RING_F_EVENT_IDX)

/* The element popped now must be NULL, the device broken, msg logged. */
static void assert_broken(VirtIODevice *vdev, const char *msg)
{
    g_autofree char *log = NULL;
    VirtQueueElement *elem = virtqueue_pop(&vdev->vq[0],
                                           sizeof(VirtQueueElement));

    g_assert_null(elem);
    g_assert_true(vdev->broken);
    log = log_capture_take();
    g_assert_nonnull(strstr(log, msg));
    /* a broken device stays quiet: no more requests, no interrupt */
    offer(0);
    g_assert_null(virtqueue_pop(&vdev->vq[0], sizeof(VirtQueueElement)));
    g_assert_cmpuint(vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET, ==,
                     virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1) ?
                     VIRTIO_CONFIG_S_NEEDS_RESET : 0);
    /* and reset makes it usable again */
    virtio_reset(vdev);
    g_assert_false(vdev->broken);
    g_assert_cmpuint(vdev->status, ==, 0);
    teardown();
}

static void test_direct(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);
    VirtQueue *vq = &vdev->vq[0];
    VirtQueueElement *elem;

    g_assert_cmpuint(vdev->device_id, ==, 42);
    g_assert_null(virtqueue_pop(vq, sizeof(*elem)));     /* empty */
    memcpy(ram + BUF, "request", 7);
    desc(3, BUF, 7, VRING_DESC_F_NEXT, 5);
    desc(5, BUF + 0x100, 64, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 6);
    desc(6, BUF + 0x200, 16, VRING_DESC_F_WRITE, 0);
    offer(3);
    elem = virtqueue_pop(vq, sizeof(*elem));
    g_assert_nonnull(elem);
    g_assert_cmpuint(elem->index, ==, 3);
    g_assert_cmpuint(elem->out_num, ==, 1);
    g_assert_cmpuint(elem->in_num, ==, 2);
    g_assert_cmphex(elem->out_addr[0], ==, BUF);
    g_assert_true(elem->out_sg[0].iov_base == ram + BUF);
    g_assert_cmpuint(elem->out_sg[0].iov_len, ==, 7);
    g_assert_cmphex(elem->in_addr[1], ==, BUF + 0x200);
    g_assert_cmpuint(iov_size(elem->in_sg, elem->in_num), ==, 80);
    g_assert_cmpuint(iov_from_buf(elem->in_sg, elem->in_num, 60,
                                  "0123456789", 10), ==, 10);
    g_assert_cmpmem(ram + BUF + 0x100 + 60, 4, "0123", 4);
    g_assert_cmpmem(ram + BUF + 0x200, 6, "456789", 6);
    g_assert_null(virtqueue_pop(vq, sizeof(*elem)));
    g_assert_cmpuint(vq->inuse, ==, 1);

    virtqueue_push(vq, elem, 70);
    g_free(elem);
    g_assert_cmpuint(get16(USED + 2), ==, 1);
    g_assert_cmpuint(get32(USED + 4), ==, 3);
    g_assert_cmpuint(get32(USED + 8), ==, 70);
    g_assert_cmpuint(vq->inuse, ==, 0);
    virtio_notify(vdev, vq);
    g_assert_cmpuint(vdev->isr, ==, VIRTIO_ISR_QUEUE);
    g_assert_cmpuint(notifies, ==, 1);

    /* without EVENT_IDX the guest silences interrupts with a flag */
    put16(AVAIL, VRING_AVAIL_F_NO_INTERRUPT);
    offer(3);
    elem = virtqueue_pop(vq, sizeof(*elem));
    virtqueue_push(vq, elem, 0);
    g_free(elem);
    /* (NOTIFY_ON_EMPTY was not negotiated) */
    virtio_notify(vdev, vq);
    g_assert_cmpuint(notifies, ==, 1);

    /* a kick reaches the handler */
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(kicks, ==, 1);
    assert_nothing_logged();
    teardown();
}

/*
 * fill + flush: several elements written, then published by one index
 * update (virtio-net's mergeable buffers); detach drops one unused.
 */
static void test_fill_flush(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);
    VirtQueue *vq = &vdev->vq[0];
    VirtQueueElement *e[3];

    for (unsigned i = 0; i < 3; i++) {
        desc(i, BUF + 0x100 * i, 64, VRING_DESC_F_WRITE, 0);
        offer(i);
    }
    for (unsigned i = 0; i < 3; i++) {
        e[i] = virtqueue_pop(vq, sizeof(VirtQueueElement));
        g_assert_nonnull(e[i]);
    }
    g_assert_cmpuint(vq->inuse, ==, 3);
    virtqueue_fill(vq, e[0], 10, 0);
    virtqueue_fill(vq, e[1], 20, 1);
    /* nothing visible before the flush */
    g_assert_cmpuint(get16(USED + 2), ==, 0);
    virtqueue_flush(vq, 2);
    g_assert_cmpuint(get16(USED + 2), ==, 2);
    g_assert_cmpuint(get32(USED + 4), ==, 0);
    g_assert_cmpuint(get32(USED + 8), ==, 10);
    g_assert_cmpuint(get32(USED + 12), ==, 1);
    g_assert_cmpuint(get32(USED + 16), ==, 20);
    g_assert_cmpuint(vq->inuse, ==, 1);
    virtqueue_detach_element(vq, e[2]);
    g_assert_cmpuint(vq->inuse, ==, 0);
    g_assert_cmpuint(get16(USED + 2), ==, 2);
    for (unsigned i = 0; i < 3; i++) {
        g_free(e[i]);
    }
    assert_nothing_logged();
    teardown();
}

static void test_iov_helpers(void)
{
    char a[4] = "abcd", b[2] = "ef", c[3] = "ghi";
    struct iovec src[3] = { { a, 4 }, { b, 2 }, { c, 3 } };
    struct iovec dst[3], *iov = src;
    unsigned cnt = 3;

    /* bytes 3..6: "d", "ef", "g" */
    g_assert_cmpuint(iov_copy(dst, 3, src, 3, 3, 4), ==, 3);
    g_assert_true(dst[0].iov_base == a + 3 && dst[0].iov_len == 1);
    g_assert_true(dst[1].iov_base == b && dst[1].iov_len == 2);
    g_assert_true(dst[2].iov_base == c && dst[2].iov_len == 1);
    /* to the end, into too few entries */
    g_assert_cmpuint(iov_copy(dst, 1, src, 3, 5, SIZE_MAX), ==, 1);
    g_assert_true(dst[0].iov_base == b + 1 && dst[0].iov_len == 1);
    g_assert_cmpuint(iov_copy(dst, 3, src, 3, 9, SIZE_MAX), ==, 0);

    iov_discard_front(&iov, &cnt, 5);
    g_assert_cmpuint(cnt, ==, 2);
    g_assert_true(iov[0].iov_base == b + 1 && iov[0].iov_len == 1);
    iov_discard_front(&iov, &cnt, 100);
    g_assert_cmpuint(cnt, ==, 0);
}

/* NOTIFY_ON_EMPTY: an empty, idle queue interrupts despite the flag. */
static void test_notify_on_empty(void)
{
    VirtIODevice *vdev = vdev_ready(1ULL << VIRTIO_F_NOTIFY_ON_EMPTY);
    VirtQueue *vq = &vdev->vq[0];
    VirtQueueElement *elem;

    put16(AVAIL, VRING_AVAIL_F_NO_INTERRUPT);
    desc(0, BUF, 8, VRING_DESC_F_WRITE, 0);
    offer(0);
    offer(0);
    elem = virtqueue_pop(vq, sizeof(*elem));
    virtqueue_push(vq, elem, 8);
    g_free(elem);
    virtio_notify(vdev, vq);        /* one still available: silent */
    g_assert_cmpuint(notifies, ==, 0);
    elem = virtqueue_pop(vq, sizeof(*elem));
    virtqueue_push(vq, elem, 8);
    g_free(elem);
    virtio_notify(vdev, vq);
    g_assert_cmpuint(notifies, ==, 1);
    teardown();
}

static void test_indirect(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1 |
                                    (1ULL << VIRTIO_RING_F_INDIRECT_DESC));
    VirtQueueElement *elem;

    desc_at(TABLE, 0, BUF, 4, VRING_DESC_F_NEXT, 2);
    desc_at(TABLE, 2, BUF + 0x10, 8, VRING_DESC_F_NEXT, 1);
    desc_at(TABLE, 1, BUF + 0x20, 12, VRING_DESC_F_WRITE, 0);
    desc(7, TABLE, 3 * 16, VRING_DESC_F_INDIRECT, 0);
    offer(7);
    elem = virtqueue_pop(&vdev->vq[0], sizeof(*elem));
    g_assert_nonnull(elem);
    g_assert_cmpuint(elem->index, ==, 7);
    g_assert_cmpuint(elem->out_num, ==, 2);
    g_assert_cmpuint(elem->in_num, ==, 1);
    g_assert_cmphex(elem->out_addr[1], ==, BUF + 0x10);
    g_assert_cmphex(elem->in_addr[0], ==, BUF + 0x20);
    g_assert_cmpuint(elem->in_sg[0].iov_len, ==, 12);
    g_free(elem);
    g_assert_false(vdev->broken);
    teardown();
}

/* What the available chains offer, without taking them. */
static void test_avail_bytes(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);
    VirtQueue *vq = &vdev->vq[0];
    unsigned in, out;

    virtqueue_get_avail_bytes(vq, &in, &out, 1000, 1000);
    g_assert_cmpuint(in, ==, 0);
    desc(0, BUF, 5, VRING_DESC_F_NEXT, 1);
    desc(1, BUF, 32, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
    desc(2, BUF, 16, VRING_DESC_F_WRITE, 0);
    desc(3, BUF, 8, VRING_DESC_F_WRITE, 0);
    offer(0);
    offer(3);
    virtqueue_get_avail_bytes(vq, &in, &out, 1000, 1000);
    g_assert_cmpuint(in, ==, 56);
    g_assert_cmpuint(out, ==, 5);
    /* counting stops once both maxima are reached */
    virtqueue_get_avail_bytes(vq, &in, NULL, 10, 0);
    g_assert_cmpuint(in, ==, 48);
    /* nothing was taken */
    g_assert_cmpuint(vq->last_avail_idx, ==, 0);
    g_free(virtqueue_pop(vq, sizeof(VirtQueueElement)));
    virtqueue_get_avail_bytes(vq, &in, &out, 1000, 1000);
    g_assert_cmpuint(in, ==, 8);
    /* a malformed chain: nothing, and the device is broken */
    desc(4, BUF, 0, VRING_DESC_F_WRITE, 0);
    offer(4);
    virtqueue_get_avail_bytes(vq, &in, &out, 1000, 1000);
    g_assert_cmpuint(in, ==, 0);
    g_assert_true(vdev->broken);
    teardown();
}

/* A device-side struct embedding the element (QEMU's sz convention). */
typedef struct TestReq {
    VirtQueueElement elem;
    uint64_t cookie[3];
} TestReq;

static void test_element_embedding(void)
{
    VirtIODevice *vdev = vdev_ready(0);
    TestReq *req;

    desc(0, BUF, 4, VRING_DESC_F_NEXT, 1);
    desc(1, BUF + 8, 4, VRING_DESC_F_WRITE, 0);
    offer(0);
    req = virtqueue_pop(&vdev->vq[0], sizeof(*req));
    g_assert_nonnull(req);
    g_assert_cmpuint(req->cookie[2], ==, 0);
    req->cookie[2] = 7;         /* the device's part does not overlap */
    g_assert_true((uint8_t *)req->elem.in_addr >=
                  (uint8_t *)req + sizeof(*req));
    g_assert_cmphex(req->elem.in_addr[0], ==, BUF + 8);
    g_assert_cmphex(req->elem.out_addr[0], ==, BUF);
    g_free(req);
    teardown();
}

/* EVENT_IDX both ways (2.7.7, 2.7.10). */
static void test_event_idx(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1 | F_EVENT);
    VirtQueue *vq = &vdev->vq[0];
    VirtQueueElement *elem;

    desc(0, BUF, 4, VRING_DESC_F_WRITE, 0);
    /* the device asks for a kick at the next avail idx it will read */
    offer(0);
    offer(0);
    elem = virtqueue_pop(vq, sizeof(*elem));
    g_assert_cmpuint(avail_event(), ==, 1);
    virtqueue_push(vq, elem, 4);
    g_free(elem);
    /* the first interrupt always goes (nothing signalled yet) */
    set_used_event(5);
    virtio_notify(vdev, vq);
    g_assert_cmpuint(notifies, ==, 1);
    elem = virtqueue_pop(vq, sizeof(*elem));
    g_assert_cmpuint(avail_event(), ==, 2);
    virtqueue_push(vq, elem, 4);
    g_free(elem);
    /* used idx 1 -> 2 does not cross used_event 5: no interrupt */
    virtio_notify(vdev, vq);
    g_assert_cmpuint(notifies, ==, 1);
    /* the guest wants to hear when used idx passes 2 */
    set_used_event(2);
    for (int i = 0; i < 2; i++) {
        offer(0);
        elem = virtqueue_pop(vq, sizeof(*elem));
        virtqueue_push(vq, elem, 4);
        g_free(elem);
    }
    virtio_notify(vdev, vq);        /* 2 -> 4 crosses 2 */
    g_assert_cmpuint(notifies, ==, 2);

    /* notifications off: the device stops moving avail_event */
    virtio_queue_set_notification(vq, false);
    offer(0);
    elem = virtqueue_pop(vq, sizeof(*elem));
    g_assert_cmpuint(avail_event(), ==, 4);
    virtqueue_push(vq, elem, 4);
    g_free(elem);
    virtio_queue_set_notification(vq, true);
    g_assert_cmpuint(avail_event(), ==, 5);
    teardown();
}

/* Without EVENT_IDX, set_notification uses the used ring's flag. */
static void test_no_notify_flag(void)
{
    VirtIODevice *vdev = vdev_ready(0);

    virtio_queue_set_notification(&vdev->vq[0], false);
    g_assert_cmpuint(get16(USED), ==, VRING_USED_F_NO_NOTIFY);
    virtio_queue_set_notification(&vdev->vq[0], true);
    g_assert_cmpuint(get16(USED), ==, 0);
    teardown();
}

/* 16-bit avail and used indices wrap; event checks across the wrap. */
static void test_wrap_around(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1 | F_EVENT);
    VirtQueue *vq = &vdev->vq[0];
    unsigned signalled = 0;

    desc(2, BUF, 4, VRING_DESC_F_WRITE, 0);
    for (unsigned n = 0; n < 65536 + 10; n++) {
        VirtQueueElement *elem;

        /* the guest wants an interrupt for every used entry */
        set_used_event(get16(USED + 2));
        offer(2);
        elem = virtqueue_pop(vq, sizeof(*elem));
        g_assert_nonnull(elem);
        g_assert_cmpuint(elem->index, ==, 2);
        virtqueue_push(vq, elem, n & 0xff);
        g_free(elem);
        virtio_notify(vdev, vq);
        signalled++;
        g_assert_cmpuint(notifies, ==, signalled);
    }
    g_assert_cmpuint(get16(USED + 2), ==, 10);
    g_assert_cmpuint(get16(AVAIL + 2), ==, 10);
    g_assert_cmpuint(avail_event(), ==, 10);
    /* the last used entry landed in slot (65546 - 1) % QSIZE */
    g_assert_cmpuint(get32(USED + 4 + 8 * ((65536 + 9) % QSIZE) + 4), ==,
                     (65536 + 9) & 0xff);
    /* a used_event the new index does not pass: no interrupt */
    set_used_event(11);
    offer(2);
    {
        VirtQueueElement *elem = virtqueue_pop(vq, sizeof(*elem));

        virtqueue_push(vq, elem, 0);
        g_free(elem);
    }
    virtio_notify(vdev, vq);        /* used 10 -> 11 does not pass 11 */
    g_assert_cmpuint(notifies, ==, signalled);
    g_assert_false(vdev->broken);
    teardown();
}

/* ---- malformed rings ---- */

static void test_bad_loop(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc(0, BUF, 4, VRING_DESC_F_NEXT, 1);
    desc(1, BUF, 4, VRING_DESC_F_NEXT, 0);
    offer(0);
    assert_broken(vdev, "Looped descriptor");
}

static void test_bad_self_loop_indirect(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc_at(TABLE, 1, BUF, 4, VRING_DESC_F_NEXT, 1);
    desc_at(TABLE, 0, BUF, 4, VRING_DESC_F_NEXT, 1);
    desc(0, TABLE, 32, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken(vdev, "Looped descriptor");
}

static void test_bad_out_of_ram(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc(0, RAM_SIZE - 2, 4, 0, 0);       /* runs past the end of RAM */
    offer(0);
    assert_broken(vdev, "bogus descriptor");
}

static void test_bad_wrapping_addr(void)
{
    VirtIODevice *vdev = vdev_ready(0);

    desc(0, UINT64_MAX - 1, 0x10, VRING_DESC_F_WRITE, 0);
    offer(0);
    assert_broken(vdev, "bogus descriptor");
}

static void test_bad_zero_length(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc(0, BUF, 4, VRING_DESC_F_NEXT, 1);
    desc(1, BUF, 0, VRING_DESC_F_WRITE, 0);
    offer(0);
    assert_broken(vdev, "zero sized buffers are not allowed");
}

static void test_bad_next(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc(0, BUF, 4, VRING_DESC_F_NEXT, QSIZE);
    offer(0);
    assert_broken(vdev, "Desc next is 8");
}

static void test_bad_head(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    offer(QSIZE + 3);
    assert_broken(vdev, "Guest says index 11 is available");
}

static void test_bad_avail_idx(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    put16(AVAIL + 2, QSIZE + 1);
    assert_broken(vdev, "Guest moved used index from 0 to 9");
}

static void test_bad_inuse(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc(0, BUF, 4, 0, 0);
    for (int i = 0; i < QSIZE; i++) {
        offer(0);
        g_free(virtqueue_pop(&vdev->vq[0], sizeof(VirtQueueElement)));
    }
    offer(0);
    assert_broken(vdev, "Virtqueue size exceeded");
}

static void test_bad_order(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc(0, BUF, 4, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
    desc(1, BUF, 4, 0, 0);
    offer(0);
    assert_broken(vdev, "Incorrect order for descriptors");
}

static void test_bad_indirect_size(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc(0, TABLE, 24, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken(vdev, "Invalid size for indirect buffer table");
}

static void test_bad_indirect_out_of_ram(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc(0, RAM_SIZE - 16, 32, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken(vdev, "Cannot map indirect buffer");
}

static void test_bad_nested_indirect(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);

    desc_at(TABLE, 0, TABLE, 16, VRING_DESC_F_INDIRECT, 0);
    desc(0, TABLE, 16, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken(vdev, "Nested indirect descriptor");
}

/* An indirect table longer than a chain may be: 1025 writable buffers. */
static void test_bad_oversize_chain(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);
    unsigned n = VIRTQUEUE_MAX_SIZE + 1;

    for (unsigned i = 0; i < n; i++) {
        desc_at(0x20000, i, BUF, 4, VRING_DESC_F_WRITE |
                (i + 1 < n ? VRING_DESC_F_NEXT : 0), i + 1);
    }
    desc(0, 0x20000, n * 16, VRING_DESC_F_INDIRECT, 0);
    offer(0);
    assert_broken(vdev, "too many write descriptors in indirect table");
}

/* The longest legal chain: every descriptor of the queue. */
static void test_full_chain(void)
{
    VirtIODevice *vdev = vdev_ready(F_V1);
    VirtQueueElement *elem;

    for (unsigned i = 0; i < QSIZE; i++) {
        desc(i, BUF + i, 1, i + 1 < QSIZE ? VRING_DESC_F_NEXT : 0, i + 1);
    }
    offer(0);
    elem = virtqueue_pop(&vdev->vq[0], sizeof(*elem));
    g_assert_nonnull(elem);
    g_assert_cmpuint(elem->out_num, ==, QSIZE);
    g_free(elem);
    teardown();
}

/* Rings outside RAM are refused when set (QEMU's "Cannot map ..."). */
static void test_bad_rings(void)
{
    static const struct {
        uint64_t desc, avail, used;
        const char *msg;
    } cases[] = {
        { RAM_SIZE - 16, AVAIL, USED, "Cannot map desc" },
        { DESC, AVAIL, RAM_SIZE - 8, "Cannot map used" },
        { DESC, RAM_SIZE - 4, USED, "Cannot map avail" },
        { DESC, AVAIL + 1, USED, "Misaligned avail or used ring" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *log = NULL;
        VirtIODevice *vdev;

        setup();
        vdev = vdev_new();
        virtio_set_features(vdev, F_V1);
        virtio_queue_set_rings(vdev, 0, cases[i].desc, cases[i].avail,
                               cases[i].used);
        g_assert_false(virtio_queue_ready(&vdev->vq[0]));
        g_assert_true(vdev->broken);
        log = log_capture_take();
        g_assert_nonnull(strstr(log, cases[i].msg));
        teardown();
    }
}

/* The legacy layout: avail after desc, used aligned (2.7.2). */
static void test_legacy_layout(void)
{
    VirtIODevice *vdev;

    setup();
    vdev = vdev_new();
    virtio_queue_set_addr(vdev, 0, 0x4000);
    g_assert_cmphex(vdev->vq[0].avail, ==, 0x4000 + 16 * QSIZE);
    g_assert_cmphex(vdev->vq[0].used, ==, 0x5000);
    virtio_queue_set_align(vdev, 0, 64);
    g_assert_cmphex(vdev->vq[0].used, ==, 0x40c0);
    g_assert_true(virtio_queue_ready(&vdev->vq[0]));
    /* a size change moves the rings with it */
    virtio_queue_set_num(vdev, 0, 4);
    virtio_queue_update_rings(vdev, 0);
    g_assert_cmphex(vdev->vq[0].used, ==, 0x4040 + 64);
    /* existence cannot flip and the size is bounded */
    virtio_queue_set_num(vdev, 0, 0);
    virtio_queue_set_num(vdev, 0, VIRTQUEUE_MAX_SIZE + 1);
    virtio_queue_set_num(vdev, 1, 4);
    g_assert_cmpuint(virtio_queue_get_num(vdev, 0), ==, 4);
    g_assert_cmpuint(virtio_queue_get_num(vdev, 1), ==, 0);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 0), ==, QSIZE);
    /* reset: the device's size again, rings forgotten */
    virtio_reset(vdev);
    g_assert_cmpuint(virtio_queue_get_num(vdev, 0), ==, QSIZE);
    g_assert_cmphex(virtio_queue_get_addr(vdev, 0), ==, 0);
    g_assert_false(virtio_queue_ready(&vdev->vq[0]));
    teardown();
}

static void test_features(void)
{
    VirtIODevice *vdev;
    g_autofree char *log = NULL;

    setup();
    vdev = vdev_new();
    /* the common properties' defaults plus the transport's VERSION_1 */
    g_assert_cmphex(vdev->host_features, ==,
                    (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
                    (1ULL << VIRTIO_RING_F_EVENT_IDX) |
                    (1ULL << VIRTIO_F_NOTIFY_ON_EMPTY) |
                    (1ULL << VIRTIO_F_ANY_LAYOUT) |
                    (1ULL << VIRTIO_F_RING_RESET) | F_V1);
    /* what is not offered is dropped (and reported) */
    g_assert_cmpint(virtio_set_features(vdev, F_V1 | (1ULL << 50)), ==, -1);
    g_assert_cmphex(vdev->guest_features, ==, F_V1);
    g_assert_cmpint(virtio_set_features(vdev, 1ULL << VIRTIO_F_BAD_FEATURE),
                    ==, -1);
    log = log_capture_take();
    g_assert_nonnull(strstr(log, "UNUSED(30)"));
    g_assert_cmpint(virtio_set_features(vdev, F_V1 | F_EVENT), ==, 0);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
    /* frozen after FEATURES_OK */
    g_assert_cmpint(virtio_set_features(vdev, 0), ==, -EINVAL);
    g_assert_cmphex(vdev->guest_features, ==, F_V1 | F_EVENT);
    virtio_reset(vdev);
    g_assert_cmphex(vdev->guest_features, ==, 0);
    teardown();
}

static void test_properties(void)
{
    VirtIODevice *vdev;

    setup();
    vdev = VIRTIO_DEVICE(object_new(TYPE_VIRTIO_TEST));
    g_assert_true(object_property_parse(OBJECT(vdev), "event_idx", "off",
                                        &error_abort));
    g_assert_true(object_property_parse(OBJECT(vdev), "iommu_platform", "on",
                                        &error_abort));
    DEVICE(vdev)->parent_bus = &vbus.bus;
    g_assert_true(qdev_realize_and_unref(DEVICE(vdev), &error_abort));
    g_assert_false(virtio_has_feature(vdev->host_features,
                                      VIRTIO_RING_F_EVENT_IDX));
    g_assert_true(virtio_has_feature(vdev->host_features,
                                     VIRTIO_F_IOMMU_PLATFORM));
    /* a virtio 1 driver must accept IOMMU_PLATFORM (validate_features) */
    virtio_set_features(vdev, F_V1);
    g_assert_cmpint(virtio_set_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK), ==,
                    -EFAULT);
    g_assert_cmpuint(vdev->status, ==, 0);
    teardown();

    /* packed rings are refused by name */
    setup();
    vdev = VIRTIO_DEVICE(object_new(TYPE_VIRTIO_TEST));
    g_assert_true(object_property_parse(OBJECT(vdev), "packed", "on",
                                        &error_abort));
    DEVICE(vdev)->parent_bus = &vbus.bus;
    {
        Error *err = NULL;

        g_assert_false(qdev_realize_and_unref(DEVICE(vdev), &err));
        g_assert_nonnull(strstr(error_get_pretty(err), "packed"));
        error_free(err);
    }
    teardown();
}

static void test_config(void)
{
    VirtIODevice *vdev;

    setup();
    vdev = vdev_new();
    virtio_config_write(vdev, 2, 4, 0x11223344);
    g_assert_cmphex(virtio_config_read(vdev, 0, 4), ==, 0x334400ab);
    g_assert_cmphex(virtio_config_read(vdev, 4, 2), ==, 0x1122);
    g_assert_cmphex(virtio_config_read(vdev, 5, 1), ==, 0x11);
    /* past the end: all-ones, writes dropped */
    g_assert_cmphex(virtio_config_read(vdev, 4, 4), ==, 0xffffffff);
    g_assert_cmphex(virtio_config_read(vdev, 0xfffffffe, 4), ==, 0xffffffff);
    virtio_config_write(vdev, 5, 2, 0);
    g_assert_cmphex(virtio_config_read(vdev, 4, 2), ==, 0x1122);

    /* a config change counts only once the driver is up */
    virtio_notify_config(vdev);
    g_assert_cmpuint(vdev->generation, ==, 0);
    g_assert_cmpuint(notifies, ==, 0);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_DRIVER_OK);
    virtio_notify_config(vdev);
    g_assert_cmpuint(vdev->generation, ==, 1);
    g_assert_cmpuint(vdev->isr, ==, VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG);
    g_assert_cmpuint(notifies, ==, 1);
    /* reset clears the ISR and tells the transport */
    virtio_reset(vdev);
    g_assert_cmpuint(vdev->isr, ==, 0);
    g_assert_cmpuint(notifies, ==, 2);
    teardown();
}

/* A legacy driver (no VERSION_1) gets no NEEDS_RESET, only a dead device. */
static void test_bad_legacy_no_needs_reset(void)
{
    VirtIODevice *vdev = vdev_ready(0);

    desc(0, BUF, 0, 0, 0);
    offer(0);
    assert_broken(vdev, "zero sized buffers");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    virtio_register_types();
    type_register_static(&test_info);
    g_test_add_func("/virtio/direct", test_direct);
    g_test_add_func("/virtio/fill-flush", test_fill_flush);
    g_test_add_func("/virtio/iov-helpers", test_iov_helpers);
    g_test_add_func("/virtio/notify-on-empty", test_notify_on_empty);
    g_test_add_func("/virtio/indirect", test_indirect);
    g_test_add_func("/virtio/element-embedding", test_element_embedding);
    g_test_add_func("/virtio/avail-bytes", test_avail_bytes);
    g_test_add_func("/virtio/event-idx", test_event_idx);
    g_test_add_func("/virtio/no-notify-flag", test_no_notify_flag);
    g_test_add_func("/virtio/wrap-around", test_wrap_around);
    g_test_add_func("/virtio/full-chain", test_full_chain);
    g_test_add_func("/virtio/legacy-layout", test_legacy_layout);
    g_test_add_func("/virtio/features", test_features);
    g_test_add_func("/virtio/properties", test_properties);
    g_test_add_func("/virtio/config", test_config);
    g_test_add_func("/virtio/bad/loop", test_bad_loop);
    g_test_add_func("/virtio/bad/indirect-loop", test_bad_self_loop_indirect);
    g_test_add_func("/virtio/bad/out-of-ram", test_bad_out_of_ram);
    g_test_add_func("/virtio/bad/wrapping-addr", test_bad_wrapping_addr);
    g_test_add_func("/virtio/bad/zero-length", test_bad_zero_length);
    g_test_add_func("/virtio/bad/next", test_bad_next);
    g_test_add_func("/virtio/bad/head", test_bad_head);
    g_test_add_func("/virtio/bad/avail-idx", test_bad_avail_idx);
    g_test_add_func("/virtio/bad/inuse", test_bad_inuse);
    g_test_add_func("/virtio/bad/order", test_bad_order);
    g_test_add_func("/virtio/bad/indirect-size", test_bad_indirect_size);
    g_test_add_func("/virtio/bad/indirect-out-of-ram",
                    test_bad_indirect_out_of_ram);
    g_test_add_func("/virtio/bad/nested-indirect", test_bad_nested_indirect);
    g_test_add_func("/virtio/bad/oversize-chain", test_bad_oversize_chain);
    g_test_add_func("/virtio/bad/rings", test_bad_rings);
    g_test_add_func("/virtio/bad/legacy-driver",
                    test_bad_legacy_no_needs_reset);
    return g_test_run();
}
