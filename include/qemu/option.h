/*
 * QemuOpts: the "key=value,key=value" grammar of QEMU's command line.
 *
 * Behaviour matches QEMU 7.2's util/qemu-option.c: an implied first key
 * ("-chardev stdio,id=x" means backend=stdio), ",," to put a comma in a
 * value, "key" alone meaning key=on, "nokey" meaning key=off (deprecated
 * in QEMU but accepted), "help"/"?" recognised, "id=" taken out of the
 * options and checked for duplicates, unknown keys rejected with QEMU's
 * messages ("Invalid parameter 'x'"), typed getters.
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

#include "qemu/osdep.h"
#include "qemu/error-report.h"

typedef enum QemuOptType {
    QEMU_OPT_STRING = 0,
    QEMU_OPT_BOOL,
    QEMU_OPT_NUMBER,
    QEMU_OPT_SIZE,
} QemuOptType;

typedef struct QemuOptDesc {
    const char *name;
    QemuOptType type;
    const char *help;
    const char *def_value_str;
} QemuOptDesc;

typedef struct QemuOpts QemuOpts;

typedef struct QemuOptsList {
    const char *name;
    const char *implied_opt_name;
    bool merge_lists;       /* one QemuOpts for all occurrences (-machine) */
    /*
     * Parsed as QEMU's keyval (util/keyval.c: -machine, -smp, -boot): a
     * key after the implied first one needs "=value" ("Expected '='
     * after parameter 'KEY'"); no "key"/"nokey" flags.
     */
    bool keyval;
    GQueue head;            /* of QemuOpts*, in command-line order */
    QemuOptDesc desc[];     /* empty: any key accepted, validated later */
} QemuOptsList;

QemuOpts *qemu_opts_parse(QemuOptsList *list, const char *params,
                          bool permit_abbrev, Error **errp);
/*
 * As qemu_opts_parse, plus QEMU's command-line behaviour: short-form
 * boolean flags warn that they are deprecated, and a "help"/"?" key in a
 * list with descriptors sets *help_wanted and returns NULL (no error).
 */
QemuOpts *qemu_opts_parse_help(QemuOptsList *list, const char *params,
                               bool permit_abbrev, bool *help_wanted,
                               Error **errp);
/* QEMU's qemu_opts_parse_noisily: reports the error or prints help. */
QemuOpts *qemu_opts_parse_noisily(QemuOptsList *list, const char *params,
                                  bool permit_abbrev);
QemuOpts *qemu_opts_create(QemuOptsList *list, const char *id,
                           bool fail_if_exists, Error **errp);
QemuOpts *qemu_opts_find(QemuOptsList *list, const char *id);
void qemu_opts_del(QemuOpts *opts);
const char *qemu_opts_id(QemuOpts *opts);
void qemu_opts_set_id(QemuOpts *opts, char *id);
QemuOptsList *qemu_opts_list(QemuOpts *opts);

bool qemu_opt_has(QemuOpts *opts, const char *name);
/* The last value given for name, or the descriptor's default, or NULL. */
const char *qemu_opt_get(QemuOpts *opts, const char *name);
bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool defval);
uint64_t qemu_opt_get_number(QemuOpts *opts, const char *name,
                             uint64_t defval);
uint64_t qemu_opt_get_size(QemuOpts *opts, const char *name, uint64_t defval);
bool qemu_opt_set(QemuOpts *opts, const char *name, const char *value,
                  Error **errp);
/* Removes every occurrence of name; returns whether there was one. */
bool qemu_opt_unset(QemuOpts *opts, const char *name);
bool qemu_opt_has_help_opt(QemuOpts *opts);

/* Visit each key=value in order. Return non-zero from func to stop. */
typedef int (*qemu_opt_loopfunc)(void *opaque, const char *name,
                                 const char *value, Error **errp);
int qemu_opt_foreach(QemuOpts *opts, qemu_opt_loopfunc func, void *opaque,
                     Error **errp);
typedef int (*qemu_opts_loopfunc)(void *opaque, QemuOpts *opts, Error **errp);
int qemu_opts_foreach(QemuOptsList *list, qemu_opts_loopfunc func,
                      void *opaque, Error **errp);

/* Checks every key against desc and the types of their values. */
bool qemu_opts_validate(QemuOpts *opts, const QemuOptDesc *desc, Error **errp);
/* "KEY=VALUE,..." for debugging and tests. */
char *qemu_opts_to_string(QemuOpts *opts);
/* Prints "NAME options:" and one line per descriptor, like QEMU. */
void qemu_opts_print_help(QemuOptsList *list, bool print_caption);

#endif
