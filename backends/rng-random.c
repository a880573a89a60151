/*
 * rng-random: entropy read from a host file or device (default
 * /dev/urandom), opened non-blocking when the object is created.
 *
 * Matches QEMU 7.2's backends/rng-random.c.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/rng.h"

static bool check_filename(Object *obj, const Property *prop,
                           const void *value, Error **errp)
{
    if (RNG_BACKEND(obj)->opened) {
        error_setg(errp, "Property 'filename' can no longer be set");
        return false;
    }
    return true;
}

/* QEMU's help shows no description for it */
static const Property rng_random_properties[] = {
    { .name = "filename", .info = &prop_info_string,
      .offset = offsetof(RngRandom, filename), .has_default = true,
      .defval.s = "/dev/urandom", .check = check_filename },
    { .name = NULL }
};

static bool rng_random_open(RngBackend *rng, Error **errp)
{
    RngRandom *s = RNG_RANDOM(rng);

    if (!s->filename) {
        error_setg(errp, "Parameter 'filename' expects a valid filename");
        return false;
    }
    s->fd = open(s->filename, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (s->fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", s->filename);
        return false;
    }
    return true;
}

static ssize_t rng_random_read(RngBackend *rng, void *buf, size_t len)
{
    ssize_t n = read(RNG_RANDOM(rng)->fd, buf, len);

    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return 0;
    }
    if (n == 0) {
        /* end of file: nothing will come (a drained pipe or file) */
        errno = 0;
        return -1;
    }
    return n;
}

static int rng_random_get_fd(RngBackend *rng)
{
    return RNG_RANDOM(rng)->fd;
}

static void rng_random_instance_init(Object *obj)
{
    RNG_RANDOM(obj)->fd = -1;
}

static void rng_random_finalize(Object *obj)
{
    RngRandom *s = RNG_RANDOM(obj);

    if (s->fd >= 0) {
        close(s->fd);
    }
}

static void rng_random_class_init(ObjectClass *klass, void *data)
{
    RngBackendClass *rc = RNG_BACKEND_CLASS(klass);

    rc->open = rng_random_open;
    rc->read = rng_random_read;
    rc->get_fd = rng_random_get_fd;
    object_class_add_properties(klass, rng_random_properties);
}

static const TypeInfo rng_random_info = {
    .name = TYPE_RNG_RANDOM,
    .parent = TYPE_RNG_BACKEND,
    .instance_size = sizeof(RngRandom),
    .instance_init = rng_random_instance_init,
    .instance_finalize = rng_random_finalize,
    .class_init = rng_random_class_init,
};

void rng_random_register_types(void);

void rng_random_register_types(void)
{
    type_register_static(&rng_random_info);
}
