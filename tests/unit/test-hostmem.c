/*
 * Host memory backends (backends/hostmem*.c): the memory really is what
 * was asked for (a file, a memfd, shared, preallocated), seen through the
 * kernel (/proc/self/fd, /proc/self/maps, smaps VmFlags, mincore, seals);
 * and the machine RAM resolution of QEMU 7.2 (memory-backend=, -mem-path,
 * -mem-prealloc) with its errors.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/hostmem.h"
#include "system/iothread.h"

#include <sys/mman.h>
#include <sys/stat.h>

static char *tmpdir;

/* Creates a backend as -object would; NULL and *msg on failure. */
static HostMemoryBackend *backend_new(const char *arg, char **msg)
{
    QemuOpts *opts;
    Object *obj;
    Error *err = NULL;

    opts = qemu_opts_parse(&qemu_object_opts, arg, true, &error_abort);
    obj = user_creatable_add_opts(opts, &err);
    qemu_opts_del(opts);
    if (!obj) {
        g_assert_nonnull(msg);
        *msg = g_strdup(error_get_pretty(err));
        error_free(err);
        return NULL;
    }
    return MEMORY_BACKEND(obj);
}

static HostMemoryBackend *backend_ok(const char *fmt, ...)
    G_GNUC_PRINTF(1, 2);

static HostMemoryBackend *backend_ok(const char *fmt, ...)
{
    g_autofree char *arg = NULL;
    g_autofree char *msg = NULL;
    HostMemoryBackend *b;
    va_list ap;

    va_start(ap, fmt);
    arg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    b = backend_new(arg, &msg);
    if (!b) {
        g_error("%s: %s", arg, msg);
    }
    return b;
}

static void backend_error(const char *arg, const char *expected)
{
    g_autofree char *msg = NULL;

    g_assert_null(backend_new(arg, &msg));
    g_assert_cmpstr(msg, ==, expected);
}

static char *fd_target(int fd)
{
    g_autofree char *link = g_strdup_printf("/proc/self/fd/%d", fd);
    char *target = g_file_read_link(link, NULL);

    g_assert_nonnull(target);
    return target;
}

/* The /proc/self/maps line of the mapping that starts at ptr. */
static char *maps_line(void *ptr)
{
    g_autofree char *maps = NULL;
    g_autofree char *start = g_strdup_printf("%lx-", (unsigned long)ptr);
    g_auto(GStrv) lines = NULL;

    g_assert_true(g_file_get_contents("/proc/self/maps", &maps, NULL, NULL));
    lines = g_strsplit(maps, "\n", 0);
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, start)) {
            return g_strdup(*l);
        }
    }
    g_error("no mapping at %p", ptr);
}

/* The smaps VmFlags of the mapping that starts at ptr. */
static char *vm_flags(void *ptr)
{
    g_autofree char *smaps = NULL;
    g_autofree char *start = g_strdup_printf("%lx-", (unsigned long)ptr);
    char *p, *flags, *end;

    g_assert_true(g_file_get_contents("/proc/self/smaps", &smaps, NULL,
                                      NULL));
    p = strstr(smaps, start);
    g_assert_nonnull(p);
    flags = strstr(p, "VmFlags:");
    g_assert_nonnull(flags);
    end = strchr(flags, '\n');
    return g_strndup(flags, end - flags);
}

static size_t resident_pages(void *ptr, uint64_t size)
{
    size_t page = getpagesize(), n = size / page, count = 0;
    g_autofree unsigned char *vec = g_malloc(n);

    g_assert_cmpint(mincore(ptr, size, vec), ==, 0);
    for (size_t i = 0; i < n; i++) {
        count += vec[i] & 1;
    }
    return count;
}

static void test_ram_private_and_shared(void)
{
    HostMemoryBackend *b = backend_ok("memory-backend-ram,id=r0,size=4M");
    g_autofree char *line = maps_line(b->ptr);
    g_autofree char *line2 = NULL;

    g_assert_cmpint(host_memory_backend_fd(b), ==, -1);
    g_assert_cmpuint(host_memory_backend_size(b), ==, 4 * MiB);
    g_assert_cmpuint((uintptr_t)b->ptr % (2 * MiB), ==, 0);
    g_assert_nonnull(strstr(line, " rw-p "));
    /* nothing touched: nothing resident */
    g_assert_cmpuint(resident_pages(b->ptr, 4 * MiB), ==, 0);
    user_creatable_del("r0");

    b = backend_ok("memory-backend-ram,id=r1,size=4M,share=on");
    line2 = maps_line(b->ptr);
    g_assert_nonnull(strstr(line2, " rw-s "));
    user_creatable_del("r1");
}

