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

static const char *prop_owner(Object *obj, const Property *prop)
{
    return prop->owner_name ? prop->owner_name : object_get_typename(obj);
}

/* ---- bool --------------------------------------------------------------- */

static bool prop_bool_parse(Object *obj, const Property *prop,
                            const char *str, PropertyInput input,
                            void *value, Error **errp)
{
    return qapi_bool_parse(prop->name, str, value, errp);
}

static char *prop_bool_print(const Property *prop, const void *field)
{
    return g_strdup(*(const bool *)field ? "on" : "off");
}

static void prop_bool_set_default(const Property *prop, void *field)
{
    *(bool *)field = prop->defval.i != 0;
}

static char *prop_bool_default_json(const Property *prop)
{
    return g_strdup(prop->defval.i ? "true" : "false");
}

const PropertyInfo prop_info_bool = {
    .name = "bool",
    .size = sizeof(bool),
    .parse = prop_bool_parse,
    .print = prop_bool_print,
    .set_default = prop_bool_set_default,
    .default_json = prop_bool_default_json,
};

/* ---- enums: OnOffAuto and enum_table ------------------------------------ */

static const char *const OnOffAuto_lookup[] = { "auto", "on", "off", NULL };

static const char *const *prop_enum_table(const Property *prop)
{
    return prop->info->lookup ? prop->info->lookup : prop->enum_table;
}

static bool prop_enum_parse(Object *obj, const Property *prop,
                            const char *str, PropertyInput input,
                            void *value, Error **errp)
{
    const char *const *table = prop_enum_table(prop);

    for (int i = 0; table[i]; i++) {
        if (strcmp(table[i], str) == 0) {
            *(int *)value = i;
            return true;
        }
    }
    error_setg(errp, "Parameter '%s' does not accept value '%s'",
               prop->name, str);
    return false;
}

static char *prop_enum_print(const Property *prop, const void *field)
{
    return g_strdup(prop_enum_table(prop)[*(const int *)field]);
}

static void prop_enum_set_default(const Property *prop, void *field)
{
    *(int *)field = prop->defval.i;
}

static char *prop_enum_default_json(const Property *prop)
{
    return g_strdup_printf("\"%s\"", prop_enum_table(prop)[prop->defval.i]);
}

const PropertyInfo prop_info_on_off_auto = {
    .name = "OnOffAuto",
    .lookup = OnOffAuto_lookup,
    .size = sizeof(int),
    .parse = prop_enum_parse,
    .print = prop_enum_print,
    .set_default = prop_enum_set_default,
    .default_json = prop_enum_default_json,
};

const PropertyInfo prop_info_enum = {
    .name = "enum",
    .size = sizeof(int),
    .parse = prop_enum_parse,
    .print = prop_enum_print,
    .set_default = prop_enum_set_default,
    .default_json = prop_enum_default_json,
};

/* ---- unsigned integers -------------------------------------------------- */

/* The C type's name QEMU's range errors use, and its maximum. */
static const char *prop_uint_cname(const Property *prop, uint64_t *max)
{
    switch (prop->info->size) {
    case 1:
        *max = UINT8_MAX;
        return "uint8_t";
    case 2:
        *max = UINT16_MAX;
        return "uint16_t";
    case 4:
        *max = UINT32_MAX;
        return "uint32_t";
    default:
        *max = UINT64_MAX;
        return "uint64_t";
    }
}

static void prop_uint_put(void *value, size_t size, uint64_t u)
{
    switch (size) {
    case 1:
        *(uint8_t *)value = u;
        break;
    case 2:
        *(uint16_t *)value = u;
        break;
    case 4:
        *(uint32_t *)value = u;
        break;
    default:
        *(uint64_t *)value = u;
        break;
    }
}

static uint64_t prop_uint_get(const void *field, size_t size)
{
    switch (size) {
    case 1:
        return *(const uint8_t *)field;
    case 2:
        return *(const uint16_t *)field;
    case 4:
        return *(const uint32_t *)field;
    default:
        return *(const uint64_t *)field;
    }
}

