/*
 * The port I/O and MMIO address spaces, and guest RAM/ROM translation.
 *
 * Behaviour matched: QEMU 7.2's memory core for a flat map of device
 * ranges: softmmu/physmem.c flatview_read/write_continue() cutting an
 * access into pieces (memory_access_size()), softmmu/memory.c
 * memory_region_access_valid() and access_with_adjusted_size(),
 * unassigned_io_ops (softmmu/ioport.c: ports read all-ones) and
 * io_mem_unassigned (MMIO refused, reads zero); address_space_map()
 * refusing a range that is not contiguous host memory.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/memory.h"

/*
 * A mapped region, or the visible piece of one: [base, base + size) shows
 * the region's registers from offset on (offset is 0 unless a later
 * region hides the region's start).
 */
typedef struct AddressRange {
    uint64_t base;
    uint64_t size;
    uint64_t offset;
    const MemoryRegionOps *ops;
    void *opaque;
    const char *name;
    const void *owner;      /* the device the range belongs to, or NULL */
    unsigned direct_sizes;  /* bit n: an aligned access of n bytes is one
                             * callback (the exit path's shortcut) */
} AddressRange;

/*
 * Regions may overlap, as QEMU's subregions of one container at the same
 * priority do: the one mapped later is in front (memory_region_add_
 * subregion inserts it before its equals, and the flat view renders the
 * first one found). The dispatcher sees only the flat view, the visible
 * pieces, rebuilt when a region comes or goes.
 */
struct AddressSpace {
    const char *name;
    bool is_io;             /* port space: unassigned reads are all-ones */
    uint64_t limit;         /* last valid address */
    GArray *regions;        /* of AddressRange, in mapping order */
    GArray *ranges;         /* the flat view: sorted by base, disjoint */
};

AddressSpace address_space_io = {
    .name = "I/O",
    .is_io = true,
    .limit = 0xffff,
};

AddressSpace address_space_memory = {
    .name = "memory",
    .is_io = false,
    .limit = UINT64_MAX,
};

static GArray *address_space_ranges(AddressSpace *as)
{
    if (!as->ranges) {
        as->ranges = g_array_new(false, false, sizeof(AddressRange));
    }
    return as->ranges;
}

