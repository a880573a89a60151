/*
 * virtio-blk-device (QEMU 7.2 hw/block/virtio-blk.c) on fake guest memory
 * and a 1 MiB raw image, driven through the virtio core as a transport
 * would: features and config (legacy and modern, properties), every
 * request type, the status byte written only at completion, flush after
 * fdatasync, short and missing headers, out-of-range and misaligned
 * sectors, read-only, the werror/rerror policies (report, ignore, stop
 * with the retry on resume), realize errors, reset with requests in
 * flight; and with iothread=, the data plane: the same requests served
 * and completed in the iothread, interrupts raised by the main loop, a
 * reset and a VM stop that drain, werror=stop resumed there.
 */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-blk.h"
#include "block/block-int.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "system/iothread.h"
#include "system/object-add.h"
#include "qemu/thread.h"
#include <sys/eventfd.h>
#include "log-capture.h"
#include "virtio-test-ring.h"

#define RAM_SIZE    (1 << 20)
#define IMG_SIZE    (1 << 20)
#define NSECT       (IMG_SIZE / 512)
#define Q_DESC      0x10000     /* the ring helper's area, to BUFS */
#define BUFS        0x20000

static char *tmpdir, *img;
static bool modern;

/* ---- injected host I/O ------------------------------------------------- */

static struct {
    int read_errno, write_errno;
    int syncs;
    const uint8_t *watch;       /* a status byte read at each fdatasync */
    int watched_at_sync;
    bool gated;                 /* reads wait for the gate to open */
} inj;

/* The read gate: holds reads in the workers (requests stay in flight) */
static QemuMutex gate_lock = QEMU_MUTEX_INITIALIZER;
static QemuCond gate_cond = QEMU_COND_INITIALIZER;
static bool gate_open;

static void gate_set(bool open)
{
    qemu_mutex_lock(&gate_lock);
    gate_open = open;
    qemu_cond_broadcast(&gate_cond);
    qemu_mutex_unlock(&gate_lock);
}

static ssize_t inj_preadv(int fd, const struct iovec *iov, int iovcnt,
                          off_t off)
{
    if (inj.gated) {
        qemu_mutex_lock(&gate_lock);
        while (!gate_open) {
            qemu_cond_wait(&gate_cond, &gate_lock);
        }
        qemu_mutex_unlock(&gate_lock);
    }
    if (inj.read_errno) {
        errno = inj.read_errno;
        return -1;
    }
    return preadv(fd, iov, iovcnt, off);
}

static ssize_t inj_pwritev(int fd, const struct iovec *iov, int iovcnt,
                           off_t off)
{
    if (inj.write_errno) {
        errno = inj.write_errno;
        return -1;
    }
    return pwritev(fd, iov, iovcnt, off);
}

static int inj_fdatasync(int fd)
{
    int ret = fdatasync(fd);

    if (inj.watch) {
        inj.watched_at_sync = *inj.watch;
    }
    g_atomic_int_inc(&inj.syncs);
    return ret;
}

static const BlockHostIO inj_io = {
    .preadv = inj_preadv,
    .pwritev = inj_pwritev,
    .fdatasync = inj_fdatasync,
    .fallocate = fallocate,
};

/* ---- the driver side: one split ring ---------------------------------- */

static TestRing rq;
static unsigned buf_next;

/* A buffer in the request area, filled with fill */
static uint64_t buf_new(uint32_t len, int fill)
{
    uint64_t gpa = BUFS + buf_next;

    buf_next += ((len ? len : 1) + 15) & ~15u;
    g_assert_cmpuint(BUFS + buf_next, <=, RAM_SIZE);
    memset(test_ram + gpa, fill, len);
    return gpa;
}

typedef struct Seg {
    uint64_t gpa;
    uint32_t len;
    bool writable;
} Seg;

static unsigned offer(const Seg *segs, unsigned n)
{
    TestSeg t[8];

    g_assert_cmpuint(n, <=, G_N_ELEMENTS(t));
    for (unsigned i = 0; i < n; i++) {
        t[i] = (TestSeg) { .len = segs[i].len, .writable = segs[i].writable,
                           .gpa = segs[i].gpa };
    }
    return test_ring_offer_at(&rq, t, n);
}

static uint64_t outhdr(uint32_t type, uint64_t sector)
{
    uint64_t gpa = buf_new(16, 0);
    uint32_t t = GUINT32_TO_LE(type);
    uint64_t s = GUINT64_TO_LE(sector);

    memcpy(test_ram + gpa, &t, 4);
    memcpy(test_ram + gpa + 8, &s, 8);
    return gpa;
}

/* One request: header, data (out or in), status; returns the status gpa */
typedef struct Req {
    unsigned head;
    uint64_t data;
    uint64_t status;
} Req;

static Req req_rw(uint32_t type, uint64_t sector, uint32_t len, int fill)
{
    Req r;
    bool in = type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_GET_ID;
    Seg s[3];

    s[0] = (Seg) { outhdr(type, sector), 16, false };
    r.data = buf_new(len, fill);
    s[1] = (Seg) { r.data, len, in };
    r.status = buf_new(1, 0xff);
    s[2] = (Seg) { r.status, 1, true };
    r.head = len ? offer(s, 3) : offer((Seg[]) { s[0], s[2] }, 2);
    return r;
}

static Req req_dwz(uint32_t type, uint64_t sector, uint32_t num,
                   uint32_t flags)
{
    Req r;
    uint64_t seg = buf_new(16, 0);
    uint64_t s = GUINT64_TO_LE(sector);
    uint32_t n = GUINT32_TO_LE(num), f = GUINT32_TO_LE(flags);

    memcpy(test_ram + seg, &s, 8);
    memcpy(test_ram + seg + 8, &n, 4);
    memcpy(test_ram + seg + 12, &f, 4);
    r.data = seg;
    r.status = buf_new(1, 0xff);
    r.head = offer((Seg[]) {
        { outhdr(type, 0), 16, false }, { seg, 16, false },
        { r.status, 1, true } }, 3);
    return r;
}

static uint16_t used_idx(void)
{
    return test_ring_used_idx(&rq);
}

/* The next used entry: its id and length */
static void take_used(uint32_t *id, uint32_t *len)
{
    g_assert_true(test_ring_take_used(&rq, id, len));
}

/* ---- fixture ----------------------------------------------------------- */

static VirtIOBlock *vblk;
static VirtIODevice *vdev;

static void make_image(void)
{
    int fd = open(img, O_RDWR | O_CREAT | O_TRUNC, 0600);
    uint8_t sect[512];

    g_assert_cmpint(fd, >=, 0);
    for (unsigned i = 0; i < NSECT; i++) {
        memset(sect, (i + 1) & 0xff, sizeof(sect));
        g_assert_cmpint(write(fd, sect, sizeof(sect)), ==, sizeof(sect));
    }
    close(fd);
}

static BlockBackend *drive(const char *extra)
{
    BlockOpts *opts = block_opts_new();
    g_auto(GStrv) kv = g_strsplit(extra, ",", -1);

    block_opts_set(opts, "file", img, BLOCK_OPT_STRING);
    block_opts_set(opts, "format", "raw", BLOCK_OPT_STRING);
    for (int i = 0; kv[i] && *kv[i]; i++) {
        g_auto(GStrv) p = g_strsplit(kv[i], "=", 2);

        block_opts_set(opts, p[0], p[1], BLOCK_OPT_STRING);
    }
    return blk_new_from_drive_opts("d0", opts, &error_abort);
}

