/*
 * libFuzzer target: -readconfig files (util/qemu-config.c
 * qemu_config_parse: sections, quoted ids, keys and values, comments,
 * line lengths, errors with their FILE:LINE locations). The input is the
 * file; every section is read back entry by entry, and a section named
 * "fail" makes the callback fail, so the error path after a callback is
 * fuzzed too. Nothing may crash, leak or read past a line.
 */
#include "qemu/osdep.h"
#include "qemu/config-file.h"
#include "fuzz-target.h"

static void check_group(const QemuConfigGroup *group, void *opaque,
                        Error **errp)
{
    size_t *total = opaque;

    for (guint i = 0; i < group->entries->len; i++) {
        const QemuConfigEntry *e = &g_array_index(group->entries,
                                                  QemuConfigEntry, i);

        const char *v = qemu_config_group_get(group, e->key);

        /* a key given twice keeps one entry: the lookup finds its value */
        if (!v || strcmp(v, e->value)) {
            abort();
        }
        *total += strlen(e->key) + strlen(e->value);
    }
    qemu_config_group_get(group, "id");
    if (!strcmp(group->name, "fail")) {
        error_setg(errp, "section '%s' refused", group->name);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Error *err = NULL;
    size_t total = 0;
    FILE *f;
    int ret;

    if (size == 0) {
        return 0;   /* fmemopen refuses an empty buffer */
    }
    f = fmemopen((void *)data, size, "r");
    if (!f) {
        return 0;
    }
    loc_set_none();
    ret = qemu_config_parse(f, "fuzz.cfg", check_group, &total, &err);
    loc_set_none();
    fclose(f);
    if ((ret < 0) != (err != NULL)) {
        abort();
    }
    error_free(err);
    return 0;
}
