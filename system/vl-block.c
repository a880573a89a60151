/*
 * -drive and -blockdev, as QEMU 7.2's softmmu/vl.c (parse time: QemuOpts
 * for -drive, keyval or JSON for -blockdev) and blockdev.c drive_new()
 * (the legacy keys: if, bus, unit, index, media, cache, readonly; the
 * default id "none0"; QEMU's errors for interfaces microvm has not).
 * The block layer itself is block/.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "block/block-int.h"
#include "vl-internal.h"

/* QEMU 7.2 BlockInterfaceType, if_name[] and if_max_devs[] */
typedef enum BlockInterfaceType {
    IF_NONE, IF_IDE, IF_SCSI, IF_FLOPPY, IF_PFLASH, IF_MTD, IF_SD,
    IF_VIRTIO, IF_XEN, IF_COUNT,
} BlockInterfaceType;

static const char *const if_name[IF_COUNT] = {
    "none", "ide", "scsi", "floppy", "pflash", "mtd", "sd", "virtio", "xen",
};

static const int if_max_devs[IF_COUNT] = {
    [IF_IDE] = 2,
    [IF_SCSI] = 7,
};

typedef struct VlDrive {
    Location loc;
    QemuOpts *opts;
    BlockInterfaceType type;
    int bus;
    int unit;
    BlockBackend *blk;
} VlDrive;

typedef struct VlBlockdev {
    Location loc;
    BlockOpts *opts;
} VlBlockdev;

/* Any key: checked when the drive is created (QEMU's qemu_drive_opts) */
static QemuOptsList qemu_drive_opts = {
    .name = "drive",
    .desc = { { 0 } },
};

static QemuOptsList qemu_blockdev_keyval = {
    .name = "blockdev",
    .implied_opt_name = "driver",
    .desc = { { 0 } },
};

static GArray *drives;          /* of VlDrive, in command-line order */
static GArray *blockdevs;       /* of VlBlockdev */

void vl_parse_drive(const char *arg)
{
    VlDrive d = { 0 };

    d.opts = parse_opts_noisily_or_exit(&qemu_drive_opts, arg, false);
    loc_save(&d.loc);
    if (!drives) {
        drives = g_array_new(false, true, sizeof(VlDrive));
    }
    g_array_append_val(drives, d);
}

static int blockdev_opt_copy(void *opaque, const char *name,
                             const char *value, Error **errp)
{
    block_opts_set(opaque, name, value, BLOCK_OPT_STRING);
    return 0;
}

/* QEMU parses -blockdev at once (qobject_input_visitor_new_str) */
void vl_parse_blockdev(const char *arg)
{
    VlBlockdev b = { 0 };
    Error *err = NULL;

    if (is_help_option(arg)) {
        /* QEMU's keyval parser for an option without a help text */
        error_report("Help is not available for this option");
        exit(1);
    }
    if (arg[0] == '{') {
        b.opts = block_opts_parse_json(arg, false, &err);
        if (!b.opts) {
            exit_with_error(err);
        }
    } else {
        QemuOpts *opts = qemu_opts_parse(&qemu_blockdev_keyval, arg, true,
                                         &err);

        if (!opts) {
            exit_with_error(err);
        }
        b.opts = block_opts_new();
        qemu_opt_foreach(opts, blockdev_opt_copy, b.opts, NULL);
        if (qemu_opts_id(opts)) {
            block_opts_set(b.opts, "id", qemu_opts_id(opts),
                           BLOCK_OPT_STRING);
        }
        qemu_opts_del(opts);
    }
    loc_save(&b.loc);
    if (!blockdevs) {
        blockdevs = g_array_new(false, true, sizeof(VlBlockdev));
    }
    g_array_append_val(blockdevs, b);
}

/* QEMU's bdrv_parse_cache_mode(): the three cache.* booleans */
static bool parse_cache_mode(const char *mode, bool *wb, bool *direct,
                             bool *no_flush)
{
    *wb = true;
    *direct = false;
    *no_flush = false;
    if (!strcmp(mode, "off") || !strcmp(mode, "none")) {
        *direct = true;
    } else if (!strcmp(mode, "directsync")) {
        *direct = true;
        *wb = false;
    } else if (!strcmp(mode, "writethrough")) {
        *wb = false;
    } else if (!strcmp(mode, "unsafe")) {
        *no_flush = true;
    } else if (strcmp(mode, "writeback")) {
        return false;
    }
    return true;
}

typedef struct DriveLegacy {
    char *media, *ifname, *bus, *unit, *index, *cache;
    BlockOpts *opts;
    bool readonly_alias;
    bool read_only_key;
} DriveLegacy;

