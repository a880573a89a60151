/*
 * Probe guest: looks at the machine and prints one key=value line per
 * fact on COM1, for tests/guest/run-diff to compare against QEMU 7.2.
 * The machine part, shared by the boot formats (probe-linux.c,
 * probe-pvh.c, probe-multiboot.c).  Sources of truth: QEMU 7.2
 * docs/specs/fw_cfg.txt and hw/nvram/fw_cfg.c (ports, DMA), hw/i386.
 */

#include "probe.h"

#define IOAPIC_BASE     0xfec00000u
#define IOAPIC2_BASE    0xfec10000u

/* ---- shared by the boot formats ---- */

void report_entry_regs(const ProbeEntryRegs *r)
{
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
}

/* A NUL-terminated string in guest memory, at most max bytes. */
void put_cstr_at(uint32_t addr, uint32_t max)
{
    const uint8_t *s = (const uint8_t *)addr;
    uint32_t n = 0;

    while (n < max && s[n]) {
        n++;
    }
    put_escaped(s, n);
}

/*
 * The first 8 KiB of RAM: qboot reads the setup item there for every
 * non-bzImage kernel (boot_from_fwcfg, FW_CFG_SETUP_ADDR unset = 0), so
 * it holds the ELF header for PVH and DMA zero fill for multiboot.
 */
void report_low_memory(void)
{
    const uint8_t *p;

    /* Address 0 through a register: gcc may not see a null dereference. */
    asm("" : "=r"(p) : "0"(0));
    pr("lowmem.fnv=%8x\n", fnv1a(FNV_INIT, p, 0x2000));
    pr("lowmem.head=");
    put_bytes(p, 16);
    put_str("\n");
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

/* One leaf: "cpuid.LEAF=" or, for a sub-leaf indexed one, "cpuid.LEAF.SUB=". */
static const char *cpuid_prefix = "";

static void put_cpuid(uint32_t leaf, uint32_t sub, bool indexed,
                      uint32_t r[4])
{
    cpuid_count(leaf, sub, r);
    if (indexed) {
        pr("%scpuid.%x.%x=%8x %8x %8x %8x\n", cpuid_prefix, leaf, sub, r[0],
           r[1], r[2], r[3]);
    } else {
        pr("%scpuid.%x=%8x %8x %8x %8x\n", cpuid_prefix, leaf, r[0], r[1],
           r[2], r[3]);
    }
}

/*
 * The sub-leaves of one leaf, as far as the leaf itself says they go
 * (Intel SDM vol. 2A, CPUID; AMD APM vol. 3, E.4.15), bounded so a wrong
 * answer cannot make the dump long.
 */
static void put_cpuid_subleaves(uint32_t leaf)
{
    uint32_t r[4], last;

    switch (leaf) {
    case 4:
    case 0x8000001d:
        /* cache descriptors up to the first one of type "null" */
        for (uint32_t j = 0; j < 16; j++) {
            put_cpuid(leaf, j, true, r);
            if (!(r[0] & 0x1f)) {
                break;
            }
        }
        break;
    case 0xb:
    case 0x1f:
        /* topology levels up to the first of type "invalid" */
        for (uint32_t j = 0; j < 8; j++) {
            put_cpuid(leaf, j, true, r);
            if (!(r[2] & 0xff00)) {
                break;
            }
        }
        break;
    case 0xd:
        /* XSAVE: 0 and 1, then every component with a size */
        put_cpuid(leaf, 0, true, r);
        put_cpuid(leaf, 1, true, r);
        for (uint32_t j = 2; j < 64; j++) {
            cpuid_count(leaf, j, r);
            if (r[0] | r[1] | r[2] | r[3]) {
                put_cpuid(leaf, j, true, r);
            }
        }
        break;
    case 0x12:
        /* SGX: capabilities, attributes, then EPC sections until type 0 */
        for (uint32_t j = 0; j < 8; j++) {
            put_cpuid(leaf, j, true, r);
            if (j >= 2 && !(r[0] & 0xf)) {
                break;
            }
        }
        break;
    case 7:
    case 0x14:
    case 0x17:
    case 0x1d:
        /* sub-leaf 0 EAX: the highest sub-leaf */
        put_cpuid(leaf, 0, true, r);
        last = r[0] < 8 ? r[0] : 8;
        for (uint32_t j = 1; j <= last; j++) {
            put_cpuid(leaf, j, true, r);
        }
        break;
    default:
        put_cpuid(leaf, 0, false, r);
        break;
    }
}

/*
 * Every CPUID leaf and sub-leaf the guest can see: the basic range up to
 * CPUID.0.EAX, the hypervisor range up to CPUID.40000000.EAX, the extended
 * range up to CPUID.80000000.EAX, and the first leaf past each range (what
 * KVM answers there depends on the table's vendor and limits). Keys start
 * with prefix (another vCPU's dump).
 */
static void report_cpuid(const char *prefix)
{
    uint32_t r[4], max;

    cpuid_prefix = prefix;
    cpuid(0, r);
    max = r[0];
    pr("%scpuid.0.max=%x\n", prefix, r[0]);
    pr("%scpuid.0.vendor=", prefix);
    put_escaped((const uint8_t *)&r[1], 4);
    put_escaped((const uint8_t *)&r[3], 4);
    put_escaped((const uint8_t *)&r[2], 4);
    put_str("\n");

    cpuid(1, r);
    pr("%scpuid.1.hypervisor=%u\n", prefix, r[2] >> 31);
    pr("%scpuid.1.apic_id=%u\n", prefix, r[1] >> 24);

    for (uint32_t leaf = 0; leaf <= max && leaf < 0x100; leaf++) {
        put_cpuid_subleaves(leaf);
    }
    cpuid(max + 1, r);
    pr("%scpuid.beyond_basic=%8x %8x %8x %8x\n", prefix, r[0], r[1], r[2],
       r[3]);

    cpuid(0x40000000, r);
    max = r[0] >= 0x40000000 && r[0] < 0x40000100 ? r[0] : 0x40000001;
    for (uint32_t leaf = 0x40000000; leaf <= max; leaf++) {
        put_cpuid(leaf, 0, false, r);
    }

    cpuid(0x80000000, r);
    max = r[0] >= 0x80000000 && r[0] < 0x80000100 ? r[0] : 0x80000000;
    for (uint32_t leaf = 0x80000000; leaf <= max; leaf++) {
        put_cpuid_subleaves(leaf);
    }
    cpuid(max + 1, r);
    pr("%scpuid.beyond_extended=%8x %8x %8x %8x\n", prefix, r[0], r[1],
       r[2], r[3]);
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

/* A Generic Address Structure (ACPI 6.4, 5.2.3.2) */
static void report_acpi_gas(const char *name, const uint8_t *g)
{
    pr("acpi.FACP.%s=space=%u bits=%u offset=%u access=%u addr=%X\n", name,
       g[0], g[1], g[2], g[3], get64(g + 4));
}

/*
 * FADT (ACPI 6.4, 5.2.9): flags, and on a hardware-reduced machine the
 * registers the OS uses instead of PM1 (reset, sleep control/status).
 */
static void report_acpi_fadt(const uint8_t *t, uint32_t len)
{
    if (len < 116) {
        return;
    }
    pr("acpi.FACP.flags=%8x\n", get32(t + 112));
    pr("acpi.FACP.iapc_boot_arch=%4x\n", t[109] | t[110] << 8);
    if (len >= 129) {
        report_acpi_gas("reset_reg", t + 116);
        pr("acpi.FACP.reset_value=%2x\n", t[128]);
    }
    if (len >= 268) {
        report_acpi_gas("sleep_control", t + 244);
        report_acpi_gas("sleep_status", t + 256);
    }
}

/* MADT (ACPI 6.4, 5.2.12): LAPIC base, flags, each entry's bytes */
static void report_acpi_madt(const uint8_t *t, uint32_t len)
{
    uint32_t n = 0;

    if (len < 44) {
        return;
    }
    pr("acpi.APIC.lapic=%8x flags=%8x\n", get32(t + 36), get32(t + 40));
    for (uint32_t off = 44; off + 2 <= len && t[off + 1] >= 2 &&
                            off + t[off + 1] <= len && n < 64; n++) {
        pr("acpi.APIC.entry%u=", n);
        put_bytes(t + off, t[off + 1]);
        put_str("\n");
        off += t[off + 1];
    }
}

/*
 * The DSDT's memory windows and extended interrupts: every
 * Memory32Fixed (86 09 00) and single-interrupt Extended Interrupt
 * descriptor (89 06 00) in the AML, in order (the virtio-mmio windows
 * and GSIs, the GED's interrupt). A byte scan: the AML is not parsed.
 */
static void report_acpi_dsdt_resources(const uint8_t *t, uint32_t len)
{
    uint32_t mem = 0, irq = 0;

    for (uint32_t i = 36; i + 12 <= len && mem < 64 && irq < 64; i++) {
        if (t[i] == 0x86 && t[i + 1] == 0x09 && t[i + 2] == 0x00) {
            pr("acpi.DSDT.mem32fixed%u=base=%8x size=%8x rw=%u\n", mem++,
               get32(t + i + 4), get32(t + i + 8), t[i + 3]);
            i += 11;
        } else if (t[i] == 0x89 && t[i + 1] == 0x06 && t[i + 2] == 0x00 &&
                   t[i + 4] == 1) {
            pr("acpi.DSDT.interrupt%u=flags=%2x gsi=%u\n", irq++, t[i + 3],
               get32(t + i + 5));
            i += 8;
        }
    }
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
    if (str_eq(sig, "FACP")) {
        report_acpi_fadt(t, len);
    } else if (str_eq(sig, "APIC")) {
        report_acpi_madt(t, len);
    } else if (str_eq(sig, "DSDT")) {
        report_acpi_dsdt_resources(t, len);
    }
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

/* ---- Interrupt delivery ---- */

/*
 * PIT IRQ 0 delivered twice: through the PIC (ExtINT on the BSP's LINT0)
 * and through IOAPIC pin 2 as a level-triggered vector, whose handler
 * checks remote IRR before and after the LAPIC EOI (an EOI broadcast:
 * with a userspace IOAPIC, a KVM_EXIT_IOAPIC_EOI). Counts are reported
 * as "seen or not": how many ticks land is a matter of speed.
 */
#define IRQ_PIC_VECTOR      0x20
#define IRQ_IOAPIC_VECTOR   0x30
#define LAPIC_MMIO          0xfee00000u

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t zero, type;
    uint16_t off_hi;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(8)));
volatile uint32_t irq_pic_count, irq_ioapic_count, irq_rirr_in;

void irq_pic_handler(void);
void irq_ioapic_handler(void);
void irq_stub_pic(void);
void irq_stub_ioapic(void);
void irq_stub_ignore(void);

__asm__(".text\n"
        "irq_stub_pic:\n pushal\n cld\n call irq_pic_handler\n popal\n"
        PROBE_IRQ_RETURN
        "irq_stub_ioapic:\n pushal\n cld\n call irq_ioapic_handler\n"
        " popal\n" PROBE_IRQ_RETURN
        "irq_stub_ignore:\n" PROBE_IRQ_RETURN);

void irq_pic_handler(void)
{
    irq_pic_count++;
    outb(0x20, 0x20);
}

/*
 * Only the first delivery is reported: a second one may already sit in the
 * LAPIC when the pin is masked, and whether KVM exits for the EOI
 * (KVM_EXIT_IOAPIC_EOI, which clears remote IRR) depends on when it
 * rescans the routes, under QEMU as under us: timing, not the machine.
 */
void irq_ioapic_handler(void)
{
    uint32_t rirr = (ioapic_read(IOAPIC_BASE, 0x14) >> 14) & 1;

    /* mask first, so a line still high is not delivered again */
    mmio_write32(IOAPIC_BASE, 0x14);
    mmio_write32(IOAPIC_BASE + 0x10, 0x18000 | IRQ_IOAPIC_VECTOR);
    mmio_write32(LAPIC_MMIO + 0xb0, 0);
    if (irq_ioapic_count++ == 0) {
        irq_rirr_in = rirr;
    }
}

static void idt_set(int vec, void (*fn)(void), uint16_t cs)
{
    uint32_t off = (uint32_t)fn;

    idt[vec] = (struct idt_gate) {
        .off_lo = off, .sel = cs, .type = 0x8e, .off_hi = off >> 16,
    };
}

void probe_idt_set(int vec, void (*fn)(void))
{
    uint16_t cs;

    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    idt_set(vec, fn, cs);
}

/* Interrupts on until count moves, at most ~0.2 s of guest time. */
uint32_t probe_irq_wait(volatile uint32_t *count)
{
    __asm__ volatile("sti");
    for (int i = 0; i < 40000 && !*count; i++) {
        __asm__ volatile("pause");
    }
    __asm__ volatile("cli");
    return *count;
}

static void report_irq(void)
{
    struct {
        uint16_t limit;
        uint32_t base;
    } __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint32_t)idt };
    uint16_t cs;

    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    for (int v = 0x20; v < 256; v++) {
        idt_set(v, irq_stub_ignore, cs);
    }
    idt_set(IRQ_PIC_VECTOR, irq_stub_pic, cs);
    idt_set(IRQ_IOAPIC_VECTOR, irq_stub_ioapic, cs);
    __asm__ volatile("lidt %0" : : "m"(idtr));

    /* PIC pair as the PC BIOS sets it up (vectors 0x20/0x28), IRQ 0 only */
    outb(0x20, 0x11);
    outb(0x21, IRQ_PIC_VECTOR);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    outb(0xa0, 0x11);
    outb(0xa1, IRQ_PIC_VECTOR + 8);
    outb(0xa1, 0x02);
    outb(0xa1, 0x01);
    outb(0x21, 0xfe);
    outb(0xa1, 0xff);
    /* LAPIC on, LINT0 ExtINT: the virtual wire */
    mmio_write32(LAPIC_MMIO + 0xf0, 0x1ff);
    mmio_write32(LAPIC_MMIO + 0x350, 0x700);
    /* PIT channel 0, mode 2, count 0x1000 (3.4 ms) */
    outb(0x43, 0x34);
    outb(0x40, 0x00);
    outb(0x40, 0x10);
    pr("irq.pic=%u\n", probe_irq_wait(&irq_pic_count) != 0);

    /* The same ticks through IOAPIC pin 2, level triggered, to APIC 0 */
    outb(0x21, 0xff);
    mmio_write32(IOAPIC_BASE, 0x15);
    mmio_write32(IOAPIC_BASE + 0x10, 0);
    mmio_write32(IOAPIC_BASE, 0x14);
    mmio_write32(IOAPIC_BASE + 0x10, 0x8000 | IRQ_IOAPIC_VECTOR);
    pr("irq.ioapic=%u\n", probe_irq_wait(&irq_ioapic_count) != 0);
    pr("irq.ioapic.rirr_in_handler=%u\n", irq_rirr_in);
    /* remote IRR (bit 14) left out: see irq_ioapic_handler */
    pr("irq.ioapic.redir2=%8x\n", ioapic_read(IOAPIC_BASE, 0x14) & ~0x4000u);
}

