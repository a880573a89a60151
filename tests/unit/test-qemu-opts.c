/*
 * Unit tests for util/qemu-option.c and util/error.c's report format.
 *
 * The messages are checked literally against what QEMU 7.2 prints for the
 * same input (e.g. "qemu-system-x86_64 -chardev null,foo=1").
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qom/object.h"

static QemuOptsList typed_list = {
    .name = "typed",
    .implied_opt_name = "backend",
    .desc = {
        { .name = "backend", .type = QEMU_OPT_STRING },
        { .name = "str1", .type = QEMU_OPT_STRING, .help = "a string",
          .def_value_str = "dflt" },
        { .name = "bool1", .type = QEMU_OPT_BOOL, .def_value_str = "on" },
        { .name = "number1", .type = QEMU_OPT_NUMBER, .help = "a number" },
        { .name = "size1", .type = QEMU_OPT_SIZE,
          .help = "a size with a long description" },
        { .name = "delay", .type = QEMU_OPT_BOOL },
        { NULL }
    },
};

static QemuOptsList any_list = {
    .name = "device",
    .implied_opt_name = "driver",
    .desc = { { NULL } },
};

static QemuOptsList merged_list = {
    .name = "machine",
    .implied_opt_name = "type",
    .merge_lists = true,
    .desc = { { NULL } },
};

/* -machine, -smp and -boot are QEMU keyval, not QemuOpts */
static QemuOptsList keyval_list = {
    .name = "machine",
    .implied_opt_name = "type",
    .merge_lists = true,
    .keyval = true,
    .desc = { { NULL } },
};

static void lists_reset(void)
{
    QemuOptsList *lists[] = {
        &typed_list, &any_list, &merged_list, &keyval_list,
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(lists); i++) {
        while (!g_queue_is_empty(&lists[i]->head)) {
            qemu_opts_del(g_queue_peek_head(&lists[i]->head));
        }
    }
}

typedef struct ParseCase {
    const char *params;
    const char *result;     /* qemu_opts_to_string(), or NULL: error */
    const char *error;      /* literal message */
    const char *hint;       /* literal hint, or NULL */
} ParseCase;

static const char *const SIZE_HINT =
    "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, "
    "peta-\nand exabytes, respectively.\n";
static const char *const ID_HINT =
    "Identifiers consist of letters, digits, '-', '.', '_', starting with "
    "a letter.\n";

static const ParseCase parse_cases[] = {
    { "null", "backend=null" },
    { "null,id=a", "id=a,backend=null" },
    /* the implied key is only for the first item */
    { "id=a,null", NULL, "Invalid parameter 'null'" },
    { "stdio,str1=x", "backend=stdio,str1=x" },
    { "a,,b,str1=c,,,,d", "backend=a,b,str1=c,,d" },
    { "str1=,,", "str1=," },
    { "str1=", "str1=" },
    { "backend=x,backend=y", "backend=x,backend=y" },
    { "x,bool1", "backend=x,bool1=on" },
    { "x,nobool1", "backend=x,bool1=off" },
    { "x,bool1=yes", "backend=x,bool1=yes" },
    { "x,number1=0x10", "backend=x,number1=0x10" },
    { "x,size1=1.5G", "backend=x,size1=1.5G" },
    { "x,foo=1", NULL, "Invalid parameter 'foo'" },
    { "x,foo", NULL, "Invalid parameter 'foo'" },
    { "x,bool1=maybe", NULL, "Parameter 'bool1' expects 'on' or 'off'" },
    { "x,bool1=", NULL, "Parameter 'bool1' expects 'on' or 'off'" },
    { "x,number1=12x", NULL, "Parameter 'number1' expects a number" },
    { "x,number1=99999999999999999999", NULL,
      "Value '99999999999999999999' is too large for parameter 'number1'" },
    { "x,size1=12x", NULL,
      "Parameter 'size1' expects a non-negative number below 2^64",
      "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, "
      "tera-, peta-\nand exabytes, respectively.\n" },
    { "x,size1=-1", NULL,
      "Parameter 'size1' expects a non-negative number below 2^64",
      "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, "
      "tera-, peta-\nand exabytes, respectively.\n" },
    { "x,size1=16E", NULL,
      "Value '16E' is out of range for parameter 'size1'" },
    { "x,id=1a", NULL, "Parameter 'id' expects an identifier",
      "Identifiers consist of letters, digits, '-', '.', '_', starting "
      "with a letter.\n" },
    { "x,id=", NULL, "Parameter 'id' expects an identifier",
      "Identifiers consist of letters, digits, '-', '.', '_', starting "
      "with a letter.\n" },
    { "x,id=a_b-c.9", "id=a_b-c.9,backend=x" },
};

