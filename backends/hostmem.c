/*
 * The abstract memory-backend: properties common to every host memory
 * backend, mapping, NUMA policy, preallocation, and the machine's RAM.
 *
 * Matches QEMU 7.2's backends/hostmem.c (properties, checks and
 * host_memory_backend_memory_complete), util/oslib-posix.c
 * qemu_prealloc_mem, and hw/core/machine.c create_default_memdev /
 * machine_run_board_init with softmmu/vl.c qemu_resolve_machine_memdev.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "system/hostmem.h"
#include "hostmem-internal.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define HUGETLBFS_MAGIC 0x958458f6
#define MPOL_MF_STRICT (1 << 0)
#define MPOL_MF_MOVE (1 << 1)

/* What QEMU's host_memory_backend_init reads from the machine. */
static bool machine_mem_merge = true;
static bool machine_dump_guest_core = true;
static uint32_t machine_smp_cpus = 1;
/* -mem-prealloc sugar */
static bool sugar_prealloc;
static uint32_t sugar_prealloc_threads;

void host_memory_backend_set_machine_defaults(bool merge, bool dump,
                                              uint32_t smp_cpus)
{
    machine_mem_merge = merge;
    machine_dump_guest_core = dump;
    machine_smp_cpus = smp_cpus ? smp_cpus : 1;
}

void host_memory_backend_set_mem_prealloc(uint32_t threads)
{
    sugar_prealloc = true;
    sugar_prealloc_threads = threads;
}

void host_memory_backend_reset_defaults(void)
{
    host_memory_backend_set_machine_defaults(true, true, 1);
    sugar_prealloc = false;
    sugar_prealloc_threads = 0;
}

/* ---- Mapping ----------------------------------------------------------- */

void *hostmem_mmap(int fd, uint64_t size, uint64_t align,
                   const HostMemMapFlags *flags)
{
    int prot = flags->readonly ? PROT_READ : PROT_READ | PROT_WRITE;
    int mflags = MAP_FIXED | (flags->shared ? MAP_SHARED : MAP_PRIVATE) |
                 (flags->noreserve ? MAP_NORESERVE : 0) |
                 (fd < 0 ? MAP_ANONYMOUS : 0);
    uint64_t total = size + align;
    uint8_t *base, *aligned, *ptr;

    if (size == 0 || total < size) {
        errno = EINVAL;
        return NULL;
    }
    /* Reserve room to place the mapping at an aligned address */
    base = mmap(NULL, total, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        return NULL;
    }
    aligned = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)base, align);
    ptr = mmap(aligned, size, prot, mflags, fd, 0);
    if (ptr == MAP_FAILED) {
        int err = errno;

        munmap(base, total);
        errno = err;
        return NULL;
    }
    if (aligned > base) {
        munmap(base, aligned - base);
    }
    if (base + total > aligned + size) {
        munmap(aligned + size, base + total - (aligned + size));
    }
    return ptr;
}

size_t hostmem_fd_pagesize(int fd)
{
    struct statfs fs;

    if (fd >= 0 && fstatfs(fd, &fs) == 0 && fs.f_type == HUGETLBFS_MAGIC) {
        return fs.f_bsize;
    }
    return getpagesize();
}

char *hostmem_region_name(HostMemoryBackend *b)
{
    const char *id = OBJECT(b)->id ? OBJECT(b)->id : "";

    return b->use_canonical_path ? g_strdup_printf("/objects/%s", id)
                                 : g_strdup(id);
}

bool hostmem_map_fd(HostMemoryBackend *b, int fd, uint64_t align,
                    bool readonly, Error **errp)
{
    size_t page = hostmem_fd_pagesize(fd);
    uint64_t size = QEMU_ALIGN_UP(b->size, (uint64_t)getpagesize());
    HostMemMapFlags flags = {
        .shared = b->share, .readonly = readonly, .noreserve = !b->reserve,
    };
    struct stat st;
    off_t file_size = fstat(fd, &st) == 0 ? st.st_size : -1;
    void *ptr;

    if (file_size > 0 && (uint64_t)file_size < size) {
        error_setg(errp, "backing store size 0x%" PRIx64
                   " does not match 'size' option 0x%" PRIx64,
                   (uint64_t)file_size, size);
        return false;
    }
    if (align % page) {
        error_setg(errp, "alignment 0x%" PRIx64
                   " must be multiples of page size 0x%zx", align, page);
        return false;
    }
    if (align & (align - 1)) {
        error_setg(errp, "alignment 0x%" PRIx64 " must be a power of two",
                   align);
        return false;
    }
    align = MAX(align, page);
    if (size < page) {
        error_setg(errp, "memory size 0x%" PRIx64 " must be equal to or "
                   "larger than page size 0x%zx", size, page);
        return false;
    }
    size = QEMU_ALIGN_UP(size, page);
    /* Only an empty file is grown: a non-empty one may hold data */
    if (file_size == 0 && ftruncate(fd, size)) {
        perror("ftruncate");
    }
    ptr = hostmem_mmap(fd, size, align, &flags);
    if (!ptr) {
        error_setg_errno(errp, errno,
                         "unable to map backing store for guest RAM");
        return false;
    }
    b->ptr = ptr;
    b->mapped_size = size;
    b->fd = fd;
    return true;
}