/* ---- virtio-rng through virtio-mmio ---- */

/*
 * Each slot holding a virtio-rng device (id 4) is driven as a driver
 * would (virtio 1.2, 4.2.3 and 4.2.4 legacy): status handshake, features
 * (none for a legacy driver, VERSION_1 for a modern one), queue 0 set
 * up in the transport's layout, then two requests: one polled with
 * interrupts suppressed (VRING_AVAIL_F_NO_INTERRUPT: the ISR stays 0),
 * one waited for through the slot's IOAPIC pin. The entropy itself is
 * reported as "not all zero" only. Then the device is reset.
 */
#define VIO_IRQ_VECTOR      0x40
#define VIO_GSI_BASE        5           /* acpi=off: GSI 5 + slot */

volatile uint32_t virtio_irq_count, virtio_irq_pin;

void irq_virtio_handler(void);
void irq_stub_virtio(void);

__asm__(".text\n"
        "irq_stub_virtio:\n pushal\n cld\n call irq_virtio_handler\n"
        " popal\n" PROBE_IRQ_RETURN);

/* The line stays high until the ISR is acked: mask the pin, then EOI. */
void irq_virtio_handler(void)
{
    mmio_write32(IOAPIC_BASE, 0x10 + 2 * virtio_irq_pin);
    mmio_write32(IOAPIC_BASE + 0x10, 0x18000 | VIO_IRQ_VECTOR);
    mmio_write32(LAPIC_MMIO + 0xb0, 0);
    virtio_irq_count++;
}

void vio_wr(uint32_t base, uint32_t off, uint32_t v)
{
    mmio_write32(base + off, v);
}

uint32_t vio_rd(uint32_t base, uint32_t off)
{
    return mmio_read32(base + off);
}

void put16_at(uint32_t addr, uint16_t v)
{
    *(volatile uint16_t *)addr = v;
}

uint16_t get16_at(uint32_t addr)
{
    return *(volatile uint16_t *)addr;
}

/* One request of len bytes in descriptor d; the used entry's len. */
static uint32_t vio_request(uint32_t base, uint32_t desc, uint32_t avail,
                            uint32_t used, uint16_t d, uint32_t len)
{
    uint32_t buf = VIO_RING_BASE + 0x8000 + d * 0x100;
    uint16_t idx = get16_at(avail + 2);
    uint32_t n;

    memset((void *)buf, 0, len);
    *(volatile uint64_t *)(desc + 16 * d) = buf;
    *(volatile uint32_t *)(desc + 16 * d + 8) = len;
    put16_at(desc + 16 * d + 12, 2);                /* WRITE */
    put16_at(desc + 16 * d + 14, 0);
    put16_at(avail + 4 + 2 * (idx % 8), d);
    __asm__ volatile("" ::: "memory");
    put16_at(avail + 2, idx + 1);
    vio_wr(base, 0x050, 0);                         /* QueueNotify */
    for (n = 0; n < VIO_POLL_LIMIT && get16_at(used + 2) != idx + 1; n++) {
        __asm__ volatile("pause");
    }
    if (n == VIO_POLL_LIMIT) {
        return 0xffffffff;
    }
    n = 0;
    for (uint32_t i = 0; i < len; i++) {
        n |= ((volatile uint8_t *)buf)[i];
    }
    pr("  data_nonzero=%u\n", n != 0);
    pr("  used.id=%u\n", *(volatile uint32_t *)(used + 4 + 8 * (idx % 8)));
    return *(volatile uint32_t *)(used + 8 + 8 * (idx % 8));
}

