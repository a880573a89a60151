/*
 * The port I/O and MMIO address spaces, and guest RAM/ROM translation.
 *
 * Behaviour matched: QEMU 7.2 softmmu/memory.c (unassigned_io_ops reads
 * all-ones, unassigned_mem_ops reads zero; accesses wider than a device's
 * max_access_size are split) and softmmu/physmem.c address_space_map()
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

static uint64_t unassigned_value(const AddressSpace *as, unsigned size)
{
    return as->is_io ? size_mask(size) : 0;
}

static unsigned ops_min_size(const MemoryRegionOps *ops)
{
    return ops->min_access_size ? ops->min_access_size : 1;
}

static unsigned ops_max_size(const MemoryRegionOps *ops)
{
    return ops->max_access_size ? ops->max_access_size : 8;
}

/*
 * Whether one access can go to r in a single callback: it lies wholly
 * inside the range and its size is within what the device accepts.
 */
static bool range_fits(const AddressRange *r, uint64_t addr, unsigned size)
{
    return size <= ops_max_size(r->ops) && r->size - (addr - r->base) >= size;
}

/* Whether the access lies wholly inside r, whatever its width. */
static bool range_holds(const AddressRange *r, uint64_t addr, unsigned size)
{
    return r->size - (addr - r->base) >= size;
}

static bool range_too_narrow(const AddressRange *r, unsigned size)
{
    return size < ops_min_size(r->ops);
}

static bool valid_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

/*
 * QEMU 7.2's memory_region_access_valid() lines. An unassigned MMIO
 * address is io_mem_unassigned, whose accepts() refuses everything and
 * whose name is NULL ("(null)" through glibc); the port space's root
 * region (unassigned_io_ops) accepts everything, so unassigned ports are
 * silent, as in QEMU.
 */
static void address_space_log_unassigned(const AddressSpace *as,
                                         uint64_t addr, unsigned size,
                                         bool is_write)
{
    if (!as->is_io) {
        qemu_log_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" PRIX64
                      ", size %u, region '(null)', reason: rejected\n",
                      is_write ? "write" : "read", addr, size);
    }
}

static void address_space_log_size(const AddressRange *r, uint64_t addr,
                                   unsigned size, bool is_write)
{
    qemu_log_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" PRIX64
                  ", size %u, region '%s', reason: invalid size "
                  "(min:%u max:%u)\n", is_write ? "write" : "read",
                  range_offset(r, addr), size, r->name, ops_min_size(r->ops),
                  ops_max_size(r->ops));
}

static bool address_space_read_byte(AddressSpace *as, uint64_t addr,
                                    uint8_t *val)
{
    AddressRange *r = address_space_lookup(as, addr);

    if (!r) {
        *val = unassigned_value(as, 1);
        address_space_log_unassigned(as, addr, 1, false);
        return false;
    }
    if (range_too_narrow(r, 1)) {
        address_space_log_size(r, addr, 1, false);
        *val = 0xff;
        return true;
    }
    *val = r->ops->read ? r->ops->read(r->opaque, range_offset(r, addr), 1)
                        : 0;
    return true;
}

bool address_space_read(AddressSpace *as, uint64_t addr, uint64_t *data,
                        unsigned size)
{
    AddressRange *r;
    bool claimed = false;
    unsigned i;

    assert(valid_size(size));
    r = address_space_lookup(as, addr);
    if (!r) {
        *data = unassigned_value(as, size);
        /* The tail of a wide access may still reach a device. */
        if (size == 1 || !address_space_lookup(as, addr + size - 1)) {
            address_space_log_unassigned(as, addr, size, false);
            return false;
        }
    } else if (range_too_narrow(r, size)) {
        address_space_log_size(r, addr, size, false);
        *data = size_mask(size);
        return true;
    } else if (range_fits(r, addr, size)) {
        uint64_t v = r->ops->read ?
                     r->ops->read(r->opaque, range_offset(r, addr), size) :
                     0;
        *data = v & size_mask(size);
        return true;
    } else if (range_holds(r, addr, size)) {
        /* Wider than the device takes: chunks of its widest access,
         * little endian, as QEMU's access_with_adjusted_size(). */
        unsigned chunk = ops_max_size(r->ops);

        *data = 0;
        for (i = 0; i < size; i += chunk) {
            uint64_t v = r->ops->read ?
                         r->ops->read(r->opaque, range_offset(r, addr + i),
                                      chunk) :
                         0;
            *data |= (v & size_mask(chunk)) << (i * 8);
        }
        return true;
    }

    /* Too wide for the device, or straddling ranges: byte by byte. */
    *data = 0;
    for (i = 0; i < size; i++) {
        uint8_t b;

        claimed |= address_space_read_byte(as, addr + i, &b);
        *data |= (uint64_t)b << (i * 8);
    }
    return claimed;
}

static bool address_space_write_byte(AddressSpace *as, uint64_t addr,
                                     uint8_t val)
{
    AddressRange *r = address_space_lookup(as, addr);

    if (!r) {
        address_space_log_unassigned(as, addr, 1, true);
        return false;
    }
    if (range_too_narrow(r, 1)) {
        address_space_log_size(r, addr, 1, true);
        return true;
    }
    if (r->ops->write) {
        r->ops->write(r->opaque, range_offset(r, addr), val, 1);
    }
    return true;
}

bool address_space_write(AddressSpace *as, uint64_t addr, uint64_t data,
                         unsigned size)
{
    AddressRange *r;
    bool claimed = false;
    unsigned i;

    assert(valid_size(size));
    r = address_space_lookup(as, addr);
    if (!r) {
        if (size == 1 || !address_space_lookup(as, addr + size - 1)) {
            address_space_log_unassigned(as, addr, size, true);
            return false;
        }
    } else if (range_too_narrow(r, size)) {
        address_space_log_size(r, addr, size, true);
        return true;
    } else if (range_fits(r, addr, size)) {
        if (r->ops->write) {
            r->ops->write(r->opaque, range_offset(r, addr),
                          data & size_mask(size), size);
        }
        return true;
    } else if (range_holds(r, addr, size)) {
        unsigned chunk = ops_max_size(r->ops);

        for (i = 0; r->ops->write && i < size; i += chunk) {
            r->ops->write(r->opaque, range_offset(r, addr + i),
                          (data >> (i * 8)) & size_mask(chunk), chunk);
        }
        return true;
    }

    for (i = 0; i < size; i++) {
        claimed |= address_space_write_byte(as, addr + i,
                                            (data >> (i * 8)) & 0xff);
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
