/*
 * libFuzzer target for the option parser: util/qemu-option.c (QemuOpts),
 * util/cutils.c (sizes, numbers, booleans) and qom/property.c (typed
 * properties, -global), fed the strings a user can put on the command line.
 *
 * Input: lines ('\n'); each line is one option argument, as if given once
 * more on the command line. Its first byte picks how it is parsed:
 *   bits 0-2  the QemuOptsList shape (fuzz_shapes[] below);
 *   bit 3     set: permit_abbrev false (the implied first key is off);
 *   bit 6     set: qemu_opts_parse_help (short-form flag warnings, help).
 * So "0microvm,pit=off" is "-M microvm,pit=off"; "8..." the same without
 * the implied key. The rest of the line, up to a NUL, is the argument.
 * Lists keep their QemuOpts across lines (merge_lists, duplicate ids),
 * and everything is freed when the input ends: a leak is a finding.
 *
 * Beyond "no crash", each parse checks invariants that must hold for any
 * input (see fuzz_check_*); a g_assert failing is a finding too.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/cutils.h"
#include "qom/object.h"
#include "fuzz-target.h"

/* Bounds per input, so that one input cannot take seconds */
#define FUZZ_MAX_LINES 32
#define FUZZ_MAX_LINE_LEN 4096

/* ---- QemuOptsList shapes ------------------------------------------------ */

/* -M: implied key, merged, any key (the machine validates) */
static QemuOptsList fuzz_machine_opts = {
    .name = "machine",
    .implied_opt_name = "type",
    .merge_lists = true,
    .desc = { { NULL } },
};

/* -device / -object / -netdev: implied key, ids, any key */
static QemuOptsList fuzz_device_opts = {
    .name = "device",
    .implied_opt_name = "driver",
    .desc = { { NULL } },
};

/* -chardev: implied key, ids, typed descriptors */
static QemuOptsList fuzz_chardev_opts = {
    .name = "chardev",
    .implied_opt_name = "backend",
    .desc = {
        { .name = "backend", .type = QEMU_OPT_STRING },
        { .name = "path", .type = QEMU_OPT_STRING, .help = "a path" },
        { .name = "mux", .type = QEMU_OPT_BOOL },
        { .name = "signal", .type = QEMU_OPT_BOOL, .def_value_str = "on" },
        { .name = "logappend", .type = QEMU_OPT_BOOL },
        { .name = "delay", .type = QEMU_OPT_BOOL },
        { .name = "port", .type = QEMU_OPT_NUMBER },
        { .name = "size", .type = QEMU_OPT_SIZE },
        { NULL }
    },
};

/* -m: implied size, merged, typed */
static QemuOptsList fuzz_memory_opts = {
    .name = "memory",
    .implied_opt_name = "size",
    .merge_lists = true,
    .desc = {
        { .name = "size", .type = QEMU_OPT_SIZE },
        { .name = "slots", .type = QEMU_OPT_NUMBER },
        { .name = "maxmem", .type = QEMU_OPT_SIZE },
        { NULL }
    },
};

/* -smp: implied cpus, merged, numbers */
static QemuOptsList fuzz_smp_opts = {
    .name = "smp-opts",
    .implied_opt_name = "cpus",
    .merge_lists = true,
    .desc = {
        { .name = "cpus", .type = QEMU_OPT_NUMBER },
        { .name = "sockets", .type = QEMU_OPT_NUMBER },
        { .name = "dies", .type = QEMU_OPT_NUMBER },
        { .name = "cores", .type = QEMU_OPT_NUMBER },
        { .name = "threads", .type = QEMU_OPT_NUMBER },
        { .name = "maxcpus", .type = QEMU_OPT_NUMBER },
        { NULL }
    },
};

/* -global's long form: no implied key, strings; also qemu_global_option */
static QemuOptsList fuzz_global_opts = {
    .name = "global",
    .desc = {
        { .name = "driver", .type = QEMU_OPT_STRING },
        { .name = "property", .type = QEMU_OPT_STRING },
        { .name = "value", .type = QEMU_OPT_STRING },
        { NULL }
    },
};

/* -drive: no implied key, any key */
static QemuOptsList fuzz_drive_opts = {
    .name = "drive",
    .desc = { { NULL } },
};

/* Every type, with defaults (one that does not parse as its type) */
static QemuOptsList fuzz_typed_opts = {
    .name = "typed",
    .desc = {
        { .name = "str", .type = QEMU_OPT_STRING, .def_value_str = "dflt" },
        { .name = "bool", .type = QEMU_OPT_BOOL, .def_value_str = "on" },
        { .name = "num", .type = QEMU_OPT_NUMBER, .def_value_str = "0x10" },
        { .name = "size", .type = QEMU_OPT_SIZE, .def_value_str = "1.5k" },
        { .name = "badnum", .type = QEMU_OPT_NUMBER,
          .def_value_str = "x" },
        { .name = "help", .type = QEMU_OPT_BOOL },
        { NULL }
    },
};

