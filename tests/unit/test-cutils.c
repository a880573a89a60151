/*
 * Unit tests for util/cutils.c: size, integer and boolean parsing.
 *
 * Expected values follow QEMU 7.2's do_strtosz and qemu_strtou64 rules
 * (its tests/unit/test-cutils.c covers the same corners).
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

typedef struct SizeCase {
    const char *str;
    int ret;
    uint64_t val;
} SizeCase;

static const SizeCase strtosz_cases[] = {
    { "0", 0, 0 },
    { "12345", 0, 12345 },
    { "  5", 0, 5 },
    { "1B", 0, 1 },
    { "1b", 0, 1 },
    { "1K", 0, KiB },
    { "1k", 0, KiB },
    { "2M", 0, 2 * MiB },
    { "2m", 0, 2 * MiB },
    { "3G", 0, 3 * GiB },
    { "1T", 0, 1024 * GiB },
    { "1P", 0, 1024 * 1024 * GiB },
    { "15E", 0, 15ULL << 60 },
    { "1.5G", 0, 3 * GiB / 2 },
    { "1.5k", 0, 1536 },
    { "12.345M", 0, 12944671 },         /* 12944670.72 rounds up */
    { "1.k", 0, KiB },                  /* a dot alone before the suffix */
    { "1.0", 0, 1 },                    /* zero fraction needs no suffix */
    /* a fraction that rounds to 1.0 counts as none, as in QEMU 7.2 */
    { "1.99999999999999999999M", 0, MiB },
    { "1.99999999999999999999", 0, 1 },
    { "15.99999999999999999999E", 0, 15ULL << 60 },
    { "0x1000", 0, 4096 },
    { "0X10", 0, 16 },
    { "0x1E", 0, 0x1e },                /* E is a hex digit here */
    { "18446744073709551615", 0, UINT64_MAX },
    { "", -EINVAL, 0 },
    { "x", -EINVAL, 0 },
    { "12x", -EINVAL, 0 },
    { "1.5", -EINVAL, 0 },              /* a fraction of a byte */
    { "1.5B", -EINVAL, 0 },
    { "0x1.5G", -EINVAL, 0 },           /* hex takes no fraction */
    { "1.5e3k", -EINVAL, 0 },           /* no exponents */
    { "1e3", -EINVAL, 0 },
    { "-1", -EINVAL, 0 },
    { "-0", -EINVAL, 0 },
    { " -5k", -EINVAL, 0 },
    { "1 K", -EINVAL, 0 },
    { "1KB", -EINVAL, 0 },
    { "16E", -ERANGE, 0 },
    { "18446744073709551616", -ERANGE, 0 },
    { "16384P", -ERANGE, 0 },
    { "99999999999999999999", -ERANGE, 0 },
};

static void test_strtosz_table(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(strtosz_cases); i++) {
        const SizeCase *c = &strtosz_cases[i];
        uint64_t res = 0xdeadbeef;
        int ret = qemu_strtosz(c->str, NULL, &res);

        g_test_message("qemu_strtosz(\"%s\")", c->str);
        g_assert_cmpint(ret, ==, c->ret);
        if (c->ret == 0) {
            g_assert_cmpuint(res, ==, c->val);
        } else {
            /* QEMU leaves the result untouched on error */
            g_assert_cmpuint(res, ==, 0xdeadbeef);
        }
    }
}