static void bus_up_ops(const VirtioBusOps *ops)
{
    modern = ops->features != NULL;
    test_ram_init(RAM_SIZE, ops);
    memset(&inj, 0, sizeof(inj));
    block_uring_set_enabled(false);
    block_host_io_set(&inj_io);
    make_image();
}

static void bus_up(bool is_modern)
{
    bus_up_ops(is_modern ? &test_vbus_modern_ops : &test_vbus_legacy_ops);
}

static void bus_down(void)
{
    qdev_unrealize_all();
    bdrv_close_all();
    block_host_io_set(NULL);
    test_ram_cleanup();
    vblk = NULL;
    vdev = NULL;
}

/* The device on drive d0 with "prop", "value" pairs; NULL on error */
static VirtIOBlock *vblk_new(const char *const *props, Error **errp)
{
    Object *obj = object_new(TYPE_VIRTIO_BLK);

    for (; props && props[0]; props += 2) {
        if (!object_property_parse(obj, props[0], props[1], errp)) {
            object_unref(obj);
            return NULL;
        }
    }
    DEVICE(obj)->parent_bus = &test_vbus.bus;
    if (!qdev_realize_and_unref(DEVICE(obj), errp)) {
        return NULL;
    }
    return VIRTIO_BLK(obj);
}

static void setup(const char *drive_opts, const char *const *props)
{
    static const char *const d0[] = { "drive", "d0", NULL };
    const char *all[32] = { "drive", "d0" };
    unsigned n = 2;

    bus_up(false);
    drive(drive_opts);
    for (; props && props[0]; props++) {
        all[n++] = props[0];
    }
    all[n] = NULL;
    vblk = vblk_new(props ? all : d0, &error_abort);
    vdev = VIRTIO_DEVICE(vblk);
}

static void driver_ready(uint64_t features)
{
    virtio_reset(vdev);
    g_assert_cmpint(virtio_set_features(vdev, features & vdev->host_features),
                    ==, 0);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    buf_next = 0;
    test_ring_init(&rq, vdev, 0, Q_DESC, BUFS - Q_DESC, 0x1000);
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);
}

/* Kicks; nothing is completed inside the kick, everything after a drain */
static void kick_and_wait(unsigned expect_used)
{
    uint16_t before = used_idx();

    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(used_idx(), ==, before);
    blk_drain(vblk->blk);
    g_assert_cmpuint(used_idx(), ==, (uint16_t)(before + expect_used));
}

/* Kicks a request that completes at once (no block I/O) */
static void kick_now(void)
{
    virtio_queue_notify(vdev, 0);
}

static void expect_done(const Req *r, uint8_t status, uint32_t in_len)
{
    uint32_t id, len;

    take_used(&id, &len);
    g_assert_cmpuint(id, ==, r->head);
    g_assert_cmpuint(len, ==, in_len);
    g_assert_cmpuint(test_ram[r->status], ==, status);
}

static uint8_t cfg8(unsigned off)
{
    return virtio_config_read(vdev, off, 1);
}

static uint32_t cfg32(unsigned off)
{
    return virtio_config_read(vdev, off, 4);
}

static void read_image(uint64_t off, void *buf, size_t len)
{
    int fd = open(img, O_RDONLY);

    g_assert_cmpint(pread(fd, buf, len, off), ==, (ssize_t)len);
    close(fd);
}

#define F(bit) (1ULL << (bit))

/* ---- cases ------------------------------------------------------------- */

static void test_config_legacy(void)
{
    uint64_t want = F(VIRTIO_BLK_F_SEG_MAX) | F(VIRTIO_BLK_F_GEOMETRY) |
                    F(VIRTIO_BLK_F_BLK_SIZE) | F(VIRTIO_BLK_F_TOPOLOGY) |
                    F(VIRTIO_BLK_F_FLUSH) | F(VIRTIO_BLK_F_CONFIG_WCE) |
                    F(VIRTIO_BLK_F_DISCARD) | F(VIRTIO_BLK_F_WRITE_ZEROES) |
                    F(VIRTIO_BLK_F_SCSI) | F(VIRTIO_RING_F_INDIRECT_DESC) |
                    F(VIRTIO_RING_F_EVENT_IDX) | F(VIRTIO_F_NOTIFY_ON_EMPTY);

    setup("", NULL);
    /* legacy: SCSI offered, ANY_LAYOUT hidden (QEMU's get_features) */
    g_assert_cmphex(vdev->host_features & ~F(VIRTIO_F_RING_RESET), ==, want);
    g_assert_cmpuint(vdev->config_len, ==, 57);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_CAPACITY), ==, NSECT);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_CAPACITY + 4), ==, 0);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_SIZE_MAX), ==, 0);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_SEG_MAX), ==, 254);
    /* guess_chs_for_size: 2048 sectors, 16 heads, 63 sectors: 2 cyls */
    g_assert_cmpuint(virtio_config_read(vdev, VIRTIO_BLK_CFG_CYLINDERS, 2),
                     ==, 2);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_HEADS), ==, 16);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_SECTORS), ==, 63);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_BLK_SIZE), ==, 512);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_PHYSICAL_BLOCK_EXP), ==, 0);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_WCE), ==, 1);
    g_assert_cmpuint(virtio_config_read(vdev, VIRTIO_BLK_CFG_NUM_QUEUES, 2),
                     ==, 1);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS), ==,
                     4194303);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_MAX_DISCARD_SEG), ==, 1);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_DISCARD_ALIGNMENT), ==, 1);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_MAX_WZ_SECTORS), ==, 4194303);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_MAX_WZ_SEG), ==, 1);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_WZ_MAY_UNMAP), ==, 1);
    /* past the end: all ones */
    g_assert_cmphex(cfg8(57), ==, 0xff);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 0), ==, 256);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 1), ==, 0);
    /* the guest turns the cache off: writethrough */
    virtio_config_write(vdev, VIRTIO_BLK_CFG_WCE, 1, 0);
    g_assert_false(blk_enable_write_cache(vblk->blk));
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_WCE), ==, 0);
    /* reset restores the mode realize found */
    virtio_reset(vdev);
    g_assert_true(blk_enable_write_cache(vblk->blk));
    bus_down();
}

