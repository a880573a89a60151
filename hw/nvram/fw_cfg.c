/*
 * fw_cfg: the firmware configuration device on ports 0x510/0x511 and the
 * DMA interface at 0x514. Source of truth: QEMU 7.2 hw/nvram/fw_cfg.c
 * (fw_cfg_select, fw_cfg_data_read, fw_cfg_dma_transfer,
 * fw_cfg_add_file_callback, fw_cfg_common_realize) and
 * docs/specs/fw_cfg.rst; port-level results measured on QEMU 7.2.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/nvram/fw_cfg.h"

/* FW_CFG_ID bits (docs/specs/fw_cfg.rst "Feature Bitmap"). */
#define FW_CFG_VERSION          0x01
#define FW_CFG_VERSION_DMA      0x02

/* FWCfgDmaAccess.control bits. */
#define FW_CFG_DMA_CTL_ERROR    0x01
#define FW_CFG_DMA_CTL_READ     0x02
#define FW_CFG_DMA_CTL_SKIP     0x04
#define FW_CFG_DMA_CTL_SELECT   0x08
#define FW_CFG_DMA_CTL_WRITE    0x10

/* Read back from the DMA address register: "QEMU CFG". */
static const char fw_cfg_dma_signature[8] = "QEMU CFG";

#define FW_CFG_ENTRY_MASK       ((uint16_t)~(FW_CFG_WRITE_CHANNEL | \
                                             FW_CFG_ARCH_LOCAL))
#define FW_CFG_MAX_FILE_PATH    56
#define FW_CFG_CTL_SIZE         2
#define FW_CFG_DMA_SIZE         8

/* The guest's descriptor, big endian in guest memory. */
typedef struct FWCfgDmaAccess {
    uint32_t control;
    uint32_t length;
    uint64_t address;
} __attribute__((packed)) FWCfgDmaAccess;

/* One directory entry (FW_CFG_FILE_DIR), big endian. */
typedef struct FWCfgFile {
    uint32_t size;
    uint16_t select;
    uint16_t reserved;
    char name[FW_CFG_MAX_FILE_PATH];
} __attribute__((packed)) FWCfgFile;

typedef struct FWCfgFiles {
    uint32_t count;
    FWCfgFile f[];
} __attribute__((packed)) FWCfgFiles;

typedef struct FWCfgEntry {
    uint32_t len;
    uint8_t *data;
} FWCfgEntry;

struct FWCfgState {
    DeviceState parent_obj;

    /* Properties. */
    bool dma_enabled;
    uint16_t file_slots;

    /* Items: [0] generic keys, [1] FW_CFG_ARCH_LOCAL keys. */
    FWCfgEntry *entries[2];
    FWCfgFiles *files;          /* owned by the FW_CFG_FILE_DIR entry */

    /* Guest-visible state. */
    uint16_t cur_entry;
    uint32_t cur_offset;
    uint64_t dma_addr;

    GuestMemory *mem;
};

#define FW_CFG(obj) OBJECT_CHECK(FWCfgState, (obj), TYPE_FW_CFG_IO)

/* Exclusive limit of (key & FW_CFG_ENTRY_MASK). */
static uint32_t fw_cfg_max_entry(const FWCfgState *s)
{
    return FW_CFG_FILE_FIRST + s->file_slots;
}

static FWCfgEntry *fw_cfg_entry(FWCfgState *s, uint16_t key)
{
    if ((key & FW_CFG_ENTRY_MASK) >= fw_cfg_max_entry(s)) {
        return NULL;
    }
    return &s->entries[!!(key & FW_CFG_ARCH_LOCAL)][key & FW_CFG_ENTRY_MASK];
}

/* The item currently selected, NULL after an out-of-range selector. */
static FWCfgEntry *fw_cfg_cur_entry(FWCfgState *s)
{
    if (s->cur_entry == FW_CFG_INVALID) {
        return NULL;
    }
    return fw_cfg_entry(s, s->cur_entry);
}

