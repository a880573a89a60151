/*
 * How the VM runs and reports, from the command line: -action (and its
 * legacy forms), -msg, -overcommit, -sandbox, -trace, -icount, -d/-D,
 * -rtc, as QEMU 7.2's softmmu/vl.c, softmmu/runstate-action.c,
 * qemu-seccomp.c, trace/control.c and softmmu/rtc.c check them.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "qom/object.h"
#include "hw/core/qdev.h"
#include "hw/rtc/mc146818rtc.h"
#include "system/runstate.h"
#include "system/system.h"
#include "vl-internal.h"

static QemuOptsList qemu_rtc_opts = {
    .name = "rtc",
    .merge_lists = true,
    .desc = {
        { .name = "base", .type = QEMU_OPT_STRING },
        { .name = "clock", .type = QEMU_OPT_STRING },
        { .name = "driftfix", .type = QEMU_OPT_STRING },
        { 0 }
    },
};

static QemuOptsList qemu_action_opts = {
    .name = "action",
    .merge_lists = true,
    .desc = {
        { .name = "shutdown", .type = QEMU_OPT_STRING },
        { .name = "reboot", .type = QEMU_OPT_STRING },
        { .name = "panic", .type = QEMU_OPT_STRING },
        { .name = "watchdog", .type = QEMU_OPT_STRING },
        { 0 }
    },
};

static QemuOptsList qemu_msg_opts = {
    .name = "msg",
    .desc = {
        { .name = "timestamp", .type = QEMU_OPT_BOOL },
        { .name = "guest-name", .type = QEMU_OPT_BOOL },
        { 0 }
    },
};

static QemuOptsList qemu_overcommit_opts = {
    .name = "overcommit",
    .desc = {
        { .name = "mem-lock", .type = QEMU_OPT_BOOL },
        { .name = "cpu-pm", .type = QEMU_OPT_BOOL },
        { 0 }
    },
};

/* QEMU 7.2 softmmu/qemu-seccomp.c qemu_sandbox_opts */
static QemuOptsList qemu_sandbox_opts = {
    .name = "sandbox",
    .implied_opt_name = "enable",
    .desc = {
        { .name = "enable", .type = QEMU_OPT_BOOL },
        { .name = "obsolete", .type = QEMU_OPT_STRING },
        { .name = "elevateprivileges", .type = QEMU_OPT_STRING },
        { .name = "spawn", .type = QEMU_OPT_STRING },
        { .name = "resourcecontrol", .type = QEMU_OPT_STRING },
        { 0 }
    },
};

static QemuOptsList qemu_icount_opts = {
    .name = "icount",
    .implied_opt_name = "shift",
    .merge_lists = true,
    .desc = {
        { .name = "shift", .type = QEMU_OPT_STRING },
        { .name = "align", .type = QEMU_OPT_BOOL },
        { .name = "sleep", .type = QEMU_OPT_BOOL },
        { .name = "rr", .type = QEMU_OPT_STRING },
        { .name = "rrfile", .type = QEMU_OPT_STRING },
        { .name = "rrsnapshot", .type = QEMU_OPT_STRING },
        { 0 }
    },
};

/* QEMU 7.2 trace/control.c qemu_trace_opts */
static QemuOptsList qemu_trace_opts = {
    .name = "trace",
    .implied_opt_name = "enable",
    .desc = {
        { .name = "enable", .type = QEMU_OPT_STRING },
        { .name = "events", .type = QEMU_OPT_STRING },
        { .name = "file", .type = QEMU_OPT_STRING },
        { 0 }
    },
};

/*
 * -action: the values of QEMU 7.2's set-action QMP command, checked in
 * its argument order. panic= and watchdog= are recorded only: microvm
 * has no pvpanic or watchdog device in microqemu, so they never fire.
 */
static const struct {
    const char *key;
    const char *const values[8];
} runstate_actions[] = {
    { "reboot", { "reset", "shutdown" } },
    { "shutdown", { "poweroff", "pause" } },
    { "panic", { "pause", "shutdown", "exit-failure", "none" } },
    { "watchdog", { "reset", "shutdown", "poweroff", "pause", "debug",
                    "none", "inject-nmi" } },
};

static void apply_actions(QemuOpts *opts)
{
    for (size_t i = 0; i < ARRAY_SIZE(runstate_actions); i++) {
        const char *key = runstate_actions[i].key;
        const char *value = qemu_opt_get(opts, key);
        bool known = false;

        if (!value) {
            continue;
        }
        for (size_t v = 0; runstate_actions[i].values[v]; v++) {
            known |= strcmp(value, runstate_actions[i].values[v]) == 0;
        }
        if (!known) {
            error_report("Parameter '%s' does not accept value '%s'", key,
                         value);
            exit(1);
        }
        if (strcmp(key, "reboot") == 0) {
            reboot_action = strcmp(value, "shutdown") == 0 ?
                            REBOOT_ACTION_SHUTDOWN : REBOOT_ACTION_RESET;
        } else if (strcmp(key, "shutdown") == 0) {
            shutdown_action = strcmp(value, "pause") == 0 ?
                              SHUTDOWN_ACTION_PAUSE : SHUTDOWN_ACTION_POWEROFF;
        }
    }
}

