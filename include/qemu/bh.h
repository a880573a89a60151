/*
 * Bottom halves: a callback the main loop runs soon, scheduled from any
 * thread that holds the BQL (a vCPU's exit, a main-loop callback), as
 * QEMU 7.2's util/async.c QEMUBH in the main AioContext.
 *
 * A bottom half is one GSource on the default GMainContext made when the
 * device is realized: scheduling it only sets its ready time (no
 * allocation, safe on a vCPU exit path) and wakes the main loop;
 * scheduling it again before it ran runs it once. It runs under the BQL
 * like every main-loop callback.
 */
#ifndef QEMU_BH_H
#define QEMU_BH_H

#include "qemu/osdep.h"

typedef struct QEMUBH QEMUBH;
typedef void QEMUBHFunc(void *opaque);

QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque);
void qemu_bh_schedule(QEMUBH *bh);
/* Not run unless scheduled again */
void qemu_bh_cancel(QEMUBH *bh);
void qemu_bh_delete(QEMUBH *bh);

#endif
