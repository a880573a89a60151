/*
 * Probe guest: looks at the machine and prints one key=value line per
 * fact on COM1, for tests/guest/run-diff to compare against QEMU 7.2.
 * Sources of truth: QEMU 7.2 docs/specs/fw_cfg.txt and hw/nvram/fw_cfg.c
 * (ports, DMA), hw/i386/x86.c x86_load_linux (setup header), qboot.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* COM1 (8250/16550 register offsets) */
#define COM1            0x3f8
#define UART_LSR_THRE   0x20

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

#define IOAPIC_BASE     0xfec00000u
#define IOAPIC2_BASE    0xfec10000u
#define VIRTIO_MMIO_BASE 0xfeb00000u
#define VIRTIO_MMIO_SLOTS 32
#define VIRTIO_MMIO_MAGIC 0x74726976u

#define CHUNK           0x10000u

/* Laid out by probe-head.S and probe.ld. */
typedef struct ProbeEntryRegs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
    uint16_t cs, ds, es, fs, gs, ss;
    uint32_t eflags;
    uint32_t cr0;
} __attribute__((packed)) ProbeEntryRegs;

typedef struct FWCfgDmaAccess {
    uint32_t control;
    uint32_t length;
    uint64_t address;
} __attribute__((packed)) FWCfgDmaAccess;

extern char probe_entry_regs[];
extern uint8_t probe_buf_a[], probe_buf_b[], probe_buf_dir[];
void probe_main(uint8_t *boot_params);

/* ---- freestanding basics (gcc may call these for struct copies) ---- */

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

void *memset(void *s, int c, size_t n)
{
    uint8_t *p = s;

    while (n--) {
        *p++ = c;
    }
    return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;

    while (n--) {
        *dp++ = *sp++;
    }
    return d;
}

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* ---- port, MMIO, MSR, CPUID ---- */

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;

    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* String input: KVM batches it, so a whole chunk costs few exits. */
static inline void insb(uint16_t port, void *buf, uint32_t n)
{
    asm volatile("rep insb" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

static inline uint32_t mmio_read32(uint32_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uint32_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
    asm volatile("cpuid"
                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                 : "a"(leaf), "c"(0));
}

static inline uint32_t bswap32(uint32_t v)
{
    return __builtin_bswap32(v);
}

static inline uint64_t bswap64(uint64_t v)
{
    return __builtin_bswap64(v);
}

static uint16_t get16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | ((uint32_t)get16(p + 2) << 16);
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | ((uint64_t)get32(p + 4) << 32);
}

static uint32_t get32_be(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

/* ---- output on COM1 ---- */

static void serial_putc(char c)
{
    /*
     * Bounded wait: without a UART, LSR reads 0xff (THRE set) and the
     * bytes go nowhere, which is what isa-serial=off runs expect.
     */
    for (int i = 0; i < 100000; i++) {
        if (inb(COM1 + 5) & UART_LSR_THRE) {
            break;
        }
    }
    outb(COM1, c);
}

static void put_str(const char *s)
{
    while (*s) {
        serial_putc(*s++);
    }
}

static void put_hex(uint64_t v, int width)
{
    char buf[17];
    int n = 0;

    do {
        buf[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v && n < 16);
    while (n < width && n < 16) {
        buf[n++] = '0';
    }
    while (n) {
        serial_putc(buf[--n]);
    }
}

static void put_dec(uint32_t v)
{
    char buf[10];
    int n = 0;

    do {
        buf[n++] = '0' + v % 10;
        v /= 10;
    } while (v);
    while (n) {
        serial_putc(buf[--n]);
    }
}

/* Printable ASCII as is, anything else (and the backslash) as \xNN. */
static void put_escaped(const uint8_t *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\') {
            serial_putc(s[i]);
        } else {
            put_str("\\x");
            put_hex(s[i], 2);
        }
    }
}

static void put_bytes(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        put_hex(p[i], 2);
    }
}

/*
 * A small printf: %s, %c, %u, %x (u32), %X (u64), with an optional
 * zero-pad width for hex; hex values get a 0x prefix.
 */