/* Index of the first range whose base is greater than addr. */
static guint address_space_upper_bound(GArray *ranges, uint64_t addr)
{
    guint lo = 0, hi = ranges->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;

        if (g_array_index(ranges, AddressRange, mid).base <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static AddressRange *address_space_lookup(AddressSpace *as, uint64_t addr)
{
    GArray *ranges = address_space_ranges(as);
    guint i = address_space_upper_bound(ranges, addr);
    AddressRange *r;

    if (i == 0) {
        return NULL;
    }
    r = &g_array_index(ranges, AddressRange, i - 1);
    return addr - r->base < r->size ? r : NULL;
}

static unsigned access_direct_sizes(const MemoryRegionOps *ops);

/* Puts r in front of the flat view, cutting what it covers away. */
static void address_space_paint(GArray *ranges, const AddressRange *r)
{
    uint64_t last = r->base + r->size - 1;
    guint i = address_space_upper_bound(ranges, r->base);

    i = i ? i - 1 : 0;
    while (i < ranges->len) {
        AddressRange *p = &g_array_index(ranges, AddressRange, i);
        uint64_t p_last = p->base + p->size - 1;

        if (p->base > last) {
            break;
        }
        if (p_last < r->base) {
            i++;
        } else if (p->base < r->base && p_last > last) {
            /* r is inside p: p's tail becomes a piece of its own */
            AddressRange tail = *p;
            uint64_t cut = last + 1 - p->base;

            tail.base += cut;
            tail.offset += cut;
            tail.size -= cut;
            p->size = r->base - p->base;
            g_array_insert_val(ranges, i + 1, tail);
            break;
        } else if (p->base < r->base) {
            p->size = r->base - p->base;
            i++;
        } else if (p_last > last) {
            uint64_t cut = last + 1 - p->base;

            p->base += cut;
            p->offset += cut;
            p->size -= cut;
            break;
        } else {
            g_array_remove_index(ranges, i);
        }
    }
    g_array_insert_val(ranges, address_space_upper_bound(ranges, r->base),
                       *r);
}

void address_space_map(AddressSpace *as, uint64_t base, uint64_t size,
                       const MemoryRegionOps *ops, void *opaque,
                       const char *name, const void *owner)
{
    AddressRange r = {
        .base = base, .size = size, .ops = ops, .opaque = opaque,
        .name = name, .owner = owner,
        .direct_sizes = access_direct_sizes(ops),
    };

    assert(size > 0 && ops);
    assert(size - 1 <= as->limit && base <= as->limit - (size - 1));
    if (!as->regions) {
        as->regions = g_array_new(false, false, sizeof(AddressRange));
    }
    g_array_append_val(as->regions, r);
    address_space_paint(address_space_ranges(as), &r);
}

void address_space_unmap_owner(AddressSpace *as, const void *owner)
{
    GArray *ranges = address_space_ranges(as);

    assert(owner);
    if (!as->regions) {
        return;
    }
    for (guint i = as->regions->len; i-- > 0;) {
        if (g_array_index(as->regions, AddressRange, i).owner == owner) {
            g_array_remove_index(as->regions, i);
        }
    }
    /* what the owner's regions hid shows again */
    g_array_set_size(ranges, 0);
    for (guint i = 0; i < as->regions->len; i++) {
        address_space_paint(ranges, &g_array_index(as->regions, AddressRange,
                                                   i));
    }
}

bool address_space_owner_mapped(AddressSpace *as, const void *owner)
{
    for (guint i = 0; as->regions && i < as->regions->len; i++) {
        if (g_array_index(as->regions, AddressRange, i).owner == owner) {
            return true;
        }
    }
    return false;
}

void address_space_clear(AddressSpace *as)
{
    g_array_set_size(address_space_ranges(as), 0);
    if (as->regions) {
        g_array_set_size(as->regions, 0);
    }
}

/* The offset in r's region of addr (which r's piece holds). */
static uint64_t range_offset(const AddressRange *r, uint64_t addr)
{
    return addr - r->base + r->offset;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (size * 8)) - 1;
}

/*
 * QEMU 7.2's memory_access_size(): the largest piece, at most the rest
 * of the access, that the region accepts (valid.max_access_size, 4 when
 * unset) and that is naturally aligned at addr (the offset in the
 * region), rounded down to a power of two.
 */
static unsigned access_piece_size(unsigned valid_max, unsigned len,
                                  uint64_t addr)
{
    uint64_t align = addr & -addr;
    unsigned max = valid_max ? valid_max : 4;

    if (align && align < max) {
        max = align;
    }
    len = MIN(len, max);
    return len >= 8 ? 8 : len >= 4 ? 4 : len >= 2 ? 2 : 1;
}

/* QEMU 7.2's memory_region_access_valid() for a size (no "accepts"). */
static bool access_size_valid(const AddressRange *r, uint64_t addr,
                              unsigned size, bool is_write)
{
    const MemoryRegionOps *ops = r->ops;

    if (!ops->valid.max_access_size ||
        (size <= ops->valid.max_access_size &&
         size >= ops->valid.min_access_size)) {
        return true;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" PRIX64
                  ", size %u, region '%s', reason: invalid size "
                  "(min:%u max:%u)\n", is_write ? "write" : "read",
                  addr, size, r->name, ops->valid.min_access_size,
                  ops->valid.max_access_size);
    return false;
}

/* QEMU 7.2's access_with_adjusted_size(): the callbacks' own size. */
static unsigned access_impl_size(const MemoryRegionOps *ops, unsigned size)
{
    unsigned min = ops->impl.min_access_size ? ops->impl.min_access_size : 1;
    unsigned max = ops->impl.max_access_size ? ops->impl.max_access_size : 4;

    return MAX(MIN(size, max), min);
}

const MemoryRegionOps unassigned_mem_ops;

static void access_log_rejected(const char *name, uint64_t addr,
                                unsigned size, bool is_write)
{
    qemu_log_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" PRIX64
                  ", size %u, region '%s', reason: rejected\n",
                  is_write ? "write" : "read", addr, size, name);
}

/*
 * The sizes for which an aligned access is a single piece, accepted, and
 * a single callback of that size: computed once when the range is
 * mapped, so that the common access costs one lookup and one call.
 */
