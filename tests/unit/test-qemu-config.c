/*
 * Unit tests for util/qemu-config.c: the -readconfig file grammar of QEMU
 * 7.2's qemu_config_foreach (headers, ids, quoting, comments, what its
 * sscanf patterns let through) and each error with its FILE:LINE.
 */
#include "qemu/osdep.h"
#include "qemu/config-file.h"

typedef struct Parsed {
    GString *out;           /* "group{k=v,k=v}" per section */
    const char *fail_group; /* the callback fails for this group */
    GArray *cb_lines;       /* the location's line at each callback */
} Parsed;

static void record_group(const QemuConfigGroup *group, void *opaque,
                         Error **errp)
{
    Parsed *p = opaque;
    Location loc;
    int line;

    loc_save(&loc);
    line = loc.file ? loc.line : 0;
    g_array_append_val(p->cb_lines, line);
    if (p->fail_group && strcmp(group->name, p->fail_group) == 0) {
        error_setg(errp, "There is no option group '%s'", group->name);
        return;
    }
    g_string_append_printf(p->out, "%s{", group->name);
    for (guint i = 0; i < group->entries->len; i++) {
        QemuConfigEntry *e = &g_array_index(group->entries,
                                            QemuConfigEntry, i);

        g_string_append_printf(p->out, "%s%s=%s", i ? "," : "", e->key,
                               e->value);
    }
    g_string_append(p->out, "}");
}

/*
 * Parses text as file "t.cfg". Returns the result; *out the sections,
 * *err_msg the error and *err_line the location's line after an error
 * (-1: no file location).
 */
static int parse(const char *text, const char *fail_group, char **out,
                 char **err_msg, int *err_line, GArray **cb_lines)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    Parsed p = {
        .out = g_string_new(NULL), .fail_group = fail_group,
        .cb_lines = g_array_new(FALSE, FALSE, sizeof(int)),
    };
    Error *err = NULL;
    Location loc;
    int ret;

    g_assert_nonnull(f);
    loc_set_none();
    ret = qemu_config_parse(f, "t.cfg", record_group, &p, &err);
    fclose(f);
    loc_save(&loc);
    *err_line = loc.file ? loc.line : -1;
    *err_msg = err ? g_strdup(error_get_pretty(err)) : NULL;
    if (err) {
        error_free(err);
        g_assert_cmpint(ret, ==, -EINVAL);
    } else {
        /* success restores the caller's (none) location */
        g_assert_null(loc.file);
    }
    *out = g_string_free(p.out, FALSE);
    if (cb_lines) {
        *cb_lines = p.cb_lines;
    } else {
        g_array_unref(p.cb_lines);
    }
    loc_set_none();
    return ret;
}

typedef struct GoodCase {
    const char *text;
    int count;
    const char *groups;
} GoodCase;

