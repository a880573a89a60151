/*
 * Captures qemu_log_mask() output in a unit test, as -d guest_errors
 * -D FILE does for the program: log_capture_start() enables the mask and
 * points the log at a temporary file, log_capture_take() returns what was
 * logged since (and empties the file), log_capture_stop() restores the
 * default (nothing logged).
 */
#ifndef TESTS_UNIT_LOG_CAPTURE_H
#define TESTS_UNIT_LOG_CAPTURE_H

#include "qemu/osdep.h"
#include "qemu/error-report.h"

static char *log_capture_path;

static inline void log_capture_start(int mask)
{
    Error *err = NULL;
    int fd = g_file_open_tmp("mqemu-log-XXXXXX", &log_capture_path, NULL);

    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(qemu_set_log_filename(log_capture_path, &err));
    qemu_loglevel = mask;
}

/* The log so far, then empties it (the file is reopened for writing). */
static inline char *log_capture_take(void)
{
    Error *err = NULL;
    char *text = NULL;

    g_assert_true(g_file_get_contents(log_capture_path, &text, NULL, NULL));
    g_assert_true(qemu_set_log_filename(log_capture_path, &err));
    return text;
}

static inline void log_capture_stop(void)
{
    qemu_loglevel = 0;
    unlink(log_capture_path);
    g_free(log_capture_path);
    log_capture_path = NULL;
}

#endif
