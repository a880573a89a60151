/*
 * Machine configuration from the command line: -machine, -accel, -m,
 * -smp, -name, as QEMU 7.2's softmmu/vl.c (qemu_create_machine,
 * configure_accelerators, parse_memory_options) and hw/core/machine.c
 * (machine_parse_smp_config) do for microvm.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "qom/object.h"
#include "hw/i386/microvm.h"
#include "system/hostmem.h"
#include "system/kvm.h"
#include "system/system.h"
#include "vl-internal.h"

#include <sys/prctl.h>

static QemuOptsList qemu_machine_opts = {
    .name = "machine",
    .implied_opt_name = "type",
    .merge_lists = true,
    .keyval = true,
    .desc = { { 0 } },          /* checked against the machine's properties */
};

static QemuOptsList qemu_accel_opts = {
    .name = "accel",
    .implied_opt_name = "accel",
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
    .keyval = true,
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
void vl_configure_accelerator(CommandLine *cl, QemuOpts *machine_opts)
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

            loc_restore(&d->loc);
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

MicrovmMachineState *vl_create_machine(CommandLine *cl, QemuOpts *machine_opts)
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
        object_unref(OBJECT(mms));
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
void vl_configure_ram_size(CommandLine *cl, MicrovmMachineState *mms)
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
            /*
             * QEMU appends "M" and sets the machine's memory.size, whose
             * size parser fails (no location: the machine is being built)
             */
            if (size > UINT64_MAX / MiB) {
                loc_set_none();
                error_report("Parameter 'memory.size' expects size");
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
 * "smp.KEY" and carry no option location): SMPConfiguration's members are
 * 64-bit signed integers, which machine_parse_smp_config() then stores
 * in unsigned ints, so any int64 is accepted and 4294967297 means 1.
 */
static int64_t smp_get(QemuOpts *opts, const char *name)
{
    const char *str = qemu_opt_get(opts, name);
    int64_t v;

    if (!str) {
        return 0;
    }
    if (qemu_strtoi64(str, NULL, 0, &v) < 0) {
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

/*
 * The products are unsigned ints as in QEMU, wrapping modulo 2^32; where
 * one wraps to 0 QEMU divides by zero (SIGFPE), here the quotient is 0 and
 * the topology check below refuses it (docs/status.md).
 */
static unsigned smp_div(unsigned n, unsigned d)
{
    return d ? n / d : 0;
}

/* QEMU 7.2's machine_parse_smp_config() for microvm: no dies, no
 * clusters, cores preferred over sockets, at most 288 CPUs. */
void vl_configure_smp(MicrovmMachineState *mms)
{
    QemuOpts *opts = g_queue_peek_head(&qemu_smp_opts.head);
    unsigned cpus, sockets, dies, clusters, cores, threads, maxcpus;
    static const char *const keys[] = {
        "cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus",
    };
    unsigned *const vals[] = {
        &cpus, &sockets, &dies, &clusters, &cores, &threads, &maxcpus,
    };
    bool zero = false;
    Error *err = NULL;

    if (!opts) {
        return;
    }
    if (qemu_opt_foreach(opts, check_smp_key, NULL, &err)) {
        exit_with_error(err);
    }
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        int64_t v = smp_get(opts, keys[i]);

        /* QEMU warns on the 64-bit value, then truncates it */
        zero |= qemu_opt_has(opts, keys[i]) && v == 0;
        *vals[i] = v;
    }
    if (zero) {
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
            cores = smp_div(maxcpus, sockets * threads);
        } else if (sockets == 0) {
            threads = threads ? threads : 1;
            sockets = smp_div(maxcpus, cores * threads);
        }
        if (threads == 0) {
            threads = smp_div(maxcpus, sockets * cores);
        }
    }
    maxcpus = maxcpus ? maxcpus : sockets * cores * threads;
    cpus = cpus ? cpus : maxcpus;

    if (sockets * cores * threads != maxcpus) {
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
        error_report("Invalid SMP CPUs %d. The max CPUs supported by "
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

void vl_configure_name(void)
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

void vl_parse_machine(const char *arg)
{
    check_machine_keys(arg);
    parse_opts_or_exit(&qemu_machine_opts, arg, true);
}

/* -enable-kvm, -no-acpi: the same as the -machine keys they stand for */
void vl_machine_add(const char *keyval)
{
    parse_opts_or_exit(&qemu_machine_opts, keyval, false);
}

QemuOpts *vl_machine_opts(void)
{
    return qemu_opts_create(&qemu_machine_opts, NULL, false, NULL);
}

void vl_parse_accel(CommandLine *cl, const char *arg)
{
    QemuOpts *opts = parse_opts_or_exit(&qemu_accel_opts, arg, true);
    const char *name = qemu_opt_get(opts, "accel");

    /* QEMU: no name, or help, lists the accelerators */
    if (!name || !*name || strcmp(name, "help") == 0 ||
        strcmp(name, "?") == 0) {
        printf("Accelerators supported in QEMU binary:\nkvm\n");
        exit(0);
    }
    defer_option(cl->accels, arg, opts);
}

void vl_parse_memory(CommandLine *cl, const char *arg)
{
    parse_opts_or_exit(&qemu_mem_opts, arg, true);
}

void vl_parse_smp(const char *arg)
{
    parse_opts_or_exit(&qemu_smp_opts, arg, true);
}

void vl_parse_name(const char *arg)
{
    QemuOpts *opts = parse_opts_noisily_or_exit(&qemu_name_opts, arg, true);

    /* for -msg guest-name=on, given before or after */
    error_guest_name = qemu_opt_get(opts, "guest");
}

/* [name] of -readconfig: as -name, but QEMU 7.2 takes the guest name for
 * -msg guest-name=on from the command line only. */
void vl_parse_name_config(const char *arg)
{
    parse_opts_or_exit(&qemu_name_opts, arg, true);
}

/* The RAM backend: -m size, memory-backend= or -mem-path. */
void vl_create_machine_ram(CommandLine *cl, MicrovmMachineState *mms)
{
    QemuOpts *mopts = g_queue_peek_head(&qemu_mem_opts.head);
    bool given = mopts && qemu_opt_get_size(mopts, "size", 0);
    Error *err = NULL;

    mms->ram_backend = host_memory_backend_machine_ram(
        mms->memory_backend, cl->mem_path, "microvm.ram", &mms->ram_size,
        given, &err);
    if (!mms->ram_backend) {
        exit_with_error(err);
    }
}
