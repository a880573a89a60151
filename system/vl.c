/*
 * The command line: from argv to a running machine, as QEMU 7.2's
 * softmmu/vl.c qemu_init() does for the options microqemu implements.
 *
 * Options are looked up in the table of every QEMU option (unknown ones
 * are "invalid option", known but unimplemented ones are refused by name);
 * -machine, -accel, -chardev, -device, -m, -smp, -name are parsed with
 * QemuOpts as they come (so syntax errors carry the option's location),
 * then objects are created in QEMU's order: chardevs, the machine, its
 * devices, user devices.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "qom/object.h"
#include "chardev/char.h"
#include "hw/core/qdev.h"
#include "hw/i386/microvm.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/rtc/mc146818rtc.h"
#include "system/cpus.h"
#include "system/kvm.h"
#include "system/os-posix.h"
#include "system/qemu-options.h"
#include "system/runstate.h"
#include "system/system.h"
#include "system/hostmem.h"
#include "system/object-add.h"
#include "target/i386/cpu-help.h"

#include <sys/prctl.h>

static QemuOptsList qemu_machine_opts = {
    .name = "machine",
    .implied_opt_name = "type",
    .merge_lists = true,
    .desc = { { 0 } },          /* checked against the machine's properties */
};

static QemuOptsList qemu_accel_opts = {
    .name = "accel",
    .implied_opt_name = "accel",
    .desc = { { 0 } },
};

static QemuOptsList qemu_device_opts = {
    .name = "device",
    .implied_opt_name = "driver",
    .desc = { { 0 } },
};

static QemuOptsList qemu_mem_opts = {
    .name = "memory",
    .implied_opt_name = "size",
    .merge_lists = true,
    .desc = {
        { .name = "size", .type = QEMU_OPT_SIZE },
        { .name = "slots", .type = QEMU_OPT_NUMBER },
        { .name = "maxmem", .type = QEMU_OPT_SIZE },
        { 0 }
    },
};

static QemuOptsList qemu_smp_opts = {
    .name = "smp-opts",
    .implied_opt_name = "cpus",
    .merge_lists = true,
    .desc = { { 0 } },          /* checked in configure_smp, as QEMU's keyval */
};

static QemuOptsList qemu_name_opts = {
    .name = "name",
    .implied_opt_name = "guest",
    .merge_lists = true,
    .desc = {
        { .name = "guest", .type = QEMU_OPT_STRING },
        { .name = "process", .type = QEMU_OPT_STRING },
        { .name = "debug-threads", .type = QEMU_OPT_BOOL },
        { 0 }
    },
};

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

/* -boot is keyval into the machine's "boot" property: any key parses. */
static QemuOptsList qemu_boot_opts = {
    .name = "boot-opts",
    .implied_opt_name = "order",
    .desc = { { 0 } },
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

/* An option whose processing waits until objects are created, with the
 * argv position its errors are reported at (QEMU's qemu_opts_loc_restore). */
typedef struct DeferredOption {
    int argi;
    const char *arg;
    QemuOpts *opts;
} DeferredOption;

typedef struct CommandLine {
    char **argv;
    GArray *chardevs;           /* of DeferredOption */
    GArray *devices;            /* of DeferredOption */
    GArray *accels;             /* of DeferredOption */
    GArray *serials;            /* of DeferredOption (opts unused) */
    const char *cpu_model;
    const char *kernel, *initrd, *append, *bios;
    bool has_defaults;
    bool nographic;
    const char *mem_path;
    bool mem_prealloc;
    KVMIrqchipMode irqchip;
    int mem_argi;
    const char *pid_file;
    const char *log_mask, *log_file;
    QemuOpts *boot_opts;        /* the last -boot: keyval replaces */
    bool has_uuid;
    uint8_t uuid[16];
    bool mem_lock;
    int icount_argi;            /* 0: no -icount */
} CommandLine;

/* Fatal command-line error: QEMU's error_report + exit(1). */
static void G_GNUC_NORETURN exit_with_error(Error *err)
{
    error_report_err(err);
    qemu_chr_restore_terminal();
    exit(1);
}

/* QEMU's is_help_option() */
static bool is_help_option(const char *s)
{
    return strcmp(s, "help") == 0 || strcmp(s, "?") == 0;
}

static QemuOpts *parse_opts_or_exit(QemuOptsList *list, const char *arg,
                                    bool permit_abbrev)
{
    Error *err = NULL;
    QemuOpts *opts = qemu_opts_parse(list, arg, permit_abbrev, &err);

    if (!opts) {
        exit_with_error(err);
    }
    return opts;
}

/*
 * QEMU parses most options with qemu_opts_parse_noisily(): "KEY" alone
 * warns as a deprecated short-form boolean, "help" lists the keys (and
 * exits 1, as QEMU).
 */
static QemuOpts *parse_opts_noisily_or_exit(QemuOptsList *list,
                                            const char *arg,
                                            bool permit_abbrev)
{
    QemuOpts *opts = qemu_opts_parse_noisily(list, arg, permit_abbrev);

    if (!opts) {
        exit(1);
    }
    return opts;
}

static void defer_option(GArray *list, char **argv, int argi, QemuOpts *opts)
{
    DeferredOption d = { .argi = argi, .arg = argv[argi + 1], .opts = opts };

    g_array_append_val(list, d);
}

static void refuse_option(const QEMUOption *opt)
{
    error_report("option '-%s' is not supported by microqemu", opt->name);
    exit(1);
}

/*
 * -display: only "none" (what -nographic and headless users ask for);
 * QEMU 7.2's other display types are refused by name.
 */
static void parse_display(const char *arg)
{
    if (is_help_option(arg)) {
        /* QEMU's qemu_display_help(): what this binary can show */
        printf("Available display backend types:\nnone\n");
        exit(0);
    }
    static const char *const qemu_displays[] = {
        "default", "gtk", "sdl", "egl-headless", "curses", "cocoa",
        "spice-app", "dbus", "vnc",
    };
    g_autofree char *type = g_strndup(arg, strcspn(arg, ","));

    if (strcmp(type, "none") == 0) {
        if (strstr(arg, "gl=on")) {
            loc_set_none();
            error_report("OpenGL is not supported by the display");
            exit(1);
        }
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(qemu_displays); i++) {
        if (strcmp(type, qemu_displays[i]) == 0) {
            error_report("display '%s' is not supported by microqemu "
                         "(only 'none')", type);
            exit(1);
        }
    }
    error_report("Parameter 'type' does not accept value '%s'", type);
    exit(1);
}

static KVMIrqchipMode parse_kernel_irqchip(const char *value)
{
    bool on;

    if (strcmp(value, "split") == 0) {
        return KVM_IRQCHIP_MODE_SPLIT;
    }
    if (!qapi_bool_parse("kernel-irqchip", value, &on, NULL)) {
        error_report("Parameter 'kernel-irqchip' does not accept value '%s'",
                     value);
        exit(1);
    }
    return on ? KVM_IRQCHIP_MODE_ON : KVM_IRQCHIP_MODE_OFF;
}

/* QEMU's -device help: user-creatable devices by category, sorted. */
static void print_device_list(void)
{
    static const char *const category_names[DEVICE_CATEGORY_MAX] = {
        [DEVICE_CATEGORY_BRIDGE] = "Controller/Bridge/Hub",
        [DEVICE_CATEGORY_USB] = "USB",
        [DEVICE_CATEGORY_STORAGE] = "Storage",
        [DEVICE_CATEGORY_NETWORK] = "Network",
        [DEVICE_CATEGORY_INPUT] = "Input",
        [DEVICE_CATEGORY_DISPLAY] = "Display",
        [DEVICE_CATEGORY_SOUND] = "Sound",
        [DEVICE_CATEGORY_MISC] = "Misc",
        [DEVICE_CATEGORY_CPU] = "CPU",
        [DEVICE_CATEGORY_WATCHDOG] = "Watchdog",
    };
    GSList *list = object_class_get_list(TYPE_DEVICE, false);

    for (int cat = 0; cat <= DEVICE_CATEGORY_MAX; cat++) {
        bool first = true;

        for (GSList *l = list; l; l = l->next) {
            DeviceClass *dc = DEVICE_CLASS(l->data);
            bool in_cat = cat < DEVICE_CATEGORY_MAX ?
                          dc->categories & (1u << cat) : !dc->categories;

            if (!in_cat || !dc->user_creatable) {
                continue;
            }
            if (first) {
                printf("%s%s devices:\n", cat ? "\n" : "",
                       cat < DEVICE_CATEGORY_MAX ? category_names[cat] :
                       "Uncategorized");
                first = false;
            }
            printf("name \"%s\"", object_class_get_name(l->data));
            if (dc->bus_type) {
                printf(", bus %s", dc->bus_type);
            }
            if (dc->desc) {
                printf(", desc \"%s\"", dc->desc);
            }
            printf("\n");
        }
    }
    g_slist_free(list);
}

/* -device help and -device NAME,help, before anything is created. */
static void device_help(QemuOpts *opts)
{
    const char *driver = qemu_opt_get(opts, "driver");
    ObjectClass *oc;
    GString *help;

    if (driver && (strcmp(driver, "help") == 0 || strcmp(driver, "?") == 0)) {
        print_device_list();
        exit(0);
    }
    if (!qemu_opt_has_help_opt(opts)) {
        return;
    }
    oc = driver ? object_class_by_name(driver) : NULL;
    if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE) ||
        object_class_is_abstract(oc)) {
        error_report("'%s' is not a valid device model name",
                     driver ? driver : "");
        exit(1);
    }
    help = g_string_new(NULL);
    object_class_print_properties_help(oc, help);
    fputs(help->str, stdout);
    g_string_free(help, TRUE);
    exit(0);
}

