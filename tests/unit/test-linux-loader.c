/*
 * Unit tests for the x86 kernel loaders (hw/i386/x86-linux-loader.c,
 * pvh-loader.c, multiboot.c): synthetic bzImages, ELF PVH kernels and
 * multiboot kernels built here, every fw_cfg item checked byte for byte
 * against QEMU 7.2 x86_load_linux()/load_multiboot() behaviour.
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include "qom/object.h"
#include "hw/core/qdev.h"
#include "hw/i386/x86-loader.h"

#define RAM_SIZE (2 * MiB)

typedef struct Fixture {
    char *dir;
    uint8_t *ram;
    GuestMemory *mem;
    FWCfgState *fw;
    GPtrArray *roms;
    X86MachineInfo info;
} Fixture;

static void fixture_init(Fixture *f)
{
    g_autoptr(GError) gerr = NULL;
    Error *err = NULL;

    memset(f, 0, sizeof(*f));
    f->dir = g_dir_make_tmp("test-loader-XXXXXX", &gerr);
    g_assert_no_error(gerr);
    f->ram = g_malloc(RAM_SIZE);
    memset(f->ram, 0xff, RAM_SIZE);
    f->mem = guest_memory_new();
    guest_memory_add(f->mem, 0, RAM_SIZE, f->ram, false, "ram");
    f->fw = fw_cfg_new(f->mem, true, &err);
    g_assert_null(err);
    g_assert_nonnull(f->fw);
    f->roms = g_ptr_array_new_with_free_func(g_free);
    f->info.mem = f->mem;
    f->info.ram_size = 2 * GiB;
    f->info.below_4g_mem_size = 2 * GiB;
    f->info.kernel_cmdline = "";
}

static void fixture_fini(Fixture *f)
{
    g_autoptr(GDir) d = g_dir_open(f->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(f->dir, name, NULL);
        g_unlink(p);
    }
    g_rmdir(f->dir);
    g_free(f->dir);
    /* fw_cfg_new's device belongs to the device list */
    qdev_unrealize_all();
    g_ptr_array_unref(f->roms);
    guest_memory_free(f->mem);
    g_free(f->ram);
}

/* Writes a file in the fixture's directory; returns its path. */
static char *write_file(Fixture *f, const char *name, const void *data,
                        size_t len)
{
    char *path = g_build_filename(f->dir, name, NULL);
    g_autoptr(GError) gerr = NULL;

    g_file_set_contents(path, data, len, &gerr);
    g_assert_no_error(gerr);
    return path;
}

static uint32_t item_u32(Fixture *f, uint16_t key)
{
    size_t len = 0;
    const uint8_t *p = fw_cfg_get_item(f->fw, key, &len);

    g_assert_nonnull(p);
    g_assert_cmpuint(len, ==, 4);
    return x86_loader_ldl(p, len, 0);
}

static const uint8_t *item(Fixture *f, uint16_t key, size_t expect_len)
{
    size_t len = 0;
    const uint8_t *p = fw_cfg_get_item(f->fw, key, &len);

    g_assert_cmpuint(len, ==, expect_len);
    return p;
}

static bool item_present(Fixture *f, uint16_t key)
{
    size_t len = 0;

    return fw_cfg_get_item(f->fw, key, &len) != NULL || len != 0;
}

static void assert_cmdline(Fixture *f, const char *cmdline)
{
    size_t n = strlen(cmdline) + 1;

    g_assert_cmpuint(item_u32(f, FW_CFG_CMDLINE_SIZE), ==, n);
    g_assert_cmpmem(item(f, FW_CFG_CMDLINE_DATA, n), n, cmdline, n);
}

static void assert_roms(Fixture *f, const char *name)
{
    g_assert_cmpuint(f->roms->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(f->roms, 0), ==, name);
}

/* Loads and expects an error with exactly this text. */
/*
 * The x86.c messages (they begin with "qemu: ") are fprintf'd raw by
 * QEMU 7.2, without the "PROG: " prefix: their Error says so.
 */
static void load_expect_error(Fixture *f, const char *msg)
{
    Error *err = NULL;

    g_assert_false(x86_load_linux(f->fw, &f->info, f->roms, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    g_assert_cmpint(err->raw, ==, g_str_has_prefix(msg, "qemu: "));
    error_free(err);
}

static void load_ok(Fixture *f)
{
    Error *err = NULL;

    if (!x86_load_linux(f->fw, &f->info, f->roms, &err)) {
        g_error("unexpected loader error: %s", error_get_pretty(err));
    }
}

/* ---- bzImage ------------------------------------------------------------ */

typedef struct BzParams {
    uint16_t protocol;
    uint8_t setup_sects;
    uint8_t loadflags;
    uint32_t initrd_addr_max;
    uint16_t xloadflags;
    size_t kernel_len;
} BzParams;

static GByteArray *make_bzimage(const BzParams *p)
{
    size_t setup_len = ((p->setup_sects ? p->setup_sects : 4) + 1) * 512;
    GByteArray *b = g_byte_array_sized_new(setup_len + p->kernel_len);
    size_t i;

    g_byte_array_set_size(b, setup_len + p->kernel_len);
    /* Recognisable bytes everywhere, so any misplaced copy shows. */
    for (i = 0; i < b->len; i++) {
        b->data[i] = (i * 7 + 3) & 0xff;
    }
    b->data[0x1f1] = p->setup_sects;
    x86_loader_stw(b->data + 0x1fe, 0xaa55);
    memcpy(b->data + 0x202, "HdrS", 4);
    x86_loader_stw(b->data + 0x206, p->protocol);
    b->data[0x211] = p->loadflags;
    x86_loader_stl(b->data + 0x22c, p->initrd_addr_max);
    x86_loader_stw(b->data + 0x236, p->xloadflags);
    return b;
}

static const BzParams bz_default = {
    .protocol = 0x20f, .setup_sects = 4, .loadflags = 0x01,
    .initrd_addr_max = 0x7fffffff, .kernel_len = 5000,
};

/* Setup data must equal the file, except the bytes QEMU patches. */
static void assert_setup_patched(const uint8_t *setup, const uint8_t *file,
                                 size_t len, const size_t *patched,
                                 const uint8_t *values, size_t npatched)
{
    size_t i, j;

    for (i = 0; i < len; i++) {
        bool is_patched = false;

        for (j = 0; j < npatched; j++) {
            if (patched[j] == i) {
                g_assert_cmphex(setup[i], ==, values[j]);
                is_patched = true;
            }
        }
        if (!is_patched && setup[i] != file[i]) {
            g_error("setup byte 0x%zx changed: 0x%02x -> 0x%02x", i,
                    file[i], setup[i]);
        }
    }
}

static void test_bzimage_modern(void)
{
    Fixture f;
    g_autoptr(GByteArray) k = make_bzimage(&bz_default);
    static const size_t off[] = {
        0x210, 0x211, 0x224, 0x225, 0x228, 0x229, 0x22a, 0x22b,
    };
    static const uint8_t val[] = {
        0xb0, 0x81, 0x00, 0xfe, 0x00, 0x00, 0x02, 0x00,
    };
    const uint8_t *setup;

    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "bz", k->data, k->len);
    f.info.kernel_cmdline = "console=ttyS0 root=/dev/vda";
    load_ok(&f);

    g_assert_cmphex(item_u32(&f, FW_CFG_SETUP_ADDR), ==, 0x10000);
    g_assert_cmpuint(item_u32(&f, FW_CFG_SETUP_SIZE), ==, 5 * 512);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ADDR), ==, 0x100000);
    g_assert_cmpuint(item_u32(&f, FW_CFG_KERNEL_SIZE), ==, 5000);
    g_assert_cmpmem(item(&f, FW_CFG_KERNEL_DATA, 5000), 5000,
                    k->data + 2560, 5000);
    g_assert_cmphex(item_u32(&f, FW_CFG_CMDLINE_ADDR), ==, 0x20000);
    assert_cmdline(&f, "console=ttyS0 root=/dev/vda");
    setup = item(&f, FW_CFG_SETUP_DATA, 2560);
    assert_setup_patched(setup, k->data, 2560, off, val, G_N_ELEMENTS(off));
    g_assert_false(item_present(&f, FW_CFG_INITRD_ADDR));
    g_assert_false(item_present(&f, FW_CFG_INITRD_DATA));
    g_assert_false(item_present(&f, FW_CFG_KERNEL_ENTRY));
    assert_roms(&f, "linuxboot_dma.bin");
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);
}