void vl_parse_action(const char *arg)
{
    apply_actions(parse_opts_noisily_or_exit(&qemu_action_opts, arg, false));
}

/* -msg applies at once, so later command-line errors carry its format. */
void vl_parse_msg(const char *arg)
{
    QemuOpts *opts = parse_opts_noisily_or_exit(&qemu_msg_opts, arg, false);

    message_with_timestamp = qemu_opt_get_bool(opts, "timestamp", false);
    error_with_guestname = qemu_opt_get_bool(opts, "guest-name", false);
}

void vl_parse_overcommit(CommandLine *cl, const char *arg)
{
    QemuOpts *opts = parse_opts_noisily_or_exit(&qemu_overcommit_opts, arg,
                                                false);

    cl->mem_lock = qemu_opt_get_bool(opts, "mem-lock", false);
    if (qemu_opt_get_bool(opts, "cpu-pm", false)) {
        /* QEMU hands HLT/MWAIT/PAUSE to the guest and changes CPUID */
        error_report("cpu-pm=on is not supported by microqemu");
        exit(1);
    }
}

/* QEMU 7.2 qemu-seccomp.c parse_sandbox(): sub-options only with on. */
void vl_parse_sandbox(const char *arg)
{
    static const struct {
        const char *key;
        const char *const values[4];
    } checks[] = {
        { "obsolete", { "allow", "deny" } },
        { "elevateprivileges", { "deny", "children", "allow" } },
        { "spawn", { "deny", "allow" } },
        { "resourcecontrol", { "deny", "allow" } },
    };
    QemuOpts *opts = parse_opts_noisily_or_exit(&qemu_sandbox_opts, arg, true);

    if (!qemu_opt_get_bool(opts, "enable", false)) {
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
        const char *value = qemu_opt_get(opts, checks[i].key);
        bool ok = !value;

        for (size_t v = 0; value && checks[i].values[v]; v++) {
            ok |= strcmp(value, checks[i].values[v]) == 0;
        }
        if (!ok) {
            error_report("invalid argument for %s", checks[i].key);
            exit(1);
        }
    }
    error_report("seccomp sandboxing (-sandbox on) is not supported by "
                 "microqemu yet");
    exit(1);
}

/*
 * QEMU 7.2 trace/control.c trace_enable_events(): microqemu has no trace
 * events, so "help" lists none and every event name is unknown; a pattern
 * simply matches nothing.
 */
static void trace_enable_events(const char *pattern)
{
    const char *name = pattern[0] == '-' ? pattern + 1 : pattern;

    if (strcmp(pattern, "help") == 0 || strcmp(pattern, "?") == 0) {
        exit(0);
    }
    if (!strchr(name, '*')) {
        warn_report("trace event '%s' does not exist", name);
    }
}

static void trace_read_events_file(const char *fname)
{
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) gerr = NULL;

    if (!g_file_get_contents(fname, &contents, NULL, &gerr)) {
        /* QEMU reports it at the file's location: "PROG:FILE: error" */
        error_printf("%s:%s: %s\n", error_get_progname(), fname,
                     g_strerror(gerr->code == G_FILE_ERROR_NOENT ? ENOENT :
                                gerr->code == G_FILE_ERROR_ACCES ? EACCES :
                                gerr->code == G_FILE_ERROR_ISDIR ? EISDIR :
                                EIO));
        exit(1);
    }
    lines = g_strsplit(contents, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l && **l != '#') {
            trace_enable_events(*l);
        }
    }
}

/*
 * QEMU 7.2 acts on -msg, -overcommit and -trace while it parses them; a
 * [msg], [overcommit] or [trace] section of a -readconfig file only goes
 * into the option's list, which nothing reads: its keys are checked and
 * it has no effect.
 */
void vl_check_config_group(const char *group, const char *arg)
{
    QemuOptsList *lists[] = {
        &qemu_msg_opts, &qemu_overcommit_opts, &qemu_trace_opts,
    };

    for (size_t i = 0; i < G_N_ELEMENTS(lists); i++) {
        if (strcmp(lists[i]->name, group) == 0) {
            parse_opts_or_exit(lists[i], arg, false);
            return;
        }
    }
    g_assert_not_reached();
}

