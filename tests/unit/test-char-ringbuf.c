/*
 * Unit tests for chardev/char-ringbuf.c: size must be a power of two
 * (QEMU 7.2's message), size=0 and no size mean 64 KiB, the oldest bytes
 * are overwritten when full, "memory" is the same backend, logfile=
 * still gets every byte.
 */
#include "qemu/osdep.h"
#include "chardev/char.h"

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

static void write_str(Chardev *chr, const char *s)
{
    CharBackend be;
    Error *err = NULL;

    g_assert_true(qemu_chr_fe_init(&be, chr, &err));
    g_assert_cmpint(qemu_chr_fe_write(&be, (const uint8_t *)s,
                                          strlen(s)), ==, strlen(s));
    qemu_chr_fe_deinit(&be);
}

static char *drain(Chardev *chr)
{
    GString *out = g_string_new("");
    uint8_t buf[7];
    size_t n;

    while ((n = qemu_chr_ringbuf_read(chr, buf, sizeof(buf))) > 0) {
        g_string_append_len(out, (const char *)buf, n);
    }
    return g_string_free(out, false);
}

static void test_errors(void)
{
    static const char *const bad[] = {
        "ringbuf,id=r,size=3", "ringbuf,id=r,size=100",
        "memory,id=r,size=5",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        Error *err = NULL;

        g_assert_null(new_chardev(bad[i], &err));
        g_assert_cmpstr(error_get_pretty(err), ==,
                        "size of ringbuf chardev must be power of two");
        error_free(err);
        g_assert_null(qemu_chr_find("r"));
    }
}

static void test_wraps_keeping_newest(void)
{
    Error *err = NULL;
    Chardev *chr = new_chardev("ringbuf,id=r8,size=8", &err);
    g_autofree char *first = NULL, *second = NULL, *empty = NULL;

    g_assert_nonnull(chr);
    write_str(chr, "abc");
    first = drain(chr);
    g_assert_cmpstr(first, ==, "abc");
    /* 13 bytes into 8: the first 5 are overwritten. */
    write_str(chr, "0123456789XYZ");
    second = drain(chr);
    g_assert_cmpstr(second, ==, "56789XYZ");
    empty = drain(chr);
    g_assert_cmpstr(empty, ==, "");
    qemu_chr_delete(chr);
}

static void test_default_size(void)
{
    static const char *const specs[] = {
        "ringbuf,id=d0", "ringbuf,id=d1,size=0", "memory,id=d2",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(specs); i++) {
        Error *err = NULL;
        Chardev *chr = new_chardev(specs[i], &err);
        g_autofree char *big = g_malloc(65536 + 2);
        g_autofree char *out = NULL;

        g_assert_nonnull(chr);
        /* 65537 bytes: exactly the first one falls out of 64 KiB. */
        memset(big, 'x', 65537);
        big[0] = 'A';
        big[1] = 'B';
        big[65537] = '\0';
        write_str(chr, big);
        out = drain(chr);
        g_assert_cmpuint(strlen(out), ==, 65536);
        g_assert_cmpint(out[0], ==, 'B');
        qemu_chr_delete(chr);
    }
}

static void test_logfile(void)
{
    g_autofree char *dir = g_dir_make_tmp("test-char-ringbuf-XXXXXX", NULL);
    g_autofree char *log = g_build_filename(dir, "log", NULL);
    g_autofree char *params = g_strdup_printf(
        "memory,id=lg,size=4,logfile=%s", log);
    g_autofree char *logged = NULL, *kept = NULL;
    Error *err = NULL;
    Chardev *chr = new_chardev(params, &err);

    g_assert_nonnull(chr);
    g_assert_cmpstr(object_get_typename(OBJECT(chr)), ==, "chardev-memory");
    write_str(chr, "everything");
    kept = drain(chr);
    g_assert_cmpstr(kept, ==, "hing");
    g_assert_true(g_file_get_contents(log, &logged, NULL, NULL));
    g_assert_cmpstr(logged, ==, "everything");
    qemu_chr_delete(chr);
    unlink(log);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    chardev_register_types();
    g_test_add_func("/char-ringbuf/errors", test_errors);
    g_test_add_func("/char-ringbuf/wraps-keeping-newest",
                    test_wraps_keeping_newest);
    g_test_add_func("/char-ringbuf/default-size", test_default_size);
    g_test_add_func("/char-ringbuf/logfile", test_logfile);
    return g_test_run();
}