static void report_virtio_rng(uint32_t slot)
{
    uint32_t base = VIRTIO_MMIO_BASE + slot * 0x200;
    uint32_t ring = VIO_RING_BASE + slot * 0x10000;
    uint32_t version = vio_rd(base, 0x004);
    uint32_t desc = ring, avail, used, isr, n;

    pr("virtio.%u.rng.version=%u\n", slot, version);
    vio_wr(base, VIO_STATUS, 0);
    vio_wr(base, VIO_STATUS, 1);
    vio_wr(base, VIO_STATUS, 3);
    vio_wr(base, 0x014, 0);
    pr("  features0=%8x\n", vio_rd(base, 0x010));
    vio_wr(base, 0x014, 1);
    pr("  features1=%8x\n", vio_rd(base, 0x010));
    vio_wr(base, 0x024, 1);
    vio_wr(base, 0x020, version == 2 ? 1 : 0);
    vio_wr(base, 0x024, 0);
    vio_wr(base, 0x020, 0);
    if (version == 2) {
        vio_wr(base, VIO_STATUS, 0xb);
    }
    pr("  status=%2x\n", vio_rd(base, VIO_STATUS));
    memset((void *)ring, 0, 0x3000);
    vio_wr(base, 0x030, 1);
    pr("  queue1.num_max=%u\n", vio_rd(base, 0x034));
    vio_wr(base, 0x030, 0);
    pr("  queue0.num_max=%u\n", vio_rd(base, 0x034));
    vio_wr(base, 0x038, 8);
    if (version == 2) {
        avail = ring + 0x100;
        used = ring + 0x200;
        vio_wr(base, 0x080, desc);
        vio_wr(base, 0x084, 0);
        vio_wr(base, 0x090, avail);
        vio_wr(base, 0x094, 0);
        vio_wr(base, 0x0a0, used);
        vio_wr(base, 0x0a4, 0);
        vio_wr(base, 0x044, 1);
        pr("  queue0.ready=%u\n", vio_rd(base, 0x044));
        pr("  queue0.pfn=%u\n", vio_rd(base, 0x040));     /* logged, 0 */
        pr("  generation=%u\n", vio_rd(base, 0x0fc));
    } else {
        avail = ring + 8 * 16;
        used = ring + 0x1000;
        vio_wr(base, 0x028, 0x1000);
        vio_wr(base, 0x03c, 0x1000);
        vio_wr(base, 0x040, ring >> 12);
        pr("  queue0.pfn=%x\n", vio_rd(base, 0x040));
        pr("  queue0.ready=%u\n", vio_rd(base, 0x044));   /* logged, 0 */
    }
    pr("  config0=%8x\n", vio_rd(base, 0x100));
    vio_wr(base, VIO_STATUS, vio_rd(base, VIO_STATUS) | 4);
    pr("  status=%2x\n", vio_rd(base, VIO_STATUS));

    /* polled, no interrupt wanted */
    put16_at(avail, 1);
    n = vio_request(base, desc, avail, used, 0, 16);
    pr("  poll.used.len=%u\n", n);
    pr("  poll.isr=%u\n", vio_rd(base, 0x060));

    /* by interrupt: the slot's pin, level triggered, to APIC 0 */
    put16_at(avail, 0);
    virtio_irq_count = 0;
    virtio_irq_pin = VIO_GSI_BASE + slot;
    mmio_write32(IOAPIC_BASE, 0x11 + 2 * virtio_irq_pin);
    mmio_write32(IOAPIC_BASE + 0x10, 0);
    mmio_write32(IOAPIC_BASE, 0x10 + 2 * virtio_irq_pin);
    mmio_write32(IOAPIC_BASE + 0x10, 0x8000 | VIO_IRQ_VECTOR);
    n = vio_request(base, desc, avail, used, 1, 8);
    pr("  irq.used.len=%u\n", n);
    __asm__ volatile("sti");
    for (n = 0; n < VIO_POLL_LIMIT && !virtio_irq_count; n++) {
        __asm__ volatile("pause");
    }
    __asm__ volatile("cli");
    pr("  irq.delivered=%u\n", virtio_irq_count != 0);
    isr = vio_rd(base, 0x060);
    pr("  irq.isr=%u\n", isr);
    vio_wr(base, 0x064, isr);
    pr("  irq.isr_after_ack=%u\n", vio_rd(base, 0x060));
    pr("  used.idx=%u\n", get16_at(used + 2));

    vio_wr(base, VIO_STATUS, 0);
    pr("  reset.status=%2x\n", vio_rd(base, VIO_STATUS));
    vio_wr(base, 0x030, 0);
    pr("  reset.queue0=%x\n", vio_rd(base, version == 2 ? 0x044 : 0x040));
}

/* ---- virtio-blk through virtio-mmio ---- */

/*
 * Each slot holding a virtio-blk device (id 2) is driven as a legacy or
 * modern driver would: features (all the device offers but event index
 * and indirect descriptors), the whole config space read as 32-bit words
 * (its end reads all-ones), queue 0 of 8, then requests of three
 * descriptors (header, data, status): a read of sector 0 (run-diff's
 * image: sector N filled with N + 1, a text at its start), a write of
 * sector 1 read back, FLUSH, GET_ID, WRITE_ZEROES read back, DISCARD, a
 * read past the end, an unknown type; all polled, then a read delivered
 * through the slot's IOAPIC pin.
 */
#define VBLK_BUF (VIO_RING_BASE + 0x8000)

static uint32_t vblk_request(uint32_t base, uint32_t desc, uint32_t avail,
                             uint32_t used, uint32_t type, uint64_t sector,
                             uint32_t len, int writable, uint8_t *status)
{
    uint32_t hdr = VBLK_BUF, data = VBLK_BUF + 0x100;
    uint32_t st = VBLK_BUF + 0x80;
    uint16_t idx = get16_at(avail + 2);
    uint32_t n, d = 0;

    *(volatile uint32_t *)hdr = type;
    *(volatile uint32_t *)(hdr + 4) = 0;
    *(volatile uint64_t *)(hdr + 8) = sector;
    *(volatile uint8_t *)st = 0xff;
    *(volatile uint64_t *)desc = hdr;
    *(volatile uint32_t *)(desc + 8) = 16;
    put16_at(desc + 12, 1);
    put16_at(desc + 14, 1);
    if (len) {
        d = 1;
        *(volatile uint64_t *)(desc + 16) = data;
        *(volatile uint32_t *)(desc + 24) = len;
        put16_at(desc + 28, 1 | (writable ? 2 : 0));
        put16_at(desc + 30, 2);
    }
    *(volatile uint64_t *)(desc + 16 * (d + 1)) = st;
    *(volatile uint32_t *)(desc + 16 * (d + 1) + 8) = 1;
    put16_at(desc + 16 * (d + 1) + 12, 2);
    put16_at(desc + 16 * (d + 1) + 14, 0);
    put16_at(avail + 4 + 2 * (idx % 8), 0);
    __asm__ volatile("" ::: "memory");
    put16_at(avail + 2, idx + 1);
    vio_wr(base, 0x050, 0);
    for (n = 0; n < VIO_POLL_LIMIT && get16_at(used + 2) != idx + 1; n++) {
        __asm__ volatile("pause");
    }
    *status = *(volatile uint8_t *)st;
    if (n == VIO_POLL_LIMIT) {
        return 0xffffffff;
    }
    return *(volatile uint32_t *)(used + 8 + 8 * (idx % 8));
}

static void vblk_print(const char *what, uint32_t len, uint8_t status)
{
    volatile uint8_t *data = (volatile uint8_t *)(VBLK_BUF + 0x100);

    pr("  %s.len=%u status=%u data=%2x%2x%2x%2x\n", what, len, status,
       data[0], data[1], data[2], data[511]);
}

/*
 * The driver's side of the handshake (features: all but event index and
 * indirect descriptors; queue 0 of 8, polled), reported when verbose.
 * Returns the ring addresses.
 */
static void vblk_setup(uint32_t slot, int verbose, uint32_t *desc_out,
                       uint32_t *avail_out, uint32_t *used_out)
{
    uint32_t base = VIRTIO_MMIO_BASE + slot * 0x200;
    uint32_t ring = VIO_RING_BASE + slot * 0x10000;
    uint32_t version = vio_rd(base, 0x004);
    uint32_t desc = ring, avail, used, f0, f1;

    vio_wr(base, VIO_STATUS, 0);
    vio_wr(base, VIO_STATUS, 1);
    vio_wr(base, VIO_STATUS, 3);
    vio_wr(base, 0x014, 0);
    f0 = vio_rd(base, 0x010);
    vio_wr(base, 0x014, 1);
    f1 = vio_rd(base, 0x010);
    if (verbose) {
        pr("  features0=%8x\n", f0);
        pr("  features1=%8x\n", f1);
    }
    vio_wr(base, 0x024, 0);
    vio_wr(base, 0x020, f0 & ~((1u << 28) | (1u << 29)));
    vio_wr(base, 0x024, 1);
    vio_wr(base, 0x020, version == 2 ? 1 : 0);
    if (version == 2) {
        vio_wr(base, VIO_STATUS, 0xb);
    }
    if (verbose) {
        pr("  status=%2x\n", vio_rd(base, VIO_STATUS));
        for (uint32_t off = 0; off < 64; off += 4) {
            pr("  config%u=%8x\n", off, vio_rd(base, 0x100 + off));
        }
    }
    memset((void *)ring, 0, 0x3000);
    vio_wr(base, 0x030, 0);
    if (verbose) {
        pr("  queue0.num_max=%u\n", vio_rd(base, 0x034));
    }
    vio_wr(base, 0x038, 8);
    if (version == 2) {
        avail = ring + 0x100;
        used = ring + 0x200;
        vio_wr(base, 0x080, desc);
        vio_wr(base, 0x084, 0);
        vio_wr(base, 0x090, avail);
        vio_wr(base, 0x094, 0);
        vio_wr(base, 0x0a0, used);
        vio_wr(base, 0x0a4, 0);
        vio_wr(base, 0x044, 1);
    } else {
        avail = ring + 8 * 16;
        used = ring + 0x1000;
        vio_wr(base, 0x028, 0x1000);
        vio_wr(base, 0x03c, 0x1000);
        vio_wr(base, 0x040, ring >> 12);
    }
    vio_wr(base, VIO_STATUS, vio_rd(base, VIO_STATUS) | 4);
    if (verbose) {
        pr("  status=%2x\n", vio_rd(base, VIO_STATUS));
    }
    put16_at(avail, 1);     /* polled */
    *desc_out = desc;
    *avail_out = avail;
    *used_out = used;
}

