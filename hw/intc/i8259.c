/*
 * The i8259A PIC pair in user space (kernel-irqchip=split).
 * Source of truth: QEMU 7.2 hw/intc/i8259.c (pic_get_priority,
 * pic_get_irq, pic_update_irq, pic_set_irq, pic_intack, pic_read_irq,
 * pic_ioport_write/read, elcr_ioport_*) and i8259_common.c
 * (pic_reset_common, the ELCR masks 0xf8/0xde).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/intc/i8259.h"
#include "system/memory.h"

static int pic_get_priority(PICChip *c, uint8_t mask)
{
    int priority = 0;

    if (mask == 0) {
        return 8;
    }
    while (!(mask & (1 << ((priority + c->priority_add) & 7)))) {
        priority++;
    }
    return priority;
}

/* The IRQ the chip would raise now, or -1. */
static int pic_get_irq(PICChip *c)
{
    int priority, cur_priority;
    uint8_t mask = c->irr & ~c->imr;

    priority = pic_get_priority(c, mask);
    if (priority == 8) {
        return -1;
    }
    /*
     * Compare with the highest priority in service; in special fully
     * nested mode the master ignores the slave's in-service bit so that
     * a higher-priority slave IRQ can nest.
     */
    mask = c->isr;
    if (c->special_mask) {
        mask &= ~c->imr;
    }
    if (c->special_fully_nested_mode && c->master) {
        mask &= ~(1 << 2);
    }
    cur_priority = pic_get_priority(c, mask);
    if (priority < cur_priority) {
        return (priority + c->priority_add) & 7;
    }
    return -1;
}

static void pic_chip_set_irq(PICChip *c, int irq, int level);

static void pic_update_irq(PICChip *c)
{
    PICState *s = c->pic;
    int level = pic_get_irq(c) >= 0;

    if (c->master) {
        qemu_set_irq(s->int_out, level);
    } else {
        pic_chip_set_irq(&s->chip[0], 2, level);
    }
}

static void pic_chip_set_irq(PICChip *c, int irq, int level)
{
    uint8_t mask = 1 << irq;

    if (c->elcr & mask) {
        /* level triggered */
        if (level) {
            c->irr |= mask;
            c->last_irr |= mask;
        } else {
            c->irr &= ~mask;
            c->last_irr &= ~mask;
        }
    } else {
        /* edge triggered: only a rising edge requests */
        if (level) {
            if (!(c->last_irr & mask)) {
                c->irr |= mask;
            }
            c->last_irr |= mask;
        } else {
            c->last_irr &= ~mask;
        }
    }
    pic_update_irq(c);
}

static void pic_intack(PICChip *c, int irq)
{
    if (c->auto_eoi) {
        if (c->rotate_on_auto_eoi) {
            c->priority_add = (irq + 1) & 7;
        }
    } else {
        c->isr |= 1 << irq;
    }
    /* A level-triggered request stays until the device drops it. */
    if (!(c->elcr & (1 << irq))) {
        c->irr &= ~(1 << irq);
    }
    pic_update_irq(c);
}

int i8259_read_irq(PICState *s)
{
    PICChip *m = &s->chip[0], *sl = &s->chip[1];
    int irq, irq2, intno;

    irq = pic_get_irq(m);
    if (irq < 0) {
        /* spurious IRQ on the master */
        return m->irq_base + 7;
    }
    if (irq == 2) {
        irq2 = pic_get_irq(sl);
        if (irq2 >= 0) {
            pic_intack(sl, irq2);
        } else {
            irq2 = 7;       /* spurious IRQ on the slave */
        }
        intno = sl->irq_base + irq2;
    } else {
        intno = m->irq_base + irq;
    }
    pic_intack(m, irq);
    return intno;
}

bool i8259_int_level(PICState *s)
{
    return pic_get_irq(&s->chip[0]) >= 0;
}

/* ICW1 and machine reset: everything but the ELCR. */
static void pic_init_reset(PICChip *c)
{
    c->last_irr = 0;
    c->irr &= c->elcr;
    c->imr = 0;
    c->isr = 0;
    c->priority_add = 0;
    c->irq_base = 0;
    c->read_reg_select = 0;
    c->poll = 0;
    c->special_mask = 0;
    c->init_state = 0;
    c->auto_eoi = 0;
    c->rotate_on_auto_eoi = 0;
    c->special_fully_nested_mode = 0;
    c->init4 = 0;
    c->single_mode = 0;
}

