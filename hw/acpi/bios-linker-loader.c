/*
 * BIOS linker/loader commands (QEMU 7.2 hw/acpi/bios-linker-loader.c:
 * the BiosLinkerLoaderEntry layout, allocations at the front, pointers
 * pre-set to the source offset, checksum bytes zeroed).
 */
#include "qemu/osdep.h"
#include "hw/acpi/bios-linker-loader.h"
#include "hw/acpi/aml-build.h"

typedef struct BIOSLinkerFile {
    char *name;
    GArray *blob;
} BIOSLinkerFile;

static void bios_linker_file_free(gpointer p)
{
    BIOSLinkerFile *f = p;

    g_array_unref(f->blob);
    g_free(f->name);
    g_free(f);
}

BIOSLinker *bios_linker_loader_new(void)
{
    BIOSLinker *linker = g_new0(BIOSLinker, 1);

    linker->cmd_blob = g_array_new(false, true, 1);
    linker->files = g_ptr_array_new_with_free_func(bios_linker_file_free);
    return linker;
}

void bios_linker_loader_free(BIOSLinker *linker)
{
    if (linker) {
        g_array_unref(linker->cmd_blob);
        g_ptr_array_unref(linker->files);
        g_free(linker);
    }
}

static GArray *bios_linker_find(BIOSLinker *linker, const char *name)
{
    for (unsigned i = 0; i < linker->files->len; i++) {
        BIOSLinkerFile *f = g_ptr_array_index(linker->files, i);

        if (!strcmp(f->name, name)) {
            return f->blob;
        }
    }
    return NULL;
}

/* One command: u32 command, then fields, zero padded to 128 bytes */
static GArray *bios_linker_entry(uint32_t command)
{
    GArray *e = g_array_sized_new(false, true, 1,
                                  BIOS_LINKER_LOADER_ENTRY_SIZE);

    acpi_append_int(e, command, 4);
    return e;
}

static void bios_linker_entry_name(GArray *e, const char *name)
{
    g_assert(strlen(name) < BIOS_LINKER_LOADER_FILESZ);
    acpi_append_padded_str(e, name, BIOS_LINKER_LOADER_FILESZ, '\0');
}

static void bios_linker_entry_finish(GArray *e)
{
    g_assert(e->len <= BIOS_LINKER_LOADER_ENTRY_SIZE);
    g_array_set_size(e, BIOS_LINKER_LOADER_ENTRY_SIZE);
}

void bios_linker_loader_alloc(BIOSLinker *linker, const char *file,
                              GArray *blob, uint32_t align, bool fseg)
{
    g_autoptr(GArray) e = bios_linker_entry(BIOS_LINKER_LOADER_COMMAND_ALLOCATE);
    BIOSLinkerFile *f = g_new0(BIOSLinkerFile, 1);

    g_assert(align && !(align & (align - 1)));
    g_assert(!bios_linker_find(linker, file));
    f->name = g_strdup(file);
    f->blob = g_array_ref(blob);
    g_ptr_array_add(linker->files, f);

    bios_linker_entry_name(e, file);
    acpi_append_int(e, align, 4);
    acpi_append_int(e, fseg ? BIOS_LINKER_LOADER_ALLOC_ZONE_FSEG :
                              BIOS_LINKER_LOADER_ALLOC_ZONE_HIGH, 1);
    bios_linker_entry_finish(e);
    g_array_prepend_vals(linker->cmd_blob, e->data, e->len);
}

void bios_linker_loader_add_pointer(BIOSLinker *linker, const char *dest_file,
                                    uint32_t offset, uint8_t size,
                                    const char *src_file,
                                    uint32_t src_offset)
{
    g_autoptr(GArray) e =
        bios_linker_entry(BIOS_LINKER_LOADER_COMMAND_ADD_POINTER);
    GArray *dst = bios_linker_find(linker, dest_file);
    GArray *src = bios_linker_find(linker, src_file);
    uint8_t *p;

    g_assert(dst && src);
    g_assert(size == 1 || size == 2 || size == 4 || size == 8);
    g_assert(offset + size <= dst->len);
    g_assert(src_offset < src->len);
    p = (uint8_t *)dst->data + offset;
    for (unsigned i = 0; i < size; i++) {
        p[i] = i < 4 ? src_offset >> (8 * i) : 0;
    }

    bios_linker_entry_name(e, dest_file);
    bios_linker_entry_name(e, src_file);
    acpi_append_int(e, offset, 4);
    acpi_append_int(e, size, 1);
    bios_linker_entry_finish(e);
    g_array_append_vals(linker->cmd_blob, e->data, e->len);
}

void bios_linker_loader_add_checksum(BIOSLinker *linker, const char *file,
                                     uint32_t start, uint32_t len,
                                     uint32_t offset)
{
    g_autoptr(GArray) e =
        bios_linker_entry(BIOS_LINKER_LOADER_COMMAND_ADD_CHECKSUM);
    GArray *blob = bios_linker_find(linker, file);

    g_assert(blob);
    g_assert(start < blob->len && len <= blob->len - start);
    g_assert(offset >= start && offset < start + len);
    blob->data[offset] = 0;

    bios_linker_entry_name(e, file);
    acpi_append_int(e, offset, 4);
    acpi_append_int(e, start, 4);
    acpi_append_int(e, len, 4);
    bios_linker_entry_finish(e);
    g_array_append_vals(linker->cmd_blob, e->data, e->len);
}
