/*
 * The e820 memory map for firmware: QEMU 7.2 hw/i386/e820_memory_layout.c
 * (e820_add_entry, e820_get_num_entries, e820_get_entry), kept in a table
 * object instead of globals so each machine (and test) owns its own.
 */
#include "qemu/osdep.h"
#include "hw/i386/x86.h"
#include "hw/i386/e820.h"

/* The legacy item's layout: a count, then a fixed array. */
typedef struct E820Reserve {
    uint32_t count;
    E820Entry entry[E820_NR_ENTRIES];
} __attribute__((packed)) E820Reserve;

struct E820Table {
    GArray *entries;        /* of E820Entry, guest byte order */
    E820Reserve reserve;    /* guest byte order */
};

E820Table *e820_table_new(void)
{
    E820Table *t = g_new0(E820Table, 1);

    t->entries = g_array_new(FALSE, TRUE, sizeof(E820Entry));
    return t;
}

void e820_table_free(E820Table *t)
{
    if (!t) {
        return;
    }
    g_array_free(t->entries, TRUE);
    g_free(t);
}

static E820Entry e820_entry_le(uint64_t address, uint64_t length,
                               uint32_t type)
{
    return (E820Entry) {
        .address = GUINT64_TO_LE(address),
        .length = GUINT64_TO_LE(length),
        .type = GUINT32_TO_LE(type),
    };
}

int e820_add_entry(E820Table *t, uint64_t address, uint64_t length,
                   uint32_t type)
{
    E820Entry entry = e820_entry_le(address, length, type);

    if (type != E820_RAM) {
        /* The legacy item lists reservations only. */
        uint32_t index = GUINT32_FROM_LE(t->reserve.count);

        if (index >= E820_NR_ENTRIES) {
            return -EBUSY;
        }
        t->reserve.entry[index] = entry;
        t->reserve.count = GUINT32_TO_LE(index + 1);
    }
    g_array_append_val(t->entries, entry);
    return t->entries->len;
}

unsigned e820_get_num_entries(const E820Table *t)
{
    return t->entries->len;
}

bool e820_get_entry(const E820Table *t, unsigned idx, uint32_t type,
                    uint64_t *address, uint64_t *length)
{
    const E820Entry *e;

    if (idx >= t->entries->len) {
        return false;
    }
    e = &g_array_index(t->entries, E820Entry, idx);
    if (GUINT32_FROM_LE(e->type) != type) {
        return false;
    }
    *address = GUINT64_FROM_LE(e->address);
    *length = GUINT64_FROM_LE(e->length);
    return true;
}

void *e820_table_bytes(const E820Table *t, size_t *len)
{
    *len = sizeof(E820Entry) * t->entries->len;
    return g_memdup2(t->entries->data, *len);
}

void *e820_reserve_bytes(const E820Table *t, size_t *len)
{
    *len = sizeof(t->reserve);
    return g_memdup2(&t->reserve, *len);
}
