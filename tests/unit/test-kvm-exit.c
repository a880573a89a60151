/*
 * The vCPU exit decision (accel/kvm/kvm-exit.c), table-driven on fake
 * kvm_run structs: no /dev/kvm involved. One row per exit reason the
 * loop knows, the KVM_RUN errors, and reasons it does not handle.
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"

typedef struct ExitCase {
    const char *name;
    int run_errno;
    uint32_t exit_reason;
    KVMIrqchipMode irqchip;
    KVMExitAction want;
} ExitCase;

#define SPLIT KVM_IRQCHIP_MODE_SPLIT
#define ON    KVM_IRQCHIP_MODE_ON

static const ExitCase cases[] = {
    { "io", 0, KVM_EXIT_IO, SPLIT, KVM_EXIT_ACTION_IO },
    { "mmio", 0, KVM_EXIT_MMIO, SPLIT, KVM_EXIT_ACTION_MMIO },
    { "mmio-full-irqchip", 0, KVM_EXIT_MMIO, ON, KVM_EXIT_ACTION_MMIO },
    { "triple-fault", 0, KVM_EXIT_SHUTDOWN, SPLIT,
      KVM_EXIT_ACTION_GUEST_RESET },
    { "hlt", 0, KVM_EXIT_HLT, SPLIT, KVM_EXIT_ACTION_PARK },
    { "intr", 0, KVM_EXIT_INTR, SPLIT, KVM_EXIT_ACTION_KICKED },
    { "irq-window", 0, KVM_EXIT_IRQ_WINDOW_OPEN, SPLIT,
      KVM_EXIT_ACTION_REENTER },
    { "eoi-split", 0, KVM_EXIT_IOAPIC_EOI, SPLIT,
      KVM_EXIT_ACTION_IOAPIC_EOI },
    /* no userspace IOAPIC to tell: KVM never sends it, a bug if it does */
    { "eoi-full-irqchip", 0, KVM_EXIT_IOAPIC_EOI, ON,
      KVM_EXIT_ACTION_UNHANDLED },
    { "internal-error", 0, KVM_EXIT_INTERNAL_ERROR, SPLIT,
      KVM_EXIT_ACTION_INTERNAL_ERROR },
    { "unknown", 0, KVM_EXIT_UNKNOWN, SPLIT, KVM_EXIT_ACTION_UNHANDLED },
    { "fail-entry", 0, KVM_EXIT_FAIL_ENTRY, SPLIT,
      KVM_EXIT_ACTION_UNHANDLED },
    { "system-event", 0, KVM_EXIT_SYSTEM_EVENT, SPLIT,
      KVM_EXIT_ACTION_UNHANDLED },
    { "debug", 0, KVM_EXIT_DEBUG, SPLIT, KVM_EXIT_ACTION_UNHANDLED },
    { "reason-beyond-table", 0, 0xffffffffu, SPLIT,
      KVM_EXIT_ACTION_UNHANDLED },
    /* KVM_RUN's own errors: kvm_run is stale, its reason ignored */
    { "eintr", EINTR, KVM_EXIT_SHUTDOWN, SPLIT, KVM_EXIT_ACTION_KICKED },
    { "eagain", EAGAIN, KVM_EXIT_IO, SPLIT, KVM_EXIT_ACTION_KICKED },
    { "efault", EFAULT, KVM_EXIT_IO, SPLIT, KVM_EXIT_ACTION_RUN_FAILED },
    { "enomem", ENOMEM, KVM_EXIT_MMIO, SPLIT, KVM_EXIT_ACTION_RUN_FAILED },
};

static void test_exit_decide(gconstpointer opaque)
{
    const ExitCase *c = opaque;
    struct kvm_run run;

    /* whatever else the run holds must not matter */
    memset(&run, 0xa5, sizeof(run));
    run.exit_reason = c->exit_reason;
    g_assert_cmpint(kvm_exit_decide(&run, c->run_errno, c->irqchip), ==,
                    c->want);
    memset(&run, 0, sizeof(run));
    run.exit_reason = c->exit_reason;
    g_assert_cmpint(kvm_exit_decide(&run, c->run_errno, c->irqchip), ==,
                    c->want);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *path = g_strdup_printf("/kvm-exit/%s",
                                                cases[i].name);

        g_test_add_data_func(path, &cases[i], test_exit_decide);
    }
    return g_test_run();
}
