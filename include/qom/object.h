/*
 * The object model: the subset of QEMU's QOM that microqemu needs.
 *
 * Types are registered by name with a parent, instance and class sizes and
 * init hooks; classes are created lazily, parent first, and inherit the
 * parent's class struct by copy (as QEMU's type_initialize does).
 * Properties are declared in tables (Property[]), typed, with a default and
 * a description; -machine/-device/-object/-global and help listings all
 * read those tables. Objects given an id live in one of a few named
 * namespaces ("objects", "chardevs", "devices", "netdevs").
 */
#ifndef QOM_OBJECT_H
#define QOM_OBJECT_H

#include "qemu/osdep.h"
#include "qemu/error-report.h"

typedef struct TypeImpl TypeImpl;
typedef struct ObjectClass ObjectClass;
typedef struct Object Object;
typedef struct Property Property;

/* Type names a class was last cast to (QEMU's OBJECT_CLASS_CAST_CACHE) */
#define OBJECT_CLASS_CAST_CACHE 4

struct ObjectClass {
    TypeImpl *type;
    /*
     * The last names this class was cast to successfully, compared by
     * pointer (the casts' names are string constants): a cast on a
     * per-frame or per-request path costs no hash lookup of the name
     * (QEMU's object_cast_cache, kept even without CONFIG_QOM_CAST_DEBUG).
     * Read and written with relaxed atomics: the iothread casts too.
     */
    const char *cast_cache[OBJECT_CLASS_CAST_CACHE];
    /*
     * Set in class_init for types whose QEMU counterpart declares its
     * properties with object_class_property_add_* (machines): help then
     * shows QOM type names ("string", "link<T>") and no defaults, as
     * "-M microvm,help" does. Inherited by subclasses.
     */
    bool class_property_help;
};

struct Object {
    ObjectClass *klass;
    char *id;               /* set by object_add_with_id, or NULL */
    unsigned ref;
    /* A -global that failed to apply in object_new; see qdev_realize. */
    Error *pending_error;
};

typedef struct TypeInfo {
    const char *name;
    const char *parent;
    size_t instance_size;   /* 0: the parent's */
    void (*instance_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
    bool abstract;
    size_t class_size;      /* 0: the parent's */
    void (*class_init)(ObjectClass *klass, void *data);
    void *class_data;
} TypeInfo;

#define TYPE_OBJECT "object"

#define OBJECT(obj) ((Object *)(obj))
#define OBJECT_CLASS(klass) ((ObjectClass *)(klass))
#define OBJECT_CHECK(type, obj, name) \
    ((type *)object_dynamic_cast_assert(OBJECT(obj), (name)))
#define OBJECT_CLASS_CHECK(class_type, klass, name) \
    ((class_type *)object_class_dynamic_cast_assert(OBJECT_CLASS(klass), \
                                                    (name)))
#define OBJECT_GET_CLASS(class_type, obj, name) \
    OBJECT_CLASS_CHECK(class_type, object_get_class(OBJECT(obj)), name)

/* Registers a type; info must outlive the program (a static const). */
void type_register_static(const TypeInfo *info);

ObjectClass *object_class_by_name(const char *typename);
ObjectClass *object_class_get_parent(ObjectClass *klass);
const char *object_class_get_name(ObjectClass *klass);
bool object_class_is_abstract(ObjectClass *klass);
/* klass if it is typename or a subtype of it, else NULL. */
ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename);
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename);
/* Every class that is implements_type or derives from it, sorted by name. */
GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract);

/*
 * Creates an instance: zeroed, instance_init run from the root type down,
 * then every property in the class's tables set to its default.
 */
Object *object_new(const char *typename);
Object *object_new_with_class(ObjectClass *klass);
ObjectClass *object_get_class(Object *obj);
const char *object_get_typename(Object *obj);
Object *object_dynamic_cast(Object *obj, const char *typename);
Object *object_dynamic_cast_assert(Object *obj, const char *typename);
Object *object_ref(Object *obj);
/* Last unref runs instance_finalize from the leaf type up, then frees. */
void object_unref(Object *obj);

