/*
 * KVM's fast paths: ioeventfd (a guest MMIO write signals an eventfd in
 * the kernel, no exit to userspace) and irqfd (a write to an eventfd
 * raises a GSI, no ioctl per interrupt).
 * Source of truth: QEMU 7.2 accel/kvm/kvm-all.c kvm_set_ioeventfd_mmio()
 * (flags, datamatch, any length), kvm_mem_ioeventfd_add/del() (message
 * texts), kvm_irqchip_assign_irqfd() and kvm_resample_fd_notify() (with
 * the split irqchip, KVM cannot see the IOAPIC's EOI: the resample fd is
 * kept here and kicked by the userspace IOAPIC, as QEMU does).
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"
#include <sys/ioctl.h>

/* split irqchip: resample fd by GSI, -1 for none (under the BQL) */
static GArray *resample_fds;

bool kvm_set_ioeventfd_mmio(int fd, uint64_t addr, unsigned size,
                            bool datamatch, uint64_t data, bool assign,
                            Error **errp)
{
    struct kvm_ioeventfd iofd = {
        .datamatch = datamatch ? data : 0,
        .addr = addr,
        .len = size,
        .fd = fd,
        .flags = (datamatch ? KVM_IOEVENTFD_FLAG_DATAMATCH : 0) |
                 (assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN),
    };
    const char *what = assign ? "adding" : "deleting";

    if (!kvm_enabled()) {
        error_setg(errp, "error %s ioeventfd: %s (%d)", what,
                   strerror(ENOSYS), ENOSYS);
        return false;
    }
    /* QEMU's memory API: 0 (any length, no datamatch), 1, 2, 4, 8. */
    if ((size != 0 && size != 1 && size != 2 && size != 4 && size != 8) ||
        (size == 0 && datamatch)) {
        error_setg(errp, "error %s ioeventfd: invalid access size %u%s",
                   what, size, datamatch ? " with datamatch" : "");
        return false;
    }
    if (datamatch && size < 8 && data >> (size * 8)) {
        error_setg(errp, "error %s ioeventfd: datamatch 0x%" PRIx64
                   " wider than %u bytes", what, data, size);
        return false;
    }
    if (ioctl(kvm_vm_fd(), KVM_IOEVENTFD, &iofd) < 0) {
        error_setg(errp, "error %s ioeventfd: %s (%d)", what,
                   strerror(errno), errno);
        return false;
    }
    return true;
}

static void resample_fd_set(int gsi, int fd)
{
    int none = -1;

    if (!resample_fds) {
        resample_fds = g_array_new(false, false, sizeof(int));
    }
    while (resample_fds->len <= (guint)gsi) {
        g_array_append_val(resample_fds, none);
    }
    g_array_index(resample_fds, int, gsi) = fd;
}

void kvm_resample_fd_notify(int gsi)
{
    uint64_t one = 1;
    int fd;

    if (!resample_fds || gsi < 0 || (guint)gsi >= resample_fds->len) {
        return;
    }
    fd = g_array_index(resample_fds, int, gsi);
    if (fd >= 0 && write(fd, &one, sizeof(one)) < 0 && errno != EAGAIN) {
        error_report("kvm_resample_fd_notify: GSI %d: %s", gsi,
                     strerror(errno));
    }
}

static bool kvm_irqchip_assign_irqfd(int fd, int resample_fd, int gsi,
                                     bool assign, Error **errp)
{
    struct kvm_irqfd irqfd = {
        .fd = fd,
        .gsi = gsi,
        .flags = assign ? 0 : KVM_IRQFD_FLAG_DEASSIGN,
    };
    bool split = kvm_irqchip_is_split();

    if (!kvm_enabled() || kvm_irqchip_mode() == KVM_IRQCHIP_MODE_OFF) {
        error_setg(errp, "irqfd needs KVM with an in-kernel irqchip");
        return false;
    }
    if (gsi < 0) {
        error_setg(errp, "irqfd: invalid GSI %d", gsi);
        return false;
    }
    if (resample_fd >= 0 && !split) {
        irqfd.flags |= KVM_IRQFD_FLAG_RESAMPLE;
        irqfd.resamplefd = resample_fd;
    }
    if (ioctl(kvm_vm_fd(), KVM_IRQFD, &irqfd) < 0) {
        error_setg(errp, "failed to %s irqfd on GSI %d: %s",
                   assign ? "add" : "remove", gsi, strerror(errno));
        return false;
    }
    if (split && (resample_fd >= 0 || !assign)) {
        resample_fd_set(gsi, assign ? resample_fd : -1);
    }
    return true;
}

bool kvm_irqchip_add_irqfd(int fd, int resample_fd, int gsi, Error **errp)
{
    return kvm_irqchip_assign_irqfd(fd, resample_fd, gsi, true, errp);
}

bool kvm_irqchip_remove_irqfd(int fd, int gsi, Error **errp)
{
    return kvm_irqchip_assign_irqfd(fd, -1, gsi, false, errp);
}

void kvm_eventfd_cleanup(void)
{
    if (resample_fds) {
        g_array_free(resample_fds, true);
        resample_fds = NULL;
    }
}
