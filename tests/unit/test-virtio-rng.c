/*
 * virtio-rng-device (QEMU 7.2 hw/virtio/virtio-rng.c) on fake guest
 * memory, driven through the virtio core as a transport would: requests
 * filled from rng-builtin, the max-bytes/period quota on the manual
 * virtual clock, an rng-random source that has nothing yet (served when
 * its fd becomes readable), properties and realize errors.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-rng.h"
#include "system/main-loop.h"
#include "system/object-add.h"
#include <sys/stat.h>
#include "virtio-test-ring.h"

#define RAM_SIZE    (1 << 20)
#define SLOT        0x1000
#define QSIZE       8

static TestRing rq;
static unsigned notifies;

static void rng_test_notify(DeviceState *transport)
{
    notifies++;
}

static const VirtioBusOps rng_test_bus_ops = {
    .notify = rng_test_notify,
};

/* The i-th buffer offered since the driver set the queue up */
static uint8_t *buf_at(unsigned i)
{
    return test_ram + rq.bufs + SLOT * i;
}

static uint32_t used_len(unsigned i)
{
    return test_get32(rq.used + 4 + 8 * i + 4);
}

static uint16_t used_idx(void)
{
    return test_ring_used_idx(&rq);
}

/* The guest offers its i-th device-writable buffer, of len bytes. */
static void offer(unsigned i, uint32_t len)
{
    g_assert_cmpuint(rq.buf_next, ==, i);
    test_ring_offer_in(&rq, len);
}

static bool all_zero(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

static void setup(void)
{
    test_ram_init(RAM_SIZE, &rng_test_bus_ops);
    notifies = 0;
}

static void teardown(void)
{
    qdev_unrealize_all();
    test_ram_cleanup();
}

/* A realized device with props ("name=value" pairs), NULL-terminated. */
static VirtIORNG *rng_new(const char *const *props, Error **errp)
{
    VirtIORNG *vrng = VIRTIO_RNG(object_new(TYPE_VIRTIO_RNG));

    for (; props && props[0]; props += 2) {
        g_assert_true(object_property_parse(OBJECT(vrng), props[0],
                                            props[1], &error_abort));
    }
    DEVICE(vrng)->parent_bus = &test_vbus.bus;
    if (!qdev_realize_and_unref(DEVICE(vrng), errp)) {
        return NULL;
    }
    return vrng;
}

/* The driver's handshake and queue 0 set up (modern layout). */
static void driver_ready(VirtIORNG *vrng)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(vrng);

    virtio_reset(vdev);
    virtio_set_features(vdev, vdev->host_features);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    test_ring_init(&rq, vdev, 0, 0x10000, 0x10000, SLOT);
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);
}

static void test_builtin(void)
{
    VirtIORNG *vrng;
    VirtIODevice *vdev;

    setup();
    vrng = rng_new(NULL, &error_abort);
    vdev = VIRTIO_DEVICE(vrng);
    g_assert_cmpuint(vdev->device_id, ==, VIRTIO_ID_RNG);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 0), ==, QSIZE);
    g_assert_cmpuint(virtio_queue_get_num(vdev, 1), ==, 0);
    g_assert_cmpuint(vdev->config_len, ==, 0);
    driver_ready(vrng);
    offer(0, 64);
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(used_idx(), ==, 1);
    g_assert_cmpuint(used_len(0), ==, 64);
    g_assert_false(all_zero(buf_at(0), 64));
    g_assert_true(all_zero(buf_at(0) + 64, 64));      /* nothing past it */
    g_assert_cmpuint(vdev->isr, ==, VIRTIO_ISR_QUEUE);
    g_assert_cmpuint(notifies, >=, 1);

    /* two requests at once: both served by one kick */
    offer(1, 16);
    offer(2, 8);
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(used_idx(), ==, 3);
    g_assert_cmpuint(used_len(1), ==, 16);
    g_assert_cmpuint(used_len(2), ==, 8);
    teardown();
}

/* max-bytes per period of virtual time (QEMU's check_rate_limit). */
static void test_rate_limit(void)
{
    static const char *const props[] = {
        "max-bytes", "10", "period", "1000", NULL
    };
    VirtIORNG *vrng;
    VirtIODevice *vdev;

    qemu_clock_set_virtual_manual(0);
    setup();
    vrng = rng_new(props, &error_abort);
    vdev = VIRTIO_DEVICE(vrng);
    driver_ready(vrng);
    offer(0, 16);
    virtio_queue_notify(vdev, 0);
    /* the quota caps the first request */
    g_assert_cmpuint(used_idx(), ==, 1);
    g_assert_cmpuint(used_len(0), ==, 10);
    /* nothing more this period */
    offer(1, 16);
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(used_idx(), ==, 1);
    qemu_clock_advance_virtual_time(999 * SCALE_MS);
    g_assert_cmpuint(used_idx(), ==, 1);
    /* the next period refills the quota and serves the waiting request */
    qemu_clock_advance_virtual_time(1000 * SCALE_MS);
    g_assert_cmpuint(used_idx(), ==, 2);
    g_assert_cmpuint(used_len(1), ==, 10);
    teardown();
}

