/*
 * Errors as values (util/error.c): how error_report_err prints QEMU's
 * shapes. A raw error is one of QEMU's fprintf'd "qemu: ..." lines (no
 * program prefix); a preamble is what QEMU fprintf's before it reports
 * (kvm_init's "Could not access KVM kernel module: ..."); a hint follows.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"

static void test_plain(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        error_set_progname("qemu-system-x86_64");
        error_setg(&err, "failed to initialize kvm: %s", "No such device");
        error_append_preamble(&err, "Could not access KVM kernel module: "
                              "%s\n", "No such device");
        error_append_hint(&err, "hint\n");
        error_report_err(err);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("Could not access KVM kernel module: "
                              "No such device\n"
                              "qemu-system-x86_64: failed to initialize "
                              "kvm: No such device\nhint\n");
}

static void test_raw(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        error_set_progname("qemu-system-x86_64");
        loc_set_cmdline((char *[]){ "x", "-bios", "f", NULL }, 1, 2);
        error_setg_raw(&err, "qemu: could not load PC BIOS '%s'", "f");
        g_assert_true(err->raw);
        error_report_err(err);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    /* neither the program name nor the location */
    g_test_trap_assert_stderr("qemu: could not load PC BIOS 'f'\n");
}

/* GLib's log from a library, as QEMU's error_init() prints it */
static void test_glib_log(void)
{
    if (g_test_subprocess()) {
        error_set_progname("qemu-system-x86_64");
        g_setenv("G_MESSAGES_DEBUG", "Other", true);
        error_init_glib_log();
        g_log_set_always_fatal(G_LOG_FATAL_MASK);
        loc_set_cmdline((char *[]){ "x", "-netdev", "user,id=n", NULL },
                        1, 2);
        g_log("Slirp", G_LOG_LEVEL_WARNING, "failed to parse %s", "x");
        g_log("Slirp", G_LOG_LEVEL_CRITICAL, "Failed to send packet");
        g_log("Slirp", G_LOG_LEVEL_DEBUG, "not shown");
        g_log("Other", G_LOG_LEVEL_DEBUG, "shown");
        g_log(NULL, G_LOG_LEVEL_MESSAGE, "plain");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "qemu-system-x86_64: -netdev user,id=n: warning: Slirp: failed to "
        "parse x\n"
        "qemu-system-x86_64: -netdev user,id=n: Slirp: Failed to send "
        "packet\n"
        "qemu-system-x86_64: -netdev user,id=n: info: Other: shown\n"
        "qemu-system-x86_64: -netdev user,id=n: info: plain\n");
}

/* The first error wins; later preambles need an error to attach to. */
static void test_first_wins(void)
{
    Error *err = NULL;

    error_append_preamble(&err, "lost\n");
    g_assert_null(err);
    error_setg_raw(&err, "qemu: one");
    error_setg(&err, "two");
    g_assert_cmpstr(error_get_pretty(err), ==, "qemu: one");
    g_assert_true(err->raw);
    error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/error/preamble-and-hint", test_plain);
    g_test_add_func("/error/raw", test_raw);
    g_test_add_func("/error/first-wins", test_first_wins);
    g_test_add_func("/error/glib-log", test_glib_log);
    return g_test_run();
}
