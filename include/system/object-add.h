/*
 * -object: user-creatable objects (memory backends, rng backends,
 * iothreads), parsed and created as QEMU 7.2's softmmu/vl.c
 * object_option_parse/object_option_foreach_add and
 * qom/object_interfaces.c user_creatable_add_qapi/user_creatable_print_help.
 */
#ifndef SYSTEM_OBJECT_ADD_H
#define SYSTEM_OBJECT_ADD_H

#include "qemu/option.h"
#include "qom/object.h"

/*
 * The abstract parent of every type -object can create (QEMU's
 * "user-creatable" interface). Objects live in the "objects" id namespace.
 */
#define TYPE_USER_CREATABLE "user-creatable"

typedef struct UserCreatableClass {
    ObjectClass parent_class;
    /*
     * Runs once every property is set: validates the combination and
     * acquires host resources (QEMU's UserCreatableClass.complete).
     */
    bool (*complete)(Object *obj, Error **errp);
    /*
     * QAPI members without '*' in QEMU's qapi/qom.json: their absence is
     * "Parameter 'NAME' is missing" at parse time. NULL-terminated.
     */
    const char *const *required;
    /*
     * QAPI list members (['uint16']): given several times or as ranges
     * "A-B"; their values reach the property joined with ','.
     */
    const char *const *list_props;
} UserCreatableClass;

#define USER_CREATABLE_CLASS(klass) \
    OBJECT_CLASS_CHECK(UserCreatableClass, (klass), TYPE_USER_CREATABLE)
#define USER_CREATABLE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(UserCreatableClass, (obj), TYPE_USER_CREATABLE)

void object_add_register_types(void);

/* QEMU's "object" QemuOptsList: implied key qom-type, any key accepted. */
extern QemuOptsList qemu_object_opts;

/*
 * QEMU's user_creatable_print_help: "-object help" / "-object TYPE,help".
 * Prints to stdout and returns true when help was asked for.
 */
bool user_creatable_print_help(const char *type, QemuOpts *opts);

/*
 * The -object argument, at its place on the command line (the caller has
 * set the error location): parses it with QEMU's object QemuOptsList,
 * prints help (*help_printed, the caller then exits 0), or checks it as
 * QEMU's QAPI opts visitor does (qom-type, id, each member's syntax,
 * missing and unknown members) and queues it for creation.
 */
bool object_option_parse(const char *optarg, bool *help_printed,
                         Error **errp);

/* QEMU 7.2's vl.c predicates: memory backends are created "late". */
bool object_create_early(const char *type);
bool object_create_late(const char *type);
/*
 * Creates, in command-line order, the queued objects whose type satisfies
 * pred, and drops them from the queue. Errors carry no option location
 * (QEMU creates them after parsing, under error_fatal).
 */
bool object_option_foreach_add(bool (*pred)(const char *type),
                               Error **errp);
/* Forgets queued options (tests). */
void object_option_reset(void);

/*
 * Checks opts as object_option_parse does, then creates the object:
 * properties set, complete run, registered under its id. Returns a
 * borrowed pointer (the "objects" namespace owns the object).
 */
Object *user_creatable_add_opts(QemuOpts *opts, Error **errp);
/* The parse-time check alone (QEMU's visit_type_ObjectOptions). */
bool user_creatable_check_opts(QemuOpts *opts, Error **errp);
/* Runs complete for an object built by hand (the default RAM backend). */
bool user_creatable_complete(Object *obj, Error **errp);
/* Drops the object with this id from "objects" (and the last reference). */
void user_creatable_del(const char *id);

#endif
