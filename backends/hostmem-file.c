/*
 * memory-backend-file: guest RAM in a file (tmpfs, hugetlbfs, DAX...).
 *
 * Matches QEMU 7.2's backends/hostmem-file.c and softmmu/physmem.c
 * file_ram_open (existing file, new file, or an unlinked temporary in a
 * directory) and qemu_ram_alloc_from_file.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/hostmem.h"
#include "hostmem-internal.h"

#include <sys/mman.h>

/* file_ram_open: *created says whether path was created here. */
static int file_ram_open(const char *path, const char *region_name,
                         bool readonly, bool *created, Error **errp)
{
    *created = false;
    for (;;) {
        int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);

        if (fd >= 0) {
            return fd;
        }
        if (errno == ENOENT) {
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            if (fd >= 0) {
                *created = true;
                return fd;
            }
        } else if (errno == EISDIR) {
            g_autofree char *name = g_strdelimit(g_strdup(region_name), "/",
                                                 '_');
            g_autofree char *tmpl =
                g_strdup_printf("%s/qemu_back_mem.%s.XXXXXX", path, name);

            fd = mkostemp(tmpl, O_CLOEXEC);
            if (fd >= 0) {
                unlink(tmpl);
                return fd;
            }
        }
        /* EEXIST: created by someone else between the two opens */
        if (errno != EEXIST && errno != EINTR) {
            error_setg_errno(errp, errno,
                             "can't open backing store %s for guest RAM",
                             path);
            return -1;
        }
    }
}

static bool file_backend_alloc(HostMemoryBackend *b, Error **errp)
{
    HostMemoryBackendFile *fb = MEMORY_BACKEND_FILE(b);
    g_autofree char *name = NULL;
    bool created;
    int fd;

    if (!fb->mem_path) {
        error_setg(errp, "mem-path property not set");
        return false;
    }
    name = hostmem_region_name(b);
    fd = file_ram_open(fb->mem_path, name, fb->readonly, &created, errp);
    if (fd < 0) {
        return false;
    }
    if (!hostmem_map_fd(b, fd, fb->align, fb->readonly, errp)) {
        if (created) {
            unlink(fb->mem_path);
        }
        close(fd);
        return false;
    }
    return true;
}

static bool check_unmapped(Object *obj, const Property *prop,
                           const void *value, Error **errp)
{
    if (MEMORY_BACKEND(obj)->ptr) {
        error_setg(errp, "cannot change property '%s' of %s", prop->name,
                   object_get_typename(obj));
        return false;
    }
    return true;
}

/* QAPI order (MemoryBackendFileProperties); QEMU's help shows no types'
 * descriptions for these. pmem is accepted (Debian builds libpmem);
 * MAP_SYNC is not requested, see docs/options.md. */
static const Property file_backend_properties[] = {
    { .name = "align", .info = &prop_info_size,
      .offset = offsetof(HostMemoryBackendFile, align),
      .type_name = "int", .check = check_unmapped },
    { .name = "discard-data", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackendFile, discard_data) },
    { .name = "mem-path", .info = &prop_info_string,
      .offset = offsetof(HostMemoryBackendFile, mem_path),
      .check = check_unmapped },
    { .name = "pmem", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackendFile, is_pmem),
      .check = check_unmapped },
    { .name = "readonly", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackendFile, readonly),
      .check = check_unmapped },
    { .name = NULL }
};

static const char *const file_backend_required[] = {
    "size", "mem-path", NULL,
};

/* QEMU's file_backend_unparent: discard-data drops the file's pages */
static void file_backend_finalize(Object *obj)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (b->ptr && MEMORY_BACKEND_FILE(obj)->discard_data) {
        madvise(b->ptr, b->mapped_size, MADV_REMOVE);
    }
}

static void file_backend_class_init(ObjectClass *klass, void *data)
{
    USER_CREATABLE_CLASS(klass)->required = file_backend_required;
    MEMORY_BACKEND_CLASS(klass)->alloc = file_backend_alloc;
    object_class_add_properties(klass, file_backend_properties);
}

static const TypeInfo file_backend_info = {
    .name = TYPE_MEMORY_BACKEND_FILE,
    .parent = TYPE_MEMORY_BACKEND,
    .instance_size = sizeof(HostMemoryBackendFile),
    .instance_finalize = file_backend_finalize,
    .class_init = file_backend_class_init,
};

void hostmem_file_register_types(void);

void hostmem_file_register_types(void)
{
    type_register_static(&file_backend_info);
}
