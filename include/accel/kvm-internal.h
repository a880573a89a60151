/*
 * Accelerator internals shared by accel/kvm/ and the target (target/i386/):
 * the VM handles, host capabilities, the vCPU hooks. Knows no target
 * header: the target includes this one, not the other way round.
 * Source of truth: QEMU 7.2 accel/kvm/kvm-all.c (KVMState, CPUState's
 * kvm_fd/kvm_run) and target/i386/kvm/kvm.c.
 */
#ifndef ACCEL_KVM_INTERNAL_H
#define ACCEL_KVM_INTERNAL_H

#include "system/kvm.h"
#include "hw/core/cpu.h"
#include <linux/kvm.h>

int kvm_sys_fd(void);
int kvm_vm_fd(void);
KVMIrqchipMode kvm_irqchip_mode(void);
GuestMemory *kvm_guest_memory(void);
int kvm_vcpu_mmap_size(void);
int kvm_check_extension(int cap);
/* Forgets the split irqchip's resample fds (kvm_cleanup). */
void kvm_eventfd_cleanup(void);

/*
 * Implemented by the target (target/i386/kvm.c), as QEMU's kvm_arch_*:
 * the VM-wide set-up after KVM_CREATE_VM, and its undoing.
 */
bool kvm_arch_init(Error **errp);
void kvm_arch_cleanup(void);
/* After KVM_CREATE_VCPU (x86: CPUID, MCE). */
bool kvm_arch_init_vcpu(CPUState *cpu, Error **errp);
/* The power-on register state (x86_cpu_reset + kvm_arch_put_registers). */
bool kvm_arch_reset_vcpu(CPUState *cpu, Error **errp);
/* The register dump of a failed vCPU (x86_cpu_dump_state, with code). */
void kvm_arch_dump_state(CPUState *cpu, FILE *f);
/* Frees the target's vCPU (fd and kvm_run already released). */
void kvm_arch_destroy_vcpu(CPUState *cpu);

/*
 * Creates the KVM vCPU cpu->vcpu_id (fd, kvm_run mapping), lists it for
 * the vCPU threads, then calls kvm_arch_init_vcpu(). Once called, the
 * vCPU belongs to the accelerator (freed by cpus_stop_all(), even when
 * this fails).
 */
bool kvm_init_vcpu(CPUState *cpu, Error **errp);

/*
 * Exits of one KVM exit reason handled so far (all current vCPUs), and a
 * wait for that count to reach n: lets tests follow the guest without
 * sleeps. The vCPU counts its own exits without a lock.
 */
uint64_t kvm_cpus_exit_count(uint32_t reason);
void kvm_cpus_wait_exit_count(uint32_t reason, uint64_t n);

/*
 * KVM_EXIT_IO: the port accesses of one exit (count of them for string
 * I/O) dispatched to address_space_io. run_size is the size of the
 * vCPU's kvm_run mapping; false (nothing done) when the exit's data
 * would lie outside it or the access size is not 1, 2 or 4.
 */
bool kvm_handle_io_exit(struct kvm_run *run, size_t run_size);

/* What the vCPU loop does with one return of KVM_RUN (kvm-exit.c). */
typedef enum KVMExitAction {
    KVM_EXIT_ACTION_REENTER,        /* nothing to do: KVM_RUN again */
    KVM_EXIT_ACTION_KICKED,         /* a signal: drop pending kicks */
    KVM_EXIT_ACTION_IO,             /* port I/O to address_space_io */
    KVM_EXIT_ACTION_MMIO,           /* to address_space_memory */
    KVM_EXIT_ACTION_IOAPIC_EOI,     /* EOI broadcast to the IOAPIC */
    KVM_EXIT_ACTION_GUEST_RESET,    /* park, request a guest reset */
    KVM_EXIT_ACTION_PARK,           /* park until the VM is resumed */
    KVM_EXIT_ACTION_INTERNAL_ERROR, /* report, stop: internal-error */
    KVM_EXIT_ACTION_RUN_FAILED,     /* KVM_RUN failed: same */
    KVM_EXIT_ACTION_UNHANDLED,      /* unknown exit reason: same */
} KVMExitAction;

/*
 * Pure: the action for a KVM_RUN that returned with errno run_errno
 * (0: it succeeded and run->exit_reason says why it exited) on a VM
 * with the given irqchip.
 */
KVMExitAction kvm_exit_decide(const struct kvm_run *run, int run_errno,
                              KVMIrqchipMode irqchip);

#endif
