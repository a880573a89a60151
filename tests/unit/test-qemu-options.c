/*
 * Unit tests for the option table and the -h / -version text
 * (system/qemu-options.c), against QEMU 7.2's qemu-options.hx and
 * softmmu/vl.c lookup_opt()/help()/version().
 */
#include "qemu/osdep.h"
#include "system/qemu-options.h"

static void test_lookup_dashes(void)
{
    const QEMUOption *m = qemu_option_lookup("m");

    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, "m");
    g_assert_cmpint(m->index, ==, QEMU_OPTION_m);
    g_assert_true(qemu_option_lookup("-m") == m);
    g_assert_true(qemu_option_lookup("--m") == m);
    /* lookup_opt strips at most two dashes */
    g_assert_null(qemu_option_lookup("---m"));
    g_assert_null(qemu_option_lookup("-"));
    g_assert_null(qemu_option_lookup("--"));
    g_assert_null(qemu_option_lookup(""));
    /* no prefix matching, case matters */
    g_assert_null(qemu_option_lookup("-mach"));
    g_assert_null(qemu_option_lookup("-machine=microvm"));
    g_assert_null(qemu_option_lookup("-Machine"));
    g_assert_null(qemu_option_lookup("-nosuch"));
}

typedef struct OptCase {
    const char *name;
    int flags;
    int index;
} OptCase;

/* A sample of names whose enum QEMU spells differently from the name. */
static const OptCase opt_cases[] = {
    { "help", 0, QEMU_OPTION_h },
    { "h", 0, QEMU_OPTION_h },
    { "version", 0, QEMU_OPTION_version },
    { "machine", HAS_ARG, QEMU_OPTION_machine },
    { "M", HAS_ARG, QEMU_OPTION_M },
    { "enable-kvm", 0, QEMU_OPTION_enable_kvm },
    { "nographic", 0, QEMU_OPTION_nographic },
    { "mem-path", HAS_ARG, QEMU_OPTION_mempath },
    { "fw_cfg", HAS_ARG, QEMU_OPTION_fwcfg },
    { "no-user-config", 0, QEMU_OPTION_nouserconfig },
    { "dfilter", HAS_ARG, QEMU_OPTION_DFILTER },
    { "async-teardown", 0, QEMU_OPTION_asyncteardown },
    { "S", 0, QEMU_OPTION_S },
    { "s", 0, QEMU_OPTION_s },
    { "d", HAS_ARG, QEMU_OPTION_d },
    { "D", HAS_ARG, QEMU_OPTION_D },
    { "L", HAS_ARG, QEMU_OPTION_L },
    { "smp", HAS_ARG, QEMU_OPTION_smp },
    { "kernel", HAS_ARG, QEMU_OPTION_kernel },
    { "object", HAS_ARG, QEMU_OPTION_object },
    { "g", HAS_ARG | QEMU_OPTION_NOT_X86, QEMU_OPTION_g },
    { "semihosting", QEMU_OPTION_NOT_X86, QEMU_OPTION_semihosting },
};

static void test_names_flags(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(opt_cases); i++) {
        const QEMUOption *o = qemu_option_lookup(opt_cases[i].name);

        g_assert_nonnull(o);
        g_assert_cmpstr(o->name, ==, opt_cases[i].name);
        g_assert_cmpint(o->flags, ==, opt_cases[i].flags);
        g_assert_cmpint(o->index, ==, opt_cases[i].index);
    }
}

/*
 * The table is QEMU 7.2 vl.c's: "h" (for -h) first, then the 121 entries
 * of qemu-options.hx, unique names, each index its position among them.
 */
static void test_table_shape(void)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    int n = 0, not_x86 = 0;
    const QEMUOption *o;

    g_assert_cmpstr(qemu_options[0].name, ==, "h");
    g_assert_cmpint(qemu_options[0].index, ==, QEMU_OPTION_h);
    g_assert_cmpint(qemu_options[0].flags, ==, 0);
    for (o = qemu_options + 1; o->name; o++, n++) {
        g_assert_cmpint(o->index, ==, n);
        g_assert_false(g_hash_table_contains(seen, o->name));
        g_hash_table_add(seen, (gpointer)o->name);
        if (o->flags & QEMU_OPTION_NOT_X86) {
            not_x86++;
        }
    }
    g_assert_cmpint(n, ==, QEMU_OPTION_COUNT);
    g_assert_cmpint(n, ==, 121);
    g_assert_cmpint(not_x86, ==, 5);
}

static void test_supported(void)
{
    g_assert_true(qemu_option_is_supported(QEMU_OPTION_machine));
    g_assert_true(qemu_option_is_supported(QEMU_OPTION_kernel));
    g_assert_false(qemu_option_is_supported(QEMU_OPTION_vnc));
    g_assert_false(qemu_option_is_supported(QEMU_OPTION_g));
    g_assert_false(qemu_option_is_supported(-1));
}

static void test_version_text(void)
{
    if (g_test_subprocess()) {
        qemu_print_version();
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("QEMU emulator version 7.2.0 (microqemu "
                              MICROQEMU_VERSION ")\n"
                              "Copyright (c) 2003-2022 Fabrice Bellard and "
                              "the QEMU Project developers\n");
}

static void test_help_text(void)
{
    if (g_test_subprocess()) {
        g_set_prgname("qemu-system-x86_64-microvm");
        qemu_print_help();
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("QEMU emulator version 7.2.0 *\n"
                              "Copyright (c) 2003-2022 *\n"
                              "usage: qemu-system-x86_64-microvm [options] "
                              "[disk_image]\n*");
    g_test_trap_assert_stdout("*\nStandard options:\n"
                              "-h or -help     display this help and exit\n"
                              "-version *");
    /* supported options carry no mark, others do, right below them */
    g_test_trap_assert_stdout("*\n-kernel bzImage use 'bzImage' as kernel "
                              "image\n-append *");
    g_test_trap_assert_stdout("*\n-vnc <display>  shorthand for -display "
                              "vnc=<display>\n"
                              "                (not supported by microqemu)\n*");
    g_test_trap_assert_stdout("*\n\nDebug/Expert options:\n*");
    g_test_trap_assert_stdout_unmatched("*-semihosting*");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu-options/lookup-dashes", test_lookup_dashes);
    g_test_add_func("/qemu-options/names-flags", test_names_flags);
    g_test_add_func("/qemu-options/table-shape", test_table_shape);
    g_test_add_func("/qemu-options/supported", test_supported);
    g_test_add_func("/qemu-options/version-text", test_version_text);
    g_test_add_func("/qemu-options/help-text", test_help_text);
    return g_test_run();
}