static void pr(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        int width = 0;

        if (*fmt != '%') {
            serial_putc(*fmt);
            continue;
        }
        fmt++;
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        switch (*fmt) {
        case 's':
            put_str(va_arg(ap, const char *));
            break;
        case 'c':
            serial_putc(va_arg(ap, int));
            break;
        case 'u':
            put_dec(va_arg(ap, uint32_t));
            break;
        case 'x':
            put_str("0x");
            put_hex(va_arg(ap, uint32_t), width);
            break;
        case 'X':
            put_str("0x");
            put_hex(va_arg(ap, uint64_t), width);
            break;
        default:
            serial_putc(*fmt);
            break;
        }
    }
    va_end(ap);
}

/* ---- hashing ---- */

#define FNV_INIT 0x811c9dc5u

static uint32_t fnv1a(uint32_t h, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x01000193u;
    }
    return h;
}

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

static void report_fw_cfg(void)
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

/* ---- boot protocol ---- */

static void report_entry(const uint8_t *bp)
{
    const ProbeEntryRegs *r =
        (const ProbeEntryRegs *)(bp + (uint32_t)probe_entry_regs);

    pr("entry.cs=%4x\n", r->cs);
    pr("entry.ds=%4x\n", r->ds);
    pr("entry.es=%4x\n", r->es);
    pr("entry.fs=%4x\n", r->fs);
    pr("entry.gs=%4x\n", r->gs);
    pr("entry.ss=%4x\n", r->ss);
    pr("entry.esp=%8x\n", r->esp);
    pr("entry.eax=%8x\n", r->eax);
    pr("entry.ebx=%8x\n", r->ebx);
    pr("entry.ecx=%8x\n", r->ecx);
    pr("entry.edx=%8x\n", r->edx);
    pr("entry.esi=%8x\n", r->esi);
    pr("entry.edi=%8x\n", r->edi);
    pr("entry.ebp=%8x\n", r->ebp);
    pr("entry.eflags=%8x\n", r->eflags);
    pr("entry.cr0=%8x\n", r->cr0);
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
        const uint8_t *s = (const uint8_t *)cmd_line_ptr;
        uint32_t n = 0;

        while (n < 2048 && s[n]) {
            n++;
        }
        put_escaped(s, n);
    }
    put_str("\n");

    if (rd_image && rd_size) {
        pr("initrd.mem.fnv=%8x\n",
           fnv1a(FNV_INIT, (const uint8_t *)rd_image, rd_size));
    } else {
        pr("initrd.mem=none\n");
    }
}

/* ---- legacy devices ---- */

static void report_serial(const uint8_t regs[8])
{
    static const char *const names[8] = {
        "rbr", "ier", "iir", "lcr", "mcr", "lsr", "msr", "scr"
    };

    for (int i = 1; i < 8; i++) {
        pr("serial.%s=%2x\n", names[i], regs[i]);
    }

    outb(COM1 + 7, 0x5a);
    pr("serial.scr_rw=%2x\n", inb(COM1 + 7));
    outb(COM1 + 7, regs[7]);

    /* The divisor latch, visible only with DLAB set. */
    outb(COM1 + 3, regs[3] | 0x80);
    pr("serial.divisor=%4x\n", inb(COM1) | (inb(COM1 + 1) << 8));
    outb(COM1 + 3, regs[3]);
}

static void report_pic(void)
{
    uint8_t imr1 = inb(0x21), imr2 = inb(0xa1);

    pr("pic.imr1=%2x\n", imr1);
    pr("pic.imr2=%2x\n", imr2);
    outb(0x21, 0x5a);
    outb(0xa1, 0xa5);
    pr("pic.imr1_rw=%2x\n", inb(0x21));
    pr("pic.imr2_rw=%2x\n", inb(0xa1));
    outb(0x21, imr1);
    outb(0xa1, imr2);
    /* OCW3: read ISR (IRR depends on when the PIT fired, ISR does not). */
    outb(0x20, 0x0b);
    outb(0xa0, 0x0b);
    pr("pic.isr1=%2x\n", inb(0x20));
    pr("pic.isr2=%2x\n", inb(0xa0));
    outb(0x20, 0x0a);
    outb(0xa0, 0x0a);
}

static uint16_t pit_latch0(void)
{
    outb(0x43, 0x00);
    return inb(0x40) | (inb(0x40) << 8);
}

