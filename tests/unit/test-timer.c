/*
 * Unit tests for util/qemu-timer.c on the manual virtual clock: timers
 * run in deadline order, each with the clock reading its deadline;
 * re-arming earlier or later, cancelling, same-deadline order (first
 * armed, first run), a timer re-arming itself from its callback, a
 * callback cancelling another due timer. As QEMU 7.2's timer_mod /
 * timerlist_run_timers and qtest_clock_warp.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"

typedef struct Record {
    char name;
    int64_t at;                 /* the clock when it ran */
} Record;

static GArray *runs;            /* of Record */

static void record(void *opaque)
{
    Record r = { *(const char *)opaque,
                 qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) };

    g_array_append_val(runs, r);
}

static void setup(void)
{
    qemu_clock_set_virtual_manual(1000);
    if (runs) {
        g_array_free(runs, true);
    }
    runs = g_array_new(false, false, sizeof(Record));
}

static void assert_runs(const char *names, const int64_t *at)
{
    g_assert_cmpuint(runs->len, ==, strlen(names));
    for (guint i = 0; i < runs->len; i++) {
        Record *r = &g_array_index(runs, Record, i);

        g_assert_cmpint(r->name, ==, names[i]);
        g_assert_cmpint(r->at, ==, at[i]);
    }
}

static void test_mod(void)
{
    static const char a = 'a';
    QEMUTimer *t;

    setup();
    t = timer_new_ns(QEMU_CLOCK_VIRTUAL, record, (void *)&a);
    g_assert_false(timer_pending(t));
    g_assert_cmpint(timer_expire_time_ns(t), ==, -1);
    timer_mod(t, 1100);
    g_assert_true(timer_pending(t));
    g_assert_cmpint(timer_expire_time_ns(t), ==, 1100);
    qemu_clock_advance_virtual_time(1099);
    g_assert_cmpuint(runs->len, ==, 0);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, 1099);
    qemu_clock_advance_virtual_time(5000);
    assert_runs("a", (int64_t[]){ 1100 });
    g_assert_false(timer_pending(t));
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, 5000);
    /* A deadline already passed runs at the next chance, at "now". */
    timer_mod(t, 10);
    qemu_clock_advance_virtual_time(5000);
    assert_runs("aa", (int64_t[]){ 1100, 5000 });
    timer_free(t);
}

static void test_remod(void)
{
    static const char a = 'a', b = 'b';
    QEMUTimer *ta, *tb;

    setup();
    ta = timer_new_ns(QEMU_CLOCK_VIRTUAL, record, (void *)&a);
    tb = timer_new_ns(QEMU_CLOCK_VIRTUAL, record, (void *)&b);
    timer_mod(ta, 3000);
    timer_mod(tb, 2000);
    timer_mod(ta, 1500);        /* earlier: now before b */
    timer_mod(tb, 4000);        /* later */
    qemu_clock_advance_virtual_time(3500);
    assert_runs("a", (int64_t[]){ 1500 });
    qemu_clock_advance_virtual_time(4000);
    assert_runs("ab", (int64_t[]){ 1500, 4000 });

    /* timer_mod_anticipate only ever brings a deadline earlier. */
    timer_mod(ta, 5000);
    timer_mod_anticipate(ta, 6000);
    g_assert_cmpint(timer_expire_time_ns(ta), ==, 5000);
    timer_mod_anticipate(ta, 4500);
    g_assert_cmpint(timer_expire_time_ns(ta), ==, 4500);
    timer_del(ta);
    timer_mod_anticipate(ta, 7000);
    g_assert_cmpint(timer_expire_time_ns(ta), ==, 7000);
    timer_free(ta);
    timer_free(tb);
}

static void test_del(void)
{
    static const char a = 'a', b = 'b';
    QEMUTimer *ta, *tb;

    setup();
    ta = timer_new_ns(QEMU_CLOCK_VIRTUAL, record, (void *)&a);
    tb = timer_new_ns(QEMU_CLOCK_VIRTUAL, record, (void *)&b);
    timer_mod(ta, 2000);
    timer_mod(tb, 3000);
    timer_del(ta);
    g_assert_false(timer_pending(ta));
    timer_del(ta);              /* twice is fine */
    qemu_clock_advance_virtual_time(10000);
    assert_runs("b", (int64_t[]){ 3000 });
    /* Freed while pending: never runs. */
    timer_mod(ta, 11000);
    timer_free(ta);
    qemu_clock_advance_virtual_time(20000);
    assert_runs("b", (int64_t[]){ 3000 });
    timer_free(tb);
    timer_free(NULL);
}

static void test_order(void)
{
    static const char names[] = "abcde";
    QEMUTimer *t[5];

    setup();
    for (int i = 0; i < 5; i++) {
        t[i] = timer_new_ns(QEMU_CLOCK_VIRTUAL, record, (void *)&names[i]);
    }
    /* Armed out of order; c, a and e share a deadline, in that order. */
    timer_mod(t[3], 4000);
    timer_mod(t[2], 2000);
    timer_mod(t[0], 2000);
    timer_mod(t[1], 1500);
    timer_mod(t[4], 2000);
    qemu_clock_advance_virtual_time(9000);
    assert_runs("bcaed", (int64_t[]){ 1500, 2000, 2000, 2000, 4000 });
    for (int i = 0; i < 5; i++) {
        timer_free(t[i]);
    }
}

typedef struct Periodic {
    QEMUTimer *timer;
    int64_t period;
    unsigned left;
} Periodic;

static void periodic_cb(void *opaque)
{
    static const char p = 'p';
    Periodic *s = opaque;

    record((void *)&p);
    if (--s->left) {
        timer_mod(s->timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                            s->period);
    }
}

static void test_rearm_in_callback(void)
{
    static const char o = 'o';
    Periodic s = { .period = 100, .left = 4 };
    QEMUTimer *other;

    setup();
    s.timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, periodic_cb, &s);
    other = timer_new_ns(QEMU_CLOCK_VIRTUAL, record, (void *)&o);
    timer_mod(s.timer, 1100);
    timer_mod(other, 1250);
    /* One advance runs every tick on the way, interleaved by deadline. */
    qemu_clock_advance_virtual_time(2000);
    assert_runs("ppopp", (int64_t[]){ 1100, 1200, 1250, 1300, 1400 });
    g_assert_false(timer_pending(s.timer));
    timer_free(s.timer);
    timer_free(other);
}

static QEMUTimer *victim;

static void cancel_cb(void *opaque)
{
    record(opaque);
    timer_del(victim);
}

static void test_callback_cancels_due_timer(void)
{
    static const char a = 'a', b = 'b';
    QEMUTimer *ta;

    setup();
    ta = timer_new_ns(QEMU_CLOCK_VIRTUAL, cancel_cb, (void *)&a);
    victim = timer_new_ns(QEMU_CLOCK_VIRTUAL, record, (void *)&b);
    timer_mod(ta, 2000);
    timer_mod(victim, 2000);    /* due together, but a runs first */
    qemu_clock_advance_virtual_time(3000);
    assert_runs("a", (int64_t[]){ 2000 });
    timer_free(ta);
    timer_free(victim);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timer/mod", test_mod);
    g_test_add_func("/timer/remod", test_remod);
    g_test_add_func("/timer/del", test_del);
    g_test_add_func("/timer/same-deadline-order", test_order);
    g_test_add_func("/timer/rearm-in-callback", test_rearm_in_callback);
    g_test_add_func("/timer/callback-cancels-due-timer",
                    test_callback_cancels_due_timer);
    return g_test_run();
}
