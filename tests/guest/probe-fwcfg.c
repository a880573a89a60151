/*
 * Probe guest: fw_cfg through the ports and DMA, the items it serves,
 * its file directory (e820 and the device tree decoded) and DMA edges.
 * Source of truth: QEMU 7.2 docs/specs/fw_cfg.txt, hw/nvram/fw_cfg.c.
 */

#include "probe.h"

/* fw_cfg (docs/specs/fw_cfg.txt) */
#define FW_CFG_PORT_SEL     0x510
#define FW_CFG_PORT_DATA    0x511
#define FW_CFG_PORT_DMA_HI  0x514
#define FW_CFG_PORT_DMA_LO  0x518

#define FW_CFG_SIGNATURE    0x00
#define FW_CFG_ID           0x01
#define FW_CFG_RAM_SIZE     0x03
#define FW_CFG_NB_CPUS      0x05
#define FW_CFG_KERNEL_ADDR  0x07
#define FW_CFG_KERNEL_SIZE  0x08
#define FW_CFG_INITRD_ADDR  0x0a
#define FW_CFG_INITRD_SIZE  0x0b
#define FW_CFG_MAX_CPUS     0x0f
#define FW_CFG_KERNEL_ENTRY 0x10
#define FW_CFG_KERNEL_DATA  0x11
#define FW_CFG_INITRD_DATA  0x12
#define FW_CFG_CMDLINE_ADDR 0x13
#define FW_CFG_CMDLINE_SIZE 0x14
#define FW_CFG_CMDLINE_DATA 0x15
#define FW_CFG_SETUP_ADDR   0x16
#define FW_CFG_SETUP_SIZE   0x17
#define FW_CFG_SETUP_DATA   0x18
#define FW_CFG_FILE_DIR     0x19
#define FW_CFG_IRQ0_OVERRIDE 0x8002

#define FW_CFG_DMA_CTL_ERROR  0x01
#define FW_CFG_DMA_CTL_READ   0x02
#define FW_CFG_DMA_CTL_SKIP   0x04
#define FW_CFG_DMA_CTL_SELECT 0x08
#define FW_CFG_DMA_CTL_WRITE  0x10

/* Far outside guest RAM whatever -m says: DMA there must fail. */
#define ADDR_OUTSIDE_RAM    0x10000000000ULL

typedef struct FWCfgDmaAccess {
    uint32_t control;
    uint32_t length;
    uint64_t address;
} __attribute__((packed)) FWCfgDmaAccess;

/* ---- fw_cfg ---- */

static void fw_cfg_select(uint16_t key)
{
    outw(FW_CFG_PORT_SEL, key);
}

static uint32_t fw_cfg_read32(uint16_t key)
{
    uint8_t b[4];

    fw_cfg_select(key);
    insb(FW_CFG_PORT_DATA, b, 4);
    return get32(b);
}

static uint64_t fw_cfg_read64(uint16_t key)
{
    uint8_t b[8];

    fw_cfg_select(key);
    insb(FW_CFG_PORT_DATA, b, 8);
    return get64(b);
}

static FWCfgDmaAccess dma_access __attribute__((aligned(16)));

/*
 * One DMA request, started by writing the descriptor address (big
 * endian, high half first; the low half write triggers the transfer).
 * QEMU completes it before the port write returns; the loop bound only
 * guards against a VMM that does not.  Returns the control word.
 */
static uint32_t fw_cfg_dma_at(FWCfgDmaAccess *desc, uint64_t desc_addr,
                              uint32_t control, uint64_t addr, uint32_t len)
{
    desc->control = bswap32(control);
    desc->length = bswap32(len);
    desc->address = bswap64(addr);
    asm volatile("" : : : "memory");
    outl(FW_CFG_PORT_DMA_HI, bswap32(desc_addr >> 32));
    outl(FW_CFG_PORT_DMA_LO, bswap32((uint32_t)desc_addr));
    for (int i = 0; i < 1000; i++) {
        uint32_t c = bswap32(*(volatile uint32_t *)&desc->control);

        if (!(c & ~FW_CFG_DMA_CTL_ERROR)) {
            return c;
        }
    }
    return bswap32(*(volatile uint32_t *)&desc->control);
}

