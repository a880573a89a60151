/*
 * -cpu: model names, feature flags, and resolving a model against what
 * KVM supports. Source of truth: QEMU 7.2 target/i386/cpu.c
 * (feature_word_info names, x86_cpu_parse_featurestr, builtin_x86_defs
 * "qemu64", kvm_default_props, x86_cpu_filter_features) and
 * target/i386/kvm/kvm.c kvm_arch_get_supported_cpuid (its fix-ups).
 */
#include "qemu/osdep.h"
#include "target/i386/cpu.h"
#include "target/i386/cpu-help.h"

typedef struct FeatureWordInfo {
    uint32_t leaf, subleaf;
    const char *reg;            /* "EAX".."EDX", for warnings */
    int regno;                  /* 0..3 = EAX, EBX, ECX, EDX */
    uint32_t unmigratable;      /* never auto-enabled by "host" */
    uint32_t no_autoenable;
    const char *names[32];
} FeatureWordInfo;

/* Names exactly as QEMU 7.2 spells them; NULL bits cannot be named. */
static const FeatureWordInfo feature_words[FEATURE_WORDS] = {
    [FEAT_1_EDX] = {
        .leaf = 1, .reg = "EDX", .regno = 3,
        .no_autoenable = CPUID_1_EDX_HT,
        .names = {
            "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
            "cx8", "apic", NULL, "sep", "mtrr", "pge", "mca", "cmov",
            "pat", "pse36", "pn", "clflush", NULL, "ds", "acpi", "mmx",
            "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
        },
    },
    [FEAT_1_ECX] = {
        .leaf = 1, .reg = "ECX", .regno = 2,
        .names = {
            "pni", "pclmulqdq", "dtes64", "monitor", "ds-cpl", "vmx",
            "smx", "est", "tm2", "ssse3", "cid", NULL, "fma", "cx16",
            "xtpr", "pdcm", NULL, "pcid", "dca", "sse4.1", "sse4.2",
            "x2apic", "movbe", "popcnt", "tsc-deadline", "aes", "xsave",
            NULL, "avx", "f16c", "rdrand", "hypervisor",
        },
    },
    [FEAT_7_0_EBX] = {
        .leaf = 7, .reg = "EBX", .regno = 1,
        .names = {
            "fsgsbase", "tsc-adjust", "sgx", "bmi1", "hle", "avx2", NULL,
            "smep", "bmi2", "erms", "invpcid", "rtm", NULL, NULL, "mpx",
            NULL, "avx512f", "avx512dq", "rdseed", "adx", "smap",
            "avx512ifma", "pcommit", "clflushopt", "clwb", "intel-pt",
            "avx512pf", "avx512er", "avx512cd", "sha-ni", "avx512bw",
            "avx512vl",
        },
    },
    [FEAT_7_0_ECX] = {
        .leaf = 7, .reg = "ECX", .regno = 2,
        .names = {
            NULL, "avx512vbmi", "umip", "pku", NULL, "waitpkg",
            "avx512vbmi2", NULL, "gfni", "vaes", "vpclmulqdq",
            "avx512vnni", "avx512bitalg", NULL, "avx512-vpopcntdq", NULL,
            "la57", NULL, NULL, NULL, NULL, NULL, "rdpid", NULL,
            "bus-lock-detect", "cldemote", NULL, "movdiri", "movdir64b",
            NULL, "sgxlc", "pks",
        },
    },
    [FEAT_7_0_EDX] = {
        .leaf = 7, .reg = "EDX", .regno = 3,
        .names = {
            NULL, NULL, "avx512-4vnniw", "avx512-4fmaps", "fsrm", NULL,
            NULL, NULL, "avx512-vp2intersect", NULL, "md-clear", NULL,
            NULL, NULL, "serialize", NULL, "tsx-ldtrk", NULL, "pconfig",
            NULL, NULL, NULL, "amx-bf16", "avx512-fp16", "amx-tile",
            "amx-int8", "spec-ctrl", "stibp", NULL, "arch-capabilities",
            "core-capability", "ssbd",
        },
    },
    [FEAT_7_1_EAX] = {
        .leaf = 7, .subleaf = 1, .reg = "EAX", .regno = 0,
        .names = {
            [4] = "avx-vnni", [5] = "avx512-bf16",
        },
    },
    [FEAT_8000_0001_EDX] = {
        .leaf = 0x80000001, .reg = "EDX", .regno = 3,
        .names = {
            [11] = "syscall", [20] = "nx", [22] = "mmxext",
            [25] = "fxsr-opt", [26] = "pdpe1gb", [27] = "rdtscp",
            [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
        },
    },
    [FEAT_8000_0001_ECX] = {
        .leaf = 0x80000001, .reg = "ECX", .regno = 2,
        .names = {
            "lahf-lm", "cmp-legacy", "svm", "extapic", "cr8legacy", "abm",
            "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop",
            "skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL,
            "nodeid-msr", NULL, "tbm", "topoext", "perfctr-core",
            "perfctr-nb",
        },
        .no_autoenable = CPUID_8000_0001_ECX_TOPOEXT,
    },
    [FEAT_8000_0007_EDX] = {
        .leaf = 0x80000007, .reg = "EDX", .regno = 3,
        .unmigratable = 1u << 8,
        .names = { [8] = "invtsc" },
    },
    [FEAT_8000_0008_EBX] = {
        .leaf = 0x80000008, .reg = "EBX", .regno = 1,
        .names = {
            [0] = "clzero", [2] = "xsaveerptr", [9] = "wbnoinvd",
            [12] = "ibpb", [14] = "ibrs", [15] = "amd-stibp",
            [24] = "amd-ssbd", [25] = "virt-ssbd", [26] = "amd-no-ssb",
        },
    },
    [FEAT_KVM] = {
        .leaf = 0x40000001, .reg = "EAX", .regno = 0,
        .names = {
            "kvmclock", "kvm-nopiodelay", "kvm-mmu", "kvmclock",
            "kvm-asyncpf", "kvm-steal-time", "kvm-pv-eoi", "kvm-pv-unhalt",
            NULL, "kvm-pv-tlb-flush", NULL, "kvm-pv-ipi",
            "kvm-poll-control", "kvm-pv-sched-yield", "kvm-asyncpf-int",
            "kvm-msi-ext-dest-id", [24] = "kvmclock-stable-bit",
        },
    },
    [FEAT_SVM] = {
        .leaf = 0x8000000a, .reg = "EDX", .regno = 3,
        .names = {
            "npt", "lbrv", "svm-lock", "nrip-save", "tsc-scale",
            "vmcb-clean", "flushbyasid", "decodeassists", NULL, NULL,
            "pause-filter", NULL, "pfthreshold", "avic", NULL,
            "v-vmsave-vmload", "vgif", [28] = "svme-addr-chk",
        },
    },
    [FEAT_XSAVE] = {
        .leaf = 0xd, .subleaf = 1, .reg = "EAX", .regno = 0,
        .names = {
            "xsaveopt", "xsavec", "xgetbv1", "xsaves", "xfd",
        },
    },
    [FEAT_6_EAX] = {
        .leaf = 6, .reg = "EAX", .regno = 0,
        .names = { [2] = "arat" },
    },
    /* Not named: set from the other words (x86_cpu_enable_xsave_components) */
    [FEAT_XSAVE_XCR0_LO] = {
        .leaf = 0xd, .reg = "EAX", .regno = 0,
    },
    [FEAT_XSAVE_XCR0_HI] = {
        .leaf = 0xd, .reg = "EDX", .regno = 3,
    },
};

/*
 * x86_ext_save_areas: the feature bits that enable each XSAVE state
 * component and its size (QEMU's X86XSaveArea layout structs).
 */
typedef struct XSaveComponent {
    FeatureWord w;
    uint32_t bits;
    uint32_t size;
} XSaveComponent;

static const XSaveComponent xsave_components[X86_XSAVE_COMPONENTS] = {
    [0] = { FEAT_1_ECX, CPUID_1_ECX_XSAVE, 576 },       /* x87 */
    [1] = { FEAT_1_ECX, CPUID_1_ECX_XSAVE, 576 },       /* SSE */
    [2] = { FEAT_1_ECX, CPUID_1_ECX_AVX, 256 },         /* YMM_Hi128 */
    [3] = { FEAT_7_0_EBX, CPUID_7_0_EBX_MPX, 64 },      /* BNDREGS */
    [4] = { FEAT_7_0_EBX, CPUID_7_0_EBX_MPX, 64 },      /* BNDCSR */
    [5] = { FEAT_7_0_EBX, CPUID_7_0_EBX_AVX512F, 64 },  /* opmask */
    [6] = { FEAT_7_0_EBX, CPUID_7_0_EBX_AVX512F, 512 }, /* ZMM_Hi256 */
    [7] = { FEAT_7_0_EBX, CPUID_7_0_EBX_AVX512F, 1024 }, /* Hi16_ZMM */
    [9] = { FEAT_7_0_ECX, CPUID_7_0_ECX_PKU, 8 },       /* PKRU */
    [15] = { FEAT_7_0_EDX, CPUID_7_0_EDX_ARCH_LBR, 808 }, /* arch LBR */
    [17] = { FEAT_7_0_EDX, CPUID_7_0_EDX_AMX_TILE, 64 }, /* XTILECFG */
    [18] = { FEAT_7_0_EDX, CPUID_7_0_EDX_AMX_TILE, 8192 }, /* XTILEDATA */
};

/* CPUID_XSTATE_XCR0_MASK: every component but the supervisor arch LBR. */
#define XSTATE_XCR0_MASK        0x602ffull

/* CPUID_EXT2_AMD_ALIASES: 0x80000001 EDX bits that copy CPUID.1 EDX. */
#define CPUID_EXT2_AMD_ALIASES  0x0183f3ffu

/* Properties that are not feature bits: accepted at QEMU's default only. */
typedef struct CPUBoolProp {
    const char *name;
    bool dflt;
} CPUBoolProp;

static const CPUBoolProp ignored_bool_props[] = {
    { "check", true },
    { "migratable", true },
    { "pmu", false },
    { "l3-cache", true },
    { "host-cache-info", false },
    { "lmce", false },
    { "full-cpuid-auto-level", true },
    { "cpuid-0xb", true },
    { "fill-mtrr-mask", true },
};

/* qemu64 (builtin_x86_defs) with kvm_default_props applied. */
#define QEMU64_1_EDX    0x078bfbfd
#define QEMU64_1_ECX    ((1u << 0) | (1u << 13) | CPUID_1_ECX_X2APIC | \
                         CPUID_1_ECX_HYPERVISOR)
