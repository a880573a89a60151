/*
 * The file and host_device protocol nodes: one POSIX fd, QEMU's image
 * lock bytes, and the blocking I/O a pool worker does for a request.
 *
 * As QEMU 7.2 block/file-posix.c: raw_open_common (options, open flags,
 * "'file' driver requires ..."), raw_apply_lock_bytes and
 * raw_check_lock_bytes (OFD locks on byte 100 + permission bit for a
 * permission held, 200 + bit for one not shared, so QEMU and microqemu
 * see each other), handle_aiocb_rw (short transfers continued, reads
 * past the end of a file zero-filled), handle_aiocb_discard and
 * handle_aiocb_write_zeroes.
 */
#include "qemu/osdep.h"
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include "block/block-int.h"

#define RAW_LOCK_PERM_BASE 100
#define RAW_LOCK_SHARED_BASE 200

/* ---- host calls (replaceable by tests) --------------------------------- */

static ssize_t host_preadv(int fd, const struct iovec *iov, int iovcnt,
                           off_t offset)
{
    return preadv(fd, iov, iovcnt, offset);
}

static ssize_t host_pwritev(int fd, const struct iovec *iov, int iovcnt,
                            off_t offset)
{
    return pwritev(fd, iov, iovcnt, offset);
}

static const BlockHostIO host_io_libc = {
    .preadv = host_preadv,
    .pwritev = host_pwritev,
    .fdatasync = fdatasync,
    .fallocate = fallocate,
};

static const BlockHostIO *host_io = &host_io_libc;

void block_host_io_set(const BlockHostIO *io)
{
    host_io = io ? io : &host_io_libc;
}

/* ---- open -------------------------------------------------------------- */

/* QEMU's raw_open_common() for file and host_device */
bool file_posix_open(BlockDriverState *bs, bool auto_read_only, Error **errp)
{
    const char *drv = bs->kind == BLOCK_DRIVER_FILE ? "file" : "host_device";
    int flags = O_CLOEXEC | (bs->direct ? O_DIRECT : 0);
    struct stat st;
    int fd;

    /*
     * raw_parse_flags(): with auto-read-only (-drive's default) the file
     * is opened read-only and reopened read-write when a writer attaches
     */
    bs->fd_rdonly = bs->read_only || auto_read_only;
    fd = open(bs->filename, flags | (bs->fd_rdonly ? O_RDONLY : O_RDWR));
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", bs->filename);
        return false;
    }
    if (fstat(fd, &st) < 0) {
        error_setg_errno(errp, errno, "Could not stat file");
        close(fd);
        return false;
    }
    if (bs->kind == BLOCK_DRIVER_FILE && !S_ISREG(st.st_mode)) {
        error_setg(errp, "'%s' driver requires '%s' to be a regular file",
                   drv, bs->filename);
        close(fd);
        return false;
    }
    if (bs->kind == BLOCK_DRIVER_HOST_DEVICE &&
        !S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) {
        error_setg(errp, "'%s' driver requires '%s' to be either "
                   "a character or block device", drv, bs->filename);
        close(fd);
        return false;
    }
    bs->fd = fd;
    bs->length = file_posix_getlength(bs);
    if (bs->length < 0) {
        error_setg_errno(errp, -bs->length, "Could not get image size");
        close(fd);
        bs->fd = -1;
        return false;
    }
    if (bs->use_lock) {
        /* OFD read locks need read access only (QEMU takes no others) */
        bs->lock_fd = open(bs->filename, O_RDONLY | O_CLOEXEC);
    }
    return true;
}

/* Where the lock bytes are (see BlockDriverState.lock_fd) */
static int lock_fd(BlockDriverState *bs)
{
    return bs->lock_fd >= 0 ? bs->lock_fd : bs->fd;
}

int64_t file_posix_getlength(BlockDriverState *bs)
{
    struct stat st;
    uint64_t size;

    if (fstat(bs->fd, &st) < 0) {
        return -errno;
    }
    if (S_ISBLK(st.st_mode)) {
        if (ioctl(bs->fd, BLKGETSIZE64, &size) < 0) {
            return -errno;
        }
        return size;
    }
    if (S_ISCHR(st.st_mode)) {
        return 0;       /* /dev/full, /dev/null: nothing to address */
    }
    return st.st_size;
}

