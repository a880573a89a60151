/*
 * The block layer: block nodes (file, host_device, raw) and the
 * BlockBackend a device (virtio-blk) reads and writes through.
 *
 * As QEMU 7.2's block.c, block/block-backend.c, block/file-posix.c and
 * block/raw-format.c, reduced to what microqemu offers: a protocol node
 * (file or host_device: one POSIX fd, QEMU's image lock bytes) under an
 * optional raw format node (an offset/size window). Nodes are named by
 * -blockdev node-name; a BlockBackend by -drive id=.
 *
 * Requests are asynchronous: the caller passes a completion callback,
 * which runs later (never inside the submitting call) in the backend's
 * GMainContext: the main loop's, under the BQL, unless
 * blk_set_aio_context() gave an iothread's. Requests are submitted from
 * that context as well (or from a vCPU thread holding the BQL). The host
 * I/O runs in the kernel through io_uring where it is allowed, else in
 * worker threads (block/aio-uring.c, block/aio-pool.c), so no request
 * ever blocks a vCPU or a main loop. A flush covers every write that
 * completed before it was submitted, as QEMU's.
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include <sys/uio.h>

#include "qemu/osdep.h"
#include "qemu/error-report.h"

/* QEMU 7.2 include/block/block-common.h BlockPermission (lock bytes). */
enum {
    BLK_PERM_CONSISTENT_READ = 0x01,
    BLK_PERM_WRITE = 0x02,
    BLK_PERM_WRITE_UNCHANGED = 0x04,
    BLK_PERM_RESIZE = 0x08,
    BLK_PERM_ALL = 0x0f,
};

/* QEMU 7.2 qapi/block-core.json BlockdevOnError (werror=, rerror=). */
typedef enum BlockdevOnError {
    BLOCKDEV_ON_ERROR_REPORT,
    BLOCKDEV_ON_ERROR_IGNORE,
    BLOCKDEV_ON_ERROR_ENOSPC,
    BLOCKDEV_ON_ERROR_STOP,
    BLOCKDEV_ON_ERROR_AUTO,
} BlockdevOnError;

/* QEMU 7.2 BlockErrorAction: what a device does with a failed request. */
typedef enum BlockErrorAction {
    BLOCK_ERROR_ACTION_IGNORE,
    BLOCK_ERROR_ACTION_REPORT,
    BLOCK_ERROR_ACTION_STOP,
} BlockErrorAction;

/* QEMU 7.2 BlockdevDetectZeroesOptions (detect-zeroes=). */
typedef enum BlockdevDetectZeroes {
    BLOCKDEV_DETECT_ZEROES_OFF,
    BLOCKDEV_DETECT_ZEROES_ON,
    BLOCKDEV_DETECT_ZEROES_UNMAP,
} BlockdevDetectZeroes;

/* blk_aio_pwrite_zeroes(): the range may be deallocated (QEMU's flag) */
#define BDRV_REQ_MAY_UNMAP 0x4

typedef struct BlockDriverState BlockDriverState;
typedef struct BlockBackend BlockBackend;

/* ret is 0 or a negative errno; runs in the backend's context. */
typedef void BlockCompletionFunc(void *opaque, int ret);

/*
 * Options of one node, as QEMU's flattened QDict: dotted keys
 * ("cache.direct", "file.filename") to string values; a value given as
 * JSON carries its type so that QEMU's type errors can be reported.
 */
typedef enum BlockOptType {
    BLOCK_OPT_STRING,       /* key=value, or a JSON string */
    BLOCK_OPT_JSON_BOOL,
    BLOCK_OPT_JSON_NUMBER,
    /* block_opts_parse_json() with containers only */
    BLOCK_OPT_JSON_NULL,
    BLOCK_OPT_JSON_ARRAY,   /* the value: the element count */
    BLOCK_OPT_JSON_OBJECT,
} BlockOptType;

typedef struct BlockOpts BlockOpts;

BlockOpts *block_opts_new(void);
void block_opts_free(BlockOpts *opts);
void block_opts_set(BlockOpts *opts, const char *key, const char *value,
                    BlockOptType type);
const char *block_opts_get(BlockOpts *opts, const char *key);
bool block_opts_has(BlockOpts *opts, const char *key);
/* Whether key is there, and its type */
bool block_opts_get_type(BlockOpts *opts, const char *key,
                         BlockOptType *type);
/* fn on each key in the order given until it returns false: whether not */
typedef bool BlockOptsFunc(const char *key, const char *value,
                           BlockOptType type, void *opaque);
