/*
 * The GSI array: each line to the PIC (ISA lines) and to the IOAPIC pin
 * that owns it. Source of truth: QEMU 7.2 hw/i386/x86.c gsi_handler,
 * ioapic_init_gsi, ioapic_init_secondary (IOAPIC 2's pins are GSI
 * 24-47), hw/intc/ioapic.c ioapic_eoi_broadcast (every IOAPIC).
 */
#include "qemu/osdep.h"
#include "hw/i386/x86-gsi.h"

void gsi_init(GSIState *s, unsigned num_ioapics)
{
    unsigned n = IOAPIC_NUM_PINS * num_ioapics;

    g_assert(num_ioapics >= 1 && num_ioapics <= GSI_MAX_IOAPICS);
    memset(s, 0, sizeof(*s));
    s->num_ioapics = num_ioapics;
    s->gsi = g_new0(qemu_irq, n);
    for (unsigned i = 0; i < n; i++) {
        s->gsi[i] = qemu_allocate_irq(gsi_handler, s, i);
    }
}

void gsi_cleanup(GSIState *s)
{
    if (!s->gsi) {
        return;
    }
    for (unsigned i = 0; i < IOAPIC_NUM_PINS * s->num_ioapics; i++) {
        qemu_free_irq(s->gsi[i]);
    }
    g_free(s->gsi);
    s->gsi = NULL;
}

void gsi_handler(void *opaque, int n, int level)
{
    GSIState *s = opaque;

    if (n < ISA_NUM_IRQS && s->i8259_irq[n]) {
        qemu_set_irq(s->i8259_irq[n], level);
    }
    if (s->kernel_irqchip) {
        /* KVM forwards the GSI to its own PIC and IOAPIC */
        s->kernel_irqchip(n, level);
        return;
    }
    qemu_set_irq(s->ioapic_irq[n / IOAPIC_NUM_PINS][n % IOAPIC_NUM_PINS],
                 level);
}

bool gsi_create_ioapics(GSIState *s, const uint64_t *bases,
                        const IOAPICBackend *backend, Error **errp)
{
    for (unsigned i = 0; i < s->num_ioapics; i++) {
        IOAPICBackend be = *backend;
        IOAPICState *ioapic;

        be.gsi_base = i * IOAPIC_NUM_PINS;
        ioapic = ioapic_create(bases[i], &be, errp);
        if (!ioapic) {
            return false;
        }
        s->ioapic[i] = ioapic;
        for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
            s->ioapic_irq[i][pin] = ioapic->in[pin];
        }
    }
    return true;
}

void gsi_eoi_broadcast(void *opaque, int vector)
{
    GSIState *s = opaque;

    for (unsigned i = 0; i < s->num_ioapics; i++) {
        if (s->ioapic[i]) {
            ioapic_eoi(s->ioapic[i], vector);
        }
    }
}
