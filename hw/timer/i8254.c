/*
 * The i8254 PIT in user space (kernel-irqchip=split).
 * Source of truth: QEMU 7.2 hw/timer/i8254.c (pit_get_count,
 * pit_load_count, pit_latch_count, pit_ioport_write/read, the read-back
 * command, pit_irq_timer_update, pit_reset) and i8254_common.c
 * (pit_get_out, pit_get_next_transition_time, pit_reset_common, the
 * "isa-pit" iobase property, not user-creatable).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/timer.h"
#include "hw/timer/i8254.h"
#include "system/memory.h"

#define NS_PER_SEC 1000000000LL

enum {
    RW_STATE_LSB = 1,
    RW_STATE_MSB = 2,
    RW_STATE_WORD0 = 3,
    RW_STATE_WORD1 = 4,
};

/* QEMU's PIT counts on QEMU_CLOCK_VIRTUAL. */
static int64_t pit_now(PITState *s)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static uint64_t pit_ticks(PITChannel *c, int64_t now)
{
    if (now <= c->count_load_time) {
        return 0;
    }
    return (uint64_t)((__int128)(now - c->count_load_time) * PIT_FREQ /
                      NS_PER_SEC);
}

static int pit_get_count(PITState *s, PITChannel *c)
{
    uint64_t d = pit_ticks(c, pit_now(s));

    switch (c->mode) {
    case 0:
    case 1:
    case 4:
    case 5:
        return (c->count - d) & 0xffff;
    case 3:
        /* as QEMU: inexact for odd counts */
        return c->count - ((2 * d) % c->count);
    default:
        return c->count - (d % c->count);
    }
}

static int pit_get_out(PITChannel *c, int64_t now)
{
    uint64_t d = pit_ticks(c, now);

    switch (c->mode) {
    default:
    case 0:
        return d >= (uint64_t)c->count;
    case 1:
        return d < (uint64_t)c->count;
    case 2:
        return (d % c->count) == 0 && d != 0;
    case 3:
        return (d % c->count) < (uint64_t)((c->count + 1) >> 1);
    case 4:
    case 5:
        return d == (uint64_t)c->count;
    }
}

static int64_t pit_next_transition(PITChannel *c, int64_t now)
{
    uint64_t d = pit_ticks(c, now);
    uint64_t next, base;
    int64_t t;

    switch (c->mode) {
    default:
    case 0:
    case 1:
        if (d >= (uint64_t)c->count) {
            return -1;
        }
        next = c->count;
        break;
    case 2:
        base = d - d % c->count;
        next = (d - base) == 0 && d != 0 ? base + c->count
                                         : base + c->count + 1;
        break;
    case 3:
        base = d - d % c->count;
        next = (d - base) < (uint64_t)((c->count + 1) >> 1) ?
               base + ((c->count + 1) >> 1) : base + c->count;
        break;
    case 4:
    case 5:
        if (d < (uint64_t)c->count) {
            next = c->count;
        } else if (d == (uint64_t)c->count) {
            next = c->count + 1;
        } else {
            return -1;
        }
        break;
    }
    t = c->count_load_time + (int64_t)((__int128)next * NS_PER_SEC /
                                       PIT_FREQ);
    /* rounding can land at or before now */
    return t <= now ? now + 1 : t;
}

/* Channel 0 only drives an IRQ and needs a timer. */
static void pit_irq_timer_update(PITState *s, int64_t now)
{
    PITChannel *c = &s->channels[0];

    c->next_transition_time = pit_next_transition(c, now);
    qemu_set_irq(s->irq, pit_get_out(c, now));
    if (c->next_transition_time >= 0) {
        timer_mod(s->irq_timer, c->next_transition_time);
    } else {
        timer_del(s->irq_timer);
    }
}

/* Channel 0's deadline passed: QEMU's pit_irq_timer. */
static void pit_irq_timer(void *opaque)
{
    PITState *s = opaque;
    PITChannel *c = &s->channels[0];

    if (c->next_transition_time < 0) {
        return;
    }
    pit_irq_timer_update(s, c->next_transition_time);
}

static void pit_load_count(PITState *s, PITChannel *c, int val)
{
    if (val == 0) {
        val = 0x10000;
    }
    c->count_load_time = pit_now(s);
    c->count = val;
    if (c == &s->channels[0]) {
        pit_irq_timer_update(s, c->count_load_time);
    }
}

static void pit_latch_count(PITState *s, PITChannel *c)
{
    if (!c->count_latched) {
        c->latched_count = pit_get_count(s, c);
        c->count_latched = c->rw_mode;
    }
}

void i8254_ioport_write(void *opaque, uint64_t addr, uint64_t val,
                        unsigned size)
{
    PITState *s = opaque;
    PITChannel *c;
    int channel, access;

    addr &= 3;
    val &= 0xff;
    if (addr != 3) {
        c = &s->channels[addr];
        switch (c->write_state) {
        default:
        case RW_STATE_LSB:
            pit_load_count(s, c, val);
            break;
        case RW_STATE_MSB:
            pit_load_count(s, c, val << 8);
            break;
        case RW_STATE_WORD0:
            c->write_latch = val;
            c->write_state = RW_STATE_WORD1;
            break;
        case RW_STATE_WORD1:
            pit_load_count(s, c, c->write_latch | (val << 8));
            c->write_state = RW_STATE_WORD0;
            break;
        }
        return;
    }
    channel = val >> 6;
    if (channel == 3) {
        /* read-back: bits 1-3 select channels, 5 = no count, 4 = no status */
        for (channel = 0; channel < 3; channel++) {
            c = &s->channels[channel];
            if (!(val & (2 << channel))) {
                continue;
            }
            if (!(val & 0x20)) {
                pit_latch_count(s, c);
            }
            if (!(val & 0x10) && !c->status_latched) {
                c->status = (pit_get_out(c, pit_now(s)) << 7) |
                            (c->rw_mode << 4) | (c->mode << 1) | c->bcd;
                c->status_latched = 1;
            }
        }
        return;
    }
    c = &s->channels[channel];
    access = (val >> 4) & 3;
    if (access == 0) {
        pit_latch_count(s, c);
        return;
    }
    c->rw_mode = access;
    c->read_state = access;
    c->write_state = access;
    c->mode = (val >> 1) & 7;
    c->bcd = val & 1;
}

