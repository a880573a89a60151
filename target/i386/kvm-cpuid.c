/*
 * The CPUID table a vCPU gets through KVM_SET_CPUID2.
 * Source of truth: QEMU 7.2 target/i386/cpu.c cpu_x86_cpuid() (leaf
 * values, legacy cache descriptors, topology leaves),
 * include/hw/i386/topology.h (APIC id layout) and target/i386/kvm/kvm.c
 * kvm_arch_init_vcpu() (which leaves and sub-leaves, in what order),
 * checked against the table QEMU 7.2 hands KVM on this project's hosts.
 */
#include "qemu/osdep.h"
#include "target/i386/cpu.h"

/* The KVM paravirt signature leaf QEMU 7.2 exposes with kvm=on. */
#define KVM_CPUID_SIGNATURE     0x40000000
#define KVM_CPUID_FEATURES      0x40000001

/* Bits needed to hold count distinct ids (apicid_bitwidth_for_count). */
static unsigned bitwidth_for_count(unsigned count)
{
    return count <= 1 ? 0 : 32 - __builtin_clz(count - 1);
}

static unsigned topo_dies(const X86CPUTopology *t)
{
    return t->dies ? t->dies : 1;
}

static unsigned smt_width(const X86CPUTopology *t)
{
    return bitwidth_for_count(t->threads);
}

static unsigned core_offset(const X86CPUTopology *t)
{
    return smt_width(t);
}

static unsigned die_offset(const X86CPUTopology *t)
{
    return core_offset(t) + bitwidth_for_count(t->cores);
}

static unsigned pkg_offset(const X86CPUTopology *t)
{
    return die_offset(t) + bitwidth_for_count(topo_dies(t));
}

uint32_t x86_apicid_from_cpu_idx(const X86CPUTopology *topo, unsigned idx)
{
    unsigned threads = topo->threads, cores = topo->cores;
    unsigned dies = topo_dies(topo);
    unsigned smt = idx % threads;
    unsigned core = idx / threads % cores;
    unsigned die = idx / (threads * cores) % dies;
    unsigned pkg = idx / (threads * cores * dies);

    return (pkg << pkg_offset(topo)) | (die << die_offset(topo)) |
           (core << core_offset(topo)) | smt;
}

/*
 * QEMU's legacy Intel cache descriptors (legacy_l1d_cache & co.) encoded
 * as leaf 4 EBX/ECX/EDX, and EAX's type/level/self-init bits.
 */
typedef struct Cache4 {
    uint32_t eax_low, ebx, ecx, edx;
} Cache4;

static const Cache4 cache4[] = {
    { 0x121, 0x01c0003f, 0x0000003f, 0x00000001 },  /* L1d 32K 8-way */
    { 0x122, 0x01c0003f, 0x0000003f, 0x00000001 },  /* L1i 32K 8-way */
    { 0x143, 0x03c0003f, 0x00000fff, 0x00000001 },  /* L2 4M 16-way */
    { 0x163, 0x03c0003f, 0x00003fff, 0x00000006 },  /* L3 16M 16-way */
};

static void cpuid_leaf4(const X86CPUTopology *t, uint32_t count,
                        uint32_t *eax, uint32_t *ebx, uint32_t *ecx,
                        uint32_t *edx)
{
    unsigned sharing;

    if (count >= ARRAY_SIZE(cache4)) {
        *eax = *ebx = *ecx = *edx = 0;
        return;
    }
    /* Logical processors sharing the cache: encode_cache_cpuid4(). */
    switch (count) {
    case 0:
    case 1:
        sharing = 1;
        break;
    case 2:
        sharing = t->threads;
        break;
    default:
        sharing = 1u << die_offset(t);
        break;
    }
    *eax = cache4[count].eax_low | ((t->cores - 1) << 26) |
           ((sharing - 1) << 14);
    *ebx = cache4[count].ebx;
    *ecx = cache4[count].ecx;
    *edx = cache4[count].edx;
}