/* ---- Preallocation (qemu_prealloc_mem) --------------------------------- */

typedef struct PreallocJob {
    uint8_t *start;
    uint64_t len;
    size_t page;
    bool readonly;
    int err;
} PreallocJob;

static gpointer prealloc_thread(gpointer opaque)
{
    PreallocJob *job = opaque;
    int advice = job->readonly ? MADV_POPULATE_READ : MADV_POPULATE_WRITE;

    if (madvise(job->start, job->len, advice) == 0) {
        return NULL;
    }
    if (errno != EINVAL) {
        job->err = errno;
        return NULL;
    }
    /* Kernels before 5.14: fault every page in by touching it */
    for (uint64_t off = 0; off < job->len; off += job->page) {
        volatile uint8_t *p = job->start + off;

        if (job->readonly) {
            (void)*p;
        } else {
            *p = *p;
        }
    }
    return NULL;
}

static bool hostmem_prealloc(HostMemoryBackend *b, bool readonly,
                             Error **errp)
{
    size_t page = host_memory_backend_pagesize(b);
    uint64_t pages = b->mapped_size / page;
    uint64_t nthreads = MIN((uint64_t)MAX(b->prealloc_threads, 1), pages);
    g_autofree PreallocJob *jobs = g_new0(PreallocJob, nthreads);
    g_autofree GThread **threads = g_new0(GThread *, nthreads);
    uint64_t per = pages / nthreads, extra = pages % nthreads;
    uint8_t *p = b->ptr;
    int err = 0;

    for (uint64_t i = 0; i < nthreads; i++) {
        uint64_t n = per + (i < extra);

        jobs[i] = (PreallocJob) {
            .start = p, .len = n * page, .page = page, .readonly = readonly,
        };
        p += n * page;
        threads[i] = nthreads == 1 ? NULL :
                     g_thread_new("prealloc", prealloc_thread, &jobs[i]);
        if (!threads[i]) {
            prealloc_thread(&jobs[i]);
        }
    }
    for (uint64_t i = 0; i < nthreads; i++) {
        if (threads[i]) {
            g_thread_join(threads[i]);
        }
        err = err ? err : jobs[i].err;
    }
    if (err) {
        error_setg_errno(errp, err,
                         "qemu_prealloc_mem: preallocating memory failed");
        return false;
    }
    return true;
}

/* ---- Properties -------------------------------------------------------- */

static const char *const HostMemPolicy_lookup[] = {
    "default", "preferred", "bind", "interleave", NULL,
};

static bool check_size(Object *obj, const Property *prop, const void *value,
                       Error **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (b->ptr) {
        /* QEMU's message ends with a space */
        error_setg(errp, "cannot change property %s of %s ", prop->name,
                   object_get_typename(obj));
        return false;
    }
    if (*(const uint64_t *)value == 0) {
        error_setg(errp, "property '%s' of %s doesn't take value '0'",
                   prop->name, object_get_typename(obj));
        return false;
    }
    return true;
}

static bool check_prealloc_threads(Object *obj, const Property *prop,
                                   const void *value, Error **errp)
{
    if (*(const uint32_t *)value == 0) {
        error_setg(errp, "property '%s' of %s doesn't take value '0'",
                   prop->name, object_get_typename(obj));
        return false;
    }
    return true;
}

static bool check_prealloc(Object *obj, const Property *prop,
                           const void *value, Error **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    bool on = *(const bool *)value;

    if (on && !b->reserve) {
        error_setg(errp, "'prealloc=on' and 'reserve=off' are incompatible");
        return false;
    }
    /* Turning it on for mapped memory preallocates now, as QEMU does */
    if (on && !b->prealloc && b->ptr) {
        return hostmem_prealloc(b, false, errp);
    }
    return true;
}

