/*
 * Run states: requests posted by any thread, and the main loop that
 * carries them out.
 *
 * Matches QEMU 7.2 softmmu/runstate.c: a reset request becomes a shutdown
 * with -no-reboot; a shutdown exits 0 unless -no-shutdown pauses the VM
 * instead; a signal always ends the program with "terminating on signal N
 * from pid P (NAME)".
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
static bool exit_requested;
static int exit_status;
static int shutdown_signal;
static pid_t shutdown_pid;

static int request_eventfd = -1;
static int signal_fd = -1;
static GMainLoop *main_loop;
static int main_loop_status;
static void (*machine_reset)(void);
static bool vm_paused;

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
    if (reboot_action == REBOOT_ACTION_SHUTDOWN) {
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

void qemu_system_killed(int signal, pid_t pid)
{
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

static void do_machine_reset(void)
{
    cpus_pause_all();
    if (machine_reset) {
        machine_reset();
    }
    cpus_resume_all();
}

/* Carries out pending requests; returns whether the program must end. */
static bool process_requests(void)
{
    ShutdownCause reset, shutdown;
    bool exit_now;
    int status, signal;
    pid_t pid;

    qemu_mutex_lock(&request_lock);
    reset = reset_requested;
    shutdown = shutdown_requested;
    exit_now = exit_requested;
    status = exit_status;
    signal = shutdown_signal;
    pid = shutdown_pid;
    reset_requested = shutdown_requested = SHUTDOWN_CAUSE_NONE;
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
        if (shutdown_action == SHUTDOWN_ACTION_PAUSE &&
            shutdown != SHUTDOWN_CAUSE_HOST_SIGNAL) {
            /* -no-shutdown: the VM stops, the program stays. */
            if (!vm_paused) {
                cpus_pause_all();
                /* QEMU's vm_stop(): the virtual clock stops too. */
                cpu_disable_ticks();
                vm_paused = true;
            }
            return false;
        }
        main_loop_status = 0;
        return true;
    }
    if (reset != SHUTDOWN_CAUSE_NONE && !vm_paused) {
        do_machine_reset();
    }
    return false;
}

static gboolean on_request(gint fd, GIOCondition cond, gpointer opaque)
{
    uint64_t count;

    if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN) {
        error_report("main loop wake-up read failed: %s", strerror(errno));
    }
    if (process_requests()) {
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
    request_watch = g_unix_fd_add(request_eventfd, G_IO_IN, on_request, NULL);
    if (signal_fd >= 0) {
        signal_watch = g_unix_fd_add(signal_fd, G_IO_IN, on_signal, NULL);
    }
    /* Requests posted before the loop started. */
    if (!process_requests()) {
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
