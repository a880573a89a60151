/*
 * virtio-blk-device (virtio 1.2, 5.2), as QEMU 7.2's hw/block/
 * virtio-blk.c with hw/block/block.c's blkconf_* and hw/block/
 * hd-geometry.c: a disk on a BlockBackend (drive= names a -drive id or
 * a -blockdev node-name, as QEMU's set_drive_helper).
 *
 * Register map: the config space below (struct virtio_blk_config, little
 * endian as x86 QEMU's virtio_st*_p), its size from the discard and
 * write-zeroes properties (QEMU's virtio_blk_cfg_size_params).
 *
 * Requests (virtio_blk_handle_request): an out header (type, ioprio,
 * sector), data, and a one-byte in header (status) at the very end of
 * the device-writable buffers. A request is parsed when popped, handed
 * to the block layer, and completed (status written, element pushed,
 * guest notified) only in the block layer's completion callback, so a
 * write is reported done only once the cache mode says it is durable (a
 * writethrough backend flushes after it) and a flush only after the
 * host's fdatasync. A failure goes through werror/rerror as QEMU's
 * virtio_blk_handle_rw_error: report (IOERR), ignore (OK), stop (the VM
 * goes to io-error and the request is resubmitted when it runs again).
 *
 * Unlike QEMU, a reset does not drain in-flight requests (the reset may
 * come on a vCPU thread, which cannot run the main loop): they are
 * orphaned, completed to the block layer and freed without a push (the
 * rings they belonged to are gone).
 *
 * The data plane (iothread=, QEMU's hw/block/dataplane/virtio-blk.c):
 * when the transport starts ioeventfd (DRIVER_OK, or a kick before it),
 * the device takes the queues' eventfds and the iothread serves them:
 * it pops, submits to the block backend (whose completions it runs, the
 * backend's context being the iothread's), pushes and notifies (the
 * ISR and line are then set by the main loop, see virtio.h). A stop
 * (status change, reset, unplug, a write that changes the queues, VM
 * stop) runs in the iothread and returns once the kicks it saw are
 * handled and every request is complete, pushed to the ring: as QEMU's
 * drain, nothing is lost or completed twice, and nothing is orphaned.
 * While it runs, the iothread alone touches the queues, the retry list
 * and the backend's requests; the BQL side only starts and stops it.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/virtio/virtio-blk.h"
#include "system/iothread.h"
#include <glib-unix.h>

#define SECTOR_BITS 9
#define SECTOR_SIZE 512
#define MIN_BLOCK_SIZE 512
#define MAX_BLOCK_SIZE (2 * 1024 * 1024)

/* QEMU's BlockdevOnError_lookup order */
static const char *const blockdev_on_error_table[] = {
    "report", "ignore", "enospc", "stop", "auto", NULL
};

static void virtio_blk_submit(VirtIOBlockReq *req);

