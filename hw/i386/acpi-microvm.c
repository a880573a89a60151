/*
 * The ACPI tables of the microvm machine, byte for byte as QEMU 7.2
 * builds them: hw/i386/acpi-microvm.c (acpi_build_microvm,
 * build_dsdt_microvm), hw/i386/acpi-common.c (acpi_build_madt),
 * hw/acpi/aml-build.c (build_fadt, build_xsdt, build_rsdp),
 * hw/i386/fw_cfg.c (fw_cfg_add_acpi_dsdt) and the ISA devices' AML
 * (serial_isa_build_aml, rtc_build_aml).
 */
#include "qemu/osdep.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/generic_event_device.h"
#include "hw/i386/acpi-microvm.h"
#include "hw/i386/microvm.h"

#define ACPI_BUILD_IOAPIC_ID        0x0

/* ACPI 6.4, 5.2.9 FADT flags */
#define ACPI_FADT_F_RESET_REG_SUP   10
#define ACPI_FADT_F_HW_REDUCED_ACPI 20

void acpi_build_tables_init(AcpiBuildTables *tables)
{
    tables->table_data = g_array_new(false, true, 1);
    tables->rsdp = g_array_new(false, true, 1);
    tables->linker = bios_linker_loader_new();
}

void acpi_build_tables_cleanup(AcpiBuildTables *tables)
{
    bios_linker_loader_free(tables->linker);
    g_array_unref(tables->table_data);
    g_array_unref(tables->rsdp);
}

static void acpi_begin(AcpiTable *t, GArray *table_data, const char *sig,
                       uint8_t rev)
{
    t->sig = sig;
    t->rev = rev;
    t->oem_id = ACPI_BUILD_OEM_ID;
    t->oem_table_id = ACPI_BUILD_OEM_TABLE_ID;
    acpi_table_begin(t, table_data);
}

/* fw_cfg_add_acpi_dsdt: the selector/data ports and the DMA register */
static void acpi_dsdt_add_fw_cfg(Aml *scope)
{
    Aml *dev = aml_device("FWCF");
    Aml *crs = aml_resource_template();

    aml_append(dev, aml_name_decl("_HID", aml_string("QEMU0002")));
    /* present, enabled, functioning, not shown in the UI */
    aml_append(dev, aml_name_decl("_STA", aml_int(0xb)));
    /* with DMA: the 2-byte control window rounded up to 4, then the
     * 8-byte DMA address */
    aml_append(crs, aml_io(AML_DECODE16, FW_CFG_IO_BASE, FW_CFG_IO_BASE,
                           0x01, 4 + 8));
    aml_append(dev, aml_name_decl("_CRS", crs));
    aml_append(scope, dev);
}

/* serial_isa_build_aml */
static void acpi_dsdt_add_serial(Aml *scope, const X86IsaNode *n)
{
    g_autofree char *name = g_strdup_printf("COM%u", n->index + 1);
    Aml *dev = aml_device(name);
    Aml *crs = aml_resource_template();

    aml_append(crs, aml_io(AML_DECODE16, n->iobase, n->iobase, 0x00, 0x08));
    aml_append(crs, aml_irq_no_flags(n->irq));
    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0501")));
    aml_append(dev, aml_name_decl("_UID", aml_int(n->index + 1)));
    aml_append(dev, aml_name_decl("_STA", aml_int(0xf)));
    aml_append(dev, aml_name_decl("_CRS", crs));
    aml_append(scope, dev);
}

/* rtc_build_aml: eight ports as real hardware, though two respond */
static void acpi_dsdt_add_rtc(Aml *scope, const X86IsaNode *n)
{
    Aml *dev = aml_device("RTC");
    Aml *crs = aml_resource_template();

    aml_append(crs, aml_io(AML_DECODE16, n->iobase, n->iobase, 0x01, 0x08));
    aml_append(crs, aml_irq_no_flags(n->irq));
    aml_append(dev, aml_name_decl("_HID", aml_eisaid("PNP0B00")));
    aml_append(dev, aml_name_decl("_CRS", crs));
    aml_append(scope, dev);
}

/* acpi_dsdt_add_power_button */
static void acpi_dsdt_add_power_button(Aml *scope)
{
    Aml *dev = aml_device(ACPI_POWER_BUTTON_DEVICE);

    aml_append(dev, aml_name_decl("_HID", aml_string("PNP0C0C")));
    aml_append(dev, aml_name_decl("_UID", aml_int(0)));
    aml_append(scope, dev);
}

