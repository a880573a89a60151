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
bool message_with_timestamp;
bool error_with_guestname;
const char *error_guest_name;

static FILE *qemu_logfile;

static char *error_progname;
static char **loc_argv;
static int loc_idx;
static int loc_cnt;
static const char *loc_file;     /* -readconfig FILE:LINE, or NULL */
static int loc_line;

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

void error_setg_raw(Error **errp, const char *fmt, ...)
{
    va_list ap;
    Error *err;

    va_start(ap, fmt);
    err = error_new_v(fmt, ap);
    va_end(ap);
    err->raw = true;
    error_store(errp, err);
}

void error_append_preamble(Error **errp, const char *fmt, ...)
{
    va_list ap;

    if (!errp || !*errp) {
        return;
    }
    if (!(*errp)->preamble) {
        (*errp)->preamble = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf((*errp)->preamble, fmt, ap);
    va_end(ap);
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
    if (err->preamble) {
        g_string_free(err->preamble, true);
    }
    g_free(err);
}

void error_set_progname(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');

    g_free(error_progname);
    error_progname = g_strdup(slash ? slash + 1 : argv0);
    /* QEMU 7.2 sets it too: -h prints it in its usage line */
    g_set_prgname(error_progname);
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
    loc_file = NULL;
}

void loc_set_none(void)
{
    loc_argv = NULL;
    loc_cnt = 0;
    loc_file = NULL;
}

void loc_set_file(const char *fname, int lno)
{
    loc_set_none();
    loc_file = fname;
    loc_line = lno;
}

void loc_save(Location *loc)
{
    *loc = (Location) {
        .argv = loc_argv, .idx = loc_idx, .cnt = loc_cnt,
        .file = loc_file, .line = loc_line,
    };
}

void loc_restore(const Location *loc)
{
    loc_argv = loc->argv;
    loc_idx = loc->idx;
    loc_cnt = loc->cnt;
    loc_file = loc->file;
    loc_line = loc->line;
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
    if (loc_file) {
        /* QEMU prints a file location with no space after "prog:" */
        g_string_append_printf(line, "%s:", loc_file);
        if (loc_line) {
            g_string_append_printf(line, "%d:", loc_line);
        }
        g_string_append_c(line, ' ');
    } else if (loc_argv && loc_cnt > 0) {
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

    if (message_with_timestamp) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *stamp = g_date_time_format_iso8601(now);

        g_string_append_printf(line, "%s ", stamp);
    }
    if (error_with_guestname && error_guest_name) {
        g_string_append_printf(line, "%s ", error_guest_name);
    }
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

static char *glib_log_debug_domains;

/* QEMU 7.2's qemu_log_func (util/error-report.c) */
static void error_glib_log(const gchar *domain, GLogLevelFlags level,
                           const gchar *message, gpointer opaque)
{
    const char *sep = domain ? ": " : "";

    if (!domain) {
        domain = "";
    }
    switch (level & G_LOG_LEVEL_MASK) {
    case G_LOG_LEVEL_DEBUG:
    case G_LOG_LEVEL_INFO:
        /* GLib's own G_MESSAGES_DEBUG rule: "all" or the domain named */
        if (!glib_log_debug_domains ||
            (strcmp(glib_log_debug_domains, "all") &&
             (!*domain || !strstr(glib_log_debug_domains, domain)))) {
            break;
        }
        /* fall through */
    case G_LOG_LEVEL_MESSAGE:
        info_report("%s%s%s", domain, sep, message);
        break;
    case G_LOG_LEVEL_WARNING:
        warn_report("%s%s%s", domain, sep, message);
        break;
    case G_LOG_LEVEL_CRITICAL:
    case G_LOG_LEVEL_ERROR:
        error_report("%s%s%s", domain, sep, message);
        break;
    }
}

void error_init_glib_log(void)
{
    g_free(glib_log_debug_domains);
    glib_log_debug_domains = g_strdup(g_getenv("G_MESSAGES_DEBUG"));
    g_log_set_default_handler(error_glib_log, NULL);
}

void error_report_err(Error *err)
{
    if (err->preamble) {
        fputs(err->preamble->str, stderr);
    }
    if (err->raw) {
        fprintf(stderr, "%s\n", error_get_pretty(err));
    } else {
        error_report("%s", error_get_pretty(err));
    }
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
    vfprintf(qemu_logfile ? qemu_logfile : stderr, fmt, ap);
    va_end(ap);
    if (qemu_logfile) {
        fflush(qemu_logfile);
    }
}

bool qemu_set_log_filename(const char *filename, Error **errp)
{
    FILE *f = fopen(filename, "w");

    if (!f) {
        error_setg_errno(errp, errno, "Error opening logfile %s", filename);
        return false;
    }
    if (qemu_logfile) {
        fclose(qemu_logfile);
    }
    qemu_logfile = f;
    return true;
}

bool qemu_log_enabled(void)
{
    return qemu_logfile != NULL;
}

typedef struct LogItem {
    const char *name;
    int mask;
    const char *help;
} LogItem;

/*
 * QEMU 7.2's qemu_log_items (util/log.c), in its order: "-d" accepts all
 * of them; only guest_errors and unimp produce output here.
 */
static const LogItem log_items[] = {
    { "out_asm", LOG_OTHER, "show generated host assembly code for each "
      "compiled TB" },
    { "in_asm", LOG_OTHER, "show target assembly code for each compiled TB" },
    { "op", LOG_OTHER, "show micro ops for each compiled TB" },
    { "op_opt", LOG_OTHER, "show micro ops after optimization" },
    { "op_ind", LOG_OTHER, "show micro ops before indirect lowering" },
    { "int", LOG_OTHER, "show interrupts/exceptions in short format" },
    { "exec", LOG_OTHER, "show trace before each executed TB (lots of logs)" },
    { "cpu", LOG_OTHER, "show CPU registers before entering a TB (lots of "
      "logs)" },
    { "fpu", LOG_OTHER, "include FPU registers in the 'cpu' logging" },
    { "mmu", LOG_OTHER, "log MMU-related activities" },
    { "pcall", LOG_OTHER, "x86 only: show protected mode far calls/returns/"
      "exceptions" },
    { "cpu_reset", LOG_OTHER, "show CPU state before CPU resets" },
    { "unimp", LOG_UNIMP, "log unimplemented functionality" },
    { "guest_errors", LOG_GUEST_ERROR, "log when the guest OS does something "
      "invalid (eg accessing a\nnon-existent register)" },
    { "page", LOG_OTHER, "dump pages at beginning of user mode emulation" },
    { "nochain", LOG_OTHER, "do not chain compiled TBs so that \"exec\" and "
      "\"cpu\" show\ncomplete traces" },
    { "plugin", LOG_OTHER, "output from TCG plugins\n" },
    { "strace", LOG_OTHER, "log every user-mode syscall, its input, and its "
      "result" },
    { "tid", LOG_OTHER, "open a separate log file per thread; filename must "
      "contain '%d'" },
};

int qemu_str_to_log_mask(const char *str)
{
    g_auto(GStrv) parts = g_strsplit(str, ",", 0);
    int mask = 0;
    size_t i;
    char **p;

    for (p = parts; *p; p++) {
        if (g_str_equal(*p, "all")) {
            for (i = 0; i < ARRAY_SIZE(log_items); i++) {
                mask |= log_items[i].mask;
            }
            continue;
        }
        /* No trace events here: a pattern is accepted and matches none */
        if (g_str_has_prefix(*p, "trace:") && (*p)[6] != '\0') {
            mask |= LOG_OTHER;
            continue;
        }
        for (i = 0; i < ARRAY_SIZE(log_items); i++) {
            if (g_str_equal(*p, log_items[i].name)) {
                mask |= log_items[i].mask;
                break;
            }
        }
        if (i == ARRAY_SIZE(log_items)) {
            return 0;
        }
    }
    return mask;
}

void qemu_print_log_usage(FILE *f)
{
    size_t i;

    fprintf(f, "Log items (comma separated):\n");
    for (i = 0; i < ARRAY_SIZE(log_items); i++) {
        fprintf(f, "%-15s %s\n", log_items[i].name, log_items[i].help);
    }
    fprintf(f, "trace:PATTERN   enable trace events\n");
    fprintf(f, "\nUse \"-d trace:help\" to get a list of trace events."
            "\n\n");
}
