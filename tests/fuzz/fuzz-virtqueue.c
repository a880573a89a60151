/*
 * libFuzzer target: the split virtqueue walker (hw/virtio/virtio.c) on
 * guest RAM the input fills. Whatever the rings and descriptors say,
 * popping, pushing and notifying must stay inside guest RAM, end, and
 * leave a device that reset makes usable again.
 *
 * Each round counts the available bytes (virtqueue_get_avail_bytes), then
 * pops one request.
 *
 * Input: a 16-byte header, then the guest RAM's contents (RAM is 64 KiB
 * at guest-physical 0; what the input does not fill is zero).
 *   byte 0     bit 0 VERSION_1, 1 EVENT_IDX, 2 NOTIFY_ON_EMPTY,
 *              3 INDIRECT_DESC (negotiated), 4 legacy layout (the
 *              descriptor address only, rings laid out after it),
 *              5 notifications off after the first request
 *   bytes 1-2  queue size - 1 (little endian, modulo 1024)
 *   bytes 3-8  desc, avail, used addresses (little endian 16-bit each)
 *   byte 9     legacy alignment (1 << (byte % 16))
 *   byte 10    how many requests to take (at most 64)
 *   rest       reserved
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio.h"
#include "fuzz-target.h"

#define RAM_SIZE    0x10000
#define HEADER_SIZE 16
#define TYPE_VIRTIO_FUZZ "virtio-fuzz"

static unsigned fuzz_notifies;

static void fuzz_notify(DeviceState *transport)
{
    fuzz_notifies++;
}

static const VirtioBusOps fuzz_bus_ops = {
    .notify = fuzz_notify,
};

static void fuzz_realize(VirtIODevice *vdev, Error **errp)
{
    virtio_init(vdev, 4, 8);
    virtio_add_queue(vdev, VIRTQUEUE_MAX_SIZE, NULL);
}

static void fuzz_class_init(ObjectClass *oc, void *data)
{
    VIRTIO_DEVICE_CLASS(oc)->realize = fuzz_realize;
}

static const TypeInfo fuzz_info = {
    .name = TYPE_VIRTIO_FUZZ,
    .parent = TYPE_VIRTIO_DEVICE,
    .class_init = fuzz_class_init,
};

static uint16_t le16_at(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static void fuzz_features(VirtIODevice *vdev, uint8_t flags)
{
    static const unsigned bits[] = {
        VIRTIO_F_VERSION_1, VIRTIO_RING_F_EVENT_IDX,
        VIRTIO_F_NOTIFY_ON_EMPTY, VIRTIO_RING_F_INDIRECT_DESC,
    };
    uint64_t f = 0;

    for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
        if (flags & (1u << i)) {
            f |= 1ULL << bits[i];
        }
    }
    virtio_set_features(vdev, f);
}

static void fuzz_requests(VirtIODevice *vdev, VirtQueue *vq, unsigned count,
                          bool notifications_off)
{
    static const uint8_t junk[64] = { 0xa5 };

    for (unsigned n = 0; n < count; n++) {
        VirtQueueElement *elem;
        unsigned in, out;
        size_t len;

        virtqueue_get_avail_bytes(vq, &in, &out, 4096, 4096);
        elem = virtqueue_pop(vq, sizeof(*elem));
        if (!elem) {
            break;
        }
        /* every buffer must be readable and writable host memory */
        len = iov_size(elem->in_sg, elem->in_num);
        for (size_t off = 0; off < len; off += sizeof(junk)) {
            iov_from_buf(elem->in_sg, elem->in_num, off, junk,
                         MIN(sizeof(junk), len - off));
        }
        for (unsigned i = 0; i < elem->out_num; i++) {
            volatile const uint8_t *p = elem->out_sg[i].iov_base;

            (void)p[0];
            (void)p[elem->out_sg[i].iov_len - 1];
        }
        virtqueue_push(vq, elem, len);
        g_free(elem);
        virtio_notify(vdev, vq);
        if (notifications_off && n == 0) {
            virtio_queue_set_notification(vq, false);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool registered;
    static uint8_t ram[RAM_SIZE];
    GuestMemory *mem;
    VirtioBus vbus;
    VirtIODevice *vdev;
    uint8_t flags;

    if (!registered) {
        qdev_register_types();
        virtio_register_types();
        type_register_static(&fuzz_info);
        registered = true;
    }
    if (size < HEADER_SIZE) {
        return 0;
    }
    flags = data[0];
    memset(ram, 0, sizeof(ram));
    memcpy(ram, data + HEADER_SIZE, MIN(size - HEADER_SIZE, sizeof(ram)));

    mem = guest_memory_new();
    guest_memory_add(mem, 0, RAM_SIZE, ram, false, "ram");
    virtio_bus_init(&vbus, "fuzz-bus", "fuzz-bus.0", NULL, &fuzz_bus_ops,
                    mem);
    vdev = VIRTIO_DEVICE(object_new(TYPE_VIRTIO_FUZZ));
    DEVICE(vdev)->parent_bus = &vbus.bus;
    if (qdev_realize_and_unref(DEVICE(vdev), &error_abort)) {
        fuzz_features(vdev, flags);
        virtio_set_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
        virtio_queue_set_num(vdev, 0, le16_at(data + 1) % 1024 + 1);
        if (flags & 0x10) {
            virtio_queue_set_align(vdev, 0, 1u << (data[9] % 16));
            virtio_queue_set_addr(vdev, 0, le16_at(data + 3));
        } else {
            virtio_queue_set_rings(vdev, 0, le16_at(data + 3),
                                   le16_at(data + 5), le16_at(data + 7));
        }
        virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);
        fuzz_requests(vdev, &vdev->vq[0], MIN(data[10], 64), flags & 0x20);
        /* reset brings back a clean device whatever happened */
        virtio_reset(vdev);
        assert(!vdev->broken && vdev->status == 0 && vdev->isr == 0);
        assert(!virtio_queue_ready(&vdev->vq[0]));
    }
    qdev_unrealize_all();
    virtio_bus_cleanup(&vbus);
    guest_memory_free(mem);
    return 0;
}
