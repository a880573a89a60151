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
#include "system/cpus.h"
#include "system/kvm.h"
#include "system/qemu-options.h"
#include "system/runstate.h"
#include "system/system.h"

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
    .desc = {
        { .name = "cpus", .type = QEMU_OPT_NUMBER },
        { .name = "sockets", .type = QEMU_OPT_NUMBER },
        { .name = "dies", .type = QEMU_OPT_NUMBER },
        { .name = "clusters", .type = QEMU_OPT_NUMBER },
        { .name = "cores", .type = QEMU_OPT_NUMBER },
        { .name = "threads", .type = QEMU_OPT_NUMBER },
        { .name = "maxcpus", .type = QEMU_OPT_NUMBER },
        { 0 }
    },
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
    GPtrArray *serials;         /* -serial arguments, in order */
    int serial_argi[4];
    const char *cpu_model;
    const char *kernel, *initrd, *append, *bios;
    bool has_defaults;
    bool nographic;
    KVMIrqchipMode irqchip;
    bool irqchip_set;
    int smp_argi;
    int mem_argi;
} CommandLine;

/* Fatal command-line error: QEMU's error_report + exit(1). */
static void G_GNUC_NORETURN exit_with_error(Error *err)
{
    error_report_err(err);
    qemu_chr_restore_terminal();
    exit(1);
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

/* -display: only "none" (what -nographic and headless users ask for). */
static void parse_display(const char *arg)
{
    if (strcmp(arg, "none") == 0 || g_str_has_prefix(arg, "none,")) {
        return;
    }
    error_report("display '%s' is not supported by microqemu "
                 "(only 'none')", arg);
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
            parse_opts_or_exit(&qemu_machine_opts, arg, true);
            break;
        case QEMU_OPTION_enable_kvm:
            /* QEMU: the same as -machine accel=kvm */
            parse_opts_or_exit(&qemu_machine_opts, "accel=kvm", false);
            break;
        case QEMU_OPTION_accel: {
            QemuOpts *opts = parse_opts_or_exit(&qemu_accel_opts, arg, true);
            const char *name = qemu_opt_get(opts, "accel");

            if (name && strcmp(name, "help") == 0) {
                printf("Accelerators supported in QEMU binary:\nkvm\n");
                exit(0);
            }
            if (qemu_opt_get(opts, "kernel-irqchip")) {
                cl->irqchip = parse_kernel_irqchip(
                    qemu_opt_get(opts, "kernel-irqchip"));
                cl->irqchip_set = true;
            }
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
            cl->smp_argi = argi;
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
            if (cl->serials->len >= G_N_ELEMENTS(cl->serial_argi)) {
                error_report("too many serial ports");
                exit(1);
            }
            cl->serial_argi[cl->serials->len] = argi;
            g_ptr_array_add(cl->serials, (gpointer)arg);
            break;
        case QEMU_OPTION_chardev:
            defer_option(cl->chardevs, argv, argi,
                         parse_opts_or_exit(&qemu_chardev_opts, arg, true));
            break;
        case QEMU_OPTION_device:
            defer_option(cl->devices, argv, argi,
                         parse_opts_or_exit(&qemu_device_opts, arg, true));
            break;
        case QEMU_OPTION_no_reboot:
            reboot_action = REBOOT_ACTION_SHUTDOWN;
            break;
        case QEMU_OPTION_no_shutdown:
            shutdown_action = SHUTDOWN_ACTION_PAUSE;
            break;
        case QEMU_OPTION_name:
            parse_opts_or_exit(&qemu_name_opts, arg, true);
            break;
        default:
            refuse_option(opt);
        }
    }
    loc_set_none();
}

/*
 * QEMU's configure_accelerators(): -accel options, or else the machine's
 * accel= list (set by -enable-kvm too); KVM is the only accelerator and
 * the default, as in Debian's qemu-system-x86_64-microvm.
 */
