/*
 * Probe guest: how the VMM dispatches unusual port and MMIO accesses
 * (QEMU 7.2's memory core: softmmu/physmem.c memory_access_size() and
 * flatview_read/write_continue(), softmmu/memory.c
 * access_with_adjusted_size() and memory_region_access_valid()).
 *
 * Wide accesses straddling an unassigned port and a device, wide
 * accesses starting on a byte-wide device, accesses the device refuses
 * (fw_cfg's port takes bytes only), port 0xffff and what lies past it,
 * misaligned virtio-mmio and IOAPIC reads, and the LAPIC's MSI window
 * at 0xfee01000-0xfeefffff. Run last: it leaves the CMOS, fw_cfg and
 * COM1 registers it touched as they end up.
 */
#include "probe.h"

#define VIRTIO_MMIO_BASE    0xfeb00000u
#define IOAPIC_BASE         0xfec00000u
#define GED_BASE            0xfea00000u
#define MSI_WINDOW          0xfee01000u
#define MSI_BROADCAST       0xfeeff000u     /* destination 0xff */
#define MSI_VECTOR          0x48

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;

    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint8_t mmio_read8(uint32_t addr)
{
    return *(volatile uint8_t *)addr;
}

static inline uint16_t mmio_read16(uint32_t addr)
{
    return *(volatile uint16_t *)addr;
}

volatile uint32_t dispatch_msi_count;

void irq_dispatch_msi_handler(void);
void irq_stub_dispatch_msi(void);

__asm__(".text\n"
        "irq_stub_dispatch_msi:\n pushal\n cld\n"
        " call irq_dispatch_msi_handler\n popal\n" PROBE_IRQ_RETURN);

void irq_dispatch_msi_handler(void)
{
    mmio_write32(0xfee000b0u, 0);       /* LAPIC EOI */
    dispatch_msi_count++;
}

/*
 * Both PICs masked, reading ISR at their command ports (OCW3): nothing
 * is in service with interrupts off, whereas IRR would depend on when
 * the PIT last ticked. The master's IMR leaves the cascade open, so
 * the two bytes differ.
 */
static void quiet_pic(void)
{
    outb(0x21, 0xfb);
    outb(0xa1, 0xff);
    outb(0x20, 0x0b);
    outb(0xa0, 0x0b);
}

static void report_ports(void)
{
    quiet_pic();
    /* straddling an unassigned port into a byte-wide device and out */
    pr("dispatch.inl_0x1f=%8x\n", inl(0x1f));
    pr("dispatch.inl_0x9f=%8x\n", inl(0x9f));
    pr("dispatch.inl_0x4cf=%8x\n", inl(0x4cf));
    /* starting on a byte-wide device: the device takes all four */
    pr("dispatch.inl_0x20=%8x\n", inl(0x20));
    pr("dispatch.inl_0xa0=%8x\n", inl(0xa0));
    pr("dispatch.inw_0x21=%4x\n", inw(0x21));
    pr("dispatch.inl_0x43=%8x\n", inl(0x43));
    pr("dispatch.inl_0x3fc=%8x\n", inl(0x3fc));
    pr("dispatch.inl_0x3fe=%8x\n", inl(0x3fe));
    /* the end of the port space */
    pr("dispatch.inl_0xfffd=%8x\n", inl(0xfffd));
    pr("dispatch.inl_0xffff=%8x\n", inl(0xffff));
    pr("dispatch.inw_0xffff=%4x\n", inw(0xffff));

    /* A word to the master's ELCR: both bytes are the master's (the
     * region takes the whole access), the slave's stays as it was. */
    outb(0x4d1, 0x00);
    outw(0x4d0, 0x0c08);
    pr("dispatch.outw_0x4d0.elcr1=%2x\n", inb(0x4d0));
    pr("dispatch.outw_0x4d0.elcr2=%2x\n", inb(0x4d1));
    outb(0x4d0, 0x00);

    /* CMOS index 0x70 and data 0x71, four bytes at 0x70 */
    outb(0x70, 0x0e);
    outb(0x71, 0x5a);
    outb(0x70, 0x0f);
    outb(0x71, 0);
    outb(0x70, 0x0e);
    pr("dispatch.inl_0x70=%8x\n", inl(0x70));
    outl(0x70, 0x220f110e);
    outb(0x70, 0x0e);
    pr("dispatch.outl_0x70.cmos_0e=%2x\n", inb(0x71));
    outb(0x70, 0x0f);
    pr("dispatch.outl_0x70.cmos_0f=%2x\n", inb(0x71));
    outb(0x70, 0x0f);
    outb(0x71, 0);
}

