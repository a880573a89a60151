/*
 * Unit tests for chardev/char-pty.c: the slave path is a real terminal in
 * raw mode; output with no slave open is dropped without blocking; once a
 * slave is open (found by the next write, or by the once-a-second check)
 * data flows both ways and the front end sees CHR_EVENT_OPENED; a slave
 * closing stops input until one opens again. As QEMU 7.2 char-pty.c.
 */
#include "qemu/osdep.h"
#include <termios.h>
#include "chardev/char.h"

typedef struct Frontend {
    CharBackend be;
    GString *got;
    int opened;
} Frontend;

static int fe_can_read(void *opaque)
{
    return 64;
}

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    g_string_append_len(((Frontend *)opaque)->got, (const char *)buf, size);
}

static void fe_event(void *opaque, QEMUChrEvent event)
{
    if (event == CHR_EVENT_OPENED) {
        ((Frontend *)opaque)->opened++;
    }
}

static Chardev *new_pty(const char *id)
{
    g_autofree char *params = g_strdup_printf("pty,id=%s", id);
    Error *err = NULL;
    QemuOpts *opts = qemu_opts_parse(&qemu_chardev_opts, params, true, &err);
    Chardev *chr = qemu_chr_new_from_opts(opts, &err);

    qemu_opts_del(opts);
    g_assert_null(err);
    g_assert_nonnull(chr);
    return chr;
}

static void fe_attach(Frontend *f, Chardev *chr)
{
    Error *err = NULL;

    f->got = g_string_new("");
    f->opened = 0;
    g_assert_true(qemu_chr_fe_init(&f->be, chr, &err));
    qemu_chr_fe_set_event_handler(&f->be, fe_event);
    qemu_chr_fe_set_handlers(&f->be, fe_can_read, fe_read, f);
}

static void read_exact(int fd, const char *want)
{
    size_t len = strlen(want);
    g_autofree char *buf = g_malloc0(len + 1);
    size_t got = 0;

    while (got < len) {
        ssize_t r = read(fd, buf + got, len - got);

        g_assert_cmpint(r, >, 0);
        got += r;
    }
    g_assert_cmpstr(buf, ==, want);
}

static void run_until_received(Frontend *f, const char *want)
{
    while (strcmp(f->got->str, want) != 0) {
        g_assert_cmpuint(f->got->len, <, strlen(want));
        g_main_context_iteration(NULL, TRUE);
    }
}

/* Creates the pty with stdout caught, to check QEMU's line on it. */
static Chardev *new_pty_announced(const char *id)
{
    int fds[2], saved = dup(1);
    char buf[256] = "";
    g_autofree char *want = NULL;
    Chardev *chr;

    g_assert_cmpint(pipe(fds), ==, 0);
    fflush(stdout);
    dup2(fds[1], 1);
    chr = new_pty(id);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(fds[1]);
    g_assert_cmpint(read(fds[0], buf, sizeof(buf) - 1), >, 0);
    close(fds[0]);
    want = g_strdup_printf("char device redirected to %s (label %s)\n",
                           qemu_chr_pty_path(chr), id);
    g_assert_cmpstr(buf, ==, want);
    return chr;
}

