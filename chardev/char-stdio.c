/*
 * The "stdio" chardev: guest output to fd 1, input from fd 0, with the
 * terminal in raw mode while we run.
 * As QEMU 7.2 chardev/char-stdio.c (qemu_chr_open_stdio,
 * qemu_chr_set_echo_stdio, term_exit): one user at a time, signal=on keeps
 * ISIG so ^C still reaches our SIGINT handler, SIGCONT re-applies raw mode.
 */
#include "qemu/osdep.h"
#include <signal.h>
#include <termios.h>
#include <glib-unix.h>
#include "chardev-internal.h"

static struct termios stdio_old_tty;
static bool stdio_have_old_tty;
static bool stdio_in_use;
static bool stdio_allow_signal;
static bool stdio_atexit_done;
static int stdio_out_flags = -1;    /* fd 1's flags before we took it */

void qemu_chr_restore_terminal(void)
{
    if (stdio_have_old_tty) {
        tcsetattr(0, TCSANOW, &stdio_old_tty);
    }
}

/* QEMU's echo-off settings: raw input, output post-processing kept. */
static void stdio_set_raw(void)
{
    struct termios tty = stdio_old_tty;

    if (!stdio_have_old_tty) {
        return;
    }
    tty.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                     ICRNL | IXON);
    tty.c_oflag |= OPOST;
    tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    tty.c_cflag &= ~(CSIZE | PARENB);
    tty.c_cflag |= CS8;
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    if (!stdio_allow_signal) {
        tty.c_lflag &= ~ISIG;
    }
    tcsetattr(0, TCSANOW, &tty);
}

static void stdio_sigcont(int sig)
{
    stdio_set_raw();
}

static bool stdio_chr_open(Chardev *chr, QemuOpts *opts, Error **errp)
{
    struct sigaction act;

    if (stdio_in_use) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return false;
    }
    stdio_in_use = true;
    stdio_allow_signal = qemu_opt_get_bool(opts, "signal", true);
    stdio_have_old_tty = isatty(0) && tcgetattr(0, &stdio_old_tty) == 0;
    if (!stdio_atexit_done) {
        atexit(qemu_chr_restore_terminal);
        stdio_atexit_done = true;
    }
    memset(&act, 0, sizeof(act));
    act.sa_handler = stdio_sigcont;
    sigaction(SIGCONT, &act, NULL);

    chr->in_fd = 0;
    chr->out_fd = 1;
    /*
     * QEMU's qemu_chr_open_fd makes stdout non-blocking: a stalled
     * terminal or pipe throttles the UART instead of freezing the VMM.
     */
    stdio_out_flags = fcntl(1, F_GETFL);
    g_unix_set_fd_nonblocking(1, true, NULL);
    stdio_set_raw();
    return true;
}

static int stdio_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    return qemu_chr_fd_write(chr->out_fd, buf, len);
}

static void stdio_chr_close(Chardev *chr)
{
    if (stdio_out_flags >= 0) {
        fcntl(1, F_SETFL, stdio_out_flags);
        stdio_out_flags = -1;
    }
    qemu_chr_restore_terminal();
    stdio_have_old_tty = false;
    stdio_in_use = false;
}

static void char_stdio_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->open = stdio_chr_open;
    cc->write = stdio_chr_write;
    cc->close = stdio_chr_close;
}

static const TypeInfo char_stdio_type_info = {
    .name = "chardev-stdio",
    .parent = TYPE_CHARDEV,
    .class_init = char_stdio_class_init,
};

void char_stdio_register_types(void)
{
    type_register_static(&char_stdio_type_info);
}