static bool prop_uint_parse(Object *obj, const Property *prop,
                            const char *str, PropertyInput input,
                            void *value, Error **errp)
{
    uint64_t u, max;
    const char *cname = prop_uint_cname(prop, &max);
    bool ok;

    if (input == PROP_INPUT_OPTS) {
        ok = opts_visitor_parse_uint(str, &u);
    } else {
        ok = qemu_strtou64(str, NULL, 0, &u) == 0;
    }
    if (!ok) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name,
                   input == PROP_INPUT_OPTS ? "a uint64 value" :
                   input == PROP_INPUT_GLOBAL ? "uint64" : "integer");
        return false;
    }
    if (u > max) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name, cname);
        return false;
    }
    prop_uint_put(value, prop->info->size, u);
    return true;
}

static char *prop_uint_print(const Property *prop, const void *field)
{
    return g_strdup_printf("%" PRIu64,
                           prop_uint_get(field, prop->info->size));
}

static void prop_uint_set_default(const Property *prop, void *field)
{
    prop_uint_put(field, prop->info->size, prop->defval.u);
}

static char *prop_uint_default_json(const Property *prop)
{
    return g_strdup_printf("%" PRIu64, prop->defval.u);
}

#define PROP_INFO_UINT(_name, _type) {          \
    .name = (_name),                            \
    .size = sizeof(_type),                      \
    .parse = prop_uint_parse,                   \
    .print = prop_uint_print,                   \
    .set_default = prop_uint_set_default,       \
    .default_json = prop_uint_default_json,     \
}

const PropertyInfo prop_info_uint8 = PROP_INFO_UINT("uint8", uint8_t);
const PropertyInfo prop_info_uint16 = PROP_INFO_UINT("uint16", uint16_t);
const PropertyInfo prop_info_uint32 = PROP_INFO_UINT("uint32", uint32_t);
const PropertyInfo prop_info_uint64 = PROP_INFO_UINT("uint64", uint64_t);

/* ---- signed integers ---------------------------------------------------- */

static bool prop_int_parse(Object *obj, const Property *prop,
                           const char *str, PropertyInput input,
                           void *value, Error **errp)
{
    bool is32 = prop->info->size == sizeof(int32_t);
    int64_t i;
    bool ok;

    if (input == PROP_INPUT_OPTS) {
        ok = opts_visitor_parse_int(str, &i);
    } else {
        ok = qemu_strtoi64(str, NULL, 0, &i) == 0;
    }
    if (!ok) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name,
                   input == PROP_INPUT_OPTS ? "an int64 value" :
                   input == PROP_INPUT_GLOBAL ? "int64" : "integer");
        return false;
    }
    if (is32 && (i < INT32_MIN || i > INT32_MAX)) {
        error_setg(errp, "Parameter '%s' expects int32_t", prop->name);
        return false;
    }
    if (is32) {
        *(int32_t *)value = i;
    } else {
        *(int64_t *)value = i;
    }
    return true;
}

static char *prop_int_print(const Property *prop, const void *field)
{
    int64_t i = prop->info->size == sizeof(int32_t) ? *(const int32_t *)field
                                                    : *(const int64_t *)field;

    return g_strdup_printf("%" PRId64, i);
}

static void prop_int_set_default(const Property *prop, void *field)
{
    if (prop->info->size == sizeof(int32_t)) {
        *(int32_t *)field = prop->defval.i;
    } else {
        *(int64_t *)field = prop->defval.i;
    }
}

static char *prop_int_default_json(const Property *prop)
{
    return g_strdup_printf("%" PRId64, prop->defval.i);
}

#define PROP_INFO_INT(_name, _type) {           \
    .name = (_name),                            \
    .size = sizeof(_type),                      \
    .parse = prop_int_parse,                    \
    .print = prop_int_print,                    \
    .set_default = prop_int_set_default,        \
    .default_json = prop_int_default_json,      \
}

const PropertyInfo prop_info_int32 = PROP_INFO_INT("int32", int32_t);
const PropertyInfo prop_info_int64 = PROP_INFO_INT("int64", int64_t);

/* ---- size --------------------------------------------------------------- */

