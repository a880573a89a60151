/*
 * The BIOS linker/loader: the commands QEMU hands firmware in the fw_cfg
 * file "etc/table-loader" to place the ACPI table files in guest memory
 * and patch them there (QEMU 7.2 hw/acpi/bios-linker-loader.c; read by
 * SeaBIOS's romfile_loader and qboot's fw_cfg/acpi code).
 *
 * Each command is 128 bytes: a little-endian u32 command, then its
 * fields, zero padded. File names are at most 55 bytes.
 */
#ifndef HW_ACPI_BIOS_LINKER_LOADER_H
#define HW_ACPI_BIOS_LINKER_LOADER_H

#include "qemu/osdep.h"

#define BIOS_LINKER_LOADER_FILESZ           56
#define BIOS_LINKER_LOADER_ENTRY_SIZE       128

#define BIOS_LINKER_LOADER_COMMAND_ALLOCATE       1
#define BIOS_LINKER_LOADER_COMMAND_ADD_POINTER    2
#define BIOS_LINKER_LOADER_COMMAND_ADD_CHECKSUM   3

#define BIOS_LINKER_LOADER_ALLOC_ZONE_HIGH        1
#define BIOS_LINKER_LOADER_ALLOC_ZONE_FSEG        2

typedef struct BIOSLinker {
    GArray *cmd_blob;       /* the "etc/table-loader" contents */
    GPtrArray *files;       /* BIOSLinkerFile: what alloc registered */
} BIOSLinker;

BIOSLinker *bios_linker_loader_new(void);
void bios_linker_loader_free(BIOSLinker *linker);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BIOSLinker, bios_linker_loader_free)

/*
 * ALLOCATE: the firmware loads file (whose contents are blob, which the
 * linker keeps a reference to and patches) aligned to align, in the
 * F-segment (fseg, for the RSDP) or in high memory. Allocations come
 * before every other command: as QEMU, each one is put at the front, so
 * the newest allocation is the first command.
 */
void bios_linker_loader_alloc(BIOSLinker *linker, const char *file,
                              GArray *blob, uint32_t align, bool fseg);
/*
 * ADD_POINTER: the firmware adds the guest address of src_file to the
 * size-byte little-endian value at offset in dest_file. The value there
 * is set to src_offset now, so the sum is the address of that byte.
 */
void bios_linker_loader_add_pointer(BIOSLinker *linker, const char *dest_file,
                                    uint32_t offset, uint8_t size,
                                    const char *src_file,
                                    uint32_t src_offset);
/*
 * ADD_CHECKSUM: the firmware makes bytes [start, start + len) of file sum
 * to zero by setting the byte at offset (zeroed now).
 */
void bios_linker_loader_add_checksum(BIOSLinker *linker, const char *file,
                                     uint32_t start, uint32_t len,
                                     uint32_t offset);

#endif
