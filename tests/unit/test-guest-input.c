/*
 * Worst-case guest and user input found in review, one case per fix:
 * KVM port I/O exits whose data would lie outside kvm_run, an RTC year
 * before base_year (QEMU 7.2 rtc_to_bcd's bits without the undefined
 * shift), ELF files whose p_align / p_memsz would make the loader loop.
 */
#include "qemu/osdep.h"
#include <time.h>
#include "accel/kvm-internal.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/i386/x86-loader.h"

/* ---- KVM_EXIT_IO -------------------------------------------------------- */

#define TEST_PORT       0x80
#define RUN_SIZE        8192        /* kvm_run page + the PIO data page */

static GArray *port_writes;         /* of uint64_t values written */
static unsigned port_reads;

static uint64_t port_read(void *opaque, uint64_t addr, unsigned size)
{
    port_reads++;
    return 0x1234 + port_reads;
}

static void port_write(void *opaque, uint64_t addr, uint64_t data,
                       unsigned size)
{
    g_array_append_val(port_writes, data);
}

static const MemoryRegionOps port_ops = {
    .read = port_read,
    .write = port_write,
    .valid.min_access_size = 1,
    .valid.max_access_size = 4,
};

static struct kvm_run *io_setup(void)
{
    struct kvm_run *run = g_malloc0(RUN_SIZE);

    port_writes = g_array_new(false, false, sizeof(uint64_t));
    port_reads = 0;
    address_space_map(&address_space_io, TEST_PORT, 4, &port_ops, NULL,
                      "test-port", NULL);
    run->exit_reason = KVM_EXIT_IO;
    run->io.port = TEST_PORT;
    return run;
}

static void io_teardown(struct kvm_run *run)
{
    address_space_clear(&address_space_io);
    g_array_free(port_writes, true);
    g_free(run);
}

/* OUTSW with count 3: three 16-bit writes taken from the data page. */
static void test_io_string_in_bounds(void)
{
    struct kvm_run *run = io_setup();
    uint16_t *data = (uint16_t *)((uint8_t *)run + 4096);

    run->io.direction = KVM_EXIT_IO_OUT;
    run->io.size = 2;
    run->io.count = 3;
    run->io.data_offset = 4096;
    data[0] = 0x1111;
    data[1] = 0x2222;
    data[2] = 0x3333;
    g_assert_true(kvm_handle_io_exit(run, RUN_SIZE));
    g_assert_cmpuint(port_writes->len, ==, 3);
    g_assert_cmphex(g_array_index(port_writes, uint64_t, 0), ==, 0x1111);
    g_assert_cmphex(g_array_index(port_writes, uint64_t, 2), ==, 0x3333);

    /* INSW at the very end of the mapping still fits. */
    run->io.direction = KVM_EXIT_IO_IN;
    run->io.count = 2;
    run->io.data_offset = RUN_SIZE - 4;
    g_assert_true(kvm_handle_io_exit(run, RUN_SIZE));
    g_assert_cmpuint(port_reads, ==, 2);
    g_assert_cmphex(*(uint16_t *)((uint8_t *)run + RUN_SIZE - 2), ==,
                    0x1236);
    io_teardown(run);
}

/*
 * Exits whose data would run past kvm_run are refused whole: no device
 * sees any of it and nothing outside the mapping is read or written.
 */
static void test_io_data_outside_run(void)
{
    static const struct {
        uint64_t data_offset;
        uint32_t count;
        uint8_t size;
    } cases[] = {
        { RUN_SIZE - 4, 3, 2 },             /* last access overhangs */
        { RUN_SIZE, 1, 1 },                 /* starts at the end */
        { RUN_SIZE + 4096, 1, 4 },          /* beyond the mapping */
        { UINT64_MAX - 1, 1, 4 },           /* offset + size wraps */
        { 4096, UINT32_MAX, 4 },            /* count * size overflows */
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        for (int dir = 0; dir < 2; dir++) {
            struct kvm_run *run = io_setup();

            run->io.direction = dir ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
            run->io.size = cases[i].size;
            run->io.count = cases[i].count;
            run->io.data_offset = cases[i].data_offset;
            g_assert_false(kvm_handle_io_exit(run, RUN_SIZE));
            g_assert_cmpuint(port_writes->len, ==, 0);
            g_assert_cmpuint(port_reads, ==, 0);
            io_teardown(run);
        }
    }
}