static void test_config_props(void)
{
    static const char *const props[] = {
        "num-queues", "2", "queue-size", "64", "discard", "off",
        "write-zeroes", "off", "config-wce", "off", "serial", "x",
        "physical_block_size", "4096", "min_io_size", "1024",
        "opt_io_size", "8192", "cyls", "100", "heads", "4", "secs", "32",
        "write-cache", "off", NULL
    };
    static const char *const noadjust[] = { "seg-max-adjust", "off", NULL };

    setup("", props);
    g_assert_true(virtio_has_feature(vdev->host_features, VIRTIO_BLK_F_MQ));
    g_assert_false(virtio_has_feature(vdev->host_features,
                                      VIRTIO_BLK_F_DISCARD));
    g_assert_false(virtio_has_feature(vdev->host_features,
                                      VIRTIO_BLK_F_CONFIG_WCE));
    /* write-cache=off and no CONFIG_WCE: no FLUSH offered */
    g_assert_false(virtio_has_feature(vdev->host_features,
                                      VIRTIO_BLK_F_FLUSH));
    g_assert_cmpuint(vdev->config_len, ==, 36);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_SEG_MAX), ==, 62);
    g_assert_cmpuint(virtio_config_read(vdev, VIRTIO_BLK_CFG_CYLINDERS, 2),
                     ==, 100);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_HEADS), ==, 4);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_SECTORS), ==, 32);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_PHYSICAL_BLOCK_EXP), ==, 3);
    g_assert_cmpuint(virtio_config_read(vdev, VIRTIO_BLK_CFG_MIN_IO_SIZE, 2),
                     ==, 2);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_OPT_IO_SIZE), ==, 16);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_WCE), ==, 0);
    g_assert_cmpuint(virtio_config_read(vdev, VIRTIO_BLK_CFG_NUM_QUEUES, 2),
                     ==, 2);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 1), ==, 64);
    g_assert_cmphex(cfg8(36), ==, 0xff);
    bus_down();

    setup("", noadjust);
    g_assert_cmpuint(cfg32(VIRTIO_BLK_CFG_SEG_MAX), ==, 126);
    bus_down();

    /* read-only: RO offered */
    setup("read-only=on", NULL);
    g_assert_true(virtio_has_feature(vdev->host_features, VIRTIO_BLK_F_RO));
    bus_down();

    /* modern: no SCSI, ANY_LAYOUT kept (hidden by the transport) */
    bus_up(true);
    drive("");
    vblk = vblk_new((const char *const[]) { "drive", "d0", NULL },
                    &error_abort);
    vdev = VIRTIO_DEVICE(vblk);
    g_assert_false(virtio_has_feature(vdev->host_features,
                                      VIRTIO_BLK_F_SCSI));
    g_assert_true(virtio_has_feature(vdev->host_features,
                                     VIRTIO_F_ANY_LAYOUT));
    g_assert_true(virtio_has_feature(vdev->host_features,
                                     VIRTIO_F_VERSION_1));
    bus_down();
}

/* An MBR whose partition ends on head 7, sector 20: 8 heads, 20 secs */
static void test_geometry_mbr(void)
{
    uint8_t mbr[512] = { 0 };
    int fd;

    bus_up(false);
    mbr[0x1be + 5] = 7;
    mbr[0x1be + 6] = 20;
    mbr[0x1be + 12] = 100;
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    fd = open(img, O_WRONLY);
    g_assert_cmpint(pwrite(fd, mbr, sizeof(mbr), 0), ==, sizeof(mbr));
    close(fd);
    drive("");
    vblk = vblk_new((const char *const[]) { "drive", "d0", NULL },
                    &error_abort);
    vdev = VIRTIO_DEVICE(vblk);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_HEADS), ==, 8);
    g_assert_cmpuint(cfg8(VIRTIO_BLK_CFG_SECTORS), ==, 20);
    g_assert_cmpuint(virtio_config_read(vdev, VIRTIO_BLK_CFG_CYLINDERS, 2),
                     ==, NSECT / (8 * 20));
    bus_down();
}

static void test_read_write(void)
{
    Req r, w;
    uint8_t back[1024];

    setup("", NULL);
    driver_ready(F(VIRTIO_BLK_F_FLUSH) | F(VIRTIO_RING_F_INDIRECT_DESC));
    r = req_rw(VIRTIO_BLK_T_IN, 3, 1024, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 1025);
    for (unsigned i = 0; i < 1024; i++) {
        g_assert_cmpuint(test_ram[r.data + i], ==, i < 512 ? 4 : 5);
    }

    /* a write in two data buffers, then read back from the image */
    w.status = buf_new(1, 0xff);
    w.data = buf_new(1024, 0xa5);
    memset(test_ram + w.data + 512, 0x3c, 512);
    w.head = offer((Seg[]) {
        { outhdr(VIRTIO_BLK_T_OUT, 10), 16, false },
        { w.data, 512, false }, { w.data + 512, 512, false },
        { w.status, 1, true } }, 4);
    /* and the header split over two buffers of a read behind it */
    r.status = buf_new(1, 0xff);
    r.data = buf_new(512, 0);
    {
        uint64_t h = outhdr(VIRTIO_BLK_T_IN, 11);

        r.head = offer((Seg[]) {
            { h, 5, false }, { h + 5, 11, false },
            { r.data, 512, true }, { r.status, 1, true } }, 4);
    }
    kick_and_wait(2);
    /* completion order is the block layer's: check both by id */
    for (int i = 0; i < 2; i++) {
        uint32_t id, len;

        take_used(&id, &len);
        g_assert_true(id == w.head || id == r.head);
        g_assert_cmpuint(len, ==, id == w.head ? 1 : 513);
    }
    g_assert_cmpuint(test_ram[w.status], ==, VIRTIO_BLK_S_OK);
    g_assert_cmpuint(test_ram[r.status], ==, VIRTIO_BLK_S_OK);
    read_image(10 * 512, back, sizeof(back));
    g_assert_cmpuint(back[0], ==, 0xa5);
    g_assert_cmpuint(back[511], ==, 0xa5);
    g_assert_cmpuint(back[512], ==, 0x3c);
    g_assert_cmpuint(back[1023], ==, 0x3c);
    /* the read behind the write saw either the old or the new data */
    g_assert_true(test_ram[r.data] == 12 || test_ram[r.data] == 0x3c);

    /* the status and data byte in one buffer: data is all but the last */
    r.data = buf_new(513, 0);
    r.status = r.data + 512;
    r.head = offer((Seg[]) { { outhdr(VIRTIO_BLK_T_IN, 0), 16, false },
                             { r.data, 513, true } }, 2);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 513);
    g_assert_cmpuint(test_ram[r.data + 511], ==, 1);
    bus_down();
}

static void test_flush(void)
{
    Req w, f;

    setup("cache.writeback=on", NULL);
    driver_ready(F(VIRTIO_BLK_F_FLUSH) | F(VIRTIO_BLK_F_CONFIG_WCE));
    w = req_rw(VIRTIO_BLK_T_OUT, 0, 512, 0x11);
    kick_and_wait(1);
    expect_done(&w, VIRTIO_BLK_S_OK, 1);
    /* writeback: the write completed without a sync */
    g_assert_cmpint(inj.syncs, ==, 0);
    f = req_rw(VIRTIO_BLK_T_FLUSH, 0, 0, 0);
    inj.watch = test_ram + f.status;
    virtio_queue_notify(vdev, 0);
    blk_drain(vblk->blk);
    g_assert_cmpint(inj.syncs, ==, 1);
    /* the status was not written yet when the host's fdatasync ran */
    g_assert_cmpuint(inj.watched_at_sync, ==, 0xff);
    inj.watch = NULL;
    expect_done(&f, VIRTIO_BLK_S_OK, 1);

    /* the guest turns the cache off: each write is synced before done */
    virtio_config_write(vdev, VIRTIO_BLK_CFG_WCE, 1, 0);
    w = req_rw(VIRTIO_BLK_T_OUT, 1, 512, 0x22);
    kick_and_wait(1);
    expect_done(&w, VIRTIO_BLK_S_OK, 1);
    g_assert_cmpint(inj.syncs, ==, 2);
    bus_down();

    /* a driver without CONFIG_WCE and without FLUSH: writethrough */
    setup("cache.writeback=on", NULL);
    driver_ready(0);
    g_assert_false(blk_enable_write_cache(vblk->blk));
    virtio_reset(vdev);
    g_assert_true(blk_enable_write_cache(vblk->blk));
    bus_down();
}

