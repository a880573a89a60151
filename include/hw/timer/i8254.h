/*
 * The userspace i8254 PIT on ports 0x40-0x43, channel 0 on ISA IRQ 0,
 * used with kernel-irqchip=split. As QEMU 7.2 hw/timer/i8254.c +
 * i8254_common.c; its time base is QEMU_CLOCK_VIRTUAL, and channel 0's
 * output transitions are served by one timer on it.
 */
#ifndef HW_TIMER_I8254_H
#define HW_TIMER_I8254_H

#include "hw/core/qdev.h"
#include "qemu/timer.h"

#define TYPE_PIT "isa-pit"
#define PIT_FREQ 1193182

typedef struct PITChannel {
    int count;              /* 1..0x10000 */
    uint16_t latched_count;
    uint8_t count_latched;
    uint8_t status_latched;
    uint8_t status;
    uint8_t read_state;
    uint8_t write_state;
    uint8_t write_latch;
    uint8_t rw_mode;
    uint8_t mode;
    uint8_t bcd;            /* not supported, as QEMU */
    uint8_t gate;
    int64_t count_load_time;
    int64_t next_transition_time;   /* -1: none */
} PITChannel;

/* QEMU's "isa-pit" device (PITCommonState), not user-creatable. */
typedef struct PITState {
    ISADevice parent_obj;
    uint32_t iobase;        /* property; set by i8254_create over -global */
    PITChannel channels[3];
    qemu_irq irq;           /* channel 0's OUT */
    QEMUTimer *irq_timer;   /* channel 0's next transition */
} PITState;

#define PIT(obj) OBJECT_CHECK(PITState, (obj), TYPE_PIT)

/*
 * QEMU's i8254_pit_init: the PIT on ports iobase..iobase+3, channel 0's
 * OUT on irq, realized (and reset). The device list owns it: the pointer
 * is borrowed.
 */
PITState *i8254_create(qemu_irq irq, uint32_t iobase, Error **errp);
/* QEMU's pit_reset (the device's reset). */
void i8254_reset(PITState *s);
/* Gate input (only channel 2's is wired on a PC, through port 0x61). */
void i8254_set_gate(PITState *s, int channel, int val);

uint64_t i8254_ioport_read(void *opaque, uint64_t addr, unsigned size);
void i8254_ioport_write(void *opaque, uint64_t addr, uint64_t val,
                        unsigned size);

void i8254_register_types(void);

#endif
