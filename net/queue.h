/*
 * A client's incoming queue: frames that waited because the receiver could
 * not take them, delivered in order when it flushes (QEMU 7.2's
 * net/queue.c). Private to the net core.
 */
#ifndef NET_QUEUE_H
#define NET_QUEUE_H

#include "net/net.h"

/* QEMU's nq_maxlen: past it, frames without a sent_cb are dropped */
#define NET_QUEUE_MAXLEN 10000

/* Hands one frame to the queue's owner (qemu_deliver_packet_iov). */
typedef ssize_t NetQueueDeliverFunc(NetClientState *sender,
                                    const struct iovec *iov, int iovcnt,
                                    void *opaque);

NetQueue *qemu_new_net_queue(NetQueueDeliverFunc *deliver, void *opaque);
void qemu_del_net_queue(NetQueue *queue);
ssize_t qemu_net_queue_send_iov(NetQueue *queue, NetClientState *sender,
                                const struct iovec *iov, int iovcnt,
                                NetPacketSent *sent_cb);
/* Delivers in order; false when the receiver stopped taking frames. */
bool qemu_net_queue_flush(NetQueue *queue);
/* Drops what `from` queued here, telling it (sent_cb with 0). */
void qemu_net_queue_purge(NetQueue *queue, NetClientState *from);
/* Drops what `from` queued here without a word: `from` is being freed. */
void qemu_net_queue_forget(NetQueue *queue, NetClientState *from);
unsigned qemu_net_queue_length(NetQueue *queue);

#endif
