/*
 * virtio-rng-device: entropy for the guest (virtio 1.2, 5.4; QEMU 7.2
 * hw/virtio/virtio-rng.c).
 */
#ifndef HW_VIRTIO_VIRTIO_RNG_H
#define HW_VIRTIO_VIRTIO_RNG_H

#include "hw/virtio/virtio.h"
#include "qemu/timer.h"
#include "system/rng.h"
#include "system/runstate.h"

#define TYPE_VIRTIO_RNG "virtio-rng-device"
#define VIRTIO_ID_RNG 4

typedef struct VirtIORNG {
    VirtIODevice parent_obj;
    /* Properties */
    uint64_t max_bytes;     /* per period; QEMU's default INT64_MAX */
    uint32_t period_ms;
    Object *rng_link;       /* rng=ID, or NULL: a private rng-builtin */
    /* State */
    RngBackend *rng;
    Object *default_backend;
    VirtQueue *vq;
    int64_t quota_remaining;
    bool activate_timer;
    QEMUTimer *rate_limit_timer;
    unsigned fd_watch;      /* waiting for a backend that had nothing */
    VMChangeStateEntry *vmstate;
} VirtIORNG;

#define VIRTIO_RNG(obj) OBJECT_CHECK(VirtIORNG, (obj), TYPE_VIRTIO_RNG)

void virtio_rng_register_types(void);

#endif
