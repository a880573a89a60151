/*
 * The option table, -h and -version text of qemu-system-x86_64.
 * Source of truth: QEMU 7.2 qemu-options.hx (names, flags, help headings and
 * synopsis lines), softmmu/vl.c lookup_opt(), help() and version().
 */
#include "qemu/osdep.h"
#include "system/qemu-options.h"

/* QEMU 7.2 vl.c's qemu_options[]: "-h" first, then the DEF entries. */
const QEMUOption qemu_options[] = {
    { .name = "h", .flags = 0, .index = QEMU_OPTION_h },
#define DEF(option, opt_flags, enum_name) \
    { .name = option, .flags = opt_flags, .index = enum_name },
#include "system/qemu-options.def"
#undef DEF
    { .name = NULL },
};

/*
 * What microqemu implements today. Every other option is still recognised
 * (so that its argument is consumed and its error matches QEMU's), and
 * -h marks it. Edit this list as options land; docs/options.md follows it.
 */
static const int qemu_options_supported[] = {
    QEMU_OPTION_h,
    QEMU_OPTION_version,
    QEMU_OPTION_machine,
    QEMU_OPTION_M,
    QEMU_OPTION_cpu,
    QEMU_OPTION_accel,
    QEMU_OPTION_smp,
    QEMU_OPTION_m,
    QEMU_OPTION_device,
    QEMU_OPTION_name,
    QEMU_OPTION_display,
    QEMU_OPTION_nographic,
    QEMU_OPTION_chardev,
    QEMU_OPTION_bios,
    QEMU_OPTION_kernel,
    QEMU_OPTION_append,
    QEMU_OPTION_initrd,
    QEMU_OPTION_serial,
    QEMU_OPTION_L,
    QEMU_OPTION_enable_kvm,
    QEMU_OPTION_no_reboot,
    QEMU_OPTION_no_shutdown,
    QEMU_OPTION_nodefaults,
    QEMU_OPTION_nouserconfig,
    QEMU_OPTION_readconfig,
    QEMU_OPTION_global,
    QEMU_OPTION_uuid,
    QEMU_OPTION_boot,
    QEMU_OPTION_pidfile,
    QEMU_OPTION_daemonize,
    QEMU_OPTION_rtc,
    QEMU_OPTION_msg,
    QEMU_OPTION_overcommit,
    QEMU_OPTION_d,
    QEMU_OPTION_D,
    QEMU_OPTION_trace,
    QEMU_OPTION_action,
    QEMU_OPTION_watchdog_action,
    QEMU_OPTION_runas,
    QEMU_OPTION_chroot,
    QEMU_OPTION_dtb,
    QEMU_OPTION_no_acpi,
};

/*
 * -h: QEMU's headings and, per option, the first line of its help; an
 * index of -1 is a heading. Options QEMU documents under another one
 * (-M, -fdb, -hdb, -hdd) or not at all (-qtest, -qtest-log) are absent,
 * as in QEMU's own -h.
 */
typedef struct QEMUOptionHelp {
    int index;
    const char *text;
} QEMUOptionHelp;

