/*
 * "isa-serial": the 16550A core on ISA ports and an ISA IRQ line.
 * As QEMU 7.2 hw/char/serial-isa.c (serial_isa_realizefn: index picks
 * iobase/irq from the COM1-COM4 table, at most 4 ports; isa_serial_init)
 * and hw/core/qdev-properties-system.c set_chr() error wording.
 */
#include "qemu/osdep.h"
#include "hw/char/serial.h"

static const uint32_t isa_serial_io[MAX_ISA_SERIAL_PORTS] = {
    0x3f8, 0x2f8, 0x3e8, 0x2e8
};
static const uint32_t isa_serial_irq[MAX_ISA_SERIAL_PORTS] = { 4, 3, 4, 3 };

/* QEMU counts every realized isa-serial, explicit index or not. */
static uint32_t isa_serial_next_index;

/* QEMU names the property on the inner "serial" object. */
static Object *serial_isa_resolve_chardev(const char *id, Error **errp)
{
    Chardev *chr = qemu_chr_find_for_property("serial", "chardev", id, errp);

    return chr ? OBJECT(chr) : NULL;
}

static void serial_isa_realize(DeviceState *dev, Error **errp)
{
    ISASerialState *isa = ISA_SERIAL(dev);
    SerialState *s = &isa->state;

    if (isa->chardev) {
        Chardev *chr = CHARDEV(isa->chardev);

        if (!qemu_chr_fe_init(&s->chr, chr, errp)) {
            error_prepend(errp, "Property 'serial.chardev' can't take "
                          "value '%s': ", chr->label);
            return;
        }
    }
    if (isa->index == UINT32_MAX) {
        isa->index = isa_serial_next_index;
    }
    if (isa->index >= MAX_ISA_SERIAL_PORTS) {
        error_setg(errp, "Max. supported number of ISA serial ports is %d.",
                   MAX_ISA_SERIAL_PORTS);
        goto fail;
    }
    if (isa->iobase == UINT32_MAX) {
        isa->iobase = isa_serial_io[isa->index];
    }
    if (isa->isairq == UINT32_MAX) {
        isa->isairq = isa_serial_irq[isa->index];
    }
    /* QEMU asserts here; a user's typo must not abort us. */
    if (isa->isairq >= 16) {
        error_setg(errp, "Invalid ISA IRQ %u (0 to 15)", isa->isairq);
        goto fail;
    }
    if (isa->iobase > 0xfff8) {
        error_setg(errp, "Invalid ISA iobase 0x%x", isa->iobase);
        goto fail;
    }
    isa_serial_next_index++;

    s->irq = isa_get_irq(isa->isairq);
    serial_realize_core(s);
    isa_register_ioport(ISA_DEVICE(dev), isa->iobase, 8, &serial_io_ops, s,
                        "serial");
    return;

fail:
    qemu_chr_fe_deinit(&s->chr);
}

static void serial_isa_reset(DeviceState *dev)
{
    serial_reset(&ISA_SERIAL(dev)->state);
}

static void serial_isa_unrealize(DeviceState *dev)
{
    serial_exit_core(&ISA_SERIAL(dev)->state);
}

static const Property serial_isa_properties[] = {
    DEFINE_PROP_UINT32("index", ISASerialState, index, UINT32_MAX, ""),
    DEFINE_PROP_UINT32("iobase", ISASerialState, iobase, UINT32_MAX, ""),
    DEFINE_PROP_UINT32("irq", ISASerialState, isairq, UINT32_MAX, ""),
    DEFINE_PROP_UINT32("baudbase", ISASerialState, state.baudbase, 115200,
                       ""),
    DEFINE_PROP_LINK("chardev", ISASerialState, chardev, TYPE_CHARDEV,
                     serial_isa_resolve_chardev,
                     "ID of a chardev to use as a backend"),
    DEFINE_PROP_BOOL("wakeup", ISASerialState, state.wakeup, false, ""),
    DEFINE_PROP_END_OF_LIST()
};

static void serial_isa_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = serial_isa_realize;
    dc->reset = serial_isa_reset;
    dc->unrealize = serial_isa_unrealize;
    dc->user_creatable = true;
    dc->bus_type = "ISA";
    dc->categories = 1u << DEVICE_CATEGORY_INPUT;
    object_class_add_properties(klass, serial_isa_properties);
}

static const TypeInfo serial_isa_info = {
    .name = TYPE_ISA_SERIAL,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(ISASerialState),
    .class_init = serial_isa_class_init,
};

void serial_register_types(void)
{
    type_register_static(&serial_isa_info);
}

DeviceState *serial_isa_init(int index, Chardev *chr, Error **errp)
{
    ISASerialState *isa = ISA_SERIAL(object_new(TYPE_ISA_SERIAL));

    isa->index = index;
    isa->chardev = chr ? OBJECT(chr) : NULL;
    if (!qdev_realize_and_unref(DEVICE(isa), errp)) {
        return NULL;
    }
    return DEVICE(isa);
}
