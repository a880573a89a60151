/*
 * Run states: the state machine, requests posted by any thread, and the
 * main loop that carries them out.
 *
 * Matches QEMU 7.2 softmmu/runstate.c (RunState transitions, runstate_set,
 * vm_state_notify, main_loop_should_exit: shutdown, then reset, then
 * powerdown, then vmstop requests) and softmmu/cpus.c (vm_start,
 * do_vm_stop): a reset request becomes a shutdown with -no-reboot; a
 * shutdown exits 0 unless -no-shutdown stops the VM in state shutdown
 * instead; a signal always ends the program with "terminating on signal N
 * from pid P (NAME)"; a reset of a VM that is not running leaves it in
 * prelaunch. A KVM internal error stops the VM in internal-error, then,
 * with no monitor to resume it, the program exits 1.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/thread.h"
#include "qemu/timer.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/runstate.h"

#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <glib-unix.h>

RebootAction reboot_action = REBOOT_ACTION_RESET;
ShutdownAction shutdown_action = SHUTDOWN_ACTION_POWEROFF;

/* Pending requests, written by any thread under request_lock. */
static QemuMutex request_lock = QEMU_MUTEX_INITIALIZER;
static ShutdownCause reset_requested;
static ShutdownCause shutdown_requested;
static bool powerdown_requested;
static RunState vmstop_requested = RUN_STATE__MAX;
static bool exit_requested;
static int exit_status;
static int shutdown_signal;
static pid_t shutdown_pid;

static int request_eventfd = -1;
static int signal_fd = -1;
static GMainLoop *main_loop;
static int main_loop_status;
static void (*machine_reset)(void);

/* ---- Run states ---------------------------------------------------------- */

static const char *const runstate_names[RUN_STATE__MAX] = {
    [RUN_STATE_DEBUG] = "debug",
    [RUN_STATE_INMIGRATE] = "inmigrate",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
    [RUN_STATE_IO_ERROR] = "io-error",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_POSTMIGRATE] = "postmigrate",
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_FINISH_MIGRATE] = "finish-migrate",
    [RUN_STATE_RESTORE_VM] = "restore-vm",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_SAVE_VM] = "save-vm",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_SUSPENDED] = "suspended",
    [RUN_STATE_WATCHDOG] = "watchdog",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
    [RUN_STATE_COLO] = "colo",
};

