/*
 * Block nodes and backends: opening a node tree from options, the raw
 * format's window, backends with permissions, error policy and
 * asynchronous requests.
 *
 * As QEMU 7.2 block.c (bdrv_open_inherit: options, inheritance from the
 * parent, "Block format 'raw' does not support the option"), blockdev.c
 * (blockdev_init: werror/rerror, cache, aio, detect-zeroes), block/
 * raw-format.c (raw_open, raw_apply_options, the probed-image guard) and
 * block/block-backend.c (blk_check_byte_request, blk_get_error_action).
 */
#include "qemu/osdep.h"
#include "block/block-int.h"
#include <sys/stat.h>
#include "qom/object.h"

struct BlockBackend {
    char *name;                 /* -drive id, "" for a device's own */
    BlockDriverState *root;
    uint64_t perm;
    uint64_t shared;
    bool wce;                   /* write cache on: no flush per write */
    BlockdevOnError on_read_error;
    BlockdevOnError on_write_error;
    void *dev;
    GMainContext *ctx;
    BlockCompletionQueue *queue;
    int in_flight;              /* atomic */
};

static GList *named_nodes;      /* -blockdev nodes, in creation order */
static GList *backends;

/* QEMU 7.2 qapi/block-core.json BlockdevDriver: known, refused by name */
static const char *const qemu_block_drivers[] = {
    "blkdebug", "blklogwrites", "blkreplay", "blkverify", "bochs", "cloop",
    "compress", "copy-before-write", "copy-on-read", "dmg", "file",
    "snapshot-access", "ftp", "ftps", "gluster", "host_cdrom",
    "host_device", "http", "https", "iscsi", "luks", "nbd", "nfs",
    "null-aio", "null-co", "nvme", "nvme-io_uring", "parallels",
    "preallocate", "qcow", "qcow2", "qed", "quorum", "raw", "rbd",
    "replication", "ssh", "throttle", "vdi", "vhdx", "vmdk", "vpc", "vvfat",
    NULL,
};

static const char *const discard_names[] = { "ignore", "unmap", NULL };
static const char *const detect_zeroes_names[] = {
    "off", "on", "unmap", NULL,
};
static const char *const aio_names[] = {
    "threads", "native", "io_uring", NULL,
};
static const char *const locking_names[] = { "off", "on", "auto", NULL };

/* ---- probing ----------------------------------------------------------- */

/*
 * The image formats whose header QEMU 7.2's bdrv_probe_all() would
 * recognise before raw (each driver's .bdrv_probe magic).
 */
