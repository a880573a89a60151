/*
 * The driver side of virtio for unit tests: fake guest RAM on a test
 * virtio bus, and split rings a test fills as a guest driver would
 * (descriptors, available ring) and reads back (used ring). One fake for
 * every virtio device test.
 */
#ifndef TESTS_UNIT_VIRTIO_TEST_RING_H
#define TESTS_UNIT_VIRTIO_TEST_RING_H

#include "qemu/osdep.h"
#include "hw/virtio/virtio.h"

extern uint8_t *test_ram;
extern GuestMemory *test_mem;
extern VirtioBus test_vbus;

/* A transport that sets no line: legacy, or modern (offers VERSION_1) */
extern const VirtioBusOps test_vbus_legacy_ops, test_vbus_modern_ops;

/* size bytes of RAM at guest address 0, and the bus on it */
void test_ram_init(size_t size, const VirtioBusOps *ops);
void test_ram_cleanup(void);

void test_put16(uint64_t gpa, uint16_t v);
uint16_t test_get16(uint64_t gpa);
uint32_t test_get32(uint64_t gpa);

/*
 * One queue of the device: its rings at base (descriptors, then the
 * available ring at +0x1000, the used ring at +0x2000) and buffers of
 * slot bytes each from base + 0x3000 to base + size, reused round-robin.
 */
typedef struct TestRing {
    unsigned n, num;
    uint64_t desc, avail, used, bufs;
    uint32_t slot, nslots;
    uint16_t next_desc;     /* descriptors are used round-robin */
    uint16_t avail_idx;
    uint16_t used_seen;
    unsigned buf_next;
} TestRing;

/* Sets queue n's rings (the modern layout) as a driver does. */
void test_ring_init(TestRing *q, VirtIODevice *vdev, unsigned n,
                    uint64_t base, uint32_t size, uint32_t slot);

/* A buffer of len bytes (<= slot) in this queue's area, data copied in */
uint64_t test_ring_buf(TestRing *q, const void *data, uint32_t len);

/* One buffer of a chain; gpa is where it was put */
typedef struct TestSeg {
    const void *data;       /* copied in; NULL: zeroes */
    uint32_t len;
    bool writable;
    uint64_t gpa;
} TestSeg;

/* Offers a chain (readable buffers first) and returns its head. */
unsigned test_ring_offer(TestRing *q, TestSeg *segs, unsigned count);
/* The same for buffers the test placed itself (segs[i].gpa; no data) */
unsigned test_ring_offer_at(TestRing *q, const TestSeg *segs,
                            unsigned count);
/* A chain of count buffers, all device-writable or all readable */
unsigned test_ring_offer_chain(TestRing *q, bool writable,
                               const void *const *data, const uint32_t *lens,
                               unsigned count, uint64_t *gpas);
uint64_t test_ring_offer_in(TestRing *q, uint32_t len);
void test_ring_offer_out(TestRing *q, const void *data, uint32_t len);

uint16_t test_ring_used_idx(TestRing *q);
/* The next used entry not seen yet: its id and length. */
bool test_ring_take_used(TestRing *q, uint32_t *id, uint32_t *len);

#endif