static void test_strtosz_hex_suffix_warns(void)
{
    if (g_test_subprocess()) {
        uint64_t res;

        error_set_progname("qemu-system-x86_64");
        g_assert_cmpint(qemu_strtosz("0x10", NULL, &res), ==, 0);
        g_assert_cmpint(qemu_strtosz("0x2M", NULL, &res), ==, 0);
        g_assert_cmpuint(res, ==, 2 * MiB);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    /* QEMU 7.2 still accepts it, with this warning (and only then) */
    g_test_trap_assert_stderr("qemu-system-x86_64: warning: Using a "
                              "multiplier suffix on hex numbers is "
                              "deprecated: 0x2M\n");
}

static void test_strtosz_end(void)
{
    const char *end;
    uint64_t res;
    const char *s;

    s = "123foo";
    g_assert_cmpint(qemu_strtosz(s, &end, &res), ==, 0);
    g_assert_cmpuint(res, ==, 123);
    g_assert_true(end == s + 3);

    s = "1kfoo";
    g_assert_cmpint(qemu_strtosz(s, &end, &res), ==, 0);
    g_assert_cmpuint(res, ==, KiB);
    g_assert_true(end == s + 2);

    s = "1.5,x";
    g_assert_cmpint(qemu_strtosz(s, &end, &res), ==, -EINVAL);
    g_assert_true(end == s);

    s = "-12";
    g_assert_cmpint(qemu_strtosz(s, &end, &res), ==, -EINVAL);
    g_assert_true(end == s);
}

static void test_strtosz_mib(void)
{
    uint64_t res;

    g_assert_cmpint(qemu_strtosz_MiB("1", NULL, &res), ==, 0);
    g_assert_cmpuint(res, ==, MiB);
    g_assert_cmpint(qemu_strtosz_MiB("1.5", NULL, &res), ==, 0);
    g_assert_cmpuint(res, ==, 3 * MiB / 2);
    g_assert_cmpint(qemu_strtosz_MiB("1k", NULL, &res), ==, 0);
    g_assert_cmpuint(res, ==, KiB);
    g_assert_cmpint(qemu_strtosz_MiB("12B", NULL, &res), ==, 0);
    g_assert_cmpuint(res, ==, 12);
    g_assert_cmpint(qemu_strtosz_MiB("17592186044416", NULL, &res), ==,
                    -ERANGE);
}

static void test_strtou64(void)
{
    const char *end;
    uint64_t res;

    g_assert_cmpint(qemu_strtou64("0x10", NULL, 0, &res), ==, 0);
    g_assert_cmpuint(res, ==, 16);
    g_assert_cmpint(qemu_strtou64("010", NULL, 0, &res), ==, 0);
    g_assert_cmpuint(res, ==, 8);
    g_assert_cmpint(qemu_strtou64("010", NULL, 10, &res), ==, 0);
    g_assert_cmpuint(res, ==, 10);
    /* like strtoull, a minus sign wraps */
    g_assert_cmpint(qemu_strtou64("-1", NULL, 0, &res), ==, 0);
    g_assert_cmpuint(res, ==, UINT64_MAX);
    g_assert_cmpint(qemu_strtou64("18446744073709551616", NULL, 0, &res),
                    ==, -ERANGE);
    g_assert_cmpuint(res, ==, UINT64_MAX);
    g_assert_cmpint(qemu_strtou64("", NULL, 0, &res), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64(NULL, NULL, 0, &res), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64("12a", NULL, 0, &res), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64("12a", &end, 0, &res), ==, 0);
    g_assert_cmpuint(res, ==, 12);
    g_assert_cmpstr(end, ==, "a");
}

static void test_strtoi(void)
{
    int64_t r64;
    unsigned long ul;
    int r;

    g_assert_cmpint(qemu_strtoi("-42", NULL, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, -42);
    g_assert_cmpint(qemu_strtoi("2147483647", NULL, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, INT_MAX);
    g_assert_cmpint(qemu_strtoi("2147483648", NULL, 0, &r), ==, -ERANGE);
    g_assert_cmpint(r, ==, INT_MAX);
    g_assert_cmpint(qemu_strtoi("-2147483649", NULL, 0, &r), ==, -ERANGE);
    g_assert_cmpint(r, ==, INT_MIN);
    g_assert_cmpint(qemu_strtoi("x", NULL, 0, &r), ==, -EINVAL);

    g_assert_cmpint(qemu_strtoi64("-0x10", NULL, 0, &r64), ==, 0);
    g_assert_cmpint(r64, ==, -16);
    g_assert_cmpint(qemu_strtoi64("9223372036854775808", NULL, 0, &r64), ==,
                    -ERANGE);
    g_assert_cmpint(r64, ==, INT64_MAX);
    g_assert_cmpint(qemu_strtoi64("1 ", NULL, 0, &r64), ==, -EINVAL);

    g_assert_cmpint(qemu_strtoul("0777", NULL, 0, &ul), ==, 0);
    g_assert_cmpuint(ul, ==, 0777);
    g_assert_cmpint(qemu_strtoul("z", NULL, 0, &ul), ==, -EINVAL);
}

static void test_bool_parse(void)
{
    static const struct {
        const char *str;
        bool ok;
        bool val;
    } cases[] = {
        { "on", true, true }, { "yes", true, true }, { "true", true, true },
        { "y", true, true }, { "off", true, false }, { "no", true, false },
        { "false", true, false }, { "n", true, false },
        { "ON", false, false }, { "Y", false, false }, { "1", false, false },
        { "", false, false }, { "maybe", false, false },
        { "auto", false, false },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        Error *err = NULL;
        bool val = !cases[i].val;
        bool ok = qapi_bool_parse("flag", cases[i].str, &val, &err);

        g_test_message("qapi_bool_parse(\"%s\")", cases[i].str);
        g_assert_cmpint(ok, ==, cases[i].ok);
        if (ok) {
            g_assert_null(err);
            g_assert_cmpint(val, ==, cases[i].val);
        } else {
            g_assert_nonnull(err);
            g_assert_cmpstr(error_get_pretty(err), ==,
                            "Parameter 'flag' expects 'on' or 'off'");
            error_free(err);
        }
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cutils/strtosz/table", test_strtosz_table);
    g_test_add_func("/cutils/strtosz/end", test_strtosz_end);
    g_test_add_func("/cutils/strtosz/hex-suffix",
                    test_strtosz_hex_suffix_warns);
    g_test_add_func("/cutils/strtosz/mib", test_strtosz_mib);
    g_test_add_func("/cutils/strtou64", test_strtou64);
    g_test_add_func("/cutils/strtoi", test_strtoi);
    g_test_add_func("/cutils/bool_parse", test_bool_parse);
    return g_test_run();
}
