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

/*
 * Watches fd on the main loop: func(fd, condition, data) runs, with the
 * BQL held, whenever fd is ready for cond, until it returns
 * G_SOURCE_REMOVE or the tag is given to g_source_remove(). The one way
 * to watch an fd in the main loop. Unlike g_unix_fd_add() the source is
 * not blocked while its callback runs: GLib blocks a source by taking
 * its fd out of the poll set and putting it back, and each wakes the
 * loop (two eventfd writes, then an extra read of it, per dispatch:
 * more than the work itself on a per-frame path). So a callback that
 * iterates the loop (blk_drain) may be re-entered if its fd is still
 * ready then: it consumes what made the fd ready first.
 */
guint main_loop_fd_add(int fd, GIOCondition cond,
                       gboolean (*func)(gint fd, GIOCondition cond,
                                        gpointer data),
                       gpointer data);

#endif
