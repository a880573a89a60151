/*
 * Types, classes and instances: the subset of QEMU's QOM microqemu uses.
 *
 * Matches QEMU 7.2's qom/object.c: type_initialize (class copied from the
 * parent, then class_init), object_init_with_type (root first),
 * object_deinit (leaf first), object_dynamic_cast and refcounting.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "object-internal.h"

static GHashTable *type_table;     /* name -> TypeImpl* */

static const TypeInfo object_type_info = {
    .name = TYPE_OBJECT,
    .instance_size = sizeof(Object),
    .class_size = sizeof(ObjectClass),
    .abstract = true,
};

static GHashTable *type_get_table(void)
{
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
        type_register_static(&object_type_info);
    }
    return type_table;
}

void type_register_static(const TypeInfo *info)
{
    TypeImpl *ti;
    GHashTable *table = type_get_table();

    g_assert(info->name);
    if (g_hash_table_contains(table, info->name)) {
        /* Registering twice (each unit test calls the register hooks) */
        return;
    }
    ti = g_new0(TypeImpl, 1);
    ti->name = info->name;
    ti->info = info;
    g_hash_table_insert(table, (gpointer)ti->name, ti);
}

TypeImpl *type_get_by_name(const char *name)
{
    if (!name) {
        return NULL;
    }
    return g_hash_table_lookup(type_get_table(), name);
}

static TypeImpl *type_get_parent(TypeImpl *ti)
{
    if (!ti->parent_resolved) {
        ti->parent = type_get_by_name(ti->info->parent);
        ti->parent_resolved = true;
        if (ti->info->parent && !ti->parent) {
            g_error("type '%s' has unknown parent '%s'", ti->name,
                    ti->info->parent);
        }
    }
    return ti->parent;
}

static size_t type_instance_size(TypeImpl *ti)
{
    if (ti->info->instance_size) {
        return ti->info->instance_size;
    }
    return type_get_parent(ti) ? type_instance_size(ti->parent) : 0;
}

static size_t type_class_size(TypeImpl *ti)
{
    if (ti->info->class_size) {
        return ti->info->class_size;
    }
    return type_get_parent(ti) ? type_class_size(ti->parent) : 0;
}

/* Builds the class on first use: copy of the parent's, then class_init. */
static void type_initialize(TypeImpl *ti)
{
    TypeImpl *parent;
    size_t size;

    if (ti->klass) {
        return;
    }
    size = type_class_size(ti);
    ti->instance_size = type_instance_size(ti);
    ti->klass = g_malloc0(size);
    parent = type_get_parent(ti);
    if (parent) {
        size_t psize = type_class_size(parent);

        type_initialize(parent);
        g_assert(psize <= size);
        memcpy(ti->klass, parent->klass, psize);
        g_assert(ti->instance_size >= parent->instance_size);
    }
    ti->klass->type = ti;
    if (ti->info->class_init) {
        ti->info->class_init(ti->klass, ti->info->class_data);
    }
}

static bool type_is_ancestor(TypeImpl *ti, TypeImpl *target)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti == target) {
            return true;
        }
    }
    return false;
}

ObjectClass *object_class_by_name(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->klass;
}

ObjectClass *object_class_get_parent(ObjectClass *klass)
{
    TypeImpl *parent = type_get_parent(klass->type);

    if (!parent) {
        return NULL;
    }
    type_initialize(parent);
    return parent->klass;
}

const char *object_class_get_name(ObjectClass *klass)
{
    return klass->type->name;
}

bool object_class_is_abstract(ObjectClass *klass)
{
    return klass->type->info->abstract;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename)
{
    TypeImpl *target;

    if (!klass) {
        return NULL;
    }
    target = type_get_by_name(typename);
    if (!target || !type_is_ancestor(klass->type, target)) {
        return NULL;
    }
    return klass;
}

/*
 * The checked casts (the OBJECT_CHECK and class-check macros, with a
 * string constant for the name) remember their last names, newest last,
 * as QEMU's object_dynamic_cast_assert and
 * object_class_dynamic_cast_assert do; the unchecked ones may be given
 * a name in a buffer, so they never use the cache.
 */