/* setup_sects 0 means 4; a large count moves the kernel split. */
static void test_bzimage_setup_sects(void)
{
    static const struct {
        uint8_t sects;
        size_t setup_size;
    } cases[] = { { 0, 2560 }, { 1, 1024 }, { 4, 2560 }, { 30, 15872 } };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        BzParams p = bz_default;
        g_autoptr(GByteArray) k = NULL;
        Fixture f;
        const uint8_t *setup;
        size_t ksize;

        p.setup_sects = cases[i].sects;
        k = make_bzimage(&p);
        /* the builder pads setup_sects 0 to 4 sectors itself */
        g_assert_cmpuint(k->len, ==, cases[i].setup_size + 5000);
        fixture_init(&f);
        f.info.kernel_filename = write_file(&f, "bz", k->data, k->len);
        load_ok(&f);
        ksize = k->len - cases[i].setup_size;
        g_assert_cmpuint(item_u32(&f, FW_CFG_SETUP_SIZE), ==,
                         cases[i].setup_size);
        g_assert_cmpuint(item_u32(&f, FW_CFG_KERNEL_SIZE), ==, ksize);
        g_assert_cmpmem(item(&f, FW_CFG_KERNEL_DATA, ksize), ksize,
                        k->data + cases[i].setup_size, ksize);
        setup = item(&f, FW_CFG_SETUP_DATA, cases[i].setup_size);
        /* Past the 8 KiB header copy, setup is the file untouched. */
        g_assert_cmpmem(setup + 0x240, cases[i].setup_size - 0x240,
                        k->data + 0x240, cases[i].setup_size - 0x240);
        g_free((char *)f.info.kernel_filename);
        fixture_fini(&f);
    }
}

/*
 * Every protocol version from 0x200 to 0x20f, high and low loaded: the
 * addresses (x86_load_linux's three layouts), the cmdline pointer or the
 * old magic, the heap, type_of_loader.
 */
static void test_bzimage_protocols(void)
{
    const char *cmdline = "quiet";      /* cmdline_size (5 + 16) & ~15 = 16 */
    unsigned proto;
    int high;

    for (proto = 0x1ff; proto <= 0x20f; proto++) {
        for (high = 0; high <= 1; high++) {
            BzParams p = bz_default;
            g_autoptr(GByteArray) k = NULL;
            uint32_t real, prot, cmd;
            const uint8_t *s;
            Fixture f;

            p.protocol = proto;
            p.loadflags = high ? 0x01 : 0x00;
            k = make_bzimage(&p);
            fixture_init(&f);
            f.info.kernel_filename = write_file(&f, "bz", k->data, k->len);
            f.info.kernel_cmdline = cmdline;
            load_ok(&f);

            if (proto < 0x200 || !high) {
                real = 0x90000, prot = 0x10000, cmd = 0x9a000 - 16;
            } else if (proto < 0x202) {
                real = 0x90000, prot = 0x100000, cmd = 0x9a000 - 16;
            } else {
                real = 0x10000, prot = 0x100000, cmd = 0x20000;
            }
            g_assert_cmphex(item_u32(&f, FW_CFG_SETUP_ADDR), ==, real);
            g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ADDR), ==, prot);
            g_assert_cmphex(item_u32(&f, FW_CFG_CMDLINE_ADDR), ==, cmd);
            assert_cmdline(&f, cmdline);
            s = item(&f, FW_CFG_SETUP_DATA, 2560);
            if (proto >= 0x202) {
                g_assert_cmphex(x86_loader_ldl(s, 2560, 0x228), ==, cmd);
                g_assert_cmpmem(s + 0x20, 4, k->data + 0x20, 4);
            } else {
                g_assert_cmphex(x86_loader_lduw(s, 2560, 0x20), ==, 0xa33f);
                g_assert_cmphex(x86_loader_lduw(s, 2560, 0x22), ==,
                                cmd - real);
                g_assert_cmpmem(s + 0x228, 4, k->data + 0x228, 4);
            }
            g_assert_cmphex(s[0x210], ==, proto >= 0x200 ? 0xb0
                                                          : k->data[0x210]);
            if (proto >= 0x201) {
                g_assert_cmphex(s[0x211], ==, p.loadflags | 0x80);
                g_assert_cmphex(x86_loader_lduw(s, 2560, 0x224), ==,
                                (cmd - real - 0x200) & 0xffff);
            } else {
                g_assert_cmphex(s[0x211], ==, p.loadflags);
                g_assert_cmpmem(s + 0x224, 2, k->data + 0x224, 2);
            }
            /* vid_mode is left alone without vga= */
            g_assert_cmpmem(s + 0x1fa, 2, k->data + 0x1fa, 2);
            g_free((char *)f.info.kernel_filename);
            fixture_fini(&f);
        }
    }
}

/* initrd_max per protocol, clamped to below_4g_mem_size - 1. */
static void test_bzimage_initrd(void)
{
    static const struct {
        uint16_t proto;
        uint32_t addr_max;
        uint16_t xlf;
        uint64_t below_4g;
        uint32_t expect_max;
    } cases[] = {
        { 0x200, 0x1fffffff, 0, 2 * GiB, 0x37ffffff },
        { 0x202, 0x1fffffff, 0, 512 * MiB, 512 * MiB - 1 },
        { 0x203, 0x1fffffff, 0, 2 * GiB, 0x1fffffff },
        { 0x20b, 0x1fffffff, 2, 2 * GiB, 0x1fffffff },
        { 0x20c, 0x1fffffff, 1, 2 * GiB, 0x1fffffff },
        { 0x20c, 0x1fffffff, 2, 2 * GiB, 2 * GiB - 1 },
        { 0x20f, 0x7fffffff, 0, 3 * GiB, 0x7fffffff },
        { 0x20f, 0xffffffff, 0, 1 * GiB, 1 * GiB - 1 },
    };
    /* max - 4095 is page aligned: an off-by-one in max shows */
    enum { RD_SIZE = 4095 };
    g_autofree uint8_t *rd = g_malloc(RD_SIZE);
    unsigned i;

    for (i = 0; i < RD_SIZE; i++) {
        rd[i] = i * 13;
    }
    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        BzParams p = bz_default;
        g_autoptr(GByteArray) k = NULL;
        uint32_t addr = (cases[i].expect_max - RD_SIZE) & ~4095u;
        const uint8_t *s;
        Fixture f;

        p.protocol = cases[i].proto;
        p.initrd_addr_max = cases[i].addr_max;
        p.xloadflags = cases[i].xlf;
        k = make_bzimage(&p);
        fixture_init(&f);
        f.info.below_4g_mem_size = cases[i].below_4g;
        f.info.kernel_filename = write_file(&f, "bz", k->data, k->len);
        f.info.initrd_filename = write_file(&f, "rd", rd, RD_SIZE);
        load_ok(&f);
        g_assert_cmphex(item_u32(&f, FW_CFG_INITRD_ADDR), ==, addr);
        g_assert_cmpuint(item_u32(&f, FW_CFG_INITRD_SIZE), ==, RD_SIZE);
        g_assert_cmpmem(item(&f, FW_CFG_INITRD_DATA, RD_SIZE), RD_SIZE,
                        rd, RD_SIZE);
        s = item(&f, FW_CFG_SETUP_DATA, 2560);
        g_assert_cmphex(x86_loader_ldl(s, 2560, 0x218), ==, addr);
        g_assert_cmphex(x86_loader_ldl(s, 2560, 0x21c), ==, RD_SIZE);
        g_free((char *)f.info.kernel_filename);
        g_free((char *)f.info.initrd_filename);
        fixture_fini(&f);
    }
}