static void report_virtio_blk(uint32_t slot)
{
    uint32_t base = VIRTIO_MMIO_BASE + slot * 0x200;
    uint32_t version = vio_rd(base, 0x004);
    uint32_t desc, avail, used, isr, n;
    volatile uint8_t *data = (volatile uint8_t *)(VBLK_BUF + 0x100);
    uint8_t st;

    pr("virtio.%u.blk.version=%u\n", slot, version);
    vblk_setup(slot, 1, &desc, &avail, &used);
    n = vblk_request(base, desc, avail, used, 0, 0, 512, 1, &st);
    vblk_print("read0", n, st);
    for (uint32_t i = 0; i < 16; i++) {
        pr("%c", data[i] >= 32 && data[i] < 127 ? data[i] : '.');
    }
    pr("\n");
    memset((void *)(VBLK_BUF + 0x100), 0x5a, 512);
    n = vblk_request(base, desc, avail, used, 1, 1, 512, 0, &st);
    vblk_print("write1", n, st);
    memset((void *)(VBLK_BUF + 0x100), 0, 512);
    n = vblk_request(base, desc, avail, used, 0, 1, 512, 1, &st);
    vblk_print("read1", n, st);
    n = vblk_request(base, desc, avail, used, 4, 0, 0, 0, &st);
    vblk_print("flush", n, st);
    memset((void *)(VBLK_BUF + 0x100), 0x77, 512);
    n = vblk_request(base, desc, avail, used, 8, 0, 20, 1, &st);
    vblk_print("get_id", n, st);
    for (uint32_t i = 0; i < 20; i++) {
        pr("%c", data[i] >= 32 && data[i] < 127 ? data[i] : '.');
    }
    pr("\n");
    /* write zeroes of sector 2 (unmap allowed), discard of sector 3 */
    *(volatile uint64_t *)(VBLK_BUF + 0x100) = 2;
    *(volatile uint32_t *)(VBLK_BUF + 0x108) = 1;
    *(volatile uint32_t *)(VBLK_BUF + 0x10c) = 1;
    n = vblk_request(base, desc, avail, used, 13, 0, 16, 0, &st);
    pr("  write_zeroes.len=%u status=%u\n", n, st);
    n = vblk_request(base, desc, avail, used, 0, 2, 512, 1, &st);
    vblk_print("read2", n, st);
    *(volatile uint64_t *)(VBLK_BUF + 0x100) = 3;
    *(volatile uint32_t *)(VBLK_BUF + 0x108) = 1;
    *(volatile uint32_t *)(VBLK_BUF + 0x10c) = 0;
    n = vblk_request(base, desc, avail, used, 11, 0, 16, 0, &st);
    pr("  discard.len=%u status=%u\n", n, st);
    n = vblk_request(base, desc, avail, used, 0, 4096, 512, 1, &st);
    pr("  past_end.len=%u status=%u\n", n, st);
    n = vblk_request(base, desc, avail, used, 99, 0, 0, 0, &st);
    pr("  unknown.len=%u status=%u\n", n, st);
    pr("  poll.isr=%u\n", vio_rd(base, 0x060));

    /* by interrupt: the slot's pin, level triggered, to APIC 0 */
    put16_at(avail, 0);
    virtio_irq_count = 0;
    virtio_irq_pin = VIO_GSI_BASE + slot;
    mmio_write32(IOAPIC_BASE, 0x11 + 2 * virtio_irq_pin);
    mmio_write32(IOAPIC_BASE + 0x10, 0);
    mmio_write32(IOAPIC_BASE, 0x10 + 2 * virtio_irq_pin);
    mmio_write32(IOAPIC_BASE + 0x10, 0x8000 | VIO_IRQ_VECTOR);
    n = vblk_request(base, desc, avail, used, 0, 5, 512, 1, &st);
    vblk_print("irq.read5", n, st);
    __asm__ volatile("sti");
    for (n = 0; n < VIO_POLL_LIMIT && !virtio_irq_count; n++) {
        __asm__ volatile("pause");
    }
    __asm__ volatile("cli");
    pr("  irq.delivered=%u\n", virtio_irq_count != 0);
    isr = vio_rd(base, 0x060);
    pr("  irq.isr=%u\n", isr);
    vio_wr(base, 0x064, isr);
    pr("  irq.isr_after_ack=%u\n", vio_rd(base, 0x060));
    pr("  used.idx=%u\n", get16_at(used + 2));
    vio_wr(base, VIO_STATUS, 0);
    pr("  reset.status=%2x\n", vio_rd(base, VIO_STATUS));
}

/* ---- virtio-serial (virtio console) through virtio-mmio ---- */

/*
 * Each slot holding a virtio console (id 3) is driven as the Linux
 * driver does (virtio 1.2, 5.3.6): MULTIPORT and EMERG_WRITE accepted,
 * the config read, queues 0-3 set up (port 0 rx/tx, control rx/tx),
 * control buffers posted, then DEVICE_READY, PORT_READY for each port
 * announced and PORT_OPEN for the console; every control message the
 * device sends is printed. A line goes out on port 0 and a byte through
 * the emergency write register: run-diff reads back what reached the
 * chardev. Polled (the ISR is read at the end), then the device reset.
 */
#define VCON_CTRL_LEN 64

VioQueue vio_q[4];

/* One buffer (device-writable or not) in descriptor d of queue q. */
void vio_offer(uint32_t base, unsigned q, uint16_t d, uint32_t buf,
               uint32_t len, bool writable)
{
    VioQueue *vq = &vio_q[q];
    uint16_t idx = get16_at(vq->avail + 2);

    *(volatile uint64_t *)(vq->desc + 16 * d) = buf;
    *(volatile uint32_t *)(vq->desc + 16 * d + 8) = len;
    put16_at(vq->desc + 16 * d + 12, writable ? 2 : 0);
    put16_at(vq->desc + 16 * d + 14, 0);
    put16_at(vq->avail + 4 + 2 * (idx % VIO_QNUM), d);
    __asm__ volatile("" ::: "memory");
    put16_at(vq->avail + 2, idx + 1);
    vio_wr(base, 0x050, q);
}

/* Polls until queue q's used index reaches want: whether it did. */
bool vio_wait(unsigned q, uint16_t want)
{
    uint32_t n;

    for (n = 0; n < VIO_POLL_LIMIT && get16_at(vio_q[q].used + 2) != want;
         n++) {
        __asm__ volatile("pause");
    }
    return n < VIO_POLL_LIMIT;
}

/*
 * Queue q of num descriptors at vq's addresses, through the modern
 * registers or the legacy QueuePFN with 4 KiB pages and alignment (the
 * legacy layout: used at the first 4 KiB boundary after avail).
 */
static void vio_program_queue(uint32_t base, uint32_t version, unsigned q,
                              unsigned num, const VioQueue *vq)
{
    vio_wr(base, 0x030, q);
    vio_wr(base, 0x038, num);
    if (version == 2) {
        vio_wr(base, 0x080, vq->desc);
        vio_wr(base, 0x084, 0);
        vio_wr(base, 0x090, vq->avail);
        vio_wr(base, 0x094, 0);
        vio_wr(base, 0x0a0, vq->used);
        vio_wr(base, 0x0a4, 0);
        vio_wr(base, 0x044, 1);
    } else {
        vio_wr(base, 0x028, 0x1000);
        vio_wr(base, 0x03c, 0x1000);
        vio_wr(base, 0x040, vq->desc >> 12);
    }
}

/*
 * Queues 0 to n - 1 of VIO_QNUM descriptors, 8 KiB apart from ring (the
 * used ring 4 KiB in).
 */
void vio_setup_queues(uint32_t base, uint32_t ring, uint32_t version,
                      unsigned n)
{
    for (unsigned q = 0; q < n; q++) {
        VioQueue *vq = &vio_q[q];

        vq->desc = ring + q * 0x2000;
        vq->avail = vq->desc + VIO_QNUM * 16;
        vq->used = vq->desc + 0x1000;
        vq->seen = 0;
        vio_program_queue(base, version, q, VIO_QNUM, vq);
    }
}

