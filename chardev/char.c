/*
 * Character device core: -chardev creation, the legacy -serial syntax, the
 * id namespace and the main-loop input watch.
 * Matches QEMU 7.2 chardev/char.c (qemu_chr_new_from_opts,
 * qemu_chr_parse_compat, qemu_chardev_opts, char_get_class, qemu_char_open)
 * and chardev/char-fd.c (fd_chr_read: never more than the front end's
 * can_read).
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include "chardev-internal.h"

#define CHARDEV_NS "chardevs"

/* Backends we implement, in the order QEMU 7.2 lists them for "help". */
static const char *const chardev_backend_names[] = {
    "stdio", "ringbuf", "mux", "pipe", "null", "socket", "udp", "memory",
    "file", "pty",
};

QemuOptsList qemu_chardev_opts = {
    .name = "chardev",
    .implied_opt_name = "backend",
    /*
     * QEMU's full key list: keys of backends we lack are accepted and
     * ignored, as QEMU ignores keys another backend would use.
     * "input-path" is absent on purpose: QEMU 7.2 rejects it
     * ("Invalid parameter 'input-path'") on Linux builds.
     */
    .desc = {
        { .name = "backend", .type = QEMU_OPT_STRING },
        { .name = "path", .type = QEMU_OPT_STRING },
        { .name = "host", .type = QEMU_OPT_STRING },
        { .name = "port", .type = QEMU_OPT_STRING },
        { .name = "fd", .type = QEMU_OPT_STRING },
        { .name = "localaddr", .type = QEMU_OPT_STRING },
        { .name = "localport", .type = QEMU_OPT_STRING },
        { .name = "to", .type = QEMU_OPT_NUMBER },
        { .name = "ipv4", .type = QEMU_OPT_BOOL },
        { .name = "ipv6", .type = QEMU_OPT_BOOL },
        { .name = "wait", .type = QEMU_OPT_BOOL },
        { .name = "server", .type = QEMU_OPT_BOOL },
        { .name = "delay", .type = QEMU_OPT_BOOL },
        { .name = "nodelay", .type = QEMU_OPT_BOOL },
        { .name = "reconnect", .type = QEMU_OPT_NUMBER },
        { .name = "telnet", .type = QEMU_OPT_BOOL },
        { .name = "tn3270", .type = QEMU_OPT_BOOL },
        { .name = "tls-creds", .type = QEMU_OPT_STRING },
        { .name = "tls-authz", .type = QEMU_OPT_STRING },
        { .name = "websocket", .type = QEMU_OPT_BOOL },
        { .name = "width", .type = QEMU_OPT_NUMBER },
        { .name = "height", .type = QEMU_OPT_NUMBER },
        { .name = "cols", .type = QEMU_OPT_NUMBER },
        { .name = "rows", .type = QEMU_OPT_NUMBER },
        { .name = "mux", .type = QEMU_OPT_BOOL },
        { .name = "signal", .type = QEMU_OPT_BOOL },
        { .name = "name", .type = QEMU_OPT_STRING },
        { .name = "debug", .type = QEMU_OPT_NUMBER },
        { .name = "size", .type = QEMU_OPT_SIZE },
        { .name = "chardev", .type = QEMU_OPT_STRING },
        { .name = "append", .type = QEMU_OPT_BOOL },
        { .name = "logfile", .type = QEMU_OPT_STRING },
        { .name = "logappend", .type = QEMU_OPT_BOOL },
        { .name = "mouse", .type = QEMU_OPT_BOOL },
        { .name = "clipboard", .type = QEMU_OPT_BOOL },
        { .name = "tight", .type = QEMU_OPT_BOOL, .def_value_str = "on" },
        { .name = "abstract", .type = QEMU_OPT_BOOL },
        { /* end of list */ }
    },
};

/* Every chardev created, so that teardown can close them all. */
static GPtrArray *chardev_list;

static bool chr_is_help_option(const char *s)
{
    return s && (!strcmp(s, "help") || !strcmp(s, "?"));
}

