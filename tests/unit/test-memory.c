/*
 * Unit tests for system/memory.c: range dispatch, access-size rules,
 * unassigned values (QEMU 7.2 unassigned_io_ops / unassigned_mem_ops),
 * and guest memory: the translator's edge cases, the copy helpers'
 * partial transfers (QEMU's dma_memory_rw), the block iterator.
 */
#include "qemu/osdep.h"
#include "system/memory.h"
#include "log-capture.h"

typedef struct Access {
    uint64_t addr;
    uint64_t data;
    unsigned size;
    bool write;
} Access;

typedef struct FakeDev {
    GArray *log;            /* of Access */
    uint64_t read_value;
} FakeDev;

static uint64_t fake_read(void *opaque, uint64_t addr, unsigned size)
{
    FakeDev *d = opaque;
    Access a = { .addr = addr, .size = size, .write = false };

    g_array_append_val(d->log, a);
    /* Byte i of the register file reads as read_value's byte (addr + i). */
    return d->read_value >> (addr * 8 % 64);
}

static void fake_write(void *opaque, uint64_t addr, uint64_t data,
                       unsigned size)
{
    FakeDev *d = opaque;
    Access a = { .addr = addr, .data = data, .size = size, .write = true };

    g_array_append_val(d->log, a);
}

static const MemoryRegionOps ops_any = {
    .read = fake_read, .write = fake_write,
};
/* Callbacks of byte width (QEMU's 8259, 16550A, RTC, PIT). */
static const MemoryRegionOps ops_bytes = {
    .read = fake_read, .write = fake_write,
    .impl.min_access_size = 1, .impl.max_access_size = 1,
};
/* Only 32-bit accesses accepted (QEMU's GED event selector). */
static const MemoryRegionOps ops_dword = {
    .read = fake_read, .write = fake_write,
    .valid.min_access_size = 4, .valid.max_access_size = 4,
};
/* Up to 64-bit accesses, in one call (QEMU's fw_cfg DMA register). */
static const MemoryRegionOps ops_qword = {
    .read = fake_read, .write = fake_write,
    .valid.max_access_size = 8, .impl.max_access_size = 8,
};

static void fake_init(FakeDev *d, uint64_t v)
{
    d->log = g_array_new(false, false, sizeof(Access));
    d->read_value = v;
}

static void fake_fini(FakeDev *d)
{
    g_array_free(d->log, true);
}

static Access *fake_access(FakeDev *d, guint i)
{
    g_assert_cmpuint(i, <, d->log->len);
    return &g_array_index(d->log, Access, i);
}

static void test_unassigned(void)
{
    uint64_t v = 0;

    address_space_clear(&address_space_io);
    address_space_clear(&address_space_memory);
    g_assert_false(address_space_read(&address_space_io, 0x80, &v, 1));
    g_assert_cmphex(v, ==, 0xff);
    g_assert_false(address_space_read(&address_space_io, 0x80, &v, 2));
    g_assert_cmphex(v, ==, 0xffff);
    g_assert_false(address_space_read(&address_space_io, 0x80, &v, 4));
    g_assert_cmphex(v, ==, 0xffffffff);
    v = 1234;
    g_assert_false(address_space_read(&address_space_memory, 0xd0000000,
                                      &v, 4));
    g_assert_cmphex(v, ==, 0);
    g_assert_false(address_space_read(&address_space_memory, 0xd0000000,
                                      &v, 8));
    g_assert_cmphex(v, ==, 0);
    g_assert_false(address_space_write(&address_space_io, 0x80, 1, 1));
    g_assert_false(address_space_write(&address_space_memory, 0, 1, 8));
}

/* Which device a one-byte write to port addr reaches, and at what offset */
static int overlap_target(FakeDev *devs, unsigned n, uint64_t addr,
                          uint64_t *offset)
{
    guint before[4];

    g_assert_cmpuint(n, <=, 4);
    for (unsigned i = 0; i < n; i++) {
        before[i] = devs[i].log->len;
    }
    address_space_write(&address_space_io, addr, 0, 1);
    for (unsigned i = 0; i < n; i++) {
        if (devs[i].log->len != before[i]) {
            *offset = fake_access(&devs[i], before[i])->addr;
            return i;
        }
    }
    return -1;
}

/*
 * Overlapping ranges (-device isa-debug-exit over COM1, twice at 0x501,
 * over all 64 KiB): the one mapped later is in front, as QEMU's equal
 * priority subregions; the earlier one keeps its own offsets where it
 * shows, and shows again where a range that hid it is unmapped.
 */
