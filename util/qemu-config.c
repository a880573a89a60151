/*
 * Configuration files (-readconfig), as QEMU 7.2's util/qemu-config.c
 * qemu_config_foreach() and qemu_read_config_file(): its line grammar
 * (including what its sscanf patterns let through), its errors and the
 * locations they are reported at.
 */
#include "qemu/osdep.h"
#include "qemu/config-file.h"

/* QEMU's buffer sizes: longer lines are split, longer names truncated. */
#define CONFIG_LINE_MAX 1024
#define CONFIG_NAME_MAX 64
#define CONFIG_VALUE_MAX 1024

static void config_entry_clear(gpointer p)
{
    QemuConfigEntry *e = p;

    g_free(e->key);
    g_free(e->value);
}

static GArray *config_entries_new(void)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(QemuConfigEntry));

    g_array_set_clear_func(a, config_entry_clear);
    return a;
}

static void config_entries_put(GArray *entries, const char *key,
                               const char *value)
{
    QemuConfigEntry e;
    guint i;

    for (i = 0; i < entries->len; i++) {
        QemuConfigEntry *old = &g_array_index(entries, QemuConfigEntry, i);

        if (strcmp(old->key, key) == 0) {
            g_free(old->value);
            old->value = g_strdup(value);
            return;
        }
    }
    e.key = g_strdup(key);
    e.value = g_strdup(value);
    g_array_append_val(entries, e);
}

const char *qemu_config_group_get(const QemuConfigGroup *group,
                                  const char *key)
{
    guint i;

    for (i = 0; i < group->entries->len; i++) {
        QemuConfigEntry *e = &g_array_index(group->entries,
                                            QemuConfigEntry, i);

        if (strcmp(e->key, key) == 0) {
            return e->value;
        }
    }
    return NULL;
}

static bool config_group_done(const char *name, GArray *entries,
                              QemuConfigGroupFunc *cb, void *opaque,
                              Error **errp)
{
    QemuConfigGroup group = { .name = name, .entries = entries };
    Error *err = NULL;

    cb(&group, opaque, &err);
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    return true;
}

/*
 * A header is '[NAME "ID"]' or '[NAME]'. The first pattern may write
 * name even when it fails; QEMU then uses that name for the last section
 * of the file (see qemu_config_parse), so the buffer is the caller's.
 */
static bool config_parse_header(const char *line, char *name, char *id)
{
    if (sscanf(line, "[%63s \"%63[^\"]\"]", name, id) == 2) {
        return true;
    }
    id[0] = '\0';
    return sscanf(line, "[%63[^]]]", name) == 1;
}

/*
 * 'KEY = "VALUE"' with any spaces around; as QEMU, a line with a first
 * word and nothing usable after it is that key with an empty value, and
 * only a line without any word is a syntax error.
 */
static bool config_parse_key(const char *line, char *key, char *value)
{
    value[0] = '\0';
    return sscanf(line, " %63s = \"%1023[^\"]\"", key, value) == 2 ||
           sscanf(line, " %63s = \"\"", key) == 1;
}

int qemu_config_parse(FILE *fp, const char *fname, QemuConfigGroupFunc *cb,
                      void *opaque, Error **errp)
{
    char line[CONFIG_LINE_MAX];
    char name[CONFIG_NAME_MAX] = "", done_name[CONFIG_NAME_MAX] = "";
    char id[CONFIG_NAME_MAX];
    char key[CONFIG_NAME_MAX], value[CONFIG_VALUE_MAX];
    g_autoptr(GArray) entries = NULL;
    Location saved;
    int lno = 0, count = 0;

    loc_save(&saved);
    loc_set_none();
    while (fgets(line, sizeof(line), fp)) {
        lno++;
        if (line[0] == '\n' || line[0] == '#') {
            continue;
        }
        if (line[0] == '[' && config_parse_header(line, name, id)) {
            if (entries &&
                !config_group_done(done_name, entries, cb, opaque, errp)) {
                return -EINVAL;
            }
            g_clear_pointer(&entries, g_array_unref);
            entries = config_entries_new();
            if (id[0]) {
                config_entries_put(entries, "id", id);
            }
            count++;
            g_strlcpy(done_name, name, sizeof(done_name));
            continue;
        }
        loc_set_file(fname, lno);
        if (!config_parse_key(line, key, value)) {
            error_setg(errp, "parse error");
            return -EINVAL;
        }
        if (!entries) {
            error_setg(errp, "no group defined");
            return -EINVAL;
        }
        config_entries_put(entries, key, value);
    }
    if (ferror(fp)) {
        int err = errno;

        loc_restore(&saved);
        error_setg_errno(errp, err, "Cannot read config file");
        return -EINVAL;
    }
    /*
     * QEMU names the last section from its scratch buffer, which a
     * malformed header such as "[]" may have overwritten since.
     */
    if (entries && !config_group_done(name, entries, cb, opaque, errp)) {
        return -EINVAL;
    }
    loc_restore(&saved);
    return count;
}

int qemu_read_config_file(const char *filename, QemuConfigGroupFunc *cb,
                          void *opaque, Error **errp)
{
    FILE *f = fopen(filename, "r");
    int ret;

    if (!f) {
        ret = -errno;
        error_setg_errno(errp, -ret, "Could not open '%s'", filename);
        return ret;
    }
    ret = qemu_config_parse(f, filename, cb, opaque, errp);
    fclose(f);
    return ret;
}