static void test_merge_dump_flags(void)
{
    HostMemoryBackend *b = backend_ok("memory-backend-ram,id=f0,size=2M,"
                                      "merge=on,dump=off");
    g_autofree char *flags = vm_flags(b->ptr);
    g_autofree char *flags2 = NULL;

    g_assert_nonnull(strstr(flags, " mg"));
    g_assert_nonnull(strstr(flags, " dd"));
    user_creatable_del("f0");

    b = backend_ok("memory-backend-ram,id=f1,size=2M,merge=off,dump=on");
    flags2 = vm_flags(b->ptr);
    g_assert_null(strstr(flags2, " mg"));
    g_assert_null(strstr(flags2, " dd"));
    user_creatable_del("f1");
}

static void test_prealloc(void)
{
    HostMemoryBackend *b = backend_ok("memory-backend-ram,id=p0,size=4M,"
                                      "prealloc=on,prealloc-threads=2");

    g_assert_cmpuint(resident_pages(b->ptr, 4 * MiB), ==,
                     4 * MiB / getpagesize());
    user_creatable_del("p0");

    b = backend_ok("memory-backend-memfd,id=p1,size=2M,prealloc=on");
    g_assert_cmpuint(resident_pages(b->ptr, 2 * MiB), ==,
                     2 * MiB / getpagesize());
    user_creatable_del("p1");
}

static void test_noreserve(void)
{
    HostMemoryBackend *b = backend_ok("memory-backend-ram,id=n0,size=2M,"
                                      "reserve=off");
    g_autofree char *flags = vm_flags(b->ptr);

    g_assert_nonnull(strstr(flags, " nr"));
    user_creatable_del("n0");
}

static void test_file_backed(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "ram0", NULL);
    g_autofree char *target = NULL;
    g_autofree char *line = NULL;
    HostMemoryBackend *b;
    struct stat st;
    char byte = 0;
    int fd;

    b = backend_ok("memory-backend-file,id=file0,size=1M,mem-path=%s,"
                   "share=on", path);
    fd = host_memory_backend_fd(b);
    g_assert_cmpint(fd, >=, 0);
    target = fd_target(fd);
    g_assert_cmpstr(target, ==, path);
    line = maps_line(b->ptr);
    g_assert_true(g_str_has_suffix(line, path));
    g_assert_nonnull(strstr(line, " rw-s "));
    /* a new file is grown to the size */
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 1 * MiB);
    /* share=on: the guest's write reaches the file */
    ((char *)b->ptr)[4096] = 'G';
    g_assert_cmpint(pread(fd, &byte, 1, 4096), ==, 1);
    g_assert_cmpint(byte, ==, 'G');
    user_creatable_del("file0");
    /* the user's file stays */
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void test_file_private(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "ram1", NULL);
    HostMemoryBackend *b;
    char byte = 1;

    b = backend_ok("memory-backend-file,id=file1,size=1M,mem-path=%s", path);
    ((char *)b->ptr)[0] = 'P';
    g_assert_cmpint(pread(host_memory_backend_fd(b), &byte, 1, 0), ==, 1);
    g_assert_cmpint(byte, ==, 0);      /* private: the file is untouched */
    user_creatable_del("file1");
}

static void test_file_in_directory(void)
{
    g_autofree char *target = NULL;
    g_autofree char *prefix = g_strdup_printf("%s/qemu_back_mem.dir0.",
                                              tmpdir);
    HostMemoryBackend *b;
    GDir *dir;

    b = backend_ok("memory-backend-file,id=dir0,size=1M,mem-path=%s",
                   tmpdir);
    target = fd_target(host_memory_backend_fd(b));
    g_assert_true(g_str_has_prefix(target, prefix));
    g_assert_true(g_str_has_suffix(target, " (deleted)"));
    user_creatable_del("dir0");
    /* the temporary file left no name behind */
    dir = g_dir_open(tmpdir, 0, NULL);
    for (const char *n; (n = g_dir_read_name(dir));) {
        g_assert_false(g_str_has_prefix(n, "qemu_back_mem"));
    }
    g_dir_close(dir);
}