static inline void stw_le(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static inline void stl_le(uint8_t *p, uint32_t v)
{
    stw_le(p, v);
    stw_le(p + 2, v >> 16);
}

static inline void stq_le(uint8_t *p, uint64_t v)
{
    stl_le(p, v);
    stl_le(p + 4, v >> 32);
}

static inline uint32_t ldl_le(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t ldq_le(const uint8_t *p)
{
    return ldl_le(p) | (uint64_t)ldl_le(p + 4) << 32;
}

/* bdrv's total_sectors: the length rounded up to whole sectors */
static uint64_t virtio_blk_nb_sectors(VirtIOBlock *s)
{
    int64_t len = blk_getlength(s->blk);

    return len < 0 ? 0 : ((uint64_t)len + SECTOR_SIZE - 1) / SECTOR_SIZE;
}

/* ---- completion ------------------------------------------------------ */

static void virtio_blk_free_request(VirtIOBlockReq *req)
{
    g_free(req);
}

/* QEMU's virtio_blk_req_complete */
static void virtio_blk_req_complete(VirtIOBlockReq *req, uint8_t status)
{
    VirtIOBlock *s = req->dev;

    if (req->generation != s->generation) {
        return;     /* the device was reset meanwhile: the ring is gone */
    }
    *req->status = status;
    virtqueue_push(req->vq, &req->elem, req->in_len);
    virtio_notify(VIRTIO_DEVICE(s), req->vq);
}

/*
 * QEMU's virtio_blk_handle_rw_error (with blk_error_action): true when
 * the request was dealt with (reported, or kept for a retry), false when
 * the error is ignored and the request completes as a success.
 */
static bool virtio_blk_handle_rw_error(VirtIOBlockReq *req, int error,
                                       bool is_read)
{
    VirtIOBlock *s = req->dev;
    BlockErrorAction action = blk_get_error_action(s->blk, is_read, error);

    switch (action) {
    case BLOCK_ERROR_ACTION_STOP:
        if (req->generation != s->generation) {
            virtio_blk_free_request(req);
            return true;
        }
        req->next = s->rq;
        s->rq = req;
        qemu_system_vmstop_request(RUN_STATE_IO_ERROR);
        return true;
    case BLOCK_ERROR_ACTION_REPORT:
        virtio_blk_req_complete(req, VIRTIO_BLK_S_IOERR);
        virtio_blk_free_request(req);
        return true;
    case BLOCK_ERROR_ACTION_IGNORE:
    default:
        return false;
    }
}

/*
 * One callback for every block request: reads and writes, flush,
 * discard and write zeroes (QEMU's virtio_blk_rw_complete,
 * virtio_blk_flush_complete, virtio_blk_discard_write_zeroes_complete).
 */
static void virtio_blk_complete(void *opaque, int ret)
{
    VirtIOBlockReq *req = opaque;

    if (ret && virtio_blk_handle_rw_error(req, -ret,
                                          req->type == VIRTIO_BLK_T_IN)) {
        return;
    }
    virtio_blk_req_complete(req, VIRTIO_BLK_S_OK);
    virtio_blk_free_request(req);
}

static void virtio_blk_submit(VirtIOBlockReq *req)
{
    BlockBackend *blk = req->dev->blk;

    switch (req->type) {
    case VIRTIO_BLK_T_IN:
        blk_aio_preadv(blk, req->offset, req->iov, req->niov,
                       virtio_blk_complete, req);
        break;
    case VIRTIO_BLK_T_OUT:
        blk_aio_pwritev(blk, req->offset, req->iov, req->niov,
                        virtio_blk_complete, req);
        break;
    case VIRTIO_BLK_T_FLUSH:
        blk_aio_flush(blk, virtio_blk_complete, req);
        break;
    case VIRTIO_BLK_T_DISCARD:
        blk_aio_pdiscard(blk, req->offset, req->bytes, virtio_blk_complete,
                         req);
        break;
    case VIRTIO_BLK_T_WRITE_ZEROES:
        blk_aio_pwrite_zeroes(blk, req->offset, req->bytes, req->flags,
                              virtio_blk_complete, req);
        break;
    default:
        g_assert_not_reached();
    }
}

/* ---- parsing --------------------------------------------------------- */

/* QEMU's virtio_blk_sect_range_ok */
static bool virtio_blk_sect_range_ok(VirtIOBlock *s, uint64_t sector,
                                     size_t size)
{
    uint64_t nb_sectors = size >> SECTOR_BITS;
    uint64_t total = virtio_blk_nb_sectors(s);

    if (nb_sectors > VIRTIO_BLK_REQUEST_MAX_SECTORS) {
        return false;
    }
    if (sector & s->sector_mask) {
        return false;
    }
    if (size % s->logical_block_size) {
        return false;
    }
    return sector <= total && nb_sectors <= total - sector;
}

/* The status byte off the back of the device-writable buffers */
static void iov_drop_back(struct iovec *iov, unsigned *cnt, size_t bytes)
{
    while (*cnt && bytes >= iov[*cnt - 1].iov_len) {
        bytes -= iov[*cnt - 1].iov_len;
        (*cnt)--;
    }
    if (*cnt && bytes) {
        iov[*cnt - 1].iov_len -= bytes;
    }
}

/* QEMU's virtio_blk_handle_discard_write_zeroes: a status, or OK */
static uint8_t virtio_blk_parse_dwz(VirtIOBlockReq *req,
                                    const uint8_t *hdr, bool write_zeroes)
{
    VirtIOBlock *s = req->dev;
    uint64_t sector = ldq_le(hdr);
    uint32_t num_sectors = ldl_le(hdr + 8);
    uint32_t flags = ldl_le(hdr + 12);
    uint32_t max = write_zeroes ? s->max_write_zeroes_sectors
                                : s->max_discard_sectors;

    if (num_sectors > max) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (!virtio_blk_sect_range_ok(s, sector,
                                  (size_t)num_sectors << SECTOR_BITS)) {
        return VIRTIO_BLK_S_IOERR;
    }
    /* 5.2.6.2: unknown flags, and unmap on a discard, are unsupported */
    if (flags & ~VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP) {
        return VIRTIO_BLK_S_UNSUPP;
    }
    if (!write_zeroes && (flags & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP)) {
        return VIRTIO_BLK_S_UNSUPP;
    }
    req->type = write_zeroes ? VIRTIO_BLK_T_WRITE_ZEROES
                             : VIRTIO_BLK_T_DISCARD;
    req->offset = sector << SECTOR_BITS;
    req->bytes = (int64_t)num_sectors << SECTOR_BITS;
    req->flags = (flags & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP) ?
                 BDRV_REQ_MAY_UNMAP : 0;
    return VIRTIO_BLK_S_OK;
}

/*
 * QEMU's virtio_blk_handle_request: false when the ring is malformed
 * (virtio_error: the device stops until reset); else the request was
 * submitted or completed at once.
 */
static bool virtio_blk_handle_request(VirtIOBlockReq *req)
{
    VirtIOBlock *s = req->dev;
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    struct iovec *out_iov = req->elem.out_sg;
    struct iovec *in_iov = req->elem.in_sg;
    unsigned out_num = req->elem.out_num;
    unsigned in_num = req->elem.in_num;
    uint8_t outhdr[VIRTIO_BLK_OUTHDR_SIZE];
    struct iovec *last;
    uint32_t type;
    uint8_t status = VIRTIO_BLK_S_OK;

    if (out_num < 1 || in_num < 1) {
        virtio_error(vdev, "virtio-blk missing headers");
        return false;
    }
    if (iov_to_buf(out_iov, out_num, 0, outhdr, sizeof(outhdr)) !=
        sizeof(outhdr)) {
        virtio_error(vdev, "virtio-blk request outhdr too short");
        return false;
    }
    last = &in_iov[in_num - 1];
    if (last->iov_len < 1) {
        virtio_error(vdev, "virtio-blk request inhdr too short");
        return false;
    }
    /* QEMU: "We always touch the last byte, so just see how big in_iov is" */
    req->in_len = iov_size(in_iov, in_num);
    req->status = (uint8_t *)last->iov_base + last->iov_len - 1;
    iov_discard_front(&out_iov, &out_num, sizeof(outhdr));
    iov_drop_back(in_iov, &in_num, 1);

    type = ldl_le(outhdr);
    /* BARRIER: ignored, as QEMU has always done */
    switch (type & ~(VIRTIO_BLK_T_OUT | VIRTIO_BLK_T_BARRIER)) {
    case VIRTIO_BLK_T_IN: {
        bool is_write = type & VIRTIO_BLK_T_OUT;
        uint64_t sector = ldq_le(outhdr + 8);

        req->type = is_write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
        req->iov = is_write ? out_iov : in_iov;
        req->niov = is_write ? out_num : in_num;
        if (!virtio_blk_sect_range_ok(s, sector,
                                      iov_size(req->iov, req->niov))) {
            status = VIRTIO_BLK_S_IOERR;
            break;
        }
        req->offset = sector << SECTOR_BITS;
        virtio_blk_submit(req);
        return true;
    }
    case VIRTIO_BLK_T_FLUSH:
        req->type = VIRTIO_BLK_T_FLUSH;
        virtio_blk_submit(req);
        return true;
    case VIRTIO_BLK_T_GET_ID: {
        /* NUL-terminated only when shorter than the 20 bytes (QEMU) */
        const char *serial = s->serial ? s->serial : "";
        size_t size = MIN(strlen(serial) + 1,
                          MIN(iov_size(in_iov, in_num),
                              (size_t)VIRTIO_BLK_ID_BYTES));

        iov_from_buf(in_iov, in_num, 0, serial, size);
        break;
    }
    case VIRTIO_BLK_T_DISCARD & ~VIRTIO_BLK_T_OUT:
    case VIRTIO_BLK_T_WRITE_ZEROES & ~VIRTIO_BLK_T_OUT: {
        uint8_t dwz[VIRTIO_BLK_DWZ_SIZE];
        bool write_zeroes = (type & ~VIRTIO_BLK_T_BARRIER) ==
                            VIRTIO_BLK_T_WRITE_ZEROES;

        /* one segment only, and the OUT bit set (QEMU) */
        if (!(type & VIRTIO_BLK_T_OUT) ||
            iov_size(out_iov, out_num) > sizeof(dwz)) {
            status = VIRTIO_BLK_S_UNSUPP;
            break;
        }
        if (iov_to_buf(out_iov, out_num, 0, dwz, sizeof(dwz)) !=
            sizeof(dwz)) {
            virtio_error(vdev, "virtio-blk discard/write_zeroes header"
                         " too short");
            return false;
        }
        status = virtio_blk_parse_dwz(req, dwz, write_zeroes);
        if (status == VIRTIO_BLK_S_OK) {
            virtio_blk_submit(req);
            return true;
        }
        break;
    }
    default:
        /* SCSI_CMD included: scsi=on is refused at realize */
        status = VIRTIO_BLK_S_UNSUPP;
        break;
    }
    virtio_blk_req_complete(req, status);
    virtio_blk_free_request(req);
    return true;
}

/* QEMU's virtio_blk_handle_vq */
static void virtio_blk_handle_vq(VirtIOBlock *s, VirtQueue *vq)
{
    VirtIOBlockReq *req;

    while ((req = virtqueue_pop(vq, sizeof(VirtIOBlockReq)))) {
        req->dev = s;
        req->vq = vq;
        req->generation = s->generation;
        if (!virtio_blk_handle_request(req)) {
            /* QEMU detaches the element: it is never pushed */
            virtio_blk_free_request(req);
            break;
        }
    }
}

/* werror=stop requests, resubmitted in order (QEMU's dma_restart_bh) */
static void virtio_blk_resubmit(VirtIOBlock *s)
{
    VirtIOBlockReq *req = s->rq, *prev = NULL;

    s->rq = NULL;
    /* the list is newest first: resubmit oldest first */
    while (req) {
        VirtIOBlockReq *next = req->next;

        req->next = prev;
        prev = req;
        req = next;
    }
    while (prev) {
        req = prev;
        prev = req->next;
        req->next = NULL;
        virtio_blk_submit(req);
    }
}

/* ---- data plane -------------------------------------------------------- */

/* In the iothread: a queue's kick (QEMU's virtio_queue_host_notifier_read) */
static gboolean virtio_blk_dp_kick(gint fd, GIOCondition cond,
                                   gpointer opaque)
{
    VirtQueue *vq = opaque;
    uint64_t count;

    if (read(fd, &count, sizeof(count)) == sizeof(count)) {
        virtio_blk_handle_vq(VIRTIO_BLK(vq->vdev), vq);
    }
    return G_SOURCE_CONTINUE;
}

/*
 * In the iothread (QEMU's virtio_blk_data_plane_start): the backend's
 * completions come here, kept requests are resubmitted before the ring's
 * (virtio_blk_process_queued_requests), and the rings are looked at at
 * once, for requests the driver queued before the start.
 */
static void virtio_blk_dp_start_bh(void *opaque)
{
    VirtIOBlock *s = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    GMainContext *ctx = iothread_get_g_main_context(s->dp_iothread);

    blk_set_aio_context(s->blk, ctx);
    s->dp_sources = g_new(GSource *, s->dp_nfds);
    for (unsigned i = 0; i < s->dp_nfds; i++) {
        GSource *src = g_unix_fd_source_new(s->dp_fds[i], G_IO_IN);

        g_source_set_callback(src,
                              (GSourceFunc)(void (*)(void))virtio_blk_dp_kick,
                              &vdev->vq[i], NULL);
        g_source_attach(src, ctx);
        s->dp_sources[i] = src;
    }
    virtio_blk_resubmit(s);
    for (unsigned i = 0; i < s->dp_nfds; i++) {
        virtio_blk_handle_vq(s, &vdev->vq[i]);
    }
}

/*
 * In the iothread (QEMU's virtio_blk_data_plane_stop_bh, then its
 * virtio_bus_cleanup_host_notifier and blk_set_aio_context drain): no
 * more kicks from the sources, a kick already signalled is handled, and
 * every request completes here before the backend goes back to the
 * main loop's context with nothing in flight.
 */
static void virtio_blk_dp_stop_bh(void *opaque)
{
    VirtIOBlock *s = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(s);

    for (unsigned i = 0; i < s->dp_nfds; i++) {
        g_source_destroy(s->dp_sources[i]);
        g_source_unref(s->dp_sources[i]);
    }
    g_clear_pointer(&s->dp_sources, g_free);
    for (unsigned i = 0; i < s->dp_nfds; i++) {
        uint64_t count;

        if (read(s->dp_fds[i], &count, sizeof(count)) == sizeof(count)) {
            virtio_blk_handle_vq(s, &vdev->vq[i]);
        }
    }
    blk_drain(s->blk);
    blk_set_aio_context(s->blk, NULL);
}

/* BQL held: the iothread takes the queues (the VM must be running) */
static void virtio_blk_dp_start(VirtIOBlock *s)
{
    if (s->dp_running || !s->dp_fds || !runstate_is_running()) {
        return;
    }
    /*
     * Every request of a device with iothread= is the data plane's, and
     * its stop leaves none in flight, so the backend changes context
     * without a drain (which a vCPU thread could not do).
     */
    g_assert(!blk_in_flight(s->blk));
    virtio_set_dataplane(VIRTIO_DEVICE(s), true);
    iothread_run_sync(s->dp_iothread, virtio_blk_dp_start_bh, s);
    s->dp_running = true;
}

/* BQL held: returns once the iothread has let go, nothing in flight */
static void virtio_blk_dp_stop(VirtIOBlock *s)
{
    if (!s->dp_running) {
        return;
    }
    iothread_run_sync(s->dp_iothread, virtio_blk_dp_stop_bh, s);
    s->dp_running = false;
    virtio_set_dataplane(VIRTIO_DEVICE(s), false);
}

/* vdc->ioeventfd_start: only a device with iothread= takes the kicks */
static bool virtio_blk_ioeventfd_start(VirtIODevice *vdev, const int *fds,
                                       unsigned n)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (!s->dp_iothread) {
        return false;
    }
    s->dp_fds = g_memdup2(fds, n * sizeof(int));
    s->dp_nfds = n;
    virtio_blk_dp_start(s);
    return true;
}

static void virtio_blk_ioeventfd_stop(VirtIODevice *vdev)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    virtio_blk_dp_stop(s);
    g_clear_pointer(&s->dp_fds, g_free);
    s->dp_nfds = 0;
}

