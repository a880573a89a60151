/*
 * io_uring for reads, writes and flushes (QEMU 7.2's block/io_uring.c,
 * aio=io_uring, done with the raw system calls: liburing would be one
 * more library for ~150 lines). One ring per completion queue, its
 * eventfd the queue's, so completions are reaped in the backend's
 * context by the same GSource as the worker pool's.
 *
 * A short transfer is continued from where it stopped, a read that
 * reaches the end of the file zero-filled, a write that makes no
 * progress is -ENOSPC, as the pool's workers do (luring_resubmit_short_
 * read in QEMU). Writethrough chains a datasync after the write.
 */
#include "qemu/osdep.h"
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "block/block-int.h"

#define URING_ENTRIES 128

struct BlockUring {
    int fd;
    unsigned *sq_tail, *sq_mask, *sq_array;
    unsigned *cq_head, *cq_tail, *cq_mask;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
    void *sq_map, *cq_map;
    size_t sq_len, cq_len, sqes_len;
    unsigned in_flight;
    GQueue waiting;             /* requests beyond the ring's size */
};

static bool uring_enabled = true;

void block_uring_set_enabled(bool enabled)
{
    uring_enabled = enabled;
}

BlockUring *block_uring_new(int efd)
{
    struct io_uring_params p = { 0 };
    BlockUring *u;
    uint8_t *sq, *cq;
    int fd;

    if (!uring_enabled) {
        return NULL;
    }
    /* a kernel or sandbox without io_uring: the pool does everything */
    fd = syscall(__NR_io_uring_setup, URING_ENTRIES, &p);
    if (fd < 0) {
        return NULL;
    }
    u = g_new0(BlockUring, 1);
    u->fd = fd;
    u->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    u->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    u->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
    u->sq_map = mmap(NULL, u->sq_len, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
    u->cq_map = mmap(NULL, u->cq_len, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
    u->sqes = mmap(NULL, u->sqes_len, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
    if (u->sq_map == MAP_FAILED || u->cq_map == MAP_FAILED ||
        u->sqes == MAP_FAILED ||
        syscall(__NR_io_uring_register, fd, IORING_REGISTER_EVENTFD, &efd,
                1) < 0) {
        u->in_flight = 0;
        block_uring_free(u);
        return NULL;
    }
    sq = u->sq_map;
    cq = u->cq_map;
    u->sq_tail = (unsigned *)(sq + p.sq_off.tail);
    u->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
    u->sq_array = (unsigned *)(sq + p.sq_off.array);
    u->cq_head = (unsigned *)(cq + p.cq_off.head);
    u->cq_tail = (unsigned *)(cq + p.cq_off.tail);
    u->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
    u->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
    g_queue_init(&u->waiting);
    return u;
}

void block_uring_free(BlockUring *u)
{
    if (!u) {
        return;
    }
    assert(u->in_flight == 0 && g_queue_is_empty(&u->waiting));
    if (u->sqes && u->sqes != MAP_FAILED) {
        munmap(u->sqes, u->sqes_len);
    }
    if (u->cq_map && u->cq_map != MAP_FAILED) {
        munmap(u->cq_map, u->cq_len);
    }
    if (u->sq_map && u->sq_map != MAP_FAILED) {
        munmap(u->sq_map, u->sq_len);
    }
    close(u->fd);
    g_free(u);
}

bool block_uring_can_do(BlockUring *u, BlockRequest *req)
{
    if (!u) {
        return false;
    }
    switch (req->type) {
    case BLOCK_REQ_READ:
        return true;
    case BLOCK_REQ_WRITE:
        /* these inspect the data first: the pool does them */
        return !req->guard_block0 && !req->detect_zeroes;
    case BLOCK_REQ_FLUSH:
        return true;
    default:
        return false;           /* fallocate, ioctl: the pool */
    }
}

/* One SQE for the request's next step; the ring has room. */
static void uring_queue(BlockUring *u, BlockRequest *req)
{
    unsigned tail = *u->sq_tail;
    unsigned i = tail & *u->sq_mask;
    struct io_uring_sqe *sqe = &u->sqes[i];
    long r;

    memset(sqe, 0, sizeof(*sqe));
    sqe->fd = req->fd;
    sqe->user_data = (uintptr_t)req;
    if (req->type == BLOCK_REQ_FLUSH || req->uring_syncing) {
        sqe->opcode = IORING_OP_FSYNC;
        sqe->fsync_flags = IORING_FSYNC_DATASYNC;
    } else {
        sqe->opcode = req->type == BLOCK_REQ_WRITE ? IORING_OP_WRITEV
                                                   : IORING_OP_READV;
        sqe->addr = (uintptr_t)req->cur_iov;
        sqe->len = req->cur_iovcnt;
        sqe->off = req->offset + req->done_bytes;
    }
    u->sq_array[i] = i;
    __atomic_store_n(u->sq_tail, tail + 1, __ATOMIC_RELEASE);
    u->in_flight++;
    do {
        r = syscall(__NR_io_uring_enter, u->fd, 1, 0, 0, NULL, 0);
    } while (r < 0 && errno == EINTR);
    /* the SQE is in the ring: a failed enter is retried by the next one */
}

void block_uring_submit(BlockUring *u, BlockRequest *req)
{
    req->cur_iov = req->iov;
    req->cur_iovcnt = req->iovcnt;
    req->done_bytes = 0;
    req->uring_syncing = false;
    if (u->in_flight >= URING_ENTRIES) {
        g_queue_push_tail(&u->waiting, req);
        return;
    }
    uring_queue(u, req);
}

static void iov_skip(BlockRequest *req, size_t n)
{
    /* cur_iov points into req->iov, which the request owns */
    while (n && req->cur_iovcnt) {
        if (n < req->cur_iov->iov_len) {
            req->cur_iov->iov_base = (char *)req->cur_iov->iov_base + n;
            req->cur_iov->iov_len -= n;
            return;
        }
        n -= req->cur_iov->iov_len;
        req->cur_iov++;
        req->cur_iovcnt--;
    }
}

/*
 * One CQE: true when the request is finished (req->ret set), false
 * when its next step was queued.
 */
static bool uring_step(BlockUring *u, BlockRequest *req, int res)
{
    if (res == -EINTR || res == -EAGAIN) {
        uring_queue(u, req);
        return false;
    }
    if (res < 0) {
        req->ret = res;
        return true;
    }
    if (req->type == BLOCK_REQ_FLUSH || req->uring_syncing) {
        req->ret = 0;
        return true;
    }
    if (res == 0) {
        if (req->type == BLOCK_REQ_WRITE) {
            req->ret = -ENOSPC;
            return true;
        }
        for (int i = 0; i < req->cur_iovcnt; i++) {
            memset(req->cur_iov[i].iov_base, 0, req->cur_iov[i].iov_len);
        }
        req->cur_iovcnt = 0;
    } else {
        iov_skip(req, res);
        req->done_bytes += res;
    }
    if (req->cur_iovcnt) {
        uring_queue(u, req);
        return false;
    }
    if (req->flush_after) {
        req->uring_syncing = true;
        uring_queue(u, req);
        return false;
    }
    req->ret = 0;
    return true;
}

void block_uring_reap(BlockUring *u)
{
    unsigned head;

    if (!u) {
        return;
    }
    head = *u->cq_head;
    while (head != __atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE)) {
        struct io_uring_cqe *cqe = &u->cqes[head & *u->cq_mask];
        BlockRequest *req = (BlockRequest *)(uintptr_t)cqe->user_data;
        int res = cqe->res;

        head++;
        __atomic_store_n(u->cq_head, head, __ATOMIC_RELEASE);
        u->in_flight--;
        if (uring_step(u, req, res)) {
            blk_request_complete(req);
        }
        while (u->in_flight < URING_ENTRIES &&
               !g_queue_is_empty(&u->waiting)) {
            uring_queue(u, g_queue_pop_head(&u->waiting));
        }
        head = *u->cq_head;
    }
}
