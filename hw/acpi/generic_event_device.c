/*
 * The ACPI Generic Event Device (ACPI 6.4, 5.6.9): QEMU 7.2
 * hw/acpi/generic_event_device.c (build_ged_aml, TYPE_ACPI_GED_X86).
 */
#include "qemu/osdep.h"
#include "hw/acpi/generic_event_device.h"

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