static uint32_t fw_cfg_dma(uint32_t control, uint64_t addr, uint32_t len)
{
    return fw_cfg_dma_at(&dma_access, (uint32_t)&dma_access, control,
                         addr, len);
}

typedef struct ItemHash {
    uint32_t port_fnv;
    uint32_t dma_fnv;
    uint32_t dma_errors;
    uint8_t head[16];
} ItemHash;

/*
 * Read an item both ways and hash it.  Only the first CHUNK bytes are
 * hashed: guest time is precious (about 1.6 M instructions/s here) and
 * the one big item, etc/fdt, is mostly padding; its content is decoded
 * by report_fdt instead.
 */
static void fw_cfg_hash_item(uint16_t key, uint32_t len, ItemHash *ih)
{
    uint32_t n = len < CHUNK ? len : CHUNK;

    memset(ih->head, 0, sizeof(ih->head));
    fw_cfg_select(key);
    insb(FW_CFG_PORT_DATA, probe_buf_a, n);
    memcpy(ih->head, probe_buf_a, n < 16 ? n : 16);
    ih->port_fnv = fnv1a(FNV_INIT, probe_buf_a, n);

    ih->dma_errors = fw_cfg_dma(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ |
                                ((uint32_t)key << 16),
                                (uint32_t)probe_buf_b, n) != 0;
    ih->dma_fnv = fnv1a(FNV_INIT, probe_buf_b, n);
}

static void report_item_hash(const char *prefix, const char *name,
                             uint32_t len, const ItemHash *ih)
{
    if (len > CHUNK) {
        pr("%s%s.hashed=%x\n", prefix, name, CHUNK);
    }
    pr("%s%s.fnv=%8x\n", prefix, name, ih->port_fnv);
    pr("%s%s.head=", prefix, name);
    put_bytes(ih->head, len < 16 ? len : 16);
    put_str("\n");
    if (ih->dma_errors || ih->dma_fnv != ih->port_fnv) {
        pr("%s%s.dma=mismatch fnv=%8x errors=%u\n", prefix, name,
           ih->dma_fnv, ih->dma_errors);
    } else {
        pr("%s%s.dma=same\n", prefix, name);
    }
}

/* Selector keys of docs/specs/fw_cfg.txt and hw/i386/fw_cfg.h. */
static const struct {
    uint16_t key;
    const char *name;
} fw_cfg_scalar_keys[] = {
    { 0x00, "signature" },
    { 0x01, "id" },
    { 0x02, "uuid" },
    { 0x03, "ram_size" },
    { 0x04, "nographic" },
    { 0x05, "nb_cpus" },
    { 0x06, "machine_id" },
    { 0x07, "kernel_addr" },
    { 0x08, "kernel_size" },
    { 0x09, "kernel_cmdline" },
    { 0x0a, "initrd_addr" },
    { 0x0b, "initrd_size" },
    { 0x0c, "boot_device" },
    { 0x0d, "numa" },
    { 0x0e, "boot_menu" },
    { 0x0f, "max_cpus" },
    { 0x10, "kernel_entry" },
    { 0x13, "cmdline_addr" },
    { 0x14, "cmdline_size" },
    { 0x16, "setup_addr" },
    { 0x17, "setup_size" },
    { 0x1a, "0x1a" },
    { 0x8000, "acpi_tables" },
    { 0x8001, "smbios_entries" },
    { 0x8002, "irq0_override" },
    { 0x8003, "e820_table" },
    { 0x8004, "hpet" },
};

