/*
 * Character devices: host-side byte streams (stdio, null, file, ...) and
 * the front-end handle a device model holds to one.
 *
 * As QEMU 7.2's chardev/char.c: a Chardev is an object created from
 * -chardev options (backend name as the implied key, id= mandatory) or from
 * the legacy -serial syntax ("stdio", "null", "file:PATH", "chardev:ID").
 * Input is read in the main thread's GLib main loop and handed to the
 * front end under the big lock, only as much as its can_read says.
 * Output never blocks: a backend takes what it can and a front end
 * retries from a watch (qemu_chr_fe_write, qemu_chr_fe_add_watch).
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
    /* The front end attached, or NULL; for a mux, the one with focus. */
    CharBackend *be;
    GSource *input_source;  /* main-loop watch, when reading */
    int in_fd;              /* -1 when the backend has no input */
    int out_fd;             /* -1 when output is discarded */
    int logfd;              /* logfile=, or -1 */
    bool in_eof;            /* input hit end of file: stop polling it */
    /*
     * The host side is connected (QEMU's be_open): set when opened,
     * except for a socket or pty until its peer comes; then follows
     * CHR_EVENT_OPENED/_CLOSED.
     */
    bool be_open;
    bool registered;        /* under its id in the "chardevs" namespace */
} Chardev;

typedef struct ChardevClass {
    ObjectClass parent_class;
    /*
     * Checks the options before anything is opened (QEMU's cc->parse:
     * its errors come before a logfile= error). Optional.
     */
    bool (*parse)(QemuOpts *opts, Error **errp);
    /* Opens the host side from the parsed -chardev options. */
    bool (*open)(Chardev *chr, QemuOpts *opts, Error **errp);
    /*
     * Writes what the host side takes now, never blocking (QEMU's
     * chr_write on a non-blocking channel): the bytes taken (1..len), or
     * -1 with errno: EAGAIN when nothing was taken (retry once add_watch
     * fires), anything else when the bytes are lost.
     */
    int (*write)(Chardev *chr, const uint8_t *buf, int len);
    /*
     * Optional: a source that fires when the host side may take bytes
     * again (G_IO_OUT) or hung up, or NULL when there is nothing to wait
     * for (output dropped while disconnected). The source calls its
     * callback as a GUnixFDSourceFunc. Default: out_fd polled, or NULL
     * when out_fd is -1 (QEMU 7.2's chr_add_watch).
     */
    GSource *(*add_watch)(Chardev *chr, GIOCondition cond);
    void (*close)(Chardev *chr);
    /* Optional: reads input instead of read(in_fd) (a datagram socket). */
    ssize_t (*read)(Chardev *chr, uint8_t *buf, size_t len);
    /* Optional: in_fd hit end of file or an error (default: stop reading). */
    void (*input_closed)(Chardev *chr);
    /* Optional: the front end has room again (default: poll in_fd). */
    void (*accept_input)(Chardev *chr);
    /* Optional: a front end set or cleared its handlers. */
    void (*handlers_changed)(Chardev *chr, CharBackend *be);
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
 * -serial / -monitor legacy syntax as QEMU 7.2's qemu_chr_parse_compat:
 * "stdio", "null", "pty", "file:PATH", "pipe:PATH", "tcp:HOST:PORT[,...]",
 * "telnet:...", "unix:PATH[,...]", "udp:[HOST]:PORT[@[LHOST]:LPORT]",
 * "chardev:ID" (returns the existing one), with label as the new id
 * ("serial0", ...). "none" is handled by the caller. "mon:X" makes X a
 * mux (and stdio with signal=off); no monitor is attached yet.
 * On NULL, *errp holds the first error line QEMU prints, except for an
 * unknown "chardev:ID", where QEMU prints nothing and *errp stays unset;
 * either way the caller adds its own line ("could not connect serial
 * device to character backend '%s'").
 */
Chardev *qemu_chr_new(const char *label, const char *filename, Error **errp);
Chardev *qemu_chr_find(const char *id);
/*
 * Link resolver for prop_info_link chardev properties ("chardev=ID").
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

/* QEMU 7.2's QEMUChrEvent, the ones a backend here can raise. */
typedef enum QEMUChrEvent {
    CHR_EVENT_BREAK,        /* serial break (mux Ctrl-A b) */
    CHR_EVENT_OPENED,       /* the host side connected */
    CHR_EVENT_MUX_IN,       /* this front end took the mux focus */
    CHR_EVENT_MUX_OUT,      /* ... and lost it */
    CHR_EVENT_CLOSED,       /* the host side went away */
} QEMUChrEvent;
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);

struct CharBackend {
    Chardev *chr;
    IOCanReadHandler *can_read;
    IOReadHandler *read;
    IOEventHandler *event;  /* optional, see qemu_chr_fe_set_event_handler */
    void *opaque;
    int tag;                /* index among a mux's front ends */
};

/*
 * Attaches be to chr. Error when chr already has a front end, or a mux
 * already has four: "Device 'ID' is in use" (QEMU 7.2).
 */
bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp);
void qemu_chr_fe_deinit(CharBackend *be);
void qemu_chr_fe_set_handlers(CharBackend *be, IOCanReadHandler *can_read,
                              IOReadHandler *read, void *opaque);