static unsigned access_direct_sizes(const MemoryRegionOps *ops)
{
    unsigned sizes = 0;

    if (ops == &unassigned_mem_ops || !ops->read || !ops->write) {
        return 0;
    }
    for (unsigned size = 1; size <= 8; size *= 2) {
        unsigned max = ops->valid.max_access_size ?
                       ops->valid.max_access_size : 4;

        if (size <= max && (!ops->valid.max_access_size ||
                            size >= ops->valid.min_access_size) &&
            access_impl_size(ops, size) == size) {
            sizes |= 1u << size;
        }
    }
    return sizes;
}

static uint64_t range_read(const AddressRange *r, uint64_t addr,
                           unsigned size)
{
    unsigned step, i;
    uint64_t v = 0;

    if (r->ops == &unassigned_mem_ops) {
        access_log_rejected(r->name, addr, size, false);
        return 0;
    }
    if (!access_size_valid(r, addr, size, false)) {
        return 0;               /* unassigned_mem_read() */
    }
    if (!r->ops->read) {
        return 0;
    }
    step = access_impl_size(r->ops, size);
    for (i = 0; i < size; i += step) {
        v |= (r->ops->read(r->opaque, addr + i, step) & size_mask(step))
             << (i * 8);
    }
    return v;
}

static void range_write(const AddressRange *r, uint64_t addr, uint64_t data,
                        unsigned size)
{
    unsigned step, i;

    if (r->ops == &unassigned_mem_ops) {
        access_log_rejected(r->name, addr, size, true);
        return;
    }
    if (!access_size_valid(r, addr, size, true) || !r->ops->write) {
        return;
    }
    step = access_impl_size(r->ops, size);
    for (i = 0; i < size; i += step) {
        r->ops->write(r->opaque, addr + i,
                      (data >> (i * 8)) & size_mask(step), step);
    }
}

/*
 * A piece no device claims. In the port space up to 0xffff it is the
 * root region's unassigned_io_ops (QEMU's softmmu/ioport.c): it accepts
 * everything, reads all-ones, and logs nothing. Elsewhere it is QEMU's
 * io_mem_unassigned, whose accepts() refuses everything: each piece is
 * logged (its name is NULL: "(null)" through glibc) and reads 0.
 */
static bool unassigned_is_silent(const AddressSpace *as, uint64_t addr)
{
    return as->is_io && addr <= as->limit;
}

static void unassigned_log(uint64_t addr, unsigned size, bool is_write)
{
    access_log_rejected("(null)", addr, size, is_write);
}

/*
 * One piece of an access at addr, at most len bytes, going to r (the
 * range under addr; NULL: unassigned): its offset there and its size.
 */
static void access_piece(const AddressRange *r, uint64_t addr, unsigned len,
                         uint64_t *offset, unsigned *size)
{
    if (r) {
        *offset = range_offset(r, addr);
        *size = access_piece_size(r->ops->valid.max_access_size, len,
                                  *offset);
    } else {
        *offset = addr;
        *size = access_piece_size(0, len, addr);
    }
}

static bool valid_size(unsigned size)
{
    return size >= 1 && size <= 8;
}

bool address_space_read(AddressSpace *as, uint64_t addr, uint64_t *data,
                        unsigned size)
{
    const AddressRange *r;
    bool claimed = false;
    unsigned done = 0;

    assert(valid_size(size));
    r = address_space_lookup(as, addr);
    if (r && (r->direct_sizes & (1u << size)) &&
        !(range_offset(r, addr) & (size - 1))) {
        *data = r->ops->read(r->opaque, range_offset(r, addr), size) &
                size_mask(size);
        return true;
    }
    *data = 0;
    while (done < size) {
        uint64_t offset, v;
        unsigned l;

        if (done) {
            r = address_space_lookup(as, addr + done);
        }
        access_piece(r, addr + done, size - done, &offset, &l);

        if (r) {
            v = range_read(r, offset, l);
            claimed = true;
        } else if (unassigned_is_silent(as, offset)) {
            v = UINT64_MAX;
        } else {
            unassigned_log(offset, l, false);
            v = 0;
        }
        *data |= (v & size_mask(l)) << (done * 8);
        done += l;
    }
    return claimed;
}