static void fw_cfg_select(FWCfgState *s, uint16_t key)
{
    s->cur_offset = 0;
    s->cur_entry = fw_cfg_entry(s, key) ? key : FW_CFG_INVALID;
}

/* True while the selected item has bytes left at cur_offset. */
static bool fw_cfg_has_data(FWCfgState *s, FWCfgEntry *e)
{
    return e && e->data && s->cur_offset < e->len;
}

/* ---- Port I/O --------------------------------------------------------- */

/*
 * An access QEMU's valid.accepts refuses (fw_cfg_comb_valid,
 * fw_cfg_dma_mem_valid): logged as memory_region_access_valid() does,
 * with the offset in the region and QEMU's region name.
 */
static void fw_cfg_log_rejected(const char *region, uint64_t offset,
                                unsigned size, bool is_write)
{
    qemu_log_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" PRIX64
                  ", size %u, region '%s', reason: rejected\n",
                  is_write ? "write" : "read", offset, size, region);
}

/*
 * A byte read of either port returns the next data byte (zero past the
 * end). QEMU's "comb" region accepts only 1-byte reads: wider reads are
 * refused by the memory core, which yields 0 and consumes nothing
 * (measured on QEMU 7.2).
 */
uint64_t fw_cfg_port_read(FWCfgState *s, uint64_t offset, unsigned size)
{
    FWCfgEntry *e = fw_cfg_cur_entry(s);

    if (size != 1 || offset >= FW_CFG_CTL_SIZE) {
        fw_cfg_log_rejected("fwcfg", offset, size, false);
        return 0;
    }
    if (!fw_cfg_has_data(s, e)) {
        return 0;
    }
    return e->data[s->cur_offset++];
}

/*
 * A 16-bit write selects an item; a byte write is the data port's write
 * channel, a no-op since QEMU 2.4; other sizes are refused.
 */
void fw_cfg_port_write(FWCfgState *s, uint64_t offset, uint64_t value,
                       unsigned size)
{
    switch (size) {
    case 1:
        break;
    case 2:
        fw_cfg_select(s, (uint16_t)value);
        break;
    default:
        fw_cfg_log_rejected("fwcfg", offset, size, true);
        break;
    }
}

/* ---- DMA -------------------------------------------------------------- */

/*
 * QEMU's stl_be_dma(): a partial store still writes its RAM part; what is
 * not RAM is logged by guest_memory_write().
 */
static void fw_cfg_dma_set_control(FWCfgState *s, uint64_t desc_addr,
                                   uint32_t control)
{
    uint32_t be = GUINT32_TO_BE(control);

    guest_memory_write(s->mem, desc_addr + offsetof(FWCfgDmaAccess, control),
                       &be, sizeof(be));
}

/*
 * One DMA operation (docs/specs/fw_cfg.rst "DMA interface"): read the
 * descriptor, optionally select, then read/skip/write; the control word
 * is written back as 0 on success or FW_CFG_DMA_CTL_ERROR.
 */
