/*
 * -boot and -uuid, and the fw_cfg items they add: QEMU 7.2's machine
 * "boot" property (hw/core/machine.c), softmmu/bootdevice.c and
 * hw/nvram/fw_cfg.c fw_cfg_common_realize (boot menu, splash, reboot
 * timeout); qemu_uuid_parse (util/uuid.c).
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "hw/nvram/fw_cfg.h"
#include "system/system.h"
#include "vl-internal.h"

/* -boot is keyval into the machine's "boot" property: any key parses. */
static QemuOptsList qemu_boot_opts = {
    .name = "boot-opts",
    .implied_opt_name = "order",
    .keyval = true,
    .desc = { { 0 } },
};

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
void vl_parse_boot(CommandLine *cl, const char *arg)
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
void vl_configure_boot(CommandLine *cl)
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
void vl_boot_apply_fw_cfg(FWCfgState *fw_cfg)
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

void vl_parse_uuid(CommandLine *cl, const char *arg)
{
    if (!parse_uuid(arg, cl->uuid)) {
        error_report("failed to parse UUID string: wrong format");
        exit(1);
    }
    cl->has_uuid = true;
}
