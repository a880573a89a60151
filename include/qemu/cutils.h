/*
 * Number, size and boolean parsing with QEMU's rules (util/cutils.c,
 * qapi/qapi-util.c in QEMU 7.2).
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

#include "qemu/osdep.h"
#include "qemu/error-report.h"

/*
 * Sizes: "4G", "512m", "1.5k", "0x1000"... Return 0, -EINVAL (not a size)
 * or -ERANGE (too big). When end is NULL the whole string must be consumed.
 * qemu_strtosz: no suffix means bytes; qemu_strtosz_MiB: no suffix means MiB
 * (QEMU's -m).
 */
int qemu_strtosz(const char *nptr, const char **end, uint64_t *result);
int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result);

/* Integers (base 0 accepts 0x and leading 0 like strtoull). Same returns. */
int qemu_strtou64(const char *nptr, const char **end, int base,
                  uint64_t *result);
int qemu_strtoi64(const char *nptr, const char **end, int base,
                  int64_t *result);
int qemu_strtoi(const char *nptr, const char **end, int base, int *result);
int qemu_strtoul(const char *nptr, const char **end, int base,
                 unsigned long *result);

/*
 * on/off/yes/no/true/false. Error message as QEMU 7.2:
 * "Parameter 'NAME' expects 'on' or 'off'".
 */
bool qapi_bool_parse(const char *name, const char *value, bool *obj,
                     Error **errp);
/*
 * QEMU 7.2 qapi/opts-visitor.c's number parsing (what -object's members
 * go through): an unsigned number in any base with no sign, or a signed
 * one, the whole string; false when it does not parse or overflows.
 */
bool opts_visitor_parse_uint(const char *s, uint64_t *v);
bool opts_visitor_parse_int(const char *s, int64_t *v);

#endif