/*
 * CPUID 0x8000001D: QEMU's legacy AMD caches (legacy_l1d_cache_amd,
 * legacy_l1i_cache_amd, legacy_l2_cache_amd, legacy_l3_cache) through
 * encode_cache_cpuid8000001d().
 */
static const Cache4 cache8000001d[] = {
    { 0x121, 0x0040003f, 0x000001ff, 0x00000001 },  /* L1d 64K 2-way */
    { 0x122, 0x0040003f, 0x000001ff, 0x00000001 },  /* L1i 64K 2-way */
    { 0x043, 0x03c0003f, 0x000001ff, 0x00000000 },  /* L2 512K 16-way */
    { 0x163, 0x03c0003f, 0x00003fff, 0x00000006 },  /* L3 16M 16-way */
};

static void cpuid_leaf_8000001d(const X86CPUTopology *t, uint32_t count,
                                uint32_t *eax, uint32_t *ebx, uint32_t *ecx,
                                uint32_t *edx)
{
    /* Threads sharing: the whole die for L3, the core below it. */
    unsigned sharing = count == 3 ? t->cores * t->threads : t->threads;

    if (count >= ARRAY_SIZE(cache8000001d)) {
        *eax = *ebx = *ecx = *edx = 0;
        return;
    }
    *eax = cache8000001d[count].eax_low | ((sharing - 1) << 14);
    *ebx = cache8000001d[count].ebx;
    *ecx = cache8000001d[count].ecx;
    *edx = cache8000001d[count].edx;
}

/* CPUID 0x8000001E: encode_topo_cpuid8000001e(). */
static void cpuid_leaf_8000001e(const X86CPUTopology *t, uint32_t apic_id,
                                uint32_t *eax, uint32_t *ebx, uint32_t *ecx)
{
    uint32_t core_mask = (1u << bitwidth_for_count(t->cores)) - 1;
    uint32_t core_id = (apic_id >> core_offset(t)) & core_mask;

    *eax = apic_id;
    *ebx = ((t->threads - 1) << 8) | (core_id & 0xff);
    *ecx = ((topo_dies(t) - 1) << 8) | ((apic_id >> die_offset(t)) & 0xff);
}

/*
 * CPUID 0xD, QEMU 7.2 cpu_x86_cpuid(): sizes from QEMU's own save-area
 * structs, offsets and flags as kvm_cpu_xsave_init() took them from the
 * host. Supervisor components (XSS) never reach here: QEMU only has
 * arch LBR there, which needs pmu=on.
 */
#define XSAVE_ESA_FLAGS         0x6     /* ALIGN64 | XFD */

static void cpuid_leaf_d(const X86CPUDef *def, uint32_t count,
                         uint32_t *eax, uint32_t *ebx, uint32_t *ecx,
                         uint32_t *edx)
{
    const uint32_t *f = def->features;
    uint64_t xcr0 = ((uint64_t)f[FEAT_XSAVE_XCR0_HI] << 32) |
                    f[FEAT_XSAVE_XCR0_LO];

    if (!(f[FEAT_1_ECX] & CPUID_1_ECX_XSAVE)) {
        return;
    }
    switch (count) {
    case 0:
        *eax = f[FEAT_XSAVE_XCR0_LO];
        *edx = f[FEAT_XSAVE_XCR0_HI];
        /* EBX is ECX under KVM (the CentOS 6 workaround). */
        *ecx = x86_cpu_xsave_size(def, xcr0, false);
        *ebx = *ecx;
        break;
    case 1:
        *eax = f[FEAT_XSAVE];
        *ebx = x86_cpu_xsave_size(def, xcr0, true);
        break;
    default:
        if (count < 64 && (xcr0 & (1ull << count))) {
            *eax = x86_cpu_xsave_component_size(count);
            *ebx = def->xsave_offset[count];
            *ecx = def->xsave_flags[count] & XSAVE_ESA_FLAGS;
        }
        break;
    }
}