/*
 * A kick on the exit path (QEMU's virtio_blk_handle_output). With
 * iothread=, a kick before DRIVER_OK starts the data plane, as QEMU's;
 * a kick the data plane owns is left to it (its thread, or its start
 * when the VM runs again). Only when the transport cannot give
 * eventfds (KVM refused them) is the queue served here.
 */
static void virtio_blk_handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (s->dp_iothread) {
        VirtioBus *vbus = vdev->vbus;

        if (!s->dp_fds && vbus && vbus->ops->ioeventfd_start) {
            vbus->ops->ioeventfd_start(vbus->bus.parent);
        }
        if (s->dp_fds) {
            uint64_t one = 1;

            if (s->dp_running && vq->queue_index < s->dp_nfds &&
                write(s->dp_fds[vq->queue_index], &one, sizeof(one)) < 0) {
                /* EAGAIN: the counter is full, a kick is pending anyway */
            }
            return;
        }
    }
    virtio_blk_handle_vq(s, vq);
}

/*
 * QEMU's virtio_blk_dma_restart_cb: werror=stop requests, in order. The
 * data plane stops with the VM (QEMU's virtio_mmio_vmstate_change) and
 * resubmits them itself when it starts again.
 */
static void virtio_blk_vm_state_change(void *opaque, bool running,
                                       RunState state)
{
    VirtIOBlock *s = opaque;

    if (s->dp_iothread) {
        if (running) {
            virtio_blk_dp_start(s);
        } else {
            virtio_blk_dp_stop(s);
        }
        return;
    }
    if (running) {
        virtio_blk_resubmit(s);
    }
}

