/*
 * virtio-blk-device: a disk on a BlockBackend (virtio 1.2, 5.2; QEMU
 * 7.2's hw/block/virtio-blk.c, include/hw/virtio/virtio-blk.h,
 * include/standard-headers/linux/virtio_blk.h).
 *
 * Requests are popped on the kick, handed to the block layer, and their
 * status byte is written and their element pushed only in the block
 * layer's completion. Without iothread= all of it runs with the BQL held
 * (completions in the main loop); with iothread=, while the data plane
 * runs (DRIVER_OK, VM running) the iothread alone does it, and the BQL
 * side only starts and stops the data plane (virtio-blk.c, "Data plane").
 */
#ifndef HW_VIRTIO_VIRTIO_BLK_H
#define HW_VIRTIO_VIRTIO_BLK_H

#include "hw/virtio/virtio.h"
#include "block/block.h"
#include "system/runstate.h"
#include "system/iothread.h"

#define TYPE_VIRTIO_BLK "virtio-blk-device"
#define VIRTIO_ID_BLOCK 2

/* Feature bits (virtio 1.2, 5.2.3; legacy ones 5.2.3.1) */
#define VIRTIO_BLK_F_SIZE_MAX       1
#define VIRTIO_BLK_F_SEG_MAX        2
#define VIRTIO_BLK_F_GEOMETRY       4
#define VIRTIO_BLK_F_RO             5
#define VIRTIO_BLK_F_BLK_SIZE       6
#define VIRTIO_BLK_F_SCSI           7
#define VIRTIO_BLK_F_FLUSH          9   /* legacy name: VIRTIO_BLK_F_WCE */
#define VIRTIO_BLK_F_TOPOLOGY       10
#define VIRTIO_BLK_F_CONFIG_WCE     11
#define VIRTIO_BLK_F_MQ             12
#define VIRTIO_BLK_F_DISCARD        13
#define VIRTIO_BLK_F_WRITE_ZEROES   14

/* Config space offsets (struct virtio_blk_config, little endian) */
#define VIRTIO_BLK_CFG_CAPACITY             0   /* le64, 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX             8
#define VIRTIO_BLK_CFG_SEG_MAX              12
#define VIRTIO_BLK_CFG_CYLINDERS            16  /* le16 */
#define VIRTIO_BLK_CFG_HEADS                18  /* u8 */
#define VIRTIO_BLK_CFG_SECTORS              19  /* u8 */
#define VIRTIO_BLK_CFG_BLK_SIZE             20
#define VIRTIO_BLK_CFG_PHYSICAL_BLOCK_EXP   24  /* u8 */
#define VIRTIO_BLK_CFG_ALIGNMENT_OFFSET     25  /* u8 */
#define VIRTIO_BLK_CFG_MIN_IO_SIZE          26  /* le16 */
#define VIRTIO_BLK_CFG_OPT_IO_SIZE          28
#define VIRTIO_BLK_CFG_WCE                  32  /* u8 */
#define VIRTIO_BLK_CFG_NUM_QUEUES           34  /* le16 */
#define VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS  36
#define VIRTIO_BLK_CFG_MAX_DISCARD_SEG      40
#define VIRTIO_BLK_CFG_DISCARD_ALIGNMENT    44
#define VIRTIO_BLK_CFG_MAX_WZ_SECTORS       48
#define VIRTIO_BLK_CFG_MAX_WZ_SEG           52
#define VIRTIO_BLK_CFG_WZ_MAY_UNMAP         56  /* u8 */
/* QEMU's sizes: up to num_queues, then past discard, past write zeroes */
#define VIRTIO_BLK_CFG_SIZE_BASE            36
#define VIRTIO_BLK_CFG_SIZE_DISCARD         48
#define VIRTIO_BLK_CFG_SIZE_WRITE_ZEROES    57
#define VIRTIO_BLK_CFG_SIZE_MAX_LEN         60

