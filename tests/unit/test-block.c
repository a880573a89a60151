/*
 * The block layer without KVM: cache modes (open flags, flushes),
 * partial and interrupted I/O, ENOSPC and EIO, discard and write-zeroes,
 * read-only refusal, offset/size windows and bounds, QEMU's lock bytes
 * against a second opener, where and when completions run, -blockdev's
 * JSON form.
 */
#include "qemu/osdep.h"
#include <sys/stat.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "block/block-int.h"

#define IMG_SIZE (1 * MiB)

static char *tmpdir;
static char *img;

/* ---- helpers ----------------------------------------------------------- */

static void make_image(void)
{
    int fd = open(img, O_RDWR | O_CREAT | O_TRUNC, 0600);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, IMG_SIZE), ==, 0);
    close(fd);
}

/* "k=v,k=v" (no escapes) as -drive's block options */
static BlockOpts *opts_from(const char *spec)
{
    BlockOpts *opts = block_opts_new();
    g_auto(GStrv) kv = g_strsplit(spec, ",", -1);

    for (int i = 0; kv[i]; i++) {
        g_auto(GStrv) p = g_strsplit(kv[i], "=", 2);

        block_opts_set(opts, p[0], p[1], BLOCK_OPT_STRING);
    }
    return opts;
}

static BlockBackend *open_drive(const char *extra, Error **errp)
{
    g_autofree char *spec = g_strdup_printf("file=%s%s%s", img,
                                            *extra ? "," : "", extra);

    return blk_new_from_drive_opts("d0", opts_from(spec), errp);
}

/* A drive a device writes through (virtio-blk's permissions) */
static BlockBackend *open_writer(const char *extra)
{
    BlockBackend *blk = open_drive(extra, &error_abort);

    g_assert_true(blk_set_perm(blk, BLK_PERM_CONSISTENT_READ |
                               BLK_PERM_WRITE,
                               BLK_PERM_CONSISTENT_READ |
                               BLK_PERM_WRITE_UNCHANGED, &error_abort));
    return blk;
}

typedef struct Done {
    int ret;
    int calls;
    GThread *thread;
    int order;
} Done;

static int completion_seq;

static void done_cb(void *opaque, int ret)
{
    Done *d = opaque;

    d->ret = ret;
    d->calls++;
    d->thread = g_thread_self();
    d->order = ++completion_seq;
}

static int do_rw(BlockBackend *blk, bool write, int64_t off, void *buf,
                 size_t len)
{
    struct iovec iov = { .iov_base = buf, .iov_len = len };
    Done d = { .ret = 1 };

    if (write) {
        blk_aio_pwritev(blk, off, &iov, 1, done_cb, &d);
    } else {
        blk_aio_preadv(blk, off, &iov, 1, done_cb, &d);
    }
    /* never inside the submitting call */
    g_assert_cmpint(d.calls, ==, 0);
    blk_drain(blk);
    g_assert_cmpint(d.calls, ==, 1);
    return d.ret;
}

static int do_op(BlockBackend *blk, int op, int64_t off, int64_t len,
                 int flags)
{
    Done d = { .ret = 1 };

    switch (op) {
    case 'f':
        blk_aio_flush(blk, done_cb, &d);
        break;
    case 'd':
        blk_aio_pdiscard(blk, off, len, done_cb, &d);
        break;
    case 'z':
        blk_aio_pwrite_zeroes(blk, off, len, flags, done_cb, &d);
        break;
    }
    g_assert_cmpint(d.calls, ==, 0);
    blk_drain(blk);
    g_assert_cmpint(d.calls, ==, 1);
    return d.ret;
}

static void file_pattern(int64_t off, size_t len, uint8_t byte)
{
    g_autofree uint8_t *buf = g_malloc(len);
    int fd = open(img, O_RDWR);

    memset(buf, byte, len);
    g_assert_cmpint(pwrite(fd, buf, len, off), ==, len);
    close(fd);
}

static void file_expect(int64_t off, size_t len, uint8_t byte)
{
    g_autofree uint8_t *buf = g_malloc(len);
    int fd = open(img, O_RDONLY);

    g_assert_cmpint(pread(fd, buf, len, off), ==, len);
    close(fd);
    for (size_t i = 0; i < len; i++) {
        g_assert_cmpint(buf[i], ==, byte);
    }
}

static blkcnt_t file_blocks(void)
{
    struct stat st;

    g_assert_cmpint(stat(img, &st), ==, 0);
    return st.st_blocks;
}

/* ---- injected host I/O -------------------------------------------------- */

static struct {
    int max_chunk;          /* transfer at most this much per call */
    int eintr_once;         /* fail the next call with EINTR */
    int fail_errno;         /* fail every rw call with this errno */
    int zero_writes;        /* pwritev returns 0 (no progress) */
    int rw_calls;
    int syncs;
} inj;

