/*
 * The KVM VM: /dev/kvm, the VM fd, memslots, in-kernel irqchip and PIT,
 * the split irqchip's MSI routes.
 * Source of truth: QEMU 7.2 accel/kvm/kvm-all.c kvm_init() (messages,
 * API version check), kvm_set_user_memory_region(), kvm_irqchip_create()
 * and the route table (kvm_irqchip_update_msi_route/commit_routes), and
 * target/i386/kvm/kvm.c kvm_arch_irqchip_create() (split: the IOAPIC
 * routes reserved) and hw/i386/kvm/i8254.c (KVM_PIT_SPEAKER_DUMMY).
 * The x86 parts of QEMU's kvm_arch_init() are in target/i386/kvm.c.
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"
#include <sys/ioctl.h>

#define KVM_API_VERSION_REQUIRED 12

typedef struct KVMState {
    int fd;
    int vmfd;
    int vcpu_mmap_size;
    KVMIrqchipMode irqchip;
    GuestMemory *mem;
    unsigned nr_slots;
    /*
     * split irqchip: the IOAPIC pins' MSI routes, one per GSI (IOAPIC i's
     * pin n is GSI 24 * i + n)
     */
    unsigned nr_routes;
    struct kvm_irq_routing_msi *routes;
    bool *routes_set;
    bool routes_dirty;
    /* KVM_EXIT_IOAPIC_EOI goes to the board's IOAPICs */
    void (*ioapic_eoi)(void *opaque, int vector);
    void *ioapic_eoi_opaque;
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

/*
 * QEMU prints the detail raw first (fprintf in kvm_init), then vl.c's
 * "failed to initialize kvm: ...": the detail is the Error's preamble.
 */
static bool G_GNUC_PRINTF(3, 4) kvm_init_fail(int err, Error **errp,
                                              const char *detail, ...)
{
    g_autofree char *line = NULL;
    va_list ap;

    va_start(ap, detail);
    line = g_strdup_vprintf(detail, ap);
    va_end(ap);
    kvm_close_fds();
    error_setg(errp, "failed to initialize kvm: %s", strerror(err));
    error_append_preamble(errp, "%s\n", line);
    return false;
}