static const QEMUOptionHelp qemu_options_help[] = {
    { -1, "Standard options:" },
    { QEMU_OPTION_h, "-h or -help     display this help and exit" },
    { QEMU_OPTION_version,
      "-version        display version information and exit" },
    { QEMU_OPTION_machine, "-machine [type=]name[,prop[=value][,...]]" },
    { QEMU_OPTION_cpu, "-cpu cpu        select CPU ('-cpu help' for list)" },
    { QEMU_OPTION_accel, "-accel [accel=]accelerator[,prop[=value][,...]]" },
    { QEMU_OPTION_smp,
      "-smp [[cpus=]n][,maxcpus=maxcpus][,sockets=sockets][,dies=dies]["
      ",clusters=clusters][,cores=cores][,threads=threads]" },
    { QEMU_OPTION_numa,
      "-numa node[,mem=size][,cpus=firstcpu[-lastcpu]][,nodeid=node]["
      ",initiator=node]" },
    { QEMU_OPTION_add_fd, "-add-fd fd=fd,set=set[,opaque=opaque]" },
    { QEMU_OPTION_set, "-set group.id.arg=value" },
    { QEMU_OPTION_global, "-global driver.property=value" },
    { QEMU_OPTION_boot, "-boot [order=drives][,once=drives][,menu=on|off]" },
    { QEMU_OPTION_m, "-m [size=]megs[,slots=n,maxmem=size]" },
    { QEMU_OPTION_mempath,
      "-mem-path FILE  provide backing storage for guest RAM" },
    { QEMU_OPTION_mem_prealloc,
      "-mem-prealloc   preallocate guest memory (use with -mem-path)" },
    { QEMU_OPTION_k,
      "-k language     use keyboard layout (for example 'fr' for French)" },
    { QEMU_OPTION_audio_help,
      "-audio-help     show -audiodev equivalent of the currently"
      " specified audio settings" },
    { QEMU_OPTION_audio,
      "-audio [driver=]driver,model=value[,prop[=value][,...]]" },
    { QEMU_OPTION_audiodev,
      "-audiodev [driver=]driver,id=id[,prop[=value][,...]]" },
    { QEMU_OPTION_device, "-device driver[,prop[=value][,...]]" },
    { QEMU_OPTION_name,
      "-name string1[,process=string2][,debug-threads=on|off]" },
    { QEMU_OPTION_uuid, "-uuid %08x-%04x-%04x-%04x-%012x" },
    { -1, "Block device options:" },
    { QEMU_OPTION_fda, "-fda/-fdb file  use 'file' as floppy disk 0/1 image" },
    { QEMU_OPTION_hda, "-hda/-hdb file  use 'file' as hard disk 0/1 image" },
    { QEMU_OPTION_hdc, "-hdc/-hdd file  use 'file' as hard disk 2/3 image" },
    { QEMU_OPTION_cdrom, "-cdrom file     use 'file' as CD-ROM image" },
    { QEMU_OPTION_blockdev,
      "-blockdev [driver=]driver[,node-name=N][,discard=ignore|unmap]" },
    { QEMU_OPTION_drive,
      "-drive [file=file][,if=type][,bus=n][,unit=m][,media=d][,index=i]" },
    { QEMU_OPTION_mtdblock,
      "-mtdblock file  use 'file' as on-board Flash memory image" },
    { QEMU_OPTION_sd,
      "-sd file        use 'file' as SecureDigital card image" },
    { QEMU_OPTION_snapshot,
      "-snapshot       write to temporary files instead of disk image files" },
    { QEMU_OPTION_fsdev,
      "-fsdev local,id=id,path=path"
      ",security_model=mapped-xattr|mapped-file|passthrough|none" },
    { QEMU_OPTION_virtfs,
      "-virtfs local,path=path,mount_tag=tag"
      ",security_model=mapped-xattr|mapped-file|passthrough|none" },
    { QEMU_OPTION_iscsi, "-iscsi [user=user][,password=password]" },
    { -1, "USB convenience options:" },
    { QEMU_OPTION_usb,
      "-usb            enable on-board USB host controller (if not enabled"
      " by default)" },
    { QEMU_OPTION_usbdevice,
      "-usbdevice name add the host or guest USB device 'name'" },
    { -1, "Display options:" },
    { QEMU_OPTION_display, "-display none|curses|...[,prop[=value][,...]]" },
    { QEMU_OPTION_nographic,
      "-nographic      disable graphical output and redirect serial I/Os"
      " to console" },
    { QEMU_OPTION_spice,
      "-spice [port=port][,tls-port=secured-port][,x509-dir=<dir>]" },
    { QEMU_OPTION_portrait,
      "-portrait       rotate graphical output 90 deg left (only PXA LCD)" },
    { QEMU_OPTION_rotate,
      "-rotate <deg>   rotate graphical output some deg left (only PXA LCD)" },
    { QEMU_OPTION_vga,
      "-vga [std|cirrus|vmware|qxl|xenfb|tcx|cg3|virtio|none]" },
    { QEMU_OPTION_full_screen, "-full-screen    start in full screen" },
    { QEMU_OPTION_vnc, "-vnc <display>  shorthand for -display vnc=<display>" },
    { -1, "i386 target only:" },
    { QEMU_OPTION_win2k_hack,
      "-win2k-hack     use it when installing Windows 2000 to avoid a disk"
      " full bug" },
    { QEMU_OPTION_no_fd_bootchk,
      "-no-fd-bootchk  disable boot signature checking for floppy disks" },
    { QEMU_OPTION_no_acpi, "-no-acpi        disable ACPI" },
    { QEMU_OPTION_no_hpet, "-no-hpet        disable HPET" },
    { QEMU_OPTION_acpitable,
      "-acpitable [sig=str][,rev=n][,...][,{data|file}=file1[:file2]...]" },
    { QEMU_OPTION_smbios, "-smbios file=binary" },
    { -1, "Network options:" },
    { QEMU_OPTION_netdev, "-netdev type,id=str[,prop[=value][,...]]" },
    { QEMU_OPTION_nic,
      "-nic [tap|bridge|user|l2tpv3|vde|vhost-user|socket][,option][,...]"
      "[mac=macaddr]" },
    { QEMU_OPTION_net,
      "-net nic[,macaddr=mac][,model=type][,name=str][,addr=str][,vectors=v]" },
    { -1, "Character device options:" },
    { QEMU_OPTION_chardev, "-chardev backend,id=id[,prop[=value][,...]]" },
    { -1, "TPM device options:" },
    { QEMU_OPTION_tpmdev,
      "-tpmdev passthrough,id=id[,path=path][,cancel-path=path]" },
    { -1, "Boot Image or Kernel specific:" },
    { QEMU_OPTION_bios, "-bios file      set the filename for the BIOS" },
    { QEMU_OPTION_pflash,
      "-pflash file    use 'file' as a parallel flash image" },
    { QEMU_OPTION_kernel, "-kernel bzImage use 'bzImage' as kernel image" },
    { QEMU_OPTION_append,
      "-append cmdline use 'cmdline' as kernel command line" },
    { QEMU_OPTION_initrd, "-initrd file    use 'file' as initial ram disk" },
    { QEMU_OPTION_dtb, "-dtb    file    use 'file' as device tree image" },
    { -1, "Debug/Expert options:" },
    { QEMU_OPTION_compat,
      "-compat [deprecated-input=accept|reject|crash]["
      ",deprecated-output=accept|hide]" },
    { QEMU_OPTION_fwcfg, "-fw_cfg [name=]<name>,file=<file>" },
    { QEMU_OPTION_serial,
      "-serial dev     redirect the serial port to char device 'dev'" },
    { QEMU_OPTION_parallel,
      "-parallel dev   redirect the parallel port to char device 'dev'" },
    { QEMU_OPTION_monitor,
      "-monitor dev    redirect the monitor to char device 'dev'" },
    { QEMU_OPTION_qmp,
      "-qmp dev        like -monitor but opens in 'control' mode" },
    { QEMU_OPTION_qmp_pretty,
      "-qmp-pretty dev like -qmp but uses pretty JSON formatting" },
    { QEMU_OPTION_mon,
      "-mon [chardev=]name[,mode=readline|control][,pretty[=on|off]]" },
    { QEMU_OPTION_debugcon,
      "-debugcon dev   redirect the debug console to char device 'dev'" },
    { QEMU_OPTION_pidfile, "-pidfile file   write PID to 'file'" },
    { QEMU_OPTION_singlestep, "-singlestep     always run in singlestep mode" },
    { QEMU_OPTION_preconfig,
      "--preconfig     pause QEMU before machine is initialized"
      " (experimental)" },
    { QEMU_OPTION_S,
      "-S              freeze CPU at startup (use 'c' to start execution)" },
    { QEMU_OPTION_overcommit, "-overcommit [mem-lock=on|off][cpu-pm=on|off]" },
    { QEMU_OPTION_gdb, "-gdb dev        accept gdb connection on 'dev'" },
    { QEMU_OPTION_s, "-s              shorthand for -gdb tcp::1234" },
    { QEMU_OPTION_d,
      "-d item1,...    enable logging of specified items (use '-d help'"
      " for a list of log items)" },
    { QEMU_OPTION_D, "-D logfile      output log to logfile (default stderr)" },
    { QEMU_OPTION_DFILTER,
      "-dfilter range,..  filter debug output to range of addresses"
      " (useful for -d cpu,exec,etc..)" },
    { QEMU_OPTION_seed,
      "-seed number       seed the pseudo-random number generator" },
    { QEMU_OPTION_L,
      "-L path         set the directory for the BIOS, VGA BIOS and keymaps" },
    { QEMU_OPTION_enable_kvm,
      "-enable-kvm     enable KVM full virtualization support" },
    { QEMU_OPTION_xen_domid, "-xen-domid id   specify xen guest domain id" },
    { QEMU_OPTION_xen_attach, "-xen-attach     attach to existing xen domain" },
    { QEMU_OPTION_xen_domid_restrict,
      "-xen-domid-restrict     restrict set of available xen operations" },
    { QEMU_OPTION_no_reboot, "-no-reboot      exit instead of rebooting" },
    { QEMU_OPTION_no_shutdown, "-no-shutdown    stop before shutdown" },
    { QEMU_OPTION_action, "-action reboot=reset|shutdown" },
    { QEMU_OPTION_loadvm, "-loadvm [tag|id]" },
    { QEMU_OPTION_daemonize,
      "-daemonize      daemonize QEMU after initializing" },
    { QEMU_OPTION_option_rom,
      "-option-rom rom load a file, rom, into the option ROM space" },
    { QEMU_OPTION_rtc,
      "-rtc [base=utc|localtime|<datetime>][,clock=host|rt|vm]["
      ",driftfix=none|slew]" },
    { QEMU_OPTION_icount,
      "-icount [shift=N|auto][,align=on|off][,sleep=on|off]["
      ",rr=record|replay,rrfile=<filename>[,rrsnapshot=<snapshot>]]" },
    { QEMU_OPTION_watchdog_action,
      "-watchdog-action reset|shutdown|poweroff|inject-nmi|pause|debug|none" },
    { QEMU_OPTION_echr,
      "-echr chr       set terminal escape character instead of ctrl-a" },
    { QEMU_OPTION_incoming,
      "-incoming tcp:[host]:port[,to=maxport][,ipv4=on|off][,ipv6=on|off]" },
    { QEMU_OPTION_only_migratable,
      "-only-migratable     allow only migratable devices" },
    { QEMU_OPTION_nodefaults, "-nodefaults     don't create default devices" },
    { QEMU_OPTION_chroot,
      "-chroot dir     chroot to dir just before starting the VM" },
    { QEMU_OPTION_runas,
      "-runas user     change to user id user just before starting the VM" },
    { QEMU_OPTION_sandbox,
      "-sandbox on[,obsolete=allow|deny]["
      ",elevateprivileges=allow|deny|children]" },
    { QEMU_OPTION_readconfig, "-readconfig <file>" },
    { QEMU_OPTION_nouserconfig, "-no-user-config" },
    { QEMU_OPTION_trace,
      "-trace [[enable=]<pattern>][,events=<file>][,file=<file>]" },
    { QEMU_OPTION_plugin, "-plugin [file=]<file>[,<argname>=<argvalue>]" },
    { QEMU_OPTION_asyncteardown,
      "-async-teardown enable asynchronous teardown" },
    { QEMU_OPTION_msg, "-msg [timestamp[=on|off]][,guest-name=[on|off]]" },
    { QEMU_OPTION_dump_vmstate, "-dump-vmstate <file>" },
    { QEMU_OPTION_enable_sync_profile, "-enable-sync-profile" },
    { -1, "Generic object creation:" },
    { QEMU_OPTION_object, "-object TYPENAME[,PROP1=VALUE1,...]" },
};