static ssize_t inj_rw(bool write, int fd, const struct iovec *iov,
                      int iovcnt, off_t off)
{
    struct iovec one;

    g_atomic_int_inc(&inj.rw_calls);
    if (inj.eintr_once) {
        inj.eintr_once = 0;
        errno = EINTR;
        return -1;
    }
    if (inj.fail_errno) {
        errno = inj.fail_errno;
        return -1;
    }
    if (write && inj.zero_writes) {
        return 0;
    }
    if (inj.max_chunk) {
        one = iov[0];
        one.iov_len = MIN(one.iov_len, (size_t)inj.max_chunk);
        iov = &one;
        iovcnt = 1;
    }
    return write ? pwritev(fd, iov, iovcnt, off) : preadv(fd, iov, iovcnt, off);
}

static ssize_t inj_preadv(int fd, const struct iovec *iov, int iovcnt,
                          off_t off)
{
    return inj_rw(false, fd, iov, iovcnt, off);
}

static ssize_t inj_pwritev(int fd, const struct iovec *iov, int iovcnt,
                           off_t off)
{
    return inj_rw(true, fd, iov, iovcnt, off);
}

static int inj_fdatasync(int fd)
{
    g_atomic_int_inc(&inj.syncs);
    return fdatasync(fd);
}

static const BlockHostIO inj_io = {
    .preadv = inj_preadv,
    .pwritev = inj_pwritev,
    .fdatasync = inj_fdatasync,
    .fallocate = fallocate,
};

/* the path under test: io_uring (where the kernel allows) or the pool */
static bool use_uring;

static void setup(void)
{
    block_uring_set_enabled(use_uring);
    memset(&inj, 0, sizeof(inj));
    block_host_io_set(&inj_io);
    make_image();
}

static void teardown(void)
{
    bdrv_close_all();
    block_host_io_set(NULL);
}

/* ---- cases -------------------------------------------------------------- */

static void test_rw_roundtrip(void)
{
    uint8_t out[8192], in[8192];
    BlockBackend *blk;

    setup();
    blk = open_writer("format=raw");
    g_assert_cmpint(blk_uses_uring(blk), ==, use_uring);
    g_assert_cmpint(blk_getlength(blk), ==, IMG_SIZE);
    g_assert_false(blk_is_read_only(blk));
    for (size_t i = 0; i < sizeof(out); i++) {
        out[i] = i * 7;
    }
    g_assert_cmpint(do_rw(blk, true, 4096, out, sizeof(out)), ==, 0);
    g_assert_cmpint(do_rw(blk, false, 4096, in, sizeof(in)), ==, 0);
    g_assert_cmpmem(in, sizeof(in), out, sizeof(out));
    teardown();
}

static int fd_flags(BlockBackend *blk)
{
    return fcntl(blk_protocol_fd(blk), F_GETFL);
}

/*
 * cache= as QEMU's bdrv_parse_cache_mode: direct = O_DIRECT,
 * writeback = no flush per write, no-flush = flushes do nothing.
 */
static void test_cache_modes(void)
{
    static const struct {
        const char *opts;
        bool direct;
        int syncs_per_write;
        int syncs_per_flush;
    } modes[] = {
        /* none */
        { "cache.writeback=on,cache.direct=on,cache.no-flush=off",
          true, 0, 1 },
        /* writeback */
        { "cache.writeback=on,cache.direct=off,cache.no-flush=off",
          false, 0, 1 },
        /* writethrough */
        { "cache.writeback=off,cache.direct=off,cache.no-flush=off",
          false, 1, 1 },
        /* directsync */
        { "cache.writeback=off,cache.direct=on,cache.no-flush=off",
          true, 1, 1 },
        /* unsafe */
        { "cache.writeback=on,cache.direct=off,cache.no-flush=on",
          false, 0, 0 },
    };

    bool direct_ok;
    int fd;

    /* tmpfs has no O_DIRECT: those modes are skipped there, and said so */
    make_image();
    fd = open(img, O_RDWR | O_DIRECT);
    direct_ok = fd >= 0;
    if (fd >= 0) {
        close(fd);
    } else {
        g_test_message("no O_DIRECT on %s: direct modes skipped", tmpdir);
    }
    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        g_autofree char *spec = g_strdup_printf("format=raw,%s",
                                                modes[i].opts);
        void *buf = NULL;
        BlockBackend *blk;

        if (modes[i].direct && !direct_ok) {
            continue;
        }
        setup();
        blk = open_writer(spec);
        g_assert_cmpint(!!(fd_flags(blk) & O_DIRECT), ==, modes[i].direct);
        g_assert_cmpint(blk_enable_write_cache(blk), ==,
                        modes[i].syncs_per_write == 0);
        g_assert_cmpint(posix_memalign(&buf, 4096, 4096), ==, 0);
        memset(buf, 0x5a, 4096);
        g_assert_cmpint(do_rw(blk, true, 0, buf, 4096), ==, 0);
        g_assert_cmpint(inj.syncs, ==, modes[i].syncs_per_write);
        inj.syncs = 0;
        g_assert_cmpint(do_op(blk, 'f', 0, 0, 0), ==, 0);
        g_assert_cmpint(inj.syncs, ==, modes[i].syncs_per_flush);
        /* virtio-blk's WCE toggle */
        blk_set_enable_write_cache(blk, false);
        inj.syncs = 0;
        g_assert_cmpint(do_rw(blk, true, 0, buf, 4096), ==, 0);
        g_assert_cmpint(inj.syncs, ==, modes[i].syncs_per_flush);
        free(buf);
        /* closing flushes, as QEMU's bdrv_close(), but for no-flush */
        inj.syncs = 0;
        bdrv_close_all();
        g_assert_cmpint(inj.syncs, ==, modes[i].syncs_per_flush);
        teardown();
        file_expect(0, 4096, 0x5a);
    }
}

