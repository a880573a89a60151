/*
 * Unit tests of the microvm device tree (hw/i386/microvm-dt.c): the blob
 * must equal, byte for byte, what QEMU 7.2 puts in "etc/fdt" for the same
 * configuration. The expected bytes were read out of the real QEMU 7.2
 * (-M microvm on KVM, through its fw_cfg DMA interface); past the used
 * part the 1 MiB blob is zero.
 */
#include "qemu/osdep.h"
#include "hw/i386/microvm-dt.h"
#include "hw/i386/microvm.h"
#include <libfdt.h>

/* QEMU 7.2 -M microvm,acpi=off, no COM1, no RTC, no virtio device */
static const char dt_a[] =
    "d00dfeed0010000000000040000001400000003000000011000000100000000000000066"
    "000001000000000000000000000000000000000000000000000000000000000100000000"
    "00000003000000040000001a0000000200000003000000040000000b0000000200000003"
    "0000000e000000006c696e75782c6d6963726f766d00000000000001696f617069633140"
    "666563303030303000000000000000030000000400000058000080000000000300000004"
    "000000500000800000000003000000100000004c00000000fec000000000000000001000"
    "00000003000000040000000b0000000200000003000000040000003b0000000200000003"
    "0000000000000026000000030000001400000000696e74656c2c6365343130302d696f61"
    "70696300000000020000000163686f73656e0000000000020000000200000009636f6d70"
    "617469626c650023616464726573732d63656c6c73002373697a652d63656c6c7300696e"
    "746572727570742d636f6e74726f6c6c65720023696e746572727570742d63656c6c7300"
    "726567007068616e646c65006c696e75782c7068616e646c6500";

/* QEMU 7.2 -M microvm,acpi=off,rtc=on -serial null */
static const char dt_b[] =
    "d00dfeed001000000000004000000230000000300000001100000010000000000000008e"
    "000001f00000000000000000000000000000000000000000000000000000000100000000"
    "00000003000000040000001a0000000200000003000000040000000b0000000200000003"
    "0000000e000000006c696e75782c6d6963726f766d000000000000017274634037300000"
    "000000030000000800000077000000080000000000000003000000040000006600008000"
    "00000003000000100000004c000000000000007000000000000000080000000300000012"
    "000000006d6f746f726f6c612c6d63313436383138000077000000020000000173657269"
    "616c40336638000000000003000000080000007700000004000000000000000300000004"
    "000000660000800000000003000000100000004c00000000000003f80000000000000008"
    "0000000300000008000000006e733136353530000000000200000001696f617069633140"
    "666563303030303000000000000000030000000400000058000080000000000300000004"
    "000000500000800000000003000000100000004c00000000fec000000000000000001000"
    "00000003000000040000000b0000000200000003000000040000003b0000000200000003"
    "0000000000000026000000030000001400000000696e74656c2c6365343130302d696f61"
    "70696300000000020000000163686f73656e0000000000030000000c000000822f736572"
    "69616c4033663800000000020000000200000009636f6d70617469626c65002361646472"
    "6573732d63656c6c73002373697a652d63656c6c7300696e746572727570742d636f6e74"
    "726f6c6c65720023696e746572727570742d63656c6c7300726567007068616e646c6500"
    "6c696e75782c7068616e646c6500696e746572727570742d706172656e7400696e746572"
    "7275707473007374646f75742d7061746800";

/* QEMU 7.2 -M microvm,acpi=off, devices on transports 5, 6 and 7 */
static const char dt_c[] =
    "d00dfeed0010000000000040000002cc000000300000001100000010000000000000008f"
    "0000028c0000000000000000000000000000000000000000000000000000000100000000"
    "00000003000000040000001a0000000200000003000000040000000b0000000200000003"
    "0000000e000000006c696e75782c6d6963726f766d0000000000000176697274696f5f6d"
    "6d696f406665623030613030000000000000000300000008000000840000000a00000000"
    "000000030000000400000073000080000000000300000000000000660000000300000010"
    "0000004c00000000feb00a000000000000000200000000030000000c0000000076697274"
    "696f2c6d6d696f00000000020000000176697274696f5f6d6d696f406665623030633030"
    "000000000000000300000008000000840000000b00000000000000030000000400000073"
    "0000800000000003000000000000006600000003000000100000004c00000000feb00c00"
    "0000000000000200000000030000000c0000000076697274696f2c6d6d696f0000000002"
    "0000000176697274696f5f6d6d696f406665623030653030000000000000000300000008"
    "000000840000000c00000000000000030000000400000073000080000000000300000000"
    "0000006600000003000000100000004c00000000feb00e00000000000000020000000003"
    "0000000c0000000076697274696f2c6d6d696f000000000200000001696f617069633140"
    "666563303030303000000000000000030000000400000058000080000000000300000004"
    "000000500000800000000003000000100000004c00000000fec000000000000000001000"
    "00000003000000040000000b0000000200000003000000040000003b0000000200000003"
    "0000000000000026000000030000001400000000696e74656c2c6365343130302d696f61"
    "70696300000000020000000163686f73656e0000000000020000000200000009636f6d70"
    "617469626c650023616464726573732d63656c6c73002373697a652d63656c6c7300696e"
    "746572727570742d636f6e74726f6c6c65720023696e746572727570742d63656c6c7300"
    "726567007068616e646c65006c696e75782c7068616e646c6500646d612d636f68657265"
    "6e7400696e746572727570742d706172656e7400696e746572727570747300";

