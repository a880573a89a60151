/*
 * Multiboot (version 1) kernels: header search, a.out kludge or ELF, the
 * modules of -initrd "file args,file2 args", and the multiboot info the
 * option ROM (multiboot_dma.bin) hands to the kernel. Matches QEMU 7.2
 * hw/i386/multiboot.c load_multiboot(); field layout from the Multiboot
 * Specification 0.6.96, sections 3.1 and 3.3.
 */
#include "qemu/osdep.h"
#include <sys/stat.h>
#include "hw/i386/x86-loader.h"

#define MULTIBOOT_MAGIC         0x1badb002
#define MULTIBOOT_HDR_SIZE      48      /* 12 dwords, the longest form */
#define MB_PAGE_SIZE            4096    /* QEMU's TARGET_PAGE_ALIGN */

/* Header flags (spec 3.1.2). */
#define MB_HDR_VIDEO_MODE       (1u << 2)
#define MB_HDR_AOUT_KLUDGE      (1u << 16)
/* QEMU's elfboot refuses e_flags with these: LOAD_ELF_HEADER_HAS_ADDR. */

/* Multiboot info (spec 3.3), as QEMU lays it out. */
#define MBI_FLAGS               0
#define MBI_MEM_LOWER           4
#define MBI_MEM_UPPER           8
#define MBI_BOOT_DEVICE         12
#define MBI_CMDLINE             16
#define MBI_MODS_COUNT          20
#define MBI_MODS_ADDR           24
#define MBI_MMAP_ADDR           48
#define MBI_BOOTLOADER          64
#define MBI_SIZE                88

#define MB_MOD_START            0
#define MB_MOD_END              4
#define MB_MOD_CMDLINE          8
#define MB_MOD_SIZE             16

#define MBI_FLAG_MEMORY         (1u << 0)
#define MBI_FLAG_BOOT_DEVICE    (1u << 1)
#define MBI_FLAG_CMDLINE        (1u << 2)
#define MBI_FLAG_MODULES        (1u << 3)
#define MBI_FLAG_MMAP           (1u << 6)
#define MBI_FLAG_BOOTLOADER     (1u << 9)

/*
 * The option ROM fills the e820 map at 0x9000 and finds the info
 * structure 0x500 bytes above it (QEMU's MULTIBOOT_STRUCT_ADDR).
 */
#define MB_ADDR_E820_MAP        0x9000
#define MB_ADDR_MBI             (MB_ADDR_E820_MAP + 0x500)

#define MB_BOOTLOADER_NAME      "qemu"

typedef struct MultibootState {
    uint8_t *buf;               /* kernel, module table, strings, modules */
    uint32_t buf_phys;
    uint64_t buf_size;
    uint64_t offset_mbinfo;     /* module table */
    uint64_t offset_cmdlines;
    uint64_t offset_bootloader;
    unsigned mods_avail;
    unsigned mods_count;
} MultibootState;

static uint64_t mb_page_align(uint64_t v)
{
    return QEMU_ALIGN_UP(v, MB_PAGE_SIZE);
}

static bool mb_grow(MultibootState *s, uint64_t new_size, Error **errp)
{
    uint8_t *p = g_try_realloc(s->buf, new_size);

    if (!p && new_size) {
        error_setg(errp, "multiboot: cannot allocate %" PRIu64 " bytes",
                   new_size);
        return false;
    }
    if (new_size > s->buf_size) {
        memset(p + s->buf_size, 0, new_size - s->buf_size);
    }
    s->buf = p;
    s->buf_size = new_size;
    return true;
}

static uint32_t mb_add_string(MultibootState *s, uint64_t *offset,
                              const char *str)
{
    uint64_t p = *offset;

    memcpy(s->buf + p, str, strlen(str) + 1);
    *offset += strlen(str) + 1;
    return s->buf_phys + p;
}

/*
 * -initrd for multiboot: modules separated by ',', a ",," standing for a
 * literal comma (QEMU's get_opt_value()).
 */
