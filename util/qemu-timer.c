/*
 * Clocks and timers (include/qemu/timer.h), as QEMU 7.2
 * util/qemu-timer.c: one deadline-sorted list per clock, run by the main
 * loop under the big lock. One timerfd, armed on an absolute
 * CLOCK_MONOTONIC deadline with nanosecond precision, wakes the main
 * loop for the earliest deadline of every clock (QEMU computes a poll
 * timeout instead; a timerfd also wakes a main loop already polling
 * when a vCPU thread arms an earlier timer).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/timer.h"

#include <sys/timerfd.h>
#include <time.h>

struct QEMUTimer {
    int64_t expire_time;        /* -1: not pending */
    QEMUClockType type;
    QEMUTimerCB *cb;
    void *opaque;
    QEMUTimer *next;
};

typedef struct QEMUClock {
    QEMUTimer *active;          /* pending timers, earliest first */
} QEMUClock;

static QEMUClock clocks[QEMU_CLOCK_MAX];

/* Manual virtual clock (tests). */
static bool virtual_manual;
static int64_t virtual_manual_ns;

/*
 * The virtual clock is CLOCK_MONOTONIC - virtual_offset while ticks are
 * enabled, virtual_frozen while the VM is stopped (QEMU's
 * timers_state.cpu_clock_offset and cpu_ticks_enabled).
 */
static bool virtual_stopped;
static int64_t virtual_offset;
static int64_t virtual_frozen;

static int timer_fd = -1;
static int64_t timer_fd_armed = INT64_MAX;  /* monotonic ns, MAX: disarmed */

static int64_t clock_read(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    switch (type) {
    case QEMU_CLOCK_VIRTUAL:
        if (virtual_manual) {
            return virtual_manual_ns;
        }
        if (virtual_stopped) {
            return virtual_frozen;
        }
        /* KVM: cpu_get_clock() follows the host monotonic clock. */
        return clock_read(CLOCK_MONOTONIC) - virtual_offset;
    case QEMU_CLOCK_HOST:
        return clock_read(CLOCK_REALTIME);
    case QEMU_CLOCK_REALTIME:
    default:
        return clock_read(CLOCK_MONOTONIC);
    }
}

/* ---- The timerfd --------------------------------------------------------- */

/* Whether the timers of clock type are woken by the timerfd. */
static bool clock_uses_timerfd(QEMUClockType type)
{
    return !(type == QEMU_CLOCK_VIRTUAL &&
             (virtual_manual || virtual_stopped));
}

/* A deadline on clock type as an absolute CLOCK_MONOTONIC time. */
static int64_t clock_to_monotonic(QEMUClockType type, int64_t deadline)
{
    int64_t now;

    if (type == QEMU_CLOCK_VIRTUAL) {
        /* virtual_offset >= 0; a far deadline must not wrap. */
        return MIN(deadline, INT64_MAX - 1 - virtual_offset) + virtual_offset;
    }
    if (type != QEMU_CLOCK_HOST) {
        return deadline;
    }
    /* The wall clock may step: an early wake-up just re-arms. */
    now = clock_read(CLOCK_REALTIME);
    if (deadline <= now) {
        return 0;
    }
    return clock_read(CLOCK_MONOTONIC) + (deadline - now);
}

static void timer_fd_set(int64_t mono)
{
    struct itimerspec its = { 0 };

    timer_fd_armed = mono;
    if (timer_fd < 0) {
        return;
    }
    if (mono != INT64_MAX) {
        /* 0 would disarm: a deadline in the past fires at once. */
        mono = MAX(mono, 1);
        its.it_value.tv_sec = mono / NANOSECONDS_PER_SECOND;
        its.it_value.tv_nsec = mono % NANOSECONDS_PER_SECOND;
    }
    if (timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
        error_report("timerfd_settime failed: %s", strerror(errno));
    }
}

static void timer_fd_rearm(void)
{
    int64_t earliest = INT64_MAX;

    for (int t = 0; t < QEMU_CLOCK_MAX; t++) {
        if (clocks[t].active && clock_uses_timerfd(t)) {
            earliest = MIN(earliest,
                           clock_to_monotonic(t,
                                              clocks[t].active->expire_time));
        }
    }
    if (earliest != timer_fd_armed) {
        timer_fd_set(earliest);
    }
}

int qemu_clock_timerfd(void)
{
    if (timer_fd < 0) {
        timer_fd = timerfd_create(CLOCK_MONOTONIC,
                                  TFD_NONBLOCK | TFD_CLOEXEC);
        if (timer_fd < 0) {
            error_report("timerfd_create failed: %s", strerror(errno));
            abort();
        }
        /* Timers armed before the main loop existed. */
        timer_fd_armed = -1;
        timer_fd_rearm();
    }
    return timer_fd;
}