static void test_bzimage_initrd_errors(void)
{
    BzParams p = bz_default;
    g_autoptr(GByteArray) k = NULL;
    g_autoptr(GByteArray) old = NULL;
    g_autofree uint8_t *rd = g_malloc0(70000);
    Error *err = NULL;
    Fixture f;

    k = make_bzimage(&p);
    p.protocol = 0x1ff;
    old = make_bzimage(&p);

    /* protocol < 0x200 cannot take a ramdisk */
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "old", old->data, old->len);
    f.info.initrd_filename = write_file(&f, "rd", rd, 100);
    load_expect_error(&f, "qemu: linux kernel too old to load a ram disk");
    g_free((char *)f.info.kernel_filename);
    g_free((char *)f.info.initrd_filename);
    fixture_fini(&f);

    /* too big: max is below_4g_mem_size - 1, and size == max fails too */
    fixture_init(&f);
    f.info.below_4g_mem_size = 65536;
    f.info.kernel_filename = write_file(&f, "bz", k->data, k->len);
    f.info.initrd_filename = write_file(&f, "rd", rd, 65535);
    load_expect_error(&f, "qemu: initrd is too large, cannot support."
                      "(max: 65535, need 65535)");
    g_free((char *)f.info.kernel_filename);
    g_free((char *)f.info.initrd_filename);
    fixture_fini(&f);

    fixture_init(&f);
    f.info.below_4g_mem_size = 65536;
    f.info.kernel_filename = write_file(&f, "bz", k->data, k->len);
    f.info.initrd_filename = write_file(&f, "rd", rd, 65534);
    load_ok(&f);
    g_assert_cmphex(item_u32(&f, FW_CFG_INITRD_ADDR), ==, 0);
    g_free((char *)f.info.kernel_filename);
    g_free((char *)f.info.initrd_filename);
    fixture_fini(&f);

    /* missing initrd: GLib's words after QEMU's */
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "bz", k->data, k->len);
    f.info.initrd_filename = "/nonexistent/initrd";
    g_assert_false(x86_load_linux(f.fw, &f.info, f.roms, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "qemu: error reading initrd /nonexistent/initrd: "
                    "Failed to open file \xe2\x80\x9c/nonexistent/initrd"
                    "\xe2\x80\x9d: open() failed: No such file or directory");
    error_free(err);
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);
}

static void test_kernel_file_errors(void)
{
    g_autofree char *msg = NULL;
    BzParams p = bz_default;
    g_autoptr(GByteArray) k = make_bzimage(&p);
    Fixture f;

    fixture_init(&f);
    f.info.kernel_filename = "/nonexistent/bzImage";
    load_expect_error(&f, "qemu: could not open kernel file "
                      "'/nonexistent/bzImage': No such file or directory");
    fixture_fini(&f);

    /* QEMU 7.2 prints its stale errno (E2BIG) for an empty file */
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "empty", "", 0);
    msg = g_strdup_printf("qemu: could not load kernel '%s': "
                          "Argument list too long", f.info.kernel_filename);
    load_expect_error(&f, msg);
    g_free((char *)f.info.kernel_filename);
    g_clear_pointer(&msg, g_free);
    fixture_fini(&f);

    fixture_init(&f);
    f.info.kernel_filename = f.dir;
    msg = g_strdup_printf("qemu: could not load kernel '%s': "
                          "Is a directory", f.dir);
    load_expect_error(&f, msg);
    g_clear_pointer(&msg, g_free);
    fixture_fini(&f);

    /* tiny and truncated files: the setup does not fit */
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "tiny", "abc", 3);
    load_expect_error(&f, "qemu: invalid kernel header");
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);

    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "trunc", k->data, 2559);
    load_expect_error(&f, "qemu: invalid kernel header");
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);

    /* exactly the setup: a kernel of 0 bytes, accepted like QEMU */
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "setup-only", k->data, 2560);
    load_ok(&f);
    g_assert_cmpuint(item_u32(&f, FW_CFG_KERNEL_SIZE), ==, 0);
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);
}

/* No magic at all: QEMU takes it for a protocol-0 zImage. */
static void test_not_a_kernel(void)
{
    uint8_t junk[6000];
    const uint8_t *s;
    size_t i;
    Fixture f;

    for (i = 0; i < sizeof(junk); i++) {
        junk[i] = 0x5a;
    }
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "junk", junk, sizeof(junk));
    /* setup_sects 0x5a: (0x5a + 1) * 512 > 6000 */
    load_expect_error(&f, "qemu: invalid kernel header");
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);

    junk[0x1f1] = 2;
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "junk", junk, sizeof(junk));
    load_ok(&f);
    g_assert_cmphex(item_u32(&f, FW_CFG_SETUP_ADDR), ==, 0x90000);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ADDR), ==, 0x10000);
    g_assert_cmphex(item_u32(&f, FW_CFG_CMDLINE_ADDR), ==, 0x9a000 - 16);
    g_assert_cmpuint(item_u32(&f, FW_CFG_SETUP_SIZE), ==, 1536);
    s = item(&f, FW_CFG_SETUP_DATA, 1536);
    g_assert_cmphex(x86_loader_lduw(s, 1536, 0x20), ==, 0xa33f);
    g_assert_cmphex(x86_loader_lduw(s, 1536, 0x22), ==, 0xa000 - 16);
    g_assert_cmphex(s[0x210], ==, 0x5a);  /* no type_of_loader */
    g_assert_cmphex(s[0x211], ==, 0x5a);  /* no heap */
    assert_roms(&f, "linuxboot_dma.bin");
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);
}

/* QEMU 7.2 has no length limit: all of it goes to fw_cfg. */
static void test_cmdline_lengths(void)
{
    static const size_t lens[] = { 0, 2047, 2048, 65535, 200000 };
    unsigned i, old;

    for (old = 0; old <= 1; old++) {
        for (i = 0; i < G_N_ELEMENTS(lens); i++) {
            BzParams p = bz_default;
            g_autoptr(GByteArray) k = NULL;
            g_autofree char *cmd = g_malloc(lens[i] + 1);
            uint64_t csize = (lens[i] + 16) & ~(uint64_t)15;
            uint32_t addr = old ? (uint32_t)(0x9a000 - csize) : 0x20000;
            const uint8_t *s;
            Fixture f;

            memset(cmd, 'c', lens[i]);
            cmd[lens[i]] = '\0';
            p.protocol = old ? 0x201 : 0x20f;
            k = make_bzimage(&p);
            fixture_init(&f);
            f.info.kernel_filename = write_file(&f, "bz", k->data, k->len);
            f.info.kernel_cmdline = cmd;
            load_ok(&f);
            assert_cmdline(&f, cmd);
            g_assert_cmphex(item_u32(&f, FW_CFG_CMDLINE_ADDR), ==, addr);
            s = item(&f, FW_CFG_SETUP_DATA, 2560);
            g_assert_cmphex(x86_loader_lduw(s, 2560, 0x224), ==,
                            (uint16_t)(addr - (old ? 0x90000 : 0x10000) -
                                       0x200));
            g_free((char *)f.info.kernel_filename);
            fixture_fini(&f);
        }
    }
}

