/*
 * Error values and the error/warning lines the user reads.
 *
 * Matches QEMU 7.2's util/error.c (error_setg, error_prepend, hints) and
 * util/qemu-error.c (print_loc, vreport): "PROG: LOCATION: msg".
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"

int qemu_loglevel;
Error *error_abort;

static char *error_progname;
static char **loc_argv;
static int loc_idx;
static int loc_cnt;

static Error *error_new_v(const char *fmt, va_list ap)
{
    Error *err = g_new0(Error, 1);

    err->msg = g_strdup_vprintf(fmt, ap);
    return err;
}

/* QEMU 7.2 asserts *errp == NULL; keep the first error like it does. */
static void error_store(Error **errp, Error *err)
{
    if (errp == &error_abort) {
        fprintf(stderr, "Unexpected error: %s\n", err->msg);
        abort();
    }
    if (!errp || *errp) {
        error_free(err);
        return;
    }
    *errp = err;
}

void error_setg(Error **errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_store(errp, error_new_v(fmt, ap));
    va_end(ap);
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;
    Error *err;
    char *msg;

    va_start(ap, fmt);
    err = error_new_v(fmt, ap);
    va_end(ap);
    if (os_errno != 0) {
        msg = err->msg;
        err->msg = g_strdup_printf("%s: %s", msg, g_strerror(os_errno));
        g_free(msg);
    }
    error_store(errp, err);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;
    char *prefix;
    char *msg;

    if (!errp || !*errp) {
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = (*errp)->msg;
    (*errp)->msg = g_strconcat(prefix, msg, NULL);
    g_free(prefix);
    g_free(msg);
}

void error_append_hint(Error **errp, const char *fmt, ...)
{
    va_list ap;

    if (!errp || !*errp) {
        return;
    }
    if (!(*errp)->hint) {
        (*errp)->hint = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf((*errp)->hint, fmt, ap);
    va_end(ap);
}

void error_propagate(Error **dst, Error *local)
{
    if (!local) {
        return;
    }
    error_store(dst, local);
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

void error_free(Error *err)
{
    if (!err) {
        return;
    }
    g_free(err->msg);
    if (err->hint) {
        g_string_free(err->hint, true);
    }
    g_free(err);
}

void error_set_progname(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');

    g_free(error_progname);
    error_progname = g_strdup(slash ? slash + 1 : argv0);
}

const char *error_get_progname(void)
{
    return error_progname;
}

void loc_set_cmdline(char **argv, int idx, int cnt)
{
    loc_argv = argv;
    loc_idx = idx;
    loc_cnt = cnt;
}

void loc_set_none(void)
{
    loc_argv = NULL;
    loc_cnt = 0;
}

/* QEMU's print_loc(): "prog:" then " arg arg: " or just " ". */
static void error_print_loc(GString *line)
{
    const char *sep = "";
    int i;

    if (error_progname) {
        g_string_append_printf(line, "%s:", error_progname);
        sep = " ";
    }
    if (loc_argv && loc_cnt > 0) {
        for (i = 0; i < loc_cnt; i++) {
            g_string_append_printf(line, "%s%s", sep, loc_argv[loc_idx + i]);
            sep = " ";
        }
        g_string_append(line, ": ");
    } else {
        g_string_append(line, sep);
    }
}

static void error_vreport_prefixed(const char *prefix, const char *fmt,
                                   va_list ap)
{
    g_autoptr(GString) line = g_string_new(NULL);

    error_print_loc(line);
    g_string_append(line, prefix);
    g_string_append_vprintf(line, fmt, ap);
    g_string_append_c(line, '\n');
    fputs(line->str, stderr);
    fflush(stderr);
}

void error_vreport(const char *fmt, va_list ap)
{
    error_vreport_prefixed("", fmt, ap);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vreport_prefixed("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vreport_prefixed("warning: ", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vreport_prefixed("info: ", fmt, ap);
    va_end(ap);
}

void error_report_err(Error *err)
{
    error_report("%s", error_get_pretty(err));
    if (err->hint) {
        fputs(err->hint->str, stderr);
        fflush(stderr);
    }
    error_free(err);
}

void warn_report_err(Error *err)
{
    warn_report("%s", error_get_pretty(err));
    if (err->hint) {
        fputs(err->hint->str, stderr);
        fflush(stderr);
    }
    error_free(err);
}

void error_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void qemu_log_mask(int mask, const char *fmt, ...)
{
    va_list ap;

    if (!(qemu_loglevel & mask)) {
        return;
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}
