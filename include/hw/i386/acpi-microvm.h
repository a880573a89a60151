/*
 * The ACPI tables of QEMU 7.2's microvm (hw/i386/acpi-microvm.c): DSDT,
 * FADT, MADT and XSDT in "etc/acpi/tables", the RSDP in "etc/acpi/rsdp",
 * and the linker/loader commands that place and patch them in
 * "etc/table-loader".
 */
#ifndef HW_I386_ACPI_MICROVM_H
#define HW_I386_ACPI_MICROVM_H

#include "hw/i386/x86.h"
#include "hw/acpi/bios-linker-loader.h"

#define ACPI_BUILD_TABLE_FILE       "etc/acpi/tables"
#define ACPI_BUILD_RSDP_FILE        "etc/acpi/rsdp"
#define ACPI_BUILD_LOADER_FILE      "etc/table-loader"

/* QEMU's ACPI_BUILD_APPNAME6/8: the x86 machine's default oem-id and
 * oem-table-id */
#define ACPI_BUILD_OEM_ID           "BOCHS "
#define ACPI_BUILD_OEM_TABLE_ID     "BXPC    "

typedef struct AcpiBuildTables {
    GArray *table_data;
    GArray *rsdp;
    BIOSLinker *linker;
} AcpiBuildTables;

void acpi_build_tables_init(AcpiBuildTables *tables);
void acpi_build_tables_cleanup(AcpiBuildTables *tables);

/*
 * Builds the tables for the machine described by info (info->acpi set):
 * its CPUs (max_cpus LAPICs, the first boot_cpus enabled), IOAPICs, COM1
 * (isa_serial), the RTC (rtc), the plugged virtio-mmio transports
 * (virtio_mmio_plugged, the newest transport first as QEMU walks its
 * system bus), the GED and the power button.
 */
void acpi_build_microvm(const X86MachineInfo *info, AcpiBuildTables *tables);

/* QEMU's acpi_setup_microvm(): builds the tables and adds the three
 * files to fw_cfg. Nothing without ACPI. */
void acpi_setup_microvm(FWCfgState *fw_cfg, const X86MachineInfo *info);

#endif
