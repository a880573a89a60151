/*
 * x86 CPU models, feature words and the CPUID table a vCPU is given.
 * Source of truth: QEMU 7.2 target/i386/cpu.c (feature_word_info,
 * x86_cpu_parse_featurestr, cpu_x86_cpuid) and target/i386/kvm/kvm.c
 * (kvm_arch_get_supported_cpuid, kvm_arch_init_vcpu).
 */
#ifndef TARGET_I386_CPU_H
#define TARGET_I386_CPU_H

#include "qemu/error-report.h"
#include "system/cpus.h"
#include <linux/kvm.h>

/* In QEMU 7.2's FeatureWord order (warnings come out in this order). */
typedef enum FeatureWord {
    FEAT_1_EDX,
    FEAT_1_ECX,
    FEAT_7_0_EBX,
    FEAT_7_0_ECX,
    FEAT_7_0_EDX,
    FEAT_7_1_EAX,
    FEAT_8000_0001_EDX,
    FEAT_8000_0001_ECX,
    FEAT_8000_0007_EDX,
    FEAT_8000_0008_EBX,
    FEAT_KVM,
    FEAT_SVM,
    FEAT_XSAVE,
    FEAT_6_EAX,
    FEAT_XSAVE_XCR0_LO,
    FEAT_XSAVE_XCR0_HI,
    FEATURE_WORDS,
} FeatureWord;

typedef uint32_t FeatureWordArray[FEATURE_WORDS];

#define CPUID_1_EDX_HT          (1u << 28)
#define CPUID_1_ECX_PDCM        (1u << 15)
#define CPUID_1_ECX_AVX         (1u << 28)
#define CPUID_7_0_EBX_MPX       (1u << 14)
#define CPUID_7_0_EBX_AVX512F   (1u << 16)
#define CPUID_7_0_ECX_PKU       (1u << 3)
#define CPUID_7_0_EDX_ARCH_LBR  (1u << 19)
#define CPUID_7_0_EDX_AMX_TILE  (1u << 24)
#define CPUID_8000_0001_EDX_LM  (1u << 29)
#define CPUID_8000_0001_ECX_CMP_LEGACY (1u << 1)
#define CPUID_8000_0001_ECX_SVM (1u << 2)
#define CPUID_8000_0001_ECX_TOPOEXT (1u << 22)
#define CPUID_1_ECX_XSAVE       (1u << 26)
#define CPUID_1_ECX_X2APIC      (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_1_ECX_HYPERVISOR  (1u << 31)
#define CPUID_7_0_EBX_SGX       (1u << 2)
#define CPUID_7_0_EBX_INTEL_PT  (1u << 25)
#define CPUID_7_0_ECX_LA57      (1u << 16)
#define CPUID_7_0_EDX_ARCH_CAPABILITIES (1u << 29)
#define KVM_FEATURE_BIT(n)      (1u << (n))

/* What -cpu asked for, before the host is known. */
typedef struct X86CPUModel {
    char *name;                 /* "host", "max" or "qemu64" */
    char *type_name;            /* "host-x86_64-cpu", for error texts */
    FeatureWordArray plus, minus;   /* +flag / -flag */
    FeatureWordArray on, off;       /* flag=on / flag=off, in order */
    bool expose_kvm;            /* kvm=on|off */
    bool enforce;
} X86CPUModel;

/*
 * XSAVE state components QEMU 7.2 knows (x86_ext_save_areas): x87, SSE,
 * AVX, MPX x2, AVX-512 x3, PKRU, arch LBR, AMX x2 (indices 0..18).
 */
#define X86_XSAVE_COMPONENTS    19