static GPtrArray *mb_split_modules(const char *list)
{
    GPtrArray *mods = g_ptr_array_new_with_free_func(g_free);
    GString *cur = g_string_new(NULL);
    const char *p;

    for (p = list; *p; p++) {
        if (*p != ',') {
            g_string_append_c(cur, *p);
        } else if (p[1] == ',') {
            g_string_append_c(cur, ',');
            p++;
        } else {
            g_ptr_array_add(mods, g_string_free(cur, false));
            cur = g_string_new(NULL);
        }
    }
    g_ptr_array_add(mods, g_string_free(cur, false));
    return mods;
}

/*
 * The loader keeps the whole image (up to bss_end_addr, or the ELF's
 * lowest to highest address) in one buffer that the option ROM copies to
 * guest RAM. QEMU 7.2 allocates it whatever its size (4 GiB for a
 * bss_end_addr of 0xffffffff) and the guest gets what lands in RAM; here
 * an image that does not fit in RAM below 4 GiB is refused before
 * anything is allocated (docs/status.md).
 */
static bool mb_fits_ram(const X86MachineInfo *info, uint64_t addr,
                        uint64_t size, Error **errp)
{
    if (addr + size <= info->below_4g_mem_size) {
        return true;
    }
    error_setg(errp, "multiboot kernel does not fit in guest RAM: 0x%"
               PRIx64 " bytes at 0x%" PRIx64 ", RAM below 4 GiB ends at 0x%"
               PRIx64, size, addr, info->below_4g_mem_size);
    return false;
}

/* Finds the header: 4-byte aligned, within the first 8 KiB (spec 3.1.1). */
static bool mb_find_header(const X86KernelFile *kf, uint32_t *offset,
                           uint32_t *flags)
{
    const uint8_t *h = kf->header;
    size_t len = sizeof(kf->header);
    uint32_t i;

    for (i = 0; i < len - MULTIBOOT_HDR_SIZE; i += 4) {
        if (x86_loader_ldl(h, len, i) != MULTIBOOT_MAGIC) {
            continue;
        }
        *flags = x86_loader_ldl(h, len, i + 4);
        if (MULTIBOOT_MAGIC + *flags + x86_loader_ldl(h, len, i + 8) == 0) {
            *offset = i;
            return true;
        }
    }
    return false;
}

static bool mb_load_elf(const X86KernelFile *kf, const X86MachineInfo *info,
                        MultibootState *s, uint32_t *entry, Error **errp)
{
    X86ElfImage img;
    uint32_t size;

    /* QEMU looks at e_machine before it knows the file is ELF at all. */
    if (x86_loader_lduw(kf->header, sizeof(kf->header), 18) == 62) {
        error_setg(errp, "Cannot load x86-64 image, give a 32bit one.");
        return false;
    }
    if (!x86_elf_parse(kf->data, kf->size, 0, &img)) {
        x86_elf_image_clear(&img);
        error_setg(errp, "Error while loading elf kernel");
        return false;
    }
    s->buf_phys = img.low;
    size = img.high - img.low;
    *entry = img.entry;
    if (img.segments->len == 0) {
        x86_elf_image_clear(&img);
        error_setg(errp, "Error while fetching elf kernel from rom");
        return false;
    }
    if (!mb_fits_ram(info, img.low, img.high - img.low, errp)) {
        x86_elf_image_clear(&img);
        return false;
    }
    /* QEMU loads the segments as ROMs, then copies them back out. */
    x86_elf_copy_to_guest(&img, kf->data, kf->filename, info->mem);
    if (!mb_grow(s, size, errp)) {
        x86_elf_image_clear(&img);
        return false;
    }
    x86_elf_flatten(&img, kf->data, s->buf, size);
    x86_elf_image_clear(&img);
    s->buf_size = size;
    return true;
}