/*
 * Items without a size in the directory: hash a fixed window.  Past its
 * end an item reads as zeros (fw_cfg_data_read), so the window covers
 * every byte QEMU puts in these and compares the zero tail too.
 */
#define SCALAR_WINDOW 512

static void report_fw_cfg_keys(void)
{
    for (size_t i = 0; i < sizeof(fw_cfg_scalar_keys) /
                               sizeof(fw_cfg_scalar_keys[0]); i++) {
        ItemHash ih;

        fw_cfg_hash_item(fw_cfg_scalar_keys[i].key, SCALAR_WINDOW, &ih);
        report_item_hash("fwcfg.key.", fw_cfg_scalar_keys[i].name,
                         SCALAR_WINDOW, &ih);
    }

    pr("fwcfg.ram_size=%X\n", fw_cfg_read64(FW_CFG_RAM_SIZE));
    fw_cfg_select(FW_CFG_NB_CPUS);
    pr("fwcfg.nb_cpus=%u\n", (uint32_t)inb(FW_CFG_PORT_DATA) |
                             (inb(FW_CFG_PORT_DATA) << 8));
    fw_cfg_select(FW_CFG_MAX_CPUS);
    pr("fwcfg.max_cpus=%u\n", (uint32_t)inb(FW_CFG_PORT_DATA) |
                              (inb(FW_CFG_PORT_DATA) << 8));
    pr("fwcfg.irq0_override=%x\n", fw_cfg_read32(FW_CFG_IRQ0_OVERRIDE));
}

/* Linux-boot items: the sizes come from their companion keys. */
static void report_fw_cfg_boot_items(void)
{
    static const struct {
        uint16_t addr_key, size_key, data_key;
        const char *name;
    } items[] = {
        { FW_CFG_KERNEL_ADDR, FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_DATA,
          "kernel" },
        { FW_CFG_SETUP_ADDR, FW_CFG_SETUP_SIZE, FW_CFG_SETUP_DATA,
          "setup" },
        { FW_CFG_CMDLINE_ADDR, FW_CFG_CMDLINE_SIZE, FW_CFG_CMDLINE_DATA,
          "cmdline" },
        { FW_CFG_INITRD_ADDR, FW_CFG_INITRD_SIZE, FW_CFG_INITRD_DATA,
          "initrd" },
    };

    pr("fwcfg.kernel_entry=%x\n", fw_cfg_read32(FW_CFG_KERNEL_ENTRY));
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        uint32_t size = fw_cfg_read32(items[i].size_key);
        ItemHash ih;

        pr("fwcfg.%s.addr=%x\n", items[i].name,
           fw_cfg_read32(items[i].addr_key));
        pr("fwcfg.%s.size=%x\n", items[i].name, size);
        fw_cfg_hash_item(items[i].data_key, size, &ih);
        report_item_hash("fwcfg.", items[i].name, size, &ih);
    }

    fw_cfg_select(FW_CFG_CMDLINE_DATA);
    pr("fwcfg.cmdline.text=");
    for (int i = 0; i < 2048; i++) {
        uint8_t c = inb(FW_CFG_PORT_DATA);

        if (!c) {
            break;
        }
        put_escaped(&c, 1);
    }
    put_str("\n");
}

static void report_e820(const uint8_t *p, uint32_t size)
{
    uint32_t n = size / 20;

    pr("e820.count=%u\n", n);
    for (uint32_t i = 0; i < n && i < 128; i++) {
        const uint8_t *e = p + i * 20;

        pr("e820.%u=%16X+%16X type=%u\n", i, get64(e), get64(e + 8),
           get32(e + 16));
    }
}

/* ---- flattened device tree (devicetree spec v0.4, chapter 5) ---- */

#define FDT_MAGIC       0xd00dfeedu
#define FDT_BEGIN_NODE  1
#define FDT_END_NODE    2
#define FDT_PROP        3
#define FDT_NOP         4
#define FDT_END         9
#define FDT_MAX_PATH    256

