/*
 * Uncompressed (ELF) kernels booted through the Xen PVH entry point, and
 * the bounded ELF reader the multiboot loader shares. Matches QEMU 7.2
 * hw/i386/x86.c load_elfboot()/read_pvh_start_addr() and the PVH branch
 * of x86_load_linux(), and include/hw/elf_ops.h load_elf() for parsing.
 */
#include "qemu/osdep.h"
#include "hw/i386/x86-loader.h"

#define EM_386      3
#define EM_X86_64   62
#define PT_LOAD     1
#define PT_NOTE     4
#define PF_X        1
#define ELF_NOTE_HDR_SIZE 12    /* namesz, descsz, type: 32-bit in both */

/* Field offsets of the two ELF classes (System V gABI, ch. 4 and 5). */
typedef struct ElfLayout {
    size_t ehdr_size;
    size_t e_entry, e_phoff, e_flags, e_phnum;
    size_t phdr_size;
    size_t p_type, p_flags, p_offset, p_vaddr, p_paddr;
    size_t p_filesz, p_memsz, p_align;
    unsigned word;              /* width of addresses and sizes */
} ElfLayout;

static const ElfLayout elf32_layout = {
    .ehdr_size = 52, .e_entry = 24, .e_phoff = 28, .e_flags = 36,
    .e_phnum = 44, .phdr_size = 32, .p_type = 0, .p_offset = 4,
    .p_vaddr = 8, .p_paddr = 12, .p_filesz = 16, .p_memsz = 20,
    .p_flags = 24, .p_align = 28, .word = 4,
};

static const ElfLayout elf64_layout = {
    .ehdr_size = 64, .e_entry = 24, .e_phoff = 32, .e_flags = 48,
    .e_phnum = 56, .phdr_size = 56, .p_type = 0, .p_flags = 4,
    .p_offset = 8, .p_vaddr = 16, .p_paddr = 24, .p_filesz = 32,
    .p_memsz = 40, .p_align = 48, .word = 8,
};

static uint64_t elf_word(const ElfLayout *l, const uint8_t *p, size_t len,
                         size_t off)
{
    uint64_t v = x86_loader_ldl(p, len, off);

    if (l->word == 8) {
        v |= (uint64_t)x86_loader_ldl(p, len, off + 4) << 32;
    }
    return v;
}

/*
 * Saturates at UINT64_MAX: p_align comes from the file, and a wrapped
 * sum would let the note walk go backwards (and loop forever).
 */
