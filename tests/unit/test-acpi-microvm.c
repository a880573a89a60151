/*
 * Unit tests of the microvm ACPI tables (hw/i386/acpi-microvm.c): for each
 * machine configuration, "etc/acpi/tables", "etc/acpi/rsdp" and
 * "etc/table-loader" must equal, byte for byte, what QEMU 7.2 serves in
 * fw_cfg for the same command line. The expected files are in
 * tests/unit/data/acpi/<config>/, read out of the real QEMU by
 * tests/unit/data/acpi/capture.py (which lists each command line).
 */
#include "qemu/osdep.h"
#include "hw/i386/acpi-microvm.h"
#include "hw/i386/microvm.h"
#include "hw/core/qdev.h"
#include <glib/gstdio.h>

typedef struct AcpiCase {
    const char *name;               /* directory under data/acpi */
    unsigned cpus, max_cpus, sockets, cores;
    bool ioapic2, rtc, com1;
    uint32_t plugged;               /* virtio-mmio transports with a device */
} AcpiCase;

/*
 * -device fills the newest free transport first: two devices take 23
 * and 22 with ioapic2, one takes 7 without.
 */
static const AcpiCase cases[] = {
    { "default", 1, 1, 1, 1, true, false, true, 0 },
    { "smp2", 2, 2, 2, 1, true, false, true, 0 },
    { "smp2-max4", 2, 4, 4, 1, true, false, true, 0 },
    { "smp-topo", 3, 6, 2, 3, true, false, true, 0 },
    { "ioapic2-off", 1, 1, 1, 1, false, false, true, 0 },
    { "rtc-on", 1, 1, 1, 1, true, true, true, 0 },
    { "isa-serial-off", 1, 1, 1, 1, true, false, false, 0 },
    { "no-serial", 1, 1, 1, 1, true, false, false, 0 },
    { "virtio", 1, 1, 1, 1, true, false, true, 3u << 22 },
    { "virtio-ioapic2-off", 1, 1, 1, 1, false, false, true, 1u << 7 },
};

static void acpi_case_info(const AcpiCase *c, X86MachineInfo *info)
{
    /* one array for every case (reachable, not leaked) */
    static GArray *isa_nodes;

    memset(info, 0, sizeof(*info));
    info->boot_cpus = c->cpus;
    info->max_cpus = c->max_cpus;
    info->sockets = c->sockets;
    info->dies = 1;
    info->cores = c->cores;
    info->threads = 1;
    info->acpi = true;
    info->ioapic2 = c->ioapic2;
    info->rtc = c->rtc;
    info->isa_serial = c->com1;
    /* the ISA bus's children, newest first: COM1 then the RTC */
    if (!isa_nodes) {
        isa_nodes = g_array_new(false, false, sizeof(X86IsaNode));
    }
    g_array_set_size(isa_nodes, 0);
    info->isa_nodes = isa_nodes;
    if (c->com1) {
        X86IsaNode com1 = { X86_ISA_SERIAL, 0x3f8, 4, 0 };

        g_array_append_val(info->isa_nodes, com1);
    }
    if (c->rtc) {
        X86IsaNode rtc = { X86_ISA_RTC, 0x70, 8, 0 };

        g_array_append_val(info->isa_nodes, rtc);
    }
    info->pic = info->pit = true;
    microvm_layout(info);
    info->virtio_mmio_plugged = c->plugged;
}

static GBytes *acpi_expected(const AcpiCase *c, const char *file)
{
    g_autofree char *path = g_test_build_filename(G_TEST_DIST, "data", "acpi",
                                                  c->name, file, NULL);
    g_autoptr(GError) err = NULL;
    char *data;
    size_t len;

    if (!g_file_get_contents(path, &data, &len, &err)) {
        g_error("%s", err->message);
    }
    return g_bytes_new_take(data, len);
}