#define QEMU64_EXT_EDX  ((1u << 29) | (1u << 11) | (1u << 20))
#define QEMU64_EXT_ECX  (1u << 0)
#define QEMU64_KVM      (KVM_FEATURE_BIT(0) | KVM_FEATURE_BIT(1) | \
                         KVM_FEATURE_BIT(3) | KVM_FEATURE_BIT(4) | \
                         KVM_FEATURE_BIT(5) | KVM_FEATURE_BIT(6) | \
                         KVM_FEATURE_BIT(24))
#define KVM_FEATURE_PV_UNHALT_BIT       7
#define KVM_FEATURE_MSI_EXT_DEST_ID_BIT 15

static X86CPUModel *current_model;

/* QEMU's feat2prop(): '_' is accepted for '-'. */
static char *feat2prop(const char *s)
{
    char *p = g_strdup(s);

    g_strdelimit(p, "_", '-');
    return p;
}

static bool feature_name_matches(const char *table_name, const char *prop)
{
    g_autofree char *alias = NULL;

    if (!strcmp(table_name, prop)) {
        return true;
    }
    /* "sse4.1" is also registered as "sse4-1". */
    alias = g_strdup(table_name);
    g_strdelimit(alias, ".", '-');
    return !strcmp(alias, prop);
}