void vl_parse_trace(const char *arg)
{
    QemuOpts *opts = parse_opts_noisily_or_exit(&qemu_trace_opts, arg, true);

    if (qemu_opt_get(opts, "enable")) {
        trace_enable_events(qemu_opt_get(opts, "enable"));
    }
    if (qemu_opt_get(opts, "events")) {
        trace_read_events_file(qemu_opt_get(opts, "events"));
    }
    /* file=: nothing is ever traced, so the file is never written */
    qemu_opts_del(opts);
}

/*
 * -icount is TCG's: QEMU 7.2 checks the shift (icount_configure), then
 * refuses it with KVM, the only accelerator here.
 */
void vl_configure_icount(CommandLine *cl)
{
    QemuOpts *opts = g_queue_peek_head(&qemu_icount_opts.head);
    const char *shift;
    int64_t n;

    if (!opts) {
        return;
    }
    shift = qemu_opt_get(opts, "shift");
    if (shift && strcmp(shift, "auto") &&
        qemu_strtoi64(shift, NULL, 10, &n) < 0) {
        loc_restore(&cl->icount_loc);
        error_report("icount: Invalid shift value");
        exit(1);
    }
    error_report("-icount is not allowed with hardware virtualization");
    exit(1);
}

/*
 * -d and -D, after the whole command line as QEMU's
 * qemu_process_early_options(): an unknown item prints the list on
 * stdout and fails.
 */
void vl_configure_logging(CommandLine *cl)
{
    Error *err = NULL;
    int mask = 0;

    if (cl->log_mask) {
        mask = qemu_str_to_log_mask(cl->log_mask);
        if (!mask) {
            qemu_print_log_usage(stdout);
            exit(1);
        }
        /*
         * The other categories are TCG's (and QEMU with KVM logs nothing
         * for them either): accepted as QEMU does, but said, not ignored.
         */
        if (mask & LOG_OTHER) {
            warn_report("-d %s: only guest_errors and unimp log anything "
                        "under KVM", cl->log_mask);
        }
    }
    qemu_loglevel = mask;
    if (cl->log_file && !qemu_set_log_filename(cl->log_file, &err)) {
        exit_with_error(err);
    }
}

/*
 * -rtc, as QEMU 7.2 softmmu/rtc.c configure_rtc(): base= moves the RTC's
 * start time, driftfix=slew is sugar for the RTC's lost_tick_policy.
 * clock= is checked and recorded: microqemu's RTC always counts host
 * time (the VM cannot be paused, so vm and rt would not differ yet).
 */
void vl_configure_rtc(void)
{
    QemuOpts *opts = g_queue_peek_head(&qemu_rtc_opts.head);
    const char *value;

    if (!opts) {
        return;
    }
    value = qemu_opt_get(opts, "base");
    if (value && strcmp(value, "utc") == 0) {
        mc146818rtc_set_base(0, false);
    } else if (value && strcmp(value, "localtime") == 0) {
        mc146818rtc_set_base(0, true);
    } else if (value) {
        struct tm tm = { 0 };
        time_t start = -1;
        bool ok;

        ok = sscanf(value, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6;
        if (!ok) {
            tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
            ok = sscanf(value, "%d-%d-%d", &tm.tm_year, &tm.tm_mon,
                        &tm.tm_mday) == 3;
        }
        if (ok) {
            tm.tm_year -= 1900;
            tm.tm_mon--;
            start = timegm(&tm);
        }
        if (start == -1) {
            error_report("invalid datetime format");
            error_printf("valid formats: '2006-06-17T16:01:21' or "
                         "'2006-06-17'\n");
            exit(1);
        }
        mc146818rtc_set_base(start - g_get_real_time() / G_USEC_PER_SEC,
                             false);
    }
    value = qemu_opt_get(opts, "clock");
    if (value && strcmp(value, "host") && strcmp(value, "rt") &&
        strcmp(value, "vm")) {
        error_report("invalid option value '%s'", value);
        exit(1);
    }
    value = qemu_opt_get(opts, "driftfix");
    if (value && strcmp(value, "slew") == 0) {
        object_register_global(TYPE_MC146818_RTC, "lost_tick_policy",
                               "slew", NULL);
    } else if (value && strcmp(value, "none")) {
        error_report("invalid option value '%s'", value);
        exit(1);
    }
}

void vl_parse_watchdog_action(const char *arg)
{
    QemuOpts *opts = qemu_opts_create(&qemu_action_opts, NULL, false, NULL);

    /* the value is taken whole, commas included, as QEMU does */
    qemu_opt_set(opts, "watchdog", arg, NULL);
    apply_actions(opts);
}

void vl_parse_rtc(const char *arg)
{
    parse_opts_noisily_or_exit(&qemu_rtc_opts, arg, false);
}

void vl_parse_icount(CommandLine *cl, const char *arg)
{
    parse_opts_noisily_or_exit(&qemu_icount_opts, arg, true);
    loc_save(&cl->icount_loc);
}
