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
    KVM_IRQCHIP_MODE_SPLIT,     /* KVM_CAP_SPLIT_IRQCHIP: LAPICs only */
    KVM_IRQCHIP_MODE_OFF,
} KVMIrqchipMode;

/*
 * Opens /dev/kvm, creates the VM, the irqchip (split: only the LAPICs,
 * QEMU's default for microvm, with ioapic_pins GSI routes for the
 * userspace IOAPICs' pins) and, with create_pit and the full in-kernel
 * irqchip, the in-kernel PIT (KVM_CREATE_PIT2), sets the TSS and
 * identity-map addresses as QEMU does. Errors as QEMU 7.2 prints them:
 * the detail line ("Could not access KVM kernel module: No such file or
 * directory") first, then "failed to initialize kvm: ..." (a hint of the
 * Error, see kvm_init_fail).
 */
bool kvm_init(KVMIrqchipMode irqchip, bool create_pit, unsigned ioapic_pins,
              Error **errp);
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
/*
 * The split irqchip (QEMU's kvm_irqchip_is_split): a userspace IOAPIC
 * pin's GSI is an MSI route set with update + commit (KVM_SET_GSI_ROUTING
 * only when something changed) and raised with kvm_set_irq(). GSIs past
 * kvm_init's ioapic_pins are ignored.
 */
bool kvm_irqchip_is_split(void);
void kvm_irqchip_update_msi_route(int gsi, uint64_t addr, uint32_t data);
/* false (and reported) when KVM refused the table */
bool kvm_irqchip_commit_routes(void);
/* How many routes are set (tests). */
unsigned kvm_irqchip_route_count(void);
/*
 * Where KVM_EXIT_IOAPIC_EOI goes: the board registers its IOAPICs' EOI
 * broadcast (accel/kvm knows no device). Called under the BQL.
 */
void kvm_set_ioapic_eoi_hook(void (*fn)(void *opaque, int vector),
                             void *opaque);
void kvm_ioapic_eoi(int vector);
/* KVM_SIGNAL_MSI: 0, or -errno. */
int kvm_irqchip_send_msi(uint64_t addr, uint32_t data);
/*
 * The userspace PIC's INT line to the BSP (QEMU's pic_irq_request with
 * the LAPIC in KVM): while high, vCPU 0 injects the vector ack() returns
 * with KVM_INTERRUPT when KVM says it can take one. Called under the BQL.
 */
void kvm_cpus_set_pic(int (*ack)(void *opaque), void *opaque);
void kvm_cpus_set_extint(int level);
/*
 * ioeventfd on guest-physical MMIO (QEMU's kvm_set_ioeventfd_mmio behind
 * memory_region_add_eventfd): a guest write of size bytes at addr signals
 * the eventfd fd inside KVM, with no exit to userspace. size is 1, 2, 4
 * or 8, or 0 for a write of any length (then without datamatch); with
 * datamatch only a write of exactly data (little-endian, as the guest
 * wrote it) signals, any other write exits as MMIO. assign=false removes
 * the registration made with the same arguments. Errors as QEMU's
 * "error adding ioeventfd: <strerror> (<errno>)".
 */
bool kvm_set_ioeventfd_mmio(int fd, uint64_t addr, unsigned size,
                            bool datamatch, uint64_t data, bool assign,
                            Error **errp);
/*
 * irqfd (QEMU's kvm_irqchip_add/remove_irqfd_notifier_gsi): a write to
 * the eventfd fd raises GSI gsi inside KVM. Without a resample fd
 * (resample_fd = -1) it is an edge (the line pulses); with one, the line
 * stays asserted until the guest's EOI, then KVM lowers it and signals
 * resample_fd, for a level-triggered device to re-raise if still pending.
 * With the split irqchip the EOI reaches the userspace IOAPIC, which
 * signals the resample fd through kvm_resample_fd_notify() (as QEMU).
 */
bool kvm_irqchip_add_irqfd(int fd, int resample_fd, int gsi, Error **errp);
bool kvm_irqchip_remove_irqfd(int fd, int gsi, Error **errp);
/* Split irqchip: the IOAPIC saw the EOI of level-triggered GSI gsi. */
void kvm_resample_fd_notify(int gsi);
/* Closes everything (end of run). */
void kvm_cleanup(void);

#endif
