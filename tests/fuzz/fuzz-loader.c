/*
 * libFuzzer target: the kernel loaders behind -kernel, QEMU 7.2's
 * x86_load_linux(): bzImage (hw/i386/x86-linux-loader.c), ELF with a
 * Xen PVH note (pvh-loader.c), multiboot v1 ELF and a.out kludge
 * (multiboot.c). The input is the kernel file; the loader fills 32 MiB
 * of guest RAM and fw_cfg's items (then read back through the port, as
 * the firmware does), or refuses it with an error. Nothing may crash,
 * leak, allocate without bound or write outside guest RAM.
 *
 * Input: byte 0 bit 0: an -initrd (a 5000-byte file, or with bit 3 a
 * multiboot module list naming it twice, with arguments), bit 1: an
 * -append line, bit 2: 256 MiB of RAM claimed instead of 32 MiB (the
 * loaders size their buffers by it: a multiboot kernel may have QEMU
 * allocate its bss up to the RAM size, so more would only measure the
 * host); the rest is the kernel file.
 */
#include "qemu/osdep.h"
#include "hw/i386/x86.h"
#include "hw/nvram/fw_cfg.h"
#include "fuzz-target.h"

#define RAM_SIZE    (32 * MiB)

static char *dir, *kernel_path, *initrd_path, *modules;
static uint8_t *ram;

static void fuzz_init(void)
{
    g_autofree uint8_t *initrd = g_malloc(5000);

    qdev_register_types();
    fw_cfg_register_types();
    dir = g_dir_make_tmp("fuzz-loader-XXXXXX", NULL);
    kernel_path = g_build_filename(dir, "kernel", NULL);
    initrd_path = g_build_filename(dir, "initrd", NULL);
    modules = g_strdup_printf("%s arg1 x,,y,%s", initrd_path, initrd_path);
    for (int i = 0; i < 5000; i++) {
        initrd[i] = i * 13;
    }
    g_file_set_contents(initrd_path, (char *)initrd, 5000, NULL);
    ram = g_malloc(RAM_SIZE);
}

/* What firmware does next: every item through the data port. */
static void read_items(FWCfgState *fw)
{
    static const uint16_t keys[] = {
        FW_CFG_KERNEL_ADDR, FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_DATA,
        FW_CFG_SETUP_ADDR, FW_CFG_SETUP_SIZE, FW_CFG_SETUP_DATA,
        FW_CFG_INITRD_ADDR, FW_CFG_INITRD_SIZE, FW_CFG_INITRD_DATA,
        FW_CFG_CMDLINE_ADDR, FW_CFG_CMDLINE_SIZE, FW_CFG_CMDLINE_DATA,
        FW_CFG_KERNEL_ENTRY,
    };

    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        fw_cfg_port_write(fw, 0, keys[i], 2);
        for (int n = 0; n < 64; n++) {
            fw_cfg_port_read(fw, 1, 1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool initialized;
    X86MachineInfo info = { 0 };
    GPtrArray *roms;
    GuestMemory *mem;
    FWCfgState *fw;
    Error *err = NULL;

    if (!initialized) {
        fuzz_init();
        initialized = true;
    }
    if (size < 1 ||
        !g_file_set_contents(kernel_path, (const char *)data + 1, size - 1,
                             NULL)) {
        return 0;
    }
    mem = guest_memory_new();
    guest_memory_add(mem, 0, RAM_SIZE, ram, false, "ram");
    fw = fw_cfg_new(mem, true, &error_abort);
    roms = g_ptr_array_new_with_free_func(g_free);
    info.mem = mem;
    info.ram_size = RAM_SIZE;
    info.below_4g_mem_size = RAM_SIZE;
    if (data[0] & 4) {
        info.ram_size = 256 * MiB;
        info.below_4g_mem_size = 256 * MiB;
    }
    info.kernel_filename = kernel_path;
    info.kernel_cmdline = data[0] & 2 ? "console=ttyS0 root=/dev/vda" : "";
    if (data[0] & 1) {
        /* the loader finds out whether the kernel is multiboot */
        info.initrd_filename = data[0] & 8 ? modules : initrd_path;
    }
    if (x86_load_linux(fw, &info, roms, &err)) {
        read_items(fw);
    } else {
        error_free(err);
    }
    g_ptr_array_unref(roms);
    qdev_unrealize_all();
    guest_memory_free(mem);
    return 0;
}
