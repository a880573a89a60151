/*
 * -object: checking, help and creation of user-creatable objects.
 *
 * Matches QEMU 7.2's softmmu/vl.c object_option_parse and
 * object_create_early, qom/object_interfaces.c user_creatable_add_type and
 * user_creatable_print_help, and the wording of qapi/opts-visitor.c, which
 * checks a -object argument against qapi/qom.json at parse time.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "system/object-add.h"

/* One queued -object, created later by object_option_foreach_add. */
typedef struct ObjectOption {
    char *type;
    QemuOpts *opts;
} ObjectOption;

static GQueue object_options = G_QUEUE_INIT;

QemuOptsList qemu_object_opts = {
    .name = "object",
    .implied_opt_name = "qom-type",
    .desc = { { 0 } },          /* checked per type in check_members */
};

/*
 * QEMU 7.2's ObjectType enum (Debian's build): types -object knows. Those
 * microqemu does not implement are refused by name, not called unknown.
 */
static const char *const qemu_object_types[] = {
    "authz-list", "authz-listfile", "authz-pam", "authz-simple", "can-bus",
    "can-host-socketcan", "colo-compare", "cryptodev-backend",
    "cryptodev-backend-builtin", "cryptodev-vhost-user", "dbus-vmstate",
    "filter-buffer", "filter-dump", "filter-mirror", "filter-redirector",
    "filter-replay", "filter-rewriter", "input-barrier", "input-linux",
    "iothread", "main-loop", "memory-backend-epc", "memory-backend-file",
    "memory-backend-memfd", "memory-backend-ram", "pr-manager-helper",
    "qtest", "rng-builtin", "rng-egd", "rng-random", "secret",
    "secret_keyring", "sev-guest", "thread-context", "throttle-group",
    "tls-creds-anon", "tls-creds-psk", "tls-creds-x509", "tls-cipher-suites",
    "x-remote-object", NULL,
};

static void user_creatable_class_init(ObjectClass *klass, void *data)
{
    /* QOM class properties: help shows "int"/"bool"/"string", no defaults */
    klass->class_property_help = true;
}

static const TypeInfo user_creatable_info = {
    .name = TYPE_USER_CREATABLE,
    .parent = TYPE_OBJECT,
    .abstract = true,
    .class_size = sizeof(UserCreatableClass),
    .class_init = user_creatable_class_init,
};

void object_add_register_types(void)
{
    type_register_static(&user_creatable_info);
}

static bool is_help_option(const char *s)
{
    return s && (strcmp(s, "help") == 0 || strcmp(s, "?") == 0);
}

static bool str_in(const char *const *list, const char *s)
{
    for (; list && *list; list++) {
        if (strcmp(*list, s) == 0) {
            return true;
        }
    }
    return false;
}

static void print_user_creatable_types(void)
{
    GSList *list = object_class_get_list(TYPE_USER_CREATABLE, false);

    printf("List of user creatable objects:\n");
    for (GSList *l = list; l; l = l->next) {
        printf("  %s\n", object_class_get_name(l->data));
    }
    g_slist_free(list);
}

bool user_creatable_print_help(const char *type, QemuOpts *opts)
{
    ObjectClass *oc;
    GString *help;

    if (is_help_option(type)) {
        print_user_creatable_types();
        return true;
    }
    if (!qemu_opt_has_help_opt(opts)) {
        return false;
    }
    /* abstract types too: "-object memory-backend,help" works in QEMU */
    oc = type ? object_class_by_name(type) : NULL;
    if (!oc || !object_class_dynamic_cast(oc, TYPE_USER_CREATABLE)) {
        return false;
    }
    help = g_string_new(NULL);
    object_class_print_properties_help(oc, help);
    fputs(help->str, stdout);
    g_string_free(help, TRUE);
    return true;
}

/* ---- The parse-time check (qapi/opts-visitor.c) ------------------------ */

/* "N" or "A-B" (at most 65536 values, as OPTS_VISITOR_RANGE_MAX) */
static bool parse_uint_range(const char *s, uint64_t *lo, uint64_t *hi)
{
    g_autofree char *first = NULL;
    const char *dash = strchr(s, '-');

    if (!dash || dash == s) {
        *lo = *hi = 0;
        return opts_visitor_parse_uint(s, lo) && (*hi = *lo, true);
    }
    first = g_strndup(s, dash - s);
    return opts_visitor_parse_uint(first, lo) &&
           opts_visitor_parse_uint(dash + 1, hi) &&
           *lo <= *hi && *hi - *lo < 65536;
}

typedef struct CheckState {
    QemuOpts *opts;
    UserCreatableClass *ucc;
    GHashTable *seen;           /* names of members checked */
    Error **errp;
    bool failed;
} CheckState;

typedef struct LastValue {
    const char *name;
    const char *value;
    GPtrArray *all;             /* every value, for list members */
} LastValue;

