/*
 * Probe guest, multiboot v1 format: the multiboot information structure
 * (Multiboot Specification 0.6.96, section 3.3: flags, memory, boot
 * device, command line, modules, memory map, boot loader name), then the
 * shared machine report.  Path under QEMU 7.2 microvm: hw/i386/multiboot.c
 * load_multiboot builds the info and modules, qboot's
 * boot_multiboot_from_fw_cfg adds memory sizes and the map.
 */

#include "probe.h"

#define MB_INFO_SIZE    88      /* what QEMU 7.2 fills (MBI_SIZE) */

extern char probe_entry_regs[];
void probe_boot_main(uint32_t mbi);

static bool mb_addr_ok(uint32_t addr)
{
    return addr >= 0x1000 && addr < 0xfe000000u;
}

static void report_mb_modules(const uint8_t *mbi)
{
    uint32_t count = get32(mbi + 20), addr = get32(mbi + 24);

    pr("mb.mods_count=%u\n", count);
    pr("mb.mods_addr=%8x\n", addr);
    if (!mb_addr_ok(addr)) {
        return;
    }
    for (uint32_t i = 0; i < count && i < 16; i++) {
        const uint8_t *m = (const uint8_t *)addr + i * 16;
        uint32_t start = get32(m), end = get32(m + 4);

        pr("mb.mod.%u=%8x-%8x size=%x string=%8x reserved=%x\n", i, start,
           end, end - start, get32(m + 8), get32(m + 12));
        pr("mb.mod.%u.string=", i);
        if (mb_addr_ok(get32(m + 8))) {
            put_cstr_at(get32(m + 8), 2048);
        }
        put_str("\n");
        if (end >= start && end - start < 0x10000000u && mb_addr_ok(start)) {
            pr("mb.mod.%u.fnv=%8x\n", i,
               fnv1a(FNV_INIT, (const uint8_t *)start, end - start));
        }
    }
}

static void report_mb_mmap(const uint8_t *mbi)
{
    uint32_t len = get32(mbi + 44), addr = get32(mbi + 48);
    uint32_t off = 0;

    pr("mb.mmap_length=%x\n", len);
    pr("mb.mmap_addr=%8x\n", addr);
    if (!mb_addr_ok(addr)) {
        return;
    }
    /* Each entry's size field does not count itself (spec 3.3). */
    for (uint32_t i = 0; off + 4 <= len && i < 128; i++) {
        const uint8_t *e = (const uint8_t *)addr + off;

        pr("mb.mmap.%u=%16X+%16X type=%u size=%u\n", i, get64(e + 4),
           get64(e + 12), get32(e + 20), get32(e));
        off += get32(e) + 4;
    }
}

static void report_mb_info(uint32_t mbi_addr)
{
    const uint8_t *mbi = (const uint8_t *)mbi_addr;
    uint32_t flags;

    pr("mb.info=%8x\n", mbi_addr);
    if (!mb_addr_ok(mbi_addr)) {
        return;
    }
    flags = get32(mbi);
    pr("mb.flags=%8x\n", flags);
    pr("mb.mem_lower=%u\n", get32(mbi + 4));
    pr("mb.mem_upper=%u\n", get32(mbi + 8));
    pr("mb.boot_device=%8x\n", get32(mbi + 12));
    pr("mb.cmdline_addr=%8x\n", get32(mbi + 16));
    pr("mb.cmdline=");
    if (mb_addr_ok(get32(mbi + 16))) {
        put_cstr_at(get32(mbi + 16), 2048);
    }
    put_str("\n");
    report_mb_modules(mbi);
    report_mb_mmap(mbi);
    pr("mb.boot_loader_name_addr=%8x\n", get32(mbi + 64));
    pr("mb.boot_loader_name=");
    if (mb_addr_ok(get32(mbi + 64))) {
        put_cstr_at(get32(mbi + 64), 256);
    }
    put_str("\n");
    /* The rest (syms, drives, config, APM, VBE) as raw bytes. */
    pr("mb.raw=");
    put_bytes(mbi, MB_INFO_SIZE);
    put_str("\n");
    report_low_memory();
}

void probe_boot_main(uint32_t mbi)
{
    uint8_t serial_regs[8];

    probe_read_serial(serial_regs);
    put_str("\nprobe.begin=1\n");
    pr("probe.format=multiboot\n");
    report_entry_regs((const ProbeEntryRegs *)probe_entry_regs);
    report_mb_info(mbi);
    report_machine(serial_regs);
    put_str("probe.end=1\n");
}
