/*
 * The x86 side of the KVM accelerator: the per-vCPU state, the host's
 * CPUID and MSRs as KVM offers them, the vCPU's power-on state.
 * Implemented in target/i386/kvm.c and target/i386/cpu-state.c.
 * Source of truth: QEMU 7.2 target/i386/kvm/kvm.c, target/i386/cpu.h.
 */
#ifndef TARGET_I386_KVM_I386_H
#define TARGET_I386_KVM_I386_H

#include "hw/core/cpu.h"
#include "target/i386/cpu.h"

/* Whether msr is in KVM_GET_MSR_INDEX_LIST. */
bool kvm_has_msr(uint32_t msr);
/* KVM_GET_SUPPORTED_CPUID and host CPUID facts, for x86_cpu_resolve(). */
bool kvm_get_host_cpuid(X86HostCPUID *host, Error **errp);

/*
 * Whether the vCPUs were offered kvm-msi-ext-dest-id (CPUID 0x40000001
 * EAX bit 15), for MSIs the guest writes (QEMU's
 * kvm_swizzle_msi_ext_dest_id reads first_cpu's features).
 */
bool x86_cpu_has_msi_ext_dest_id(void);

typedef struct X86VCPU {
    CPUState parent_obj;
    uint32_t apic_id;
    GArray *cpuid;              /* of struct kvm_cpuid_entry2 */
    const X86CPUDef *def;
} X86VCPU;

#define X86_VCPU(cs) container_of(cs, X86VCPU, parent_obj)

/* cpu-state.c: power-on state, as x86_cpu_reset + kvm_arch_put_registers. */
bool x86_vcpu_reset(X86VCPU *cpu, Error **errp);
/* One-time set-up after KVM_CREATE_VCPU: CPUID, MCE. */
bool x86_vcpu_init(X86VCPU *cpu, Error **errp);
/* x86_cpu_dump_state(..., CPU_DUMP_CODE) on stream f. */
void x86_vcpu_dump_state(X86VCPU *cpu, FILE *f);

#endif
