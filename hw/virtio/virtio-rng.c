/*
 * virtio-rng-device (virtio 1.2, 5.4), as QEMU 7.2's
 * hw/virtio/virtio-rng.c: one request queue of 8; each request's
 * device-writable buffers are filled from the rng backend (rng=ID, or a
 * private rng-builtin), at most max-bytes per period milliseconds of
 * virtual time; past the quota requests wait for the next period.
 *
 * The backend is read without blocking. When it has nothing (an
 * rng-random file that would block), the device waits for its fd in the
 * main loop, as QEMU's rng-random does with its fd handler.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/virtio/virtio-rng.h"
#include "system/main-loop.h"
#include <glib-unix.h>

#define VIRTIO_RNG_QUEUE_SIZE 8

static void virtio_rng_process(VirtIORNG *vrng);

/* QEMU's is_guest_ready */
static bool virtio_rng_guest_ready(VirtIORNG *vrng)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(vrng);

    return virtio_queue_ready(vrng->vq) &&
           (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK);
}

static gboolean virtio_rng_backend_ready(gint fd, GIOCondition cond,
                                         gpointer opaque);

/*
 * Reads into one request's device-writable buffers, in order, up to want
 * bytes: the bytes read. A short read ends the request; *more is cleared
 * when the backend gave nothing (nothing yet: *wait set; end of file or
 * an error).
 */
static size_t virtio_rng_read_into(VirtIORNG *vrng, VirtQueueElement *elem,
                                   size_t want, bool *more, bool *wait)
{
    size_t len = 0;

    for (unsigned i = 0; i < elem->in_num && len < want; i++) {
        size_t chunk = MIN(elem->in_sg[i].iov_len, want - len);
        ssize_t n = rng_backend_read(vrng->rng, elem->in_sg[i].iov_base,
                                     chunk);

        if (n < 0 && errno) {
            error_report("virtio-rng: entropy backend read failed: %s",
                         strerror(errno));
        }
        if (n <= 0) {
            *more = false;
            *wait = n == 0;
            break;
        }
        len += n;
        if (n < (ssize_t)chunk) {
            break;      /* a short read: this request gets what came */
        }
    }
    return len;
}

/*
 * QEMU's rng_backend_request_entropy + chr_read: size bytes of entropy
 * go to as many requests as they fill, each pushed with what it got.
 * The backend writes straight into the guest's buffers, so nothing the
 * size of a guest request is ever allocated. Returns whether to look at
 * the queue again (everything asked for came, requests are left).
 */
static bool virtio_rng_fill(VirtIORNG *vrng, size_t size)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(vrng);
    bool more = true, wait = false;
    size_t done = 0;

    if (!runstate_is_running()) {
        return false;
    }
    while (more && done < size) {
        VirtQueueElement *elem = virtqueue_pop(vrng->vq, sizeof(*elem));
        size_t len;

        if (!elem) {
            break;
        }
        len = virtio_rng_read_into(vrng, elem, size - done, &more, &wait);
        if (len) {
            virtqueue_push(vrng->vq, elem, len);
        } else {
            virtqueue_unpop(vrng->vq, elem);
        }
        g_free(elem);
        done += len;
    }
    vrng->quota_remaining -= done;
    if (done) {
        virtio_notify(vdev, vrng->vq);
    }
    if (wait && !vrng->fd_watch && rng_backend_get_fd(vrng->rng) >= 0) {
        vrng->fd_watch = main_loop_fd_add(rng_backend_get_fd(vrng->rng),
                                          G_IO_IN, virtio_rng_backend_ready,
                                          vrng);
    }
    return more && done && !virtio_queue_empty(vrng->vq);
}

static gboolean virtio_rng_backend_ready(gint fd, GIOCondition cond,
                                         gpointer opaque)
{
    VirtIORNG *vrng = opaque;

    vrng->fd_watch = 0;
    virtio_rng_process(vrng);
    return G_SOURCE_REMOVE;
}

/* QEMU's virtio_rng_process (its recursion through chr_read a loop) */
static void virtio_rng_process(VirtIORNG *vrng)
{
    unsigned quota, size;

    do {
        if (!virtio_rng_guest_ready(vrng)) {
            return;
        }
        if (vrng->activate_timer) {
            int64_t now_ms = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) / SCALE_MS;

            timer_mod(vrng->rate_limit_timer,
                      (now_ms + vrng->period_ms) * SCALE_MS);
            vrng->activate_timer = false;
        }
        quota = vrng->quota_remaining < 0 ? 0 :
                MIN((uint64_t)vrng->quota_remaining, UINT32_MAX);
        virtqueue_get_avail_bytes(vrng->vq, &size, NULL, quota, 0);
        size = MIN((uint64_t)MAX(vrng->quota_remaining, 0), size);
    } while (size && virtio_rng_fill(vrng, size));
}

