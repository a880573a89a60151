/*
 * Typed properties declared in tables: defaults, parsing, printing, help
 * and -global.
 *
 * Error wording matches QEMU 7.2's qobject-input-visitor in keyval mode
 * (what -device and -M use), and its string-input-visitor for -global;
 * help layout matches qom/object_interfaces.c object_property_help and
 * qdev_device_help; globals match hw/core/qdev-properties.c.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/option.h"
#include "qom/object.h"
#include "object-internal.h"

typedef struct GlobalProperty {
    char *driver;
    char *property;
    char *value;
    bool used;
} GlobalProperty;

static GPtrArray *global_props;    /* of GlobalProperty*, in given order */

/*
 * -global values go through QEMU's string input visitor, whose messages
 * for integers differ from the keyval ones ("expects uint64").
 */
static bool parsing_global;

const char *const OnOffAuto_lookup[] = { "auto", "on", "off", NULL };

void object_class_add_properties(ObjectClass *klass, const Property *props)
{
    TypeImpl *ti = klass->type;

    if (!ti->prop_tables) {
        ti->prop_tables = g_ptr_array_new();
    }
    g_ptr_array_add(ti->prop_tables, (gpointer)props);
}

static void type_foreach_property(TypeImpl *ti,
                                  void (*func)(const Property *prop,
                                               void *opaque),
                                  void *opaque)
{
    ObjectClass *parent;
    guint i;
    const Property *p;

    parent = object_class_get_parent(ti->klass);
    if (parent) {
        type_foreach_property(parent->type, func, opaque);
    }
    if (!ti->prop_tables) {
        return;
    }
    for (i = 0; i < ti->prop_tables->len; i++) {
        for (p = g_ptr_array_index(ti->prop_tables, i); p->name; p++) {
            func(p, opaque);
        }
    }
}

void object_class_foreach_property(ObjectClass *klass,
                                   void (*func)(const Property *prop,
                                                void *opaque),
                                   void *opaque)
{
    type_foreach_property(klass->type, func, opaque);
}

const Property *object_class_find_property(ObjectClass *klass,
                                           const char *name)
{
    const Property *p;
    guint i;

    for (; klass; klass = object_class_get_parent(klass)) {
        GPtrArray *tables = klass->type->prop_tables;

        if (!tables) {
            continue;
        }
        /* Later tables win, as a later class_init redefines a property */
        for (i = tables->len; i-- > 0;) {
            for (p = g_ptr_array_index(tables, i); p->name; p++) {
                if (strcmp(p->name, name) == 0) {
                    return p;
                }
            }
        }
    }
    return NULL;
}

static void *prop_ptr(Object *obj, const Property *prop)
{
    return (char *)obj + prop->offset;
}

static void prop_set_default(const Property *prop, void *opaque)
{
    Object *obj = opaque;
    void *ptr = prop_ptr(obj, prop);

    if (!prop->has_default) {
        return;
    }
    switch (prop->type) {
    case PROP_TYPE_BOOL:
        *(bool *)ptr = prop->defval.i != 0;
        break;
    case PROP_TYPE_ON_OFF_AUTO:
    case PROP_TYPE_ENUM:
        *(int *)ptr = prop->defval.i;
        break;
    case PROP_TYPE_UINT8:
        *(uint8_t *)ptr = prop->defval.u;
        break;
    case PROP_TYPE_UINT16:
        *(uint16_t *)ptr = prop->defval.u;
        break;
    case PROP_TYPE_UINT32:
        *(uint32_t *)ptr = prop->defval.u;
        break;
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        *(uint64_t *)ptr = prop->defval.u;
        break;
    case PROP_TYPE_INT32:
        *(int32_t *)ptr = prop->defval.i;
        break;
    case PROP_TYPE_INT64:
        *(int64_t *)ptr = prop->defval.i;
        break;
    case PROP_TYPE_STRING:
        g_free(*(char **)ptr);
        *(char **)ptr = g_strdup(prop->defval.s);
        break;
    case PROP_TYPE_LINK:
        break;
    }
}

void object_property_set_defaults(Object *obj)
{
    object_class_foreach_property(obj->klass, prop_set_default, obj);
}

static void prop_free_value(const Property *prop, void *opaque)
{
    Object *obj = opaque;

    if (prop->type == PROP_TYPE_STRING) {
        char **ptr = prop_ptr(obj, prop);

        g_free(*ptr);
        *ptr = NULL;
    }
}

void object_property_free_values(Object *obj)
{
    object_class_foreach_property(obj->klass, prop_free_value, obj);
}