static void test_overlap(void)
{
    static const struct {
        uint64_t addr;
        int dev;                /* -1: unassigned */
        uint64_t offset;
    } before_unmap[] = {
        { 0x3f7, -1, 0 },
        { 0x3f8, 0, 0 }, { 0x3f9, 1, 0 }, { 0x3fa, 1, 1 },
        { 0x3fb, 0, 3 }, { 0x3fc, 2, 0 }, { 0x3fd, 2, 1 },
        { 0x3fe, 0, 6 }, { 0x3ff, 0, 7 }, { 0x400, -1, 0 },
    }, after_unmap[] = {
        { 0x3f8, 0, 0 }, { 0x3f9, 0, 1 }, { 0x3fa, 0, 2 },
        { 0x3fb, 0, 3 }, { 0x3fc, 2, 0 }, { 0x3fe, 0, 6 },
    };
    FakeDev d[3];
    uint64_t off;

    for (unsigned i = 0; i < 3; i++) {
        fake_init(&d[i], 0);
    }
    address_space_clear(&address_space_io);
    /* COM1, then two ranges inside it (the second splits what is left) */
    address_space_map(&address_space_io, 0x3f8, 8, &ops_any, &d[0], "com1",
                      &d[0]);
    address_space_map(&address_space_io, 0x3f9, 2, &ops_any, &d[1], "a",
                      &d[1]);
    address_space_map(&address_space_io, 0x3fc, 2, &ops_any, &d[2], "b",
                      &d[2]);
    for (unsigned i = 0; i < G_N_ELEMENTS(before_unmap); i++) {
        g_test_message("port 0x%" PRIx64, before_unmap[i].addr);
        g_assert_cmpint(overlap_target(d, 3, before_unmap[i].addr, &off), ==,
                        before_unmap[i].dev);
        if (before_unmap[i].dev >= 0) {
            g_assert_cmphex(off, ==, before_unmap[i].offset);
        }
    }
    address_space_unmap_owner(&address_space_io, &d[1]);
    g_assert_false(address_space_owner_mapped(&address_space_io, &d[1]));
    g_assert_true(address_space_owner_mapped(&address_space_io, &d[2]));
    for (unsigned i = 0; i < G_N_ELEMENTS(after_unmap); i++) {
        g_test_message("after unmap: port 0x%" PRIx64, after_unmap[i].addr);
        g_assert_cmpint(overlap_target(d, 3, after_unmap[i].addr, &off), ==,
                        after_unmap[i].dev);
        g_assert_cmphex(off, ==, after_unmap[i].offset);
    }

    /* the same range twice: the later one answers */
    address_space_map(&address_space_io, 0x3fc, 2, &ops_any, &d[1], "b2",
                      &d[1]);
    g_assert_cmpint(overlap_target(d, 3, 0x3fd, &off), ==, 1);
    /* a range over the whole port space hides everything */
    address_space_map(&address_space_io, 0, 0x10000, &ops_any, &d[1], "all",
                      &d[1]);
    g_assert_cmpint(overlap_target(d, 3, 0x3f8, &off), ==, 1);
    g_assert_cmphex(off, ==, 0x3f8);
    g_assert_cmpint(overlap_target(d, 3, 0xffff, &off), ==, 1);
    g_assert_cmphex(off, ==, 0xffff);
    g_assert_true(address_space_owner_mapped(&address_space_io, &d[0]));
    address_space_unmap_owner(&address_space_io, &d[1]);
    g_assert_cmpint(overlap_target(d, 3, 0x3fa, &off), ==, 0);
    g_assert_cmphex(off, ==, 2);
    g_assert_cmpint(overlap_target(d, 3, 0x3fd, &off), ==, 2);
    g_assert_cmphex(off, ==, 1);

    address_space_clear(&address_space_io);
    for (unsigned i = 0; i < 3; i++) {
        fake_fini(&d[i]);
    }
}

static void test_dispatch(void)
{
    FakeDev a, b, c;
    uint64_t v;

    fake_init(&a, 0x11);
    fake_init(&b, 0x22);
    fake_init(&c, 0x33);
    address_space_clear(&address_space_io);
    /* Mapped out of order: the map must keep them sorted. */
    address_space_map(&address_space_io, 0x3f8, 8, &ops_any, &b, "b", &b);
    address_space_map(&address_space_io, 0x70, 2, &ops_any, &a, "a", &a);
    address_space_map(&address_space_io, 0x400, 0x100, &ops_any, &c, "c",
                      &c);

    g_assert_true(address_space_read(&address_space_io, 0x71, &v, 1));
    g_assert_cmphex(v, ==, 0x11 >> 8);
    g_assert_cmpuint(a.log->len, ==, 1);
    g_assert_cmphex(fake_access(&a, 0)->addr, ==, 1);

    g_assert_true(address_space_write(&address_space_io, 0x3fd, 0x5a, 1));
    g_assert_cmpuint(b.log->len, ==, 1);
    g_assert_cmphex(fake_access(&b, 0)->addr, ==, 5);
    g_assert_cmphex(fake_access(&b, 0)->data, ==, 0x5a);
    g_assert_true(fake_access(&b, 0)->write);

    /* Just past each end: unassigned. */
    g_assert_false(address_space_read(&address_space_io, 0x72, &v, 1));
    g_assert_false(address_space_read(&address_space_io, 0x3f7, &v, 1));
    g_assert_false(address_space_read(&address_space_io, 0x500, &v, 1));
    g_assert_true(address_space_read(&address_space_io, 0x4ff, &v, 1));
    g_assert_cmpuint(c.log->len, ==, 1);
    g_assert_cmphex(fake_access(&c, 0)->addr, ==, 0xff);

    address_space_unmap_owner(&address_space_io, &b);
    g_assert_false(address_space_owner_mapped(&address_space_io, &b));
    g_assert_true(address_space_owner_mapped(&address_space_io, &a));
    g_assert_false(address_space_write(&address_space_io, 0x3f8, 0, 1));
    g_assert_cmpuint(b.log->len, ==, 1);
    g_assert_true(address_space_write(&address_space_io, 0x70, 0, 1));

    address_space_clear(&address_space_io);
    g_assert_false(address_space_read(&address_space_io, 0x70, &v, 1));
    fake_fini(&a);
    fake_fini(&b);
    fake_fini(&c);
}