static void cpuid_leaf_b(const X86CPUTopology *t, uint32_t apic_id,
                         uint32_t count, uint32_t *eax, uint32_t *ebx,
                         uint32_t *ecx, uint32_t *edx)
{
    *ecx = count & 0xff;
    *edx = apic_id;
    switch (count) {
    case 0:
        *eax = core_offset(t);
        *ebx = t->threads;
        *ecx |= 1 << 8;                 /* level type SMT */
        break;
    case 1:
        *eax = pkg_offset(t);
        *ebx = t->cores * t->threads;
        *ecx |= 2 << 8;                 /* level type core */
        break;
    default:
        *eax = *ebx = 0;
        break;
    }
}

void x86_cpuid_leaf(const X86CPUDef *def, const X86CPUTopology *topo,
                    uint32_t apic_id, uint32_t leaf, uint32_t subleaf,
                    uint32_t *eax, uint32_t *ebx, uint32_t *ecx,
                    uint32_t *edx)
{
    const uint32_t *f = def->features;
    unsigned per_pkg = topo->cores * topo->threads;
    bool amd = x86_cpu_def_is_amd(def);

    *eax = *ebx = *ecx = *edx = 0;
    switch (leaf) {
    case 0:
    case 0x80000000:
        *eax = leaf ? def->xlevel : def->level;
        *ebx = def->vendor[0];
        *edx = def->vendor[1];
        *ecx = def->vendor[2];
        break;
    case 1:
        *eax = def->version;
        *ebx = (apic_id << 24) | (8 << 8);  /* CLFLUSH line 8 qwords */
        /* pmu=off (QEMU's default) hides PDCM. */
        *ecx = f[FEAT_1_ECX] & ~CPUID_1_ECX_PDCM;
        *edx = f[FEAT_1_EDX];
        if (per_pkg > 1) {
            *ebx |= per_pkg << 16;
            *edx |= CPUID_1_EDX_HT;
        }
        break;
    case 2:
        /* x-vendor-cpuid-only: no Intel cache leaves on an AMD model. */
        if (amd) {
            break;
        }
        /* Legacy descriptors: L1d/L1i/L2/L3 as QEMU's cache tables. */
        *eax = 0x00000001;
        *ecx = 0x0000004d;
        *edx = 0x002c307d;
        break;
    case 4:
        if (!amd) {
            cpuid_leaf4(topo, subleaf, eax, ebx, ecx, edx);
        }
        break;
    case 5:
        *ecx = 3;               /* MWAIT extensions, interrupt break */
        break;
    case 6:
        *eax = f[FEAT_6_EAX];
        break;
    case 7:
        if (subleaf == 0) {
            *eax = f[FEAT_7_1_EAX] ? 1 : 0;
            *ebx = f[FEAT_7_0_EBX];
            *ecx = f[FEAT_7_0_ECX];
            *edx = f[FEAT_7_0_EDX];
        } else if (subleaf == 1) {
            *eax = f[FEAT_7_1_EAX];
        }
        break;
    case 0xb:
        cpuid_leaf_b(topo, apic_id, subleaf, eax, ebx, ecx, edx);
        break;
    case 0xd:
        cpuid_leaf_d(def, subleaf, eax, ebx, ecx, edx);
        break;
    case 0x14:
        /* Intel PT: the fixed capabilities QEMU emulates. */
        if (!(f[FEAT_7_0_EBX] & CPUID_7_0_EBX_INTEL_PT)) {
            break;
        }
        if (subleaf == 0) {
            *eax = 1;                   /* INTEL_PT_MAX_SUBLEAF */
            *ebx = 0xf;                 /* INTEL_PT_MINIMAL_EBX */
            *ecx = 0x7;                 /* INTEL_PT_MINIMAL_ECX */
        } else if (subleaf == 1) {
            *eax = (0x0249 << 16) | 0x2;    /* MTC bitmap, 2 ranges */
            *ebx = (0x003f << 16) | 0x1fff; /* PSB, cycle bitmaps */
        }
        break;
    case 0x1d:
        /* AMX tile palette 1: 8 KiB in 8 tiles of 16 rows of 64 bytes. */
        if (!(f[FEAT_7_0_EDX] & CPUID_7_0_EDX_AMX_TILE)) {
            break;
        }
        if (subleaf == 0) {
            *eax = 1;
        } else if (subleaf == 1) {
            *eax = 0x2000 | (0x400 << 16);
            *ebx = 0x40 | (0x8 << 16);
            *ecx = 0x10;
        }
        break;
    case 0x1e:
        /* AMX TMUL: K = 16, N = 64. */
        if ((f[FEAT_7_0_EDX] & CPUID_7_0_EDX_AMX_TILE) && subleaf == 0) {
            *ebx = 0x10 | (0x40 << 8);
        }
        break;
    case 0x80000001:
        *eax = def->version;
        *ecx = f[FEAT_8000_0001_ECX];
        *edx = f[FEAT_8000_0001_EDX];
        /* CmpLegacy, except for Intel (Linux drops SMT info on it). */
        if (per_pkg > 1 && memcmp(def->vendor, "GenuineIntel", 12)) {
            *ecx |= CPUID_8000_0001_ECX_CMP_LEGACY;
        }
        break;
    case 0x80000002:
    case 0x80000003:
    case 0x80000004:
        *eax = def->brand[(leaf - 0x80000002) * 4];
        *ebx = def->brand[(leaf - 0x80000002) * 4 + 1];
        *ecx = def->brand[(leaf - 0x80000002) * 4 + 2];
        *edx = def->brand[(leaf - 0x80000002) * 4 + 3];
        break;
    case 0x80000005:
        /* AMD-style L1 TLB and cache descriptors (QEMU's constants). */
        *eax = 0x01ff01ff;
        *ebx = 0x01ff01ff;
        *ecx = 0x40020140;
        *edx = 0x40020140;
        break;
    case 0x80000006:
        *ebx = 0x42004200;
        *ecx = 0x02008140;
        *edx = 0x00808140;
        break;
    case 0x80000007:
        *edx = f[FEAT_8000_0007_EDX];
        break;
    case 0x80000008:
        *eax = def->phys_bits;
        /* Linear address bits only on a 64-bit model. */
        if (f[FEAT_8000_0001_EDX] & CPUID_8000_0001_EDX_LM) {
            *eax |= (f[FEAT_7_0_ECX] & CPUID_7_0_ECX_LA57 ? 57 : 48) << 8;
        }
        *ebx = f[FEAT_8000_0008_EBX];
        if (per_pkg > 1) {
            *ecx = (per_pkg - 1) | (pkg_offset(topo) << 12);
        }
        break;
    case 0x8000000a:
        /* SVM revision 1, 16 ASIDs, the optional features of FEAT_SVM. */
        if (f[FEAT_8000_0001_ECX] & CPUID_8000_0001_ECX_SVM) {
            *eax = 1;
            *ebx = 0x10;
            *edx = f[FEAT_SVM];
        }
        break;
    case 0x8000001d:
        cpuid_leaf_8000001d(topo, subleaf, eax, ebx, ecx, edx);
        break;
    case 0x8000001e:
        cpuid_leaf_8000001e(topo, apic_id, eax, ebx, ecx);
        break;
    default:
        break;
    }
}