static void fw_cfg_dma_transfer(FWCfgState *s)
{
    uint64_t desc_addr = s->dma_addr;
    FWCfgDmaAccess dma;
    uint32_t control, length;
    uint64_t address;
    bool read = false, write = false;
    FWCfgEntry *e;

    s->dma_addr = 0;

    if (guest_memory_read(s->mem, desc_addr, &dma, sizeof(dma)) != MEMTX_OK) {
        fw_cfg_dma_set_control(s, desc_addr, FW_CFG_DMA_CTL_ERROR);
        return;
    }
    control = GUINT32_FROM_BE(dma.control);
    length = GUINT32_FROM_BE(dma.length);
    address = GUINT64_FROM_BE(dma.address);

    if (control & FW_CFG_DMA_CTL_SELECT) {
        fw_cfg_select(s, control >> 16);
    }
    e = fw_cfg_cur_entry(s);

    /* Priority as QEMU: read, then write, then skip; none is a no-op. */
    if (control & FW_CFG_DMA_CTL_READ) {
        read = true;
    } else if (control & FW_CFG_DMA_CTL_WRITE) {
        write = true;
    } else if (!(control & FW_CFG_DMA_CTL_SKIP)) {
        length = 0;
    }

    control = 0;
    while (length > 0 && !(control & FW_CFG_DMA_CTL_ERROR)) {
        uint32_t len;

        if (!fw_cfg_has_data(s, e)) {
            /* Past the end or no item: reads give zeros, writes fail. */
            len = length;
            if (read && guest_memory_set(s->mem, address, 0, len)
                        != MEMTX_OK) {
                control |= FW_CFG_DMA_CTL_ERROR;
            }
            if (write) {
                control |= FW_CFG_DMA_CTL_ERROR;
            }
        } else {
            len = MIN(length, e->len - s->cur_offset);
            if (read && guest_memory_write(s->mem, address,
                                           e->data + s->cur_offset, len)
                        != MEMTX_OK) {
                control |= FW_CFG_DMA_CTL_ERROR;
            }
            if (write) {
                /* Every item is read-only (no writable items in microvm). */
                control |= FW_CFG_DMA_CTL_ERROR;
            }
            s->cur_offset += len;
        }
        address += len;
        length -= len;
    }
    if (control & FW_CFG_DMA_CTL_ERROR) {
        qemu_log_mask(LOG_GUEST_ERROR, "fw_cfg: DMA transfer failed "
                      "(descriptor 0x%" PRIx64 ")\n", desc_addr);
    }
    fw_cfg_dma_set_control(s, desc_addr, control);
}

/* Any read of the address register returns bytes of "QEMU CFG". */
uint64_t fw_cfg_dma_port_read(FWCfgState *s, uint64_t offset, unsigned size)
{
    uint64_t value = 0;
    unsigned i;

    for (i = 0; i < size && offset + i < FW_CFG_DMA_SIZE; i++) {
        value |= (uint64_t)(uint8_t)fw_cfg_dma_signature[offset + i] << (8 * i);
    }
    return value;
}

/*
 * The register is big endian: the guest writes the high half at +0, then
 * the low half at +4, which starts the transfer (or one 64-bit write).
 * value arrives as the CPU's little-endian view, hence the swaps.
 */
void fw_cfg_dma_port_write(FWCfgState *s, uint64_t offset, uint64_t value,
                           unsigned size)
{
    if (!s->dma_enabled) {
        return;
    }
    if (size == 4 && offset == 0) {
        s->dma_addr = (uint64_t)GUINT32_SWAP_LE_BE((uint32_t)value) << 32;
    } else if (size == 4 && offset == 4) {
        s->dma_addr |= GUINT32_SWAP_LE_BE((uint32_t)value);
        fw_cfg_dma_transfer(s);
    } else if (size == 8 && offset == 0) {
        s->dma_addr = GUINT64_SWAP_LE_BE(value);
        fw_cfg_dma_transfer(s);
    } else {
        fw_cfg_log_rejected("fwcfg.dma", offset, size, true);
    }
}

static uint64_t fw_cfg_io_read(void *opaque, uint64_t addr, unsigned size)
{
    return fw_cfg_port_read(opaque, addr, size);
}

static void fw_cfg_io_write(void *opaque, uint64_t addr, uint64_t data,
                            unsigned size)
{
    fw_cfg_port_write(opaque, addr, data, size);
}

static uint64_t fw_cfg_dma_io_read(void *opaque, uint64_t addr,
                                   unsigned size)
{
    return fw_cfg_dma_port_read(opaque, addr, size);
}

static void fw_cfg_dma_io_write(void *opaque, uint64_t addr, uint64_t data,
                                unsigned size)
{
    fw_cfg_dma_port_write(opaque, addr, data, size);
}

