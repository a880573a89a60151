/*
 * -kernel/-initrd/-append for x86: the Linux boot protocol (bzImage,
 * zImage) and the dispatch to the multiboot and PVH loaders. Matches
 * QEMU 7.2 hw/i386/x86.c x86_load_linux() as microvm calls it
 * (acpi_data_size 0, PVH enabled, fw_cfg DMA on); the setup header
 * offsets are Linux's Documentation/x86/boot.rst.
 */
#include "qemu/osdep.h"
#include <sys/stat.h>
#include "hw/i386/x86-loader.h"

/* Setup header (boot.rst "The real-mode kernel header"). */
#define HDR_OLD_CMD_LINE_MAGIC  0x020
#define HDR_OLD_CMD_LINE_OFFSET 0x022
#define HDR_SETUP_SECTS         0x1f1
#define HDR_VID_MODE            0x1fa
#define HDR_HEADER              0x202
#define HDR_VERSION             0x206
#define HDR_TYPE_OF_LOADER      0x210
#define HDR_LOADFLAGS           0x211
#define HDR_RAMDISK_IMAGE       0x218
#define HDR_RAMDISK_SIZE        0x21c
#define HDR_HEAP_END_PTR        0x224
#define HDR_CMD_LINE_PTR        0x228
#define HDR_INITRD_ADDR_MAX     0x22c
#define HDR_XLOADFLAGS          0x236

#define HDR_MAGIC               0x53726448  /* "HdrS" */
#define OLD_CMD_LINE_MAGIC      0xa33f
#define LOADED_HIGH             0x01
#define CAN_USE_HEAP            0x80
#define XLF_CAN_BE_LOADED_ABOVE_4G 0x02
/* High nybble 0xB: QEMU's loader id; low nybble: its revision. */
#define QEMU_LOADER_TYPE        0xb0

