/*
 * Private glue between chardev/char.c and the backend files: each backend
 * registers its QOM type, and char.c's input watch is restarted by the
 * front end. Not a shared interface.
 */
#ifndef CHARDEV_INTERNAL_H
#define CHARDEV_INTERNAL_H

#include "chardev/char.h"

void char_null_register_types(void);
void char_file_register_types(void);
void char_stdio_register_types(void);
void char_mux_register_types(void);
void char_pipe_register_types(void);
void char_pty_register_types(void);
void char_ringbuf_register_types(void);
void char_socket_register_types(void);
void char_udp_register_types(void);

#define TYPE_CHARDEV_MUX "chardev-mux"

/* The mux side of qemu_chr_fe_init/deinit (char-mux.c). */
bool qemu_chr_is_mux(Chardev *chr);
bool mux_chr_attach(Chardev *chr, CharBackend *be, Error **errp);
void mux_chr_detach(Chardev *chr, CharBackend *be);

/*
 * Starts or stops the main-loop watch on chr->in_fd so that it runs only
 * while the front end can take bytes. Caller holds the big lock.
 */
void qemu_chr_update_input(Chardev *chr);
/* Stops the watch (idempotent). */
void qemu_chr_stop_input(Chardev *chr);

/*
 * One non-blocking write of buf to fd (EINTR retried): the bytes taken,
 * or -1 with errno (EAGAIN: none taken), as QEMU's io_channel_send.
 */
int qemu_chr_fd_write(int fd, const uint8_t *buf, int len);

#endif
