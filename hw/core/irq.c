/*
 * Interrupt lines: a handler, its opaque and a line number.
 *
 * Matches QEMU 7.2's hw/core/irq.c (qemu_allocate_irq, qemu_free_irq);
 * raising and lowering are inline in include/hw/irq.h.
 */
#include "qemu/osdep.h"
#include "hw/irq.h"

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n)
{
    IRQState *irq = g_new0(IRQState, 1);

    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
    return irq;
}

void qemu_free_irq(qemu_irq irq)
{
    g_free(irq);
}