static const char *const shutdown_cause_names[SHUTDOWN_CAUSE__MAX] = {
    [SHUTDOWN_CAUSE_NONE] = "none",
    [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
    [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
    [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
    [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
    [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
    [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
    [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
    [SHUTDOWN_CAUSE_GUEST_PANIC] = "guest-panic",
    [SHUTDOWN_CAUSE_SUBSYSTEM_RESET] = "subsystem-reset",
    [SHUTDOWN_CAUSE_SNAPSHOT_LOAD] = "snapshot-load",
};

/* QEMU 7.2 runstate_transitions_def, pair for pair. */
static const struct {
    RunState from, to;
} runstate_transitions[] = {
    { RUN_STATE_PRELAUNCH, RUN_STATE_INMIGRATE },

    { RUN_STATE_DEBUG, RUN_STATE_RUNNING },
    { RUN_STATE_DEBUG, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_DEBUG, RUN_STATE_PRELAUNCH },

    { RUN_STATE_INMIGRATE, RUN_STATE_INTERNAL_ERROR },
    { RUN_STATE_INMIGRATE, RUN_STATE_IO_ERROR },
    { RUN_STATE_INMIGRATE, RUN_STATE_PAUSED },
    { RUN_STATE_INMIGRATE, RUN_STATE_RUNNING },
    { RUN_STATE_INMIGRATE, RUN_STATE_SHUTDOWN },
    { RUN_STATE_INMIGRATE, RUN_STATE_SUSPENDED },
    { RUN_STATE_INMIGRATE, RUN_STATE_WATCHDOG },
    { RUN_STATE_INMIGRATE, RUN_STATE_GUEST_PANICKED },
    { RUN_STATE_INMIGRATE, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_INMIGRATE, RUN_STATE_PRELAUNCH },
    { RUN_STATE_INMIGRATE, RUN_STATE_POSTMIGRATE },
    { RUN_STATE_INMIGRATE, RUN_STATE_COLO },

    { RUN_STATE_INTERNAL_ERROR, RUN_STATE_PAUSED },
    { RUN_STATE_INTERNAL_ERROR, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_INTERNAL_ERROR, RUN_STATE_PRELAUNCH },

    { RUN_STATE_IO_ERROR, RUN_STATE_RUNNING },
    { RUN_STATE_IO_ERROR, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_IO_ERROR, RUN_STATE_PRELAUNCH },

    { RUN_STATE_PAUSED, RUN_STATE_RUNNING },
    { RUN_STATE_PAUSED, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_PAUSED, RUN_STATE_POSTMIGRATE },
    { RUN_STATE_PAUSED, RUN_STATE_PRELAUNCH },
    { RUN_STATE_PAUSED, RUN_STATE_COLO },

    { RUN_STATE_POSTMIGRATE, RUN_STATE_RUNNING },
    { RUN_STATE_POSTMIGRATE, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_POSTMIGRATE, RUN_STATE_PRELAUNCH },

    { RUN_STATE_PRELAUNCH, RUN_STATE_RUNNING },
    { RUN_STATE_PRELAUNCH, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_PRELAUNCH, RUN_STATE_INMIGRATE },

    { RUN_STATE_FINISH_MIGRATE, RUN_STATE_RUNNING },
    { RUN_STATE_FINISH_MIGRATE, RUN_STATE_PAUSED },
    { RUN_STATE_FINISH_MIGRATE, RUN_STATE_POSTMIGRATE },
    { RUN_STATE_FINISH_MIGRATE, RUN_STATE_PRELAUNCH },
    { RUN_STATE_FINISH_MIGRATE, RUN_STATE_COLO },

    { RUN_STATE_RESTORE_VM, RUN_STATE_RUNNING },
    { RUN_STATE_RESTORE_VM, RUN_STATE_PRELAUNCH },

    { RUN_STATE_COLO, RUN_STATE_RUNNING },
    { RUN_STATE_COLO, RUN_STATE_PRELAUNCH },
    { RUN_STATE_COLO, RUN_STATE_SHUTDOWN },

    { RUN_STATE_RUNNING, RUN_STATE_DEBUG },
    { RUN_STATE_RUNNING, RUN_STATE_INTERNAL_ERROR },
    { RUN_STATE_RUNNING, RUN_STATE_IO_ERROR },
    { RUN_STATE_RUNNING, RUN_STATE_PAUSED },
    { RUN_STATE_RUNNING, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_RUNNING, RUN_STATE_RESTORE_VM },
    { RUN_STATE_RUNNING, RUN_STATE_SAVE_VM },
    { RUN_STATE_RUNNING, RUN_STATE_SHUTDOWN },
    { RUN_STATE_RUNNING, RUN_STATE_WATCHDOG },
    { RUN_STATE_RUNNING, RUN_STATE_GUEST_PANICKED },
    { RUN_STATE_RUNNING, RUN_STATE_COLO },

    { RUN_STATE_SAVE_VM, RUN_STATE_RUNNING },

    { RUN_STATE_SHUTDOWN, RUN_STATE_PAUSED },
    { RUN_STATE_SHUTDOWN, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_SHUTDOWN, RUN_STATE_PRELAUNCH },
    { RUN_STATE_SHUTDOWN, RUN_STATE_COLO },

    { RUN_STATE_DEBUG, RUN_STATE_SUSPENDED },
    { RUN_STATE_RUNNING, RUN_STATE_SUSPENDED },
    { RUN_STATE_SUSPENDED, RUN_STATE_RUNNING },
    { RUN_STATE_SUSPENDED, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_SUSPENDED, RUN_STATE_PRELAUNCH },
    { RUN_STATE_SUSPENDED, RUN_STATE_COLO },

    { RUN_STATE_WATCHDOG, RUN_STATE_RUNNING },
    { RUN_STATE_WATCHDOG, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_WATCHDOG, RUN_STATE_PRELAUNCH },
    { RUN_STATE_WATCHDOG, RUN_STATE_COLO },

    { RUN_STATE_GUEST_PANICKED, RUN_STATE_RUNNING },
    { RUN_STATE_GUEST_PANICKED, RUN_STATE_FINISH_MIGRATE },
    { RUN_STATE_GUEST_PANICKED, RUN_STATE_PRELAUNCH },
};

static int current_run_state = RUN_STATE_PRELAUNCH;

const char *RunState_str(RunState state)
{
    return (unsigned)state < RUN_STATE__MAX ? runstate_names[state] : "?";
}

const char *ShutdownCause_str(ShutdownCause cause)
{
    return (unsigned)cause < SHUTDOWN_CAUSE__MAX ?
           shutdown_cause_names[cause] : "?";
}

RunState runstate_get(void)
{
    return g_atomic_int_get(&current_run_state);
}

bool runstate_check(RunState state)
{
    return runstate_get() == state;
}

bool runstate_is_running(void)
{
    return runstate_check(RUN_STATE_RUNNING);
}

bool runstate_is_valid_transition(RunState from, RunState to)
{
    for (size_t i = 0; i < ARRAY_SIZE(runstate_transitions); i++) {
        if (runstate_transitions[i].from == from &&
            runstate_transitions[i].to == to) {
            return true;
        }
    }
    return false;
}

bool runstate_set(RunState new_state, Error **errp)
{
    RunState cur = runstate_get();

    assert((unsigned)new_state < RUN_STATE__MAX);
    if (cur == new_state) {
        return true;
    }
    if (!runstate_is_valid_transition(cur, new_state)) {
        error_setg(errp, "invalid runstate transition: '%s' -> '%s'",
                   RunState_str(cur), RunState_str(new_state));
        return false;
    }
    g_atomic_int_set(&current_run_state, new_state);
    return true;
}

/* ---- Notifiers ---------------------------------------------------------- */

struct VMChangeStateEntry {
    VMChangeStateHandler *cb;
    void *opaque;
};

static GList *vm_change_state_handlers;     /* in registration order */
static NotifierList reset_notifiers = NOTIFIER_LIST_INITIALIZER;
static NotifierList shutdown_notifiers = NOTIFIER_LIST_INITIALIZER;
static NotifierList powerdown_notifiers = NOTIFIER_LIST_INITIALIZER;

VMChangeStateEntry *qemu_add_vm_change_state_handler(VMChangeStateHandler *cb,
                                                     void *opaque)
{
    VMChangeStateEntry *e = g_new0(VMChangeStateEntry, 1);

    e->cb = cb;
    e->opaque = opaque;
    vm_change_state_handlers = g_list_append(vm_change_state_handlers, e);
    return e;
}

void qemu_del_vm_change_state_handler(VMChangeStateEntry *e)
{
    vm_change_state_handlers = g_list_remove(vm_change_state_handlers, e);
    g_free(e);
}

static void vm_state_notify(bool running, RunState state)
{
    GList *l = running ? g_list_first(vm_change_state_handlers) :
                         g_list_last(vm_change_state_handlers);

    while (l) {
        /* read first: the handler may delete itself */
        GList *next = running ? l->next : l->prev;
        VMChangeStateEntry *e = l->data;

        e->cb(e->opaque, running, state);
        l = next;
    }
}

void qemu_register_reset_notifier(Notifier *notifier)
{
    notifier_list_add(&reset_notifiers, notifier);
}

void qemu_register_shutdown_notifier(Notifier *notifier)
{
    notifier_list_add(&shutdown_notifiers, notifier);
}

void qemu_register_powerdown_notifier(Notifier *notifier)
{
    notifier_list_add(&powerdown_notifiers, notifier);
}

/* ---- vm_start / vm_stop -------------------------------------------------- */

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    runstate_set(RUN_STATE_RUNNING, &error_abort);
    /* QEMU's vm_prepare_start(): the virtual clock runs again */
    cpu_enable_ticks();
    vm_state_notify(true, RUN_STATE_RUNNING);
    cpus_resume_all();
}

void vm_stop(RunState state)
{
    if (!runstate_is_running()) {
        return;
    }
    runstate_set(state, &error_abort);
    cpus_pause_all();
    /* QEMU's do_vm_stop(): the virtual clock stands still while stopped */
    cpu_disable_ticks();
    vm_state_notify(false, state);
}

void vm_shutdown(void)
{
    if (!runstate_is_running()) {
        return;
    }
    runstate_set(RUN_STATE_SHUTDOWN, &error_abort);
    cpu_disable_ticks();
    vm_state_notify(false, RUN_STATE_SHUTDOWN);
}

/* ---- Requests ------------------------------------------------------------ */

void qemu_register_machine_reset(void (*reset)(void))
{
    machine_reset = reset;
}

static void notify_main_loop(void)
{
    uint64_t one = 1;

    if (request_eventfd >= 0 &&
        write(request_eventfd, &one, sizeof(one)) < 0 && errno != EAGAIN) {
        error_report("cannot wake the main loop: %s", strerror(errno));
    }
}

void qemu_system_reset_request(ShutdownCause cause)
{
    qemu_mutex_lock(&request_lock);
    if (reboot_action == REBOOT_ACTION_SHUTDOWN &&
        cause != SHUTDOWN_CAUSE_SUBSYSTEM_RESET) {
        shutdown_requested = cause;
    } else {
        reset_requested = cause;
    }
    qemu_mutex_unlock(&request_lock);
    notify_main_loop();
}

void qemu_system_shutdown_request(ShutdownCause cause)
{
    qemu_mutex_lock(&request_lock);
    shutdown_requested = cause;
    qemu_mutex_unlock(&request_lock);
    notify_main_loop();
}

/* QEMU's qmp_quit(): a shutdown that -no-shutdown does not turn into a
 * pause. Main thread only (the mux's Ctrl-A x, later the monitor). */
void qemu_system_quit_request(void)
{
    shutdown_action = SHUTDOWN_ACTION_POWEROFF;
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

void qemu_system_powerdown_request(void)
{
    qemu_mutex_lock(&request_lock);
    powerdown_requested = true;
    qemu_mutex_unlock(&request_lock);
    notify_main_loop();
}

void qemu_system_vmstop_request(RunState state)
{
    qemu_mutex_lock(&request_lock);
    vmstop_requested = state;
    qemu_mutex_unlock(&request_lock);
    notify_main_loop();
}

void qemu_system_exit_request(int status)
{
    qemu_mutex_lock(&request_lock);
    if (!exit_requested) {
        exit_requested = true;
        exit_status = status;
    }
    qemu_mutex_unlock(&request_lock);
    notify_main_loop();
}

/*
 * Main thread only. As QEMU's qemu_system_killed(), the signal turns
 * -no-shutdown off for good: a guest's reset or poweroff request that
 * lands before the main loop handles the signal overwrites the cause,
 * and must not turn the signal into a pause (the run never ended).
 */
void qemu_system_killed(int signal, pid_t pid)
{
    shutdown_action = SHUTDOWN_ACTION_POWEROFF;
    qemu_mutex_lock(&request_lock);
    shutdown_signal = signal;
    shutdown_pid = pid;
    shutdown_requested = SHUTDOWN_CAUSE_HOST_SIGNAL;
    qemu_mutex_unlock(&request_lock);
    notify_main_loop();
}

/* The command name of pid, as QEMU's qemu_get_pid_name(). */
static char *pid_name(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int)pid);
    char *contents = NULL;

    if (!g_file_get_contents(path, &contents, NULL, NULL)) {
        return NULL;
    }
    return contents;    /* the first NUL ends argv[0] */
}

static void report_shutdown_signal(int signal, pid_t pid)
{
    g_autofree char *name = NULL;

    if (pid == 0) {
        error_report("terminating on signal %d", signal);
        return;
    }
    name = pid_name(pid);
    error_report("terminating on signal %d from pid %d (%s)", signal,
                 (int)pid, name ? name : "<unknown process>");
}

/* QEMU's qemu_system_reset(): the board, then whoever listens. */
static void do_machine_reset(ShutdownCause cause)
{
    cpus_pause_all();
    if (machine_reset) {
        machine_reset();
    }
    notifier_list_notify(&reset_notifiers, &cause);
    /* QEMU's resume_all_vcpus() does nothing unless running */
    if (runstate_is_running()) {
        cpus_resume_all();
    } else {
        runstate_set(RUN_STATE_PRELAUNCH, &error_abort);
    }
}

/* Carries out pending requests; returns whether the program must end. */
static bool process_requests(void)
{
    ShutdownCause reset, shutdown;
    RunState vmstop;
    bool exit_now, powerdown;
    int status, signal;
    pid_t pid;

    qemu_mutex_lock(&request_lock);
    reset = reset_requested;
    shutdown = shutdown_requested;
    powerdown = powerdown_requested;
    vmstop = vmstop_requested;
    exit_now = exit_requested;
    status = exit_status;
    signal = shutdown_signal;
    pid = shutdown_pid;
    reset_requested = shutdown_requested = SHUTDOWN_CAUSE_NONE;
    powerdown_requested = false;
    vmstop_requested = RUN_STATE__MAX;
    exit_requested = false;
    shutdown_signal = 0;
    qemu_mutex_unlock(&request_lock);

    if (exit_now) {
        main_loop_status = status;
        return true;
    }
    if (shutdown != SHUTDOWN_CAUSE_NONE) {
        if (signal) {
            report_shutdown_signal(signal, pid);
        }
        notifier_list_notify(&shutdown_notifiers, &shutdown);
        /* -no-shutdown (a signal or a quit has turned it off) */
        if (shutdown_action == SHUTDOWN_ACTION_PAUSE) {
            vm_stop(RUN_STATE_SHUTDOWN);
        } else {
            main_loop_status = 0;
            return true;
        }
    }
    if (reset != SHUTDOWN_CAUSE_NONE) {
        do_machine_reset(reset);
    }
    if (powerdown) {
        notifier_list_notify(&powerdown_notifiers, NULL);
    }
    if (vmstop != RUN_STATE__MAX) {
        vm_stop(vmstop);
        if (runstate_check(RUN_STATE_INTERNAL_ERROR)) {
            /* QEMU waits for the monitor's cont; without one, it ends */
            main_loop_status = 1;
            return true;
        }
    }
    return false;
}

/*
 * The requests posted: true when the main loop is to end. One posted
 * while one is handled (a reset's blk_drain iterates the loop, and the
 * request watch may recurse: main_loop_fd_add) is handled after it, by
 * the outer call, as QEMU's main_loop_should_exit runs one at a time.
 */
static bool handle_requests(void)
{
    static bool handling, again;
    bool quit;

    if (handling) {
        again = true;
        return false;
    }
    handling = true;
    do {
        again = false;
        quit = process_requests();
    } while (!quit && again);
    handling = false;
    return quit;
}

static gboolean on_request(gint fd, GIOCondition cond, gpointer opaque)
{
    uint64_t count;

    if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN) {
        error_report("main loop wake-up read failed: %s", strerror(errno));
    }
    if (handle_requests()) {
        g_main_loop_quit(main_loop);
    }
    return G_SOURCE_CONTINUE;
}

static gboolean on_signal(gint fd, GIOCondition cond, gpointer opaque)
{
    struct signalfd_siginfo info;

    while (read(fd, &info, sizeof(info)) == sizeof(info)) {
        qemu_system_killed(info.ssi_signo, info.ssi_pid);
    }
    return G_SOURCE_CONTINUE;
}

void qemu_init_signals(void)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    /* A write to a closed pipe or socket is an error, not a death. */
    signal(SIGPIPE, SIG_IGN);

    request_eventfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

int qemu_main_loop(void)
{
    guint request_watch, signal_watch = 0;

    /* Callbacks run with the BQL held; the loop's poll drops it. */
    assert(bql_locked());
    main_loop = g_main_loop_new(NULL, FALSE);
    request_watch = main_loop_fd_add(request_eventfd, G_IO_IN, on_request,
                                     NULL);
    if (signal_fd >= 0) {
        signal_watch = main_loop_fd_add(signal_fd, G_IO_IN, on_signal, NULL);
    }
    /* Requests posted before the loop started. */
    if (!handle_requests()) {
        g_main_loop_run(main_loop);
    }
    g_source_remove(request_watch);
    if (signal_watch) {
        g_source_remove(signal_watch);
    }
    g_main_loop_unref(main_loop);
    main_loop = NULL;
    return main_loop_status;
}