static void test_vga(void)
{
    static const struct {
        const char *cmdline;
        int mode;               /* -1: error, -2: untouched */
    } cases[] = {
        { "vga=normal", 0xffff }, { "vga=ext", 0xfffe },
        { "vga=ask", 0xfffd }, { "quiet vga=0x317 ro", 0x317 },
        { "vga=791", 0x317 }, { "vga=0x12345", 0x2345 },
        { "xvga=7", 7 }, { "vga=", -1 }, { "vga=foo", -1 },
        { "vga=12x", -1 }, { "vga=99999999999", -1 }, { "vg=1", -2 },
    };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GByteArray) k = make_bzimage(&bz_default);
        Fixture f;

        fixture_init(&f);
        f.info.kernel_filename = write_file(&f, "bz", k->data, k->len);
        f.info.kernel_cmdline = cases[i].cmdline;
        if (cases[i].mode == -1) {
            load_expect_error(&f, "qemu: invalid 'vga=' kernel parameter.");
        } else {
            const uint8_t *s;

            load_ok(&f);
            s = item(&f, FW_CFG_SETUP_DATA, 2560);
            if (cases[i].mode == -2) {
                g_assert_cmpmem(s + 0x1fa, 2, k->data + 0x1fa, 2);
            } else {
                g_assert_cmphex(x86_loader_lduw(s, 2560, 0x1fa), ==,
                                cases[i].mode);
            }
        }
        g_free((char *)f.info.kernel_filename);
        fixture_fini(&f);
    }
}

/* ---- ELF / PVH ---------------------------------------------------------- */

typedef struct ElfParams {
    bool is64;
    uint16_t machine;
    uint32_t e_flags;
    bool with_note;
    uint32_t note_type;
    uint32_t pvh_entry;
    uint64_t paddr, vaddr, entry;
    uint32_t filesz, memsz;
    bool multiboot;             /* put a multiboot header in the text */
} ElfParams;

static void put_word(uint8_t *p, bool is64, uint64_t v)
{
    x86_loader_stl(p, v);
    if (is64) {
        x86_loader_stl(p + 4, v >> 32);
    }
}

/*
 * One PT_LOAD segment (text at file offset 0x1000) and optionally one
 * PT_NOTE with a "Xen" note, as Linux's vmlinux carries it.
 */
static GByteArray *make_elf(const ElfParams *p)
{
    GByteArray *b = g_byte_array_new();
    size_t ehsz = p->is64 ? 64 : 52, phsz = p->is64 ? 56 : 32;
    size_t note_off = 0x800, text_off = 0x1000;
    uint8_t *d, *ph;
    unsigned i;

    g_byte_array_set_size(b, text_off + p->filesz);
    d = b->data;
    memset(d, 0, b->len);
    memcpy(d, "\x7f" "ELF", 4);
    d[4] = p->is64 ? 2 : 1;
    d[5] = 1;
    d[6] = 1;
    x86_loader_stw(d + 16, 2);                          /* ET_EXEC */
    x86_loader_stw(d + 18, p->machine);
    x86_loader_stl(d + 20, 1);
    put_word(d + 24, p->is64, p->entry);
    put_word(d + (p->is64 ? 32 : 28), p->is64, ehsz);   /* e_phoff */
    x86_loader_stl(d + (p->is64 ? 48 : 36), p->e_flags);
    x86_loader_stw(d + (p->is64 ? 52 : 40), ehsz);
    x86_loader_stw(d + (p->is64 ? 54 : 42), phsz);
    x86_loader_stw(d + (p->is64 ? 56 : 44), p->with_note ? 2 : 1);

    ph = d + ehsz;
    x86_loader_stl(ph, 1);                              /* PT_LOAD */
    if (p->is64) {
        x86_loader_stl(ph + 4, 5);                      /* R+X */
        put_word(ph + 8, true, text_off);
        put_word(ph + 16, true, p->vaddr);
        put_word(ph + 24, true, p->paddr);
        put_word(ph + 32, true, p->filesz);
        put_word(ph + 40, true, p->memsz);
        put_word(ph + 48, true, 0x1000);
    } else {
        x86_loader_stl(ph + 4, text_off);
        x86_loader_stl(ph + 8, p->vaddr);
        x86_loader_stl(ph + 12, p->paddr);
        x86_loader_stl(ph + 16, p->filesz);
        x86_loader_stl(ph + 20, p->memsz);
        x86_loader_stl(ph + 24, 5);
        x86_loader_stl(ph + 28, 0x1000);
    }
    if (p->with_note) {
        uint8_t *n = d + note_off;

        ph += phsz;
        x86_loader_stl(ph, 4);                          /* PT_NOTE */
        if (p->is64) {
            put_word(ph + 8, true, note_off);
            put_word(ph + 32, true, 2 * 20);
            put_word(ph + 40, true, 2 * 20);
            put_word(ph + 48, true, 4);
        } else {
            x86_loader_stl(ph + 4, note_off);
            x86_loader_stl(ph + 16, 2 * 20);
            x86_loader_stl(ph + 20, 2 * 20);
            x86_loader_stl(ph + 28, 4);
        }
        /* an unrelated note first, then ours: the walk must skip it */
        x86_loader_stl(n, 4);
        x86_loader_stl(n + 4, 4);
        x86_loader_stl(n + 8, 6);                       /* XEN_ELFNOTE_LOADER */
        memcpy(n + 12, "Xen", 4);
        memcpy(n + 16, "gen", 4);
        n += 20;
        x86_loader_stl(n, 4);
        x86_loader_stl(n + 4, 4);
        x86_loader_stl(n + 8, p->note_type);
        memcpy(n + 12, "Xen", 4);
        x86_loader_stl(n + 16, p->pvh_entry);
    }
    for (i = 0; i < p->filesz; i++) {
        d[text_off + i] = 0x40 + i % 64;
    }
    if (p->multiboot) {
        uint8_t *h = d + text_off + 0x10;

        x86_loader_stl(h, 0x1badb002);
        x86_loader_stl(h + 4, 0);
        x86_loader_stl(h + 8, -0x1badb002u);
    }
    return b;
}

static const ElfParams elf_pvh = {
    .is64 = true, .machine = 62, .with_note = true, .note_type = 18,
    .pvh_entry = 0x1000a0, .paddr = 0x100000,
    .vaddr = 0xffffffff81000000ull, .entry = 0xffffffff81000000ull,
    .filesz = 0x300, .memsz = 0x1200,
};

