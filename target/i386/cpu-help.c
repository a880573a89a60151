/*
 * -cpu help, byte for byte as QEMU 7.2's qemu-system-x86_64 prints it
 * (target/i386/cpu.c x86_cpu_list: x86_cpu_list_entry, listflags), and
 * the model names QEMU knows. QEMU lists every builtin model and every
 * flag name whatever the accelerator; so does microqemu, and -cpu then
 * refuses the models it does not implement with its own error
 * (x86_cpu_model_parse) instead of "unable to find CPU model".
 */
#include "qemu/osdep.h"
#include "target/i386/cpu.h"
#include "target/i386/cpu-help.h"

typedef struct CPUModelHelp {
    const char *name;
    const char *desc;
} CPUModelHelp;

/*
 * QEMU 7.2's lines, in its order (sorted by vendor-less name, each
 * unversioned alias before its versions, then base, host, max).
 */
static const CPUModelHelp cpu_models[] = {
    { "486", "(alias configured by machine type)" },
    { "486-v1", "" },
    { "Broadwell", "(alias configured by machine type)" },
    { "Broadwell-IBRS", "(alias of Broadwell-v3)" },
    { "Broadwell-noTSX", "(alias of Broadwell-v2)" },
    { "Broadwell-noTSX-IBRS", "(alias of Broadwell-v4)" },
    { "Broadwell-v1", "Intel Core Processor (Broadwell)" },
    { "Broadwell-v2", "Intel Core Processor (Broadwell, no TSX)" },
    { "Broadwell-v3", "Intel Core Processor (Broadwell, IBRS)" },
    { "Broadwell-v4", "Intel Core Processor (Broadwell, no TSX, IBRS)" },
    { "Cascadelake-Server", "(alias configured by machine type)" },
    { "Cascadelake-Server-noTSX", "(alias of Cascadelake-Server-v3)" },
    { "Cascadelake-Server-v1", "Intel Xeon Processor (Cascadelake)" },
    { "Cascadelake-Server-v2",
      "Intel Xeon Processor (Cascadelake) [ARCH_CAPABILITIES]" },
    { "Cascadelake-Server-v3",
      "Intel Xeon Processor (Cascadelake) [ARCH_CAPABILITIES, no TSX]" },
    { "Cascadelake-Server-v4",
      "Intel Xeon Processor (Cascadelake) [ARCH_CAPABILITIES, EPT"
      " switching, no TSX]" },
    { "Cascadelake-Server-v5",
      "Intel Xeon Processor (Cascadelake) [ARCH_CAPABILITIES, EPT"
      " switching, XSAVES, no TSX]" },
    { "Conroe", "(alias configured by machine type)" },
    { "Conroe-v1", "Intel Celeron_4x0 (Conroe/Merom Class Core 2)" },
    { "Cooperlake", "(alias configured by machine type)" },
    { "Cooperlake-v1", "Intel Xeon Processor (Cooperlake)" },
    { "Cooperlake-v2", "Intel Xeon Processor (Cooperlake) [XSAVES]" },
    { "Denverton", "(alias configured by machine type)" },
    { "Denverton-v1", "Intel Atom Processor (Denverton)" },
    { "Denverton-v2", "Intel Atom Processor (Denverton) [no MPX, no MONITOR]" },
    { "Denverton-v3",
      "Intel Atom Processor (Denverton) [XSAVES, no MPX, no MONITOR]" },
    { "Dhyana", "(alias configured by machine type)" },
    { "Dhyana-v1", "Hygon Dhyana Processor" },
    { "Dhyana-v2", "Hygon Dhyana Processor [XSAVES]" },
    { "EPYC", "(alias configured by machine type)" },
    { "EPYC-IBPB", "(alias of EPYC-v2)" },
    { "EPYC-Milan", "(alias configured by machine type)" },
    { "EPYC-Milan-v1", "AMD EPYC-Milan Processor" },
    { "EPYC-Rome", "(alias configured by machine type)" },
    { "EPYC-Rome-v1", "AMD EPYC-Rome Processor" },
    { "EPYC-Rome-v2", "AMD EPYC-Rome Processor" },
    { "EPYC-v1", "AMD EPYC Processor" },
    { "EPYC-v2", "AMD EPYC Processor (with IBPB)" },
    { "EPYC-v3", "AMD EPYC Processor" },
    { "Haswell", "(alias configured by machine type)" },
    { "Haswell-IBRS", "(alias of Haswell-v3)" },
    { "Haswell-noTSX", "(alias of Haswell-v2)" },
    { "Haswell-noTSX-IBRS", "(alias of Haswell-v4)" },
    { "Haswell-v1", "Intel Core Processor (Haswell)" },
    { "Haswell-v2", "Intel Core Processor (Haswell, no TSX)" },
    { "Haswell-v3", "Intel Core Processor (Haswell, IBRS)" },
    { "Haswell-v4", "Intel Core Processor (Haswell, no TSX, IBRS)" },
    { "Icelake-Server", "(alias configured by machine type)" },
    { "Icelake-Server-noTSX", "(alias of Icelake-Server-v2)" },
    { "Icelake-Server-v1", "Intel Xeon Processor (Icelake)" },
    { "Icelake-Server-v2", "Intel Xeon Processor (Icelake) [no TSX]" },
    { "Icelake-Server-v3", "Intel Xeon Processor (Icelake)" },
    { "Icelake-Server-v4", "Intel Xeon Processor (Icelake)" },
    { "Icelake-Server-v5", "Intel Xeon Processor (Icelake) [XSAVES]" },
    { "Icelake-Server-v6", "Intel Xeon Processor (Icelake) [5-level EPT]" },
    { "IvyBridge", "(alias configured by machine type)" },
    { "IvyBridge-IBRS", "(alias of IvyBridge-v2)" },
    { "IvyBridge-v1", "Intel Xeon E3-12xx v2 (Ivy Bridge)" },
    { "IvyBridge-v2", "Intel Xeon E3-12xx v2 (Ivy Bridge, IBRS)" },
    { "KnightsMill", "(alias configured by machine type)" },
    { "KnightsMill-v1", "Intel Xeon Phi Processor (Knights Mill)" },
    { "Nehalem", "(alias configured by machine type)" },
    { "Nehalem-IBRS", "(alias of Nehalem-v2)" },
    { "Nehalem-v1", "Intel Core i7 9xx (Nehalem Class Core i7)" },
    { "Nehalem-v2", "Intel Core i7 9xx (Nehalem Core i7, IBRS update)" },
    { "Opteron_G1", "(alias configured by machine type)" },
    { "Opteron_G1-v1", "AMD Opteron 240 (Gen 1 Class Opteron)" },
    { "Opteron_G2", "(alias configured by machine type)" },
    { "Opteron_G2-v1", "AMD Opteron 22xx (Gen 2 Class Opteron)" },
    { "Opteron_G3", "(alias configured by machine type)" },
    { "Opteron_G3-v1", "AMD Opteron 23xx (Gen 3 Class Opteron)" },
    { "Opteron_G4", "(alias configured by machine type)" },
    { "Opteron_G4-v1", "AMD Opteron 62xx class CPU" },
    { "Opteron_G5", "(alias configured by machine type)" },
    { "Opteron_G5-v1", "AMD Opteron 63xx class CPU" },
    { "Penryn", "(alias configured by machine type)" },
    { "Penryn-v1", "Intel Core 2 Duo P9xxx (Penryn Class Core 2)" },
    { "SandyBridge", "(alias configured by machine type)" },
    { "SandyBridge-IBRS", "(alias of SandyBridge-v2)" },
    { "SandyBridge-v1", "Intel Xeon E312xx (Sandy Bridge)" },
    { "SandyBridge-v2", "Intel Xeon E312xx (Sandy Bridge, IBRS update)" },
    { "Skylake-Client", "(alias configured by machine type)" },
    { "Skylake-Client-IBRS", "(alias of Skylake-Client-v2)" },
    { "Skylake-Client-noTSX-IBRS", "(alias of Skylake-Client-v3)" },
    { "Skylake-Client-v1", "Intel Core Processor (Skylake)" },
    { "Skylake-Client-v2", "Intel Core Processor (Skylake, IBRS)" },
    { "Skylake-Client-v3", "Intel Core Processor (Skylake, IBRS, no TSX)" },
    { "Skylake-Client-v4",
      "Intel Core Processor (Skylake, IBRS, no TSX) [IBRS, XSAVES, no TSX]" },
    { "Skylake-Server", "(alias configured by machine type)" },
    { "Skylake-Server-IBRS", "(alias of Skylake-Server-v2)" },
    { "Skylake-Server-noTSX-IBRS", "(alias of Skylake-Server-v3)" },
    { "Skylake-Server-v1", "Intel Xeon Processor (Skylake)" },
    { "Skylake-Server-v2", "Intel Xeon Processor (Skylake, IBRS)" },
    { "Skylake-Server-v3", "Intel Xeon Processor (Skylake, IBRS, no TSX)" },
    { "Skylake-Server-v4",
      "Intel Xeon Processor (Skylake, IBRS, no TSX) [IBRS, EPT"
      " switching, no TSX]" },
    { "Skylake-Server-v5",
      "Intel Xeon Processor (Skylake, IBRS, no TSX) [IBRS, XSAVES,"
      " EPT switching, no TSX]" },
    { "Snowridge", "(alias configured by machine type)" },
    { "Snowridge-v1", "Intel Atom Processor (SnowRidge)" },
    { "Snowridge-v2", "Intel Atom Processor (Snowridge, no MPX)" },
    { "Snowridge-v3",
      "Intel Atom Processor (Snowridge, no MPX) [XSAVES, no MPX]" },
    { "Snowridge-v4",
      "Intel Atom Processor (Snowridge, no MPX) [no split lock"
      " detect, no core-capability]" },
    { "Westmere", "(alias configured by machine type)" },
    { "Westmere-IBRS", "(alias of Westmere-v2)" },
    { "Westmere-v1", "Westmere E56xx/L56xx/X56xx (Nehalem-C)" },
    { "Westmere-v2", "Westmere E56xx/L56xx/X56xx (IBRS update)" },
    { "athlon", "(alias configured by machine type)" },
    { "athlon-v1", "QEMU Virtual CPU version 2.5+" },
    { "core2duo", "(alias configured by machine type)" },
    { "core2duo-v1", "Intel(R) Core(TM)2 Duo CPU     T7700  @ 2.40GHz" },
    { "coreduo", "(alias configured by machine type)" },
    { "coreduo-v1", "Genuine Intel(R) CPU           T2600  @ 2.16GHz" },
    { "kvm32", "(alias configured by machine type)" },
    { "kvm32-v1", "Common 32-bit KVM processor" },
    { "kvm64", "(alias configured by machine type)" },
    { "kvm64-v1", "Common KVM processor" },
    { "n270", "(alias configured by machine type)" },
    { "n270-v1", "Intel(R) Atom(TM) CPU N270   @ 1.60GHz" },
    { "pentium", "(alias configured by machine type)" },
    { "pentium-v1", "" },
    { "pentium2", "(alias configured by machine type)" },
    { "pentium2-v1", "" },
    { "pentium3", "(alias configured by machine type)" },
    { "pentium3-v1", "" },
    { "phenom", "(alias configured by machine type)" },
    { "phenom-v1", "AMD Phenom(tm) 9550 Quad-Core Processor" },
    { "qemu32", "(alias configured by machine type)" },
    { "qemu32-v1", "QEMU Virtual CPU version 2.5+" },
    { "qemu64", "(alias configured by machine type)" },
    { "qemu64-v1", "QEMU Virtual CPU version 2.5+" },
    { "base", "base CPU model type with no features enabled" },
    { "host", "processor with all supported host features " },
    { "max",
      "Enables all features supported by the accelerator in the current host" },
};