/* -machine is parsed by QEMU's keyval, which refuses an empty key. */
static void check_machine_keys(const char *arg)
{
    g_auto(GStrv) parts = g_strsplit(arg, ",", 0);

    for (char **p = parts; *p; p++) {
        if (**p == '=') {
            error_report("Invalid parameter ''");
            exit(1);
        }
    }
}

/* QEMU's qemu_uuid_parse(): 36 characters, dashes at 8, 13, 18, 23. */
static bool parse_uuid(const char *str, uint8_t uuid[16])
{
    int j = 0;

    if (strlen(str) != 36) {
        return false;
    }
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;

        if (dash ? str[i] != '-' : !g_ascii_isxdigit(str[i])) {
            return false;
        }
    }
    for (int i = 0; i < 36; i += str[i] == '-' ? 1 : 2) {
        if (str[i] != '-') {
            uuid[j++] = g_ascii_xdigit_value(str[i]) << 4 |
                        g_ascii_xdigit_value(str[i + 1]);
        }
    }
    return true;
}

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

static void parse_action(const char *arg)
{
    apply_actions(parse_opts_noisily_or_exit(&qemu_action_opts, arg, false));
}

/* -msg applies at once, so later command-line errors carry its format. */
static void parse_msg(const char *arg)
{
    QemuOpts *opts = parse_opts_noisily_or_exit(&qemu_msg_opts, arg, false);

    message_with_timestamp = qemu_opt_get_bool(opts, "timestamp", false);
    error_with_guestname = qemu_opt_get_bool(opts, "guest-name", false);
}

static void parse_overcommit(CommandLine *cl, const char *arg)
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
static void parse_sandbox(const char *arg)
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

