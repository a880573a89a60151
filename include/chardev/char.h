/*
 * Character devices: host-side byte streams (stdio, null, file, ...) and
 * the front-end handle a device model holds to one.
 *
 * As QEMU 7.2's chardev/char.c: a Chardev is an object created from
 * -chardev options (backend name as the implied key, id= mandatory) or from
 * the legacy -serial syntax ("stdio", "null", "file:PATH", "chardev:ID").
 * Input is read in the main thread's GLib main loop and handed to the
 * front end under the big lock, only as much as its can_read says.
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "qom/object.h"
#include "qemu/option.h"

#define TYPE_CHARDEV "chardev"

typedef struct CharBackend CharBackend;

typedef struct Chardev {
    Object parent_obj;
    char *label;            /* the id */
    CharBackend *be;        /* the front end attached, or NULL */
    GSource *input_source;  /* main-loop watch, when reading */
    int in_fd;              /* -1 when the backend has no input */
    int out_fd;             /* -1 when output is discarded */
    int logfd;              /* logfile=, or -1 */
    bool in_eof;            /* input hit end of file: stop polling it */
    bool registered;        /* under its id in the "chardevs" namespace */
} Chardev;

typedef struct ChardevClass {
    ObjectClass parent_class;
    /* Opens the host side from the parsed -chardev options. */
    bool (*open)(Chardev *chr, QemuOpts *opts, Error **errp);
    /* Writes all of buf (blocking as QEMU's chardevs do); returns len or -1. */
    int (*write)(Chardev *chr, const uint8_t *buf, int len);
    void (*close)(Chardev *chr);
} ChardevClass;

#define CHARDEV(obj) OBJECT_CHECK(Chardev, (obj), TYPE_CHARDEV)
#define CHARDEV_GET_CLASS(obj) \
    OBJECT_GET_CLASS(ChardevClass, (obj), TYPE_CHARDEV)

/* The -chardev options list (implied key "backend"). */
extern QemuOptsList qemu_chardev_opts;

/*
 * -chardev: creates, opens and registers under its id.
 * "backend=help" prints QEMU's "Available chardev backend types:" list and
 * returns NULL WITHOUT setting *errp (the caller then exits 0, as QEMU).
 */
Chardev *qemu_chr_new_from_opts(QemuOpts *opts, Error **errp);
/*
 * -serial / -monitor legacy syntax: "stdio", "null", "file:PATH",
 * "chardev:ID" (returns the existing one), with label as the new id
 * ("serial0", ...). "none" is handled by the caller. "mon:X" is taken as X
 * (no monitor here; for stdio with signal=off, as QEMU's mux does).
 * On NULL, *errp holds the first error line QEMU prints, except for an
 * unknown "chardev:ID", where QEMU prints nothing and *errp stays unset;
 * either way the caller adds its own line ("could not connect serial
 * device to character backend '%s'").
 */
Chardev *qemu_chr_new(const char *label, const char *filename, Error **errp);
Chardev *qemu_chr_find(const char *id);
/*
 * Link resolver for PROP_TYPE_LINK chardev properties ("chardev=ID").
 * It cannot know the property's owner, so its error is generic
 * ("Chardev 'ID' not found"); a device that wants QEMU's exact wording
 * wraps qemu_chr_find_for_property() in its own resolver.
 */
Object *qemu_chr_resolve_link(const char *id, Error **errp);
/* QEMU's set_chr() wording: "Property 'TYPE.PROP' can't find value 'ID'". */
Chardev *qemu_chr_find_for_property(const char *type, const char *prop,
                                    const char *id, Error **errp);
/* Removes chr from the id namespace and closes it (tests, teardown). */
void qemu_chr_delete(Chardev *chr);
/* Puts the terminal back as it was (atexit and on signals). */
void qemu_chr_restore_terminal(void);
void qemu_chr_close_all(void);

/* ---- Front end ----------------------------------------------------------- */

typedef int IOCanReadHandler(void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);

struct CharBackend {
    Chardev *chr;
    IOCanReadHandler *can_read;
    IOReadHandler *read;
    void *opaque;
};

/* Attaches be to chr. Error when chr already has a front end:
 * "Device 'ID' is in use" (QEMU 7.2). */
bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp);
void qemu_chr_fe_deinit(CharBackend *be);
void qemu_chr_fe_set_handlers(CharBackend *be, IOCanReadHandler *can_read,
                              IOReadHandler *read, void *opaque);
/* Writes all bytes; returns len, or -1 (also when no chardev attached:
 * then the bytes are dropped, as for an unconnected UART). */
int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len);
/* The front end has room again: poll the backend's input. */
void qemu_chr_fe_accept_input(CharBackend *be);

void chardev_register_types(void);

#endif