int qemu_chr_fd_write(int fd, const uint8_t *buf, int len)
{
    int done = 0;

    while (done < len) {
        ssize_t r = write(fd, buf + done, len - done);

        if (r > 0) {
            done += r;
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (done) {
            break;
        } else {
            return -1;
        }
    }
    return done;
}

/*
 * The logfile= copy: a regular file we opened, so a write may wait for
 * the disk but never for a reader (QEMU's qemu_chr_write_log).
 */
static void chr_write_log(Chardev *chr, const uint8_t *buf, int len)
{
    while (len > 0) {
        ssize_t r = write(chr->logfd, buf, len);

        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return;
        }
        buf += r;
        len -= r;
    }
}

/* ---- Input watch ------------------------------------------------------- */

void qemu_chr_stop_input(Chardev *chr)
{
    if (chr->input_source) {
        g_source_destroy(chr->input_source);
        g_source_unref(chr->input_source);
        chr->input_source = NULL;
    }
}

int qemu_chr_be_can_write(Chardev *chr)
{
    CharBackend *be = chr->be;

    if (!be || !be->read || !be->can_read) {
        return 0;
    }
    return be->can_read(be->opaque);
}

void qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len)
{
    CharBackend *be = chr->be;

    if (be && be->read && len > 0) {
        be->read(be->opaque, buf, len);
    }
}

void qemu_chr_be_event(Chardev *chr, QEMUChrEvent event)
{
    CharBackend *be = chr->be;

    if (event == CHR_EVENT_OPENED) {
        chr->be_open = true;
    } else if (event == CHR_EVENT_CLOSED) {
        chr->be_open = false;
    }
    if (be && be->event) {
        be->event(be->opaque, event);
    }
}

int qemu_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    int ret;

    if (len <= 0) {
        return 0;
    }
    ret = CHARDEV_GET_CLASS(chr)->write(chr, buf, len);
    /*
     * As qemu_chr_write_buffer: the log gets what went out, or all of it
     * when the backend lost it; a later retry logs the rest.
     */
    if (chr->logfd >= 0) {
        if (ret > 0) {
            chr_write_log(chr, buf, ret);
        } else if (ret < 0 && errno != EAGAIN) {
            int saved = errno;

            chr_write_log(chr, buf, len);
            errno = saved;
        }
    }
    return ret;
}

GSource *qemu_chr_add_watch(Chardev *chr, GIOCondition cond)
{
    ChardevClass *cc = CHARDEV_GET_CLASS(chr);

    if (cc->add_watch) {
        return cc->add_watch(chr, cond);
    }
    return chr->out_fd >= 0 ? g_unix_fd_source_new(chr->out_fd, cond)
                            : NULL;
}

/* One read of at most can_read bytes; false when the watch must stop. */
static bool chr_read_input(Chardev *chr)
{
    uint8_t buf[4096];
    int room = qemu_chr_be_can_write(chr);
    ssize_t r;

    if (room <= 0) {
        return false;
    }
    if (CHARDEV_GET_CLASS(chr)->read) {
        r = CHARDEV_GET_CLASS(chr)->read(chr, buf,
                                         MIN((size_t)room, sizeof(buf)));
    } else {
        r = read(chr->in_fd, buf, MIN((size_t)room, sizeof(buf)));
    }
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) {
        return true;
    }
    if (r <= 0) {
        ChardevClass *cc = CHARDEV_GET_CLASS(chr);

        qemu_chr_stop_input(chr);
        if (cc->input_closed) {
            /* A socket or pty goes back to waiting for its peer. */
            cc->input_closed(chr);
        } else {
            /* EOF or error: QEMU's fd chardev drops the watch for good. */
            chr->in_eof = true;
        }
        return false;
    }
    qemu_chr_be_write(chr, buf, r);
    return qemu_chr_be_can_write(chr) > 0;
}