static bool check_not_mapped(Object *obj, Error **errp)
{
    if (MEMORY_BACKEND(obj)->ptr) {
        error_setg(errp, "cannot change property value");
        return false;
    }
    return true;
}

static bool check_share(Object *obj, const Property *prop, const void *value,
                        Error **errp)
{
    return check_not_mapped(obj, errp);
}

static bool check_reserve(Object *obj, const Property *prop,
                          const void *value, Error **errp)
{
    if (!check_not_mapped(obj, errp)) {
        return false;
    }
    if (MEMORY_BACKEND(obj)->prealloc && !*(const bool *)value) {
        error_setg(errp, "'prealloc=on' and 'reserve=off' are incompatible");
        return false;
    }
    return true;
}

/*
 * host-nodes: "N" or "A-B" items joined by ',' (object-add joins the
 * repeated option); nodes accumulate like QEMU's bitmap_set.
 */
static bool check_host_nodes(Object *obj, const Property *prop,
                             const void *value, Error **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    const char *str = *(const char *const *)value;
    g_auto(GStrv) items = g_strsplit(str ? str : "", ",", 0);
    GArray *nodes = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    bool ok = true;

    for (char **it = items; *it && ok; it++) {
        g_auto(GStrv) ends = g_strsplit(*it, "-", 2);
        uint64_t lo, hi;

        if (!**it) {
            continue;
        }
        if (qemu_strtou64(ends[0], NULL, 0, &lo) ||
            qemu_strtou64(ends[1] ? ends[1] : ends[0], NULL, 0, &hi) ||
            hi < lo || hi > UINT16_MAX) {
            error_setg(errp, "Parameter '%s' expects a uint64 value or range",
                       prop->name);
            ok = false;
            break;
        }
        for (uint64_t n = lo; n <= hi && ok; n++) {
            if (n >= HOSTMEM_MAX_NODES) {
                error_setg(errp, "Invalid host-nodes value: %d", (int)n);
                ok = false;
            }
            g_array_append_val(nodes, n);
        }
    }
    for (guint i = 0; ok && i < nodes->len; i++) {
        uint64_t n = g_array_index(nodes, uint64_t, i);

        b->host_nodes[n / 64] |= 1ul << (n % 64);
    }
    g_array_free(nodes, TRUE);
    return ok;
}

/*
 * QEMU 7.2 declares these with object_class_property_add_*: help shows
 * QOM type names and no defaults; defaults come from instance_init (they
 * depend on the machine), so the table carries none. QAPI order.
 */
static const Property hostmem_properties[] = {
    { .name = "dump", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackend, dump),
      .description = "Set to 'off' to exclude from core dump" },
    { .name = "host-nodes", .info = &prop_info_string,
      .offset = offsetof(HostMemoryBackend, host_nodes_str),
      .description = "Binds memory to the list of NUMA host nodes",
      .type_name = "int", .check = check_host_nodes },
    { .name = "merge", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackend, merge),
      .description = "Mark memory as mergeable" },
    { .name = "policy", .info = &prop_info_enum,
      .offset = offsetof(HostMemoryBackend, policy),
      .description = "Set the NUMA policy", .enum_table = HostMemPolicy_lookup,
      .type_name = "HostMemPolicy" },
    { .name = "prealloc", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackend, prealloc),
      .description = "Preallocate memory", .check = check_prealloc },
    { .name = "prealloc-threads", .info = &prop_info_uint32,
      .offset = offsetof(HostMemoryBackend, prealloc_threads),
      .description = "Number of CPU threads to use for prealloc",
      .type_name = "int", .check = check_prealloc_threads },
    { .name = "prealloc-context", .info = &prop_info_link,
      .offset = offsetof(HostMemoryBackend, prealloc_context),
      .description = "Context to use for creating CPU threads for "
                     "preallocation",
      .link_type = "thread-context" },
    { .name = "share", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackend, share),
      .description = "Mark the memory as private to QEMU or shared",
      .check = check_share },
    { .name = "reserve", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackend, reserve),
      .description = "Reserve swap space (or huge pages) if applicable",
      .check = check_reserve },
    { .name = "size", .info = &prop_info_size,
      .offset = offsetof(HostMemoryBackend, size),
      .description = "Size of the memory region (ex: 500M)",
      .type_name = "int", .check = check_size },
    { .name = "x-use-canonical-path-for-ramblock-id", .info = &prop_info_bool,
      .offset = offsetof(HostMemoryBackend, use_canonical_path) },
    { .name = NULL }
};