const char *block_probe_format(const uint8_t *buf, size_t len)
{
    static const struct {
        const char *format;
        const char *magic;
        size_t len;
        size_t offset;
    } magics[] = {
        { "qcow2", "QFI\xfb\0\0\0\3", 8, 0 },
        { "qcow2", "QFI\xfb\0\0\0\2", 8, 0 },
        { "qcow", "QFI\xfb\0\0\0\1", 8, 0 },
        { "qed", "QED\0", 4, 0 },
        { "vmdk", "KDMV", 4, 0 },
        { "vmdk", "COWD", 4, 0 },
        { "vmdk", "# Disk DescriptorFile", 21, 0 },
        { "vdi", "\x7f\x10\xda\xbe", 4, 0x40 },
        { "vpc", "conectix", 8, 0 },
        { "vhdx", "vhdxfile", 8, 0 },
        { "luks", "LUKS\xba\xbe", 6, 0 },
        { "parallels", "WithoutFreeSpace", 16, 0 },
        { "parallels", "WithouFreSpacExt", 16, 0 },
        { "bochs", "Bochs Virtual HD Image", 22, 0 },
        { "cloop", "#!/bin/sh\n#V2.0 Format\n", 23, 0 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(magics); i++) {
        if (len >= magics[i].offset + magics[i].len &&
            memcmp(buf + magics[i].offset, magics[i].magic,
                   magics[i].len) == 0) {
            return magics[i].format;
        }
    }
    return NULL;
}

/* ---- nodes ------------------------------------------------------------- */

BlockDriverState *bdrv_find_node(const char *node_name)
{
    for (GList *l = named_nodes; l; l = l->next) {
        BlockDriverState *bs = l->data;

        if (strcmp(bs->node_name, node_name) == 0) {
            return bs;
        }
    }
    return NULL;
}

static BlockDriverState *bdrv_protocol(BlockDriverState *bs)
{
    return bs->kind == BLOCK_DRIVER_RAW ? bs->file : bs;
}

static void bdrv_unref(BlockDriverState *bs)
{
    if (!bs || --bs->refcnt > 0) {
        return;
    }
    if (bs->kind == BLOCK_DRIVER_RAW) {
        bdrv_unref(bs->file);
    } else {
        /* QEMU's bdrv_close() flushes first (not with cache.no-flush) */
        file_posix_close(bs);
    }
    named_nodes = g_list_remove(named_nodes, bs);
    g_free(bs->node_name);
    g_free(bs->filename);
    g_free(bs);
}

/* QEMU's bdrv_assign_node_name() */
static bool bdrv_check_node_name(const char *name, Error **errp)
{
    if (!id_wellformed(name)) {
        error_setg(errp, "Invalid node-name: '%s'", name);
        return false;
    }
    if (blk_by_name(name)) {
        error_setg(errp, "node-name=%s is conflicting with a device id",
                   name);
        return false;
    }
    if (bdrv_find_node(name)) {
        error_setg(errp, "Duplicate nodes with node-name='%s'", name);
        return false;
    }
    if (strlen(name) >= 32) {
        error_setg(errp, "Node name too long");
        return false;
    }
    return true;
}

/*
 * The options every node takes (QEMU's bdrv_runtime_opts and the
 * BlockdevOptions base), with the parent's value as default for an
 * implicit child (bdrv_inherited_options).
 */
typedef struct NodeCommon {
    bool read_only;
    bool auto_read_only;
    bool direct;
    bool no_flush;
    int discard;                /* index in discard_names */
    int detect_zeroes;
} NodeCommon;

static bool take_discard(BlockOpts *opts, bool legacy, int *out,
                         Error **errp)
{
    g_autofree char *s = NULL;

    if (!legacy) {
        return block_opts_take_enum(opts, "discard", discard_names, out,
                                    errp);
    }
    /* -drive: QEMU's bdrv_parse_discard_flags() */
    if (!block_opts_take_str(opts, "discard", &s, errp)) {
        return false;
    }
    if (!s) {
        return true;
    }
    if (!strcmp(s, "off") || !strcmp(s, "ignore")) {
        *out = 0;
    } else if (!strcmp(s, "on") || !strcmp(s, "unmap")) {
        *out = 1;
    } else {
        error_setg(errp, "Invalid discard option");
        return false;
    }
    return true;
}

static bool take_common(BlockOpts *opts, bool legacy, NodeCommon *c,
                        Error **errp)
{
    bool force_share = false;

    if (!block_opts_take_bool(opts, "read-only", &c->read_only, errp) ||
        !block_opts_take_bool(opts, "auto-read-only", &c->auto_read_only,
                              errp) ||
        !block_opts_take_bool(opts, "cache.direct", &c->direct, errp) ||
        !block_opts_take_bool(opts, "cache.no-flush", &c->no_flush, errp) ||
        !take_discard(opts, legacy, &c->discard, errp) ||
        !block_opts_take_bool(opts, "force-share", &force_share, errp)) {
        return false;
    }
    if (legacy) {
        g_autofree char *dz = NULL;

        if (!block_opts_take_str(opts, "detect-zeroes", &dz, errp)) {
            return false;
        }
        if (dz) {
            int i;

            for (i = 0; detect_zeroes_names[i]; i++) {
                if (!strcmp(dz, detect_zeroes_names[i])) {
                    break;
                }
            }
            if (!detect_zeroes_names[i]) {
                error_setg(errp, "invalid parameter value: %s", dz);
                return false;
            }
            c->detect_zeroes = i;
        }
    } else if (!block_opts_take_enum(opts, "detect-zeroes",
                                     detect_zeroes_names, &c->detect_zeroes,
                                     errp)) {
        return false;
    }
    if (force_share) {
        error_setg(errp, "force-share is not supported by microqemu");
        return false;
    }
    /*
     * QEMU's bdrv_open_common: detect-zeroes=unmap needs discard=unmap
     * (-drive sets detect-zeroes after the open, unchecked)
     */
    if (!legacy && c->detect_zeroes == BLOCKDEV_DETECT_ZEROES_UNMAP && !c->discard) {
        error_setg(errp, "setting detect-zeroes to unmap is not allowed "
                   "without setting discard operation to unmap");
        return false;
    }
    return true;
}

static void node_apply_common(BlockDriverState *bs, const NodeCommon *c)
{
    bs->read_only = c->read_only;
    bs->direct = c->direct;
    bs->no_flush = c->no_flush;
    bs->unmap = c->discard == 1;
    bs->detect_zeroes = c->detect_zeroes;
}

/* The leftover-key error of a node (QEMU's words per origin) */
static bool check_leftover(BlockOpts *opts, const char *driver,
                           bool protocol, bool legacy, const char *prefix,
                           Error **errp)
{
    const char *key = block_opts_first_key(opts);

    if (!key) {
        return true;
    }
    if (!legacy) {
        error_setg(errp, "Parameter '%s%s' is unexpected", prefix, key);
    } else if (protocol) {
        error_setg(errp, "Block protocol '%s' doesn't support the option "
                   "'%s'", driver, key);
    } else {
        error_setg(errp, "Block format '%s' does not support the option "
                   "'%s'", driver, key);
    }
    return false;
}

static bool driver_known(const char *name)
{
    for (int i = 0; qemu_block_drivers[i]; i++) {
        if (!strcmp(qemu_block_drivers[i], name)) {
            return true;
        }
    }
    return false;
}

/*
 * -drive's protocol probe (QEMU's bdrv_find_protocol + hdev_probe_device):
 * a block or character device is a host_device, anything else a file.
 */
static const char *protocol_for(const char *filename)
{
    struct stat st;

    if (filename && stat(filename, &st) == 0 &&
        (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode))) {
        return "host_device";
    }
    return "file";
}

