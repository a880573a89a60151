/*
 * The KVM VM: /dev/kvm, the VM fd, memslots, in-kernel irqchip and PIT,
 * the split irqchip's MSI routes.
 * Source of truth: QEMU 7.2 accel/kvm/kvm-all.c kvm_init() (messages,
 * API version check), kvm_set_user_memory_region(), kvm_irqchip_create()
 * and the route table (kvm_irqchip_update_msi_route/commit_routes), and
 * target/i386/kvm/kvm.c kvm_arch_irqchip_create() (split: 24 IOAPIC
 * routes reserved), and
 * target/i386/kvm/kvm.c kvm_arch_init() (identity map at 0xfeffc000,
 * TSS right after it) and hw/i386/kvm/i8254.c (KVM_PIT_SPEAKER_DUMMY).
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"
#include <cpuid.h>
#include <sys/ioctl.h>

#define KVM_API_VERSION_REQUIRED 12
#define KVM_IDENTITY_BASE       0xfeffc000
#define KVM_TSS_BASE            (KVM_IDENTITY_BASE + 0x1000)
#define KVM_SPLIT_IOAPIC_PINS   24

typedef struct KVMState {
    int fd;
    int vmfd;
    int vcpu_mmap_size;
    KVMIrqchipMode irqchip;
    GuestMemory *mem;
    unsigned nr_slots;
    GArray *msr_indices;        /* of uint32_t */
    /* split irqchip: the IOAPIC pins' MSI routes (GSI n = pin n) */
    struct kvm_irq_routing_msi routes[KVM_SPLIT_IOAPIC_PINS];
    bool routes_set[KVM_SPLIT_IOAPIC_PINS];
    bool routes_dirty;
} KVMState;

static KVMState kvm_state = { .fd = -1, .vmfd = -1 };

int kvm_sys_fd(void)
{
    return kvm_state.fd;
}

int kvm_vm_fd(void)
{
    return kvm_state.vmfd;
}

KVMIrqchipMode kvm_irqchip_mode(void)
{
    return kvm_state.irqchip;
}

GuestMemory *kvm_guest_memory(void)
{
    return kvm_state.mem;
}

int kvm_vcpu_mmap_size(void)
{
    return kvm_state.vcpu_mmap_size;
}

bool kvm_enabled(void)
{
    return kvm_state.vmfd >= 0;
}

int kvm_check_extension(int cap)
{
    int r;

    if (kvm_state.fd < 0) {
        return 0;
    }
    r = ioctl(kvm_state.vmfd >= 0 ? kvm_state.vmfd : kvm_state.fd,
              KVM_CHECK_EXTENSION, cap);
    return r < 0 ? 0 : r;
}