static void test_pty(void)
{
    Chardev *chr = new_pty_announced("p0");
    const char *path = qemu_chr_pty_path(chr);
    struct termios tty;
    Frontend f;
    int slave;

    g_assert_true(g_str_has_prefix(path, "/dev/pts/"));
    fe_attach(&f, chr);
    /* Nobody on the slave: dropped at once, whatever the amount. */
    for (int i = 0; i < 1000; i++) {
        g_assert_cmpint(qemu_chr_fe_write(&f.be,
                        (const uint8_t *)"0123456789abcdef", 16), ==, 16);
    }
    g_assert_cmpint(f.opened, ==, 0);

    slave = open(path, O_RDWR | O_NOCTTY);
    g_assert_cmpint(slave, >=, 0);
    g_assert_true(isatty(slave));
    /* Raw: no echo, no line editing, no output translation. */
    g_assert_cmpint(tcgetattr(slave, &tty), ==, 0);
    g_assert_false(tty.c_lflag & (ECHO | ICANON));
    g_assert_false(tty.c_oflag & OPOST);

    /* The once-a-second check finds the slave (a timer, not a sleep). */
    while (f.opened == 0) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpint(write(slave, "typed\n", 6), ==, 6);
    run_until_received(&f, "typed\n");
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"out\n", 4),
                    ==, 4);
    read_exact(slave, "out\n");

    /* The slave closes: input stops; a new slave is found by a write. */
    close(slave);
    while (g_main_context_iteration(NULL, FALSE)) {
        /* let the hang-up be seen */
    }
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"gone", 4),
                    ==, 4);
    slave = open(path, O_RDWR | O_NOCTTY);
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"back", 4),
                    ==, 4);
    read_exact(slave, "back");
    g_assert_cmpint(f.opened, ==, 2);
    g_assert_cmpint(write(slave, "again", 5), ==, 5);
    run_until_received(&f, "typed\nagain");
    close(slave);

    qemu_chr_fe_deinit(&f.be);
    g_string_free(f.got, true);
    qemu_chr_delete(chr);
}

static gboolean note_writable(GIOCondition cond, void *opaque)
{
    *(bool *)opaque = true;
    return G_SOURCE_REMOVE;
}

/* Writes numbered lines until the master refuses; returns what went. */
static GString *fill_master(Frontend *f)
{
    GString *sent = g_string_new("");

    for (unsigned n = 0;; n++) {
        char line[16];
        int len = snprintf(line, sizeof(line), "%06u\n", n);
        int ret = qemu_chr_fe_write(&f->be, (const uint8_t *)line, len);

        if (ret < 0) {
            g_assert_cmpint(errno, ==, EAGAIN);
            return sent;
        }
        g_string_append_len(sent, line, ret);
        g_assert_cmpuint(sent->len, <, 1 << 24);
    }
}

/*
 * A slave that is open but not read: the master fills and refuses
 * (never blocks), the watch fires when the reader drains, nothing is
 * lost. A slave closed while the master is full: QEMU's "disconnected",
 * output dropped and nothing to wait for.
 */
static void test_pty_stalled_reader(void)
{
    Chardev *chr = new_pty_announced("p1");
    GString *sent, *got = g_string_new("");
    bool writable = false;
    Frontend f;
    int slave;

    fe_attach(&f, chr);
    slave = open(qemu_chr_pty_path(chr), O_RDWR | O_NOCTTY | O_NONBLOCK);
    g_assert_cmpint(slave, >=, 0);
    while (f.opened == 0) {
        g_main_context_iteration(NULL, TRUE);
    }
    sent = fill_master(&f);
    g_assert_cmpuint(sent->len, >, 0);
    g_assert_cmpuint(qemu_chr_fe_add_watch(&f.be, G_IO_OUT | G_IO_HUP,
                                           note_writable, &writable), !=, 0);
    while (g_main_context_iteration(NULL, FALSE)) {
        /* nothing drains: the watch stays quiet */
    }
    g_assert_false(writable);
    while (got->len < sent->len || !writable) {
        char buf[4096];
        ssize_t r = read(slave, buf, sizeof(buf));

        if (r > 0) {
            g_string_append_len(got, buf, r);
        }
        g_main_context_iteration(NULL, r <= 0 && !writable);
    }
    g_assert_true(g_string_equal(got, sent));

    g_string_free(fill_master(&f), true);
    close(slave);
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"x", 1), ==, 1);
    g_assert_cmpuint(qemu_chr_fe_add_watch(&f.be, G_IO_OUT, note_writable,
                                           &writable), ==, 0);

    g_string_free(sent, true);
    g_string_free(got, true);
    qemu_chr_fe_deinit(&f.be);
    g_string_free(f.got, true);
    qemu_chr_delete(chr);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    chardev_register_types();
    g_test_add_func("/char-pty/slave-io", test_pty);
    g_test_add_func("/char-pty/stalled-reader", test_pty_stalled_reader);
    return g_test_run();
}