/* ---- Timer lists --------------------------------------------------------- */

QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque)
{
    QEMUTimer *ts = g_new0(QEMUTimer, 1);

    assert(type >= 0 && type < QEMU_CLOCK_MAX);
    ts->type = type;
    ts->cb = cb;
    ts->opaque = opaque;
    ts->expire_time = -1;
    return ts;
}

static void timer_unlink(QEMUTimer *ts)
{
    QEMUTimer **p;

    for (p = &clocks[ts->type].active; *p; p = &(*p)->next) {
        if (*p == ts) {
            *p = ts->next;
            break;
        }
    }
    ts->next = NULL;
    ts->expire_time = -1;
}

void timer_del(QEMUTimer *ts)
{
    if (ts->expire_time >= 0) {
        /* The timerfd stays armed: a spurious wake-up re-arms it. */
        timer_unlink(ts);
    }
}

void timer_free(QEMUTimer *ts)
{
    if (ts) {
        timer_del(ts);
        g_free(ts);
    }
}

void timer_mod(QEMUTimer *ts, int64_t expire_time)
{
    QEMUClock *clock = &clocks[ts->type];
    QEMUTimer **p;

    timer_del(ts);
    ts->expire_time = MAX(expire_time, 0);
    /* After every timer with the same deadline: first armed, first run. */
    for (p = &clock->active; *p; p = &(*p)->next) {
        if ((*p)->expire_time > ts->expire_time) {
            break;
        }
    }
    ts->next = *p;
    *p = ts;
    if (p == &clock->active && clock_uses_timerfd(ts->type)) {
        int64_t mono = clock_to_monotonic(ts->type, ts->expire_time);

        /* Only an earlier deadline costs a syscall on this path. */
        if (mono < timer_fd_armed) {
            timer_fd_set(mono);
        }
    }
}

void timer_mod_anticipate(QEMUTimer *ts, int64_t expire_time)
{
    if (ts->expire_time < 0 || expire_time < ts->expire_time) {
        timer_mod(ts, expire_time);
    }
}

bool timer_pending(QEMUTimer *ts)
{
    return ts->expire_time >= 0;
}

int64_t timer_expire_time_ns(QEMUTimer *ts)
{
    return ts->expire_time;
}

/*
 * Runs the timers of clock type due at now, earliest first. A callback
 * may arm, cancel or free any timer, itself included: the list is read
 * afresh after each call (QEMU's timerlist_run_timers).
 */
static void clock_run_timers(QEMUClockType type, int64_t now)
{
    QEMUClock *clock = &clocks[type];

    while (clock->active && clock->active->expire_time <= now) {
        QEMUTimer *ts = clock->active;

        clock->active = ts->next;
        ts->next = NULL;
        ts->expire_time = -1;
        ts->cb(ts->opaque);
    }
}

void qemu_clock_run_all_timers(void)
{
    uint64_t expirations;

    if (timer_fd >= 0 &&
        read(timer_fd, &expirations, sizeof(expirations)) < 0 &&
        errno != EAGAIN) {
        error_report("timerfd read failed: %s", strerror(errno));
    }
    for (int t = 0; t < QEMU_CLOCK_MAX; t++) {
        if (clock_uses_timerfd(t)) {
            clock_run_timers(t, qemu_clock_get_ns(t));
        }
    }
    /* Force a fresh arming: the fd may have fired for a deleted timer. */
    timer_fd_armed = -1;
    timer_fd_rearm();
}

/* ---- Stopping the virtual clock ------------------------------------------ */

void cpu_disable_ticks(void)
{
    if (virtual_stopped || virtual_manual) {
        return;
    }
    virtual_frozen = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    virtual_stopped = true;
}

void cpu_enable_ticks(void)
{
    if (!virtual_stopped) {
        return;
    }
    /* Carry on from the frozen value: the stop is not seen as time. */
    virtual_offset = clock_read(CLOCK_MONOTONIC) - virtual_frozen;
    virtual_stopped = false;
    timer_fd_rearm();
}

/* ---- The manual virtual clock -------------------------------------------- */

void qemu_clock_set_virtual_manual(int64_t now_ns)
{
    virtual_manual = true;
    virtual_manual_ns = now_ns;
}

void qemu_clock_advance_virtual_time(int64_t dest)
{
    QEMUClock *clock = &clocks[QEMU_CLOCK_VIRTUAL];

    assert(virtual_manual);
    while (clock->active && clock->active->expire_time <= dest) {
        virtual_manual_ns = MAX(virtual_manual_ns,
                                clock->active->expire_time);
        clock_run_timers(QEMU_CLOCK_VIRTUAL, virtual_manual_ns);
    }
    virtual_manual_ns = MAX(virtual_manual_ns, dest);
}