bool address_space_write(AddressSpace *as, uint64_t addr, uint64_t data,
                         unsigned size)
{
    const AddressRange *r;
    bool claimed = false;
    unsigned done = 0;

    assert(valid_size(size));
    r = address_space_lookup(as, addr);
    if (r && (r->direct_sizes & (1u << size)) &&
        !(range_offset(r, addr) & (size - 1))) {
        r->ops->write(r->opaque, range_offset(r, addr), data & size_mask(size),
                      size);
        return true;
    }
    while (done < size) {
        uint64_t offset, v = (data >> (done * 8));
        unsigned l;

        if (done) {
            r = address_space_lookup(as, addr + done);
        }
        access_piece(r, addr + done, size - done, &offset, &l);

        if (r) {
            range_write(r, offset, v & size_mask(l), l);
            claimed = true;
        } else if (!unassigned_is_silent(as, offset)) {
            unassigned_log(offset, l, true);
        }
        done += l;
    }
    return claimed;
}

/* ---- Guest RAM and ROM -------------------------------------------------- */

struct GuestMemory {
    GArray *blocks;         /* of GuestMemoryBlock, sorted by gpa, disjoint */
};

GuestMemory *guest_memory_new(void)
{
    GuestMemory *mem = g_new0(GuestMemory, 1);

    mem->blocks = g_array_new(false, false, sizeof(GuestMemoryBlock));
    return mem;
}

void guest_memory_free(GuestMemory *mem)
{
    if (!mem) {
        return;
    }
    g_array_free(mem->blocks, true);
    g_free(mem);
}

static const GuestMemoryBlock *guest_memory_block(const GuestMemory *mem,
                                                  guint i)
{
    return &g_array_index(mem->blocks, GuestMemoryBlock, i);
}

/* Index of the first block whose gpa is greater than gpa. */
static guint guest_memory_upper_bound(const GuestMemory *mem, uint64_t gpa)
{
    guint lo = 0, hi = mem->blocks->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;

        if (guest_memory_block(mem, mid)->gpa <= gpa) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

void guest_memory_add(GuestMemory *mem, uint64_t gpa, uint64_t size,
                      void *host, bool readonly, const char *name)
{
    GuestMemoryBlock b = {
        .gpa = gpa, .size = size, .host = host, .readonly = readonly,
        .name = name,
    };
    guint i;

    assert(size > 0 && host && gpa <= UINT64_MAX - (size - 1));
    i = guest_memory_upper_bound(mem, gpa);
    if (i > 0) {
        const GuestMemoryBlock *prev = guest_memory_block(mem, i - 1);
        assert(gpa - prev->gpa >= prev->size);
    }
    if (i < mem->blocks->len) {
        assert(guest_memory_block(mem, i)->gpa - gpa >= size);
    }
    g_array_insert_val(mem->blocks, i, b);
}

void guest_memory_iter_init(GuestMemoryIter *it, const GuestMemory *mem)
{
    it->mem = mem;
    it->next = 0;
}

const GuestMemoryBlock *guest_memory_iter_next(GuestMemoryIter *it)
{
    if (it->next >= it->mem->blocks->len) {
        return NULL;
    }
    return guest_memory_block(it->mem, it->next++);
}

unsigned guest_memory_block_count(const GuestMemory *mem)
{
    return mem->blocks->len;
}

/* The block holding gpa, or NULL; *next_gpa is where the next block
 * starts (0 when none follows, i.e. the hole runs to 2^64). */
static const GuestMemoryBlock *guest_memory_find(const GuestMemory *mem,
                                                 uint64_t gpa,
                                                 uint64_t *next_gpa)
{
    guint i = guest_memory_upper_bound(mem, gpa);

    *next_gpa = i < mem->blocks->len ? guest_memory_block(mem, i)->gpa : 0;
    if (i > 0) {
        const GuestMemoryBlock *b = guest_memory_block(mem, i - 1);

        if (gpa - b->gpa < b->size) {
            return b;
        }
    }
    return NULL;
}

void *guest_memory_translate(GuestMemory *mem, uint64_t gpa, uint64_t len,
                             bool is_write)
{
    const GuestMemoryBlock *b;
    uint64_t next, off;

    if (!mem || len == 0) {
        return NULL;
    }
    b = guest_memory_find(mem, gpa, &next);
    if (!b || (is_write && b->readonly)) {
        return NULL;
    }
    /* Written so that neither gpa + len nor off + len can wrap. */
    off = gpa - b->gpa;
    if (len > b->size - off) {
        return NULL;
    }
    return b->host + off;
}

/*
 * Logs a rejected part of a copy as QEMU 7.2 does: flatview_read/
 * write_continue() hand it to the region in accesses of at most 4 bytes,
 * naturally aligned (memory_access_size() for unassigned_mem_ops), and
 * memory_region_access_valid() logs each one. Holes are QEMU's
 * io_mem_unassigned, whose name is NULL: glibc prints "(null)". A
 * rejected part past 64 accesses is summed up in one line of our own, so
 * that a guest cannot make one transfer log for minutes.
 */
#define GUEST_MEMORY_LOG_MAX_ACCESSES 64

static void guest_memory_log_rejected(const char *region, bool is_write,
                                      uint64_t addr, uint64_t len)
{
    unsigned n;

    if (!(qemu_loglevel & LOG_GUEST_ERROR)) {
        return;
    }
    for (n = 0; len > 0 && n < GUEST_MEMORY_LOG_MAX_ACCESSES; n++) {
        uint64_t l = MIN(len, 4);
        uint64_t align = addr & -addr;

        if (align && align < l) {
            l = align;
        }
        l = l >= 4 ? 4 : l >= 2 ? 2 : 1;
        qemu_log_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" PRIX64
                      ", size %u, region '%s', reason: rejected\n",
                      is_write ? "write" : "read", addr, (unsigned)l,
                      region);
        addr += l;
        len -= l;
    }
    if (len > 0) {
        qemu_log_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" PRIX64
                      ", %" PRIu64 " more bytes, region '%s', "
                      "reason: rejected\n", is_write ? "write" : "read",
                      addr, len, region);
    }
}

