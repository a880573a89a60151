/*
 * Bottom halves on the default GMainContext (include/qemu/bh.h): a
 * GSource whose ready time is "now" while it is scheduled.
 */
#include "qemu/bh.h"

struct QEMUBH {
    GSource source;
    QEMUBHFunc *cb;
    void *opaque;
};

static gboolean qemu_bh_dispatch(GSource *source, GSourceFunc unused,
                                 gpointer data)
{
    QEMUBH *bh = (QEMUBH *)source;

    /* unscheduled first: the callback may schedule it again */
    g_source_set_ready_time(source, -1);
    bh->cb(bh->opaque);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs qemu_bh_funcs = {
    .dispatch = qemu_bh_dispatch,
};

QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque)
{
    QEMUBH *bh = (QEMUBH *)g_source_new(&qemu_bh_funcs, sizeof(QEMUBH));

    bh->cb = cb;
    bh->opaque = opaque;
    g_source_set_name(&bh->source, "qemu-bh");
    g_source_attach(&bh->source, NULL);
    return bh;
}

void qemu_bh_schedule(QEMUBH *bh)
{
    g_source_set_ready_time(&bh->source, 0);
}

void qemu_bh_cancel(QEMUBH *bh)
{
    g_source_set_ready_time(&bh->source, -1);
}

void qemu_bh_delete(QEMUBH *bh)
{
    if (!bh) {
        return;
    }
    g_source_destroy(&bh->source);
    g_source_unref(&bh->source);
}
