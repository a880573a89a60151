/*
 * Unit tests of fw_cfg (hw/nvram/fw_cfg.c) and of what the microvm board
 * puts in it (hw/i386/x86-fw-cfg.c): the port protocol, the sorted file
 * directory, every DMA case including malformed ones, reset, and the
 * whole item set compared with a dump of the real QEMU 7.2.
 */
#include "qemu/osdep.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/i386/x86.h"
#include "hw/i386/microvm-dt.h"
#include "hw/i386/microvm.h"
#include "log-capture.h"

#define RAM_SIZE        (1 * MiB)
#define ROM_BASE        0x200000        /* a read-only block after a hole */
#define ROM_SIZE        0x1000
#define DESC            0x1000          /* where tests put a descriptor */
#define BUF             0x2000          /* and the DMA buffer */

#define CTL_ERROR       0x01
#define CTL_READ        0x02
#define CTL_SKIP        0x04
#define CTL_SELECT      0x08
#define CTL_WRITE       0x10

typedef struct Fixture {
    GuestMemory *mem;
    uint8_t *ram;
    uint8_t *rom;
    FWCfgState *fw;
} Fixture;

static void fixture_init(Fixture *f, bool dma)
{
    Error *err = NULL;

    f->ram = g_malloc0(RAM_SIZE);
    f->rom = g_malloc(ROM_SIZE);
    memset(f->rom, 0xaa, ROM_SIZE);
    f->mem = guest_memory_new();
    guest_memory_add(f->mem, 0, RAM_SIZE, f->ram, false, "ram");
    guest_memory_add(f->mem, ROM_BASE, ROM_SIZE, f->rom, true, "rom");
    f->fw = fw_cfg_new(f->mem, dma, &err);
    g_assert_null(err);
    g_assert_nonnull(f->fw);
}

static void fixture_fini(Fixture *f)
{
    qdev_unrealize_all();
    guest_memory_free(f->mem);
    g_free(f->ram);
    g_free(f->rom);
}

static void port_select(Fixture *f, uint16_t key)
{
    fw_cfg_port_write(f->fw, 0, key, 2);
}

static uint8_t port_byte(Fixture *f, unsigned port_offset)
{
    return fw_cfg_port_read(f->fw, port_offset, 1);
}

static void port_read(Fixture *f, void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t i;

    for (i = 0; i < len; i++) {
        p[i] = port_byte(f, 1);
    }
}

/* What a guest does: the big-endian address as two 32-bit port writes. */
static void dma_kick(Fixture *f, uint64_t desc)
{
    fw_cfg_dma_port_write(f->fw, 0, GUINT32_SWAP_LE_BE(desc >> 32), 4);
    fw_cfg_dma_port_write(f->fw, 4, GUINT32_SWAP_LE_BE((uint32_t)desc), 4);
}

static void put_desc(Fixture *f, uint64_t at, uint32_t control,
                     uint32_t length, uint64_t address)
{
    uint32_t c = GUINT32_TO_BE(control), l = GUINT32_TO_BE(length);
    uint64_t a = GUINT64_TO_BE(address);

    memcpy(f->ram + at, &c, 4);
    memcpy(f->ram + at + 4, &l, 4);
    memcpy(f->ram + at + 8, &a, 8);
}

static uint32_t get_control(Fixture *f, uint64_t at)
{
    uint32_t c;

    memcpy(&c, f->ram + at, 4);
    return GUINT32_FROM_BE(c);
}

/* One DMA operation with the descriptor at DESC; returns the control. */
static uint32_t dma_op(Fixture *f, uint32_t control, uint32_t length,
                       uint64_t address)
{
    put_desc(f, DESC, control, length, address);
    dma_kick(f, DESC);
    return get_control(f, DESC);
}

/* ---- Ports ------------------------------------------------------------ */

static void test_signature_and_id(void)
{
    Fixture f;
    char sig[6];
    uint32_t id;

    fixture_init(&f, true);
    /* Reset leaves the signature selected. */
    port_read(&f, sig, 6);
    g_assert_cmpmem(sig, 6, "QEMU\0\0", 6);
    port_select(&f, FW_CFG_ID);
    port_read(&f, &id, 4);
    g_assert_cmpuint(GUINT32_FROM_LE(id), ==, 3);    /* traditional | DMA */
    fixture_fini(&f);

    fixture_init(&f, false);
    port_select(&f, FW_CFG_ID);
    port_read(&f, &id, 4);
    g_assert_cmpuint(GUINT32_FROM_LE(id), ==, 1);
    /* Without DMA the address register does nothing. */
    put_desc(&f, DESC, (FW_CFG_SIGNATURE << 16) | CTL_SELECT | CTL_READ, 4,
             BUF);
    dma_kick(&f, DESC);
    g_assert_cmpuint(get_control(&f, DESC), ==,
                     (FW_CFG_SIGNATURE << 16) | CTL_SELECT | CTL_READ);
    g_assert_cmpuint(f.ram[BUF], ==, 0);
    fixture_fini(&f);
}