/* -global takes QemuOpts' size parser, hint included (parse_option_size) */
static bool prop_size_parse(Object *obj, const Property *prop,
                            const char *str, PropertyInput input,
                            void *value, Error **errp)
{
    int err = qemu_strtosz(str, NULL, value);

    if (!err) {
        return true;
    }
    if (input == PROP_INPUT_OPTS) {
        error_setg(errp, "Parameter '%s' expects a size value", prop->name);
    } else if (input == PROP_INPUT_KEYVAL) {
        error_setg(errp, "Parameter '%s' expects size", prop->name);
    } else if (err == -ERANGE) {
        error_setg(errp, "Value '%s' is out of range for parameter '%s'",
                   str, prop->name);
    } else {
        error_setg(errp, "Parameter '%s' expects a non-negative number "
                   "below 2^64", prop->name);
        error_append_hint(errp, "Optional suffix k, M, G, T, P or E means"
                          " kilo-, mega-, giga-, tera-, peta-\n"
                          "and exabytes, respectively.\n");
    }
    return false;
}

const PropertyInfo prop_info_size = {
    .name = "size",
    .size = sizeof(uint64_t),
    .parse = prop_size_parse,
    .print = prop_uint_print,
    .set_default = prop_uint_set_default,
    .default_json = prop_uint_default_json,
};

/* ---- string ------------------------------------------------------------- */

static bool prop_string_parse(Object *obj, const Property *prop,
                              const char *str, PropertyInput input,
                              void *value, Error **errp)
{
    *(const char **)value = str;
    return true;
}

static void prop_string_store(const Property *prop, void *field,
                              const void *value)
{
    g_free(*(char **)field);
    *(char **)field = g_strdup(*(const char *const *)value);
}

static char *prop_string_print(const Property *prop, const void *field)
{
    const char *str = *(const char *const *)field;

    return g_strdup(str ? str : "");
}

static void prop_string_set_default(const Property *prop, void *field)
{
    prop_string_store(prop, field, &prop->defval.s);
}

static char *prop_string_default_json(const Property *prop)
{
    return prop->defval.s ? g_strdup_printf("\"%s\"", prop->defval.s)
                          : NULL;
}

static void prop_string_release(void *field)
{
    g_free(*(char **)field);
    *(char **)field = NULL;
}

const PropertyInfo prop_info_string = {
    .name = "str",
    .qom_name = "string",
    .size = sizeof(char *),
    .parse = prop_string_parse,
    .store = prop_string_store,
    .print = prop_string_print,
    .set_default = prop_string_set_default,
    .default_json = prop_string_default_json,
    .release = prop_string_release,
};

/* ---- link --------------------------------------------------------------- */

/*
 * A link names its target by id. With a resolver (chardevs...) a missing
 * id reads like QEMU's qdev pointer properties; without one the id is
 * looked up in "objects" and errors read like QEMU's object_resolve_link.
 * An empty value clears the link (QEMU's "chardev="). -object's check
 * before creation sees only a string (QAPI's str member).
 */
static bool prop_link_parse(Object *obj, const Property *prop,
                            const char *str, PropertyInput input,
                            void *value, Error **errp)
{
    Object **link = value;
    Error *err = NULL;

    *link = NULL;
    if (!*str || input == PROP_INPUT_OPTS) {
        return true;
    }
    if (prop->link_resolve) {
        *link = prop->link_resolve(str, &err);
        if (!*link) {
            if (err) {
                error_propagate(errp, err);
            } else {
                error_setg(errp, "Property '%s.%s' can't find value '%s'",
                           prop_owner(obj, prop), prop->name, str);
            }
            return false;
        }
    } else {
        *link = object_find_by_id("objects", str);
        if (!*link) {
            error_setg(errp, "Device '%s' not found", str);
            return false;
        }
    }
    if (prop->link_type && !object_dynamic_cast(*link, prop->link_type)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   prop->name, prop->link_type);
        *link = NULL;
        return false;
    }
    return true;
}

static char *prop_link_print(const Property *prop, const void *field)
{
    const Object *target = *(Object *const *)field;

    return g_strdup(target && target->id ? target->id : "");
}