/*
 * Events (break, open, close, mux focus) for this front end (QEMU passes
 * it to set_handlers as fd_event). Set it after qemu_chr_fe_init and
 * before qemu_chr_fe_set_handlers, which raises the mux focus event.
 */
void qemu_chr_fe_set_event_handler(CharBackend *be, IOEventHandler *event);
/*
 * Writes without blocking, as QEMU 7.2's qemu_chr_fe_write: returns the
 * bytes the backend took (maybe fewer than len), or -1 with errno EAGAIN
 * (none taken: retry from qemu_chr_fe_add_watch) or another errno (lost).
 * With no chardev attached the bytes go nowhere and 0 is returned.
 */
int qemu_chr_fe_write(CharBackend *be, const uint8_t *buf, int len);
/*
 * Called in the main loop, under the big lock, when the backend is
 * writable again or hung up; returns G_SOURCE_REMOVE or _CONTINUE.
 */
typedef gboolean FEWatchFunc(GIOCondition cond, void *opaque);
/*
 * QEMU 7.2's qemu_chr_fe_add_watch: calls func once the backend may take
 * bytes (cond: G_IO_OUT | G_IO_HUP). Returns a main-context source id for
 * g_source_remove (under the big lock), or 0 when the backend has nothing
 * to wait for: the caller then drops its bytes, as QEMU's serial does.
 */
guint qemu_chr_fe_add_watch(CharBackend *be, GIOCondition cond,
                            FEWatchFunc *func, void *opaque);
/* The front end has room again: poll the backend's input. */
void qemu_chr_fe_accept_input(CharBackend *be);
/*
 * Whether the host side is connected now (QEMU's be_open): a front end
 * that follows CHR_EVENT_OPENED/_CLOSED starts from this (QEMU's
 * set_handlers with sync_state sends it an OPENED event instead).
 */
bool qemu_chr_fe_backend_open(CharBackend *be);

/* ---- Backend side (for backends and tests) ------------------------------ */

/* How many bytes the front end (a mux's focused one) takes now. */
int qemu_chr_be_can_write(Chardev *chr);
/* Hands bytes to the front end; at most qemu_chr_be_can_write() of them. */
void qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len);
void qemu_chr_be_event(Chardev *chr, QEMUChrEvent event);
/*
 * Writes to chr itself without blocking (class write, then the logfile
 * gets what went out), as QEMU's qemu_chr_write(..., write_all=false).
 */
int qemu_chr_write(Chardev *chr, const uint8_t *buf, int len);
/* The class add_watch, or the default one on out_fd; NULL: none. */
GSource *qemu_chr_add_watch(Chardev *chr, GIOCondition cond);

/* Ringbuf/memory: copies out and consumes up to len buffered bytes. */
size_t qemu_chr_ringbuf_read(Chardev *chr, uint8_t *buf, size_t len);
/* Pty: the slave's path ("/dev/pts/N"). */
const char *qemu_chr_pty_path(Chardev *chr);
/* Socket: whether a peer is connected now. */
bool qemu_chr_socket_connected(Chardev *chr);
/* The mux escape character: Ctrl-A, as QEMU's default term_escape_char. */
#define CHR_MUX_ESCAPE 0x01
/* Index of the mux front end with focus, or -1 (chr must be a mux). */
int qemu_chr_mux_focus(Chardev *chr);

void chardev_register_types(void);

#endif