/* fw_cfg's selector/data port takes byte reads and a word write only. */
static void report_fw_cfg_port(void)
{
    outw(0x510, 0);                     /* FW_CFG_SIGNATURE, "QEMU" */
    pr("dispatch.fwcfg.byte0=%2x\n", inb(0x511));
    pr("dispatch.fwcfg.inl_0x510=%8x\n", inl(0x510));
    pr("dispatch.fwcfg.inw_0x510=%4x\n", inw(0x510));
    pr("dispatch.fwcfg.inl_0x50f=%8x\n", inl(0x50f));
    pr("dispatch.fwcfg.byte1=%2x\n", inb(0x511));
    outl(0x510, 1);                     /* would select FW_CFG_ID */
    pr("dispatch.fwcfg.after_outl.byte=%2x\n", inb(0x511));
    pr("dispatch.fwcfg.inl_0x511=%8x\n", inl(0x511));
    pr("dispatch.fwcfg.after_inl.byte=%2x\n", inb(0x511));
    pr("dispatch.fwcfg.inl_0x514=%8x\n", inl(0x514));
}

static void report_mmio(void)
{
    uint32_t vio = VIRTIO_MMIO_BASE;

    pr("dispatch.virtio.r16_0=%4x\n", mmio_read16(vio));
    pr("dispatch.virtio.r8_4=%2x\n", mmio_read8(vio + 4));
    pr("dispatch.virtio.r32_1=%8x\n", mmio_read32(vio + 1));
    pr("dispatch.virtio.r32_2=%8x\n", mmio_read32(vio + 2));
    pr("dispatch.virtio.r32_3=%8x\n", mmio_read32(vio + 3));
    pr("dispatch.virtio.r32_0x1fe=%8x\n", mmio_read32(vio + 0x1fe));
    pr("dispatch.virtio.r32_0xffe=%8x\n", mmio_read32(vio + 0x1ffe));

    mmio_write32(IOAPIC_BASE, 1);       /* IOREGSEL: version */
    pr("dispatch.ioapic.r8_win=%2x\n", mmio_read8(IOAPIC_BASE + 0x10));
    pr("dispatch.ioapic.r16_win=%4x\n", mmio_read16(IOAPIC_BASE + 0x10));
    pr("dispatch.ioapic.r8_sel=%2x\n", mmio_read8(IOAPIC_BASE));
    pr("dispatch.ioapic.r32_0xe=%8x\n", mmio_read32(IOAPIC_BASE + 0xe));

    pr("dispatch.ged.r8=%2x\n", mmio_read8(GED_BASE));
    pr("dispatch.ged.r32=%8x\n", mmio_read32(GED_BASE));
    pr("dispatch.unassigned.r32=%8x\n", mmio_read32(0xfe000001u));
}

static void report_msi_window(void)
{
    pr("dispatch.msi.r32=%8x\n", mmio_read32(MSI_WINDOW));
    pr("dispatch.msi.r8=%2x\n", mmio_read8(MSI_WINDOW + 0x35));
    pr("dispatch.msi.r32_end=%8x\n", mmio_read32(0xfeeffffcu));

    /* A write there is an MSI: broadcast, fixed, edge, our vector. */
    probe_idt_set(MSI_VECTOR, irq_stub_dispatch_msi);
    mmio_write32(0xfee000f0u, 0x1ff);   /* LAPIC software enable */
    mmio_write32(MSI_BROADCAST, MSI_VECTOR);
    pr("dispatch.msi.delivered=%u\n", probe_irq_wait(&dispatch_msi_count));
}

void report_dispatch(void)
{
    report_ports();
    report_fw_cfg_port();
    report_mmio();
    report_msi_window();
}