static void test_parse_table(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
        const ParseCase *c = &parse_cases[i];
        Error *err = NULL;
        QemuOpts *opts;

        g_test_message("parse \"%s\"", c->params);
        opts = qemu_opts_parse(&typed_list, c->params, true, &err);
        if (c->result) {
            g_autofree char *s = NULL;

            g_assert_null(err);
            g_assert_nonnull(opts);
            s = qemu_opts_to_string(opts);
            g_assert_cmpstr(s, ==, c->result);
            qemu_opts_del(opts);
        } else {
            g_assert_null(opts);
            g_assert_nonnull(err);
            g_assert_cmpstr(error_get_pretty(err), ==, c->error);
            g_assert_cmpstr(err->hint ? err->hint->str : NULL, ==, c->hint);
            error_free(err);
        }
        /* A failed parse leaves nothing behind */
        g_assert_true(g_queue_is_empty(&typed_list.head));
    }
    (void)SIZE_HINT;
    (void)ID_HINT;
}

static void test_no_implied_key(void)
{
    QemuOpts *opts = qemu_opts_parse(&any_list, "virtio-blk,nofoo", false,
                                     &error_abort);

    /* Without permit_abbrev the first word is a flag like any other */
    g_assert_cmpstr(qemu_opt_get(opts, "virtio-blk"), ==, "on");
    g_assert_cmpstr(qemu_opt_get(opts, "foo"), ==, "off");
    g_assert_null(qemu_opt_get(opts, "driver"));
    lists_reset();
}