static void parse_trace(const char *arg)
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
static void configure_icount(CommandLine *cl)
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
        loc_set_cmdline(cl->argv, cl->icount_argi, 2);
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
static void configure_logging(CommandLine *cl)
{
    Error *err = NULL;
    int mask = 0;

    if (cl->log_mask) {
        mask = qemu_str_to_log_mask(cl->log_mask);
        if (!mask) {
            qemu_print_log_usage(stdout);
            exit(1);
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
static void configure_rtc(void)
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

/* -boot help: QEMU prints the boot-opts list's options. */
static QemuOptsList qemu_boot_help_opts = {
    .name = "boot-opts",
    .desc = {
        { .name = "order", .type = QEMU_OPT_STRING },
        { .name = "once", .type = QEMU_OPT_STRING },
        { .name = "menu", .type = QEMU_OPT_BOOL },
        { .name = "splash", .type = QEMU_OPT_STRING },
        { .name = "splash-time", .type = QEMU_OPT_NUMBER },
        { .name = "reboot-timeout", .type = QEMU_OPT_NUMBER },
        { .name = "strict", .type = QEMU_OPT_BOOL },
        { 0 }
    },
};

/* What -boot asks of fw_cfg (QEMU 7.2 fw_cfg_common_realize). */
typedef struct BootConfig {
    bool menu;
    bool has_splash_time;
    uint16_t splash_time;
    uint32_t reboot_timeout;        /* -1: none */
    void *splash_data;
    size_t splash_size;
    bool splash_is_jpeg;
} BootConfig;

static BootConfig boot_config = { .reboot_timeout = UINT32_MAX };

/*
 * -boot is keyval into a machine property: syntax errors carry the
 * option, the latest -boot replaces earlier ones (and "help" lists the
 * keys).
 */
static void parse_boot(CommandLine *cl, const char *arg)
{
    QemuOpts *opts = parse_opts_or_exit(&qemu_boot_opts, arg, true);

    if (qemu_opt_has_help_opt(opts) ||
        is_help_option(qemu_opt_get(opts, "order") ?: "")) {
        qemu_opts_print_help(&qemu_boot_help_opts, true);
        exit(0);
    }
    if (cl->boot_opts) {
        qemu_opts_del(cl->boot_opts);
    }
    cl->boot_opts = opts;
}

/* softmmu/bootdevice.c validate_bootdevices(): letters a-p, once each. */
static void boot_validate_devices(const char *devices)
{
    uint32_t seen = 0;

    for (const char *p = devices; *p; p++) {
        if (*p < 'a' || *p > 'p') {
            error_report("Invalid boot device '%c'", *p);
            exit(1);
        }
        if (seen & (1u << (*p - 'a'))) {
            error_report("Boot device '%c' was given twice", *p);
            exit(1);
        }
        seen |= 1u << (*p - 'a');
    }
}

static int boot_check_key(void *opaque, const char *name, const char *value,
                          Error **errp)
{
    for (const QemuOptDesc *d = qemu_boot_help_opts.desc; d->name; d++) {
        if (strcmp(d->name, name) == 0) {
            return 0;
        }
    }
    error_setg(errp, "Parameter 'boot.%s' is unexpected", name);
    return -1;
}

/* QEMU 7.2 read_splashfile(): a JPEG, or a 24 bpp BMP. */
static void boot_load_splash(const char *name)
{
    g_autofree char *path = qemu_find_file(name);
    g_autoptr(GError) gerr = NULL;
    char *data;
    gsize size;

    if (!path) {
        error_report("failed to find file '%s'", name);
        return;
    }
    if (!g_file_get_contents(path, &data, &size, &gerr)) {
        error_report("failed to read splash file '%s': %s", path,
                     gerr->message);
        return;
    }
    if (size < 30 || !((data[0] == '\xff' && data[1] == '\xd8') ||
                       (data[0] == 'B' && data[1] == 'M' &&
                        data[28] == 24 && data[29] == 0))) {
        error_report("splash file '%s' format not recognized; must be "
                     "JPEG or 24 bit BMP", path);
        g_free(data);
        return;
    }
    boot_config.splash_data = data;
    boot_config.splash_size = size;
    boot_config.splash_is_jpeg = data[0] == '\xff';
}

/*
 * The machine's boot property (QAPI BootConfiguration: members checked
 * in its order, then unknown keys), then what fw_cfg's realize checks.
 * order/once/strict do not change microvm: its firmware boots fw_cfg's
 * kernel, as in QEMU.
 */
static void configure_boot(CommandLine *cl)
{
    QemuOpts *opts = cl->boot_opts;
    Error *err = NULL;
    const char *v;
    int64_t n;
    bool b;

    if (!opts) {
        return;
    }
    for (const QemuOptDesc *d = qemu_boot_help_opts.desc; d->name; d++) {
        v = qemu_opt_get(opts, d->name);
        if (!v) {
            continue;
        }
        if (d->type == QEMU_OPT_BOOL && !qapi_bool_parse(d->name, v, &b,
                                                         NULL)) {
            error_report("Parameter 'boot.%s' expects 'on' or 'off'",
                         d->name);
            exit(1);
        }
        if (d->type == QEMU_OPT_NUMBER &&
            qemu_strtoi64(v, NULL, 0, &n) < 0) {
            error_report("Parameter 'boot.%s' expects integer", d->name);
            exit(1);
        }
    }
    if (qemu_opt_foreach(opts, boot_check_key, NULL, &err)) {
        exit_with_error(err);
    }
    if ((v = qemu_opt_get(opts, "order"))) {
        boot_validate_devices(v);
    }
    if ((v = qemu_opt_get(opts, "once"))) {
        boot_validate_devices(v);
    }
    if ((v = qemu_opt_get(opts, "menu"))) {
        qapi_bool_parse("menu", v, &boot_config.menu, NULL);
    }
    if ((v = qemu_opt_get(opts, "splash-time"))) {
        qemu_strtoi64(v, NULL, 0, &n);
        if (n < 0 || n > 0xffff) {
            error_report("splash-time is invalid,it should be a value "
                         "between 0 and 65535");
            exit(1);
        }
        boot_config.has_splash_time = true;
        boot_config.splash_time = n;
    }
    if ((v = qemu_opt_get(opts, "splash"))) {
        boot_load_splash(v);
    }
    if ((v = qemu_opt_get(opts, "reboot-timeout"))) {
        qemu_strtoi64(v, NULL, 0, &n);
        if (n != -1 && (n < 0 || n > 0xffff)) {
            error_report("reboot timeout is invalid,it should be a value "
                         "between -1 and 65535");
            exit(1);
        }
        boot_config.reboot_timeout = n;
    }
}

/* The fw_cfg items -boot changes, once the board has created fw_cfg. */
static void boot_apply_fw_cfg(FWCfgState *fw_cfg)
{
    uint32_t reboot_timeout = GUINT32_TO_LE(boot_config.reboot_timeout);

    if (!fw_cfg) {
        return;
    }
    fw_cfg_modify_i16(fw_cfg, FW_CFG_BOOT_MENU, boot_config.menu);
    if (boot_config.has_splash_time) {
        uint16_t wait = GUINT16_TO_LE(boot_config.splash_time);

        fw_cfg_add_file(fw_cfg, "etc/boot-menu-wait",
                        g_memdup2(&wait, sizeof(wait)), sizeof(wait));
    }
    if (boot_config.splash_data) {
        fw_cfg_add_file(fw_cfg, boot_config.splash_is_jpeg ?
                        "bootsplash.jpg" : "bootsplash.bmp",
                        g_steal_pointer(&boot_config.splash_data),
                        boot_config.splash_size);
    }
    fw_cfg_modify_file(fw_cfg, "etc/boot-fail-wait",
                       g_memdup2(&reboot_timeout, sizeof(reboot_timeout)),
                       sizeof(reboot_timeout));
}

/*
 * The first pass over argv: every option is looked up (QEMU's lookup_opt:
 * "invalid option", "requires an argument") and parsed; nothing is created
 * yet.
 */
static void parse_command_line(CommandLine *cl, int argc, char **argv)
{
    int optind = 1;

    while (optind < argc) {
        const QEMUOption *opt;
        const char *arg = NULL;
        int argi = optind;

        if (argv[optind][0] != '-') {
            /* QEMU's implied -hda: no disk images here */
            loc_set_cmdline(argv, optind, 1);
            error_report("disk images given without an option (-hda) are "
                         "not supported by microqemu");
            exit(1);
        }
        loc_set_cmdline(argv, optind, 1);
        opt = qemu_option_lookup(argv[optind]);
        if (!opt) {
            error_report("invalid option");
            exit(1);
        }
        optind++;
        if (opt->flags & HAS_ARG) {
            if (optind >= argc) {
                error_report("requires an argument");
                exit(1);
            }
            arg = argv[optind++];
            loc_set_cmdline(argv, argi, 2);
        }
        if (opt->flags & QEMU_OPTION_NOT_X86) {
            error_report("Option not supported for this target");
            exit(1);
        }

        switch (opt->index) {
        case QEMU_OPTION_h:
            qemu_print_help();
            exit(0);
        case QEMU_OPTION_version:
            qemu_print_version();
            exit(0);
        case QEMU_OPTION_M:
        case QEMU_OPTION_machine:
            check_machine_keys(arg);
            parse_opts_or_exit(&qemu_machine_opts, arg, true);
            break;
        case QEMU_OPTION_enable_kvm:
            /* QEMU: the same as -machine accel=kvm */
            parse_opts_or_exit(&qemu_machine_opts, "accel=kvm", false);
            break;
        case QEMU_OPTION_accel: {
            QemuOpts *opts = parse_opts_or_exit(&qemu_accel_opts, arg, true);
            const char *name = qemu_opt_get(opts, "accel");

            /* QEMU: no name, or help, lists the accelerators */
            if (!name || !*name || strcmp(name, "help") == 0 ||
                strcmp(name, "?") == 0) {
                printf("Accelerators supported in QEMU binary:\nkvm\n");
                exit(0);
            }
            defer_option(cl->accels, argv, argi, opts);
            break;
        }
        case QEMU_OPTION_cpu:
            cl->cpu_model = arg;
            break;
        case QEMU_OPTION_m:
            parse_opts_or_exit(&qemu_mem_opts, arg, true);
            cl->mem_argi = argi;
            break;
        case QEMU_OPTION_smp:
            parse_opts_or_exit(&qemu_smp_opts, arg, true);
            break;
        case QEMU_OPTION_kernel:
            cl->kernel = arg;
            break;
        case QEMU_OPTION_initrd:
            cl->initrd = arg;
            break;
        case QEMU_OPTION_append:
            cl->append = arg;
            break;
        case QEMU_OPTION_bios:
            cl->bios = arg;
            break;
        case QEMU_OPTION_L:
            qemu_add_data_dir(arg);
            break;
        case QEMU_OPTION_nodefaults:
            cl->has_defaults = false;
            break;
        case QEMU_OPTION_nouserconfig:
            /* microqemu reads no configuration files anyway */
            break;
        case QEMU_OPTION_nographic:
            cl->nographic = true;
            break;
        case QEMU_OPTION_display:
            parse_display(arg);
            break;
        case QEMU_OPTION_serial:
            defer_option(cl->serials, argv, argi, NULL);
            break;
        case QEMU_OPTION_chardev:
            defer_option(cl->chardevs, argv, argi,
                         parse_opts_or_exit(&qemu_chardev_opts, arg, true));
            break;
        case QEMU_OPTION_device: {
            QemuOpts *opts = parse_opts_or_exit(&qemu_device_opts, arg, true);

            device_help(opts);
            defer_option(cl->devices, argv, argi, opts);
            break;
        }
        case QEMU_OPTION_no_reboot:
            parse_action("reboot=shutdown");
            break;
        case QEMU_OPTION_no_shutdown:
            parse_action("shutdown=pause");
            break;
        case QEMU_OPTION_action:
            parse_action(arg);
            break;
        case QEMU_OPTION_watchdog_action: {
            QemuOpts *opts = qemu_opts_create(&qemu_action_opts, NULL, false,
                                              NULL);

            /* the value is taken whole, commas included, as QEMU does */
            qemu_opt_set(opts, "watchdog", arg, NULL);
            apply_actions(opts);
            break;
        }
        case QEMU_OPTION_netdev:
            if (is_help_option(arg)) {
                /* QEMU's show_netdevs(): microqemu has no backends yet */
                printf("Available netdev backend types:\n");
                exit(0);
            }
            refuse_option(opt);
            break;
        case QEMU_OPTION_object: {
            Error *oerr = NULL;
            bool help;

            if (!object_option_parse(arg, &help, &oerr)) {
                exit_with_error(oerr);
            }
            if (help) {
                exit(0);
            }
            break;
        }
        case QEMU_OPTION_mempath:
            cl->mem_path = arg;
            break;
        case QEMU_OPTION_mem_prealloc:
            cl->mem_prealloc = true;
            break;
        case QEMU_OPTION_name: {
            QemuOpts *opts = parse_opts_noisily_or_exit(&qemu_name_opts, arg,
                                                        true);

            /* for -msg guest-name=on, given before or after */
            error_guest_name = qemu_opt_get(opts, "guest");
            break;
        }
        case QEMU_OPTION_global:
            if (qemu_global_option(arg) != 0) {
                exit(1);
            }
            break;
        case QEMU_OPTION_uuid:
            if (!parse_uuid(arg, cl->uuid)) {
                error_report("failed to parse UUID string: wrong format");
                exit(1);
            }
            cl->has_uuid = true;
            break;
        case QEMU_OPTION_boot:
            parse_boot(cl, arg);
            break;
        case QEMU_OPTION_rtc:
            parse_opts_noisily_or_exit(&qemu_rtc_opts, arg, false);
            break;
        case QEMU_OPTION_msg:
            parse_msg(arg);
            break;
        case QEMU_OPTION_overcommit:
            parse_overcommit(cl, arg);
            break;
        case QEMU_OPTION_sandbox:
            parse_sandbox(arg);
            break;
        case QEMU_OPTION_trace:
            parse_trace(arg);
            break;
        case QEMU_OPTION_d:
            cl->log_mask = arg;
            break;
        case QEMU_OPTION_D:
            cl->log_file = arg;
            break;
        case QEMU_OPTION_pidfile:
            cl->pid_file = arg;
            break;
        case QEMU_OPTION_daemonize:
            os_set_daemonize(true);
            break;
        case QEMU_OPTION_runas: {
            Error *err = NULL;

            if (!os_set_runas(arg, &err)) {
                exit_with_error(err);
            }
            break;
        }
        case QEMU_OPTION_chroot:
            os_set_chroot(arg);
            break;
        case QEMU_OPTION_S:
            /* 'cont' is a monitor command, and there is no monitor yet */
            error_report("starting with the CPUs stopped needs the monitor, "
                         "which is not supported by microqemu yet");
            exit(1);
        case QEMU_OPTION_icount:
            parse_opts_noisily_or_exit(&qemu_icount_opts, arg, true);
            cl->icount_argi = argi;
            break;
        case QEMU_OPTION_dtb:
            /* QEMU 7.2's microvm ignores the machine's dtb property */
            break;
        case QEMU_OPTION_no_acpi:
            parse_opts_or_exit(&qemu_machine_opts, "acpi=off", false);
            break;
        default:
            refuse_option(opt);
        }
    }
    loc_set_none();
}

/* The properties of QEMU 7.2's kvm-accel object. */
static int set_kvm_accel_property(void *opaque, const char *name,
                                  const char *value, Error **errp)
{
    static const char *const later[] = {
        "kvm-shadow-mem", "dirty-ring-size", "notify-vmexit",
        "notify-window",
    };
    CommandLine *cl = opaque;

    if (strcmp(name, "accel") == 0) {
        return 0;
    }
    if (strcmp(name, "kernel-irqchip") == 0) {
        cl->irqchip = parse_kernel_irqchip(value);
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(later); i++) {
        if (strcmp(name, later[i]) == 0) {
            error_setg(errp, "kvm-accel property '%s' is not supported by "
                       "microqemu", name);
            return -1;
        }
    }
    error_setg(errp, "Property 'kvm-accel.%s' not found", name);
    return -1;
}

/*
 * QEMU's configure_accelerators(): -accel options, or else the machine's
 * accel= list (set by -enable-kvm too); KVM is the only accelerator and
 * the default, as in Debian's qemu-system-x86_64-microvm.
 */
static void configure_accelerator(CommandLine *cl, QemuOpts *machine_opts)
{
    const char *machine_accel = qemu_opt_get(machine_opts, "accel");
    bool found = false, failed = false;
    Error *err = NULL;

    if (qemu_opt_get(machine_opts, "kernel-irqchip")) {
        cl->irqchip = parse_kernel_irqchip(
            qemu_opt_get(machine_opts, "kernel-irqchip"));
    }
    if (cl->accels->len) {
        if (machine_accel) {
            error_report("The -accel and \"-machine accel=\" options are "
                         "incompatible");
            exit(1);
        }
        for (guint i = 0; i < cl->accels->len && !found; i++) {
            DeferredOption *d = &g_array_index(cl->accels, DeferredOption, i);
            const char *name = qemu_opt_get(d->opts, "accel");

            loc_set_cmdline(cl->argv, d->argi, 2);
            if (strcmp(name, "kvm") != 0) {
                error_report("invalid accelerator %s", name);
                failed = true;
                continue;
            }
            if (qemu_opt_foreach(d->opts, set_kvm_accel_property, cl, &err)) {
                exit_with_error(err);
            }
            found = true;
        }
        loc_set_none();
    } else if (machine_accel) {
        g_auto(GStrv) names = g_strsplit(machine_accel, ":", 0);

        for (char **n = names; *n && !found; n++) {
            if (strcmp(*n, "kvm") == 0) {
                found = true;
            } else {
                error_report("invalid accelerator %s", *n);
                failed = true;
            }
        }
    } else {
        found = true;
    }
    if (!found) {
        if (!failed) {
            error_report("no accelerator found");
        }
        exit(1);
    }
    if (failed) {
        error_report("falling back to KVM");
    }
}

/* Machine options that are not properties of the machine object. */
static bool is_legacy_machine_option(const char *name)
{
    return strcmp(name, "type") == 0 || strcmp(name, "accel") == 0 ||
           strcmp(name, "kernel-irqchip") == 0;
}

static int set_machine_property(void *opaque, const char *name,
                                const char *value, Error **errp)
{
    if (is_legacy_machine_option(name)) {
        return 0;
    }
    return object_property_parse(opaque, name, value, errp) ? 0 : -1;
}

/*
 * QEMU's machine_help_func(): "Supported machines are:" and one line per
 * machine type, from the object model (microqemu registers microvm only;
 * its description is QEMU's).
 */
static void print_machine_list(void)
{
    GSList *list = object_class_get_list(TYPE_MACHINE, false);

    printf("Supported machines are:\n");
    for (GSList *l = list; l; l = l->next) {
        const char *type = object_class_get_name(l->data);

        if (strcmp(type, TYPE_MICROVM_MACHINE) == 0) {
            printf("%-20s %s (default)\n", "microvm", "microvm (i386)");
        }
    }
    g_slist_free(list);
}

static MicrovmMachineState *create_machine(CommandLine *cl,
                                           QemuOpts *machine_opts)
{
    const char *type = qemu_opt_get(machine_opts, "type");
    MicrovmMachineState *mms;
    Error *err = NULL;

    if (type && is_help_option(type)) {
        print_machine_list();
        exit(0);
    }
    if (type && strcmp(type, "microvm") != 0) {
        /* QEMU's words; microqemu only has microvm (see -machine help) */
        error_report("unsupported machine type");
        error_printf("Use -machine help to list supported machines\n");
        exit(1);
    }
    mms = MICROVM_MACHINE(object_new(TYPE_MICROVM_MACHINE));
    if (qemu_opt_has_help_opt(machine_opts)) {
        GString *help = g_string_new(NULL);

        object_class_print_properties_help(object_get_class(OBJECT(mms)),
                                           help);
        fputs(help->str, stdout);
        g_string_free(help, TRUE);
        exit(0);
    }
    if (qemu_opt_foreach(machine_opts, set_machine_property, mms, &err)) {
        exit_with_error(err);
    }
    /* -kernel/-initrd/-append/-bios are sugar for machine properties */
    if ((cl->kernel &&
         !object_property_parse(OBJECT(mms), "kernel", cl->kernel, &err)) ||
        (cl->initrd &&
         !object_property_parse(OBJECT(mms), "initrd", cl->initrd, &err)) ||
        (cl->append &&
         !object_property_parse(OBJECT(mms), "append", cl->append, &err)) ||
        (cl->bios &&
         !object_property_parse(OBJECT(mms), "firmware", cl->bios, &err)) ||
        (cl->nographic &&
         !object_property_parse(OBJECT(mms), "graphics", "off", &err))) {
        exit_with_error(err);
    }
    return mms;
}

/*
 * QEMU 7.2's parse_memory_options() and machine_set_mem(): a suffix-less
 * size counts in MiB, the size is aligned to 8 KiB, maxmem/slots are
 * checked as QEMU checks them (microvm has no memory hotplug, so they
 * change nothing else, as in QEMU).
 */
static void configure_ram_size(CommandLine *cl, MicrovmMachineState *mms)
{
    QemuOpts *opts = g_queue_peek_head(&qemu_mem_opts.head);
    uint64_t size, max_size;

    if (!opts) {
        return;
    }
    size = qemu_opt_get_size(opts, "size", 0);
    if (size) {
        const char *str = qemu_opt_get(opts, "size");

        if (g_ascii_isdigit(str[strlen(str) - 1])) {
            if (size > UINT64_MAX / MiB) {
                loc_set_cmdline(cl->argv, cl->mem_argi, 2);
                error_report("Parameter 'size' expects a non-negative "
                             "number below 2^64");
                exit(1);
            }
            size *= MiB;
        }
        mms->ram_size = QEMU_ALIGN_UP(size, 8 * KiB);
    }
    if (qemu_opt_has(opts, "maxmem")) {
        max_size = qemu_opt_get_size(opts, "maxmem", 0);
        if (max_size < mms->ram_size) {
            error_report("invalid value of maxmem: maximum memory size "
                         "(0x%" PRIx64 ") must be at least the initial "
                         "memory size (0x%" PRIx64 ")",
                         max_size, mms->ram_size);
            exit(1);
        }
        if (qemu_opt_get_number(opts, "slots", 0) &&
            max_size == mms->ram_size) {
            error_report("invalid value of maxmem: memory slots were "
                         "specified but maximum memory size (0x%" PRIx64
                         ") is equal to the initial memory size (0x%" PRIx64
                         ")", max_size, mms->ram_size);
            exit(1);
        }
    } else if (qemu_opt_has(opts, "slots")) {
        error_report("slots specified but no max-size");
        exit(1);
    }
}

/*
 * -smp values, checked as QEMU's keyval + QAPI visitor does (errors name
 * "smp.KEY" and carry no option location).
 */
static unsigned smp_get(QemuOpts *opts, const char *name)
{
    const char *str = qemu_opt_get(opts, name);
    uint64_t v;

    if (!str) {
        return 0;
    }
    if (qemu_strtou64(str, NULL, 0, &v) < 0 || v > UINT32_MAX) {
        error_report("Parameter 'smp.%s' expects integer", name);
        exit(1);
    }
    return v;
}

static int check_smp_key(void *opaque, const char *name, const char *value,
                         Error **errp)
{
    static const char *const keys[] = {
        "cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus",
    };

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (strcmp(name, keys[i]) == 0) {
            return 0;
        }
    }
    error_setg(errp, "Parameter 'smp.%s' is unexpected", name);
    return -1;
}

/* QEMU 7.2's machine_parse_smp_config() for microvm: no dies, no
 * clusters, cores preferred over sockets, at most 288 CPUs. */
static void configure_smp(MicrovmMachineState *mms)
{
    QemuOpts *opts = g_queue_peek_head(&qemu_smp_opts.head);
    unsigned cpus, sockets, dies, clusters, cores, threads, maxcpus;
    Error *err = NULL;

    if (!opts) {
        return;
    }
    if (qemu_opt_foreach(opts, check_smp_key, NULL, &err)) {
        exit_with_error(err);
    }
    cpus = smp_get(opts, "cpus");
    sockets = smp_get(opts, "sockets");
    dies = smp_get(opts, "dies");
    clusters = smp_get(opts, "clusters");
    cores = smp_get(opts, "cores");
    threads = smp_get(opts, "threads");
    maxcpus = smp_get(opts, "maxcpus");

    if ((qemu_opt_has(opts, "cpus") && !cpus) ||
        (qemu_opt_has(opts, "sockets") && !sockets) ||
        (qemu_opt_has(opts, "dies") && !dies) ||
        (qemu_opt_has(opts, "clusters") && !clusters) ||
        (qemu_opt_has(opts, "cores") && !cores) ||
        (qemu_opt_has(opts, "threads") && !threads) ||
        (qemu_opt_has(opts, "maxcpus") && !maxcpus)) {
        warn_report("Deprecated CPU topology (considered invalid): "
                    "CPU topology parameters must be greater than zero");
    }
    if (dies > 1) {
        error_report("dies not supported by this machine's CPU topology");
        exit(1);
    }
    if (clusters > 1) {
        error_report("clusters not supported by this machine's CPU "
                     "topology");
        exit(1);
    }
    if (cpus == 0 && maxcpus == 0) {
        sockets = sockets ? sockets : 1;
        cores = cores ? cores : 1;
        threads = threads ? threads : 1;
    } else {
        maxcpus = maxcpus ? maxcpus : cpus;
        if (cores == 0) {
            sockets = sockets ? sockets : 1;
            threads = threads ? threads : 1;
            cores = maxcpus / (sockets * threads);
        } else if (sockets == 0) {
            threads = threads ? threads : 1;
            sockets = maxcpus / (cores * threads);
        }
        if (threads == 0) {
            threads = maxcpus / (sockets * cores);
        }
    }
    maxcpus = maxcpus ? maxcpus : sockets * cores * threads;
    cpus = cpus ? cpus : maxcpus;

    if ((uint64_t)sockets * cores * threads != maxcpus) {
        error_report("Invalid CPU topology: product of the hierarchy must "
                     "match maxcpus: sockets (%u) * cores (%u) * threads "
                     "(%u) != maxcpus (%u)", sockets, cores, threads,
                     maxcpus);
        exit(1);
    }
    if (maxcpus < cpus) {
        error_report("Invalid CPU topology: maxcpus must be equal to or "
                     "greater than smp: sockets (%u) * cores (%u) * threads "
                     "(%u) == maxcpus (%u) < smp_cpus (%u)",
                     sockets, cores, threads, maxcpus, cpus);
        exit(1);
    }
    if (maxcpus > 288) {            /* microvm's mc->max_cpus */
        error_report("Invalid SMP CPUs %u. The max CPUs supported by "
                     "machine 'microvm' is 288", maxcpus);
        exit(1);
    }
    mms->smp_cpus = cpus;
    mms->smp_max_cpus = maxcpus;
    mms->sockets = sockets;
    mms->dies = 1;
    mms->cores = cores;
    mms->threads = threads;
}

static void configure_name(void)
{
    QemuOpts *opts = g_queue_peek_head(&qemu_name_opts.head);
    const char *process;

    if (!opts) {
        return;
    }
    process = qemu_opt_get(opts, "process");
    if (process) {
        prctl(PR_SET_NAME, process);
    }
}

/* QEMU's serial_hds[]: one entry per -serial, NULL for "none". */
static GPtrArray *serial_hds;

Chardev *serial_hd(int i)
{
    if (!serial_hds || i < 0 || (guint)i >= serial_hds->len) {
        return NULL;
    }
    return g_ptr_array_index(serial_hds, i);
}

/*
 * Serial ports: -serial arguments in order, or QEMU's default (stdio with
 * -nographic, a virtual console otherwise: microqemu has no display, so a
 * null sink stands for it). "none" leaves the index empty.
 */
static void create_serial_chardevs(CommandLine *cl)
{
    serial_hds = g_ptr_array_new();
    /*
     * QEMU's qemu_create_default_devices(): -nographic would put the
     * default serial port and monitor on stdio. microqemu has no monitor
     * yet, so with defaults the (default) monitor always would be there.
     */
    if (is_daemonized() && cl->nographic && cl->has_defaults) {
        error_report("-nographic cannot be used with -daemonize");
        exit(1);
    }
    if (cl->serials->len == 0 && cl->has_defaults) {
        Error *err = NULL;
        Chardev *chr = qemu_chr_new("serial0",
                                    cl->nographic ? "mon:stdio" : "null", &err);

        if (!chr) {
            exit_with_error(err);
        }
        g_ptr_array_add(serial_hds, chr);
        return;
    }
    for (guint i = 0; i < cl->serials->len; i++) {
        DeferredOption *d = &g_array_index(cl->serials, DeferredOption, i);
        const char *spec = d->arg;
        g_autofree char *label = g_strdup_printf("serial%u", i);
        Error *err = NULL;

        Chardev *chr;

        if (strcmp(spec, "none") == 0) {
            g_ptr_array_add(serial_hds, NULL);
            continue;
        }
        loc_set_cmdline(cl->argv, d->argi, 2);
        if (is_daemonized() && (strcmp(spec, "stdio") == 0 ||
                                strcmp(spec, "mon:stdio") == 0)) {
            error_setg(&err, "cannot use stdio with -daemonize");
            chr = NULL;
        } else {
            chr = qemu_chr_new(label, spec, &err);
        }
        if (!chr) {
            if (err) {
                error_report_err(err);
            }
            error_report("could not connect serial device to character "
                         "backend '%s'", spec);
            exit(1);
        }
        g_ptr_array_add(serial_hds, chr);
    }
    loc_set_none();
}

static void create_chardevs(CommandLine *cl)
{
    for (guint i = 0; i < cl->chardevs->len; i++) {
        DeferredOption *d = &g_array_index(cl->chardevs, DeferredOption, i);
        Error *err = NULL;

        loc_set_cmdline(cl->argv, d->argi, 2);
        if (is_daemonized() &&
            g_strcmp0(qemu_opt_get(d->opts, "backend"), "stdio") == 0) {
            error_report("cannot use stdio with -daemonize");
            exit(1);
        }
        if (!qemu_chr_new_from_opts(d->opts, &err)) {
            if (!err) {
                exit(0);    /* -chardev help was printed */
            }
            exit_with_error(err);
        }
    }
    loc_set_none();
}

static int set_device_property(void *opaque, const char *name,
                               const char *value, Error **errp)
{
    if (strcmp(name, "driver") == 0) {
        return 0;
    }
    return object_property_parse(opaque, name, value, errp) ? 0 : -1;
}

/*
 * Device models QEMU 7.2 has for microvm that later issues implement:
 * refused by name until then rather than called unknown.
 */
static bool is_later_device(const char *driver)
{
    static const char *const later[] = {
        "virtio-blk-device", "virtio-net-device", "virtio-serial-device",
        "virtconsole", "virtserialport", "virtio-rng-device",
        "virtio-balloon-device", "virtio-scsi-device", "virtio-9p-device",
        "vhost-user-fs-device", "vhost-vsock-device", "vhost-user-blk",
        "virtio-gpu-device", "virtio-input-host-device",
        "virtio-keyboard-device", "virtio-mouse-device",
    };

    for (size_t i = 0; i < ARRAY_SIZE(later); i++) {
        if (strcmp(driver, later[i]) == 0) {
            return true;
        }
    }
    /* PCI devices need the pcie=on machine (a later issue too) */
    return g_str_has_suffix(driver, "-pci");
}

/* -device DRIVER[,PROP=VALUE...][,id=ID], as QEMU's qdev_device_add(). */
static void create_device(DeferredOption *d)
{
    const char *driver = qemu_opt_get(d->opts, "driver");
    const char *id = qemu_opts_id(d->opts);
    ObjectClass *oc;
    DeviceClass *dc;
    Object *obj;
    Error *err = NULL;

    if (!driver) {
        error_report("Parameter 'driver' is missing");
        exit(1);
    }
    oc = object_class_by_name(driver);
    if (!oc && is_later_device(driver)) {
        error_report("device '%s' is not supported by microqemu yet", driver);
        exit(1);
    }
    if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE) ||
        object_class_is_abstract(oc)) {
        error_report("'%s' is not a valid device model name", driver);
        exit(1);
    }
    dc = DEVICE_CLASS(oc);
    if (!dc->user_creatable) {
        error_report("Parameter 'driver' expects a pluggable device type");
        exit(1);
    }
    if (dc->bus_type && !isa_bus_get()) {
        error_report("No '%s' bus found for device '%s'", dc->bus_type,
                     driver);
        exit(1);
    }
    obj = object_new(driver);
    if (qemu_opt_foreach(d->opts, set_device_property, obj, &err) ||
        (id && !object_add_with_id("devices", id, obj, &err)) ||
        !qdev_realize_and_unref(DEVICE(obj), &err)) {
        exit_with_error(err);
    }
}

