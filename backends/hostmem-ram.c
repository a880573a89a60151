/*
 * memory-backend-ram: anonymous guest RAM, private or shared.
 *
 * Matches QEMU 7.2's backends/hostmem-ram.c with the anonymous mapping of
 * util/oslib-posix.c qemu_anon_ram_alloc (QEMU_VMALLOC_ALIGN alignment).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/hostmem.h"
#include "hostmem-internal.h"

static bool ram_backend_alloc(HostMemoryBackend *b, Error **errp)
{
    uint64_t size = QEMU_ALIGN_UP(b->size, (uint64_t)getpagesize());
    HostMemMapFlags flags = {
        .shared = b->share, .noreserve = !b->reserve,
    };

    b->ptr = hostmem_mmap(-1, size, HOSTMEM_ANON_ALIGN, &flags);
    if (!b->ptr) {
        /* ram_block_add's message for a failed anonymous allocation */
        error_setg_errno(errp, errno, "cannot set up guest memory '%s'",
                         OBJECT(b)->id ? OBJECT(b)->id : "");
        return false;
    }
    b->mapped_size = size;
    b->fd = -1;
    return true;
}

static void ram_backend_class_init(ObjectClass *klass, void *data)
{
    MEMORY_BACKEND_CLASS(klass)->alloc = ram_backend_alloc;
}

static const TypeInfo ram_backend_info = {
    .name = TYPE_MEMORY_BACKEND_RAM,
    .parent = TYPE_MEMORY_BACKEND,
    .class_init = ram_backend_class_init,
};

void hostmem_ram_register_types(void);

void hostmem_ram_register_types(void)
{
    type_register_static(&ram_backend_info);
}