static void test_many_ranges(void)
{
    FakeDev d;
    unsigned i;
    uint64_t v;

    fake_init(&d, 0);
    address_space_clear(&address_space_memory);
    for (i = 0; i < 64; i++) {
        /* Every other 512-byte slot, reverse order. */
        address_space_map(&address_space_memory,
                          0xfeb00000 + (63 - i) * 1024, 512, &ops_any, &d,
                          "slot", NULL);
    }
    for (i = 0; i < 64; i++) {
        uint64_t base = 0xfeb00000 + i * 1024;

        g_assert_true(address_space_read(&address_space_memory, base + 511,
                                         &v, 1));
        g_assert_false(address_space_read(&address_space_memory, base + 512,
                                          &v, 1));
    }
    address_space_clear(&address_space_memory);
    fake_fini(&d);
}

static void test_wide_split(void)
{
    FakeDev d;
    uint64_t v;
    guint i;

    fake_init(&d, 0x8877665544332211ULL);
    address_space_clear(&address_space_io);
    address_space_map(&address_space_io, 0x3f8, 8, &ops_bytes, &d, "uart",
                      NULL);

    /* A 4-byte read of a byte-only device becomes 4 byte reads. */
    g_assert_true(address_space_read(&address_space_io, 0x3f8, &v, 4));
    g_assert_cmpuint(d.log->len, ==, 4);
    for (i = 0; i < 4; i++) {
        g_assert_cmpuint(fake_access(&d, i)->size, ==, 1);
        g_assert_cmphex(fake_access(&d, i)->addr, ==, i);
    }
    g_assert_cmphex(v, ==, 0x44332211);

    g_array_set_size(d.log, 0);
    g_assert_true(address_space_write(&address_space_io, 0x3f8, 0xa1b2, 2));
    g_assert_cmpuint(d.log->len, ==, 2);
    g_assert_cmphex(fake_access(&d, 0)->data, ==, 0xb2);
    g_assert_cmphex(fake_access(&d, 1)->data, ==, 0xa1);
    g_assert_cmphex(fake_access(&d, 1)->addr, ==, 1);

    /* Straddling the end: in-range bytes reach the device, the rest is
     * unassigned (all-ones in the port space). */
    g_array_set_size(d.log, 0);
    g_assert_true(address_space_read(&address_space_io, 0x3fe, &v, 4));
    g_assert_cmpuint(d.log->len, ==, 2);
    g_assert_cmphex(v, ==, 0xffff8877);

    address_space_clear(&address_space_io);
    fake_fini(&d);
}

static void test_narrow_invalid(void)
{
    g_autofree char *log = NULL;
    FakeDev d;
    uint64_t v;

    fake_init(&d, 0xdeadbeef);
    address_space_clear(&address_space_memory);
    address_space_map(&address_space_memory, 0xfec00000, 0x20, &ops_dword,
                      &d, "ioapic", NULL);
    g_assert_true(address_space_read(&address_space_memory, 0xfec00000,
                                     &v, 4));
    g_assert_cmphex(v, ==, 0xdeadbeef);
    g_assert_cmpuint(d.log->len, ==, 1);

    /* Refused (memory_region_access_valid): not passed on, reads 0 as
     * unassigned_mem_read(), writes dropped, both logged. */
    log_capture_start(LOG_GUEST_ERROR);
    g_assert_true(address_space_read(&address_space_memory, 0xfec00000,
                                     &v, 1));
    g_assert_cmphex(v, ==, 0);
    g_assert_true(address_space_write(&address_space_memory, 0xfec00010,
                                      1, 2));
    g_assert_cmpuint(d.log->len, ==, 1);
    log = log_capture_take();
    g_assert_cmpstr(log, ==, "Invalid read at addr 0x0, size 1, region "
                    "'ioapic', reason: invalid size (min:4 max:4)\n"
                    "Invalid write at addr 0x10, size 2, region 'ioapic', "
                    "reason: invalid size (min:4 max:4)\n");
    log_capture_stop();

    /* Wider than max: chunks of the widest access the device takes,
     * little endian (QEMU's access_with_adjusted_size). */
    g_assert_true(address_space_read(&address_space_memory, 0xfec00000,
                                     &v, 8));
    g_assert_cmphex(v, ==, 0xdeadbeef);     /* bytes 4-7 of the fake read 0 */
    g_assert_cmpuint(d.log->len, ==, 3);
    g_assert_cmphex(fake_access(&d, 1)->addr, ==, 0);
    g_assert_cmphex(fake_access(&d, 2)->addr, ==, 4);
    g_assert_cmpuint(fake_access(&d, 2)->size, ==, 4);
    g_assert_true(address_space_write(&address_space_memory, 0xfec00010,
                                      0x1111111122222222ULL, 8));
    g_assert_cmpuint(d.log->len, ==, 5);
    g_assert_cmphex(fake_access(&d, 3)->data, ==, 0x22222222);
    g_assert_cmphex(fake_access(&d, 4)->addr, ==, 0x14);
    g_assert_cmphex(fake_access(&d, 4)->data, ==, 0x11111111);

    /* No size rules: pieces of at most 4 bytes (memory_access_size()) */
    address_space_clear(&address_space_memory);
    address_space_map(&address_space_memory, 0x1000, 0x10, &ops_any, &d,
                      "any", NULL);
    g_assert_true(address_space_write(&address_space_memory, 0x1008,
                                      0x0102030405060708ULL, 8));
    g_assert_cmpuint(d.log->len, ==, 7);
    g_assert_cmpuint(fake_access(&d, 5)->size, ==, 4);
    g_assert_cmphex(fake_access(&d, 5)->data, ==, 0x05060708);
    g_assert_cmphex(fake_access(&d, 6)->addr, ==, 0xc);
    g_assert_cmphex(fake_access(&d, 6)->data, ==, 0x01020304);

    /* valid and impl up to 8: one call */
    address_space_clear(&address_space_memory);
    address_space_map(&address_space_memory, 0x1000, 0x10, &ops_qword, &d,
                      "qword", NULL);
    g_assert_true(address_space_write(&address_space_memory, 0x1008,
                                      0x0102030405060708ULL, 8));
    g_assert_cmpuint(d.log->len, ==, 8);
    g_assert_cmpuint(fake_access(&d, 7)->size, ==, 8);
    g_assert_cmphex(fake_access(&d, 7)->data, ==, 0x0102030405060708ULL);
    address_space_clear(&address_space_memory);
    fake_fini(&d);
}

