/*
 * The BIOS e820 memory map handed to firmware through fw_cfg, as QEMU 7.2
 * hw/i386/e820_memory_layout.c builds it: the "etc/e820" file (every
 * entry, RAM included) and the legacy FW_CFG_E820_TABLE item
 * (reservations only, at most E820_NR_ENTRIES).
 */
#ifndef HW_I386_E820_H
#define HW_I386_E820_H

#include "qemu/osdep.h"

#define E820_NR_ENTRIES 16

/*
 * What QEMU's kvm_arch_init() reserves before the board runs: the EPT
 * identity map page and the TSS (3 pages) right after it.
 */
#define E820_KVM_IDENTITY_BASE  0xfeffc000ULL
#define E820_KVM_IDENTITY_SIZE  0x4000ULL

/* One entry as the guest reads it: little endian, packed, 20 bytes. */
typedef struct E820Entry {
    uint64_t address;
    uint64_t length;
    uint32_t type;
} __attribute__((packed)) E820Entry;

typedef struct E820Table E820Table;

E820Table *e820_table_new(void);
void e820_table_free(E820Table *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E820Table, e820_table_free)

/*
 * Appends an entry (in call order, no sorting or merging, as QEMU).
 * Returns the number of entries, or -EBUSY when a reservation does not
 * fit the legacy table (the entry is then not added at all).
 */
int e820_add_entry(E820Table *t, uint64_t address, uint64_t length,
                   uint32_t type);
unsigned e820_get_num_entries(const E820Table *t);
/* Entry idx, when it has the given type (QEMU's e820_get_entry). */
bool e820_get_entry(const E820Table *t, unsigned idx, uint32_t type,
                    uint64_t *address, uint64_t *length);

/* The bytes of "etc/e820" (g_malloc'd; *len = 20 * entries). */
void *e820_table_bytes(const E820Table *t, size_t *len);
/* The bytes of the legacy FW_CFG_E820_TABLE item: count + 16 slots. */
void *e820_reserve_bytes(const E820Table *t, size_t *len);

#endif
