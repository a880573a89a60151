/*
 * The 82093AA IOAPIC in user space (kernel-irqchip=split).
 * Source of truth: QEMU 7.2 hw/intc/ioapic.c (ioapic_entry_parse,
 * ioapic_service, ioapic_set_irq, ioapic_update_kvm_routes,
 * ioapic_eoi_broadcast, ioapic_mem_read/write, ioapic_realize and its
 * "version" property) and ioapic_common.c (ioapic_reset_common, at most
 * two IOAPICs); include/hw/i386/ioapic_internal.h for the bit layout.
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

#define APIC_DEFAULT_ADDRESS 0xfee00000u    /* the MSI address window */
#define MAX_IOAPICS         2   /* QEMU's ioapic_common_realize limit */

/* Realized IOAPICs, for QEMU's "Only 2 ioapics allowed" check. */
static unsigned ioapic_count;

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
            s->backend.deliver(s->backend.opaque, s->backend.gsi_base + i,
                               info.addr, info.data, info.level);
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
        s->backend.update_route(s->backend.opaque, s->backend.gsi_base + i,
                                info.addr, info.data);
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

void ioapic_eoi(IOAPICState *s, int vector)
{
    for (int n = 0; n < IOAPIC_NUM_PINS; n++) {
        uint64_t entry = s->ioredtbl[n];

        if ((entry & 0xff) != (uint64_t)(vector & 0xff) ||
            !(entry & LVT_TRIGGER_LEVEL)) {
            continue;
        }
        /* an irqfd's resample fd on this pin (QEMU: before remote IRR) */
        kvm_resample_fd_notify(s->backend.gsi_base + n);
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

static uint64_t ioapic_mem_read(void *opaque, uint64_t addr, unsigned size)
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
            return s->version | ((IOAPIC_NUM_PINS - 1) << 16);
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

static void ioapic_mem_write(void *opaque, uint64_t addr, uint64_t val,
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
        /* the EOI register exists in version 0x20 only */
        if (size != 4 || s->version != 0x20) {
            break;
        }
        if (s->backend.eoi_broadcast) {
            s->backend.eoi_broadcast(s->backend.opaque, val);
        } else {
            ioapic_eoi(s, val);
        }
        break;
    }
    ioapic_update_routes(s);
}

static const MemoryRegionOps ioapic_ops = {
    .read = ioapic_mem_read,
    .write = ioapic_mem_write,
    /* QEMU 7.2's ioapic_io_ops: no size rules, the callbacks see 1-4 */
};

static void ioapic_in_handler(void *opaque, int n, int level)
{
    ioapic_set_irq(opaque, n, level);
}

/* QEMU's ioapic_reset_common: every pin masked, edge, vector 0. */
static void ioapic_reset(DeviceState *dev)
{
    IOAPICState *s = IOAPIC(dev);

    s->id = 0;
    s->ioregsel = 0;
    s->irr = 0;
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        s->ioredtbl[i] = LVT_MASKED;
        s->irq_eoi[i] = 0;
    }
}

static void ioapic_realize(DeviceState *dev, Error **errp)
{
    IOAPICState *s = IOAPIC(dev);

    if (ioapic_count >= MAX_IOAPICS) {
        error_setg(errp, "Only %d ioapics allowed", MAX_IOAPICS);
        return;
    }
    if (s->version != 0x11 && s->version != 0x20) {
        error_setg(errp, "IOAPIC only supports version 0x11 or 0x20 "
                   "(default: 0x%x).", IOAPIC_VER_DEF);
        return;
    }
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        s->in[i] = qemu_allocate_irq(ioapic_in_handler, s, i);
    }
    address_space_map(&address_space_memory, s->base, IOAPIC_MMIO_SIZE,
                      &ioapic_ops, s, "ioapic", s);
    ioapic_count++;
}

static void ioapic_unrealize(DeviceState *dev)
{
    IOAPICState *s = IOAPIC(dev);

    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        qemu_free_irq(s->in[i]);
        s->in[i] = NULL;
    }
    ioapic_count--;
}

IOAPICState *ioapic_create(uint64_t base, const IOAPICBackend *backend,
                           Error **errp)
{
    IOAPICState *s = IOAPIC(object_new(TYPE_IOAPIC));

    s->base = base;
    if (backend) {
        s->backend = *backend;
    }
    if (!qdev_realize_and_unref(DEVICE(s), errp)) {
        return NULL;
    }
    return s;
}

static const Property ioapic_properties[] = {
    DEFINE_PROP_UINT8("version", IOAPICState, version, IOAPIC_VER_DEF, ""),
    DEFINE_PROP_END_OF_LIST(),
};

static void ioapic_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = ioapic_realize;
    dc->reset = ioapic_reset;
    dc->unrealize = ioapic_unrealize;
    object_class_add_properties(klass, ioapic_properties);
}

static const TypeInfo ioapic_info = {
    .name = TYPE_IOAPIC,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(IOAPICState),
    .class_init = ioapic_class_init,
};

void ioapic_register_types(void)
{
    type_register_static(&ioapic_info);
}