static void test_get_id(void)
{
    static const char *const p20[] = {
        "serial", "0123456789abcdefghijKLMN", NULL
    };
    static const char *const pshort[] = { "serial", "abc", NULL };
    Req r;

    setup("", pshort);
    driver_ready(0);
    r = req_rw(VIRTIO_BLK_T_GET_ID, 0, 20, 0x77);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_OK, 21);
    g_assert_cmpmem(test_ram + r.data, 5, "abc\0\x77", 5);
    bus_down();

    setup("", p20);
    driver_ready(0);
    r = req_rw(VIRTIO_BLK_T_GET_ID, 0, 24, 0x77);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_OK, 25);
    /* 20 bytes, no NUL (QEMU's convention) */
    g_assert_cmpmem(test_ram + r.data, 21, "0123456789abcdefghij\x77", 21);
    /* no serial: an empty string */
    bus_down();
    setup("", NULL);
    driver_ready(0);
    r = req_rw(VIRTIO_BLK_T_GET_ID, 0, 4, 0x77);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_OK, 5);
    g_assert_cmpuint(test_ram[r.data], ==, 0);
    g_assert_cmpuint(test_ram[r.data + 1], ==, 0x77);
    bus_down();
}

static void test_discard_write_zeroes(void)
{
    uint8_t back[1024];
    Req r;

    setup("discard=unmap", NULL);
    driver_ready(F(VIRTIO_BLK_F_DISCARD) | F(VIRTIO_BLK_F_WRITE_ZEROES));
    r = req_dwz(VIRTIO_BLK_T_WRITE_ZEROES, 4, 2, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 1);
    read_image(3 * 512, back, sizeof(back));
    g_assert_cmpuint(back[511], ==, 4);
    g_assert_cmpuint(back[512], ==, 0);
    read_image(5 * 512, back, sizeof(back));
    g_assert_cmpuint(back[511], ==, 0);
    g_assert_cmpuint(back[512], ==, 7);
    /* with the unmap flag */
    r = req_dwz(VIRTIO_BLK_T_WRITE_ZEROES, 8, 8, 1);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 1);
    read_image(8 * 512, back, sizeof(back));
    g_assert_cmpuint(back[0] | back[1023], ==, 0);
    /* a discard: a hole reads as zeroes */
    r = req_dwz(VIRTIO_BLK_T_DISCARD, 256, 256, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 1);
    read_image(300 * 512, back, sizeof(back));
    g_assert_cmpuint(back[0] | back[1023], ==, 0);

    /* refused at once: unmap on a discard, unknown flags */
    r = req_dwz(VIRTIO_BLK_T_DISCARD, 0, 1, 1);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_UNSUPP, 1);
    r = req_dwz(VIRTIO_BLK_T_WRITE_ZEROES, 0, 1, 2);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_UNSUPP, 1);
    /* too many sectors, past the end */
    r = req_dwz(VIRTIO_BLK_T_DISCARD, 0, 4194304, 0);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_IOERR, 1);
    r = req_dwz(VIRTIO_BLK_T_WRITE_ZEROES, NSECT - 1, 2, 0);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_IOERR, 1);
    /* without the OUT bit (type 10): unsupported */
    r = req_dwz(VIRTIO_BLK_T_DISCARD & ~VIRTIO_BLK_T_OUT, 0, 1, 0);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_UNSUPP, 1);
    /* two segments: unsupported */
    r.status = buf_new(1, 0xff);
    r.head = offer((Seg[]) {
        { outhdr(VIRTIO_BLK_T_DISCARD, 0), 16, false },
        { buf_new(32, 0), 32, false }, { r.status, 1, true } }, 3);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_UNSUPP, 1);
    bus_down();
}

static void test_bad_requests(void)
{
    Req r;

    setup("", NULL);
    driver_ready(0);
    /* unknown types and SCSI commands: unsupported */
    r = req_rw(99, 0, 512, 0);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_UNSUPP, 1);
    r = req_rw(VIRTIO_BLK_T_SCSI_CMD, 0, 512, 0);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_UNSUPP, 1);
    /* past the end, across the end, a partial sector */
    r = req_rw(VIRTIO_BLK_T_IN, NSECT, 512, 0x55);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_IOERR, 513);
    g_assert_cmpuint(test_ram[r.data], ==, 0x55);
    r = req_rw(VIRTIO_BLK_T_OUT, NSECT - 1, 1024, 0);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_IOERR, 1);
    r = req_rw(VIRTIO_BLK_T_IN, 0, 100, 0);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_IOERR, 101);
    r = req_rw(VIRTIO_BLK_T_IN, UINT64_MAX, 512, 0);
    kick_now();
    expect_done(&r, VIRTIO_BLK_S_IOERR, 513);
    /* the last sector is fine; so is a read of nothing at the end */
    r = req_rw(VIRTIO_BLK_T_IN, NSECT - 1, 512, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 513);
    g_assert_cmpuint(test_ram[r.data], ==, NSECT & 0xff);
    bus_down();
}

static void expect_broken(const Seg *segs, unsigned n, const char *msg)
{
    g_autofree char *log = NULL;

    setup("", NULL);
    driver_ready(0);
    log_capture_start(LOG_GUEST_ERROR);
    offer(segs, n);
    kick_now();
    log = log_capture_take();
    log_capture_stop();
    g_assert_nonnull(strstr(log, msg));
    g_assert_true(vdev->broken);
    g_assert_cmpuint(used_idx(), ==, 0);
    bus_down();
}

static void test_malformed(void)
{
    uint64_t h = BUFS + 0x8000, st = BUFS + 0x9000;

    expect_broken((Seg[]) { { h, 16, false } }, 1,
                  "virtio-blk missing headers");
    expect_broken((Seg[]) { { st, 1, true } }, 1,
                  "virtio-blk missing headers");
    expect_broken((Seg[]) { { h, 15, false }, { st, 1, true } }, 2,
                  "virtio-blk request outhdr too short");
    {
        /* a discard header of 8 bytes */
        bus_up(false);
        drive("");
        vblk = vblk_new((const char *const[]) { "drive", "d0", NULL },
                        &error_abort);
        vdev = VIRTIO_DEVICE(vblk);
        driver_ready(0);
        log_capture_start(LOG_GUEST_ERROR);
        offer((Seg[]) { { outhdr(VIRTIO_BLK_T_WRITE_ZEROES, 0), 16, false },
                        { buf_new(8, 0), 8, false },
                        { buf_new(1, 0xff), 1, true } }, 3);
        kick_now();
        {
            g_autofree char *log = log_capture_take();

            g_assert_nonnull(strstr(log, "virtio-blk discard/write_zeroes "
                                    "header too short"));
        }
        log_capture_stop();
        g_assert_true(vdev->broken);
        bus_down();
    }
}

