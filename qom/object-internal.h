/*
 * What qom/object.c and qom/property.c share and nobody else needs:
 * the type record behind an ObjectClass.
 */
#ifndef QOM_OBJECT_INTERNAL_H
#define QOM_OBJECT_INTERNAL_H

#include "qom/object.h"

struct TypeImpl {
    const char *name;
    const TypeInfo *info;
    TypeImpl *parent;
    bool parent_resolved;
    size_t instance_size;
    ObjectClass *klass;         /* NULL until first used */
    GPtrArray *prop_tables;     /* of const Property *, NULL-name ended */
};

TypeImpl *type_get_by_name(const char *name);
/* Stores every property's default (object_new, before globals). */
void object_property_set_defaults(Object *obj);
/* Frees the strings held by string properties (last unref). */
void object_property_free_values(Object *obj);

#endif