/* Sets the bits named prop in mask; false when no feature has that name. */
static bool feature_lookup(const char *prop, FeatureWordArray mask)
{
    bool found = false;

    for (int w = 0; w < FEATURE_WORDS; w++) {
        for (int b = 0; b < 32; b++) {
            const char *n = feature_words[w].names[b];

            if (n && feature_name_matches(n, prop)) {
                mask[w] |= 1u << b;
                found = true;
            }
        }
    }
    return found;
}

static void mask_apply(FeatureWordArray dst, const FeatureWordArray bits,
                       bool set)
{
    for (int w = 0; w < FEATURE_WORDS; w++) {
        dst[w] = set ? dst[w] | bits[w] : dst[w] & ~bits[w];
    }
}

static bool parse_bool(const char *val, bool *out)
{
    if (!strcmp(val, "on") || !strcmp(val, "yes") || !strcmp(val, "true") ||
        !strcmp(val, "y")) {
        *out = true;
        return true;
    }
    if (!strcmp(val, "off") || !strcmp(val, "no") ||
        !strcmp(val, "false") || !strcmp(val, "n")) {
        *out = false;
        return true;
    }
    return false;
}

static bool cpu_parse_key_value(X86CPUModel *m, const char *feat,
                                Error **errp)
{
    const char *eq = strchr(feat, '=');
    g_autofree char *key = eq ? g_strndup(feat, eq - feat) : g_strdup(feat);
    g_autofree char *prop = feat2prop(key);
    const char *val = eq ? eq + 1 : "on";
    FeatureWordArray bits = { 0 };
    bool b;

    for (size_t i = 0; i < ARRAY_SIZE(ignored_bool_props); i++) {
        if (strcmp(prop, ignored_bool_props[i].name)) {
            continue;
        }
        if (!parse_bool(val, &b)) {
            error_setg(errp, "can't apply global %s.%s=%s: Parameter '%s' "
                       "expects 'on' or 'off'", m->type_name, prop, val,
                       prop);
            return false;
        }
        if (b != ignored_bool_props[i].dflt) {
            error_setg(errp, "CPU property '%s=%s' is not supported by "
                       "microqemu", prop, val);
            return false;
        }
        return true;
    }

    if (!strcmp(prop, "kvm") || !strcmp(prop, "enforce") ||
        feature_lookup(prop, bits)) {
        if (!parse_bool(val, &b)) {
            error_setg(errp, "can't apply global %s.%s=%s: Parameter '%s' "
                       "expects 'on' or 'off'", m->type_name, prop, val,
                       prop);
            return false;
        }
        if (!strcmp(prop, "kvm")) {
            m->expose_kvm = b;
        } else if (!strcmp(prop, "enforce")) {
            m->enforce = b;
        } else {
            /* Later settings override earlier ones, like QEMU globals. */
            mask_apply(b ? m->on : m->off, bits, true);
            mask_apply(b ? m->off : m->on, bits, false);
        }
        return true;
    }
    error_setg(errp, "can't apply global %s.%s=%s: Property '%s.%s' not "
               "found", m->type_name, prop, val, m->type_name, prop);
    return false;
}

