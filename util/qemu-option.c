/*
 * QemuOpts: the "key=value,..." grammar of QEMU's command line.
 *
 * Matches QEMU 7.2's util/qemu-option.c: get_opt_name_value, opts_parse,
 * opts_parse_id, qemu_opts_create, opt_validate and the typed parsers,
 * with the same error messages.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/cutils.h"
#include "qom/object.h"

typedef struct QemuOpt {
    char *name;
    char *str;
    const QemuOptDesc *desc;
    union {
        bool boolean;
        uint64_t uint;
    } value;
} QemuOpt;

struct QemuOpts {
    char *id;
    QemuOptsList *list;
    GQueue head;            /* of QemuOpt*, in the order given */
};

static bool opts_accepts_any(const QemuOptsList *list)
{
    return list->desc[0].name == NULL;
}

static const QemuOptDesc *opts_find_desc(const QemuOptDesc *desc,
                                         const char *name)
{
    int i;

    for (i = 0; desc[i].name != NULL; i++) {
        if (strcmp(desc[i].name, name) == 0) {
            return &desc[i];
        }
    }
    return NULL;
}

static bool opts_is_help(const char *name)
{
    return strcmp(name, "?") == 0 || strcmp(name, "help") == 0;
}

static bool opts_is_help_n(const char *name, size_t len)
{
    g_autofree char *key = g_strndup(name, len);

    return opts_is_help(key);
}

/* A value runs to the next single ','; ",," stands for one ','. */
static const char *opts_get_value(const char *p, char **value)
{
    GString *s = g_string_new(NULL);
    const char *comma;

    for (;;) {
        comma = strchr(p, ',');
        if (!comma) {
            g_string_append(s, p);
            p += strlen(p);
            break;
        }
        g_string_append_len(s, p, comma - p);
        if (comma[1] != ',') {
            p = comma;
            break;
        }
        g_string_append_c(s, ',');
        p = comma + 2;
    }
    *value = g_string_free(s, false);
    return p;
}

/*
 * One "name=value", "value" (the implied first key) or "flag" ("noflag"
 * means flag=off). Returns where the next one starts, or NULL when a
 * keyval list has a key without a value.
 */
static const char *opts_get_name_value(bool keyval, const char *params,
                                       const char *firstname,
                                       bool warn_on_flag,
                                       bool *help_wanted,
                                       char **name, char **value,
                                       Error **errp)
{
    size_t len = strcspn(params, "=,");
    const char *prefix = "";
    bool is_help = false;
    const char *p;

    if (keyval && params[len] != '=' && !opts_is_help_n(params, len)) {
        /*
         * QEMU 7.2 keyval_parse_one(): the implied value runs to the first
         * ',' (no ",," escape); any other key needs "=value".
         */
        if (!len) {
            error_setg(errp, "Invalid parameter ''");
            return NULL;
        }
        if (!firstname) {
            error_setg(errp, "Expected '=' after parameter '%.*s'",
                       (int)len, params);
            return NULL;
        }
        *name = g_strdup(firstname);
        *value = g_strndup(params, len);
        p = params + len;
    } else if (params[len] != '=') {
        if (firstname) {
            *name = g_strdup(firstname);
            p = opts_get_value(params, value);
        } else {
            *name = g_strndup(params, len);
            p = params + len;
            if (strncmp(*name, "no", 2) == 0) {
                memmove(*name, *name + 2, strlen(*name + 2) + 1);
                *value = g_strdup("off");
                prefix = "no";
            } else {
                *value = g_strdup("on");
                is_help = opts_is_help(*name);
            }
            if (!is_help && warn_on_flag) {
                warn_report("short-form boolean option '%s%s' deprecated",
                            prefix, *name);
                if (g_str_equal(*name, "delay")) {
                    error_printf("Please use nodelay=%s instead\n",
                                 prefix[0] ? "on" : "off");
                } else {
                    error_printf("Please use %s=%s instead\n", *name,
                                 *value);
                }
            }
        }
    } else {
        *name = g_strndup(params, len);
        p = opts_get_value(params + len + 1, value);
    }
    if (help_wanted && is_help) {
        *help_wanted = true;
    }
    if (*p == ',') {
        p++;
    }
    return p;
}

static char *opts_parse_id(const char *params)
{
    const char *p = params;
    char *name;
    char *value;

    while (*p) {
        p = opts_get_name_value(false, p, NULL, false, NULL, &name, &value,
                                NULL);
        if (strcmp(name, "id") == 0) {
            g_free(name);
            return value;
        }
        g_free(name);
        g_free(value);
    }
    return NULL;
}

static bool opts_parse_bool(const char *name, const char *value, bool *ret,
                            Error **errp)
{
    return qapi_bool_parse(name, value, ret, errp);
}