/* Results measured on QEMU 7.2 (qtest on -M microvm). */
static void test_port_access_sizes(void)
{
    Fixture f;

    fixture_init(&f, true);
    port_select(&f, FW_CFG_SIGNATURE);
    /* Both ports read data bytes. */
    g_assert_cmpuint(port_byte(&f, 0), ==, 'Q');
    g_assert_cmpuint(port_byte(&f, 1), ==, 'E');
    /* Wider reads are refused: 0, and nothing consumed. */
    g_assert_cmpuint(fw_cfg_port_read(f.fw, 0, 2), ==, 0);
    g_assert_cmpuint(fw_cfg_port_read(f.fw, 0, 4), ==, 0);
    g_assert_cmpuint(port_byte(&f, 1), ==, 'M');
    /* A byte write is the dead write channel, not a select. */
    fw_cfg_port_write(f.fw, 0, FW_CFG_ID, 1);
    fw_cfg_port_write(f.fw, 1, FW_CFG_ID, 1);
    g_assert_cmpuint(port_byte(&f, 1), ==, 'U');
    /* A 32-bit write is refused. */
    fw_cfg_port_write(f.fw, 0, FW_CFG_ID, 4);
    g_assert_cmpuint(port_byte(&f, 1), ==, 0);   /* past the end */
    g_assert_cmpuint(port_byte(&f, 1), ==, 0);
    /* Selecting again restarts at offset 0. */
    port_select(&f, FW_CFG_SIGNATURE);
    g_assert_cmpuint(port_byte(&f, 1), ==, 'Q');
    fixture_fini(&f);
}

/*
 * What QEMU's valid.accepts refuses (fw_cfg_comb_valid: 1-byte accesses
 * and 2-byte writes; fw_cfg_dma_mem_valid: 4-byte writes at +0/+4, 8-byte
 * at +0) is logged with -d guest_errors as memory_region_access_valid()
 * words it, region-relative; accepted accesses log nothing.
 */
static void test_port_log(void)
{
    Fixture f;
    g_autofree char *log = NULL;

    fixture_init(&f, true);
    log_capture_start(LOG_GUEST_ERROR);
    port_select(&f, FW_CFG_SIGNATURE);
    port_byte(&f, 1);
    fw_cfg_port_write(f.fw, 1, 0, 1);
    fw_cfg_dma_port_read(f.fw, 2, 4);
    log = log_capture_take();
    g_assert_cmpstr(log, ==, "");
    g_free(log);

    fw_cfg_port_read(f.fw, 0, 2);
    fw_cfg_port_write(f.fw, 0, FW_CFG_ID, 4);
    fw_cfg_dma_port_write(f.fw, 2, 0, 4);
    fw_cfg_dma_port_write(f.fw, 0, 0, 2);
    log = log_capture_take();
    g_assert_cmpstr(log, ==,
        "Invalid read at addr 0x0, size 2, region 'fwcfg', "
        "reason: rejected\n"
        "Invalid write at addr 0x0, size 4, region 'fwcfg', "
        "reason: rejected\n"
        "Invalid write at addr 0x2, size 4, region 'fwcfg.dma', "
        "reason: rejected\n"
        "Invalid write at addr 0x0, size 2, region 'fwcfg.dma', "
        "reason: rejected\n");
    g_free(log);

    qemu_loglevel = 0;
    fw_cfg_port_read(f.fw, 0, 2);
    log = log_capture_take();
    g_assert_cmpstr(log, ==, "");
    log_capture_stop();
    fixture_fini(&f);
}

static void test_select_ranges(void)
{
    Fixture f;
    uint32_t v;

    fixture_init(&f, true);
    fw_cfg_add_i32(f.fw, FW_CFG_IRQ0_OVERRIDE, 0x11223344);

    /* The write-channel bit is masked off: 0x4000 is the signature. */
    port_select(&f, FW_CFG_WRITE_CHANNEL | FW_CFG_SIGNATURE);
    g_assert_cmpuint(port_byte(&f, 1), ==, 'Q');
    /* Arch-local keys are a separate table. */
    port_select(&f, FW_CFG_IRQ0_OVERRIDE);
    port_read(&f, &v, 4);
    g_assert_cmpuint(GUINT32_FROM_LE(v), ==, 0x11223344);
    /* Unused key: zeros. */
    port_select(&f, FW_CFG_KERNEL_ADDR);
    g_assert_cmpuint(port_byte(&f, 1), ==, 0);
    /* Beyond the last file slot (0x20 + 32) and 0xffff: zeros. */
    port_select(&f, FW_CFG_FILE_FIRST + FW_CFG_FILE_SLOTS_DFLT);
    g_assert_cmpuint(port_byte(&f, 1), ==, 0);
    port_select(&f, 0xffff);
    g_assert_cmpuint(port_byte(&f, 1), ==, 0);
    port_select(&f, FW_CFG_ARCH_LOCAL | 0x3fff);
    g_assert_cmpuint(port_byte(&f, 1), ==, 0);
    fixture_fini(&f);
}

