/*
 * The "pipe" chardev: guest output to PATH.out and input from PATH.in
 * (named pipes), or both through PATH when either is missing.
 * As QEMU 7.2 chardev/char-pipe.c (qemu_chr_parse_pipe,
 * qemu_chr_open_pipe, Unix part): both opened O_RDWR so that an absent
 * peer neither blocks the open nor ends input with EOF.
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include "chardev-internal.h"

static bool pipe_chr_parse(QemuOpts *opts, Error **errp)
{
    if (!qemu_opt_get(opts, "path")) {
        error_setg(errp, "chardev: pipe: no device path given");
        return false;
    }
    return true;
}

static int pipe_open_rdwr(const char *path)
{
    int fd;

    do {
        fd = open(path, O_RDWR | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

static bool pipe_chr_open(Chardev *chr, QemuOpts *opts, Error **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    g_autofree char *in = g_strdup_printf("%s.in", path);
    g_autofree char *out = g_strdup_printf("%s.out", path);
    int fd_in = pipe_open_rdwr(in);
    int fd_out = pipe_open_rdwr(out);

    if (fd_in < 0 || fd_out < 0) {
        if (fd_in >= 0) {
            close(fd_in);
        }
        if (fd_out >= 0) {
            close(fd_out);
        }
        fd_in = fd_out = pipe_open_rdwr(path);
        if (fd_in < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", path);
            return false;
        }
    }
    chr->in_fd = fd_in;
    chr->out_fd = fd_out;
    /* A full pipe throttles the UART, never stalls (qemu_chr_open_fd). */
    g_unix_set_fd_nonblocking(fd_out, true, NULL);
    return true;
}

static int pipe_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    return qemu_chr_fd_write(chr->out_fd, buf, len);
}

static void pipe_chr_close(Chardev *chr)
{
    if (chr->out_fd >= 0 && chr->out_fd != chr->in_fd) {
        close(chr->out_fd);
    }
    if (chr->in_fd >= 0) {
        close(chr->in_fd);
    }
    chr->in_fd = chr->out_fd = -1;
}

static void char_pipe_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->parse = pipe_chr_parse;
    cc->open = pipe_chr_open;
    cc->write = pipe_chr_write;
    cc->close = pipe_chr_close;
}

static const TypeInfo char_pipe_type_info = {
    .name = "chardev-pipe",
    .parent = TYPE_CHARDEV,
    .class_init = char_pipe_class_init,
};

void char_pipe_register_types(void)
{
    type_register_static(&char_pipe_type_info);
}
