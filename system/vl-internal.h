/*
 * The command line's private interface: what the option walk (vl.c)
 * records for later, and the functions each vl-*.c file gives it. As
 * QEMU 7.2's softmmu/vl.c, split by what the options configure.
 */
#ifndef SYSTEM_VL_INTERNAL_H
#define SYSTEM_VL_INTERNAL_H

#include "qemu/option.h"
#include "hw/i386/microvm.h"
#include "hw/nvram/fw_cfg.h"
#include "system/kvm.h"
#include "net/net-opts.h"
#include "system/qemu-options.h"

/* An option whose processing waits until objects are created, with the
 * location its errors are reported at (QEMU's qemu_opts_loc_restore): its
 * place on the command line or in a -readconfig file. */
typedef struct DeferredOption {
    Location loc;
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
    bool autostart;             /* false with -S */
    bool nographic;
    const char *mem_path;
    bool mem_prealloc;
    KVMIrqchipMode irqchip;
    const char *pid_file;
    const char *log_mask, *log_file;
    QemuOpts *boot_opts;        /* the last -boot: keyval replaces */
    bool has_uuid;
    uint8_t uuid[16];
    bool mem_lock;
    Location icount_loc;        /* of the last -icount */
} CommandLine;

/* vl.c: helpers for every option parser */
void G_GNUC_NORETURN exit_with_error(Error *err);
bool is_help_option(const char *s);
QemuOpts *parse_opts_or_exit(QemuOptsList *list, const char *arg,
                             bool permit_abbrev);
QemuOpts *parse_opts_noisily_or_exit(QemuOptsList *list, const char *arg,
                                     bool permit_abbrev);
/* Records opts (parsed from arg) with the current location. */
void defer_option(GArray *list, const char *arg, QemuOpts *opts);
/* One option of the walk, also used for -readconfig's groups. */
void vl_apply_option(CommandLine *cl, const QEMUOption *opt, const char *arg);

/* vl-machine.c: -machine, -accel, -m, -smp, -name */
void vl_parse_machine(const char *arg);
void vl_machine_add(const char *keyval);
void vl_parse_accel(CommandLine *cl, const char *arg);
void vl_parse_memory(CommandLine *cl, const char *arg);
void vl_parse_smp(const char *arg);
void vl_parse_name(const char *arg);
void vl_parse_name_config(const char *arg);
QemuOpts *vl_machine_opts(void);
MicrovmMachineState *vl_create_machine(CommandLine *cl, QemuOpts *machine_opts);
void vl_configure_ram_size(CommandLine *cl, MicrovmMachineState *mms);
void vl_configure_smp(MicrovmMachineState *mms);
void vl_configure_accelerator(CommandLine *cl, QemuOpts *machine_opts);
void vl_configure_name(void);
void vl_create_machine_ram(CommandLine *cl, MicrovmMachineState *mms);

/* vl-block.c: -drive, -blockdev (QEMU's configure_blockdev order) */
void vl_parse_drive(const char *arg);
void vl_parse_blockdev(const char *arg);
void vl_configure_blockdev(void);
void vl_check_orphan_drives(void);
void vl_create_drive_devices(void);

/* vl-devices.c: -device, -chardev, -serial, -display */
void vl_parse_device(CommandLine *cl, const char *arg);
void vl_parse_chardev(CommandLine *cl, const char *arg);
void vl_parse_serial(CommandLine *cl, const char *arg);
void vl_parse_display(const char *arg);
void vl_create_chardevs(CommandLine *cl);
void vl_create_serial_chardevs(CommandLine *cl);
void vl_create_devices(CommandLine *cl);

/* vl-net.c: -netdev, -nic, -net (the work is net/net-opts.c) */
void vl_parse_net(NetOption option, const char *arg);
void vl_create_net_clients(void);
void vl_check_net_clients(void);

/* vl-boot.c: -boot, -uuid */
void vl_parse_boot(CommandLine *cl, const char *arg);
void vl_parse_uuid(CommandLine *cl, const char *arg);
void vl_configure_boot(CommandLine *cl);
void vl_boot_apply_fw_cfg(FWCfgState *fw_cfg);

/* vl-runtime.c: -action, -msg, -overcommit, -sandbox, -trace, -icount,
 * -d/-D, -rtc */
void vl_parse_action(const char *arg);
void vl_parse_watchdog_action(const char *arg);
void vl_parse_msg(const char *arg);
void vl_parse_overcommit(CommandLine *cl, const char *arg);
void vl_parse_sandbox(const char *arg);
void vl_parse_trace(const char *arg);
void vl_check_config_group(const char *group, const char *arg);
void vl_parse_icount(CommandLine *cl, const char *arg);
void vl_parse_rtc(const char *arg);
void vl_configure_logging(CommandLine *cl);
void vl_configure_icount(CommandLine *cl);
void vl_configure_rtc(void);

/* vl-config.c: -readconfig */
void vl_read_config_file(CommandLine *cl, const char *file);

#endif