static void test_reset(void)
{
    Fixture f;

    fixture_init(&f, true);
    port_select(&f, FW_CFG_ID);
    port_byte(&f, 1);
    device_reset((DeviceState *)f.fw);
    g_assert_cmpuint(port_byte(&f, 1), ==, 'Q');
    g_assert_cmpuint(port_byte(&f, 1), ==, 'E');
    fixture_fini(&f);
}

/* ---- Directory -------------------------------------------------------- */

typedef struct DirEntry {
    uint32_t size;
    uint16_t select;
    char name[56];
} DirEntry;

static uint32_t read_dir(Fixture *f, DirEntry *out, unsigned max)
{
    uint32_t count, i;
    uint8_t raw[64];

    port_select(f, FW_CFG_FILE_DIR);
    port_read(f, &count, 4);
    count = GUINT32_FROM_BE(count);
    g_assert_cmpuint(count, <=, max);
    for (i = 0; i < count; i++) {
        port_read(f, raw, 64);
        out[i].size = GUINT32_FROM_BE(*(uint32_t *)raw);
        out[i].select = GUINT16_FROM_BE(*(uint16_t *)(raw + 4));
        g_assert_cmpuint(raw[6], ==, 0);
        g_assert_cmpuint(raw[7], ==, 0);
        memcpy(out[i].name, raw + 8, 56);
    }
    return count;
}

static void test_directory_sorted(void)
{
    static const char *const order[] = {
        "a", "bootorder", "etc/boot-fail-wait", "etc/e820", "z/last",
    };
    Fixture f;
    DirEntry dir[8];
    size_t len;
    uint32_t count, i;
    char buf[16];

    fixture_init(&f, true);
    /* The device itself adds etc/boot-fail-wait (reboot-timeout -1). */
    fw_cfg_add_file(f.fw, "z/last", g_strdup("zz"), 2);
    fw_cfg_add_file(f.fw, "etc/e820", g_strdup("e820"), 4);
    fw_cfg_add_file(f.fw, "a", g_strdup("A"), 1);
    fw_cfg_add_file(f.fw, "bootorder", NULL, 0);

    count = read_dir(&f, dir, 8);
    g_assert_cmpuint(count, ==, G_N_ELEMENTS(order));
    for (i = 0; i < count; i++) {
        g_assert_cmpstr(dir[i].name, ==, order[i]);
        g_assert_cmpuint(dir[i].select, ==, FW_CFG_FILE_FIRST + i);
    }
    g_assert_cmpuint(dir[0].size, ==, 1);
    g_assert_cmpuint(dir[1].size, ==, 0);
    g_assert_cmpuint(dir[2].size, ==, 4);

    /* The data moved with its name. */
    port_select(&f, dir[4].select);
    port_read(&f, buf, 3);
    g_assert_cmpmem(buf, 3, "zz\0", 3);
    port_select(&f, dir[2].select);
    port_read(&f, buf, 4);
    g_assert_cmpmem(buf, 4, "\xff\xff\xff\xff", 4);

    /* The directory item is the whole slot array. */
    fw_cfg_get_item(f.fw, FW_CFG_FILE_DIR, &len);
    g_assert_cmpuint(len, ==, 4 + 64 * FW_CFG_FILE_SLOTS_DFLT);

    /* Duplicates are refused; the first stays. */
    fw_cfg_add_file(f.fw, "a", g_strdup("B"), 1);
    g_assert_cmpuint(read_dir(&f, dir, 8), ==, G_N_ELEMENTS(order));
    g_assert_cmpmem(fw_cfg_get_file(f.fw, "a", &len), 1, "A", 1);

    /* modify_file replaces data and size in place. */
    fw_cfg_modify_file(f.fw, "bootorder", g_strdup("/x"), 3);
    read_dir(&f, dir, 8);
    g_assert_cmpuint(dir[1].size, ==, 3);
    g_assert_cmpuint(dir[1].select, ==, FW_CFG_FILE_FIRST + 1);
    g_assert_cmpmem(fw_cfg_get_file(f.fw, "bootorder", &len), 3, "/x", 3);
    fixture_fini(&f);
}

static void test_directory_full(void)
{
    Fixture f;
    DirEntry dir[FW_CFG_FILE_SLOTS_DFLT];
    unsigned i;

    fixture_init(&f, true);
    /* One slot is taken by etc/boot-fail-wait. */
    for (i = 0; i < FW_CFG_FILE_SLOTS_DFLT + 3; i++) {
        char name[16];

        g_snprintf(name, sizeof(name), "f%02u", 40 - i);
        fw_cfg_add_file(f.fw, name, g_strdup(name), strlen(name));
    }
    g_assert_cmpuint(read_dir(&f, dir, FW_CFG_FILE_SLOTS_DFLT), ==,
                     FW_CFG_FILE_SLOTS_DFLT);
    for (i = 1; i < FW_CFG_FILE_SLOTS_DFLT; i++) {
        g_assert_cmpint(strcmp(dir[i - 1].name, dir[i].name), <, 0);
    }
    fixture_fini(&f);
}

/* ---- DMA -------------------------------------------------------------- */

