/*
 * The userspace i8254 PIT on ports 0x40-0x43, channel 0 on ISA IRQ 0,
 * used with kernel-irqchip=split. As QEMU 7.2 hw/timer/i8254.c +
 * i8254_common.c; its time base is QEMU_CLOCK_VIRTUAL, and channel 0's
 * output transitions are served by one timer on it.
 */
#ifndef HW_TIMER_I8254_H
#define HW_TIMER_I8254_H

#include "hw/irq.h"
#include "qemu/timer.h"

#define PIT_FREQ 1193182
#define PIT_BASE 0x40

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

typedef struct PITState {
    PITChannel channels[3];
    qemu_irq irq;           /* channel 0's OUT */
    QEMUTimer *irq_timer;   /* channel 0's next transition */
    bool ports_mapped;
} PITState;

PITState *i8254_create(qemu_irq irq, bool map_ports);
void i8254_free(PITState *s);
void i8254_reset(PITState *s);
/* Gate input (only channel 2's is wired on a PC, through port 0x61). */
void i8254_set_gate(PITState *s, int channel, int val);

uint64_t i8254_ioport_read(void *opaque, uint64_t addr, unsigned size);
void i8254_ioport_write(void *opaque, uint64_t addr, uint64_t val,
                        unsigned size);

#endif