static bool fdt_is_string(const uint8_t *v, uint32_t len)
{
    if (len == 0 || v[len - 1] != 0) {
        return false;
    }
    for (uint32_t i = 0; i + 1 < len; i++) {
        if (v[i] != 0 && (v[i] < 0x20 || v[i] >= 0x7f)) {
            return false;
        }
    }
    return true;
}

static void fdt_put_value(const uint8_t *v, uint32_t len)
{
    if (fdt_is_string(v, len)) {
        put_str("\"");
        put_escaped(v, len - 1);
        put_str("\"");
    } else if (len <= 64) {
        put_bytes(v, len);
    } else {
        pr("len=%x fnv=%8x", len, fnv1a(FNV_INIT, v, len));
    }
}

/*
 * One line per property, keyed by node path: a difference then names
 * the node and property.  Every offset comes from the item and is
 * checked against what was read.
 */
static void report_fdt(const uint8_t *fdt, uint32_t avail)
{
    uint32_t off_struct, size_struct, off_strings, size_strings;
    char path[FDT_MAX_PATH];
    uint32_t path_len = 0, depth = 0, pos;

    if (avail < 40 || get32_be(fdt) != FDT_MAGIC) {
        pr("fdt=invalid\n");
        return;
    }
    off_struct = get32_be(fdt + 8);
    off_strings = get32_be(fdt + 12);
    size_strings = get32_be(fdt + 32);
    size_struct = get32_be(fdt + 36);
    pr("fdt.totalsize=%x\n", get32_be(fdt + 4));
    pr("fdt.version=%u\n", get32_be(fdt + 20));
    pr("fdt.last_comp_version=%u\n", get32_be(fdt + 24));
    pr("fdt.boot_cpuid_phys=%u\n", get32_be(fdt + 28));
    pr("fdt.size_dt_struct=%x\n", size_struct);
    pr("fdt.size_dt_strings=%x\n", size_strings);
    if (off_struct > avail || size_struct > avail - off_struct ||
        off_strings > avail || size_strings > avail - off_strings) {
        pr("fdt=truncated\n");
        return;
    }

    path[0] = 0;
    pos = off_struct;
    while (pos + 4 <= off_struct + size_struct) {
        uint32_t tag = get32_be(fdt + pos);

        pos += 4;
        if (tag == FDT_BEGIN_NODE) {
            const char *name = (const char *)fdt + pos;
            uint32_t n = 0;

            while (pos + n < avail && name[n]) {
                n++;
            }
            if (depth > 0 && path_len + n + 2 < FDT_MAX_PATH) {
                path[path_len++] = '/';
                memcpy(path + path_len, name, n);
                path_len += n;
                path[path_len] = 0;
            }
            depth++;
            pos = (pos + n + 1 + 3) & ~3u;
        } else if (tag == FDT_END_NODE) {
            while (path_len > 0 && path[path_len - 1] != '/') {
                path_len--;
            }
            if (path_len > 0) {
                path_len--;
            }
            path[path_len] = 0;
            if (depth-- == 0) {
                break;
            }
        } else if (tag == FDT_PROP) {
            uint32_t len, nameoff;

            if (pos + 8 > avail) {
                break;
            }
            len = get32_be(fdt + pos);
            nameoff = get32_be(fdt + pos + 4);
            pos += 8;
            if (len > avail - pos || nameoff >= size_strings) {
                pr("fdt=bad_property\n");
                return;
            }
            pr("fdt.%s:", path_len ? path : "/");
            put_str((const char *)fdt + off_strings + nameoff);
            put_str("=");
            fdt_put_value(fdt + pos, len);
            put_str("\n");
            pos = (pos + len + 3) & ~3u;
        } else if (tag == FDT_END) {
            break;
        } else if (tag != FDT_NOP) {
            pr("fdt=bad_tag %x\n", tag);
            return;
        }
    }
}