static void check_pvh(const ElfParams *p)
{
    g_autoptr(GByteArray) k = make_elf(p);
    g_autofree uint8_t *hdr = g_malloc0(8192);
    uint8_t rd[3000];
    uint32_t i;
    Fixture f;

    memset(rd, 0x77, sizeof(rd));
    memcpy(hdr, k->data, MIN(k->len, 8192));
    fixture_init(&f);
    f.info.below_4g_mem_size = 256 * MiB;
    f.info.kernel_filename = write_file(&f, "vmlinux", k->data, k->len);
    f.info.initrd_filename = write_file(&f, "rd", rd, sizeof(rd));
    f.info.kernel_cmdline = "console=hvc0";
    load_ok(&f);

    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ENTRY), ==, p->pvh_entry);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ADDR), ==, p->paddr);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_SIZE), ==, p->memsz);
    /* The kernel itself is in guest RAM (QEMU's ROM blobs), not fw_cfg. */
    g_assert_false(item_present(&f, FW_CFG_KERNEL_DATA));
    g_assert_false(item_present(&f, FW_CFG_SETUP_ADDR));
    g_assert_false(item_present(&f, FW_CFG_CMDLINE_ADDR));
    g_assert_cmpmem(f.ram + p->paddr, p->filesz, k->data + 0x1000,
                    p->filesz);
    for (i = p->filesz; i < p->memsz; i++) {
        g_assert_cmphex(f.ram[p->paddr + i], ==, 0);
    }
    g_assert_cmphex(f.ram[p->paddr + p->memsz], ==, 0xff);
    /* a reset rewrites the segments over whatever the guest did */
    memset(f.ram + p->paddr, 0xcc, p->memsz);
    x86_loader_rom_reset(f.mem);
    g_assert_cmpmem(f.ram + p->paddr, p->filesz, k->data + 0x1000,
                    p->filesz);
    g_assert_cmphex(f.ram[p->paddr + p->memsz - 1], ==, 0);
    assert_cmdline(&f, "console=hvc0");
    g_assert_cmpuint(item_u32(&f, FW_CFG_SETUP_SIZE), ==, 8192);
    g_assert_cmpmem(item(&f, FW_CFG_SETUP_DATA, 8192), 8192, hdr, 8192);
    g_assert_cmphex(item_u32(&f, FW_CFG_INITRD_ADDR), ==,
                    (256 * MiB - 1 - sizeof(rd)) & ~4095u);
    g_assert_cmpuint(item_u32(&f, FW_CFG_INITRD_SIZE), ==, sizeof(rd));
    g_assert_cmpmem(item(&f, FW_CFG_INITRD_DATA, sizeof(rd)), sizeof(rd),
                    rd, sizeof(rd));
    assert_roms(&f, "pvh.bin");
    g_free((char *)f.info.kernel_filename);
    g_free((char *)f.info.initrd_filename);
    fixture_fini(&f);
}

static void test_pvh_elf64(void)
{
    check_pvh(&elf_pvh);
}

static void test_pvh_elf32(void)
{
    ElfParams p = elf_pvh;

    p.is64 = false;
    p.machine = 3;
    p.vaddr = 0xc0100000;
    p.entry = 0xc0100000;
    check_pvh(&p);
}

static void test_pvh_errors(void)
{
    static const struct {
        const char *what;
        bool with_note;
        uint32_t note_type, pvh_entry, e_flags;
        uint16_t machine;
        size_t truncate;
        const char *msg;
    } cases[] = {
        { "no note", false, 0, 0, 0, 62, 0,
          "Error loading uncompressed kernel without PVH ELF Note" },
        { "other note", true, 6, 0x100000, 0, 62, 0,
          "Error loading uncompressed kernel without PVH ELF Note" },
        { "zero entry", true, 18, 0, 0, 62, 0,
          "Error loading uncompressed kernel without PVH ELF Note" },
        { "flags", true, 18, 0x100000, 4, 62, 0,
          "elfboot unsupported flags = 4" },
        { "flags2", true, 18, 0x100000, 0x10001, 62, 0,
          "elfboot unsupported flags = 10001" },
        { "arm", true, 18, 0x100000, 0, 40, 0,
          "Error while loading elf kernel" },
        { "truncated", true, 18, 0x100000, 0, 62, 0x1100,
          "Error while loading elf kernel" },
        { "no phdrs", true, 18, 0x100000, 0, 62, 100,
          "Error while loading elf kernel" },
    };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        ElfParams p = elf_pvh;
        g_autoptr(GByteArray) k = NULL;
        Fixture f;

        p.with_note = cases[i].with_note;
        p.note_type = cases[i].note_type;
        p.pvh_entry = cases[i].pvh_entry;
        p.e_flags = cases[i].e_flags;
        p.machine = cases[i].machine;
        k = make_elf(&p);
        if (cases[i].truncate) {
            g_byte_array_set_size(k, cases[i].truncate);
        }
        fixture_init(&f);
        f.info.kernel_filename = write_file(&f, "vmlinux", k->data, k->len);
        g_test_message("case %s", cases[i].what);
        load_expect_error(&f, cases[i].msg);
        g_free((char *)f.info.kernel_filename);
        fixture_fini(&f);
    }
}

/*
 * An ELF32 PVH kernel with several PT_LOAD segments (after a PT_NOTE,
 * so segment i is program header i + 1), each filled with 0x40 + i.
 */
typedef struct ElfSeg {
    uint64_t paddr;
    uint32_t filesz, memsz;
} ElfSeg;

static GByteArray *make_elf_segments(const ElfSeg *segs, unsigned n)
{
    GByteArray *b = g_byte_array_new();
    size_t phoff = 52, note_off = 0x400, data_off = 0x1000;
    uint8_t *d;

    g_byte_array_set_size(b, data_off + n * 0x1000);
    d = b->data;
    memset(d, 0, b->len);
    memcpy(d, "\x7f" "ELF", 4);
    d[4] = 1;
    d[5] = 1;
    d[6] = 1;
    x86_loader_stw(d + 16, 2);
    x86_loader_stw(d + 18, 3);                          /* EM_386 */
    x86_loader_stl(d + 20, 1);
    x86_loader_stl(d + 24, 0x100000);
    x86_loader_stl(d + 28, phoff);
    x86_loader_stw(d + 40, 52);
    x86_loader_stw(d + 42, 32);
    x86_loader_stw(d + 44, n + 1);
    x86_loader_stl(d + phoff, 4);                       /* PT_NOTE */
    x86_loader_stl(d + phoff + 4, note_off);
    x86_loader_stl(d + phoff + 16, 20);
    x86_loader_stl(d + phoff + 20, 20);
    x86_loader_stl(d + phoff + 28, 4);
    x86_loader_stl(d + note_off, 4);
    x86_loader_stl(d + note_off + 4, 4);
    x86_loader_stl(d + note_off + 8, 18);
    memcpy(d + note_off + 12, "Xen", 4);
    x86_loader_stl(d + note_off + 16, 0x100000);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *ph = d + phoff + 32 * (i + 1);
        size_t off = data_off + i * 0x1000;

        g_assert_cmpuint(segs[i].filesz, <=, 0x1000);
        x86_loader_stl(ph, 1);                          /* PT_LOAD */
        x86_loader_stl(ph + 4, off);
        x86_loader_stl(ph + 8, segs[i].paddr);
        x86_loader_stl(ph + 12, segs[i].paddr);
        x86_loader_stl(ph + 16, segs[i].filesz);
        x86_loader_stl(ph + 20, segs[i].memsz);
        x86_loader_stl(ph + 24, 7);
        x86_loader_stl(ph + 28, 16);
        memset(d + off, 0x40 + i, segs[i].filesz);
    }
    return b;
}

static void load_segments(Fixture *f, const ElfSeg *segs, unsigned n)
{
    g_autoptr(GByteArray) k = make_elf_segments(segs, n);

    fixture_init(f);
    f->info.kernel_filename = write_file(f, "vmlinux", k->data, k->len);
}

static void unload_segments(Fixture *f)
{
    g_free((char *)f->info.kernel_filename);
    fixture_fini(f);
}

/*
 * load_elf(): a segment whose zero-filled tail overlaps another segment
 * is cut to its file size, so it neither zeroes the other one's bytes nor
 * counts as an overlapping ROM; the bytes in between stay untouched.
 */
static void test_pvh_bss_overlap_truncated(void)
{
    static const ElfSeg segs[] = {
        { 0x100800, 0x10, 0x10 },
        { 0x100000, 0x10, 0x1000 },     /* its tail covers 0x100800 */
    };
    Error *err = NULL;
    Fixture f;

    load_segments(&f, segs, 2);
    load_ok(&f);
    g_assert_true(x86_loader_rom_check("bios.bin", 64 * KiB, &err));
    for (int pass = 0; pass < 2; pass++) {
        g_assert_cmphex(f.ram[0x100000], ==, 0x41);
        g_assert_cmphex(f.ram[0x10000f], ==, 0x41);
        g_assert_cmphex(f.ram[0x100010], ==, 0xff);
        g_assert_cmphex(f.ram[0x1007ff], ==, 0xff);
        g_assert_cmphex(f.ram[0x100800], ==, 0x40);
        g_assert_cmphex(f.ram[0x10080f], ==, 0x40);
        /* KERNEL_SIZE is high - low with the cut size */
        g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_SIZE), ==, 0x810);
        memset(f.ram + 0x100000, 0xff, 0x1000);
        x86_loader_rom_reset(f.mem);
    }
    unload_segments(&f);
}