static const char *prop_owner(Object *obj, const Property *prop)
{
    return prop->owner_name ? prop->owner_name : object_get_typename(obj);
}

static int prop_enum_find(const char *const *table, const char *value)
{
    int i;

    for (i = 0; table[i]; i++) {
        if (strcmp(table[i], value) == 0) {
            return i;
        }
    }
    return -1;
}

static bool prop_parse_uint(const Property *prop, const char *value,
                            uint64_t max, const char *cname, uint64_t *ret,
                            Error **errp)
{
    if (qemu_strtou64(value, NULL, 0, ret) < 0) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name,
                   parsing_global ? "uint64" : "integer");
        return false;
    }
    if (*ret > max) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name, cname);
        return false;
    }
    return true;
}

static bool prop_parse_int(const Property *prop, const char *value,
                           int64_t min, int64_t max, const char *cname,
                           int64_t *ret, Error **errp)
{
    if (qemu_strtoi64(value, NULL, 0, ret) < 0) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name,
                   parsing_global ? "int64" : "integer");
        return false;
    }
    if (*ret < min || *ret > max) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name, cname);
        return false;
    }
    return true;
}

/* -global takes QemuOpts' size parser, hint included (parse_option_size) */
static bool prop_parse_size(const Property *prop, const char *value,
                            uint64_t *ret, Error **errp)
{
    int err = qemu_strtosz(value, NULL, ret);

    if (!err) {
        return true;
    }
    if (!parsing_global) {
        error_setg(errp, "Parameter '%s' expects size", prop->name);
    } else if (err == -ERANGE) {
        error_setg(errp, "Value '%s' is out of range for parameter '%s'",
                   value, prop->name);
    } else {
        error_setg(errp, "Parameter '%s' expects a non-negative number "
                   "below 2^64", prop->name);
        error_append_hint(errp, "Optional suffix k, M, G, T, P or E means"
                          " kilo-, mega-, giga-, tera-, peta-\n"
                          "and exabytes, respectively.\n");
    }
    return false;
}

/* The parsed value, in the representation the field will hold. */
typedef union PropValue {
    bool b;
    int e;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
    const char *s;
    Object *link;
} PropValue;

/*
 * A link names its target by id. With a resolver (chardevs...) a missing
 * id reads like QEMU's qdev pointer properties; without one the id is
 * looked up in "objects" and errors read like QEMU's object_resolve_link.
 * An empty value clears the link (QEMU's "chardev=").
 */
static bool prop_parse_link(Object *obj, const Property *prop,
                            const char *value, PropValue *v, Error **errp)
{
    Error *err = NULL;

    v->link = NULL;
    if (!*value) {
        return true;
    }
    if (prop->link_resolve) {
        v->link = prop->link_resolve(value, &err);
        if (!v->link) {
            if (err) {
                error_propagate(errp, err);
            } else {
                error_setg(errp, "Property '%s.%s' can't find value '%s'",
                           prop_owner(obj, prop), prop->name, value);
            }
            return false;
        }
    } else {
        v->link = object_find_by_id("objects", value);
        if (!v->link) {
            error_setg(errp, "Device '%s' not found", value);
            return false;
        }
    }
    if (prop->link_type && !object_dynamic_cast(v->link, prop->link_type)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   prop->name, prop->link_type);
        v->link = NULL;
        return false;
    }
    return true;
}

static bool prop_parse_value(Object *obj, const Property *prop,
                             const char *value, PropValue *v, Error **errp)
{
    uint64_t u;
    int64_t i;

    switch (prop->type) {
    case PROP_TYPE_BOOL:
        return qapi_bool_parse(prop->name, value, &v->b, errp);
    case PROP_TYPE_ON_OFF_AUTO:
    case PROP_TYPE_ENUM:
        v->e = prop_enum_find(prop->type == PROP_TYPE_ENUM ?
                              prop->enum_table : OnOffAuto_lookup, value);
        if (v->e < 0) {
            error_setg(errp, "Parameter '%s' does not accept value '%s'",
                       prop->name, value);
            return false;
        }
        return true;
    case PROP_TYPE_UINT8:
        if (!prop_parse_uint(prop, value, UINT8_MAX, "uint8_t", &u, errp)) {
            return false;
        }
        v->u8 = u;
        return true;
    case PROP_TYPE_UINT16:
        if (!prop_parse_uint(prop, value, UINT16_MAX, "uint16_t", &u,
                             errp)) {
            return false;
        }
        v->u16 = u;
        return true;
    case PROP_TYPE_UINT32:
        if (!prop_parse_uint(prop, value, UINT32_MAX, "uint32_t", &u,
                             errp)) {
            return false;
        }
        v->u32 = u;
        return true;
    case PROP_TYPE_UINT64:
        return prop_parse_uint(prop, value, UINT64_MAX, "uint64_t", &v->u64,
                               errp);
    case PROP_TYPE_INT32:
        if (!prop_parse_int(prop, value, INT32_MIN, INT32_MAX, "int32_t", &i,
                            errp)) {
            return false;
        }
        v->i32 = i;
        return true;
    case PROP_TYPE_INT64:
        return prop_parse_int(prop, value, INT64_MIN, INT64_MAX, "int64_t",
                              &v->i64, errp);
    case PROP_TYPE_SIZE:
        return prop_parse_size(prop, value, &v->u64, errp);
    case PROP_TYPE_STRING:
        v->s = value;
        return true;
    case PROP_TYPE_LINK:
        return prop_parse_link(obj, prop, value, v, errp);
    }
    g_assert_not_reached();
}