/* A protocol node: file or host_device (QEMU's raw_open_common options) */
static BlockDriverState *open_protocol(BlockDriverKind kind, BlockOpts *opts,
                                       const NodeCommon *c, bool legacy,
                                       const char *prefix, Error **errp)
{
    const char *drv = kind == BLOCK_DRIVER_FILE ? "file" : "host_device";
    g_autofree char *filename = NULL;
    int aio = 0, locking = 2;
    BlockDriverState *bs;

    if (!block_opts_take_str(opts, "filename", &filename, errp) ||
        !block_opts_take_enum(opts, "aio", aio_names, &aio, errp) ||
        !block_opts_take_enum(opts, "locking", locking_names, &locking,
                              errp)) {
        return NULL;
    }
    if (!filename) {
        error_setg(errp, "Parameter '%sfilename' is missing", prefix);
        return NULL;
    }
    if (!check_leftover(opts, drv, true, legacy, prefix, errp)) {
        return NULL;
    }
    /*
     * aio=native and io_uring are accepted as QEMU accepts them; the
     * requests go through the one thread pool (docs/architecture.md).
     */
    if (aio == 1 && !c->direct) {
        error_setg(errp, "aio=native was specified, but it requires "
                   "cache.direct=on, which was not specified.");
        return NULL;
    }
    bs = g_new0(BlockDriverState, 1);
    bs->kind = kind;
    bs->refcnt = 1;
    bs->fd = -1;
    bs->lock_fd = -1;
    bs->filename = g_steal_pointer(&filename);
    bs->node_name = g_strdup("");
    bs->use_lock = locking != 0;
    node_apply_common(bs, c);
    if (!file_posix_open(bs, c->auto_read_only, errp)) {
        bdrv_unref(bs);
        return NULL;
    }
    return bs;
}

/* QEMU's raw_apply_options(): the offset/size window over the child */
static bool raw_apply_window(BlockDriverState *bs, bool has_size,
                             Error **errp)
{
    int64_t real_size = bs->file->length;

    if (bs->offset > (uint64_t)real_size) {
        error_setg(errp, "Offset (%" PRIu64 ") cannot be greater than "
                   "size of the containing file (%" PRId64 ")",
                   bs->offset, real_size);
        return false;
    }
    if (has_size && (uint64_t)real_size - bs->offset < bs->size) {
        error_setg(errp, "The sum of offset (%" PRIu64 ") and size "
                   "(%" PRIu64 ") has to be smaller or equal to the "
                   " actual size of the containing file (%" PRId64 ")",
                   bs->offset, bs->size, real_size);
        return false;
    }
    if (has_size && bs->size % 512) {
        error_setg(errp, "Specified size is not multiple of 512");
        return false;
    }
    if (!has_size) {
        bs->size = real_size - bs->offset;
    }
    return true;
}

static BlockDriverState *open_node(BlockOpts *opts, const char *driver,
                                   const NodeCommon *parent, bool legacy,
                                   const char *prefix, Error **errp);

/*
 * A raw node; its "file" child is a node-name or nested "file.*"
 * options (an implicit protocol node inheriting this node's options).
 */