/* ---- config, features, status, reset ----------------------------------- */

/* QEMU's get_physical_block_exp */
static uint8_t virtio_blk_physical_block_exp(VirtIOBlock *s)
{
    uint8_t exp = 0;

    for (uint64_t size = s->physical_block_size;
         size > s->logical_block_size; size >>= 1) {
        exp++;
    }
    return exp;
}

/* QEMU's virtio_blk_update_config */
static void virtio_blk_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);
    uint8_t cfg[VIRTIO_BLK_CFG_SIZE_MAX_LEN] = { 0 };
    uint32_t blk_size = s->logical_block_size;
    int64_t length = blk_getlength(s->blk);

    stq_le(cfg + VIRTIO_BLK_CFG_CAPACITY, virtio_blk_nb_sectors(s));
    stl_le(cfg + VIRTIO_BLK_CFG_SEG_MAX,
           s->seg_max_adjust ? s->queue_size - 2 : 128 - 2);
    stw_le(cfg + VIRTIO_BLK_CFG_CYLINDERS, s->cyls);
    stl_le(cfg + VIRTIO_BLK_CFG_BLK_SIZE, blk_size);
    stw_le(cfg + VIRTIO_BLK_CFG_MIN_IO_SIZE, s->min_io_size / blk_size);
    stl_le(cfg + VIRTIO_BLK_CFG_OPT_IO_SIZE, s->opt_io_size / blk_size);
    cfg[VIRTIO_BLK_CFG_HEADS] = s->heads;
    /* a capacity not a multiple of the block size: sectors masked (QEMU) */
    if (length > 0 && length / s->heads / s->secs % blk_size) {
        cfg[VIRTIO_BLK_CFG_SECTORS] = s->secs & ~s->sector_mask;
    } else {
        cfg[VIRTIO_BLK_CFG_SECTORS] = s->secs;
    }
    cfg[VIRTIO_BLK_CFG_PHYSICAL_BLOCK_EXP] = virtio_blk_physical_block_exp(s);
    cfg[VIRTIO_BLK_CFG_WCE] = blk_enable_write_cache(s->blk);
    stw_le(cfg + VIRTIO_BLK_CFG_NUM_QUEUES, s->num_queues);
    if (s->discard) {
        uint32_t granularity = s->discard_granularity;

        if (granularity == UINT32_MAX || !s->report_discard_granularity) {
            granularity = blk_size;
        }
        stl_le(cfg + VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS,
               s->max_discard_sectors);
        stl_le(cfg + VIRTIO_BLK_CFG_DISCARD_ALIGNMENT,
               granularity >> SECTOR_BITS);
        stl_le(cfg + VIRTIO_BLK_CFG_MAX_DISCARD_SEG, 1);
    }
    if (s->write_zeroes) {
        stl_le(cfg + VIRTIO_BLK_CFG_MAX_WZ_SECTORS,
               s->max_write_zeroes_sectors);
        cfg[VIRTIO_BLK_CFG_WZ_MAY_UNMAP] = 1;
        stl_le(cfg + VIRTIO_BLK_CFG_MAX_WZ_SEG, 1);
    }
    memcpy(config, cfg, s->config_size);
}