static void test_dma_signature_register(void)
{
    Fixture f;

    fixture_init(&f, true);
    /* Bytes of "QEMU CFG" in port order (measured: inl 0x514, 0x516...). */
    g_assert_cmpuint(fw_cfg_dma_port_read(f.fw, 0, 1), ==, 0x51);
    g_assert_cmpuint(fw_cfg_dma_port_read(f.fw, 0, 2), ==, 0x4551);
    g_assert_cmpuint(fw_cfg_dma_port_read(f.fw, 0, 4), ==, 0x554d4551);
    g_assert_cmpuint(fw_cfg_dma_port_read(f.fw, 4, 4), ==, 0x47464320);
    g_assert_cmpuint(fw_cfg_dma_port_read(f.fw, 2, 4), ==, 0x4320554d);
    g_assert_cmpuint(fw_cfg_dma_port_read(f.fw, 7, 1), ==, 0x47);
    fixture_fini(&f);
}

static void test_dma_read(void)
{
    Fixture f;
    uint8_t *item = g_malloc(100);
    unsigned i;

    fixture_init(&f, true);
    for (i = 0; i < 100; i++) {
        item[i] = i + 1;
    }
    fw_cfg_add_file(f.fw, "item", item, 100);   /* key 0x21, after etc/ */
    memset(f.ram + BUF, 0xee, 256);

    /* Select + read 60 bytes. */
    g_assert_cmpuint(dma_op(&f, (0x21 << 16) | CTL_SELECT | CTL_READ, 60,
                            BUF), ==, 0);
    for (i = 0; i < 60; i++) {
        g_assert_cmpuint(f.ram[BUF + i], ==, i + 1);
    }
    g_assert_cmpuint(f.ram[BUF + 60], ==, 0xee);

    /* Continue without select: 40 bytes left, then zeros to 100. */
    g_assert_cmpuint(dma_op(&f, CTL_READ, 100, BUF + 100), ==, 0);
    for (i = 0; i < 40; i++) {
        g_assert_cmpuint(f.ram[BUF + 100 + i], ==, 61 + i);
    }
    for (i = 40; i < 100; i++) {
        g_assert_cmpuint(f.ram[BUF + 100 + i], ==, 0);
    }
    g_assert_cmpuint(f.ram[BUF + 200], ==, 0xee);

    /* The port continues where DMA stopped: past the end. */
    g_assert_cmpuint(port_byte(&f, 1), ==, 0);

    /* A 64-bit write of the address works too. */
    put_desc(&f, DESC, (FW_CFG_SIGNATURE << 16) | CTL_SELECT | CTL_READ, 4,
             BUF + 300);
    fw_cfg_dma_port_write(f.fw, 0, GUINT64_SWAP_LE_BE((uint64_t)DESC), 8);
    g_assert_cmpuint(get_control(&f, DESC), ==, 0);
    g_assert_cmpmem(f.ram + BUF + 300, 4, "QEMU", 4);

    /* Writing the high half alone does not start anything. */
    put_desc(&f, DESC, (FW_CFG_ID << 16) | CTL_SELECT | CTL_READ, 4,
             BUF + 400);
    fw_cfg_dma_port_write(f.fw, 0, 0, 4);
    g_assert_cmpuint(get_control(&f, DESC), !=, 0);
    g_assert_cmpuint(f.ram[BUF + 400], ==, 0);
    fixture_fini(&f);
}

static void test_dma_skip_and_noop(void)
{
    Fixture f;

    fixture_init(&f, true);
    /* Select + skip 2, then read 2: "MU". */
    g_assert_cmpuint(dma_op(&f, (FW_CFG_SIGNATURE << 16) | CTL_SELECT |
                            CTL_SKIP, 2, BUF), ==, 0);
    g_assert_cmpuint(f.ram[BUF], ==, 0);
    g_assert_cmpuint(dma_op(&f, CTL_READ, 2, BUF), ==, 0);
    g_assert_cmpmem(f.ram + BUF, 2, "MU", 2);

    /* No operation bit: nothing moves, control cleared. */
    g_assert_cmpuint(dma_op(&f, (FW_CFG_ID << 16) | CTL_SELECT, 4, BUF + 8),
                     ==, 0);
    g_assert_cmpuint(f.ram[BUF + 8], ==, 0);
    /* but the select happened. */
    g_assert_cmpuint(port_byte(&f, 1), ==, 3);

    /* Read beats write beats skip. */
    g_assert_cmpuint(dma_op(&f, (FW_CFG_SIGNATURE << 16) | CTL_SELECT |
                            CTL_READ | CTL_WRITE | CTL_SKIP, 1, BUF + 16),
                     ==, 0);
    g_assert_cmpuint(f.ram[BUF + 16], ==, 'Q');
    fixture_fini(&f);
}