static ObjectClass *object_class_cast_cached(ObjectClass *klass,
                                             const char *typename)
{
    for (int i = 0; i < OBJECT_CLASS_CAST_CACHE; i++) {
        if (__atomic_load_n(&klass->cast_cache[i], __ATOMIC_RELAXED) ==
            typename) {
            return klass;
        }
    }
    if (!object_class_dynamic_cast(klass, typename)) {
        return NULL;
    }
    for (int i = 0; i < OBJECT_CLASS_CAST_CACHE - 1; i++) {
        __atomic_store_n(&klass->cast_cache[i],
                         __atomic_load_n(&klass->cast_cache[i + 1],
                                         __ATOMIC_RELAXED),
                         __ATOMIC_RELAXED);
    }
    __atomic_store_n(&klass->cast_cache[OBJECT_CLASS_CAST_CACHE - 1],
                     typename, __ATOMIC_RELAXED);
    return klass;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename)
{
    ObjectClass *ret = klass ? object_class_cast_cached(klass, typename)
                             : NULL;

    if (!ret && klass) {
        g_error("Object class %s is not an instance of type %s",
                object_class_get_name(klass), typename);
    }
    return ret;
}

typedef struct ClassListData {
    TypeImpl *target;
    bool include_abstract;
    GSList *list;
} ClassListData;

static void object_class_list_one(gpointer key, gpointer value,
                                  gpointer opaque)
{
    ClassListData *data = opaque;
    TypeImpl *ti = value;

    if (ti->info->abstract && !data->include_abstract) {
        return;
    }
    if (data->target && !type_is_ancestor(ti, data->target)) {
        return;
    }
    type_initialize(ti);
    data->list = g_slist_prepend(data->list, ti->klass);
}

static gint object_class_cmp_name(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name((ObjectClass *)a),
                  object_class_get_name((ObjectClass *)b));
}

GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract)
{
    ClassListData data = {
        .include_abstract = include_abstract,
    };

    if (implements_type) {
        data.target = type_get_by_name(implements_type);
        if (!data.target) {
            return NULL;
        }
    }
    g_hash_table_foreach(type_get_table(), object_class_list_one, &data);
    return g_slist_sort(data.list, object_class_cmp_name);
}

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    TypeImpl *parent = type_get_parent(ti);

    if (parent) {
        object_init_with_type(obj, parent);
    }
    if (ti->info->instance_init) {
        ti->info->instance_init(obj);
    }
}

static void object_deinit(Object *obj, TypeImpl *ti)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->info->instance_finalize) {
            ti->info->instance_finalize(obj);
        }
    }
}

Object *object_new_with_class(ObjectClass *klass)
{
    TypeImpl *ti = klass->type;
    Object *obj;

    type_initialize(ti);
    g_assert(!ti->info->abstract);
    obj = g_malloc0(ti->instance_size);
    obj->klass = ti->klass;
    obj->ref = 1;
    object_init_with_type(obj, ti);
    object_property_set_defaults(obj);
    object_apply_globals(obj, &obj->pending_error);
    return obj;
}

Object *object_new(const char *typename)
{
    ObjectClass *klass = object_class_by_name(typename);

    if (!klass) {
        g_error("unknown type '%s'", typename);
    }
    return object_new_with_class(klass);
}

ObjectClass *object_get_class(Object *obj)
{
    return obj->klass;
}

const char *object_get_typename(Object *obj)
{
    return obj->klass->type->name;
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    if (obj && object_class_dynamic_cast(obj->klass, typename)) {
        return obj;
    }
    return NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename)
{
    if (obj && !object_class_cast_cached(obj->klass, typename)) {
        g_error("Object %p (%s) is not an instance of type %s", obj,
                object_get_typename(obj), typename);
    }
    return obj;
}

Object *object_ref(Object *obj)
{
    if (obj) {
        obj->ref++;
    }
    return obj;
}

void object_unref(Object *obj)
{
    if (!obj) {
        return;
    }
    g_assert(obj->ref > 0);
    if (--obj->ref > 0) {
        return;
    }
    object_deinit(obj, obj->klass->type);
    object_property_free_values(obj);
    error_free(obj->pending_error);
    g_free(obj->id);
    g_free(obj);
}

Error *object_take_pending_error(Object *obj)
{
    Error *err = obj->pending_error;

    obj->pending_error = NULL;
    return err;
}