/* short transfers continue where they stopped; EINTR is retried */
static void test_partial_io(void)
{
    g_autofree uint8_t *out = g_malloc(65536);
    g_autofree uint8_t *in = g_malloc(65536);
    BlockBackend *blk;

    setup();
    blk = open_writer("format=raw");
    for (size_t i = 0; i < 65536; i++) {
        out[i] = i ^ (i >> 8);
    }
    inj.max_chunk = 1000;
    inj.eintr_once = 1;
    g_assert_cmpint(do_rw(blk, true, 12345, out, 65536), ==, 0);
    g_assert_cmpint(inj.rw_calls, ==, 1 + (65536 + 999) / 1000);
    inj.rw_calls = 0;
    inj.eintr_once = 1;
    g_assert_cmpint(do_rw(blk, false, 12345, in, 65536), ==, 0);
    g_assert_cmpint(inj.rw_calls, ==, 1 + (65536 + 999) / 1000);
    g_assert_cmpmem(in, 65536, out, 65536);
    teardown();
}

/* a read reaching the end of a file that shrank is zero-filled */
static void test_read_past_eof(void)
{
    uint8_t buf[4096];
    BlockBackend *blk;

    setup();
    file_pattern(IMG_SIZE - 4096, 4096, 0x77);
    blk = open_writer("format=raw");
    g_assert_cmpint(truncate(img, IMG_SIZE - 2048), ==, 0);
    memset(buf, 0xff, sizeof(buf));
    g_assert_cmpint(do_rw(blk, false, IMG_SIZE - 4096, buf, 4096), ==, 0);
    for (int i = 0; i < 4096; i++) {
        g_assert_cmpint(buf[i], ==, i < 2048 ? 0x77 : 0);
    }
    teardown();
}

static void test_errors(void)
{
    uint8_t buf[4096] = { 0 };
    Error *err = NULL;
    BlockBackend *blk;

    setup();
    blk = open_writer("format=raw");
    inj.fail_errno = EIO;
    g_assert_cmpint(do_rw(blk, false, 0, buf, 4096), ==, -EIO);
    g_assert_cmpint(do_rw(blk, true, 0, buf, 4096), ==, -EIO);
    inj.fail_errno = ENOSPC;
    g_assert_cmpint(do_rw(blk, true, 0, buf, 4096), ==, -ENOSPC);
    /* a write that makes no progress is ENOSPC (QEMU's handle_aiocb_rw) */
    inj.fail_errno = 0;
    inj.zero_writes = 1;
    g_assert_cmpint(do_rw(blk, true, 0, buf, 4096), ==, -ENOSPC);
    teardown();

    /* a real ENOSPC: /dev/full through host_device */
    block_host_io_set(NULL);
    blk = blk_new_from_drive_opts(
        "full", opts_from("format=raw,file.driver=host_device,"
                          "file.filename=/dev/full"), &err);
    g_assert_null(err);
    g_assert_true(blk_set_perm(blk, BLK_PERM_CONSISTENT_READ |
                               BLK_PERM_WRITE, BLK_PERM_ALL, &error_abort));
    /* a character device has no size: every request is out of range */
    g_assert_cmpint(blk_getlength(blk), ==, 0);
    g_assert_cmpint(do_rw(blk, true, 0, buf, 512), ==, -EIO);
    bdrv_close_all();
}