static void test_dma_write_refused(void)
{
    Fixture f;
    size_t len;

    fixture_init(&f, true);
    memcpy(f.ram + BUF, "XXXX", 4);
    g_assert_cmpuint(dma_op(&f, (FW_CFG_SIGNATURE << 16) | CTL_SELECT |
                            CTL_WRITE, 4, BUF), ==, CTL_ERROR);
    g_assert_cmpmem(fw_cfg_get_item(f.fw, FW_CFG_SIGNATURE, &len), 4,
                    "QEMU", 4);
    /* Write to a missing key: error too. */
    g_assert_cmpuint(dma_op(&f, (0x30 << 16) | CTL_SELECT | CTL_WRITE, 4,
                            BUF), ==, CTL_ERROR);
    /* Zero-length write: nothing to do, no error. */
    g_assert_cmpuint(dma_op(&f, (FW_CFG_SIGNATURE << 16) | CTL_SELECT |
                            CTL_WRITE, 0, BUF), ==, 0);
    fixture_fini(&f);
}

static void test_dma_invalid_key(void)
{
    Fixture f;

    fixture_init(&f, true);
    memset(f.ram + BUF, 0xee, 16);
    /* An unknown or out-of-range key reads as zeros, without error. */
    g_assert_cmpuint(dma_op(&f, (0x3f << 16) | CTL_SELECT | CTL_READ, 8,
                            BUF), ==, 0);
    g_assert_cmpuint(dma_op(&f, (0xffffu << 16) | CTL_SELECT | CTL_READ, 8,
                            BUF + 8), ==, 0);
    for (unsigned i = 0; i < 16; i++) {
        g_assert_cmpuint(f.ram[BUF + i], ==, 0);
    }
    fixture_fini(&f);
}

static void test_dma_bad_descriptor(void)
{
    Fixture f;

    fixture_init(&f, true);
    /* Outside any memory: nothing to write the error to, no crash. */
    dma_kick(&f, 0xdead0000);
    dma_kick(&f, UINT64_MAX - 7);
    /* A control word running past 2^64 ends at address 0, as QEMU's
     * stl_be_dma() through address_space_rw(). */
    memset(f.ram, 0xee, 4);
    dma_kick(&f, UINT64_MAX - 1);
    g_assert_cmpmem(f.ram, 3, "\x00\x01\xee", 3);
    dma_kick(&f, RAM_SIZE - 8);     /* straddles the end of RAM */
    /* The control word still lies in RAM here: it gets the error. */
    g_assert_cmpuint(get_control(&f, RAM_SIZE - 8), ==, CTL_ERROR);
    /* In ROM: readable, but the control word cannot be written back. */
    put_desc(&f, DESC, 0, 0, 0);
    memset(f.rom, 0, 16);
    f.rom[3] = (FW_CFG_SIGNATURE << 16) | CTL_SELECT | CTL_READ;
    f.rom[7] = 4;                   /* length 4, address 0 */
    dma_kick(&f, ROM_BASE);
    g_assert_cmpuint(f.rom[3], ==, CTL_SELECT | CTL_READ);
    g_assert_cmpmem(f.ram, 4, "QEMU", 4);
    fixture_fini(&f);
}

static void test_dma_bad_buffer(void)
{
    Fixture f;
    uint8_t *big = g_malloc(64);

    fixture_init(&f, true);
    memset(big, 0x5a, 64);
    fw_cfg_add_file(f.fw, "big", big, 64);      /* key 0x20 */

    /* Entirely outside RAM. */
    g_assert_cmpuint(dma_op(&f, (0x20 << 16) | CTL_SELECT | CTL_READ, 16,
                            0x80000000), ==, CTL_ERROR);
    /* Into the ROM: refused, ROM unchanged. */
    g_assert_cmpuint(dma_op(&f, (0x20 << 16) | CTL_SELECT | CTL_READ, 16,
                            ROM_BASE), ==, CTL_ERROR);
    g_assert_cmpuint(f.rom[0], ==, 0xaa);

    /* Straddling the end of RAM: the RAM part is written (as QEMU). */
    g_assert_cmpuint(dma_op(&f, (0x20 << 16) | CTL_SELECT | CTL_READ, 16,
                            RAM_SIZE - 8), ==, CTL_ERROR);
    for (unsigned i = 0; i < 8; i++) {
        g_assert_cmpuint(f.ram[RAM_SIZE - 8 + i], ==, 0x5a);
    }

    /* Straddling the hole into the ROM block: neither side corrupted. */
    g_assert_cmpuint(dma_op(&f, (0x20 << 16) | CTL_SELECT | CTL_READ, 64,
                            ROM_BASE - 32), ==, CTL_ERROR);
    g_assert_cmpuint(f.rom[0], ==, 0xaa);

    /* Huge length past the item's end: zero fill stops at RAM's end. */
    memset(f.ram + 0x10000, 0xee, 0x100);
    g_assert_cmpuint(dma_op(&f, (0x20 << 16) | CTL_SELECT | CTL_READ,
                            UINT32_MAX, 0x10000), ==, CTL_ERROR);
    g_assert_cmpuint(f.ram[0x10000], ==, 0x5a);
    g_assert_cmpuint(f.ram[0x10000 + 64], ==, 0);
    g_assert_cmpuint(f.ram[RAM_SIZE - 1], ==, 0);
    g_assert_cmpuint(f.rom[ROM_SIZE - 1], ==, 0xaa);

    /* Address wrapping around 2^64: the tail lands at 0, as QEMU's
     * address_space_rw() goes on with addr += l (seen by the probe). */
    memset(f.ram, 0xee, 64);
    g_assert_cmpuint(dma_op(&f, (0x20 << 16) | CTL_SELECT | CTL_READ, 64,
                            UINT64_MAX - 15), ==, CTL_ERROR);
    for (unsigned i = 0; i < 48; i++) {
        g_assert_cmpuint(f.ram[i], ==, 0x5a);
    }
    g_assert_cmpuint(f.ram[48], ==, 0xee);

    /* Skip never touches memory, wherever the address points. */
    g_assert_cmpuint(dma_op(&f, (0x20 << 16) | CTL_SELECT | CTL_SKIP,
                            UINT32_MAX, 0xffffffff00000000ULL), ==, 0);
    fixture_fini(&f);
}