X86CPUModel *x86_cpu_model_parse(const char *cpu_model, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(cpu_model ? cpu_model : "qemu64", ",",
                                     -1);
    g_autoptr(X86CPUModel) m = g_new0(X86CPUModel, 1);
    const char *name = parts[0] ? parts[0] : "";
    /* qemu64 is microvm's alias of qemu64-v1: the same model */
    const char *model = strcmp(name, "qemu64-v1") ? name : "qemu64";

    if (strcmp(model, "host") && strcmp(model, "max") &&
        strcmp(model, "qemu64")) {
        if (x86_cpu_model_known(name)) {
            error_setg(errp, "CPU model '%s' is not supported by microqemu "
                       "(supported: host, max, qemu64)", name);
        } else {
            error_setg(errp, "unable to find CPU model '%s'", name);
        }
        return NULL;
    }
    m->name = g_strdup(model);
    m->type_name = g_strdup_printf("%s-x86_64-cpu", name);
    m->expose_kvm = true;

    for (int i = 1; parts[i]; i++) {
        const char *feat = parts[i];

        if (!*feat) {
            continue;
        }
        if (feat[0] == '+' || feat[0] == '-') {
            g_autofree char *prop = feat2prop(feat + 1);
            FeatureWordArray bits = { 0 };

            if (!feature_lookup(prop, bits)) {
                error_setg(errp, "Property '%s.%s' not found", m->type_name,
                           prop);
                return NULL;
            }
            mask_apply(feat[0] == '+' ? m->plus : m->minus, bits, true);
            continue;
        }
        if (!cpu_parse_key_value(m, feat, errp)) {
            return NULL;
        }
    }
    return g_steal_pointer(&m);
}

void x86_cpu_model_free(X86CPUModel *model)
{
    if (!model) {
        return;
    }
    g_free(model->name);
    g_free(model->type_name);
    g_free(model);
}

