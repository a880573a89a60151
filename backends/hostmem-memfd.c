/*
 * memory-backend-memfd: guest RAM in an anonymous memfd (shareable with
 * vhost-user back ends), sealed against resizing by default.
 *
 * Matches QEMU 7.2's backends/hostmem-memfd.c and util/memfd.c
 * qemu_memfd_create.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/hostmem.h"
#include "hostmem-internal.h"

#include <linux/memfd.h>
#include <sys/mman.h>

#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#endif

static int memfd_backend_create(HostMemoryBackendMemfd *m, uint64_t size,
                                Error **errp)
{
    uint64_t hs = m->hugetlbsize;
    unsigned int seals = m->seal ? F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL
                                 : 0;
    unsigned int flags = MFD_CLOEXEC;
    int fd;

    if (hs & (hs - 1)) {
        error_setg(errp, "Hugepage size must be a power of 2");
        return -1;
    }
    if (seals) {
        flags |= MFD_ALLOW_SEALING;
    }
    if (m->hugetlb) {
        /* the page size's log2 in the flags' top bits */
        flags |= MFD_HUGETLB |
                 (hs ? (unsigned)__builtin_ctzll(hs) << MFD_HUGE_SHIFT : 0);
    }
    fd = memfd_create(TYPE_MEMORY_BACKEND_MEMFD, flags);
    if (fd < 0) {
        error_setg_errno(errp, errno,
                         "failed to create memfd with flags 0x%x", flags);
        return -1;
    }
    if (ftruncate(fd, size) == -1) {
        error_setg_errno(errp, errno, "failed to resize memfd to %zu",
                         (size_t)size);
        close(fd);
        return -1;
    }
    if (seals && fcntl(fd, F_ADD_SEALS, seals) == -1) {
        error_setg_errno(errp, errno, "failed to add seals 0x%x", seals);
        close(fd);
        return -1;
    }
    return fd;
}

static bool memfd_backend_alloc(HostMemoryBackend *b, Error **errp)
{
    int fd = memfd_backend_create(MEMORY_BACKEND_MEMFD(b), b->size, errp);

    if (fd < 0) {
        return false;
    }
    if (!hostmem_map_fd(b, fd, 0, false, errp)) {
        close(fd);
        return false;
    }
    return true;
}

static bool check_hugetlbsize(Object *obj, const Property *prop,
                              const void *value, Error **errp)
{
    if (MEMORY_BACKEND(obj)->ptr) {
        error_setg(errp, "cannot change property value");
        return false;
    }
    if (*(const uint64_t *)value == 0) {
        error_setg(errp, "Property '%s.%s' doesn't take value '0'",
                   object_get_typename(obj), prop->name);
        return false;
    }
    return true;
}

static const Property memfd_backend_properties[] = {
    { .name = "hugetlb", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackendMemfd, hugetlb),
      .description = "Use huge pages" },
    { .name = "hugetlbsize", .info = &prop_info_size,
      .offset = offsetof(HostMemoryBackendMemfd, hugetlbsize),
      .description = "Huge pages size (ex: 2M, 1G)", .type_name = "int",
      .check = check_hugetlbsize },
    { .name = "seal", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackendMemfd, seal),
      .description = "Seal growing & shrinking" },
    { .name = NULL }
};

static void memfd_backend_instance_init(Object *obj)
{
    MEMORY_BACKEND_MEMFD(obj)->seal = true;
    /* shared by default: the point of a memfd is another process */
    MEMORY_BACKEND(obj)->share = true;
}

static void memfd_backend_class_init(ObjectClass *klass, void *data)
{
    MEMORY_BACKEND_CLASS(klass)->alloc = memfd_backend_alloc;
    object_class_add_properties(klass, memfd_backend_properties);
}

static const TypeInfo memfd_backend_info = {
    .name = TYPE_MEMORY_BACKEND_MEMFD,
    .parent = TYPE_MEMORY_BACKEND,
    .instance_size = sizeof(HostMemoryBackendMemfd),
    .instance_init = memfd_backend_instance_init,
    .class_init = memfd_backend_class_init,
};

void hostmem_memfd_register_types(void);

void hostmem_memfd_register_types(void)
{
    type_register_static(&memfd_backend_info);
}