static void kvm_load_msr_indices(void)
{
    struct kvm_msr_list probe = { .nmsrs = 0 };
    g_autofree struct kvm_msr_list *list = NULL;

    kvm_state.msr_indices = g_array_new(false, false, sizeof(uint32_t));
    /* The first call fails with E2BIG and says how many there are. */
    if (ioctl(kvm_state.fd, KVM_GET_MSR_INDEX_LIST, &probe) < 0 &&
        errno != E2BIG) {
        return;
    }
    list = g_malloc0(sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
    list->nmsrs = probe.nmsrs;
    if (ioctl(kvm_state.fd, KVM_GET_MSR_INDEX_LIST, list) < 0) {
        return;
    }
    g_array_append_vals(kvm_state.msr_indices, list->indices, list->nmsrs);
}

bool kvm_has_msr(uint32_t msr)
{
    if (!kvm_state.msr_indices) {
        return false;
    }
    for (guint i = 0; i < kvm_state.msr_indices->len; i++) {
        if (g_array_index(kvm_state.msr_indices, uint32_t, i) == msr) {
            return true;
        }
    }
    return false;
}

/* Undo a half-done kvm_init() so a later call starts clean. */
static void kvm_close_fds(void)
{
    if (kvm_state.vmfd >= 0) {
        close(kvm_state.vmfd);
    }
    if (kvm_state.fd >= 0) {
        close(kvm_state.fd);
    }
    kvm_state.vmfd = kvm_state.fd = -1;
}

/* QEMU prints the detail first, then vl.c "failed to initialize kvm". */
static bool kvm_init_fail(int err, Error **errp)
{
    kvm_close_fds();
    error_setg(errp, "failed to initialize kvm: %s", strerror(err));
    return false;
}

static bool kvm_arch_init(bool create_pit, Error **errp)
{
    uint64_t identity_base = KVM_IDENTITY_BASE;

    if (ioctl(kvm_state.vmfd, KVM_SET_IDENTITY_MAP_ADDR, &identity_base) < 0) {
        error_setg_errno(errp, errno, "ioctl(KVM_SET_IDENTITY_MAP_ADDR) "
                         "failed");
        return false;
    }
    if (ioctl(kvm_state.vmfd, KVM_SET_TSS_ADDR,
              (unsigned long)KVM_TSS_BASE) < 0) {
        error_setg_errno(errp, errno, "ioctl(KVM_SET_TSS_ADDR) failed");
        return false;
    }
    if (kvm_state.irqchip == KVM_IRQCHIP_MODE_SPLIT) {
        /*
         * Only the LAPICs in the kernel; GSIs 0-23 are the userspace
         * IOAPIC's pins, whose MSI routes tell KVM which vectors need a
         * KVM_EXIT_IOAPIC_EOI.
         */
        struct kvm_enable_cap cap = {
            .cap = KVM_CAP_SPLIT_IRQCHIP,
            .args[0] = KVM_SPLIT_IOAPIC_PINS,
        };

        if (ioctl(kvm_state.vmfd, KVM_ENABLE_CAP, &cap) < 0) {
            error_setg(errp, "Could not enable split irqchip mode: %s",
                       strerror(errno));
            return false;
        }
    } else if (kvm_state.irqchip == KVM_IRQCHIP_MODE_ON &&
               ioctl(kvm_state.vmfd, KVM_CREATE_IRQCHIP) < 0) {
        error_setg_errno(errp, errno, "Create kernel irqchip failed");
        return false;
    }
    /* kvm_pit_in_kernel(): only with the full in-kernel irqchip. */
    if (create_pit && kvm_state.irqchip == KVM_IRQCHIP_MODE_ON) {
        struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

        if (ioctl(kvm_state.vmfd, KVM_CREATE_PIT2, &pit) < 0) {
            error_setg_errno(errp, errno, "Create kernel PIC irqchip failed");
            return false;
        }
    }
    return true;
}

bool kvm_init(KVMIrqchipMode irqchip, bool create_pit, Error **errp)
{
    int ret;

    kvm_state.fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm_state.fd < 0) {
        int err = errno;

        fprintf(stderr, "Could not access KVM kernel module: %s\n",
                strerror(err));
        return kvm_init_fail(err, errp);
    }
    ret = ioctl(kvm_state.fd, KVM_GET_API_VERSION, 0);
    if (ret < KVM_API_VERSION_REQUIRED) {
        fprintf(stderr, "kvm version too old\n");
        return kvm_init_fail(ret < 0 ? errno : EINVAL, errp);
    }
    if (ret > KVM_API_VERSION_REQUIRED) {
        fprintf(stderr, "kvm version not supported\n");
        return kvm_init_fail(EINVAL, errp);
    }
    do {
        ret = ioctl(kvm_state.fd, KVM_CREATE_VM, 0);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        int err = errno;

        fprintf(stderr, "ioctl(KVM_CREATE_VM) failed: %d %s\n", err,
                strerror(err));
        return kvm_init_fail(err, errp);
    }
    kvm_state.vmfd = ret;
    kvm_state.irqchip = irqchip;
    kvm_state.vcpu_mmap_size = ioctl(kvm_state.fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (kvm_state.vcpu_mmap_size < (int)sizeof(struct kvm_run)) {
        int err = kvm_state.vcpu_mmap_size < 0 ? errno : EINVAL;

        fprintf(stderr, "KVM_GET_VCPU_MMAP_SIZE failed\n");
        return kvm_init_fail(err, errp);
    }
    kvm_state.nr_slots = MAX(kvm_check_extension(KVM_CAP_NR_MEMSLOTS), 32);
    kvm_load_msr_indices();
    if (!kvm_arch_init(create_pit, errp)) {
        kvm_close_fds();
        return false;
    }
    return true;
}

bool kvm_map_guest_memory(GuestMemory *mem, Error **errp)
{
    bool ro_ok = kvm_check_extension(KVM_CAP_READONLY_MEM) > 0;

    if (mem->blocks->len > kvm_state.nr_slots) {
        error_setg(errp, "KVM: too many memory blocks (%u, max %u)",
                   mem->blocks->len, kvm_state.nr_slots);
        return false;
    }
    for (guint i = 0; i < mem->blocks->len; i++) {
        const GuestMemoryBlock *b = &g_array_index(mem->blocks,
                                                   GuestMemoryBlock, i);
        struct kvm_userspace_memory_region r = {
            .slot = i,
            /* Without the capability ROM is mapped as RAM, as QEMU does. */
            .flags = b->readonly && ro_ok ? KVM_MEM_READONLY : 0,
            .guest_phys_addr = b->gpa,
            .memory_size = b->size,
            .userspace_addr = (uintptr_t)b->host,
        };

        if (ioctl(kvm_state.vmfd, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
            error_setg(errp, "kvm_set_user_memory_region: "
                       "KVM_SET_USER_MEMORY_REGION failed, slot=%u, "
                       "start=0x%" PRIx64 ", size=0x%" PRIx64 ": %s", i,
                       b->gpa, b->size, strerror(errno));
            return false;
        }
    }
    kvm_state.mem = mem;
    return true;
}

void kvm_set_irq(int gsi, int level)
{
    struct kvm_irq_level irq = { .irq = gsi, .level = level };

    if (kvm_state.vmfd < 0) {
        return;
    }
    if (ioctl(kvm_state.vmfd, KVM_IRQ_LINE, &irq) < 0) {
        error_report("kvm_set_irq: KVM_IRQ_LINE gsi %d failed: %s", gsi,
                     strerror(errno));
    }
}

bool kvm_irqchip_is_split(void)
{
    return kvm_state.vmfd >= 0 && kvm_state.irqchip == KVM_IRQCHIP_MODE_SPLIT;
}

void kvm_irqchip_update_msi_route(int gsi, uint64_t addr, uint32_t data)
{
    struct kvm_irq_routing_msi *r;

    if (gsi < 0 || gsi >= KVM_SPLIT_IOAPIC_PINS) {
        return;
    }
    r = &kvm_state.routes[gsi];
    if (kvm_state.routes_set[gsi] && r->address_lo == (uint32_t)addr &&
        r->address_hi == (uint32_t)(addr >> 32) && r->data == data) {
        return;
    }
    r->address_lo = addr;
    r->address_hi = addr >> 32;
    r->data = data;
    kvm_state.routes_set[gsi] = true;
    kvm_state.routes_dirty = true;
}

/*
 * KVM_SET_GSI_ROUTING replaces the whole table and waits for an
 * (expedited) SRCU grace period: only when a route really changed, not
 * on every IOAPIC register write as QEMU does; the guest cannot tell.
 */
void kvm_irqchip_commit_routes(void)
{
    g_autofree struct kvm_irq_routing *t = NULL;
    unsigned n = 0;

    if (!kvm_state.routes_dirty || kvm_state.vmfd < 0) {
        return;
    }
    t = g_malloc0(sizeof(*t) + KVM_SPLIT_IOAPIC_PINS * sizeof(t->entries[0]));
    for (int i = 0; i < KVM_SPLIT_IOAPIC_PINS; i++) {
        if (!kvm_state.routes_set[i]) {
            continue;
        }
        t->entries[n].gsi = i;
        t->entries[n].type = KVM_IRQ_ROUTING_MSI;
        t->entries[n].u.msi = kvm_state.routes[i];
        n++;
    }
    t->nr = n;
    if (ioctl(kvm_state.vmfd, KVM_SET_GSI_ROUTING, t) < 0) {
        error_report("KVM_SET_GSI_ROUTING failed: %s", strerror(errno));
        return;
    }
    kvm_state.routes_dirty = false;
}

int kvm_irqchip_send_msi(uint64_t addr, uint32_t data)
{
    struct kvm_msi msi = {
        .address_lo = addr,
        .address_hi = addr >> 32,
        .data = data,
    };

    if (kvm_state.vmfd < 0) {
        return -ENODEV;
    }
    return ioctl(kvm_state.vmfd, KVM_SIGNAL_MSI, &msi) < 0 ? -errno : 0;
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
        ioctl(kvm_state.fd, KVM_GET_DEVICE_ATTR, &attr) == 0) {
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
        if (ioctl(kvm_state.fd, KVM_GET_SUPPORTED_CPUID, c) == 0) {
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
    host->irqchip_in_kernel = kvm_state.irqchip != KVM_IRQCHIP_MODE_OFF;
    host->irqchip_split = kvm_state.irqchip == KVM_IRQCHIP_MODE_SPLIT;
    host->tsc_deadline_cap =
        kvm_check_extension(KVM_CAP_TSC_DEADLINE_TIMER) > 0;
    host->has_msr_arch_capabs = kvm_has_msr(0x10a);
    host_xsave_layout(host, cache);
    return true;
}

void kvm_cleanup(void)
{
    kvm_close_fds();
    if (kvm_state.msr_indices) {
        g_array_free(kvm_state.msr_indices, true);
        kvm_state.msr_indices = NULL;
    }
    kvm_state.mem = NULL;
    memset(kvm_state.routes_set, 0, sizeof(kvm_state.routes_set));
    kvm_state.routes_dirty = false;
}
