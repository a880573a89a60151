/*
 * Random number generator backends for -object rng-random / rng-builtin,
 * the entropy sources of virtio-rng; QEMU 7.2's include/sysemu/rng.h,
 * backends/rng.c, rng-random.c, rng-builtin.c.
 */
#ifndef SYSTEM_RNG_H
#define SYSTEM_RNG_H

#include "system/object-add.h"

#define TYPE_RNG_BACKEND "rng-backend"
#define TYPE_RNG_RANDOM "rng-random"
#define TYPE_RNG_BUILTIN "rng-builtin"

typedef struct RngBackend {
    Object parent_obj;
    bool opened;
} RngBackend;

typedef struct RngBackendClass {
    UserCreatableClass parent_class;
    bool (*open)(RngBackend *rng, Error **errp);
    /*
     * Up to len bytes without blocking: the count, 0 if none now, -1 on
     * an error (errno) or at end of file (errno 0).
     */
    ssize_t (*read)(RngBackend *rng, void *buf, size_t len);
    int (*get_fd)(RngBackend *rng);
} RngBackendClass;

typedef struct RngRandom {
    RngBackend parent_obj;
    char *filename;
    int fd;
} RngRandom;

#define RNG_BACKEND(obj) OBJECT_CHECK(RngBackend, (obj), TYPE_RNG_BACKEND)
#define RNG_BACKEND_CLASS(klass) \
    OBJECT_CLASS_CHECK(RngBackendClass, (klass), TYPE_RNG_BACKEND)
#define RNG_BACKEND_GET_CLASS(obj) \
    OBJECT_GET_CLASS(RngBackendClass, (obj), TYPE_RNG_BACKEND)
#define RNG_RANDOM(obj) OBJECT_CHECK(RngRandom, (obj), TYPE_RNG_RANDOM)

void rng_register_types(void);

/* A device's rng= link: the backend or "Device 'ID' not found"-style. */
RngBackend *rng_backend_find(const char *id, Error **errp);
/*
 * Entropy without blocking: bytes read, 0 when none is ready yet, -1 on
 * an error (errno set) or at the end of the source (errno 0).
 */
ssize_t rng_backend_read(RngBackend *rng, void *buf, size_t len);
/* The fd to poll for readiness, or -1 when reads never wait. */
int rng_backend_get_fd(RngBackend *rng);

#endif
