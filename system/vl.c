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
 *
 * This file is the option walk and that order; what each option
 * configures is in vl-machine.c, vl-devices.c, vl-boot.c and
 * vl-runtime.c (interface: vl-internal.h).
 */
#include "qemu/osdep.h"
#include "block/block.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "qom/object.h"
#include "chardev/char.h"
#include "hw/i386/microvm.h"
#include "system/cpus.h"
#include "system/kvm.h"
#include "system/main-loop.h"
#include "system/os-posix.h"
#include "system/qemu-options.h"
#include "system/runstate.h"
#include "system/system.h"
#include "system/hostmem.h"
#include "system/object-add.h"
#include "target/i386/cpu-help.h"
#include "vl-internal.h"

/* Fatal command-line error: QEMU's error_report + exit(1). */
void G_GNUC_NORETURN exit_with_error(Error *err)
{
    error_report_err(err);
    qemu_chr_restore_terminal();
    exit(1);
}

/* QEMU's is_help_option() */
bool is_help_option(const char *s)
{
    return strcmp(s, "help") == 0 || strcmp(s, "?") == 0;
}

QemuOpts *parse_opts_or_exit(QemuOptsList *list, const char *arg,
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
QemuOpts *parse_opts_noisily_or_exit(QemuOptsList *list, const char *arg,
                                     bool permit_abbrev)
{
    QemuOpts *opts = qemu_opts_parse_noisily(list, arg, permit_abbrev);

    if (!opts) {
        exit(1);
    }
    return opts;
}

void defer_option(GArray *list, const char *arg, QemuOpts *opts)
{
    DeferredOption d = { .arg = arg, .opts = opts };

    loc_save(&d.loc);
    g_array_append_val(list, d);
}

static void refuse_option(const QEMUOption *opt)
{
    error_report("option '-%s' is not supported by microqemu", opt->name);
    exit(1);
}

/*
 * QEMU's lookup_opt(): the option at argv[*optind] and its argument;
 * "invalid option" and "requires an argument" end the run.
 */
static const QEMUOption *lookup_option(int argc, char **argv, int *optind,
                                       const char **arg)
{
    const QEMUOption *opt;
    int argi = *optind;

    loc_set_cmdline(argv, argi, 1);
    opt = qemu_option_lookup(argv[argi]);
    if (!opt) {
        error_report("invalid option");
        exit(1);
    }
    *optind = argi + 1;
    *arg = NULL;
    if (opt->flags & HAS_ARG) {
        if (*optind >= argc) {
            error_report("requires an argument");
            exit(1);
        }
        *arg = argv[(*optind)++];
        loc_set_cmdline(argv, argi, 2);
    }
    return opt;
}

/*
 * Two passes over argv, as QEMU 7.2's qemu_init(): the first only looks
 * every option up, so a bad name or a missing argument anywhere fails
 * the run before an earlier -h or -version acts; the second parses each
 * option in order. Nothing is created yet.
 */
static void parse_command_line(CommandLine *cl, int argc, char **argv)
{
    int optind = 1;

    while (optind < argc) {
        const char *arg;

        if (argv[optind][0] != '-') {
            optind++;           /* a disk image: refused in order below */
        } else {
            lookup_option(argc, argv, &optind, &arg);
        }
    }

    optind = 1;
    while (optind < argc) {
        const QEMUOption *opt;
        const char *arg;

        if (argv[optind][0] != '-') {
            /* QEMU's implied -hda: no disk images here */
            loc_set_cmdline(argv, optind, 1);
            error_report("disk images given without an option (-hda) are "
                         "not supported by microqemu");
            exit(1);
        }
        opt = lookup_option(argc, argv, &optind, &arg);
        if (opt->flags & QEMU_OPTION_NOT_X86) {
            error_report("Option not supported for this target");
            exit(1);
        }
        vl_apply_option(cl, opt, arg);
    }
    loc_set_none();
}

/*
 * What one option does at parse time, with the current location set to
 * where it was given (the command line, or a -readconfig group).
 */
void vl_apply_option(CommandLine *cl, const QEMUOption *opt, const char *arg)
{
    switch (opt->index) {
    case QEMU_OPTION_h:
        qemu_print_help();
        exit(0);
    case QEMU_OPTION_version:
        qemu_print_version();
        exit(0);
    case QEMU_OPTION_M:
    case QEMU_OPTION_machine:
        vl_parse_machine(arg);
        break;
    case QEMU_OPTION_enable_kvm:
        /* QEMU: the same as -machine accel=kvm */
        vl_machine_add("accel=kvm");
        break;
    case QEMU_OPTION_accel:
        vl_parse_accel(cl, arg);
        break;
    case QEMU_OPTION_cpu:
        cl->cpu_model = arg;
        break;
    case QEMU_OPTION_m:
        vl_parse_memory(cl, arg);
        break;
    case QEMU_OPTION_smp:
        vl_parse_smp(arg);
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
    case QEMU_OPTION_readconfig:
        vl_read_config_file(cl, arg);
        break;
    case QEMU_OPTION_nouserconfig:
        /* microqemu reads no configuration files anyway */
        break;
    case QEMU_OPTION_nographic:
        cl->nographic = true;
        break;
    case QEMU_OPTION_display:
        vl_parse_display(arg);
        break;
    case QEMU_OPTION_serial:
        vl_parse_serial(cl, arg);
        break;
    case QEMU_OPTION_chardev:
        vl_parse_chardev(cl, arg);
        break;
    case QEMU_OPTION_device:
        vl_parse_device(cl, arg);
        break;
    case QEMU_OPTION_no_reboot:
        vl_parse_action("reboot=shutdown");
        break;
    case QEMU_OPTION_no_shutdown:
        vl_parse_action("shutdown=pause");
        break;
    case QEMU_OPTION_action:
        vl_parse_action(arg);
        break;
    case QEMU_OPTION_watchdog_action:
        vl_parse_watchdog_action(arg);
        break;
    case QEMU_OPTION_drive:
        vl_parse_drive(arg);
        break;
    case QEMU_OPTION_blockdev:
        vl_parse_blockdev(arg);
        break;
    case QEMU_OPTION_netdev:
        vl_parse_net(NET_OPTION_NETDEV, arg);
        break;
    case QEMU_OPTION_nic:
        vl_parse_net(NET_OPTION_NIC, arg);
        break;
    case QEMU_OPTION_net:
        vl_parse_net(NET_OPTION_NET, arg);
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
    case QEMU_OPTION_name:
        vl_parse_name(arg);
        break;
    case QEMU_OPTION_global:
        if (qemu_global_option(arg) != 0) {
            exit(1);
        }
        break;
    case QEMU_OPTION_uuid:
        vl_parse_uuid(cl, arg);
        break;
    case QEMU_OPTION_boot:
        vl_parse_boot(cl, arg);
        break;
    case QEMU_OPTION_rtc:
        vl_parse_rtc(arg);
        break;
    case QEMU_OPTION_msg:
        vl_parse_msg(arg);
        break;
    case QEMU_OPTION_overcommit:
        vl_parse_overcommit(cl, arg);
        break;
    case QEMU_OPTION_sandbox:
        vl_parse_sandbox(arg);
        break;
    case QEMU_OPTION_trace:
        vl_parse_trace(arg);
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
        cl->autostart = false;
        break;
    case QEMU_OPTION_icount:
        vl_parse_icount(cl, arg);
        break;
    case QEMU_OPTION_dtb:
        /* QEMU 7.2's microvm ignores the machine's dtb property */
        break;
    case QEMU_OPTION_no_acpi:
        vl_machine_add("acpi=off");
        break;
    default:
        refuse_option(opt);
    }
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
        .autostart = true,
        .irqchip = KVM_IRQCHIP_MODE_SPLIT,
    };
    QemuOpts *machine_opts;
    MicrovmMachineState *mms;
    Error *err = NULL;
    int status;

    error_set_progname(argv[0]);
    error_init_glib_log();
    microqemu_register_types();
    parse_command_line(&cl, argc, argv);
    /*
     * -S: the machine is built, the vCPUs wait in prelaunch and the main
     * loop serves until the monitor's 'cont' calls vm_start(). All of that
     * is here but the monitor, hence the refusal.
     */
    if (!cl.autostart) {
        error_report("-S: the VM would wait for the monitor's 'cont' "
                     "command, and the monitor is not supported by "
                     "microqemu yet");
        exit(1);
    }

    /* QEMU's qemu_process_early_options, help options, daemonize */
    vl_configure_logging(&cl);
    if (cl.cpu_model && is_help_option(cl.cpu_model)) {
        x86_cpu_list();
        exit(0);
    }
    os_daemonize();
    if (cl.pid_file && !os_write_pidfile(cl.pid_file, &err)) {
        error_prepend(&err, "cannot create PID file: ");
        exit_with_error(err);
    }
    vl_configure_rtc();

    machine_opts = vl_machine_opts();
    mms = vl_create_machine(&cl, machine_opts);
    vl_configure_ram_size(&cl, mms);
    vl_configure_smp(mms);
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
    vl_configure_boot(&cl);
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
    vl_configure_accelerator(&cl, machine_opts);
    vl_configure_icount(&cl);
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
    vl_configure_name();

    /* Signals are taken over before any thread exists, so all inherit
     * the mask and the main loop alone handles them. */
    qemu_init_signals();
    /*
     * From here the main thread holds the BQL, as QEMU's qemu_init():
     * the main loop lets it go only while it polls.
     */
    qemu_init_main_loop();
    bql_lock();
    vl_create_chardevs(&cl);
    /* QEMU's qemu_create_early_backends(): block backends after chardevs */
    vl_configure_blockdev();
    vl_create_serial_chardevs(&cl);
    /* QEMU's qemu_create_late_backends(): the network, then objects */
    vl_create_net_clients(&cl);
    if (!object_option_foreach_add(object_create_late, &err)) {
        exit_with_error(err);
    }
    vl_create_machine_ram(&cl, mms);

    /* QEMU's realtime_init(), just before the board is built */
    if (cl.mem_lock && !os_mlock(&err)) {
        exit_with_error(err);
    }
    current_machine = mms;
    if (!microvm_machine_init(mms, &err)) {
        exit_with_error(err);
    }
    vl_check_orphan_drives();
    vl_boot_apply_fw_cfg(mms->fw_cfg);
    vl_create_devices(&cl);
    vl_create_drive_devices();
    /* QEMU's qemu_machine_creation_done() */
    vl_check_net_clients();
    if (!microvm_machine_done(mms, &err)) {
        exit_with_error(err);
    }

    qemu_register_machine_reset(reset_current_machine);
    microvm_machine_reset(mms);
    /* the vCPU threads exist and wait; QEMU's vm_start() unless -S */
    if (!cpus_start(true, &err)) {
        exit_with_error(err);
    }
    if (cl.autostart) {
        vm_start();
    }
    /* with -D, a daemon keeps stderr (QEMU: the log may go there) */
    os_setup_post(qemu_log_enabled());

    status = qemu_main_loop();

    cpus_stop_all();
    /* QEMU's qemu_cleanup(): the VM stops (data planes drain), requests
     * drained, images flushed, unlocked */
    vm_shutdown();
    bdrv_close_all();
    /* backends close (tap runs its downscript) before the chardevs */
    net_cleanup();
    qemu_chr_close_all();
    qemu_chr_restore_terminal();
    bql_unlock();
    return status;
}
