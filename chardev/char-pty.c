/*
 * The "pty" chardev: a pseudo-terminal whose slave path is announced as
 * "char device redirected to /dev/pts/N (label ID)".
 * As QEMU 7.2 chardev/char-pty.c (char_pty_open: raw slave, non-blocking
 * master, the line on stdout; pty_chr_state: with no slave open, output is
 * dropped and the master is re-checked once a second; with one open, a
 * full master throttles the writer through the watch).
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include <pty.h>
#include <termios.h>
#include "chardev-internal.h"

#define TYPE_CHARDEV_PTY "chardev-pty"
#define PTY_POLL_MS 1000

typedef struct PtyChardev {
    Chardev parent_obj;
    int master;
    bool connected;
    guint timer;
    char *slave_path;
} PtyChardev;

#define PTY_CHARDEV(obj) OBJECT_CHECK(PtyChardev, (obj), TYPE_CHARDEV_PTY)

/* A slave is open when the master does not report a hang-up. */
static bool pty_slave_open(PtyChardev *s)
{
    GPollFD pfd = { .fd = s->master, .events = G_IO_OUT };
    int rc;

    do {
        rc = g_poll(&pfd, 1, 0);
    } while (rc < 0 && errno == EINTR);
    return rc >= 0 && !(pfd.revents & G_IO_HUP);
}

static void pty_set_state(PtyChardev *s, bool connected);

static gboolean pty_timer(gpointer opaque)
{
    PtyChardev *s = opaque;

    s->timer = 0;
    pty_set_state(s, pty_slave_open(s));
    return G_SOURCE_REMOVE;
}

static void pty_set_state(PtyChardev *s, bool connected)
{
    Chardev *chr = &s->parent_obj;

    if (s->timer) {
        g_source_remove(s->timer);
        s->timer = 0;
    }
    if (!connected) {
        qemu_chr_stop_input(chr);
        chr->in_fd = -1;
        s->connected = false;
        s->timer = g_timeout_add(PTY_POLL_MS, pty_timer, s);
        return;
    }
    chr->in_fd = s->master;
    if (!s->connected) {
        s->connected = true;
        qemu_chr_be_event(chr, CHR_EVENT_OPENED);
    }
    qemu_chr_update_input(chr);
}

static void pty_input_closed(Chardev *chr)
{
    pty_set_state(PTY_CHARDEV(chr), false);
}

static bool pty_chr_open(Chardev *chr, QemuOpts *opts, Error **errp)
{
    PtyChardev *s = PTY_CHARDEV(chr);
    struct termios tty;
    int slave;

    chr->be_open = false;   /* until the slave side is opened */
    if (openpty(&s->master, &slave, NULL, NULL, NULL) < 0) {
        error_setg_errno(errp, errno, "Failed to create PTY");
        s->master = -1;
        return false;
    }
    tcgetattr(slave, &tty);
    cfmakeraw(&tty);
    tcsetattr(slave, TCSAFLUSH, &tty);
    close(slave);
    if (!g_unix_set_fd_nonblocking(s->master, true, NULL)) {
        error_setg_errno(errp, errno, "Failed to set FD nonblocking");
        return false;
    }
    fcntl(s->master, F_SETFD, FD_CLOEXEC);
    s->slave_path = g_strdup(ptsname(s->master));
    printf("char device redirected to %s (label %s)\n", s->slave_path,
           chr->label);
    fflush(stdout);
    chr->out_fd = s->master;
    pty_set_state(s, pty_slave_open(s));
    return true;
}

/*
 * QEMU's char_pty_chr_write: dropped while no slave is open, else what
 * the master takes now. A full master whose slave closed meanwhile would
 * never drain: that is a disconnect too, so a front end waiting on the
 * watch (woken by the hang-up) drops instead of retrying forever.
 */
static int pty_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    PtyChardev *s = PTY_CHARDEV(chr);
    int ret;

    if (!s->connected) {
        if (!pty_slave_open(s)) {
            return len;
        }
        pty_set_state(s, true);
    }
    ret = qemu_chr_fd_write(s->master, buf, len);
    if (ret < 0 && (errno != EAGAIN || !pty_slave_open(s))) {
        pty_set_state(s, false);
        return len;
    }
    return ret;
}

/* QEMU's pty_chr_add_watch: nothing to wait for while disconnected. */
static GSource *pty_chr_add_watch(Chardev *chr, GIOCondition cond)
{
    PtyChardev *s = PTY_CHARDEV(chr);

    return s->connected ? g_unix_fd_source_new(s->master, cond) : NULL;
}

static void pty_chr_close(Chardev *chr)
{
    PtyChardev *s = PTY_CHARDEV(chr);

    if (s->timer) {
        g_source_remove(s->timer);
        s->timer = 0;
    }
    if (s->master >= 0) {
        close(s->master);
    }
    s->master = chr->in_fd = chr->out_fd = -1;
    g_free(s->slave_path);
}

const char *qemu_chr_pty_path(Chardev *chr)
{
    return PTY_CHARDEV(chr)->slave_path;
}

static void pty_instance_init(Object *obj)
{
    PTY_CHARDEV(obj)->master = -1;
}

static void char_pty_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->open = pty_chr_open;
    cc->write = pty_chr_write;
    cc->add_watch = pty_chr_add_watch;
    cc->close = pty_chr_close;
    cc->input_closed = pty_input_closed;
}

static const TypeInfo char_pty_type_info = {
    .name = TYPE_CHARDEV_PTY,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(PtyChardev),
    .instance_init = pty_instance_init,
    .class_init = char_pty_class_init,
};

void char_pty_register_types(void)
{
    type_register_static(&char_pty_type_info);
}