static int drive_opt_sort(void *opaque, const char *name, const char *value,
                          Error **errp)
{
    DriveLegacy *l = opaque;
    struct {
        const char *key;
        char **out;
    } legacy[] = {
        { "media", &l->media }, { "if", &l->ifname }, { "bus", &l->bus },
        { "unit", &l->unit }, { "index", &l->index }, { "cache", &l->cache },
    };

    for (size_t i = 0; i < ARRAY_SIZE(legacy); i++) {
        if (!strcmp(name, legacy[i].key)) {
            g_free(*legacy[i].out);
            *legacy[i].out = g_strdup(value);
            return 0;
        }
    }
    if (!strcmp(name, "readonly")) {
        l->readonly_alias = true;
        name = "read-only";
    } else if (!strcmp(name, "read-only")) {
        l->read_only_key = true;
    }
    block_opts_set(l->opts, name, value, BLOCK_OPT_STRING);
    return 0;
}

static bool drive_number(const char *s, const char *key, int *out,
                         Error **errp)
{
    char *end;
    long v;

    if (!s) {
        return true;
    }
    errno = 0;
    v = strtol(s, &end, 0);
    if (errno || end == s || *end || v < 0 || v > INT_MAX) {
        error_setg(errp, "Parameter '%s' expects a number", key);
        return false;
    }
    *out = v;
    return true;
}

static bool drive_taken(BlockInterfaceType type, int bus, int unit,
                        guint upto)
{
    for (guint i = 0; i < upto; i++) {
        VlDrive *d = &g_array_index(drives, VlDrive, i);

        if (d->type == type && d->bus == bus && d->unit == unit) {
            return true;
        }
    }
    return false;
}

/* QEMU's drive_new() for drive number n */
static bool drive_new(guint n, Error **errp)
{
    VlDrive *d = &g_array_index(drives, VlDrive, n);
    DriveLegacy l = { .opts = block_opts_new() };
    g_autofree char *id = NULL;
    int index = -1, max_devs;
    bool ok = false;

    d->bus = 0;
    d->unit = -1;
    qemu_opt_foreach(d->opts, drive_opt_sort, &l, NULL);
    if (l.readonly_alias && l.read_only_key) {
        error_setg(errp, "'read-only' and its alias 'readonly' can't be "
                   "used at the same time");
        goto out;
    }
    if (l.cache) {
        bool wb, direct, no_flush;

        if (!parse_cache_mode(l.cache, &wb, &direct, &no_flush)) {
            error_setg(errp, "invalid cache option");
            goto out;
        }
        /* specific options take precedence */
        if (!block_opts_has(l.opts, "cache.writeback")) {
            block_opts_set(l.opts, "cache.writeback", wb ? "on" : "off",
                           BLOCK_OPT_STRING);
        }
        if (!block_opts_has(l.opts, "cache.direct")) {
            block_opts_set(l.opts, "cache.direct", direct ? "on" : "off",
                           BLOCK_OPT_STRING);
        }
        if (!block_opts_has(l.opts, "cache.no-flush")) {
            block_opts_set(l.opts, "cache.no-flush", no_flush ? "on" : "off",
                           BLOCK_OPT_STRING);
        }
    }
    if (l.media && strcmp(l.media, "disk")) {
        if (strcmp(l.media, "cdrom")) {
            error_setg(errp, "'%s' invalid media", l.media);
            goto out;
        }
        block_opts_set(l.opts, "read-only", "on", BLOCK_OPT_STRING);
    }
    d->type = IF_NONE;      /* microvm's block_default_type */
    if (l.ifname) {
        for (d->type = 0; d->type < IF_COUNT; d->type++) {
            if (!strcmp(l.ifname, if_name[d->type])) {
                break;
            }
        }
        if (d->type == IF_COUNT) {
            error_setg(errp, "unsupported bus type '%s'", l.ifname);
            goto out;
        }
    }
    if (!drive_number(l.bus, "bus", &d->bus, errp) ||
        !drive_number(l.unit, "unit", &d->unit, errp) ||
        !drive_number(l.index, "index", &index, errp)) {
        goto out;
    }
    max_devs = if_max_devs[d->type];
    if (index != -1) {
        if (d->bus != 0 || d->unit != -1) {
            error_setg(errp, "index cannot be used with bus and unit");
            goto out;
        }
        d->bus = max_devs ? index / max_devs : 0;
        d->unit = max_devs ? index % max_devs : index;
    }
    if (d->unit == -1) {
        d->unit = 0;
        while (drive_taken(d->type, d->bus, d->unit, n)) {
            d->unit++;
            if (max_devs && d->unit >= max_devs) {
                d->unit -= max_devs;
                d->bus++;
            }
        }
    }
    if (max_devs && d->unit >= max_devs) {
        error_setg(errp, "unit %d too big (max is %d)", d->unit,
                   max_devs - 1);
        goto out;
    }
    if (drive_taken(d->type, d->bus, d->unit, n)) {
        error_setg(errp, "drive with bus=%d, unit=%d (index=%d) exists",
                   d->bus, d->unit, index);
        goto out;
    }
    if (qemu_opts_id(d->opts)) {
        id = g_strdup(qemu_opts_id(d->opts));
    } else if (max_devs) {
        id = g_strdup_printf("%s%i%s%i", if_name[d->type], d->bus,
                             d->type == IF_IDE || d->type == IF_SCSI ?
                             (l.media && !strcmp(l.media, "cdrom") ?
                              "-cd" : "-hd") : "", d->unit);
    } else {
        id = g_strdup_printf("%s%i", if_name[d->type], d->unit);
    }
    if ((block_opts_has(l.opts, "werror") ||
         block_opts_has(l.opts, "rerror")) &&
        d->type != IF_IDE && d->type != IF_SCSI && d->type != IF_VIRTIO &&
        d->type != IF_NONE) {
        error_setg(errp, "%s is not supported by this bus type",
                   block_opts_has(l.opts, "werror") ? "werror" : "rerror");
        goto out;
    }
    if (bdrv_find_node(id)) {
        error_setg(errp, "Device name '%s' conflicts with an existing node "
                   "name", id);
        goto out;
    }
    d->blk = blk_new_from_drive_opts(id, g_steal_pointer(&l.opts), errp);
    ok = d->blk != NULL;
out:
    block_opts_free(l.opts);
    g_free(l.media);
    g_free(l.ifname);
    g_free(l.bus);
    g_free(l.unit);
    g_free(l.index);
    g_free(l.cache);
    return ok;
}