/*
 * Slot allocation copies kvm_arch_init_vcpu(): a slot is claimed before
 * a leaf is computed and released only in the places QEMU releases it,
 * so its zero-filled or left-over entries (4.4, 0xb.2, 0xd.63...) are
 * reproduced exactly.
 */
typedef struct CPUIDTable {
    GArray *entries;
} CPUIDTable;

static struct kvm_cpuid_entry2 *table_claim(CPUIDTable *t)
{
    struct kvm_cpuid_entry2 zero = { 0 };

    g_array_append_val(t->entries, zero);
    return &g_array_index(t->entries, struct kvm_cpuid_entry2,
                          t->entries->len - 1);
}

static void table_release(CPUIDTable *t)
{
    g_array_set_size(t->entries, t->entries->len - 1);
}

static void fill(struct kvm_cpuid_entry2 *c, const X86CPUDef *def,
                 const X86CPUTopology *topo, uint32_t apic_id,
                 uint32_t leaf, uint32_t subleaf, uint32_t flags)
{
    c->function = leaf;
    c->index = subleaf;
    c->flags = flags;
    x86_cpuid_leaf(def, topo, apic_id, leaf, subleaf, &c->eax, &c->ebx,
                   &c->ecx, &c->edx);
}

static bool entry_is_zero(const struct kvm_cpuid_entry2 *c)
{
    return !c->eax && !c->ebx && !c->ecx && !c->edx;
}

