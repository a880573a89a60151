/*
 * osdep.h: the first include of every microqemu source file.
 *
 * System headers and GLib, so that every file starts from the same base.
 */
#ifndef QEMU_OSDEP_H
#define QEMU_OSDEP_H

#define _GNU_SOURCE 1

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib.h>

#define QEMU_VERSION "7.2.0"
#define MICROQEMU_VERSION "0.1.0"

#define KiB (INT64_C(1) << 10)
#define MiB (INT64_C(1) << 20)
#define GiB (INT64_C(1) << 30)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define QEMU_ALIGN_UP(n, m) (((n) + (m) - 1) / (m) * (m))

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

#endif
