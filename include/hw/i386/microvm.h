/*
 * The microvm machine (QEMU 7.2 hw/i386/microvm.c): properties, the
 * command-line values the board needs, and what it builds.
 */
#ifndef HW_I386_MICROVM_H
#define HW_I386_MICROVM_H

#include "hw/i386/x86.h"
#include "system/hostmem.h"
#include "system/kvm.h"
#include "hw/i386/x86-gsi.h"
#include "hw/intc/i8259.h"
#include "hw/intc/ioapic.h"
#include "hw/timer/i8254.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/acpi/generic_event_device.h"
#include "qemu/notify.h"

/*
 * The microvm address and GSI map: every address and line the board, the
 * device tree, the kernel command line and (next) the DSDT use. As QEMU
 * 7.2 include/hw/i386/microvm.h, hw/i386/microvm.c microvm_devices_init,
 * include/hw/i386/x86.h and apic.h.
 *
 *  GSI    | acpi=off         | acpi=on,ioapic2=off | acpi=on (ioapic2)
 * --------+------------------+---------------------+--------------------
 *   0     | PIT (IOAPIC pin 2; ISA IRQ 0, as QEMU's ioapic_set_irq)
 *   4     | COM1 (isa-serial=on and a -serial backend)
 *   5-12  | virtio-mmio 0-7  |                     |
 *   8     |                  | RTC (rtc=on)        | RTC (rtc=on)
 *   9     |                  | GED                 | GED
 *  10     |                  | XHCI (usb=on)       | XHCI (usb=on)
 *  12-15  |                  | PCIe (pcie=on)      |
 *  16-19  |                  |                     | PCIe (pcie=on)
 *  16-23  |                  | virtio-mmio 0-7     |
 *  24-47  |                  |                     | virtio-mmio 0-23
 *
 * With acpi=off the RTC (rtc=on) is on GSI 8 too, shared with transport 3.
 * GSIs 0-23 are IOAPIC 1's pins, 24-47 IOAPIC 2's; ISA IRQs 0-15 are
 * GSIs 0-15 and go to the PIC as well.
 */
#define MICROVM_MAX_BELOW_4G        (3 * GiB)   /* 0xc0000000 */
#define MICROVM_IOAPIC_BASE         0xfec00000  /* IO_APIC_DEFAULT_ADDRESS */
#define MICROVM_IOAPIC2_BASE        0xfec10000  /* IO_APIC_SECONDARY_ADDRESS */
#define MICROVM_IOAPIC2_IRQ_BASE    24          /* IO_APIC_SECONDARY_IRQBASE */
#define MICROVM_MAX_IOAPICS         2
#define MICROVM_LAPIC_BASE          0xfee00000  /* APIC_DEFAULT_ADDRESS */
/*
 * The largest firmware mapped (at 4 GiB - size): one that ends the 1 MiB
 * LAPIC/MSI window at 0xfef00000. QEMU 7.2 takes any multiple of 64 KiB
 * below 2 GiB (x86_bios_rom_init's int size) and lets the devices mapped
 * later cover it; microvm's firmware images are 64 KiB to 2 MiB.
 */
#define MICROVM_BIOS_MAX_SIZE       (4 * GiB - (MICROVM_LAPIC_BASE + 1 * MiB))
#define MICROVM_GED_BASE            0xfea00000  /* GED_MMIO_BASE */
#define MICROVM_GED_BASE_MEMHP      (MICROVM_GED_BASE + 0x100)
#define MICROVM_GED_BASE_REGS       (MICROVM_GED_BASE + 0x200)
#define MICROVM_GED_IRQ             9
#define MICROVM_XHCI_BASE           0xfe900000
#define MICROVM_XHCI_IRQ            10
#define MICROVM_VIRTIO_MMIO_BASE    0xfeb00000  /* VIRTIO_MMIO_BASE */
#define MICROVM_VIRTIO_MMIO_SIZE    512
#define MICROVM_FW_CFG_IO_BASE      FW_CFG_IO_BASE          /* 0x510 */
#define MICROVM_RTC_IO_BASE         0x70
#define MICROVM_RTC_IRQ             8
#define MICROVM_COM1_IO_BASE        0x3f8
#define MICROVM_COM1_IRQ            4
#define MICROVM_PIT_IO_BASE         0x40
#define MICROVM_PIT_IRQ             0
#define MICROVM_PCIE_MMIO_BASE      0xc0000000
#define MICROVM_PCIE_MMIO_SIZE      0x20000000
#define MICROVM_PCIE_ECAM_BASE      0xe0000000
#define MICROVM_PCIE_ECAM_SIZE      0x10000000
/* The virtio-mmio transports of each layout (microvm_devices_init) */
#define MICROVM_VIRTIO_IRQ_BASE             5   /* acpi=off: 8 on 5-12 */
#define MICROVM_VIRTIO_TRANSPORTS           8
#define MICROVM_ACPI_VIRTIO_IRQ_BASE        16  /* acpi=on: 8 on 16-23 */
#define MICROVM_ACPI_PCIE_IRQ_BASE          12
#define MICROVM_IOAPIC2_PCIE_IRQ_BASE       16  /* ioapic2: 24 on 24-47 */
/* QEMU's VIRTIO_CMDLINE_MAXLEN: one " virtio_mmio.device=" entry */
#define MICROVM_VIRTIO_CMDLINE_MAXLEN       64