/* QEMU's virtio_blk_set_config: only wce is writable */
static void virtio_blk_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    blk_set_enable_write_cache(s->blk, config[VIRTIO_BLK_CFG_WCE] != 0);
}

/* QEMU's virtio_blk_get_features (features include the transport's) */
static uint64_t virtio_blk_get_features(VirtIODevice *vdev,
                                        uint64_t features)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (s->config_wce) {
        features |= 1ULL << VIRTIO_BLK_F_CONFIG_WCE;
    }
    if (s->discard) {
        features |= 1ULL << VIRTIO_BLK_F_DISCARD;
    }
    if (s->write_zeroes) {
        features |= 1ULL << VIRTIO_BLK_F_WRITE_ZEROES;
    }
    features |= 1ULL << VIRTIO_BLK_F_SEG_MAX | 1ULL << VIRTIO_BLK_F_GEOMETRY |
                1ULL << VIRTIO_BLK_F_TOPOLOGY | 1ULL << VIRTIO_BLK_F_BLK_SIZE;
    if (!virtio_has_feature(features, VIRTIO_F_VERSION_1)) {
        features &= ~(1ULL << VIRTIO_F_ANY_LAYOUT);
        features |= 1ULL << VIRTIO_BLK_F_SCSI;
    }
    if (blk_enable_write_cache(s->blk) ||
        (s->x_enable_wce_if_config_wce &&
         virtio_has_feature(features, VIRTIO_BLK_F_CONFIG_WCE))) {
        features |= 1ULL << VIRTIO_BLK_F_FLUSH;
    }
    if (blk_is_read_only(s->blk)) {
        features |= 1ULL << VIRTIO_BLK_F_RO;
    }
    if (s->num_queues > 1) {
        features |= 1ULL << VIRTIO_BLK_F_MQ;
    }
    return features;
}

/*
 * QEMU's virtio_blk_set_status: without CONFIG_WCE the cache mode follows
 * the negotiated FLUSH bit once the driver is ready.
 */
static void virtio_blk_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (!(status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    if (!virtio_vdev_has_feature(vdev, VIRTIO_BLK_F_CONFIG_WCE)) {
        blk_set_enable_write_cache(s->blk,
                                   virtio_vdev_has_feature(vdev,
                                                       VIRTIO_BLK_F_FLUSH));
    }
}

static void virtio_blk_drop_retries(VirtIOBlock *s)
{
    while (s->rq) {
        VirtIOBlockReq *req = s->rq;

        s->rq = req->next;
        virtio_blk_free_request(req);
    }
}

/* QEMU's virtio_blk_reset (requests in flight orphaned, see the top) */
static void virtio_blk_reset(VirtIODevice *vdev)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    s->generation++;
    virtio_blk_drop_retries(s);
    blk_set_enable_write_cache(s->blk, s->original_wce);
}

/* ---- realize ----------------------------------------------------------- */

/* QEMU's set_drive_helper: "can't find value" at set time */
static bool virtio_blk_check_drive(Object *obj, const Property *prop,
                                   const void *value, Error **errp)
{
    const char *name = *(const char *const *)value;

    if (name && !blk_by_name(name) && !bdrv_find_node(name)) {
        error_setg(errp, "Property '%s.%s' can't find value '%s'",
                   object_get_typename(obj), prop->name, name);
        return false;
    }
    return true;
}

/* QEMU's set_blocksize with check_block_size */
static bool virtio_blk_check_blocksize(Object *obj, const Property *prop,
                                       const void *value, Error **errp)
{
    uint64_t v = *(const uint64_t *)value;
    const char *id = obj->id ? obj->id : "";

    if (v && (v < MIN_BLOCK_SIZE || v > MAX_BLOCK_SIZE)) {
        error_setg(errp, "Property %s.%s doesn't take value %" PRIu64
                   " (minimum: %d, maximum: %d)", id, prop->name, v,
                   MIN_BLOCK_SIZE, MAX_BLOCK_SIZE);
        return false;
    }
    if (v & (v - 1)) {
        error_setg(errp, "Property %s.%s doesn't take value '%" PRIu64
                   "', it's not a power of 2", id, prop->name, v);
        return false;
    }
    return true;
}

/* QEMU's set_size32 */
static bool virtio_blk_check_size32(Object *obj, const Property *prop,
                                    const void *value, Error **errp)
{
    uint64_t v = *(const uint64_t *)value;

    if (v > UINT32_MAX) {
        error_setg(errp, "Property %s.%s doesn't take value %" PRIu64
                   " (maximum: %u)", obj->id ? obj->id : "", prop->name, v,
                   UINT32_MAX);
        return false;
    }
    return true;
}

static void virtio_blk_read_done(void *opaque, int ret)
{
    *(int *)opaque = ret;
}

/*
 * QEMU's hd_geometry_guess for a disk without a BIOS translation: the
 * MBR's partition ends (guess_disk_lchs), else 16 heads and 63 sectors.
 * Realize runs in the main thread before the VM runs, so sector 0 is
 * read through the block layer and waited for with blk_drain.
 */
static void virtio_blk_guess_geometry(VirtIOBlock *s)
{
    uint64_t nb_sectors = virtio_blk_nb_sectors(s);
    uint8_t buf[SECTOR_SIZE];
    struct iovec iov = { buf, sizeof(buf) };
    int ret = -EINPROGRESS;
    uint64_t cyls;

    if (nb_sectors) {
        /*
         * In a context of its own, so that waiting dispatches nothing
         * but this read (QEMU's blk_pread polls only the block layer)
         */
        GMainContext *ctx = g_main_context_new();

        blk_set_aio_context(s->blk, ctx);
        blk_aio_preadv(s->blk, 0, &iov, 1, virtio_blk_read_done, &ret);
        blk_drain(s->blk);
        blk_set_aio_context(s->blk, NULL);
        g_main_context_unref(ctx);
    }
    if (ret == 0 && buf[510] == 0x55 && buf[511] == 0xaa) {
        for (int i = 0; i < 4; i++) {
            const uint8_t *p = buf + 0x1be + 16 * i;
            uint32_t nr_sects = ldl_le(p + 12);
            unsigned heads = p[5] + 1, sectors = p[6] & 63;

            if (!nr_sects || !p[5] || !sectors) {
                continue;
            }
            cyls = nb_sectors / (heads * sectors);
            if (cyls < 1 || cyls > 16383) {
                continue;
            }
            if (heads > 16) {
                break;      /* an LBA translation: a standard geometry */
            }
            s->cyls = cyls;
            s->heads = heads;
            s->secs = sectors;
            return;
        }
    }
    /* guess_chs_for_size */
    cyls = nb_sectors / (16 * 63);
    s->cyls = cyls > 16383 ? 16383 : cyls < 2 ? 2 : cyls;
    s->heads = 16;
    s->secs = 63;
}