static const char *const hostmem_required[] = { "size", NULL };
static const char *const hostmem_list_props[] = { "host-nodes", NULL };

/* ---- Completion -------------------------------------------------------- */

static bool hostmem_apply_policy(HostMemoryBackend *b, Error **errp)
{
    unsigned long maxnode = 0;

    for (unsigned long n = 0; n < HOSTMEM_MAX_NODES; n++) {
        if (b->host_nodes[n / 64] & (1ul << (n % 64))) {
            maxnode = n + 1;
        }
    }
    if (maxnode && b->policy == HOST_MEM_POLICY_DEFAULT) {
        error_setg(errp, "host-nodes must be empty for policy default,"
                   " or you should explicitly specify a policy other"
                   " than default");
        return false;
    }
    if (!maxnode && b->policy != HOST_MEM_POLICY_DEFAULT) {
        error_setg(errp, "host-nodes must be set for policy %s",
                   HostMemPolicy_lookup[b->policy]);
        return false;
    }
    /* maxnode + 1: Linux drops the last node of the mask it is given */
    if (maxnode &&
        syscall(SYS_mbind, b->ptr, b->mapped_size, b->policy, b->host_nodes,
                maxnode + 1, MPOL_MF_STRICT | MPOL_MF_MOVE)) {
        error_setg_errno(errp, errno,
                         "cannot bind memory to host NUMA nodes");
        return false;
    }
    return true;
}

static bool hostmem_is_readonly(HostMemoryBackend *b)
{
    HostMemoryBackendFile *fb = (HostMemoryBackendFile *)
        object_dynamic_cast(OBJECT(b), TYPE_MEMORY_BACKEND_FILE);

    return fb && fb->readonly;
}

static bool hostmem_do_alloc(HostMemoryBackend *b, Error **errp)
{
    HostMemoryBackendClass *bc = MEMORY_BACKEND_GET_CLASS(b);

    if (!bc->alloc(b, errp)) {
        return false;
    }
    if (b->merge) {
        madvise(b->ptr, b->mapped_size, MADV_MERGEABLE);
    }
    if (!b->dump) {
        madvise(b->ptr, b->mapped_size, MADV_DONTDUMP);
    }
    /* ram_block_add: transparent huge pages for guest RAM when possible */
    if (host_memory_backend_pagesize(b) == (size_t)getpagesize()) {
        madvise(b->ptr, b->mapped_size, MADV_HUGEPAGE);
    }
    /* NUMA policy first, so that preallocated pages obey it */
    if (!hostmem_apply_policy(b, errp) ||
        (b->prealloc && !hostmem_prealloc(b, hostmem_is_readonly(b), errp))) {
        munmap(b->ptr, b->mapped_size);
        b->ptr = NULL;
        b->mapped_size = 0;
        return false;
    }
    return true;
}

static bool hostmem_complete(Object *obj, Error **errp)
{
    return host_memory_backend_alloc(MEMORY_BACKEND(obj), 0, errp);
}

static void hostmem_instance_init(Object *obj)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    b->merge = machine_mem_merge;
    b->dump = machine_dump_guest_core;
    b->reserve = true;
    b->prealloc_threads = machine_smp_cpus;
    b->fd = -1;
    /* QEMU's sugar properties apply before the user's */
    if (sugar_prealloc) {
        b->prealloc = true;
        if (sugar_prealloc_threads) {
            b->prealloc_threads = sugar_prealloc_threads;
        }
    }
}

static void hostmem_instance_finalize(Object *obj)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (b->ptr) {
        munmap(b->ptr, b->mapped_size);
    }
    if (b->fd >= 0) {
        close(b->fd);
    }
}

static void hostmem_class_init(ObjectClass *klass, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(klass);

    ucc->complete = hostmem_complete;
    ucc->required = hostmem_required;
    ucc->list_props = hostmem_list_props;
    object_class_add_properties(klass, hostmem_properties);
}

static const TypeInfo hostmem_info = {
    .name = TYPE_MEMORY_BACKEND,
    .parent = TYPE_USER_CREATABLE,
    .abstract = true,
    .instance_size = sizeof(HostMemoryBackend),
    .instance_init = hostmem_instance_init,
    .instance_finalize = hostmem_instance_finalize,
    .class_size = sizeof(HostMemoryBackendClass),
    .class_init = hostmem_class_init,
};