static void configure_accelerator(CommandLine *cl, QemuOpts *machine_opts)
{
    const char *machine_accel = qemu_opt_get(machine_opts, "accel");
    QemuOpts *opts;
    bool found = false, failed = false;

    if (!g_queue_is_empty(&qemu_accel_opts.head)) {
        if (machine_accel) {
            error_report("The -accel and \"-machine accel=\" options are "
                         "incompatible");
            exit(1);
        }
        for (GList *l = qemu_accel_opts.head.head; l; l = l->next) {
            const char *name;

            opts = l->data;
            name = qemu_opt_get(opts, "accel");
            if (!name || strcmp(name, "kvm") != 0) {
                error_report("invalid accelerator %s", name ? name : "");
                failed = true;
                continue;
            }
            found = true;
            break;
        }
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
    if (qemu_opt_get(machine_opts, "kernel-irqchip")) {
        cl->irqchip = parse_kernel_irqchip(
            qemu_opt_get(machine_opts, "kernel-irqchip"));
        cl->irqchip_set = true;
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

static MicrovmMachineState *create_machine(CommandLine *cl,
                                           QemuOpts *machine_opts)
{
    const char *type = qemu_opt_get(machine_opts, "type");
    MicrovmMachineState *mms;
    Error *err = NULL;

    if (type && strcmp(type, "help") == 0) {
        printf("Supported machines are:\n");
        printf("%-20s %s (default)\n", "microvm", "microvm (i386)");
        printf("%-20s %s\n", "none", "empty machine");
        exit(0);
    }
    if (type && strcmp(type, "microvm") != 0) {
        error_report("unsupported machine type '%s': microqemu only "
                     "provides 'microvm'", type);
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

/* QEMU 7.2's parse_memory_options() and the machine's RAM size rules. */
static void configure_ram_size(CommandLine *cl, MicrovmMachineState *mms)
{
    QemuOpts *opts = g_queue_peek_head(&qemu_mem_opts.head);
    uint64_t size;

    if (!opts) {
        return;
    }
    loc_set_cmdline(cl->argv, cl->mem_argi, 2);
    if (qemu_opt_get(opts, "maxmem") || qemu_opt_get(opts, "slots")) {
        error_report("memory hotplug (maxmem=, slots=) is not supported "
                     "by microqemu");
        exit(1);
    }
    size = qemu_opt_get_size(opts, "size", 0);
    if (size) {
        const char *str = qemu_opt_get(opts, "size");

        /* the legacy suffix-less form counts in MiB */
        if (g_ascii_isdigit(str[strlen(str) - 1])) {
            if (size > UINT64_MAX / MiB) {
                error_report("Parameter 'size' expects a non-negative "
                             "number below 2^64");
                exit(1);
            }
            size *= MiB;
        }
        size = QEMU_ALIGN_UP(size, 8 * KiB);    /* QEMU's ram_size alignment */
        mms->ram_size = size;
    }
    loc_set_none();
}

static unsigned smp_get(QemuOpts *opts, const char *name)
{
    uint64_t v = qemu_opt_get_number(opts, name, 0);

    return v > UINT32_MAX ? UINT32_MAX : (unsigned)v;
}

/* QEMU 7.2's machine_parse_smp_config() for an x86 machine (dies
 * supported, clusters not, cores preferred over sockets). */
static void configure_smp(CommandLine *cl, MicrovmMachineState *mms)
{
    QemuOpts *opts = g_queue_peek_head(&qemu_smp_opts.head);
    unsigned cpus, sockets, dies, clusters, cores, threads, maxcpus;
    static const char *const keys[] = {
        "cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus",
    };

    if (!opts) {
        return;
    }
    cpus = smp_get(opts, "cpus");
    sockets = smp_get(opts, "sockets");
    dies = smp_get(opts, "dies");
    clusters = smp_get(opts, "clusters");
    cores = smp_get(opts, "cores");
    threads = smp_get(opts, "threads");
    maxcpus = smp_get(opts, "maxcpus");

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (qemu_opt_has(opts, keys[i]) &&
            qemu_opt_get_number(opts, keys[i], 1) == 0) {
            warn_report("Deprecated CPU topology (considered invalid): "
                        "CPU topology parameters must be greater than zero");
            break;
        }
    }
    if (clusters > 1) {
        error_report("clusters not supported by this machine's CPU "
                     "topology");
        exit(1);
    }
    dies = dies ? dies : 1;
    if (cpus == 0 && maxcpus == 0) {
        sockets = sockets ? sockets : 1;
        cores = cores ? cores : 1;
        threads = threads ? threads : 1;
    } else {
        maxcpus = maxcpus ? maxcpus : cpus;
        if (cores == 0) {
            sockets = sockets ? sockets : 1;
            threads = threads ? threads : 1;
            cores = maxcpus / (sockets * dies * threads);
        } else if (sockets == 0) {
            threads = threads ? threads : 1;
            sockets = maxcpus / (dies * cores * threads);
        }
        if (threads == 0) {
            threads = maxcpus / (sockets * dies * cores);
        }
    }
    maxcpus = maxcpus ? maxcpus : sockets * dies * cores * threads;
    cpus = cpus ? cpus : maxcpus;

    if ((uint64_t)sockets * dies * cores * threads != maxcpus) {
        error_report("Invalid CPU topology: product of the hierarchy must "
                     "match maxcpus: sockets (%u) * dies (%u) * cores (%u) "
                     "* threads (%u) != maxcpus (%u)",
                     sockets, dies, cores, threads, maxcpus);
        exit(1);
    }
    if (maxcpus < cpus) {
        error_report("Invalid CPU topology: maxcpus must be equal to or "
                     "greater than smp: sockets (%u) * dies (%u) * cores "
                     "(%u) * threads (%u) == maxcpus (%u) < smp_cpus (%u)",
                     sockets, dies, cores, threads, maxcpus, cpus);
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
    mms->dies = dies;
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

/*
 * Serial ports: -serial arguments in order, or QEMU's default (stdio with
 * -nographic, a virtual console otherwise: microqemu has no display, so a
 * null sink stands for it). "none" leaves the index empty.
 */
static void create_serial_chardevs(CommandLine *cl)
{
    if (cl->serials->len == 0 && cl->has_defaults) {
        Error *err = NULL;

        if (!qemu_chr_new("serial0", cl->nographic ? "stdio" : "null",
                          &err)) {
            exit_with_error(err);
        }
        return;
    }
    for (guint i = 0; i < cl->serials->len; i++) {
        const char *spec = g_ptr_array_index(cl->serials, i);
        g_autofree char *label = g_strdup_printf("serial%u", i);
        Error *err = NULL;

        if (strcmp(spec, "none") == 0) {
            continue;
        }
        loc_set_cmdline(cl->argv, cl->serial_argi[i], 2);
        if (!qemu_chr_new(label, spec, &err)) {
            if (err) {
                error_report_err(err);
            }
            error_report("could not connect serial device to character "
                         "backend '%s'", spec);
            exit(1);
        }
    }
    loc_set_none();
}

static void create_chardevs(CommandLine *cl)
{
    for (guint i = 0; i < cl->chardevs->len; i++) {
        DeferredOption *d = &g_array_index(cl->chardevs, DeferredOption, i);
        Error *err = NULL;

        loc_set_cmdline(cl->argv, d->argi, 2);
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
        !qdev_realize(DEVICE(obj), &err)) {
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
        .serials = g_ptr_array_new(),
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

    machine_opts = qemu_opts_create(&qemu_machine_opts, NULL, false,
                                    NULL);
    mms = create_machine(&cl, machine_opts);
    configure_ram_size(&cl, mms);
    configure_smp(&cl, mms);
    if (mms->append && !mms->kernel) {
        error_report("-append only allowed with -kernel option");
        exit(1);
    }
    if (mms->initrd && !mms->kernel) {
        error_report("-initrd only allowed with -kernel option");
        exit(1);
    }
    configure_accelerator(&cl, machine_opts);
    if (cl.irqchip == KVM_IRQCHIP_MODE_OFF) {
        error_report("kernel-irqchip=off is not supported by microqemu: "
                     "the interrupt controllers are KVM's");
        exit(1);
    }
    mms->irqchip = cl.irqchip;
    if (!x86_cpu_parse_model(cl.cpu_model ? cl.cpu_model : "host", &err)) {
        exit_with_error(err);
    }
    configure_name();

    /* Signals are taken over before any thread exists, so all inherit
     * the mask and the main loop alone handles them. */
    qemu_init_signals();
    create_chardevs(&cl);
    create_serial_chardevs(&cl);

    current_machine = mms;
    if (!microvm_machine_init(mms, &err)) {
        if (err) {
            exit_with_error(err);
        }
        qemu_chr_restore_terminal();
        exit(1);
    }
    create_devices(&cl);
    microvm_machine_done(mms);

    qemu_register_machine_reset(reset_current_machine);
    bql_lock();
    microvm_machine_reset(mms);
    bql_unlock();
    if (!cpus_start(false, &err)) {
        exit_with_error(err);
    }

    status = qemu_main_loop();

    cpus_stop_all();
    qemu_chr_close_all();
    qemu_chr_restore_terminal();
    return status;
}