static BlockDriverState *open_raw(BlockOpts *opts, const NodeCommon *c,
                                  bool legacy, const char *prefix,
                                  Error **errp)
{
    g_autoptr(BlockOpts) child_opts = block_opts_extract_prefix(opts,
                                                                "file.");
    g_autofree char *file = NULL;
    g_autofree char *child_driver = NULL;
    g_autofree char *child_prefix = g_strdup_printf("%sfile.", prefix);
    BlockDriverState *bs, *child;
    uint64_t offset = 0, size = 0;
    bool has_size = false;

    if (!block_opts_take_str(opts, "file", &file, errp) ||
        !block_opts_take_uint(opts, "offset", &offset, NULL, errp) ||
        !block_opts_take_uint(opts, "size", &size, &has_size, errp) ||
        !check_leftover(opts, "raw", false, legacy, prefix, errp)) {
        return NULL;
    }
    if (file && block_opts_first_key(child_opts)) {
        error_setg(errp, "Cannot reference an existing block device with "
                   "additional options or a new filename");
        return NULL;
    }
    if (file) {
        child = bdrv_find_node(file);
        if (!child) {
            error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
                       file, file);
            return NULL;
        }
        if (child->kind == BLOCK_DRIVER_RAW) {
            error_setg(errp, "a raw node over a raw node is not supported "
                       "by microqemu");
            return NULL;
        }
        child->refcnt++;
    } else {
        if (!block_opts_first_key(child_opts)) {
            if (legacy) {
                error_setg(errp, "A block device must be specified for "
                           "\"file\"");
            } else {
                error_setg(errp, "Parameter '%sfile' is missing", prefix);
            }
            return NULL;
        }
        if (!block_opts_take_str(child_opts, "driver", &child_driver,
                                 errp)) {
            return NULL;
        }
        /* detect-zeroes is the format node's business alone */
        NodeCommon inherit = *c;

        if (!child_driver && !legacy) {
            error_setg(errp, "Parameter '%sdriver' is missing", child_prefix);
            return NULL;
        }
        if (!child_driver) {
            child_driver = g_strdup(protocol_for(block_opts_get(child_opts,
                                                                "filename")));
        }
        inherit.detect_zeroes = BLOCKDEV_DETECT_ZEROES_OFF;
        child = open_node(child_opts, child_driver, &inherit, legacy,
                          child_prefix, errp);
        if (!child) {
            return NULL;
        }
        if (child->kind == BLOCK_DRIVER_RAW) {
            bdrv_unref(child);
            error_setg(errp, "a raw node over a raw node is not supported "
                       "by microqemu");
            return NULL;
        }
    }
    bs = g_new0(BlockDriverState, 1);
    bs->kind = BLOCK_DRIVER_RAW;
    bs->refcnt = 1;
    bs->fd = -1;
    bs->lock_fd = -1;
    bs->node_name = g_strdup("");
    bs->file = child;
    bs->offset = offset;
    bs->size = size;
    node_apply_common(bs, c);
    /* a read-only child makes the raw node read-only (QEMU: auto) */
    bs->read_only |= child->read_only;
    if (!raw_apply_window(bs, has_size, errp)) {
        bdrv_unref(bs);
        return NULL;
    }
    return bs;
}

/*
 * Opens one node of driver `driver` from opts (consumed). parent is the
 * options of the node this one is the implicit child of, or NULL.
 */
static BlockDriverState *open_node(BlockOpts *opts, const char *driver,
                                   const NodeCommon *parent, bool legacy,
                                   const char *prefix, Error **errp)
{
    NodeCommon c = { .auto_read_only = false };
    g_autofree char *node_name = NULL;
    BlockDriverState *bs;

    if (parent) {
        c = *parent;
    }
    if (!block_opts_take_str(opts, "node-name", &node_name, errp)) {
        return NULL;
    }
    if (!strcmp(driver, "raw")) {
        if (!take_common(opts, legacy, &c, errp)) {
            return NULL;
        }
        bs = open_raw(opts, &c, legacy, prefix, errp);
    } else if (!strcmp(driver, "file") || !strcmp(driver, "host_device")) {
        if (!take_common(opts, legacy, &c, errp)) {
            return NULL;
        }
        bs = open_protocol(!strcmp(driver, "file") ? BLOCK_DRIVER_FILE
                                                   : BLOCK_DRIVER_HOST_DEVICE,
                           opts, &c, legacy, prefix, errp);
    } else if (driver_known(driver)) {
        error_setg(errp, "Block driver '%s' is not supported by microqemu",
                   driver);
        return NULL;
    } else if (legacy) {
        error_setg(errp, "Unknown driver '%s'", driver);
        return NULL;
    } else {
        error_setg(errp, "Parameter '%sdriver' does not accept value '%s'",
                   prefix, driver);
        return NULL;
    }
    if (bs && node_name) {
        if (!bdrv_check_node_name(node_name, errp)) {
            bdrv_unref(bs);
            return NULL;
        }
        g_free(bs->node_name);
        bs->node_name = g_steal_pointer(&node_name);
        named_nodes = g_list_append(named_nodes, bs);
    }
    return bs;
}

/* QEMU's qmp_blockdev_add() for -blockdev */
BlockDriverState *bdrv_blockdev_add(BlockOpts *opts, Error **errp)
{
    g_autofree char *driver = NULL;
    const char *node_name;

    if (!block_opts_take_str(opts, "driver", &driver, errp)) {
        return NULL;
    }
    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    node_name = block_opts_get(opts, "node-name");
    if (!node_name && driver_known(driver)) {
        error_setg(errp, "'node-name' must be specified for the root node");
        return NULL;
    }
    return open_node(opts, driver, NULL, false, "", errp);
}

/* ---- backends ---------------------------------------------------------- */

BlockBackend *blk_by_name(const char *name)
{
    for (GList *l = backends; l; l = l->next) {
        BlockBackend *blk = l->data;

        if (blk->name[0] && strcmp(blk->name, name) == 0) {
            return blk;
        }
    }
    return NULL;
}

