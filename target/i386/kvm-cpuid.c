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
        *ecx = f[FEAT_1_ECX];
        *edx = f[FEAT_1_EDX];
        if (per_pkg > 1) {
            *ebx |= per_pkg << 16;
            *edx |= CPUID_1_EDX_HT;
        }
        break;
    case 2:
        /* Legacy descriptors: L1d/L1i/L2/L3 as QEMU's cache tables. */
        *eax = 0x00000001;
        *ecx = 0x0000004d;
        *edx = 0x002c307d;
        break;
    case 4:
        cpuid_leaf4(topo, subleaf, eax, ebx, ecx, edx);
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
        /*
         * Without XSAVE (the case on these hosts) the leaf is all zero.
         * With it, KVM's own view of the components is passed on.
         */
        break;
    case 0x80000001:
        *eax = def->version;
        *ecx = f[FEAT_8000_0001_ECX];
        *edx = f[FEAT_8000_0001_EDX];
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
        *eax = def->phys_bits |
               ((f[FEAT_7_0_ECX] & CPUID_7_0_ECX_LA57 ? 57 : 48) << 8);
        *ebx = f[FEAT_8000_0008_EBX];
        if (per_pkg > 1) {
            *ecx = (per_pkg - 1) | (pkg_offset(topo) << 12);
        }
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
        fill(c, def, topo, apic_id, i, 0, 0);
        if (entry_is_zero(c)) {
            table_release(&t);
        }
    }
    return t.entries;
}