static const GoodCase good_cases[] = {
    { "", 0, "" },
    { "# only a comment\n\n", 0, "" },
    { "[name]\n", 1, "name{}" },
    { "[name]\nguest = \"g\"\n", 1, "name{guest=g}" },
    { "[device \"d0\"]\ndriver = \"isa-serial\"\n", 1,
      "device{id=d0,driver=isa-serial}" },
    /* spaces around anything, tabs too */
    { "[name]\n   guest   =   \"a b\"  \n\tprocess\t=\t\"p\"\n", 1,
      "name{guest=a b,process=p}" },
    { "[rtc]\nbase = \"\"\n", 1, "rtc{base=}" },
    { "[chardev \"c\"]\nbackend = \"null\"\n\n# x\n[device]\n"
      "driver = \"isa-serial\"\nchardev = \"c\"\n", 2,
      "chardev{id=c,backend=null}device{driver=isa-serial,chardev=c}" },
    /* a key given twice: first place, last value; an id key replaces */
    { "[name]\nguest = \"a\"\nprocess = \"p\"\nguest = \"b\"\n", 1,
      "name{guest=b,process=p}" },
    { "[chardev \"c\"]\nid = \"d\"\n", 1, "chardev{id=d}" },
    /* values keep commas, '=' and '#' */
    { "[name]\nguest = \"a,b=c#d\"\n", 1, "name{guest=a,b=c#d}" },
    /* QEMU's patterns: a word with nothing usable after it is that key
     * with an empty value; so is an unquoted value */
    { "[name]\nbogus line\n", 1, "name{bogus=}" },
    { "[name]\nguest = x\n", 1, "name{guest=}" },
    { "[name]\nguest=x\n", 1, "name{guest=x=}" },
    /* an unterminated quote keeps the rest of the line */
    { "[name]\nguest = \"abc\n", 1, "name{guest=abc\n}" },
    /* an indented comment is a key */
    { "[name]\n  # c\n", 1, "name{#=}" },
    /* "[]" is a key, and names the last section "]" (QEMU's buffer) */
    { "[name]\n[]\n", 1, "]{[]=}" },
    { "[name]\n[]\n[rtc]\n", 2, "name{[]=}rtc{}" },
    /* "[x" has no closing bracket: group "x\n" */
    { "[x\n", 1, "x\n{}" },
    /* names and ids are cut at 63 characters */
    { "[device \"0123456789012345678901234567890123456789012345678901234"
      "567890123\"]\n", 1,
      "device{id=012345678901234567890123456789012345678901234567890123"
      "456789012}" },
    /* no newline at the end of the file */
    { "[name]\nguest = \"g\"", 1, "name{guest=g}" },
};

static void test_good(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(good_cases); i++) {
        g_autofree char *out = NULL, *msg = NULL;
        int line;
        int ret = parse(good_cases[i].text, NULL, &out, &msg, &line, NULL);

        g_test_message("case %zu: %s", i, good_cases[i].text);
        g_assert_null(msg);
        g_assert_cmpint(ret, ==, good_cases[i].count);
        g_assert_cmpstr(out, ==, good_cases[i].groups);
    }
}

typedef struct BadCase {
    const char *text;
    const char *fail_group;
    const char *msg;
    int line;               /* -1: reported without a location */
    const char *groups;     /* the sections handed over before it */
} BadCase;

static const BadCase bad_cases[] = {
    { "guest = \"x\"\n", NULL, "no group defined", 1, "" },
    { "# c\n\nguest = \"x\"\n", NULL, "no group defined", 3, "" },
    { "[name]\n   \n", NULL, "parse error", 2, "" },
    /* the section is not handed over before the syntax error */
    { "[name]\nguest = \"g\"\n\n \t\n", NULL, "parse error", 4, "" },
    /* a section fails when the next header or the end is read, at the
     * last key line read so far */
    { "# c\n\n[foo]\na = \"b\"\n", "foo",
      "There is no option group 'foo'", 4, "" },
    { "[foo]\n[name]\n", "foo", "There is no option group 'foo'", -1, "" },
    { "[name]\nguest = \"a\"\n[foo]\n", "foo",
      "There is no option group 'foo'", 2, "name{guest=a}" },
    { "[name]\nguest = \"a\"\n\n[foo]\n\n# x\n[rtc]\n", "foo",
      "There is no option group 'foo'", 2, "name{guest=a}" },
    { "[rtc]\n[name]\nguest = \"a\"\n\n[foo]\nx = \"1\"\ny = \"2\"\n\n",
      "foo", "There is no option group 'foo'", 7, "rtc{}name{guest=a}" },
};

static void test_errors(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        g_autofree char *out = NULL, *msg = NULL;
        int line;

        g_test_message("case %zu: %s", i, bad_cases[i].text);
        parse(bad_cases[i].text, bad_cases[i].fail_group, &out, &msg, &line,
              NULL);
        g_assert_cmpstr(msg, ==, bad_cases[i].msg);
        g_assert_cmpint(line, ==, bad_cases[i].line);
        g_assert_cmpstr(out, ==, bad_cases[i].groups);
    }
}

