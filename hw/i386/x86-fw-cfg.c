/*
 * What QEMU 7.2's microvm puts in fw_cfg. Source of truth: QEMU 7.2
 * hw/i386/microvm.c (microvm_memory_init, microvm_machine_done),
 * hw/core/loader.c (rom_add_file for option ROMs), softmmu/bootdevice.c
 * (get_boot_devices_list) and hw/nvram/fw_cfg.c (fw_cfg_machine_reset),
 * checked item by item against the real QEMU 7.2 (-M microvm on KVM).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/i386/x86.h"
#include "hw/i386/e820.h"
#include "hw/i386/microvm-dt.h"
#include "system/system.h"

/* The fw_cfg directory name of an option ROM (rom_add_file). */
#define OPTION_ROM_DIR "genroms"

/*
 * microvm_memory_init(): the e820 map starts with the reservation
 * kvm_arch_init() made before the board existed, then RAM below 4 GiB
 * and RAM above it. microvm does not add the legacy FW_CFG_E820_TABLE.
 */
static void x86_fw_cfg_add_e820(FWCfgState *fw_cfg, const X86MachineInfo *info)
{
    g_autoptr(E820Table) e820 = e820_table_new();
    void *bytes;
    size_t len;

    e820_add_entry(e820, E820_KVM_IDENTITY_BASE, E820_KVM_IDENTITY_SIZE,
                   E820_RESERVED);
    e820_add_entry(e820, 0, info->below_4g_mem_size, E820_RAM);
    if (info->above_4g_mem_size > 0) {
        e820_add_entry(e820, 4 * GiB, info->above_4g_mem_size, E820_RAM);
    }
    bytes = e820_table_bytes(e820, &len);
    fw_cfg_add_file(fw_cfg, "etc/e820", bytes, len);
}

FWCfgState *x86_fw_cfg_create(const X86MachineInfo *info, Error **errp)
{
    FWCfgState *fw_cfg = fw_cfg_new(info->mem, true, errp);

    if (!fw_cfg) {
        return NULL;
    }
    /* fw_cfg_common_realize() items that follow the command line. */
    if (info->has_uuid) {
        fw_cfg_modify_bytes(fw_cfg, FW_CFG_UUID,
                            g_memdup2(info->uuid, sizeof(info->uuid)),
                            sizeof(info->uuid));
    }
    fw_cfg_modify_i16(fw_cfg, FW_CFG_NOGRAPHIC, info->no_graphic);

    /*
     * microvm_memory_init(): unlike the PC machines (fw_cfg_arch_create),
     * MAX_CPUS is -smp maxcpus, not the APIC id limit, and there is no
     * NUMA, HPET, SMBIOS or ACPI_TABLES item.
     */
    fw_cfg_add_i16(fw_cfg, FW_CFG_NB_CPUS, info->boot_cpus);
    fw_cfg_add_i16(fw_cfg, FW_CFG_MAX_CPUS, info->max_cpus);
    fw_cfg_add_i64(fw_cfg, FW_CFG_RAM_SIZE, info->ram_size);
    fw_cfg_add_i32(fw_cfg, FW_CFG_IRQ0_OVERRIDE, 1);
    x86_fw_cfg_add_e820(fw_cfg, info);
    return fw_cfg;
}

/*
 * rom_add_option(name, bootindex 0) as the x86 loader asks: the file is
 * copied verbatim (the shipped ROMs are already padded and checksummed)
 * into "genroms/<basename>". QEMU prints a raw line and goes on when the
 * file cannot be read. Returns the boot path, or NULL.
 */
static char *x86_fw_cfg_add_option_rom(FWCfgState *fw_cfg, const char *name)
{
    g_autofree char *path = qemu_find_file(name);
    const char *basename = strrchr(name, '/');
    char *fw_file;
    gchar *data;
    gsize len;
    int fd;

    if (!path) {
        path = g_strdup(name);
    }
    /* open() first, for QEMU's exact strerror() in the message. */
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "Could not open option rom '%s': %s\n", path,
                strerror(errno));
        return NULL;
    }
    close(fd);
    if (!g_file_get_contents(path, &data, &len, NULL)) {
        fprintf(stderr, "rom: file %-20s: read error\n", name);
        return NULL;
    }
    basename = basename ? basename + 1 : name;
    fw_file = g_strdup_printf("%s/%s", OPTION_ROM_DIR, basename);
    fw_cfg_add_file(fw_cfg, fw_file, data, len);
    return fw_file;
}

/*
 * get_boot_devices_list(): the boot paths joined by '\n', NUL-terminated;
 * empty (size 0) when nothing registered a boot index.
 */
static void x86_fw_cfg_add_bootorder(FWCfgState *fw_cfg, GPtrArray *paths)
{
    GString *list = g_string_new(NULL);
    size_t len;
    guint i;

    for (i = 0; i < paths->len; i++) {
        if (i > 0) {
            g_string_append_c(list, '\n');
        }
        g_string_append_printf(list, "/rom@%s",
                               (const char *)g_ptr_array_index(paths, i));
    }
    len = paths->len ? list->len + 1 : 0;
    fw_cfg_modify_file(fw_cfg, "bootorder",
                       len ? g_string_free(list, FALSE) : NULL, len);
    if (!len) {
        g_string_free(list, TRUE);
    }
}

bool x86_fw_cfg_machine_done(FWCfgState *fw_cfg, const X86MachineInfo *info,
                             GPtrArray *option_roms, Error **errp)
{
    g_autoptr(GPtrArray) boot_paths = g_ptr_array_new_with_free_func(g_free);
    size_t dt_size;
    void *dt;
    guint i;

    /* microvm_memory_init(): only with x-option-roms=on (the default). */
    if (info->option_roms && option_roms) {
        for (i = 0; i < option_roms->len; i++) {
            char *fw_file = x86_fw_cfg_add_option_rom(
                fw_cfg, g_ptr_array_index(option_roms, i));

            if (fw_file) {
                g_ptr_array_add(boot_paths, fw_file);
            }
        }
    }

    /* microvm_machine_done() -> dt_setup_microvm(): always, ACPI or not. */
    dt = microvm_dt_build(info, &dt_size, errp);
    if (!dt) {
        return false;
    }
    fw_cfg_add_file(fw_cfg, "etc/fdt", dt, dt_size);

    /*
     * fw_cfg_machine_reset(), first run at the initial reset: bootorder,
     * and bios-geometry (no device has LCHS values here, so empty).
     */
    x86_fw_cfg_add_bootorder(fw_cfg, boot_paths);
    fw_cfg_modify_file(fw_cfg, "bios-geometry", NULL, 0);
    return true;
}