static uint64_t align_up(uint64_t v, uint64_t align)
{
    /* QEMU divides by p_align; a zero alignment means "none" here. */
    if (align <= 1) {
        return v;
    }
    if (v > UINT64_MAX - (align - 1)) {
        return UINT64_MAX;
    }
    return (v + align - 1) / align * align;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * Finds the note of note_type in one PT_NOTE segment, walking QEMU's
 * get_elf_note_type() steps but never past the segment, and reads its
 * descriptor like read_pvh_start_addr(): a host size_t (8 bytes, little
 * endian) in an ELF64, a uint32_t in an ELF32; cut at the end of the
 * segment.
 */
static bool elf_find_note(const uint8_t *notes, uint64_t len, uint64_t align,
                          uint32_t note_type, bool is64, uint64_t *value)
{
    uint64_t pos = 0;

    /* pos only grows (by 12 or more), so the walk ends. */
    while (pos <= len && len - pos >= ELF_NOTE_HDR_SIZE) {
        uint32_t namesz = x86_loader_ldl(notes, len, pos);
        uint32_t descsz = x86_loader_ldl(notes, len, pos + 4);
        uint32_t type = x86_loader_ldl(notes, len, pos + 8);
        uint64_t desc = add_sat(pos + ELF_NOTE_HDR_SIZE,
                                align_up(namesz, align));

        if (type == note_type) {
            uint64_t v = 0;
            unsigned i;

            for (i = 0; i < (is64 ? 8 : 4) && desc < len && i < len - desc;
                 i++) {
                v |= (uint64_t)notes[desc + i] << (8 * i);
            }
            *value = v;
            return true;
        }
        pos = add_sat(desc, align_up(descsz, align));
    }
    return false;
}

/* An address or size in the file's class: ELF32 sums wrap at 4 GiB. */
static uint64_t elf_wrap(const ElfLayout *l, uint64_t v)
{
    return l->word == 4 ? (uint32_t)v : v;
}

/*
 * The second half of load_elf()'s loop over the PT_LOAD segments (in
 * program header order, each with its original p_memsz in loads): a
 * segment whose zero-filled tail would overlap another segment is cut to
 * its file size; the sizes add up to load_elf()'s result, which both of
 * QEMU's callers (load_elfboot, load_multiboot) keep in an int, so a total
 * of 2 GiB or more is a failure there ("Error while loading elf kernel").
 * Segments of size 0 count for low/high but become no ROM.
 */
static bool elf_place_segments(const ElfLayout *l, GArray *loads,
                               X86ElfImage *img)
{
    uint64_t total = 0;

    img->low = UINT64_MAX;
    img->high = 0;
    for (guint i = 0; i < loads->len; i++) {
        X86ElfSegment seg = g_array_index(loads, X86ElfSegment, i);

        if (seg.memsz > seg.filesz) {
            uint64_t zero_start = elf_wrap(l, seg.addr + seg.filesz);
            uint64_t zero_end = elf_wrap(l, seg.addr + seg.memsz);

            for (guint j = 0; j < loads->len; j++) {
                const X86ElfSegment *o = &g_array_index(loads, X86ElfSegment,
                                                        j);
                uint64_t other_end = elf_wrap(l, o->addr + o->memsz);

                if (i != j && !(o->addr >= zero_end ||
                                zero_start >= other_end)) {
                    seg.memsz = seg.filesz;
                    break;
                }
            }
        }
        /* load_elf's ELF_LOAD_TOO_BIG: the total must fit an ssize_t */
        if (seg.memsz > (uint64_t)INT64_MAX - total) {
            return false;
        }
        total += seg.memsz;
        img->low = MIN(img->low, seg.addr);
        img->high = MAX(img->high, seg.addr + seg.memsz);
        /* QEMU never copies more than memsz bytes into the ROM. */
        seg.filesz = MIN(seg.filesz, seg.memsz);
        if (seg.memsz != 0) {
            g_array_append_val(img->segments, seg);
        }
    }
    return (int)total >= 0;
}

bool x86_elf_parse(const uint8_t *data, size_t size, uint32_t note_type,
                   X86ElfImage *img)
{
    const ElfLayout *l;
    GArray *loads;
    uint64_t phoff;
    uint16_t phnum;
    unsigned i;
    bool ok;

    memset(img, 0, sizeof(*img));
    img->segments = g_array_new(false, false, sizeof(X86ElfSegment));
    if (size < 16 || memcmp(data, "\x7f" "ELF", 4) != 0) {
        return false;
    }
    /* load_elf(..., big_endian = 0): a big-endian file is refused. */
    if (data[5] != 1) {
        return false;
    }
    img->is64 = data[4] == 2;       /* ELFCLASS64, anything else is 32 */
    l = img->is64 ? &elf64_layout : &elf32_layout;
    if (size < l->ehdr_size) {
        return false;
    }
    img->e_machine = x86_loader_lduw(data, size, 18);
    if (img->e_machine != EM_X86_64 && img->e_machine != EM_386) {
        return false;
    }
    img->e_flags = x86_loader_ldl(data, size, l->e_flags);
    /* A 32-bit entry is sign-extended: (uint64_t)(elf_sword)e_entry. */
    img->entry = elf_word(l, data, size, l->e_entry);
    if (!img->is64) {
        img->entry = (uint64_t)(int64_t)(int32_t)img->entry;
    }
    phoff = elf_word(l, data, size, l->e_phoff);
    phnum = x86_loader_lduw(data, size, l->e_phnum);
    if (phoff > size || (uint64_t)phnum * l->phdr_size > size - phoff) {
        return false;
    }

    loads = g_array_new(false, false, sizeof(X86ElfSegment));
    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = data + phoff + (uint64_t)i * l->phdr_size;
        uint32_t type = x86_loader_ldl(ph, l->phdr_size, l->p_type);
        X86ElfSegment seg = {
            .addr = elf_word(l, ph, l->phdr_size, l->p_paddr),
            .offset = elf_word(l, ph, l->phdr_size, l->p_offset),
            .filesz = elf_word(l, ph, l->phdr_size, l->p_filesz),
            .memsz = elf_word(l, ph, l->phdr_size, l->p_memsz),
            .index = i,
        };

        if (type != PT_LOAD && !(type == PT_NOTE && note_type)) {
            continue;
        }
        if (seg.filesz > 0 &&
            (seg.offset > size || seg.filesz > size - seg.offset)) {
            g_array_free(loads, true);
            return false;
        }
        if (type == PT_NOTE) {
            uint64_t align = elf_word(l, ph, l->phdr_size, l->p_align);

            /*
             * load_elf() calls read_pvh_start_addr() for every PT_NOTE
             * holding the note, so the last one wins.
             */
            if (seg.filesz > 0 &&
                elf_find_note(data + seg.offset, seg.filesz, align,
                              note_type, img->is64, &img->note_value)) {
                img->has_note = true;
            }
            continue;
        }

        uint64_t vaddr = elf_word(l, ph, l->phdr_size, l->p_vaddr);
        uint32_t flags = x86_loader_ldl(ph, l->phdr_size, l->p_flags);
        uint64_t e_entry = elf_word(l, data, size, l->e_entry);

        /* load_elf: e_entry is virtual; follow the text segment's paddr. */
        if (vaddr != seg.addr && (flags & PF_X) &&
            e_entry >= vaddr && e_entry < vaddr + seg.filesz) {
            img->entry = e_entry - vaddr + seg.addr;
        }
        g_array_append_val(loads, seg);
    }
    ok = elf_place_segments(l, loads, img);
    g_array_free(loads, true);
    return ok;
}

