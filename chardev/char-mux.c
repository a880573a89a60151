/*
 * The mux chardev: one host stream shared by up to four front ends, with
 * the Ctrl-A escapes of QEMU's terminal (x quits, h help, c next front
 * end, t timestamps, b break, s commit disks, Ctrl-A Ctrl-A a literal ^A).
 * Matches QEMU 7.2 chardev/char-mux.c (mux_proc_byte, mux_print_help,
 * mux_chr_write, mux_chr_read/can_read with the 32-byte per-front-end
 * buffer, mux_set_focus) and char.c's "ID-base" naming for mux=on.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"
#include "system/runstate.h"

#define MUX_MAX 4
#define MUX_BUFFER_SIZE 32      /* a power of 2, as QEMU's */
#define MUX_BUFFER_MASK (MUX_BUFFER_SIZE - 1)
/* Our own output (help, timestamps) held while the base is full. */
#define MUX_OUT_MAX 4096

typedef struct MuxChardev {
    Chardev parent_obj;
    CharBackend chr;                    /* our handle on the base chardev */
    CharBackend *backends[MUX_MAX];
    int mux_cnt;
    int focus;                          /* -1 until a front end sets up */
    bool got_escape;
    bool timestamps;
    bool linestart;
    int64_t timestamps_start;           /* ms, -1 until the first line */
    /* Input that arrived while the focused front end was full. */
    uint8_t buffer[MUX_MAX][MUX_BUFFER_SIZE];
    unsigned prod[MUX_MAX];
    unsigned cons[MUX_MAX];
    /*
     * Output of the mux itself the base has not taken yet: it goes out
     * before any front end's next byte, from our watch if nobody writes.
     */
    GByteArray *out;
    guint out_watch;
} MuxChardev;

#define MUX_CHARDEV(obj) OBJECT_CHECK(MuxChardev, (obj), TYPE_CHARDEV_MUX)

bool qemu_chr_is_mux(Chardev *chr)
{
    return object_dynamic_cast(OBJECT(chr), TYPE_CHARDEV_MUX) != NULL;
}

int qemu_chr_mux_focus(Chardev *chr)
{
    return MUX_CHARDEV(chr)->focus;
}

bool mux_chr_attach(Chardev *chr, CharBackend *be, Error **errp)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    if (d->mux_cnt >= MUX_MAX) {
        error_setg(errp, "Device '%s' is in use", chr->label);
        return false;
    }
    d->backends[d->mux_cnt] = be;
    be->tag = d->mux_cnt++;
    return true;
}

void mux_chr_detach(Chardev *chr, CharBackend *be)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    if (be->tag >= 0 && be->tag < MUX_MAX && d->backends[be->tag] == be) {
        d->backends[be->tag] = NULL;
    }
    if (chr->be == be) {
        chr->be = NULL;
    }
}

static void mux_send_event(MuxChardev *d, int i, QEMUChrEvent event)
{
    CharBackend *be = d->backends[i];

    if (be && be->event) {
        be->event(be->opaque, event);
    }
}

static void mux_set_focus(MuxChardev *d, int focus)
{
    if (d->focus != -1) {
        mux_send_event(d, d->focus, CHR_EVENT_MUX_OUT);
    }
    d->focus = focus;
    d->parent_obj.be = d->backends[focus];
    mux_send_event(d, focus, CHR_EVENT_MUX_IN);
}

/* Hands held output to the base; true when none is left. */
static bool mux_out_flush(MuxChardev *d)
{
    while (d->out->len) {
        int ret = qemu_chr_fe_write(&d->chr, d->out->data, d->out->len);

        if (ret < 0 && errno == EAGAIN) {
            return false;
        }
        if (ret <= 0) {
            /* The base lost it (a socket with no peer): so is ours. */
            g_byte_array_set_size(d->out, 0);
            break;
        }
        g_byte_array_remove_range(d->out, 0, ret);
    }
    return true;
}