/*
 * QEMU 7.2 on a wide port read across ranges (flatview_read_continue):
 * a piece goes to the range under its first byte, which takes the whole
 * rest of the access even past its end, cut only by alignment and the
 * region's valid size. Measured with the probe (tests/guest, case
 * default): inl 0x1f = 0xff, IRR, IMR, 0xff; inl 0x20 = IRR, IMR, IMR,
 * IMR (the 8259 decodes one address bit).
 */
static void test_straddle_ports(void)
{
    FakeDev d;
    uint64_t v;

    fake_init(&d, 0x8877665544332211ULL);
    address_space_clear(&address_space_io);
    address_space_map(&address_space_io, 0x20, 2, &ops_bytes, &d, "pic",
                      NULL);

    /* 0x1f: unassigned byte, then 2 bytes of the device, then 0x22 */
    g_assert_true(address_space_read(&address_space_io, 0x1f, &v, 4));
    g_assert_cmphex(v, ==, 0xff2211ff);
    g_assert_cmpuint(d.log->len, ==, 2);

    /* 0x20: the device takes all four bytes, offsets 0-3 */
    g_array_set_size(d.log, 0);
    g_assert_true(address_space_read(&address_space_io, 0x20, &v, 4));
    g_assert_cmphex(v, ==, 0x44332211);
    g_assert_cmpuint(d.log->len, ==, 4);
    g_assert_cmphex(fake_access(&d, 3)->addr, ==, 3);

    /* 0x21: alignment cuts it: 1 byte, then 0x22 unassigned (2 bytes),
     * then 0x24 */
    g_array_set_size(d.log, 0);
    g_assert_true(address_space_read(&address_space_io, 0x21, &v, 4));
    g_assert_cmphex(v, ==, 0xffffff22);
    g_assert_cmpuint(d.log->len, ==, 1);

    /* Writes are cut the same way */
    g_array_set_size(d.log, 0);
    g_assert_true(address_space_write(&address_space_io, 0x1f, 0xa4a3a2a1,
                                      4));
    g_assert_cmpuint(d.log->len, ==, 2);
    g_assert_cmphex(fake_access(&d, 0)->addr, ==, 0);
    g_assert_cmphex(fake_access(&d, 0)->data, ==, 0xa2);
    g_assert_cmphex(fake_access(&d, 1)->data, ==, 0xa3);
    g_array_set_size(d.log, 0);
    g_assert_true(address_space_write(&address_space_io, 0x20, 0xa4a3a2a1,
                                      4));
    g_assert_cmpuint(d.log->len, ==, 4);
    g_assert_cmphex(fake_access(&d, 3)->addr, ==, 3);
    g_assert_cmphex(fake_access(&d, 3)->data, ==, 0xa4);

    address_space_clear(&address_space_io);
    fake_fini(&d);
}

/*
 * Port 0xffff: what lies past the 64 KiB port space is QEMU's
 * io_mem_unassigned, refused and logged, read as 0: inl 0xffff gives
 * 0x000000ff, inl 0xfffd 0x00ffffff (probe, case default). Nothing
 * wraps to port 0.
 */
static void test_port_space_end(void)
{
    g_autofree char *log = NULL;
    FakeDev d;
    uint64_t v;

    fake_init(&d, 0x11);
    address_space_clear(&address_space_io);
    address_space_map(&address_space_io, 0, 4, &ops_bytes, &d, "low", NULL);
    log_capture_start(LOG_GUEST_ERROR);
    g_assert_false(address_space_read(&address_space_io, 0xffff, &v, 4));
    g_assert_cmphex(v, ==, 0xff);
    g_assert_false(address_space_read(&address_space_io, 0xfffd, &v, 4));
    g_assert_cmphex(v, ==, 0xffffff);
    g_assert_false(address_space_write(&address_space_io, 0xffff, 0, 2));
    g_assert_cmpuint(d.log->len, ==, 0);
    log = log_capture_take();
    g_assert_cmpstr(log, ==,
                    "Invalid read at addr 0x10000, size 2, region '(null)', "
                    "reason: rejected\n"
                    "Invalid read at addr 0x10002, size 1, region '(null)', "
                    "reason: rejected\n"
                    "Invalid read at addr 0x10000, size 1, region '(null)', "
                    "reason: rejected\n"
                    "Invalid write at addr 0x10000, size 1, region '(null)', "
                    "reason: rejected\n");
    log_capture_stop();
    address_space_clear(&address_space_io);
    fake_fini(&d);
}

/*
 * A misaligned MMIO read is cut into aligned pieces, each offered to
 * the region under it: 1 + 2 + 1 bytes at offset 1, 2 + 2 at offset 2
 * (QEMU's virtio-mmio reads at +1/+2/+3, probe case default).
 */