/* What the host offers: KVM_GET_SUPPORTED_CPUID plus a few host facts. */
typedef struct X86HostCPUID {
    struct kvm_cpuid_entry2 *supported;
    unsigned nsupported;
    uint32_t vendor[3];         /* host CPUID 0: EBX, EDX, ECX */
    uint32_t version;           /* host CPUID 1 EAX (family/model/step) */
    uint32_t brand[12];         /* host CPUID 0x80000002..4 */
    unsigned phys_bits;         /* host CPUID 0x80000008 EAX[7:0] */
    bool irqchip_in_kernel;
    bool irqchip_split;
    bool tsc_deadline_cap;
    bool has_msr_arch_capabs;   /* 0x10a in KVM_GET_MSR_INDEX_LIST */
    /*
     * Host CPUID 0xD sub-leaf i (EAX size, EBX offset, ECX flags) of each
     * component KVM supports in XCR0, as kvm_cpu_xsave_init() reads it;
     * zero for the others.
     */
    uint32_t xsave_size[X86_XSAVE_COMPONENTS];
    uint32_t xsave_offset[X86_XSAVE_COMPONENTS];
    uint32_t xsave_flags[X86_XSAVE_COMPONENTS];
    /* KVM_GET_DEVICE_ATTR(KVM_X86_XCOMP_GUEST_SUPP), when KVM has it. */
    bool has_xcomp_guest_supp;
    uint64_t xcomp_guest_supp;
} X86HostCPUID;

/* A resolved model: every CPUID input cpu_x86_cpuid() reads. */
typedef struct X86CPUDef {
    uint32_t level, xlevel;
    uint32_t vendor[3];
    uint32_t version;
    uint32_t brand[12];
    FeatureWordArray features;
    unsigned phys_bits;
    bool expose_kvm;
    /* x86_ext_save_areas offsets and ECX flags, as kvm_cpu_xsave_init. */
    uint32_t xsave_offset[X86_XSAVE_COMPONENTS];
    uint32_t xsave_flags[X86_XSAVE_COMPONENTS];
} X86CPUDef;

/* QEMU's IS_AMD_CPU(): the vendor string is "AuthenticAMD". */
bool x86_cpu_def_is_amd(const X86CPUDef *def);

/*
 * QEMU's xsave_area_size(): the XSAVE area holding the components in
 * mask, standard (offsets of def) or compacted layout.
 */
uint32_t x86_cpu_xsave_size(const X86CPUDef *def, uint64_t mask,
                            bool compacted);
/* Size of XSAVE state component i (0 for one QEMU does not know). */
uint32_t x86_cpu_xsave_component_size(int i);

X86CPUModel *x86_cpu_model_parse(const char *cpu_model, Error **errp);
void x86_cpu_model_free(X86CPUModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(X86CPUModel, x86_cpu_model_free)

/*
 * Resolves model against host. Each requested feature the host lacks
 * is appended to unavailable as QEMU's warning text ("host doesn't
 * support requested feature: CPUID.01H:ECX.pni [bit 0]"); with enforce
 * that is an error ("Host doesn't support requested features").
 */
bool x86_cpu_resolve(const X86CPUModel *model, const X86HostCPUID *host,
                     X86CPUDef *def, GPtrArray *unavailable, Error **errp);

/* QEMU's x86_apicid_from_cpu_idx (include/hw/i386/topology.h). */
uint32_t x86_apicid_from_cpu_idx(const X86CPUTopology *topo, unsigned idx);

/* The value of one CPUID leaf as cpu_x86_cpuid() computes it. */
void x86_cpuid_leaf(const X86CPUDef *def, const X86CPUTopology *topo,
                    uint32_t apic_id, uint32_t leaf, uint32_t subleaf,
                    uint32_t *eax, uint32_t *ebx, uint32_t *ecx,
                    uint32_t *edx);

/*
 * The KVM_SET_CPUID2 table for one vCPU, entry for entry as QEMU 7.2's
 * kvm_arch_init_vcpu() builds it (order and quirks included).
 * GArray of struct kvm_cpuid_entry2.
 */
GArray *x86_cpuid_build_table(const X86CPUDef *def,
                              const X86CPUTopology *topo, uint32_t apic_id);

/* The model parsed by x86_cpu_parse_model() (NULL before). */
const X86CPUModel *x86_cpu_current_model(void);

#endif
