/*
 * -object iothread: a thread with its own GLib main context.
 *
 * Properties and checks match QEMU 7.2's iothread.c and
 * util/event-loop-base.c (each value in [0, INT64_MAX]) with util/async.c
 * aio_context_set_thread_pool_params; the thread runs a GMainLoop where
 * QEMU runs an AioContext (devices attach GSources to it).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/iothread.h"

/* IOTHREAD_POLL_MAX_NS_DEFAULT where ppoll exists */
#define IOTHREAD_POLL_MAX_NS_DEFAULT 32768
/* THREAD_POOL_MAX_THREADS_DEFAULT */
#define IOTHREAD_POOL_MAX_DEFAULT 64

static bool check_non_negative(Object *obj, const Property *prop,
                               const void *value, Error **errp)
{
    if (*(const int64_t *)value < 0) {
        error_setg(errp, "%s value must be in range [0, %" PRId64 "]",
                   prop->name, INT64_MAX);
        return false;
    }
    return true;
}

#define IOTHREAD_PROP(_name, _field, _def) \
    { .name = (_name), .info = &prop_info_int64, \
      .offset = offsetof(IOThread, _field), .type_name = "int", \
      .has_default = true, .defval.i = (_def), \
      .check = check_non_negative }

/* QAPI order: EventLoopBaseProperties, then IothreadProperties */
static const Property iothread_properties[] = {
    IOTHREAD_PROP("aio-max-batch", aio_max_batch, 0),
    IOTHREAD_PROP("thread-pool-min", thread_pool_min, 0),
    IOTHREAD_PROP("thread-pool-max", thread_pool_max,
                  IOTHREAD_POOL_MAX_DEFAULT),
    IOTHREAD_PROP("poll-max-ns", poll_max_ns, IOTHREAD_POLL_MAX_NS_DEFAULT),
    IOTHREAD_PROP("poll-grow", poll_grow, 0),
    IOTHREAD_PROP("poll-shrink", poll_shrink, 0),
    { .name = NULL }
};

/* One iothread_run_sync() call, on the caller's stack */
typedef struct IOThreadWork {
    void (*fn)(void *opaque);
    void *opaque;
    bool done;
} IOThreadWork;

/*
 * The sync source: ready while work is queued. It runs at a higher
 * priority than the devices' sources, so a stop handed over while a
 * completion is ready runs first (and drains that completion itself).
 */
static gboolean iothread_sync_dispatch(GSource *source, GSourceFunc cb,
                                       gpointer data)
{
    IOThread *iothread = data;
    IOThreadWork *w;

    g_source_set_ready_time(source, -1);
    qemu_mutex_lock(&iothread->lock);
    while ((w = g_queue_pop_head(&iothread->work))) {
        qemu_mutex_unlock(&iothread->lock);
        w->fn(w->opaque);
        qemu_mutex_lock(&iothread->lock);
        w->done = true;
        qemu_cond_broadcast(&iothread->done_cond);
    }
    qemu_mutex_unlock(&iothread->lock);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs iothread_sync_funcs = {
    .dispatch = iothread_sync_dispatch,
};

void iothread_run_sync(IOThread *iothread, void (*fn)(void *opaque),
                       void *opaque)
{
    IOThreadWork w = { .fn = fn, .opaque = opaque };

    if (g_thread_self() == iothread->thread) {
        fn(opaque);
        return;
    }
    qemu_mutex_lock(&iothread->lock);
    g_queue_push_tail(&iothread->work, &w);
    g_source_set_ready_time(iothread->sync_source, 0);
    while (!w.done) {
        qemu_cond_wait(&iothread->done_cond, &iothread->lock);
    }
    qemu_mutex_unlock(&iothread->lock);
}

static gpointer iothread_run(gpointer opaque)
{
    IOThread *iothread = opaque;

    g_main_context_push_thread_default(iothread->context);
    /* QEMU's iothread_run(): until iothread_stop() clears "running". */
    while (g_atomic_int_get(&iothread->running)) {
        g_main_context_iteration(iothread->context, TRUE);
    }
    /* Sources attached before the stop still run, as QEMU's BHs do. */
    while (g_main_context_iteration(iothread->context, FALSE)) {
        /* drain */
    }
    g_main_context_pop_thread_default(iothread->context);
    return NULL;
}

static bool iothread_complete(Object *obj, Error **errp)
{
    IOThread *iothread = IOTHREAD(obj);
    g_autofree char *name = NULL;

    if (iothread->thread_pool_min > iothread->thread_pool_max ||
        !iothread->thread_pool_max || iothread->thread_pool_min > INT_MAX ||
        iothread->thread_pool_max > INT_MAX) {
        error_setg(errp, "bad thread-pool-min/thread-pool-max values");
        return false;
    }
    /* QEMU's thread name with -name debug-threads=on */
    name = g_strdup_printf("IO %s", obj->id ? obj->id : "iothread");
    iothread->context = g_main_context_new();
    qemu_mutex_init(&iothread->lock);
    qemu_cond_init(&iothread->done_cond);
    g_queue_init(&iothread->work);
    iothread->sync_source = g_source_new(&iothread_sync_funcs,
                                         sizeof(GSource));
    g_source_set_callback(iothread->sync_source, NULL, iothread, NULL);
    g_source_set_priority(iothread->sync_source, G_PRIORITY_HIGH);
    g_source_set_name(iothread->sync_source, "iothread-sync");
    g_source_attach(iothread->sync_source, iothread->context);
    iothread->running = true;
    iothread->thread = g_thread_new(name, iothread_run, iothread);
    return true;
}

static void iothread_finalize(Object *obj)
{
    IOThread *iothread = IOTHREAD(obj);

    /*
     * As QEMU's iothread_stop(): clear the flag, wake the thread. (Not an
     * idle source handed to the thread: GLib passes it under its own
     * futex-based lock, which ThreadSanitizer cannot see.)
     */
    if (iothread->thread) {
        g_atomic_int_set(&iothread->running, false);
        g_main_context_wakeup(iothread->context);
        g_thread_join(iothread->thread);
    }
    if (iothread->sync_source) {
        g_source_destroy(iothread->sync_source);
        g_source_unref(iothread->sync_source);
        qemu_mutex_destroy(&iothread->lock);
        qemu_cond_destroy(&iothread->done_cond);
    }
    if (iothread->context) {
        g_main_context_unref(iothread->context);
    }
}

static void iothread_class_init(ObjectClass *klass, void *data)
{
    USER_CREATABLE_CLASS(klass)->complete = iothread_complete;
    object_class_add_properties(klass, iothread_properties);
}

static const TypeInfo iothread_info = {
    .name = TYPE_IOTHREAD,
    .parent = TYPE_USER_CREATABLE,
    .instance_size = sizeof(IOThread),
    .instance_finalize = iothread_finalize,
    .class_init = iothread_class_init,
};

void iothread_register_types(void)
{
    type_register_static(&iothread_info);
}

IOThread *iothread_by_id(const char *id)
{
    Object *obj = object_find_by_id("objects", id);

    return obj ? (IOThread *)object_dynamic_cast(obj, TYPE_IOTHREAD) : NULL;
}

GMainContext *iothread_get_g_main_context(IOThread *iothread)
{
    return iothread->context;
}