/*
 * The one walk behind read, write and set: section by section like
 * QEMU's flatview_read_continue()/flatview_write_continue(), so the cost
 * is per block crossed, never per byte. For a read, dst receives the
 * bytes (zeros for what is not guest memory); for a write, src supplies
 * them, or every byte is fill when src is NULL.
 */
static MemTxResult guest_memory_access(GuestMemory *mem, uint64_t gpa,
                                       uint8_t *dst, const uint8_t *src,
                                       uint8_t fill, uint64_t len,
                                       bool is_write)
{
    MemTxResult res = MEMTX_OK;

    while (len > 0) {
        uint64_t next, chunk;
        const GuestMemoryBlock *b = guest_memory_find(mem, gpa, &next);

        if (b) {
            uint64_t off = gpa - b->gpa;

            chunk = MIN(len, b->size - off);
            if (!is_write) {
                memcpy(dst, b->host + off, chunk);
            } else if (b->readonly) {
                /* QEMU logs the offset in the region, as addr1. */
                guest_memory_log_rejected(b->name, true, off, chunk);
                res |= MEMTX_DECODE_ERROR;
            } else if (src) {
                memcpy(b->host + off, src, chunk);
            } else {
                memset(b->host + off, fill, chunk);
            }
        } else {
            /* A hole up to the next block, or to 2^64 (-gpa, gpa > 0:
             * with no block at all the whole rest is a hole). */
            chunk = next ? next - gpa : gpa ? -gpa : len;
            chunk = MIN(len, chunk);
            guest_memory_log_rejected("(null)", is_write, gpa, chunk);
            if (!is_write) {
                memset(dst, 0, chunk);
            }
            res |= MEMTX_DECODE_ERROR;
        }
        if (dst) {
            dst += chunk;
        }
        if (src) {
            src += chunk;
        }
        gpa += chunk;           /* wraps at 2^64, as hwaddr does in QEMU */
        len -= chunk;
    }
    return res;
}

MemTxResult guest_memory_read(GuestMemory *mem, uint64_t gpa, void *buf,
                              uint64_t len)
{
    return guest_memory_access(mem, gpa, buf, NULL, 0, len, false);
}

MemTxResult guest_memory_write(GuestMemory *mem, uint64_t gpa,
                               const void *buf, uint64_t len)
{
    return guest_memory_access(mem, gpa, NULL, buf, 0, len, true);
}

MemTxResult guest_memory_set(GuestMemory *mem, uint64_t gpa, uint8_t c,
                             uint64_t len)
{
    return guest_memory_access(mem, gpa, NULL, NULL, c, len, true);
}