static void build_basic_leaf(CPUIDTable *t, const X86CPUDef *def,
                             const X86CPUTopology *topo, uint32_t apic_id,
                             uint32_t i)
{
    const uint32_t sig = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
    struct kvm_cpuid_entry2 *c = table_claim(t);
    uint32_t j, times;

    switch (i) {
    case 2:
        fill(c, def, topo, apic_id, 2, 0, KVM_CPUID_FLAG_STATEFUL_FUNC |
             KVM_CPUID_FLAG_STATE_READ_NEXT);
        times = c->eax & 0xff;
        for (j = 1; j < times; j++) {
            c = table_claim(t);
            fill(c, def, topo, apic_id, 2, 0, KVM_CPUID_FLAG_STATEFUL_FUNC);
        }
        break;
    case 0x1f:
        if (topo_dies(topo) < 2) {
            table_release(t);
            break;
        }
        /* fall through */
    case 4:
    case 0xb:
    case 0xd:
        for (j = 0; ; j++) {
            if ((i == 0xd || i == 0x1f) && j == 64) {
                break;
            }
            fill(c, def, topo, apic_id, i, j, sig);
            if (i == 4 && c->eax == 0) {
                break;
            }
            if ((i == 0xb || i == 0x1f) && !(c->ecx & 0xff00)) {
                break;
            }
            if (i == 0xd && c->eax == 0) {
                continue;
            }
            c = table_claim(t);
        }
        break;
    case 7:
    case 0x14:
    case 0x1d:
    case 0x1e:
        fill(c, def, topo, apic_id, i, 0, sig);
        times = c->eax;
        for (j = 1; j <= times; j++) {
            c = table_claim(t);
            fill(c, def, topo, apic_id, i, j, sig);
        }
        break;
    case 0x12:
        for (j = 0; ; j++) {
            fill(c, def, topo, apic_id, i, j, sig);
            if (j > 1 && (c->eax & 0xf) != 1) {
                break;
            }
            c = table_claim(t);
        }
        break;
    default:
        fill(c, def, topo, apic_id, i, 0, 0);
        if (entry_is_zero(c)) {
            table_release(t);
        }
        break;
    }
}

GArray *x86_cpuid_build_table(const X86CPUDef *def,
                              const X86CPUTopology *topo, uint32_t apic_id)
{
    CPUIDTable t = {
        .entries = g_array_new(false, true, sizeof(struct kvm_cpuid_entry2)),
    };
    struct kvm_cpuid_entry2 *c;
    uint32_t i;

    if (def->expose_kvm) {
        c = table_claim(&t);
        c->function = KVM_CPUID_SIGNATURE;
        c->eax = KVM_CPUID_FEATURES;
        memcpy(&c->ebx, "KVMK", 4);
        memcpy(&c->ecx, "VMKV", 4);
        memcpy(&c->edx, "M\0\0\0", 4);
        c = table_claim(&t);
        c->function = KVM_CPUID_FEATURES;
        c->eax = def->features[FEAT_KVM];
    }
    for (i = 0; i <= def->level; i++) {
        build_basic_leaf(&t, def, topo, apic_id, i);
    }
    for (i = 0x80000000; i <= def->xlevel && i >= 0x80000000; i++) {
        c = table_claim(&t);
        if (i == 0x8000001d) {
            /* Every AMD cache sub-leaf, up to and with the empty one. */
            for (uint32_t j = 0; ; j++) {
                fill(c, def, topo, apic_id, i, j,
                     KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
                if (c->eax == 0) {
                    break;
                }
                c = table_claim(&t);
            }
            continue;
        }
        fill(c, def, topo, apic_id, i, 0, 0);
        if (entry_is_zero(c)) {
            table_release(&t);
        }
    }
    return t.entries;
}
