/*
 * Inside the block layer: node state, requests, and the host I/O seam
 * unit tests replace to inject short transfers and errors.
 */
#ifndef BLOCK_BLOCK_INT_H
#define BLOCK_BLOCK_INT_H

#include "block/block.h"
#include "qemu/thread.h"

typedef enum BlockDriverKind {
    BLOCK_DRIVER_FILE,
    BLOCK_DRIVER_HOST_DEVICE,
    BLOCK_DRIVER_RAW,
} BlockDriverKind;

struct BlockDriverState {
    char *node_name;            /* "" for an implicit node (-drive) */
    BlockDriverKind kind;
    BlockDriverState *file;     /* raw: the protocol child */
    int refcnt;
    bool read_only;
    bool unmap;                 /* discard=unmap (QEMU's BDRV_O_UNMAP) */
    bool no_flush;              /* cache.no-flush (BDRV_O_NO_FLUSH) */
    BlockdevDetectZeroes detect_zeroes;

    /* file, host_device (QEMU's BDRVRawState of file-posix.c) */
    char *filename;
    int fd;
    bool fd_rdonly;             /* auto-read-only: O_RDWR once a writer comes */
    bool direct;                /* cache.direct: O_DIRECT */
    bool use_lock;
    /*
     * The lock bytes live on a description of their own, never handed to
     * the kernel for I/O: io_uring keeps a reference to the I/O fd's
     * description while a request is in flight, even past the process's
     * exit, so locks on it could outlive a SIGKILLed microqemu and make
     * the next opener fail with "Failed to get "write" lock". -1: locks
     * on fd (the lock file could not be opened).
     */
    int lock_fd;
    uint64_t locked_perm;       /* lock bytes held: 100 + bit */
    uint64_t locked_shared;     /* 200 + bit: permissions not shared */
    int64_t length;

    /* raw (QEMU's BDRVRawState of raw-format.c) */
    uint64_t offset;
    uint64_t size;
    bool probed;                /* format guessed: block 0 is guarded */
};

typedef enum BlockRequestType {
    BLOCK_REQ_READ,
    BLOCK_REQ_WRITE,
    BLOCK_REQ_FLUSH,
    BLOCK_REQ_DISCARD,
    BLOCK_REQ_WRITE_ZEROES,
} BlockRequestType;

typedef struct BlockCompletionQueue BlockCompletionQueue;

typedef struct BlockRequest {
    BlockBackend *blk;
    BlockCompletionQueue *queue;   /* where the completion goes */
    BlockRequestType type;
    int fd;
    bool is_blockdev;           /* host_device: BLKDISCARD, BLKZEROOUT */
    int64_t offset;             /* in the protocol node */
    int64_t bytes;
    struct iovec *iov;
    int iovcnt;
    int flags;                  /* BDRV_REQ_MAY_UNMAP */
    bool detect_zeroes;
    bool flush_after;           /* writethrough: data on disk at completion */
    bool guard_block0;          /* probed raw: no image header at block 0 */
    BlockCompletionFunc *cb;
    void *opaque;
    int ret;
    /* io_uring progress (block/aio-uring.c) */
    struct iovec *cur_iov;
    int cur_iovcnt;
    int64_t done_bytes;
    bool uring_syncing;         /* the writethrough datasync step */
} BlockRequest;

/*
 * The host calls a worker makes. Tests replace them (block_host_io_set)
 * to inject short transfers, EINTR, EIO, ENOSPC; NULL restores libc's.
 */
typedef struct BlockHostIO {
    ssize_t (*preadv)(int fd, const struct iovec *iov, int iovcnt,
                      off_t offset);
    ssize_t (*pwritev)(int fd, const struct iovec *iov, int iovcnt,
                       off_t offset);
    int (*fdatasync)(int fd);
    int (*fallocate)(int fd, int mode, off_t offset, off_t len);
} BlockHostIO;

void block_host_io_set(const BlockHostIO *io);

/* block/aio-pool.c: the worker threads and the completion source */
BlockCompletionQueue *block_completion_queue_new(GMainContext *ctx);
void block_completion_queue_free(BlockCompletionQueue *q);
bool block_completion_queue_has_uring(BlockCompletionQueue *q);
void block_aio_submit(BlockCompletionQueue *q, BlockRequest *req);
/* The worker's half: does the I/O, returns 0 or -errno. */
int block_request_execute(BlockRequest *req);
/* block.c: runs the request's callback (completion side) */
void blk_request_complete(BlockRequest *req);

/* block/block-opts.c: consuming getters (absent keys leave *out alone) */
void block_opts_set_json(BlockOpts *opts);
void block_opts_del(BlockOpts *opts, const char *key);
const char *block_opts_first_key(BlockOpts *opts);
BlockOpts *block_opts_extract_prefix(BlockOpts *opts, const char *prefix);
bool block_opts_take_str(BlockOpts *opts, const char *key, char **out,
                         Error **errp);
bool block_opts_take_bool(BlockOpts *opts, const char *key, bool *out,
                          Error **errp);
bool block_opts_take_uint(BlockOpts *opts, const char *key, uint64_t *out,
                          bool *present, Error **errp);
bool block_opts_take_enum(BlockOpts *opts, const char *key,
                          const char *const *names, int *out, Error **errp);
/*
 * JSON -blockdev and -netdev: an object flattened to dotted keys
 * (block/block-json.c). Without containers an array or a null is QEMU's
 * "Invalid parameter type ... expected: string"; with them (-netdev,
 * whose schema the caller checks) array "k" is an entry "k" typed
 * BLOCK_OPT_JSON_ARRAY (its element count) followed by its elements
 * "k.0", "k.1"..., an object member "k" is an entry typed
 * BLOCK_OPT_JSON_OBJECT before its "k.*" members, a null is typed
 * BLOCK_OPT_JSON_NULL.
 */
BlockOpts *block_opts_parse_json(const char *json, bool containers,
                                 Error **errp);

/*
 * block/aio-uring.c: reads, writes and flushes through io_uring when the
 * kernel allows it (NULL otherwise: everything goes to the pool). Used
 * from the completion queue's context only.
 */
typedef struct BlockUring BlockUring;

BlockUring *block_uring_new(int efd);
void block_uring_free(BlockUring *u);
bool block_uring_can_do(BlockUring *u, BlockRequest *req);
void block_uring_submit(BlockUring *u, BlockRequest *req);
void block_uring_reap(BlockUring *u);
/* Tests and the bench: off makes new queues use the worker pool only */
void block_uring_set_enabled(bool enabled);

/* block/file-posix.c: the protocol nodes */
bool file_posix_open(BlockDriverState *bs, bool auto_read_only, Error **errp);
int64_t file_posix_getlength(BlockDriverState *bs);
void file_posix_close(BlockDriverState *bs);
bool file_posix_set_perm(BlockDriverState *bs, uint64_t old_perm,
                         uint64_t old_shared, uint64_t perm, uint64_t shared,
                         Error **errp);
void block_completion_post(BlockCompletionQueue *q, BlockRequest *req);

/* The protocol node's fd under a backend (tests check its open flags) */
int blk_protocol_fd(BlockBackend *blk);
/* Whether the backend's reads and writes go through io_uring */
bool blk_uses_uring(BlockBackend *blk);

/* A known image format's header in buf (QEMU's bdrv_probe_all), or NULL */
const char *block_probe_format(const uint8_t *buf, size_t len);

#endif