#define TYPE_MACHINE "machine"
#define TYPE_MICROVM_MACHINE "microvm-machine"

typedef struct MicrovmMachineState {
    Object parent_obj;

    /* Properties (-M microvm,KEY=VALUE), defaults as QEMU 7.2. */
    OnOffAuto acpi, pic, pit, rtc, pcie, ioapic2, smm;
    bool isa_serial, option_roms, auto_kernel_cmdline;
    bool graphics, usb, mem_merge, dump_guest_core;
    char *kernel, *initrd, *append, *firmware, *memory_backend;

    /* From other options: -m, -smp, -cpu, -accel. */
    uint64_t ram_size;
    unsigned smp_cpus, smp_max_cpus;
    unsigned sockets, dies, cores, threads;
    KVMIrqchipMode irqchip;

    /* What realize built. */
    GuestMemory *mem;
    void *ram;              /* guest RAM, owned by ram_backend */
    HostMemoryBackend *ram_backend;
    void *bios;             /* the firmware, mapped at 4G - size and 1M */
    void *bios_image;       /* pristine copy, restored on every reset */
    size_t bios_size;
    FWCfgState *fw_cfg;
    bool kernel_cmdline_fixed;  /* the first reset's fix-up is done */
    GPtrArray *option_rom_names;    /* what the kernel loader asked for */
    X86MachineInfo info;
    /* The GSI array, IOAPICs and PIC behind it (QEMU's x86ms->gsi) */
    GSIState gsi;
    PICState *pic_dev;          /* NULL with pic=off */
    qemu_irq pic_out;
    /* With ACPI: the GED and the power button's listener */
    AcpiGedState *ged;
    Notifier powerdown_req;
    /* The virtio-mmio transports, in creation order (index = slot) */
    VirtIOMMIOProxy *virtio[IOAPIC_NUM_PINS];
} MicrovmMachineState;

#define MICROVM_MACHINE(obj) \
    OBJECT_CHECK(MicrovmMachineState, (obj), TYPE_MICROVM_MACHINE)

/*
 * Builds the machine: RAM, KVM, vCPUs, the fixed devices, firmware and
 * fw_cfg. Errors are reported by the caller; a few firmware and loader
 * errors are QEMU's raw "qemu: ..." lines (Error.raw, error_setg_raw).
 */
bool microvm_machine_init(MicrovmMachineState *mms, Error **errp);
/* After -device: the fw_cfg items QEMU adds once the machine is done. */
bool microvm_machine_done(MicrovmMachineState *mms, Error **errp);
/* Machine reset (first boot and every guest reboot). */
void microvm_machine_reset(MicrovmMachineState *mms);

/*
 * The interrupt and virtio-mmio layout for info->acpi and info->ioapic2
 * (QEMU 7.2 microvm_ioapics and microvm_devices_init): fills
 * info->ioapics, virtio_mmio_base, virtio_irq_base, virtio_num_transports
 * and pcie_irq_base. Computed once; the device tree, the kernel command
 * line and the DSDT read it from there.
 */
void microvm_layout(X86MachineInfo *info);

/*
 * QEMU's microvm_fix_kernel_cmdline: cmdline plus one
 * " virtio_mmio.device=512@0xBASE:GSI" per transport with a device
 * plugged, the newest transport first (QEMU walks the system bus newest
 * first). g_free the result.
 */
char *microvm_virtio_cmdline(const X86MachineInfo *info, const char *cmdline);

void microvm_register_types(void);

#endif