/* QEMU's blkconf_geometry(conf, NULL, 65535, 255, 255) */
static bool virtio_blk_geometry(VirtIOBlock *s, Error **errp)
{
    if (!s->cyls && !s->heads && !s->secs) {
        virtio_blk_guess_geometry(s);
    }
    if (s->cyls < 1 || s->cyls > 65535) {
        error_setg(errp, "cyls must be between 1 and %u", 65535);
        return false;
    }
    if (s->heads < 1 || s->heads > 255) {
        error_setg(errp, "heads must be between 1 and %u", 255);
        return false;
    }
    if (s->secs < 1 || s->secs > 255) {
        error_setg(errp, "secs must be between 1 and %u", 255);
        return false;
    }
    return true;
}

/*
 * QEMU's blkconf_blocksizes: a file reports no block sizes of its own,
 * and neither does a host block device on x86 (QEMU 7.2's
 * hdev_probe_blocksizes asks only s390 DASDs: check_for_dasd fails
 * elsewhere), so unset sizes are 512 for every backend.
 */
static bool virtio_blk_blocksizes(VirtIOBlock *s, Error **errp)
{
    if (!s->physical_block_size) {
        s->physical_block_size = SECTOR_SIZE;
    }
    if (!s->logical_block_size) {
        s->logical_block_size = SECTOR_SIZE;
    }
    if (s->logical_block_size > s->physical_block_size) {
        error_setg(errp,
                   "logical_block_size > physical_block_size not supported");
        return false;
    }
    if (s->min_io_size % s->logical_block_size) {
        error_setg(errp,
                   "min_io_size must be a multiple of logical_block_size");
        return false;
    }
    if (s->min_io_size / s->logical_block_size > UINT16_MAX) {
        error_setg(errp, "min_io_size must not exceed %u logical blocks",
                   UINT16_MAX);
        return false;
    }
    if (s->opt_io_size % s->logical_block_size) {
        error_setg(errp,
                   "opt_io_size must be a multiple of logical_block_size");
        return false;
    }
    if (s->discard_granularity != UINT32_MAX &&
        s->discard_granularity % s->logical_block_size) {
        error_setg(errp, "discard_granularity must be a multiple of "
                   "logical_block_size");
        return false;
    }
    return true;
}

/* QEMU's blkconf_apply_backend_options(conf, read_only, true) */
static bool virtio_blk_apply_backend_options(VirtIOBlock *s, Error **errp)
{
    uint64_t perm = BLK_PERM_CONSISTENT_READ;
    uint64_t shared = BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE_UNCHANGED |
                      BLK_PERM_RESIZE;
    BlockdevOnError rerror = s->rerror, werror = s->werror;

    if (!blk_is_read_only(s->blk)) {
        perm |= BLK_PERM_WRITE;
    }
    if (s->share_rw) {
        shared |= BLK_PERM_WRITE;
    }
    if (!blk_set_perm(s->blk, perm, shared, errp)) {
        return false;
    }
    if (s->wce != ON_OFF_AUTO_AUTO) {
        blk_set_enable_write_cache(s->blk, s->wce == ON_OFF_AUTO_ON);
    }
    if (rerror == BLOCKDEV_ON_ERROR_AUTO) {
        rerror = blk_get_on_error(s->blk, true);
    }
    if (werror == BLOCKDEV_ON_ERROR_AUTO) {
        werror = blk_get_on_error(s->blk, false);
    }
    blk_set_on_error(s->blk, rerror, werror);
    return true;
}

/* The drive: a -drive's backend, or a new one on a -blockdev node */
static bool virtio_blk_attach(VirtIOBlock *s, Error **errp)
{
    BlockDriverState *bs;

    s->blk = blk_by_name(s->drive);
    if (!s->blk) {
        bs = bdrv_find_node(s->drive);
        if (!bs) {
            error_setg(errp, "Property '%s.drive' can't find value '%s'",
                       TYPE_VIRTIO_BLK, s->drive);
            return false;
        }
        s->blk = blk_new_on_node("", bs, 0, BLK_PERM_ALL, errp);
        if (!s->blk) {
            return false;
        }
        s->blk_owned = true;
    }
    if (!blk_attach_dev(s->blk, s)) {
        error_setg(errp, "Drive '%s' is already in use by another device",
                   s->drive);
        if (s->blk_owned) {
            blk_unref(s->blk);
        }
        s->blk = NULL;
        s->blk_owned = false;
        return false;
    }
    return true;
}

static void virtio_blk_detach(VirtIOBlock *s)
{
    if (!s->blk) {
        return;
    }
    blk_drain(s->blk);
    blk_detach_dev(s->blk, s);
    if (s->blk_owned) {
        blk_unref(s->blk);
    } else {
        blk_set_perm(s->blk, BLK_PERM_CONSISTENT_READ, BLK_PERM_ALL, NULL);
    }
    s->blk = NULL;
    s->blk_owned = false;
}

/* What microqemu does not do: refused by name, never ignored */
static bool virtio_blk_check_supported(VirtIOBlock *s, Error **errp)
{
    if (s->bootindex != -1) {
        error_setg(errp, "virtio-blk-device bootindex= is not supported by "
                   "microqemu (microvm has no boot order)");
        return false;
    }
    return true;
}

