/*
 * The GSI array of an x86 machine: one interrupt line per IOAPIC pin
 * (24 per IOAPIC), the ISA bus on GSI 0-15, and the fan-out of each GSI
 * to the PIC and the IOAPIC that own it. As QEMU 7.2 hw/i386/x86.c
 * (GSIState, gsi_handler, ioapic_init_gsi, ioapic_init_secondary).
 */
#ifndef HW_I386_X86_GSI_H
#define HW_I386_X86_GSI_H

#include "hw/intc/ioapic.h"

#define ISA_NUM_IRQS            16
#define GSI_MAX_IOAPICS         2

typedef struct GSIState {
    unsigned num_ioapics;
    qemu_irq *gsi;                  /* IOAPIC_NUM_PINS * num_ioapics lines */
    /* Where each GSI goes (NULL: nowhere) */
    qemu_irq i8259_irq[ISA_NUM_IRQS];
    qemu_irq ioapic_irq[GSI_MAX_IOAPICS][IOAPIC_NUM_PINS];
    IOAPICState *ioapic[GSI_MAX_IOAPICS];
    /*
     * The in-kernel irqchip (kernel-irqchip=on): every GSI is one
     * KVM_IRQ_LINE, KVM forwards ISA lines to its PIC and IOAPIC.
     */
    void (*kernel_irqchip)(int gsi, int level);
} GSIState;

/* Allocates the GSI lines for num_ioapics IOAPICs (1 or 2). */
void gsi_init(GSIState *s, unsigned num_ioapics);
void gsi_cleanup(GSIState *s);
/* Line n of the array: QEMU's gsi_handler. */
void gsi_handler(void *opaque, int n, int level);
/*
 * The userspace IOAPICs (kernel-irqchip=split): IOAPIC i at bases[i],
 * its pins on GSI i * IOAPIC_NUM_PINS on, messages to backend (whose
 * gsi_base is set here).
 */
bool gsi_create_ioapics(GSIState *s, const uint64_t *bases,
                        const IOAPICBackend *backend, Error **errp);
/*
 * A level-triggered vector's EOI reaches every IOAPIC, as QEMU's
 * ioapic_eoi_broadcast() (opaque: the GSIState).
 */
void gsi_eoi_broadcast(void *opaque, int vector);

#endif