bool block_opts_foreach(BlockOpts *opts, BlockOptsFunc *fn, void *opaque);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BlockOpts, block_opts_free)

/*
 * -blockdev: open the node tree the options describe (a raw node's
 * "file" is a node-name or a nested "file.*" protocol node), QEMU
 * 7.2's qmp_blockdev_add() errors. The node is kept by name.
 */
BlockDriverState *bdrv_blockdev_add(BlockOpts *opts, Error **errp);
BlockDriverState *bdrv_find_node(const char *node_name);

/*
 * -drive's backend half (QEMU's blockdev_init() after the legacy keys
 * were taken): "format" (probed, with QEMU's warning, when absent),
 * "file", "read-only", "cache.direct", "cache.no-flush", "cache.writeback",
 * "discard", "detect-zeroes", "aio", "werror", "rerror", plus the
 * format's and "file.*" protocol options. Takes ownership of opts.
 */
BlockBackend *blk_new_from_drive_opts(const char *id, BlockOpts *opts,
                                      Error **errp);
/* A backend on an existing node (QEMU's blk_new + blk_insert_bs). */
BlockBackend *blk_new_on_node(const char *name, BlockDriverState *bs,
                              uint64_t perm, uint64_t shared, Error **errp);
void blk_unref(BlockBackend *blk);

/*
 * The backend of a -drive id. For a -blockdev node-name (virtio-blk's
 * drive= may name either) the device makes its own: bdrv_find_node()
 * then blk_new_on_node().
 */
BlockBackend *blk_by_name(const char *name);
/* Closes every backend and node (at exit and between unit tests). */
void bdrv_close_all(void);

const char *blk_name(BlockBackend *blk);
/* false for an empty drive (-drive without file=: no medium) */
bool blk_is_inserted(BlockBackend *blk);
int64_t blk_getlength(BlockBackend *blk);
bool blk_is_read_only(BlockBackend *blk);
bool blk_enable_write_cache(BlockBackend *blk);
/* virtio-blk's WCE toggle: off means every write is flushed (FUA). */
void blk_set_enable_write_cache(BlockBackend *blk, bool wce);
/* discard=unmap on the node (else discards succeed doing nothing) */
bool blk_can_discard(BlockBackend *blk);

/*
 * The device attaching takes its permissions (QEMU's blk_set_perm()):
 * the image's lock bytes change, and another process holding the image
 * makes it fail with QEMU's "Failed to get \"write\" lock".
 */
bool blk_set_perm(BlockBackend *blk, uint64_t perm, uint64_t shared,
                  Error **errp);
/* A device holds the backend ("drive=X" twice is refused) */
bool blk_attach_dev(BlockBackend *blk, void *dev);
void blk_detach_dev(BlockBackend *blk, void *dev);
void *blk_get_attached_dev(BlockBackend *blk);

/* Completions run in ctx from now on (NULL: the main loop's). */
void blk_set_aio_context(BlockBackend *blk, GMainContext *ctx);

/*
 * Requests. offset/bytes are checked against the size (-EIO, as QEMU's
 * blk_check_byte_request), writes against read-only (-EPERM).
 * The iovec array is copied; the buffers must live until completion.
 */
void blk_aio_preadv(BlockBackend *blk, int64_t offset,
                    const struct iovec *iov, int iovcnt,
                    BlockCompletionFunc *cb, void *opaque);
void blk_aio_pwritev(BlockBackend *blk, int64_t offset,
                     const struct iovec *iov, int iovcnt,
                     BlockCompletionFunc *cb, void *opaque);
void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque);
void blk_aio_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BlockCompletionFunc *cb, void *opaque);
void blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes,
                           int flags, BlockCompletionFunc *cb, void *opaque);
/* Requests submitted and not yet completed (callback not yet run). */
unsigned blk_in_flight(BlockBackend *blk);
/* Runs ctx (NULL: the default) until no request of blk is in flight. */
void blk_drain(BlockBackend *blk);

/*
 * werror=/rerror= (QEMU's blk_get_error_action): what the device does
 * with a request that failed with -error (error is the positive errno). STOP means: put the VM in
 * the "io-error" run state (vm_stop(RUN_STATE_IO_ERROR)) and retry the
 * request when it runs again.
 */
BlockErrorAction blk_get_error_action(BlockBackend *blk, bool is_read,
                                      int error);
BlockdevOnError blk_get_on_error(BlockBackend *blk, bool is_read);
/* A device's rerror=/werror= (neither AUTO), QEMU's blk_set_on_error */
void blk_set_on_error(BlockBackend *blk, BlockdevOnError on_read_error,
                      BlockdevOnError on_write_error);

#endif
