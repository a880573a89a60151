/*
 * Unit tests for chardev/char-mux.c: the Ctrl-A escapes fed byte by byte
 * (h, x, t, b, c, s, Ctrl-A Ctrl-A, unknown), focus switching between
 * front ends, input buffered while the focused front end is full, mux=on
 * and mon: creation. The base is a ringbuf, so what the mux prints can be
 * read back; input is injected as the base's backend would deliver it.
 * Expected bytes are QEMU 7.2's (chardev/char-mux.c).
 */
#include "qemu/osdep.h"
#include <sys/socket.h>
#include <sys/un.h>
#include "chardev/char.h"
#include "system/runstate.h"
#include "system/main-loop.h"

typedef struct Frontend {
    CharBackend be;
    GString *got;
    int room;
    GArray *events;
} Frontend;

static int fe_can_read(void *opaque)
{
    return ((Frontend *)opaque)->room;
}

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    Frontend *f = opaque;

    g_assert_cmpint(size, <=, f->room);
    g_string_append_len(f->got, (const char *)buf, size);
    f->room -= size;
}

static void fe_event(void *opaque, QEMUChrEvent event)
{
    Frontend *f = opaque;

    g_array_append_val(f->events, event);
}

static void fe_attach(Frontend *f, Chardev *mux)
{
    Error *err = NULL;

    f->got = g_string_new("");
    f->room = 64;
    f->events = g_array_new(false, false, sizeof(QEMUChrEvent));
    g_assert_true(qemu_chr_fe_init(&f->be, mux, &err));
    /* Before the handlers, so that the focus event is seen. */
    qemu_chr_fe_set_event_handler(&f->be, fe_event);
    qemu_chr_fe_set_handlers(&f->be, fe_can_read, fe_read, f);
}

static void fe_detach(Frontend *f)
{
    qemu_chr_fe_deinit(&f->be);
    g_string_free(f->got, true);
    g_array_free(f->events, true);
}

static Chardev *new_mux(const char *id)
{
    g_autofree char *params = g_strdup_printf("ringbuf,id=%s,mux=on", id);
    Error *err = NULL;
    QemuOpts *opts = qemu_opts_parse(&qemu_chardev_opts, params, true, &err);
    Chardev *chr;

    g_assert_nonnull(opts);
    chr = qemu_chr_new_from_opts(opts, &err);
    qemu_opts_del(opts);
    g_assert_null(err);
    g_assert_nonnull(chr);
    return chr;
}

static Chardev *base_of(const char *id)
{
    g_autofree char *base_id = g_strdup_printf("%s-base", id);
    Chardev *base = qemu_chr_find(base_id);

    g_assert_nonnull(base);
    return base;
}

/* Types bytes one at a time, as a terminal delivers them. */
static void type_keys(Chardev *base, const char *keys, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        g_assert_cmpint(qemu_chr_be_can_write(base), >, 0);
        qemu_chr_be_write(base, (const uint8_t *)keys + i, 1);
    }
}

static char *printed(Chardev *base)
{
    uint8_t buf[4096];
    size_t n = qemu_chr_ringbuf_read(base, buf, sizeof(buf));

    return g_strndup((const char *)buf, n);
}

static void delete_mux(Chardev *mux, const char *id)
{
    Chardev *base = base_of(id);

    qemu_chr_delete(mux);
    qemu_chr_delete(base);
}

static void test_creation(void)
{
    Chardev *mux = new_mux("m0");
    Chardev *base = base_of("m0");
    Error *err = NULL;
    Chardev *legacy;

    g_assert_true(qemu_chr_find("m0") == mux);
    g_assert_cmpstr(object_get_typename(OBJECT(mux)), ==, "chardev-mux");
    g_assert_cmpstr(object_get_typename(OBJECT(base)), ==,
                    "chardev-ringbuf");
    /* No front end yet: no focus, so the base does not read. */
    g_assert_cmpint(qemu_chr_mux_focus(mux), ==, -1);
    g_assert_cmpint(qemu_chr_be_can_write(base), ==, 0);
    delete_mux(mux, "m0");

    /* -serial mon:null: a mux named after the port over "ID-base". */
    legacy = qemu_chr_new("serial7", "mon:null", &err);
    g_assert_null(err);
    g_assert_nonnull(legacy);
    g_assert_cmpstr(object_get_typename(OBJECT(legacy)), ==, "chardev-mux");
    g_assert_cmpstr(object_get_typename(OBJECT(base_of("serial7"))), ==,
                    "chardev-null");
    delete_mux(legacy, "serial7");
}