/* Prints the control messages the device sent since the last call. */
static void vcon_print_ctrl(uint32_t bufs)
{
    VioQueue *vq = &vio_q[2];
    uint16_t used = get16_at(vq->used + 2);

    for (; vq->seen != used; vq->seen++) {
        uint32_t slot = vq->seen % VIO_QNUM;
        uint32_t id = *(volatile uint32_t *)(vq->used + 4 + 8 * slot);
        uint32_t len = *(volatile uint32_t *)(vq->used + 8 + 8 * slot);
        const uint8_t *msg = (const uint8_t *)(bufs + id * VCON_CTRL_LEN);

        pr("  ctrl.id=%u event=%u value=%u len=%u", *(uint32_t *)msg,
           *(uint16_t *)(msg + 4), *(uint16_t *)(msg + 6), len);
        if (len > 8 && len <= VCON_CTRL_LEN) {
            pr(" text=");
            put_escaped(msg + 8, len - 8);
        }
        pr("\n");
    }
}

/* Sends one control message through queue 3 and waits for it. */
static void vcon_send_ctrl(uint32_t base, uint32_t buf, uint32_t id,
                           uint16_t event, uint16_t value)
{
    uint16_t idx = get16_at(vio_q[3].used + 2);
    uint16_t d = idx % VIO_QNUM;

    *(volatile uint32_t *)(buf + 8 * d) = id;
    put16_at(buf + 8 * d + 4, event);
    put16_at(buf + 8 * d + 6, value);
    vio_offer(base, 3, d, buf + 8 * d, 8, false);
    pr("  send.event=%u id=%u done=%u\n", event, id, vio_wait(3, idx + 1));
}

static void report_virtio_console(uint32_t slot)
{
    uint32_t base = VIRTIO_MMIO_BASE + slot * 0x200;
    uint32_t ring = VIO_RING_BASE + slot * 0x10000;
    uint32_t version = vio_rd(base, 0x004);
    uint32_t ctrl_in = ring + 0x8000, ctrl_out = ring + 0xa000;
    uint32_t out = ring + 0xb000;
    static const char line[] = "hello from the probe's virtconsole\n";
    uint32_t isr;

    pr("virtio.%u.console.version=%u\n", slot, version);
    vio_wr(base, VIO_STATUS, 0);
    vio_wr(base, VIO_STATUS, 1);
    vio_wr(base, VIO_STATUS, 3);
    vio_wr(base, 0x014, 0);
    pr("  features0=%8x\n", vio_rd(base, 0x010));
    vio_wr(base, 0x014, 1);
    pr("  features1=%8x\n", vio_rd(base, 0x010));
    vio_wr(base, 0x024, 0);
    vio_wr(base, 0x020, 0x6);                   /* MULTIPORT, EMERG_WRITE */
    vio_wr(base, 0x024, 1);
    vio_wr(base, 0x020, version == 2 ? 1 : 0);
    if (version == 2) {
        vio_wr(base, VIO_STATUS, 0xb);
    }
    pr("  status=%2x\n", vio_rd(base, VIO_STATUS));
    pr("  config0=%8x\n", vio_rd(base, 0x100));
    pr("  config.max_nr_ports=%u\n", vio_rd(base, 0x104));
    pr("  config.emerg_wr=%8x\n", vio_rd(base, 0x108));
    pr("  config.past_end=%8x\n", vio_rd(base, 0x10c));
    /* Which queues exist: 2 per port plus the control pair */
    static const unsigned probe_queues[] = { 3, 9, 10, 63, 64 };
    for (unsigned i = 0; i < 5; i++) {
        vio_wr(base, 0x030, probe_queues[i]);
        pr("  queue%u.num_max=%u\n", probe_queues[i], vio_rd(base, 0x034));
    }
    memset((void *)ring, 0, 0x10000);
    vio_setup_queues(base, ring, version, 4);
    vio_wr(base, VIO_STATUS, vio_rd(base, VIO_STATUS) | 4);
    pr("  status=%2x\n", vio_rd(base, VIO_STATUS));

    /* Control buffers first, as the Linux driver (a message needs one) */
    for (uint16_t d = 0; d < VIO_QNUM; d++) {
        vio_offer(base, 2, d, ctrl_in + d * VCON_CTRL_LEN, VCON_CTRL_LEN,
                   true);
    }
    vcon_send_ctrl(base, ctrl_out, 0, 0, 1);     /* DEVICE_READY */
    vcon_print_ctrl(ctrl_in);
    vcon_send_ctrl(base, ctrl_out, 0, 3, 1);     /* PORT_READY 0 */
    vcon_print_ctrl(ctrl_in);
    vcon_send_ctrl(base, ctrl_out, 1, 3, 1);     /* PORT_READY 1 */
    vcon_print_ctrl(ctrl_in);
    vcon_send_ctrl(base, ctrl_out, 0, 6, 1);     /* PORT_OPEN 0 */
    vcon_send_ctrl(base, ctrl_out, 9, 3, 1);     /* no such port */
    vcon_print_ctrl(ctrl_in);

    /* A line out on port 0 (queue 1): consumed once the chardev has it */
    memcpy((void *)out, line, sizeof(line) - 1);
    vio_offer(base, 1, 0, out, sizeof(line) - 1, false);
    pr("  tx.done=%u\n", vio_wait(1, 1));
    pr("  tx.used.len=%u\n", *(volatile uint32_t *)(vio_q[1].used + 8));
    vio_wr(base, 0x108, '!');                   /* emergency write */
    vio_wr(base, 0x108, '\n');
    pr("  config.emerg_wr.after=%8x\n", vio_rd(base, 0x108));

    isr = vio_rd(base, 0x060);
    pr("  isr=%u\n", isr);
    vio_wr(base, 0x064, isr);
    vio_wr(base, VIO_STATUS, 0);
    pr("  reset.status=%2x\n", vio_rd(base, VIO_STATUS));
}

/* ---- virtio-net through virtio-mmio ---- */

/*
 * Each slot holding a virtio-net device (id 1) is driven in three passes
 * over all of them, so that NICs wired to each other (a hub) are all
 * ready before the first frame: setup (features: MAC, STATUS, CTRL_VQ,
 * CTRL_RX and VERSION_1 for a modern transport; the config space as
 * words; which queues exist; rx, tx and control queues of 8; two RX
 * buffers; DRIVER_OK; control commands: promiscuous off, an unknown
 * class), then one broadcast frame sent from each (TX completes whether
 * a backend took it or not), then what each received: RX completes
 * within the sender's TX flush, so nothing is waited for. Polled.
 */
#define VNET_RX_BUF     0x800
#define VNET_FRAME_LEN  60

/* A chain of n descriptors from d in queue q; writable is a bit mask */
void vnet_offer(uint32_t base, unsigned q, uint16_t d,
                const uint32_t *bufs, const uint32_t *lens, unsigned n,
                unsigned writable)
{
    VioQueue *vq = &vio_q[q];
    uint16_t idx = get16_at(vq->avail + 2);

    for (unsigned i = 0; i < n; i++) {
        uint32_t desc = vq->desc + 16 * (d + i);

        *(volatile uint64_t *)desc = bufs[i];
        *(volatile uint32_t *)(desc + 8) = lens[i];
        put16_at(desc + 12, (writable >> i & 1 ? 2 : 0) |
                 (i + 1 < n ? 1 : 0));
        put16_at(desc + 14, d + i + 1);
    }
    put16_at(vq->avail + 4 + 2 * (idx % VIO_QNUM), d);
    __asm__ volatile("" ::: "memory");
    put16_at(vq->avail + 2, idx + 1);
    vio_wr(base, 0x050, q);
}


/* One control command (class, cmd, one data byte): the ack byte */
static uint8_t vnet_ctrl(uint32_t base, uint32_t buf, uint8_t class,
                         uint8_t cmd, uint8_t data)
{
    uint16_t idx = get16_at(vio_q[2].used + 2);
    uint32_t bufs[3] = { buf, buf + 0x10, buf + 0x20 };
    uint32_t lens[3] = { 2, 1, 1 };

    *(volatile uint8_t *)buf = class;
    *(volatile uint8_t *)(buf + 1) = cmd;
    *(volatile uint8_t *)(buf + 0x10) = data;
    *(volatile uint8_t *)(buf + 0x20) = 0xee;
    vnet_offer(base, 2, (idx % 2) * 3, bufs, lens, 3, 4);
    if (!vio_wait(2, idx + 1)) {
        return 0xff;
    }
    return *(volatile uint8_t *)(buf + 0x20);
}

static void vnet_set_queues(uint32_t slot)
{
    uint32_t ring = VIO_RING_BASE + slot * 0x10000;

    for (unsigned q = 0; q < 3; q++) {
        vio_q[q].desc = ring + q * 0x2000;
        vio_q[q].avail = vio_q[q].desc + VIO_QNUM * 16;
        vio_q[q].used = vio_q[q].desc + 0x1000;
    }
}