/*
 * QEMU's configure_blockdev(): the -blockdev nodes in order, then the
 * drives. "format=help" lists the formats and exits 0.
 */
void vl_configure_blockdev(void)
{
    Error *err = NULL;

    for (guint i = 0; blockdevs && i < blockdevs->len; i++) {
        VlBlockdev *b = &g_array_index(blockdevs, VlBlockdev, i);

        loc_restore(&b->loc);
        if (block_opts_has(b->opts, "id")) {
            error_setg(&err, "Parameter 'id' is unexpected");
        } else {
            bdrv_blockdev_add(b->opts, &err);
        }
        if (err) {
            exit_with_error(err);
        }
        block_opts_free(b->opts);
    }
    for (guint i = 0; drives && i < drives->len; i++) {
        VlDrive *d = &g_array_index(drives, VlDrive, i);
        const char *format = qemu_opt_get(d->opts, "format");

        loc_restore(&d->loc);
        if (format && is_help_option(format)) {
            printf("Supported formats: file host_device raw\n"
                   "Supported formats (read-only): file host_device raw\n");
            exit(0);
        }
        if (!drive_new(i, &err)) {
            exit_with_error(err);
        }
    }
    loc_set_none();
}

/*
 * QEMU's drive_check_orphaned(), after the board is built: microvm has
 * no IDE, SCSI, floppy, flash or SD controller, so a drive for one is
 * an error (if=none drives wait for a -device).
 */
void vl_check_orphan_drives(void)
{
    bool orphans = false;

    for (guint i = 0; drives && i < drives->len; i++) {
        VlDrive *d = &g_array_index(drives, VlDrive, i);

        if (d->type == IF_NONE || d->type == IF_VIRTIO ||
            blk_get_attached_dev(d->blk)) {
            continue;
        }
        loc_restore(&d->loc);
        error_report("machine type does not support if=%s,bus=%d,unit=%d",
                     if_name[d->type], d->bus, d->unit);
        orphans = true;
    }
    loc_set_none();
    if (orphans) {
        exit(1);
    }
}

/*
 * if=virtio is QEMU's "-device virtio-blk,drive=ID", which on x86 is
 * virtio-blk-pci: microvm has no PCI bus. Created after the -device
 * devices, as drive_new() queues it behind them.
 */
void vl_create_drive_devices(void)
{
    for (guint i = 0; drives && i < drives->len; i++) {
        VlDrive *d = &g_array_index(drives, VlDrive, i);

        if (d->type == IF_VIRTIO) {
            loc_restore(&d->loc);
            error_report("No 'PCI' bus found for device 'virtio-blk-pci'");
            exit(1);
        }
    }
}