/* The permissions every backend on this protocol node holds together */
static void proto_perms(BlockDriverState *proto, BlockBackend *skip,
                        uint64_t *perm, uint64_t *shared)
{
    *perm = 0;
    *shared = BLK_PERM_ALL;
    for (GList *l = backends; l; l = l->next) {
        BlockBackend *blk = l->data;

        if (blk != skip && blk->root &&
            bdrv_protocol(blk->root) == proto) {
            *perm |= blk->perm;
            *shared &= blk->shared;
        }
    }
}

bool blk_set_perm(BlockBackend *blk, uint64_t perm, uint64_t shared,
                  Error **errp)
{
    BlockDriverState *proto;
    uint64_t others_perm, others_shared;

    if (!blk->root) {
        /* an empty drive: no image to lock */
        blk->perm = perm;
        blk->shared = shared;
        return true;
    }
    proto = bdrv_protocol(blk->root);
    if ((perm & BLK_PERM_WRITE) && blk->root->read_only) {
        error_setg(errp, "Block node is read-only");
        return false;
    }
    proto_perms(proto, blk, &others_perm, &others_shared);
    if (!file_posix_set_perm(proto, others_perm | blk->perm,
                             others_shared & blk->shared,
                             others_perm | perm, others_shared & shared,
                             errp)) {
        return false;
    }
    blk->perm = perm;
    blk->shared = shared;
    return true;
}

static BlockBackend *blk_new(const char *name, BlockDriverState *bs)
{
    BlockBackend *blk = g_new0(BlockBackend, 1);

    blk->name = g_strdup(name);
    blk->root = bs;
    blk->shared = BLK_PERM_ALL;
    blk->wce = true;
    blk->on_read_error = BLOCKDEV_ON_ERROR_REPORT;
    blk->on_write_error = BLOCKDEV_ON_ERROR_ENOSPC;
    blk->queue = block_completion_queue_new(NULL);
    backends = g_list_append(backends, blk);
    return blk;
}

BlockBackend *blk_new_on_node(const char *name, BlockDriverState *bs,
                              uint64_t perm, uint64_t shared, Error **errp)
{
    BlockBackend *blk;

    bs->refcnt++;
    blk = blk_new(name, bs);
    if (!blk_set_perm(blk, perm, shared, errp)) {
        blk_unref(blk);
        return NULL;
    }
    return blk;
}

void blk_unref(BlockBackend *blk)
{
    if (!blk) {
        return;
    }
    blk_drain(blk);
    if (blk->perm || blk->shared != BLK_PERM_ALL) {
        /* only unlocks: cannot conflict */
        blk_set_perm(blk, 0, BLK_PERM_ALL, NULL);
    }
    backends = g_list_remove(backends, blk);
    block_completion_queue_free(blk->queue);
    bdrv_unref(blk->root);
    g_free(blk->name);
    g_free(blk);
}

void bdrv_close_all(void)
{
    while (backends) {
        blk_unref(backends->data);
    }
    while (named_nodes) {
        BlockDriverState *bs = named_nodes->data;

        named_nodes = g_list_remove(named_nodes, bs);
        bs->node_name[0] = '\0';
        bdrv_unref(bs);
    }
}

/* QEMU's parse_block_error_action() */
static bool parse_error_action(const char *buf, bool is_read, int *out,
                               Error **errp)
{
    if (!strcmp(buf, "ignore")) {
        *out = BLOCKDEV_ON_ERROR_IGNORE;
    } else if (!is_read && !strcmp(buf, "enospc")) {
        *out = BLOCKDEV_ON_ERROR_ENOSPC;
    } else if (!strcmp(buf, "stop")) {
        *out = BLOCKDEV_ON_ERROR_STOP;
    } else if (!strcmp(buf, "report")) {
        *out = BLOCKDEV_ON_ERROR_REPORT;
    } else {
        error_setg(errp, "'%s' invalid %s error action",
                   buf, is_read ? "read" : "write");
        return false;
    }
    return true;
}

/* -drive without format=: QEMU's probe, with raw's warning */
static char *probe_format(BlockDriverState *proto, const char *filename,
                          bool read_only, Error **errp)
{
    uint8_t buf[512] = { 0 };
    const char *format;
    ssize_t n;

    n = pread(proto->fd, buf, sizeof(buf), 0);
    if (n < 0) {
        error_setg_errno(errp, errno, "Could not read image for determining "
                         "its format");
        return NULL;
    }
    format = block_probe_format(buf, n);
    if (format) {
        error_setg(errp, "Image format '%s' (probed for '%s') is not "
                   "supported by microqemu", format, filename);
        return NULL;
    }
    if (!read_only) {
        /* raw_open(): printed as is, not through error_report */
        fprintf(stderr,
                "WARNING: Image format was not specified for '%s' and "
                "probing guessed raw.\n"
                "         Automatically detecting the format is dangerous "
                "for raw images, write operations on block 0 will be "
                "restricted.\n"
                "         Specify the 'raw' format explicitly to remove the "
                "restrictions.\n", filename);
    }
    return g_strdup("raw");
}