/* acpi_dsdt_add_virtio: one device per plugged transport, in system bus
 * order (newest transport, i.e. highest index, first) */
static void acpi_dsdt_add_virtio(Aml *scope, const X86MachineInfo *info)
{
    for (int i = info->virtio_num_transports - 1; i >= 0; i--) {
        uint32_t irq = info->virtio_irq_base + i;
        g_autofree char *name = NULL;
        Aml *dev, *crs;

        if (!(info->virtio_mmio_plugged & (1u << i))) {
            continue;
        }
        name = g_strdup_printf("VR%02u", (unsigned)i);
        dev = aml_device(name);
        aml_append(dev, aml_name_decl("_HID", aml_string("LNRO0005")));
        aml_append(dev, aml_name_decl("_UID", aml_int(i)));
        aml_append(dev, aml_name_decl("_CCA", aml_int(1)));
        crs = aml_resource_template();
        aml_append(crs, aml_memory32_fixed(info->virtio_mmio_base +
                                           i * MICROVM_VIRTIO_MMIO_SIZE,
                                           MICROVM_VIRTIO_MMIO_SIZE,
                                           AML_READ_WRITE));
        aml_append(crs, aml_interrupt(AML_CONSUMER, AML_LEVEL,
                                      AML_ACTIVE_HIGH, AML_EXCLUSIVE,
                                      &irq, 1));
        aml_append(dev, aml_name_decl("_CRS", crs));
        aml_append(scope, dev);
    }
}

static void build_dsdt(GArray *table_data, BIOSLinker *linker,
                       const X86MachineInfo *info)
{
    g_autoptr(Aml) dsdt = aml_block();
    Aml *sb = aml_scope("_SB");
    Aml *root, *pkg;
    AcpiTable table;
    const uint8_t *aml;
    size_t len;

    acpi_begin(&table, table_data, "DSDT", 2);
    acpi_dsdt_add_fw_cfg(sb);
    /* isa_build_aml: the ISA bus's children, newest first */
    for (guint k = 0; info->isa_nodes && k < info->isa_nodes->len; k++) {
        const X86IsaNode *n = &g_array_index(info->isa_nodes, X86IsaNode, k);

        if (n->kind == X86_ISA_SERIAL) {
            acpi_dsdt_add_serial(sb, n);
        } else {
            acpi_dsdt_add_rtc(sb, n);
        }
    }
    acpi_ged_build_aml(sb, ACPI_GED_PWR_DOWN_EVT, MICROVM_GED_IRQ,
                       MICROVM_GED_BASE);
    acpi_dsdt_add_power_button(sb);
    acpi_dsdt_add_virtio(sb, info);
    aml_append(dsdt, sb);

    /* ACPI 6.4, 7.4.2: \_S5, SLP_TYP for the GED's sleep control */
    root = aml_scope("\\");
    pkg = aml_package(4);
    aml_append(pkg, aml_int(ACPI_GED_SLP_TYP_S5));
    aml_append(pkg, aml_int(0));
    aml_append(pkg, aml_int(0));
    aml_append(pkg, aml_int(0));
    aml_append(root, aml_name_decl("_S5", pkg));
    aml_append(dsdt, root);

    aml = aml_data(dsdt, &len);
    g_array_append_vals(table_data, aml, len);
    acpi_table_end(linker, ACPI_BUILD_TABLE_FILE, &table);
}

/* A GAS of 8 bits in system memory at one of the GED's registers */
static void acpi_append_ged_reg(GArray *t, unsigned reg)
{
    acpi_append_gas(t, AML_AS_SYSTEM_MEMORY, 8, 0, 0,
                    MICROVM_GED_BASE_REGS + reg);
}

static void acpi_append_gas_zero(GArray *t, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        acpi_append_gas(t, AML_AS_SYSTEM_MEMORY, 0, 0, 0, 0);
    }
}

/*
 * build_fadt() with microvm's AcpiFadtData: revision 5, hardware reduced,
 * reset register supported, no FACS, no 8042 (microvm has none), every
 * fixed-hardware block zero, sleep and reset registers in the GED.
 */
