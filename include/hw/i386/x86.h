/*
 * What the x86 builders (fw_cfg contents, e820, device tree, Linux loader)
 * need to know of the machine. The microvm board fills one X86MachineInfo
 * from its properties and the command line, and hands it to each builder;
 * the builders know nothing else of the board, so unit tests can call them
 * with a hand-made one.
 */
#ifndef HW_I386_X86_H
#define HW_I386_X86_H

#include "hw/nvram/fw_cfg.h"

/* e820 types (ACPI 6.x, 15.1). */
#define E820_RAM        1
#define E820_RESERVED   2
#define E820_ACPI       3
#define E820_NVS        4
#define E820_UNUSABLE   5

/* An ISA device as the device tree and the DSDT describe it */
typedef enum X86IsaNodeKind {
    X86_ISA_SERIAL,             /* ns16550, PNP0501 "COM<index + 1>" */
    X86_ISA_RTC,                /* motorola,mc146818, PNP0B00 "RTC" */
} X86IsaNodeKind;

typedef struct X86IsaNode {
    X86IsaNodeKind kind;
    uint32_t iobase;
    uint32_t irq;               /* ISA IRQ */
    uint32_t index;             /* serial: the port number (0 = COM1) */
} X86IsaNode;

typedef struct X86MachineInfo {
    GuestMemory *mem;
    uint64_t ram_size;              /* -m */
    uint64_t below_4g_mem_size;
    uint64_t above_4g_mem_size;
    unsigned boot_cpus;             /* -smp cpus */
    unsigned max_cpus;              /* -smp maxcpus */
    unsigned apic_id_limit;         /* highest APIC id + 1 (FW_CFG_MAX_CPUS) */
    unsigned sockets, dies, cores, threads;

    /* microvm machine properties, resolved (auto already decided). */
    bool pic, pit, rtc, isa_serial, option_roms, auto_kernel_cmdline;
    bool acpi, ioapic2, pcie;
    /* kernel-irqchip=on: KVM's IOAPIC, which QEMU's device tree omits */
    bool ioapic_in_kernel;

    const char *kernel_filename;    /* NULL without -kernel */
    const char *initrd_filename;
    const char *kernel_cmdline;     /* "" without -append */
    const char *firmware_name;      /* -bios, or the default chosen */

    bool has_uuid;
    uint8_t uuid[16];
    bool no_graphic;                /* -nographic / graphics=off */

    /*
     * The interrupt and virtio-mmio layout the board computed once
     * (microvm_layout(): QEMU 7.2 microvm_devices_init): IOAPIC count,
     * transport i at virtio_mmio_base + i * 512 on GSI
     * virtio_irq_base + i, the PCIe host's four GSIs.
     */
    unsigned ioapics;
    uint64_t virtio_mmio_base;
    uint32_t virtio_irq_base;
    unsigned virtio_num_transports;
    uint32_t pcie_irq_base;
    /*
     * Bit i: virtio-mmio transport i has a device plugged (the device
     * tree lists only those, as QEMU 7.2's dt_add_virtio).
     */
    uint32_t virtio_mmio_plugged;

    /*
     * The ISA devices the guest is told about (device tree nodes, DSDT
     * devices): the isa-serial and mc146818rtc devices on the ISA bus,
     * newest first (QEMU 7.2's dt_setup_isa_bus and isa_build_aml): the
     * board's COM1 and RTC and -device ones, filled at machine done; NULL
     * for none.
     */
    GArray *isa_nodes;              /* of X86IsaNode */
} X86MachineInfo;

/*
 * The APIC id of vCPU index (0 .. max_cpus - 1) for the topology in info
 * (sockets, dies, cores, threads): QEMU 7.2's x86_cpu_apic_id_from_index.
 * Implemented in hw/i386/x86-topology.c.
 */
unsigned x86_apic_id_from_index(const X86MachineInfo *info, unsigned index);

/*
 * Creates the fw_cfg device with every item QEMU 7.2's microvm puts there
 * before the kernel is loaded (fw_cfg_arch_create() and friends:
 * signature, ID, NB_CPUS, MAX_CPUS, RAM_SIZE, IRQ0_OVERRIDE, E820 items
 * and etc/e820, ...). Implemented in hw/i386/x86-fw-cfg.c. As
 * fw_cfg_new(), the device list owns the device: the pointer is borrowed.
 */
FWCfgState *x86_fw_cfg_create(const X86MachineInfo *info, Error **errp);

/*
 * Items QEMU adds once the machine is complete (machine-done notifiers):
 * option ROMs (names in option_roms, when info->option_roms), bootorder,
 * bios-geometry, etc/boot-fail-wait, etc/fdt (the microvm device tree),
 * in QEMU 7.2's order. Implemented in hw/i386/x86-fw-cfg.c and
 * hw/i386/microvm-dt.c.
 */
bool x86_fw_cfg_machine_done(FWCfgState *fw_cfg, const X86MachineInfo *info,
                             GPtrArray *option_roms, Error **errp);

/*
 * -kernel/-initrd/-append: QEMU 7.2's x86_load_linux() (hw/i386/x86.c):
 * bzImage (setup header checks, protocol versions, initrd placement,
 * cmdline limits), ELF with a Xen PVH note, multiboot. Fills the
 * FW_CFG_KERNEL_*, SETUP_*, INITRD_*, CMDLINE_* items and appends the
 * option ROM file names QEMU would load ("linuxboot_dma.bin",
 * "pvh.bin", "multiboot_dma.bin") to option_roms. Errors name the file,
 * in QEMU's words. Implemented in hw/i386/x86-linux-loader.c.
 */
bool x86_load_linux(FWCfgState *fw_cfg, const X86MachineInfo *info,
                    GPtrArray *option_roms, Error **errp);

#endif
