/*
 * Unit tests of the AML and table builder (hw/acpi/aml-build.c) and of the
 * BIOS linker/loader commands (hw/acpi/bios-linker-loader.c). Expected
 * bytes marked "QEMU" are cut out of the DSDT QEMU 7.2 serves for
 * -M microvm -device virtio-rng-device x2 (tests/unit/data/acpi/virtio);
 * the others are the encodings of ACPI 6.4 chapter 20 and QEMU 7.2's
 * build_append_int / build_prepend_package_length choices.
 */
#include "qemu/osdep.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/bios-linker-loader.h"

/* Appends term to an empty block and compares the bytes with hex */
static void assert_aml(Aml *term, const char *hex)
{
    g_autoptr(Aml) block = aml_block();
    g_autofree char *got = NULL;
    const uint8_t *data;
    size_t len;

    aml_append(block, term);
    data = aml_data(block, &len);
    got = g_malloc(2 * len + 1);
    for (size_t i = 0; i < len; i++) {
        sprintf(got + 2 * i, "%02x", data[i]);
    }
    got[2 * len] = '\0';
    g_assert_cmpstr(got, ==, hex);
}

/* 20.2.3: Zero, One, then the smallest of Byte/Word/DWord/QWordConst */
static void test_int(void)
{
    assert_aml(aml_int(0), "00");
    assert_aml(aml_int(1), "01");
    assert_aml(aml_int(2), "0a02");
    assert_aml(aml_int(0xff), "0aff");
    assert_aml(aml_int(0x100), "0b0001");
    assert_aml(aml_int(0xffff), "0bffff");
    assert_aml(aml_int(0x10000), "0c00000100");
    assert_aml(aml_int(0xfea00000), "0c0000a0fe");               /* QEMU */
    assert_aml(aml_int(0x100000000ull), "0e0000000001000000");
    assert_aml(aml_int(UINT64_MAX), "0effffffffffffffff");
}

/* 20.2.2: NameSeg padded with '_', dual and multi name paths, prefixes */
static void test_names(void)
{
    assert_aml(aml_name("ESEL"), "4553454c");                    /* QEMU */
    assert_aml(aml_name("GED"), "4745445f");                     /* QEMU */
    assert_aml(aml_name("_S5"), "5f53355f");
    assert_aml(aml_name("\\_SB.PCI0"), "5c2e5f53425f50434930");
    assert_aml(aml_name("\\_SB.PCI0.S00"), "5c2f035f53425f504349305330305f");
    assert_aml(aml_name("_SB.GED"), "2e5f53425f4745445f");
    assert_aml(aml_name("^^FOO"), "5e5e464f4f5f");
    assert_aml(aml_name("\\"), "5c00");
    assert_aml(aml_local(0), "60");
    assert_aml(aml_local(7), "67");
    assert_aml(aml_arg(0), "68");
}

static void test_data_objects(void)
{
    assert_aml(aml_string("QEMU0002"), "0d51454d553030303200");  /* QEMU */
    assert_aml(aml_string(""), "0d00");
    assert_aml(aml_eisaid("PNP0501"), "0c41d00501");             /* QEMU */
    assert_aml(aml_eisaid("PNP0B00"), "0c41d00b00");
    assert_aml(aml_buffer(3, (const uint8_t[]){ 1, 2, 3 }),
               "11060a03010203");
    assert_aml(aml_buffer(2, NULL), "11050a020000");
}

static void test_package(void)
{
    Aml *pkg = aml_package(4);

    aml_append(pkg, aml_int(5));
    aml_append(pkg, aml_int(0));
    aml_append(pkg, aml_int(0));
    aml_append(pkg, aml_int(0));
    assert_aml(aml_name_decl("_S5", pkg), "085f53355f1207040a05000000");
}

/*
 * 20.2.4 PkgLength: one byte while content + 1 < 64, two while
 * content + 2 < 4096, three while content + 3 < 2^20; the length counts
 * its own bytes.
 */
static void assert_scope_pkglen(size_t body_zeros, const char *head)
{
    Aml *scope = aml_scope("\\");
    g_autoptr(Aml) block = aml_block();
    const uint8_t *data;
    size_t len, head_len = strlen(head) / 2;
    g_autofree uint8_t *want = g_malloc(head_len);

    for (size_t i = 0; i < head_len; i++) {
        sscanf(head + 2 * i, "%2hhx", &want[i]);
    }
    /* "\\" is two bytes: 5c 00 */
    aml_append(scope, aml_buffer(0, NULL));     /* 11 03 00: 3 bytes */
    for (size_t i = 0; i < body_zeros; i++) {
        aml_append(scope, aml_int(0));
    }
    aml_append(block, scope);
    data = aml_data(block, &len);
    g_assert_cmpuint(len, ==, 1 + head_len - 1 + 2 + 3 + body_zeros);
    g_assert_cmpmem(data, head_len, want, head_len);
}

