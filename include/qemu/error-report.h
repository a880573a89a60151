/*
 * Errors as values, and the lines the user reads.
 *
 * Matches QEMU's include/qapi/error.h rules: a function that can fail takes
 * "Error **errp" last and returns bool (or NULL) to say whether it did.
 * error_report() prints "PROG: LOCATION: message" like QEMU's
 * util/qemu-error.c, where PROG is argv[0]'s basename and LOCATION is the
 * command-line option being processed (e.g. "-device foo").
 */
#ifndef QEMU_ERROR_REPORT_H
#define QEMU_ERROR_REPORT_H

#include "qemu/osdep.h"

typedef struct Error {
    char *msg;
    GString *hint;      /* extra lines printed after msg, may be NULL */
    /*
     * Lines QEMU fprintf's to stderr before it reports the error (e.g.
     * kvm_init's "Could not access KVM kernel module: ..."), may be NULL.
     */
    GString *preamble;
    /* msg is one of QEMU's raw "qemu: ..." lines: no "PROG: " prefix */
    bool raw;
} Error;

/* Pass &error_abort where an error is a bug: it aborts (tests, boards). */
extern Error *error_abort;

void error_setg(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Appends ": strerror(os_errno)" like QEMU's error_setg_errno(). */
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* An error QEMU prints raw (fprintf), without the program prefix. */
void error_setg_raw(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A line printed raw before the message (QEMU's fprintf ahead of it). */
void error_append_preamble(Error **errp, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
void error_prepend(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void error_append_hint(Error **errp, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Moves local into *dst (or frees it when dst is NULL or already set). */
void error_propagate(Error **dst, Error *local);
const char *error_get_pretty(const Error *err);
void error_free(Error *err);
/*
 * Prints err like error_report() does (its preamble first, raw; the
 * message without prefix when raw), plus its hint; then frees it.
 */
void error_report_err(Error *err);
/* The same as a warning ("warning: " prefix), then frees it. */
void warn_report_err(Error *err);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Error, error_free)

void error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);   /* "warning: " */
void info_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void error_vreport(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);
/*
 * Libraries' GLib log messages (libslirp's g_warning, ...) printed as
 * ours, as QEMU 7.2's error_init(): "PROG: LOCATION: warning: DOMAIN:
 * message"; criticals and errors as errors, messages as info, debug and
 * info only for the domains in G_MESSAGES_DEBUG. The program calls it
 * once at start-up.
 */
void error_init_glib_log(void);
/* Raw text on stderr, no prefix (QEMU's error_printf, for hint lines). */
void error_printf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* The program name printed first on every error line. */
void error_set_progname(const char *argv0);
const char *error_get_progname(void);

/*
 * Location: while the command line is processed, error lines are prefixed
 * with the option and its argument, "argv[idx] ... argv[idx+cnt-1]: ".
 * loc_set_none() drops the prefix.
 */
void loc_set_cmdline(char **argv, int idx, int cnt);
void loc_set_none(void);
/*
 * A line of a configuration file (-readconfig): "FILE:LINE: ", printed
 * right after "prog:" with no space, as QEMU 7.2's print_loc (LOC_FILE).
 * lno 0 prints the file alone. fname must outlive the location.
 */
void loc_set_file(const char *fname, int lno);

/* A saved location, for errors reported later (QEMU's loc_save/restore). */
typedef struct Location {
    char **argv;            /* command line: argv[idx] .. argv[idx+cnt-1] */
    int idx;
    int cnt;
    const char *file;       /* or a configuration file line */
    int line;
} Location;
void loc_save(Location *loc);
void loc_restore(const Location *loc);

/* -d guest_errors / unimp style logging (QEMU's qemu_log_mask). */
enum {
    LOG_GUEST_ERROR = 1 << 0,
    LOG_UNIMP = 1 << 1,
    LOG_OTHER = 1 << 2,     /* every other -d item: accepted, silent */
};
extern int qemu_loglevel;
void qemu_log_mask(int mask, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/*
 * "-d ITEM,ITEM": the mask (0 for an unknown item, "help" included, after
 * which QEMU prints the usage and exits 1), as QEMU 7.2's util/log.c.
 */
int qemu_str_to_log_mask(const char *str);
void qemu_print_log_usage(FILE *f);
/*
 * -D FILE: qemu_log_mask output goes there instead of stderr (opened
 * for writing, "Error opening logfile FILE: ..." as QEMU 7.2 util/log.c).
 */
bool qemu_set_log_filename(const char *filename, Error **errp);
bool qemu_log_enabled(void);    /* -D was given */

/*
 * -msg timestamp=on: every report line starts with the UTC time in
 * ISO 8601 ("2023-01-01T10:00:00.123456Z "); -msg guest-name=on with
 * -name GUEST: then with "GUEST " (QEMU 7.2 util/error-report.c vreport).
 */
extern bool message_with_timestamp;
extern bool error_with_guestname;
extern const char *error_guest_name;

#endif
