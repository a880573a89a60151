/*
 * The front end: the handle a device model holds on its chardev.
 * As QEMU 7.2 chardev/char-fe.c (qemu_chr_fe_init: one front end per
 * chardev, "Device 'ID' is in use"; qemu_chr_fe_write_all; the logfile
 * copy of qemu_chr_write_log; qemu_chr_fe_accept_input re-polls input).
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp)
{
    if (chr && chr->be) {
        error_setg(errp, "Device '%s' is in use", chr->label);
        return false;
    }
    memset(be, 0, sizeof(*be));
    be->chr = chr;
    if (chr) {
        chr->be = be;
    }
    return true;
}

void qemu_chr_fe_deinit(CharBackend *be)
{
    Chardev *chr = be->chr;

    if (chr && chr->be == be) {
        qemu_chr_stop_input(chr);
        chr->be = NULL;
    }
    memset(be, 0, sizeof(*be));
}

void qemu_chr_fe_set_handlers(CharBackend *be, IOCanReadHandler *can_read,
                              IOReadHandler *read, void *opaque)
{
    be->can_read = can_read;
    be->read = read;
    be->opaque = opaque;
    if (be->chr) {
        qemu_chr_update_input(be->chr);
    }
}

/* Logs are best effort, as QEMU's: errors are not reported. */
static void chr_write_log(Chardev *chr, const uint8_t *buf, int len)
{
    if (chr->logfd >= 0) {
        qemu_chr_fd_write_all(chr->logfd, buf, len);
    }
}

int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len)
{
    Chardev *chr = be->chr;
    int ret;

    if (!chr) {
        return -1;
    }
    ret = CHARDEV_GET_CLASS(chr)->write(chr, buf, len);
    chr_write_log(chr, buf, len);
    return ret;
}

void qemu_chr_fe_accept_input(CharBackend *be)
{
    if (be->chr) {
        qemu_chr_update_input(be->chr);
    }
}