static gboolean mux_out_ready(GIOCondition cond, void *opaque)
{
    MuxChardev *d = opaque;

    if (mux_out_flush(d)) {
        d->out_watch = 0;
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

/*
 * Queues our own text and sends what the base takes now; the rest goes
 * from a watch, so an escape's help never blocks the main loop. Text
 * beyond MUX_OUT_MAX while the base is stalled is dropped (host-side
 * messages only: guest bytes are refused with EAGAIN instead).
 */
static void mux_out_queue(MuxChardev *d, const void *buf, size_t len)
{
    len = MIN(len, MUX_OUT_MAX - MIN(d->out->len, MUX_OUT_MAX));
    g_byte_array_append(d->out, buf, len);
    if (!mux_out_flush(d) && !d->out_watch) {
        d->out_watch = qemu_chr_fe_add_watch(&d->chr, G_IO_OUT | G_IO_HUP,
                                             mux_out_ready, d);
        if (!d->out_watch) {
            g_byte_array_set_size(d->out, 0);
        }
    }
}

/* "[HH:MM:SS.mmm] " since the first line after timestamps were enabled. */
static void mux_write_timestamp(MuxChardev *d)
{
    int64_t ms = g_get_monotonic_time() / 1000;
    char stamp[64];
    int secs;

    if (d->timestamps_start == -1) {
        d->timestamps_start = ms;
    }
    ms -= d->timestamps_start;
    secs = ms / 1000;
    snprintf(stamp, sizeof(stamp), "[%02d:%02d:%02d.%03d] ", secs / 3600,
             (secs / 60) % 60, secs % 60, (int)(ms % 1000));
    mux_out_queue(d, stamp, strlen(stamp));
}

/*
 * QEMU's mux_chr_write, without its blocking timestamp write: held
 * output first; then, with timestamps, one byte at a time so that a
 * stamp is queued only once the byte before it went out.
 */
static int mux_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    MuxChardev *d = MUX_CHARDEV(chr);
    int ret = 0;

    if (!mux_out_flush(d)) {
        errno = EAGAIN;
        return -1;
    }
    if (!d->timestamps) {
        return qemu_chr_fe_write(&d->chr, buf, len);
    }
    /* A held stamp (and the byte after it) ends the write. */
    while (ret < len && !d->out->len) {
        if (d->linestart) {
            mux_write_timestamp(d);
            d->linestart = false;
        }
        if (d->out->len) {
            /* The stamp waits: the byte is taken and goes after it. */
            mux_out_queue(d, buf + ret, 1);
        } else {
            int r = qemu_chr_fe_write(&d->chr, buf + ret, 1);

            if (r <= 0 && ret) {
                break;
            }
            if (r <= 0) {
                if (r == 0) {
                    errno = EAGAIN;
                }
                return -1;
            }
        }
        if (buf[ret] == '\n') {
            d->linestart = true;
        }
        ret++;
    }
    return ret;
}

/* QEMU's mux_chr_add_watch: the base's. */
static GSource *mux_chr_add_watch(Chardev *chr, GIOCondition cond)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    return d->chr.chr ? qemu_chr_add_watch(d->chr.chr, cond) : NULL;
}

static void mux_print_help(Chardev *chr)
{
    /* QEMU's table; '%' stands for the escape key's name, "C-a". */
    static const char *const help[] = {
        "% h    print this help\n\r",
        "% x    exit emulator\n\r",
        "% s    save disk data back to file (if -snapshot)\n\r",
        "% t    toggle console timestamps\n\r",
        "% b    send break (magic sysrq)\n\r",
        "% c    switch between console and monitor\n\r",
        "% %  sends %\n\r",
    };
    g_autoptr(GString) out = g_string_new("\n\r");

    for (size_t i = 0; i < ARRAY_SIZE(help); i++) {
        for (const char *p = help[i]; *p; p++) {
            if (*p == '%') {
                g_string_append(out, "C-a");
            } else {
                g_string_append_c(out, *p);
            }
        }
    }
    mux_out_queue(MUX_CHARDEV(chr), out->str, out->len);
}

/* Returns whether ch is data for the front end (not part of an escape). */
static bool mux_proc_byte(Chardev *chr, MuxChardev *d, uint8_t ch)
{
    static const char terminated[] = "QEMU: Terminated\n\r";

    if (!d->got_escape) {
        if (ch == CHR_MUX_ESCAPE) {
            d->got_escape = true;
            return false;
        }
        return true;
    }
    d->got_escape = false;
    switch (ch) {
    case CHR_MUX_ESCAPE:
        return true;
    case '?':
    case 'h':
        mux_print_help(chr);
        break;
    case 'x':
        mux_out_queue(d, terminated, strlen(terminated));
        qemu_system_quit_request();
        break;
    case 's':
        /* blk_commit_all: no -snapshot overlays exist yet. */
        break;
    case 'b':
        qemu_chr_be_event(chr, CHR_EVENT_BREAK);
        break;
    case 'c':
        if (d->mux_cnt > 0) {
            mux_set_focus(d, (d->focus + 1) % d->mux_cnt);
        }
        break;
    case 't':
        d->timestamps = !d->timestamps;
        d->timestamps_start = -1;
        d->linestart = false;
        break;
    default:
        /* QEMU drops an unknown escape and the byte after it. */
        break;
    }
    return false;
}

static bool mux_fe_can_take(CharBackend *be)
{
    return be && be->can_read && be->read && be->can_read(be->opaque) > 0;
}

