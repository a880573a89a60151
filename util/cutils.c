/*
 * Number, size and boolean parsing with QEMU's rules.
 *
 * Matches QEMU 7.2's util/cutils.c (do_strtosz, qemu_strtou64 and
 * friends, check_strtox_error) and qapi/qapi-util.c (qapi_bool_parse).
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

#include <math.h>

/* Strings are consumed wholly unless the caller asks where parsing ended. */
static int cutils_check_strtox(const char *nptr, const char *ep,
                               const char **endptr, int libc_errno)
{
    if (endptr) {
        *endptr = ep;
    }
    if (libc_errno == 0 && ep == nptr) {
        return -EINVAL;
    }
    if (!endptr && *ep) {
        return -EINVAL;
    }
    return -libc_errno;
}

int qemu_strtou64(const char *nptr, const char **end, int base,
                  uint64_t *result)
{
    char *ep;

    if (!nptr) {
        if (end) {
            *end = nptr;
        }
        return -EINVAL;
    }
    errno = 0;
    *result = strtoull(nptr, &ep, base);
    return cutils_check_strtox(nptr, ep, end, errno);
}

int qemu_strtoi64(const char *nptr, const char **end, int base,
                  int64_t *result)
{
    char *ep;

    if (!nptr) {
        if (end) {
            *end = nptr;
        }
        return -EINVAL;
    }
    errno = 0;
    *result = strtoll(nptr, &ep, base);
    return cutils_check_strtox(nptr, ep, end, errno);
}

int qemu_strtoul(const char *nptr, const char **end, int base,
                 unsigned long *result)
{
    char *ep;

    if (!nptr) {
        if (end) {
            *end = nptr;
        }
        return -EINVAL;
    }
    errno = 0;
    *result = strtoul(nptr, &ep, base);
    return cutils_check_strtox(nptr, ep, end, errno);
}

/* Saturates like QEMU: INT_MAX / INT_MIN with -ERANGE. */
int qemu_strtoi(const char *nptr, const char **end, int base, int *result)
{
    char *ep;
    long long lresult;

    if (!nptr) {
        if (end) {
            *end = nptr;
        }
        return -EINVAL;
    }
    errno = 0;
    lresult = strtoll(nptr, &ep, base);
    if (lresult < INT_MIN) {
        *result = INT_MIN;
        errno = ERANGE;
    } else if (lresult > INT_MAX) {
        *result = INT_MAX;
        errno = ERANGE;
    } else {
        *result = lresult;
    }
    return cutils_check_strtox(nptr, ep, end, errno);
}

static int64_t cutils_suffix_mul(char suffix, int64_t unit)
{
    switch (g_ascii_toupper(suffix)) {
    case 'B':
        return 1;
    case 'K':
        return unit;
    case 'M':
        return unit * unit;
    case 'G':
        return unit * unit * unit;
    case 'T':
        return unit * unit * unit * unit;
    case 'P':
        return unit * unit * unit * unit * unit;
    case 'E':
        return unit * unit * unit * unit * unit * unit;
    }
    return -1;
}

/*
 * QEMU 7.2's do_strtosz: the integer part is decimal (or hex after "0x",
 * which then forbids a fraction); a fraction needs a suffix other than B;
 * exponents and minus signs are refused (7.2 still takes "0x1k" but warns
 * that it is deprecated); the product is computed exactly
 * in 64.64 fixed point and rounded half up.
 */
static int cutils_do_strtosz(const char *nptr, const char **end,
                             char default_suffix, uint64_t *result)
{
    const char *endptr;
    const char *f;
    uint64_t val;
    uint64_t valf = 0;
    int64_t mul;
    int retval;
    bool hex = false;

    retval = qemu_strtou64(nptr, &endptr, 10, &val);
    if (retval) {
        goto out;
    }
    if (memchr(nptr, '-', endptr - nptr) != NULL) {
        endptr = nptr;
        retval = -EINVAL;
        goto out;
    }
    if (val == 0 && (*endptr == 'x' || *endptr == 'X')) {
        retval = qemu_strtou64(nptr, &endptr, 16, &val);
        if (retval) {
            goto out;
        }
        if (*endptr == '.') {
            endptr = nptr;
            retval = -EINVAL;
            goto out;
        }
        hex = true;
    } else if (*endptr == '.') {
        char *fend;
        double fraction;

        f = endptr;
        errno = 0;
        fraction = strtod(f, &fend);
        if (errno || fend == f || !isfinite(fraction)) {
            /* "1.k": a lone dot is allowed before the suffix */
            endptr = f + 1;
        } else if (memchr(f, 'e', fend - f) || memchr(f, 'E', fend - f)) {
            endptr = nptr;
            retval = -EINVAL;
            goto out;
        } else {
            endptr = fend;
            /*
             * Digits that round to 1.0 would overflow the conversion
             * (undefined in C). QEMU 7.2 built for x86-64 gets 0 there,
             * so "1.99999999999999999999M" is 1M: keep that, defined.
             */
            valf = fraction < 1.0 ? (uint64_t)(fraction * 0x1p64) : 0;
        }
    }
    mul = cutils_suffix_mul(*endptr, 1024);
    if (mul > 0) {
        if (hex) {
            warn_report("Using a multiplier suffix on hex numbers "
                        "is deprecated: %s", nptr);
        }
        endptr++;
    } else {
        mul = cutils_suffix_mul(default_suffix, 1024);
    }
    if (mul == 1) {
        if (valf != 0) {
            endptr = nptr;
            retval = -EINVAL;
            goto out;
        }
    } else {
        unsigned __int128 prod = (unsigned __int128)val * (uint64_t)mul;
        unsigned __int128 frac = (unsigned __int128)valf * (uint64_t)mul;

        prod += frac >> 64;
        prod += ((uint64_t)frac) >> 63;
        if (prod >> 64) {
            retval = -ERANGE;
            goto out;
        }
        val = (uint64_t)prod;
    }
    retval = 0;

out:
    if (end) {
        *end = endptr;
    } else if (*endptr) {
        retval = -EINVAL;
    }
    if (retval == 0) {
        *result = val;
    }
    return retval;
}

int qemu_strtosz(const char *nptr, const char **end, uint64_t *result)
{
    return cutils_do_strtosz(nptr, end, 'B', result);
}

int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result)
{
    return cutils_do_strtosz(nptr, end, 'M', result);
}

/* QEMU 7.2 accepts exactly these spellings, case-sensitively. */
bool qapi_bool_parse(const char *name, const char *value, bool *obj,
                     Error **errp)
{
    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(yes); i++) {
        if (g_str_equal(value, yes[i])) {
            *obj = true;
            return true;
        }
        if (g_str_equal(value, no[i])) {
            *obj = false;
            return true;
        }
    }
    error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
    return false;
}

bool opts_visitor_parse_uint(const char *s, uint64_t *v)
{
    const char *p = s;

    while (g_ascii_isspace(*p)) {
        p++;
    }
    return *p && *p != '-' && qemu_strtou64(s, NULL, 0, v) == 0;
}

bool opts_visitor_parse_int(const char *s, int64_t *v)
{
    char *end;

    errno = 0;
    *v = strtoll(s, &end, 0);
    return errno == 0 && end > s && *end == '\0';
}