const QEMUOption *qemu_option_lookup(const char *name)
{
    const QEMUOption *opt;

    /* QEMU strips one '-', then a second one if present: "--m" is "-m". */
    if (name[0] == '-') {
        name++;
        if (name[0] == '-') {
            name++;
        }
    }
    for (opt = qemu_options; opt->name; opt++) {
        if (strcmp(opt->name, name) == 0) {
            return opt;
        }
    }
    return NULL;
}

bool qemu_option_is_supported(int index)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(qemu_options_supported); i++) {
        if (qemu_options_supported[i] == index) {
            return true;
        }
    }
    return false;
}

void qemu_print_version(void)
{
    /*
     * Scripts and libvirt parse "QEMU emulator version X.Y.Z"; the part in
     * parentheses is where QEMU puts its package version.
     */
    printf("QEMU emulator version " QEMU_VERSION
           " (microqemu " MICROQEMU_VERSION ")\n"
           "Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project"
           " developers\n");
}

void qemu_print_help(void)
{
    const char *prog = g_get_prgname();
    size_t i;

    qemu_print_version();
    printf("usage: %s [options] [disk_image]\n\n"
           "'disk_image' is a raw hard disk image for IDE hard disk 0\n\n"
           "microqemu runs the microvm machine on KVM only. Options marked"
           " \"not supported\"\n"
           "below are recognised but not implemented.\n",
           prog ? prog : "qemu-system-x86_64");
    for (i = 0; i < ARRAY_SIZE(qemu_options_help); i++) {
        const QEMUOptionHelp *h = &qemu_options_help[i];

        if (h->index < 0) {
            printf("\n%s\n", h->text);
            continue;
        }
        printf("%s\n", h->text);
        if (!qemu_option_is_supported(h->index)) {
            printf("                (not supported by microqemu)\n");
        }
    }
    printf("\nWhen using -nographic, press 'ctrl-a h' to get some help.\n\n"
           "More information on the QEMU project at <https://qemu.org>.\n");
}