void x86_elf_image_clear(X86ElfImage *img)
{
    if (img->segments) {
        g_array_free(img->segments, true);
        img->segments = NULL;
    }
}

/* A remembered ELF segment: file bytes, then zeros up to memsz. */
typedef struct X86RomBlob {
    uint64_t addr;
    uint64_t memsz;
    GBytes *data;
    char *name;         /* QEMU's label: "FILE ELF program header segment N" */
} X86RomBlob;

static GArray *x86_rom_blobs;

static void x86_rom_blob_clear(gpointer p)
{
    X86RomBlob *b = p;

    g_bytes_unref(b->data);
    g_free(b->name);
}

void x86_loader_rom_clear(void)
{
    if (x86_rom_blobs) {
        g_array_set_size(x86_rom_blobs, 0);
    }
}

/*
 * QEMU's rom_reset(): the data, then zeros up to p_memsz. What falls
 * outside RAM is skipped block by block (p_memsz comes from the file and
 * may be anything up to 2^64). Unlike a DMA transfer the blob does not
 * wrap: it is cut at the top of the address space.
 */
static void x86_rom_blob_write(const X86RomBlob *b, GuestMemory *mem)
{
    size_t filesz;
    const uint8_t *data = g_bytes_get_data(b->data, &filesz);
    uint64_t room = b->addr ? -b->addr : UINT64_MAX;
    uint64_t memsz = MIN(b->memsz, room);
    uint64_t nfile = MIN(filesz, memsz);

    /* a bss-only segment has no data: an empty GBytes gives NULL */
    if (nfile) {
        guest_memory_write(mem, b->addr, data, nfile);
    }
    guest_memory_set(mem, b->addr + nfile, 0, memsz - nfile);
}

void x86_loader_rom_reset(GuestMemory *mem)
{
    unsigned i;

    if (!x86_rom_blobs || !mem) {
        return;
    }
    for (i = 0; i < x86_rom_blobs->len; i++) {
        x86_rom_blob_write(&g_array_index(x86_rom_blobs, X86RomBlob, i),
                           mem);
    }
}

void x86_elf_copy_to_guest(const X86ElfImage *img, const uint8_t *data,
                           const char *filename, GuestMemory *mem)
{
    unsigned i;

    if (!x86_rom_blobs) {
        x86_rom_blobs = g_array_new(false, false, sizeof(X86RomBlob));
        g_array_set_clear_func(x86_rom_blobs, x86_rom_blob_clear);
    }
    for (i = 0; i < img->segments->len; i++) {
        const X86ElfSegment *s = &g_array_index(img->segments,
                                                X86ElfSegment, i);
        X86RomBlob b = {
            .addr = s->addr,
            .memsz = s->memsz,
            .data = g_bytes_new(data + s->offset, s->filesz),
            .name = g_strdup_printf("%s ELF program header segment %u",
                                    filename, s->index),
        };

        g_array_append_val(x86_rom_blobs, b);
        if (mem) {
            x86_rom_blob_write(&b, mem);
        }
    }
}

typedef struct X86RomRange {
    uint64_t addr;
    uint64_t size;
    const char *name;
} X86RomRange;