static void test_file_readonly(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "ro", NULL);
    g_autofree char *line = NULL;
    HostMemoryBackend *b;

    g_assert_true(g_file_set_contents(path, "", 0, NULL));
    g_assert_cmpint(truncate(path, 1 * MiB), ==, 0);
    b = backend_ok("memory-backend-file,id=ro0,size=1M,mem-path=%s,"
                   "readonly=on", path);
    line = maps_line(b->ptr);
    g_assert_nonnull(strstr(line, " r--p "));
    g_assert_cmpint(fcntl(host_memory_backend_fd(b), F_GETFL) & O_ACCMODE,
                    ==, O_RDONLY);
    user_creatable_del("ro0");
}

static void test_file_errors(void)
{
    g_autofree char *small = g_build_filename(tmpdir, "small", NULL);
    g_autofree char *fresh = g_build_filename(tmpdir, "fresh", NULL);
    g_autofree char *arg = NULL;

    g_assert_true(g_file_set_contents(small, "x", 1, NULL));
    g_assert_cmpint(truncate(small, 4096), ==, 0);
    arg = g_strdup_printf("memory-backend-file,id=e0,size=1M,mem-path=%s",
                          small);
    backend_error(arg, "backing store size 0x1000 does not match 'size' "
                  "option 0x100000");
    g_free(arg);
    arg = g_strdup_printf("memory-backend-file,id=e0,size=1M,mem-path=%s,"
                          "align=3", fresh);
    backend_error(arg, "alignment 0x3 must be multiples of page size "
                  "0x1000");
    /* a file created for a failed backend is removed again */
    g_assert_false(g_file_test(fresh, G_FILE_TEST_EXISTS));
    g_free(arg);
    arg = g_strdup_printf("memory-backend-file,id=e0,size=1M,mem-path=%s,"
                          "align=12k", fresh);
    backend_error(arg, "alignment 0x3000 must be a power of two");
    /* a valid alignment is honoured */
    g_assert_cmpuint((uintptr_t)host_memory_backend_get_ptr(
                         backend_ok("memory-backend-file,id=e1,size=1M,"
                                    "mem-path=%s,align=8M", fresh)) %
                     (8 * MiB), ==, 0);
    user_creatable_del("e1");
}