/* rng-random with nothing to read yet: served once its fd is readable. */
static void test_random_waits(void)
{
    g_autofree char *dir = g_dir_make_tmp("mqemu-rng-XXXXXX", NULL);
    g_autofree char *fifo = g_build_filename(dir, "fifo", NULL);
    static const char *const props[] = { "rng", "r0", NULL };
    Object *backend = object_new(TYPE_RNG_RANDOM);
    VirtIORNG *vrng;
    VirtIODevice *vdev;
    int wfd;

    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    /* our end keeps the pipe open: an empty pipe is "not yet", not EOF */
    wfd = open(fifo, O_RDWR | O_CLOEXEC);
    g_assert_cmpint(wfd, >=, 0);
    g_assert_true(object_property_parse(backend, "filename", fifo,
                                        &error_abort));
    g_assert_true(user_creatable_complete(backend, &error_abort));
    g_assert_true(object_add_with_id("objects", "r0", backend,
                                     &error_abort));
    object_unref(backend);

    setup();
    vrng = rng_new(props, &error_abort);
    vdev = VIRTIO_DEVICE(vrng);
    driver_ready(vrng);
    offer(0, 8);
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(used_idx(), ==, 0);
    g_assert_cmpuint(vrng->fd_watch, !=, 0);
    g_assert_cmpint(write(wfd, "entropy!", 8), ==, 8);
    while (used_idx() == 0) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpuint(used_len(0), ==, 8);
    g_assert_cmpmem(buf_at(0), 8, "entropy!", 8);
    g_assert_cmpuint(vrng->fd_watch, ==, 0);

    /* a short read: the request gets what came, the next one waits */
    g_assert_cmpint(write(wfd, "abc", 3), ==, 3);
    offer(1, 8);
    offer(2, 8);
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(used_idx(), ==, 2);
    g_assert_cmpuint(used_len(1), ==, 3);
    g_assert_cmpmem(buf_at(1), 3, "abc", 3);
    g_assert_cmpuint(vrng->fd_watch, !=, 0);
    g_assert_cmpint(write(wfd, "12345678", 8), ==, 8);
    while (used_idx() == 2) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpuint(used_len(2), ==, 8);
    g_assert_cmpmem(buf_at(2), 8, "12345678", 8);

    /* the writer goes away: end of file, the request stays queued */
    close(wfd);
    offer(3, 8);
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(used_idx(), ==, 3);
    g_assert_cmpuint(vrng->fd_watch, ==, 0);
    teardown();
    object_remove_id("objects", "r0");
    unlink(fifo);
    rmdir(dir);
}

/* A guest that is not ready yet gets nothing (QEMU's is_guest_ready). */
static void test_not_ready(void)
{
    VirtIORNG *vrng;
    VirtIODevice *vdev;

    setup();
    vrng = rng_new(NULL, &error_abort);
    vdev = VIRTIO_DEVICE(vrng);
    test_ring_init(&rq, vdev, 0, 0x10000, 0x10000, SLOT);
    offer(0, 8);
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(used_idx(), ==, 0);
    /* DRIVER_OK: the device looks at the queue at once (set_status) */
    virtio_set_status(vdev, VIRTIO_CONFIG_S_DRIVER_OK);
    g_assert_cmpuint(used_idx(), ==, 1);
    teardown();
}

static void test_realize_errors(void)
{
    static const struct {
        const char *prop, *value, *error;
    } cases[] = {
        { "period", "0", "'period' parameter expects a positive integer" },
        { "max-bytes", "9223372036854775808",
          "'max-bytes' parameter must be non-negative, and less than 2^63" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *const props[] = { cases[i].prop, cases[i].value, NULL };
        Error *err = NULL;

        setup();
        g_assert_null(rng_new(props, &err));
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].error);
        error_free(err);
        teardown();
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    object_add_register_types();
    rng_register_types();
    virtio_register_types();
    virtio_rng_register_types();
    qemu_init_main_loop();
    bql_lock();     /* as the main thread holds it */
    runstate_set(RUN_STATE_RUNNING, &error_abort);
    g_test_add_func("/virtio-rng/builtin", test_builtin);
    g_test_add_func("/virtio-rng/rate-limit", test_rate_limit);
    g_test_add_func("/virtio-rng/random-waits", test_random_waits);
    g_test_add_func("/virtio-rng/not-ready", test_not_ready);
    g_test_add_func("/virtio-rng/realize-errors", test_realize_errors);
    return g_test_run();
}