#define FUZZ_SHAPE_GLOBAL 5

static QemuOptsList *const fuzz_shapes[8] = {
    &fuzz_machine_opts, &fuzz_device_opts, &fuzz_chardev_opts,
    &fuzz_memory_opts, &fuzz_smp_opts, &fuzz_global_opts,
    &fuzz_drive_opts, &fuzz_typed_opts,
};

/* ---- A QOM type with one property of every PropertyType ----------------- */

#define TYPE_FUZZ_OBJECT "fuzz-object"
#define FUZZ_LINK_TARGET_ID "fuzz-target"
#define TYPE_FUZZ_OTHER "fuzz-other"

typedef struct FuzzObject {
    Object parent_obj;
    bool b;
    int on_off_auto;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
    uint64_t size;
    char *str;
    int en;
    Object *link;
    Object *link_resolved;
    uint32_t even;
} FuzzObject;

static const char *const fuzz_enum_table[] = {
    "alpha", "beta", "", "gamma,delta", NULL
};

/* A resolver that fails without an Error: property.c words the message */
static Object *fuzz_link_resolve(const char *id, Error **errp)
{
    if (strcmp(id, "error") == 0) {
        error_setg(errp, "resolver refused '%s'", id);
        return NULL;
    }
    return object_find_by_id("objects", id);
}

static bool fuzz_check_even(Object *obj, const Property *prop,
                            const void *value, Error **errp)
{
    if (*(const uint32_t *)value & 1) {
        error_setg(errp, "Property '%s' must be even", prop->name);
        return false;
    }
    return true;
}

static const Property fuzz_object_props[] = {
    DEFINE_PROP_BOOL("b", FuzzObject, b, true, "a bool"),
    DEFINE_PROP_ON_OFF_AUTO("ooa", FuzzObject, on_off_auto, ON_OFF_AUTO_AUTO,
                            "an OnOffAuto"),
    DEFINE_PROP_UINT8("u8", FuzzObject, u8, 8, ""),
    DEFINE_PROP_UINT16("u16", FuzzObject, u16, 16, ""),
    DEFINE_PROP_UINT32("u32", FuzzObject, u32, 32, ""),
    DEFINE_PROP_UINT64("u64", FuzzObject, u64, 64, ""),
    DEFINE_PROP_INT32("i32", FuzzObject, i32, -32, ""),
    { .name = "i64", .info = &prop_info_int64,
      .offset = offsetof(FuzzObject, i64), .has_default = true,
      .defval.i = INT64_MIN },
    DEFINE_PROP_SIZE("size", FuzzObject, size, 4096, "a size"),
    { .name = "str", .info = &prop_info_string,
      .offset = offsetof(FuzzObject, str), .has_default = true,
      .defval.s = "default" },
    DEFINE_PROP_ENUM("enum", FuzzObject, en, 1, fuzz_enum_table, ""),
    DEFINE_PROP_LINK("link", FuzzObject, link, TYPE_FUZZ_OBJECT, NULL, ""),
    DEFINE_PROP_LINK("chardev", FuzzObject, link_resolved, TYPE_FUZZ_OBJECT,
                     fuzz_link_resolve, ""),
    { .name = "even", .info = &prop_info_uint32,
      .offset = offsetof(FuzzObject, even), .check = fuzz_check_even },
    DEFINE_PROP_END_OF_LIST()
};

static void fuzz_object_class_init(ObjectClass *klass, void *data)
{
    object_class_add_properties(klass, fuzz_object_props);
}

static const TypeInfo fuzz_object_info = {
    .name = TYPE_FUZZ_OBJECT,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(FuzzObject),
    .class_init = fuzz_object_class_init,
};

/* A link target of the wrong type */
static const TypeInfo fuzz_other_info = {
    .name = TYPE_FUZZ_OTHER,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Object),
};

static void fuzz_add_object(const char *type, const char *id)
{
    Object *obj = object_new(type);

    object_add_with_id("objects", id, obj, &error_abort);
    object_unref(obj);      /* the namespace holds its own reference */
}

/* Once per process: the types, and link targets that live forever. */
static void fuzz_init(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    type_register_static(&fuzz_object_info);
    type_register_static(&fuzz_other_info);
    fuzz_add_object(TYPE_FUZZ_OBJECT, FUZZ_LINK_TARGET_ID);
    fuzz_add_object(TYPE_FUZZ_OTHER, TYPE_FUZZ_OTHER);
}

/* ---- Invariants ---------------------------------------------------------- */

/*
 * qemu_strtosz and friends: the whole-string form and the end-pointer
 * form agree, the end stays inside the string, and a value with an
 * explicit suffix means the same bytes whatever the default unit.
 */
