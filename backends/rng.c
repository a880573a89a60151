/*
 * rng-backend (abstract) and rng-builtin: entropy for virtio-rng.
 *
 * Matches QEMU 7.2's backends/rng.c (open at completion) and
 * backends/rng-builtin.c (the host's getrandom, never blocking).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/rng.h"

#include <sys/random.h>

static bool rng_backend_complete(Object *obj, Error **errp)
{
    RngBackend *rng = RNG_BACKEND(obj);
    RngBackendClass *rc = RNG_BACKEND_GET_CLASS(obj);

    if (rc->open && !rc->open(rng, errp)) {
        return false;
    }
    rng->opened = true;
    return true;
}

static void rng_backend_class_init(ObjectClass *klass, void *data)
{
    USER_CREATABLE_CLASS(klass)->complete = rng_backend_complete;
}

static const TypeInfo rng_backend_info = {
    .name = TYPE_RNG_BACKEND,
    .parent = TYPE_USER_CREATABLE,
    .abstract = true,
    .instance_size = sizeof(RngBackend),
    .class_size = sizeof(RngBackendClass),
    .class_init = rng_backend_class_init,
};

static ssize_t rng_builtin_read(RngBackend *rng, void *buf, size_t len)
{
    ssize_t n = getrandom(buf, len, GRND_NONBLOCK);

    if (n < 0 && errno == EAGAIN) {
        return 0;
    }
    return n;
}

static void rng_builtin_class_init(ObjectClass *klass, void *data)
{
    RNG_BACKEND_CLASS(klass)->read = rng_builtin_read;
}

static const TypeInfo rng_builtin_info = {
    .name = TYPE_RNG_BUILTIN,
    .parent = TYPE_RNG_BACKEND,
    .class_init = rng_builtin_class_init,
};

void rng_random_register_types(void);

void rng_register_types(void)
{
    type_register_static(&rng_backend_info);
    type_register_static(&rng_builtin_info);
    rng_random_register_types();
}

RngBackend *rng_backend_find(const char *id, Error **errp)
{
    Object *obj = object_find_by_id("objects", id);

    if (!obj || !object_dynamic_cast(obj, TYPE_RNG_BACKEND)) {
        error_setg(errp, "Device '%s' not found", id);
        return NULL;
    }
    return RNG_BACKEND(obj);
}

ssize_t rng_backend_read(RngBackend *rng, void *buf, size_t len)
{
    return RNG_BACKEND_GET_CLASS(rng)->read(rng, buf, len);
}

int rng_backend_get_fd(RngBackend *rng)
{
    RngBackendClass *rc = RNG_BACKEND_GET_CLASS(rng);

    return rc->get_fd ? rc->get_fd(rng) : -1;
}