static void report_fw_cfg_files(void)
{
    uint8_t hdr[4];
    uint32_t count;

    fw_cfg_select(FW_CFG_FILE_DIR);
    insb(FW_CFG_PORT_DATA, hdr, 4);
    count = get32_be(hdr);
    pr("fwcfg.files=%u\n", count);
    if (count > 256) {
        return;
    }

    /* Read the whole directory first: hashing items moves the cursor. */
    insb(FW_CFG_PORT_DATA, probe_buf_dir, count * 64);
    for (uint32_t i = 0; i < count; i++) {
        uint8_t *f = probe_buf_dir + i * 64;
        uint32_t size = get32_be(f);
        uint16_t select = (f[4] << 8) | f[5];
        char name[57];
        ItemHash ih;

        memcpy(name, f + 8, 56);
        name[56] = 0;
        pr("fwcfg.file.%s.select=%x\n", name, select);
        pr("fwcfg.file.%s.size=%x\n", name, size);
        fw_cfg_hash_item(select, size, &ih);
        report_item_hash("fwcfg.file.", name, size, &ih);
        if (str_eq(name, "etc/e820") && size <= CHUNK) {
            report_e820(probe_buf_a, size);
        }
        if (str_eq(name, "etc/fdt")) {
            report_fdt(probe_buf_a, size < CHUNK ? size : CHUNK);
        }
    }
}

/*
 * Transfers only partly into RAM. QEMU 7.2's dma_memory_write goes
 * through address_space_rw section by section: the RAM part is written,
 * the rest reported (control = error). The low RAM ends at RAM_SIZE, or
 * 3 GiB above that (microvm_memory_init); a range running past 2^64
 * continues at address 0 as the address arithmetic wraps.
 */
static void report_fw_cfg_dma_partial(void)
{
    uint64_t ram_size = fw_cfg_read64(FW_CFG_RAM_SIZE);
    uint32_t ram_end = ram_size > 0xc0000000 ? 0xc0000000 : ram_size;
    uint8_t *tail = (uint8_t *)(ram_end - 2);
    uint8_t *low, saved[2];
    uint32_t ctl;

    tail[0] = tail[1] = 0xaa;
    ctl = fw_cfg_dma(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
                     ram_end - 2, 4);
    pr("fwcfg.dma.ram_end.control=%x\n", ctl);
    pr("fwcfg.dma.ram_end.data=");
    put_bytes(tail, 2);
    put_str("\n");

    /* Address 0 through a register: gcc may not see a null dereference. */
    asm("" : "=r"(low) : "0"(0));
    saved[0] = low[0];
    saved[1] = low[1];
    low[0] = low[1] = 0xaa;
    ctl = fw_cfg_dma(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
                     0xfffffffffffffffeULL, 4);
    pr("fwcfg.dma.wrap.control=%x\n", ctl);
    pr("fwcfg.dma.wrap.low=");
    put_bytes(low, 2);
    put_str("\n");
    low[0] = saved[0];
    low[1] = saved[1];
}