static void pic_ioport_write(void *opaque, uint64_t addr, uint64_t val64,
                             unsigned size)
{
    PICChip *c = opaque;
    uint8_t val = val64;
    int priority, cmd, irq;

    if ((addr & 1) == 0) {
        if (val & 0x10) {
            /* ICW1 */
            pic_init_reset(c);
            pic_update_irq(c);
            c->init_state = 1;
            c->init4 = val & 1;
            c->single_mode = val & 2;
            if (val & 0x08) {
                qemu_log_mask(LOG_UNIMP,
                              "i8259: level sensitive irq not supported\n");
            }
        } else if (val & 0x08) {
            /* OCW3 */
            if (val & 0x04) {
                c->poll = 1;
            }
            if (val & 0x02) {
                c->read_reg_select = val & 1;
            }
            if (val & 0x40) {
                c->special_mask = (val >> 5) & 1;
            }
        } else {
            /* OCW2 */
            cmd = val >> 5;
            switch (cmd) {
            case 0:
            case 4:
                c->rotate_on_auto_eoi = cmd >> 2;
                break;
            case 1: /* non-specific EOI */
            case 5: /* ... and rotate */
                priority = pic_get_priority(c, c->isr);
                if (priority != 8) {
                    irq = (priority + c->priority_add) & 7;
                    c->isr &= ~(1 << irq);
                    if (cmd == 5) {
                        c->priority_add = (irq + 1) & 7;
                    }
                    pic_update_irq(c);
                }
                break;
            case 3: /* specific EOI */
                irq = val & 7;
                c->isr &= ~(1 << irq);
                pic_update_irq(c);
                break;
            case 6: /* set priority */
                c->priority_add = (val + 1) & 7;
                pic_update_irq(c);
                break;
            case 7: /* specific EOI and rotate */
                irq = val & 7;
                c->isr &= ~(1 << irq);
                c->priority_add = (irq + 1) & 7;
                pic_update_irq(c);
                break;
            default:
                break;
            }
        }
        return;
    }
    switch (c->init_state) {
    case 0:
        /* OCW1: the mask */
        c->imr = val;
        pic_update_irq(c);
        break;
    case 1:
        c->irq_base = val & 0xf8;
        c->init_state = c->single_mode ? (c->init4 ? 3 : 0) : 2;
        break;
    case 2:
        c->init_state = c->init4 ? 3 : 0;
        break;
    case 3:
        c->special_fully_nested_mode = (val >> 4) & 1;
        c->auto_eoi = (val >> 1) & 1;
        c->init_state = 0;
        break;
    }
}

static uint64_t pic_ioport_read(void *opaque, uint64_t addr, unsigned size)
{
    PICChip *c = opaque;
    int ret;

    if (c->poll) {
        ret = pic_get_irq(c);
        if (ret >= 0) {
            pic_intack(c, ret);
            ret |= 0x80;
        } else {
            ret = 0;
        }
        c->poll = 0;
        return ret;
    }
    if ((addr & 1) == 0) {
        return c->read_reg_select ? c->isr : c->irr;
    }
    return c->imr;
}

static void elcr_ioport_write(void *opaque, uint64_t addr, uint64_t val,
                              unsigned size)
{
    PICChip *c = opaque;

    c->elcr = val & c->elcr_mask;
}

static uint64_t elcr_ioport_read(void *opaque, uint64_t addr, unsigned size)
{
    PICChip *c = opaque;

    return c->elcr;
}

static const MemoryRegionOps pic_base_ops = {
    .read = pic_ioport_read,
    .write = pic_ioport_write,
    .min_access_size = 1,
    .max_access_size = 1,
};

static const MemoryRegionOps pic_elcr_ops = {
    .read = elcr_ioport_read,
    .write = elcr_ioport_write,
    .min_access_size = 1,
    .max_access_size = 1,
};

static void pic_in_handler(void *opaque, int n, int level)
{
    i8259_set_irq(opaque, n, level);
}

void i8259_set_irq(PICState *s, int irq, int level)
{
    if (irq < 0 || irq > 15) {
        return;
    }
    pic_chip_set_irq(&s->chip[irq >> 3], irq & 7, level);
}

void i8259_reset(PICState *s)
{
    /* The slave first, so the master sees its cleared output. */
    for (int i = 1; i >= 0; i--) {
        s->chip[i].elcr = 0;
        pic_init_reset(&s->chip[i]);
        pic_update_irq(&s->chip[i]);
    }
}

PICState *i8259_create(qemu_irq int_out, bool map_ports)
{
    PICState *s = g_new0(PICState, 1);

    s->int_out = int_out;
    for (int i = 0; i < 2; i++) {
        s->chip[i].pic = s;
        s->chip[i].master = i == 0;
    }
    s->chip[0].elcr_mask = 0xf8;
    s->chip[1].elcr_mask = 0xde;
    for (int i = 0; i < 16; i++) {
        s->in[i] = qemu_allocate_irq(pic_in_handler, s, i);
    }
    if (map_ports) {
        address_space_map(&address_space_io, PIC_MASTER_BASE, 2,
                          &pic_base_ops, &s->chip[0], "pic", s);
        address_space_map(&address_space_io, PIC_SLAVE_BASE, 2,
                          &pic_base_ops, &s->chip[1], "pic", s);
        address_space_map(&address_space_io, PIC_ELCR_BASE, 1,
                          &pic_elcr_ops, &s->chip[0], "elcr", s);
        address_space_map(&address_space_io, PIC_ELCR_BASE + 1, 1,
                          &pic_elcr_ops, &s->chip[1], "elcr", s);
        s->ports_mapped = true;
    }
    i8259_reset(s);
    return s;
}

void i8259_free(PICState *s)
{
    if (!s) {
        return;
    }
    if (s->ports_mapped) {
        address_space_unmap_owner(&address_space_io, s);
    }
    for (int i = 0; i < 16; i++) {
        qemu_free_irq(s->in[i]);
    }
    g_free(s);
}
