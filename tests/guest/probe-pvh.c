/*
 * Probe guest, ELF/PVH format: the hvm_start_info the firmware built
 * (Xen public/arch-x86/hvm/start_info.h: magic, version, flags, modules,
 * command line, RSDP, memory map), then the shared machine report.
 * Path under QEMU 7.2 microvm: hw/i386/x86.c load_elfboot puts the ELF
 * in guest RAM, qboot's boot_pvh_from_fw_cfg fills start_info.
 */

#include "probe.h"

#define HVM_START_MAGIC     0x336ec578u
#define START_INFO_SIZE     56      /* version 1 */
#define MODLIST_ENTRY_SIZE  32
#define MEMMAP_ENTRY_SIZE   24

extern char probe_entry_regs[];
void probe_boot_main(uint32_t start_info);

static void report_modules(uint32_t nr, uint64_t list)
{
    if (list >= 0x100000000ull) {
        pr("pvh.modlist=out_of_range\n");
        return;
    }
    for (uint32_t i = 0; i < nr && i < 16; i++) {
        const uint8_t *m = (const uint8_t *)(uint32_t)list +
                           i * MODLIST_ENTRY_SIZE;
        uint64_t paddr = get64(m), size = get64(m + 8);

        pr("pvh.module.%u=%X+%X cmdline_paddr=%X reserved=%X\n", i,
           paddr, size, get64(m + 16), get64(m + 24));
        if (paddr + size <= 0x100000000ull && size < 0x10000000u) {
            pr("pvh.module.%u.fnv=%8x\n", i,
               fnv1a(FNV_INIT, (const uint8_t *)(uint32_t)paddr,
                     (uint32_t)size));
        }
    }
}

static void report_memmap(uint32_t nr, uint64_t map)
{
    if (map >= 0x100000000ull) {
        pr("pvh.memmap=out_of_range\n");
        return;
    }
    for (uint32_t i = 0; i < nr && i < 128; i++) {
        const uint8_t *e = (const uint8_t *)(uint32_t)map +
                           i * MEMMAP_ENTRY_SIZE;

        pr("pvh.memmap.%u=%16X+%16X type=%u reserved=%x\n", i, get64(e),
           get64(e + 8), get32(e + 16), get32(e + 20));
    }
}

static void report_start_info(uint32_t si_addr)
{
    const uint8_t *si = (const uint8_t *)si_addr;
    uint32_t version, nr_modules;
    uint64_t cmdline;

    pr("pvh.start_info=%8x\n", si_addr);
    if (si_addr < 0x1000 || si_addr >= 0xfe000000u) {
        return;
    }
    version = get32(si + 4);
    nr_modules = get32(si + 12);
    cmdline = get64(si + 24);
    pr("pvh.magic=%8x\n", get32(si));
    pr("pvh.magic_ok=%u\n", get32(si) == HVM_START_MAGIC);
    pr("pvh.version=%u\n", version);
    pr("pvh.flags=%8x\n", get32(si + 8));
    pr("pvh.nr_modules=%u\n", nr_modules);
    pr("pvh.modlist_paddr=%X\n", get64(si + 16));
    pr("pvh.cmdline_paddr=%X\n", cmdline);
    pr("pvh.rsdp_paddr=%X\n", get64(si + 32));
    if (version >= 1) {
        pr("pvh.memmap_paddr=%X\n", get64(si + 40));
        pr("pvh.memmap_entries=%u\n", get32(si + 48));
        pr("pvh.reserved=%8x\n", get32(si + 52));
    }
    pr("pvh.cmdline=");
    if (cmdline && cmdline < 0xfe000000u) {
        put_cstr_at((uint32_t)cmdline, 2048);
    }
    put_str("\n");
    report_modules(nr_modules, get64(si + 16));
    if (version >= 1) {
        report_memmap(get32(si + 48), get64(si + 40));
    }
    report_low_memory();
}

void probe_boot_main(uint32_t start_info)
{
    uint8_t serial_regs[8];

    probe_read_serial(serial_regs);
    put_str("\nprobe.begin=1\n");
    pr("probe.format=pvh\n");
    report_entry_regs((const ProbeEntryRegs *)probe_entry_regs);
    report_start_info(start_info);
    report_machine(serial_regs);
    put_str("probe.end=1\n");
}
