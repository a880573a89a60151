/*
 * The "file" chardev: guest output written to a file (path=, append=).
 * As QEMU 7.2 chardev/char-file.c (qemu_chr_parse_file_out,
 * qmp_chardev_open_file): O_CREAT, O_TRUNC unless append=on, mode 0666;
 * written without blocking, as char-fd.c.
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include "chardev-internal.h"

static bool file_chr_open(Chardev *chr, QemuOpts *opts, Error **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC;

    if (!path) {
        error_setg(errp, "chardev: file: no filename given");
        return false;
    }
    flags |= qemu_opt_get_bool(opts, "append", false) ? O_APPEND : O_TRUNC;
    chr->out_fd = open(path, flags, 0666);
    if (chr->out_fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return false;
    }
    /* A FIFO or device path must not stall the guest (qemu_chr_open_fd). */
    g_unix_set_fd_nonblocking(chr->out_fd, true, NULL);
    return true;
}

static int file_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    return qemu_chr_fd_write(chr->out_fd, buf, len);
}

static void file_chr_close(Chardev *chr)
{
    if (chr->out_fd >= 0) {
        close(chr->out_fd);
        chr->out_fd = -1;
    }
}

static void char_file_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->open = file_chr_open;
    cc->write = file_chr_write;
    cc->close = file_chr_close;
}

static const TypeInfo char_file_type_info = {
    .name = "chardev-file",
    .parent = TYPE_CHARDEV,
    .class_init = char_file_class_init,
};

void char_file_register_types(void)
{
    type_register_static(&char_file_type_info);
}