void file_posix_close(BlockDriverState *bs)
{
    /* QEMU's bdrv_close() flushes first (not with cache.no-flush) */
    if (bs->fd >= 0 && !bs->fd_rdonly && !bs->no_flush) {
        host_io->fdatasync(bs->fd);
    }
    if (bs->fd >= 0) {
        close(bs->fd);
        bs->fd = -1;
    }
    if (bs->lock_fd >= 0) {
        close(bs->lock_fd);     /* drops the OFD locks with the description */
        bs->lock_fd = -1;
    }
}

/*
 * QEMU's raw_reconfigure_getfd() for a new writer: a read-write fd
 * replaces the read-only one. The lock bytes stay where they are, on
 * the lock description, unless they were on the old fd: then they go
 * with it and the caller takes them anew.
 */
static bool file_posix_reopen_rw(BlockDriverState *bs, Error **errp)
{
    int fd = open(bs->filename, O_CLOEXEC | O_RDWR |
                  (bs->direct ? O_DIRECT : 0));

    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not reopen file");
        return false;
    }
    close(bs->fd);
    bs->fd = fd;
    bs->fd_rdonly = false;
    if (bs->lock_fd < 0) {
        bs->locked_perm = 0;
        bs->locked_shared = 0;
    }
    return true;
}

/* ---- lock bytes -------------------------------------------------------- */

static int lock_byte(int fd, int off, short type)
{
    struct flock fl = {
        .l_whence = SEEK_SET,
        .l_start = off,
        .l_len = 1,
        .l_type = type,
    };

    return fcntl(fd, F_OFD_SETLK, &fl) < 0 ? -errno : 0;
}

/* QEMU's qemu_lock_fd_test(fd, off, 1, true): -EAGAIN if held elsewhere */
static int lock_byte_test(int fd, int off)
{
    struct flock fl = {
        .l_whence = SEEK_SET,
        .l_start = off,
        .l_len = 1,
        .l_type = F_WRLCK,
    };

    if (fcntl(fd, F_OFD_GETLK, &fl) < 0) {
        return -errno;
    }
    return fl.l_type == F_UNLCK ? 0 : -EAGAIN;
}

/* QEMU's bdrv_perm_names() */
static char *perm_names(uint64_t perm)
{
    static const char *const names[] = {
        "consistent read", "write", "write unchanged", "resize",
    };
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (perm & (1ULL << i)) {
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", names[i]);
        }
    }
    return g_string_free(s, false);
}

/* QEMU's raw_lock_error_setg_errno: EAGAIN is the normal conflict */
static void lock_error(Error **errp, int err, const char *msg)
{
    if (err == EAGAIN) {
        error_setg(errp, "%s", msg);
    } else {
        error_setg_errno(errp, err, "%s", msg);
    }
}

/*
 * QEMU's raw_apply_lock_bytes(): hold byte 100+i for each permission in
 * perm, 200+i for each in unshared; with unlock, drop the others.
 */
static int apply_lock_bytes(BlockDriverState *bs, uint64_t perm,
                            uint64_t unshared, bool unlock, Error **errp)
{
    for (int i = 0; i < 4; i++) {
        uint64_t bit = 1ULL << i;
        int base[2] = { RAW_LOCK_PERM_BASE, RAW_LOCK_SHARED_BASE };
        uint64_t want[2] = { perm, unshared };
        uint64_t *held[2] = { &bs->locked_perm, &bs->locked_shared };

        for (int k = 0; k < 2; k++) {
            int off = base[k] + i;
            int ret;

            if ((want[k] & bit) && !(*held[k] & bit)) {
                ret = lock_byte(lock_fd(bs), off, F_RDLCK);
                if (ret) {
                    g_autofree char *msg =
                        g_strdup_printf("Failed to lock byte %d", off);

                    lock_error(errp, -ret, msg);
                    return ret;
                }
                *held[k] |= bit;
            } else if (unlock && (*held[k] & bit) && !(want[k] & bit)) {
                ret = lock_byte(lock_fd(bs), off, F_UNLCK);
                if (ret) {
                    error_setg_errno(errp, -ret, "Failed to unlock byte %d",
                                     off);
                    return ret;
                }
                *held[k] &= ~bit;
            }
        }
    }
    return 0;
}