static void report_virtio_net_setup(uint32_t slot)
{
    uint32_t base = VIRTIO_MMIO_BASE + slot * 0x200;
    uint32_t ring = VIO_RING_BASE + slot * 0x10000;
    uint32_t version = vio_rd(base, 0x004);
    uint32_t f0, nq, lens[1] = { VNET_RX_BUF };

    pr("virtio.%u.net.version=%u\n", slot, version);
    vio_wr(base, VIO_STATUS, 0);
    vio_wr(base, VIO_STATUS, 1);
    vio_wr(base, VIO_STATUS, 3);
    /*
     * Before the features: the queues there are (QEMU's realize makes a
     * pair per backend queue and the control queue) and
     * max_virtqueue_pairs, read as 16 bits (past the config's end
     * without MQ)
     */
    for (nq = 0; nq < 16; nq++) {
        vio_wr(base, 0x030, nq);
        if (!vio_rd(base, 0x034)) {
            break;
        }
    }
    pr("  queues.before=%u\n", nq);
    pr("  config.max_vq_pairs=%u\n", get16_at(base + 0x100 + 8));
    vio_wr(base, 0x014, 0);
    f0 = vio_rd(base, 0x010);
    pr("  features0=%8x\n", f0);
    vio_wr(base, 0x014, 1);
    pr("  features1=%8x\n", vio_rd(base, 0x010));
    vio_wr(base, 0x024, 0);
    /* MAC, STATUS, CTRL_VQ, CTRL_RX */
    vio_wr(base, 0x020, f0 & ((1u << 5) | (1u << 16) | (1u << 17) |
                              (1u << 18)));
    vio_wr(base, 0x024, 1);
    vio_wr(base, 0x020, version == 2 ? 1 : 0);
    if (version == 2) {
        vio_wr(base, VIO_STATUS, 0xb);
    }
    pr("  status=%2x\n", vio_rd(base, VIO_STATUS));
    for (uint32_t off = 0; off < 28; off += 4) {
        pr("  config%u=%8x\n", off, vio_rd(base, 0x100 + off));
    }
    for (unsigned q = 0; q < 4; q++) {
        vio_wr(base, 0x030, q);
        pr("  queue%u.num_max=%u\n", q, vio_rd(base, 0x034));
    }
    memset((void *)ring, 0, 0x10000);
    vio_setup_queues(base, ring, version, 3);
    vio_wr(base, VIO_STATUS, vio_rd(base, VIO_STATUS) | 4);
    pr("  status=%2x\n", vio_rd(base, VIO_STATUS));
    for (uint16_t d = 0; d < 2; d++) {
        uint32_t buf[1] = { ring + 0x8000 + d * VNET_RX_BUF };

        vnet_offer(base, 0, d, buf, lens, 1, 1);
    }
    pr("  ctrl.promisc_off=%u\n", vnet_ctrl(base, ring + 0xb000, 0, 0, 0));
    pr("  ctrl.bad_class=%u\n", vnet_ctrl(base, ring + 0xb000, 9, 0, 0));
    pr("  ctrl.bad_cmd=%u\n", vnet_ctrl(base, ring + 0xb000, 0, 9, 1));
}

/* One broadcast frame from this NIC (source: its MAC, payload: slot) */
/* The ARP request's type and header (RFC 826), and its SPA, THA, TPA */
static const uint8_t vnet_arp_head[] = {
    0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
};
static const uint8_t vnet_arp_ips[] = {
    10, 0, 2, 15, 0, 0, 0, 0, 0, 0, 10, 0, 2, 2,
};

static void report_virtio_net_send(uint32_t slot)
{
    uint32_t base = VIRTIO_MMIO_BASE + slot * 0x200;
    uint32_t ring = VIO_RING_BASE + slot * 0x10000;
    uint32_t hdr_len = vio_rd(base, 0x004) == 2 ? 12 : 10;
    uint32_t buf = ring + 0xa000;
    uint32_t bufs[2] = { buf, buf + 0x20 };
    uint32_t lens[2] = { hdr_len, VNET_FRAME_LEN };
    volatile uint8_t *f = (volatile uint8_t *)(buf + 0x20);
    uint32_t mac_lo = vio_rd(base, 0x100), mac_hi = vio_rd(base, 0x104);

    vnet_set_queues(slot);
    memset((void *)buf, 0, 0x100);
    /*
     * A broadcast ARP request (RFC 826) from 10.0.2.15 for 10.0.2.2, the
     * user network's router: on a hub the other NIC gets it, with
     * -netdev user libslirp answers it
     */
    for (unsigned i = 0; i < 6; i++) {
        f[i] = 0xff;
        f[6 + i] = (i < 4 ? mac_lo >> (8 * i) : mac_hi >> (8 * (i - 4)));
        f[22 + i] = f[6 + i];                   /* sender MAC */
    }
    for (unsigned i = 0; i < sizeof(vnet_arp_head); i++) {
        f[12 + i] = vnet_arp_head[i];
    }
    for (unsigned i = 0; i < sizeof(vnet_arp_ips); i++) {
        f[28 + i] = vnet_arp_ips[i];                     /* SPA, THA, TPA */
    }
    for (unsigned i = 42; i < VNET_FRAME_LEN; i++) {
        f[i] = slot + i;
    }
    vnet_offer(base, 1, 0, bufs, lens, 2, 0);
    pr("virtio.%u.net.tx.done=%u\n", slot, vio_wait(1, 1));
    pr("  tx.used.len=%u\n", *(volatile uint32_t *)(vio_q[1].used + 8));
}

/* The formats without a command line (PVH, multiboot) */
__attribute__((weak)) bool probe_arg(const char *word __attribute__((unused)))
{
    return false;
}

static void report_virtio_net_receive(uint32_t slot)
{
    uint32_t base = VIRTIO_MMIO_BASE + slot * 0x200;
    uint32_t ring = VIO_RING_BASE + slot * 0x10000;
    uint32_t hdr_len = vio_rd(base, 0x004) == 2 ? 12 : 10;
    uint16_t used;
    uint32_t isr;

    vnet_set_queues(slot);
    /* a peer outside the VMM answers in its own time (run-diff's UDP
     * peer): wait for one frame, bounded */
    if (probe_arg("probe.net-wait")) {
        vio_wait(0, 1);
    }
    used = get16_at(vio_q[0].used + 2);
    pr("virtio.%u.net.rx.used.idx=%u\n", slot, used);
    for (uint16_t i = 0; i < used && i < 2; i++) {
        uint32_t id = *(volatile uint32_t *)(vio_q[0].used + 4 + 8 * i);
        uint32_t len = *(volatile uint32_t *)(vio_q[0].used + 8 + 8 * i);
        const uint8_t *b = (const uint8_t *)(ring + 0x8000 +
                                             (id & 1) * VNET_RX_BUF);

        pr("  rx.id=%u len=%u hdr=%2x%2x frame=", id, len, b[0], b[1]);
        for (uint32_t j = 0; j < 42 && hdr_len + j < len; j++) {
            pr("%2x", b[hdr_len + j]);
        }
        pr(" last=%2x\n", len > hdr_len ? b[len - 1] : 0);
    }
    isr = vio_rd(base, 0x060);
    pr("  isr=%u\n", isr);
    vio_wr(base, 0x064, isr);
    vio_wr(base, VIO_STATUS, 0);
    pr("  reset.status=%2x\n", vio_rd(base, VIO_STATUS));
}

bool virtio_slot_is(uint32_t slot, uint32_t id)
{
    uint32_t base = VIRTIO_MMIO_BASE + slot * 0x200;

    return mmio_read32(base) == VIRTIO_MMIO_MAGIC &&
           mmio_read32(base + 8) == id;
}

static void report_virtio_devices(void)
{
    uint16_t cs;

    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    idt_set(VIO_IRQ_VECTOR, irq_stub_virtio, cs);
    for (uint32_t i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        uint32_t base = VIRTIO_MMIO_BASE + i * 0x200;

        if (mmio_read32(base) == VIRTIO_MMIO_MAGIC &&
            mmio_read32(base + 8) == 4) {
            report_virtio_rng(i);
        }
        if (mmio_read32(base) == VIRTIO_MMIO_MAGIC &&
            mmio_read32(base + 8) == 3) {
            report_virtio_console(i);
        }
        if (mmio_read32(base) == VIRTIO_MMIO_MAGIC &&
            mmio_read32(base + 8) == 2) {
            report_virtio_blk(i);
        }
    }
    for (uint32_t i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        if (virtio_slot_is(i, 1)) {
            report_virtio_net_setup(i);
        }
    }
    for (uint32_t i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        if (virtio_slot_is(i, 1)) {
            report_virtio_net_send(i);
        }
    }
    for (uint32_t i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        if (virtio_slot_is(i, 1)) {
            report_virtio_net_receive(i);
        }
    }
}

/*
 * probe.durable on the command line: the durability test's writer
 * (tests/guest/run-durable). Sector k of the first virtio-blk disk gets
 * 128 words of k ^ 0x5eed0000; "durable=k" is printed only once the
 * device completed that write with status OK. The test kills the VMM at
 * a random moment and then finds every reported sector in the image.
 */
void probe_blk_durable(void)
{
    uint32_t slot, desc, avail, used, n;
    uint64_t capacity;
    volatile uint32_t *data = (volatile uint32_t *)(VBLK_BUF + 0x100);
    uint8_t st;

    for (slot = 0; slot < VIRTIO_MMIO_SLOTS; slot++) {
        uint32_t base = VIRTIO_MMIO_BASE + slot * 0x200;

        if (mmio_read32(base) == VIRTIO_MMIO_MAGIC &&
            mmio_read32(base + 8) == 2) {
            break;
        }
    }
    if (slot == VIRTIO_MMIO_SLOTS) {
        pr("durable.error=no disk\n");
        return;
    }
    vblk_setup(slot, 0, &desc, &avail, &used);
    capacity = vio_rd(VIRTIO_MMIO_BASE + slot * 0x200, 0x100) |
               (uint64_t)vio_rd(VIRTIO_MMIO_BASE + slot * 0x200, 0x104) << 32;
    pr("durable.sectors=%u\n", (uint32_t)capacity);
    for (uint32_t k = 0; k < capacity; k++) {
        for (uint32_t w = 0; w < 128; w++) {
            data[w] = k ^ 0x5eed0000;
        }
        n = vblk_request(VIRTIO_MMIO_BASE + slot * 0x200, desc, avail, used,
                         1, k, 512, 0, &st);
        if (n == 0xffffffff || st != 0) {
            pr("durable.error=sector %u status %u\n", k, st);
            return;
        }
        pr("durable=%u\n", k);
    }
    pr("durable.done=1\n");
}

