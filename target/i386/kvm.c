/*
 * The x86 side of the KVM accelerator: the VM's identity map and TSS,
 * the MSR index list, the host's CPUID as KVM offers it, the vCPUs
 * (created from the resolved -cpu model, reset, dumped).
 * Source of truth: QEMU 7.2 target/i386/kvm/kvm.c kvm_arch_init()
 * (identity map at 0xfeffc000, TSS right after it; kvm_get_supported_msrs)
 * and kvm_arch_get_supported_cpuid() (KVM_GET_SUPPORTED_CPUID, grown
 * until it fits), kvm_arch_init_vcpu(), x86_cpus_init() in
 * hw/i386/x86.c (vCPU i gets APIC id x86_apicid_from_cpu_idx(i)).
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"
#include "target/i386/kvm-i386.h"
#include <asm/kvm_para.h>
#include <cpuid.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#define KVM_IDENTITY_BASE       0xfeffc000
#define KVM_TSS_BASE            (KVM_IDENTITY_BASE + 0x1000)

static GArray *msr_indices;         /* of uint32_t */
static X86CPUDef cpu_def;           /* the resolved -cpu, all vCPUs */

static void kvm_load_msr_indices(void)
{
    struct kvm_msr_list probe = { .nmsrs = 0 };
    g_autofree struct kvm_msr_list *list = NULL;

    msr_indices = g_array_new(false, false, sizeof(uint32_t));
    /* The first call fails with E2BIG and says how many there are. */
    if (ioctl(kvm_sys_fd(), KVM_GET_MSR_INDEX_LIST, &probe) < 0 &&
        errno != E2BIG) {
        return;
    }
    list = g_malloc0(sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
    list->nmsrs = probe.nmsrs;
    if (ioctl(kvm_sys_fd(), KVM_GET_MSR_INDEX_LIST, list) < 0) {
        return;
    }
    g_array_append_vals(msr_indices, list->indices, list->nmsrs);
}

bool kvm_has_msr(uint32_t msr)
{
    if (!msr_indices) {
        return false;
    }
    for (guint i = 0; i < msr_indices->len; i++) {
        if (g_array_index(msr_indices, uint32_t, i) == msr) {
            return true;
        }
    }
    return false;
}

static uint32_t host_cpuid_reg(uint32_t leaf, int reg)
{
    unsigned r[4] = { 0 };

    __cpuid_count(leaf, 0, r[0], r[1], r[2], r[3]);
    return r[reg];
}

static const struct kvm_cpuid_entry2 *supported_entry(
    const struct kvm_cpuid2 *c, uint32_t leaf, uint32_t index)
{
    for (unsigned i = 0; i < c->nent; i++) {
        if (c->entries[i].function == leaf && c->entries[i].index == index) {
            return &c->entries[i];
        }
    }
    return NULL;
}

/*
 * Where the host lays out each XSAVE component KVM can give a guest
 * (QEMU 7.2 kvm_cpu_xsave_init reads host CPUID 0xD.i), and the
 * components still needing arch_prctl (kvm_arch_get_supported_cpuid's
 * KVM_X86_XCOMP_GUEST_SUPP fix-up). KVM's own 0xD.i entries are the
 * host's CPUID (do_host_cpuid), so the CPUID instruction, which traps on
 * a nested host, runs only for components KVM's table leaves out.
 */
static void host_xsave_layout(X86HostCPUID *host, const struct kvm_cpuid2 *c)
{
    const struct kvm_cpuid_entry2 *e = supported_entry(c, 0xd, 0);
    uint64_t xcr0 = e ? ((uint64_t)e->edx << 32) | e->eax : 0;
    struct kvm_device_attr attr = {
        .group = 0,
        .attr = KVM_X86_XCOMP_GUEST_SUPP,
        .addr = (uintptr_t)&host->xcomp_guest_supp,
    };
    unsigned r[4];

    if (kvm_check_extension(KVM_CAP_SYS_ATTRIBUTES) > 0 &&
        ioctl(kvm_sys_fd(), KVM_GET_DEVICE_ATTR, &attr) == 0) {
        host->has_xcomp_guest_supp = true;
        xcr0 |= host->xcomp_guest_supp;
    }
    for (int i = 2; i < X86_XSAVE_COMPONENTS; i++) {
        if (!(xcr0 & (1ull << i))) {
            continue;
        }
        e = supported_entry(c, 0xd, i);
        if (e && e->eax) {
            r[0] = e->eax;
            r[1] = e->ebx;
            r[2] = e->ecx;
        } else {
            __cpuid_count(0xd, i, r[0], r[1], r[2], r[3]);
        }
        host->xsave_size[i] = r[0];
        host->xsave_offset[i] = r[1];
        host->xsave_flags[i] = r[2];
    }
}

bool kvm_get_host_cpuid(X86HostCPUID *host, Error **errp)
{
    static struct kvm_cpuid2 *cache;
    unsigned r[4];
    unsigned max = 64;
    unsigned ext_max;

    while (!cache) {
        struct kvm_cpuid2 *c = g_malloc0(sizeof(*c) +
                                         max * sizeof(c->entries[0]));

        c->nent = max;
        if (ioctl(kvm_sys_fd(), KVM_GET_SUPPORTED_CPUID, c) == 0) {
            cache = c;
            break;
        }
        g_free(c);
        if (errno != E2BIG || max >= 4096) {
            error_setg(errp, "KVM_GET_SUPPORTED_CPUID failed: %s",
                       strerror(errno));
            return false;
        }
        max *= 2;
    }
    memset(host, 0, sizeof(*host));
    host->supported = cache->entries;
    host->nsupported = cache->nent;
    /* One CPUID per leaf: each one traps to the hypervisor on a VM host. */
    __cpuid_count(0, 0, r[0], r[1], r[2], r[3]);
    host->vendor[0] = r[1];
    host->vendor[1] = r[3];
    host->vendor[2] = r[2];
    host->version = host_cpuid_reg(1, 0);
    ext_max = host_cpuid_reg(0x80000000, 0);
    if (ext_max >= 0x80000004) {
        for (int i = 0; i < 3; i++) {
            __cpuid_count(0x80000002 + i, 0, r[0], r[1], r[2], r[3]);
            memcpy(&host->brand[i * 4], r, sizeof(r));
        }
    }
    host->phys_bits = ext_max >= 0x80000008 ?
                      host_cpuid_reg(0x80000008, 0) & 0xff : 36;
    host->irqchip_in_kernel = kvm_irqchip_mode() != KVM_IRQCHIP_MODE_OFF;
    host->irqchip_split = kvm_irqchip_mode() == KVM_IRQCHIP_MODE_SPLIT;
    host->tsc_deadline_cap =
        kvm_check_extension(KVM_CAP_TSC_DEADLINE_TIMER) > 0;
    host->has_msr_arch_capabs = kvm_has_msr(0x10a);
    host_xsave_layout(host, cache);
    return true;
}

bool kvm_arch_init(Error **errp)
{
    uint64_t identity_base = KVM_IDENTITY_BASE;

    kvm_arch_cleanup();
    kvm_load_msr_indices();
    if (ioctl(kvm_vm_fd(), KVM_SET_IDENTITY_MAP_ADDR, &identity_base) < 0) {
        error_setg_errno(errp, errno, "ioctl(KVM_SET_IDENTITY_MAP_ADDR) "
                         "failed");
        return false;
    }
    if (ioctl(kvm_vm_fd(), KVM_SET_TSS_ADDR,
              (unsigned long)KVM_TSS_BASE) < 0) {
        error_setg_errno(errp, errno, "ioctl(KVM_SET_TSS_ADDR) failed");
        return false;
    }
    return true;
}

void kvm_arch_cleanup(void)
{
    if (msr_indices) {
        g_array_free(msr_indices, true);
        msr_indices = NULL;
    }
}

static bool vcpu_create(unsigned index, const X86CPUTopology *topo,
                        Error **errp)
{
    X86VCPU *cpu = g_new0(X86VCPU, 1);

    cpu->parent_obj.cpu_index = index;
    cpu->apic_id = x86_apicid_from_cpu_idx(topo, index);
    cpu->parent_obj.vcpu_id = cpu->apic_id;
    cpu->def = &cpu_def;
    cpu->cpuid = x86_cpuid_build_table(&cpu_def, topo, cpu->apic_id);
    /* KVM_CREATE_VCPU, then kvm_arch_init_vcpu() (CPUID, MCE) */
    return kvm_init_vcpu(&cpu->parent_obj, errp) && x86_vcpu_reset(cpu, errp);
}

/* arch_prctl(2) code and the one dynamic XSAVE component QEMU 7.2 has. */
#define ARCH_REQ_XCOMP_GUEST_PERM   0x1025
#define XSTATE_XTILE_DATA_BIT       18

/*
 * kvm_request_xsave_components(): a dynamic XSAVE component (AMX tile
 * data) must be permitted to the process before KVM_SET_CPUID2 may put
 * it in a guest's XCR0. Kernels before 5.17 have no such call, but then
 * KVM offers no dynamic component either.
 */
static void request_xsave_components(const X86CPUDef *def)
{
    if (!(def->features[FEAT_XSAVE_XCR0_LO] &
          (1u << XSTATE_XTILE_DATA_BIT))) {
        return;
    }
    if (syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_GUEST_PERM,
                XSTATE_XTILE_DATA_BIT)) {
        warn_report("prctl(ARCH_REQ_XCOMP_GUEST_PERM) failure for feature "
                    "bit %d", XSTATE_XTILE_DATA_BIT);
    }
}