static void prop_store(Object *obj, const Property *prop, const PropValue *v)
{
    void *ptr = prop_ptr(obj, prop);

    switch (prop->type) {
    case PROP_TYPE_BOOL:
        *(bool *)ptr = v->b;
        break;
    case PROP_TYPE_ON_OFF_AUTO:
    case PROP_TYPE_ENUM:
        *(int *)ptr = v->e;
        break;
    case PROP_TYPE_UINT8:
        *(uint8_t *)ptr = v->u8;
        break;
    case PROP_TYPE_UINT16:
        *(uint16_t *)ptr = v->u16;
        break;
    case PROP_TYPE_UINT32:
        *(uint32_t *)ptr = v->u32;
        break;
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        *(uint64_t *)ptr = v->u64;
        break;
    case PROP_TYPE_INT32:
        *(int32_t *)ptr = v->i32;
        break;
    case PROP_TYPE_INT64:
        *(int64_t *)ptr = v->i64;
        break;
    case PROP_TYPE_STRING:
        g_free(*(char **)ptr);
        *(char **)ptr = g_strdup(v->s);
        break;
    case PROP_TYPE_LINK:
        *(Object **)ptr = v->link;
        break;
    }
}

bool object_property_parse(Object *obj, const char *name, const char *value,
                           Error **errp)
{
    const Property *prop = object_class_find_property(obj->klass, name);
    PropValue v;

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
        return false;
    }
    if (!prop_parse_value(obj, prop, value, &v, errp)) {
        return false;
    }
    if (prop->check && !prop->check(obj, prop, &v, errp)) {
        return false;
    }
    prop_store(obj, prop, &v);
    return true;
}

char *object_property_print(Object *obj, const char *name)
{
    const Property *prop = object_class_find_property(obj->klass, name);
    void *ptr;
    const char *const *table;

    if (!prop) {
        return NULL;
    }
    ptr = prop_ptr(obj, prop);
    switch (prop->type) {
    case PROP_TYPE_BOOL:
        return g_strdup(*(bool *)ptr ? "on" : "off");
    case PROP_TYPE_ON_OFF_AUTO:
    case PROP_TYPE_ENUM:
        table = prop->type == PROP_TYPE_ENUM ? prop->enum_table
                                             : OnOffAuto_lookup;
        return g_strdup(table[*(int *)ptr]);
    case PROP_TYPE_UINT8:
        return g_strdup_printf("%" PRIu8, *(uint8_t *)ptr);
    case PROP_TYPE_UINT16:
        return g_strdup_printf("%" PRIu16, *(uint16_t *)ptr);
    case PROP_TYPE_UINT32:
        return g_strdup_printf("%" PRIu32, *(uint32_t *)ptr);
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        return g_strdup_printf("%" PRIu64, *(uint64_t *)ptr);
    case PROP_TYPE_INT32:
        return g_strdup_printf("%" PRId32, *(int32_t *)ptr);
    case PROP_TYPE_INT64:
        return g_strdup_printf("%" PRId64, *(int64_t *)ptr);
    case PROP_TYPE_STRING:
        return g_strdup(*(char **)ptr ? *(char **)ptr : "");
    case PROP_TYPE_LINK: {
        Object *target = *(Object **)ptr;

        return g_strdup(target && target->id ? target->id : "");
    }
    }
    g_assert_not_reached();
}