/* While a section is applied, errors point at its last key line. */
static void test_callback_location(void)
{
    g_autofree char *out = NULL, *msg = NULL;
    g_autoptr(GArray) lines = NULL;
    int line;

    parse("[a]\n[b]\nk = \"1\"\n\nj = \"2\"\n[c]\n# x\n", NULL, &out, &msg,
          &line, &lines);
    g_assert_null(msg);
    g_assert_cmpint(lines->len, ==, 3);
    g_assert_cmpint(g_array_index(lines, int, 0), ==, 0);
    g_assert_cmpint(g_array_index(lines, int, 1), ==, 5);
    g_assert_cmpint(g_array_index(lines, int, 2), ==, 5);
}

/* Lines longer than QEMU's 1023-byte buffer are read in pieces. */
static void test_long_line(void)
{
    g_autoptr(GString) text = g_string_new("[name]\nguest = \"");
    g_autofree char *out = NULL, *msg = NULL;
    int line;

    for (int i = 0; i < 1100; i++) {
        g_string_append_c(text, 'a');
    }
    g_string_append(text, "\"\n");
    parse(text->str, NULL, &out, &msg, &line, NULL);
    g_assert_null(msg);
    /* the value stops at the buffer's end; the rest is a key */
    g_assert_true(g_str_has_prefix(out, "name{guest=aaaa"));
    g_assert_true(strstr(out, ",aaaaaaaaaaaaaaa") != NULL);
}

static void test_file_errors(void)
{
    g_autofree char *dir = g_dir_make_tmp("test-qemu-config-XXXXXX", NULL);
    g_autofree char *missing = g_build_filename(dir, "missing.cfg", NULL);
    g_autofree char *file = g_build_filename(dir, "ok.cfg", NULL);
    g_autofree char *want = NULL;
    Parsed p = { .out = g_string_new(NULL),
                 .cb_lines = g_array_new(FALSE, FALSE, sizeof(int)) };
    Error *err = NULL;

    g_assert_cmpint(qemu_read_config_file(missing, record_group, &p, &err),
                    ==, -ENOENT);
    want = g_strdup_printf("Could not open '%s': No such file or directory",
                           missing);
    g_assert_cmpstr(error_get_pretty(err), ==, want);
    g_clear_pointer(&err, error_free);

    g_assert_cmpint(qemu_read_config_file(dir, record_group, &p, &err),
                    ==, -EINVAL);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Cannot read config file: Is a directory");
    g_clear_pointer(&err, error_free);

    g_assert_true(g_file_set_contents(file, "[name]\nguest = \"g\"\n", -1,
                                      NULL));
    g_assert_cmpint(qemu_read_config_file(file, record_group, &p, &err),
                    ==, 1);
    g_assert_null(err);
    g_assert_cmpstr(p.out->str, ==, "name{guest=g}");
    unlink(file);
    rmdir(dir);
    g_string_free(p.out, TRUE);
    g_array_unref(p.cb_lines);
}

/* An error at a file line prints "prog:FILE:LINE: msg", as QEMU. */
static void test_location_printed(void)
{
    if (g_test_subprocess()) {
        error_set_progname("/usr/bin/prog");
        loc_set_file("t.cfg", 3);
        error_report("parse error");
        loc_set_file("t.cfg", 0);
        error_report("x");
        loc_set_none();
        error_report("y");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("prog:t.cfg:3: parse error\n"
                              "prog:t.cfg: x\nprog: y\n");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu-config/good", test_good);
    g_test_add_func("/qemu-config/errors", test_errors);
    g_test_add_func("/qemu-config/callback-location", test_callback_location);
    g_test_add_func("/qemu-config/long-line", test_long_line);
    g_test_add_func("/qemu-config/file-errors", test_file_errors);
    g_test_add_func("/qemu-config/location-printed", test_location_printed);
    return g_test_run();
}