/* QEMU 7.2 -M microvm,acpi=on (two IOAPICs) -serial null, device on transport 23 */
static const char dt_e[] =
    "d00dfeed0010000000000040000002e8000000300000001100000010000000000000009b"
    "000002a80000000000000000000000000000000000000000000000000000000100000000"
    "00000003000000040000001a0000000200000003000000040000000b0000000200000003"
    "0000000e000000006c696e75782c6d6963726f766d0000000000000173657269616c4033"
    "663800000000000300000008000000840000000400000000000000030000000400000073"
    "0000800100000003000000100000004c00000000000003f8000000000000000800000003"
    "00000008000000006e73313635353000000000020000000176697274696f5f6d6d696f40"
    "666562303265303000000000000000030000000800000084000000170000000000000003"
    "00000004000000730000800000000003000000000000006600000003000000100000004c"
    "00000000feb02e000000000000000200000000030000000c0000000076697274696f2c6d"
    "6d696f000000000200000001696f61706963314066656330303030300000000000000003"
    "000000040000005800008001000000030000000400000050000080010000000300000010"
    "0000004c00000000fec00000000000000000100000000003000000040000000b00000002"
    "00000003000000040000003b000000020000000300000000000000260000000300000014"
    "00000000696e74656c2c6365343130302d696f61706963000000000200000001696f6170"
    "696332406665633130303030000000000000000300000004000000580000800000000003"
    "00000004000000500000800000000003000000100000004c00000000fec1000000000000"
    "0000100000000003000000040000000b0000000200000003000000040000003b00000002"
    "000000030000000000000026000000030000001400000000696e74656c2c636534313030"
    "2d696f6170696300000000020000000163686f73656e0000000000030000000c0000008f"
    "2f73657269616c4033663800000000020000000200000009636f6d70617469626c650023"
    "616464726573732d63656c6c73002373697a652d63656c6c7300696e746572727570742d"
    "636f6e74726f6c6c65720023696e746572727570742d63656c6c7300726567007068616e"
    "646c65006c696e75782c7068616e646c6500646d612d636f686572656e7400696e746572"
    "727570742d706172656e7400696e7465727275707473007374646f75742d7061746800";

static void check_blob(const X86MachineInfo *info, const char *expected_hex)
{
    g_autofree void *blob = NULL;
    g_autofree uint8_t *expected = NULL;
    size_t size = 0, expected_len = strlen(expected_hex) / 2;
    size_t i;

    expected = g_malloc(expected_len);
    for (i = 0; i < expected_len; i++) {
        char byte[3] = { expected_hex[2 * i], expected_hex[2 * i + 1], 0 };

        expected[i] = strtoul(byte, NULL, 16);
    }

    blob = microvm_dt_build(info, &size, &error_abort);
    g_assert_nonnull(blob);
    g_assert_cmpuint(size, ==, MICROVM_DT_SIZE);
    g_assert_cmpint(fdt_check_header(blob), ==, 0);
    g_assert_cmpuint(fdt_totalsize(blob), ==, MICROVM_DT_SIZE);
    g_assert_cmpmem(blob, expected_len, expected, expected_len);
    for (i = expected_len; i < size; i++) {
        g_assert_cmpuint(((uint8_t *)blob)[i], ==, 0);
    }
}

static X86MachineInfo info_acpi_off(void)
{
    X86MachineInfo info = {
        .ram_size = 256 * MiB, .below_4g_mem_size = 256 * MiB,
        .boot_cpus = 1, .max_cpus = 1,
    };

    microvm_layout(&info);
    return info;
}

static void test_dt_minimal(void)
{
    X86MachineInfo info = info_acpi_off();

    check_blob(&info, dt_a);
}

/* An ISA device on the bus; add the newest first, as the board does. */
static void isa_add(X86MachineInfo *info, bool rtc, uint32_t iobase,
                    uint32_t irq)
{
    X86IsaNode n = { rtc ? X86_ISA_RTC : X86_ISA_SERIAL, iobase, irq, 0 };

    if (!info->isa_nodes) {
        info->isa_nodes = g_array_new(false, false, sizeof(n));
    }
    g_array_append_val(info->isa_nodes, n);
}

static void isa_add_com1(X86MachineInfo *info)
{
    isa_add(info, false, 0x3f8, 4);
}

static void isa_free(X86MachineInfo *info)
{
    g_array_free(info->isa_nodes, true);
    info->isa_nodes = NULL;
}

static void test_dt_serial_rtc(void)
{
    X86MachineInfo info = info_acpi_off();

    isa_add_com1(&info);
    isa_add(&info, true, 0x70, 8);
    check_blob(&info, dt_b);
    isa_free(&info);
}

