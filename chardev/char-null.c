/*
 * The "null" chardev: output discarded, never any input.
 * As QEMU 7.2 chardev/char-null.c (null_chr_open).
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

static bool null_chr_open(Chardev *chr, QemuOpts *opts, Error **errp)
{
    return true;
}

static void char_null_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->open = null_chr_open;
}

static const TypeInfo char_null_type_info = {
    .name = "chardev-null",
    .parent = TYPE_CHARDEV,
    .class_init = char_null_class_init,
};

void char_null_register_types(void)
{
    type_register_static(&char_null_type_info);
}
