/*
 * The userspace i8254 PIT on ports 0x40-0x43, channel 0 on ISA IRQ 0,
 * used with kernel-irqchip=split. As QEMU 7.2 hw/timer/i8254.c +
 * i8254_common.c; its time base is a nanosecond clock (monotonic host
 * time unless a test supplies one) and channel 0's output transitions
 * are served by one GLib timeout in the main loop.
 */
#ifndef HW_TIMER_I8254_H
#define HW_TIMER_I8254_H

#include "hw/core/qdev.h"

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
    /* The time base; NULL means monotonic host time. */
    int64_t (*clock_ns)(void *opaque);
    void *clock_opaque;
    /* Arms the main-loop timeout for ns (absolute, -1 none); tests
     * replace it to drive time themselves. */
    void (*arm)(struct PITState *s, int64_t ns);
    GSource *timer_source;
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
/* Channel 0's deadline passed: QEMU's pit_irq_timer. */
void i8254_timer_expired(PITState *s);
/* Gate input (only channel 2's is wired on a PC, through port 0x61). */
void i8254_set_gate(PITState *s, int channel, int val);

uint64_t i8254_ioport_read(void *opaque, uint64_t addr, unsigned size);
void i8254_ioport_write(void *opaque, uint64_t addr, uint64_t val,
                        unsigned size);

void i8254_register_types(void);

#endif
