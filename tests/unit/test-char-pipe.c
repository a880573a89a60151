/*
 * Unit tests for chardev/char-pipe.c: PATH.in/PATH.out named pipes, the
 * fallback to PATH for both, and QEMU 7.2's errors. Input is paced by the
 * main loop like every fd backend.
 */
#include "qemu/osdep.h"
#include <sys/stat.h>
#include "chardev/char.h"

static char *tmpdir;

typedef struct Frontend {
    CharBackend be;
    GString *got;
} Frontend;

static int fe_can_read(void *opaque)
{
    return 64;
}

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    g_string_append_len(((Frontend *)opaque)->got, (const char *)buf, size);
}

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

static void test_in_out_fifos(void)
{
    g_autofree char *base = g_build_filename(tmpdir, "p", NULL);
    g_autofree char *in = g_strconcat(base, ".in", NULL);
    g_autofree char *out = g_strconcat(base, ".out", NULL);
    g_autofree char *params = g_strdup_printf("pipe,id=p0,path=%s", base);
    Error *err = NULL;
    Frontend f = { .got = g_string_new("") };
    Chardev *chr;
    char buf[16] = "";
    int wfd, rfd;

    g_assert_cmpint(mkfifo(in, 0600), ==, 0);
    g_assert_cmpint(mkfifo(out, 0600), ==, 0);
    /* Opens without a peer on either end (O_RDWR, as QEMU). */
    chr = new_chardev(params, &err);
    g_assert_null(err);
    wfd = open(in, O_WRONLY);
    rfd = open(out, O_RDONLY | O_NONBLOCK);
    g_assert_cmpint(wfd, >=, 0);
    g_assert_cmpint(rfd, >=, 0);

    g_assert_true(qemu_chr_fe_init(&f.be, chr, &err));
    qemu_chr_fe_set_handlers(&f.be, fe_can_read, fe_read, &f);
    g_assert_cmpint(write(wfd, "in!", 3), ==, 3);
    while (f.got->len < 3) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpstr(f.got->str, ==, "in!");
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"out", 3),
                    ==, 3);
    g_assert_cmpint(read(rfd, buf, sizeof(buf)), ==, 3);
    g_assert_cmpstr(buf, ==, "out");

    qemu_chr_fe_deinit(&f.be);
    qemu_chr_delete(chr);
    close(wfd);
    close(rfd);
    unlink(in);
    unlink(out);
    g_string_free(f.got, true);
}

static void test_single_path(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "one", NULL);
    g_autofree char *params = g_strdup_printf("pipe,id=p1,path=%s", path);
    g_autofree char *spec = g_strdup_printf("pipe:%s", path);
    Error *err = NULL;
    CharBackend be;
    Chardev *chr;
    char buf[16] = "";
    int rfd;

    /* No .in/.out: PATH carries both directions. */
    g_assert_cmpint(mkfifo(path, 0600), ==, 0);
    chr = new_chardev(params, &err);
    g_assert_null(err);
    rfd = open(path, O_RDONLY | O_NONBLOCK);
    g_assert_true(qemu_chr_fe_init(&be, chr, &err));
    g_assert_cmpint(qemu_chr_fe_write(&be, (const uint8_t *)"both", 4),
                    ==, 4);
    g_assert_cmpint(read(rfd, buf, sizeof(buf)), ==, 4);
    g_assert_cmpstr(buf, ==, "both");
    qemu_chr_fe_deinit(&be);
    qemu_chr_delete(chr);

    /* The legacy -serial pipe:PATH form is the same backend. */
    chr = qemu_chr_new("serial3", spec, &err);
    g_assert_null(err);
    g_assert_cmpstr(object_get_typename(OBJECT(chr)), ==, "chardev-pipe");
    qemu_chr_delete(chr);
    close(rfd);
    unlink(path);
}

static void test_errors(void)
{
    Error *err = NULL;
    g_autofree char *dir_params = g_strdup_printf("pipe,id=e,path=%s",
                                                  tmpdir);
    g_autofree char *dir_msg = g_strdup_printf(
        "Could not open '%s': Is a directory", tmpdir);

    g_assert_null(new_chardev("pipe,id=e", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "chardev: pipe: no device path given");
    error_free(err);
    err = NULL;
    g_assert_null(new_chardev("pipe,id=e,path=/nonexistent/x", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Could not open '/nonexistent/x': No such file or "
                    "directory");
    error_free(err);
    err = NULL;
    g_assert_null(new_chardev(dir_params, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, dir_msg);
    error_free(err);
    g_assert_null(qemu_chr_find("e"));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    chardev_register_types();
    tmpdir = g_dir_make_tmp("test-char-pipe-XXXXXX", NULL);
    g_test_add_func("/char-pipe/in-out-fifos", test_in_out_fifos);
    g_test_add_func("/char-pipe/single-path", test_single_path);
    g_test_add_func("/char-pipe/errors", test_errors);
    ret = g_test_run();
    rmdir(tmpdir);
    g_free(tmpdir);
    return ret;
}
