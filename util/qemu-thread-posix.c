/*
 * QemuMutex and QemuCond over pthread (include/qemu/thread.h), as QEMU
 * 7.2 util/qemu-thread-posix.c.
 */
#include "qemu/osdep.h"
#include "qemu/thread.h"

/* QEMU's error_exit(): a failing pthread call is a bug, never recoverable. */
static void thread_error(int err, const char *what)
{
    fprintf(stderr, "qemu: %s: %s\n", what, strerror(err));
    abort();
}

void qemu_mutex_init(QemuMutex *mutex)
{
    int err = pthread_mutex_init(&mutex->lock, NULL);

    if (err) {
        thread_error(err, __func__);
    }
}

void qemu_mutex_destroy(QemuMutex *mutex)
{
    int err = pthread_mutex_destroy(&mutex->lock);

    if (err) {
        thread_error(err, __func__);
    }
}

void qemu_mutex_lock(QemuMutex *mutex)
{
    int err = pthread_mutex_lock(&mutex->lock);

    if (err) {
        thread_error(err, __func__);
    }
}

void qemu_mutex_unlock(QemuMutex *mutex)
{
    int err = pthread_mutex_unlock(&mutex->lock);

    if (err) {
        thread_error(err, __func__);
    }
}

void qemu_cond_init(QemuCond *cond)
{
    int err = pthread_cond_init(&cond->cond, NULL);

    if (err) {
        thread_error(err, __func__);
    }
}

void qemu_cond_destroy(QemuCond *cond)
{
    int err = pthread_cond_destroy(&cond->cond);

    if (err) {
        thread_error(err, __func__);
    }
}

void qemu_cond_signal(QemuCond *cond)
{
    int err = pthread_cond_signal(&cond->cond);

    if (err) {
        thread_error(err, __func__);
    }
}

void qemu_cond_broadcast(QemuCond *cond)
{
    int err = pthread_cond_broadcast(&cond->cond);

    if (err) {
        thread_error(err, __func__);
    }
}

void qemu_cond_wait(QemuCond *cond, QemuMutex *mutex)
{
    int err = pthread_cond_wait(&cond->cond, &mutex->lock);

    if (err) {
        thread_error(err, __func__);
    }
}
