/*
 * Unit tests for system/main-loop.c: GLib callbacks and timers of the
 * main loop run with the BQL held; the loop lets the BQL go only while
 * it polls, so another thread can take it then; a timer armed by
 * another thread while the loop sleeps wakes it (the timerfd); a
 * real-time timer never runs before its deadline; the virtual clock and
 * its timers stand still while the VM is stopped (cpu_disable_ticks); a
 * bottom half runs once however often it was scheduled, not at all when
 * cancelled, and wakes a sleeping loop when another thread schedules it;
 * an fd watch (main_loop_fd_add) runs while its fd is ready, is not
 * blocked while it runs (so GLib does not wake the loop around each
 * dispatch) and ends when its callback says so.
 * As QEMU 7.2 util/main-loop.c os_host_main_loop_wait(), util/async.c.
 */
#include "qemu/osdep.h"
#include "qemu/bh.h"
#include "qemu/thread.h"
#include "qemu/timer.h"
#include "system/main-loop.h"

#include <glib-unix.h>
#include <sys/eventfd.h>

static unsigned ran;

static gboolean idle_cb(gpointer opaque)
{
    g_assert_true(bql_locked());
    ran++;
    return G_SOURCE_REMOVE;
}

static void timer_cb(void *opaque)
{
    int64_t deadline = *(int64_t *)opaque;

    g_assert_true(bql_locked());
    /* Never early, whatever the host's speed. */
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_REALTIME), >=, deadline);
    ran++;
}

static void test_callbacks_hold_bql(void)
{
    int64_t deadline = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) + 2000000;
    QEMUTimer *t = timer_new_ns(QEMU_CLOCK_REALTIME, timer_cb, &deadline);

    ran = 0;
    g_idle_add(idle_cb, NULL);
    timer_mod(t, deadline);
    while (ran < 2) {
        main_loop_wait(false);
    }
    g_assert_true(bql_locked());
    timer_free(t);
}

/* ---- Another thread takes the BQL while the main loop polls ------------ */

typedef struct Poke {
    int efd;
    bool poked;                 /* written under the BQL */
    QEMUTimer *timer;           /* armed under the BQL, or NULL */
} Poke;

static gpointer poke_thread(gpointer opaque)
{
    Poke *p = opaque;
    uint64_t one = 1;

    /* Blocks for good if the main loop polled with the BQL held. */
    bql_lock();
    g_assert_true(bql_locked());
    p->poked = true;
    if (p->timer) {
        timer_mod(p->timer, qemu_clock_get_ns(QEMU_CLOCK_REALTIME));
    } else {
        g_assert_cmpint(write(p->efd, &one, sizeof(one)), ==, sizeof(one));
    }
    bql_unlock();
    return NULL;
}

static gboolean poke_ready(gint fd, GIOCondition cond, gpointer opaque)
{
    Poke *p = opaque;

    g_assert_true(bql_locked());
    g_assert_true(p->poked);
    ran++;
    return G_SOURCE_REMOVE;
}

static void test_poll_drops_bql(void)
{
    Poke p = { .efd = eventfd(0, EFD_CLOEXEC) };
    GThread *thread;

    ran = 0;
    g_unix_fd_add(p.efd, G_IO_IN, poke_ready, &p);
    thread = g_thread_new("poke", poke_thread, &p);
    while (!ran) {
        main_loop_wait(false);
    }
    g_thread_join(thread);
    close(p.efd);
}

static void poked_timer_cb(void *opaque)
{
    Poke *p = opaque;

    g_assert_true(bql_locked());
    g_assert_true(p->poked);
    ran++;
}

/* The loop sleeps with no deadline: only the timerfd can wake it. */
static void test_timer_armed_by_other_thread(void)
{
    Poke p = { .efd = -1 };
    GThread *thread;

    p.timer = timer_new_ns(QEMU_CLOCK_REALTIME, poked_timer_cb, &p);
    ran = 0;
    thread = g_thread_new("poke", poke_thread, &p);
    while (!ran) {
        main_loop_wait(false);
    }
    g_thread_join(thread);
    timer_free(p.timer);
}

static void count_cb(void *opaque)
{
    g_assert_true(bql_locked());
    ran++;
}

/* A stopped VM: the virtual clock stands still and its timers wait. */
static void test_virtual_clock_stops(void)
{
    QEMUTimer *t = timer_new_ns(QEMU_CLOCK_VIRTUAL, count_cb, NULL);
    int64_t frozen, mono;

    ran = 0;
    cpu_disable_ticks();
    frozen = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    timer_mod(t, frozen);               /* due, but the clock is stopped */
    for (int i = 0; i < 3; i++) {
        main_loop_wait(true);
    }
    g_assert_cmpuint(ran, ==, 0);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, frozen);

    mono = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    cpu_enable_ticks();
    /* It carries on from the frozen value: the stop is not counted. */
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) - frozen, <=,
                    qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - mono);
    while (!ran) {
        main_loop_wait(false);
    }
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), >=, frozen);
    timer_free(t);
}