/*
 * Deliberate difference (docs/status.md): a DMA whose buffer is a device's
 * MMIO window is not dispatched to the device's registers, as QEMU 7.2's
 * dma_memory_write() would; it fails like a hole, and the device never
 * sees a write. Here a register file at 0xfec00000 (an IOAPIC's place)
 * and the MSI window at 0xfee01000.
 */
static uint64_t mmio_writes;

static uint64_t mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

static void mmio_write(void *opaque, uint64_t addr, uint64_t data,
                       unsigned size)
{
    mmio_writes++;
}

static const MemoryRegionOps mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
};

static void test_dma_into_mmio(void)
{
    static const uint64_t targets[] = { 0xfec00000, 0xfee01000 };
    Fixture f;
    int owner;

    fixture_init(&f, true);
    address_space_clear(&address_space_memory);
    address_space_map(&address_space_memory, 0xfec00000, 0x1000, &mmio_ops,
                      NULL, "ioapic", &owner);
    address_space_map(&address_space_memory, 0xfee00000, 0x100000,
                      &mmio_ops, NULL, "kvm-apic-msi", &owner);
    mmio_writes = 0;
    for (unsigned i = 0; i < G_N_ELEMENTS(targets); i++) {
        g_assert_cmpuint(dma_op(&f, (FW_CFG_SIGNATURE << 16) | CTL_SELECT |
                                CTL_READ, 4, targets[i]), ==, CTL_ERROR);
    }
    g_assert_cmpuint(mmio_writes, ==, 0);
    address_space_clear(&address_space_memory);
    fixture_fini(&f);
}

/*
 * A read into a buffer that runs from RAM into a hole: QEMU 7.2's
 * fw_cfg_dma_transfer() gets MEMTX_DECODE_ERROR from dma_memory_write()
 * but the RAM part is written, the item cursor advances by the whole
 * length and the error ends the transfer; with -d guest_errors the memory
 * core logs the rejected part (memory_region_access_valid), fw_cfg itself
 * names the failed transfer.
 */
static void test_dma_across_hole(void)
{
    Fixture f;
    uint8_t *item = g_malloc(32);
    g_autofree char *log = NULL;

    for (unsigned i = 0; i < 32; i++) {
        item[i] = 0x80 + i;
    }
    fixture_init(&f, true);
    fw_cfg_add_file(f.fw, "big", item, 32);       /* key 0x20 */
    log_capture_start(LOG_GUEST_ERROR);
    g_assert_cmpuint(dma_op(&f, (0x20 << 16) | CTL_SELECT | CTL_READ, 32,
                            RAM_SIZE - 4), ==, CTL_ERROR);
    g_assert_cmpmem(f.ram + RAM_SIZE - 4, 4, item, 4);
    log = log_capture_take();
    g_assert_cmpstr(log, ==,
                    "Invalid write at addr 0x100000, size 4, "
                    "region '(null)', reason: rejected\n"
                    "Invalid write at addr 0x100004, size 4, "
                    "region '(null)', reason: rejected\n"
                    "Invalid write at addr 0x100008, size 4, "
                    "region '(null)', reason: rejected\n"
                    "Invalid write at addr 0x10000C, size 4, "
                    "region '(null)', reason: rejected\n"
                    "Invalid write at addr 0x100010, size 4, "
                    "region '(null)', reason: rejected\n"
                    "Invalid write at addr 0x100014, size 4, "
                    "region '(null)', reason: rejected\n"
                    "Invalid write at addr 0x100018, size 4, "
                    "region '(null)', reason: rejected\n"
                    "fw_cfg: DMA transfer failed (descriptor 0x1000)\n");
    /* The cursor moved past what was transferred: the rest reads 0. */
    g_assert_cmpuint(dma_op(&f, CTL_READ, 4, BUF), ==, 0);
    g_assert_cmpmem(f.ram + BUF, 4, "\0\0\0\0", 4);
    /* Without -d guest_errors nothing is logged. */
    qemu_loglevel = 0;
    g_assert_cmpuint(dma_op(&f, (0x20 << 16) | CTL_SELECT | CTL_READ, 32,
                            RAM_SIZE - 4), ==, CTL_ERROR);
    g_free(log);
    log = log_capture_take();
    g_assert_cmpstr(log, ==, "");
    log_capture_stop();
    fixture_fini(&f);
}

