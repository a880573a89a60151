/*
 * The ACPI Generic Event Device (ACPI 6.4, 5.6.9) of the hardware-reduced
 * microvm: QEMU 7.2 hw/acpi/generic_event_device.c (ged_evt_read,
 * ged_regs_write, acpi_ged_send_event, build_ged_aml; TYPE_ACPI_GED_X86).
 *
 * Event block (4 bytes, 32-bit accesses only): the event selector; a read
 * returns the pending events and clears them, writes are ignored.
 * Register block (3 bytes, byte accesses only): SLEEP_CTL (SLP_EN with
 * SLP_TYP 5 powers off), SLEEP_STS (reads 0), RESET (0x42 resets). As
 * QEMU's, nothing is reset on a machine reset (it has no reset handler).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/acpi/generic_event_device.h"
#include "system/memory.h"

/* The events QEMU 7.2's GED knows, in its order (ged_supported_events) */
static const uint32_t ged_supported_events[] = {
    ACPI_GED_MEM_HOTPLUG_EVT,
    ACPI_GED_PWR_DOWN_EVT,
    ACPI_GED_NVDIMM_HOTPLUG_EVT,
};

uint64_t acpi_ged_evt_read(void *opaque, uint64_t addr, unsigned size)
{
    AcpiGedState *s = opaque;
    uint32_t val;

    switch (addr) {
    case ACPI_GED_EVT_SEL_OFFSET:
        val = s->sel;
        s->sel = 0;
        return val;
    default:
        return 0;
    }
}

void acpi_ged_evt_write(void *opaque, uint64_t addr, uint64_t data,
                        unsigned size)
{
    /* The selector is read-only; QEMU ignores writes silently too. */
}

uint64_t acpi_ged_regs_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

void acpi_ged_regs_write(void *opaque, uint64_t addr, uint64_t data,
                         unsigned size)
{
    AcpiGedState *s = opaque;
    unsigned slp_typ;

    switch (addr) {
    case ACPI_GED_REG_SLEEP_CTL:
        slp_typ = (data >> ACPI_GED_SLP_TYP_SHIFT) & ACPI_GED_SLP_TYP_MASK;
        if (!(data & ACPI_GED_SLP_EN)) {
            return;
        }
        if (slp_typ == ACPI_GED_SLP_TYP_S5) {
            s->shutdown_fn(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        } else {
            /* the DSDT offers only \_S5; QEMU ignores the others */
            qemu_log_mask(LOG_GUEST_ERROR, "acpi-ged: sleep type %u is not "
                          "supported\n", slp_typ);
        }
        return;
    case ACPI_GED_REG_SLEEP_STS:
        return;
    case ACPI_GED_REG_RESET:
        if (data == ACPI_GED_RESET_VALUE) {
            s->reset_fn(SHUTDOWN_CAUSE_GUEST_RESET);
        } else {
            qemu_log_mask(LOG_GUEST_ERROR, "acpi-ged: reset value 0x%" PRIx64
                          " is not the FADT's 0x%x\n", data,
                          ACPI_GED_RESET_VALUE);
        }
        return;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "acpi-ged: write to register 0x%"
                      PRIx64 "\n", addr);
    }
}

static const MemoryRegionOps ged_evt_ops = {
    .read = acpi_ged_evt_read,
    .write = acpi_ged_evt_write,
    .valid.min_access_size = 4,     /* QEMU 7.2's ged_evt_ops */
    .valid.max_access_size = 4,
};

static const MemoryRegionOps ged_regs_ops = {
    .read = acpi_ged_regs_read,
    .write = acpi_ged_regs_write,
    .valid.min_access_size = 1,     /* QEMU 7.2's ged_regs_ops */
    .valid.max_access_size = 1,
};

void acpi_ged_send_event(AcpiGedState *s, uint32_t event)
{
    /* QEMU maps an ACPI status bit to a selector bit and warns on others */
    if (!(s->ged_event_bitmap & event)) {
        warn_report("GED: Unsupported event %u. No irq injected", event);
        return;
    }
    s->sel |= event;
    qemu_irq_pulse(s->irq);
}

