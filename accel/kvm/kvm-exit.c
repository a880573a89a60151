/*
 * What a vCPU does after KVM_RUN returns, decided from the kvm_run alone:
 * a pure function, so that every exit reason is table-tested without
 * /dev/kvm; accel/kvm/kvm-cpus.c carries the action out.
 * Source of truth: QEMU 7.2 accel/kvm/kvm-all.c kvm_cpu_exec() (EINTR and
 * EAGAIN re-enter, any other KVM_RUN error stops the VM as an internal
 * error, KVM_EXIT_SHUTDOWN is a guest reset request,
 * KVM_EXIT_INTERNAL_ERROR stops the VM) and target/i386/kvm/kvm.c
 * kvm_arch_handle_exit() (HLT, IRQ window, IOAPIC EOI; "unknown exit
 * reason" stops the VM).
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"

KVMExitAction kvm_exit_decide(const struct kvm_run *run, int run_errno,
                              KVMIrqchipMode irqchip)
{
    if (run_errno == EINTR || run_errno == EAGAIN) {
        return KVM_EXIT_ACTION_KICKED;
    }
    if (run_errno) {
        return KVM_EXIT_ACTION_RUN_FAILED;
    }
    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        return KVM_EXIT_ACTION_IO;
    case KVM_EXIT_MMIO:
        return KVM_EXIT_ACTION_MMIO;
    case KVM_EXIT_SHUTDOWN:
        return KVM_EXIT_ACTION_GUEST_RESET;
    case KVM_EXIT_HLT:
        /* Only without an in-kernel LAPIC: nothing could wake it. */
        return KVM_EXIT_ACTION_PARK;
    case KVM_EXIT_INTR:
        return KVM_EXIT_ACTION_KICKED;
    case KVM_EXIT_IRQ_WINDOW_OPEN:
        return KVM_EXIT_ACTION_REENTER;     /* the pre-run injects */
    case KVM_EXIT_IOAPIC_EOI:
        /* KVM sends it only for a userspace IOAPIC (split irqchip). */
        return irqchip == KVM_IRQCHIP_MODE_SPLIT ?
               KVM_EXIT_ACTION_IOAPIC_EOI : KVM_EXIT_ACTION_UNHANDLED;
    case KVM_EXIT_INTERNAL_ERROR:
        return KVM_EXIT_ACTION_INTERNAL_ERROR;
    default:
        return KVM_EXIT_ACTION_UNHANDLED;
    }
}