void hostmem_ram_register_types(void);
void hostmem_file_register_types(void);
void hostmem_memfd_register_types(void);

void hostmem_register_types(void)
{
    type_register_static(&hostmem_info);
    hostmem_ram_register_types();
    hostmem_file_register_types();
    hostmem_memfd_register_types();
}

/* ---- API --------------------------------------------------------------- */

HostMemoryBackend *host_memory_backend_find(const char *id, Error **errp)
{
    Object *obj = object_find_by_id("objects", id);

    if (!obj || !object_dynamic_cast(obj, TYPE_MEMORY_BACKEND)) {
        error_setg(errp, "Memory backend '%s' not found", id);
        return NULL;
    }
    return MEMORY_BACKEND(obj);
}

bool host_memory_backend_alloc(HostMemoryBackend *b, uint64_t size,
                               Error **errp)
{
    if (b->ptr) {
        if (size && size != b->size) {
            error_setg(errp, "Machine memory size does not match the size "
                       "of the memory backend");
            return false;
        }
        return true;
    }
    if (size) {
        b->size = size;
    }
    if (!b->size) {
        error_setg(errp, "can't create backend with size 0");
        return false;
    }
    return hostmem_do_alloc(b, errp);
}

void *host_memory_backend_get_ptr(HostMemoryBackend *b)
{
    return b->ptr;
}

uint64_t host_memory_backend_size(HostMemoryBackend *b)
{
    return b->size;
}

int host_memory_backend_fd(HostMemoryBackend *b)
{
    return b->fd;
}

size_t host_memory_backend_pagesize(HostMemoryBackend *b)
{
    return hostmem_fd_pagesize(b->fd);
}

bool host_memory_backend_is_mapped(HostMemoryBackend *b)
{
    return b->is_mapped;
}

void host_memory_backend_set_mapped(HostMemoryBackend *b, bool mapped)
{
    b->is_mapped = mapped;
}

/* hw/core/machine.c create_default_memdev */
static HostMemoryBackend *create_default_memdev(const char *mem_path,
                                                const char *default_ram_id,
                                                uint64_t ram_size,
                                                Error **errp)
{
    Object *obj;
    g_autofree char *size = g_strdup_printf("%" PRIu64, ram_size);

    /* Debian's QEMU 7.2 refuses a user object that took the name */
    if (object_find_by_id("objects", default_ram_id)) {
        error_setg(errp, "object name '%s' is reserved for the default RAM "
                   "backend, it can't be used for any other purposes. "
                   "Change the object's 'id' to something else",
                   default_ram_id);
        return NULL;
    }
    obj = object_new(mem_path ? TYPE_MEMORY_BACKEND_FILE
                              : TYPE_MEMORY_BACKEND_RAM);
    if ((mem_path &&
         !object_property_parse(obj, "mem-path", mem_path, errp)) ||
        !object_property_parse(obj, "size", size, errp) ||
        !object_add_with_id("objects", default_ram_id, obj, errp)) {
        object_unref(obj);
        return NULL;
    }
    object_unref(obj);          /* the "objects" namespace holds it */
    if (!user_creatable_complete(obj, errp)) {
        object_remove_id("objects", default_ram_id);
        return NULL;
    }
    return MEMORY_BACKEND(obj);
}

HostMemoryBackend *host_memory_backend_machine_ram(const char *memdev_id,
                                                   const char *mem_path,
                                                   const char *default_ram_id,
                                                   uint64_t *ram_size,
                                                   bool ram_size_given,
                                                   Error **errp)
{
    HostMemoryBackend *b;

    if (!memdev_id) {
        b = create_default_memdev(mem_path, default_ram_id, *ram_size,
                                  errp);
    } else {
        b = host_memory_backend_find(memdev_id, errp);
        if (!b) {
            return NULL;
        }
        if (!ram_size_given) {
            *ram_size = b->size;
        } else if (b->size != *ram_size) {
            error_setg(errp, "Machine memory size does not match the size "
                       "of the memory backend");
            return NULL;
        }
        if (b->is_mapped) {
            error_setg(errp, "memory backend %s can't be used multiple "
                       "times.", memdev_id);
            return NULL;
        }
    }
    if (!b || !host_memory_backend_alloc(b, 0, errp)) {
        return NULL;
    }
    b->is_mapped = true;
    return b;
}
