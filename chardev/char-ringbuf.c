/*
 * The "ringbuf" chardev (alias "memory"): guest output kept in a
 * power-of-two ring in memory, the oldest bytes overwritten; no input.
 * As QEMU 7.2 chardev/char-ringbuf.c (qemu_chr_parse_ringbuf: size=0
 * means the 64 KiB default; qemu_chr_open_ringbuf; ringbuf_chr_write).
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

#define TYPE_CHARDEV_RINGBUF "chardev-ringbuf"
#define RINGBUF_DEFAULT_SIZE 65536

typedef struct RingBufChardev {
    Chardev parent_obj;
    size_t size;
    size_t prod;
    size_t cons;
    uint8_t *cbuf;
} RingBufChardev;

#define RINGBUF_CHARDEV(obj) \
    OBJECT_CHECK(RingBufChardev, (obj), TYPE_CHARDEV_RINGBUF)

static bool ringbuf_chr_open(Chardev *chr, QemuOpts *opts, Error **errp)
{
    RingBufChardev *d = RINGBUF_CHARDEV(chr);
    /* QEMU keeps the size in an int: larger values wrap the same way. */
    int val = qemu_opt_get_size(opts, "size", 0);
    int64_t size = val != 0 ? val : RINGBUF_DEFAULT_SIZE;

    if (size & (size - 1)) {
        error_setg(errp, "size of ringbuf chardev must be power of two");
        return false;
    }
    d->size = size;
    d->cbuf = g_malloc0(d->size);
    return true;
}

static int ringbuf_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    RingBufChardev *d = RINGBUF_CHARDEV(chr);

    for (int i = 0; i < len; i++) {
        d->cbuf[d->prod++ & (d->size - 1)] = buf[i];
        if (d->prod - d->cons > d->size) {
            d->cons = d->prod - d->size;
        }
    }
    return len;
}

size_t qemu_chr_ringbuf_read(Chardev *chr, uint8_t *buf, size_t len)
{
    RingBufChardev *d = RINGBUF_CHARDEV(chr);
    size_t n = 0;

    while (n < len && d->cons != d->prod) {
        buf[n++] = d->cbuf[d->cons++ & (d->size - 1)];
    }
    return n;
}

static void ringbuf_chr_close(Chardev *chr)
{
    RingBufChardev *d = RINGBUF_CHARDEV(chr);

    g_free(d->cbuf);
    d->cbuf = NULL;
}

static void char_ringbuf_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->open = ringbuf_chr_open;
    cc->write = ringbuf_chr_write;
    cc->close = ringbuf_chr_close;
}

static const TypeInfo char_ringbuf_type_info = {
    .name = TYPE_CHARDEV_RINGBUF,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(RingBufChardev),
    .class_init = char_ringbuf_class_init,
};

/* QEMU 7.2 keeps "memory" as a type of its own, a ringbuf. */
static const TypeInfo char_memory_type_info = {
    .name = "chardev-memory",
    .parent = TYPE_CHARDEV_RINGBUF,
};

void char_ringbuf_register_types(void)
{
    type_register_static(&char_ringbuf_type_info);
    type_register_static(&char_memory_type_info);
}