static gboolean chr_input_ready(gint fd, GIOCondition cond, gpointer opaque)
{
    Chardev *chr = opaque;
    GSource *self = g_main_current_source();

    if (!chr_read_input(chr)) {
        /* The front end may have replaced the watch meanwhile: keep that. */
        if (chr->input_source == self) {
            qemu_chr_stop_input(chr);
        }
        return G_SOURCE_REMOVE;
    }
    /* The front end may have stopped or replaced it while taking input. */
    return chr->input_source == self ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

void qemu_chr_update_input(Chardev *chr)
{
    bool want = chr->in_fd >= 0 && !chr->in_eof &&
                qemu_chr_be_can_write(chr) > 0;

    if (!want) {
        qemu_chr_stop_input(chr);
        return;
    }
    if (chr->input_source) {
        return;
    }
    chr->input_source = g_unix_fd_source_new(chr->in_fd,
                                             G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(chr->input_source,
                          (GSourceFunc)(void (*)(void))chr_input_ready,
                          chr, NULL);
    g_source_attach(chr->input_source, NULL);
}

/* ---- The abstract type ------------------------------------------------- */

static void char_instance_init(Object *obj)
{
    Chardev *chr = CHARDEV(obj);

    chr->in_fd = -1;
    chr->out_fd = -1;
    chr->logfd = -1;
}

static void char_instance_finalize(Object *obj)
{
    Chardev *chr = CHARDEV(obj);
    ChardevClass *cc = CHARDEV_GET_CLASS(chr);

    qemu_chr_stop_input(chr);
    if (chr->be) {
        chr->be->chr = NULL;
        chr->be = NULL;
    }
    if (cc->close) {
        cc->close(chr);
    }
    if (chr->logfd >= 0) {
        close(chr->logfd);
    }
    if (chardev_list) {
        g_ptr_array_remove(chardev_list, chr);
    }
    g_free(chr->label);
}

static int char_null_write(Chardev *chr, const uint8_t *buf, int len)
{
    return len;
}

static void char_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = (ChardevClass *)oc;

    cc->write = char_null_write;
}

static const TypeInfo char_type_info = {
    .name = TYPE_CHARDEV,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Chardev),
    .instance_init = char_instance_init,
    .instance_finalize = char_instance_finalize,
    .abstract = true,
    .class_size = sizeof(ChardevClass),
    .class_init = char_class_init,
};

void chardev_register_types(void)
{
    type_register_static(&char_type_info);
    char_null_register_types();
    char_file_register_types();
    char_stdio_register_types();
    char_mux_register_types();
    char_pipe_register_types();
    char_pty_register_types();
    char_ringbuf_register_types();
    char_socket_register_types();
    char_udp_register_types();
}

/* ---- Creation ---------------------------------------------------------- */

/* QEMU 7.2's other chardev backends: later issues implement them. */
static bool chr_is_later_backend(const char *driver)
{
    static const char *const later[] = {
        "serial", "tty", "parallel", "parport", "vc", "msmouse", "wctablet",
        "braille", "testdev", "spicevmc", "spiceport", "qemu-vdagent",
        "dbus",
    };

    for (size_t i = 0; i < ARRAY_SIZE(later); i++) {
        if (strcmp(driver, later[i]) == 0) {
            return true;
        }
    }
    return false;
}

static ObjectClass *chr_get_class(const char *driver, Error **errp)
{
    g_autofree char *typename = g_strdup_printf("chardev-%s", driver);
    ObjectClass *oc = object_class_by_name(typename);

    if (!oc && chr_is_later_backend(driver)) {
        error_setg(errp, "chardev backend '%s' is not supported by "
                   "microqemu yet", driver);
        return NULL;
    }
    if (!oc || !object_class_dynamic_cast(oc, TYPE_CHARDEV) ||
        object_class_is_abstract(oc)) {
        error_setg(errp, "'%s' is not a valid char driver name", driver);
        return NULL;
    }
    return oc;
}

static void chr_print_backends(void)
{
    GString *str = g_string_new("");

    for (size_t i = 0; i < ARRAY_SIZE(chardev_backend_names); i++) {
        g_string_append_printf(str, "\n  %s", chardev_backend_names[i]);
    }
    printf("Available chardev backend types: %s\n", str->str);
    g_string_free(str, true);
}