static void test_read_only(void)
{
    Req r;

    setup("read-only=on", NULL);
    driver_ready(0);
    r = req_rw(VIRTIO_BLK_T_OUT, 0, 512, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_IOERR, 1);
    r = req_dwz(VIRTIO_BLK_T_WRITE_ZEROES, 0, 1, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_IOERR, 1);
    /* discard=ignore: a discard is done, doing nothing (QEMU 7.2) */
    r = req_dwz(VIRTIO_BLK_T_DISCARD, 0, 1, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 1);
    r = req_rw(VIRTIO_BLK_T_IN, 0, 512, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 513);
    bus_down();
}

static void test_error_report_ignore(void)
{
    static const char *const dev_ignore[] = { "rerror", "ignore", NULL };
    Req r;

    /* the drive's policy: rerror=report (default) */
    setup("", NULL);
    driver_ready(0);
    inj.read_errno = EIO;
    r = req_rw(VIRTIO_BLK_T_IN, 0, 512, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_IOERR, 513);
    /* werror=enospc (default) reports EIO */
    inj.write_errno = EIO;
    r = req_rw(VIRTIO_BLK_T_OUT, 0, 512, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_IOERR, 1);
    bus_down();

    /* the device's rerror=ignore overrides the drive's */
    setup("rerror=report", dev_ignore);
    driver_ready(0);
    inj.read_errno = EIO;
    r = req_rw(VIRTIO_BLK_T_IN, 0, 512, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 513);
    g_assert_cmpint(blk_get_on_error(vblk->blk, true), ==,
                    BLOCKDEV_ON_ERROR_IGNORE);
    bus_down();

    /* the drive's werror=ignore */
    setup("werror=ignore", NULL);
    driver_ready(0);
    inj.write_errno = EIO;
    r = req_rw(VIRTIO_BLK_T_OUT, 0, 512, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 1);
    bus_down();
}

static void exit_on_stop(void *opaque, bool running, RunState state)
{
    if (!running) {
        qemu_system_exit_request(0);
    }
}

static void test_error_stop(void)
{
    VMChangeStateEntry *e;
    uint8_t back[512];
    Req w, r;

    setup("", NULL);            /* werror=enospc */
    driver_ready(0);
    e = qemu_add_vm_change_state_handler(exit_on_stop, NULL);
    inj.write_errno = ENOSPC;
    w = req_rw(VIRTIO_BLK_T_OUT, 7, 512, 0x99);
    kick_and_wait(0);
    /* kept, not completed; the VM stops in io-error */
    g_assert_cmpuint(test_ram[w.status], ==, 0xff);
    g_assert_nonnull(vblk->rq);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    g_assert_true(runstate_check(RUN_STATE_IO_ERROR));
    /* room again: cont retries the write */
    inj.write_errno = 0;
    vm_start();
    g_assert_true(runstate_is_running());
    blk_drain(vblk->blk);
    expect_done(&w, VIRTIO_BLK_S_OK, 1);
    g_assert_null(vblk->rq);
    read_image(7 * 512, back, sizeof(back));
    g_assert_cmpuint(back[0], ==, 0x99);

    /* rerror=stop on a read; a reset drops the kept request */
    blk_set_on_error(vblk->blk, BLOCKDEV_ON_ERROR_STOP,
                     BLOCKDEV_ON_ERROR_ENOSPC);
    inj.read_errno = EIO;
    r = req_rw(VIRTIO_BLK_T_IN, 0, 512, 0);
    kick_and_wait(0);
    g_assert_nonnull(vblk->rq);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    g_assert_true(runstate_check(RUN_STATE_IO_ERROR));
    virtio_reset(vdev);
    g_assert_null(vblk->rq);
    inj.read_errno = 0;
    vm_start();
    blk_drain(vblk->blk);
    g_assert_cmpuint(test_ram[r.status], ==, 0xff);
    qemu_del_vm_change_state_handler(e);
    bus_down();
}

/* A reset with a request in flight: completed to the block layer only */
static void test_reset_in_flight(void)
{
    Req r;

    setup("", NULL);
    driver_ready(0);
    r = req_rw(VIRTIO_BLK_T_IN, 0, 512, 0);
    virtio_queue_notify(vdev, 0);
    g_assert_cmpuint(blk_in_flight(vblk->blk), ==, 1);
    virtio_reset(vdev);
    blk_drain(vblk->blk);
    g_assert_cmpuint(test_ram[r.status], ==, 0xff);
    g_assert_cmpuint(used_idx(), ==, 0);
    /* the device works again after the driver sets it up */
    driver_ready(0);
    r = req_rw(VIRTIO_BLK_T_IN, 1, 512, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 513);
    g_assert_cmpuint(test_ram[r.data], ==, 2);
    bus_down();
}

static void test_realize_errors(void)
{
    static const struct {
        const char *drive_opts;
        const char *props[6];
        const char *error;
    } cases[] = {
        { NULL, { NULL }, "drive property not set" },
        { "", { "drive", "nosuch" },
          "Property 'virtio-blk-device.drive' can't find value 'nosuch'" },
        { "", { "drive", "d0", "num-queues", "0" },
          "num-queues property must be larger than 0" },
        { "", { "drive", "d0", "queue-size", "2" },
          "invalid queue-size property (2), must be > 2" },
        { "", { "drive", "d0", "queue-size", "100" },
          "invalid queue-size property (100), must be a power of 2 "
          "(max 1024)" },
        { "", { "drive", "d0", "queue-size", "2048" },
          "invalid queue-size property (2048), must be a power of 2 "
          "(max 1024)" },
        { "", { "drive", "d0", "max-discard-sectors", "0" },
          "invalid max-discard-sectors property (0), must be between 1 "
          "and 4194303" },
        { "", { "drive", "d0", "max-write-zeroes-sectors", "4194304" },
          "invalid max-write-zeroes-sectors property (4194304), must be "
          "between 1 and 4194303" },
        { "", { "drive", "d0", "cyls", "1" },
          "heads must be between 1 and 255" },
        { "", { "drive", "d0", "logical_block_size", "4096" },
          "logical_block_size > physical_block_size not supported" },
        { "", { "drive", "d0", "min_io_size", "100" },
          "min_io_size must be a multiple of logical_block_size" },
        { "", { "drive", "d0", "logical_block_size", "1000" },
          "Property .logical_block_size doesn't take value '1000', it's "
          "not a power of 2" },
        { "", { "drive", "d0", "physical_block_size", "256" },
          "Property .physical_block_size doesn't take value 256 (minimum: "
          "512, maximum: 2097152)" },
        { "", { "drive", "d0", "bootindex", "1" },
          "virtio-blk-device bootindex= is not supported by microqemu "
          "(microvm has no boot order)" },
        { "", { "drive", "d0", "scsi", "on" },
          "virtio-blk-device scsi=on (SCSI passthrough) is not supported "
          "by microqemu" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        Error *err = NULL;

        bus_up(false);
        if (cases[i].drive_opts) {
            drive(cases[i].drive_opts);
        }
        g_assert_null(vblk_new(cases[i].props, &err));
        g_assert_nonnull(err);
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].error);
        error_free(err);
        if (cases[i].drive_opts) {
            /* nothing left attached: another device may take d0 */
            g_assert_null(blk_get_attached_dev(blk_by_name("d0")));
        }
        bus_down();
    }

    /* the drive in use; scsi=on on a modern transport */
    bus_up(false);
    drive("");
    g_assert_nonnull(vblk_new((const char *const[]) { "drive", "d0", NULL },
                              &error_abort));
    {
        static VirtioBus vbus2;
        Object *obj = object_new(TYPE_VIRTIO_BLK);
        Error *err = NULL;

        virtio_bus_init(&vbus2, "test-bus", "test-bus.1", NULL,
                        &test_vbus_legacy_ops, test_mem);
        g_assert_true(object_property_parse(obj, "drive", "d0",
                                            &error_abort));
        DEVICE(obj)->parent_bus = &vbus2.bus;
        g_assert_false(qdev_realize_and_unref(DEVICE(obj), &err));
        g_assert_cmpstr(error_get_pretty(err), ==,
                        "Drive 'd0' is already in use by another device");
        error_free(err);
        virtio_bus_cleanup(&vbus2);
    }
    bus_down();
    bus_up(true);
    drive("");
    {
        Error *err = NULL;

        g_assert_null(vblk_new((const char *const[]) {
            "drive", "d0", "scsi", "on", NULL }, &err));
        g_assert_cmpstr(error_get_pretty(err), ==, "Please set scsi=off for "
                        "virtio-blk devices in order to use virtio 1.0");
        error_free(err);
    }
    bus_down();
}