static void virtio_rng_handle_input(VirtIODevice *vdev, VirtQueue *vq)
{
    virtio_rng_process(VIRTIO_RNG(vdev));
}

/* QEMU's check_rate_limit: a new period, a new quota. */
static void virtio_rng_rate_limit(void *opaque)
{
    VirtIORNG *vrng = opaque;

    vrng->quota_remaining = vrng->max_bytes;
    virtio_rng_process(vrng);
    vrng->activate_timer = true;
}

static void virtio_rng_set_status(VirtIODevice *vdev, uint8_t status)
{
    if (!runstate_is_running()) {
        return;
    }
    vdev->status = status;
    virtio_rng_process(VIRTIO_RNG(vdev));
}

/* Requests left waiting while the VM was stopped are served on resume. */
static void virtio_rng_vm_state_change(void *opaque, bool running,
                                       RunState state)
{
    VirtIORNG *vrng = opaque;

    if (running && virtio_rng_guest_ready(vrng)) {
        virtio_rng_process(vrng);
    }
}

static void virtio_rng_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIORNG *vrng = VIRTIO_RNG(vdev);

    if (vrng->period_ms == 0) {
        error_setg(errp, "'period' parameter expects a positive integer");
        return;
    }
    if (vrng->max_bytes > INT64_MAX) {
        error_setg(errp, "'max-bytes' parameter must be non-negative, "
                   "and less than 2^63");
        return;
    }
    if (vrng->rng_link) {
        vrng->rng = RNG_BACKEND(vrng->rng_link);
    } else {
        vrng->default_backend = object_new(TYPE_RNG_BUILTIN);
        if (!user_creatable_complete(vrng->default_backend, errp)) {
            g_clear_pointer(&vrng->default_backend, object_unref);
            return;
        }
        vrng->rng = RNG_BACKEND(vrng->default_backend);
    }
    virtio_init(vdev, VIRTIO_ID_RNG, 0);
    vrng->vq = virtio_add_queue(vdev, VIRTIO_RNG_QUEUE_SIZE,
                                virtio_rng_handle_input);
    vrng->quota_remaining = vrng->max_bytes;
    vrng->rate_limit_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                          virtio_rng_rate_limit, vrng);
    vrng->activate_timer = true;
    vrng->vmstate = qemu_add_vm_change_state_handler(
        virtio_rng_vm_state_change, vrng);
}

static void virtio_rng_unrealize(VirtIODevice *vdev)
{
    VirtIORNG *vrng = VIRTIO_RNG(vdev);

    if (vrng->fd_watch) {
        g_source_remove(vrng->fd_watch);
        vrng->fd_watch = 0;
    }
    qemu_del_vm_change_state_handler(vrng->vmstate);
    g_clear_pointer(&vrng->rate_limit_timer, timer_free);
    g_clear_pointer(&vrng->default_backend, object_unref);
}

/* QEMU 7.2's virtio_rng_properties (help shows no descriptions) */
static const Property virtio_rng_properties[] = {
    DEFINE_PROP_UINT64("max-bytes", VirtIORNG, max_bytes, INT64_MAX, NULL),
    DEFINE_PROP_UINT32("period", VirtIORNG, period_ms, 1 << 16, NULL),
    { .name = "rng", .info = &prop_info_link,
      .offset = offsetof(VirtIORNG, rng_link),
      .link_type = TYPE_RNG_BACKEND, .type_name = "link<rng-backend>" },
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_rng_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->categories = 1u << DEVICE_CATEGORY_MISC;
    dc->user_creatable = true;
    vdc->realize = virtio_rng_realize;
    vdc->unrealize = virtio_rng_unrealize;
    vdc->set_status = virtio_rng_set_status;
    object_class_add_properties(oc, virtio_rng_properties);
}

static const TypeInfo virtio_rng_info = {
    .name = TYPE_VIRTIO_RNG,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIORNG),
    .class_init = virtio_rng_class_init,
};

void virtio_rng_register_types(void)
{
    type_register_static(&virtio_rng_info);
}