static void test_misaligned_mmio(void)
{
    g_autofree char *log = NULL;
    FakeDev a, b;
    uint64_t v;

    fake_init(&a, 0x8877665544332211ULL);
    fake_init(&b, 0xccbbaa99);
    address_space_clear(&address_space_memory);
    address_space_map(&address_space_memory, 0x1000, 0x200, &ops_any, &a,
                      "a", NULL);
    address_space_map(&address_space_memory, 0x1200, 0x200, &ops_any, &b,
                      "b", NULL);
    g_assert_true(address_space_read(&address_space_memory, 0x1001, &v, 4));
    g_assert_cmpuint(a.log->len, ==, 3);
    g_assert_cmpuint(fake_access(&a, 0)->size, ==, 1);
    g_assert_cmphex(fake_access(&a, 1)->addr, ==, 2);
    g_assert_cmpuint(fake_access(&a, 1)->size, ==, 2);
    g_assert_cmphex(fake_access(&a, 2)->addr, ==, 4);
    g_assert_cmpuint(fake_access(&a, 2)->size, ==, 1);
    g_assert_cmphex(v, ==, 0x55443322);

    /* across two regions: 2 bytes of each */
    g_assert_true(address_space_read(&address_space_memory, 0x11fe, &v, 4));
    g_assert_cmphex(fake_access(&a, 3)->addr, ==, 0x1fe);
    g_assert_cmpuint(b.log->len, ==, 1);
    g_assert_cmphex(fake_access(&b, 0)->addr, ==, 0);
    g_assert_cmphex(v, ==, 0xaa99ULL << 16 | (0x8877665544332211ULL >>
                                              (0x1fe * 8 % 64) & 0xffff));

    /* into a hole: refused pieces, logged, 0 */
    log_capture_start(LOG_GUEST_ERROR);
    g_assert_true(address_space_read(&address_space_memory, 0x13fe, &v, 4));
    g_assert_cmphex(v & 0xffff0000, ==, 0);
    log = log_capture_take();
    g_assert_cmpstr(log, ==, "Invalid read at addr 0x1400, size 2, region "
                    "'(null)', reason: rejected\n");
    log_capture_stop();

    address_space_clear(&address_space_memory);
    fake_fini(&a);
    fake_fini(&b);
}

static void test_read_masks_result(void)
{
    FakeDev d;
    uint64_t v;

    fake_init(&d, 0xffffffffffffffffULL);
    address_space_clear(&address_space_io);
    address_space_map(&address_space_io, 0x60, 4, &ops_any, &d, "x", NULL);
    g_assert_true(address_space_read(&address_space_io, 0x60, &v, 2));
    g_assert_cmphex(v, ==, 0xffff);
    address_space_clear(&address_space_io);
    fake_fini(&d);
}

static void test_top_of_space(void)
{
    FakeDev d;
    uint64_t v;

    fake_init(&d, 0x5a);
    address_space_clear(&address_space_memory);
    address_space_map(&address_space_memory, UINT64_MAX - 0xfff, 0x1000,
                      &ops_any, &d, "top", NULL);
    g_assert_true(address_space_read(&address_space_memory, UINT64_MAX,
                                     &v, 1));
    g_assert_false(address_space_read(&address_space_memory,
                                      UINT64_MAX - 0x1000, &v, 1));
    address_space_clear(&address_space_memory);
    fake_fini(&d);
}

static void test_translate(void)
{
    static uint8_t low[0x1000], high[0x2000], rom[0x100];
    GuestMemory *mem = guest_memory_new();

    guest_memory_add(mem, 0x100000, sizeof(high), high, false, "high");
    guest_memory_add(mem, 0, sizeof(low), low, false, "low");
    guest_memory_add(mem, 0xffffff00, sizeof(rom), rom, true, "rom");

    g_assert_true(guest_memory_translate(mem, 0, 1, false) == low);
    g_assert_true(guest_memory_translate(mem, 0xfff, 1, true) == low + 0xfff);
    g_assert_true(guest_memory_translate(mem, 0, sizeof(low), true) == low);
    g_assert_null(guest_memory_translate(mem, 0, sizeof(low) + 1, false));
    g_assert_null(guest_memory_translate(mem, 0x1000, 1, false));
    g_assert_true(guest_memory_translate(mem, 0x101fff, 1, false)
                  == high + 0x1fff);
    g_assert_null(guest_memory_translate(mem, 0x101fff, 2, false));
    g_assert_null(guest_memory_translate(mem, 0xfffff, 1, false));
    /* Length 0 names no memory. */
    g_assert_null(guest_memory_translate(mem, 0, 0, false));
    /* gpa + len wraps past 2^64. */
    g_assert_null(guest_memory_translate(mem, 0x100000, UINT64_MAX, false));
    g_assert_null(guest_memory_translate(mem, UINT64_MAX, 2, false));
    g_assert_null(guest_memory_translate(mem, 0x800, UINT64_MAX - 0x7ff,
                                         false));
    /* ROM: readable, not writable. */
    g_assert_true(guest_memory_translate(mem, 0xffffff10, 4, false)
                  == rom + 0x10);
    g_assert_null(guest_memory_translate(mem, 0xffffff10, 4, true));
    g_assert_null(guest_memory_translate(mem, 0xfffffff0, 0x11, false));
    guest_memory_free(mem);
}

/*
 * The copy helpers' layout: RAM [0, 0x1000), a hole, RAM [0x2000, 0x3000)
 * directly followed by ROM [0x3000, 0x3100), and RAM at the very top of
 * the address space [2^64 - 0x1000, 2^64).
 */
