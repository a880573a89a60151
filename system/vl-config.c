/*
 * -readconfig FILE: each section of the file is the option it names, given
 * where -readconfig is on the command line. As QEMU 7.2's softmmu/vl.c
 * qemu_parse_config_group() over the groups of vm_config_groups; the file
 * grammar is util/qemu-config.c.
 */
#include "qemu/osdep.h"
#include "qemu/config-file.h"
#include "qemu/error-report.h"
#include "vl-internal.h"

/*
 * QEMU 7.2's configuration groups (its QemuOptsList names, plus the
 * keyval groups machine, smp-opts, boot-opts and object) and the option
 * each one is; a NULL option is a group microqemu refuses by name. A few
 * groups differ from their option (see vl_check_config_group and
 * vl_parse_name_config): they have their own function.
 */
typedef struct VlConfigGroup {
    const char *group;
    const char *option;
    void (*apply)(const char *group, const char *arg);
} VlConfigGroup;

static void vl_config_name(const char *group, const char *arg)
{
    vl_parse_name_config(arg);
}

static const VlConfigGroup vl_config_groups[] = {
    { "machine", "machine" },
    { "accel", "accel" },
    { "memory", "m" },
    { "smp-opts", "smp" },
    { "boot-opts", "boot" },
    { "name", "name", vl_config_name },
    { "chardev", "chardev" },
    { "device", "device" },
    { "object", "object" },
    { "global", "global" },
    { "rtc", "rtc" },
    { "msg", "msg", vl_check_config_group },
    { "action", "action" },
    { "icount", "icount" },
    { "overcommit", "overcommit", vl_check_config_group },
    { "sandbox", "sandbox" },
    { "trace", "trace", vl_check_config_group },
    { "drive", "drive" },
    { "netdev", NULL },
    { "nic", NULL },
    { "net", NULL },
    { "mon", NULL },
    { "plugin", NULL },
    { "option-rom", NULL },
    { "add-fd", NULL },
    { "tpmdev", NULL },
    { "numa", NULL },
    { "semihosting-config", NULL },
    { "fw_cfg", NULL },
    { "spice", NULL },
    { "vnc", NULL },
    { "iscsi", NULL },
};

/* The option strings handed to the option walk, which may keep them. */
static GPtrArray *vl_config_args;

static const VlConfigGroup *vl_config_group_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(vl_config_groups); i++) {
        if (strcmp(vl_config_groups[i].group, name) == 0) {
            return &vl_config_groups[i];
        }
    }
    return NULL;
}

/* ",," keeps a comma inside a key or value of "key=value,..." */
static void vl_config_append_escaped(GString *s, const char *text)
{
    for (; *text; text++) {
        if (*text == ',') {
            g_string_append_c(s, ',');
        }
        g_string_append_c(s, *text);
    }
}

/*
 * The section as the option's argument: every key explicit, so the
 * option's implied first key never applies, and an id from the header
 * is just the "id" key, as in QEMU's qemu_opts_from_qdict.
 */
static char *vl_config_group_to_arg(const QemuConfigGroup *group)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < group->entries->len; i++) {
        const QemuConfigEntry *e = &g_array_index(group->entries,
                                                  QemuConfigEntry, i);

        if (i) {
            g_string_append_c(s, ',');
        }
        vl_config_append_escaped(s, e->key);
        g_string_append_c(s, '=');
        vl_config_append_escaped(s, e->value);
    }
    return g_string_free(s, FALSE);
}

/*
 * QEMU 7.2 merges [machine], [smp-opts] and [boot-opts] into the machine's
 * properties, where an id is one key more: it fails when the machine is
 * built, without a location. Reported here, before what follows.
 */
static void vl_config_check_machine_id(const QemuConfigGroup *group)
{
    static const char *const unexpected[][2] = {
        { "machine", "Property 'microvm-machine.id' not found" },
        { "smp-opts", "Parameter 'smp.id' is unexpected" },
        { "boot-opts", "Parameter 'boot.id' is unexpected" },
    };

    if (!qemu_config_group_get(group, "id")) {
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(unexpected); i++) {
        if (strcmp(group->name, unexpected[i][0]) == 0) {
            loc_set_none();
            error_report("%s", unexpected[i][1]);
            exit(1);
        }
    }
}

static void vl_config_apply_group(const QemuConfigGroup *group, void *opaque,
                                  Error **errp)
{
    CommandLine *cl = opaque;
    const VlConfigGroup *g = vl_config_group_find(group->name);
    char *arg;

    if (!g) {
        error_setg(errp, "There is no option group '%s'", group->name);
        return;
    }
    if (!g->option) {
        error_setg(errp, "configuration group '%s' is not supported by "
                   "microqemu", group->name);
        return;
    }
    vl_config_check_machine_id(group);
    arg = vl_config_group_to_arg(group);
    if (!vl_config_args) {
        vl_config_args = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(vl_config_args, arg);
    if (g->apply) {
        g->apply(group->name, arg);
    } else {
        vl_apply_option(cl, qemu_option_lookup(g->option), arg);
    }
}

void vl_read_config_file(CommandLine *cl, const char *file)
{
    Error *err = NULL;

    if (qemu_read_config_file(file, vl_config_apply_group, cl, &err) < 0) {
        exit_with_error(err);
    }
}
