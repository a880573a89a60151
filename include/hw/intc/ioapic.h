/*
 * The userspace 82093AA IOAPIC (version 0x20, 24 pins), used with
 * kernel-irqchip=split: interrupts leave it as MSI messages for
 * the in-kernel LAPICs. As QEMU 7.2 hw/intc/ioapic.c + ioapic_common.c.
 */
#ifndef HW_INTC_IOAPIC_H
#define HW_INTC_IOAPIC_H

#include "hw/core/qdev.h"

#define TYPE_IOAPIC         "ioapic"
#define IOAPIC_NUM_PINS     24
#define IOAPIC_MMIO_SIZE    0x1000
#define IOAPIC_VER_DEF      0x20

typedef struct IOAPICState IOAPICState;

/*
 * Where the IOAPIC's messages go, set by the board before realize. With
 * KVM: pin i owns GSI route gsi_base + i, an MSI route kept equal to its
 * unmasked redirection entry (so KVM knows which vectors need an EOI
 * exit), and a message is that GSI raised (and dropped again for edge
 * triggered pins).
 */
typedef struct IOAPICBackend {
    int gsi_base;
    void (*update_route)(void *opaque, int gsi, uint64_t addr,
                         uint32_t data);
    void (*commit_routes)(void *opaque);
    void (*deliver)(void *opaque, int gsi, uint64_t addr, uint32_t data,
                    bool level_triggered);
    /* ExtINT delivery mode asks the PIC for the vector (may be NULL). */
    int (*extint_vector)(void *opaque);
    /*
     * A write to the EOI register is broadcast to every IOAPIC of the
     * machine, as QEMU's ioapic_eoi_broadcast(); NULL: this one only.
     */
    void (*eoi_broadcast)(void *opaque, int vector);
    void *opaque;
} IOAPICBackend;

struct IOAPICState {
    DeviceState parent_obj;     /* a sysbus device, as QEMU's */

    /* Property (QEMU's "version": 0x11 or 0x20) */
    uint8_t version;

    /* Guest-visible registers */
    uint8_t id;
    uint8_t ioregsel;
    uint32_t irr;
    uint64_t ioredtbl[IOAPIC_NUM_PINS];
    unsigned irq_eoi[IOAPIC_NUM_PINS];

    /* Host plumbing: set by the board before realize */
    uint64_t base;
    IOAPICBackend backend;
    qemu_irq in[IOAPIC_NUM_PINS];   /* pin n; ISA IRQ 0 lands on pin 2 */
};

#define IOAPIC(obj) OBJECT_CHECK(IOAPICState, (obj), TYPE_IOAPIC)

/*
 * Creates an IOAPIC with its window at base, realized (QEMU's
 * ioapic_init_gsi / ioapic_init_secondary). The device list owns it: the
 * pointer is borrowed.
 */
IOAPICState *ioapic_create(uint64_t base, const IOAPICBackend *backend,
                           Error **errp);
/* Input line n (QEMU's ioapic_set_irq: n == 0 means pin 2). */
void ioapic_set_irq(IOAPICState *s, int n, int level);
/*
 * This IOAPIC's part of an EOI broadcast: the LAPICs' EOI of a
 * level-triggered vector (KVM_EXIT_IOAPIC_EOI, or an EOI register).
 */
void ioapic_eoi(IOAPICState *s, int vector);

void ioapic_register_types(void);

#endif