static void report_pit(void)
{
    uint16_t first;
    bool counting = false;

    /* Channel 0, lobyte/hibyte, mode 2, binary: count 0x1000. */
    outb(0x43, 0x34);
    outb(0x40, 0x00);
    outb(0x40, 0x10);
    /* Read-back of status only: RW and mode bits are deterministic. */
    outb(0x43, 0xe2);
    pr("pit.status=%2x\n", inb(0x40) & 0x3f);

    first = pit_latch0();
    for (int i = 0; i < 8 && !counting; i++) {
        for (volatile int d = 0; d < 200; d++) {
        }
        counting = pit_latch0() != first;
    }
    pr("pit.counting=%u\n", counting);
}

static uint8_t cmos_read(uint8_t idx)
{
    outb(0x70, idx);
    return inb(0x71);
}

static void report_cmos(void)
{
    pr("cmos.0a=%2x\n", cmos_read(0x0a) & 0x7f);    /* bit 7: UIP */
    pr("cmos.0b=%2x\n", cmos_read(0x0b));
    pr("cmos.0d=%2x\n", cmos_read(0x0d));
    /* 0x0e..0x7f, without the century byte (0x32), which is the clock. */
    pr("cmos.0e_7f=");
    for (uint8_t i = 0x0e; i < 0x80; i++) {
        put_hex(i == 0x32 ? 0 : cmos_read(i), 2);
    }
    put_str("\n");
}

/* ---- APICs ---- */

static uint32_t ioapic_read(uint32_t base, uint8_t reg)
{
    mmio_write32(base, reg);
    return mmio_read32(base + 0x10);
}

static void report_ioapic(const char *name, uint32_t base)
{
    uint32_t ver = ioapic_read(base, 1);
    uint32_t pins = ((ver >> 16) & 0xff) + 1;

    pr("%s.id=%8x\n", name, ioapic_read(base, 0));
    pr("%s.version=%8x\n", name, ver);
    pr("%s.arb=%8x\n", name, ioapic_read(base, 2));
    if (ver == 0 || ver == 0xffffffffu) {
        return;
    }
    pr("%s.redir=", name);
    for (uint32_t i = 0; i < pins && i < 64; i++) {
        put_hex(ioapic_read(base, 0x11 + 2 * i), 8);
        put_hex(ioapic_read(base, 0x10 + 2 * i), 8);
        put_str(i + 1 < pins ? "," : "");
    }
    put_str("\n");
}

static void report_lapic(void)
{
    static const struct {
        uint16_t off;
        const char *name;
    } regs[] = {
        { 0x020, "id" }, { 0x030, "version" }, { 0x080, "tpr" },
        { 0x0d0, "ldr" }, { 0x0e0, "dfr" }, { 0x0f0, "svr" },
        { 0x320, "lvt_timer" }, { 0x340, "lvt_perf" },
        { 0x350, "lvt_lint0" }, { 0x360, "lvt_lint1" },
        { 0x370, "lvt_error" }, { 0x380, "timer_icr" },
        { 0x3e0, "timer_dcr" },
    };
    uint64_t base = rdmsr(0x1b);
    uint32_t mmio = (uint32_t)base & 0xfffff000u;

    pr("lapic.base_msr=%X\n", base);
    if (!(base & (1 << 11)) || (base & (1 << 10))) {
        return;     /* disabled, or x2APIC: no MMIO window */
    }
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        pr("lapic.%s=%8x\n", regs[i].name, mmio_read32(mmio + regs[i].off));
    }
}

static void report_cpuid(void)
{
    uint32_t r[4];

    cpuid(0, r);
    pr("cpuid.0.max=%x\n", r[0]);
    pr("cpuid.0.vendor=");
    put_escaped((const uint8_t *)&r[1], 4);
    put_escaped((const uint8_t *)&r[3], 4);
    put_escaped((const uint8_t *)&r[2], 4);
    put_str("\n");

    cpuid(1, r);
    pr("cpuid.1.hypervisor=%u\n", r[2] >> 31);
    pr("cpuid.1.apic_id=%u\n", r[1] >> 24);

    for (uint32_t leaf = 0x40000000; leaf <= 0x40000001; leaf++) {
        cpuid(leaf, r);
        pr("cpuid.%x=%8x %8x %8x %8x\n", leaf, r[0], r[1], r[2], r[3]);
    }
}