/*
 * QEMU's blockdev_init() + bdrv_open() of a -drive: the common drive
 * options, then the format node over an implicit protocol node.
 */
BlockBackend *blk_new_from_drive_opts(const char *id, BlockOpts *opts_in,
                                      Error **errp)
{
    g_autoptr(BlockOpts) opts = opts_in;
    g_autofree char *format = NULL, *file = NULL, *werror = NULL;
    g_autofree char *rerror = NULL, *aio = NULL;
    int on_write_error = BLOCKDEV_ON_ERROR_ENOSPC;
    int on_read_error = BLOCKDEV_ON_ERROR_REPORT;
    bool writeback = true, snapshot = false, cor = false;
    BlockDriverState *bs = NULL;
    NodeCommon c = { .auto_read_only = true };
    BlockBackend *blk;

    if (!block_opts_take_bool(opts, "cache.writeback", &writeback, errp) ||
        !block_opts_take_bool(opts, "snapshot", &snapshot, errp) ||
        !block_opts_take_bool(opts, "copy-on-read", &cor, errp) ||
        !block_opts_take_str(opts, "aio", &aio, errp) ||
        !block_opts_take_str(opts, "format", &format, errp) ||
        !block_opts_take_str(opts, "werror", &werror, errp) ||
        !block_opts_take_str(opts, "rerror", &rerror, errp) ||
        !block_opts_take_str(opts, "file", &file, errp)) {
        return NULL;
    }
    if (aio && strcmp(aio, "threads") && strcmp(aio, "native") &&
        strcmp(aio, "io_uring")) {
        error_setg(errp, "invalid aio option");
        return NULL;
    }
    if (format && block_opts_has(opts, "driver")) {
        error_setg(errp, "Cannot specify both 'driver' and 'format'");
        return NULL;
    }
    if ((werror && !parse_error_action(werror, false, &on_write_error,
                                       errp)) ||
        (rerror && !parse_error_action(rerror, true, &on_read_error,
                                       errp))) {
        return NULL;
    }
    if (snapshot) {
        error_setg(errp, "snapshot=on is not supported by microqemu");
        return NULL;
    }
    if (cor) {
        error_setg(errp, "copy-on-read=on is not supported by microqemu");
        return NULL;
    }
    if (!format && !block_opts_has(opts, "driver") && !file) {
        /*
         * QEMU's blockdev_init: no file and no node option (read-only
         * aside) is an empty drive, no medium; a device refuses it
         */
        bool ro;

        if (!block_opts_take_bool(opts, "read-only", &ro, errp)) {
            return NULL;
        }
        if (block_opts_first_key(opts)) {
            error_setg(errp, "Must specify either driver or file");
            return NULL;
        }
        blk = blk_new(id, NULL);
        blk->wce = writeback;
        blk->on_read_error = on_read_error;
        blk->on_write_error = on_write_error;
        return blk;
    }
    if (aio) {
        block_opts_set(opts, "file.aio", aio, BLOCK_OPT_STRING);
    }
    if (!take_common(opts, true, &c, errp)) {
        return NULL;
    }
    if (file) {
        /* format=file|host_device: the file is that node's own */
        bool proto = format && (!strcmp(format, "file") ||
                                !strcmp(format, "host_device"));

        block_opts_set(opts, proto ? "filename" : "file.filename", file,
                       BLOCK_OPT_STRING);
    }
    if (!format) {
        g_autofree char *drv = NULL;

        if (!block_opts_take_str(opts, "driver", &drv, errp)) {
            return NULL;
        }
        format = g_steal_pointer(&drv);
    }
    if (!format) {
        /* probe: open the protocol node alone, read its first sector */
        g_autoptr(BlockOpts) proto_opts = block_opts_extract_prefix(opts,
                                                                    "file.");
        g_autofree char *pdrv = NULL;
        BlockDriverState *proto;

        if (!block_opts_take_str(proto_opts, "driver", &pdrv, errp)) {
            return NULL;
        }
        if (!pdrv) {
            pdrv = g_strdup(protocol_for(block_opts_get(proto_opts,
                                                        "filename")));
        }
        proto = open_node(proto_opts, pdrv, &c, true, "file.", errp);
        if (!proto) {
            return NULL;
        }
        format = probe_format(proto, proto->filename, c.read_only, errp);
        if (!format) {
            bdrv_unref(proto);
            return NULL;
        }
        if (!check_leftover(opts, "raw", false, true, "", errp)) {
            bdrv_unref(proto);
            return NULL;
        }
        bs = g_new0(BlockDriverState, 1);
        bs->kind = BLOCK_DRIVER_RAW;
        bs->refcnt = 1;
        bs->fd = -1;
        bs->lock_fd = -1;
        bs->node_name = g_strdup("");
        bs->file = proto;
        bs->probed = !c.read_only;
        node_apply_common(bs, &c);
        bs->read_only |= proto->read_only;
        if (!raw_apply_window(bs, false, errp)) {
            bdrv_unref(bs);
            return NULL;
        }
    } else {
        bs = open_node(opts, format, &c, true, "", errp);
        if (!bs) {
            return NULL;
        }
    }
    blk = blk_new(id, bs);
    blk->wce = writeback;
    blk->on_read_error = on_read_error;
    blk->on_write_error = on_write_error;
    /* QEMU's blk_new_open() for blockdev_init: read, everything shared */
    if (!blk_set_perm(blk, BLK_PERM_CONSISTENT_READ, BLK_PERM_ALL, errp)) {
        blk_unref(blk);
        return NULL;
    }
    return blk;
}

