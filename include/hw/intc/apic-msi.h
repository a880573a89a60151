/*
 * The LAPIC's MMIO window as QEMU 7.2's kvm-apic maps it
 * (hw/i386/kvm/apic.c: "kvm-apic-msi", APIC_SPACE_SIZE at the APIC
 * base). With the LAPICs in KVM, the guest's accesses to the APIC page
 * never leave the kernel; the rest of the 1 MiB reaches userspace, where
 * reads are all-ones and a write is an MSI (PCI-less devices and guests
 * poking at 0xfee01000-0xfeefffff see what they see under QEMU).
 */
#ifndef HW_INTC_APIC_MSI_H
#define HW_INTC_APIC_MSI_H

#include "qemu/osdep.h"

#define APIC_MSI_WINDOW_SIZE    0x100000    /* QEMU's APIC_SPACE_SIZE */

/*
 * Maps the window at base on behalf of owner. send delivers an MSI
 * (address, data): kvm_irqchip_send_msi() on the board, a recorder in
 * tests; ext_dest_id says whether the guest was offered
 * kvm-msi-ext-dest-id (read at each write, as QEMU reads first_cpu's
 * CPUID).
 */
typedef int (*ApicMsiSendFn)(uint64_t address, uint32_t data);
void apic_msi_map(uint64_t base, ApicMsiSendFn send, bool (*ext_dest_id)(void),
                  const void *owner);

/*
 * QEMU 7.2's kvm_swizzle_msi_ext_dest_id(): with the feature, address
 * bits 11:5 (the extended destination ID) move to bits 46:40 unless the
 * message is in remappable format (bit 4) or already has upper bits.
 */
uint64_t apic_msi_swizzle_ext_dest_id(uint64_t address, bool ext_dest_id);

#endif