static void test_data_passes(void)
{
    Chardev *mux = new_mux("m1");
    Chardev *base = base_of("m1");
    Frontend f;
    g_autofree char *out = NULL;

    fe_attach(&f, mux);
    g_assert_cmpint(qemu_chr_mux_focus(mux), ==, 0);
    type_keys(base, "ab\x03", 3);
    g_assert_cmpstr(f.got->str, ==, "ab\x03");
    /* Output goes through to the base unchanged. */
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"out\n", 4),
                    ==, 4);
    out = printed(base);
    g_assert_cmpstr(out, ==, "out\n");
    fe_detach(&f);
    delete_mux(mux, "m1");
}

static const char mux_help[] =
    "\n\r"
    "C-a h    print this help\n\r"
    "C-a x    exit emulator\n\r"
    "C-a s    save disk data back to file (if -snapshot)\n\r"
    "C-a t    toggle console timestamps\n\r"
    "C-a b    send break (magic sysrq)\n\r"
    "C-a c    switch between console and monitor\n\r"
    "C-a C-a  sends C-a\n\r";

static gboolean note_writable(GIOCondition cond, void *opaque)
{
    *(bool *)opaque = true;
    return G_SOURCE_REMOVE;
}

/*
 * A mux on a socket whose reader stalls: the front end's writes are
 * refused (EAGAIN, the base's watch), the help an escape prints waits
 * in the mux instead of blocking the main loop, and once the reader
 * drains everything arrives in order: the stream, the help, then what
 * the front end writes next (refused while the help is held).
 */
static void test_stalled_base(void)
{
    g_autofree char *dir = g_dir_make_tmp("mq-mux-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "m.sock", NULL);
    g_autofree char *params = g_strdup_printf(
        "socket,id=ms,path=%s,server=on,wait=off,mux=on", path);
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    GString *sent = g_string_new(""), *got = g_string_new("");
    bool writable = false;
    QemuOpts *opts;
    Chardev *mux;
    Frontend f;
    int peer;

    opts = qemu_opts_parse(&qemu_chardev_opts, params, true, &error_abort);
    mux = qemu_chr_new_from_opts(opts, &error_abort);
    qemu_opts_del(opts);
    fe_attach(&f, mux);
    peer = socket(AF_UNIX, SOCK_STREAM, 0);
    g_strlcpy(un.sun_path, path, sizeof(un.sun_path));
    g_assert_cmpint(connect(peer, (struct sockaddr *)&un, sizeof(un)), ==,
                    0);
    while (!qemu_chr_socket_connected(base_of("ms"))) {
        g_main_context_iteration(NULL, TRUE);
    }
    for (unsigned n = 0;; n++) {
        char line[16];
        int len = snprintf(line, sizeof(line), "%06u\n", n);
        int ret = qemu_chr_fe_write(&f.be, (const uint8_t *)line, len);

        if (ret < 0) {
            g_assert_cmpint(errno, ==, EAGAIN);
            break;
        }
        g_string_append_len(sent, line, ret);
    }
    type_keys(base_of("ms"), "\x01h", 2);
    g_string_append(sent, mux_help);
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"next", 4), ==,
                    -1);
    g_assert_cmpint(errno, ==, EAGAIN);
    g_assert_cmpuint(qemu_chr_fe_add_watch(&f.be, G_IO_OUT, note_writable,
                                           &writable), !=, 0);

    /* Drain until the help is through and the front end may write. */
    while (got->len < sent->len || !writable) {
        char buf[4096];
        ssize_t r = recv(peer, buf, sizeof(buf), MSG_DONTWAIT);

        if (r > 0) {
            g_string_append_len(got, buf, r);
        }
        g_main_context_iteration(NULL, r <= 0);
    }
    g_assert_true(g_string_equal(got, sent));
    g_assert_cmpint(qemu_chr_fe_write(&f.be, (const uint8_t *)"next", 4), ==,
                    4);
    g_string_truncate(got, 0);
    while (got->len < 4) {
        char buf[16];
        ssize_t r = recv(peer, buf, sizeof(buf), 0);

        g_assert_cmpint(r, >, 0);
        g_string_append_len(got, buf, r);
    }
    g_assert_cmpstr(got->str, ==, "next");

    close(peer);
    g_string_free(sent, true);
    g_string_free(got, true);
    fe_detach(&f);
    delete_mux(mux, "ms");
    unlink(path);
    rmdir(dir);
}