/*
 * QEMU 7.2's fw_cfg_comb_mem_ops and fw_cfg_dma_mem_ops: the sizes of
 * their .valid and .impl; what their valid.accepts() refuses, the
 * handlers refuse, with its log line.
 */
static const MemoryRegionOps fw_cfg_io_ops = {
    .read = fw_cfg_io_read,
    .write = fw_cfg_io_write,
};

static const MemoryRegionOps fw_cfg_dma_io_ops = {
    .read = fw_cfg_dma_io_read,
    .write = fw_cfg_dma_io_write,
    .valid.max_access_size = 8,
    .impl.max_access_size = 8,
};

void fw_cfg_io_map(FWCfgState *s)
{
    address_space_map(&address_space_io, FW_CFG_IO_BASE, FW_CFG_CTL_SIZE,
                      &fw_cfg_io_ops, s, "fwcfg", s);
    if (s->dma_enabled) {
        address_space_map(&address_space_io, FW_CFG_DMA_IO_BASE,
                          FW_CFG_DMA_SIZE, &fw_cfg_dma_io_ops, s,
                          "fwcfg.dma", s);
    }
}

/* ---- Items ------------------------------------------------------------ */

void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, void *data, size_t len)
{
    FWCfgEntry *e = fw_cfg_entry(s, key);

    /* Keys are chosen by the board, never by the guest. */
    g_assert(e && len < UINT32_MAX);
    g_assert(e->data == NULL);
    e->data = data;
    e->len = len;
}

void fw_cfg_modify_bytes(FWCfgState *s, uint16_t key, void *data, size_t len)
{
    FWCfgEntry *e = fw_cfg_entry(s, key);

    g_assert(e && len < UINT32_MAX);
    g_free(e->data);
    e->data = data;
    e->len = len;
}

void fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value)
{
    size_t len = strlen(value) + 1;

    fw_cfg_add_bytes(s, key, g_memdup2(value, len), len);
}

void fw_cfg_modify_string(FWCfgState *s, uint16_t key, const char *value)
{
    size_t len = strlen(value) + 1;

    fw_cfg_modify_bytes(s, key, g_memdup2(value, len), len);
}

void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value)
{
    uint16_t le = GUINT16_TO_LE(value);

    fw_cfg_add_bytes(s, key, g_memdup2(&le, sizeof(le)), sizeof(le));
}

void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value)
{
    uint32_t le = GUINT32_TO_LE(value);

    fw_cfg_add_bytes(s, key, g_memdup2(&le, sizeof(le)), sizeof(le));
}

void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value)
{
    uint64_t le = GUINT64_TO_LE(value);

    fw_cfg_add_bytes(s, key, g_memdup2(&le, sizeof(le)), sizeof(le));
}

void fw_cfg_modify_i16(FWCfgState *s, uint16_t key, uint16_t value)
{
    uint16_t le = GUINT16_TO_LE(value);

    fw_cfg_modify_bytes(s, key, g_memdup2(&le, sizeof(le)), sizeof(le));
}

void fw_cfg_modify_i32(FWCfgState *s, uint16_t key, uint32_t value)
{
    uint32_t le = GUINT32_TO_LE(value);

    fw_cfg_modify_bytes(s, key, g_memdup2(&le, sizeof(le)), sizeof(le));
}

void fw_cfg_modify_i64(FWCfgState *s, uint16_t key, uint64_t value)
{
    uint64_t le = GUINT64_TO_LE(value);

    fw_cfg_modify_bytes(s, key, g_memdup2(&le, sizeof(le)), sizeof(le));
}

static int fw_cfg_file_index(FWCfgState *s, const char *filename)
{
    uint32_t count = s->files ? GUINT32_FROM_BE(s->files->count) : 0;
    uint32_t i;

    for (i = 0; i < count; i++) {
        if (strncmp(s->files->f[i].name, filename,
                    FW_CFG_MAX_FILE_PATH - 1) == 0) {
            return i;
        }
    }
    return -1;
}

