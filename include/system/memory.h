/*
 * Guest memory and the two address spaces a vCPU exit is dispatched into.
 *
 * Not QEMU's MemoryRegion tree: microvm needs only a flat list of RAM/ROM
 * blocks (mapped into KVM once) and two sorted maps of device ranges, one
 * for port I/O and one for MMIO. Lookup is a binary search, so the exit
 * path does not grow with the number of devices.
 */
#ifndef SYSTEM_MEMORY_H
#define SYSTEM_MEMORY_H

#include "qemu/osdep.h"

/*
 * Register callbacks of a device range. addr is relative to its base.
 * The two size pairs are QEMU 7.2's MemoryRegionOps.valid and .impl:
 *
 * - valid: the sizes the device accepts. A guest access is first cut
 *   into naturally aligned pieces of at most valid.max_access_size (4
 *   when 0), as QEMU's memory_access_size(); a piece the device does not
 *   accept (memory_region_access_valid()) is refused: logged as a guest
 *   error, reads give 0, writes are dropped. 0/0 accepts any size.
 * - impl: the sizes the callbacks take (1 and 4 when 0). A piece is
 *   split into, or widened to, accesses of that size, little endian, as
 *   QEMU's access_with_adjusted_size().
 *
 * Nothing sets QEMU's "unaligned" flags in microvm, so pieces are always
 * aligned, and no region uses "accepts": a device that refuses some
 * offsets or sizes does it in its callbacks, with QEMU's log line.
 */
typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, uint64_t addr, unsigned size);
    void (*write)(void *opaque, uint64_t addr, uint64_t data, unsigned size);
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
    } valid;
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
    } impl;
} MemoryRegionOps;

/*
 * A region with no registers, QEMU's memory_region_init_io() with NULL
 * ops (unassigned_mem_ops): every access is refused, logged with the
 * region's name, and reads 0. What QEMU maps where KVM owns a device
 * (kvm-pit, kvm-ioapic) that accesses KVM does not take still reach.
 */
extern const MemoryRegionOps unassigned_mem_ops;

typedef struct AddressSpace AddressSpace;

/* The port I/O space (64 KiB) and the MMIO space. */
extern AddressSpace address_space_io;
extern AddressSpace address_space_memory;

/*
 * Maps [base, base+size) to ops on behalf of owner (the device whose
 * registers these are, as QEMU's memory_region_init_io owner; NULL for
 * ranges no device owns, tests only). A range may overlap earlier ones
 * (two -device isa-debug-exit, one over COM1): as QEMU's subregions of
 * equal priority, the later is in front where they overlap, and an
 * earlier one shows through elsewhere with its own offsets. The range
 * must lie inside the space (callers clip, as isa_register_ioport does).
 */
void address_space_map(AddressSpace *as, uint64_t base, uint64_t size,
                       const MemoryRegionOps *ops, void *opaque,
                       const char *name, const void *owner);
/*
 * Removes every range owner mapped (the device core does it when a
 * device is unrealized or fails to realize); what they hid shows again.
 */
void address_space_unmap_owner(AddressSpace *as, const void *owner);
/* Whether owner still has a range in as (tests). */
bool address_space_owner_mapped(AddressSpace *as, const void *owner);
/* Removes every range (tests, and machine teardown). */
void address_space_clear(AddressSpace *as);

/*
 * Dispatches one guest access of 1 to 8 bytes (little endian in *data)
 * as QEMU 7.2's address_space_rw() does: piece by piece, each piece
 * going to the range under its first byte (a device range takes the
 * whole rest of the access, not clipped to its end, as QEMU's
 * address_space_translate_internal() leaves MMIO lengths alone) in the
 * size the ops allow. Where no device is mapped: a port reads all-ones
 * and ignores writes, silently (QEMU's unassigned_io_ops under
 * address_space_io); MMIO and ports past 0xffff are refused (QEMU's
 * io_mem_unassigned): logged, reads give 0. Returns whether any piece
 * reached a device.
 */
