/*
 * The userspace i8259 PIC pair (master on 0x20, slave on 0xa0, ELCR on
 * 0x4d0/0x4d1) used with kernel-irqchip=split, as QEMU 7.2's
 * hw/intc/i8259.c + i8259_common.c.
 */
#ifndef HW_INTC_I8259_H
#define HW_INTC_I8259_H

#include "hw/core/qdev.h"

#define TYPE_I8259 "isa-i8259"

/*
 * One 8259A chip: QEMU's "isa-i8259" device (PICCommonState). The board
 * creates two, the slave's INT on the master's input 2.
 */
typedef struct PICChip {
    ISADevice parent_obj;

    /* Properties (set by i8259_create over any -global, as QEMU's
     * i8259_init_chip does with qdev_prop_set_*) */
    uint32_t iobase;
    uint32_t elcr_addr;
    uint8_t elcr_mask;
    bool master;

    /* Registers */
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

    /* Host plumbing */
    qemu_irq int_out;       /* master: the BSP's INT; slave: master IRQ 2 */
    qemu_irq in[8];
} PICChip;

#define I8259(obj) OBJECT_CHECK(PICChip, (obj), TYPE_I8259)

/* The pair, as the board wires it (QEMU's i8259_init result). */
typedef struct PICState {
    PICChip *chip[2];       /* [0] master, [1] slave; the device list's */
    qemu_irq in[16];        /* ISA IRQ 0..15, for the board's GSI fan-out */
} PICState;

#define PIC_MASTER_BASE 0x20
#define PIC_SLAVE_BASE  0xa0
#define PIC_ELCR_BASE   0x4d0

/*
 * QEMU's i8259_init: the master (0x20, ELCR 0x4d0, mask 0xf8) on int_out,
 * the slave (0xa0, ELCR 0x4d1, mask 0xde) on its IRQ 2, both realized
 * (and reset). The chips belong to the device list; i8259_free frees the
 * pair's handle and lines after they are unrealized.
 */
PICState *i8259_create(qemu_irq int_out, Error **errp);
void i8259_free(PICState *s);
/* QEMU's pic_reset on both chips (the ELCR is cleared). */
void i8259_reset(PICState *s);
void i8259_set_irq(PICState *s, int irq, int level);
/* The interrupt acknowledge cycle: the vector to inject (QEMU's
 * pic_read_irq; spurious IRQ 7 when nothing is pending). */
int i8259_read_irq(PICState *s);
/* The INT line's current level. */
bool i8259_int_level(PICState *s);

void i8259_register_types(void);

#endif
