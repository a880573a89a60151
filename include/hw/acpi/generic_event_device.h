/*
 * The ACPI Generic Event Device (ACPI 6.4, 5.6.9) of QEMU 7.2's microvm
 * (hw/acpi/generic_event_device.c, TYPE_ACPI_GED_X86): an event selector
 * register the guest's _EVT method reads (and so clears) after the GED
 * interrupt, and the hardware-reduced sleep control, sleep status and
 * reset registers (ACPI 6.4, 4.8.3.6-7) the FADT points at.
 */
#ifndef HW_ACPI_GENERIC_EVENT_DEVICE_H
#define HW_ACPI_GENERIC_EVENT_DEVICE_H

#include "hw/acpi/aml-build.h"

#define ACPI_GED_EVT_SEL_OFFSET     0x0     /* in the event block */
#define ACPI_GED_EVT_SEL_LEN        0x4

/* Offsets in the register block (QEMU's GED_MMIO_BASE_REGS) */
#define ACPI_GED_REG_SLEEP_CTL      0x00
#define ACPI_GED_REG_SLEEP_STS      0x01
#define ACPI_GED_REG_RESET          0x02
#define ACPI_GED_REG_COUNT          0x03

#define ACPI_GED_RESET_VALUE        0x42    /* written to RESET: reset */
#define ACPI_GED_SLP_TYP_S5         0x05    /* SLEEP_CTL.SLP_TYP: poweroff */
#define ACPI_GED_SLP_TYP_SHIFT      2
#define ACPI_GED_SLP_TYP_MASK       0x07
#define ACPI_GED_SLP_EN             (1u << 5)

/* Event selector bits */
#define ACPI_GED_MEM_HOTPLUG_EVT    0x1
#define ACPI_GED_PWR_DOWN_EVT       0x2
#define ACPI_GED_NVDIMM_HOTPLUG_EVT 0x4

#define ACPI_POWER_BUTTON_DEVICE    "PWRB"

/*
 * The GED's AML as QEMU 7.2's build_ged_aml(): device "GED" with its
 * edge interrupt on ged_irq, the EREG region over the selector at
 * evt_base, and an _EVT method with one If per event in events (only
 * the power-down event is supported: it notifies PWRB).
 */
void acpi_ged_build_aml(Aml *scope, uint32_t events, uint32_t ged_irq,
                        uint64_t evt_base);

#endif