static void fuzz_check_sizes(const char *s)
{
    size_t len = strlen(s);
    uint64_t whole = 0, partial = 0, mib = 0, u = 0;
    const char *end = NULL;
    int64_t i64 = 0;
    int i = 0;
    unsigned long ul = 0;
    int rc, rc_end, rc_mib;
    bool b;

    rc = qemu_strtosz(s, NULL, &whole);
    g_assert(rc == 0 || rc == -EINVAL || rc == -ERANGE);
    rc_end = qemu_strtosz(s, &end, &partial);
    g_assert(end >= s && end <= s + len);
    if (rc == 0) {
        g_assert_cmpint(rc_end, ==, 0);
        g_assert(*end == '\0');
        g_assert_cmpuint(whole, ==, partial);
    }
    rc_mib = qemu_strtosz_MiB(s, NULL, &mib);
    g_assert(rc_mib == 0 || rc_mib == -EINVAL || rc_mib == -ERANGE);
    if (rc == 0 && len && strchr("kKmMgGtTpPeEbB", s[len - 1]) &&
        !strpbrk(s, "xX")) {
        g_assert_cmpint(rc_mib, ==, 0);
        g_assert_cmpuint(mib, ==, whole);
    }
    end = NULL;
    qemu_strtosz_MiB(s, &end, &mib);
    g_assert(end >= s && end <= s + len);

    for (int base = 0; base <= 16; base += 8) {
        end = NULL;
        qemu_strtou64(s, &end, base, &u);
        g_assert(end >= s && end <= s + len);
        qemu_strtoi64(s, NULL, base, &i64);
        rc = qemu_strtoi(s, NULL, base, &i);
        if (rc == -ERANGE) {
            g_assert(i == INT_MAX || i == INT_MIN);
        }
        qemu_strtoul(s, NULL, base, &ul);
    }

    if (qapi_bool_parse("fuzz", s, &b, NULL)) {
        g_assert(strcmp(s, b ? "on" : "off") == 0 ||
                 strcmp(s, b ? "yes" : "no") == 0 ||
                 strcmp(s, b ? "true" : "false") == 0 ||
                 strcmp(s, b ? "y" : "n") == 0);
    }
}

/*
 * A value a property accepted prints back as a string that the property
 * accepts again, to the same value.
 */
static void fuzz_check_property(Object *obj, const char *name,
                                const char *value)
{
    Error *err = NULL;
    char *printed;
    char *reprinted;
    bool ok;

    ok = object_property_parse(obj, name, value, &err);
    g_assert(ok == (err == NULL));
    if (!ok) {
        g_assert(error_get_pretty(err)[0] != '\0');
        error_free(err);
        return;
    }
    printed = object_property_print(obj, name);
    g_assert(printed);
    if (!object_property_parse(obj, name, printed, &err)) {
        g_error("property %s: '%s' printed as '%s', which fails: %s", name,
                value, printed, error_get_pretty(err));
    }
    reprinted = object_property_print(obj, name);
    g_assert_cmpstr(printed, ==, reprinted);
    g_free(printed);
    g_free(reprinted);
}

static void fuzz_check_value(Object *obj, const char *name,
                             const char *value)
{
    const Property *p;

    fuzz_check_sizes(value);
    fuzz_check_property(obj, name, value);
    for (p = fuzz_object_props; p->name; p++) {
        fuzz_check_property(obj, p->name, value);
    }
}

typedef struct FuzzVisit {
    QemuOpts *opts;
    Object *obj;
    unsigned count;
} FuzzVisit;

static int fuzz_visit_opt(void *opaque, const char *name, const char *value,
                          Error **errp)
{
    FuzzVisit *v = opaque;

    g_assert(name && value);
    /* the last occurrence wins, so get may return another value */
    g_assert(qemu_opt_has(v->opts, name));
    g_assert(qemu_opt_get(v->opts, name) != NULL);
    qemu_opt_get_bool(v->opts, name, false);
    qemu_opt_get_number(v->opts, name, 7);
    qemu_opt_get_size(v->opts, name, 7);
    fuzz_check_value(v->obj, name, value);
    v->count++;
    return 0;
}

static int fuzz_first_name(void *opaque, const char *name,
                           const char *value, Error **errp)
{
    *(char **)opaque = g_strdup(name);
    return 1;
}

static int fuzz_count_opts(void *opaque, QemuOpts *opts, Error **errp)
{
    (*(unsigned *)opaque)++;
    return 0;
}