/* drive= a -blockdev node-name: the device makes its own backend */
static void test_blockdev_node(void)
{
    BlockOpts *opts = block_opts_new();
    Req r;

    bus_up(false);
    block_opts_set(opts, "driver", "file", BLOCK_OPT_STRING);
    block_opts_set(opts, "node-name", "n0", BLOCK_OPT_STRING);
    block_opts_set(opts, "filename", img, BLOCK_OPT_STRING);
    g_assert_nonnull(bdrv_blockdev_add(opts, &error_abort));
    block_opts_free(opts);
    vblk = vblk_new((const char *const[]) { "drive", "n0", NULL },
                    &error_abort);
    vdev = VIRTIO_DEVICE(vblk);
    g_assert_true(vblk->blk_owned);
    driver_ready(0);
    r = req_rw(VIRTIO_BLK_T_IN, 2, 512, 0);
    kick_and_wait(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 513);
    g_assert_cmpuint(test_ram[r.data], ==, 3);
    bus_down();
}

/* ---- iothread=: the data plane ----------------------------------------- */

/*
 * A transport with ioeventfds, as virtio-mmio under KVM: the eventfds a
 * guest's QueueNotify would signal, handed to the device when ioeventfd
 * starts, and the interrupt line, which must only move in the main thread.
 */
static struct {
    int fds[2];
    unsigned nfds;
    bool taken;
    bool enabled;               /* ioeventfd=on */
    int line_changes;
} tp;
static GThread *main_thread;
static IOThread *iot;

static void tp_notify(DeviceState *transport)
{
    g_assert_true(g_thread_self() == main_thread);
    g_assert_true(bql_locked());
    tp.line_changes++;
}

static bool tp_ioeventfd_enabled(DeviceState *transport)
{
    return tp.enabled;
}

/* virtio_mmio_start_ioeventfd */
static void tp_ioeventfd_start(DeviceState *transport)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (tp.nfds) {
        return;
    }
    while (tp.nfds < 2 && virtio_queue_get_num(vdev, tp.nfds)) {
        tp.fds[tp.nfds] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        g_assert_cmpint(tp.fds[tp.nfds], >=, 0);
        tp.nfds++;
    }
    tp.taken = vdc->ioeventfd_start(vdev, tp.fds, tp.nfds);
}

/* virtio_mmio_stop_ioeventfd */
static void tp_ioeventfd_stop(void)
{
    if (tp.taken) {
        VIRTIO_DEVICE_GET_CLASS(vdev)->ioeventfd_stop(vdev);
    }
    for (unsigned i = 0; i < tp.nfds; i++) {
        close(tp.fds[i]);
    }
    tp.nfds = 0;
    tp.taken = false;
}

static const VirtioBusOps tp_ops = {
    .notify = tp_notify,
    .ioeventfd_enabled = tp_ioeventfd_enabled,
    .ioeventfd_start = tp_ioeventfd_start,
};

/* The guest's QueueNotify, which KVM turns into an eventfd write */
static void tp_kick(unsigned q)
{
    uint64_t one = 1;

    g_assert_cmpint(write(tp.fds[q], &one, sizeof(one)), ==, sizeof(one));
}

static void iot_setup(const char *const *props)
{
    const char *all[16] = { "drive", "d0", "iothread", "io0" };
    unsigned n = 4;
    bool help;

    memset(&tp, 0, sizeof(tp));
    tp.enabled = true;
    object_option_reset();
    g_assert_true(object_option_parse("iothread,id=io0", &help,
                                      &error_abort));
    g_assert_true(object_option_foreach_add(object_create_early,
                                            &error_abort));
    iot = iothread_by_id("io0");
    g_assert_nonnull(iot);
    bus_up_ops(&tp_ops);
    drive("");
    for (; props && props[0]; props++) {
        all[n++] = props[0];
    }
    all[n] = NULL;
    vblk = vblk_new(all, &error_abort);
    vdev = VIRTIO_DEVICE(vblk);
}

static void iot_teardown(void)
{
    tp_ioeventfd_stop();
    bus_down();
    user_creatable_del("io0");
    iot = NULL;
}

/* DRIVER_OK, then the transport starts ioeventfd (virtio_mmio_write) */
static void iot_driver_ready(uint64_t features)
{
    tp_ioeventfd_stop();
    driver_ready(features);
    tp_ioeventfd_start(NULL);
    g_assert_true(tp.taken);
    g_assert_true(vblk->dp_running);
}

/* A status write of 0: ioeventfd stops first (virtio_mmio_soft_reset) */
static void iot_reset(void)
{
    tp_ioeventfd_stop();
    virtio_reset(vdev);
}

/*
 * In the iothread: runs its context until the used ring reaches *opaque
 * entries. The main thread waits in iothread_run_sync meanwhile and
 * nobody runs the main loop, so whatever moves the ring runs here.
 */
static void iot_wait_used_bh(void *opaque)
{
    uint16_t target = *(uint16_t *)opaque;
    GMainContext *ctx = iothread_get_g_main_context(iot);

    g_assert_true(g_thread_self() != main_thread);
    while (used_idx() != target) {
        g_main_context_iteration(ctx, TRUE);
    }
}

static void iot_wait_used(uint16_t target)
{
    iothread_run_sync(iot, iot_wait_used_bh, &target);
}

/* In the iothread: until n requests are in flight (popped, submitted) */
static void iot_wait_in_flight_bh(void *opaque)
{
    unsigned n = *(unsigned *)opaque;
    GMainContext *ctx = iothread_get_g_main_context(iot);

    while (blk_in_flight(vblk->blk) < n) {
        g_main_context_iteration(ctx, TRUE);
    }
}

/* The main loop's pending callbacks (the deferred interrupt) */
static void run_main_loop_once(void)
{
    while (g_main_context_iteration(NULL, FALSE)) {
    }
}

