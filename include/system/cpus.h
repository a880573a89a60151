/*
 * vCPUs: creation from -cpu, threads running KVM_RUN, pause/resume for
 * machine reset, reset to the x86 power-on state.
 * Implemented in target/i386/cpu.c (models, CPUID), target/i386/kvm.c
 * (creation, MSRs) and
 * accel/kvm/kvm-cpus.c (threads, the exit loop).
 */
#ifndef SYSTEM_CPUS_H
#define SYSTEM_CPUS_H

#include "qemu/error-report.h"

typedef struct X86CPUTopology {
    unsigned sockets, dies, cores, threads;
    unsigned max_cpus;
} X86CPUTopology;

/*
 * Parses -cpu ("host", "max", "host,+x2apic,-vmx,kvm=off,..." as QEMU 7.2
 * accepts), checks the model against what is implemented; errors in
 * QEMU's words. Called once, before any vCPU is created.
 */
bool x86_cpu_parse_model(const char *cpu_model, Error **errp);
/* Creates vCPU index (APIC id derived from the topology as QEMU's
 * x86_apicid_from_cpu_idx), sets CPUID, MSRs, and the reset state. */
bool x86_cpus_create(unsigned ncpus, const X86CPUTopology *topo,
                     Error **errp);
/* Starts one thread per vCPU; with start_paused they wait for resume. */
bool cpus_start(bool start_paused, Error **errp);
/* Stops every vCPU outside KVM_RUN and waits until they are parked.
 * Called from the main thread with the BQL held; it is dropped while
 * waiting (a vCPU may need it to finish its exit). */
void cpus_pause_all(void);
void cpus_resume_all(void);
/* Puts every vCPU back to the power-on state (INIT/SIPI, real mode,
 * CS:IP = f000:fff0, BSP flag on vCPU 0). vCPUs must be paused. */
void cpus_reset_all(void);
/* Ends the threads (end of run); BQL held, dropped while joining. */
void cpus_stop_all(void);

#endif