static void test_escape_help(void)
{
    static const char help[] =
        "\n\r"
        "C-a h    print this help\n\r"
        "C-a x    exit emulator\n\r"
        "C-a s    save disk data back to file (if -snapshot)\n\r"
        "C-a t    toggle console timestamps\n\r"
        "C-a b    send break (magic sysrq)\n\r"
        "C-a c    switch between console and monitor\n\r"
        "C-a C-a  sends C-a\n\r";
    Chardev *mux = new_mux("m2");
    Chardev *base = base_of("m2");
    Frontend f;
    char *out;

    fe_attach(&f, mux);
    type_keys(base, "\x01h", 2);
    out = printed(base);
    g_assert_cmpstr(out, ==, help);
    g_free(out);
    /* '?' is the same, and neither reaches the guest. */
    type_keys(base, "\x01?", 2);
    out = printed(base);
    g_assert_cmpstr(out, ==, help);
    g_free(out);
    g_assert_cmpstr(f.got->str, ==, "");
    fe_detach(&f);
    delete_mux(mux, "m2");
}

static void test_escape_literal_and_unknown(void)
{
    Chardev *mux = new_mux("m3");
    Chardev *base = base_of("m3");
    Frontend f;
    g_autofree char *out = NULL;

    fe_attach(&f, mux);
    /* ^A ^A sends one ^A; ^A z and ^A s are swallowed; the rest passes. */
    type_keys(base, "a\x01\x01" "b\x01z" "c\x01s" "d", 10);
    g_assert_cmpstr(f.got->str, ==, "a\x01" "bcd");
    out = printed(base);
    g_assert_cmpstr(out, ==, "");
    fe_detach(&f);
    delete_mux(mux, "m3");
}

static gboolean exit_with_42(gpointer opaque)
{
    qemu_system_exit_request(42);
    return G_SOURCE_REMOVE;
}

static void test_escape_exit(void)
{
    Chardev *mux = new_mux("m4");
    Chardev *base = base_of("m4");
    Frontend f;
    g_autofree char *out = NULL;

    fe_attach(&f, mux);
    type_keys(base, "\x01x", 2);
    out = printed(base);
    g_assert_cmpstr(out, ==, "QEMU: Terminated\n\r");
    g_assert_cmpstr(f.got->str, ==, "");
    /*
     * The exit request is already posted: the main loop ends at once with
     * status 0. Without it, the idle source would end it with 42.
     */
    g_idle_add(exit_with_42, NULL);
    bql_lock();
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    while (g_main_context_iteration(NULL, FALSE)) {
        /* drop the idle source */
    }
    bql_unlock();
    fe_detach(&f);
    delete_mux(mux, "m4");
}

static void test_escape_timestamps(void)
{
    Chardev *mux = new_mux("m5");
    Chardev *base = base_of("m5");
    Frontend f;
    g_autofree char *out = NULL;
    g_autofree char *plain = NULL;

    fe_attach(&f, mux);
    type_keys(base, "\x01t", 2);
    qemu_chr_fe_write(&f.be, (const uint8_t *)"a\nb\nc", 5);
    out = printed(base);
    /* The line in progress is not stamped; each one after a '\n' is. */
    g_assert_true(g_regex_match_simple(
        "^a\n\\[00:00:\\d\\d\\.\\d\\d\\d\\] b\n"
        "\\[00:00:\\d\\d\\.\\d\\d\\d\\] c$", out, 0, 0));
    /* Toggled off again: plain output. */
    type_keys(base, "\x01t", 2);
    qemu_chr_fe_write(&f.be, (const uint8_t *)"d\ne", 3);
    plain = printed(base);
    g_assert_cmpstr(plain, ==, "d\ne");
    g_assert_cmpstr(f.got->str, ==, "");
    fe_detach(&f);
    delete_mux(mux, "m5");
}

static void test_escape_break(void)
{
    Chardev *mux = new_mux("m6");
    Chardev *base = base_of("m6");
    Frontend f;
    guint before;

    fe_attach(&f, mux);
    before = f.events->len;
    type_keys(base, "\x01" "b", 2);
    g_assert_cmpuint(f.events->len, ==, before + 1);
    g_assert_cmpint(g_array_index(f.events, QEMUChrEvent, before), ==,
                    CHR_EVENT_BREAK);
    g_assert_cmpstr(f.got->str, ==, "");
    fe_detach(&f);
    delete_mux(mux, "m6");
}

