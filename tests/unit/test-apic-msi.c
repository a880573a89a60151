/*
 * Unit tests for hw/intc/apic-msi.c: the LAPIC's MMIO window outside the
 * in-kernel APIC page, as QEMU 7.2's kvm-apic maps it (reads all-ones,
 * a write is an MSI whose address is the offset in the window) and
 * kvm_swizzle_msi_ext_dest_id().
 */
#include "qemu/osdep.h"
#include "hw/intc/apic-msi.h"
#include "system/memory.h"

#define BASE    0xfee00000ULL

typedef struct Msi {
    uint64_t address;
    uint32_t data;
} Msi;

static GArray *sent;
static bool ext_dest;

static int record_msi(uint64_t address, uint32_t data)
{
    Msi m = { .address = address, .data = data };

    g_array_append_val(sent, m);
    return 0;
}

static bool has_ext_dest(void)
{
    return ext_dest;
}

static void window_setup(void)
{
    sent = g_array_new(false, false, sizeof(Msi));
    ext_dest = false;
    address_space_clear(&address_space_memory);
    apic_msi_map(BASE, record_msi, has_ext_dest, &sent);
}

static void window_teardown(void)
{
    address_space_clear(&address_space_memory);
    g_array_free(sent, true);
}

static void test_reads(void)
{
    static const struct {
        uint64_t addr;
        unsigned size;
        uint64_t value;
    } cases[] = {
        { BASE + 0x1000, 4, 0xffffffff },
        { BASE + 0x1035, 1, 0xff },
        { BASE + 0xffffc, 4, 0xffffffff },
        { BASE + 0xffffe, 2, 0xffff },
        { BASE + 0x2000, 8, UINT64_MAX },
        /* the last byte is the window's, the next ones a hole (0) */
        { BASE + 0xfffff, 2, 0xff },
    };

    window_setup();
    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint64_t v;

        g_assert_true(address_space_read(&address_space_memory, cases[i].addr,
                                         &v, cases[i].size));
        g_assert_cmphex(v, ==, cases[i].value);
    }
    g_assert_cmpuint(sent->len, ==, 0);
    window_teardown();
}

/* kvm_apic_mem_write(): the offset as address, the value as data. */
static void test_write_is_msi(void)
{
    Msi *m;

    window_setup();
    g_assert_true(address_space_write(&address_space_memory,
                                      BASE + 0xff000, 0x48, 4));
    g_assert_true(address_space_write(&address_space_memory,
                                      BASE + 0x1004, 0x4031, 2));
    g_assert_cmpuint(sent->len, ==, 2);
    m = &g_array_index(sent, Msi, 0);
    g_assert_cmphex(m->address, ==, 0xff000);
    g_assert_cmphex(m->data, ==, 0x48);
    m = &g_array_index(sent, Msi, 1);
    g_assert_cmphex(m->address, ==, 0x1004);
    g_assert_cmphex(m->data, ==, 0x4031);

    /* with kvm-msi-ext-dest-id, bits 11:5 move up */
    ext_dest = true;
    g_assert_true(address_space_write(&address_space_memory,
                                      BASE + 0x3020, 0x41, 4));
    m = &g_array_index(sent, Msi, 2);
    g_assert_cmphex(m->address, ==, 0x3000 | (0x20ULL << 35));
    window_teardown();
}

static void test_swizzle(void)
{
    static const struct {
        uint64_t in;
        bool ext;
        uint64_t out;
    } cases[] = {
        { 0xfee01000, false, 0xfee01000 },          /* feature off */
        { 0xfee01000, true, 0xfee01000 },           /* no ext bits */
        { 0xfee01fe0, true, 0xfee01000 | (0xfe0ULL << 35) },
        { 0xfee01010, true, 0xfee01010 },           /* remappable */
        { 0x1fee01020ULL, true, 0x1fee01020ULL },   /* upper bits set */
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_cmphex(apic_msi_swizzle_ext_dest_id(cases[i].in,
                                                     cases[i].ext),
                        ==, cases[i].out);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/apic-msi/reads", test_reads);
    g_test_add_func("/apic-msi/write-is-msi", test_write_is_msi);
    g_test_add_func("/apic-msi/swizzle", test_swizzle);
    return g_test_run();
}
