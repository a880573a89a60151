/*
 * The KVM accelerator: VM, memslots, in-kernel irqchip, vCPU threads.
 * Implemented in accel/kvm/.
 */
#ifndef SYSTEM_KVM_H
#define SYSTEM_KVM_H

#include "qemu/error-report.h"
#include "system/memory.h"

typedef enum KVMIrqchipMode {
    KVM_IRQCHIP_MODE_ON,        /* KVM_CREATE_IRQCHIP: PIC + IOAPIC in kernel */
    KVM_IRQCHIP_MODE_SPLIT,     /* accepted, behaves as ON until split lands */
    KVM_IRQCHIP_MODE_OFF,
} KVMIrqchipMode;

/*
 * Opens /dev/kvm (error text as QEMU 7.2: "Could not access KVM kernel
 * module: No such file or directory" then "failed to initialize kvm: ..."),
 * creates the VM, the irqchip and, with create_pit, the in-kernel PIT
 * (KVM_CREATE_PIT2), sets the TSS and identity-map addresses as QEMU does.
 */
bool kvm_init(KVMIrqchipMode irqchip, bool create_pit, Error **errp);
bool kvm_enabled(void);
/* QEMU 7.2's kvm_init() check: warns when the vCPU counts exceed what
 * KVM recommends, fails when they exceed what it allows. Called by the
 * board right after kvm_init, where QEMU prints it. */
bool kvm_check_vcpu_limits(unsigned smp_cpus, unsigned max_cpus,
                           Error **errp);
/* Registers every block of mem as a memslot (ROM as KVM_MEM_READONLY). */
bool kvm_map_guest_memory(GuestMemory *mem, Error **errp);
/* KVM_IRQ_LINE on an in-kernel irqchip GSI. */
void kvm_set_irq(int gsi, int level);
/* Closes everything (end of run). */
void kvm_cleanup(void);

#endif