static void x86_kernel_file_free(X86KernelFile *kf)
{
    g_free(kf->data);
    g_free(kf);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(X86KernelFile, x86_kernel_file_free)

int x86_loader_open(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    int err;

    if (fd < 0) {
        return -1;
    }
    if (fstat(fd, st) < 0) {
        err = errno;
    } else if (S_ISREG(st->st_mode) || S_ISBLK(st->st_mode)) {
        return fd;
    } else {
        err = S_ISDIR(st->st_mode) ? EISDIR : ESPIPE;
    }
    close(fd);
    errno = err;
    return -1;
}

static X86KernelFile *x86_kernel_file_read(const char *filename,
                                           Error **errp)
{
    g_autoptr(X86KernelFile) kf = g_new0(X86KernelFile, 1);
    struct stat st;
    size_t done = 0;
    int fd;

    kf->filename = filename;
    fd = x86_loader_open(filename, &st);
    if (fd < 0 && errno != EISDIR && errno != ESPIPE) {
        error_setg_raw(errp, "qemu: could not open kernel file '%s': %s",
                       filename, g_strerror(errno));
        return NULL;
    }
    if (fd < 0) {
        /* QEMU 7.2 opens these, then fails to size or read them */
        error_setg_raw(errp, "qemu: could not load kernel '%s': %s",
                       filename, g_strerror(errno));
        return NULL;
    }
    if (st.st_size == 0) {
        close(fd);
        /*
         * QEMU 7.2 prints a stale errno here; on its start-up path that
         * is E2BIG, and we print the same line.
         */
        error_setg_raw(errp, "qemu: could not load kernel '%s': %s",
                       filename, g_strerror(E2BIG));
        return NULL;
    }
    if (st.st_size > INT32_MAX) {
        close(fd);
        /*
         * QEMU 7.2 keeps the size in an int: from 2 GiB on it is negative
         * (or wrapped), and the setup header check "setup_size >
         * kernel_size" refuses the file before anything is loaded.
         */
        error_setg_raw(errp, "qemu: invalid kernel header");
        return NULL;
    }
    kf->size = st.st_size;
    kf->data = g_try_malloc(kf->size);
    if (!kf->data) {
        close(fd);
        error_setg_raw(errp, "qemu: could not load kernel '%s': %s",
                       filename, g_strerror(ENOMEM));
        return NULL;
    }
    while (done < kf->size) {
        ssize_t n = read(fd, kf->data + done, kf->size - done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            int err = n < 0 ? errno : EIO;

            close(fd);
            error_setg_raw(errp, "qemu: could not load kernel '%s': %s",
                           filename, g_strerror(err));
            return NULL;
        }
        done += n;
    }
    close(fd);
    memcpy(kf->header, kf->data, MIN(kf->size, sizeof(kf->header)));
    return g_steal_pointer(&kf);
}

bool x86_load_initrd(FWCfgState *fw_cfg, const char *filename,
                     uint32_t initrd_max, uint32_t *addr, uint32_t *size,
                     Error **errp)
{
    g_autoptr(GError) gerr = NULL;
    GMappedFile *mapped;
    size_t initrd_size;
    uint32_t initrd_addr;
    struct stat st;
    void *copy;
    int fd;

    /*
     * Only a FIFO or another special file is refused here (it would block
     * start-up); GLib opens the rest and words its errors as for QEMU.
     */
    fd = x86_loader_open(filename, &st);
    if (fd < 0 && errno == ESPIPE) {
        error_setg_raw(errp, "qemu: error reading initrd %s: %s", filename,
                       g_strerror(errno));
        return false;
    }
    if (fd >= 0) {
        close(fd);
    }
    mapped = g_mapped_file_new(filename, false, &gerr);
    if (!mapped) {
        error_setg_raw(errp, "qemu: error reading initrd %s: %s", filename,
                       gerr->message);
        return false;
    }
    initrd_size = g_mapped_file_get_length(mapped);
    if (initrd_size >= initrd_max) {
        g_mapped_file_unref(mapped);
        error_setg_raw(errp, "qemu: initrd is too large, cannot support."
                       "(max: %" PRIu32 ", need %" PRId64 ")",
                       initrd_max, (int64_t)initrd_size);
        return false;
    }
    initrd_addr = (initrd_max - initrd_size) & ~4095u;
    /* fw_cfg owns (and g_free's) item data, so it gets its own copy. */
    copy = g_malloc(initrd_size);
    if (initrd_size) {
        memcpy(copy, g_mapped_file_get_contents(mapped), initrd_size);
    }
    g_mapped_file_unref(mapped);

    fw_cfg_add_i32(fw_cfg, FW_CFG_INITRD_ADDR, initrd_addr);
    fw_cfg_add_i32(fw_cfg, FW_CFG_INITRD_SIZE, initrd_size);
    fw_cfg_add_bytes(fw_cfg, FW_CFG_INITRD_DATA, copy, initrd_size);
    if (addr) {
        *addr = initrd_addr;
    }
    if (size) {
        *size = initrd_size;
    }
    return true;
}

/*
 * "vga=" anywhere in the command line (QEMU uses strstr, so "xvga=" counts
 * too): normal/ext/ask or a number in C syntax ending at a space.
 */
static bool x86_linux_parse_vga(const char *cmdline, bool *found,
                                uint16_t *mode, Error **errp)
{
    const char *v = strstr(cmdline, "vga=");
    unsigned long long n;
    char *end;

    *found = v != NULL;
    if (!v) {
        return true;
    }
    v += 4;
    if (!strncmp(v, "normal", 6)) {
        *mode = 0xffff;
    } else if (!strncmp(v, "ext", 3)) {
        *mode = 0xfffe;
    } else if (!strncmp(v, "ask", 3)) {
        *mode = 0xfffd;
    } else {
        /* qemu_strtoui(): unsigned int, leading blanks and a sign allowed */
        errno = 0;
        n = strtoull(v, &end, 0);
        if (end == v || errno == ERANGE ||
            (n > UINT_MAX && -n > UINT_MAX) || (*end && *end != ' ')) {
            error_setg_raw(errp, "qemu: invalid 'vga=' kernel parameter.");
            return false;
        }
        *mode = (uint16_t)n;
    }
    return true;
}

static bool x86_load_bzimage(FWCfgState *fw_cfg, const X86MachineInfo *info,
                             X86KernelFile *kf, uint16_t protocol,
                             GPtrArray *option_roms, Error **errp)
{
    const char *cmdline = info->kernel_cmdline ? info->kernel_cmdline : "";
    uint8_t *header = kf->header;
    uint64_t real_addr, prot_addr, cmdline_addr;
    uint64_t cmdline_size = (strlen(cmdline) + 16) & ~(uint64_t)15;
    uint32_t initrd_max, initrd_addr, initrd_size;
    size_t setup_size, kernel_size;
    uint16_t vga_mode;
    bool has_vga;
    uint8_t *setup;

    if (protocol < 0x200 || !(header[HDR_LOADFLAGS] & LOADED_HIGH)) {
        /* zImage: everything below 640 KiB */
        real_addr = 0x90000;
        cmdline_addr = 0x9a000 - cmdline_size;
        prot_addr = 0x10000;
    } else if (protocol < 0x202) {
        real_addr = 0x90000;
        cmdline_addr = 0x9a000 - cmdline_size;
        prot_addr = 0x100000;
    } else {
        real_addr = 0x10000;
        cmdline_addr = 0x20000;
        prot_addr = 0x100000;
    }

    if (protocol >= 0x20c &&
        (x86_loader_lduw(header, X86_KERNEL_HEADER_SIZE, HDR_XLOADFLAGS) &
         XLF_CAN_BE_LOADED_ABOVE_4G)) {
        /* QEMU has no ext_ramdisk_image: 32 bits is the limit anyway. */
        initrd_max = UINT32_MAX;
    } else if (protocol >= 0x203) {
        initrd_max = x86_loader_ldl(header, X86_KERNEL_HEADER_SIZE,
                                    HDR_INITRD_ADDR_MAX);
    } else {
        initrd_max = 0x37ffffff;
    }
    if (initrd_max >= info->below_4g_mem_size) {
        initrd_max = info->below_4g_mem_size - 1;
    }

    fw_cfg_add_i32(fw_cfg, FW_CFG_CMDLINE_ADDR, cmdline_addr);
    fw_cfg_add_i32(fw_cfg, FW_CFG_CMDLINE_SIZE, strlen(cmdline) + 1);
    fw_cfg_add_string(fw_cfg, FW_CFG_CMDLINE_DATA, cmdline);

    if (protocol >= 0x202) {
        x86_loader_stl(header + HDR_CMD_LINE_PTR, cmdline_addr);
    } else {
        x86_loader_stw(header + HDR_OLD_CMD_LINE_MAGIC, OLD_CMD_LINE_MAGIC);
        x86_loader_stw(header + HDR_OLD_CMD_LINE_OFFSET,
                       cmdline_addr - real_addr);
    }

    if (!x86_linux_parse_vga(cmdline, &has_vga, &vga_mode, errp)) {
        return false;
    }
    if (has_vga) {
        x86_loader_stw(header + HDR_VID_MODE, vga_mode);
    }

    if (protocol >= 0x200) {
        header[HDR_TYPE_OF_LOADER] = QEMU_LOADER_TYPE;
    }
    if (protocol >= 0x201) {
        header[HDR_LOADFLAGS] |= CAN_USE_HEAP;
        x86_loader_stw(header + HDR_HEAP_END_PTR,
                       cmdline_addr - real_addr - 0x200);
    }

    if (info->initrd_filename) {
        if (protocol < 0x200) {
            error_setg_raw(errp,
                           "qemu: linux kernel too old to load a ram disk");
            return false;
        }
        if (!x86_load_initrd(fw_cfg, info->initrd_filename, initrd_max,
                             &initrd_addr, &initrd_size, errp)) {
            return false;
        }
        x86_loader_stl(header + HDR_RAMDISK_IMAGE, initrd_addr);
        x86_loader_stl(header + HDR_RAMDISK_SIZE, initrd_size);
    }

    /* setup_sects 0 means 4 (boot.rst), plus the boot sector. */
    setup_size = header[HDR_SETUP_SECTS];
    if (setup_size == 0) {
        setup_size = 4;
    }
    setup_size = (setup_size + 1) * 512;
    if (setup_size > kf->size) {
        error_setg_raw(errp, "qemu: invalid kernel header");
        return false;
    }
    kernel_size = kf->size - setup_size;

    setup = g_malloc(setup_size);
    memcpy(setup, kf->data, setup_size);
    /* The patched header replaces the file's first bytes. */
    memcpy(setup, header, MIN(X86_KERNEL_HEADER_SIZE, setup_size));

    /*
     * The file buffer becomes the KERNEL_DATA item: no second copy of a
     * kernel that may be tens of MiB.
     */
    memmove(kf->data, kf->data + setup_size, kernel_size);
    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_ADDR, prot_addr);
    fw_cfg_add_i32(fw_cfg, FW_CFG_KERNEL_SIZE, kernel_size);
    fw_cfg_add_bytes(fw_cfg, FW_CFG_KERNEL_DATA,
                     g_realloc(g_steal_pointer(&kf->data), kernel_size),
                     kernel_size);
    kf->size = 0;

    fw_cfg_add_i32(fw_cfg, FW_CFG_SETUP_ADDR, real_addr);
    fw_cfg_add_i32(fw_cfg, FW_CFG_SETUP_SIZE, setup_size);
    fw_cfg_add_bytes(fw_cfg, FW_CFG_SETUP_DATA, setup, setup_size);

    /* microvm's fw_cfg always has DMA, so QEMU picks the DMA ROM. */
    g_ptr_array_add(option_roms, g_strdup("linuxboot_dma.bin"));
    return true;
}