/* On a mismatch, name the first differing offset (easier than a dump) */
static void assert_same(const char *what, const GArray *got, GBytes *want)
{
    size_t len;
    const uint8_t *w = g_bytes_get_data(want, &len);
    const uint8_t *g = (const uint8_t *)got->data;

    for (size_t i = 0; i < MIN(len, got->len); i++) {
        if (g[i] != w[i]) {
            g_error("%s: byte 0x%zx is 0x%02x, QEMU's is 0x%02x", what, i,
                    g[i], w[i]);
        }
    }
    g_assert_cmpuint(got->len, ==, len);
}

static void test_acpi_case(gconstpointer opaque)
{
    const AcpiCase *c = opaque;
    g_autoptr(GBytes) tables = acpi_expected(c, "tables");
    g_autoptr(GBytes) rsdp = acpi_expected(c, "rsdp");
    g_autoptr(GBytes) loader = acpi_expected(c, "table-loader");
    AcpiBuildTables t;
    X86MachineInfo info;

    acpi_case_info(c, &info);
    acpi_build_tables_init(&t);
    acpi_build_microvm(&info, &t);
    assert_same("etc/acpi/tables", t.table_data, tables);
    assert_same("etc/acpi/rsdp", t.rsdp, rsdp);
    assert_same("etc/table-loader", t.linker->cmd_blob, loader);
    acpi_build_tables_cleanup(&t);
}

/*
 * What firmware does with the files: run the table-loader commands with
 * "etc/acpi/tables" at tables_addr and "etc/acpi/rsdp" at rsdp_addr
 * (pointers get the file's address added, checksums are filled in).
 */
static void acpi_run_loader(AcpiBuildTables *t, uint64_t tables_addr,
                            uint64_t rsdp_addr)
{
    const uint8_t *cmd = (const uint8_t *)t->linker->cmd_blob->data;
    size_t ncmds = t->linker->cmd_blob->len / BIOS_LINKER_LOADER_ENTRY_SIZE;

    for (size_t i = 0; i < ncmds; i++, cmd += BIOS_LINKER_LOADER_ENTRY_SIZE) {
        const char *f1 = (const char *)cmd + 4;
        GArray *a = strcmp(f1, ACPI_BUILD_RSDP_FILE) ? t->table_data :
                    t->rsdp;
        const uint8_t *args = cmd + 4 + BIOS_LINKER_LOADER_FILESZ;
        uint32_t v[3];

        memcpy(v, args, sizeof(v));
        switch (cmd[0]) {
        case BIOS_LINKER_LOADER_COMMAND_ALLOCATE:
            break;
        case BIOS_LINKER_LOADER_COMMAND_ADD_POINTER: {
            const char *src = (const char *)args;
            uint64_t base = strcmp(src, ACPI_BUILD_RSDP_FILE) ? tables_addr :
                            rsdp_addr;
            uint32_t off, size;
            uint64_t ptr = 0;

            memcpy(&off, args + BIOS_LINKER_LOADER_FILESZ, 4);
            size = args[BIOS_LINKER_LOADER_FILESZ + 4];
            g_assert_cmpuint(off + size, <=, a->len);
            memcpy(&ptr, a->data + off, size);
            ptr += base;
            memcpy(a->data + off, &ptr, size);
            break;
        }
        case BIOS_LINKER_LOADER_COMMAND_ADD_CHECKSUM: {
            uint8_t sum = 0;

            g_assert_cmpuint(v[1] + v[2], <=, a->len);
            for (uint32_t j = v[1]; j < v[1] + v[2]; j++) {
                sum += a->data[j];
            }
            a->data[v[0]] -= sum;
            break;
        }
        default:
            g_assert_not_reached();
        }
    }
}

/*
 * ACPICA's disassembler (iasl -d, package acpica-tools) takes every table,
 * once the loader has run, without a warning (no bad checksum) or error.
 */