bool x86_cpus_create(unsigned ncpus, const X86CPUTopology *topo,
                     Error **errp)
{
    X86HostCPUID host;
    g_autoptr(X86CPUModel) dflt = NULL;
    const X86CPUModel *model = x86_cpu_current_model();
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    Error *local_err = NULL;
    bool ok;

    if (!model) {
        /* microvm's default_cpu_type is qemu64, as for every x86 board. */
        dflt = x86_cpu_model_parse(NULL, errp);
        if (!dflt) {
            return false;
        }
        model = dflt;
    }
    if (!kvm_get_host_cpuid(&host, errp)) {
        return false;
    }
    ok = x86_cpu_resolve(model, &host, &cpu_def, warnings, &local_err);
    /* QEMU asks while expanding the first vCPU, before filtering. */
    request_xsave_components(&cpu_def);
    /* QEMU filters features at each vCPU's realize: once per vCPU. */
    for (unsigned i = 0; i < (ok ? ncpus : 1); i++) {
        for (guint w = 0; w < warnings->len; w++) {
            warn_report("%s", (char *)g_ptr_array_index(warnings, w));
        }
        /* x86_cpu_realizefn(), once, after the first vCPU's filtering. */
        if (ok && i == 0 && x86_cpu_def_is_amd(&cpu_def) &&
            !(cpu_def.features[FEAT_8000_0001_ECX] &
              CPUID_8000_0001_ECX_TOPOEXT) && topo->threads > 1) {
            warn_report("This family of AMD CPU doesn't support "
                        "hyperthreading(%u)", topo->threads);
            error_printf("Please configure -smp options properly or try "
                         "enabling topoext feature.\n");
        }
    }
    if (!ok) {
        error_propagate(errp, local_err);
        return false;
    }
    for (unsigned i = 0; i < ncpus; i++) {
        if (!vcpu_create(i, topo, errp)) {
            return false;
        }
    }
    return true;
}

bool x86_cpu_has_msi_ext_dest_id(void)
{
    return cpu_def.features[FEAT_KVM] & (1u << KVM_FEATURE_MSI_EXT_DEST_ID);
}

bool kvm_arch_init_vcpu(CPUState *cs, Error **errp)
{
    return x86_vcpu_init(X86_VCPU(cs), errp);
}

bool kvm_arch_reset_vcpu(CPUState *cs, Error **errp)
{
    return x86_vcpu_reset(X86_VCPU(cs), errp);
}

void kvm_arch_dump_state(CPUState *cs, FILE *f)
{
    x86_vcpu_dump_state(X86_VCPU(cs), f);
}

void kvm_arch_destroy_vcpu(CPUState *cs)
{
    X86VCPU *cpu = X86_VCPU(cs);

    if (cpu->cpuid) {
        g_array_free(cpu->cpuid, true);
    }
    g_free(cpu);
}