/* Getters, validation and printing on options that parsed. */
static void fuzz_check_opts(QemuOptsList *list, QemuOpts *opts, Object *obj)
{
    FuzzVisit v = { .opts = opts, .obj = obj };
    const QemuOptDesc *d;
    Error *err = NULL;
    char *str;
    QemuOpts *again;
    unsigned n = 0;

    g_assert(qemu_opts_list(opts) == list);
    g_assert(qemu_opts_find(list, qemu_opts_id(opts)) != NULL);
    qemu_opt_foreach(opts, fuzz_visit_opt, &v, NULL);
    qemu_opt_has_help_opt(opts);

    for (d = list->desc; d->name; d++) {
        qemu_opt_get(opts, d->name);
        qemu_opt_get_bool(opts, d->name, true);
        qemu_opt_get_number(opts, d->name, 1);
        qemu_opt_get_size(opts, d->name, 1);
    }
    /* options that parsed against the list's descriptors validate again */
    if (list->desc[0].name && !qemu_opts_validate(opts, list->desc, &err)) {
        g_error("'%s' parsed but does not validate: %s", list->name,
                error_get_pretty(err));
    }

    str = qemu_opts_to_string(opts);
    g_assert(str);
    /* reparsed as -drive: no implied key, any key; may fail, not crash */
    again = qemu_opts_parse(&fuzz_drive_opts, str, false, &err);
    g_assert((again == NULL) == (err != NULL));
    error_free(err);
    err = NULL;
    qemu_opts_del(again);
    g_free(str);

    /*
     * Set the first key again (it was accepted, so it is again), then
     * unset it; a merged list shares these opts with later lines.
     */
    if (v.count) {
        char *first = NULL;
        const char *value;

        qemu_opt_foreach(opts, fuzz_first_name, &first, NULL);
        g_assert(first);
        value = qemu_opt_get(opts, first);
        if (!qemu_opt_set(opts, first, value, &err)) {
            g_error("'%s=%s' was accepted, then refused: %s", first, value,
                    error_get_pretty(err));
        }
        g_assert(qemu_opt_unset(opts, first));
        g_assert(!qemu_opt_has(opts, first));
        g_free(first);
    }
    g_assert_cmpint(qemu_opts_foreach(list, fuzz_count_opts, &n, NULL), ==,
                    0);
    g_assert_cmpuint(n, ==, g_queue_get_length(&list->head));

    /* any typed validation may fail; it must not crash */
    if (!qemu_opts_validate(opts, fuzz_typed_opts.desc, &err)) {
        g_assert(err);
        error_free(err);
    }
}

/* -global: both forms, then an object that the globals apply to. */
static void fuzz_global(const char *arg)
{
    Object *obj;
    Error *err;

    qemu_global_option(arg);
    obj = object_new(TYPE_FUZZ_OBJECT);
    err = object_take_pending_error(obj);
    if (err) {
        g_assert(error_get_pretty(err)[0] != '\0');
        error_free(err);
    }
    object_unref(obj);
}

static void fuzz_one_line(const char *line, Object *obj)
{
    uint8_t sel = line[0];
    QemuOptsList *list = fuzz_shapes[sel & 7];
    bool permit_abbrev = !(sel & 8);
    const char *arg = line + 1;
    Error *err = NULL;
    bool help_wanted = false;
    QemuOpts *opts;

    if (sel & 0x40) {
        opts = qemu_opts_parse_help(list, arg, permit_abbrev, &help_wanted,
                                    &err);
        g_assert(!(opts && help_wanted));
        g_assert(opts || help_wanted || err);
        g_assert(!(help_wanted && err));
    } else {
        opts = qemu_opts_parse(list, arg, permit_abbrev, &err);
        g_assert((opts == NULL) == (err != NULL));
    }
    if (err) {
        g_assert(error_get_pretty(err)[0] != '\0');
        error_free(err);
    }
    if (opts) {
        fuzz_check_opts(list, opts, obj);
    }
    if ((sel & 7) == FUZZ_SHAPE_GLOBAL) {
        fuzz_global(arg);
    }
    fuzz_check_sizes(arg);
}

static void fuzz_reset(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(fuzz_shapes); i++) {
        while (!g_queue_is_empty(&fuzz_shapes[i]->head)) {
            qemu_opts_del(g_queue_peek_head(&fuzz_shapes[i]->head));
        }
    }
    object_reset_globals();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pos = 0;
    unsigned lines = 0;
    Object *obj;

    fuzz_init();
    obj = object_new(TYPE_FUZZ_OBJECT);
    while (pos < size && lines < FUZZ_MAX_LINES) {
        const uint8_t *nl = memchr(data + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
        char *line;

        /* a line stops at a NUL, as a command-line argument does */
        line = g_strndup((const char *)data + pos,
                         MIN(len, FUZZ_MAX_LINE_LEN));
        if (line[0]) {
            fuzz_one_line(line, obj);
        }
        g_free(line);
        pos += len + 1;
        lines++;
    }
    fuzz_reset();
    object_unref(obj);
    return 0;
}