/* QEMU's virtio_blk_device_realize */
static void virtio_blk_realize_checked(VirtIOBlock *s, Error **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    VirtioBus *vbus = container_of(DEVICE(s)->parent_bus, VirtioBus, bus);

    if (!s->drive) {
        error_setg(errp, "drive property not set");
        return;
    }
    if (!virtio_blk_check_supported(s, errp) ||
        !virtio_blk_attach(s, errp)) {
        return;
    }
    if (!blk_is_inserted(s->blk)) {
        error_setg(errp, "Device needs media, but drive is empty");
        return;
    }
    if (s->num_queues == VIRTIO_BLK_AUTO_NUM_QUEUES) {
        s->num_queues = 1;
    }
    if (!s->num_queues) {
        error_setg(errp, "num-queues property must be larger than 0");
        return;
    }
    if (s->queue_size <= 2) {
        error_setg(errp, "invalid queue-size property (%" PRIu16 "), "
                   "must be > 2", s->queue_size);
        return;
    }
    if ((s->queue_size & (s->queue_size - 1)) ||
        s->queue_size > VIRTQUEUE_MAX_SIZE) {
        error_setg(errp, "invalid queue-size property (%" PRIu16 "), "
                   "must be a power of 2 (max %d)", s->queue_size,
                   VIRTQUEUE_MAX_SIZE);
        return;
    }
    if (!virtio_blk_apply_backend_options(s, errp)) {
        return;
    }
    s->original_wce = blk_enable_write_cache(s->blk);
    if (!virtio_blk_geometry(s, errp) || !virtio_blk_blocksizes(s, errp)) {
        return;
    }
    if (s->discard && (!s->max_discard_sectors ||
                       s->max_discard_sectors >
                       VIRTIO_BLK_REQUEST_MAX_SECTORS)) {
        error_setg(errp, "invalid max-discard-sectors property (%" PRIu32
                   "), must be between 1 and %d", s->max_discard_sectors,
                   (int)VIRTIO_BLK_REQUEST_MAX_SECTORS);
        return;
    }
    if (s->write_zeroes && (!s->max_write_zeroes_sectors ||
                            s->max_write_zeroes_sectors >
                            VIRTIO_BLK_REQUEST_MAX_SECTORS)) {
        error_setg(errp, "invalid max-write-zeroes-sectors property (%"
                   PRIu32 "), must be between 1 and %d",
                   s->max_write_zeroes_sectors,
                   (int)VIRTIO_BLK_REQUEST_MAX_SECTORS);
        return;
    }
    /* QEMU's get_features error, raised when the device is plugged */
    if (s->scsi) {
        if (vbus->ops->features &&
            virtio_has_feature(vbus->ops->features(vbus->bus.parent),
                               VIRTIO_F_VERSION_1)) {
            error_setg(errp, "Please set scsi=off for virtio-blk devices "
                       "in order to use virtio 1.0");
        } else {
            error_setg(errp, "virtio-blk-device scsi=on (SCSI passthrough) "
                       "is not supported by microqemu");
        }
        return;
    }
    /* QEMU's virtio_blk_data_plane_create, the last check */
    if (s->iothread) {
        if (!vbus->ops->ioeventfd_enabled || !vbus->ops->ioeventfd_start) {
            error_setg(errp, "device is incompatible with iothread "
                       "(transport does not support notifiers)");
            return;
        }
        if (!vbus->ops->ioeventfd_enabled(vbus->bus.parent)) {
            error_setg(errp, "ioeventfd is required for iothread");
            return;
        }
        s->dp_iothread = IOTHREAD(object_ref(s->iothread));
    }
    s->config_size = s->write_zeroes ? VIRTIO_BLK_CFG_SIZE_WRITE_ZEROES :
                     s->discard ? VIRTIO_BLK_CFG_SIZE_DISCARD :
                     VIRTIO_BLK_CFG_SIZE_BASE;
    s->sector_mask = s->logical_block_size / SECTOR_SIZE - 1;
    virtio_init(vdev, VIRTIO_ID_BLOCK, s->config_size);
    for (unsigned i = 0; i < s->num_queues; i++) {
        virtio_add_queue(vdev, s->queue_size, virtio_blk_handle_output);
    }
    s->vmstate = qemu_add_vm_change_state_handler(virtio_blk_vm_state_change,
                                                  s);
}

static void virtio_blk_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);
    Error *err = NULL;

    virtio_blk_realize_checked(s, &err);
    if (err) {
        virtio_blk_detach(s);
        error_propagate(errp, err);
    }
}

static void virtio_blk_unrealize(VirtIODevice *vdev)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    virtio_blk_ioeventfd_stop(vdev);
    if (s->dp_iothread) {
        object_unref(OBJECT(s->dp_iothread));
        s->dp_iothread = NULL;
    }
    virtio_blk_detach(s);
    virtio_blk_drop_retries(s);
    if (s->vmstate) {
        qemu_del_vm_change_state_handler(s->vmstate);
        s->vmstate = NULL;
    }
}

/*
 * QEMU 7.2's virtio_blk_properties with DEFINE_BLOCK_PROPERTIES,
 * DEFINE_BLOCK_ERROR_PROPERTIES and DEFINE_BLOCK_CHS_PROPERTIES
 * (bootindex is QEMU's device_add_bootindex_property). Bits of QEMU's
 * host_features print "on/off", plain booleans nothing, as QEMU's help.
 */
#define BLOCKSIZE_DESC "A power of two between 512 B and 2 MiB"
#define ERROR_DESC "Error handling policy, report/ignore/enospc/stop/auto"

