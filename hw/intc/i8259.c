/*
 * The i8259A PIC pair in user space (kernel-irqchip=split).
 * Source of truth: QEMU 7.2 hw/intc/i8259.c (pic_get_priority,
 * pic_get_irq, pic_update_irq, pic_set_irq, pic_intack, pic_read_irq,
 * pic_ioport_write/read, elcr_ioport_*, pic_reset, i8259_init) and
 * i8259_common.c (pic_reset_common, the ELCR masks 0xf8/0xde, the
 * "isa-i8259" properties, not user-creatable).
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
    qemu_set_irq(c->int_out, pic_get_irq(c) >= 0);
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
    PICChip *m = s->chip[0], *sl = s->chip[1];
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
    return pic_get_irq(s->chip[0]) >= 0;
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

    /* Offset 0 is the command port, any other the data port: a wide
     * access reaches offsets 2 and 3 too (QEMU 7.2's "addr == 0"). */
    if (addr == 0) {
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
    if (addr == 0) {            /* as the write: QEMU's "addr == 0" */
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
    .impl.min_access_size = 1,      /* QEMU 7.2: the same .impl */
    .impl.max_access_size = 1,
};

static const MemoryRegionOps pic_elcr_ops = {
    .read = elcr_ioport_read,
    .write = elcr_ioport_write,
    .impl.min_access_size = 1,      /* QEMU 7.2: the same .impl */
    .impl.max_access_size = 1,
};

static void pic_in_handler(void *opaque, int n, int level)
{
    pic_chip_set_irq(opaque, n, level);
}

void i8259_set_irq(PICState *s, int irq, int level)
{
    if (irq < 0 || irq > 15) {
        return;
    }
    pic_chip_set_irq(s->chip[irq >> 3], irq & 7, level);
}

/* QEMU's pic_reset: everything, the ELCR included. */
static void pic_reset(DeviceState *dev)
{
    PICChip *c = I8259(dev);

    c->elcr = 0;
    pic_init_reset(c);
    pic_update_irq(c);
}

void i8259_reset(PICState *s)
{
    /* The slave first, so the master sees its cleared output. */
    device_reset(DEVICE(s->chip[1]));
    device_reset(DEVICE(s->chip[0]));
}

static void pic_realize(DeviceState *dev, Error **errp)
{
    PICChip *c = I8259(dev);

    if (c->iobase > 0xfffe) {
        error_setg(errp, "Invalid i8259 iobase 0x%x", c->iobase);
        return;
    }
    for (int i = 0; i < 8; i++) {
        c->in[i] = qemu_allocate_irq(pic_in_handler, c, i);
    }
    isa_register_ioport(ISA_DEVICE(dev), c->iobase, 2, &pic_base_ops, c,
                        "pic");
    if (c->elcr_addr <= 0xffff) {
        isa_register_ioport(ISA_DEVICE(dev), c->elcr_addr, 1, &pic_elcr_ops,
                            c, "elcr");
    }
}

static void pic_unrealize(DeviceState *dev)
{
    PICChip *c = I8259(dev);

    for (int i = 0; i < 8; i++) {
        qemu_free_irq(c->in[i]);
        c->in[i] = NULL;
    }
}

/* QEMU's i8259_init_chip: the board's values win over any -global. */
static PICChip *i8259_create_chip(bool master, uint32_t iobase,
                                  uint32_t elcr_addr, uint8_t elcr_mask,
                                  qemu_irq int_out, Error **errp)
{
    PICChip *c = I8259(object_new(TYPE_I8259));

    c->master = master;
    c->iobase = iobase;
    c->elcr_addr = elcr_addr;
    c->elcr_mask = elcr_mask;
    c->int_out = int_out;
    if (!qdev_realize_and_unref(DEVICE(c), errp)) {
        return NULL;
    }
    return c;
}

PICState *i8259_create(qemu_irq int_out, Error **errp)
{
    PICState *s = g_new0(PICState, 1);

    s->chip[0] = i8259_create_chip(true, PIC_MASTER_BASE, PIC_ELCR_BASE,
                                   0xf8, int_out, errp);
    if (!s->chip[0]) {
        g_free(s);
        return NULL;
    }
    s->chip[1] = i8259_create_chip(false, PIC_SLAVE_BASE, PIC_ELCR_BASE + 1,
                                   0xde, s->chip[0]->in[2], errp);
    if (!s->chip[1]) {
        g_free(s);
        return NULL;
    }
    for (int i = 0; i < 16; i++) {
        s->in[i] = s->chip[i >> 3]->in[i & 7];
    }
    return s;
}

void i8259_free(PICState *s)
{
    g_free(s);
}

static const Property pic_properties[] = {
    DEFINE_PROP_UINT32("iobase", PICChip, iobase, UINT32_MAX, ""),
    DEFINE_PROP_UINT32("elcr_addr", PICChip, elcr_addr, UINT32_MAX, ""),
    DEFINE_PROP_UINT8("elcr_mask", PICChip, elcr_mask, 0xff, ""),
    /* QEMU's DEFINE_PROP_BIT, whose help says "on/off" */
    DEFINE_PROP_BOOL("master", PICChip, master, false, "on/off"),
    DEFINE_PROP_END_OF_LIST(),
};

static void pic_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = pic_realize;
    dc->reset = pic_reset;
    dc->unrealize = pic_unrealize;
    /* QEMU: wired by board code, not user-creatable */
    dc->user_creatable = false;
    object_class_add_properties(klass, pic_properties);
}

static const TypeInfo pic_info = {
    .name = TYPE_I8259,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(PICChip),
    .class_init = pic_class_init,
};

void i8259_register_types(void)
{
    type_register_static(&pic_info);
}