/* The a.out kludge: addresses from the header (spec 3.1.3). */
static bool mb_load_aout(const X86KernelFile *kf, uint32_t i,
                         const X86MachineInfo *info,
                         MultibootState *s, uint32_t *entry,
                         uint32_t *kernel_size, Error **errp)
{
    const uint8_t *h = kf->header;
    size_t len = sizeof(kf->header);
    uint32_t header_addr = x86_loader_ldl(h, len, i + 12);
    uint32_t load_addr = x86_loader_ldl(h, len, i + 16);
    uint32_t load_end_addr = x86_loader_ldl(h, len, i + 20);
    uint32_t bss_end_addr = x86_loader_ldl(h, len, i + 24);
    uint32_t text_offset, load_size, size;

    if (header_addr < load_addr) {
        error_setg(errp, "invalid load_addr address");
        return false;
    }
    if (header_addr - load_addr > i) {
        error_setg(errp, "invalid header_addr address");
        return false;
    }
    text_offset = i - (header_addr - load_addr);
    *entry = x86_loader_ldl(h, len, i + 28);

    if (load_end_addr) {
        if (load_end_addr < load_addr) {
            error_setg(errp, "invalid load_end_addr address");
            return false;
        }
        /* past the end of the file: QEMU's fread() below fails */
        load_size = load_end_addr - load_addr;
    } else {
        if (kf->size < text_offset) {
            error_setg(errp, "invalid kernel_file_size");
            return false;
        }
        load_size = kf->size - text_offset;
    }
    if (load_size > UINT32_MAX - load_addr) {
        error_setg(errp, "kernel does not fit in address space");
        return false;
    }
    if (bss_end_addr) {
        if (bss_end_addr < load_addr + load_size) {
            error_setg(errp, "invalid bss_end_addr address");
            return false;
        }
        size = bss_end_addr - load_addr;
    } else {
        size = load_size;
    }
    /* QEMU's fread() of load_size bytes from text_offset */
    if ((uint64_t)text_offset + load_size > kf->size) {
        error_setg(errp, "fread() failed");
        return false;
    }
    if (!mb_fits_ram(info, load_addr, size, errp)) {
        return false;
    }
    s->buf_phys = load_addr;
    if (!mb_grow(s, size, errp)) {
        return false;
    }
    if (load_size) {        /* an empty image leaves buf NULL */
        memcpy(s->buf, kf->data + text_offset, load_size);
    }
    *kernel_size = size;
    return true;
}

/* Appends one module ("file args") page-aligned after the others. */
static bool mb_load_module(MultibootState *s, const char *spec,
                           Error **errp)
{
    g_autofree char *file = g_strdup(spec);
    uint64_t offs = s->buf_size;
    uint32_t cmdline_phys;
    char *space;
    struct stat st;
    ssize_t n;
    int fd;
    uint8_t *p;

    cmdline_phys = mb_add_string(s, &s->offset_cmdlines, spec);
    space = strchr(file, ' ');
    if (space) {
        *space = '\0';
    }
    fd = x86_loader_open(file, &st);
    if (fd < 0 || st.st_size > INT_MAX) {
        if (fd >= 0) {
            close(fd);
        }
        error_setg(errp, "Failed to open file '%s'", file);
        return false;
    }
    if (!mb_grow(s, mb_page_align(offs + st.st_size), errp)) {
        close(fd);
        return false;
    }
    for (p = s->buf + offs; p < s->buf + offs + st.st_size; p += n) {
        n = read(fd, p, s->buf + offs + st.st_size - p);
        if (n < 0 && errno == EINTR) {
            n = 0;
            continue;
        }
        if (n <= 0) {
            close(fd);
            error_setg(errp, "Error loading file '%s'", file);
            return false;
        }
    }
    close(fd);

    p = s->buf + s->offset_mbinfo + MB_MOD_SIZE * s->mods_count;
    x86_loader_stl(p + MB_MOD_START, s->buf_phys + offs);
    x86_loader_stl(p + MB_MOD_END, s->buf_phys + offs + st.st_size);
    x86_loader_stl(p + MB_MOD_CMDLINE, cmdline_phys);
    s->mods_count++;
    return true;
}