uint64_t i8254_ioport_read(void *opaque, uint64_t addr, unsigned size)
{
    PITState *s = opaque;
    PITChannel *c;
    int ret;

    addr &= 3;
    if (addr == 3) {
        return 0;   /* the mode/command register is write-only */
    }
    c = &s->channels[addr];
    if (c->status_latched) {
        c->status_latched = 0;
        return c->status;
    }
    if (c->count_latched) {
        switch (c->count_latched) {
        default:
        case RW_STATE_LSB:
            ret = c->latched_count & 0xff;
            c->count_latched = 0;
            break;
        case RW_STATE_MSB:
            ret = c->latched_count >> 8;
            c->count_latched = 0;
            break;
        case RW_STATE_WORD0:
            ret = c->latched_count & 0xff;
            c->count_latched = RW_STATE_MSB;
            break;
        }
        return ret;
    }
    switch (c->read_state) {
    default:
    case RW_STATE_LSB:
        return pit_get_count(s, c) & 0xff;
    case RW_STATE_MSB:
        return (pit_get_count(s, c) >> 8) & 0xff;
    case RW_STATE_WORD0:
        c->read_state = RW_STATE_WORD1;
        return pit_get_count(s, c) & 0xff;
    case RW_STATE_WORD1:
        c->read_state = RW_STATE_WORD0;
        return (pit_get_count(s, c) >> 8) & 0xff;
    }
}

void i8254_set_gate(PITState *s, int channel, int val)
{
    PITChannel *c;

    if (channel < 0 || channel > 2) {
        return;
    }
    c = &s->channels[channel];
    /* modes 1, 2, 3 and 5 restart counting on a rising edge */
    if (c->gate < val && c->mode != 0 && c->mode != 4) {
        c->count_load_time = pit_now(s);
        if (channel == 0) {
            pit_irq_timer_update(s, c->count_load_time);
        }
    }
    c->gate = val;
}

void i8254_reset(PITState *s)
{
    int64_t now = pit_now(s);

    for (int i = 0; i < 3; i++) {
        PITChannel *c = &s->channels[i];

        /* As QEMU: the access modes and latches survive a reset. */
        c->mode = 3;
        c->gate = i != 2;
        c->count_load_time = now;
        c->count = 0x10000;
    }
    s->channels[0].next_transition_time =
        pit_next_transition(&s->channels[0], now);
    timer_mod(s->irq_timer, s->channels[0].next_transition_time);
}

static const MemoryRegionOps pit_ops = {
    .read = i8254_ioport_read,
    .write = i8254_ioport_write,
    .impl.min_access_size = 1,      /* QEMU 7.2: the same .impl */
    .impl.max_access_size = 1,
};

static void pit_reset(DeviceState *dev)
{
    i8254_reset(PIT(dev));
}

static void pit_instance_init(Object *obj)
{
    PITState *s = PIT(obj);

    s->irq_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, pit_irq_timer, s);
}

static void pit_instance_finalize(Object *obj)
{
    timer_free(PIT(obj)->irq_timer);
}

static void pit_realize(DeviceState *dev, Error **errp)
{
    PITState *s = PIT(dev);

    if (s->iobase > 0xfffc) {
        error_setg(errp, "Invalid PIT iobase 0x%x", s->iobase);
        return;
    }
    isa_register_ioport(ISA_DEVICE(dev), s->iobase, 4, &pit_ops, s, "pit");
}

static void pit_unrealize(DeviceState *dev)
{
    timer_del(PIT(dev)->irq_timer);
}

PITState *i8254_create(qemu_irq irq, uint32_t iobase, Error **errp)
{
    PITState *s = PIT(object_new(TYPE_PIT));

    s->irq = irq;
    s->iobase = iobase;
    if (!qdev_realize_and_unref(DEVICE(s), errp)) {
        return NULL;
    }
    return s;
}

static const Property pit_properties[] = {
    DEFINE_PROP_UINT32("iobase", PITState, iobase, UINT32_MAX, ""),
    DEFINE_PROP_END_OF_LIST(),
};

static void pit_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = pit_realize;
    dc->reset = pit_reset;
    dc->unrealize = pit_unrealize;
    /* QEMU: wired by board code, not user-creatable */
    dc->user_creatable = false;
    object_class_add_properties(klass, pit_properties);
}

static const TypeInfo pit_info = {
    .name = TYPE_PIT,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(PITState),
    .instance_init = pit_instance_init,
    .instance_finalize = pit_instance_finalize,
    .class_init = pit_class_init,
};

void i8254_register_types(void)
{
    type_register_static(&pit_info);
}