/* ---- Properties ------------------------------------------------------- */

typedef enum OnOffAuto {        /* QEMU's QAPI enum order */
    ON_OFF_AUTO_AUTO,
    ON_OFF_AUTO_ON,
    ON_OFF_AUTO_OFF,
} OnOffAuto;

/*
 * Where a property value comes from: the messages differ as QEMU 7.2's
 * visitors' do. KEYVAL: -device, -M (qobject-input visitor in keyval
 * mode, "Parameter 'X' expects integer"); GLOBAL: -global (string input
 * visitor, "expects uint64", QemuOpts' size parser); OPTS: -object's
 * check against its QAPI schema before the object exists (opts visitor,
 * "expects a uint64 value"; links are plain strings there).
 */
typedef enum PropertyInput {
    PROP_INPUT_KEYVAL,
    PROP_INPUT_GLOBAL,
    PROP_INPUT_OPTS,
} PropertyInput;

/* The largest C value a property type may hold (PropertyInfo.size). */
#define PROP_VALUE_MAX 64

/*
 * One property type: everything parsing, storing, printing, defaults and
 * help need to know about it (QEMU's PropertyInfo). A new type is one
 * such table; the tables for the built-in types are below.
 */
typedef struct PropertyInfo {
    /* Type name in qdev help ("bool", "uint32", "str"). */
    const char *name;
    /* In QOM class-property help ("string"); NULL: same as name. */
    const char *qom_name;
    /* Optional: a QOM name built from the property ("link<T>"). */
    char *(*qom_type_name)(const Property *prop);
    /* Bytes of the field, and of a parsed value (<= PROP_VALUE_MAX). */
    size_t size;
    /* Enum types: the value names (NULL: the property's enum_table). */
    const char *const *lookup;
    /*
     * Parses str into *value (the field's C type), with QEMU's message
     * for the input kind on error; obj is NULL for PROP_INPUT_OPTS. A
     * string may point into str: store copies it.
     */
    bool (*parse)(Object *obj, const Property *prop, const char *str,
                  PropertyInput input, void *value, Error **errp);
    /* Optional: stores a parsed value (default: copies size bytes). */
    void (*store)(const Property *prop, void *field, const void *value);
    /* The field as the user would type it (g_free'd by the caller). */
    char *(*print)(const Property *prop, const void *field);
    /* Optional: writes prop->defval into the field (has_default set). */
    void (*set_default)(const Property *prop, void *field);
    /* Optional: the default as help prints it (JSON), or NULL. */
    char *(*default_json)(const Property *prop);
    /* Optional: frees what store allocated (object finalization). */
    void (*release)(void *field);
} PropertyInfo;

extern const PropertyInfo prop_info_bool;
extern const PropertyInfo prop_info_on_off_auto;
extern const PropertyInfo prop_info_uint8;
extern const PropertyInfo prop_info_uint16;
extern const PropertyInfo prop_info_uint32;
extern const PropertyInfo prop_info_uint64;
extern const PropertyInfo prop_info_int32;
extern const PropertyInfo prop_info_int64;
extern const PropertyInfo prop_info_size;       /* uint64_t, suffixes */
extern const PropertyInfo prop_info_string;     /* char *, owned */
extern const PropertyInfo prop_info_enum;       /* int, enum_table index */
extern const PropertyInfo prop_info_link;       /* Object *, by id */