static int collect_value(void *opaque, const char *name, const char *value,
                         Error **errp)
{
    LastValue *lv = opaque;

    if (strcmp(name, lv->name) == 0) {
        lv->value = value;
        if (lv->all) {
            g_ptr_array_add(lv->all, (gpointer)value);
        }
    }
    return 0;
}

static bool check_list_member(const Property *prop, GPtrArray *values,
                              Error **errp)
{
    for (guint i = 0; i < values->len; i++) {
        uint64_t lo, hi;

        if (!parse_uint_range(g_ptr_array_index(values, i), &lo, &hi)) {
            error_setg(errp, "Parameter '%s' expects a uint64 value or range",
                       prop->name);
            return false;
        }
        if (hi > UINT16_MAX) {
            /* QEMU names no member for list elements */
            error_setg(errp, "Parameter 'null' expects uint16_t");
            return false;
        }
    }
    return true;
}

/* One QAPI member, visited in schema order (the class's table order). */
static void check_member(const Property *prop, void *opaque)
{
    CheckState *cs = opaque;
    bool is_list = str_in(cs->ucc->list_props, prop->name);
    g_autoptr(GPtrArray) all = is_list ? g_ptr_array_new() : NULL;
    LastValue lv = { .name = prop->name, .all = all };

    if (cs->failed || !g_hash_table_add(cs->seen, (gpointer)prop->name)) {
        return;
    }
    qemu_opt_foreach(cs->opts, collect_value, &lv, NULL);
    if (!lv.value) {
        if (str_in(cs->ucc->required, prop->name)) {
            error_setg(cs->errp, "Parameter '%s' is missing", prop->name);
            cs->failed = true;
        }
        return;
    }
    if (is_list ? !check_list_member(prop, all, cs->errp)
                : !object_property_check_value(prop, lv.value, cs->errp)) {
        cs->failed = true;
    }
}

static int check_known_key(void *opaque, const char *name, const char *value,
                           Error **errp)
{
    CheckState *cs = opaque;

    if (strcmp(name, "qom-type") == 0 ||
        g_hash_table_contains(cs->seen, name)) {
        return 0;
    }
    error_setg(errp, "Invalid parameter '%s'", name);
    return -1;
}

/* QAPI members that are no QOM property (QEMU 7.2: rng's "opened"). */
static const char *const qapi_only_bools[] = { "opened", NULL };

static bool check_members(QemuOpts *opts, ObjectClass *oc, Error **errp)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);
    CheckState cs = {
        .opts = opts, .ucc = ucc, .errp = errp,
        .seen = g_hash_table_new(g_str_hash, g_str_equal),
    };
    bool ok;

    object_class_foreach_property(oc, check_member, &cs);
    if (!cs.failed && object_class_dynamic_cast(oc, "rng-backend")) {
        const char *v = qemu_opt_get(opts, "opened");
        bool b;

        g_hash_table_add(cs.seen, (gpointer)qapi_only_bools[0]);
        if (v && !qapi_bool_parse("opened", v, &b, errp)) {
            cs.failed = true;
        }
    }
    ok = !cs.failed && !qemu_opt_foreach(opts, check_known_key, &cs, errp);
    g_hash_table_destroy(cs.seen);
    return ok;
}

/* The class of a creatable type, or QEMU's error for the qom-type. */
static ObjectClass *find_creatable_class(const char *type, Error **errp)
{
    ObjectClass *oc = object_class_by_name(type);

    if (oc && object_class_dynamic_cast(oc, TYPE_USER_CREATABLE) &&
        !object_class_is_abstract(oc)) {
        return oc;
    }
    if (str_in(qemu_object_types, type)) {
        error_setg(errp, "object type '%s' is not supported by microqemu",
                   type);
        return NULL;
    }
    error_setg(errp, "Parameter 'qom-type' does not accept value '%s'",
               type);
    return NULL;
}

bool user_creatable_check_opts(QemuOpts *opts, Error **errp)
{
    const char *type = qemu_opt_get(opts, "qom-type");
    ObjectClass *oc;

    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return false;
    }
    oc = find_creatable_class(type, errp);
    if (!oc) {
        return false;
    }
    if (!qemu_opts_id(opts)) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    return check_members(opts, oc, errp);
}

bool object_option_parse(const char *optarg, bool *help_printed,
                         Error **errp)
{
    ObjectOption *o;
    QemuOpts *opts;
    const char *type;
    bool help_key;

    *help_printed = false;
    if (optarg[0] == '{') {
        error_setg(errp, "JSON syntax for -object is not supported by "
                   "microqemu");
        return false;
    }
    /* with QEMU's warnings for short-form booleans ("share") */
    opts = qemu_opts_parse_help(&qemu_object_opts, optarg, true, &help_key,
                                errp);
    if (!opts) {
        return false;
    }
    type = qemu_opt_get(opts, "qom-type");
    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return false;
    }
    if (user_creatable_print_help(type, opts)) {
        *help_printed = true;
        return true;
    }
    if (!user_creatable_check_opts(opts, errp)) {
        return false;
    }
    o = g_new0(ObjectOption, 1);
    o->type = g_strdup(type);
    o->opts = opts;
    g_queue_push_tail(&object_options, o);
    return true;
}