/* A PT_LOAD with no file data (bss only) is zeroed, and no ROM clashes. */
static void test_pvh_bss_only(void)
{
    static const ElfSeg segs[] = {
        { 0x100000, 0x10, 0x10 },
        { 0x180000, 0, 0x2000 },
    };
    Error *err = NULL;
    Fixture f;

    load_segments(&f, segs, 2);
    load_ok(&f);
    g_assert_true(x86_loader_rom_check("bios.bin", 64 * KiB, &err));
    g_assert_cmphex(f.ram[0x180000], ==, 0);
    g_assert_cmphex(f.ram[0x181fff], ==, 0);
    g_assert_cmphex(f.ram[0x182000], ==, 0xff);
    unload_segments(&f);
}

/*
 * load_elf()'s size is an int in load_elfboot(): segments adding up to
 * 2 GiB or more fail before any memory is touched or allocated.
 */
static void test_pvh_too_big(void)
{
    static const ElfSeg one[] = { { 0x100000, 0x10, 0xffffffff } };
    static const ElfSeg two[] = {
        { 0x100000, 0x10, 0x40000000 },
        { 0x50000000, 0x10, 0x40000000 },
    };
    Fixture f;

    load_segments(&f, one, 1);
    load_expect_error(&f, "Error while loading elf kernel");
    g_assert_cmphex(f.ram[0x100000], ==, 0xff);
    unload_segments(&f);
    load_segments(&f, two, 2);
    load_expect_error(&f, "Error while loading elf kernel");
    unload_segments(&f);
}

/*
 * rom_check_and_register_reset(): the ROMs (ELF segments, then the
 * firmware at 4 GiB - size) sorted by address must not overlap; every
 * overlapping pair is listed, as QEMU 7.2 prints them.
 */
static void test_pvh_rom_overlap(void)
{
    static const char *const explain =
        "These ROM regions might have been loaded by direct user request or "
        "by default.\nThey could be BIOS/firmware images, a guest kernel, "
        "initrd or some other file loaded into guest memory.\nCheck whether "
        "you intended to load all this guest code, and whether it has been "
        "built to load to the correct addresses.\n";
    static const struct {
        const char *what;
        ElfSeg segs[2];
        const char *pairs;      /* NULL: no overlap */
    } cases[] = {
        { "disjoint", { { 0x100000, 0x10, 0x100 }, { 0x100100, 0x10, 0x10 } },
          NULL },
        /* the other segment lies in this one's file part: no cut */
        { "data over data",
          { { 0x100000, 0x180, 0x200 }, { 0x100100, 0x10, 0x10 } },
          "  @ ELF program header segment 1 (addresses 0x0000000000100000 - "
          "0x0000000000100200)\n"
          "  @ ELF program header segment 2 (addresses 0x0000000000100100 - "
          "0x0000000000100110)\n" },
        { "over the firmware",
          { { 0x100000, 0x10, 0x10 }, { 0xffff0000, 0x10, 0x10 } },
          "  @ ELF program header segment 2 (addresses 0x00000000ffff0000 - "
          "0x00000000ffff0010)\n"
          "  bios.bin (addresses 0x00000000ffff0000 - 0x0000000100000000)\n" },
        { "over 4 GiB",
          { { 0x100000, 0x10, 0x10 }, { 0xfffff000, 0x10, 0x2000 } },
          "  bios.bin (addresses 0x00000000ffff0000 - 0x0000000100000000)\n"
          "  @ ELF program header segment 2 (addresses 0x00000000fffff000 - "
          "0x0000000100001000)\n" },
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        Error *err = NULL;
        g_autofree char *want = NULL;
        g_autofree char *pairs = NULL;
        g_auto(GStrv) parts = NULL;
        Fixture f;

        g_test_message("case %s", cases[i].what);
        load_segments(&f, cases[i].segs, 2);
        load_ok(&f);
        if (!cases[i].pairs) {
            g_assert_true(x86_loader_rom_check("bios.bin", 64 * KiB, &err));
            unload_segments(&f);
            continue;
        }
        g_assert_false(x86_loader_rom_check("bios.bin", 64 * KiB, &err));
        g_assert_cmpstr(error_get_pretty(err), ==,
                        "Some ROM regions are overlapping");
        /* "@" stands for the kernel's path, which names its segments */
        parts = g_strsplit(cases[i].pairs, "@", -1);
        pairs = g_strjoinv(f.info.kernel_filename, parts);
        want = g_strdup_printf("%s\nThe following two regions overlap (in "
                               "the memory address space):\n%s", explain,
                               pairs);
        g_assert_cmpstr(err->hint->str, ==, want);
        error_free(err);
        unload_segments(&f);
    }
}

/*
 * read_pvh_start_addr() reads a uint32_t descriptor from an ELF32 and a
 * size_t from an ELF64: four non-zero bytes after a zero 32-bit entry
 * make an ELF64 valid (entry truncated to 0) but not an ELF32.
 */
static void test_pvh_note_width(void)
{
    unsigned is64;

    for (is64 = 0; is64 < 2; is64++) {
        ElfParams p = elf_pvh;
        g_autoptr(GByteArray) k = NULL;
        uint8_t *ph;
        Fixture f;

        p.is64 = is64;
        p.machine = is64 ? 62 : 3;
        p.pvh_entry = 0;
        k = make_elf(&p);
        /* grow the PT_NOTE by 8 bytes that follow the descriptor */
        ph = k->data + (is64 ? 64 + 56 : 52 + 32);
        if (is64) {
            put_word(ph + 32, true, 48);
            put_word(ph + 40, true, 48);
        } else {
            x86_loader_stl(ph + 16, 48);
            x86_loader_stl(ph + 20, 48);
        }
        x86_loader_stl(k->data + 0x800 + 40, 0x12345678);
        fixture_init(&f);
        f.info.kernel_filename = write_file(&f, "vmlinux", k->data, k->len);
        if (is64) {
            load_ok(&f);
            g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ENTRY), ==, 0);
        } else {
            load_expect_error(&f, "Error loading uncompressed kernel "
                              "without PVH ELF Note");
        }
        g_free((char *)f.info.kernel_filename);
        fixture_fini(&f);
    }
}

/* Two PT_NOTE segments with the PVH note: the last one is used. */
static void test_pvh_two_notes(void)
{
    ElfParams p = elf_pvh;
    g_autoptr(GByteArray) k = make_elf(&p);
    uint8_t *ph = k->data + 64 + 2 * 56;
    uint8_t *n = k->data + 0x900;
    Fixture f;

    x86_loader_stw(k->data + 56, 3);                    /* e_phnum */
    x86_loader_stl(ph, 4);                              /* PT_NOTE */
    put_word(ph + 8, true, 0x900);
    put_word(ph + 32, true, 20);
    put_word(ph + 40, true, 20);
    put_word(ph + 48, true, 4);
    x86_loader_stl(n, 4);
    x86_loader_stl(n + 4, 4);
    x86_loader_stl(n + 8, 18);
    memcpy(n + 12, "Xen", 4);
    x86_loader_stl(n + 16, 0x100200);
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "vmlinux", k->data, k->len);
    load_ok(&f);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ENTRY), ==, 0x100200);
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);
}

/* ---- multiboot ---------------------------------------------------------- */

#define MB_HDR_OFF      0x40
#define MB_LOAD_ADDR    0x100000