/* QEMU's qemu_chardev_set_up(): the logfile is opened before the backend. */
static bool chr_open_logfile(Chardev *chr, QemuOpts *opts, Error **errp)
{
    const char *logfile = qemu_opt_get(opts, "logfile");
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC;

    if (!logfile) {
        return true;
    }
    flags |= qemu_opt_get_bool(opts, "logappend", false) ? O_APPEND : O_TRUNC;
    chr->logfd = open(logfile, flags, 0666);
    if (chr->logfd < 0) {
        error_setg_errno(errp, errno, "Could not create '%s'", logfile);
        return false;
    }
    return true;
}

/* Creates, opens and registers one chardev of class oc under id. */
static Chardev *chr_create(ObjectClass *oc, const char *id, QemuOpts *opts,
                           bool with_log, Error **errp)
{
    ChardevClass *cc = (ChardevClass *)oc;
    Chardev *chr;

    if (object_find_by_id(CHARDEV_NS, id)) {
        /*
         * Checked before opening anything (a bound socket). QemuOpts
         * catches a repeated -chardev id earlier; what gets here is a mux's
         * "ID-base" taken, where QEMU's object tree speaks.
         */
        error_setg(errp, "attempt to add duplicate property '%s' to object "
                   "(type 'container')", id);
        return NULL;
    }
    chr = CHARDEV(object_new_with_class(oc));
    chr->label = g_strdup(id);
    if (!chardev_list) {
        chardev_list = g_ptr_array_new();
    }
    g_ptr_array_add(chardev_list, chr);

    /* QEMU's be_opened: open unless the backend waits for a peer */
    chr->be_open = true;
    if ((with_log && !chr_open_logfile(chr, opts, errp)) ||
        (cc->open && !cc->open(chr, opts, errp))) {
        object_unref(OBJECT(chr));
        return NULL;
    }
    if (!object_add_with_id(CHARDEV_NS, id, OBJECT(chr), errp)) {
        object_unref(OBJECT(chr));
        return NULL;
    }
    chr->registered = true;
    /* The namespace holds the reference now. */
    object_unref(OBJECT(chr));
    return chr;
}

Chardev *qemu_chr_new_from_opts(QemuOpts *opts, Error **errp)
{
    const char *backend = qemu_opt_get(opts, "backend");
    const char *id = qemu_opts_id(opts);
    g_autofree char *base_id = NULL;
    ObjectClass *oc;
    ChardevClass *cc;
    Chardev *chr, *mux;
    QemuOpts *mux_opts;

    if (chr_is_help_option(backend)) {
        chr_print_backends();
        return NULL;
    }
    if (!id) {
        error_setg(errp, "chardev: no id specified");
        return NULL;
    }
    if (!backend) {
        error_setg(errp, "chardev: \"%s\" missing backend", id);
        return NULL;
    }
    oc = chr_get_class(backend, errp);
    if (!oc) {
        return NULL;
    }
    cc = (ChardevClass *)oc;
    if (cc->parse && !cc->parse(opts, errp)) {
        return NULL;
    }
    if (!qemu_opt_get_bool(opts, "mux", false)) {
        return chr_create(oc, id, opts, true, errp);
    }

    /* mux=on: the backend becomes "ID-base" and a mux takes the id. */
    base_id = g_strdup_printf("%s-base", id);
    chr = chr_create(oc, base_id, opts, true, errp);
    if (!chr) {
        return NULL;
    }
    mux_opts = qemu_opts_create(&qemu_chardev_opts, NULL, false, NULL);
    qemu_opt_set(mux_opts, "chardev", base_id, NULL);
    mux = chr_create(object_class_by_name("chardev-mux"), id, mux_opts,
                     false, errp);
    qemu_opts_del(mux_opts);
    if (!mux) {
        qemu_chr_delete(chr);
    }
    return mux;
}

/* QEMU's "HOST:PORT" / ":PORT" pieces of the tcp: and udp: forms. */
static bool chr_parse_host_port(const char **p, const char *stops,
                                char **host, char **port)
{
    const char *s = *p;
    const char *colon = strchr(s, ':');
    size_t plen;

    if (!colon || colon - s > 64) {
        return false;
    }
    plen = strcspn(colon + 1, stops);
    if (plen == 0 || plen > 32) {
        return false;
    }
    *host = g_strndup(s, colon - s);
    *port = g_strndup(colon + 1, plen);
    *p = colon + 1 + plen;
    return true;
}

