/*
 * Unit tests for system/memory.c: range dispatch, access-size rules,
 * unassigned values (QEMU 7.2 unassigned_io_ops / unassigned_mem_ops) and
 * the guest-address translator's edge cases.
 */
#include "qemu/osdep.h"
#include "system/memory.h"

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
static const MemoryRegionOps ops_bytes = {
    .read = fake_read, .write = fake_write,
    .min_access_size = 1, .max_access_size = 1,
};
static const MemoryRegionOps ops_dword = {
    .read = fake_read, .write = fake_write,
    .min_access_size = 4, .max_access_size = 4,
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

    /* Too narrow: not passed on, reads all-ones, writes dropped. */
    g_assert_true(address_space_read(&address_space_memory, 0xfec00000,
                                     &v, 1));
    g_assert_cmphex(v, ==, 0xff);
    g_assert_true(address_space_write(&address_space_memory, 0xfec00010,
                                      1, 2));
    g_assert_cmpuint(d.log->len, ==, 1);

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

    /* 8 bytes accepted by default (min 1, max 8). */
    address_space_clear(&address_space_memory);
    address_space_map(&address_space_memory, 0x1000, 0x10, &ops_any, &d,
                      "any", NULL);
    g_assert_true(address_space_write(&address_space_memory, 0x1008,
                                      0x0102030405060708ULL, 8));
    g_assert_cmpuint(d.log->len, ==, 6);
    g_assert_cmpuint(fake_access(&d, 5)->size, ==, 8);
    g_assert_cmphex(fake_access(&d, 5)->data, ==, 0x0102030405060708ULL);
    address_space_clear(&address_space_memory);
    fake_fini(&d);
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
    uint8_t buf[8];

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

    memset(buf, 0xaa, sizeof(buf));
    g_assert_true(guest_memory_write(mem, 0x100010, buf, sizeof(buf)));
    g_assert_cmpuint(high[0x10], ==, 0xaa);
    memset(buf, 0, sizeof(buf));
    g_assert_true(guest_memory_read(mem, 0x100010, buf, 4));
    g_assert_cmpuint(buf[3], ==, 0xaa);
    g_assert_false(guest_memory_write(mem, 0xffffff00, buf, 1));
    g_assert_false(guest_memory_read(mem, 0xffe, buf, 4));
    /* Nothing is copied on failure. */
    memset(buf, 0x11, sizeof(buf));
    low[0xffe] = 0x77;
    g_assert_false(guest_memory_read(mem, 0xffe, buf, 4));
    g_assert_cmpuint(buf[0], ==, 0x11);
    g_assert_true(guest_memory_read(mem, 0x5000, buf, 0));

    guest_memory_free(mem);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/unassigned", test_unassigned);
    g_test_add_func("/memory/dispatch", test_dispatch);
    g_test_add_func("/memory/many-ranges", test_many_ranges);
    g_test_add_func("/memory/wide-split", test_wide_split);
    g_test_add_func("/memory/narrow-invalid", test_narrow_invalid);
    g_test_add_func("/memory/read-masks-result", test_read_masks_result);
    g_test_add_func("/memory/top-of-space", test_top_of_space);
    g_test_add_func("/memory/translate", test_translate);
    return g_test_run();
}