/*
 * The directory is allocated whole (count + every slot) on the first
 * file, so FW_CFG_FILE_DIR is 4 + 64 * file_slots bytes as in QEMU.
 * Files are kept sorted by name (the order QEMU uses for machine types
 * without legacy_fw_cfg_order, microvm included): inserting shifts the
 * later files, and their selectors, up by one.
 */
void fw_cfg_add_file(FWCfgState *s, const char *filename, void *data,
                     size_t len)
{
    char name[FW_CFG_MAX_FILE_PATH];
    uint32_t count, index, i;

    if (!s->files) {
        size_t dsize = sizeof(FWCfgFiles) + sizeof(FWCfgFile) * s->file_slots;

        s->files = g_malloc0(dsize);
        fw_cfg_add_bytes(s, FW_CFG_FILE_DIR, s->files, dsize);
    }

    g_strlcpy(name, filename, sizeof(name));
    if (fw_cfg_file_index(s, name) >= 0) {
        /* QEMU exits here; library code reports and keeps the first. */
        error_report("duplicate fw_cfg file name: %s", name);
        g_free(data);
        return;
    }
    count = GUINT32_FROM_BE(s->files->count);
    if (count >= s->file_slots) {
        error_report("fw_cfg: no free file slot for %s", name);
        g_free(data);
        return;
    }
    g_assert(len < UINT32_MAX);

    for (index = count;
         index > 0 && strcmp(name, s->files->f[index - 1].name) < 0;
         index--) {
        /* find the insertion point */
    }
    for (i = count; i > index; i--) {
        s->files->f[i] = s->files->f[i - 1];
        s->files->f[i].select = GUINT16_TO_BE(FW_CFG_FILE_FIRST + i);
        s->entries[0][FW_CFG_FILE_FIRST + i] =
            s->entries[0][FW_CFG_FILE_FIRST + i - 1];
    }

    memset(&s->files->f[index], 0, sizeof(FWCfgFile));
    memcpy(s->files->f[index].name, name, sizeof(name));
    s->files->f[index].size = GUINT32_TO_BE(len);
    s->files->f[index].select = GUINT16_TO_BE(FW_CFG_FILE_FIRST + index);
    s->entries[0][FW_CFG_FILE_FIRST + index].data = data;
    s->entries[0][FW_CFG_FILE_FIRST + index].len = len;
    s->files->count = GUINT32_TO_BE(count + 1);
}

void fw_cfg_modify_file(FWCfgState *s, const char *filename, void *data,
                        size_t len)
{
    int index = fw_cfg_file_index(s, filename);

    if (index < 0) {
        fw_cfg_add_file(s, filename, data, len);
        return;
    }
    fw_cfg_modify_bytes(s, FW_CFG_FILE_FIRST + index, data, len);
    s->files->f[index].size = GUINT32_TO_BE(len);
}

const void *fw_cfg_get_item(FWCfgState *s, uint16_t key, size_t *len)
{
    FWCfgEntry *e = fw_cfg_entry(s, key);

    if (!e || !e->data) {
        if (len) {
            *len = 0;
        }
        return NULL;
    }
    if (len) {
        *len = e->len;
    }
    return e->data;
}

const void *fw_cfg_get_file(FWCfgState *s, const char *filename, size_t *len)
{
    int index = fw_cfg_file_index(s, filename);

    if (index < 0) {
        if (len) {
            *len = 0;
        }
        return NULL;
    }
    if (len) {
        *len = GUINT32_FROM_BE(s->files->f[index].size);
    }
    return s->entries[0][FW_CFG_FILE_FIRST + index].data;
}

/* ---- Device ----------------------------------------------------------- */

/* QEMU selects the signature on reset; dma_addr is left alone. */
static void fw_cfg_reset(DeviceState *dev)
{
    fw_cfg_select(FW_CFG(dev), FW_CFG_SIGNATURE);
}