/* The names qdev's PropertyInfo gives each type in QEMU 7.2. */
const char *object_property_type_name(const Property *prop, char *buf,
                                      size_t buflen)
{
    static const char *const names[] = {
        [PROP_TYPE_BOOL] = "bool",
        [PROP_TYPE_ON_OFF_AUTO] = "OnOffAuto",
        [PROP_TYPE_UINT8] = "uint8",
        [PROP_TYPE_UINT16] = "uint16",
        [PROP_TYPE_UINT32] = "uint32",
        [PROP_TYPE_UINT64] = "uint64",
        [PROP_TYPE_INT32] = "int32",
        [PROP_TYPE_INT64] = "int64",
        [PROP_TYPE_SIZE] = "size",
        [PROP_TYPE_STRING] = "str",
        [PROP_TYPE_ENUM] = "enum",
        [PROP_TYPE_LINK] = "str",
    };

    g_strlcpy(buf, prop->type_name ? prop->type_name : names[prop->type],
              buflen);
    return buf;
}

/* QOM class-property type names (object_class_property_add_str...). */
static const char *prop_class_type_name(const Property *prop, char *buf,
                                        size_t buflen)
{
    if (prop->type_name) {
        g_strlcpy(buf, prop->type_name, buflen);
    } else if (prop->type == PROP_TYPE_STRING) {
        g_strlcpy(buf, "string", buflen);
    } else if (prop->type == PROP_TYPE_LINK) {
        g_snprintf(buf, buflen, "link<%s>",
                   prop->link_type ? prop->link_type : "object");
    } else {
        object_property_type_name(prop, buf, buflen);
    }
    return buf;
}

/* The default as QEMU prints it: JSON (strings quoted). */
static char *prop_default_json(const Property *prop)
{
    const char *const *table;

    if (!prop->has_default || prop->help_no_default) {
        return NULL;
    }
    switch (prop->type) {
    case PROP_TYPE_BOOL:
        return g_strdup(prop->defval.i ? "true" : "false");
    case PROP_TYPE_ON_OFF_AUTO:
    case PROP_TYPE_ENUM:
        table = prop->type == PROP_TYPE_ENUM ? prop->enum_table
                                             : OnOffAuto_lookup;
        return g_strdup_printf("\"%s\"", table[prop->defval.i]);
    case PROP_TYPE_UINT8:
    case PROP_TYPE_UINT16:
    case PROP_TYPE_UINT32:
    case PROP_TYPE_UINT64:
    case PROP_TYPE_SIZE:
        return g_strdup_printf("%" PRIu64, prop->defval.u);
    case PROP_TYPE_INT32:
    case PROP_TYPE_INT64:
        return g_strdup_printf("%" PRId64, prop->defval.i);
    case PROP_TYPE_STRING:
        return prop->defval.s ? g_strdup_printf("\"%s\"", prop->defval.s)
                              : NULL;
    case PROP_TYPE_LINK:
        return NULL;
    }
    g_assert_not_reached();
}

typedef struct HelpData {
    GPtrArray *lines;
    GHashTable *seen;
    bool class_props;
} HelpData;

static void prop_help_line(const Property *prop, void *opaque)
{
    HelpData *data = opaque;
    g_autofree char *def = NULL;
    const char *desc;
    char tname[64];
    GString *s;

    /* A subclass may redefine a parent's property: list it once */
    if (!g_hash_table_add(data->seen, (gpointer)prop->name)) {
        return;
    }
    if (!data->class_props) {
        def = prop_default_json(prop);
    }
    /* qdev has no per-property descriptions; tables pass "" for none */
    desc = prop->description && *prop->description ? prop->description
                                                   : NULL;
    s = g_string_new(NULL);
    g_string_append_printf(s, "  %s=<%s>", prop->name,
                           data->class_props ?
                           prop_class_type_name(prop, tname, sizeof(tname)) :
                           object_property_type_name(prop, tname,
                                                     sizeof(tname)));
    if (desc || def) {
        while (s->len < 24) {
            g_string_append_c(s, ' ');
        }
        g_string_append(s, " - ");
    }
    if (desc) {
        g_string_append(s, desc);
    }
    if (def) {
        g_string_append_printf(s, " (default: %s)", def);
    }
    g_ptr_array_add(data->lines, g_string_free(s, false));
}

