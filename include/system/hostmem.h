/*
 * Host memory backends: where guest RAM comes from (anonymous memory, a
 * file, a memfd), as QEMU 7.2's backends/hostmem*.c and include/sysemu/
 * hostmem.h, with the mapping of softmmu/physmem.c (file_ram_open,
 * file_ram_alloc) and util/memfd.c.
 */
#ifndef SYSTEM_HOSTMEM_H
#define SYSTEM_HOSTMEM_H

#include "system/object-add.h"

#define TYPE_MEMORY_BACKEND "memory-backend"
#define TYPE_MEMORY_BACKEND_RAM "memory-backend-ram"
#define TYPE_MEMORY_BACKEND_FILE "memory-backend-file"
#define TYPE_MEMORY_BACKEND_MEMFD "memory-backend-memfd"

/* QEMU's MAX_NODES: host-nodes values are below it. */
#define HOSTMEM_MAX_NODES 128

typedef enum HostMemPolicy {    /* QEMU's QAPI order = Linux MPOL_* */
    HOST_MEM_POLICY_DEFAULT,
    HOST_MEM_POLICY_PREFERRED,
    HOST_MEM_POLICY_BIND,
    HOST_MEM_POLICY_INTERLEAVE,
} HostMemPolicy;

typedef struct HostMemoryBackend {
    Object parent_obj;

    /* properties */
    uint64_t size;
    bool merge;
    bool dump;
    bool prealloc;
    uint32_t prealloc_threads;
    Object *prealloc_context;
    bool share;
    bool reserve;
    bool use_canonical_path;
    int policy;                 /* HostMemPolicy */
    char *host_nodes_str;       /* "0,2-3" as given */
    /* one extra bit: Linux's mbind drops the last node of maxnode */
    unsigned long host_nodes[(HOSTMEM_MAX_NODES + 1 + 63) / 64];

    /* the mapping, once allocated */
    void *ptr;
    uint64_t mapped_size;
    int fd;                     /* -1: anonymous */
    bool is_mapped;             /* in use as guest RAM */
} HostMemoryBackend;

typedef struct HostMemoryBackendClass {
    UserCreatableClass parent_class;
    /* Maps b->size bytes: sets b->ptr, b->mapped_size and b->fd. */
    bool (*alloc)(HostMemoryBackend *b, Error **errp);
} HostMemoryBackendClass;

typedef struct HostMemoryBackendFile {
    HostMemoryBackend parent_obj;
    char *mem_path;
    uint64_t align;
    bool discard_data;
    bool is_pmem;
    bool readonly;
} HostMemoryBackendFile;

typedef struct HostMemoryBackendMemfd {
    HostMemoryBackend parent_obj;
    bool hugetlb;
    uint64_t hugetlbsize;
    bool seal;
} HostMemoryBackendMemfd;

#define MEMORY_BACKEND(obj) \
    OBJECT_CHECK(HostMemoryBackend, (obj), TYPE_MEMORY_BACKEND)
#define MEMORY_BACKEND_CLASS(klass) \
    OBJECT_CLASS_CHECK(HostMemoryBackendClass, (klass), TYPE_MEMORY_BACKEND)
#define MEMORY_BACKEND_GET_CLASS(obj) \
    OBJECT_GET_CLASS(HostMemoryBackendClass, (obj), TYPE_MEMORY_BACKEND)
#define MEMORY_BACKEND_FILE(obj) \
    OBJECT_CHECK(HostMemoryBackendFile, (obj), TYPE_MEMORY_BACKEND_FILE)
#define MEMORY_BACKEND_MEMFD(obj) \
    OBJECT_CHECK(HostMemoryBackendMemfd, (obj), TYPE_MEMORY_BACKEND_MEMFD)

void hostmem_register_types(void);

/*
 * What QEMU's host_memory_backend_init reads from the machine: mem-merge,
 * dump-guest-core and -smp cpus (prealloc threads). Call before creating
 * backends; defaults are on, on, 1.
 */
void host_memory_backend_set_machine_defaults(bool merge, bool dump,
                                              uint32_t smp_cpus);
/*
 * -mem-prealloc: every backend created afterwards starts with prealloc=on
 * (QEMU 7.2's sugar property on "memory-backend"); threads, when non-zero,
 * is -smp cpus given explicitly (sugar for prealloc-threads).
 */
void host_memory_backend_set_mem_prealloc(uint32_t threads);
/* Forgets the two settings above (tests). */
void host_memory_backend_reset_defaults(void);

/*
 * -machine memory-backend=ID: the backend, or QEMU's
 * "Memory backend 'ID' not found" (also for an object of another type).
 */
HostMemoryBackend *host_memory_backend_find(const char *id, Error **errp);
/*
 * Maps the backend if it is not yet (user backends are mapped when
 * created, as QEMU's complete does): anonymous/file/memfd, MAP_SHARED
 * when share=on, MAP_NORESERVE unless reserve, madvise merge/dump/
 * hugepage, NUMA policy, prealloc touching every page. size must equal
 * the backend's size once set; 0 means the backend's.
 */
bool host_memory_backend_alloc(HostMemoryBackend *b, uint64_t size,
                               Error **errp);
void *host_memory_backend_get_ptr(HostMemoryBackend *b);
uint64_t host_memory_backend_size(HostMemoryBackend *b);
/* The backing fd (file, memfd), or -1 for anonymous memory. */
int host_memory_backend_fd(HostMemoryBackend *b);
/* Host page size of the mapping (the huge page size for hugetlbfs). */
size_t host_memory_backend_pagesize(HostMemoryBackend *b);
bool host_memory_backend_is_mapped(HostMemoryBackend *b);
void host_memory_backend_set_mapped(HostMemoryBackend *b, bool mapped);

/*
 * QEMU 7.2's guest RAM resolution for a board with default RAM id
 * default_ram_id ("microvm.ram"):
 * - with memdev_id (-machine memory-backend=): the backend; when -m was
 *   not given (*ram_size_given false) *ram_size becomes its size,
 *   otherwise the sizes must match ("Machine memory size does not match
 *   the size of the memory backend"); a backend used twice is refused;
 * - otherwise QEMU's create_default_memdev: a memory-backend-ram, or a
 *   memory-backend-file on mem_path (-mem-path), of *ram_size bytes,
 *   registered as default_ram_id (refused if a user object took it).
 * The backend returned is mapped and marked in use.
 */
HostMemoryBackend *host_memory_backend_machine_ram(const char *memdev_id,
                                                   const char *mem_path,
                                                   const char *default_ram_id,
                                                   uint64_t *ram_size,
                                                   bool ram_size_given,
                                                   Error **errp);

#endif