/* Hands buffered bytes to the focused front end while it has room. */
static void mux_flush_buffer(MuxChardev *d)
{
    int m = d->focus;
    CharBackend *be;

    if (m < 0) {
        return;
    }
    be = d->backends[m];
    while (d->prod[m] != d->cons[m] && mux_fe_can_take(be)) {
        be->read(be->opaque, &d->buffer[m][d->cons[m]++ & MUX_BUFFER_MASK],
                 1);
    }
}

static int mux_base_can_read(void *opaque)
{
    MuxChardev *d = opaque;
    int m = d->focus;
    CharBackend *be;

    if (m < 0) {
        return 0;
    }
    if (d->prod[m] - d->cons[m] < MUX_BUFFER_SIZE) {
        return 1;
    }
    be = d->backends[m];
    return be && be->can_read ? be->can_read(be->opaque) : 0;
}

static void mux_base_read(void *opaque, const uint8_t *buf, int size)
{
    MuxChardev *d = opaque;
    Chardev *chr = &d->parent_obj;

    mux_flush_buffer(d);
    for (int i = 0; i < size; i++) {
        int m = d->focus;
        CharBackend *be;

        /* An escape may switch focus or end the program mid-buffer. */
        if (!mux_proc_byte(chr, d, buf[i]) || m < 0) {
            continue;
        }
        m = d->focus;
        be = d->backends[m];
        if (d->prod[m] == d->cons[m] && mux_fe_can_take(be)) {
            be->read(be->opaque, &buf[i], 1);
        } else if (d->prod[m] - d->cons[m] < MUX_BUFFER_SIZE) {
            d->buffer[m][d->prod[m]++ & MUX_BUFFER_MASK] = buf[i];
        }
    }
}

/* Base events (a socket peer came or went) go to every front end. */
static void mux_base_event(void *opaque, QEMUChrEvent event)
{
    MuxChardev *d = opaque;

    for (int i = 0; i < d->mux_cnt; i++) {
        mux_send_event(d, i, event);
    }
}

static void mux_chr_accept_input(Chardev *chr)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    mux_flush_buffer(d);
    qemu_chr_fe_accept_input(&d->chr);
}

static void mux_chr_handlers_changed(Chardev *chr, CharBackend *be)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    /* QEMU's qemu_chr_fe_take_focus: the last front end to open. */
    if (be->can_read || be->read || be->opaque) {
        mux_set_focus(d, be->tag);
    }
    qemu_chr_fe_accept_input(&d->chr);
}

static bool mux_chr_parse(QemuOpts *opts, Error **errp)
{
    if (!qemu_opt_get(opts, "chardev")) {
        error_setg(errp, "chardev: mux: no chardev given");
        return false;
    }
    return true;
}

static bool mux_chr_open(Chardev *chr, QemuOpts *opts, Error **errp)
{
    MuxChardev *d = MUX_CHARDEV(chr);
    const char *base_id = qemu_opt_get(opts, "chardev");
    Chardev *base = qemu_chr_find(base_id);

    d->focus = -1;
    d->timestamps_start = -1;
    d->out = g_byte_array_new();
    if (!base) {
        error_setg(errp, "mux: base chardev %s not found", base_id);
        return false;
    }
    if (!qemu_chr_fe_init(&d->chr, base, errp)) {
        return false;
    }
    qemu_chr_fe_set_event_handler(&d->chr, mux_base_event);
    qemu_chr_fe_set_handlers(&d->chr, mux_base_can_read, mux_base_read, d);
    return true;
}

static void mux_chr_close(Chardev *chr)
{
    MuxChardev *d = MUX_CHARDEV(chr);

    for (int i = 0; i < d->mux_cnt; i++) {
        if (d->backends[i]) {
            d->backends[i]->chr = NULL;
            d->backends[i] = NULL;
        }
    }
    chr->be = NULL;
    if (d->out_watch) {
        g_source_remove(d->out_watch);
        d->out_watch = 0;
    }
    if (d->out) {
        g_byte_array_free(d->out, true);
        d->out = NULL;
    }
    qemu_chr_fe_deinit(&d->chr);
}

static void char_mux_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->parse = mux_chr_parse;
    cc->open = mux_chr_open;
    cc->write = mux_chr_write;
    cc->add_watch = mux_chr_add_watch;
    cc->close = mux_chr_close;
    cc->accept_input = mux_chr_accept_input;
    cc->handlers_changed = mux_chr_handlers_changed;
}

static const TypeInfo char_mux_type_info = {
    .name = TYPE_CHARDEV_MUX,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(MuxChardev),
    .class_init = char_mux_class_init,
};

void char_mux_register_types(void)
{
    type_register_static(&char_mux_type_info);
}
