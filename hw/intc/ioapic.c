/*
 * The 82093AA IOAPIC in user space (kernel-irqchip=split).
 * Source of truth: QEMU 7.2 hw/intc/ioapic.c (ioapic_entry_parse,
 * ioapic_service, ioapic_set_irq, ioapic_update_kvm_routes,
 * ioapic_eoi_broadcast, ioapic_mem_read/write, version 0x20) and
 * ioapic_common.c (ioapic_reset_common); include/hw/i386/ioapic_internal.h
 * for the bit layout.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/intc/ioapic.h"
#include "system/memory.h"
#include "system/kvm.h"

#define IOREGSEL            0x00
#define IOWIN               0x10
#define IOEOI               0x40
#define REG_ID              0x00
#define REG_VER             0x01
#define REG_ARB             0x02
#define REG_REDTBL_BASE     0x10

#define LVT_DEST_IDX_SHIFT  48
#define LVT_MASKED          (1u << 16)
#define LVT_TRIGGER_LEVEL   (1u << 15)
#define LVT_REMOTE_IRR      (1u << 14)
#define LVT_DELIV_STATUS    (1u << 12)
#define LVT_DEST_MODE_SHIFT 11
#define LVT_DELIV_MODE_SHIFT 8
#define RO_BITS             ((uint64_t)(LVT_REMOTE_IRR | LVT_DELIV_STATUS))
#define DM_EXTINT           7
/* As QEMU: an interrupt storm on EOI is served late, 10 ms later. */
#define SUCCESSIVE_IRQ_MAX_COUNT 10000

#define APIC_DEFAULT_ADDRESS 0xfee00000u

/* At most one IOAPIC: the second one needs ACPI, not implemented yet. */
static IOAPICState *the_ioapic;

typedef struct IOAPICEntryInfo {
    bool masked;
    bool level;
    uint64_t addr;
    uint32_t data;
} IOAPICEntryInfo;

static void ioapic_entry_parse(IOAPICState *s, uint64_t entry,
                               IOAPICEntryInfo *info)
{
    uint32_t dest_idx = (entry >> LVT_DEST_IDX_SHIFT) & 0xffff;
    uint32_t dest_mode = (entry >> LVT_DEST_MODE_SHIFT) & 1;
    uint32_t dm = (entry >> LVT_DELIV_MODE_SHIFT) & 7;
    uint32_t vector = entry & 0xff;

    info->masked = entry & LVT_MASKED;
    info->level = entry & LVT_TRIGGER_LEVEL;
    if (dm == DM_EXTINT && s->backend.extint_vector) {
        vector = s->backend.extint_vector(s->backend.opaque);
    }
    /* The MSI format: destination in address bits 12+, mode in bit 2. */
    info->addr = APIC_DEFAULT_ADDRESS | ((uint64_t)dest_idx << 4) |
                 (dest_mode << 2);
    info->data = vector | ((uint32_t)info->level << 15) | (dm << 8);
}

static void ioapic_service(IOAPICState *s)
{
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        uint32_t mask = 1u << i;
        IOAPICEntryInfo info;

        if (!(s->irr & mask)) {
            continue;
        }
        if (s->ioredtbl[i] & LVT_MASKED) {
            continue;
        }
        ioapic_entry_parse(s, s->ioredtbl[i], &info);
        if (!info.level) {
            s->irr &= ~mask;
        } else {
            /* The LAPIC still handles the previous one: coalesce. */
            if (s->ioredtbl[i] & LVT_REMOTE_IRR) {
                continue;
            }
            s->ioredtbl[i] |= LVT_REMOTE_IRR;
        }
        if (s->backend.deliver) {
            s->backend.deliver(s->backend.opaque, i, info.addr, info.data,
                               info.level);
        }
    }
}

static void ioapic_update_routes(IOAPICState *s)
{
    if (!s->backend.update_route) {
        return;
    }
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        IOAPICEntryInfo info;

        /* A masked pin keeps its last route, as QEMU. */
        if (s->ioredtbl[i] & LVT_MASKED) {
            continue;
        }
        /* The route needs no PIC vector: don't acknowledge the PIC. */
        if (((s->ioredtbl[i] >> LVT_DELIV_MODE_SHIFT) & 7) == DM_EXTINT) {
            continue;
        }
        ioapic_entry_parse(s, s->ioredtbl[i], &info);
        s->backend.update_route(s->backend.opaque, i, info.addr, info.data);
    }
    if (s->backend.commit_routes) {
        s->backend.commit_routes(s->backend.opaque);
    }
}

void ioapic_set_irq(IOAPICState *s, int n, int level)
{
    uint32_t mask;
    uint64_t entry;

    /* ISA IRQ 0 (the PIT) is wired to pin 2, as the MP table says. */
    if (n == 0) {
        n = 2;
    }
    if (n < 0 || n >= IOAPIC_NUM_PINS) {
        return;
    }
    mask = 1u << n;
    entry = s->ioredtbl[n];
    if (entry & LVT_TRIGGER_LEVEL) {
        if (level) {
            s->irr |= mask;
            if (!(entry & LVT_REMOTE_IRR)) {
                ioapic_service(s);
            }
        } else {
            s->irr &= ~mask;
        }
    } else if (level && !(entry & LVT_MASKED)) {
        /* 82093AA: edges on a masked pin are ignored */
        s->irr |= mask;
        ioapic_service(s);
    }
}

