/*
 * The command-line option table: names, "takes an argument" flags and the
 * QEMU_OPTION_* enum, generated from qemu-options.def (QEMU 7.2's
 * qemu-options.hx / include/sysemu/sysemu.h), plus the -h and -version text.
 */
#ifndef SYSTEM_QEMU_OPTIONS_H
#define SYSTEM_QEMU_OPTIONS_H

#define HAS_ARG 1
/*
 * Recognised by QEMU's x86 binary only to be refused (after the argument
 * check) with "-NAME: Option not supported for this target".
 */
#define QEMU_OPTION_NOT_X86 2

enum {
#define DEF(name, flags, enum_name) enum_name,
#include "system/qemu-options.def"
#undef DEF
    QEMU_OPTION_COUNT
};

typedef struct QEMUOption {
    const char *name;
    int flags;
    int index;
} QEMUOption;

/* In QEMU's order, ended by an entry whose name is NULL. */
extern const QEMUOption qemu_options[];

/*
 * The option called NAME, given with or without its leading "-" or "--"
 * ("m", "-m" and "--m" all find -m, as QEMU's lookup_opt does); NULL when
 * QEMU has no such option.
 */
const QEMUOption *qemu_option_lookup(const char *name);

/*
 * Whether microqemu implements option INDEX (a QEMU_OPTION_* value); the
 * list is the table qemu_options_supported in system/qemu-options.c.
 */
bool qemu_option_is_supported(int index);

/* -h / -help text on stdout, in QEMU 7.2's layout. */
void qemu_print_help(void);

/* -version text on stdout: QEMU's two lines. */
void qemu_print_version(void);

#endif
