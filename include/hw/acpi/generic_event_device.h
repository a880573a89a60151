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
#include "hw/core/qdev.h"
#include "hw/irq.h"
#include "system/runstate.h"

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

#define TYPE_ACPI_GED_X86           "acpi-ged-x86"

typedef struct AcpiGedState {
    DeviceState parent_obj;
    /* properties */
    uint32_t ged_event_bitmap;      /* "ged-event": events it can raise */
    /* board wiring */
    uint64_t evt_base;              /* event selector block */
    uint64_t regs_base;             /* sleep/reset registers */
    qemu_irq irq;
    /* guest-visible: pending events, cleared when the guest reads them */
    uint32_t sel;
    /* How requests are carried out; tests replace them to observe them. */
    void (*shutdown_fn)(ShutdownCause cause);
    void (*reset_fn)(ShutdownCause cause);
} AcpiGedState;

#define ACPI_GED(obj) OBJECT_CHECK(AcpiGedState, (obj), TYPE_ACPI_GED_X86)

/*
 * Creates and realizes the GED with ged-event = events, its event block
 * at evt_base, its registers at regs_base, raising irq (a pulse) on an
 * event. The device list owns it: the pointer returned is borrowed.
 */
AcpiGedState *acpi_ged_create(uint32_t events, uint64_t evt_base,
                              uint64_t regs_base, qemu_irq irq,
                              Error **errp);
/*
 * QEMU's acpi_ged_send_event: records event (one of ACPI_GED_*_EVT) in
 * the selector and pulses the interrupt. An event the device was not
 * created for is refused with QEMU's warning.
 */
void acpi_ged_send_event(AcpiGedState *s, uint32_t event);

/* Register-level access (what the mapped ranges call; tests drive them) */
uint64_t acpi_ged_evt_read(void *opaque, uint64_t addr, unsigned size);
void acpi_ged_evt_write(void *opaque, uint64_t addr, uint64_t data,
                        unsigned size);
uint64_t acpi_ged_regs_read(void *opaque, uint64_t addr, unsigned size);
void acpi_ged_regs_write(void *opaque, uint64_t addr, uint64_t data,
                         unsigned size);

void acpi_ged_register_types(void);

/*
 * The GED's AML as QEMU 7.2's build_ged_aml(): device "GED" with its
 * edge interrupt on ged_irq, the EREG region over the selector at
 * evt_base, and an _EVT method with one If per event in events (only
 * the power-down event is supported: it notifies PWRB).
 */
void acpi_ged_build_aml(Aml *scope, uint32_t events, uint32_t ged_irq,
                        uint64_t evt_base);

#endif
