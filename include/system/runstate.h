/*
 * Run states and requests.
 *
 * vCPU threads and devices never act on the machine directly: they post a
 * request (reset, shutdown, exit with a status) that the main loop carries
 * out, as QEMU's qemu_system_*_request() and main_loop_should_exit().
 * The big lock is in system/main-loop.h.
 */
#ifndef SYSTEM_RUNSTATE_H
#define SYSTEM_RUNSTATE_H

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/notify.h"

/* QEMU 7.2 qapi/run-state.json RunState, in its order. */
typedef enum RunState {
    RUN_STATE_DEBUG,
    RUN_STATE_INMIGRATE,
    RUN_STATE_INTERNAL_ERROR,
    RUN_STATE_IO_ERROR,
    RUN_STATE_PAUSED,
    RUN_STATE_POSTMIGRATE,
    RUN_STATE_PRELAUNCH,
    RUN_STATE_FINISH_MIGRATE,
    RUN_STATE_RESTORE_VM,
    RUN_STATE_RUNNING,
    RUN_STATE_SAVE_VM,
    RUN_STATE_SHUTDOWN,
    RUN_STATE_SUSPENDED,
    RUN_STATE_WATCHDOG,
    RUN_STATE_GUEST_PANICKED,
    RUN_STATE_COLO,
    RUN_STATE__MAX,
} RunState;

/* QEMU 7.2 qapi/run-state.json ShutdownCause, in its order. */
typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,         /* triple fault */
    SHUTDOWN_CAUSE_GUEST_PANIC,
    SHUTDOWN_CAUSE_SUBSYSTEM_RESET,     /* ignores -no-reboot */
    SHUTDOWN_CAUSE_SNAPSHOT_LOAD,
    SHUTDOWN_CAUSE__MAX,
} ShutdownCause;

/* The QAPI names: "running", "internal-error"; "guest-reset", ... */
const char *RunState_str(RunState state);
const char *ShutdownCause_str(ShutdownCause cause);

/*
 * The run state, QEMU 7.2 softmmu/runstate.c. It starts as prelaunch and
 * changes only along runstate_transitions_def; runstate_set() refuses any
 * other change with QEMU's "invalid runstate transition: 'X' -> 'Y'"
 * (QEMU aborts: our own callers pass &error_abort, they never try one).
 * Setting the current state again is a no-op, as QEMU. Changed by the
 * main thread only; read from any thread.
 */
RunState runstate_get(void);
bool runstate_check(RunState state);
bool runstate_is_running(void);
bool runstate_is_valid_transition(RunState from, RunState to);
bool runstate_set(RunState new_state, Error **errp);

/*
 * VM state change handlers (qemu_add_vm_change_state_handler): called with
 * running=true and RUN_STATE_RUNNING by vm_start(), in registration order,
 * and with running=false and the new state by vm_stop(), in reverse
 * order (QEMU's vm_state_notify).
 */
typedef void VMChangeStateHandler(void *opaque, bool running,
                                  RunState state);
typedef struct VMChangeStateEntry VMChangeStateEntry;
VMChangeStateEntry *qemu_add_vm_change_state_handler(VMChangeStateHandler *cb,
                                                     void *opaque);
void qemu_del_vm_change_state_handler(VMChangeStateEntry *e);

/*
 * vm_start: prelaunch/paused/... -> running, handlers, then the vCPUs
 * resume. vm_stop: running -> state (paused, shutdown, internal-error,
 * ...), the vCPUs pause, then the handlers; nothing when not running.
 * Main thread only; a vCPU thread posts qemu_system_vmstop_request().
 */
void vm_start(void);
void vm_stop(RunState state);
/*
 * QEMU's vm_shutdown() in qemu_cleanup(): once the vCPUs have stopped
 * for good (cpus_stop_all), a running VM goes to shutdown and the
 * handlers see it stop (data planes drain) before the block layer
 * closes. Main thread only.
 */
void vm_shutdown(void);

/*
 * Notifier lists fired by the main loop (data in brackets):
 * reset, after the machine reset [ShutdownCause *]; shutdown, before the
 * program ends or -no-shutdown pauses it [ShutdownCause *]; powerdown,
 * on qemu_system_powerdown_request() (the ACPI power button) [NULL].
 */
void qemu_register_reset_notifier(Notifier *notifier);
void qemu_register_shutdown_notifier(Notifier *notifier);
void qemu_register_powerdown_notifier(Notifier *notifier);

/* With -no-reboot a reset request is a shutdown request (but a
 * subsystem reset, as QEMU). */
void qemu_system_reset_request(ShutdownCause cause);
void qemu_system_shutdown_request(ShutdownCause cause);
/* The monitor's quit (and the mux's Ctrl-A x): shutdown notifiers, then
 * exit 0, even with -no-shutdown (QEMU's qmp_quit). */
void qemu_system_quit_request(void);
/* The ACPI power button: only fires the powerdown notifiers (the guest
 * decides); not what SIGTERM does, as QEMU. */
void qemu_system_powerdown_request(void);
/* vm_stop(state) from any thread (QEMU: a vCPU's vm_stop). With
 * RUN_STATE_INTERNAL_ERROR the program then ends with status 1: QEMU
 * waits for the monitor's cont, which does not exist here yet. */
void qemu_system_vmstop_request(RunState state);
/* Ends the program with status, from any thread (fatal guest or host
 * error already reported by the caller). */
void qemu_system_exit_request(int status);
/* A signal arrived (SIGINT/SIGTERM/SIGHUP): QEMU prints
 * "qemu-system-x86_64: terminating on signal N from pid P (<name>)". */
void qemu_system_killed(int signal, pid_t pid);

/* -no-reboot (QEMU's -action reboot=shutdown) and -no-shutdown
 * (-action shutdown=pause). */
typedef enum RebootAction {
    REBOOT_ACTION_RESET,
    REBOOT_ACTION_SHUTDOWN,
} RebootAction;
typedef enum ShutdownAction {
    SHUTDOWN_ACTION_POWEROFF,
    SHUTDOWN_ACTION_PAUSE,
} ShutdownAction;
extern RebootAction reboot_action;
extern ShutdownAction shutdown_action;

/* The board's reset: devices, then vCPUs (called with vCPUs paused and
 * the big lock held). */
void qemu_register_machine_reset(void (*reset)(void));
/* Runs the main loop until a request ends the program; returns the exit
 * status. Signals SIGINT, SIGTERM and SIGHUP are turned into requests.
 * Called with the BQL held (qemu_init_main_loop() done). */
int qemu_main_loop(void);
/* Blocks the signals the main loop takes over; call before any thread
 * is created so that every thread inherits the mask. */
void qemu_init_signals(void);

#endif
