/*
 * Clocks and timers, as QEMU 7.2's include/qemu/timer.h: nanosecond
 * deadlines on a clock, run from the main loop under the big lock.
 *
 * QEMU_CLOCK_REALTIME is the host monotonic clock; QEMU_CLOCK_HOST the
 * host wall clock (CLOCK_REALTIME: follows settimeofday and NTP steps);
 * QEMU_CLOCK_VIRTUAL the guest's time: with KVM, QEMU's virtual clock
 * follows the host monotonic clock while the VM runs and stands still
 * while it is stopped (cpu-timers.c cpu_get_clock()). Tests make the
 * virtual clock manual and move it by hand, as QEMU's qtest accelerator.
 *
 * Timers are armed, cancelled and run under the big lock (the main loop
 * runs them with it held); nothing here takes a lock of its own.
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

#include "qemu/osdep.h"

#define NANOSECONDS_PER_SECOND 1000000000LL

typedef enum QEMUClockType {
    QEMU_CLOCK_REALTIME,
    QEMU_CLOCK_VIRTUAL,
    QEMU_CLOCK_HOST,
    QEMU_CLOCK_MAX
} QEMUClockType;

/* Nanoseconds per millisecond: QEMU's ms-scale timers (timer_new_ms) */
#define SCALE_MS 1000000

typedef void QEMUTimerCB(void *opaque);
typedef struct QEMUTimer QEMUTimer;

/* The clock's current time in nanoseconds. */
int64_t qemu_clock_get_ns(QEMUClockType type);

/* A timer on clock type calling cb(opaque) when due; not armed. */
QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque);
/* Cancels and frees (NULL is fine). */
void timer_free(QEMUTimer *ts);
/*
 * Arms ts for expire_time ns on its clock, replacing any earlier arming.
 * A deadline already passed runs at the next dispatch. Timers with the
 * same deadline run in the order they were armed.
 */
void timer_mod(QEMUTimer *ts, int64_t expire_time);
/* As timer_mod, but only ever brings the deadline earlier. */
void timer_mod_anticipate(QEMUTimer *ts, int64_t expire_time);
void timer_del(QEMUTimer *ts);
bool timer_pending(QEMUTimer *ts);
/* The armed deadline, or -1 when not pending. */
int64_t timer_expire_time_ns(QEMUTimer *ts);

/*
 * The main loop's side (system/main-loop.c): the fd that becomes
 * readable when the earliest deadline of the real-time clocks passes
 * (a timerfd on an absolute CLOCK_MONOTONIC deadline), and the dispatch
 * that runs every due timer and re-arms it.
 */
int qemu_clock_timerfd(void);
void qemu_clock_run_all_timers(void);

/*
 * QEMU's cpu_disable_ticks()/cpu_enable_ticks() (vm_stop/vm_start):
 * while the VM is stopped the virtual clock stands still and its timers
 * wait; it then carries on from where it stopped. Under the BQL.
 */
void cpu_disable_ticks(void);
void cpu_enable_ticks(void);

/*
 * Tests: the virtual clock stops following the host and reads now_ns
 * until moved; its timers then run only from
 * qemu_clock_advance_virtual_time(), which moves the clock to dest,
 * running every timer due on the way in deadline order, the clock
 * reading each timer's deadline while it runs (QEMU's qtest_clock_warp).
 */
void qemu_clock_set_virtual_manual(int64_t now_ns);
void qemu_clock_advance_virtual_time(int64_t dest);

#endif