/* QOM class-property type name, as object_class_property_add_link. */
static char *prop_link_qom_type_name(const Property *prop)
{
    return g_strdup_printf("link<%s>",
                           prop->link_type ? prop->link_type : "object");
}

const PropertyInfo prop_info_link = {
    .name = "str",
    .qom_type_name = prop_link_qom_type_name,
    .size = sizeof(Object *),
    .parse = prop_link_parse,
    .print = prop_link_print,
};

/* ---- Generic operations over the type tables ---------------------------- */

static void prop_set_default(const Property *prop, void *opaque)
{
    if (prop->has_default && prop->info->set_default) {
        prop->info->set_default(prop, prop_ptr(opaque, prop));
    }
}

void object_property_set_defaults(Object *obj)
{
    object_class_foreach_property(obj->klass, prop_set_default, obj);
}

static void prop_free_value(const Property *prop, void *opaque)
{
    if (prop->info->release) {
        prop->info->release(prop_ptr(opaque, prop));
    }
}

void object_property_free_values(Object *obj)
{
    object_class_foreach_property(obj->klass, prop_free_value, obj);
}

/* A parsed value, in the field's C type, before check and store. */
typedef union PropValue {
    uint64_t align;
    void *ptr;
    uint8_t bytes[PROP_VALUE_MAX];
} PropValue;

bool object_property_parse_input(Object *obj, const char *name,
                                 const char *value, PropertyInput input,
                                 Error **errp)
{
    const Property *prop = object_class_find_property(obj->klass, name);
    const PropertyInfo *info;
    PropValue v;

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
        return false;
    }
    info = prop->info;
    g_assert(info->size <= sizeof(v));
    if (!info->parse(obj, prop, value, input, &v, errp)) {
        return false;
    }
    if (prop->check && !prop->check(obj, prop, &v, errp)) {
        return false;
    }
    if (info->store) {
        info->store(prop, prop_ptr(obj, prop), &v);
    } else {
        memcpy(prop_ptr(obj, prop), &v, info->size);
    }
    return true;
}

bool object_property_parse(Object *obj, const char *name, const char *value,
                           Error **errp)
{
    return object_property_parse_input(obj, name, value, PROP_INPUT_KEYVAL,
                                       errp);
}

bool object_property_check_value(const Property *prop, const char *value,
                                 Error **errp)
{
    PropValue v;

    g_assert(prop->info->size <= sizeof(v));
    return prop->info->parse(NULL, prop, value, PROP_INPUT_OPTS, &v, errp);
}

char *object_property_print(Object *obj, const char *name)
{
    const Property *prop = object_class_find_property(obj->klass, name);

    if (!prop) {
        return NULL;
    }
    return prop->info->print(prop, prop_ptr(obj, prop));
}

/* The names qdev's PropertyInfo gives each type in QEMU 7.2. */
const char *object_property_type_name(const Property *prop, char *buf,
                                      size_t buflen)
{
    g_strlcpy(buf, prop->type_name ? prop->type_name : prop->info->name,
              buflen);
    return buf;
}

/* QOM class-property type names (object_class_property_add_str...). */
static const char *prop_class_type_name(const Property *prop, char *buf,
                                        size_t buflen)
{
    const PropertyInfo *info = prop->info;

    if (prop->type_name) {
        g_strlcpy(buf, prop->type_name, buflen);
    } else if (info->qom_type_name) {
        g_autofree char *name = info->qom_type_name(prop);

        g_strlcpy(buf, name, buflen);
    } else {
        g_strlcpy(buf, info->qom_name ? info->qom_name : info->name, buflen);
    }
    return buf;
}

/* The default as QEMU prints it: JSON (strings quoted). */
static char *prop_default_json(const Property *prop)
{
    if (!prop->has_default || prop->help_no_default ||
        !prop->info->default_json) {
        return NULL;
    }
    return prop->info->default_json(prop);
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
        ok = object_property_parse_input(obj, g->property, g->value,
                                         PROP_INPUT_GLOBAL, &err);
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