struct Property {
    const char *name;
    const PropertyInfo *info;
    size_t offset;              /* of the field in the instance struct */
    const char *description;
    bool has_default;
    union {
        int64_t i;              /* bool, OnOffAuto, enum index, ints */
        uint64_t u;
        const char *s;
    } defval;
    const char *const *enum_table;  /* prop_info_enum: NULL-terminated */
    /*
     * prop_info_link: the type the target must be, and how an id is
     * resolved (e.g. qemu_chr_find for chardevs). Error messages for a
     * dangling id follow QEMU's per-type wording, set by the resolver.
     */
    const char *link_type;
    Object *(*link_resolve)(const char *id, Error **errp);
    /*
     * Optional: checks a value before it is stored (after parsing).
     * value points to it in the field's C type (const char * for strings,
     * Object * for links).
     */
    bool (*check)(Object *obj, const Property *prop, const void *value,
                  Error **errp);
    /*
     * Optional help/error cosmetics, for properties QEMU declares outside
     * qdev (machine class properties print "string", "uint64_t", "int"
     * and no default): type_name replaces the type shown by help;
     * help_no_default hides "(default: ...)"; owner_name replaces the
     * type name in "Property 'OWNER.NAME' ..." messages (QEMU's
     * isa-serial chardev lives on its child "serial").
     */
    const char *type_name;
    bool help_no_default;
    const char *owner_name;
};

/* Property-table helpers, used as Property[] initialisers. */
#define DEFINE_PROP_BOOL(_n, _s, _f, _d, _desc) \
    { .name = (_n), .info = &prop_info_bool, .offset = offsetof(_s, _f), \
      .description = (_desc), .has_default = true, .defval.i = (_d) }
#define DEFINE_PROP_ON_OFF_AUTO(_n, _s, _f, _d, _desc) \
    { .name = (_n), .info = &prop_info_on_off_auto, \
      .offset = offsetof(_s, _f), .description = (_desc), \
      .has_default = true, .defval.i = (_d) }
#define DEFINE_PROP_UINT32(_n, _s, _f, _d, _desc) \
    { .name = (_n), .info = &prop_info_uint32, .offset = offsetof(_s, _f), \
      .description = (_desc), .has_default = true, .defval.u = (_d) }
#define DEFINE_PROP_UINT16(_n, _s, _f, _d, _desc) \
    { .name = (_n), .info = &prop_info_uint16, .offset = offsetof(_s, _f), \
      .description = (_desc), .has_default = true, .defval.u = (_d) }
#define DEFINE_PROP_UINT8(_n, _s, _f, _d, _desc) \
    { .name = (_n), .info = &prop_info_uint8, .offset = offsetof(_s, _f), \
      .description = (_desc), .has_default = true, .defval.u = (_d) }
#define DEFINE_PROP_UINT64(_n, _s, _f, _d, _desc) \
    { .name = (_n), .info = &prop_info_uint64, .offset = offsetof(_s, _f), \
      .description = (_desc), .has_default = true, .defval.u = (_d) }
#define DEFINE_PROP_INT32(_n, _s, _f, _d, _desc) \
    { .name = (_n), .info = &prop_info_int32, .offset = offsetof(_s, _f), \
      .description = (_desc), .has_default = true, .defval.i = (_d) }
/* QEMU's bootindex (an object property there): -1, help shows no default */
#define DEFINE_PROP_BOOTINDEX(_s, _f) \
    { .name = "bootindex", .info = &prop_info_int32, \
      .offset = offsetof(_s, _f), .has_default = true, .defval.i = -1, \
      .help_no_default = true }
#define DEFINE_PROP_SIZE(_n, _s, _f, _d, _desc) \
    { .name = (_n), .info = &prop_info_size, .offset = offsetof(_s, _f), \
      .description = (_desc), .has_default = true, .defval.u = (_d) }
#define DEFINE_PROP_STRING(_n, _s, _f, _desc) \
    { .name = (_n), .info = &prop_info_string, .offset = offsetof(_s, _f), \
      .description = (_desc) }
#define DEFINE_PROP_ENUM(_n, _s, _f, _d, _table, _desc) \
    { .name = (_n), .info = &prop_info_enum, .offset = offsetof(_s, _f), \
      .description = (_desc), .has_default = true, .defval.i = (_d), \
      .enum_table = (_table) }