static bool opts_parse_number(const char *name, const char *value,
                              uint64_t *ret, Error **errp)
{
    int err = qemu_strtou64(value, NULL, 0, ret);

    if (err == -ERANGE) {
        error_setg(errp, "Value '%s' is too large for parameter '%s'",
                   value, name);
        return false;
    }
    if (err) {
        error_setg(errp, "Parameter '%s' expects a number", name);
        return false;
    }
    return true;
}

static bool opts_parse_size(const char *name, const char *value,
                            uint64_t *ret, Error **errp)
{
    int err = qemu_strtosz(value, NULL, ret);

    if (err == -ERANGE) {
        error_setg(errp, "Value '%s' is out of range for parameter '%s'",
                   value, name);
        return false;
    }
    if (err) {
        error_setg(errp, "Parameter '%s' expects a non-negative number "
                   "below 2^64", name);
        error_append_hint(errp, "Optional suffix k, M, G, T, P or E means"
                          " kilo-, mega-, giga-, tera-, peta-\n"
                          "and exabytes, respectively.\n");
        return false;
    }
    return true;
}

static bool opt_parse_typed(QemuOpt *opt, Error **errp)
{
    if (!opt->desc) {
        return true;
    }
    switch (opt->desc->type) {
    case QEMU_OPT_STRING:
        return true;
    case QEMU_OPT_BOOL:
        return opts_parse_bool(opt->name, opt->str, &opt->value.boolean,
                               errp);
    case QEMU_OPT_NUMBER:
        return opts_parse_number(opt->name, opt->str, &opt->value.uint,
                                 errp);
    case QEMU_OPT_SIZE:
        return opts_parse_size(opt->name, opt->str, &opt->value.uint, errp);
    }
    g_assert_not_reached();
}

static void opt_free(QemuOpt *opt)
{
    g_free(opt->name);
    g_free(opt->str);
    g_free(opt);
}

static void opt_del(QemuOpts *opts, QemuOpt *opt)
{
    g_queue_remove(&opts->head, opt);
    opt_free(opt);
}

/* Appends name=value and checks it against the list's descriptors. */
static bool opt_add(QemuOpts *opts, const char *name, const char *value,
                    Error **errp)
{
    QemuOpt *opt = g_new0(QemuOpt, 1);

    opt->name = g_strdup(name);
    opt->str = g_strdup(value);
    g_queue_push_tail(&opts->head, opt);
    opt->desc = opts_find_desc(opts->list->desc, name);
    if (!opt->desc && !opts_accepts_any(opts->list)) {
        error_setg(errp, "Invalid parameter '%s'", name);
        opt_del(opts, opt);
        return false;
    }
    if (!opt_parse_typed(opt, errp)) {
        opt_del(opts, opt);
        return false;
    }
    return true;
}

static QemuOpt *opts_find_opt(QemuOpts *opts, const char *name)
{
    GList *l;

    for (l = opts->head.tail; l; l = l->prev) {
        QemuOpt *opt = l->data;

        if (strcmp(opt->name, name) == 0) {
            return opt;
        }
    }
    return NULL;
}

static bool opts_do_parse(QemuOpts *opts, const char *params,
                          const char *firstname, bool warn_on_flag,
                          bool *help_wanted, Error **errp)
{
    const char *p = params;
    char *name;
    char *value;
    bool ok;

    while (*p) {
        p = opts_get_name_value(opts->list->keyval, p, firstname,
                                warn_on_flag,
                                help_wanted, &name, &value, errp);
        if (!p) {
            return false;
        }
        if (help_wanted && *help_wanted) {
            g_free(name);
            g_free(value);
            return false;
        }
        firstname = NULL;
        if (strcmp(name, "id") == 0) {
            g_free(name);
            g_free(value);
            continue;
        }
        ok = opt_add(opts, name, value, errp);
        g_free(name);
        g_free(value);
        if (!ok) {
            return false;
        }
    }
    return true;
}

QemuOpts *qemu_opts_find(QemuOptsList *list, const char *id)
{
    GList *l;

    for (l = list->head.head; l; l = l->next) {
        QemuOpts *opts = l->data;

        if (!opts->id) {
            if (!id) {
                return opts;
            }
            continue;
        }
        if (id && strcmp(opts->id, id) == 0) {
            return opts;
        }
    }
    return NULL;
}