static gint x86_rom_range_cmp(gconstpointer a, gconstpointer b)
{
    const X86RomRange *x = a, *y = b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

bool x86_loader_rom_check(const char *bios_name, uint64_t bios_size,
                          Error **errp)
{
    g_autoptr(GArray) roms = g_array_new(false, false, sizeof(X86RomRange));
    X86RomRange bios = {
        .addr = 4 * GiB - bios_size, .size = bios_size, .name = bios_name,
    };
    g_autoptr(GString) overlaps = g_string_new(NULL);

    for (guint i = 0; x86_rom_blobs && i < x86_rom_blobs->len; i++) {
        const X86RomBlob *b = &g_array_index(x86_rom_blobs, X86RomBlob, i);
        X86RomRange r = { .addr = b->addr, .size = b->memsz, .name = b->name };

        g_array_append_val(roms, r);
    }
    /* QEMU's list is sorted by address; the firmware after the kernel's */
    g_array_append_val(roms, bios);
    g_array_sort(roms, x86_rom_range_cmp);
    for (guint i = 1; i < roms->len; i++) {
        const X86RomRange *last = &g_array_index(roms, X86RomRange, i - 1);
        const X86RomRange *r = &g_array_index(roms, X86RomRange, i);

        if (last->addr + last->size <= r->addr) {
            continue;
        }
        g_string_append_printf(overlaps, "\nThe following two regions "
                               "overlap (in the memory address space):\n");
        g_string_append_printf(overlaps, "  %s (addresses 0x%016" PRIx64
                               " - 0x%016" PRIx64 ")\n", last->name,
                               last->addr, last->addr + last->size);
        g_string_append_printf(overlaps, "  %s (addresses 0x%016" PRIx64
                               " - 0x%016" PRIx64 ")\n", r->name, r->addr,
                               r->addr + r->size);
    }
    if (!overlaps->len) {
        return true;
    }
    error_setg(errp, "Some ROM regions are overlapping");
    error_append_hint(errp, "These ROM regions might have been loaded by "
                      "direct user request or by default.\n"
                      "They could be BIOS/firmware images, a guest kernel, "
                      "initrd or some other file loaded into guest memory.\n"
                      "Check whether you intended to load all this guest "
                      "code, and whether it has been built to load to the "
                      "correct addresses.\n%s", overlaps->str);
    return false;
}

void x86_elf_flatten(const X86ElfImage *img, const uint8_t *data,
                     uint8_t *buf, uint64_t len)
{
    unsigned i;

    memset(buf, 0, len);
    for (i = 0; i < img->segments->len; i++) {
        const X86ElfSegment *s = &g_array_index(img->segments,
                                                X86ElfSegment, i);
        uint64_t off = s->addr - img->low;

        if (off >= len) {
            continue;
        }
        memcpy(buf + off, data + s->offset, MIN(s->filesz, len - off));
    }
}

int pvh_load_elfboot(FWCfgState *fw_cfg, const X86MachineInfo *info,
                     const X86KernelFile *kf, GPtrArray *option_roms,
                     Error **errp)
{
    const char *cmdline = info->kernel_cmdline ? info->kernel_cmdline : "";
    X86ElfImage img;
    uint32_t flags;
    uint32_t initrd_max;

    if (x86_loader_ldl(kf->header, sizeof(kf->header), 0) != 0x464c457f) {
        return 0;
    }
    /* load_elfboot() reads e_flags before load_elf() validates anything. */
    flags = x86_loader_ldl(kf->header, sizeof(kf->header),
                           kf->header[4] == 2 ? 48 : 36);
    if (flags & 0x00010004) {
        error_setg(errp, "elfboot unsupported flags = %x", flags);
        return -1;
    }
    if (!x86_elf_parse(kf->data, kf->size, X86_ELF_NOTE_PHYS32_ENTRY,
                       &img)) {
        x86_elf_image_clear(&img);
        error_setg(errp, "Error while loading elf kernel");
        return -1;
    }
    if (!img.has_note || img.note_value == 0) {
        x86_elf_image_clear(&img);
        error_setg(errp,
                   "Error loading uncompressed kernel without PVH ELF Note");
        return -1;
    }
    /* The segments are ROM blobs in QEMU: guest memory, not fw_cfg data. */
    x86_elf_copy_to_guest(&img, kf->data, kf->filename, info->mem);

    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_ENTRY, (uint32_t)img.note_value);
    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_ADDR, (uint32_t)img.low);
    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_SIZE, (uint32_t)(img.high - img.low));
    x86_elf_image_clear(&img);

    fw_cfg_add_i32(fw_cfg, FW_CFG_CMDLINE_SIZE, strlen(cmdline) + 1);
    fw_cfg_add_string(fw_cfg, FW_CFG_CMDLINE_DATA, cmdline);
    fw_cfg_add_i32(fw_cfg, FW_CFG_SETUP_SIZE, sizeof(kf->header));
    fw_cfg_add_bytes(fw_cfg, FW_CFG_SETUP_DATA,
                     g_memdup2(kf->header, sizeof(kf->header)),
                     sizeof(kf->header));

    if (info->initrd_filename) {
        /* microvm passes acpi_data_size 0. */
        initrd_max = info->below_4g_mem_size - 1;
        if (!x86_load_initrd(fw_cfg, info->initrd_filename, initrd_max,
                             NULL, NULL, errp)) {
            return -1;
        }
    }
    g_ptr_array_add(option_roms, g_strdup("pvh.bin"));
    return 1;
}