bool address_space_read(AddressSpace *as, uint64_t addr, uint64_t *data,
                        unsigned size);
bool address_space_write(AddressSpace *as, uint64_t addr, uint64_t data,
                         unsigned size);

/* ---- Guest RAM and ROM -------------------------------------------------- */

/*
 * The guest's RAM and ROM: a set of disjoint blocks of host memory, each
 * mapped at a guest-physical address. Opaque: devices and loaders reach
 * guest memory only through the accessors below; KVM (memslots) and
 * anything else that needs the blocks themselves uses the iterator.
 */
typedef struct GuestMemory GuestMemory;

/* One block, as the iterator yields it (read-only to its users). */
typedef struct GuestMemoryBlock {
    uint64_t gpa;
    uint64_t size;
    uint8_t *host;
    bool readonly;          /* ROM: the guest cannot write it */
    const char *name;
} GuestMemoryBlock;

GuestMemory *guest_memory_new(void);
void guest_memory_free(GuestMemory *mem);
/*
 * Adds a block backed by host (not copied, not freed). Blocks must not
 * overlap and must not run past 2^64 (asserted: the board owns the
 * layout).
 */
void guest_memory_add(GuestMemory *mem, uint64_t gpa, uint64_t size,
                      void *host, bool readonly, const char *name);

/*
 * The blocks in ascending gpa order:
 *
 *     GuestMemoryIter it;
 *     const GuestMemoryBlock *b;
 *
 *     guest_memory_iter_init(&it, mem);
 *     while ((b = guest_memory_iter_next(&it))) { ... }
 *
 * Adding a block while iterating is not allowed.
 */
typedef struct GuestMemoryIter {
    const GuestMemory *mem;
    unsigned next;
} GuestMemoryIter;

void guest_memory_iter_init(GuestMemoryIter *it, const GuestMemory *mem);
const GuestMemoryBlock *guest_memory_iter_next(GuestMemoryIter *it);
unsigned guest_memory_block_count(const GuestMemory *mem);

/*
 * The guest-address translator: a host pointer for [gpa, gpa+len) when
 * the whole range lies inside one block (and, for write access, a
 * writable one), else NULL. Length 0 and a range running past 2^64 name
 * no memory (NULL). For users that need the bytes in place (a virtqueue
 * ring, a descriptor): QEMU's address_space_map() refusing a range that
 * is not contiguous host memory.
 */
void *guest_memory_translate(GuestMemory *mem, uint64_t gpa, uint64_t len,
                             bool is_write);

/*
 * Result of a copy, QEMU's MemTxResult values: MEMTX_OK when every byte
 * was guest RAM (or ROM, for reads), else MEMTX_DECODE_ERROR, which QEMU
 * 7.2 returns both for a hole (unassigned_mem_accepts) and for a write
 * to read-only RAM (its ops reject the access).
 */
typedef unsigned MemTxResult;
#define MEMTX_OK            0
#define MEMTX_DECODE_ERROR  (1U << 1)

/*
 * Copy len bytes from guest memory at gpa into buf, or from buf into it,
 * as QEMU 7.2's dma_memory_read()/dma_memory_write() (address_space_rw):
 * section by section, every part that is guest memory is copied even
 * when another part is not; a hole (and, for writes, a read-only block)
 * is skipped, reads of it give zeros, and the result is
 * MEMTX_DECODE_ERROR (logged with -d guest_errors in the words of
 * memory_region_access_valid()). The address wraps at 2^64 as QEMU's
 * does: a range starting at 2^64 - 2 continues at 0. Length 0 touches
 * nothing and returns MEMTX_OK.
 */
MemTxResult guest_memory_read(GuestMemory *mem, uint64_t gpa, void *buf,
                              uint64_t len);
MemTxResult guest_memory_write(GuestMemory *mem, uint64_t gpa,
                               const void *buf, uint64_t len);
/* Fills len bytes with c, with the same rules (dma_memory_set). */
MemTxResult guest_memory_set(GuestMemory *mem, uint64_t gpa, uint8_t c,
                             uint64_t len);

#endif