/*
 * probe.blkbench on the command line: bench/virtio-blk's guest. 4 KiB
 * requests on the first virtio-blk disk, one at a time, polled: reads
 * then writes over the first 1 MiB; the host times the lines between.
 */
#define BLKBENCH_REQUESTS 2000

void probe_blk_bench(void)
{
    uint32_t slot, desc, avail, used, base, n;
    uint8_t st;

    for (slot = 0; slot < VIRTIO_MMIO_SLOTS; slot++) {
        base = VIRTIO_MMIO_BASE + slot * 0x200;
        if (mmio_read32(base) == VIRTIO_MMIO_MAGIC &&
            mmio_read32(base + 8) == 2) {
            break;
        }
    }
    if (slot == VIRTIO_MMIO_SLOTS) {
        pr("bench.error=no disk\n");
        return;
    }
    vblk_setup(slot, 0, &desc, &avail, &used);
    for (uint32_t type = 0; type < 2; type++) {
        pr("bench.%s.begin=%u\n", type ? "write" : "read",
           BLKBENCH_REQUESTS);
        for (uint32_t i = 0; i < BLKBENCH_REQUESTS; i++) {
            n = vblk_request(base, desc, avail, used, type, (i % 256) * 8,
                             4096, !type, &st);
            if (n == 0xffffffff || st != 0) {
                pr("bench.error=request %u status %u\n", i, st);
                return;
            }
        }
        pr("bench.%s.end=1\n", type ? "write" : "read");
    }
    /* the host reads the VMM's peak RSS now, then sends a byte */
    pr("bench.wait=1\n");
    while (!(inb(COM1 + 5) & 1)) {
        __asm__ volatile("pause");
    }
}

/*
 * probe.netbench on the command line: bench/virtio-net's guest. The
 * first virtio-net device (no feature but VERSION_1 on a modern
 * transport) sends NETBENCH_FRAMES broadcast frames of 60 bytes, then
 * as many of 1514 bytes (ethertype 0x88b5, IEEE local experimental),
 * polled, a batch of NETBENCH_BATCH two-descriptor chains (header,
 * frame) per kick: the whole queue of 256 (virtio-net's tx_queue_size
 * default), as a driver with frames waiting fills its ring. Chain c is
 * always in avail slot c and c + NETBENCH_BATCH, so descriptors and
 * ring are written once per phase: a batch costs the guest (slow on an
 * emulated KVM) one index store, one kick and the polling, leaving the
 * VMM's cost per frame to be measured. The host times the lines between
 * and counts what reaches its end.
 */
#define NETBENCH_FRAMES     131072
#define NETBENCH_QNUM       256
#define NETBENCH_BATCH      (NETBENCH_QNUM / 2)

static void vnet_bench_phase(uint32_t base, uint32_t buf, uint32_t hdr_len,
                             uint32_t frame_len, const char *name)
{
    VioQueue *vq = &vio_q[1];
    uint16_t idx = get16_at(vq->avail + 2);

    for (uint16_t c = 0; c < NETBENCH_BATCH; c++) {
        uint32_t desc = vq->desc + 32 * c;

        *(volatile uint64_t *)desc = buf;
        *(volatile uint32_t *)(desc + 8) = hdr_len;
        put16_at(desc + 12, 1);                         /* NEXT */
        put16_at(desc + 14, 2 * c + 1);
        *(volatile uint64_t *)(desc + 16) = buf + 0x20;
        *(volatile uint32_t *)(desc + 24) = frame_len;
        put16_at(desc + 28, 0);
        put16_at(desc + 30, 0);
        put16_at(vq->avail + 4 + 2 * c, 2 * c);
        put16_at(vq->avail + 4 + 2 * (c + NETBENCH_BATCH), 2 * c);
    }
    pr("bench.%s.begin=%u\n", name, NETBENCH_FRAMES);
    for (uint32_t i = 0; i < NETBENCH_FRAMES; i += NETBENCH_BATCH) {
        idx += NETBENCH_BATCH;
        __asm__ volatile("" ::: "memory");
        put16_at(vq->avail + 2, idx);
        vio_wr(base, 0x050, 1);
        if (!vio_wait(1, idx)) {
            pr("bench.error=%s frame %u not sent\n", name, i);
            return;
        }
    }
    pr("bench.%s.end=1\n", name);
}

/*
 * Queues 0 (rx, left empty) and 1 (tx) of NETBENCH_QNUM, 16 KiB apart:
 * the legacy layout (avail after the table, used at the next 4 KiB) in
 * both transports.
 */
static void vnet_bench_queues(uint32_t base, uint32_t ring, uint32_t version)
{
    for (unsigned q = 0; q < 2; q++) {
        VioQueue *vq = &vio_q[q];

        vq->desc = ring + q * 0x4000;
        vq->avail = vq->desc + NETBENCH_QNUM * 16;
        vq->used = vq->avail + 0x1000;
        vio_program_queue(base, version, q, NETBENCH_QNUM, vq);
    }
}

/*
 * The first virtio-net device reset, VERSION_1 only on a modern
 * transport, its two queues programmed and DRIVER_OK; buf gets the TX
 * header (zeroed) and a frame from our MAC to the broadcast address
 * with the given ethertype. False (and bench.error) without a device.
 */
static bool vnet_bench_open(uint32_t *base, uint32_t *hdr_len, uint32_t *buf,
                            uint16_t ethertype)
{
    uint32_t slot, ring, version, mac_lo, mac_hi;
    volatile uint8_t *f;

    for (slot = 0; slot < VIRTIO_MMIO_SLOTS && !virtio_slot_is(slot, 1);
         slot++) {
    }
    if (slot == VIRTIO_MMIO_SLOTS) {
        pr("bench.error=no virtio-net device\n");
        return false;
    }
    *base = VIRTIO_MMIO_BASE + slot * 0x200;
    ring = VIO_RING_BASE + slot * 0x10000;
    version = vio_rd(*base, 0x004);
    *hdr_len = version == 2 ? 12 : 10;
    *buf = ring + 0xc000;
    f = (volatile uint8_t *)(*buf + 0x20);
    vio_wr(*base, VIO_STATUS, 0);
    vio_wr(*base, VIO_STATUS, 1);
    vio_wr(*base, VIO_STATUS, 3);
    vio_wr(*base, 0x024, 0);
    vio_wr(*base, 0x020, 0);
    vio_wr(*base, 0x024, 1);
    vio_wr(*base, 0x020, version == 2 ? 1 : 0);
    if (version == 2) {
        vio_wr(*base, VIO_STATUS, 0xb);
    }
    memset((void *)ring, 0, 0xc000);
    vnet_bench_queues(*base, ring, version);
    vio_wr(*base, VIO_STATUS, vio_rd(*base, VIO_STATUS) | 4);
    memset((void *)*buf, 0, 0x20);
    mac_lo = vio_rd(*base, 0x100);
    mac_hi = vio_rd(*base, 0x104);
    for (unsigned i = 0; i < 6; i++) {
        f[i] = 0xff;
        f[6 + i] = i < 4 ? mac_lo >> (8 * i) : mac_hi >> (8 * (i - 4));
    }
    f[12] = ethertype >> 8;
    f[13] = ethertype;
    return true;
}

/* The host reads the VMM's peak RSS now, then sends a byte. */
static void vnet_bench_close(uint32_t base)
{
    pr("bench.wait=1\n");
    while (!(inb(COM1 + 5) & 1)) {
        __asm__ volatile("pause");
    }
    vio_wr(base, VIO_STATUS, 0);
}

void probe_net_bench(void)
{
    uint32_t base, hdr_len, buf;
    volatile uint8_t *f;

    if (!vnet_bench_open(&base, &hdr_len, &buf, 0x88b5)) {
        return;
    }
    f = (volatile uint8_t *)(buf + 0x20);
    for (unsigned i = 14; i < 1514; i++) {
        f[i] = i;
    }
    vnet_bench_phase(base, buf, hdr_len, 60, "small");
    vnet_bench_phase(base, buf, hdr_len, 1514, "large");
    vnet_bench_close(base);
}

/*
 * probe.netrxbench on the command line: bench/virtio-net's receive
 * guest. The RX queue's NETBENCH_QNUM descriptors each hold a
 * NETRX_BUF_LEN buffer of their own, descriptor d always in avail slot
 * d, so giving buffers back is one index store (no per-frame work in
 * this slow guest). Per phase the host's peer sends NETBENCH_FRAMES
 * frames of one size and keeps at most a window of them unacknowledged;
 * the guest polls the used index, gives back what it took, kicks only
 * when the device asks for it (used flags without NO_NOTIFY: it ran out
 * of buffers), and every NETRX_ACK_EVERY frames sends an ack frame
 * (ethertype 0x88b6: phase, frames so far). Frames are counted by the
 * used index and bytes by the length of the last used element of each
 * batch (one frame size a phase). A phase ends at NETBENCH_FRAMES or,
 * when the host's peer saw no progress and gave up, at a byte on the
 * serial port (checked only while idle).
 */