/* ---- The microvm item set (QEMU 7.2 dumps) ---------------------------- */

static X86MachineInfo microvm_info(GuestMemory *mem, uint64_t ram)
{
    X86MachineInfo info = {
        .mem = mem, .ram_size = ram, .boot_cpus = 2, .max_cpus = 4,
        .apic_id_limit = 4, .option_roms = true, .kernel_cmdline = "",
    };

    info.below_4g_mem_size = MIN(ram, MICROVM_MAX_BELOW_4G);
    info.above_4g_mem_size = ram - info.below_4g_mem_size;
    return info;
}

static uint64_t item_le(FWCfgState *fw, uint16_t key, size_t expect_len)
{
    size_t len;
    const uint8_t *p = fw_cfg_get_item(fw, key, &len);
    uint64_t v = 0;

    g_assert_nonnull(p);
    g_assert_cmpuint(len, ==, expect_len);
    while (len--) {
        v = (v << 8) | p[len];
    }
    return v;
}

/*
 * QEMU 7.2, -M microvm,acpi=off -smp 2,maxcpus=4 -m 4G -kernel K:
 * keys 0x00 "QEMU", 0x01 3, 0x02 zeros, 0x03 RAM, 0x04 0, 0x05 2, 0x0e 0,
 * 0x0f 4 (maxcpus, not the APIC id limit), 0x8002 1; nothing at 0x0d,
 * 0x8000, 0x8001, 0x8003, 0x8004; files bios-geometry (0),
 * bootorder "/rom@genroms/linuxboot_dma.bin\0", etc/boot-fail-wait ff*4,
 * etc/e820, etc/fdt (1 MiB), genroms/linuxboot_dma.bin (verbatim).
 */
static void test_microvm_items(void)
{
    static const char *const names[] = {
        "bios-geometry", "bootorder", "etc/boot-fail-wait", "etc/e820",
        "etc/fdt", "genroms/linuxboot_dma.bin",
    };
    g_autofree char *rom_path = NULL;
    g_autoptr(GPtrArray) roms = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) err = NULL;
    uint8_t rom[512];
    Fixture f;
    X86MachineInfo info;
    DirEntry dir[8];
    size_t len;
    const void *p;
    int fd;
    unsigned i;

    f.ram = g_malloc0(RAM_SIZE);
    f.rom = NULL;
    f.mem = guest_memory_new();
    guest_memory_add(f.mem, 0, RAM_SIZE, f.ram, false, "ram");
    info = microvm_info(f.mem, 4 * GiB);
    info.has_uuid = true;
    memcpy(info.uuid, "0123456789abcdef", 16);

    f.fw = x86_fw_cfg_create(&info, NULL);
    g_assert_nonnull(f.fw);

    fd = g_file_open_tmp("linuxboot_dma-XXXXXX.bin", &rom_path, &err);
    g_assert_no_error(err);
    for (i = 0; i < sizeof(rom); i++) {
        rom[i] = i * 7;
    }
    g_assert_cmpint(write(fd, rom, sizeof(rom)), ==, sizeof(rom));
    close(fd);
    g_ptr_array_add(roms, g_strdup(rom_path));
    g_assert_true(x86_fw_cfg_machine_done(f.fw, &info, roms, &error_abort));

    g_assert_cmpmem(fw_cfg_get_item(f.fw, FW_CFG_SIGNATURE, &len), len,
                    "QEMU", 4);
    g_assert_cmpuint(item_le(f.fw, FW_CFG_ID, 4), ==, 3);
    g_assert_cmpmem(fw_cfg_get_item(f.fw, FW_CFG_UUID, &len), len,
                    "0123456789abcdef", 16);
    g_assert_cmpuint(item_le(f.fw, FW_CFG_RAM_SIZE, 8), ==, 4 * GiB);
    g_assert_cmpuint(item_le(f.fw, FW_CFG_NOGRAPHIC, 2), ==, 0);
    g_assert_cmpuint(item_le(f.fw, FW_CFG_NB_CPUS, 2), ==, 2);
    g_assert_cmpuint(item_le(f.fw, FW_CFG_BOOT_MENU, 2), ==, 0);
    g_assert_cmpuint(item_le(f.fw, FW_CFG_MAX_CPUS, 2), ==, 4);
    g_assert_cmpuint(item_le(f.fw, FW_CFG_IRQ0_OVERRIDE, 4), ==, 1);
    g_assert_null(fw_cfg_get_item(f.fw, FW_CFG_NUMA, NULL));
    g_assert_null(fw_cfg_get_item(f.fw, FW_CFG_ACPI_TABLES, NULL));
    g_assert_null(fw_cfg_get_item(f.fw, FW_CFG_SMBIOS_ENTRIES, NULL));
    g_assert_null(fw_cfg_get_item(f.fw, FW_CFG_E820_TABLE, NULL));
    g_assert_null(fw_cfg_get_item(f.fw, FW_CFG_HPET, NULL));

    g_assert_cmpuint(read_dir(&f, dir, 8), ==, G_N_ELEMENTS(names));
    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        const char *want = names[i];
        g_autofree char *rom_file = NULL;
        g_autofree char *base = g_path_get_basename(rom_path);

        if (g_str_has_prefix(want, "genroms/")) {
            rom_file = g_strconcat("genroms/", base, NULL);
            want = rom_file;
        }
        g_assert_cmpstr(dir[i].name, ==, want);
        g_assert_cmpuint(dir[i].select, ==, FW_CFG_FILE_FIRST + i);
    }
    g_assert_cmpuint(dir[0].size, ==, 0);
    g_assert_cmpuint(dir[2].size, ==, 4);
    g_assert_cmpuint(dir[3].size, ==, 60);
    g_assert_cmpuint(dir[4].size, ==, MICROVM_DT_SIZE);
    g_assert_cmpuint(dir[5].size, ==, sizeof(rom));

    p = fw_cfg_get_file(f.fw, "bootorder", &len);
    g_assert_cmpuint(len, ==, strlen("/rom@genroms/") +
                     strlen(dir[5].name + strlen("genroms/")) + 1);
    g_assert_true(g_str_has_prefix(p, "/rom@genroms/linuxboot_dma-"));
    g_assert_cmpuint(((const char *)p)[len - 1], ==, 0);

    /* DMA the ROM out like the firmware does. */
    memset(f.ram + BUF, 0, 1024);
    g_assert_cmpuint(dma_op(&f, (dir[5].select << 16) | CTL_SELECT | CTL_READ,
                            sizeof(rom), BUF), ==, 0);
    g_assert_cmpmem(f.ram + BUF, sizeof(rom), rom, sizeof(rom));

    unlink(rom_path);
    qdev_unrealize_all();
    guest_memory_free(f.mem);
    g_free(f.ram);
}