int blk_protocol_fd(BlockBackend *blk)
{
    return bdrv_protocol(blk->root)->fd;
}

bool blk_uses_uring(BlockBackend *blk)
{
    return block_completion_queue_has_uring(blk->queue);
}

bool blk_is_inserted(BlockBackend *blk)
{
    return blk->root != NULL;
}

const char *blk_name(BlockBackend *blk)
{
    return blk->name;
}

int64_t blk_getlength(BlockBackend *blk)
{
    return blk->root->kind == BLOCK_DRIVER_RAW ? (int64_t)blk->root->size
                                               : blk->root->length;
}

bool blk_is_read_only(BlockBackend *blk)
{
    return blk->root->read_only;
}

bool blk_enable_write_cache(BlockBackend *blk)
{
    return blk->wce;
}

void blk_set_enable_write_cache(BlockBackend *blk, bool wce)
{
    blk->wce = wce;
}

bool blk_can_discard(BlockBackend *blk)
{
    return blk->root->unmap;
}

bool blk_attach_dev(BlockBackend *blk, void *dev)
{
    if (blk->dev) {
        return false;
    }
    blk->dev = dev;
    return true;
}

void blk_detach_dev(BlockBackend *blk, void *dev)
{
    assert(blk->dev == dev);
    blk->dev = NULL;
}

void *blk_get_attached_dev(BlockBackend *blk)
{
    return blk->dev;
}

void blk_set_aio_context(BlockBackend *blk, GMainContext *ctx)
{
    blk_drain(blk);
    block_completion_queue_free(blk->queue);
    blk->ctx = ctx;
    blk->queue = block_completion_queue_new(ctx);
}

/* ---- requests ---------------------------------------------------------- */

void blk_request_complete(BlockRequest *req)
{
    BlockBackend *blk = req->blk;

    req->cb(req->opaque, req->ret);
    g_free(req->iov);
    g_free(req);
    g_atomic_int_add(&blk->in_flight, -1);
}

static BlockRequest *blk_request_new(BlockBackend *blk, BlockRequestType type,
                                     int64_t offset, int64_t bytes,
                                     BlockCompletionFunc *cb, void *opaque)
{
    BlockRequest *req = g_new0(BlockRequest, 1);
    BlockDriverState *proto = bdrv_protocol(blk->root);

    req->blk = blk;
    req->type = type;
    req->fd = proto->fd;
    req->is_blockdev = proto->kind == BLOCK_DRIVER_HOST_DEVICE;
    req->bytes = bytes;
    req->cb = cb;
    req->opaque = opaque;
    req->offset = offset;       /* the device's; the window's is added */
    g_atomic_int_inc(&blk->in_flight);
    return req;
}

/* QEMU's blk_check_byte_request(): the range inside the device */
static int blk_check_request(BlockBackend *blk, int64_t offset,
                             int64_t bytes)
{
    int64_t len = blk_getlength(blk);

    if (offset < 0 || bytes < 0 || offset > len || bytes > len - offset) {
        return -EIO;
    }
    return 0;
}

/* Completes without I/O, still later and in the backend's context */
static void blk_request_finish(BlockRequest *req, int ret)
{
    req->ret = ret;
    block_completion_post(req->blk->queue, req);
}

/* Into the protocol node's offsets, once the range was checked */
static void blk_request_map(BlockBackend *blk, BlockRequest *req)
{
    if (blk->root->kind == BLOCK_DRIVER_RAW) {
        req->offset += blk->root->offset;
    }
}

static void blk_submit(BlockBackend *blk, BlockRequest *req, bool is_write)
{
    int ret = blk_check_request(blk, req->offset, req->bytes);

    if (!ret && is_write && blk->root->read_only) {
        ret = -EPERM;
    }
    if (ret) {
        blk_request_finish(req, ret);
        return;
    }
    blk_request_map(blk, req);
    block_aio_submit(blk->queue, req);
}