/* QEMU's raw_check_lock_bytes(): does another holder forbid this? */
static int check_lock_bytes(int fd, uint64_t perm, uint64_t shared,
                            Error **errp)
{
    for (int i = 0; i < 4; i++) {
        uint64_t p = 1ULL << i;
        int ret;

        if ((perm & p) &&
            (ret = lock_byte_test(fd, RAW_LOCK_SHARED_BASE + i))) {
            g_autofree char *name = perm_names(p);
            g_autofree char *msg =
                g_strdup_printf("Failed to get \"%s\" lock", name);

            lock_error(errp, -ret, msg);
            return ret;
        }
    }
    for (int i = 0; i < 4; i++) {
        uint64_t p = 1ULL << i;
        int ret;

        if (!(shared & p) &&
            (ret = lock_byte_test(fd, RAW_LOCK_PERM_BASE + i))) {
            g_autofree char *name = perm_names(p);
            g_autofree char *msg =
                g_strdup_printf("Failed to get shared \"%s\" lock", name);

            lock_error(errp, -ret, msg);
            return ret;
        }
    }
    return 0;
}

/*
 * QEMU's raw_handle_perm_lock() prepare + commit/abort in one: take the
 * bytes of old and new permissions, check nobody else forbids the new
 * ones, then keep exactly the new ones (or the old ones on failure).
 */
bool file_posix_set_perm(BlockDriverState *bs, uint64_t old_perm,
                         uint64_t old_shared, uint64_t perm, uint64_t shared,
                         Error **errp)
{
    Error *local_err = NULL;
    int ret;

    if ((perm & BLK_PERM_WRITE) && bs->fd_rdonly &&
        !file_posix_reopen_rw(bs, errp)) {
        return false;
    }
    if (!bs->use_lock) {
        return true;
    }
    ret = apply_lock_bytes(bs, old_perm | perm, ~old_shared | ~shared,
                           false, errp);
    if (!ret) {
        ret = check_lock_bytes(lock_fd(bs), perm, shared, errp);
        if (ret) {
            error_append_hint(errp, "Is another process using the image "
                              "[%s]?\n", bs->filename);
        }
    }
    if (ret) {
        apply_lock_bytes(bs, old_perm, ~old_shared & BLK_PERM_ALL, true,
                         &local_err);
        if (local_err) {
            warn_report_err(local_err);
        }
        return false;
    }
    apply_lock_bytes(bs, perm, ~shared & BLK_PERM_ALL, true, &local_err);
    if (local_err) {
        warn_report_err(local_err);
    }
    return true;
}

/* ---- I/O in a worker --------------------------------------------------- */

static size_t iov_size(const struct iovec *iov, int iovcnt)
{
    size_t n = 0;

    for (int i = 0; i < iovcnt; i++) {
        n += iov[i].iov_len;
    }
    return n;
}

/* Drops the first n bytes of a (copied) iovec array */
static void iov_advance(struct iovec **iov, int *iovcnt, size_t n)
{
    while (n && *iovcnt) {
        if (n < (*iov)->iov_len) {
            (*iov)->iov_base = (char *)(*iov)->iov_base + n;
            (*iov)->iov_len -= n;
            return;
        }
        n -= (*iov)->iov_len;
        (*iov)++;
        (*iovcnt)--;
    }
}

static void iov_memset(struct iovec *iov, int iovcnt)
{
    for (int i = 0; i < iovcnt; i++) {
        memset(iov[i].iov_base, 0, iov[i].iov_len);
    }
}

static bool iov_is_zero(const struct iovec *iov, int iovcnt)
{
    for (int i = 0; i < iovcnt; i++) {
        const uint8_t *p = iov[i].iov_base;

        for (size_t j = 0; j < iov[i].iov_len; j++) {
            if (p[j]) {
                return false;
            }
        }
    }
    return true;
}

/*
 * QEMU's handle_aiocb_rw_linear loop: a short transfer is continued
 * from where it stopped, EINTR retried; a read that reaches the end of
 * the file fills the rest with zeroes; a write that makes no progress
 * is -ENOSPC, as QEMU's.
 */
static int do_rw(BlockRequest *req)
{
    bool write = req->type == BLOCK_REQ_WRITE;
    g_autofree struct iovec *copy = g_memdup2(req->iov,
                                              sizeof(*copy) * req->iovcnt);
    struct iovec *iov = copy;
    int iovcnt = req->iovcnt;
    off_t off = req->offset;

    while (iovcnt) {
        ssize_t n = write ? host_io->pwritev(req->fd, iov, iovcnt, off)
                          : host_io->preadv(req->fd, iov, iovcnt, off);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        if (n == 0) {
            if (write) {
                return -ENOSPC;
            }
            iov_memset(iov, iovcnt);
            return 0;
        }
        iov_advance(&iov, &iovcnt, n);
        off += n;
    }
    return 0;
}