static void test_acpi_iasl(gconstpointer opaque)
{
    const AcpiCase *c = opaque;
    g_autofree char *dir = g_dir_make_tmp("acpi-XXXXXX", NULL);
    AcpiBuildTables t;
    X86MachineInfo info;
    unsigned ntables = 0;

    g_assert_nonnull(dir);
    acpi_case_info(c, &info);
    acpi_build_tables_init(&t);
    acpi_build_microvm(&info, &t);
    acpi_run_loader(&t, 0x7ffe0000, 0xf5a00);
    for (unsigned off = 0; off < t.table_data->len; ntables++) {
        const uint8_t *p = (const uint8_t *)t.table_data->data + off;
        g_autofree char *sig = g_strndup((const char *)p, 4);
        g_autofree char *path = g_strdup_printf("%s/%s.dat", dir, sig);
        g_autofree char *dsl = g_strdup_printf("%s/%s.dsl", dir, sig);
        g_autofree char *out = NULL, *err = NULL;
        char *argv[] = { (char *)"iasl", (char *)"-d", path, NULL };
        g_autoptr(GError) gerr = NULL;
        uint32_t len;
        int status;

        memcpy(&len, p + 4, 4);
        g_assert_cmpuint(off + len, <=, t.table_data->len);
        g_assert_true(g_file_set_contents(path, (const char *)p, len, NULL));
        if (!g_spawn_sync(dir, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                          &out, &err, &status, &gerr)) {
            g_error("iasl (package acpica-tools): %s", gerr->message);
        }
        if (!g_spawn_check_wait_status(status, NULL) ||
            strstr(err, "Warning") || strstr(err, "Error") ||
            strstr(err, "Incorrect")) {
            g_error("iasl -d %s:\n%s%s", sig, out, err);
        }
        g_assert_true(g_file_test(dsl, G_FILE_TEST_EXISTS));
        g_unlink(path);
        g_unlink(dsl);
        off += len;
    }
    g_assert_cmpuint(ntables, ==, 4);   /* DSDT, FACP, APIC, XSDT */
    g_rmdir(dir);
    acpi_build_tables_cleanup(&t);
}

/* acpi_setup_microvm puts the three files in fw_cfg, and nothing with
 * ACPI off */
static void test_acpi_setup(void)
{
    g_autoptr(GBytes) tables = acpi_expected(&cases[0], "tables");
    g_autoptr(GBytes) loader = acpi_expected(&cases[0], "table-loader");
    X86MachineInfo info;
    FWCfgState *fw_cfg;
    const void *data;
    size_t len;

    fw_cfg = fw_cfg_new(NULL, false, &error_abort);
    acpi_case_info(&cases[0], &info);
    acpi_setup_microvm(fw_cfg, &info);
    data = fw_cfg_get_file(fw_cfg, ACPI_BUILD_TABLE_FILE, &len);
    g_assert_nonnull(data);
    g_assert_cmpmem(data, len, g_bytes_get_data(tables, NULL),
                    g_bytes_get_size(tables));
    data = fw_cfg_get_file(fw_cfg, ACPI_BUILD_LOADER_FILE, &len);
    g_assert_cmpmem(data, len, g_bytes_get_data(loader, NULL),
                    g_bytes_get_size(loader));
    g_assert_nonnull(fw_cfg_get_file(fw_cfg, ACPI_BUILD_RSDP_FILE, &len));
    g_assert_cmpuint(len, ==, 36);
    qdev_unrealize_all();

    fw_cfg = fw_cfg_new(NULL, false, &error_abort);
    info.acpi = false;
    acpi_setup_microvm(fw_cfg, &info);
    g_assert_null(fw_cfg_get_file(fw_cfg, ACPI_BUILD_TABLE_FILE, &len));
    g_assert_null(fw_cfg_get_file(fw_cfg, ACPI_BUILD_RSDP_FILE, &len));
    g_assert_null(fw_cfg_get_file(fw_cfg, ACPI_BUILD_LOADER_FILE, &len));
    qdev_unrealize_all();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    fw_cfg_register_types();
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/acpi-microvm/qemu/%s",
                                                cases[i].name);

        g_test_add_data_func(path, &cases[i], test_acpi_case);
        g_free(path);
        path = g_strdup_printf("/acpi-microvm/iasl/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], test_acpi_iasl);
    }
    g_test_add_func("/acpi-microvm/setup", test_acpi_setup);
    return g_test_run();
}
