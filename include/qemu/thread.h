/*
 * Mutexes and condition variables: the one lock API of the tree.
 *
 * Thin wrappers over pthread, as QEMU 7.2's include/qemu/thread.h and
 * util/qemu-thread-posix.c: ThreadSanitizer intercepts pthread, whereas
 * GLib's GMutex/GCond are raw futexes it cannot see. An error from
 * pthread is a programming error (unlocking a free mutex, destroying a
 * held one): it aborts, as QEMU's error_exit().
 */
#ifndef QEMU_THREAD_H
#define QEMU_THREAD_H

#include <pthread.h>

typedef struct QemuMutex {
    pthread_mutex_t lock;
} QemuMutex;

typedef struct QemuCond {
    pthread_cond_t cond;
} QemuCond;

/* For static storage: no init call needed (GLib's zeroed GMutex did it). */
#define QEMU_MUTEX_INITIALIZER { PTHREAD_MUTEX_INITIALIZER }
#define QEMU_COND_INITIALIZER { PTHREAD_COND_INITIALIZER }

void qemu_mutex_init(QemuMutex *mutex);
void qemu_mutex_destroy(QemuMutex *mutex);
void qemu_mutex_lock(QemuMutex *mutex);
void qemu_mutex_unlock(QemuMutex *mutex);

void qemu_cond_init(QemuCond *cond);
void qemu_cond_destroy(QemuCond *cond);
void qemu_cond_signal(QemuCond *cond);
void qemu_cond_broadcast(QemuCond *cond);
/* Waits with mutex held; it is dropped while waiting, held again after. */
void qemu_cond_wait(QemuCond *cond, QemuMutex *mutex);

#endif
