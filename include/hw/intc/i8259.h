/*
 * The userspace i8259 PIC pair (master on 0x20, slave on 0xa0, ELCR on
 * 0x4d0/0x4d1) used with kernel-irqchip=split, as QEMU 7.2's
 * hw/intc/i8259.c + i8259_common.c.
 */
#ifndef HW_INTC_I8259_H
#define HW_INTC_I8259_H

#include "hw/irq.h"

typedef struct PICState PICState;

typedef struct PICChip {
    PICState *pic;
    uint8_t last_irr;       /* edge detection */
    uint8_t irr;
    uint8_t imr;
    uint8_t isr;
    uint8_t priority_add;   /* highest priority IRQ */
    uint8_t irq_base;
    uint8_t read_reg_select;
    uint8_t poll;
    uint8_t special_mask;
    uint8_t init_state;
    uint8_t auto_eoi;
    uint8_t rotate_on_auto_eoi;
    uint8_t special_fully_nested_mode;
    uint8_t init4;
    uint8_t single_mode;
    uint8_t elcr;
    uint8_t elcr_mask;
    bool master;
} PICChip;

struct PICState {
    PICChip chip[2];        /* [0] master, [1] slave on master input 2 */
    qemu_irq int_out;       /* the master's INT line to the BSP */
    qemu_irq in[16];        /* ISA IRQ 0..15, for the board's GSI fan-out */
    bool ports_mapped;
};

#define PIC_MASTER_BASE 0x20
#define PIC_SLAVE_BASE  0xa0
#define PIC_ELCR_BASE   0x4d0

/* Maps the ports (when map_ports) and resets the pair. */
PICState *i8259_create(qemu_irq int_out, bool map_ports);
void i8259_free(PICState *s);
/* Machine reset: QEMU's pic_reset (the ELCR survives). */
void i8259_reset(PICState *s);
void i8259_set_irq(PICState *s, int irq, int level);
/* The interrupt acknowledge cycle: the vector to inject (QEMU's
 * pic_read_irq; spurious IRQ 7 when nothing is pending). */
int i8259_read_irq(PICState *s);
/* The INT line's current level. */
bool i8259_int_level(PICState *s);

#endif
