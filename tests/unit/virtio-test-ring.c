/*
 * Fake guest RAM and driver-side split rings for the virtio unit tests
 * (virtio-test-ring.h).
 */
#include "virtio-test-ring.h"

uint8_t *test_ram;
GuestMemory *test_mem;
VirtioBus test_vbus;

static void test_vbus_notify(DeviceState *transport)
{
}

static uint64_t test_vbus_modern_features(DeviceState *transport)
{
    return 1ULL << VIRTIO_F_VERSION_1;
}

const VirtioBusOps test_vbus_legacy_ops = { .notify = test_vbus_notify };
const VirtioBusOps test_vbus_modern_ops = {
    .notify = test_vbus_notify,
    .features = test_vbus_modern_features,
};

void test_ram_init(size_t size, const VirtioBusOps *ops)
{
    test_ram = g_malloc0(size);
    test_mem = guest_memory_new();
    guest_memory_add(test_mem, 0, size, test_ram, false, "ram");
    virtio_bus_init(&test_vbus, "test-bus", "test-bus.0", NULL, ops,
                    test_mem);
}

void test_ram_cleanup(void)
{
    virtio_bus_cleanup(&test_vbus);
    guest_memory_free(test_mem);
    g_clear_pointer(&test_ram, g_free);
    test_mem = NULL;
}

void test_put16(uint64_t gpa, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(test_ram + gpa, &v, 2);
}

uint16_t test_get16(uint64_t gpa)
{
    uint16_t v;

    memcpy(&v, test_ram + gpa, 2);
    return GUINT16_FROM_LE(v);
}

uint32_t test_get32(uint64_t gpa)
{
    uint32_t v;

    memcpy(&v, test_ram + gpa, 4);
    return GUINT32_FROM_LE(v);
}

static void test_put_desc(TestRing *q, unsigned i, uint64_t addr,
                          uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *p = test_ram + q->desc + 16 * i;

    addr = GUINT64_TO_LE(addr);
    len = GUINT32_TO_LE(len);
    flags = GUINT16_TO_LE(flags);
    next = GUINT16_TO_LE(next);
    memcpy(p, &addr, 8);
    memcpy(p + 8, &len, 4);
    memcpy(p + 12, &flags, 2);
    memcpy(p + 14, &next, 2);
}

void test_ring_init(TestRing *q, VirtIODevice *vdev, unsigned n,
                    uint64_t base, uint32_t size, uint32_t slot)
{
    *q = (TestRing) {
        .n = n, .num = virtio_queue_get_num(vdev, n),
        .desc = base, .avail = base + 0x1000, .used = base + 0x2000,
        .bufs = base + 0x3000, .slot = slot,
        .nslots = (size - 0x3000) / slot,
    };
    g_assert_cmpuint(q->nslots, >, 0);
    memset(test_ram + base, 0, size);
    virtio_queue_set_rings(vdev, n, q->desc, q->avail, q->used);
}

uint64_t test_ring_buf(TestRing *q, const void *data, uint32_t len)
{
    uint64_t gpa = q->bufs + (uint64_t)q->slot * (q->buf_next++ % q->nslots);

    g_assert_cmpuint(len, <=, q->slot);
    memset(test_ram + gpa, 0, q->slot);
    if (data) {
        memcpy(test_ram + gpa, data, len);
    }
    return gpa;
}

unsigned test_ring_offer_at(TestRing *q, const TestSeg *segs,
                            unsigned count)
{
    unsigned head = q->next_desc;

    for (unsigned i = 0; i < count; i++) {
        unsigned d = (head + i) % q->num;
        uint16_t flags = (segs[i].writable ? VRING_DESC_F_WRITE : 0) |
                         (i + 1 < count ? VRING_DESC_F_NEXT : 0);

        test_put_desc(q, d, segs[i].gpa, segs[i].len, flags,
                      (d + 1) % q->num);
    }
    q->next_desc = (head + count) % q->num;
    test_put16(q->avail + 4 + 2 * (q->avail_idx % q->num), head);
    q->avail_idx++;
    test_put16(q->avail + 2, q->avail_idx);
    return head;
}

unsigned test_ring_offer(TestRing *q, TestSeg *segs, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        segs[i].gpa = test_ring_buf(q, segs[i].data, segs[i].len);
    }
    return test_ring_offer_at(q, segs, count);
}

unsigned test_ring_offer_chain(TestRing *q, bool writable,
                               const void *const *data, const uint32_t *lens,
                               unsigned count, uint64_t *gpas)
{
    TestSeg segs[16];
    unsigned head;

    g_assert_cmpuint(count, <=, G_N_ELEMENTS(segs));
    for (unsigned i = 0; i < count; i++) {
        segs[i] = (TestSeg) { data ? data[i] : NULL, lens[i], writable };
    }
    head = test_ring_offer(q, segs, count);
    for (unsigned i = 0; gpas && i < count; i++) {
        gpas[i] = segs[i].gpa;
    }
    return head;
}

uint64_t test_ring_offer_in(TestRing *q, uint32_t len)
{
    uint64_t gpa;

    test_ring_offer_chain(q, true, NULL, &len, 1, &gpa);
    return gpa;
}

void test_ring_offer_out(TestRing *q, const void *data, uint32_t len)
{
    const void *d[1] = { data };

    test_ring_offer_chain(q, false, d, &len, 1, NULL);
}

uint16_t test_ring_used_idx(TestRing *q)
{
    return test_get16(q->used + 2);
}

bool test_ring_take_used(TestRing *q, uint32_t *id, uint32_t *len)
{
    unsigned slot;

    if (q->used_seen == test_ring_used_idx(q)) {
        return false;
    }
    slot = q->used_seen++ % q->num;
    *id = test_get32(q->used + 4 + 8 * slot);
    *len = test_get32(q->used + 4 + 8 * slot + 4);
    return true;
}