/* Request types (5.2.6) */
#define VIRTIO_BLK_T_IN             0
#define VIRTIO_BLK_T_OUT            1
#define VIRTIO_BLK_T_SCSI_CMD       2
#define VIRTIO_BLK_T_FLUSH          4
#define VIRTIO_BLK_T_GET_ID         8
#define VIRTIO_BLK_T_DISCARD        11
#define VIRTIO_BLK_T_WRITE_ZEROES   13
#define VIRTIO_BLK_T_BARRIER        0x80000000u

/* Status byte */
#define VIRTIO_BLK_S_OK             0
#define VIRTIO_BLK_S_IOERR          1
#define VIRTIO_BLK_S_UNSUPP         2

#define VIRTIO_BLK_ID_BYTES         20
#define VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP 1
/* outhdr: type le32, ioprio le32, sector le64 */
#define VIRTIO_BLK_OUTHDR_SIZE      16
/* discard/write-zeroes segment: sector le64, num_sectors le32, flags le32 */
#define VIRTIO_BLK_DWZ_SIZE         16

/* QEMU's BDRV_REQUEST_MAX_SECTORS: MIN(SIZE_MAX, INT_MAX) >> 9, aligned */
#define VIRTIO_BLK_REQUEST_MAX_SECTORS  4194303u
#define VIRTIO_BLK_AUTO_NUM_QUEUES      UINT16_MAX

typedef struct VirtIOBlock VirtIOBlock;

/* One request in flight: the element, and what was parsed from it. */
typedef struct VirtIOBlockReq {
    VirtQueueElement elem;      /* first: virtqueue_pop's convention */
    VirtIOBlock *dev;
    VirtQueue *vq;
    struct VirtIOBlockReq *next;    /* the retry list (werror=stop) */
    uint32_t type;              /* IN, OUT, FLUSH, DISCARD, WRITE_ZEROES */
    uint8_t *status;            /* the in header's status byte */
    unsigned in_len;            /* bytes the used entry reports */
    int64_t offset;
    int64_t bytes;
    int flags;                  /* BDRV_REQ_MAY_UNMAP for write zeroes */
    struct iovec *iov;          /* the data buffers, inside elem */
    unsigned niov;
    uint64_t generation;        /* the device's at submission */
} VirtIOBlockReq;

struct VirtIOBlock {
    VirtIODevice parent_obj;
    /* Properties (QEMU 7.2's virtio_blk_properties, BlockConf) */
    char *drive;
    char *serial;
    bool config_wce;
    bool scsi;
    bool request_merging;
    bool discard;
    bool write_zeroes;
    uint16_t num_queues;
    uint16_t queue_size;
    bool seg_max_adjust;
    Object *iothread;
    bool report_discard_granularity;
    uint32_t max_discard_sectors;
    uint32_t max_write_zeroes_sectors;
    bool x_enable_wce_if_config_wce;
    uint64_t logical_block_size;
    uint64_t physical_block_size;
    uint64_t min_io_size;
    uint64_t opt_io_size;
    uint64_t discard_granularity;
    int wce;                    /* OnOffAuto write-cache= */
    bool share_rw;
    int account_invalid;        /* OnOffAuto */
    int account_failed;         /* OnOffAuto */
    int backend_defaults;       /* OnOffAuto */
    int rerror;                 /* BlockdevOnError (AUTO: the drive's) */
    int werror;
    uint32_t cyls, heads, secs;
    uint32_t lcyls, lheads, lsecs;
    int32_t bootindex;
    /* State */
    BlockBackend *blk;
    bool blk_owned;             /* made on a -blockdev node, ours to unref */
    bool original_wce;
    uint64_t sector_mask;
    size_t config_size;
    uint64_t generation;        /* bumped by reset: orphans old requests */
    VirtIOBlockReq *rq;         /* failed with werror=stop: retried on run */
    VMChangeStateEntry *vmstate;
    /* The data plane (iothread=) */
    IOThread *dp_iothread;      /* referenced while realized */
    int *dp_fds;                /* the queues' kick eventfds, while taken */
    unsigned dp_nfds;
    GSource **dp_sources;       /* their watches, in the iothread */
    bool dp_running;            /* the iothread owns the queues */
};

#define VIRTIO_BLK(obj) OBJECT_CHECK(VirtIOBlock, (obj), TYPE_VIRTIO_BLK)

void virtio_blk_register_types(void);

#endif
