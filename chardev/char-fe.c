/*
 * The front end: the handle a device model holds on its chardev.
 * As QEMU 7.2 chardev/char-fe.c (qemu_chr_fe_init: one front end per
 * chardev, or four on a mux, "Device 'ID' is in use";
 * qemu_chr_fe_write takes what the backend takes, qemu_chr_fe_add_watch
 * calls back once it takes more; qemu_chr_fe_accept_input re-polls input).
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp)
{
    memset(be, 0, sizeof(*be));
    if (chr && qemu_chr_is_mux(chr)) {
        /* A mux takes up to four front ends; focus moves at set_handlers. */
        if (!mux_chr_attach(chr, be, errp)) {
            return false;
        }
    } else if (chr && chr->be) {
        error_setg(errp, "Device '%s' is in use", chr->label);
        return false;
    } else if (chr) {
        chr->be = be;
    }
    be->chr = chr;
    return true;
}

void qemu_chr_fe_deinit(CharBackend *be)
{
    Chardev *chr = be->chr;

    if (chr && qemu_chr_is_mux(chr)) {
        mux_chr_detach(chr, be);
    } else if (chr && chr->be == be) {
        qemu_chr_stop_input(chr);
        chr->be = NULL;
    }
    memset(be, 0, sizeof(*be));
}

void qemu_chr_fe_set_handlers(CharBackend *be, IOCanReadHandler *can_read,
                              IOReadHandler *read, void *opaque)
{
    ChardevClass *cc;

    be->can_read = can_read;
    be->read = read;
    be->opaque = opaque;
    if (!be->chr) {
        return;
    }
    cc = CHARDEV_GET_CLASS(be->chr);
    if (cc->handlers_changed) {
        cc->handlers_changed(be->chr, be);
    } else {
        qemu_chr_update_input(be->chr);
    }
}

void qemu_chr_fe_set_event_handler(CharBackend *be, IOEventHandler *event)
{
    be->event = event;
}

int qemu_chr_fe_write(CharBackend *be, const uint8_t *buf, int len)
{
    if (!be->chr) {
        return 0;
    }
    return qemu_chr_write(be->chr, buf, len);
}

typedef struct ChrFeWatch {
    FEWatchFunc *func;
    void *opaque;
} ChrFeWatch;

/* Dispatched by the main loop, which holds the BQL. */
static gboolean chr_fe_watch_ready(gint fd, GIOCondition cond, gpointer data)
{
    ChrFeWatch *w = data;

    return w->func(cond, w->opaque);
}

guint qemu_chr_fe_add_watch(CharBackend *be, GIOCondition cond,
                            FEWatchFunc *func, void *opaque)
{
    ChrFeWatch *w;
    GSource *src;
    guint tag;

    if (!be->chr) {
        return 0;
    }
    src = qemu_chr_add_watch(be->chr, cond);
    if (!src) {
        return 0;
    }
    w = g_new(ChrFeWatch, 1);
    w->func = func;
    w->opaque = opaque;
    g_source_set_callback(src, (GSourceFunc)(void (*)(void))chr_fe_watch_ready,
                          w, g_free);
    tag = g_source_attach(src, NULL);
    g_source_unref(src);
    return tag;
}

bool qemu_chr_fe_backend_open(CharBackend *be)
{
    return be->chr && be->chr->be_open;
}

void qemu_chr_fe_accept_input(CharBackend *be)
{
    ChardevClass *cc;

    if (!be->chr) {
        return;
    }
    cc = CHARDEV_GET_CLASS(be->chr);
    if (cc->accept_input) {
        cc->accept_input(be->chr);
    } else {
        qemu_chr_update_input(be->chr);
    }
}