/* ---- Bottom halves ------------------------------------------------------ */

static void bh_cb(void *opaque)
{
    g_assert_true(bql_locked());
    ran++;
}

static void test_bh(void)
{
    QEMUBH *bh = qemu_bh_new(bh_cb, NULL);

    ran = 0;
    main_loop_wait(true);
    g_assert_cmpuint(ran, ==, 0);
    qemu_bh_schedule(bh);
    qemu_bh_schedule(bh);
    main_loop_wait(true);
    g_assert_cmpuint(ran, ==, 1);
    main_loop_wait(true);
    g_assert_cmpuint(ran, ==, 1);
    qemu_bh_schedule(bh);
    qemu_bh_cancel(bh);
    main_loop_wait(true);
    g_assert_cmpuint(ran, ==, 1);
    qemu_bh_delete(bh);
}

static QEMUBH *again_bh;

static void bh_again_cb(void *opaque)
{
    ran++;
    qemu_bh_schedule(again_bh);
}

/* Scheduled again by its own callback: once per iteration, no spin */
static void test_bh_reschedules_itself(void)
{
    again_bh = qemu_bh_new(bh_again_cb, NULL);
    ran = 0;
    qemu_bh_schedule(again_bh);
    main_loop_wait(true);
    g_assert_cmpuint(ran, ==, 1);
    main_loop_wait(true);
    g_assert_cmpuint(ran, ==, 2);
    qemu_bh_delete(again_bh);
    main_loop_wait(true);
    g_assert_cmpuint(ran, ==, 2);
}

static gpointer bh_thread(gpointer opaque)
{
    bql_lock();
    qemu_bh_schedule(opaque);
    bql_unlock();
    return NULL;
}

/* A vCPU thread schedules it while the main loop sleeps in poll */
static void test_bh_other_thread(void)
{
    QEMUBH *bh = qemu_bh_new(bh_cb, NULL);
    GThread *t;

    ran = 0;
    t = g_thread_new("bh", bh_thread, bh);
    while (!ran) {
        main_loop_wait(false);
    }
    g_thread_join(t);
    qemu_bh_delete(bh);
}

/* ---- fd watches ----------------------------------------------------------- */

typedef struct FdWatch {
    int efd;
    unsigned calls, depth, max_depth;
} FdWatch;

static gboolean fd_watch_cb(gint fd, GIOCondition cond, gpointer opaque)
{
    FdWatch *w = opaque;
    uint64_t v;

    g_assert_true(bql_locked());
    g_assert_cmpint(fd, ==, w->efd);
    w->calls++;
    w->depth++;
    w->max_depth = MAX(w->max_depth, w->depth);
    if (w->calls == 1) {
        /* still ready: a nested iteration runs this callback again */
        main_loop_wait(true);
    } else {
        g_assert_cmpint(read(fd, &v, sizeof(v)), ==, sizeof(v));
    }
    w->depth--;
    return w->calls < 3 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void test_fd_watch(void)
{
    FdWatch w = { .efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC) };
    uint64_t one = 1;

    g_assert_cmpuint(main_loop_fd_add(w.efd, G_IO_IN, fd_watch_cb, &w), >,
                     0);
    main_loop_wait(true);
    g_assert_cmpuint(w.calls, ==, 0);

    g_assert_cmpint(write(w.efd, &one, sizeof(one)), ==, sizeof(one));
    main_loop_wait(true);
    g_assert_cmpuint(w.calls, ==, 2);
    g_assert_cmpuint(w.max_depth, ==, 2);
    main_loop_wait(true);
    g_assert_cmpuint(w.calls, ==, 2);

    /* the third call removes the watch: a fourth write is not seen */
    g_assert_cmpint(write(w.efd, &one, sizeof(one)), ==, sizeof(one));
    main_loop_wait(true);
    g_assert_cmpuint(w.calls, ==, 3);
    g_assert_cmpint(write(w.efd, &one, sizeof(one)), ==, sizeof(one));
    main_loop_wait(true);
    g_assert_cmpuint(w.calls, ==, 3);
    close(w.efd);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop();
    bql_lock();
    g_test_add_func("/main-loop/callbacks-hold-bql", test_callbacks_hold_bql);
    g_test_add_func("/main-loop/poll-drops-bql", test_poll_drops_bql);
    g_test_add_func("/main-loop/timer-armed-by-other-thread",
                    test_timer_armed_by_other_thread);
    g_test_add_func("/main-loop/virtual-clock-stops",
                    test_virtual_clock_stops);
    g_test_add_func("/main-loop/bh", test_bh);
    g_test_add_func("/main-loop/bh-reschedules-itself",
                    test_bh_reschedules_itself);
    g_test_add_func("/main-loop/bh-other-thread", test_bh_other_thread);
    g_test_add_func("/main-loop/fd-watch", test_fd_watch);
    return g_test_run();
}