/* An a.out-kludge multiboot kernel of len bytes. */
static GByteArray *make_multiboot_aout(size_t len, uint32_t flags,
                                       uint32_t load_end, uint32_t bss_end)
{
    GByteArray *b = g_byte_array_new();
    uint8_t *h;
    size_t i;

    g_byte_array_set_size(b, len);
    for (i = 0; i < len; i++) {
        b->data[i] = 0x80 + i % 97;
    }
    h = b->data + MB_HDR_OFF;
    flags |= 1u << 16;
    x86_loader_stl(h, 0x1badb002);
    x86_loader_stl(h + 4, flags);
    x86_loader_stl(h + 8, -(0x1badb002u + flags));
    x86_loader_stl(h + 12, MB_LOAD_ADDR + MB_HDR_OFF);   /* header_addr */
    x86_loader_stl(h + 16, MB_LOAD_ADDR);                /* load_addr */
    x86_loader_stl(h + 20, load_end);
    x86_loader_stl(h + 24, bss_end);
    x86_loader_stl(h + 28, MB_LOAD_ADDR + 0x80);         /* entry */
    return b;
}

static void test_multiboot_aout(void)
{
    g_autoptr(GByteArray) k = make_multiboot_aout(0x2345, 0, 0,
                                                  MB_LOAD_ADDR + 0x3000);
    uint8_t m1[5000], m2[10];
    g_autofree char *initrd = NULL;
    g_autofree char *m1path = NULL, *m2path = NULL;
    g_autofree char *kcmd = NULL, *m1cmd = NULL;
    uint32_t mods_off = 0x3000, size, str, mod1, mod2;
    const uint8_t *data, *mbi;
    Fixture f;

    memset(m1, 0x11, sizeof(m1));
    memset(m2, 0x22, sizeof(m2));
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "mb", k->data, k->len);
    m1path = write_file(&f, "m1", m1, sizeof(m1));
    m2path = write_file(&f, "m,2", m2, sizeof(m2));
    /* ",," is a literal comma in a module name */
    g_autofree char *m2esc = g_strdup_printf("%s/m,,2", f.dir);
    initrd = g_strdup_printf("%s arg1 arg2,%s", m1path, m2esc);
    f.info.initrd_filename = initrd;
    f.info.kernel_cmdline = "hello";
    load_ok(&f);

    kcmd = g_strdup_printf("%s hello", f.info.kernel_filename);
    m1cmd = g_strdup_printf("%s arg1 arg2", m1path);
    /*
     * Layout: kernel+bss (0x3000), module table (2 * 16), command lines
     * (room for kernel name, append and the -initrd string), "qemu",
     * page-aligned; then each module page-aligned.
     */
    str = mods_off + 32;
    size = QEMU_ALIGN_UP(str + strlen(f.info.kernel_filename) + 1 + 6 +
                         strlen(initrd) + 1 + 5, 4096);
    mod1 = size;
    mod2 = QEMU_ALIGN_UP(mod1 + sizeof(m1), 4096);
    size = QEMU_ALIGN_UP(mod2 + sizeof(m2), 4096);

    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ENTRY), ==,
                    MB_LOAD_ADDR + 0x80);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ADDR), ==, MB_LOAD_ADDR);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_SIZE), ==, size);
    data = item(&f, FW_CFG_KERNEL_DATA, size);
    g_assert_cmpmem(data, 0x2345, k->data, 0x2345);
    g_assert_cmphex(data[0x2345], ==, 0);
    g_assert_cmphex(data[0x2fff], ==, 0);
    /* module table */
    g_assert_cmphex(x86_loader_ldl(data, size, mods_off), ==,
                    MB_LOAD_ADDR + mod1);
    g_assert_cmphex(x86_loader_ldl(data, size, mods_off + 4), ==,
                    MB_LOAD_ADDR + mod1 + sizeof(m1));
    g_assert_cmphex(x86_loader_ldl(data, size, mods_off + 8), ==,
                    MB_LOAD_ADDR + str);
    g_assert_cmphex(x86_loader_ldl(data, size, mods_off + 16), ==,
                    MB_LOAD_ADDR + mod2);
    g_assert_cmphex(x86_loader_ldl(data, size, mods_off + 20), ==,
                    MB_LOAD_ADDR + mod2 + sizeof(m2));
    g_assert_cmphex(x86_loader_ldl(data, size, mods_off + 24), ==,
                    MB_LOAD_ADDR + str + strlen(m1cmd) + 1);
    /* strings: module cmdlines, then the kernel's; "qemu" after room */
    g_assert_cmpstr((const char *)data + str, ==, m1cmd);
    g_assert_cmpstr((const char *)data + str + strlen(m1cmd) + 1, ==,
                    m2path);
    g_assert_cmpmem(data + mod1, sizeof(m1), m1, sizeof(m1));
    g_assert_cmpmem(data + mod2, sizeof(m2), m2, sizeof(m2));

    g_assert_cmphex(item_u32(&f, FW_CFG_INITRD_ADDR), ==, 0x9500);
    g_assert_cmpuint(item_u32(&f, FW_CFG_INITRD_SIZE), ==, 88);
    mbi = item(&f, FW_CFG_INITRD_DATA, 88);
    g_assert_cmphex(x86_loader_ldl(mbi, 88, 0), ==, 0x24f);
    g_assert_cmphex(x86_loader_ldl(mbi, 88, 4), ==, 0);
    g_assert_cmphex(x86_loader_ldl(mbi, 88, 8), ==, 0);
    g_assert_cmphex(x86_loader_ldl(mbi, 88, 12), ==, 0x8000ffff);
    g_assert_cmpuint(x86_loader_ldl(mbi, 88, 20), ==, 2);
    g_assert_cmphex(x86_loader_ldl(mbi, 88, 24), ==, MB_LOAD_ADDR + mods_off);
    g_assert_cmphex(x86_loader_ldl(mbi, 88, 48), ==, 0x9000);
    {
        uint32_t kc = x86_loader_ldl(mbi, 88, 16) - MB_LOAD_ADDR;
        uint32_t bl = x86_loader_ldl(mbi, 88, 64) - MB_LOAD_ADDR;

        g_assert_cmpstr((const char *)data + kc, ==, kcmd);
        g_assert_cmpstr((const char *)data + bl, ==, "qemu");
        g_assert_cmpuint(bl, ==, str + strlen(f.info.kernel_filename) + 1 +
                         6 + strlen(initrd) + 1);
    }
    assert_roms(&f, "multiboot_dma.bin");
    g_assert_false(item_present(&f, FW_CFG_CMDLINE_DATA));
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);
}

static void test_multiboot_aout_no_modules(void)
{
    /* load_end_addr limits the image; no bss */
    g_autoptr(GByteArray) k = make_multiboot_aout(0x1000, 0,
                                                  MB_LOAD_ADDR + 0x800, 0);
    const uint8_t *data, *mbi;
    uint32_t size;
    Fixture f;

    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "mb", k->data, k->len);
    load_ok(&f);
    /* 0x800 -> page, + cmdlines "<file> " + "qemu" -> one more page */
    size = 0x2000;
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_SIZE), ==, size);
    data = item(&f, FW_CFG_KERNEL_DATA, size);
    g_assert_cmpmem(data, 0x800, k->data, 0x800);
    g_assert_cmphex(data[0x800], ==, 0);
    mbi = item(&f, FW_CFG_INITRD_DATA, 88);
    g_assert_cmpuint(x86_loader_ldl(mbi, 88, 20), ==, 0);
    g_assert_cmphex(x86_loader_ldl(mbi, 88, 24), ==, MB_LOAD_ADDR + 0x1000);
    g_assert_cmphex(x86_loader_ldl(mbi, 88, 16), ==, MB_LOAD_ADDR + 0x1000);
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);
}