static void blk_aio_rw(BlockBackend *blk, BlockRequestType type,
                       int64_t offset, const struct iovec *iov, int iovcnt,
                       BlockCompletionFunc *cb, void *opaque)
{
    int64_t bytes = 0;
    BlockRequest *req;

    for (int i = 0; i < iovcnt; i++) {
        bytes += iov[i].iov_len;
    }
    req = blk_request_new(blk, type, offset, bytes, cb, opaque);
    req->iov = g_memdup2(iov, sizeof(*iov) * iovcnt);
    req->iovcnt = iovcnt;
    if (type == BLOCK_REQ_WRITE) {
        BlockDriverState *root = blk->root;

        req->flush_after = !blk->wce && !root->no_flush;
        req->guard_block0 = root->probed && offset < 512 && bytes;
        req->detect_zeroes = root->detect_zeroes != BLOCKDEV_DETECT_ZEROES_OFF;
        if (root->detect_zeroes == BLOCKDEV_DETECT_ZEROES_UNMAP &&
            root->unmap) {
            req->flags = BDRV_REQ_MAY_UNMAP;
        }
    }
    blk_submit(blk, req, type == BLOCK_REQ_WRITE);
}

void blk_aio_preadv(BlockBackend *blk, int64_t offset,
                    const struct iovec *iov, int iovcnt,
                    BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_rw(blk, BLOCK_REQ_READ, offset, iov, iovcnt, cb, opaque);
}

void blk_aio_pwritev(BlockBackend *blk, int64_t offset,
                     const struct iovec *iov, int iovcnt,
                     BlockCompletionFunc *cb, void *opaque)
{
    blk_aio_rw(blk, BLOCK_REQ_WRITE, offset, iov, iovcnt, cb, opaque);
}

void blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb, void *opaque)
{
    BlockRequest *req = blk_request_new(blk, BLOCK_REQ_FLUSH, 0, 0, cb,
                                        opaque);

    /* cache.no-flush (cache=unsafe): QEMU's bdrv_co_flush returns 0 */
    if (blk->root->no_flush || bdrv_protocol(blk->root)->no_flush) {
        blk_request_finish(req, 0);
        return;
    }
    block_aio_submit(blk->queue, req);
}

void blk_aio_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BlockCompletionFunc *cb, void *opaque)
{
    BlockRequest *req = blk_request_new(blk, BLOCK_REQ_DISCARD, offset, bytes,
                                        cb, opaque);
    int ret = blk_check_request(blk, offset, bytes);

    /*
     * discard=ignore: QEMU's bdrv_co_pdiscard succeeds doing nothing,
     * before anything looks at read-only (a read-only virtio-blk disk
     * answers a guest's discard with OK under QEMU 7.2)
     */
    if (!ret && blk->root->unmap && bytes && blk->root->read_only) {
        ret = -EPERM;
    }
    if (ret || !blk->root->unmap || bytes == 0) {
        blk_request_finish(req, ret);
        return;
    }
    blk_request_map(blk, req);
    block_aio_submit(blk->queue, req);
}

void blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes,
                           int flags, BlockCompletionFunc *cb, void *opaque)
{
    BlockRequest *req = blk_request_new(blk, BLOCK_REQ_WRITE_ZEROES, offset,
                                        bytes, cb, opaque);

    /* unmapping needs discard=unmap on the node (BDRV_O_UNMAP) */
    req->flags = blk->root->unmap ? (flags & BDRV_REQ_MAY_UNMAP) : 0;
    req->flush_after = !blk->wce && !blk->root->no_flush;
    blk_submit(blk, req, true);
}

unsigned blk_in_flight(BlockBackend *blk)
{
    return g_atomic_int_get(&blk->in_flight);
}

void blk_drain(BlockBackend *blk)
{
    while (blk_in_flight(blk)) {
        g_main_context_iteration(blk->ctx, TRUE);
    }
}

/* ---- error policy ------------------------------------------------------ */

BlockdevOnError blk_get_on_error(BlockBackend *blk, bool is_read)
{
    return is_read ? blk->on_read_error : blk->on_write_error;
}

void blk_set_on_error(BlockBackend *blk, BlockdevOnError on_read_error,
                      BlockdevOnError on_write_error)
{
    assert(on_read_error != BLOCKDEV_ON_ERROR_AUTO &&
           on_write_error != BLOCKDEV_ON_ERROR_AUTO);
    blk->on_read_error = on_read_error;
    blk->on_write_error = on_write_error;
}

/* QEMU 7.2 blk_get_error_action() */
BlockErrorAction blk_get_error_action(BlockBackend *blk, bool is_read,
                                      int error)
{
    switch (blk_get_on_error(blk, is_read)) {
    case BLOCKDEV_ON_ERROR_ENOSPC:
        return error == ENOSPC ? BLOCK_ERROR_ACTION_STOP
                               : BLOCK_ERROR_ACTION_REPORT;
    case BLOCKDEV_ON_ERROR_STOP:
        return BLOCK_ERROR_ACTION_STOP;
    case BLOCKDEV_ON_ERROR_REPORT:
        return BLOCK_ERROR_ACTION_REPORT;
    case BLOCKDEV_ON_ERROR_IGNORE:
        return BLOCK_ERROR_ACTION_IGNORE;
    case BLOCKDEV_ON_ERROR_AUTO:
    default:
        g_assert_not_reached();
    }
}
