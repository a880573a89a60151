/*
 * Helpers shared by the host memory backends (backends/hostmem*.c): the
 * mapping of QEMU 7.2's util/mmap-alloc.c qemu_ram_mmap and the fd checks
 * of softmmu/physmem.c qemu_ram_alloc_from_fd / file_ram_alloc.
 */
#ifndef BACKENDS_HOSTMEM_INTERNAL_H
#define BACKENDS_HOSTMEM_INTERNAL_H

#include "system/hostmem.h"

/* QEMU_VMALLOC_ALIGN on x86_64: anonymous RAM can use 2 MiB THP. */
#define HOSTMEM_ANON_ALIGN (2 * MiB)

typedef struct HostMemMapFlags {
    bool shared;
    bool readonly;
    bool noreserve;
} HostMemMapFlags;

/*
 * mmap of size bytes (fd, or anonymous when fd < 0) at an address aligned
 * to align; MAP_FAILED-free: NULL and errno on failure.
 */
void *hostmem_mmap(int fd, uint64_t size, uint64_t align,
                   const HostMemMapFlags *flags);
/* QEMU's qemu_fd_getpagesize: the huge page size on hugetlbfs. */
size_t hostmem_fd_pagesize(int fd);
/*
 * Maps fd as b's memory, as qemu_ram_alloc_from_fd: checks the file size
 * against b->size, the alignment against the page size, grows an empty
 * file. Sets b->ptr, b->mapped_size, b->fd (the fd is b's on success).
 */
bool hostmem_map_fd(HostMemoryBackend *b, int fd, uint64_t align,
                    bool readonly, Error **errp);
/* The RAM block name QEMU gives the backend (its id, or its path). */
char *hostmem_region_name(HostMemoryBackend *b);

#endif