/* Guest mistakes the device must survive, each with its visible result. */
static void report_fw_cfg_dma_edges(void)
{
    uint8_t *buf = probe_buf_b;
    uint32_t ctl;

    pr("fwcfg.dma.sig_hi=%8x\n", bswap32(inl(FW_CFG_PORT_DMA_HI)));
    pr("fwcfg.dma.sig_lo=%8x\n", bswap32(inl(FW_CFG_PORT_DMA_LO)));

    memset(buf, 0xaa, 16);
    ctl = fw_cfg_dma(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
                     (uint32_t)buf, 4);
    pr("fwcfg.dma.read_sig.control=%x\n", ctl);
    pr("fwcfg.dma.read_sig.data=");
    put_escaped(buf, 4);
    put_str("\n");

    /* Reading past the end of an item fills zeros. */
    memset(buf, 0xaa, 16);
    ctl = fw_cfg_dma(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
                     (uint32_t)buf, 8);
    pr("fwcfg.dma.past_end.control=%x\n", ctl);
    pr("fwcfg.dma.past_end.data=");
    put_bytes(buf, 10);
    put_str("\n");

    memset(buf, 0xaa, 16);
    fw_cfg_dma(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_SKIP, 0, 2);
    ctl = fw_cfg_dma(FW_CFG_DMA_CTL_READ, (uint32_t)buf, 2);
    pr("fwcfg.dma.skip.control=%x\n", ctl);
    pr("fwcfg.dma.skip.data=");
    put_escaped(buf, 2);
    put_str("\n");

    ctl = fw_cfg_dma(0, (uint32_t)buf, 4);
    pr("fwcfg.dma.no_op.control=%x\n", ctl);

    ctl = fw_cfg_dma(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
                     ADDR_OUTSIDE_RAM, 4);
    pr("fwcfg.dma.outside_ram.control=%x\n", ctl);

    ctl = fw_cfg_dma(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_WRITE |
                     ((uint32_t)FW_CFG_RAM_SIZE << 16), (uint32_t)buf, 4);
    pr("fwcfg.dma.write_readonly.control=%x\n", ctl);
    pr("fwcfg.dma.write_readonly.ram_size=%X\n",
       fw_cfg_read64(FW_CFG_RAM_SIZE));

    report_fw_cfg_dma_partial();

    /* Selecting a key that does not exist, then reading. */
    memset(buf, 0xaa, 16);
    ctl = fw_cfg_dma(FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ |
                     (0x7fffu << 16), (uint32_t)buf, 4);
    pr("fwcfg.dma.bad_key.control=%x\n", ctl);
    pr("fwcfg.dma.bad_key.data=");
    put_bytes(buf, 4);
    put_str("\n");

    /*
     * A descriptor outside RAM: nothing can be read back from it, so
     * show that the port cursor kept going where it was.
     */
    fw_cfg_select(FW_CFG_SIGNATURE);
    buf[0] = inb(FW_CFG_PORT_DATA);
    outl(FW_CFG_PORT_DMA_HI, bswap32((uint32_t)(ADDR_OUTSIDE_RAM >> 32)));
    outl(FW_CFG_PORT_DMA_LO, bswap32((uint32_t)ADDR_OUTSIDE_RAM));
    buf[1] = inb(FW_CFG_PORT_DATA);
    pr("fwcfg.dma.desc_outside_ram.port_after=");
    put_escaped(buf, 2);
    put_str("\n");

    /* Port-side edges: past the end, and a write to the data port. */
    fw_cfg_select(FW_CFG_SIGNATURE);
    insb(FW_CFG_PORT_DATA, buf, 6);
    pr("fwcfg.port.past_end=");
    put_bytes(buf, 6);
    put_str("\n");
    fw_cfg_select(FW_CFG_SIGNATURE);
    outb(FW_CFG_PORT_DATA, 'X');
    insb(FW_CFG_PORT_DATA, buf, 4);
    pr("fwcfg.port.after_data_write=");
    put_escaped(buf, 4);
    put_str("\n");
    fw_cfg_select(0x7fff);
    insb(FW_CFG_PORT_DATA, buf, 4);
    pr("fwcfg.port.bad_key=");
    put_bytes(buf, 4);
    put_str("\n");
}

void report_fw_cfg(void)
{
    uint8_t sig[4];

    fw_cfg_select(FW_CFG_SIGNATURE);
    insb(FW_CFG_PORT_DATA, sig, 4);
    pr("fwcfg.signature=");
    put_escaped(sig, 4);
    put_str("\n");
    pr("fwcfg.id=%8x\n", fw_cfg_read32(FW_CFG_ID));
    if (sig[0] != 'Q') {
        return;
    }
    report_fw_cfg_keys();
    report_fw_cfg_boot_items();
    report_fw_cfg_files();
    report_fw_cfg_dma_edges();
}