static void test_pkg_length(void)
{
    /* content 5 + n bytes */
    assert_scope_pkglen(57, "103f");            /* 62 + 1 = 63 */
    assert_scope_pkglen(58, "104104");          /* 63 + 2 = 65 = 0x41 */
    assert_scope_pkglen(4088, "104fff");        /* 4093 + 2 = 4095 */
    assert_scope_pkglen(4089, "10810001");      /* 4094 + 3 = 4097 */
}

/* 6.4: the descriptors microvm's DSDT uses, and the End Tag */
static void test_resources(void)
{
    Aml *crs = aml_resource_template();
    uint32_t irq = 9, irq2 = 47;

    aml_append(crs, aml_io(AML_DECODE16, 0x510, 0x510, 0x01, 0x0c));
    assert_aml(crs, "110d0a0a470110051005010c7900");            /* QEMU */
    assert_aml(aml_io(AML_DECODE16, 0x3f8, 0x3f8, 0, 8),
               "4701f803f8030008");                             /* QEMU */
    assert_aml(aml_irq_no_flags(4), "221000");                  /* QEMU */
    assert_aml(aml_interrupt(AML_CONSUMER, AML_EDGE, AML_ACTIVE_HIGH,
                             AML_EXCLUSIVE, &irq, 1),
               "8906000301" "09000000");                        /* QEMU */
    assert_aml(aml_interrupt(AML_CONSUMER, AML_LEVEL, AML_ACTIVE_HIGH,
                             AML_EXCLUSIVE, &irq2, 1),
               "8906000101" "2f000000");                        /* QEMU */
    assert_aml(aml_interrupt(AML_CONSUMER_PRODUCER, AML_LEVEL,
                             AML_ACTIVE_LOW, AML_SHARED,
                             (const uint32_t[]){ 1, 2 }, 2),
               "890a000c02" "01000000" "02000000");
    assert_aml(aml_memory32_fixed(0xfeb02e00, 0x200, AML_READ_WRITE),
               "86090001002eb0fe00020000");                     /* QEMU */
}

/* QEMU's GED: region, field, method with If/LEqual/And/Notify */
static void test_ged_terms(void)
{
    Aml *field, *method, *if_ctx;

    assert_aml(aml_operation_region("EREG", AML_SYSTEM_MEMORY,
                                    aml_int(0xfea00000), 4),
               "5b8045524547000c0000a0fe0a04");              /* QEMU */
    field = aml_field("EREG", AML_DWORD_ACC, AML_NOLOCK, AML_WRITE_AS_ZEROS);
    aml_append(field, aml_named_field("ESEL", 32));
    assert_aml(field, "5b810b4552454743" "4553454c20");          /* QEMU */

    method = aml_method("_EVT", 1, AML_SERIALIZED);
    aml_append(method, aml_store(aml_name("ESEL"), aml_local(0)));
    if_ctx = aml_if(aml_equal(aml_and(aml_local(0), aml_int(2), NULL),
                              aml_int(2)));
    aml_append(if_ctx, aml_notify(aml_name("PWRB"), aml_int(0x80)));
    aml_append(method, if_ctx);
    assert_aml(method, "141d5f45565409704553454c60a010937b600a02000a02"
               "86505752420a80");                               /* QEMU */
    assert_aml(aml_and(aml_local(1), aml_int(1), aml_local(2)), "7b610162");
    assert_aml(aml_method("FOO", 7, AML_NOTSERIALIZED), "1406464f4f5f07");
}

static void test_device(void)
{
    Aml *dev = aml_device("PWRB");

    aml_append(dev, aml_name_decl("_HID", aml_string("PNP0C0C")));
    aml_append(dev, aml_name_decl("_UID", aml_int(0)));
    assert_aml(dev, "5b821950575242085f4849440d504e5030433043"
               "00085f55494400");                               /* QEMU */
}