static void test_error_policy(void)
{
    static const struct {
        const char *opts;
        bool is_read;
        int error;
        BlockErrorAction action;
    } table[] = {
        { "", false, ENOSPC, BLOCK_ERROR_ACTION_STOP },  /* enospc */
        { "", false, EIO, BLOCK_ERROR_ACTION_REPORT },
        { "", true, EIO, BLOCK_ERROR_ACTION_REPORT },    /* report */
        { "werror=stop", false, EIO, BLOCK_ERROR_ACTION_STOP },
        { "werror=ignore", false, ENOSPC, BLOCK_ERROR_ACTION_IGNORE },
        { "werror=report", false, ENOSPC, BLOCK_ERROR_ACTION_REPORT },
        { "rerror=stop", true, EIO, BLOCK_ERROR_ACTION_STOP },
        { "rerror=ignore", true, EIO, BLOCK_ERROR_ACTION_IGNORE },
        { "werror=enospc", false, EINVAL, BLOCK_ERROR_ACTION_REPORT },
    };
    Error *err = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        g_autofree char *spec = g_strdup_printf("format=raw%s%s",
                                                *table[i].opts ? "," : "",
                                                table[i].opts);
        BlockBackend *blk;

        setup();
        blk = open_drive(spec, &error_abort);
        g_assert_cmpint(blk_get_error_action(blk, table[i].is_read,
                                             table[i].error), ==,
                        table[i].action);
        teardown();
    }
    setup();
    g_assert_null(open_drive("format=raw,rerror=enospc", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'enospc' invalid read error action");
    error_free(err);
    teardown();
}

static void test_discard(void)
{
    BlockBackend *blk;
    blkcnt_t full;

    setup();
    file_pattern(0, 256 * KiB, 0xaa);
    full = file_blocks();
    /* discard=ignore (the default): succeeds, data stays */
    blk = open_writer("format=raw");
    g_assert_false(blk_can_discard(blk));
    g_assert_cmpint(do_op(blk, 'd', 0, 128 * KiB, 0), ==, 0);
    teardown();
    file_expect(0, 256 * KiB, 0xaa);
    g_assert_cmpint(file_blocks(), ==, full);

    block_host_io_set(&inj_io);
    blk = open_writer("format=raw,discard=unmap");
    g_assert_true(blk_can_discard(blk));
    g_assert_cmpint(do_op(blk, 'd', 0, 128 * KiB, 0), ==, 0);
    g_assert_cmpint(do_op(blk, 'd', 0, IMG_SIZE + 512, 0), ==, -EIO);
    teardown();
    file_expect(0, 128 * KiB, 0);
    file_expect(128 * KiB, 128 * KiB, 0xaa);
    g_assert_cmpint(file_blocks(), <, full);
}

static void test_write_zeroes(void)
{
    BlockBackend *blk;
    blkcnt_t full;

    setup();
    file_pattern(0, 256 * KiB, 0xaa);
    full = file_blocks();
    /* without discard=unmap, MAY_UNMAP zeroes in place: still allocated */
    blk = open_writer("format=raw");
    g_assert_cmpint(do_op(blk, 'z', 0, 64 * KiB, BDRV_REQ_MAY_UNMAP), ==, 0);
    teardown();
    file_expect(0, 64 * KiB, 0);
    file_expect(64 * KiB, 192 * KiB, 0xaa);
    g_assert_cmpint(file_blocks(), ==, full);

    block_host_io_set(&inj_io);
    blk = open_writer("format=raw,discard=unmap");
    g_assert_cmpint(do_op(blk, 'z', 64 * KiB, 64 * KiB, BDRV_REQ_MAY_UNMAP),
                    ==, 0);
    g_assert_cmpint(do_op(blk, 'z', IMG_SIZE, 512, 0), ==, -EIO);
    teardown();
    file_expect(0, 128 * KiB, 0);
    file_expect(128 * KiB, 128 * KiB, 0xaa);
    g_assert_cmpint(file_blocks(), <, full);
}

/* detect-zeroes=unmap turns an all-zero write into a hole */
static void test_detect_zeroes(void)
{
    g_autofree uint8_t *zero = g_malloc0(128 * KiB);
    BlockBackend *blk;
    blkcnt_t full;

    setup();
    file_pattern(0, 256 * KiB, 0xaa);
    full = file_blocks();
    blk = open_writer("format=raw,discard=unmap,detect-zeroes=unmap");
    g_assert_cmpint(do_rw(blk, true, 0, zero, 128 * KiB), ==, 0);
    g_assert_cmpint(inj.rw_calls, ==, 0);
    teardown();
    file_expect(0, 128 * KiB, 0);
    g_assert_cmpint(file_blocks(), <, full);
}

static void test_read_only(void)
{
    uint8_t buf[512] = { 0 };
    Error *err = NULL;
    BlockBackend *blk;

    setup();
    blk = open_drive("format=raw,read-only=on", &error_abort);
    g_assert_true(blk_is_read_only(blk));
    g_assert_false(blk_set_perm(blk, BLK_PERM_WRITE, BLK_PERM_ALL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Block node is read-only");
    error_free(err);
    g_assert_cmpint(do_rw(blk, true, 0, buf, 512), ==, -EPERM);
    g_assert_cmpint(do_op(blk, 'z', 0, 512, 0), ==, -EPERM);
    /* discard=ignore (the default): done, doing nothing, as QEMU's */
    g_assert_cmpint(do_op(blk, 'd', 0, 512, 0), ==, 0);
    g_assert_cmpint(do_rw(blk, false, 0, buf, 512), ==, 0);
    g_assert_cmpint(inj.rw_calls, ==, 1);
    teardown();
    setup();
    blk = open_drive("format=raw,read-only=on,discard=unmap", &error_abort);
    g_assert_cmpint(do_op(blk, 'd', 0, 512, 0), ==, -EPERM);
    teardown();

    /* auto-read-only: a file we may not write opens read-only */
    setup();
    if (geteuid() != 0) {
        g_assert_cmpint(chmod(img, 0400), ==, 0);
        blk = open_drive("format=raw", &error_abort);
        g_assert_false(blk_set_perm(blk, BLK_PERM_WRITE, BLK_PERM_ALL,
                                    &err));
        g_assert_cmpstr(error_get_pretty(err), ==,
                        "Could not reopen file: Permission denied");
        error_free(err);
        g_assert_cmpint(chmod(img, 0600), ==, 0);
    }
    teardown();
}

/* offset/size: the window maps onto the file; requests stay inside */
static void test_window(void)
{
    uint8_t buf[4096];
    BlockBackend *blk;

    setup();
    file_pattern(0, IMG_SIZE, 0x11);
    blk = open_writer("format=raw,offset=65536,size=8192");
    g_assert_cmpint(blk_getlength(blk), ==, 8192);
    memset(buf, 0x22, sizeof(buf));
    g_assert_cmpint(do_rw(blk, true, 4096, buf, 4096), ==, 0);
    g_assert_cmpint(do_rw(blk, true, 8192, buf, 1), ==, -EIO);
    g_assert_cmpint(do_rw(blk, true, 4097, buf, 4096), ==, -EIO);
    g_assert_cmpint(do_rw(blk, false, -512, buf, 512), ==, -EIO);
    g_assert_cmpint(do_rw(blk, false, INT64_MAX, buf, 512), ==, -EIO);
    g_assert_cmpint(do_op(blk, 'z', 8192 - 512, 1024, 0), ==, -EIO);
    g_assert_cmpint(do_rw(blk, false, 0, buf, 4096), ==, 0);
    g_assert_cmpint(buf[0], ==, 0x11);
    teardown();
    file_expect(65536 + 4096, 4096, 0x22);
    file_expect(65536 + 8192, 4096, 0x11);
    file_expect(65536, 4096, 0x11);
}

/* a probed raw image refuses another format's header at block 0 */
static void test_probed_guard(void)
{
    uint8_t buf[512] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
    BlockBackend *blk;

    setup();
    /* the probe's warning goes to stderr: expected here */
    blk = open_writer("");
    g_assert_cmpint(do_rw(blk, true, 0, buf, 512), ==, -EPERM);
    g_assert_cmpint(do_rw(blk, true, 0, buf, 256), ==, -EINVAL);
    buf[0] = 'X';
    g_assert_cmpint(do_rw(blk, true, 0, buf, 512), ==, 0);
    teardown();
    /* with format=raw, anything goes */
    setup();
    buf[0] = 'Q';
    blk = open_writer("format=raw");
    g_assert_cmpint(do_rw(blk, true, 0, buf, 512), ==, 0);
    teardown();
}

static bool byte_locked(int off)
{
    int fd = open(img, O_RDONLY);
    struct flock fl = {
        .l_whence = SEEK_SET, .l_start = off, .l_len = 1, .l_type = F_WRLCK,
    };

    g_assert_cmpint(fcntl(fd, F_OFD_GETLK, &fl), ==, 0);
    close(fd);
    return fl.l_type != F_UNLCK;
}

/* QEMU's lock bytes: 100 + perm held, 200 + perm not shared */
/*
 * Whether fd's description holds a lock (/proc/self/fdinfo lists a
 * description's OFD locks): io_uring may keep the I/O description alive
 * past our exit, so the lock bytes must not be there.
 */
static bool fd_holds_locks(int fd)
{
    g_autofree char *path = g_strdup_printf("/proc/self/fdinfo/%d", fd);
    g_autofree char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return strstr(text, "lock:") != NULL;
}

static void test_locking(void)
{
    g_autofree char *spec = NULL, *hint = NULL;
    BlockBackend *a, *b;
    Error *err = NULL;

    setup();
    a = open_drive("format=raw", &error_abort);
    /* an unattached drive: consistent read, everything shared */
    g_assert_true(byte_locked(100));
    g_assert_false(byte_locked(101));
    g_assert_false(byte_locked(201));
    g_assert_true(blk_set_perm(a, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                               BLK_PERM_CONSISTENT_READ |
                               BLK_PERM_WRITE_UNCHANGED, &error_abort));
    g_assert_true(byte_locked(101));
    g_assert_true(byte_locked(201));
    g_assert_true(byte_locked(203));
    g_assert_false(byte_locked(200));
    /* none of them on the description the I/O goes through */
    g_assert_false(fd_holds_locks(blk_protocol_fd(a)));

    /* a second opener (another drive, another fd) */
    spec = g_strdup_printf("file=%s,format=raw", img);
    b = blk_new_from_drive_opts("d1", opts_from(spec), &error_abort);
    g_assert_false(blk_set_perm(b, BLK_PERM_CONSISTENT_READ |
                                BLK_PERM_WRITE, BLK_PERM_ALL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Failed to get \"write\" lock");
    hint = g_strdup_printf("Is another process using the image [%s]?\n",
                           img);
    g_assert_cmpstr(err->hint->str, ==, hint);
    error_free(err);
    err = NULL;
    /* b may read alongside, but not forbid a's writes */
    g_assert_false(blk_set_perm(b, BLK_PERM_CONSISTENT_READ,
                                BLK_PERM_CONSISTENT_READ, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Failed to get shared \"write\" lock");
    error_free(err);
    g_assert_true(blk_set_perm(b, BLK_PERM_CONSISTENT_READ, BLK_PERM_ALL,
                               &error_abort));
    /* a lets go: b may write */
    blk_unref(a);
    g_assert_false(byte_locked(201));
    g_assert_true(blk_set_perm(b, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                               BLK_PERM_ALL, &error_abort));
    teardown();
    g_assert_false(byte_locked(100));
    g_assert_false(byte_locked(101));

    /* locking=off takes no byte */
    setup();
    a = open_writer("format=raw,file.locking=off");
    g_assert_false(byte_locked(101));
    g_assert_false(byte_locked(201));
    teardown();
}

#define QEMU_BIN "/usr/bin/qemu-system-x86_64"

/* QEMU dies with the test, even when an assertion aborts it */
static void qemu_child_setup(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static GPid spawn_qemu(const char *const *extra, int *in, int *out, int *err)
{
    const char *base[] = {
        QEMU_BIN, "-M", "microvm", "-accel", "tcg", "-display", "none",
        "-nodefaults", "-no-user-config",
    };
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    GPid pid;

    for (size_t i = 0; i < ARRAY_SIZE(base); i++) {
        g_ptr_array_add(argv, (char *)base[i]);
    }
    for (; *extra; extra++) {
        g_ptr_array_add(argv, (char *)*extra);
    }
    g_ptr_array_add(argv, NULL);
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv->pdata, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD,
                                           qemu_child_setup, NULL, &pid, in,
                                           out, err, NULL));
    return pid;
}

static int wait_qemu(GPid pid)
{
    int status;

    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_spawn_close_pid(pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Interoperation with QEMU 7.2's lock bytes, both ways: QEMU with a
 * virtio-blk on the image (paused: its QMP greeting comes once the
 * device holds the image) makes our writer fail with QEMU's words; our
 * writer makes QEMU's virtio-blk fail with them.
 */
static void test_locking_qemu(void)
{
    g_autofree char *drive = NULL, *hint = NULL;
    g_autofree char *errout = NULL;
    BlockBackend *blk;
    Error *err = NULL;
    char line[512];
    FILE *out;
    int in, outfd, errfd;
    GPid pid;

    if (access(QEMU_BIN, X_OK) != 0) {
        g_test_skip("QEMU 7.2 (" QEMU_BIN ") is not installed");
        return;
    }
    setup();
    drive = g_strdup_printf("if=none,id=d0,file=%s,format=raw", img);
    hint = g_strdup_printf("Is another process using the image [%s]?\n",
                           img);
    {
        const char *args[] = {
            "-S", "-qmp", "stdio", "-drive", drive,
            "-device", "virtio-blk-device,drive=d0", NULL,
        };

        pid = spawn_qemu(args, &in, &outfd, NULL);
    }
    /*
     * The greeting comes when the monitor opens, before the board; a
     * command's reply comes from the main loop, after the devices took
     * their permissions.
     */
    {
        static const char cmds[] = "{\"execute\":\"qmp_capabilities\"}\n"
                                   "{\"execute\":\"query-status\"}\n";

        g_assert_cmpint(write(in, cmds, strlen(cmds)), ==, strlen(cmds));
    }
    out = fdopen(outfd, "r");
    do {
        g_assert_nonnull(fgets(line, sizeof(line), out));
    } while (!strstr(line, "\"prelaunch\""));
    blk = open_drive("format=raw", &error_abort);
    g_assert_false(blk_set_perm(blk, BLK_PERM_CONSISTENT_READ |
                                BLK_PERM_WRITE, BLK_PERM_ALL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Failed to get \"write\" lock");
    g_assert_cmpstr(err->hint->str, ==, hint);
    error_free(err);
    {
        static const char quit[] = "{\"execute\":\"quit\"}\n";

        g_assert_cmpint(write(in, quit, strlen(quit)), ==, strlen(quit));
    }
    close(in);
    while (fgets(line, sizeof(line), out)) {
    }
    fclose(out);
    g_assert_cmpint(wait_qemu(pid), ==, 0);
    /* QEMU gone, its bytes with it */
    g_assert_true(blk_set_perm(blk, BLK_PERM_CONSISTENT_READ |
                               BLK_PERM_WRITE, BLK_PERM_CONSISTENT_READ |
                               BLK_PERM_WRITE_UNCHANGED, &error_abort));
    {
        const char *args[] = {
            "-drive", drive, "-device", "virtio-blk-device,drive=d0", NULL,
        };
        g_autoptr(GIOChannel) ch = NULL;
        g_autofree char *expect = NULL;
        gsize len;

        pid = spawn_qemu(args, NULL, NULL, &errfd);
        ch = g_io_channel_unix_new(errfd);
        g_io_channel_set_close_on_unref(ch, true);
        g_assert_cmpint(g_io_channel_read_to_end(ch, &errout, &len, NULL), ==,
                        G_IO_STATUS_NORMAL);
        expect = g_strdup_printf("qemu-system-x86_64: -device "
                                 "virtio-blk-device,drive=d0: Failed to get "
                                 "\"write\" lock\n%s", hint);
        g_assert_cmpstr(errout, ==, expect);
        g_assert_cmpint(wait_qemu(pid), ==, 1);
    }
    teardown();
}

/*
 * Completions run in the backend's context (an iothread's when given),
 * each once, none inside a submission; in-flight counts them.
 */
static void test_completion_context(void)
{
    GMainContext *ctx = g_main_context_new();
    enum { N = 32 };
    Done d[N] = { 0 };
    g_autofree uint8_t *buf = g_malloc0(N * 4096);
    BlockBackend *blk;

    setup();
    blk = open_writer("format=raw");
    blk_set_aio_context(blk, ctx);
    completion_seq = 0;
    for (int i = 0; i < N; i++) {
        struct iovec iov = { buf + i * 4096, 4096 };

        if (i % 2) {
            blk_aio_pwritev(blk, i * 4096, &iov, 1, done_cb, &d[i]);
        } else {
            blk_aio_preadv(blk, i * 4096, &iov, 1, done_cb, &d[i]);
        }
    }
    /* the default context never runs them */
    while (g_main_context_iteration(NULL, FALSE)) {
    }
    g_assert_cmpint(blk_in_flight(blk), <=, N);
    blk_drain(blk);
    g_assert_cmpint(blk_in_flight(blk), ==, 0);
    for (int i = 0; i < N; i++) {
        g_assert_cmpint(d[i].calls, ==, 1);
        g_assert_cmpint(d[i].ret, ==, 0);
        g_assert_true(d[i].thread == g_thread_self());
        g_assert_cmpint(d[i].order, >=, 1);
    }
    g_assert_cmpint(completion_seq, ==, N);
    teardown();
    g_main_context_unref(ctx);
}

/* a flush submitted after a write completed covers it (ordering) */
static void test_flush_after_write(void)
{
    uint8_t buf[4096];
    Done w = { 0 }, f = { 0 };
    struct iovec iov = { buf, sizeof(buf) };
    BlockBackend *blk;

    setup();
    blk = open_writer("format=raw");
    memset(buf, 0x3c, sizeof(buf));
    blk_aio_pwritev(blk, 0, &iov, 1, done_cb, &w);
    blk_drain(blk);
    blk_aio_flush(blk, done_cb, &f);
    blk_drain(blk);
    g_assert_cmpint(w.order, <, f.order);
    g_assert_cmpint(inj.syncs, ==, 1);
    teardown();
    file_expect(0, 4096, 0x3c);
}

/* writethrough and the WCE toggle: every write completes, data lands */
static void test_writethrough(void)
{
    g_autofree uint8_t *buf = g_malloc(64 * KiB);
    BlockBackend *blk;

    setup();
    blk = open_writer("format=raw,cache.writeback=off");
    g_assert_false(blk_enable_write_cache(blk));
    memset(buf, 0x6b, 64 * KiB);
    for (int i = 0; i < 8; i++) {
        g_assert_cmpint(do_rw(blk, true, i * 64 * KiB, buf, 64 * KiB), ==, 0);
    }
    g_assert_cmpint(do_op(blk, 'f', 0, 0, 0), ==, 0);
    teardown();
    file_expect(0, 512 * KiB, 0x6b);
}

static void test_blockdev(void)
{
    g_autofree char *json = g_strdup_printf(
        "{ \"driver\": \"raw\", \"node-name\": \"r0\", \"offset\": 4096, "
        "\"file\": {\"driver\":\"file\",\"filename\":\"%s\","
        "\"locking\":\"off\"}, \"read-only\": true }", img);
    Error *err = NULL;
    BlockDriverState *bs;
    BlockOpts *opts;
    BlockBackend *blk;

    setup();
    opts = block_opts_parse_json(json, false, &error_abort);
    g_assert_cmpstr(block_opts_get(opts, "file.filename"), ==, img);
    bs = bdrv_blockdev_add(opts, &error_abort);
    block_opts_free(opts);
    g_assert_true(bdrv_find_node("r0") == bs);
    blk = blk_new_on_node("", bs, BLK_PERM_CONSISTENT_READ, BLK_PERM_ALL,
                          &error_abort);
    g_assert_cmpint(blk_getlength(blk), ==, IMG_SIZE - 4096);
    g_assert_true(blk_is_read_only(blk));
    teardown();
    g_assert_null(bdrv_find_node("r0"));

    /* JSON syntax and types, as QEMU's parser and visitor word them */
    static const struct {
        const char *json;
        const char *error;
    } bad[] = {
        { "{\"driver\":\"raw\"", "JSON parse error, premature EOI" },
        { "{\"driver\" \"raw\"}", "JSON parse error, missing : in object "
          "pair" },
        { "{\"a\":1} x", "JSON parse error, expecting end of input" },
        { "{\"offset\":1.5}", "Invalid parameter type for 'offset', "
          "expected: integer" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        g_assert_null(block_opts_parse_json(bad[i].json, false, &err));
        g_assert_cmpstr(error_get_pretty(err), ==, bad[i].error);
        error_free(err);
        err = NULL;
    }
    opts = block_opts_parse_json("{\"driver\":\"raw\",\"node-name\":\"r\","
                                 "\"file\":{\"driver\":\"file\","
                                 "\"filename\":\"x\"},\"size\":\"1\"}",
                                 false, &error_abort);
    g_assert_null(bdrv_blockdev_add(opts, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Invalid parameter type for 'size', expected: integer");
    error_free(err);
    block_opts_free(opts);
}

typedef struct TestCase {
    void (*fn)(void);
    bool uring;
} TestCase;

static void run_case(gconstpointer data)
{
    const TestCase *t = data;

    use_uring = t->uring;
    t->fn();
}

static void add_test(const char *name, void (*fn)(void), bool uring)
{
    TestCase *t = g_new0(TestCase, 1);

    t->fn = fn;
    t->uring = uring;
    g_test_add_data_func_full(name, t, run_case, g_free);
}

static void add_both(const char *path, const char *name, void (*fn)(void),
                     bool uring)
{
    g_autofree char *full = g_strdup_printf("/block/%s/%s", path, name);

    add_test(full, fn, uring);
}

/* io_uring exists here (else its cases are not registered, and said so) */
static bool uring_works(void)
{
    BlockUring *u;
    int efd = eventfd(0, EFD_CLOEXEC);

    block_uring_set_enabled(true);
    u = block_uring_new(efd);
    block_uring_free(u);
    close(efd);
    return u != NULL;
}

int main(int argc, char **argv)
{
    bool uring = uring_works();
    int ret;

    g_test_init(&argc, &argv, NULL);
    if (!uring) {
        g_test_message("io_uring is not available: its cases are skipped");
    }
    tmpdir = g_dir_make_tmp("test-block-XXXXXX", NULL);
    img = g_build_filename(tmpdir, "disk.img", NULL);

    /* the host calls are injected: the pool's workers make them */
    add_test("/block/pool/cache-modes", test_cache_modes, false);
    add_test("/block/pool/partial-io", test_partial_io, false);
    add_test("/block/pool/errors", test_errors, false);
    add_test("/block/pool/read-only", test_read_only, false);
    add_test("/block/pool/flush-after-write", test_flush_after_write, false);
    add_test("/block/error-policy", test_error_policy, false);
    add_test("/block/locking", test_locking, false);
    add_test("/block/locking-qemu", test_locking_qemu, false);
    add_test("/block/blockdev", test_blockdev, false);
    /* real host behaviour: both paths */
    for (int u = 0; u < 2; u++) {
        const char *path = u ? "uring" : "pool";

        if (u && !uring) {
            break;
        }
        add_both(path, "rw-roundtrip", test_rw_roundtrip, u);
        add_both(path, "read-past-eof", test_read_past_eof, u);
        add_both(path, "discard", test_discard, u);
        add_both(path, "write-zeroes", test_write_zeroes, u);
        add_both(path, "detect-zeroes", test_detect_zeroes, u);
        add_both(path, "window", test_window, u);
        add_both(path, "probed-guard", test_probed_guard, u);
        add_both(path, "completion-context", test_completion_context, u);
        add_both(path, "writethrough", test_writethrough, u);
    }
    ret = g_test_run();

    unlink(img);
    rmdir(tmpdir);
    g_free(img);
    g_free(tmpdir);
    return ret;
}
