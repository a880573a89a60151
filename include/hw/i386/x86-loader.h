/*
 * Pieces shared by the x86 kernel loaders (x86-linux-loader.c,
 * pvh-loader.c, multiboot.c): the kernel file as read once, a bounded ELF
 * reader with QEMU 7.2's load_elf() rules (include/hw/elf_ops.h), and the
 * way the loaders' errors must be printed.
 */
#ifndef HW_I386_X86_LOADER_H
#define HW_I386_X86_LOADER_H

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/i386/x86.h"

/* QEMU 7.2 x86_load_linux() inspects the first 8 KiB of the kernel. */
#define X86_KERNEL_HEADER_SIZE 8192

typedef struct X86KernelFile {
    const char *filename;
    uint8_t *data;                      /* the whole file */
    size_t size;
    /* The first 8 KiB, zero-padded when the file is shorter. */
    uint8_t header[X86_KERNEL_HEADER_SIZE];
} X86KernelFile;

/*
 * Opens a file the user named for the machine to load (-kernel, -initrd,
 * a multiboot module, -bios) so that start-up never blocks on it: with
 * O_NONBLOCK, and only a regular file or a block device is kept; a FIFO
 * or another special file fails at once with ESPIPE (QEMU 7.2 waits in
 * open() for a FIFO's writer: docs/status.md). Returns the descriptor,
 * with its fstat() in *st, or -1 with errno set.
 */
int x86_loader_open(const char *path, struct stat *st);

/* Little-endian accessors that read zero past the end of buf. */
static inline uint32_t x86_loader_ldl(const uint8_t *buf, size_t len,
                                      size_t off)
{
    uint32_t v = 0;
    unsigned i;

    for (i = 0; i < 4; i++) {
        if (off + i < len) {
            v |= (uint32_t)buf[off + i] << (8 * i);
        }
    }
    return v;
}

static inline uint16_t x86_loader_lduw(const uint8_t *buf, size_t len,
                                       size_t off)
{
    return x86_loader_ldl(buf, len, off) & 0xffff;
}

static inline void x86_loader_stl(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

static inline void x86_loader_stw(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

/* ---- ELF, as QEMU 7.2's load_elf() sees it ----------------------------- */

#define X86_ELF_NOTE_PHYS32_ENTRY 18    /* XEN_ELFNOTE_PHYS32_ENTRY */

typedef struct X86ElfSegment {
    uint64_t addr;                      /* p_paddr */
    uint64_t offset;                    /* into the file */
    uint64_t filesz;
    uint64_t memsz;
    unsigned index;                     /* in the program header table */
} X86ElfSegment;

typedef struct X86ElfImage {
    bool is64;
    uint32_t e_flags;
    uint16_t e_machine;
    uint64_t entry;                     /* e_entry, adjusted like load_elf */
    uint64_t low, high;                 /* lowest/highest loaded address */
    GArray *segments;                   /* of X86ElfSegment, memsz != 0 */
    bool has_note;                      /* the requested note was found */
    uint64_t note_value;                /* the last one's, read as QEMU */
} X86ElfImage;

/*
 * Parses data as load_elf(..., EM_X86_64) would: ELF magic, little endian,
 * class 32 or 64, e_machine EM_386 or EM_X86_64, program headers and
 * every PT_LOAD range inside the file. Looks for a note of note_type in
 * the PT_NOTE segments (0: no note wanted). Returns false where load_elf
 * fails (QEMU then says "Error while loading elf kernel").
 */
bool x86_elf_parse(const uint8_t *data, size_t size, uint32_t note_type,
                   X86ElfImage *img);
void x86_elf_image_clear(X86ElfImage *img);
/*
 * What QEMU's ROM blobs put in guest memory at reset: each segment's file
 * bytes, then zeros up to memsz. Parts outside guest RAM are dropped, as
 * QEMU's address_space_write_rom() drops writes to unassigned space.
 */
void x86_elf_copy_to_guest(const X86ElfImage *img, const uint8_t *data,
                           const char *filename, GuestMemory *mem);
/*
 * QEMU keeps ELF segments as ROM blobs and writes them into guest RAM
 * again at every system reset (hw/core/loader.c rom_reset()), so a
 * rebooted PVH guest starts from a pristine kernel. The board calls this
 * from its reset path; x86_load_linux() replaces the remembered blobs.
 */
void x86_loader_rom_reset(GuestMemory *mem);
void x86_loader_rom_clear(void);
/*
 * QEMU 7.2's rom_check_and_register_reset() once the machine is done: the
 * ELF segments and the firmware (bios_name, bios_size bytes at 4 GiB -
 * bios_size) sorted by address must not overlap, else "Some ROM regions
 * are overlapping" with QEMU's explanation and the pairs as a hint.
 */
bool x86_loader_rom_check(const char *bios_name, uint64_t bios_size,
                          Error **errp);

/* The image flattened into buf ([low, low+len)), as QEMU's rom_copy(). */
void x86_elf_flatten(const X86ElfImage *img, const uint8_t *data,
                     uint8_t *buf, uint64_t len);

/* ---- the loaders ------------------------------------------------------- */

/*
 * QEMU 7.2 load_multiboot() (hw/i386/multiboot.c). Returns 1 when kf is a
 * multiboot kernel and was loaded, 0 when it is not one, -1 on error.
 */
int multiboot_load(FWCfgState *fw_cfg, const X86MachineInfo *info,
                   const X86KernelFile *kf, GPtrArray *option_roms,
                   Error **errp);

/*
 * QEMU 7.2 load_elfboot() plus the PVH branch of x86_load_linux()
 * (hw/i386/x86.c). Same return convention as multiboot_load().
 */
int pvh_load_elfboot(FWCfgState *fw_cfg, const X86MachineInfo *info,
                     const X86KernelFile *kf, GPtrArray *option_roms,
                     Error **errp);

/*
 * The initrd as QEMU 7.2 loads it for Linux and PVH: mapped with GLib,
 * placed at (initrd_max - size) & ~4095, INITRD_ADDR/SIZE/DATA added.
 * Returns the address through addr (may be NULL).
 */
bool x86_load_initrd(FWCfgState *fw_cfg, const char *filename,
                     uint32_t initrd_max, uint32_t *addr, uint32_t *size,
                     Error **errp);


#endif