static void build_fadt(GArray *t, BIOSLinker *linker, unsigned dsdt)
{
    AcpiTable table;
    unsigned off;

    acpi_begin(&table, t, "FACP", 5);
    acpi_append_int(t, 0, 4);                   /* FIRMWARE_CTRL */
    off = t->len;
    acpi_append_int(t, 0, 4);                   /* DSDT */
    bios_linker_loader_add_pointer(linker, ACPI_BUILD_TABLE_FILE, off, 4,
                                   ACPI_BUILD_TABLE_FILE, dsdt);
    /*
     * INT_MODEL, Preferred_PM_Profile, SCI_INT (2), SMI_CMD (4),
     * ACPI_ENABLE, ACPI_DISABLE, S4BIOS_REQ, PSTATE_CNT, PM1a/b_EVT,
     * PM1a/b_CNT, PM2_CNT, PM_TMR, GPE0, GPE1 (4 each), PM1_EVT_LEN,
     * PM1_CNT_LEN, PM2_CNT_LEN, PM_TMR_LEN, GPE0_BLK_LEN, GPE1_BLK_LEN,
     * GPE1_BASE, CST_CNT, P_LVL2/3_LAT (2 each), FLUSH_SIZE/STRIDE (2
     * each), DUTY_OFFSET, DUTY_WIDTH, DAY_ALRM, MON_ALRM, CENTURY,
     * IAPC_BOOT_ARCH (2), reserved: all zero
     */
    acpi_append_int(t, 0, 2 + 2 + 4 + 4);
    acpi_append_int(t, 0, 8 * 4);
    acpi_append_int(t, 0, 8 + 2 * 4 + 5);
    acpi_append_int(t, 0, 2 + 1);
    acpi_append_int(t, 1u << ACPI_FADT_F_HW_REDUCED_ACPI |
                    1u << ACPI_FADT_F_RESET_REG_SUP, 4);     /* Flags */
    acpi_append_ged_reg(t, ACPI_GED_REG_RESET);             /* RESET_REG */
    acpi_append_int(t, ACPI_GED_RESET_VALUE, 1);
    acpi_append_int(t, 0, 3);           /* reserved up to ACPI 5.0 */
    acpi_append_int(t, 0, 8);           /* X_FIRMWARE_CTRL */
    off = t->len;
    acpi_append_int(t, 0, 8);           /* X_DSDT */
    bios_linker_loader_add_pointer(linker, ACPI_BUILD_TABLE_FILE, off, 8,
                                   ACPI_BUILD_TABLE_FILE, dsdt);
    /* X_PM1a/b_EVT, X_PM1a/b_CNT, X_PM2_CNT, X_PM_TMR, X_GPE0/1 */
    acpi_append_gas_zero(t, 8);
    acpi_append_ged_reg(t, ACPI_GED_REG_SLEEP_CTL);
    acpi_append_ged_reg(t, ACPI_GED_REG_SLEEP_STS);
    acpi_table_end(linker, ACPI_BUILD_TABLE_FILE, &table);
}

/* acpi_build_madt with pc_madt_cpu_entry: every possible CPU, enabled if
 * present; x2APIC entries for ids above 254 */
static void build_madt(GArray *t, BIOSLinker *linker,
                       const X86MachineInfo *info)
{
    bool x2apic = false;
    AcpiTable table;

    acpi_begin(&table, t, "APIC", 1);
    acpi_append_int(t, MICROVM_LAPIC_BASE, 4);
    acpi_append_int(t, 1, 4);                   /* PCAT_COMPAT */
    for (unsigned i = 0; i < info->max_cpus; i++) {
        uint32_t apic_id = x86_apic_id_from_index(info, i);
        uint32_t flags = i < info->boot_cpus ? 1 : 0;   /* Enabled */

        if (apic_id < 255) {
            acpi_append_int(t, 0, 1);           /* Processor Local APIC */
            acpi_append_int(t, 8, 1);
            acpi_append_int(t, i, 1);
            acpi_append_int(t, apic_id, 1);
            acpi_append_int(t, flags, 4);
        } else {
            acpi_append_int(t, 9, 1);           /* Local x2APIC */
            acpi_append_int(t, 16, 1);
            acpi_append_int(t, 0, 2);
            acpi_append_int(t, apic_id, 4);
            acpi_append_int(t, flags, 4);
            acpi_append_int(t, i, 4);
        }
        x2apic |= apic_id > 254;
    }
    for (unsigned i = 0; i < info->ioapics; i++) {
        acpi_append_int(t, 1, 1);               /* I/O APIC */
        acpi_append_int(t, 12, 1);
        acpi_append_int(t, ACPI_BUILD_IOAPIC_ID + i, 1);
        acpi_append_int(t, 0, 1);
        acpi_append_int(t, i ? MICROVM_IOAPIC2_BASE : MICROVM_IOAPIC_BASE,
                        4);
        acpi_append_int(t, i ? MICROVM_IOAPIC2_IRQ_BASE : 0, 4);
    }
    /* NMI on LINT1 of all processors */
    if (x2apic) {
        acpi_append_int(t, 0xa, 1);             /* Local x2APIC NMI */
        acpi_append_int(t, 12, 1);
        acpi_append_int(t, 0, 2);
        acpi_append_int(t, 0xffffffff, 4);
        acpi_append_int(t, 1, 1);
        acpi_append_int(t, 0, 3);
    } else {
        acpi_append_int(t, 4, 1);               /* Local APIC NMI */
        acpi_append_int(t, 6, 1);
        acpi_append_int(t, 0xff, 1);
        acpi_append_int(t, 0, 2);
        acpi_append_int(t, 1, 1);
    }
    acpi_table_end(linker, ACPI_BUILD_TABLE_FILE, &table);
}

