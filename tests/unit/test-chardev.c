/*
 * Unit tests for chardev/: -chardev creation and errors (QEMU 7.2
 * wording), the file/null backends, the legacy -serial syntax, the id
 * namespace, the front end, and input paced by can_read through the
 * GLib main loop.
 */
#include "qemu/osdep.h"
#include "chardev/char.h"

static char *tmpdir;

static Chardev *new_chardev(const char *params, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(&qemu_chardev_opts, params, true, errp);
    Chardev *chr;

    if (!opts) {
        return NULL;
    }
    chr = qemu_chr_new_from_opts(opts, errp);
    qemu_opts_del(opts);
    return chr;
}

static Chardev *new_chardev_ok(const char *params)
{
    Error *err = NULL;
    Chardev *chr = new_chardev(params, &err);

    if (err) {
        g_error("%s: %s", params, error_get_pretty(err));
    }
    g_assert_nonnull(chr);
    return chr;
}

static void expect_error(const char *params, const char *msg)
{
    Error *err = NULL;

    g_assert_null(new_chardev(params, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static char *slurp(const char *path)
{
    char *contents = NULL;

    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    return contents;
}

static void write_through(Chardev *chr, const char *s)
{
    CharBackend be;
    Error *err = NULL;

    g_assert_true(qemu_chr_fe_init(&be, chr, &err));
    g_assert_cmpint(qemu_chr_fe_write(&be, (const uint8_t *)s,
                                          strlen(s)), ==, strlen(s));
    qemu_chr_fe_deinit(&be);
}

static void test_file_write_truncate_append(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "out.txt", NULL);
    g_autofree char *p1 = g_strdup_printf("file,id=f1,path=%s", path);
    g_autofree char *p2 = g_strdup_printf("file,id=f2,path=%s,append=on",
                                          path);
    g_autofree char *p3 = g_strdup_printf("file,id=f3,path=%s", path);
    Chardev *chr;
    char *s;

    g_assert_true(g_file_set_contents(path, "old", -1, NULL));
    chr = new_chardev_ok(p1);
    g_assert_true(qemu_chr_find("f1") == chr);
    write_through(chr, "hello");
    s = slurp(path);
    g_assert_cmpstr(s, ==, "hello");            /* truncated, then written */
    g_free(s);
    qemu_chr_delete(chr);
    g_assert_null(qemu_chr_find("f1"));

    chr = new_chardev_ok(p2);
    write_through(chr, " world");
    s = slurp(path);
    g_assert_cmpstr(s, ==, "hello world");      /* append=on keeps it */
    g_free(s);
    qemu_chr_delete(chr);

    chr = new_chardev_ok(p3);
    s = slurp(path);
    g_assert_cmpstr(s, ==, "");                 /* append off truncates */
    g_free(s);
    qemu_chr_delete(chr);
}

static void test_logfile(void)
{
    g_autofree char *log = g_build_filename(tmpdir, "log.txt", NULL);
    g_autofree char *p = g_strdup_printf("null,id=l1,logfile=%s", log);
    Chardev *chr = new_chardev_ok(p);
    char *s;

    write_through(chr, "logged");
    s = slurp(log);
    g_assert_cmpstr(s, ==, "logged");
    g_free(s);
    qemu_chr_delete(chr);
}

static void test_null(void)
{
    Chardev *chr = new_chardev_ok("null,id=n1");
    CharBackend be;
    Error *err = NULL;

    g_assert_cmpint(chr->in_fd, ==, -1);
    g_assert_true(qemu_chr_fe_init(&be, chr, &err));
    /* Open from creation (QEMU's be_opened default) */
    g_assert_true(qemu_chr_fe_backend_open(&be));
    g_assert_cmpint(qemu_chr_fe_write(&be, (const uint8_t *)"xyz", 3),
                    ==, 3);
    qemu_chr_fe_deinit(&be);
    qemu_chr_delete(chr);
}

static void test_errors(void)
{
    expect_error("null", "chardev: no id specified");
    expect_error("foo,id=e1", "'foo' is not a valid char driver name");
    expect_error("file,id=e2", "chardev: file: no filename given");
    expect_error("file,id=e3,path=/nonexistent/x",
                 "Could not open '/nonexistent/x': No such file or directory");
    expect_error("null,id=e4,logfile=/nonexistent/x",
                 "Could not create '/nonexistent/x': "
                 "No such file or directory");
    /* A failed open leaves no chardev behind under its id. */
    g_assert_null(qemu_chr_find("e3"));
}

static void test_legacy_syntax(void)
{
    Error *err = NULL;
    Chardev *chr, *again;
    g_autofree char *path = g_build_filename(tmpdir, "legacy.txt", NULL);
    g_autofree char *spec = g_strdup_printf("file:%s", path);
    char *s;

    chr = qemu_chr_new("serial0", "null", &err);
    g_assert_null(err);
    g_assert_nonnull(chr);
    g_assert_cmpstr(chr->label, ==, "serial0");

    /* chardev:ID returns the existing one. */
    again = qemu_chr_new("serial1", "chardev:serial0", &err);
    g_assert_true(again == chr);

    /* Unknown chardev:ID: NULL and, as QEMU, no message of its own. */
    g_assert_null(qemu_chr_new("serial1", "chardev:nope", &err));
    g_assert_null(err);

    g_assert_null(qemu_chr_new("serial1", "foo", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'foo' is not a valid char driver");
    error_free(err);
    err = NULL;

    chr = qemu_chr_new("serial2", spec, &err);
    g_assert_null(err);
    write_through(chr, "via file:");
    s = slurp(path);
    g_assert_cmpstr(s, ==, "via file:");
    g_free(s);

    qemu_chr_delete(qemu_chr_find("serial0"));
    qemu_chr_delete(chr);
}

static void test_duplicate_id(void)
{
    Error *err = NULL;
    Chardev *chr = qemu_chr_new("dup", "null", &err);

    g_assert_nonnull(chr);
    g_assert_null(qemu_chr_new("dup", "null", &err));
    g_assert_nonnull(err);
    error_free(err);
    g_assert_true(qemu_chr_find("dup") == chr);
    qemu_chr_delete(chr);
}

static void test_fe_in_use(void)
{
    Chardev *chr = new_chardev_ok("null,id=busy");
    CharBackend a, b;
    Error *err = NULL;

    g_assert_true(qemu_chr_fe_init(&a, chr, &err));
    g_assert_false(qemu_chr_fe_init(&b, chr, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Device 'busy' is in use");
    error_free(err);
    err = NULL;
    /* Released, it can be taken again. */
    qemu_chr_fe_deinit(&a);
    g_assert_true(qemu_chr_fe_init(&b, chr, &err));
    qemu_chr_fe_deinit(&b);
    qemu_chr_delete(chr);
}

typedef struct InputSink {
    GString *got;
    int room;
} InputSink;

static int sink_can_read(void *opaque)
{
    InputSink *sink = opaque;

    return sink->room;
}

static void sink_read(void *opaque, const uint8_t *buf, int size)
{
    InputSink *sink = opaque;

    g_assert_cmpint(size, <=, sink->room);
    g_string_append_len(sink->got, (const char *)buf, size);
    sink->room -= size;
}

/* Runs every ready source without blocking; returns how many ran. */
static int drain_main_loop(void)
{
    int n = 0;

    while (g_main_context_iteration(NULL, FALSE)) {
        n++;
    }
    return n;
}

static void test_input_paced_by_can_read(void)
{
    Chardev *chr = new_chardev_ok("null,id=in1");
    InputSink sink = { .got = g_string_new(""), .room = 3 };
    CharBackend be;
    Error *err = NULL;
    int fds[2];

    g_assert_cmpint(pipe(fds), ==, 0);
    chr->in_fd = fds[0];        /* a pipe stands in for stdin */
    g_assert_true(qemu_chr_fe_init(&be, chr, &err));
    qemu_chr_fe_set_handlers(&be, sink_can_read, sink_read, &sink);
    g_assert_nonnull(chr->input_source);

    g_assert_cmpint(write(fds[1], "abcdef", 6), ==, 6);
    /* Blocks until the pipe is readable: no sleep, no timing. */
    g_main_context_iteration(NULL, TRUE);
    drain_main_loop();
    g_assert_cmpstr(sink.got->str, ==, "abc");
    /* Full front end: the watch is gone, the rest waits in the pipe. */
    g_assert_null(chr->input_source);
    g_assert_cmpint(drain_main_loop(), ==, 0);
    g_assert_cmpstr(sink.got->str, ==, "abc");

    sink.room = 16;
    qemu_chr_fe_accept_input(&be);
    g_assert_nonnull(chr->input_source);
    g_main_context_iteration(NULL, TRUE);
    drain_main_loop();
    g_assert_cmpstr(sink.got->str, ==, "abcdef");

    /* End of file stops polling for good. */
    close(fds[1]);
    g_main_context_iteration(NULL, TRUE);
    drain_main_loop();
    g_assert_true(chr->in_eof);
    g_assert_null(chr->input_source);
    qemu_chr_fe_accept_input(&be);
    g_assert_null(chr->input_source);

    qemu_chr_fe_deinit(&be);
    close(fds[0]);
    chr->in_fd = -1;
    qemu_chr_delete(chr);
    g_string_free(sink.got, true);
}

static void test_deinit_stops_input(void)
{
    Chardev *chr = new_chardev_ok("null,id=in2");
    InputSink sink = { .got = g_string_new(""), .room = 8 };
    CharBackend be;
    Error *err = NULL;
    int fds[2];

    g_assert_cmpint(pipe(fds), ==, 0);
    chr->in_fd = fds[0];
    g_assert_true(qemu_chr_fe_init(&be, chr, &err));
    qemu_chr_fe_set_handlers(&be, sink_can_read, sink_read, &sink);
    qemu_chr_fe_deinit(&be);
    g_assert_null(chr->input_source);
    g_assert_cmpint(write(fds[1], "x", 1), ==, 1);
    g_assert_cmpint(drain_main_loop(), ==, 0);
    g_assert_cmpstr(sink.got->str, ==, "");

    close(fds[0]);
    close(fds[1]);
    chr->in_fd = -1;
    qemu_chr_delete(chr);
    g_string_free(sink.got, true);
}

static void test_write_without_chardev(void)
{
    CharBackend be;
    Error *err = NULL;

    g_assert_true(qemu_chr_fe_init(&be, NULL, &err));
    /* QEMU's qemu_chr_fe_write: nothing taken, nothing to wait for. */
    g_assert_cmpint(qemu_chr_fe_write(&be, (const uint8_t *)"a", 1),
                    ==, 0);
    g_assert_cmpint(qemu_chr_fe_add_watch(&be, G_IO_OUT, NULL, NULL), ==, 0);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    chardev_register_types();
    tmpdir = g_dir_make_tmp("test-chardev-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);

    g_test_add_func("/chardev/file/write-truncate-append",
                    test_file_write_truncate_append);
    g_test_add_func("/chardev/logfile", test_logfile);
    g_test_add_func("/chardev/null", test_null);
    g_test_add_func("/chardev/errors", test_errors);
    g_test_add_func("/chardev/legacy-syntax", test_legacy_syntax);
    g_test_add_func("/chardev/duplicate-id", test_duplicate_id);
    g_test_add_func("/chardev/fe/in-use", test_fe_in_use);
    g_test_add_func("/chardev/fe/no-chardev", test_write_without_chardev);
    g_test_add_func("/chardev/input/paced-by-can-read",
                    test_input_paced_by_can_read);
    g_test_add_func("/chardev/input/deinit-stops", test_deinit_stops_input);
    ret = g_test_run();

    qemu_chr_close_all();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
        g_assert_cmpint(system(cmd), ==, 0);
    }
    g_free(tmpdir);
    return ret;
}
