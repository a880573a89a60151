/*
 * What the guest is connected to, from the command line: -device (help,
 * and creation through qdev_device_add), -chardev, -serial (QEMU's
 * serial_hds[]) and -display, as QEMU 7.2's softmmu/vl.c does them.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "qom/object.h"
#include "chardev/char.h"
#include "hw/core/qdev.h"
#include "system/qdev-monitor.h"
#include "system/os-posix.h"
#include "system/system.h"
#include "vl-internal.h"

static QemuOptsList qemu_device_opts = {
    .name = "device",
    .implied_opt_name = "driver",
    .desc = { { 0 } },
};

/*
 * -display: only "none" (what -nographic and headless users ask for);
 * QEMU 7.2's other display types are refused by name.
 */
void vl_parse_display(const char *arg)
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
void vl_create_serial_chardevs(CommandLine *cl)
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
        loc_restore(&d->loc);
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

void vl_create_chardevs(CommandLine *cl)
{
    for (guint i = 0; i < cl->chardevs->len; i++) {
        DeferredOption *d = &g_array_index(cl->chardevs, DeferredOption, i);
        Error *err = NULL;

        loc_restore(&d->loc);
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

/* -device DRIVER[,PROP=VALUE...][,bus=BUS][,id=ID] */
static void create_device(DeferredOption *d)
{
    Error *err = NULL;

    if (!qdev_device_add(d->opts, &err)) {
        exit_with_error(err);
    }
}

void vl_create_devices(CommandLine *cl)
{
    for (guint i = 0; i < cl->devices->len; i++) {
        DeferredOption *d = &g_array_index(cl->devices, DeferredOption, i);

        loc_restore(&d->loc);
        create_device(d);
    }
    loc_set_none();
}

void vl_parse_device(CommandLine *cl, const char *arg)
{
    QemuOpts *opts = parse_opts_or_exit(&qemu_device_opts, arg, true);

    device_help(opts);
    defer_option(cl->devices, arg, opts);
}

void vl_parse_chardev(CommandLine *cl, const char *arg)
{
    defer_option(cl->chardevs, arg,
                 parse_opts_or_exit(&qemu_chardev_opts, arg, true));
}

void vl_parse_serial(CommandLine *cl, const char *arg)
{
    defer_option(cl->serials, arg, NULL);
}