/*
 * Every flag name QEMU 7.2's qemu-system-x86_64 lists, sorted as it lists
 * them (a name shared by two bits is listed twice, as QEMU does).
 */
static const char *const qemu_cpuid_flags[] = {
    "3dnow", "3dnowext", "3dnowprefetch", "abm", "ace2", "ace2-en", "acpi",
    "adx", "aes", "amd-no-ssb", "amd-ssbd", "amd-stibp", "amx-bf16",
    "amx-int8", "amx-tile", "apic", "arat", "arch-capabilities", "arch-lbr",
    "avic", "avx", "avx-vnni", "avx2", "avx512-4fmaps", "avx512-4vnniw",
    "avx512-bf16", "avx512-fp16", "avx512-vp2intersect", "avx512-vpopcntdq",
    "avx512bitalg", "avx512bw", "avx512cd", "avx512dq", "avx512er", "avx512f",
    "avx512ifma", "avx512pf", "avx512vbmi", "avx512vbmi2", "avx512vl",
    "avx512vnni", "bmi1", "bmi2", "bus-lock-detect", "cid", "cldemote",
    "clflush", "clflushopt", "clwb", "clzero", "cmov", "cmp-legacy",
    "core-capability", "cr8legacy", "cx16", "cx8", "dca", "de",
    "decodeassists", "ds", "ds-cpl", "dtes64", "erms", "est", "extapic",
    "f16c", "flushbyasid", "fma", "fma4", "fpu", "fsgsbase", "fsrm",
    "full-width-write", "fxsr", "fxsr-opt", "gfni", "hle", "ht", "hypervisor",
    "ia64", "ibpb", "ibrs", "ibrs-all", "ibs", "intel-pt", "intel-pt-lip",
    "invpcid", "invtsc", "kvm-asyncpf", "kvm-asyncpf-int",
    "kvm-hint-dedicated", "kvm-mmu", "kvm-msi-ext-dest-id", "kvm-nopiodelay",
    "kvm-poll-control", "kvm-pv-eoi", "kvm-pv-ipi", "kvm-pv-sched-yield",
    "kvm-pv-tlb-flush", "kvm-pv-unhalt", "kvm-steal-time", "kvmclock",
    "kvmclock", "kvmclock-stable-bit", "la57", "lahf-lm", "lbrv", "lm", "lwp",
    "mca", "mce", "md-clear", "mds-no", "misalignsse", "mmx", "mmxext",
    "monitor", "movbe", "movdir64b", "movdiri", "mpx", "msr", "mtrr",
    "nodeid-msr", "npt", "nrip-save", "nx", "osvw", "pae", "pat",
    "pause-filter", "pbe", "pcid", "pclmulqdq", "pcommit", "pdcm", "pdpe1gb",
    "perfctr-core", "perfctr-nb", "pfthreshold", "pge", "phe", "phe-en", "pks",
    "pku", "pmm", "pmm-en", "pn", "pni", "popcnt", "pschange-mc-no", "pse",
    "pse36", "rdctl-no", "rdpid", "rdrand", "rdseed", "rdtscp", "rsba", "rtm",
    "sep", "serialize", "sgx", "sgx-debug", "sgx-exinfo", "sgx-kss",
    "sgx-mode64", "sgx-provisionkey", "sgx-tokenkey", "sgx1", "sgx2", "sgxlc",
    "sha-ni", "skinit", "skip-l1dfl-vmentry", "smap", "smep", "smx",
    "spec-ctrl", "split-lock-detect", "ss", "ssb-no", "ssbd", "sse", "sse2",
    "sse4.1", "sse4.2", "sse4a", "ssse3", "stibp", "svm", "svm-lock",
    "svme-addr-chk", "syscall", "taa-no", "tbm", "tce", "tm", "tm2", "topoext",
    "tsc", "tsc-adjust", "tsc-deadline", "tsc-scale", "tsx-ctrl", "tsx-ldtrk",
    "umip", "v-vmsave-vmload", "vaes", "vgif", "virt-ssbd", "vmcb-clean",
    "vme", "vmx", "vmx-activity-hlt", "vmx-activity-shutdown",
    "vmx-activity-wait-sipi", "vmx-apicv-register", "vmx-apicv-vid",
    "vmx-apicv-x2apic", "vmx-apicv-xapic", "vmx-cr3-load-noexit",
    "vmx-cr3-store-noexit", "vmx-cr8-load-exit", "vmx-cr8-store-exit",
    "vmx-desc-exit", "vmx-encls-exit", "vmx-entry-ia32e-mode",
    "vmx-entry-load-bndcfgs", "vmx-entry-load-efer", "vmx-entry-load-pat",
    "vmx-entry-load-perf-global-ctrl", "vmx-entry-load-pkrs",
    "vmx-entry-load-rtit-ctl", "vmx-entry-noload-debugctl", "vmx-ept",
    "vmx-ept-1gb", "vmx-ept-2mb", "vmx-ept-advanced-exitinfo",
    "vmx-ept-execonly", "vmx-eptad", "vmx-eptp-switching", "vmx-exit-ack-intr",
    "vmx-exit-clear-bndcfgs", "vmx-exit-clear-rtit-ctl", "vmx-exit-load-efer",
    "vmx-exit-load-pat", "vmx-exit-load-perf-global-ctrl",
    "vmx-exit-load-pkrs", "vmx-exit-nosave-debugctl", "vmx-exit-save-efer",
    "vmx-exit-save-pat", "vmx-exit-save-preemption-timer", "vmx-flexpriority",
    "vmx-hlt-exit", "vmx-ins-outs", "vmx-intr-exit", "vmx-invept",
    "vmx-invept-all-context", "vmx-invept-single-context",
    "vmx-invept-single-context", "vmx-invept-single-context-noglobals",
    "vmx-invlpg-exit", "vmx-invpcid-exit", "vmx-invvpid",
    "vmx-invvpid-all-context", "vmx-invvpid-single-addr", "vmx-io-bitmap",
    "vmx-io-exit", "vmx-monitor-exit", "vmx-movdr-exit", "vmx-msr-bitmap",
    "vmx-mtf", "vmx-mwait-exit", "vmx-nmi-exit", "vmx-page-walk-4",
    "vmx-page-walk-5", "vmx-pause-exit", "vmx-ple", "vmx-pml",
    "vmx-posted-intr", "vmx-preemption-timer", "vmx-rdpmc-exit",
    "vmx-rdrand-exit", "vmx-rdseed-exit", "vmx-rdtsc-exit", "vmx-rdtscp-exit",
    "vmx-secondary-ctls", "vmx-shadow-vmcs", "vmx-store-lma", "vmx-true-ctls",
    "vmx-tsc-offset", "vmx-tsc-scaling", "vmx-unrestricted-guest",
    "vmx-vintr-pending", "vmx-vmfunc", "vmx-vmwrite-vmexit-fields", "vmx-vnmi",
    "vmx-vnmi-pending", "vmx-vpid", "vmx-wbinvd-exit", "vmx-xsaves",
    "vmx-zero-len-inject", "vpclmulqdq", "waitpkg", "wbnoinvd", "wdt",
    "x2apic", "xcrypt", "xcrypt-en", "xfd", "xgetbv1", "xop", "xsave",
    "xsavec", "xsaveerptr", "xsaveopt", "xsaves", "xstore", "xstore-en",
    "xtpr",
};

bool x86_cpu_model_known(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(cpu_models); i++) {
        if (!strcmp(cpu_models[i].name, name)) {
            return true;
        }
    }
    return false;
}

void x86_cpu_list(void)
{
    size_t len = 0;

    printf("Available CPUs:\n");
    for (size_t i = 0; i < ARRAY_SIZE(cpu_models); i++) {
        printf("x86 %-20s  %s\n", cpu_models[i].name, cpu_models[i].desc);
    }
    printf("\nRecognized CPUID flags:\n");
    for (size_t i = 0; i < ARRAY_SIZE(qemu_cpuid_flags); i++) {
        const char *name = qemu_cpuid_flags[i];

        /* QEMU wraps before a line would reach 75 columns */
        if (len + strlen(name) + 1 >= 75) {
            printf("\n");
            len = 0;
        }
        printf("%s%s", len == 0 ? "  " : " ", name);
        len += strlen(name) + 1;
    }
    printf("\n\n");
}