/* ---- RTC ---------------------------------------------------------------- */

static void rtc_irq_ignore(void *opaque, int n, int level)
{
}

static IRQState rtc_irq = { .handler = rtc_irq_ignore };

static uint8_t rtc_rd(MC146818RtcState *s, uint8_t idx)
{
    mc146818rtc_io_ops.write(s, 0, idx, 1);
    return mc146818rtc_io_ops.read(s, 1, 1);
}

static void rtc_wr(MC146818RtcState *s, uint8_t idx, uint8_t val)
{
    mc146818rtc_io_ops.write(s, 0, idx, 1);
    mc146818rtc_io_ops.write(s, 1, val, 1);
}

/*
 * With the default base_year 1980, year register 0x90 and a don't-care
 * century (0xff = -1) make the guest time 1970: the year register then
 * holds 1970 - 1980 = -10 in "BCD", which QEMU 7.2 stores as 0xf0 (its
 * (a / 10) << 4 shifts -1). We store the same bits without the undefined
 * shift (UBSan stops the sanitizer build on the old code).
 */
static void test_rtc_year_before_base_year(void)
{
    struct tm tm = { .tm_year = 126, .tm_mon = 5, .tm_mday = 15,
                     .tm_hour = 12 };
    Object *obj = object_new(TYPE_MC146818_RTC);
    MC146818RtcState *s = MC146818_RTC(obj);
    Error *err = NULL;

    rtc_clock = QEMU_CLOCK_VIRTUAL;
    qemu_clock_set_virtual_manual((int64_t)timegm(&tm) * 1000000000LL);
    s->irq = &rtc_irq;
    g_assert_true(qdev_realize_and_unref(DEVICE(obj), &err));
    g_assert_null(err);

    rtc_wr(s, RTC_YEAR, 0x90);
    rtc_wr(s, RTC_CENTURY, 0xff);
    g_assert_cmphex(rtc_rd(s, RTC_YEAR), ==, 0xf0);
    g_assert_cmphex(rtc_rd(s, RTC_CENTURY), ==, 0x00);

    /* 1975: -5 keeps its low bits too (QEMU: 0 | -5). */
    rtc_wr(s, RTC_YEAR, 0x95);
    rtc_wr(s, RTC_CENTURY, 0xff);
    g_assert_cmphex(rtc_rd(s, RTC_YEAR), ==, 0xfb);

    qdev_unrealize_all();
    address_space_clear(&address_space_io);
}

/* ---- ELF files ---------------------------------------------------------- */

#define EH_SIZE     64
#define PH_SIZE     56

static void st64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = v >> (8 * i);
    }
}

static void st32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = v >> (8 * i);
    }
}

/* An x86-64 ELF with one program header; payload at EH_SIZE + PH_SIZE. */
static uint8_t *elf64_one_phdr(size_t total, uint32_t type, uint64_t paddr,
                               uint64_t filesz, uint64_t memsz,
                               uint64_t align)
{
    uint8_t *f = g_malloc0(total);
    uint8_t *ph = f + EH_SIZE;

    memcpy(f, "\x7f" "ELF", 4);
    f[4] = 2;                       /* ELFCLASS64 */
    f[5] = 1;                       /* little endian */
    f[6] = 1;
    f[18] = 62;                     /* EM_X86_64 */
    st64(f + 24, paddr);            /* e_entry */
    st64(f + 32, EH_SIZE);          /* e_phoff */
    f[56] = 1;                      /* e_phnum */
    st32(ph + 0, type);
    st32(ph + 4, 5);                /* PF_R | PF_X */
    st64(ph + 8, EH_SIZE + PH_SIZE);
    st64(ph + 16, paddr);
    st64(ph + 24, paddr);
    st64(ph + 32, filesz);
    st64(ph + 40, memsz);
    st64(ph + 48, align);
    return f;
}