typedef struct MemFixture {
    GuestMemory *mem;
    uint8_t low[0x1000], mid[0x1000], rom[0x100], top[0x1000];
} MemFixture;

static MemFixture *mem_fixture_new(bool with_top)
{
    MemFixture *f = g_new0(MemFixture, 1);

    f->mem = guest_memory_new();
    memset(f->rom, 0xcc, sizeof(f->rom));
    guest_memory_add(f->mem, 0x3000, sizeof(f->rom), f->rom, true, "rom");
    guest_memory_add(f->mem, 0, sizeof(f->low), f->low, false, "low");
    guest_memory_add(f->mem, 0x2000, sizeof(f->mid), f->mid, false, "mid");
    if (with_top) {
        guest_memory_add(f->mem, -(uint64_t)sizeof(f->top), sizeof(f->top),
                         f->top, false, "top");
    }
    return f;
}

static void mem_fixture_free(MemFixture *f)
{
    guest_memory_free(f->mem);
    g_free(f);
}

static void test_rw_whole_block(void)
{
    MemFixture *f = mem_fixture_new(false);
    uint8_t buf[8];

    memset(buf, 0xaa, sizeof(buf));
    g_assert_cmpuint(guest_memory_write(f->mem, 0x2010, buf, sizeof(buf)),
                     ==, MEMTX_OK);
    g_assert_cmpuint(f->mid[0x10], ==, 0xaa);
    g_assert_cmpuint(f->mid[0x17], ==, 0xaa);
    g_assert_cmpuint(f->mid[0x18], ==, 0);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpuint(guest_memory_read(f->mem, 0x2014, buf, 4), ==,
                     MEMTX_OK);
    g_assert_cmpmem(buf, 4, "\xaa\xaa\xaa\xaa", 4);
    g_assert_cmpuint(guest_memory_set(f->mem, 0x2012, 0x11, 2), ==,
                     MEMTX_OK);
    g_assert_cmpmem(f->mid + 0x10, 4, "\xaa\xaa\x11\x11", 4);
    mem_fixture_free(f);
}

/* dma_memory_write across a hole: the RAM parts land, the rest is
 * reported (address_space_rw goes on after a rejected section). */
