/*
 * The host process side of the command line: -daemonize, -pidfile,
 * -runas, -chroot, -overcommit mem-lock. Matches QEMU 7.2 os-posix.c
 * (os_daemonize, os_setup_post, change_root, change_process_uid) and
 * util/oslib-posix.c qemu_write_pidfile.
 */
#ifndef SYSTEM_OS_POSIX_H
#define SYSTEM_OS_POSIX_H

#include "qemu/error-report.h"

/*
 * Opens /dev/null onto whichever of fds 0-2 is closed, before anything
 * else opens a file: otherwise the pid file, the -D log or a socket would
 * become stdout or stderr and receive the console output and error
 * messages (QEMU 7.2 never leaves them free either: its start-up opens
 * descriptors of its own first). False if /dev/null cannot be opened.
 */
bool os_setup_stdio(void);

/* -runas USER or UID:GID; false (QEMU's message) when neither. */
bool os_set_runas(const char *arg, Error **errp);
void os_set_chroot(const char *dir);
void os_set_daemonize(bool daemonize);
/* -daemonize was given (chardev stdio and -nographic refuse it). */
bool is_daemonized(void);

/*
 * With -daemonize, forks here: the parent waits until the child has
 * finished initialising (os_setup_post) and exits 0, or 1 if the child
 * failed first, so errors still reach the user's terminal.
 */
void os_daemonize(void);

/*
 * Writes our pid into path, locked (F_SETLK) as qemu_write_pidfile, and
 * removes it at exit. Errors are QEMU's ("Could not create ...",
 * "Cannot lock pid file: ...").
 */
bool os_write_pidfile(const char *path, Error **errp);

/* -overcommit mem-lock=on: mlockall, QEMU's "locking memory failed". */
bool os_mlock(Error **errp);

/*
 * End of initialisation: chroot, drop privileges, and with -daemonize
 * detach stdio (stderr stays when keep_stderr, e.g. -D) and release the
 * waiting parent. Exits on failure, as QEMU does.
 */
void os_setup_post(bool keep_stderr);

#endif