bool x86_cpu_parse_model(const char *cpu_model, Error **errp)
{
    X86CPUModel *m = x86_cpu_model_parse(cpu_model, errp);

    if (!m) {
        return false;
    }
    x86_cpu_model_free(current_model);
    current_model = m;
    return true;
}

const X86CPUModel *x86_cpu_current_model(void)
{
    return current_model;
}

static uint32_t host_supported_reg(const X86HostCPUID *host, uint32_t leaf,
                                   uint32_t subleaf, int regno)
{
    for (unsigned i = 0; i < host->nsupported; i++) {
        const struct kvm_cpuid_entry2 *e = &host->supported[i];

        if (e->function == leaf && e->index == subleaf) {
            uint32_t regs[4] = { e->eax, e->ebx, e->ecx, e->edx };
            return regs[regno];
        }
    }
    return 0;
}

/* kvm_arch_get_supported_cpuid() for one feature word, fix-ups included. */
static uint32_t supported_word(const X86HostCPUID *host, FeatureWord w);

static uint32_t supported_word(const X86HostCPUID *host, FeatureWord w)
{
    const FeatureWordInfo *fi = &feature_words[w];
    uint32_t r = host_supported_reg(host, fi->leaf, fi->subleaf, fi->regno);

    switch (w) {
    case FEAT_1_EDX:
        /* MTRR, PAT, MCE, MCA are misreported by old KVM; HT is QEMU's. */
        r |= (1u << 12) | (1u << 16) | (1u << 7) | (1u << 14) |
             CPUID_1_EDX_HT;
        break;
    case FEAT_1_ECX:
        r |= CPUID_1_ECX_HYPERVISOR;
        if (host->irqchip_in_kernel && host->tsc_deadline_cap) {
            r |= CPUID_1_ECX_TSC_DEADLINE;
        }
        if (!host->irqchip_in_kernel) {
            r &= ~CPUID_1_ECX_X2APIC;
        }
        break;
    case FEAT_6_EAX:
        r |= 1u << 2;           /* ARAT: the APIC timer is emulated */
        break;
    case FEAT_8000_0001_ECX:
        /* Safe without KVM's word: keeps topoext models runnable. */
        r |= CPUID_8000_0001_ECX_TOPOEXT;
        break;
    case FEAT_8000_0001_EDX:
        /* KVM answers the Intel way: add the AMD copies of leaf 1. */
        r |= supported_word(host, FEAT_1_EDX) & CPUID_EXT2_AMD_ALIASES;
        break;
    case FEAT_XSAVE_XCR0_LO:
    case FEAT_XSAVE_XCR0_HI:
        /* Components that still need arch_prctl are not in KVM's leaf. */
        if (host->has_xcomp_guest_supp) {
            r = w == FEAT_XSAVE_XCR0_LO ? (uint32_t)host->xcomp_guest_supp
                                        : host->xcomp_guest_supp >> 32;
        }
        break;
    case FEAT_7_0_EDX:
        /* ERMS/FSRM host pass-through came after 7.2: not done here. */
        if (!host->has_msr_arch_capabs) {
            r &= ~CPUID_7_0_EDX_ARCH_CAPABILITIES;
        }
        break;
    case FEAT_KVM:
        if (!host->irqchip_in_kernel) {
            r &= ~KVM_FEATURE_BIT(KVM_FEATURE_PV_UNHALT_BIT);
        }
        if (host->irqchip_split) {
            r |= KVM_FEATURE_BIT(KVM_FEATURE_MSI_EXT_DEST_ID_BIT);
        }
        break;
    default:
        break;
    }
    return r;
}

static uint32_t named_bits(FeatureWord w)
{
    uint32_t m = 0;

    for (int b = 0; b < 32; b++) {
        if (feature_words[w].names[b]) {
            m |= 1u << b;
        }
    }
    return m;
}

static void cpuid_string(uint32_t *regs, const char *s, size_t nregs)
{
    char buf[48] = { 0 };

    memcpy(buf, s, MIN(strlen(s), nregs * 4));
    memcpy(regs, buf, nregs * 4);
}