bool x86_load_linux(FWCfgState *fw_cfg, const X86MachineInfo *info,
                    GPtrArray *option_roms, Error **errp)
{
    g_autoptr(X86KernelFile) kf = NULL;
    uint16_t protocol = 0;
    int ret;

    x86_loader_rom_clear();
    kf = x86_kernel_file_read(info->kernel_filename, errp);
    if (!kf) {
        return false;
    }
    if (x86_loader_ldl(kf->header, X86_KERNEL_HEADER_SIZE, HDR_HEADER) ==
        HDR_MAGIC) {
        protocol = x86_loader_lduw(kf->header, X86_KERNEL_HEADER_SIZE,
                                   HDR_VERSION);
    } else {
        /*
         * Multiboot first: a multiboot kernel may be an ELF file too, and
         * only the multiboot magic tells them apart.
         */
        ret = multiboot_load(fw_cfg, info, kf, option_roms, errp);
        if (ret != 0) {
            return ret > 0;
        }
        ret = pvh_load_elfboot(fw_cfg, info, kf, option_roms, errp);
        if (ret != 0) {
            return ret > 0;
        }
        /* Anything else is taken for an ancient zImage, as QEMU does. */
    }
    return x86_load_bzimage(fw_cfg, info, kf, protocol, option_roms, errp);
}
