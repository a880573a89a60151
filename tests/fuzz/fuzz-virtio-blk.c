/*
 * libFuzzer target: a guest's virtio-blk requests (hw/block/virtio-blk.c)
 * on 64 KiB of guest RAM and a 64 KiB raw image: whatever the rings,
 * headers, sectors and lengths, nothing may crash, hang, leak, touch
 * memory outside guest RAM or complete a request twice.
 *
 * Input: byte 0 flags: bit 0 EVENT_IDX, bit 1 INDIRECT_DESC, bit 2 a
 * second kick after the first requests completed, bit 3 a reset while
 * requests are in flight, bit 4 the read-only drive, bit 5 writethrough
 * (the driver sets wce=0); the rest is the guest RAM: the queue (16
 * entries) has its descriptors at 0x800, its available ring at 0x1000 and
 * its used ring at 0x2000, and the guest writes avail->idx itself.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-blk.h"
#include "system/main-loop.h"
#include "fuzz-target.h"

#define RAM_SIZE    0x10000
#define IMG_SIZE    0x10000
#define QSIZE       16

static VirtioBus vbus;

static void fuzz_notify(DeviceState *transport)
{
}

static const VirtioBusOps fuzz_bus_ops = { .notify = fuzz_notify };

/* Both drives on one image, opened once; the file is gone at once. */
static void fuzz_drive(const char *id, const char *path, bool ro)
{
    BlockOpts *opts = block_opts_new();

    block_opts_set(opts, "file", path, BLOCK_OPT_STRING);
    block_opts_set(opts, "format", "raw", BLOCK_OPT_STRING);
    block_opts_set(opts, "read-only", ro ? "on" : "off", BLOCK_OPT_STRING);
    block_opts_set(opts, "file.locking", "off", BLOCK_OPT_STRING);
    /* opened as it will be used: nothing reopens the deleted file */
    block_opts_set(opts, "auto-read-only", "off", BLOCK_OPT_STRING);
    block_opts_set(opts, "discard", "unmap", BLOCK_OPT_STRING);
    if (!blk_new_from_drive_opts(id, opts, &error_abort)) {
        abort();
    }
}

static void fuzz_init(void)
{
    g_autofree char *path = g_build_filename(g_get_tmp_dir(),
                                             "mqemu-fuzz-vblk-XXXXXX", NULL);
    int fd = g_mkstemp(path);

    if (fd < 0 || ftruncate(fd, IMG_SIZE) < 0) {
        abort();
    }
    close(fd);
    qdev_register_types();
    virtio_register_types();
    virtio_blk_register_types();
    qemu_init_main_loop();
    bql_lock();
    runstate_set(RUN_STATE_RUNNING, &error_abort);
    fuzz_drive("rw", path, false);
    fuzz_drive("ro", path, true);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool initialized;
    static uint8_t ram[RAM_SIZE];
    uint64_t features = 1ULL << VIRTIO_BLK_F_FLUSH |
                        1ULL << VIRTIO_BLK_F_DISCARD |
                        1ULL << VIRTIO_BLK_F_WRITE_ZEROES |
                        1ULL << VIRTIO_BLK_F_CONFIG_WCE;
    VirtIOBlock *s;
    VirtIODevice *vdev;
    DeviceState *dev;
    GuestMemory *mem;
    uint8_t flags;

    if (!initialized) {
        fuzz_init();
        initialized = true;
    }
    if (size < 1) {
        return 0;
    }
    flags = data[0];
    memset(ram, 0, sizeof(ram));
    memcpy(ram, data + 1, MIN(size - 1, sizeof(ram)));
    mem = guest_memory_new();
    guest_memory_add(mem, 0, RAM_SIZE, ram, false, "ram");
    virtio_bus_init(&vbus, "fuzz-bus", "fuzz-bus.0", NULL, &fuzz_bus_ops,
                    mem);

    dev = DEVICE(object_new(TYPE_VIRTIO_BLK));
    object_property_parse(OBJECT(dev), "drive", flags & 16 ? "ro" : "rw",
                          &error_abort);
    object_property_parse(OBJECT(dev), "queue-size", "16", &error_abort);
    object_property_parse(OBJECT(dev), "serial", "fuzz-serial-0123456789",
                          &error_abort);
    dev->parent_bus = &vbus.bus;
    qdev_realize_and_unref(dev, &error_abort);
    s = VIRTIO_BLK(dev);
    vdev = VIRTIO_DEVICE(dev);

    features |= (flags & 1 ? 1ULL << VIRTIO_RING_F_EVENT_IDX : 0) |
                (flags & 2 ? 1ULL << VIRTIO_RING_F_INDIRECT_DESC : 0);
    virtio_reset(vdev);
    virtio_set_features(vdev, features & vdev->host_features);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    if (flags & 32) {
        virtio_config_write(vdev, VIRTIO_BLK_CFG_WCE, 1, 0);
    }
    virtio_queue_set_num(vdev, 0, QSIZE);
    virtio_queue_set_rings(vdev, 0, 0x800, 0x1000, 0x2000);
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);

    virtio_queue_notify(vdev, 0);
    if (flags & 8) {
        virtio_reset(vdev);
    }
    blk_drain(s->blk);
    if (flags & 4) {
        virtio_queue_notify(vdev, 0);
        blk_drain(s->blk);
    }
    qdev_unrealize_all();
    virtio_bus_cleanup(&vbus);
    guest_memory_free(mem);
    return 0;
}