/* ---- Creation ---------------------------------------------------------- */

typedef struct SetState {
    Object *obj;
    QemuOpts *opts;
    UserCreatableClass *ucc;
    GHashTable *seen;
    Error **errp;
    bool failed;
} SetState;

static void set_member(const Property *prop, void *opaque)
{
    SetState *ss = opaque;
    bool is_list = str_in(ss->ucc->list_props, prop->name);
    g_autoptr(GPtrArray) all = is_list ? g_ptr_array_new() : NULL;
    LastValue lv = { .name = prop->name, .all = all };
    g_autofree char *joined = NULL;

    if (ss->failed || !g_hash_table_add(ss->seen, (gpointer)prop->name)) {
        return;
    }
    qemu_opt_foreach(ss->opts, collect_value, &lv, NULL);
    if (!lv.value) {
        return;
    }
    if (is_list) {
        g_ptr_array_add(all, NULL);
        joined = g_strjoinv(",", (char **)all->pdata);
    }
    if (!object_property_parse(ss->obj, prop->name,
                               joined ? joined : lv.value, ss->errp)) {
        ss->failed = true;
    }
}

bool user_creatable_complete(Object *obj, Error **errp)
{
    UserCreatableClass *ucc = USER_CREATABLE_GET_CLASS(obj);

    return !ucc->complete || ucc->complete(obj, errp);
}

Object *user_creatable_add_opts(QemuOpts *opts, Error **errp)
{
    const char *type;
    Object *obj;
    SetState ss = { .opts = opts, .errp = errp };

    if (!user_creatable_check_opts(opts, errp)) {
        return NULL;
    }
    type = qemu_opt_get(opts, "qom-type");
    obj = object_new(type);
    ss.obj = obj;
    ss.ucc = USER_CREATABLE_GET_CLASS(obj);
    ss.seen = g_hash_table_new(g_str_hash, g_str_equal);
    object_class_foreach_property(object_get_class(obj), set_member, &ss);
    g_hash_table_destroy(ss.seen);
    if (!ss.failed && qemu_opt_get(opts, "opened")) {
        error_setg(errp, "Property '%s.opened' is not writable", type);
        ss.failed = true;
    }
    /* QEMU adds the id first: complete may use it (RAM block names) */
    if (ss.failed ||
        !object_add_with_id("objects", qemu_opts_id(opts), obj, errp)) {
        object_unref(obj);
        return NULL;
    }
    object_unref(obj);          /* the namespace holds it now */
    if (!user_creatable_complete(obj, errp)) {
        object_remove_id("objects", qemu_opts_id(opts));
        return NULL;
    }
    return obj;
}

void user_creatable_del(const char *id)
{
    object_remove_id("objects", id);
}

/*
 * QEMU 7.2's object_create_early: memory backends wait until chardevs
 * exist (allocating much memory must not delay a monitor socket libvirt
 * waits for); the rest of microqemu's types are created first.
 */
bool object_create_early(const char *type)
{
    static const char *const late[] = {
        "rng-egd", "qtest", "cryptodev-vhost-user", "vhost-user-blk-server",
        "filter-buffer", "filter-dump", "filter-mirror", "filter-redirector",
        "colo-compare", "filter-rewriter", "filter-replay", NULL,
    };

    if (strcmp(type, "thread-context") == 0) {
        return false;           /* created before the sandbox in QEMU */
    }
    return !str_in(late, type) && !g_str_has_prefix(type, "memory-backend-");
}

bool object_create_late(const char *type)
{
    return !object_create_early(type) && strcmp(type, "thread-context");
}

bool object_option_foreach_add(bool (*pred)(const char *type), Error **errp)
{
    GList *l = object_options.head;

    while (l) {
        ObjectOption *o = l->data;
        GList *next = l->next;

        if (pred(o->type)) {
            g_queue_delete_link(&object_options, l);
            if (!user_creatable_add_opts(o->opts, errp)) {
                g_free(o->type);
                g_free(o);
                return false;
            }
            g_free(o->type);
            g_free(o);
        }
        l = next;
    }
    return true;
}

void object_option_reset(void)
{
    ObjectOption *o;
    QemuOpts *opts;

    while ((o = g_queue_pop_head(&object_options))) {
        g_free(o->type);
        g_free(o);
    }
    while ((opts = g_queue_peek_head(&qemu_object_opts.head))) {
        qemu_opts_del(opts);
    }
}