#define NETRX_BUF_BASE      0x1000000u  /* 16 MiB: free RAM */
#define NETRX_BUF_LEN       2048
#define NETRX_ACK_EVERY     32
#define NETRX_IDLE_CHECK    0x10000

static void vnet_rx_bench_ack(uint32_t base, uint32_t buf, uint32_t phase,
                              uint32_t frames)
{
    VioQueue *tx = &vio_q[1];
    uint16_t idx = get16_at(tx->avail + 2);

    *(volatile uint32_t *)(buf + 0x20 + 14) = phase;
    *(volatile uint32_t *)(buf + 0x20 + 18) = frames;
    put16_at(tx->avail + 4 + 2 * (idx % NETBENCH_QNUM), 0);
    __asm__ volatile("" ::: "memory");
    put16_at(tx->avail + 2, idx + 1);
    vio_wr(base, 0x050, 1);
}

static void vnet_rx_bench_phase(uint32_t base, uint32_t buf,
                                uint32_t hdr_len, uint32_t phase,
                                const char *name)
{
    VioQueue *rx = &vio_q[0], *tx = &vio_q[1];
    uint16_t seen = get16_at(rx->used + 2);
    uint16_t avail = get16_at(rx->avail + 2);
    uint32_t frames = 0, bytes = 0, kicks = 0, acked = 0, idle = 0;
    bool stopped = false;

    pr("bench.%s.begin=%u\n", name, NETBENCH_FRAMES);
    while (acked < NETBENCH_FRAMES) {
        uint16_t u = get16_at(rx->used + 2);

        if (u != seen) {
            uint16_t n = u - seen, slot = (uint16_t)(u - 1) % NETBENCH_QNUM;
            uint32_t last = rx->used + 4 + 8 * slot;

            frames += n;
            bytes += n * (*(volatile uint32_t *)(last + 4) - hdr_len);
            seen = u;
            avail += n;
            __asm__ volatile("" ::: "memory");
            put16_at(rx->avail + 2, avail);
            __asm__ volatile("mfence" ::: "memory");
            if (!(get16_at(rx->used) & 1)) {        /* no NO_NOTIFY */
                vio_wr(base, 0x050, 0);
                kicks++;
            }
            idle = 0;
        } else if (++idle % NETRX_IDLE_CHECK == 0 && (inb(COM1 + 5) & 1)) {
            inb(COM1);
            stopped = true;
            break;
        }
        if ((frames - acked >= NETRX_ACK_EVERY ||
             (frames == NETBENCH_FRAMES && acked < frames)) &&
            get16_at(tx->used + 2) == get16_at(tx->avail + 2)) {
            vnet_rx_bench_ack(base, buf, phase, frames);
            acked = frames;
        }
    }
    pr("bench.%s.end=%u bytes=%u kicks=%u stopped=%u\n", name, frames,
       bytes, kicks, stopped);
}

void probe_net_rx_bench(void)
{
    VioQueue *rx = &vio_q[0], *tx = &vio_q[1];
    uint32_t base, hdr_len, buf;

    if (!vnet_bench_open(&base, &hdr_len, &buf, 0x88b6)) {
        return;
    }
    /* the ack: header, then a 60-byte frame (phase, count at 14, 18) */
    *(volatile uint64_t *)tx->desc = buf;
    *(volatile uint32_t *)(tx->desc + 8) = hdr_len;
    put16_at(tx->desc + 12, 1);                         /* NEXT */
    put16_at(tx->desc + 14, 1);
    *(volatile uint64_t *)(tx->desc + 16) = buf + 0x20;
    *(volatile uint32_t *)(tx->desc + 24) = 60;
    put16_at(tx->desc + 28, 0);
    for (uint16_t d = 0; d < NETBENCH_QNUM; d++) {
        uint32_t desc = rx->desc + 16 * d;

        *(volatile uint64_t *)desc = NETRX_BUF_BASE + NETRX_BUF_LEN * d;
        *(volatile uint32_t *)(desc + 8) = NETRX_BUF_LEN;
        put16_at(desc + 12, 2);                         /* WRITE */
        put16_at(desc + 14, 0);
        put16_at(rx->avail + 4 + 2 * d, d);
    }
    __asm__ volatile("" ::: "memory");
    put16_at(rx->avail + 2, NETBENCH_QNUM);
    vio_wr(base, 0x050, 0);
    vnet_rx_bench_phase(base, buf, hdr_len, 1, "rxsmall");
    vnet_rx_bench_phase(base, buf, hdr_len, 2, "rxlarge");
    vnet_bench_close(base);
}

/*
 * The second vCPU's CPUID (leaf 1 EBX, 0xB/0x1F EDX, 0x8000001E depend on
 * the APIC id): INIT and SIPI from the BSP's LAPIC (Intel SDM vol. 3,
 * 8.4.4.1), a real-mode trampoline copied below 1 MiB that enters 32-bit
 * protected mode with its own flat GDT, then the AP prints its dump with
 * a "cpu1." prefix while the BSP waits. Only with two or more CPUs
 * (fw_cfg FW_CFG_NB_CPUS).
 */
#define AP_TRAMPOLINE       0x7000u     /* free between lowmem and 0x9000 */
#define FW_CFG_NB_CPUS      0x05
#define LAPIC_ICR_LO        0x300
#define LAPIC_ICR_HI        0x310

extern const uint8_t ap_tramp[], ap_tramp_gdt_desc[], ap_tramp_end[];
void ap_entry32(void);
void ap_main(void);
volatile uint32_t ap_started, ap_done;
uint8_t ap_stack[4096] __attribute__((aligned(16)));

__asm__(".text\n"
        ".code16\n"
        "ap_tramp:\n"
        " cli\n"
        " movw %cs, %ax\n"
        " movw %ax, %ds\n"
        " lgdtl ap_tramp_gdt_desc - ap_tramp\n"
        " movl %cr0, %eax\n"
        " orl $1, %eax\n"
        " movl %eax, %cr0\n"
        " ljmpl $0x08, $ap_entry32\n"
        " .balign 8\n"
        "ap_tramp_gdt:\n"
        " .quad 0, 0x00cf9a000000ffff, 0x00cf92000000ffff\n"
        "ap_tramp_gdt_desc:\n"
        " .word 23\n"
        " .long 0\n"                  /* base, patched once copied */
        "ap_tramp_end:\n"
        ".code32\n"
        "ap_entry32:\n"
        " movw $0x10, %ax\n"
        " movw %ax, %ds\n"
        " movw %ax, %es\n"
        " movw %ax, %ss\n"
        " movw %ax, %fs\n"
        " movw %ax, %gs\n"
        " movl $ap_stack + 4096, %esp\n"
        " call ap_main\n"
        "1: cli\n hlt\n jmp 1b\n");

void ap_main(void)
{
    ap_started = 1;
    report_cpuid("cpu1.");
    ap_done = 1;
}

static void lapic_ipi(uint32_t apic_id, uint32_t lo)
{
    mmio_write32(LAPIC_MMIO + LAPIC_ICR_HI, apic_id << 24);
    mmio_write32(LAPIC_MMIO + LAPIC_ICR_LO, lo);
    for (int i = 0; i < 1000 && (mmio_read32(LAPIC_MMIO + LAPIC_ICR_LO) &
                                 (1 << 12)); i++) {
        __asm__ volatile("pause");     /* delivery status: pending */
    }
}

static void report_ap_cpuid(void)
{
    uint32_t n = ap_tramp_end - ap_tramp;
    uint8_t *dst = (uint8_t *)AP_TRAMPOLINE;
    uint32_t gdt = AP_TRAMPOLINE + (ap_tramp_gdt_desc - ap_tramp) - 24;
    uint16_t ncpus;

    outw(0x510, FW_CFG_NB_CPUS);
    ncpus = inb(0x511) | (inb(0x511) << 8);
    if (ncpus < 2) {
        return;
    }
    memcpy(dst, ap_tramp, n);
    memcpy(dst + (ap_tramp_gdt_desc - ap_tramp) + 2, &gdt, 4);
    lapic_ipi(1, 0x4500);                               /* INIT */
    lapic_ipi(1, 0x4600 | (AP_TRAMPOLINE >> 12));       /* SIPI */
    /* A second SIPI only if the first was lost (SDM: "if needed"). */
    for (int i = 0; i < 20000 && !ap_started; i++) {
        __asm__ volatile("pause");
    }
    if (!ap_started) {
        lapic_ipi(1, 0x4600 | (AP_TRAMPOLINE >> 12));
    }
    /* The AP prints; bounded: a dump is ~250 CPUIDs and ~70 lines. */
    for (uint32_t i = 0; i < 50000000u && !ap_done; i++) {
        __asm__ volatile("pause");
    }
    pr("cpu1.done=%u\n", ap_done);
}

/* Before the first byte of output changes them. */
void probe_read_serial(uint8_t regs[8])
{
    for (int i = 1; i < 8; i++) {
        regs[i] = inb(COM1 + i);
    }
}

/* Everything after the boot-protocol facts, the same for every format. */
void report_machine(const uint8_t serial_regs[8])
{
    report_serial(serial_regs);
    report_pic();
    report_pit();
    report_cmos();
    report_ioapic("ioapic", IOAPIC_BASE);
    report_ioapic("ioapic2", IOAPIC2_BASE);
    report_lapic();
    report_cpuid("");
    report_virtio_mmio();
    report_acpi();
    report_fw_cfg();
    report_irq();
    report_virtio_devices();
    report_ap_cpuid();
    report_dispatch();
}