/*
 * Requests kicked through the eventfd are popped, done and pushed in
 * the iothread; the ISR and the line are set by the main loop only.
 */
static void test_iothread_requests(void)
{
    Req r, w, f;
    uint8_t back[512];
    int lines;

    iot_setup(NULL);
    iot_driver_ready(F(VIRTIO_BLK_F_FLUSH));
    lines = tp.line_changes;
    r = req_rw(VIRTIO_BLK_T_IN, 3, 1024, 0);
    tp_kick(0);
    iot_wait_used(1);
    /* completed in the iothread; the interrupt is still the main loop's */
    g_assert_cmpuint(vdev->isr, ==, 0);
    g_assert_cmpint(tp.line_changes, ==, lines);
    run_main_loop_once();
    g_assert_cmpuint(vdev->isr, ==, VIRTIO_ISR_QUEUE);
    g_assert_cmpint(tp.line_changes, ==, lines + 1);
    expect_done(&r, VIRTIO_BLK_S_OK, 1025);
    g_assert_cmpuint(test_ram[r.data], ==, 4);
    g_assert_cmpuint(test_ram[r.data + 1023], ==, 5);

    /* a write then a flush, one kick; GET_ID completes at once */
    w = req_rw(VIRTIO_BLK_T_OUT, 9, 512, 0x77);
    f = req_rw(VIRTIO_BLK_T_FLUSH, 0, 0, 0);
    tp_kick(0);
    iot_wait_used(3);
    for (int i = 0; i < 2; i++) {
        uint32_t id, len;

        take_used(&id, &len);
        g_assert_true(id == w.head || id == f.head);
    }
    g_assert_cmpuint(test_ram[w.status], ==, VIRTIO_BLK_S_OK);
    g_assert_cmpuint(test_ram[f.status], ==, VIRTIO_BLK_S_OK);
    read_image(9 * 512, back, sizeof(back));
    g_assert_cmpuint(back[0], ==, 0x77);
    r = req_rw(VIRTIO_BLK_T_GET_ID, 0, 20, 0);
    tp_kick(0);
    iot_wait_used(4);
    expect_done(&r, VIRTIO_BLK_S_OK, 21);

    /* a kick on the exit path (not the eventfd) reaches the iothread too */
    r = req_rw(VIRTIO_BLK_T_IN, 0, 512, 0);
    virtio_queue_notify(vdev, 0);
    iot_wait_used(5);
    expect_done(&r, VIRTIO_BLK_S_OK, 513);
    g_assert_cmpuint(test_ram[r.data], ==, 1);

    /* the status write that stops it: nothing left in flight */
    iot_reset();
    g_assert_false(vblk->dp_running);
    g_assert_cmpuint(blk_in_flight(vblk->blk), ==, 0);

    /* a kick before DRIVER_OK starts the data plane (QEMU's
     * virtio_blk_handle_output), which serves the request */
    g_assert_cmpint(virtio_set_features(vdev, 0), ==, 0);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER);
    buf_next = 0;
    test_ring_init(&rq, vdev, 0, Q_DESC, BUFS - Q_DESC, 0x1000);
    r = req_rw(VIRTIO_BLK_T_IN, 2, 512, 0);
    virtio_queue_notify(vdev, 0);
    g_assert_true(tp.taken);
    g_assert_true(vblk->dp_running);
    iot_wait_used(1);
    expect_done(&r, VIRTIO_BLK_S_OK, 513);
    g_assert_cmpuint(test_ram[r.data], ==, 3);
    iot_teardown();
}

/*
 * The iothread held in a callback of its own until a control path has
 * handed it work (iothread_run_sync queued it): so the completions of
 * requests released meanwhile can only run once that work has started.
 * A second hold, armed at the same time and of the same priority as the
 * hand-over, runs right after that work: a stop that did not drain would
 * leave the completions to after it, where they wait for the test.
 */
static struct {
    QemuMutex lock;
    QemuCond cond;
    bool entered, released, after_released;
} hold = { QEMU_MUTEX_INITIALIZER, QEMU_COND_INITIALIZER };

static gboolean hold_iothread(gpointer opaque)
{
    bool *released = opaque;

    qemu_mutex_lock(&hold.lock);
    hold.entered = true;
    qemu_cond_broadcast(&hold.cond);
    while (!*released) {
        qemu_cond_wait(&hold.cond, &hold.lock);
    }
    qemu_mutex_unlock(&hold.lock);
    return G_SOURCE_REMOVE;
}

/* The second hold: only at the top level (a drain's nested run passes) */
static gboolean hold_after_work(gpointer opaque)
{
    if (g_main_depth() > 1) {
        return G_SOURCE_REMOVE;
    }
    return hold_iothread(opaque);
}

static void hold_release(bool *released)
{
    qemu_mutex_lock(&hold.lock);
    *released = true;
    qemu_cond_broadcast(&hold.cond);
    qemu_mutex_unlock(&hold.lock);
}

static GSource *hold_attach(GSourceFunc fn, bool *released, int priority)
{
    GSource *src = g_idle_source_new();

    g_source_set_priority(src, priority);
    g_source_set_callback(src, fn, released, NULL);
    g_source_attach(src, iothread_get_g_main_context(iot));
    return src;
}

/* Once the iothread has work queued (it cannot take it): arm, release */
static gpointer release_when_work_queued(gpointer opaque)
{
    GSource **after = opaque;
    bool queued = false;

    while (!queued) {
        qemu_mutex_lock(&iot->lock);
        queued = !g_queue_is_empty(&iot->work);
        qemu_mutex_unlock(&iot->lock);
        g_thread_yield();
    }
    *after = hold_attach(hold_after_work, &hold.after_released,
                         G_PRIORITY_HIGH);
    hold_release(&hold.released);
    return NULL;
}

/*
 * A reset with requests in flight in the iothread: the stop drains them
 * to the ring before the reset goes on (QEMU's dataplane stop), so each
 * is completed exactly once, and the device works again afterwards. The
 * requests are held in the workers until the iothread is held, and the
 * iothread until the stop is queued: every completion runs after the
 * stop began, so a stop that did not drain would leave them in flight.
 */
