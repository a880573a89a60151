/*
 * The LAPIC's MMIO window outside the in-kernel APIC page: reads are
 * all-ones, a write is an MSI.
 *
 * Source of truth: QEMU 7.2 hw/i386/kvm/apic.c (kvm_apic_mem_read,
 * kvm_apic_mem_write, kvm_send_msi) and target/i386/kvm/kvm.c
 * (kvm_swizzle_msi_ext_dest_id).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/intc/apic-msi.h"
#include "system/memory.h"

#define MSI_ADDR_DEST_IDX_SHIFT     4
#define MSI_ADDR_EXT_DEST_MASK      (0xffULL << MSI_ADDR_DEST_IDX_SHIFT)
#define MSI_ADDR_EXT_DEST_MOVE      35  /* bits 11:5 to 46:40 */

typedef struct ApicMsiWindow {
    ApicMsiSendFn send;
    bool (*ext_dest_id)(void);
} ApicMsiWindow;

/* One window per machine, as QEMU maps the first APIC's region once. */
static ApicMsiWindow apic_msi_window;

uint64_t apic_msi_swizzle_ext_dest_id(uint64_t address, bool ext_dest_id)
{
    uint64_t ext = address & MSI_ADDR_EXT_DEST_MASK;

    if (!ext_dest_id || !ext || (ext & (1ULL << MSI_ADDR_DEST_IDX_SHIFT)) ||
        (address >> 32)) {
        return address;
    }
    return (address & ~ext) | (ext << MSI_ADDR_EXT_DEST_MOVE);
}

static uint64_t apic_msi_read(void *opaque, uint64_t addr, unsigned size)
{
    return UINT64_MAX;
}

/*
 * The message's address is the offset in the window, not the guest
 * address (QEMU's kvm_apic_mem_write passes addr as it gets it); its
 * data is the value written, of whatever size.
 */
static void apic_msi_write(void *opaque, uint64_t addr, uint64_t data,
                           unsigned size)
{
    ApicMsiWindow *w = opaque;
    bool ext = w->ext_dest_id && w->ext_dest_id();
    int ret = w->send(apic_msi_swizzle_ext_dest_id(addr, ext), data);

    if (ret < 0) {
        /* QEMU's kvm_send_msi() says so on stderr and goes on. */
        error_printf("KVM: injection failed, MSI lost (%s)\n",
                     strerror(-ret));
    }
}

/* QEMU 7.2's kvm_apic_io_ops: no size rules. */
static const MemoryRegionOps apic_msi_ops = {
    .read = apic_msi_read,
    .write = apic_msi_write,
};

void apic_msi_map(uint64_t base, ApicMsiSendFn send, bool (*ext_dest_id)(void),
                  const void *owner)
{
    apic_msi_window = (ApicMsiWindow) {
        .send = send, .ext_dest_id = ext_dest_id,
    };
    address_space_map(&address_space_memory, base, APIC_MSI_WINDOW_SIZE,
                      &apic_msi_ops, &apic_msi_window, "kvm-apic-msi", owner);
}