static int chr_copy_opt(void *opaque, const char *name, const char *value,
                        Error **errp)
{
    return qemu_opt_set(opaque, name, value, errp) ? 0 : -1;
}

/*
 * QEMU's qemu_opts_do_parse(opts, params, implied): adds "KEY=VALUE,..."
 * to opts, a first element without '=' being the value of implied.
 */
static bool chr_opts_do_parse(QemuOpts *opts, const char *params,
                              const char *implied, Error **errp)
{
    size_t first = strcspn(params, ",");
    g_autofree char *full = NULL;
    QemuOpts *tmp;
    int ret;

    if (implied && !memchr(params, '=', first)) {
        full = g_strdup_printf("%s=%s", implied, params);
    } else {
        full = g_strdup(params);
    }
    tmp = qemu_opts_parse(&qemu_chardev_opts, full, false, errp);
    if (!tmp) {
        return false;
    }
    ret = qemu_opt_foreach(tmp, chr_copy_opt, opts, errp);
    qemu_opts_del(tmp);
    return ret == 0;
}

/* The part of qemu_chr_parse_compat after "tcp:" and friends. */
static bool chr_parse_compat_net(QemuOpts *opts, const char *filename)
{
    static const char *const stream[] = {
        "tcp:", "telnet:", "tn3270:", "websocket:",
    };
    g_autofree char *host = NULL, *port = NULL;
    g_autofree char *lhost = NULL, *lport = NULL;
    const char *p;
    Error *err = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(stream); i++) {
        if (!g_str_has_prefix(filename, stream[i])) {
            continue;
        }
        p = filename + strlen(stream[i]);
        if (!chr_parse_host_port(&p, ",", &host, &port)) {
            return false;
        }
        qemu_opt_set(opts, "backend", "socket", NULL);
        qemu_opt_set(opts, "host", host, NULL);
        qemu_opt_set(opts, "port", port, NULL);
        if (*p == ',' && !chr_opts_do_parse(opts, p + 1, NULL, &err)) {
            error_report_err(err);
            return false;
        }
        if (i > 0) {
            /* "telnet" -> telnet=on, and so on. */
            g_autofree char *key = g_strndup(stream[i],
                                             strlen(stream[i]) - 1);
            qemu_opt_set(opts, key, "on", NULL);
        }
        return true;
    }
    if (g_str_has_prefix(filename, "udp:")) {
        p = filename + strlen("udp:");
        qemu_opt_set(opts, "backend", "udp", NULL);
        if (!chr_parse_host_port(&p, "@,", &host, &port)) {
            return false;
        }
        qemu_opt_set(opts, "host", host, NULL);
        qemu_opt_set(opts, "port", port, NULL);
        if (*p == '@') {
            p++;
            if (!chr_parse_host_port(&p, ",", &lhost, &lport)) {
                return false;
            }
            qemu_opt_set(opts, "localaddr", lhost, NULL);
            qemu_opt_set(opts, "localport", lport, NULL);
        }
        return true;
    }
    if (g_str_has_prefix(filename, "unix:")) {
        qemu_opt_set(opts, "backend", "socket", NULL);
        if (!chr_opts_do_parse(opts, filename + strlen("unix:"), "path",
                               &err)) {
            error_report_err(err);
            return false;
        }
        return true;
    }
    return false;
}

/*
 * QEMU's qemu_chr_parse_compat(). Returns 1 when parsed, 0 when the
 * spec is not a known form ("'%s' is not a valid char driver"), -1 when a
 * known form is malformed (QEMU then prints nothing more of its own).
 */