/* Option ROMs off, missing ROM files, -nographic. */
static void test_microvm_no_roms(void)
{
    g_autoptr(GPtrArray) roms = g_ptr_array_new_with_free_func(g_free);
    Fixture f;
    X86MachineInfo info;
    DirEntry dir[8];
    size_t len;

    f.ram = g_malloc0(RAM_SIZE);
    f.mem = guest_memory_new();
    guest_memory_add(f.mem, 0, RAM_SIZE, f.ram, false, "ram");
    info = microvm_info(f.mem, 256 * MiB);
    info.no_graphic = true;
    f.fw = x86_fw_cfg_create(&info, NULL);
    g_assert_nonnull(f.fw);
    g_ptr_array_add(roms, g_strdup("/nonexistent/linuxboot_dma.bin"));
    g_assert_true(x86_fw_cfg_machine_done(f.fw, &info, roms, &error_abort));

    g_assert_cmpuint(item_le(f.fw, FW_CFG_NOGRAPHIC, 2), ==, 1);
    g_assert_cmpuint(read_dir(&f, dir, 8), ==, 5);
    g_assert_cmpstr(dir[1].name, ==, "bootorder");
    g_assert_cmpuint(dir[1].size, ==, 0);
    g_assert_null(fw_cfg_get_file(f.fw, "genroms/linuxboot_dma.bin", &len));
    qdev_unrealize_all();
    guest_memory_free(f.mem);
    g_free(f.ram);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_loglevel = 0;
    qdev_register_types();
    fw_cfg_register_types();

    g_test_add_func("/fw_cfg/port/signature-id", test_signature_and_id);
    g_test_add_func("/fw_cfg/port/access-sizes", test_port_access_sizes);
    g_test_add_func("/fw_cfg/port/select-ranges", test_select_ranges);
    g_test_add_func("/fw_cfg/reset", test_reset);
    g_test_add_func("/fw_cfg/dir/sorted", test_directory_sorted);
    g_test_add_func("/fw_cfg/dir/full", test_directory_full);
    g_test_add_func("/fw_cfg/dma/signature-register",
                    test_dma_signature_register);
    g_test_add_func("/fw_cfg/dma/read", test_dma_read);
    g_test_add_func("/fw_cfg/dma/skip-noop", test_dma_skip_and_noop);
    g_test_add_func("/fw_cfg/dma/write-refused", test_dma_write_refused);
    g_test_add_func("/fw_cfg/dma/invalid-key", test_dma_invalid_key);
    g_test_add_func("/fw_cfg/dma/bad-descriptor", test_dma_bad_descriptor);
    g_test_add_func("/fw_cfg/dma/bad-buffer", test_dma_bad_buffer);
    g_test_add_func("/fw_cfg/dma/across-hole", test_dma_across_hole);
    g_test_add_func("/fw_cfg/dma/into-mmio", test_dma_into_mmio);
    g_test_add_func("/fw_cfg/port/log", test_port_log);
    g_test_add_func("/fw_cfg/microvm/items", test_microvm_items);
    g_test_add_func("/fw_cfg/microvm/no-roms", test_microvm_no_roms);
    return g_test_run();
}
