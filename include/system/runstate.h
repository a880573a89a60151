/*
 * Run-state requests.
 *
 * vCPU threads and devices never act on the machine directly: they post a
 * request (reset, shutdown, exit with a status) that the main loop carries
 * out, as QEMU's qemu_system_*_request() and main_loop_should_exit().
 * The big lock is in system/main-loop.h.
 */
#ifndef SYSTEM_RUNSTATE_H
#define SYSTEM_RUNSTATE_H

#include "qemu/osdep.h"

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,         /* triple fault */
    SHUTDOWN_CAUSE_GUEST_PANIC,
} ShutdownCause;

void qemu_system_reset_request(ShutdownCause cause);
void qemu_system_shutdown_request(ShutdownCause cause);
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
