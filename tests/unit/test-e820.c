/*
 * Unit tests of the e820 table (hw/i386/e820.c) and of the "etc/e820"
 * file microvm hands to firmware (hw/i386/x86-fw-cfg.c). The expected
 * bytes were read out of the real QEMU 7.2 (-M microvm,acpi=off on KVM)
 * for each -m; the first entry is KVM's identity-map reservation.
 */
#include "qemu/osdep.h"
#include "hw/i386/x86.h"
#include "hw/i386/e820.h"
#include "hw/i386/microvm.h"

static void test_table_entries(void)
{
    g_autoptr(E820Table) t = e820_table_new();
    uint64_t addr, len;

    g_assert_cmpuint(e820_get_num_entries(t), ==, 0);
    g_assert_cmpint(e820_add_entry(t, 0, 640 * KiB, E820_RAM), ==, 1);
    g_assert_cmpint(e820_add_entry(t, 0xfeffc000, 0x4000, E820_RESERVED),
                    ==, 2);
    g_assert_cmpuint(e820_get_num_entries(t), ==, 2);

    g_assert_true(e820_get_entry(t, 0, E820_RAM, &addr, &len));
    g_assert_cmpuint(addr, ==, 0);
    g_assert_cmpuint(len, ==, 640 * KiB);
    /* Wrong type or index: no. */
    g_assert_false(e820_get_entry(t, 0, E820_RESERVED, &addr, &len));
    g_assert_false(e820_get_entry(t, 2, E820_RAM, &addr, &len));
    g_assert_true(e820_get_entry(t, 1, E820_RESERVED, &addr, &len));
    g_assert_cmpuint(addr, ==, 0xfeffc000);
}

/* The legacy FW_CFG_E820_TABLE: reservations only, 16 at most. */
static void test_legacy_reserve(void)
{
    g_autoptr(E820Table) t = e820_table_new();
    g_autofree uint8_t *bytes = NULL;
    uint32_t count;
    uint64_t v;
    size_t len;
    int i;

    e820_add_entry(t, 0, 1 * MiB, E820_RAM);
    e820_add_entry(t, 0xfeffc000, 0x4000, E820_RESERVED);
    bytes = e820_reserve_bytes(t, &len);
    g_assert_cmpuint(len, ==, 4 + 16 * 20);
    memcpy(&count, bytes, 4);
    g_assert_cmpuint(GUINT32_FROM_LE(count), ==, 1);
    memcpy(&v, bytes + 4, 8);
    g_assert_cmpuint(GUINT64_FROM_LE(v), ==, 0xfeffc000);
    memcpy(&v, bytes + 12, 8);
    g_assert_cmpuint(GUINT64_FROM_LE(v), ==, 0x4000);
    g_assert_cmpuint(bytes[20], ==, E820_RESERVED);

    for (i = 1; i < E820_NR_ENTRIES; i++) {
        g_assert_cmpint(e820_add_entry(t, i * MiB, 4096, E820_NVS), >, 0);
    }
    /* The 17th reservation does not fit: refused everywhere. */
    g_assert_cmpint(e820_add_entry(t, 64 * MiB, 4096, E820_ACPI), ==,
                    -EBUSY);
    g_assert_cmpuint(e820_get_num_entries(t), ==, 1 + E820_NR_ENTRIES);
    /* RAM still goes to etc/e820. */
    g_assert_cmpint(e820_add_entry(t, 4 * GiB, GiB, E820_RAM), ==,
                    2 + E820_NR_ENTRIES);
}

typedef struct E820Case {
    uint64_t ram;
    const char *hex;
} E820Case;

static const E820Case e820_cases[] = {
    /* -m 128M */
    { 128 * MiB, "00c0fffe000000000040000000000000020000000000000000000000"
                 "000000080000000001000000" },
    /* -m 256 */
    { 256 * MiB, "00c0fffe000000000040000000000000020000000000000000000000"
                 "000000100000000001000000" },
    /* -m 3G: all below 4G */
    { 3 * GiB, "00c0fffe000000000040000000000000020000000000000000000000"
               "000000c00000000001000000" },
    /* -m 3073M: 1 MiB above 4G */
    { 3 * GiB + MiB, "00c0fffe00000000004000000000000002000000000000000000"
                     "0000000000c000000000010000000000000001000000000010000"
                     "000000001000000" },
    /* -m 4G */
    { 4 * GiB, "00c0fffe000000000040000000000000020000000000000000000000"
               "000000c000000000010000000000000001000000000000400000000001"
               "000000" },
};

static void test_etc_e820_bytes(void)
{
    unsigned c;

    qdev_register_types();
    fw_cfg_register_types();
    for (c = 0; c < G_N_ELEMENTS(e820_cases); c++) {
        const E820Case *ec = &e820_cases[c];
        size_t want_len = strlen(ec->hex) / 2, len, i;
        g_autofree uint8_t *want = g_malloc(want_len);
        GuestMemory *mem = guest_memory_new();
        X86MachineInfo info = {
            .mem = mem, .ram_size = ec->ram, .boot_cpus = 1, .max_cpus = 1,
            .below_4g_mem_size = MIN(ec->ram, MICROVM_MAX_BELOW_4G),
        };
        FWCfgState *fw;
        const uint8_t *got;
        uint64_t ram_le;

        info.above_4g_mem_size = ec->ram - info.below_4g_mem_size;
        for (i = 0; i < want_len; i++) {
            char byte[3] = { ec->hex[2 * i], ec->hex[2 * i + 1], 0 };

            want[i] = strtoul(byte, NULL, 16);
        }
        fw = x86_fw_cfg_create(&info, NULL);
        g_assert_nonnull(fw);
        got = fw_cfg_get_file(fw, "etc/e820", &len);
        g_assert_nonnull(got);
        g_assert_cmpmem(got, len, want, want_len);
        memcpy(&ram_le, fw_cfg_get_item(fw, FW_CFG_RAM_SIZE, &len), 8);
        g_assert_cmpuint(GUINT64_FROM_LE(ram_le), ==, ec->ram);
        /* microvm never adds the legacy item. */
        g_assert_null(fw_cfg_get_item(fw, FW_CFG_E820_TABLE, &len));
        qdev_unrealize_all();
        guest_memory_free(mem);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/e820/table", test_table_entries);
    g_test_add_func("/e820/legacy-reserve", test_legacy_reserve);
    g_test_add_func("/e820/etc-e820-bytes", test_etc_e820_bytes);
    return g_test_run();
}