QemuOpts *qemu_opts_create(QemuOptsList *list, const char *id,
                           bool fail_if_exists, Error **errp)
{
    QemuOpts *opts;

    if (list->merge_lists) {
        if (id) {
            error_setg(errp, "Invalid parameter '%s'", "id");
            return NULL;
        }
        opts = qemu_opts_find(list, NULL);
        if (opts) {
            return opts;
        }
    } else if (id) {
        if (!id_wellformed(id)) {
            error_setg(errp, "Parameter '%s' expects %s", "id",
                       "an identifier");
            error_append_hint(errp, "Identifiers consist of letters, "
                              "digits, '-', '.', '_', starting with a "
                              "letter.\n");
            return NULL;
        }
        opts = qemu_opts_find(list, id);
        if (opts) {
            if (fail_if_exists) {
                error_setg(errp, "Duplicate ID '%s' for %s", id, list->name);
                return NULL;
            }
            return opts;
        }
    }
    opts = g_new0(QemuOpts, 1);
    opts->id = g_strdup(id);
    opts->list = list;
    g_queue_init(&opts->head);
    g_queue_push_tail(&list->head, opts);
    return opts;
}

static QemuOpts *opts_parse(QemuOptsList *list, const char *params,
                            bool permit_abbrev, bool warn_on_flag,
                            bool *help_wanted, Error **errp)
{
    const char *firstname = permit_abbrev ? list->implied_opt_name : NULL;
    char *id = opts_parse_id(params);
    QemuOpts *opts;

    opts = qemu_opts_create(list, id, !list->merge_lists, errp);
    g_free(id);
    if (!opts) {
        return NULL;
    }
    if (!opts_do_parse(opts, params, firstname, warn_on_flag, help_wanted,
                       errp)) {
        qemu_opts_del(opts);
        return NULL;
    }
    return opts;
}

QemuOpts *qemu_opts_parse(QemuOptsList *list, const char *params,
                          bool permit_abbrev, Error **errp)
{
    return opts_parse(list, params, permit_abbrev, false, NULL, errp);
}

QemuOpts *qemu_opts_parse_help(QemuOptsList *list, const char *params,
                               bool permit_abbrev, bool *help_wanted,
                               Error **errp)
{
    *help_wanted = false;
    return opts_parse(list, params, permit_abbrev, true,
                      opts_accepts_any(list) ? NULL : help_wanted, errp);
}

QemuOpts *qemu_opts_parse_noisily(QemuOptsList *list, const char *params,
                                  bool permit_abbrev)
{
    Error *err = NULL;
    bool help_wanted = false;
    QemuOpts *opts;

    opts = qemu_opts_parse_help(list, params, permit_abbrev, &help_wanted,
                                &err);
    if (!opts) {
        if (help_wanted) {
            qemu_opts_print_help(list, true);
        } else {
            error_report_err(err);
        }
    }
    return opts;
}

void qemu_opts_del(QemuOpts *opts)
{
    QemuOpt *opt;

    if (!opts) {
        return;
    }
    while ((opt = g_queue_pop_head(&opts->head))) {
        opt_free(opt);
    }
    g_queue_remove(&opts->list->head, opts);
    g_free(opts->id);
    g_free(opts);
}

const char *qemu_opts_id(QemuOpts *opts)
{
    return opts->id;
}

void qemu_opts_set_id(QemuOpts *opts, char *id)
{
    g_free(opts->id);
    opts->id = id;
}

QemuOptsList *qemu_opts_list(QemuOpts *opts)
{
    return opts->list;
}

bool qemu_opt_has(QemuOpts *opts, const char *name)
{
    return opts_find_opt(opts, name) != NULL;
}

static const QemuOptDesc *opts_find_default(QemuOpts *opts, const char *name)
{
    const QemuOptDesc *desc = opts_find_desc(opts->list->desc, name);

    return desc && desc->def_value_str ? desc : NULL;
}

const char *qemu_opt_get(QemuOpts *opts, const char *name)
{
    QemuOpt *opt;
    const QemuOptDesc *desc;

    if (!opts) {
        return NULL;
    }
    opt = opts_find_opt(opts, name);
    if (opt) {
        return opt->str;
    }
    desc = opts_find_default(opts, name);
    return desc ? desc->def_value_str : NULL;
}

/*
 * Values of undeclared keys (lists that accept anything) are parsed on
 * demand; a value that does not parse yields defval.
 */
bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool defval)
{
    const char *str;
    bool ret;

    if (!opts) {
        return defval;
    }
    QemuOpt *opt = opts_find_opt(opts, name);
    if (opt && opt->desc && opt->desc->type == QEMU_OPT_BOOL) {
        return opt->value.boolean;
    }
    str = qemu_opt_get(opts, name);
    if (!str || !qapi_bool_parse(name, str, &ret, NULL)) {
        return defval;
    }
    return ret;
}