static void create_devices(CommandLine *cl)
{
    for (guint i = 0; i < cl->devices->len; i++) {
        DeferredOption *d = &g_array_index(cl->devices, DeferredOption, i);

        loc_set_cmdline(cl->argv, d->argi, 2);
        create_device(d);
    }
    loc_set_none();
}

static MicrovmMachineState *current_machine;

static void reset_current_machine(void)
{
    microvm_machine_reset(current_machine);
}

int qemu_main(int argc, char **argv)
{
    CommandLine cl = {
        .argv = argv,
        .chardevs = g_array_new(FALSE, TRUE, sizeof(DeferredOption)),
        .devices = g_array_new(FALSE, TRUE, sizeof(DeferredOption)),
        .accels = g_array_new(FALSE, TRUE, sizeof(DeferredOption)),
        .serials = g_array_new(FALSE, TRUE, sizeof(DeferredOption)),
        .has_defaults = true,
        .irqchip = KVM_IRQCHIP_MODE_SPLIT,
    };
    QemuOpts *machine_opts;
    MicrovmMachineState *mms;
    Error *err = NULL;
    int status;

    error_set_progname(argv[0]);
    microqemu_register_types();
    parse_command_line(&cl, argc, argv);

    /* QEMU's qemu_process_early_options, help options, daemonize */
    configure_logging(&cl);
    if (cl.cpu_model && is_help_option(cl.cpu_model)) {
        x86_cpu_list();
        exit(0);
    }
    os_daemonize();
    if (cl.pid_file && !os_write_pidfile(cl.pid_file, &err)) {
        error_prepend(&err, "cannot create PID file: ");
        exit_with_error(err);
    }
    configure_rtc();

    machine_opts = qemu_opts_create(&qemu_machine_opts, NULL, false,
                                    NULL);
    mms = create_machine(&cl, machine_opts);
    configure_ram_size(&cl, mms);
    configure_smp(mms);
    if (mms->memory_backend && cl.mem_path) {
        error_report("'-mem-path' can't be used together with"
                     "'-machine memory-backend'");
        exit(1);
    }
    host_memory_backend_set_machine_defaults(mms->mem_merge,
                                             mms->dump_guest_core,
                                             mms->smp_cpus);
    if (cl.mem_prealloc) {
        host_memory_backend_set_mem_prealloc(0);
    }
    if (!object_option_foreach_add(object_create_early, &err)) {
        exit_with_error(err);
    }
    configure_boot(&cl);
    mms->info.has_uuid = cl.has_uuid;
    memcpy(mms->info.uuid, cl.uuid, sizeof(cl.uuid));
    if (mms->append && !mms->kernel) {
        error_report("-append only allowed with -kernel option");
        exit(1);
    }
    if (mms->initrd && !mms->kernel) {
        error_report("-initrd only allowed with -kernel option");
        exit(1);
    }
    configure_accelerator(&cl, machine_opts);
    configure_icount(&cl);
    if (cl.irqchip == KVM_IRQCHIP_MODE_OFF) {
        error_report("kernel-irqchip=off is not supported by microqemu: "
                     "the interrupt controllers are KVM's");
        exit(1);
    }
    mms->irqchip = cl.irqchip;
    /* without -cpu, microvm's default model (qemu64) is used */
    if (cl.cpu_model && !x86_cpu_parse_model(cl.cpu_model, &err)) {
        exit_with_error(err);
    }
    configure_name();

    /* Signals are taken over before any thread exists, so all inherit
     * the mask and the main loop alone handles them. */
    qemu_init_signals();
    create_chardevs(&cl);
    create_serial_chardevs(&cl);
    if (!object_option_foreach_add(object_create_late, &err)) {
        exit_with_error(err);
    }
    {
        QemuOpts *mopts = g_queue_peek_head(&qemu_mem_opts.head);
        bool given = mopts && qemu_opt_get_size(mopts, "size", 0);

        mms->ram_backend = host_memory_backend_machine_ram(
            mms->memory_backend, cl.mem_path, "microvm.ram", &mms->ram_size,
            given, &err);
        if (!mms->ram_backend) {
            exit_with_error(err);
        }
    }

    /* QEMU's realtime_init(), just before the board is built */
    if (cl.mem_lock && !os_mlock(&err)) {
        exit_with_error(err);
    }
    current_machine = mms;
    if (!microvm_machine_init(mms, &err)) {
        if (err) {
            exit_with_error(err);
        }
        qemu_chr_restore_terminal();
        exit(1);
    }
    boot_apply_fw_cfg(mms->fw_cfg);
    create_devices(&cl);
    if (!microvm_machine_done(mms, &err)) {
        exit_with_error(err);
    }

    qemu_register_machine_reset(reset_current_machine);
    bql_lock();
    microvm_machine_reset(mms);
    bql_unlock();
    if (!cpus_start(false, &err)) {
        exit_with_error(err);
    }
    /* with -D, a daemon keeps stderr (QEMU: the log may go there) */
    os_setup_post(qemu_log_enabled());

    status = qemu_main_loop();

    cpus_stop_all();
    qemu_chr_close_all();
    qemu_chr_restore_terminal();
    return status;
}
