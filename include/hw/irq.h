/*
 * An interrupt line: the narrow exit through which a device says "my line
 * is high/low". The board decides what is on the other end (a KVM GSI,
 * a test stub recording levels).
 */
#ifndef HW_IRQ_H
#define HW_IRQ_H

#include "qemu/osdep.h"

typedef void (*qemu_irq_handler)(void *opaque, int n, int level);

typedef struct IRQState {
    qemu_irq_handler handler;
    void *opaque;
    int n;
} IRQState;

typedef IRQState *qemu_irq;

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irq(qemu_irq irq);

/* A NULL line is allowed and does nothing (an unwired device). */
static inline void qemu_set_irq(qemu_irq irq, int level)
{
    if (irq) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

static inline void qemu_irq_raise(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
}

static inline void qemu_irq_lower(qemu_irq irq)
{
    qemu_set_irq(irq, 0);
}

static inline void qemu_irq_pulse(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
    qemu_set_irq(irq, 0);
}

#endif