#define DEFINE_PROP_LINK(_n, _s, _f, _type, _resolve, _desc) \
    { .name = (_n), .info = &prop_info_link, .offset = offsetof(_s, _f), \
      .description = (_desc), .link_type = (_type), \
      .link_resolve = (_resolve) }
#define DEFINE_PROP_END_OF_LIST() { .name = NULL }

/* Adds a NULL-name-terminated table; it must outlive the program. */
void object_class_add_properties(ObjectClass *klass, const Property *props);
/* Looks in klass and its ancestors. */
const Property *object_class_find_property(ObjectClass *klass,
                                           const char *name);
/* Calls func on each property of klass, ancestors first. */
void object_class_foreach_property(ObjectClass *klass,
                                   void (*func)(const Property *prop,
                                                void *opaque),
                                   void *opaque);

/*
 * Parses value as the property's type and stores it. Errors as QEMU 7.2:
 * unknown property: "Property 'TYPE.NAME' not found"; bad bool:
 * "Parameter 'NAME' expects 'on' or 'off'"; bad OnOffAuto/enum:
 * "Parameter 'NAME' does not accept value 'V'"? -- the exact wording is the
 * one QEMU 7.2 prints for the same input.
 */
bool object_property_parse(Object *obj, const char *name, const char *value,
                           Error **errp);
/* The same, with the messages of another input (-global). */
bool object_property_parse_input(Object *obj, const char *name,
                                 const char *value, PropertyInput input,
                                 Error **errp);
/* -object's schema check of one value before the object exists. */
bool object_property_check_value(const Property *prop, const char *value,
                                 Error **errp);
/* The value as the user would type it; g_free the result. */
char *object_property_print(Object *obj, const char *name);
/* Human name of the type of a property, as QEMU's help shows it
 * ("bool", "OnOffAuto", "uint32", "size", "str", "link<chardev>"...). */
const char *object_property_type_name(const Property *prop, char *buf,
                                      size_t buflen);

/*
 * QEMU's "TYPE options:" listing (-device X,help, -M microvm,help,
 * -object X,help): one line per property, sorted, with type, description
 * and default, in QEMU 7.2's layout.
 */
void object_class_print_properties_help(ObjectClass *klass, GString *out);

/* -global DRIVER.PROP=VALUE: applied by object_new to every instance of
 * DRIVER (or a subtype) after defaults. */
bool object_register_global(const char *driver, const char *prop,
                            const char *value, Error **errp);
/*
 * Applies the registered globals that match obj's type, in registration
 * order (object_new does it). On failure the error reads as QEMU's
 * "can't apply global DRIVER.PROP=VALUE: ..."; object_new keeps it in
 * obj->pending_error, which qdev_realize reports (QEMU exits at creation).
 */
bool object_apply_globals(Object *obj, Error **errp);
/* Returns (and clears) the error object_new could not report. */
Error *object_take_pending_error(Object *obj);
/*
 * QEMU's qdev_prop_check_globals: warns "global D.P has invalid class
 * name" / "global D.P=V not used" for globals no object used. Returns
 * whether it warned.
 */
bool object_check_globals(void);
/*
 * The -global argument, as QEMU 7.2's qemu_global_option: registers it,
 * or reports the error (error_report, at the current location) and
 * returns -1.
 */
int qemu_global_option(const char *str);
/* Forgets every global (tests). */
void object_reset_globals(void);

/* ---- Ids --------------------------------------------------------------- */

/*
 * Puts obj under id in the namespace ns (takes a reference). Errors:
 * invalid id (QEMU's id_wellformed rule) and duplicates, in QEMU's words
 * for that namespace.
 */
bool object_add_with_id(const char *ns, const char *id, Object *obj,
                        Error **errp);
Object *object_find_by_id(const char *ns, const char *id);
void object_remove_id(const char *ns, const char *id);
/* QEMU's id_wellformed(): a letter, then letters, digits, '-', '.', '_'. */
bool id_wellformed(const char *id);

#endif
