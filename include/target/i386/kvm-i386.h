/*
 * The x86 side of the KVM accelerator: the per-vCPU state, the host's
 * CPUID and MSRs as KVM offers them, the vCPU's power-on state.
 * Implemented in target/i386/kvm.c and target/i386/cpu-state.c.
 * Source of truth: QEMU 7.2 target/i386/kvm/kvm.c, target/i386/cpu.h.
 */
#ifndef TARGET_I386_KVM_I386_H
#define TARGET_I386_KVM_I386_H

#include "target/i386/cpu.h"
#include <pthread.h>

/* Whether msr is in KVM_GET_MSR_INDEX_LIST. */
bool kvm_has_msr(uint32_t msr);
/* KVM_GET_SUPPORTED_CPUID and host CPUID facts, for x86_cpu_resolve(). */
bool kvm_get_host_cpuid(X86HostCPUID *host, Error **errp);

typedef struct X86VCPU {
    unsigned index;
    uint32_t apic_id;
    int fd;
    struct kvm_run *run;
    GArray *cpuid;              /* of struct kvm_cpuid_entry2 */
    const X86CPUDef *def;
    pthread_t thread;
    bool thread_started;
    bool parked;                /* waiting in the pause loop */
    bool stopped_by_guest;      /* triple fault / halt: wait for resume */
} X86VCPU;

/* cpu-state.c: power-on state, as x86_cpu_reset + kvm_arch_put_registers. */
bool x86_vcpu_reset(X86VCPU *cpu, Error **errp);
/* One-time set-up after KVM_CREATE_VCPU: CPUID, MCE. */
bool x86_vcpu_init(X86VCPU *cpu, Error **errp);
/* x86_cpu_dump_state(..., CPU_DUMP_CODE) on stream f. */
void x86_vcpu_dump_state(X86VCPU *cpu, FILE *f);

#endif
