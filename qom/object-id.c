/*
 * Id namespaces: where -object, -chardev, -device and -netdev objects are
 * found by the id the user gave them.
 *
 * Matches QEMU 7.2's id_wellformed (util/id.c) and the "Duplicate ID" and
 * "expects an identifier" errors of util/qemu-option.c qemu_opts_create.
 */
#include "qemu/osdep.h"
#include "qom/object.h"

static GHashTable *namespaces;     /* ns -> (id -> Object*) */

bool id_wellformed(const char *id)
{
    int i;

    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (i = 1; id[i]; i++) {
        if (!g_ascii_isalnum(id[i]) && !strchr("-._", id[i])) {
            return false;
        }
    }
    return true;
}

static GHashTable *id_table(const char *ns, bool create)
{
    GHashTable *table;

    if (!namespaces) {
        if (!create) {
            return NULL;
        }
        namespaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)
                                           g_hash_table_destroy);
    }
    table = g_hash_table_lookup(namespaces, ns);
    if (!table && create) {
        table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify)object_unref);
        g_hash_table_insert(namespaces, g_strdup(ns), table);
    }
    return table;
}

/* The word QEMU's messages use for a namespace: its QemuOptsList name. */
static const char *id_ns_word(const char *ns)
{
    static const char *const words[][2] = {
        { "objects", "object" },
        { "chardevs", "chardev" },
        { "devices", "device" },
        { "netdevs", "netdev" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(words); i++) {
        if (strcmp(ns, words[i][0]) == 0) {
            return words[i][1];
        }
    }
    return ns;
}

bool object_add_with_id(const char *ns, const char *id, Object *obj,
                        Error **errp)
{
    GHashTable *table;

    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        return false;
    }
    table = id_table(ns, true);
    if (g_hash_table_contains(table, id)) {
        error_setg(errp, "Duplicate ID '%s' for %s", id, id_ns_word(ns));
        return false;
    }
    g_free(obj->id);
    obj->id = g_strdup(id);
    g_hash_table_insert(table, g_strdup(id), object_ref(obj));
    return true;
}

Object *object_find_by_id(const char *ns, const char *id)
{
    GHashTable *table = id_table(ns, false);

    return table && id ? g_hash_table_lookup(table, id) : NULL;
}

void object_remove_id(const char *ns, const char *id)
{
    GHashTable *table = id_table(ns, false);

    if (table) {
        g_hash_table_remove(table, id);
    }
}
