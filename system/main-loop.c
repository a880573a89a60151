/*
 * The main loop's plumbing and the big QEMU lock (BQL).
 * As QEMU 7.2 util/main-loop.c os_host_main_loop_wait(): the BQL is
 * released only around the poll, so every GLib callback of the main
 * context runs with it held; softmmu/cpus.c qemu_mutex_lock_iothread()
 * and its thread-local "iothread_locked" flag for assertions.
 */
#include "qemu/osdep.h"
#include "qemu/thread.h"
#include "qemu/timer.h"
#include "system/main-loop.h"

#include <glib-unix.h>

static QemuMutex bql = QEMU_MUTEX_INITIALIZER;
static __thread bool bql_held;

void bql_lock(void)
{
    assert(!bql_held);
    qemu_mutex_lock(&bql);
    bql_held = true;
}

void bql_unlock(void)
{
    assert(bql_held);
    bql_held = false;
    qemu_mutex_unlock(&bql);
}

bool bql_locked(void)
{
    return bql_held;
}

/* GLib's poll step: the only place the main thread lets the BQL go. */
static gint main_loop_poll(GPollFD *fds, guint nfds, gint timeout)
{
    gint ret;

    assert(bql_held);
    bql_unlock();
    ret = g_poll(fds, nfds, timeout);
    bql_lock();
    return ret;
}

static gboolean main_loop_timers_ready(gint fd, GIOCondition cond,
                                       gpointer opaque)
{
    qemu_clock_run_all_timers();
    return G_SOURCE_CONTINUE;
}

guint main_loop_fd_add(int fd, GIOCondition cond,
                       gboolean (*func)(gint fd, GIOCondition cond,
                                        gpointer data),
                       gpointer data)
{
    GSource *source = g_unix_fd_source_new(fd, cond);
    guint tag;

    g_source_set_callback(source, (GSourceFunc)(void (*)(void))func, data,
                          NULL);
    g_source_set_can_recurse(source, TRUE);
    tag = g_source_attach(source, NULL);
    g_source_unref(source);
    return tag;
}

void qemu_init_main_loop(void)
{
    GMainContext *context = g_main_context_default();

    g_main_context_set_poll_func(context, main_loop_poll);
    main_loop_fd_add(qemu_clock_timerfd(), G_IO_IN, main_loop_timers_ready,
                     NULL);
}

void main_loop_wait(bool nonblocking)
{
    assert(bql_held);
    g_main_context_iteration(NULL, !nonblocking);
}