static void test_iothread_reset_in_flight(void)
{
    enum { N = 4 };
    Req r[N];
    unsigned n = N;
    GSource *after;
    GThread *releaser;

    iot_setup(NULL);
    iot_driver_ready(0);
    inj.gated = true;
    gate_set(false);
    for (int i = 0; i < N; i++) {
        r[i] = req_rw(VIRTIO_BLK_T_IN, i, 512, 0);
    }
    tp_kick(0);
    iothread_run_sync(iot, iot_wait_in_flight_bh, &n);
    g_assert_cmpuint(used_idx(), ==, 0);

    qemu_mutex_lock(&hold.lock);
    hold.entered = hold.released = hold.after_released = false;
    qemu_mutex_unlock(&hold.lock);
    g_source_unref(hold_attach(hold_iothread, &hold.released,
                               G_PRIORITY_DEFAULT_IDLE));
    qemu_mutex_lock(&hold.lock);
    while (!hold.entered) {
        qemu_cond_wait(&hold.cond, &hold.lock);
    }
    qemu_mutex_unlock(&hold.lock);
    gate_set(true);
    releaser = g_thread_new("releaser", release_when_work_queued, &after);
    iot_reset();
    g_thread_join(releaser);
    /* the reset returned: every request done and pushed, none in flight */
    g_assert_cmpuint(blk_in_flight(vblk->blk), ==, 0);
    g_assert_cmpuint(used_idx(), ==, N);
    for (int i = 0; i < N; i++) {
        g_assert_cmpuint(test_ram[r[i].status], ==, VIRTIO_BLK_S_OK);
        g_assert_cmpuint(test_ram[r[i].data], ==, i + 1);
    }
    hold_release(&hold.after_released);
    g_source_destroy(after);
    g_source_unref(after);
    inj.gated = false;

    iot_driver_ready(0);
    r[0] = req_rw(VIRTIO_BLK_T_IN, 7, 512, 0);
    tp_kick(0);
    iot_wait_used(1);
    expect_done(&r[0], VIRTIO_BLK_S_OK, 513);
    g_assert_cmpuint(test_ram[r[0].data], ==, 8);
    iot_teardown();
}

/*
 * werror=stop in the iothread: the request is kept, the VM stops (the
 * data plane with it, drained), and on cont the data plane resubmits it
 * in the iothread. A kick while stopped waits for the restart.
 */
static void test_iothread_vm_stop(void)
{
    VMChangeStateEntry *e;
    uint8_t back[512];
    Req w, r;

    iot_setup(NULL);
    iot_driver_ready(0);
    e = qemu_add_vm_change_state_handler(exit_on_stop, NULL);
    inj.write_errno = ENOSPC;
    w = req_rw(VIRTIO_BLK_T_OUT, 7, 512, 0x99);
    tp_kick(0);
    g_assert_cmpint(qemu_main_loop(), ==, 0);
    g_assert_true(runstate_check(RUN_STATE_IO_ERROR));
    g_assert_false(vblk->dp_running);
    g_assert_nonnull(vblk->rq);
    g_assert_cmpuint(test_ram[w.status], ==, 0xff);
    /* a kick while stopped: taken when the data plane starts again */
    r = req_rw(VIRTIO_BLK_T_IN, 1, 512, 0);
    tp_kick(0);
    inj.write_errno = 0;
    vm_start();
    g_assert_true(vblk->dp_running);
    iot_wait_used(2);
    g_assert_null(vblk->rq);
    g_assert_cmpuint(test_ram[w.status], ==, VIRTIO_BLK_S_OK);
    g_assert_cmpuint(test_ram[r.status], ==, VIRTIO_BLK_S_OK);
    g_assert_cmpuint(test_ram[r.data], ==, 2);
    read_image(7 * 512, back, sizeof(back));
    g_assert_cmpuint(back[0], ==, 0x99);
    qemu_del_vm_change_state_handler(e);
    iot_teardown();
}

/*
 * Unplug (unrealize) with a request in flight and the data plane
 * running: it stops and drains first, so the request is pushed before
 * the device goes, and the transport's eventfds are given back.
 */
static void test_iothread_unplug(void)
{
    unsigned n = 1;
    Req r;

    iot_setup(NULL);
    iot_driver_ready(0);
    inj.gated = true;
    gate_set(false);
    r = req_rw(VIRTIO_BLK_T_IN, 5, 512, 0);
    tp_kick(0);
    iothread_run_sync(iot, iot_wait_in_flight_bh, &n);
    gate_set(true);
    qdev_unrealize_all();
    inj.gated = false;
    g_assert_cmpuint(used_idx(), ==, 1);
    g_assert_cmpuint(test_ram[r.status], ==, VIRTIO_BLK_S_OK);
    g_assert_cmpuint(test_ram[r.data], ==, 6);
    /* the transport closes its eventfds; the device is gone */
    tp.taken = false;
    vdev = NULL;
    iot_teardown();
}

/* QEMU 7.2's virtio_blk_data_plane_create refusals */
static void test_iothread_realize_errors(void)
{
    static const VirtioBusOps no_notifiers = { .notify = tp_notify };
    const char *const props[] = { "drive", "d0", "iothread", "io0", NULL };
    Error *err = NULL;
    bool help;

    object_option_reset();
    g_assert_true(object_option_parse("iothread,id=io0", &help,
                                      &error_abort));
    g_assert_true(object_option_foreach_add(object_create_early,
                                            &error_abort));
    memset(&tp, 0, sizeof(tp));
    bus_up_ops(&tp_ops);        /* ioeventfd=off */
    drive("");
    g_assert_null(vblk_new(props, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "ioeventfd is required for iothread");
    g_clear_pointer(&err, error_free);
    bus_down();
    bus_up_ops(&no_notifiers);
    drive("");
    g_assert_null(vblk_new(props, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "device is incompatible "
                    "with iothread (transport does not support notifiers)");
    g_clear_pointer(&err, error_free);
    bus_down();
    user_creatable_del("io0");
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("mqemu-vblk-XXXXXX", NULL);
    img = g_build_filename(tmpdir, "disk.img", NULL);
    main_thread = g_thread_self();
    qdev_register_types();
    object_add_register_types();
    iothread_register_types();
    virtio_register_types();
    virtio_blk_register_types();
    /* the run-state requests (werror=stop) reach qemu_main_loop() */
    qemu_init_signals();
    qemu_init_main_loop();
    bql_lock();     /* as the main thread holds it */
    vm_start();
    g_test_add_func("/virtio-blk/config-legacy", test_config_legacy);
    g_test_add_func("/virtio-blk/config-props", test_config_props);
    g_test_add_func("/virtio-blk/geometry-mbr", test_geometry_mbr);
    g_test_add_func("/virtio-blk/read-write", test_read_write);
    g_test_add_func("/virtio-blk/flush", test_flush);
    g_test_add_func("/virtio-blk/get-id", test_get_id);
    g_test_add_func("/virtio-blk/discard-write-zeroes",
                    test_discard_write_zeroes);
    g_test_add_func("/virtio-blk/bad-requests", test_bad_requests);
    g_test_add_func("/virtio-blk/malformed", test_malformed);
    g_test_add_func("/virtio-blk/read-only", test_read_only);
    g_test_add_func("/virtio-blk/error-report-ignore",
                    test_error_report_ignore);
    g_test_add_func("/virtio-blk/error-stop", test_error_stop);
    g_test_add_func("/virtio-blk/reset-in-flight", test_reset_in_flight);
    g_test_add_func("/virtio-blk/realize-errors", test_realize_errors);
    g_test_add_func("/virtio-blk/blockdev-node", test_blockdev_node);
    g_test_add_func("/virtio-blk/iothread/requests", test_iothread_requests);
    g_test_add_func("/virtio-blk/iothread/reset-in-flight",
                    test_iothread_reset_in_flight);
    g_test_add_func("/virtio-blk/iothread/vm-stop", test_iothread_vm_stop);
    g_test_add_func("/virtio-blk/iothread/unplug", test_iothread_unplug);
    g_test_add_func("/virtio-blk/iothread/realize-errors",
                    test_iothread_realize_errors);
    ret = g_test_run();
    unlink(img);
    rmdir(tmpdir);
    g_free(img);
    g_free(tmpdir);
    return ret;
}
