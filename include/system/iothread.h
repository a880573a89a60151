/*
 * -object iothread: a named thread running its own GLib main context, for
 * devices that move their I/O off the main loop (virtio iothread=);
 * QEMU 7.2's iothread.c and util/event-loop-base.c properties.
 */
#ifndef SYSTEM_IOTHREAD_H
#define SYSTEM_IOTHREAD_H

#include "system/object-add.h"
#include "qemu/thread.h"

#define TYPE_IOTHREAD "iothread"

typedef struct IOThread {
    Object parent_obj;
    /* EventLoopBase properties */
    int64_t aio_max_batch;
    int64_t thread_pool_min;
    int64_t thread_pool_max;
    /* AioContext polling */
    int64_t poll_max_ns;
    int64_t poll_grow;
    int64_t poll_shrink;

    GMainContext *context;
    GThread *thread;
    int running;            /* atomic: the thread runs until cleared */
    /* iothread_run_sync(): work handed over under lock, run by sync_source */
    QemuMutex lock;
    QemuCond done_cond;
    GQueue work;
    GSource *sync_source;
} IOThread;

#define IOTHREAD(obj) OBJECT_CHECK(IOThread, (obj), TYPE_IOTHREAD)

void iothread_register_types(void);

/* The iothread with this -object id, or NULL. */
IOThread *iothread_by_id(const char *id);
/* Sources attached here run in the iothread. */
GMainContext *iothread_get_g_main_context(IOThread *iothread);
/*
 * Runs fn(opaque) in the iothread, between two of its dispatches, and
 * returns once it has run (QEMU 7.2's aio_wait_bh_oneshot): how a
 * control path hands a device's state to its iothread and takes it
 * back. Callable with the BQL held, which the iothread never takes; on
 * the iothread itself fn runs at once. The hand-over goes through a
 * QemuMutex, so what the caller wrote before happens before fn and what
 * fn wrote happens before the return, for ThreadSanitizer too.
 */
void iothread_run_sync(IOThread *iothread, void (*fn)(void *opaque),
                       void *opaque);

#endif
