/*
 * Block node options: QEMU's flattened QDict of a -blockdev or -drive
 * ("cache.direct" = "on"), and the typed getters that consume them with
 * QEMU 7.2's qobject-input-visitor messages (keyval and JSON forms).
 */
#include "qemu/osdep.h"
#include "block/block-int.h"

typedef struct BlockOptValue {
    char *value;
    BlockOptType type;
} BlockOptValue;

struct BlockOpts {
    GHashTable *table;          /* key -> BlockOptValue */
    GPtrArray *order;           /* keys as given: first leftover reported */
    bool json;                  /* values are typed (JSON form) */
};

static bool opts_from_json(BlockOpts *opts)
{
    return opts->json;
}

void block_opts_set_json(BlockOpts *opts)
{
    opts->json = true;
}

static void block_opt_value_free(gpointer p)
{
    BlockOptValue *v = p;

    g_free(v->value);
    g_free(v);
}

BlockOpts *block_opts_new(void)
{
    BlockOpts *opts = g_new0(BlockOpts, 1);

    opts->table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        block_opt_value_free);
    opts->order = g_ptr_array_new_with_free_func(g_free);
    return opts;
}

void block_opts_free(BlockOpts *opts)
{
    if (opts) {
        g_hash_table_destroy(opts->table);
        g_ptr_array_free(opts->order, true);
        g_free(opts);
    }
}

void block_opts_set(BlockOpts *opts, const char *key, const char *value,
                    BlockOptType type)
{
    BlockOptValue *v = g_new0(BlockOptValue, 1);

    v->value = g_strdup(value);
    v->type = type;
    if (!g_hash_table_contains(opts->table, key)) {
        g_ptr_array_add(opts->order, g_strdup(key));
    }
    g_hash_table_replace(opts->table, g_strdup(key), v);
}

const char *block_opts_get(BlockOpts *opts, const char *key)
{
    BlockOptValue *v = g_hash_table_lookup(opts->table, key);

    return v ? v->value : NULL;
}

bool block_opts_has(BlockOpts *opts, const char *key)
{
    return g_hash_table_contains(opts->table, key);
}

static BlockOptValue *block_opts_lookup(BlockOpts *opts, const char *key)
{
    return g_hash_table_lookup(opts->table, key);
}

bool block_opts_get_type(BlockOpts *opts, const char *key,
                         BlockOptType *type)
{
    BlockOptValue *v = block_opts_lookup(opts, key);

    if (v) {
        *type = v->type;
    }
    return v != NULL;
}

bool block_opts_foreach(BlockOpts *opts, BlockOptsFunc *fn, void *opaque)
{
    for (guint i = 0; i < opts->order->len; i++) {
        const char *key = g_ptr_array_index(opts->order, i);
        BlockOptValue *v = block_opts_lookup(opts, key);

        if (v && !fn(key, v->value, v->type, opaque)) {
            return false;
        }
    }
    return true;
}

void block_opts_del(BlockOpts *opts, const char *key)
{
    g_hash_table_remove(opts->table, key);
}

const char *block_opts_first_key(BlockOpts *opts)
{
    for (guint i = 0; i < opts->order->len; i++) {
        const char *key = g_ptr_array_index(opts->order, i);

        if (g_hash_table_contains(opts->table, key)) {
            return key;
        }
    }
    return NULL;
}

/* Moves every "prefix.K" to K in a new set (QEMU's qdict_extract_subqdict) */
BlockOpts *block_opts_extract_prefix(BlockOpts *opts, const char *prefix)
{
    BlockOpts *sub = block_opts_new();
    size_t len = strlen(prefix);

    sub->json = opts->json;
    for (guint i = 0; i < opts->order->len; i++) {
        const char *key = g_ptr_array_index(opts->order, i);
        BlockOptValue *v = block_opts_lookup(opts, key);

        if (v && strncmp(key, prefix, len) == 0) {
            block_opts_set(sub, key + len, v->value, v->type);
            block_opts_del(opts, key);
        }
    }
    return sub;
}

/*
 * Takes a string option. NULL when absent (not an error); a JSON
 * value of another type is QEMU's "Invalid parameter type".
 */
bool block_opts_take_str(BlockOpts *opts, const char *key, char **out,
                         Error **errp)
{
    BlockOptValue *v = block_opts_lookup(opts, key);

    *out = NULL;
    if (!v) {
        return true;
    }
    if (v->type != BLOCK_OPT_STRING) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string",
                   key);
        return false;
    }
    *out = g_strdup(v->value);
    block_opts_del(opts, key);
    return true;
}

/* QEMU's qapi_bool_parse(): on/yes/true/y, off/no/false/n */
static bool parse_bool_word(const char *s, bool *out)
{
    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

bool block_opts_take_bool(BlockOpts *opts, const char *key, bool *out,
                          Error **errp)
{
    BlockOptValue *v = block_opts_lookup(opts, key);

    if (!v) {
        return true;
    }
    if (opts_from_json(opts) && v->type != BLOCK_OPT_JSON_BOOL) {
        error_setg(errp, "Invalid parameter type for '%s', expected: boolean",
                   key);
        return false;
    }
    if (!parse_bool_word(v->value, out)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    block_opts_del(opts, key);
    return true;
}

bool block_opts_take_uint(BlockOpts *opts, const char *key, uint64_t *out,
                          bool *present, Error **errp)
{
    BlockOptValue *v = block_opts_lookup(opts, key);
    const char *end;
    guint64 n;

    if (present) {
        *present = v != NULL;
    }
    if (!v) {
        return true;
    }
    if (opts_from_json(opts) && v->type != BLOCK_OPT_JSON_NUMBER) {
        error_setg(errp, "Invalid parameter type for '%s', expected: integer",
                   key);
        return false;
    }
    errno = 0;
    n = g_ascii_strtoull(v->value, (char **)&end, 0);
    if (errno || end == v->value || *end || v->value[0] == '-') {
        error_setg(errp, "Parameter '%s' expects integer", key);
        return false;
    }
    *out = n;
    block_opts_del(opts, key);
    return true;
}

/* An enum member by name; QEMU's "does not accept value" otherwise. */
bool block_opts_take_enum(BlockOpts *opts, const char *key,
                          const char *const *names, int *out, Error **errp)
{
    g_autofree char *s = NULL;

    if (!block_opts_take_str(opts, key, &s, errp)) {
        return false;
    }
    if (!s) {
        return true;
    }
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return true;
        }
    }
    error_setg(errp, "Parameter '%s' does not accept value '%s'", key, s);
    return false;
}