static void resolve_base(const X86CPUModel *model, const X86HostCPUID *host,
                         X86CPUDef *def)
{
    memcpy(def->vendor, host->vendor, sizeof(def->vendor));
    def->phys_bits = host->phys_bits;

    if (!strcmp(model->name, "qemu64")) {
        def->level = 0xd;
        def->xlevel = 0x8000000a;
        def->version = 0x00060fb1;      /* family 15, model 107, step 1 */
        cpuid_string(def->brand, "QEMU Virtual CPU version 2.5+", 12);
        def->features[FEAT_1_EDX] = QEMU64_1_EDX;
        def->features[FEAT_1_ECX] = QEMU64_1_ECX;
        def->features[FEAT_8000_0001_EDX] = QEMU64_EXT_EDX;
        def->features[FEAT_8000_0001_ECX] = QEMU64_EXT_ECX;
        def->features[FEAT_KVM] = QEMU64_KVM;
        /* QEMU turns kvm-msi-ext-dest-id on with a split irqchip. */
        if (host->irqchip_split) {
            def->features[FEAT_KVM] |=
                KVM_FEATURE_BIT(KVM_FEATURE_MSI_EXT_DEST_ID_BIT);
        }
        return;
    }

    /* "host" and "max" on KVM: everything KVM offers that QEMU names. */
    def->level = host_supported_reg(host, 0, 0, 0);
    def->xlevel = host_supported_reg(host, 0x80000000, 0, 0);
    def->version = host->version;
    memcpy(def->brand, host->brand, sizeof(def->brand));
    for (int w = 0; w < FEATURE_WORDS; w++) {
        def->features[w] = supported_word(host, w) & named_bits(w) &
                           ~feature_words[w].unmigratable &
                           ~feature_words[w].no_autoenable;
    }
}

bool x86_cpu_def_is_amd(const X86CPUDef *def)
{
    return !memcmp(def->vendor, "AuthenticAMD", 12);
}

/* The leaf a feature word lives in raises the level of its range. */
static void adjust_feat_level(X86CPUDef *def, FeatureWord w)
{
    uint32_t leaf = feature_words[w].leaf;

    if (!def->features[w]) {
        return;
    }
    if (leaf >= 0x80000000) {
        def->xlevel = MAX(def->xlevel, leaf);
    } else if (leaf < 0x40000000) {
        def->level = MAX(def->level, leaf);
    }
}

/* mark_unavailable_features(): one warning per bit, in QEMU's words. */
static bool mark_unavailable(GPtrArray *unavailable, FeatureWord w,
                             uint32_t bits, const char *why)
{
    const FeatureWordInfo *fi = &feature_words[w];

    for (int b = 0; b < 32 && unavailable; b++) {
        if (!(bits & (1u << b))) {
            continue;
        }
        g_ptr_array_add(unavailable, g_strdup_printf(
            "%s: CPUID.%02" PRIX32 "H:%s%s%s [bit %d]", why, fi->leaf,
            fi->reg, fi->names[b] ? "." : "",
            fi->names[b] ? fi->names[b] : "", b));
    }
    return bits != 0;
}

/*
 * x86_cpu_expand_features() after the model's own words: feature
 * dependencies, kvm=off, the XSAVE components, full-cpuid-auto-level.
 * True when a feature the user asked for had to go.
 */