/*
 * fw_cfg_io_realize + fw_cfg_common_realize: the items the device itself
 * provides. The board changes UUID/NOGRAPHIC afterwards when the command
 * line asks (-uuid, -nographic); etc/boot-fail-wait is QEMU's
 * fw_cfg_reboot() with the default reboot-timeout of -1.
 */
static void fw_cfg_realize(DeviceState *dev, Error **errp)
{
    FWCfgState *s = FW_CFG(dev);
    uint32_t reboot_timeout = GUINT32_TO_LE(UINT32_MAX);
    uint32_t version = FW_CFG_VERSION;

    if (s->file_slots < FW_CFG_FILE_SLOTS_DFLT) {
        error_setg(errp, "\"file_slots\" must be at least 0x%x",
                   FW_CFG_FILE_SLOTS_DFLT);
        return;
    }
    if (s->file_slots > FW_CFG_ENTRY_MASK - FW_CFG_FILE_FIRST + 1) {
        error_setg(errp, "\"file_slots\" must not exceed 0x%" PRIx16,
                   (uint16_t)(FW_CFG_ENTRY_MASK - FW_CFG_FILE_FIRST + 1));
        return;
    }
    s->entries[0] = g_new0(FWCfgEntry, fw_cfg_max_entry(s));
    s->entries[1] = g_new0(FWCfgEntry, fw_cfg_max_entry(s));

    fw_cfg_add_bytes(s, FW_CFG_SIGNATURE, g_memdup2("QEMU", 4), 4);
    fw_cfg_add_bytes(s, FW_CFG_UUID, g_malloc0(16), 16);
    fw_cfg_add_i16(s, FW_CFG_NOGRAPHIC, 0);
    fw_cfg_add_i16(s, FW_CFG_BOOT_MENU, 0);
    fw_cfg_add_file(s, "etc/boot-fail-wait",
                    g_memdup2(&reboot_timeout, sizeof(reboot_timeout)),
                    sizeof(reboot_timeout));
    if (s->dma_enabled) {
        version |= FW_CFG_VERSION_DMA;
    }
    fw_cfg_add_i32(s, FW_CFG_ID, version);

    fw_cfg_reset(dev);
}

static void fw_cfg_finalize(Object *obj)
{
    FWCfgState *s = FW_CFG(obj);
    int arch;
    uint32_t i;

    for (arch = 0; arch < 2; arch++) {
        if (!s->entries[arch]) {
            continue;
        }
        for (i = 0; i < fw_cfg_max_entry(s); i++) {
            g_free(s->entries[arch][i].data);
        }
        g_free(s->entries[arch]);
    }
}

FWCfgState *fw_cfg_new(GuestMemory *mem, bool dma_enabled, Error **errp)
{
    FWCfgState *s = FW_CFG(object_new(TYPE_FW_CFG_IO));

    s->mem = mem;
    s->dma_enabled = dma_enabled && mem;
    if (!qdev_realize_and_unref(DEVICE(s), errp)) {
        return NULL;
    }
    return s;
}

static const Property fw_cfg_io_properties[] = {
    DEFINE_PROP_BOOL("dma_enabled", FWCfgState, dma_enabled, true,
                     "Enable the DMA interface"),
    DEFINE_PROP_UINT16("x-file-slots", FWCfgState, file_slots,
                       FW_CFG_FILE_SLOTS_DFLT, "Number of file slots"),
    DEFINE_PROP_END_OF_LIST(),
};

static void fw_cfg_io_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fw_cfg_realize;
    dc->reset = fw_cfg_reset;
    dc->user_creatable = false;
    object_class_add_properties(klass, fw_cfg_io_properties);
}

static const TypeInfo fw_cfg_io_info = {
    .name = TYPE_FW_CFG_IO,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(FWCfgState),
    .instance_finalize = fw_cfg_finalize,
    .class_init = fw_cfg_io_class_init,
};

void fw_cfg_register_types(void)
{
    type_register_static(&fw_cfg_io_info);
}
