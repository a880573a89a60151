/*
 * Probe guest, bzImage format: the Linux boot-protocol facts (entry
 * state, setup header as the loader patched it, command line, initrd),
 * then the shared machine report.  Source of truth: QEMU 7.2
 * hw/i386/x86.c x86_load_linux and qboot's boot_from_fwcfg.
 */

#include "probe.h"

/* Filled by probe-head.S; linked at its offset in the setup area. */
extern char probe_entry_regs[];
void probe_main(uint8_t *boot_params);

static void report_entry(const uint8_t *bp)
{
    report_entry_regs((const ProbeEntryRegs *)
                      (bp + (uint32_t)probe_entry_regs));
    pr("boot_params=%8x\n", (uint32_t)bp);
}

static void report_setup_header(const uint8_t *bp)
{
    uint32_t cmd_line_ptr = get32(bp + 0x228);
    uint32_t rd_image = get32(bp + 0x218);
    uint32_t rd_size = get32(bp + 0x21c);

    pr("hdr.setup_sects=%u\n", bp[0x1f1]);
    pr("hdr.vid_mode=%4x\n", get16(bp + 0x1fa));
    pr("hdr.boot_flag=%4x\n", get16(bp + 0x1fe));
    pr("hdr.version=%4x\n", get16(bp + 0x206));
    pr("hdr.type_of_loader=%2x\n", bp[0x210]);
    pr("hdr.loadflags=%2x\n", bp[0x211]);
    pr("hdr.code32_start=%8x\n", get32(bp + 0x214));
    pr("hdr.ramdisk_image=%8x\n", rd_image);
    pr("hdr.ramdisk_size=%8x\n", rd_size);
    pr("hdr.heap_end_ptr=%4x\n", get16(bp + 0x224));
    pr("hdr.ext_loader_ver=%2x\n", bp[0x226]);
    pr("hdr.ext_loader_type=%2x\n", bp[0x227]);
    pr("hdr.cmd_line_ptr=%8x\n", cmd_line_ptr);
    pr("hdr.initrd_addr_max=%8x\n", get32(bp + 0x22c));
    pr("hdr.setup_data=%16X\n", get64(bp + 0x250));
    pr("hdr.cmdline_compat=%4x:%4x\n", get16(bp + 0x20), get16(bp + 0x22));
    pr("zeropage.e820_entries=%u\n", bp[0x1e8]);
    for (uint32_t i = 0; i < bp[0x1e8] && i < 128; i++) {
        const uint8_t *e = bp + 0x2d0 + i * 20;

        pr("zeropage.e820.%u=%16X+%16X type=%u\n", i, get64(e),
           get64(e + 8), get32(e + 16));
    }

    pr("cmdline=");
    if (cmd_line_ptr) {
        put_cstr_at(cmd_line_ptr, 2048);
    }
    put_str("\n");

    if (rd_image && rd_size) {
        pr("initrd.mem.fnv=%8x\n",
           fnv1a(FNV_INIT, (const uint8_t *)rd_image, rd_size));
    } else {
        pr("initrd.mem=none\n");
    }
}

static const uint8_t *boot_params;

/* Whether the command line has word (a whole space-separated word) */
bool probe_arg(const char *word)
{
    const char *c = (const char *)get32(boot_params + 0x228);
    uint32_t n = 0;

    while (c && *c && n < 2048) {
        uint32_t i = 0;

        while (word[i] && c[i] == word[i]) {
            i++;
        }
        if (!word[i] && (c[i] == ' ' || c[i] == 0) &&
            (n == 0 || c[-1] == ' ')) {
            return true;
        }
        c++;
        n++;
    }
    return false;
}

/* Modes the command line selects instead of the machine's report */
static const struct {
    const char *arg;
    void (*run)(void);
} probe_modes[] = {
    { "probe.usernet", probe_usernet },
    { "probe.durable", probe_blk_durable },
    { "probe.blkbench", probe_blk_bench },
    { "probe.netbench", probe_net_bench },
    { "probe.netrxbench", probe_net_rx_bench },
};

void probe_main(uint8_t *bp)
{
    uint8_t serial_regs[8];

    boot_params = bp;
    probe_read_serial(serial_regs);
    put_str("\nprobe.begin=1\n");
    for (unsigned i = 0; i < sizeof(probe_modes) / sizeof(probe_modes[0]);
         i++) {
        if (probe_arg(probe_modes[i].arg)) {
            probe_modes[i].run();
            put_str("probe.end=1\n");
            return;
        }
    }
    report_entry(bp);
    report_setup_header(bp);
    report_machine(serial_regs);
    put_str("probe.end=1\n");
}