/*
 * A PT_NOTE whose p_align is 2^64 - 12: the rounded name size wraps the
 * walk back to offset 0, and the old loop went round forever (the test
 * times out). The note is simply not found.
 */
static void test_elf_note_align_wraps(void)
{
    static const uint64_t aligns[] = {
        UINT64_MAX - 11, UINT64_MAX, UINT64_C(1) << 63,
        (UINT64_C(1) << 63) + 1, 4,
    };

    for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
        size_t total = EH_SIZE + PH_SIZE + 24;
        g_autofree uint8_t *f = elf64_one_phdr(total, 4, 0, 24, 24,
                                               aligns[i]);
        uint8_t *note = f + EH_SIZE + PH_SIZE;
        X86ElfImage img;

        st32(note + 0, 1);          /* namesz */
        st32(note + 4, 1);          /* descsz */
        st32(note + 8, 5);          /* type: not the one asked for */
        g_assert_true(x86_elf_parse(f, total, X86_ELF_NOTE_PHYS32_ENTRY,
                                    &img));
        g_assert_false(img.has_note);
        x86_elf_image_clear(&img);
    }
}

/*
 * A PT_LOAD that starts 16 bytes below the end of a RAM block with a
 * p_memsz of 1 TiB: the bytes in RAM are written (file bytes, then
 * zeros, into the next block too), the rest dropped, and quickly (the
 * old byte-by-byte loop ran 2^40 times).
 */
static void test_elf_segment_huge_memsz(void)
{
    size_t total = EH_SIZE + PH_SIZE + 8;
    g_autofree uint8_t *f = elf64_one_phdr(total, 1, 0xff0, 8,
                                           UINT64_C(1) << 40, 0x1000);
    g_autofree uint8_t *low = g_malloc(0x1000);
    g_autofree uint8_t *high = g_malloc(0x1000);
    GuestMemory *mem = guest_memory_new();
    X86ElfImage img;

    memset(low, 0xaa, 0x1000);
    memset(high, 0xaa, 0x1000);
    guest_memory_add(mem, 0, 0x1000, low, false, "low");
    guest_memory_add(mem, 0x100000, 0x1000, high, false, "high");
    memcpy(f + EH_SIZE + PH_SIZE, "ABCDEFGH", 8);

    g_assert_true(x86_elf_parse(f, total, 0, &img));
    x86_elf_copy_to_guest(&img, f, "elf", mem);
    g_assert_cmpmem(low + 0xff0, 8, "ABCDEFGH", 8);
    for (int i = 0xff8; i < 0x1000; i++) {
        g_assert_cmphex(low[i], ==, 0);
    }
    g_assert_cmphex(low[0xfef], ==, 0xaa);
    for (int i = 0; i < 0x1000; i++) {
        g_assert_cmphex(high[i], ==, 0);
    }

    /* A blob that runs off the top of the address space is cut there. */
    memset(low, 0xaa, 0x1000);
    x86_loader_rom_clear();
    x86_elf_image_clear(&img);
    g_free(f);
    f = elf64_one_phdr(total, 1, UINT64_MAX - 0xf, 8, 0x100, 0x1000);
    g_assert_true(x86_elf_parse(f, total, 0, &img));
    x86_elf_copy_to_guest(&img, f, "elf", mem);
    g_assert_cmphex(low[0], ==, 0xaa);

    x86_elf_image_clear(&img);
    x86_loader_rom_clear();
    guest_memory_free(mem);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    mc146818rtc_register_types();
    g_test_add_func("/guest-input/kvm/io-string-in-bounds",
                    test_io_string_in_bounds);
    g_test_add_func("/guest-input/kvm/io-data-outside-run",
                    test_io_data_outside_run);
    g_test_add_func("/guest-input/rtc/year-before-base-year",
                    test_rtc_year_before_base_year);
    g_test_add_func("/guest-input/elf/note-align-wraps",
                    test_elf_note_align_wraps);
    g_test_add_func("/guest-input/elf/segment-huge-memsz",
                    test_elf_segment_huge_memsz);
    return g_test_run();
}