static void test_switch_front_ends(void)
{
    Chardev *mux = new_mux("m7");
    Chardev *base = base_of("m7");
    Frontend a, b;
    g_autofree char *out = NULL;

    fe_attach(&a, mux);
    fe_attach(&b, mux);
    /* The last front end to set handlers has the focus, as QEMU. */
    g_assert_cmpint(qemu_chr_mux_focus(mux), ==, 1);
    g_assert_cmpint(g_array_index(a.events, QEMUChrEvent, a.events->len - 1),
                    ==, CHR_EVENT_MUX_OUT);
    g_assert_cmpint(g_array_index(b.events, QEMUChrEvent, b.events->len - 1),
                    ==, CHR_EVENT_MUX_IN);
    type_keys(base, "1", 1);
    type_keys(base, "\x01" "c", 2);
    g_assert_cmpint(qemu_chr_mux_focus(mux), ==, 0);
    type_keys(base, "2", 1);
    type_keys(base, "\x01" "c", 2);
    g_assert_cmpint(qemu_chr_mux_focus(mux), ==, 1);
    type_keys(base, "3", 1);
    g_assert_cmpstr(a.got->str, ==, "2");
    g_assert_cmpstr(b.got->str, ==, "13");
    /* Both write through the one base whatever the focus. */
    qemu_chr_fe_write(&a.be, (const uint8_t *)"A", 1);
    qemu_chr_fe_write(&b.be, (const uint8_t *)"B", 1);
    out = printed(base);
    g_assert_cmpstr(out, ==, "AB");
    fe_detach(&a);
    fe_detach(&b);
    delete_mux(mux, "m7");
}

static void test_four_front_ends_max(void)
{
    Chardev *mux = new_mux("m8");
    Frontend f[4];
    CharBackend fifth;
    Error *err = NULL;

    for (int i = 0; i < 4; i++) {
        fe_attach(&f[i], mux);
    }
    g_assert_false(qemu_chr_fe_init(&fifth, mux, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Device 'm8' is in use");
    error_free(err);
    for (int i = 0; i < 4; i++) {
        fe_detach(&f[i]);
    }
    delete_mux(mux, "m8");
}

static void test_input_buffered_while_full(void)
{
    Chardev *mux = new_mux("m9");
    Chardev *base = base_of("m9");
    Frontend f;
    int taken = 0;

    fe_attach(&f, mux);
    f.room = 0;
    /* QEMU buffers 32 bytes per front end, then the base must wait. */
    while (qemu_chr_be_can_write(base) > 0) {
        uint8_t c = 'a' + taken % 26;

        qemu_chr_be_write(base, &c, 1);
        taken++;
        g_assert_cmpint(taken, <=, 32);
    }
    g_assert_cmpint(taken, ==, 32);
    g_assert_cmpstr(f.got->str, ==, "");
    /* Room again: the buffered bytes come first, in order. */
    f.room = 10;
    qemu_chr_fe_accept_input(&f.be);
    g_assert_cmpstr(f.got->str, ==, "abcdefghij");
    f.room = 100;
    type_keys(base, "!", 1);
    g_assert_cmpint(f.got->len, ==, 33);
    g_assert_cmpint(f.got->str[32], ==, '!');
    fe_detach(&f);
    delete_mux(mux, "m9");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    chardev_register_types();
    qemu_init_signals();
    g_test_add_func("/char-mux/creation", test_creation);
    g_test_add_func("/char-mux/data-passes", test_data_passes);
    g_test_add_func("/char-mux/escape/help", test_escape_help);
    g_test_add_func("/char-mux/stalled-base", test_stalled_base);
    g_test_add_func("/char-mux/escape/literal-and-unknown",
                    test_escape_literal_and_unknown);
    g_test_add_func("/char-mux/escape/exit", test_escape_exit);
    g_test_add_func("/char-mux/escape/timestamps", test_escape_timestamps);
    g_test_add_func("/char-mux/escape/break", test_escape_break);
    g_test_add_func("/char-mux/escape/switch", test_switch_front_ends);
    g_test_add_func("/char-mux/four-front-ends", test_four_front_ends_max);
    g_test_add_func("/char-mux/input-buffered", test_input_buffered_while_full);
    return g_test_run();
}
