/*
 * x86 APIC ids from the -smp topology: QEMU 7.2's
 * x86_cpu_apic_id_from_index() (include/hw/i386/topology.h): each level
 * (thread, core, die, package) gets the bits its count needs, threads
 * lowest.
 */
#include "qemu/osdep.h"
#include "hw/i386/x86.h"

static unsigned apicid_bitwidth(unsigned count)
{
    return count <= 1 ? 0 : 32 - __builtin_clz(count - 1);
}

unsigned x86_apic_id_from_index(const X86MachineInfo *info, unsigned index)
{
    unsigned smt = apicid_bitwidth(info->threads);
    unsigned core = apicid_bitwidth(info->cores);
    unsigned die = apicid_bitwidth(info->dies);
    unsigned thread_id = index % info->threads;
    unsigned core_id = index / info->threads % info->cores;
    unsigned die_id = index / (info->threads * info->cores) % info->dies;
    unsigned pkg_id = index / (info->threads * info->cores * info->dies);

    return (pkg_id << (die + core + smt)) | (die_id << (core + smt)) |
           (core_id << smt) | thread_id;
}
