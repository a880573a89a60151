/*
 * Accelerator internals shared by accel/kvm/ and target/i386/: the VM
 * handles, host capabilities, and the per-vCPU state.
 * Source of truth: QEMU 7.2 accel/kvm/kvm-all.c (KVMState, CPUState's
 * kvm_fd/kvm_run) and target/i386/kvm/kvm.c.
 */
#ifndef ACCEL_KVM_INTERNAL_H
#define ACCEL_KVM_INTERNAL_H

#include "system/kvm.h"
#include "target/i386/cpu.h"
#include <pthread.h>

int kvm_sys_fd(void);
int kvm_vm_fd(void);
KVMIrqchipMode kvm_irqchip_mode(void);
GuestMemory *kvm_guest_memory(void);
int kvm_vcpu_mmap_size(void);
int kvm_check_extension(int cap);
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

/*
 * Exits of one KVM exit reason handled so far (all vCPUs), and a wait
 * for that count to reach n: lets tests follow the guest without sleeps.
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

/* cpu-state.c: power-on state, as x86_cpu_reset + kvm_arch_put_registers. */
bool x86_vcpu_reset(X86VCPU *cpu, Error **errp);
/* One-time set-up after KVM_CREATE_VCPU: CPUID, MCE. */
bool x86_vcpu_init(X86VCPU *cpu, Error **errp);
/* x86_cpu_dump_state(..., CPU_DUMP_CODE) on stream f. */
void x86_vcpu_dump_state(X86VCPU *cpu, FILE *f);

#endif