/* 5.2.6: header, Length patched, checksum left to the firmware */
static void test_table_header(void)
{
    g_autoptr(BIOSLinker) linker = bios_linker_loader_new();
    g_autoptr(GArray) t = g_array_new(false, true, 1);
    AcpiTable table = { .sig = "APIC", .rev = 1, .oem_id = "BOCHS ",
                        .oem_table_id = "BXPC" };
    static const uint8_t want[] = {
        'X', 'X', 'A', 'P', 'I', 'C', 40, 0, 0, 0, 1, 0,
        'B', 'O', 'C', 'H', 'S', ' ', 'B', 'X', 'P', 'C', 0, 0, 0, 0,
        1, 0, 0, 0, 'B', 'X', 'P', 'C', 1, 0, 0, 0, 0xaa, 0xbb, 0xcc, 0xdd,
    };
    const uint8_t *cmd;

    bios_linker_loader_alloc(linker, "etc/acpi/tables", t, 64, false);
    g_array_append_vals(t, "XX", 2);
    acpi_table_begin(&table, t);
    acpi_append_int(t, 0xddccbbaa, 4);
    t->data[11] = 0xee;     /* the checksum command zeroes it */
    acpi_table_end(linker, "etc/acpi/tables", &table);
    g_assert_cmpmem(t->data, t->len, want, sizeof(want));
    g_assert_cmpuint(linker->cmd_blob->len, ==, 2 * 128);
    cmd = (const uint8_t *)linker->cmd_blob->data + 128;
    g_assert_cmpuint(cmd[0], ==, BIOS_LINKER_LOADER_COMMAND_ADD_CHECKSUM);
    g_assert_cmpuint(cmd[4 + 56], ==, 2 + 9);   /* checksum offset */
    g_assert_cmpuint(cmd[4 + 56 + 4], ==, 2);   /* start */
    g_assert_cmpuint(cmd[4 + 56 + 8], ==, 40);  /* length */
}

/*
 * The commands' bytes: allocations at the front (newest first), then the
 * others in call order; each 128 bytes; names NUL padded to 56.
 */
static void test_linker_commands(void)
{
    g_autoptr(BIOSLinker) linker = bios_linker_loader_new();
    g_autoptr(GArray) tables = g_array_new(false, true, 1);
    g_autoptr(GArray) rsdp = g_array_new(false, true, 1);
    const uint8_t *c;
    uint8_t want[128];

    g_array_set_size(tables, 64);
    g_array_set_size(rsdp, 36);
    rsdp->data[8] = 0x55;
    bios_linker_loader_alloc(linker, "etc/acpi/tables", tables, 64, false);
    bios_linker_loader_alloc(linker, "etc/acpi/rsdp", rsdp, 16, true);
    bios_linker_loader_add_pointer(linker, "etc/acpi/rsdp", 24, 8,
                                   "etc/acpi/tables", 0x2a);
    bios_linker_loader_add_checksum(linker, "etc/acpi/rsdp", 0, 20, 8);
    g_assert_cmpuint(linker->cmd_blob->len, ==, 4 * 128);
    c = (const uint8_t *)linker->cmd_blob->data;

    memset(want, 0, sizeof(want));
    want[0] = BIOS_LINKER_LOADER_COMMAND_ALLOCATE;
    memcpy(want + 4, "etc/acpi/rsdp", 13);
    want[60] = 16;
    want[64] = BIOS_LINKER_LOADER_ALLOC_ZONE_FSEG;
    g_assert_cmpmem(c, 128, want, 128);

    memset(want, 0, sizeof(want));
    want[0] = BIOS_LINKER_LOADER_COMMAND_ALLOCATE;
    memcpy(want + 4, "etc/acpi/tables", 15);
    want[60] = 64;
    want[64] = BIOS_LINKER_LOADER_ALLOC_ZONE_HIGH;
    g_assert_cmpmem(c + 128, 128, want, 128);

    memset(want, 0, sizeof(want));
    want[0] = BIOS_LINKER_LOADER_COMMAND_ADD_POINTER;
    memcpy(want + 4, "etc/acpi/rsdp", 13);
    memcpy(want + 60, "etc/acpi/tables", 15);
    want[116] = 24;
    want[120] = 8;
    g_assert_cmpmem(c + 256, 128, want, 128);

    memset(want, 0, sizeof(want));
    want[0] = BIOS_LINKER_LOADER_COMMAND_ADD_CHECKSUM;
    memcpy(want + 4, "etc/acpi/rsdp", 13);
    want[60] = 8;       /* offset */
    want[64] = 0;       /* start */
    want[68] = 20;      /* length */
    g_assert_cmpmem(c + 384, 128, want, 128);

    /* the pointer holds the source offset, the checksum byte is zero */
    g_assert_cmpuint(rsdp->data[24], ==, 0x2a);
    for (unsigned i = 25; i < 32; i++) {
        g_assert_cmpuint(rsdp->data[i], ==, 0);
    }
    g_assert_cmpuint(rsdp->data[8], ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/aml/int", test_int);
    g_test_add_func("/aml/names", test_names);
    g_test_add_func("/aml/data-objects", test_data_objects);
    g_test_add_func("/aml/package", test_package);
    g_test_add_func("/aml/pkg-length", test_pkg_length);
    g_test_add_func("/aml/resources", test_resources);
    g_test_add_func("/aml/ged-terms", test_ged_terms);
    g_test_add_func("/aml/device", test_device);
    g_test_add_func("/acpi/table-header", test_table_header);
    g_test_add_func("/bios-linker-loader/commands", test_linker_commands);
    return g_test_run();
}