void ioapic_eoi_broadcast(int vector)
{
    IOAPICState *s = the_ioapic;

    if (!s) {
        return;
    }
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        uint64_t entry = s->ioredtbl[n];

        if ((entry & 0xff) != (uint64_t)(vector & 0xff) ||
            !(entry & LVT_TRIGGER_LEVEL)) {
            continue;
        }
        /* an irqfd's resample fd on this pin (QEMU: before remote IRR) */
        kvm_resample_fd_notify(n);
        if (!(entry & LVT_REMOTE_IRR)) {
            continue;
        }
        s->ioredtbl[n] = entry & ~(uint64_t)LVT_REMOTE_IRR;
        if (!(entry & LVT_MASKED) && (s->irr & (1u << n))) {
            /*
             * Still asserted: deliver again. QEMU delays the redelivery
             * of a storm by 10 ms; here the count only wraps, the
             * redelivery is immediate.
             */
            if (++s->irq_eoi[n] >= SUCCESSIVE_IRQ_MAX_COUNT) {
                s->irq_eoi[n] = 0;
            }
            ioapic_service(s);
        } else {
            s->irq_eoi[n] = 0;
        }
    }
}

uint64_t ioapic_mem_read(void *opaque, uint64_t addr, unsigned size)
{
    IOAPICState *s = opaque;
    int index;

    switch (addr & 0xff) {
    case IOREGSEL:
        return s->ioregsel;
    case IOWIN:
        if (size != 4) {
            return 0;
        }
        switch (s->ioregsel) {
        case REG_ID:
        case REG_ARB:
            return (uint32_t)s->id << 24;
        case REG_VER:
            return IOAPIC_VERSION | ((IOAPIC_NUM_PINS - 1) << 16);
        default:
            index = (s->ioregsel - REG_REDTBL_BASE) >> 1;
            if (index >= 0 && index < IOAPIC_NUM_PINS) {
                return s->ioregsel & 1 ? s->ioredtbl[index] >> 32
                                       : (uint32_t)s->ioredtbl[index];
            }
            return 0;
        }
    default:
        return 0;
    }
}

void ioapic_mem_write(void *opaque, uint64_t addr, uint64_t val,
                      unsigned size)
{
    IOAPICState *s = opaque;
    int index;

    switch (addr & 0xff) {
    case IOREGSEL:
        s->ioregsel = val;
        break;
    case IOWIN:
        if (size != 4) {
            break;
        }
        switch (s->ioregsel) {
        case REG_ID:
            s->id = (val >> 24) & 0xf;
            break;
        case REG_VER:
        case REG_ARB:
            break;
        default:
            index = (s->ioregsel - REG_REDTBL_BASE) >> 1;
            if (index >= 0 && index < IOAPIC_NUM_PINS) {
                uint64_t ro = s->ioredtbl[index] & RO_BITS;
                uint64_t e = s->ioredtbl[index];

                if (s->ioregsel & 1) {
                    e = (uint32_t)e | ((uint64_t)(uint32_t)val << 32);
                } else {
                    e = (e & ~0xffffffffULL) | (uint32_t)val;
                }
                e = (e & ~RO_BITS) | ro;
                /* an edge-triggered pin has no remote IRR */
                if (!(e & LVT_TRIGGER_LEVEL)) {
                    e &= ~(uint64_t)LVT_REMOTE_IRR;
                }
                s->ioredtbl[index] = e;
                s->irq_eoi[index] = 0;
                ioapic_service(s);
            }
        }
        break;
    case IOEOI:
        /* the EOI register exists from version 0x20 on */
        if (size == 4) {
            ioapic_eoi_broadcast(val);
        }
        break;
    }
    ioapic_update_routes(s);
}

static const MemoryRegionOps ioapic_ops = {
    .read = ioapic_mem_read,
    .write = ioapic_mem_write,
    .min_access_size = 1,
    .max_access_size = 4,
};

static void ioapic_in_handler(void *opaque, int n, int level)
{
    ioapic_set_irq(opaque, n, level);
}

void ioapic_reset(IOAPICState *s)
{
    s->id = 0;
    s->ioregsel = 0;
    s->irr = 0;
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        s->ioredtbl[i] = LVT_MASKED;
        s->irq_eoi[i] = 0;
    }
}

IOAPICState *ioapic_create(const IOAPICBackend *backend, bool map_mmio)
{
    IOAPICState *s = g_new0(IOAPICState, 1);

    if (backend) {
        s->backend = *backend;
    }
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        s->in[i] = qemu_allocate_irq(ioapic_in_handler, s, i);
    }
    s->base = IOAPIC_DEFAULT_BASE;
    if (map_mmio) {
        address_space_map(&address_space_memory, s->base, IOAPIC_MMIO_SIZE,
                          &ioapic_ops, s, "ioapic");
        s->mapped = true;
    }
    ioapic_reset(s);
    the_ioapic = s;
    return s;
}

void ioapic_free(IOAPICState *s)
{
    if (!s) {
        return;
    }
    if (s->mapped) {
        address_space_unmap(&address_space_memory, s->base);
    }
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        qemu_free_irq(s->in[i]);
    }
    if (the_ioapic == s) {
        the_ioapic = NULL;
    }
    g_free(s);
}