/* QEMU 7.2's keyval_parse_one(), as "-M ARG" reports it */
static void test_keyval(void)
{
    static const ParseCase cases[] = {
        { "microvm,acpi=off", "type=microvm,acpi=off" },
        { "microvm,acpi=off,,x", "type=microvm,acpi=off,x" },
        { "microvm,help", "type=microvm,help=on" },
        { "microvm,acpi", NULL, "Expected '=' after parameter 'acpi'" },
        { "microvm,noacpi", NULL, "Expected '=' after parameter 'noacpi'" },
        { "microvm,a.b", NULL, "Expected '=' after parameter 'a.b'" },
        { "microvm,acpi,pit=off", NULL,
          "Expected '=' after parameter 'acpi'" },
        /* the implied value has no ",," escape: the next key is empty */
        { "microvm,,acpi=off", NULL, "Invalid parameter ''" },
        { ",acpi=off", NULL, "Invalid parameter ''" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const ParseCase *c = &cases[i];
        Error *err = NULL;
        QemuOpts *opts;

        g_test_message("parse \"%s\"", c->params);
        opts = qemu_opts_parse(&keyval_list, c->params, true, &err);
        if (c->result) {
            g_autofree char *s = NULL;

            g_assert_null(err);
            s = qemu_opts_to_string(opts);
            g_assert_cmpstr(s, ==, c->result);
        } else {
            g_assert_null(opts);
            g_assert_cmpstr(error_get_pretty(err), ==, c->error);
            error_free(err);
        }
        lists_reset();
    }
}

static void test_duplicate_id(void)
{
    Error *err = NULL;
    QemuOpts *a;

    a = qemu_opts_parse(&typed_list, "null,id=a", true, &error_abort);
    g_assert_null(qemu_opts_parse(&typed_list, "null,id=a", true, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Duplicate ID 'a' for typed");
    error_free(err);
    err = NULL;
    /* Anonymous ones never clash */
    g_assert_nonnull(qemu_opts_parse(&typed_list, "null", true, &err));
    g_assert_nonnull(qemu_opts_parse(&typed_list, "null", true, &err));
    g_assert_true(qemu_opts_find(&typed_list, "a") == a);
    g_assert_cmpstr(qemu_opts_id(a), ==, "a");
    g_assert_null(qemu_opts_find(&typed_list, "b"));
    g_assert_cmpuint(g_queue_get_length(&typed_list.head), ==, 3);

    /* qemu_opts_create without fail_if_exists returns the existing one */
    g_assert_true(qemu_opts_create(&typed_list, "a", false, &error_abort)
                  == a);
    lists_reset();
}

static void test_typed_getters(void)
{
    QemuOpts *opts;

    opts = qemu_opts_parse(&typed_list, "x,number1=0x20,size1=2k,nobool1",
                           true, &error_abort);
    g_assert_cmpuint(qemu_opt_get_number(opts, "number1", 7), ==, 32);
    g_assert_cmpuint(qemu_opt_get_size(opts, "size1", 7), ==, 2048);
    g_assert_false(qemu_opt_get_bool(opts, "bool1", true));
    /* Defaults: the descriptor's, then the caller's */
    g_assert_cmpstr(qemu_opt_get(opts, "str1"), ==, "dflt");
    g_assert_false(qemu_opt_has(opts, "str1"));
    g_assert_true(qemu_opt_get_bool(opts, "delay", true));
    g_assert_false(qemu_opt_get_bool(opts, "delay", false));
    qemu_opts_del(opts);

    opts = qemu_opts_parse(&typed_list, "x", true, &error_abort);
    g_assert_true(qemu_opt_get_bool(opts, "bool1", false));
    g_assert_cmpuint(qemu_opt_get_number(opts, "number1", 7), ==, 7);
    qemu_opts_del(opts);

    /* Lists without descriptors parse on demand */
    opts = qemu_opts_parse(&any_list, "d,a=on,n=12,s=1M,bad=x", true,
                           &error_abort);
    g_assert_true(qemu_opt_get_bool(opts, "a", false));
    g_assert_cmpuint(qemu_opt_get_number(opts, "n", 0), ==, 12);
    g_assert_cmpuint(qemu_opt_get_size(opts, "s", 0), ==, MiB);
    g_assert_cmpuint(qemu_opt_get_number(opts, "bad", 5), ==, 5);
    g_assert_false(qemu_opt_get_bool(opts, "bad", false));
    lists_reset();
}

static void test_last_value_wins(void)
{
    QemuOpts *opts = qemu_opts_parse(&any_list, "d,k=1,k=2", true,
                                     &error_abort);

    g_assert_cmpstr(qemu_opt_get(opts, "k"), ==, "2");
    g_assert_true(qemu_opt_unset(opts, "k"));
    g_assert_false(qemu_opt_has(opts, "k"));
    g_assert_false(qemu_opt_unset(opts, "k"));
    g_assert_true(qemu_opt_set(opts, "k", "3", &error_abort));
    g_assert_cmpstr(qemu_opt_get(opts, "k"), ==, "3");
    lists_reset();
}

static void test_merge_lists(void)
{
    Error *err = NULL;
    QemuOpts *a;
    QemuOpts *b;

    a = qemu_opts_parse(&merged_list, "microvm,pit=off", true, &error_abort);
    b = qemu_opts_parse(&merged_list, "pic=off,pit=on", false, &error_abort);
    g_assert_true(a == b);
    g_assert_cmpuint(g_queue_get_length(&merged_list.head), ==, 1);
    g_assert_cmpstr(qemu_opt_get(a, "type"), ==, "microvm");
    g_assert_cmpstr(qemu_opt_get(a, "pit"), ==, "on");
    g_assert_cmpstr(qemu_opt_get(a, "pic"), ==, "off");

    g_assert_null(qemu_opts_parse(&merged_list, "id=x", false, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'id'");
    error_free(err);
    lists_reset();
}

static void test_help(void)
{
    Error *err = NULL;
    bool help = false;
    QemuOpts *opts;

    /* With descriptors: help is asked for, no error, no opts */
    g_assert_null(qemu_opts_parse_help(&typed_list, "x,help", true, &help,
                                       &err));
    g_assert_true(help);
    g_assert_null(err);
    g_assert_true(g_queue_is_empty(&typed_list.head));
    g_assert_null(qemu_opts_parse_help(&typed_list, "x,?", true, &help,
                                       &err));
    g_assert_true(help);
    g_assert_null(err);

    /* "help" as the implied value is a value, not a request */
    opts = qemu_opts_parse_help(&typed_list, "help", true, &help, &err);
    g_assert_false(help);
    g_assert_cmpstr(qemu_opt_get(opts, "backend"), ==, "help");
    qemu_opts_del(opts);

    /* qemu_opts_parse (no help wanted) rejects it like QEMU does */
    g_assert_null(qemu_opts_parse(&typed_list, "x,help", true, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'help'");
    error_free(err);

    /* Without descriptors the caller asks the opts */
    opts = qemu_opts_parse_help(&any_list, "isa-serial,help", true, &help,
                                &error_abort);
    g_assert_false(help);
    g_assert_true(qemu_opt_has_help_opt(opts));
    qemu_opts_del(opts);
    opts = qemu_opts_parse(&any_list, "isa-serial,iobase=1", true,
                           &error_abort);
    g_assert_false(qemu_opt_has_help_opt(opts));
    lists_reset();
}

static void test_print_help(void)
{
    if (g_test_subprocess()) {
        qemu_opts_print_help(&typed_list, true);
        qemu_opts_print_help(&any_list, true);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout(
        "typed options:\n"
        "  backend=<str>\n"
        "  bool1=<bool (on/off)>\n"
        "  delay=<bool (on/off)>\n"
        "  number1=<num>          - a number\n"
        "  size1=<size>           - a size with a long description\n"
        "  str1=<str>             - a string\n"
        "There are no options for device.\n");
}

static void test_flag_deprecation(void)
{
    if (g_test_subprocess()) {
        bool help;

        error_set_progname("/usr/bin/qemu-system-x86_64");
        qemu_opts_del(qemu_opts_parse_help(&typed_list, "x,bool1,nodelay",
                                           true, &help, &error_abort));
        /* The plain parser (QMP-like users) stays quiet */
        qemu_opts_del(qemu_opts_parse(&typed_list, "x,bool1", true,
                                      &error_abort));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "qemu-system-x86_64: warning: short-form boolean option 'bool1' "
        "deprecated\n"
        "Please use bool1=on instead\n"
        "qemu-system-x86_64: warning: short-form boolean option 'nodelay' "
        "deprecated\n"
        "Please use nodelay=on instead\n");
}

static void test_noisily(void)
{
    if (g_test_subprocess()) {
        char *argv[] = { "qemu", "-chardev", "null,foo=1", NULL };

        error_set_progname("/usr/bin/qemu-system-x86_64");
        loc_set_cmdline(argv, 1, 2);
        g_assert_null(qemu_opts_parse_noisily(&typed_list, "null,foo=1",
                                              true));
        loc_set_none();
        g_assert_null(qemu_opts_parse_noisily(&typed_list, "x,id=9",
                                              true));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "qemu-system-x86_64: -chardev null,foo=1: Invalid parameter 'foo'\n"
        "qemu-system-x86_64: Parameter 'id' expects an identifier\n"
        "Identifiers consist of letters, digits, '-', '.', '_', starting "
        "with a letter.\n");
}

static void test_report_format(void)
{
    if (g_test_subprocess()) {
        char *argv[] = { "qemu", "-m", "12x", NULL };
        Error *err = NULL;

        error_report("plain %d", 1);
        error_set_progname("qemu-system-x86_64");
        error_report("no location");
        loc_set_cmdline(argv, 1, 2);
        warn_report("careful");
        info_report("fyi");
        error_setg(&err, "inner");
        error_prepend(&err, "outer: ");
        error_append_hint(&err, "hint %s\n", "one");
        error_report_err(err);
        err = NULL;
        loc_set_cmdline(argv, 2, 1);
        error_setg_errno(&err, ENOENT, "open %s", "f");
        error_report_err(err);
        qemu_log_mask(LOG_GUEST_ERROR, "hidden\n");
        qemu_loglevel = LOG_GUEST_ERROR;
        qemu_log_mask(LOG_GUEST_ERROR, "shown\n");
        qemu_log_mask(LOG_UNIMP, "hidden too\n");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "plain 1\n"
        "qemu-system-x86_64: no location\n"
        "qemu-system-x86_64: -m 12x: warning: careful\n"
        "qemu-system-x86_64: -m 12x: info: fyi\n"
        "qemu-system-x86_64: -m 12x: outer: inner\n"
        "hint one\n"
        "qemu-system-x86_64: 12x: open f: No such file or directory\n"
        "shown\n");
}

static void test_log_mask(void)
{
    g_assert_cmpint(qemu_str_to_log_mask("guest_errors"), ==,
                    LOG_GUEST_ERROR);
    g_assert_cmpint(qemu_str_to_log_mask("unimp,guest_errors"), ==,
                    LOG_GUEST_ERROR | LOG_UNIMP);
    g_assert_cmpint(qemu_str_to_log_mask("in_asm"), ==, LOG_OTHER);
    g_assert_cmpint(qemu_str_to_log_mask("all") &
                    (LOG_GUEST_ERROR | LOG_UNIMP), ==,
                    LOG_GUEST_ERROR | LOG_UNIMP);
    g_assert_cmpint(qemu_str_to_log_mask("help"), ==, 0);
    g_assert_cmpint(qemu_str_to_log_mask("guest_errors,foo"), ==, 0);
    g_assert_cmpint(qemu_str_to_log_mask("trace:"), ==, 0);
    g_assert_cmpint(qemu_str_to_log_mask("trace:kvm_*"), ==, LOG_OTHER);
}

static void test_log_usage(void)
{
    if (g_test_subprocess()) {
        qemu_print_log_usage(stdout);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    /* Spot checks of "qemu-system-x86_64 -d help" */
    g_test_trap_assert_stdout("Log items (comma separated):\n"
                              "out_asm         show generated host *");
    g_test_trap_assert_stdout("*\nguest_errors    log when the guest OS "
                              "does something invalid (eg accessing a\n"
                              "non-existent register)\n*");
    g_test_trap_assert_stdout("*plugin          output from TCG plugins\n"
                              "\nstrace *");
    g_test_trap_assert_stdout("*\ntrace:PATTERN   enable trace events\n"
                              "\nUse \"-d trace:help\" to get a list of "
                              "trace events.\n\n");
}

static void test_errors(void)
{
    Error *err = NULL;
    Error *local = NULL;

    /* The first error wins; later ones are dropped */
    error_setg(&err, "first");
    error_setg(&err, "second");
    g_assert_cmpstr(error_get_pretty(err), ==, "first");
    error_setg(&local, "third");
    error_propagate(&err, local);
    g_assert_cmpstr(error_get_pretty(err), ==, "first");
    error_free(err);

    /* NULL errp ignores everything */
    error_setg(NULL, "x");
    error_prepend(NULL, "y");
    error_append_hint(NULL, "z");
    error_propagate(NULL, NULL);

    err = NULL;
    local = NULL;
    error_setg(&local, "moved");
    error_propagate(&err, local);
    g_assert_cmpstr(error_get_pretty(err), ==, "moved");
    g_assert_null(err->hint);
    error_free(err);
}

static int collect(void *opaque, const char *name, const char *value,
                   Error **errp)
{
    g_string_append_printf(opaque, "%s:%s;", name, value);
    return g_str_equal(name, "stop");
}

static void test_foreach_validate(void)
{
    g_autoptr(GString) s = g_string_new(NULL);
    static const QemuOptDesc desc[] = {
        { .name = "driver", .type = QEMU_OPT_STRING },
        { .name = "n", .type = QEMU_OPT_NUMBER },
        { NULL }
    };
    QemuOpts *opts;
    Error *err = NULL;

    opts = qemu_opts_parse(&any_list, "d,a=1,stop=x,b=2", true,
                           &error_abort);
    g_assert_cmpint(qemu_opt_foreach(opts, collect, s, NULL), ==, 1);
    g_assert_cmpstr(s->str, ==, "driver:d;a:1;stop:x;");
    g_assert_false(qemu_opts_validate(opts, desc, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'a'");
    error_free(err);
    err = NULL;
    qemu_opts_del(opts);

    opts = qemu_opts_parse(&any_list, "d,n=zz", true, &error_abort);
    g_assert_false(qemu_opts_validate(opts, desc, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'n' expects a number");
    error_free(err);
    qemu_opts_del(opts);

    opts = qemu_opts_parse(&any_list, "d,n=0x10", true, &error_abort);
    g_assert_true(qemu_opts_validate(opts, desc, &error_abort));
    g_assert_cmpuint(qemu_opt_get_number(opts, "n", 0), ==, 16);
    lists_reset();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu-opts/parse-table", test_parse_table);
    g_test_add_func("/qemu-opts/no-implied-key", test_no_implied_key);
    g_test_add_func("/qemu-opts/keyval", test_keyval);
    g_test_add_func("/qemu-opts/duplicate-id", test_duplicate_id);
    g_test_add_func("/qemu-opts/typed-getters", test_typed_getters);
    g_test_add_func("/qemu-opts/last-value-wins", test_last_value_wins);
    g_test_add_func("/qemu-opts/merge-lists", test_merge_lists);
    g_test_add_func("/qemu-opts/help", test_help);
    g_test_add_func("/qemu-opts/print-help", test_print_help);
    g_test_add_func("/qemu-opts/flag-deprecation", test_flag_deprecation);
    g_test_add_func("/qemu-opts/noisily", test_noisily);
    g_test_add_func("/qemu-opts/foreach-validate", test_foreach_validate);
    g_test_add_func("/error/report-format", test_report_format);
    g_test_add_func("/error/values", test_errors);
    g_test_add_func("/log/mask", test_log_mask);
    g_test_add_func("/log/usage", test_log_usage);
    return g_test_run();
}