/*
 * -device isa-serial (index 1: 0x2f8, IRQ 3) has a node of its own, the
 * console stays COM1; a second device at a base already listed is
 * QEMU's qemu_fdt_add_subnode() error.
 */
static void test_dt_isa_devices(void)
{
    X86MachineInfo info = info_acpi_off();
    g_autofree void *blob = NULL;
    const uint32_t *cells;
    const char *str;
    Error *err = NULL;
    size_t size;
    int off, len;

    isa_add(&info, false, 0x2f8, 3);
    isa_add_com1(&info);
    blob = microvm_dt_build(&info, &size, &error_abort);
    off = fdt_path_offset(blob, "/serial@2f8");
    g_assert_cmpint(off, >=, 0);
    cells = fdt_getprop(blob, off, "interrupts", &len);
    g_assert_cmpuint(GUINT32_FROM_BE(cells[0]), ==, 3);
    str = fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "stdout-path",
                      &len);
    g_assert_cmpstr(str, ==, "/serial@3f8");
    isa_free(&info);

    isa_add(&info, false, 0x3f8, 4);
    isa_add_com1(&info);
    g_assert_null(microvm_dt_build(&info, &size, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "qemu_fdt_add_subnode: Failed "
                    "to create subnode /serial@3f8: FDT_ERR_EXISTS");
    error_free(err);
    err = NULL;
    isa_free(&info);

    isa_add(&info, true, 0x70, 8);
    isa_add(&info, true, 0x70, 8);
    g_assert_null(microvm_dt_build(&info, &size, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "qemu_fdt_add_subnode: Failed "
                    "to create subnode /rtc@70: FDT_ERR_EXISTS");
    error_free(err);
    isa_free(&info);
}

static void test_dt_virtio(void)
{
    X86MachineInfo info = info_acpi_off();

    info.virtio_mmio_plugged = (1u << 5) | (1u << 6) | (1u << 7);
    check_blob(&info, dt_c);
}

static void test_dt_acpi_two_ioapics(void)
{
    X86MachineInfo info = info_acpi_off();

    info.acpi = true;
    info.ioapic2 = true;
    microvm_layout(&info);
    isa_add_com1(&info);
    info.virtio_mmio_plugged = 1u << 23;
    check_blob(&info, dt_e);
    isa_free(&info);
}

/* The node list and properties, read back through libfdt. */
static void test_dt_nodes(void)
{
    X86MachineInfo info = info_acpi_off();
    g_autofree void *blob = NULL;
    size_t size;
    const char *names[8];
    int n = 0, off, len;
    const uint32_t *cells;
    const char *str;

    isa_add_com1(&info);
    info.virtio_mmio_plugged = 1u << 0;
    blob = microvm_dt_build(&info, &size, &error_abort);
    g_assert_nonnull(blob);
    isa_free(&info);

    fdt_for_each_subnode(off, blob, 0) {
        g_assert_cmpint(n, <, (int)G_N_ELEMENTS(names));
        names[n++] = fdt_get_name(blob, off, NULL);
    }
    g_assert_cmpint(n, ==, 4);
    g_assert_cmpstr(names[0], ==, "serial@3f8");
    g_assert_cmpstr(names[1], ==, "virtio_mmio@feb00000");
    g_assert_cmpstr(names[2], ==, "ioapic1@fec00000");
    g_assert_cmpstr(names[3], ==, "chosen");

    off = fdt_path_offset(blob, "/virtio_mmio@feb00000");
    g_assert_cmpint(off, >=, 0);
    cells = fdt_getprop(blob, off, "interrupts", &len);
    g_assert_cmpint(len, ==, 8);
    g_assert_cmpuint(GUINT32_FROM_BE(cells[0]), ==, 5);    /* GSI 5 */
    cells = fdt_getprop(blob, off, "interrupt-parent", &len);
    g_assert_cmpuint(GUINT32_FROM_BE(cells[0]), ==,
                     MICROVM_DT_PHANDLE_START);
    cells = fdt_getprop(blob, off, "reg", &len);
    g_assert_cmpint(len, ==, 16);
    g_assert_cmpuint(GUINT32_FROM_BE(cells[1]), ==, 0xfeb00000);
    g_assert_cmpuint(GUINT32_FROM_BE(cells[3]), ==, 0x200);

    off = fdt_path_offset(blob, "/chosen");
    str = fdt_getprop(blob, off, "stdout-path", &len);
    g_assert_cmpstr(str, ==, "/serial@3f8");
    off = fdt_path_offset(blob, "/");
    str = fdt_getprop(blob, off, "compatible", &len);
    g_assert_cmpstr(str, ==, "linux,microvm");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/microvm-dt/minimal", test_dt_minimal);
    g_test_add_func("/microvm-dt/serial-rtc", test_dt_serial_rtc);
    g_test_add_func("/microvm-dt/isa-devices", test_dt_isa_devices);
    g_test_add_func("/microvm-dt/virtio", test_dt_virtio);
    g_test_add_func("/microvm-dt/acpi-two-ioapics", test_dt_acpi_two_ioapics);
    g_test_add_func("/microvm-dt/nodes", test_dt_nodes);
    return g_test_run();
}
