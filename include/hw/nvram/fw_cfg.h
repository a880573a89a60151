/*
 * fw_cfg: QEMU's firmware configuration device (docs/specs/fw_cfg.rst).
 *
 * Selector at port 0x510 (16-bit), data at 0x511 (8-bit), DMA address
 * register at 0x514 (64-bit, big endian, written as two 32-bit halves or
 * one 64-bit access). Items are numbered keys; named files live from
 * FW_CFG_FILE_FIRST on and are listed in FW_CFG_FILE_DIR, sorted by name
 * as QEMU 7.2 sorts them.
 */
#ifndef HW_NVRAM_FW_CFG_H
#define HW_NVRAM_FW_CFG_H

#include "hw/core/qdev.h"

#define TYPE_FW_CFG_IO "fw_cfg_io"

#define FW_CFG_SIGNATURE        0x00
#define FW_CFG_ID               0x01
#define FW_CFG_UUID             0x02
#define FW_CFG_RAM_SIZE         0x03
#define FW_CFG_NOGRAPHIC        0x04
#define FW_CFG_NB_CPUS          0x05
#define FW_CFG_MACHINE_ID       0x06
#define FW_CFG_KERNEL_ADDR      0x07
#define FW_CFG_KERNEL_SIZE      0x08
#define FW_CFG_KERNEL_CMDLINE   0x09
#define FW_CFG_INITRD_ADDR      0x0a
#define FW_CFG_INITRD_SIZE      0x0b
#define FW_CFG_BOOT_DEVICE      0x0c
#define FW_CFG_NUMA             0x0d
#define FW_CFG_BOOT_MENU        0x0e
#define FW_CFG_MAX_CPUS         0x0f
#define FW_CFG_KERNEL_ENTRY     0x10
#define FW_CFG_KERNEL_DATA      0x11
#define FW_CFG_INITRD_DATA      0x12
#define FW_CFG_CMDLINE_ADDR     0x13
#define FW_CFG_CMDLINE_SIZE     0x14
#define FW_CFG_CMDLINE_DATA     0x15
#define FW_CFG_SETUP_ADDR       0x16
#define FW_CFG_SETUP_SIZE       0x17
#define FW_CFG_SETUP_DATA       0x18
#define FW_CFG_FILE_DIR         0x19
#define FW_CFG_FILE_FIRST       0x20
#define FW_CFG_FILE_SLOTS_DFLT  0x20
#define FW_CFG_WRITE_CHANNEL    0x4000
#define FW_CFG_ARCH_LOCAL       0x8000
#define FW_CFG_ACPI_TABLES      (FW_CFG_ARCH_LOCAL + 0)
#define FW_CFG_SMBIOS_ENTRIES   (FW_CFG_ARCH_LOCAL + 1)
#define FW_CFG_IRQ0_OVERRIDE    (FW_CFG_ARCH_LOCAL + 2)
#define FW_CFG_E820_TABLE       (FW_CFG_ARCH_LOCAL + 3)
#define FW_CFG_HPET             (FW_CFG_ARCH_LOCAL + 4)
#define FW_CFG_INVALID          0xffff

#define FW_CFG_IO_BASE          0x510
#define FW_CFG_DMA_IO_BASE      0x514

typedef struct FWCfgState FWCfgState;

/*
 * Creates and realizes the device (not mapped: see fw_cfg_io_map). With
 * dma_enabled, DMA transfers go through mem's translator; every guest
 * address and length is checked there. The device list owns it
 * (qdev_unrealize_all() frees it): the pointer returned is borrowed.
 */
FWCfgState *fw_cfg_new(GuestMemory *mem, bool dma_enabled, Error **errp);
/* Maps the ports at FW_CFG_IO_BASE (and DMA at FW_CFG_DMA_IO_BASE). */
void fw_cfg_io_map(FWCfgState *s);

/* Adding items. fw_cfg takes ownership of data (g_malloc'd, g_free'd). */
void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, void *data, size_t len);
void fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value);
void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value);
void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value);
void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value);
void fw_cfg_modify_i16(FWCfgState *s, uint16_t key, uint16_t value);
void fw_cfg_modify_i32(FWCfgState *s, uint16_t key, uint32_t value);
void fw_cfg_modify_i64(FWCfgState *s, uint16_t key, uint64_t value);
/* Replaces an item's data (or adds it); takes ownership of data. */
void fw_cfg_modify_bytes(FWCfgState *s, uint16_t key, void *data, size_t len);
void fw_cfg_modify_string(FWCfgState *s, uint16_t key, const char *value);
/* A named file, given the next free key; duplicates are refused. */
void fw_cfg_add_file(FWCfgState *s, const char *filename, void *data,
                     size_t len);
/* Replaces a file's contents (or adds it). */
void fw_cfg_modify_file(FWCfgState *s, const char *filename, void *data,
                        size_t len);
/* The data of an item/file (NULL if absent), for tests and the loader. */
const void *fw_cfg_get_item(FWCfgState *s, uint16_t key, size_t *len);
const void *fw_cfg_get_file(FWCfgState *s, const char *filename,
                            size_t *len);

/* Register-level access (what the mapped ports call; tests drive these). */
uint64_t fw_cfg_port_read(FWCfgState *s, uint64_t offset, unsigned size);
void fw_cfg_port_write(FWCfgState *s, uint64_t offset, uint64_t value,
                       unsigned size);
uint64_t fw_cfg_dma_port_read(FWCfgState *s, uint64_t offset, unsigned size);
void fw_cfg_dma_port_write(FWCfgState *s, uint64_t offset, uint64_t value,
                           unsigned size);

void fw_cfg_register_types(void);

#endif
