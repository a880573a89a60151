/*
 * The accelerator's view of one vCPU, whatever the target: its KVM fd and
 * kvm_run mapping, its thread, where it stands in the pause protocol.
 * A target's vCPU embeds it first (target/i386: X86VCPU).
 * Source of truth: QEMU 7.2 include/hw/core/cpu.h CPUState (cpu_index,
 * kvm_fd, kvm_run, thread, stopped/stop).
 */
#ifndef HW_CORE_CPU_H
#define HW_CORE_CPU_H

#include "qemu/osdep.h"
#include <pthread.h>

struct kvm_run;

#define CPU_EXIT_REASONS 64         /* KVM exit reasons counted per vCPU */

typedef struct CPUState {
    unsigned cpu_index;
    unsigned long vcpu_id;          /* KVM_CREATE_VCPU's id (x86: APIC id) */
    int fd;
    struct kvm_run *run;
    pthread_t thread;
    bool thread_started;
    bool parked;                    /* waiting in the pause loop */
    bool stopped_by_guest;          /* triple fault / halt: wait for resume */
    /* by KVM exit reason; written by the vCPU's thread only */
    uint64_t exit_counts[CPU_EXIT_REASONS];
} CPUState;

#endif
