/*
 * The main loop and the big QEMU lock (BQL), as QEMU 7.2's
 * include/qemu/main-loop.h and util/main-loop.c.
 *
 * The main thread holds the BQL while it runs GLib callbacks (chardev
 * input, timers, run-state requests) and drops it only while it waits in
 * poll; vCPU threads take it for the handling of one exit. So device
 * state is only ever touched with the BQL held, and a GLib callback
 * never needs to take it (nor to re-check that its source still exists:
 * nothing can cancel it between wake-up and dispatch).
 */
#ifndef SYSTEM_MAIN_LOOP_H
#define SYSTEM_MAIN_LOOP_H

#include "qemu/osdep.h"

void bql_lock(void);
void bql_unlock(void);
/* Whether the calling thread holds the BQL (for assertions). */
bool bql_locked(void);

/*
 * Sets up the default GMainContext as QEMU's main loop: a poll function
 * that drops the BQL around poll, and the timers' source
 * (include/qemu/timer.h). Called once, by the main thread, before any
 * other thread exists.
 */
void qemu_init_main_loop(void);
/*
 * One iteration of the main loop; with nonblocking, only what is ready
 * now. Called with the BQL held.
 */
void main_loop_wait(bool nonblocking);

#endif