static void acpi_ged_realize(DeviceState *dev, Error **errp)
{
    AcpiGedState *s = ACPI_GED(dev);
    uint32_t known = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(ged_supported_events); i++) {
        known |= ged_supported_events[i];
    }
    /* build_ged_aml aborts on others: refuse them before */
    if (s->ged_event_bitmap & ~known) {
        error_setg(errp, "Unsupported events specified");
        return;
    }
    address_space_map(&address_space_memory, s->evt_base,
                      ACPI_GED_EVT_SEL_LEN, &ged_evt_ops, s,
                      "acpi-ged", s);       /* QEMU's TYPE_ACPI_GED */
    address_space_map(&address_space_memory, s->regs_base,
                      ACPI_GED_REG_COUNT, &ged_regs_ops, s,
                      "acpi-ged-regs", s);
}

AcpiGedState *acpi_ged_create(uint32_t events, uint64_t evt_base,
                              uint64_t regs_base, qemu_irq irq,
                              Error **errp)
{
    AcpiGedState *s = ACPI_GED(object_new(TYPE_ACPI_GED_X86));

    s->ged_event_bitmap = events;
    s->evt_base = evt_base;
    s->regs_base = regs_base;
    s->irq = irq;
    if (!qdev_realize_and_unref(DEVICE(s), errp)) {
        return NULL;
    }
    return s;
}

static void acpi_ged_instance_init(Object *obj)
{
    AcpiGedState *s = ACPI_GED(obj);

    s->shutdown_fn = qemu_system_shutdown_request;
    s->reset_fn = qemu_system_reset_request;
}

static const Property acpi_ged_properties[] = {
    DEFINE_PROP_UINT32("ged-event", AcpiGedState, ged_event_bitmap, 0, ""),
    DEFINE_PROP_END_OF_LIST(),
};

static void acpi_ged_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = acpi_ged_realize;
    dc->desc = "ACPI Generic Event Device";
    object_class_add_properties(klass, acpi_ged_properties);
}

static const TypeInfo acpi_ged_info = {
    .name = TYPE_ACPI_GED_X86,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(AcpiGedState),
    .instance_init = acpi_ged_instance_init,
    .class_init = acpi_ged_class_init,
};

void acpi_ged_register_types(void)
{
    type_register_static(&acpi_ged_info);
}

void acpi_ged_build_aml(Aml *scope, uint32_t events, uint32_t ged_irq,
                        uint64_t evt_base)
{
    Aml *dev = aml_device("GED");
    Aml *crs = aml_resource_template();
    Aml *field, *evt, *if_ctx;

    /* power-down is the only event microvm's GED is created with */
    g_assert(!(events & ~ACPI_GED_PWR_DOWN_EVT));

    aml_append(crs, aml_interrupt(AML_CONSUMER, AML_EDGE, AML_ACTIVE_HIGH,
                                  AML_EXCLUSIVE, &ged_irq, 1));
    aml_append(dev, aml_name_decl("_HID", aml_string("ACPI0013")));
    aml_append(dev, aml_name_decl("_UID", aml_string("GED")));
    aml_append(dev, aml_name_decl("_CRS", crs));

    aml_append(dev, aml_operation_region("EREG", AML_SYSTEM_MEMORY,
                                         aml_int(evt_base +
                                                 ACPI_GED_EVT_SEL_OFFSET),
                                         ACPI_GED_EVT_SEL_LEN));
    field = aml_field("EREG", AML_DWORD_ACC, AML_NOLOCK, AML_WRITE_AS_ZEROS);
    aml_append(field, aml_named_field("ESEL", ACPI_GED_EVT_SEL_LEN * 8));
    aml_append(dev, field);

    /* Local0 = ESEL; If ((Local0 & ev) == ev) { Notify (PWRB, 0x80) } */
    evt = aml_method("_EVT", 1, AML_SERIALIZED);
    aml_append(evt, aml_store(aml_name("ESEL"), aml_local(0)));
    if (events & ACPI_GED_PWR_DOWN_EVT) {
        if_ctx = aml_if(aml_equal(aml_and(aml_local(0),
                                          aml_int(ACPI_GED_PWR_DOWN_EVT),
                                          NULL),
                                  aml_int(ACPI_GED_PWR_DOWN_EVT)));
        aml_append(if_ctx, aml_notify(aml_name(ACPI_POWER_BUTTON_DEVICE),
                                      aml_int(0x80)));
        aml_append(evt, if_ctx);
    }
    aml_append(dev, evt);
    aml_append(scope, dev);
}