static void test_memfd(void)
{
    HostMemoryBackend *b = backend_ok("memory-backend-memfd,id=mfd0,"
                                      "size=2M");
    g_autofree char *target = fd_target(host_memory_backend_fd(b));
    g_autofree char *line = maps_line(b->ptr);
    int fd = host_memory_backend_fd(b);
    uint8_t *other;

    g_assert_cmpstr(target, ==, "/memfd:memory-backend-memfd (deleted)");
    g_assert_nonnull(strstr(line, " rw-s "));     /* shared by default */
    g_assert_cmpint(fcntl(fd, F_GET_SEALS), ==,
                    F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
    g_assert_cmpint(ftruncate(fd, 4 * MiB), ==, -1);
    g_assert_cmpint(errno, ==, EPERM);
    /* a second mapping of the fd (another process's view) sees writes */
    other = mmap(NULL, 2 * MiB, PROT_READ, MAP_SHARED, fd, 0);
    g_assert_true(other != MAP_FAILED);
    ((uint8_t *)b->ptr)[12345] = 0xa5;
    g_assert_cmpint(other[12345], ==, 0xa5);
    munmap(other, 2 * MiB);
    user_creatable_del("mfd0");

    b = backend_ok("memory-backend-memfd,id=mfd1,size=2M,seal=off");
    /* without MFD_ALLOW_SEALING the kernel seals only further sealing */
    g_assert_cmpint(fcntl(host_memory_backend_fd(b), F_GET_SEALS), ==,
                    F_SEAL_SEAL);
    user_creatable_del("mfd1");

    b = backend_ok("memory-backend-memfd,id=mfd2,size=2M,share=off");
    g_free(line);
    line = maps_line(b->ptr);
    g_assert_nonnull(strstr(line, " rw-p "));
    user_creatable_del("mfd2");
}

static bool host_has_hugepages(void)
{
    g_autofree char *meminfo = NULL;
    const char *p;

    g_assert_true(g_file_get_contents("/proc/meminfo", &meminfo, NULL,
                                      NULL));
    p = strstr(meminfo, "HugePages_Free:");
    return p && strtoul(p + strlen("HugePages_Free:"), NULL, 10) > 0;
}

static void test_memfd_hugetlb(void)
{
    HostMemoryBackend *b;
    g_autofree char *target = NULL;

    /*
     * The flag reaches memfd_create either way: without huge pages a
     * 1 MiB hugetlb memfd cannot be sized (what QEMU 7.2 reports too),
     * while a normal memfd can.
     */
    backend_error("memory-backend-memfd,id=h0,size=1M,hugetlb=on",
                  "failed to resize memfd to 1048576: Invalid argument");
    if (!host_has_hugepages()) {
        g_test_skip("no free huge pages on this host "
                    "(/proc/sys/vm/nr_hugepages): hugetlb mapping untested");
        return;
    }
    b = backend_ok("memory-backend-memfd,id=h1,size=2M,hugetlb=on,"
                   "hugetlbsize=2M");
    target = fd_target(host_memory_backend_fd(b));
    g_assert_cmpstr(target, ==, "/memfd:memory-backend-memfd (deleted)");
    g_assert_cmpuint(host_memory_backend_pagesize(b), ==, 2 * MiB);
    user_creatable_del("h1");
}

static void test_find(void)
{
    Error *err = NULL;
    QemuOpts *opts;

    g_assert_null(host_memory_backend_find("nosuch", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Memory backend 'nosuch' not found");
    error_free(err);
    err = NULL;

    /* an object of another type is not a memory backend */
    opts = qemu_opts_parse(&qemu_object_opts, "iothread,id=notmem", true,
                           &error_abort);
    g_assert_nonnull(user_creatable_add_opts(opts, &error_abort));
    qemu_opts_del(opts);
    g_assert_null(host_memory_backend_find("notmem", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Memory backend 'notmem' not found");
    error_free(err);
    user_creatable_del("notmem");
}

static void test_machine_ram_memdev(void)
{
    HostMemoryBackend *b = backend_ok("memory-backend-ram,id=mr0,size=64M");
    uint64_t ram_size = 128 * MiB;
    Error *err = NULL;

    /* without -m, the backend's size is the machine's */
    g_assert_true(host_memory_backend_machine_ram("mr0", NULL, "microvm.ram",
                                                  &ram_size, false, &err) ==
                  b);
    g_assert_cmpuint(ram_size, ==, 64 * MiB);
    g_assert_true(host_memory_backend_is_mapped(b));
    /* a backend is guest RAM once */
    g_assert_null(host_memory_backend_machine_ram("mr0", NULL, "microvm.ram",
                                                  &ram_size, false, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "memory backend mr0 can't be used multiple times.");
    error_free(err);
    err = NULL;
    user_creatable_del("mr0");

    backend_ok("memory-backend-ram,id=mr1,size=64M");
    ram_size = 128 * MiB;
    g_assert_null(host_memory_backend_machine_ram("mr1", NULL, "microvm.ram",
                                                  &ram_size, true, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Machine memory size does not match the size of the "
                    "memory backend");
    error_free(err);
    err = NULL;
    user_creatable_del("mr1");

    g_assert_null(host_memory_backend_machine_ram("nosuch", NULL,
                                                  "microvm.ram", &ram_size,
                                                  true, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Memory backend 'nosuch' not found");
    error_free(err);
}

static void test_machine_ram_default(void)
{
    uint64_t ram_size = 8 * MiB;
    HostMemoryBackend *b;
    g_autofree char *target = NULL;
    g_autofree char *prefix = g_strdup_printf("%s/qemu_back_mem.microvm.ram.",
                                              tmpdir);
    Error *err = NULL;

    b = host_memory_backend_machine_ram(NULL, NULL, "microvm.ram", &ram_size,
                                        false, &error_abort);
    g_assert_true(object_dynamic_cast(OBJECT(b), TYPE_MEMORY_BACKEND_RAM));
    g_assert_cmpuint(host_memory_backend_size(b), ==, 8 * MiB);
    g_assert_true(object_find_by_id("objects", "microvm.ram") == OBJECT(b));
    g_assert_false(b->prealloc);
    user_creatable_del("microvm.ram");

    /* -mem-path DIR -mem-prealloc: a preallocated temporary file there */
    host_memory_backend_set_mem_prealloc(0);
    b = host_memory_backend_machine_ram(NULL, tmpdir, "microvm.ram",
                                        &ram_size, false, &error_abort);
    host_memory_backend_reset_defaults();
    g_assert_true(object_dynamic_cast(OBJECT(b), TYPE_MEMORY_BACKEND_FILE));
    target = fd_target(host_memory_backend_fd(b));
    g_assert_true(g_str_has_prefix(target, prefix));
    g_assert_true(b->prealloc);
    g_assert_cmpuint(resident_pages(b->ptr, 8 * MiB), ==,
                     8 * MiB / getpagesize());
    user_creatable_del("microvm.ram");

    /* the default RAM's name is reserved */
    backend_ok("memory-backend-ram,id=microvm.ram,size=1M");
    g_assert_null(host_memory_backend_machine_ram(NULL, NULL, "microvm.ram",
                                                  &ram_size, false, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "object name 'microvm.ram' is reserved for the default "
                    "RAM backend, it can't be used for any other purposes. "
                    "Change the object's 'id' to something else");
    error_free(err);
    user_creatable_del("microvm.ram");
}

/* -mem-prealloc is sugar that a backend's own reserve=off contradicts */
static void test_mem_prealloc_sugar(void)
{
    HostMemoryBackend *b;

    host_memory_backend_set_mem_prealloc(3);
    b = backend_ok("memory-backend-ram,id=s0,size=2M");
    g_assert_true(b->prealloc);
    g_assert_cmpuint(b->prealloc_threads, ==, 3);
    user_creatable_del("s0");
    b = backend_ok("memory-backend-ram,id=s1,size=2M,prealloc=off");
    g_assert_false(b->prealloc);
    user_creatable_del("s1");
    backend_error("memory-backend-ram,id=s2,size=2M,reserve=off",
                  "'prealloc=on' and 'reserve=off' are incompatible");
    host_memory_backend_reset_defaults();

    /* machine defaults: mem-merge, dump-guest-core, -smp cpus */
    host_memory_backend_set_machine_defaults(false, false, 4);
    b = backend_ok("memory-backend-ram,id=s3,size=2M");
    g_assert_false(b->merge);
    g_assert_false(b->dump);
    g_assert_cmpuint(b->prealloc_threads, ==, 4);
    user_creatable_del("s3");
    host_memory_backend_reset_defaults();
}

static void test_alloc_api(void)
{
    HostMemoryBackend *b = backend_ok("memory-backend-ram,id=a0,size=2M");
    Error *err = NULL;

    /* already mapped at creation: the same size is a no-op */
    g_assert_true(host_memory_backend_alloc(b, 2 * MiB, &error_abort));
    g_assert_true(host_memory_backend_alloc(b, 0, &error_abort));
    g_assert_false(host_memory_backend_alloc(b, 4 * MiB, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Machine memory size does not match the size of the "
                    "memory backend");
    error_free(err);
    err = NULL;
    /* mapped memory cannot change shape */
    g_assert_false(object_property_parse(OBJECT(b), "size", "4M", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "cannot change property size of memory-backend-ram ");
    error_free(err);
    user_creatable_del("a0");
}

static void remove_tmpdir(void)
{
    GDir *dir = g_dir_open(tmpdir, 0, NULL);

    for (const char *n; dir && (n = g_dir_read_name(dir));) {
        g_autofree char *p = g_build_filename(tmpdir, n, NULL);

        unlink(p);
    }
    if (dir) {
        g_dir_close(dir);
    }
    rmdir(tmpdir);
    g_free(tmpdir);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    object_add_register_types();
    hostmem_register_types();
    iothread_register_types();
    tmpdir = g_dir_make_tmp("test-hostmem-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);

    g_test_add_func("/hostmem/ram", test_ram_private_and_shared);
    g_test_add_func("/hostmem/merge-dump", test_merge_dump_flags);
    g_test_add_func("/hostmem/prealloc", test_prealloc);
    g_test_add_func("/hostmem/noreserve", test_noreserve);
    g_test_add_func("/hostmem/file", test_file_backed);
    g_test_add_func("/hostmem/file-private", test_file_private);
    g_test_add_func("/hostmem/file-directory", test_file_in_directory);
    g_test_add_func("/hostmem/file-readonly", test_file_readonly);
    g_test_add_func("/hostmem/file-errors", test_file_errors);
    g_test_add_func("/hostmem/memfd", test_memfd);
    g_test_add_func("/hostmem/memfd-hugetlb", test_memfd_hugetlb);
    g_test_add_func("/hostmem/find", test_find);
    g_test_add_func("/hostmem/machine-ram-memdev", test_machine_ram_memdev);
    g_test_add_func("/hostmem/machine-ram-default",
                    test_machine_ram_default);
    g_test_add_func("/hostmem/mem-prealloc", test_mem_prealloc_sugar);
    g_test_add_func("/hostmem/alloc-api", test_alloc_api);
    ret = g_test_run();

    remove_tmpdir();
    return ret;
}