static void test_rw_partial_write(void)
{
    MemFixture *f = mem_fixture_new(false);
    g_autofree uint8_t *buf = g_malloc(0x1020);

    memset(buf, 0x5a, 0x1020);
    /* Last 0x10 bytes of low, then the hole. */
    g_assert_cmpuint(guest_memory_write(f->mem, 0xff0, buf, 0x20), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpuint(f->low[0xfef], ==, 0);
    for (unsigned i = 0xff0; i < 0x1000; i++) {
        g_assert_cmpuint(f->low[i], ==, 0x5a);
    }
    /* low's tail, the whole hole, mid's head: both ends land, and the
     * bytes land at their own offsets (the hole's share is skipped). */
    memset(f->low, 0, sizeof(f->low));
    for (unsigned i = 0; i < 0x1020; i++) {
        buf[i] = i;
    }
    g_assert_cmpuint(guest_memory_write(f->mem, 0xff0, buf, 0x1020), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpuint(f->low[0xff0], ==, 0x00);
    g_assert_cmpuint(f->low[0xfff], ==, 0x0f);
    g_assert_cmpuint(f->mid[0], ==, (0x1010 & 0xff));
    g_assert_cmpuint(f->mid[0xf], ==, (0x101f & 0xff));
    g_assert_cmpuint(f->mid[0x10], ==, 0);
    /* Entirely in the hole: nothing anywhere. */
    memset(f->low, 0, sizeof(f->low));
    memset(f->mid, 0, sizeof(f->mid));
    g_assert_cmpuint(guest_memory_set(f->mem, 0x1000, 0xff, 0x1000), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpuint(f->low[0xfff], ==, 0);
    g_assert_cmpuint(f->mid[0], ==, 0);
    /* Past the last block up to the end of a huge length. */
    g_assert_cmpuint(guest_memory_set(f->mem, 0x30f0, 0xff, UINT32_MAX), ==,
                     MEMTX_DECODE_ERROR);
    mem_fixture_free(f);
}

/* Reads: adjacent blocks read as one; a hole reads as zeros, reported. */
static void test_rw_partial_read(void)
{
    MemFixture *f = mem_fixture_new(false);
    uint8_t buf[8];

    f->mid[0xffe] = 0x12;
    f->mid[0xfff] = 0x34;
    /* mid's last two bytes and the ROM's first two: one contiguous read,
     * though no single block holds it (translate refuses it). */
    g_assert_cmpuint(guest_memory_read(f->mem, 0x2ffe, buf, 4), ==,
                     MEMTX_OK);
    g_assert_cmpmem(buf, 4, "\x12\x34\xcc\xcc", 4);
    g_assert_null(guest_memory_translate(f->mem, 0x2ffe, 4, false));

    f->low[0xffe] = 0x77;
    f->low[0xfff] = 0x88;
    memset(buf, 0x11, sizeof(buf));
    g_assert_cmpuint(guest_memory_read(f->mem, 0xffe, buf, 4), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpmem(buf, 4, "\x77\x88\x00\x00", 4);
    g_assert_cmpuint(buf[4], ==, 0x11);
    mem_fixture_free(f);
}

/* A write reaching read-only memory is refused there, reported, and the
 * writable part still lands; reads of ROM are fine. */
static void test_rw_rom(void)
{
    MemFixture *f = mem_fixture_new(false);
    uint8_t buf[4] = { 1, 2, 3, 4 };

    g_assert_cmpuint(guest_memory_write(f->mem, 0x3010, buf, 4), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpmem(f->rom + 0x10, 4, "\xcc\xcc\xcc\xcc", 4);
    g_assert_cmpuint(guest_memory_set(f->mem, 0x3000, 0, 0x100), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpuint(f->rom[0], ==, 0xcc);
    /* mid's last two bytes land, the ROM's first two do not. */
    g_assert_cmpuint(guest_memory_write(f->mem, 0x2ffe, buf, 4), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpmem(f->mid + 0xffe, 2, "\x01\x02", 2);
    g_assert_cmpmem(f->rom, 2, "\xcc\xcc", 2);
    g_assert_cmpuint(guest_memory_read(f->mem, 0x30fc, buf, 4), ==,
                     MEMTX_OK);
    g_assert_cmpmem(buf, 4, "\xcc\xcc\xcc\xcc", 4);
    mem_fixture_free(f);
}

/* Like QEMU's hwaddr arithmetic, a range running past 2^64 goes on at
 * address 0 (fw_cfg DMA at 2^64 - 2 writes its tail to RAM at 0). */
static void test_rw_wrap(void)
{
    MemFixture *f = mem_fixture_new(false);
    uint8_t buf[4] = { 1, 2, 3, 4 };

    g_assert_cmpuint(guest_memory_write(f->mem, UINT64_MAX - 1, buf, 4), ==,
                     MEMTX_DECODE_ERROR);
    g_assert_cmpmem(f->low, 3, "\x03\x04\x00", 3);
    mem_fixture_free(f);

    /* RAM at the top and at 0: a wrapping range is wholly RAM. */
    f = mem_fixture_new(true);
    g_assert_cmpuint(guest_memory_write(f->mem, UINT64_MAX - 1, buf, 4), ==,
                     MEMTX_OK);
    g_assert_cmpmem(f->top + 0xffe, 2, "\x01\x02", 2);
    g_assert_cmpmem(f->low, 2, "\x03\x04", 2);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpuint(guest_memory_read(f->mem, UINT64_MAX, buf, 2), ==,
                     MEMTX_OK);
    g_assert_cmpmem(buf, 2, "\x02\x03", 2);
    /* The translator never wraps. */
    g_assert_null(guest_memory_translate(f->mem, UINT64_MAX, 2, false));
    g_assert_nonnull(guest_memory_translate(f->mem, UINT64_MAX, 1, true));
    mem_fixture_free(f);
}

/* Length 0: nothing touched, nothing reported, wherever it points. */
static void test_rw_zero_length(void)
{
    MemFixture *f = mem_fixture_new(false);
    uint8_t buf[1] = { 0x42 };
    g_autofree char *log = NULL;

    log_capture_start(LOG_GUEST_ERROR);
    g_assert_cmpuint(guest_memory_read(f->mem, 0x1000, buf, 0), ==,
                     MEMTX_OK);
    g_assert_cmpuint(buf[0], ==, 0x42);
    g_assert_cmpuint(guest_memory_write(f->mem, 0x3000, buf, 0), ==,
                     MEMTX_OK);
    g_assert_cmpuint(guest_memory_set(f->mem, UINT64_MAX, 1, 0), ==,
                     MEMTX_OK);
    log = log_capture_take();
    g_assert_cmpstr(log, ==, "");
    log_capture_stop();
    mem_fixture_free(f);
}

/* Rejected parts are logged in memory_region_access_valid()'s words,
 * and only with -d guest_errors. */
static void test_rw_log(void)
{
    MemFixture *f = mem_fixture_new(false);
    uint8_t buf[0x20] = { 0 };
    g_autofree char *log = NULL;
    g_auto(GStrv) lines = NULL;

    log_capture_start(0);
    guest_memory_write(f->mem, 0xff0, buf, 0x20);
    log = log_capture_take();
    g_assert_cmpstr(log, ==, "");
    g_free(log);

    qemu_loglevel = LOG_GUEST_ERROR;
    guest_memory_write(f->mem, 0xff0, buf, 0x20);
    guest_memory_read(f->mem, 0x1ffc, buf, 8);
    guest_memory_write(f->mem, 0x3004, buf, 4);
    log = log_capture_take();
    /* A hole is QEMU's io_mem_unassigned (name NULL), accessed in
     * aligned pieces of at most 4 bytes; ROM by offset in the block. */
    g_assert_cmpstr(log, ==,
        "Invalid write at addr 0x1000, size 4, region '(null)', "
        "reason: rejected\n"
        "Invalid write at addr 0x1004, size 4, region '(null)', "
        "reason: rejected\n"
        "Invalid write at addr 0x1008, size 4, region '(null)', "
        "reason: rejected\n"
        "Invalid write at addr 0x100C, size 4, region '(null)', "
        "reason: rejected\n"
        "Invalid read at addr 0x1FFC, size 4, region '(null)', "
        "reason: rejected\n"
        "Invalid write at addr 0x4, size 4, region 'rom', "
        "reason: rejected\n");
    g_free(log);

    /* Unaligned and short ends: 0x1001 (1), 0x1002 (2), then 4s. */
    guest_memory_read(f->mem, 0x1001, buf, 8);
    log = log_capture_take();
    g_assert_cmpstr(log, ==,
        "Invalid read at addr 0x1001, size 1, region '(null)', "
        "reason: rejected\n"
        "Invalid read at addr 0x1002, size 2, region '(null)', "
        "reason: rejected\n"
        "Invalid read at addr 0x1004, size 4, region '(null)', "
        "reason: rejected\n"
        "Invalid read at addr 0x1008, size 1, region '(null)', "
        "reason: rejected\n");
    g_free(log);

    /* A huge rejected part: 64 accesses, then one line for the rest. */
    guest_memory_set(f->mem, 0x4000, 0, 0x10000);
    log = log_capture_take();
    g_assert_nonnull(strstr(log, "Invalid write at addr 0x40FC, size 4, "));
    g_assert_true(g_str_has_suffix(log, "reason: rejected\n"
                                   "Invalid write at addr 0x4100, 65280 more "
                                   "bytes, region '(null)', reason: "
                                   "rejected\n"));
    lines = g_strsplit(log, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 66);   /* 65 + the "" */
    log_capture_stop();
    mem_fixture_free(f);
}

/*
 * The dispatcher's guest errors, as QEMU 7.2's memory core: an unassigned
 * MMIO access is io_mem_unassigned's "rejected" (reads 0), an unassigned
 * port is silent (unassigned_io_ops accepts everything, reads all-ones).
 */
static void test_unassigned_log(void)
{
    g_autofree char *log = NULL;
    uint64_t v;

    address_space_clear(&address_space_memory);
    address_space_clear(&address_space_io);
    log_capture_start(LOG_GUEST_ERROR);
    g_assert_false(address_space_read(&address_space_memory, 0xfec10010,
                                      &v, 4));
    g_assert_cmphex(v, ==, 0);
    g_assert_false(address_space_write(&address_space_memory, 0xfec10000,
                                       1, 4));
    g_assert_false(address_space_read(&address_space_io, 0x80, &v, 2));
    g_assert_cmphex(v, ==, 0xffff);
    g_assert_false(address_space_write(&address_space_io, 0x80, 1, 1));
    log = log_capture_take();
    g_assert_cmpstr(log, ==,
        "Invalid read at addr 0xFEC10010, size 4, region '(null)', "
        "reason: rejected\n"
        "Invalid write at addr 0xFEC10000, size 4, region '(null)', "
        "reason: rejected\n");
    g_free(log);

    qemu_loglevel = 0;
    address_space_read(&address_space_memory, 0xfec10010, &v, 4);
    log = log_capture_take();
    g_assert_cmpstr(log, ==, "");
    log_capture_stop();
}

/* Blocks come out in address order whatever the order they were added. */
static void test_iter(void)
{
    MemFixture *f = mem_fixture_new(true);
    static const uint64_t want[] = { 0, 0x2000, 0x3000, UINT64_MAX - 0xfff };
    const GuestMemoryBlock *b;
    GuestMemoryIter it;
    unsigned n = 0;

    g_assert_cmpuint(guest_memory_block_count(f->mem), ==, 4);
    guest_memory_iter_init(&it, f->mem);
    while ((b = guest_memory_iter_next(&it))) {
        g_assert_cmpuint(n, <, G_N_ELEMENTS(want));
        g_assert_cmphex(b->gpa, ==, want[n]);
        n++;
    }
    g_assert_cmpuint(n, ==, 4);
    g_assert_null(guest_memory_iter_next(&it));
    guest_memory_iter_init(&it, f->mem);
    b = guest_memory_iter_next(&it);
    g_assert_true(b->host == f->low && b->size == 0x1000 && !b->readonly);
    b = guest_memory_iter_next(&it);
    b = guest_memory_iter_next(&it);
    g_assert_true(b->host == f->rom && b->readonly);
    g_assert_cmpstr(b->name, ==, "rom");
    mem_fixture_free(f);

    f = g_new0(MemFixture, 1);
    f->mem = guest_memory_new();
    guest_memory_iter_init(&it, f->mem);
    g_assert_null(guest_memory_iter_next(&it));
    g_assert_cmpuint(guest_memory_block_count(f->mem), ==, 0);
    mem_fixture_free(f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/unassigned", test_unassigned);
    g_test_add_func("/memory/dispatch", test_dispatch);
    g_test_add_func("/memory/overlap", test_overlap);
    g_test_add_func("/memory/many-ranges", test_many_ranges);
    g_test_add_func("/memory/wide-split", test_wide_split);
    g_test_add_func("/memory/narrow-invalid", test_narrow_invalid);
    g_test_add_func("/memory/straddle-ports", test_straddle_ports);
    g_test_add_func("/memory/port-space-end", test_port_space_end);
    g_test_add_func("/memory/misaligned-mmio", test_misaligned_mmio);
    g_test_add_func("/memory/read-masks-result", test_read_masks_result);
    g_test_add_func("/memory/top-of-space", test_top_of_space);
    g_test_add_func("/memory/translate", test_translate);
    g_test_add_func("/memory/rw/whole-block", test_rw_whole_block);
    g_test_add_func("/memory/rw/partial-write", test_rw_partial_write);
    g_test_add_func("/memory/rw/partial-read", test_rw_partial_read);
    g_test_add_func("/memory/rw/rom", test_rw_rom);
    g_test_add_func("/memory/rw/wrap", test_rw_wrap);
    g_test_add_func("/memory/rw/zero-length", test_rw_zero_length);
    g_test_add_func("/memory/rw/log", test_rw_log);
    g_test_add_func("/memory/iter", test_iter);
    g_test_add_func("/memory/unassigned-log", test_unassigned_log);
    return g_test_run();
}