static gint prop_help_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void object_class_print_properties_help(ObjectClass *klass, GString *out)
{
    HelpData data;
    guint i;

    data.lines = g_ptr_array_new_with_free_func(g_free);
    data.seen = g_hash_table_new(g_str_hash, g_str_equal);
    data.class_props = klass->class_property_help;
    /* Leaf first, so that a redefinition hides the parent's entry */
    for (ObjectClass *k = klass; k; k = object_class_get_parent(k)) {
        GPtrArray *tables = k->type->prop_tables;

        for (i = tables ? tables->len : 0; i-- > 0;) {
            const Property *p;

            for (p = g_ptr_array_index(tables, i); p->name; p++) {
                prop_help_line(p, &data);
            }
        }
    }
    g_ptr_array_sort(data.lines, prop_help_cmp);
    if (data.lines->len) {
        g_string_append_printf(out, "%s options:\n",
                               object_class_get_name(klass));
    } else {
        g_string_append_printf(out, "There are no options for %s.\n",
                               object_class_get_name(klass));
    }
    for (i = 0; i < data.lines->len; i++) {
        g_string_append_printf(out, "%s\n",
                               (char *)g_ptr_array_index(data.lines, i));
    }
    g_ptr_array_free(data.lines, true);
    g_hash_table_destroy(data.seen);
}

/* ---- -global ----------------------------------------------------------- */

bool object_register_global(const char *driver, const char *prop,
                            const char *value, Error **errp)
{
    GlobalProperty *g = g_new0(GlobalProperty, 1);

    if (!global_props) {
        global_props = g_ptr_array_new();
    }
    g->driver = g_strdup(driver);
    g->property = g_strdup(prop);
    g->value = g_strdup(value);
    g_ptr_array_add(global_props, g);
    return true;
}

bool object_apply_globals(Object *obj, Error **errp)
{
    guint i;

    for (i = 0; global_props && i < global_props->len; i++) {
        GlobalProperty *g = g_ptr_array_index(global_props, i);
        Error *err = NULL;
        bool ok;

        if (!object_dynamic_cast(obj, g->driver)) {
            continue;
        }
        g->used = true;
        parsing_global = true;
        ok = object_property_parse(obj, g->property, g->value, &err);
        parsing_global = false;
        if (!ok) {
            error_prepend(&err, "can't apply global %s.%s=%s: ", g->driver,
                          g->property, g->value);
            error_propagate(errp, err);
            return false;
        }
    }
    return true;
}

bool object_check_globals(void)
{
    bool warned = false;
    guint i;

    for (i = 0; global_props && i < global_props->len; i++) {
        GlobalProperty *g = g_ptr_array_index(global_props, i);
        ObjectClass *oc;

        if (g->used) {
            continue;
        }
        oc = object_class_dynamic_cast(object_class_by_name(g->driver),
                                       "device");
        /* QEMU's devices are hotpluggable by default: only this warns */
        if (!oc) {
            warn_report("global %s.%s has invalid class name", g->driver,
                        g->property);
            warned = true;
        }
    }
    return warned;
}

void object_reset_globals(void)
{
    guint i;

    for (i = 0; global_props && i < global_props->len; i++) {
        GlobalProperty *g = g_ptr_array_index(global_props, i);

        g_free(g->driver);
        g_free(g->property);
        g_free(g->value);
        g_free(g);
    }
    if (global_props) {
        g_ptr_array_set_size(global_props, 0);
    }
}

static QemuOptsList global_opts_list = {
    .name = "global",
    .desc = {
        { .name = "driver", .type = QEMU_OPT_STRING },
        { .name = "property", .type = QEMU_OPT_STRING },
        { .name = "value", .type = QEMU_OPT_STRING },
        { NULL }
    },
};

/*
 * QEMU 7.2's qemu_global_option: "DRIVER.PROP=VALUE" (the value taken
 * verbatim, commas included), else "driver=D,property=P,value=V" parsed
 * as options with their warnings and errors.
 */
int qemu_global_option(const char *str)
{
    char driver[64];
    char property[64];
    int offset = 0;
    QemuOpts *opts;
    int rc;

    rc = sscanf(str, "%63[^.=].%63[^=]%n", driver, property, &offset);
    if (rc == 2 && str[offset] == '=') {
        object_register_global(driver, property, str + offset + 1, NULL);
        return 0;
    }
    opts = qemu_opts_parse_noisily(&global_opts_list, str, false);
    if (!opts) {
        return -1;
    }
    if (!qemu_opt_get(opts, "driver") || !qemu_opt_get(opts, "property") ||
        !qemu_opt_get(opts, "value")) {
        error_report("options 'driver', 'property', and 'value'"
                     " are required");
        qemu_opts_del(opts);
        return -1;
    }
    object_register_global(qemu_opt_get(opts, "driver"),
                           qemu_opt_get(opts, "property"),
                           qemu_opt_get(opts, "value"), NULL);
    qemu_opts_del(opts);
    return 0;
}
