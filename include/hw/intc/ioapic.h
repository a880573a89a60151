/*
 * The userspace 82093AA IOAPIC (version 0x20, 24 pins) at 0xfec00000,
 * used with kernel-irqchip=split: interrupts leave it as MSI messages for
 * the in-kernel LAPICs. As QEMU 7.2 hw/intc/ioapic.c + ioapic_common.c.
 */
#ifndef HW_INTC_IOAPIC_H
#define HW_INTC_IOAPIC_H

#include "hw/irq.h"

#define IOAPIC_NUM_PINS     24
#define IOAPIC_DEFAULT_BASE 0xfec00000u
#define IOAPIC_MMIO_SIZE    0x1000
#define IOAPIC_VERSION      0x20

typedef struct IOAPICState IOAPICState;

/*
 * Where the IOAPIC's messages go. With KVM: pin i owns GSI route i,
 * an MSI route kept equal to its unmasked redirection entry (so KVM
 * knows which vectors need an EOI exit), and a message is the GSI
 * raised (and dropped again for edge triggered pins).
 */
typedef struct IOAPICBackend {
    void (*update_route)(void *opaque, int pin, uint64_t addr,
                         uint32_t data);
    void (*commit_routes)(void *opaque);
    void (*deliver)(void *opaque, int pin, uint64_t addr, uint32_t data,
                    bool level_triggered);
    /* ExtINT delivery mode asks the PIC for the vector (may be NULL). */
    int (*extint_vector)(void *opaque);
    void *opaque;
} IOAPICBackend;

struct IOAPICState {
    uint8_t id;
    uint8_t ioregsel;
    uint32_t irr;
    uint64_t ioredtbl[IOAPIC_NUM_PINS];
    unsigned irq_eoi[IOAPIC_NUM_PINS];
    qemu_irq in[IOAPIC_NUM_PINS];   /* GSI n; ISA IRQ 0 lands on pin 2 */
    IOAPICBackend backend;
    uint64_t base;
    bool mapped;
};

IOAPICState *ioapic_create(const IOAPICBackend *backend, bool map_mmio);
void ioapic_free(IOAPICState *s);
void ioapic_reset(IOAPICState *s);
/* Input line n (QEMU's ioapic_set_irq: n == 0 means pin 2). */
void ioapic_set_irq(IOAPICState *s, int n, int level);
/* The LAPICs' EOI of a level-triggered vector (KVM_EXIT_IOAPIC_EOI). */
void ioapic_eoi_broadcast(int vector);

uint64_t ioapic_mem_read(void *opaque, uint64_t addr, unsigned size);
void ioapic_mem_write(void *opaque, uint64_t addr, uint64_t val,
                      unsigned size);

#endif