static const Property virtio_blk_properties[] = {
    { .name = "drive", .info = &prop_info_string,
      .offset = offsetof(VirtIOBlock, drive),
      .description = "Node name or ID of a block device to use as a backend",
      .check = virtio_blk_check_drive },
    { .name = "backend_defaults", .info = &prop_info_on_off_auto,
      .offset = offsetof(VirtIOBlock, backend_defaults),
      .description = "on/off/auto", .has_default = true,
      .defval.i = ON_OFF_AUTO_AUTO },
    { .name = "logical_block_size", .info = &prop_info_size,
      .offset = offsetof(VirtIOBlock, logical_block_size),
      .description = BLOCKSIZE_DESC, .has_default = true,
      .check = virtio_blk_check_blocksize },
    { .name = "physical_block_size", .info = &prop_info_size,
      .offset = offsetof(VirtIOBlock, physical_block_size),
      .description = BLOCKSIZE_DESC, .has_default = true,
      .check = virtio_blk_check_blocksize },
    { .name = "min_io_size", .info = &prop_info_size,
      .offset = offsetof(VirtIOBlock, min_io_size), .has_default = true,
      .check = virtio_blk_check_size32 },
    { .name = "opt_io_size", .info = &prop_info_size,
      .offset = offsetof(VirtIOBlock, opt_io_size), .has_default = true,
      .check = virtio_blk_check_size32 },
    { .name = "discard_granularity", .info = &prop_info_size,
      .offset = offsetof(VirtIOBlock, discard_granularity),
      .has_default = true, .defval.u = UINT32_MAX,
      .check = virtio_blk_check_size32 },
    DEFINE_PROP_ON_OFF_AUTO("write-cache", VirtIOBlock, wce,
                            ON_OFF_AUTO_AUTO, "on/off/auto"),
    DEFINE_PROP_BOOL("share-rw", VirtIOBlock, share_rw, false, NULL),
    DEFINE_PROP_ON_OFF_AUTO("account-invalid", VirtIOBlock, account_invalid,
                            ON_OFF_AUTO_AUTO, "on/off/auto"),
    DEFINE_PROP_ON_OFF_AUTO("account-failed", VirtIOBlock, account_failed,
                            ON_OFF_AUTO_AUTO, "on/off/auto"),
    { .name = "rerror", .info = &prop_info_enum,
      .offset = offsetof(VirtIOBlock, rerror), .description = ERROR_DESC,
      .has_default = true, .defval.i = BLOCKDEV_ON_ERROR_AUTO,
      .enum_table = blockdev_on_error_table,
      .type_name = "BlockdevOnError" },
    { .name = "werror", .info = &prop_info_enum,
      .offset = offsetof(VirtIOBlock, werror), .description = ERROR_DESC,
      .has_default = true, .defval.i = BLOCKDEV_ON_ERROR_AUTO,
      .enum_table = blockdev_on_error_table,
      .type_name = "BlockdevOnError" },
    DEFINE_PROP_UINT32("cyls", VirtIOBlock, cyls, 0, NULL),
    DEFINE_PROP_UINT32("heads", VirtIOBlock, heads, 0, NULL),
    DEFINE_PROP_UINT32("secs", VirtIOBlock, secs, 0, NULL),
    DEFINE_PROP_UINT32("lcyls", VirtIOBlock, lcyls, 0, NULL),
    DEFINE_PROP_UINT32("lheads", VirtIOBlock, lheads, 0, NULL),
    DEFINE_PROP_UINT32("lsecs", VirtIOBlock, lsecs, 0, NULL),
    DEFINE_PROP_STRING("serial", VirtIOBlock, serial, NULL),
    DEFINE_PROP_BOOL("config-wce", VirtIOBlock, config_wce, true, "on/off"),
    DEFINE_PROP_BOOL("scsi", VirtIOBlock, scsi, false, "on/off"),
    DEFINE_PROP_BOOL("request-merging", VirtIOBlock, request_merging, true,
                     "on/off"),
    DEFINE_PROP_UINT16("num-queues", VirtIOBlock, num_queues,
                       VIRTIO_BLK_AUTO_NUM_QUEUES, NULL),
    DEFINE_PROP_UINT16("queue-size", VirtIOBlock, queue_size, 256, NULL),
    DEFINE_PROP_BOOL("seg-max-adjust", VirtIOBlock, seg_max_adjust, true,
                     NULL),
    { .name = "iothread", .info = &prop_info_link,
      .offset = offsetof(VirtIOBlock, iothread),
      .link_type = TYPE_IOTHREAD, .type_name = "link<iothread>" },
    DEFINE_PROP_BOOL("discard", VirtIOBlock, discard, true, "on/off"),
    DEFINE_PROP_BOOL("report-discard-granularity", VirtIOBlock,
                     report_discard_granularity, true, NULL),
    DEFINE_PROP_BOOL("write-zeroes", VirtIOBlock, write_zeroes, true,
                     "on/off"),
    DEFINE_PROP_UINT32("max-discard-sectors", VirtIOBlock,
                       max_discard_sectors, VIRTIO_BLK_REQUEST_MAX_SECTORS,
                       NULL),
    DEFINE_PROP_UINT32("max-write-zeroes-sectors", VirtIOBlock,
                       max_write_zeroes_sectors,
                       VIRTIO_BLK_REQUEST_MAX_SECTORS, NULL),
    DEFINE_PROP_BOOL("x-enable-wce-if-config-wce", VirtIOBlock,
                     x_enable_wce_if_config_wce, true, NULL),
    DEFINE_PROP_BOOTINDEX(VirtIOBlock, bootindex),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_blk_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->categories = 1u << DEVICE_CATEGORY_STORAGE;
    dc->user_creatable = true;
    vdc->realize = virtio_blk_realize;
    vdc->unrealize = virtio_blk_unrealize;
    vdc->get_config = virtio_blk_get_config;
    vdc->set_config = virtio_blk_set_config;
    vdc->get_features = virtio_blk_get_features;
    vdc->set_status = virtio_blk_set_status;
    vdc->reset = virtio_blk_reset;
    vdc->ioeventfd_start = virtio_blk_ioeventfd_start;
    vdc->ioeventfd_stop = virtio_blk_ioeventfd_stop;
    object_class_add_properties(oc, virtio_blk_properties);
}

static const TypeInfo virtio_blk_info = {
    .name = TYPE_VIRTIO_BLK,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOBlock),
    .class_init = virtio_blk_class_init,
};

void virtio_blk_register_types(void)
{
    type_register_static(&virtio_blk_info);
}