int multiboot_load(FWCfgState *fw_cfg, const X86MachineInfo *info,
                   const X86KernelFile *kf, GPtrArray *option_roms,
                   Error **errp)
{
    const char *cmdline = info->kernel_cmdline ? info->kernel_cmdline : "";
    MultibootState s = { 0 };
    g_autoptr(GPtrArray) mods = NULL;
    g_autofree char *kcmdline = NULL;
    uint32_t hdr_offset, flags = 0, entry, kernel_size;
    uint64_t cmdline_len;
    uint8_t *bootinfo;
    unsigned i;

    if (!mb_find_header(kf, &hdr_offset, &flags)) {
        return 0;
    }
    if (flags & MB_HDR_VIDEO_MODE) {
        /* QEMU only warns: the kernel gets no video information. */
        error_report("multiboot knows VBE. we don't");
    }
    if (!(flags & MB_HDR_AOUT_KLUDGE)) {
        if (!mb_load_elf(kf, info, &s, &entry, errp)) {
            goto fail;
        }
        kernel_size = s.buf_size;
    } else if (!mb_load_aout(kf, hdr_offset, info, &s, &entry, &kernel_size,
                             errp)) {
        goto fail;
    }

    /* Module table, command lines and loader name follow the kernel. */
    s.offset_mbinfo = mb_page_align(kernel_size);
    cmdline_len = strlen(kf->filename) + 1 + strlen(cmdline) + 1;
    if (info->initrd_filename) {
        mods = mb_split_modules(info->initrd_filename);
        cmdline_len += strlen(info->initrd_filename) + 1;
        s.mods_avail = mods->len;
    }
    if (!mb_grow(&s, mb_page_align(s.offset_mbinfo + cmdline_len +
                                   MB_MOD_SIZE * s.mods_avail +
                                   strlen(MB_BOOTLOADER_NAME) + 1), errp)) {
        goto fail;
    }
    s.offset_cmdlines = s.offset_mbinfo + s.mods_avail * MB_MOD_SIZE;
    s.offset_bootloader = s.offset_cmdlines + cmdline_len;

    for (i = 0; mods && i < mods->len; i++) {
        if (!mb_load_module(&s, g_ptr_array_index(mods, i), errp)) {
            goto fail;
        }
    }

    bootinfo = g_malloc0(MBI_SIZE);
    kcmdline = g_strdup_printf("%s %s", kf->filename, cmdline);
    x86_loader_stl(bootinfo + MBI_CMDLINE,
                   mb_add_string(&s, &s.offset_cmdlines, kcmdline));
    x86_loader_stl(bootinfo + MBI_BOOTLOADER,
                   mb_add_string(&s, &s.offset_bootloader,
                                 MB_BOOTLOADER_NAME));
    x86_loader_stl(bootinfo + MBI_MODS_ADDR, s.buf_phys + s.offset_mbinfo);
    x86_loader_stl(bootinfo + MBI_MODS_COUNT, s.mods_count);
    /* mem_lower/upper and the mmap are filled in by the option ROM. */
    x86_loader_stl(bootinfo + MBI_FLAGS,
                   MBI_FLAG_MEMORY | MBI_FLAG_BOOT_DEVICE | MBI_FLAG_CMDLINE |
                   MBI_FLAG_MODULES | MBI_FLAG_MMAP | MBI_FLAG_BOOTLOADER);
    /* BIOS drive 0x80, no partition: QEMU ignores -boot here. */
    x86_loader_stl(bootinfo + MBI_BOOT_DEVICE, 0x8000ffff);
    x86_loader_stl(bootinfo + MBI_MMAP_ADDR, MB_ADDR_E820_MAP);

    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_ENTRY, entry);
    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_ADDR, s.buf_phys);
    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_SIZE, s.buf_size);
    fw_cfg_add_bytes(fw_cfg, FW_CFG_KERNEL_DATA, s.buf, s.buf_size);

    fw_cfg_add_i32(fw_cfg, FW_CFG_INITRD_ADDR, MB_ADDR_MBI);
    fw_cfg_add_i32(fw_cfg, FW_CFG_INITRD_SIZE, MBI_SIZE);
    fw_cfg_add_bytes(fw_cfg, FW_CFG_INITRD_DATA, bootinfo, MBI_SIZE);

    /* microvm's fw_cfg always has DMA, so QEMU picks the DMA ROM. */
    g_ptr_array_add(option_roms, g_strdup("multiboot_dma.bin"));
    return 1;

fail:
    g_free(s.buf);
    return -1;
}