static int chr_parse_compat(QemuOpts *opts, const char *filename)
{
    static const char *const plain[] = {
        "null", "pty", "msmouse", "wctablet", "braille", "testdev", "stdio",
    };
    static const struct {
        const char *prefix;
        const char *backend;
    } with_path[] = {
        { "file:", "file" }, { "pipe:", "pipe" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(plain); i++) {
        if (!strcmp(filename, plain[i])) {
            qemu_opt_set(opts, "backend", filename, NULL);
            return 1;
        }
    }
    if (g_str_has_prefix(filename, "vc")) {
        qemu_opt_set(opts, "backend", "vc", NULL);
        return 1;
    }
    if (g_str_has_prefix(filename, "COM")) {
        qemu_opt_set(opts, "backend", "serial", NULL);
        qemu_opt_set(opts, "path", filename, NULL);
        return 1;
    }
    for (size_t i = 0; i < ARRAY_SIZE(with_path); i++) {
        if (g_str_has_prefix(filename, with_path[i].prefix)) {
            qemu_opt_set(opts, "backend", with_path[i].backend, NULL);
            qemu_opt_set(opts, "path",
                         filename + strlen(with_path[i].prefix), NULL);
            return 1;
        }
    }
    if (g_str_has_prefix(filename, "tcp:") ||
        g_str_has_prefix(filename, "telnet:") ||
        g_str_has_prefix(filename, "tn3270:") ||
        g_str_has_prefix(filename, "websocket:") ||
        g_str_has_prefix(filename, "udp:") ||
        g_str_has_prefix(filename, "unix:")) {
        return chr_parse_compat_net(opts, filename) ? 1 : -1;
    }
    if (g_str_has_prefix(filename, "/dev/parport") ||
        g_str_has_prefix(filename, "/dev/ppi")) {
        qemu_opt_set(opts, "backend", "parallel", NULL);
        qemu_opt_set(opts, "path", filename, NULL);
        return 1;
    }
    if (g_str_has_prefix(filename, "/dev/")) {
        qemu_opt_set(opts, "backend", "serial", NULL);
        qemu_opt_set(opts, "path", filename, NULL);
        return 1;
    }
    return 0;
}

Chardev *qemu_chr_new(const char *label, const char *filename, Error **errp)
{
    QemuOpts *opts;
    Chardev *chr;
    int parsed;

    if (g_str_has_prefix(filename, "chardev:")) {
        return qemu_chr_find(filename + strlen("chardev:"));
    }
    opts = qemu_opts_create(&qemu_chardev_opts, label, true, errp);
    if (!opts) {
        return NULL;
    }
    if (g_str_has_prefix(filename, "mon:")) {
        filename += strlen("mon:");
        qemu_opt_set(opts, "mux", "on", NULL);
        /* As QEMU: ^C goes to the guest rather than killing us. */
        if (!strcmp(filename, "stdio")) {
            qemu_opt_set(opts, "signal", "off", NULL);
        }
    }
    parsed = chr_parse_compat(opts, filename);
    if (parsed <= 0) {
        if (parsed == 0) {
            error_setg(errp, "'%s' is not a valid char driver", filename);
        }
        qemu_opts_del(opts);
        return NULL;
    }
    chr = qemu_chr_new_from_opts(opts, errp);
    qemu_opts_del(opts);
    return chr;
}

Chardev *qemu_chr_find(const char *id)
{
    Object *obj = object_find_by_id(CHARDEV_NS, id);

    return obj ? CHARDEV(obj) : NULL;
}

Chardev *qemu_chr_find_for_property(const char *type, const char *prop,
                                    const char *id, Error **errp)
{
    Chardev *chr = qemu_chr_find(id);

    if (!chr) {
        error_setg(errp, "Property '%s.%s' can't find value '%s'",
                   type, prop, id);
    }
    return chr;
}

Object *qemu_chr_resolve_link(const char *id, Error **errp)
{
    Chardev *chr = qemu_chr_find(id);

    if (!chr) {
        error_setg(errp, "Chardev '%s' not found", id);
        return NULL;
    }
    return OBJECT(chr);
}

void qemu_chr_delete(Chardev *chr)
{
    if (chr->registered) {
        chr->registered = false;
        /* Drops the namespace's reference: finalize closes the fds. */
        object_remove_id(CHARDEV_NS, chr->label);
    }
}

void qemu_chr_close_all(void)
{
    while (chardev_list && chardev_list->len) {
        Chardev *chr = g_ptr_array_steal_index(chardev_list, 0);

        qemu_chr_delete(chr);
    }
    qemu_chr_restore_terminal();
}