static int do_flush(BlockRequest *req)
{
    while (host_io->fdatasync(req->fd) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    return 0;
}

static int do_fallocate(int fd, int mode, off_t off, off_t len)
{
    while (host_io->fallocate(fd, mode, off, len) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    return 0;
}

/* QEMU's handle_aiocb_discard: unsupported is not an error (0) */
static int do_discard(BlockRequest *req)
{
    int ret;

    if (req->is_blockdev) {
        uint64_t range[2] = { req->offset, req->bytes };

        ret = ioctl(req->fd, BLKDISCARD, range) < 0 ? -errno : 0;
    } else {
        ret = do_fallocate(req->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                           req->offset, req->bytes);
    }
    if (ret == -EOPNOTSUPP || ret == -ENOTTY) {
        return 0;
    }
    return ret;
}

/* Writes zeroes from a bounce buffer: the fallback of write_zeroes */
static int do_write_zero_buffer(BlockRequest *req)
{
    const size_t chunk = 1 * MiB;
    g_autofree void *zero = g_malloc0(MIN((int64_t)chunk, req->bytes));
    int64_t done = 0;

    while (done < req->bytes) {
        struct iovec iov = {
            .iov_base = zero,
            .iov_len = MIN((int64_t)chunk, req->bytes - done),
        };
        BlockRequest sub = *req;
        int ret;

        sub.type = BLOCK_REQ_WRITE;
        sub.iov = &iov;
        sub.iovcnt = 1;
        sub.offset = req->offset + done;
        ret = do_rw(&sub);
        if (ret < 0) {
            return ret;
        }
        done += iov.iov_len;
    }
    return 0;
}

/*
 * QEMU's handle_aiocb_write_zeroes(_unmap): punch a hole when unmapping
 * is allowed (a hole reads as zeroes), else zero the range in place,
 * else write zeroes.
 */
static int do_write_zeroes(BlockRequest *req)
{
    int ret = -EOPNOTSUPP;

    if (req->bytes == 0) {
        return 0;
    }
    if (!req->is_blockdev && (req->flags & BDRV_REQ_MAY_UNMAP)) {
        ret = do_fallocate(req->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                           req->offset, req->bytes);
    }
    if (ret < 0 && !req->is_blockdev) {
        ret = do_fallocate(req->fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
                           req->offset, req->bytes);
    }
    if (ret == -EOPNOTSUPP || ret == -ENOSYS || req->is_blockdev) {
        ret = do_write_zero_buffer(req);
    }
    return ret;
}

/*
 * A probed raw image may not be given another format's header at
 * block 0 (QEMU's raw_co_pwritev with bs->probed): that would make the
 * next probe open it as that format.
 */
static int check_block0(BlockRequest *req)
{
    uint8_t buf[512];
    size_t got = 0;

    if (req->offset != 0 || iov_size(req->iov, req->iovcnt) < sizeof(buf)) {
        return -EINVAL;
    }
    for (int i = 0; i < req->iovcnt && got < sizeof(buf); i++) {
        size_t n = MIN(req->iov[i].iov_len, sizeof(buf) - got);

        memcpy(buf + got, req->iov[i].iov_base, n);
        got += n;
    }
    return block_probe_format(buf, sizeof(buf)) ? -EPERM : 0;
}

int block_request_execute(BlockRequest *req)
{
    int ret;

    switch (req->type) {
    case BLOCK_REQ_READ:
        return do_rw(req);
    case BLOCK_REQ_WRITE:
        if (req->guard_block0 && (ret = check_block0(req)) < 0) {
            return ret;
        }
        if (req->detect_zeroes && iov_is_zero(req->iov, req->iovcnt)) {
            req->bytes = iov_size(req->iov, req->iovcnt);
            ret = do_write_zeroes(req);
        } else {
            ret = do_rw(req);
        }
        break;
    case BLOCK_REQ_FLUSH:
        return do_flush(req);
    case BLOCK_REQ_DISCARD:
        return do_discard(req);
    case BLOCK_REQ_WRITE_ZEROES:
        ret = do_write_zeroes(req);
        break;
    default:
        g_assert_not_reached();
    }
    if (ret == 0 && req->flush_after) {
        ret = do_flush(req);
    }
    return ret;
}