static uint64_t opts_get_uint(QemuOpts *opts, const char *name,
                              uint64_t defval, QemuOptType type)
{
    const char *str;
    uint64_t ret;
    QemuOpt *opt;

    if (!opts) {
        return defval;
    }
    opt = opts_find_opt(opts, name);
    if (opt && opt->desc && opt->desc->type == type) {
        return opt->value.uint;
    }
    str = qemu_opt_get(opts, name);
    if (!str) {
        return defval;
    }
    if (type == QEMU_OPT_SIZE) {
        return opts_parse_size(name, str, &ret, NULL) ? ret : defval;
    }
    return opts_parse_number(name, str, &ret, NULL) ? ret : defval;
}

uint64_t qemu_opt_get_number(QemuOpts *opts, const char *name,
                             uint64_t defval)
{
    return opts_get_uint(opts, name, defval, QEMU_OPT_NUMBER);
}

uint64_t qemu_opt_get_size(QemuOpts *opts, const char *name, uint64_t defval)
{
    return opts_get_uint(opts, name, defval, QEMU_OPT_SIZE);
}

bool qemu_opt_set(QemuOpts *opts, const char *name, const char *value,
                  Error **errp)
{
    return opt_add(opts, name, value, errp);
}

bool qemu_opt_unset(QemuOpts *opts, const char *name)
{
    QemuOpt *opt;
    bool found = false;

    while ((opt = opts_find_opt(opts, name))) {
        opt_del(opts, opt);
        found = true;
    }
    return found;
}

bool qemu_opt_has_help_opt(QemuOpts *opts)
{
    GList *l;

    for (l = opts->head.tail; l; l = l->prev) {
        QemuOpt *opt = l->data;

        if (opts_is_help(opt->name)) {
            return true;
        }
    }
    return false;
}

int qemu_opt_foreach(QemuOpts *opts, qemu_opt_loopfunc func, void *opaque,
                     Error **errp)
{
    GList *l;
    int rc;

    for (l = opts->head.head; l; l = l->next) {
        QemuOpt *opt = l->data;

        rc = func(opaque, opt->name, opt->str, errp);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int qemu_opts_foreach(QemuOptsList *list, qemu_opts_loopfunc func,
                      void *opaque, Error **errp)
{
    GList *l;
    GList *next;
    int rc;

    /* func may delete the opts it is handed */
    for (l = list->head.head; l; l = next) {
        next = l->next;
        rc = func(opaque, l->data, errp);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

bool qemu_opts_validate(QemuOpts *opts, const QemuOptDesc *desc, Error **errp)
{
    GList *l;

    for (l = opts->head.head; l; l = l->next) {
        QemuOpt *opt = l->data;

        opt->desc = opts_find_desc(desc, opt->name);
        if (!opt->desc) {
            error_setg(errp, "Invalid parameter '%s'", opt->name);
            return false;
        }
        if (!opt_parse_typed(opt, errp)) {
            return false;
        }
    }
    return true;
}

char *qemu_opts_to_string(QemuOpts *opts)
{
    GString *s = g_string_new(NULL);
    GList *l;

    if (opts->id) {
        g_string_append_printf(s, "id=%s", opts->id);
    }
    for (l = opts->head.head; l; l = l->next) {
        QemuOpt *opt = l->data;

        if (s->len) {
            g_string_append_c(s, ',');
        }
        g_string_append_printf(s, "%s=%s", opt->name, opt->str);
    }
    return g_string_free(s, false);
}

static const char *opts_type_name(QemuOptType type)
{
    switch (type) {
    case QEMU_OPT_STRING:
        return "str";
    case QEMU_OPT_BOOL:
        return "bool (on/off)";
    case QEMU_OPT_NUMBER:
        return "num";
    case QEMU_OPT_SIZE:
        return "size";
    }
    g_assert_not_reached();
}

static gint opts_help_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* QEMU 7.2's qemu_opts_print_help: sorted "  name=<type> - help" lines. */
void qemu_opts_print_help(QemuOptsList *list, bool print_caption)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    const QemuOptDesc *desc;
    guint i;

    for (desc = list->desc; desc->name; desc++) {
        GString *s = g_string_new(NULL);

        g_string_append_printf(s, "  %s=<%s>", desc->name,
                               opts_type_name(desc->type));
        if (desc->help) {
            while (s->len < 24) {
                g_string_append_c(s, ' ');
            }
            g_string_append_printf(s, " - %s", desc->help);
        }
        g_ptr_array_add(lines, g_string_free(s, false));
    }
    g_ptr_array_sort(lines, opts_help_cmp);
    if (print_caption && lines->len) {
        printf("%s options:\n", list->name);
    } else if (!lines->len) {
        printf("There are no options for %s.\n", list->name);
    }
    for (i = 0; i < lines->len; i++) {
        printf("%s\n", (char *)g_ptr_array_index(lines, i));
    }
}