static bool expand_features(const X86CPUModel *model, X86CPUDef *def,
                            GPtrArray *unavailable)
{
    static const FeatureWord auto_level[] = {
        FEAT_7_0_EBX, FEAT_1_EDX, FEAT_1_ECX, FEAT_6_EAX, FEAT_7_0_ECX,
        FEAT_7_1_EAX, FEAT_8000_0001_EDX, FEAT_8000_0001_ECX,
        FEAT_8000_0007_EDX, FEAT_8000_0008_EBX, FEAT_SVM, FEAT_XSAVE,
    };
    uint32_t *f = def->features;
    uint64_t mask = 0;
    bool missing = false;

    /* feature_dependencies: svm -> FEAT_SVM (the only one of our words) */
    if (!(f[FEAT_8000_0001_ECX] & CPUID_8000_0001_ECX_SVM)) {
        uint32_t asked = model->on[FEAT_SVM] | model->plus[FEAT_SVM];

        missing = mark_unavailable(unavailable, FEAT_SVM, f[FEAT_SVM] & asked,
                                   "This feature depends on other features "
                                   "that were not requested");
        f[FEAT_SVM] = 0;
    }
    if (!def->expose_kvm) {
        f[FEAT_KVM] = 0;
    }

    /* x86_cpu_enable_xsave_components() */
    if (f[FEAT_1_ECX] & CPUID_1_ECX_XSAVE) {
        for (int i = 0; i < X86_XSAVE_COMPONENTS; i++) {
            const XSaveComponent *c = &xsave_components[i];

            if (c->bits && (f[c->w] & c->bits)) {
                mask |= 1ull << i;
            }
        }
    }
    f[FEAT_XSAVE_XCR0_LO] = mask & XSTATE_XCR0_MASK;
    f[FEAT_XSAVE_XCR0_HI] = (mask & XSTATE_XCR0_MASK) >> 32;

    for (size_t i = 0; i < ARRAY_SIZE(auto_level); i++) {
        adjust_feat_level(def, auto_level[i]);
    }
    if (f[FEAT_7_0_EBX] & CPUID_7_0_EBX_INTEL_PT) {
        def->level = MAX(def->level, 0x14);     /* intel-pt-auto-level */
    }
    if (f[FEAT_8000_0001_ECX] & CPUID_8000_0001_ECX_SVM) {
        def->xlevel = MAX(def->xlevel, 0x8000000a);
    }
    if (f[FEAT_7_0_EBX] & CPUID_7_0_EBX_SGX) {
        def->level = MAX(def->level, 0x12);
    }
    return missing;
}

/*
 * kvm_cpu_xsave_init(): a component's offset and flags come from the
 * host's CPUID when KVM supports its feature; x87 and SSE sit at 0.
 */
static void xsave_layout(const X86HostCPUID *host, X86CPUDef *def)
{
    for (int i = 2; i < X86_XSAVE_COMPONENTS; i++) {
        const XSaveComponent *c = &xsave_components[i];

        if (!c->size ||
            (supported_word(host, c->w) & c->bits) != c->bits ||
            !host->xsave_size[i]) {
            continue;
        }
        def->xsave_offset[i] = host->xsave_offset[i];
        def->xsave_flags[i] = host->xsave_flags[i];
    }
}

uint32_t x86_cpu_xsave_size(const X86CPUDef *def, uint64_t mask,
                            bool compacted)
{
    uint32_t size = xsave_components[0].size;

    for (int i = 2; i < X86_XSAVE_COMPONENTS; i++) {
        uint32_t offset;

        if (!(mask & (1ull << i))) {
            continue;
        }
        offset = compacted ? size : def->xsave_offset[i];
        size = MAX(size, offset + xsave_components[i].size);
    }
    return size;
}

uint32_t x86_cpu_xsave_component_size(int i)
{
    return i < X86_XSAVE_COMPONENTS ? xsave_components[i].size : 0;
}

bool x86_cpu_resolve(const X86CPUModel *model, const X86HostCPUID *host,
                     X86CPUDef *def, GPtrArray *unavailable, Error **errp)
{
    bool missing = false;

    memset(def, 0, sizeof(*def));
    resolve_base(model, host, def);
    def->expose_kvm = model->expose_kvm;
    mask_apply(def->features, model->on, true);
    mask_apply(def->features, model->off, false);
    mask_apply(def->features, model->plus, true);
    mask_apply(def->features, model->minus, false);
    missing = expand_features(model, def, unavailable);

    /* x86_cpu_filter_features(): drop and report what KVM cannot give. */
    for (int w = 0; w < FEATURE_WORDS; w++) {
        uint32_t lost = def->features[w] & ~supported_word(host, w);

        missing |= mark_unavailable(unavailable, w, lost,
                                    "host doesn't support requested "
                                    "feature");
        def->features[w] &= ~lost;
    }
    if (missing && model->enforce) {
        error_setg(errp, "Host doesn't support requested features");
        return false;
    }
    /* x86_cpu_realizefn(): on AMD the aliases follow CPUID.1 EDX. */
    if (x86_cpu_def_is_amd(def)) {
        def->features[FEAT_8000_0001_EDX] =
            (def->features[FEAT_8000_0001_EDX] & ~CPUID_EXT2_AMD_ALIASES) |
            (def->features[FEAT_1_EDX] & CPUID_EXT2_AMD_ALIASES);
    }
    xsave_layout(host, def);
    return true;
}
