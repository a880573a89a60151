/*
 * The microvm machine (QEMU 7.2 hw/i386/microvm.c): properties, the
 * command-line values the board needs, and what it builds.
 */
#ifndef HW_I386_MICROVM_H
#define HW_I386_MICROVM_H

#include "hw/i386/x86.h"
#include "system/hostmem.h"
#include "system/kvm.h"
#include "hw/intc/i8259.h"
#include "hw/intc/ioapic.h"
#include "hw/timer/i8254.h"

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
    /* kernel-irqchip=split: the userspace interrupt controllers, PIT */
    PICState *pic_dev;
    IOAPICState *ioapic_dev;
    PITState *pit_dev;
    qemu_irq pic_out;
} MicrovmMachineState;

#define MICROVM_MACHINE(obj) \
    OBJECT_CHECK(MicrovmMachineState, (obj), TYPE_MICROVM_MACHINE)

/*
 * Builds the machine: RAM, KVM, vCPUs, the fixed devices, firmware and
 * fw_cfg. Errors are reported by the caller; a few firmware and loader
 * errors are QEMU's raw "qemu: ..." lines (see error_is_raw()).
 */
bool microvm_machine_init(MicrovmMachineState *mms, Error **errp);
/* After -device: the fw_cfg items QEMU adds once the machine is done. */
bool microvm_machine_done(MicrovmMachineState *mms, Error **errp);
/* Machine reset (first boot and every guest reboot). */
void microvm_machine_reset(MicrovmMachineState *mms);

void microvm_register_types(void);

#endif