static void build_xsdt(GArray *t, BIOSLinker *linker,
                       const unsigned *offsets, unsigned count)
{
    AcpiTable table;

    acpi_begin(&table, t, "XSDT", 1);
    for (unsigned i = 0; i < count; i++) {
        unsigned off = t->len;

        acpi_append_int(t, 0, 8);
        bios_linker_loader_add_pointer(linker, ACPI_BUILD_TABLE_FILE, off, 8,
                                       ACPI_BUILD_TABLE_FILE, offsets[i]);
    }
    acpi_table_end(linker, ACPI_BUILD_TABLE_FILE, &table);
}

/* build_rsdp, revision 2 (XSDT only), in the F-segment */
static void build_rsdp(GArray *t, BIOSLinker *linker, unsigned xsdt)
{
    bios_linker_loader_alloc(linker, ACPI_BUILD_RSDP_FILE, t, 16, true);
    g_array_append_vals(t, "RSD PTR ", 8);
    acpi_append_int(t, 0, 1);                   /* Checksum */
    g_array_append_vals(t, ACPI_BUILD_OEM_ID, 6);
    acpi_append_int(t, 2, 1);                   /* Revision */
    acpi_append_int(t, 0, 4);                   /* RsdtAddress */
    bios_linker_loader_add_checksum(linker, ACPI_BUILD_RSDP_FILE, 0, 20, 8);
    acpi_append_int(t, 36, 4);                  /* Length */
    acpi_append_int(t, 0, 8);                   /* XsdtAddress */
    bios_linker_loader_add_pointer(linker, ACPI_BUILD_RSDP_FILE, 24, 8,
                                   ACPI_BUILD_TABLE_FILE, xsdt);
    acpi_append_int(t, 0, 4);           /* Extended Checksum, reserved */
    bios_linker_loader_add_checksum(linker, ACPI_BUILD_RSDP_FILE, 0, 36, 32);
}

void acpi_build_microvm(const X86MachineInfo *info, AcpiBuildTables *tables)
{
    GArray *t = tables->table_data;
    unsigned offsets[2];
    unsigned dsdt, xsdt;

    g_assert(info->acpi);
    /* 64-byte alignment: QEMU's "Ensure FACS is aligned" */
    bios_linker_loader_alloc(tables->linker, ACPI_BUILD_TABLE_FILE, t, 64,
                             false);
    dsdt = t->len;
    build_dsdt(t, tables->linker, info);
    offsets[0] = t->len;
    build_fadt(t, tables->linker, dsdt);
    offsets[1] = t->len;
    build_madt(t, tables->linker, info);
    xsdt = t->len;
    build_xsdt(t, tables->linker, offsets, G_N_ELEMENTS(offsets));
    build_rsdp(tables->rsdp, tables->linker, xsdt);
}

static void *acpi_array_dup(GArray *a, size_t *len)
{
    *len = a->len;
    return g_memdup2(a->data, a->len);
}

void acpi_setup_microvm(FWCfgState *fw_cfg, const X86MachineInfo *info)
{
    AcpiBuildTables tables;
    void *data;
    size_t len;

    if (!info->acpi) {
        return;
    }
    acpi_build_tables_init(&tables);
    acpi_build_microvm(info, &tables);
    data = acpi_array_dup(tables.table_data, &len);
    fw_cfg_add_file(fw_cfg, ACPI_BUILD_TABLE_FILE, data, len);
    data = acpi_array_dup(tables.linker->cmd_blob, &len);
    fw_cfg_add_file(fw_cfg, ACPI_BUILD_LOADER_FILE, data, len);
    data = acpi_array_dup(tables.rsdp, &len);
    fw_cfg_add_file(fw_cfg, ACPI_BUILD_RSDP_FILE, data, len);
    acpi_build_tables_cleanup(&tables);
}