static void test_multiboot_elf(void)
{
    ElfParams p = elf_pvh;
    g_autoptr(GByteArray) k = NULL;
    const uint8_t *data;
    Fixture f;

    p.is64 = false;
    p.machine = 3;
    p.with_note = false;
    p.vaddr = p.paddr;
    p.entry = p.paddr + 0x40;
    p.multiboot = true;
    k = make_elf(&p);
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "mbelf", k->data, k->len);
    load_ok(&f);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ENTRY), ==, p.paddr + 0x40);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_ADDR), ==, p.paddr);
    g_assert_cmphex(item_u32(&f, FW_CFG_KERNEL_SIZE), ==, 0x3000);
    data = item(&f, FW_CFG_KERNEL_DATA, 0x3000);
    g_assert_cmpmem(data, p.filesz, k->data + 0x1000, p.filesz);
    g_assert_cmphex(data[p.filesz], ==, 0);
    /* the segments are also in RAM, as QEMU's ROM blobs put them */
    g_assert_cmpmem(f.ram + p.paddr, p.filesz, k->data + 0x1000, p.filesz);
    assert_roms(&f, "multiboot_dma.bin");
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);

    /* a multiboot ELF must be 32-bit */
    p.is64 = true;
    p.machine = 62;
    g_byte_array_unref(k);
    k = make_elf(&p);
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "mbelf", k->data, k->len);
    load_expect_error(&f, "Cannot load x86-64 image, give a 32bit one.");
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);
}

static void test_multiboot_errors(void)
{
    static const struct {
        uint32_t header_addr, load_addr, load_end, bss_end;
        size_t len;
        const char *msg;
    } cases[] = {
        { MB_LOAD_ADDR - 1, MB_LOAD_ADDR, 0, 0, 0x1000,
          "invalid load_addr address" },
        { MB_LOAD_ADDR + 0x1000, MB_LOAD_ADDR, 0, 0, 0x1000,
          "invalid header_addr address" },
        { MB_LOAD_ADDR + 0x40, MB_LOAD_ADDR, MB_LOAD_ADDR - 1, 0, 0x1000,
          "invalid load_end_addr address" },
        /* QEMU reads load_end - load_addr bytes and finds the end */
        { MB_LOAD_ADDR + 0x40, MB_LOAD_ADDR, MB_LOAD_ADDR + 0x1001, 0, 0x1000,
          "fread() failed" },
        { MB_LOAD_ADDR + 0x40, MB_LOAD_ADDR, 0xf0000000, 0, 0x1000,
          "fread() failed" },
        /* a 4 GiB image is refused before it is allocated */
        { MB_LOAD_ADDR + 0x40, MB_LOAD_ADDR, 0, 0xffffffff, 0x1000,
          "multiboot kernel does not fit in guest RAM: 0xffefffff bytes at "
          "0x100000, RAM below 4 GiB ends at 0x80000000" },
        { MB_LOAD_ADDR + 0x40, MB_LOAD_ADDR, 0, 0x80000001, 0x1000,
          "multiboot kernel does not fit in guest RAM: 0x7ff00001 bytes at "
          "0x100000, RAM below 4 GiB ends at 0x80000000" },
        { MB_LOAD_ADDR + 0x40, MB_LOAD_ADDR, 0, MB_LOAD_ADDR + 0x10, 0x1000,
          "invalid bss_end_addr address" },
        { 0xfffff040, 0xfffff000, 0, 0, 0x2000,
          "kernel does not fit in address space" },
        /* load_end exactly at the end of the file is fine */
        { MB_LOAD_ADDR + 0x40, MB_LOAD_ADDR, MB_LOAD_ADDR + 0x1000, 0, 0x1000,
          NULL },
    };
    unsigned i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GByteArray) k = make_multiboot_aout(cases[i].len, 0,
                                                      cases[i].load_end,
                                                      cases[i].bss_end);
        Fixture f;

        x86_loader_stl(k->data + MB_HDR_OFF + 12, cases[i].header_addr);
        x86_loader_stl(k->data + MB_HDR_OFF + 16, cases[i].load_addr);
        fixture_init(&f);
        f.info.kernel_filename = write_file(&f, "mb", k->data, k->len);
        if (cases[i].msg) {
            load_expect_error(&f, cases[i].msg);
        } else {
            load_ok(&f);
        }
        g_free((char *)f.info.kernel_filename);
        fixture_fini(&f);
    }

    /* a missing module */
    {
        g_autoptr(GByteArray) k = make_multiboot_aout(0x1000, 0, 0, 0);
        Fixture f;

        fixture_init(&f);
        f.info.kernel_filename = write_file(&f, "mb", k->data, k->len);
        f.info.initrd_filename = "/nonexistent/mod args";
        load_expect_error(&f, "Failed to open file '/nonexistent/mod'");
        g_free((char *)f.info.kernel_filename);
        fixture_fini(&f);
    }
}

/* A bad checksum is no multiboot header: the file is then a zImage. */
static void test_multiboot_bad_checksum(void)
{
    g_autoptr(GByteArray) k = make_multiboot_aout(0x2000, 0, 0, 0);
    Fixture f;

    k->data[MB_HDR_OFF + 8] ^= 1;
    k->data[0x1f1] = 1;
    fixture_init(&f);
    f.info.kernel_filename = write_file(&f, "mb", k->data, k->len);
    load_ok(&f);
    g_assert_false(item_present(&f, FW_CFG_KERNEL_ENTRY));
    g_assert_cmphex(item_u32(&f, FW_CFG_SETUP_ADDR), ==, 0x90000);
    assert_roms(&f, "linuxboot_dma.bin");
    g_free((char *)f.info.kernel_filename);
    fixture_fini(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    fw_cfg_register_types();

    g_test_add_func("/loader/bzimage/modern", test_bzimage_modern);
    g_test_add_func("/loader/bzimage/setup-sects", test_bzimage_setup_sects);
    g_test_add_func("/loader/bzimage/protocols", test_bzimage_protocols);
    g_test_add_func("/loader/bzimage/initrd", test_bzimage_initrd);
    g_test_add_func("/loader/bzimage/initrd-errors",
                    test_bzimage_initrd_errors);
    g_test_add_func("/loader/bzimage/cmdline-lengths", test_cmdline_lengths);
    g_test_add_func("/loader/bzimage/vga", test_vga);
    g_test_add_func("/loader/file-errors", test_kernel_file_errors);
    g_test_add_func("/loader/not-a-kernel", test_not_a_kernel);
    g_test_add_func("/loader/pvh/elf64", test_pvh_elf64);
    g_test_add_func("/loader/pvh/elf32", test_pvh_elf32);
    g_test_add_func("/loader/pvh/errors", test_pvh_errors);
    g_test_add_func("/loader/pvh/note-width", test_pvh_note_width);
    g_test_add_func("/loader/pvh/two-notes", test_pvh_two_notes);
    g_test_add_func("/loader/pvh/bss-overlap-truncated",
                    test_pvh_bss_overlap_truncated);
    g_test_add_func("/loader/pvh/bss-only", test_pvh_bss_only);
    g_test_add_func("/loader/pvh/too-big", test_pvh_too_big);
    g_test_add_func("/loader/pvh/rom-overlap", test_pvh_rom_overlap);
    g_test_add_func("/loader/multiboot/aout", test_multiboot_aout);
    g_test_add_func("/loader/multiboot/aout-no-modules",
                    test_multiboot_aout_no_modules);
    g_test_add_func("/loader/multiboot/elf", test_multiboot_elf);
    g_test_add_func("/loader/multiboot/errors", test_multiboot_errors);
    g_test_add_func("/loader/multiboot/bad-checksum",
                    test_multiboot_bad_checksum);
    return g_test_run();
}
