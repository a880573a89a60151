/*
 * A client's incoming queue, QEMU 7.2's net/queue.c semantics: a frame is
 * queued when the receiver cannot take it (can_receive false, the VM not
 * running, or a receive that returned 0), or when it is sent while the
 * queue is delivering (a receive callback that sends back); queued frames
 * go in order on the next flush, each one's sent_cb told when it went.
 * Past NET_QUEUE_MAXLEN frames, a frame without a sent_cb is dropped (the
 * sender would never stop); one with a sent_cb is always kept, since that
 * sender stops until it is called.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio.h"
#include "queue.h"

typedef struct NetPacket {
    NetClientState *sender;
    NetPacketSent *sent_cb;
    size_t size;
    uint8_t data[];
} NetPacket;

struct NetQueue {
    void *opaque;
    NetQueueDeliverFunc *deliver;
    GQueue packets;             /* of NetPacket, oldest first */
    bool delivering;
};

NetQueue *qemu_new_net_queue(NetQueueDeliverFunc *deliver, void *opaque)
{
    NetQueue *queue = g_new0(NetQueue, 1);

    queue->opaque = opaque;
    queue->deliver = deliver;
    g_queue_init(&queue->packets);
    return queue;
}

void qemu_del_net_queue(NetQueue *queue)
{
    g_queue_clear_full(&queue->packets, g_free);
    g_free(queue);
}

unsigned qemu_net_queue_length(NetQueue *queue)
{
    return queue->packets.length;
}

static void qemu_net_queue_append_iov(NetQueue *queue,
                                      NetClientState *sender,
                                      const struct iovec *iov, int iovcnt,
                                      NetPacketSent *sent_cb)
{
    size_t size = iov_size(iov, iovcnt);
    NetPacket *packet;

    if (queue->packets.length >= NET_QUEUE_MAXLEN && !sent_cb) {
        return;
    }
    packet = g_malloc(sizeof(NetPacket) + size);
    packet->sender = sender;
    packet->sent_cb = sent_cb;
    packet->size = iov_to_buf(iov, iovcnt, 0, packet->data, size);
    g_queue_push_tail(&queue->packets, packet);
}

static ssize_t qemu_net_queue_deliver(NetQueue *queue, NetClientState *sender,
                                      const struct iovec *iov, int iovcnt)
{
    ssize_t ret;

    queue->delivering = true;
    ret = queue->deliver(sender, iov, iovcnt, queue->opaque);
    queue->delivering = false;
    return ret;
}

ssize_t qemu_net_queue_send_iov(NetQueue *queue, NetClientState *sender,
                                const struct iovec *iov, int iovcnt,
                                NetPacketSent *sent_cb)
{
    ssize_t ret;

    if (queue->delivering || !qemu_can_send_packet(sender)) {
        qemu_net_queue_append_iov(queue, sender, iov, iovcnt, sent_cb);
        return 0;
    }
    ret = qemu_net_queue_deliver(queue, sender, iov, iovcnt);
    if (ret == 0) {
        qemu_net_queue_append_iov(queue, sender, iov, iovcnt, sent_cb);
        return 0;
    }
    /* As QEMU: what waited may go now too (order is per sender only) */
    qemu_net_queue_flush(queue);
    return ret;
}

bool qemu_net_queue_flush(NetQueue *queue)
{
    if (queue->delivering) {
        return false;
    }
    while (!g_queue_is_empty(&queue->packets)) {
        NetPacket *packet = g_queue_pop_head(&queue->packets);
        struct iovec iov = {
            .iov_base = packet->data,
            .iov_len = packet->size,
        };
        ssize_t ret = qemu_net_queue_deliver(queue, packet->sender, &iov, 1);

        if (ret == 0) {
            g_queue_push_head(&queue->packets, packet);
            return false;
        }
        if (packet->sent_cb) {
            packet->sent_cb(packet->sender, ret);
        }
        g_free(packet);
    }
    return true;
}

static void qemu_net_queue_drop(NetQueue *queue, NetClientState *from,
                                bool tell)
{
    GList *link = queue->packets.head;

    while (link) {
        GList *next = link->next;
        NetPacket *packet = link->data;

        if (packet->sender == from) {
            g_queue_delete_link(&queue->packets, link);
            if (tell && packet->sent_cb) {
                packet->sent_cb(packet->sender, 0);
            }
            g_free(packet);
        }
        link = next;
    }
}

void qemu_net_queue_purge(NetQueue *queue, NetClientState *from)
{
    qemu_net_queue_drop(queue, from, true);
}

void qemu_net_queue_forget(NetQueue *queue, NetClientState *from)
{
    qemu_net_queue_drop(queue, from, false);
}
