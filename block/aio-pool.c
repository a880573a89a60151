/*
 * Asynchronous block I/O: a pool of worker threads does the blocking
 * host calls; completions come back through an eventfd GSource in the
 * backend's GMainContext, as QEMU 7.2's util/thread-pool.c (aio=threads)
 * completes through a bottom half in the AioContext.
 *
 * Reads, writes and flushes go through io_uring where the kernel has it
 * (block/aio-uring.c); the pool does the rest (discard, write-zeroes,
 * writes it must look at first) and everything where io_uring is
 * missing or forbidden. docs/performance.md has the figures.
 */
#include "qemu/osdep.h"
#include <sys/eventfd.h>
#include "block/block-int.h"

/* QEMU 7.2's thread pool default maximum (thread-pool-max) */
#define BLOCK_POOL_MAX_THREADS 64

static struct {
    QemuMutex lock;
    QemuCond cond;
    GQueue pending;
    int threads;
    int idle;
} pool = {
    .lock = QEMU_MUTEX_INITIALIZER,
    .cond = QEMU_COND_INITIALIZER,
    .pending = G_QUEUE_INIT,
};

struct BlockCompletionQueue {
    GSource source;
    QemuMutex lock;
    GQueue done;
    int efd;
    BlockUring *uring;          /* NULL: no io_uring here */
};

void block_completion_post(BlockCompletionQueue *q, BlockRequest *req)
{
    uint64_t one = 1;

    /*
     * The eventfd is written under the lock: once the main loop has taken
     * the request off the queue, the worker is done with the queue, so a
     * drained queue may be freed (its fd closed) at once.
     */
    qemu_mutex_lock(&q->lock);
    g_queue_push_tail(&q->done, req);
    /* EAGAIN: the counter is already non-zero, the source will run */
    if (write(q->efd, &one, sizeof(one)) < 0) {
        assert(errno == EAGAIN);
    }
    qemu_mutex_unlock(&q->lock);
}

static gpointer block_pool_worker(gpointer arg)
{
    for (;;) {
        BlockRequest *req;

        qemu_mutex_lock(&pool.lock);
        while (g_queue_is_empty(&pool.pending)) {
            pool.idle++;
            qemu_cond_wait(&pool.cond, &pool.lock);
            pool.idle--;
        }
        req = g_queue_pop_head(&pool.pending);
        qemu_mutex_unlock(&pool.lock);

        req->ret = block_request_execute(req);
        block_completion_post(req->queue, req);
    }
    return NULL;
}

void block_aio_submit(BlockCompletionQueue *q, BlockRequest *req)
{
    req->queue = q;
    if (block_uring_can_do(q->uring, req)) {
        block_uring_submit(q->uring, req);
        return;
    }
    qemu_mutex_lock(&pool.lock);
    g_queue_push_tail(&pool.pending, req);
    if (pool.idle > (int)g_queue_get_length(&pool.pending) - 1) {
        qemu_cond_signal(&pool.cond);
    } else if (pool.threads < BLOCK_POOL_MAX_THREADS) {
        /* workers live as long as the process; the pool only grows */
        pool.threads++;
        g_thread_unref(g_thread_new("block-worker", block_pool_worker,
                                    NULL));
    } else {
        qemu_cond_signal(&pool.cond);
    }
    qemu_mutex_unlock(&pool.lock);
}

static gboolean block_completion_dispatch(GSource *source,
                                          GSourceFunc callback,
                                          gpointer user_data)
{
    BlockCompletionQueue *q = (BlockCompletionQueue *)source;
    GQueue done = G_QUEUE_INIT;
    BlockRequest *req;
    uint64_t count;

    if (read(q->efd, &count, sizeof(count)) < 0) {
        assert(errno == EAGAIN);
    }
    block_uring_reap(q->uring);
    qemu_mutex_lock(&q->lock);
    done = q->done;
    g_queue_init(&q->done);
    qemu_mutex_unlock(&q->lock);

    while ((req = g_queue_pop_head(&done))) {
        blk_request_complete(req);
    }
    return G_SOURCE_CONTINUE;
}

static void block_completion_finalize(GSource *source)
{
    BlockCompletionQueue *q = (BlockCompletionQueue *)source;

    /* a worker that posted has left block_completion_post */
    qemu_mutex_lock(&q->lock);
    assert(g_queue_is_empty(&q->done));
    qemu_mutex_unlock(&q->lock);
    block_uring_free(q->uring);
    close(q->efd);
    qemu_mutex_destroy(&q->lock);
}

static GSourceFuncs block_completion_funcs = {
    .dispatch = block_completion_dispatch,
    .finalize = block_completion_finalize,
};

BlockCompletionQueue *block_completion_queue_new(GMainContext *ctx)
{
    GSource *source = g_source_new(&block_completion_funcs,
                                   sizeof(BlockCompletionQueue));
    BlockCompletionQueue *q = (BlockCompletionQueue *)source;

    qemu_mutex_init(&q->lock);
    g_queue_init(&q->done);
    q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    assert(q->efd >= 0);
    q->uring = block_uring_new(q->efd);
    g_source_add_unix_fd(source, q->efd, G_IO_IN);
    g_source_set_name(source, "block-completion");
    g_source_attach(source, ctx);
    return q;
}

bool block_completion_queue_has_uring(BlockCompletionQueue *q)
{
    return q->uring != NULL;
}

void block_completion_queue_free(BlockCompletionQueue *q)
{
    g_source_destroy(&q->source);
    g_source_unref(&q->source);
}