static bool kvm_irqchip_create(bool create_pit, unsigned ioapic_pins,
                               Error **errp)
{
    if (kvm_state.irqchip == KVM_IRQCHIP_MODE_SPLIT) {
        /*
         * Only the LAPICs in the kernel; the GSIs below ioapic_pins are
         * the userspace IOAPICs' pins, whose MSI routes tell KVM which
         * vectors need a KVM_EXIT_IOAPIC_EOI. QEMU 7.2 always reserves
         * 24 and routes a second IOAPIC's pin n on GSI n too (its routes
         * then overwrite the first one's); here each pin has its own.
         */
        struct kvm_enable_cap cap = {
            .cap = KVM_CAP_SPLIT_IRQCHIP,
            .args[0] = ioapic_pins,
        };

        if (ioctl(kvm_state.vmfd, KVM_ENABLE_CAP, &cap) < 0) {
            error_setg(errp, "Could not enable split irqchip mode: %s",
                       strerror(errno));
            return false;
        }
        kvm_state.nr_routes = ioapic_pins;
        kvm_state.routes = g_new0(struct kvm_irq_routing_msi, ioapic_pins);
        kvm_state.routes_set = g_new0(bool, ioapic_pins);
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

bool kvm_init(KVMIrqchipMode irqchip, bool create_pit, unsigned ioapic_pins,
              Error **errp)
{
    int ret;

    kvm_state.fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm_state.fd < 0) {
        int err = errno;

        return kvm_init_fail(err, errp, "Could not access KVM kernel "
                             "module: %s", strerror(err));
    }
    ret = ioctl(kvm_state.fd, KVM_GET_API_VERSION, 0);
    if (ret < KVM_API_VERSION_REQUIRED) {
        return kvm_init_fail(ret < 0 ? errno : EINVAL, errp,
                             "kvm version too old");
    }
    if (ret > KVM_API_VERSION_REQUIRED) {
        return kvm_init_fail(EINVAL, errp, "kvm version not supported");
    }
    do {
        ret = ioctl(kvm_state.fd, KVM_CREATE_VM, 0);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        int err = errno;

        return kvm_init_fail(err, errp, "ioctl(KVM_CREATE_VM) failed: %d %s",
                             err, strerror(err));
    }
    kvm_state.vmfd = ret;
    kvm_state.irqchip = irqchip;
    kvm_state.vcpu_mmap_size = ioctl(kvm_state.fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (kvm_state.vcpu_mmap_size < (int)sizeof(struct kvm_run)) {
        int err = kvm_state.vcpu_mmap_size < 0 ? errno : EINVAL;

        return kvm_init_fail(err, errp, "KVM_GET_VCPU_MMAP_SIZE failed");
    }
    kvm_state.nr_slots = MAX(kvm_check_extension(KVM_CAP_NR_MEMSLOTS), 32);
    if (!kvm_arch_init(errp) ||
        !kvm_irqchip_create(create_pit, ioapic_pins, errp)) {
        kvm_close_fds();
        return false;
    }
    return true;
}

bool kvm_map_guest_memory(GuestMemory *mem, Error **errp)
{
    bool ro_ok = kvm_check_extension(KVM_CAP_READONLY_MEM) > 0;
    unsigned nr_blocks = guest_memory_block_count(mem);
    const GuestMemoryBlock *b;
    GuestMemoryIter it;
    unsigned slot = 0;

    if (nr_blocks > kvm_state.nr_slots) {
        error_setg(errp, "KVM: too many memory blocks (%u, max %u)",
                   nr_blocks, kvm_state.nr_slots);
        return false;
    }
    guest_memory_iter_init(&it, mem);
    for (; (b = guest_memory_iter_next(&it)); slot++) {
        struct kvm_userspace_memory_region r = {
            .slot = slot,
            /* Without the capability ROM is mapped as RAM, as QEMU does. */
            .flags = b->readonly && ro_ok ? KVM_MEM_READONLY : 0,
            .guest_phys_addr = b->gpa,
            .memory_size = b->size,
            .userspace_addr = (uintptr_t)b->host,
        };

        if (ioctl(kvm_state.vmfd, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
            error_setg(errp, "kvm_set_user_memory_region: "
                       "KVM_SET_USER_MEMORY_REGION failed, slot=%u, "
                       "start=0x%" PRIx64 ", size=0x%" PRIx64 ": %s", slot,
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

    if (gsi < 0 || (unsigned)gsi >= kvm_state.nr_routes) {
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
bool kvm_irqchip_commit_routes(void)
{
    g_autofree struct kvm_irq_routing *t = NULL;
    unsigned n = 0;

    if (!kvm_state.routes_dirty || kvm_state.vmfd < 0) {
        return true;
    }
    t = g_malloc0(sizeof(*t) + kvm_state.nr_routes * sizeof(t->entries[0]));
    for (unsigned i = 0; i < kvm_state.nr_routes; i++) {
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
        return false;
    }
    kvm_state.routes_dirty = false;
    return true;
}

unsigned kvm_irqchip_route_count(void)
{
    unsigned n = 0;

    for (unsigned i = 0; i < kvm_state.nr_routes; i++) {
        n += kvm_state.routes_set[i];
    }
    return n;
}

void kvm_set_ioapic_eoi_hook(void (*fn)(void *opaque, int vector),
                             void *opaque)
{
    kvm_state.ioapic_eoi = fn;
    kvm_state.ioapic_eoi_opaque = opaque;
}

void kvm_ioapic_eoi(int vector)
{
    if (kvm_state.ioapic_eoi) {
        kvm_state.ioapic_eoi(kvm_state.ioapic_eoi_opaque, vector);
    }
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

void kvm_cleanup(void)
{
    kvm_close_fds();
    kvm_arch_cleanup();
    kvm_eventfd_cleanup();
    kvm_state.mem = NULL;
    g_free(kvm_state.routes);
    g_free(kvm_state.routes_set);
    kvm_state.routes = NULL;
    kvm_state.routes_set = NULL;
    kvm_state.nr_routes = 0;
    kvm_state.routes_dirty = false;
    kvm_state.ioapic_eoi = NULL;
    kvm_state.ioapic_eoi_opaque = NULL;
}
