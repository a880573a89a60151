/*
 * -object iothread: a named thread running its own GLib main context, for
 * devices that move their I/O off the main loop (virtio iothread=);
 * QEMU 7.2's iothread.c and util/event-loop-base.c properties.
 */
#ifndef SYSTEM_IOTHREAD_H
#define SYSTEM_IOTHREAD_H

#include "system/object-add.h"

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
} IOThread;

#define IOTHREAD(obj) OBJECT_CHECK(IOThread, (obj), TYPE_IOTHREAD)

void iothread_register_types(void);

/* The iothread with this -object id, or NULL. */
IOThread *iothread_by_id(const char *id);
/* Sources attached here run in the iothread. */
GMainContext *iothread_get_g_main_context(IOThread *iothread);

#endif