static void report_virtio_mmio(void)
{
    uint32_t found = 0;

    for (uint32_t i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        uint32_t base = VIRTIO_MMIO_BASE + i * 0x200;

        if (mmio_read32(base) != VIRTIO_MMIO_MAGIC) {
            continue;
        }
        found++;
        pr("virtio_mmio.%u=version=%u device=%u vendor=%x\n", i,
           mmio_read32(base + 4), mmio_read32(base + 8),
           mmio_read32(base + 12));
    }
    pr("virtio_mmio.count=%u\n", found);
}

/* Only tables in plain low memory are read (not MMIO, not above 4 GiB). */
static bool acpi_addr_ok(uint64_t addr)
{
    return addr >= 0x1000 && addr < 0xfe000000u;
}

static void report_acpi_table(uint64_t addr)
{
    const uint8_t *t = (const uint8_t *)(uint32_t)addr;
    uint32_t len;
    uint8_t sum = 0;
    char sig[5];

    if (!acpi_addr_ok(addr)) {
        pr("acpi.table_at_%X=out_of_range\n", addr);
        return;
    }
    memcpy(sig, t, 4);
    sig[4] = 0;
    len = get32(t + 4);
    for (uint32_t i = 0; i < len && i < 0x100000; i++) {
        sum += t[i];
    }
    pr("acpi.%s=len=%x rev=%u sum_ok=%u fnv=%8x oem=", sig, len, t[8],
       sum == 0, fnv1a(FNV_INIT, t, len < 0x100000 ? len : 0x100000));
    put_escaped(t + 10, 6);
    put_str(",");
    put_escaped(t + 16, 8);
    put_str("\n");
    /* The DSDT is reached only through the FADT (ACPI 5.2.9). */
    if (str_eq(sig, "FACP") && len >= 44) {
        report_acpi_table(get32(t + 40));
    }
}

/* The RSDP lives in the BIOS area on a 16-byte boundary (ACPI 5.2.5.1). */
static void report_acpi(void)
{
    for (uint32_t a = 0xe0000; a < 0x100000; a += 16) {
        const uint8_t *p = (const uint8_t *)a;
        uint64_t root;
        uint32_t entry_size;
        const uint8_t *r;

        if (get32(p) != 0x20445352 || get32(p + 4) != 0x20525450) {
            continue;
        }
        pr("acpi.rsdp=%8x\n", a);
        pr("acpi.rsdp.oem=");
        put_escaped(p + 9, 6);
        put_str("\n");
        pr("acpi.rsdp.revision=%u\n", p[15]);
        pr("acpi.rsdp.rsdt=%8x\n", get32(p + 16));
        if (p[15] >= 2) {
            pr("acpi.rsdp.xsdt=%X\n", get64(p + 24));
        }
        root = p[15] >= 2 && get64(p + 24) ? get64(p + 24) : get32(p + 16);
        entry_size = p[15] >= 2 && get64(p + 24) ? 8 : 4;
        if (!acpi_addr_ok(root)) {
            return;
        }
        report_acpi_table(root);
        r = (const uint8_t *)(uint32_t)root;
        for (uint32_t off = 36; off + entry_size <= get32(r + 4) &&
                                off < 36 + 64 * 8; off += entry_size) {
            report_acpi_table(entry_size == 8 ? get64(r + off)
                                              : get32(r + off));
        }
        return;
    }
    pr("acpi.rsdp=none\n");
}

void probe_main(uint8_t *bp)
{
    uint8_t serial_regs[8];

    /* Before the first byte of output changes them. */
    for (int i = 1; i < 8; i++) {
        serial_regs[i] = inb(COM1 + i);
    }

    put_str("\nprobe.begin=1\n");
    report_entry(bp);
    report_setup_header(bp);
    report_serial(serial_regs);
    report_pic();
    report_pit();
    report_cmos();
    report_ioapic("ioapic", IOAPIC_BASE);
    report_ioapic("ioapic2", IOAPIC2_BASE);
    report_lapic();
    report_cpuid();
    report_virtio_mmio();
    report_acpi();
    report_fw_cfg();
    put_str("probe.end=1\n");
}
