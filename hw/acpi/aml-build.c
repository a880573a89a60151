/*
 * AML and ACPI table builder: the encodings of ACPI 6.4 chapter 20 (AML)
 * and 5.2 (table headers), producing QEMU 7.2's bytes (hw/acpi/
 * aml-build.c: shortest integer encoding, PkgLength sizing, names padded
 * with '_', resource templates closed by an End Tag with a zero
 * checksum).
 */
#include "qemu/osdep.h"
#include "hw/acpi/aml-build.h"
#include "hw/acpi/bios-linker-loader.h"

/* How aml_append() wraps a child's bytes into its parent */
typedef enum {
    AML_BARE,           /* the bytes as they are (names, integers) */
    AML_OPCODE,         /* opcode, then the operands */
    AML_PKG,            /* opcode PkgLength body */
    AML_EXT_PKG,        /* 0x5B opcode PkgLength body */
    AML_BUF,            /* BufferOp PkgLength BufferSize bytes */
    AML_RES_TEMPLATE,   /* a buffer closed by an End Tag */
} AmlKind;

struct Aml {
    GArray *buf;
    uint8_t op;
    AmlKind kind;
};

#define AML_EXT_OP_PREFIX       0x5b
#define AML_DUAL_NAME_PREFIX    0x2e
#define AML_MULTI_NAME_PREFIX   0x2f
#define AML_NAMESEG_LEN         4

static Aml *aml_new(AmlKind kind, uint8_t op)
{
    Aml *aml = g_new0(Aml, 1);

    aml->buf = g_array_new(false, true, 1);
    aml->kind = kind;
    aml->op = op;
    return aml;
}

const uint8_t *aml_data(const Aml *aml, size_t *len)
{
    *len = aml->buf->len;
    return (const uint8_t *)aml->buf->data;
}

void aml_free(Aml *aml)
{
    if (aml) {
        g_array_free(aml->buf, true);
        g_free(aml);
    }
}

static void append_byte(GArray *a, uint8_t b)
{
    g_array_append_val(a, b);
}

void acpi_append_int(GArray *table, uint64_t value, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        append_byte(table, value & 0xff);
        value >>= 8;
    }
}

void acpi_append_padded_str(GArray *table, const char *str, size_t len,
                            char pad)
{
    size_t n = strlen(str);

    g_assert(n <= len);
    g_array_append_vals(table, str, n);
    for (; n < len; n++) {
        append_byte(table, pad);
    }
}

void acpi_append_gas(GArray *table, AmlAddressSpace as, uint8_t bit_width,
                     uint8_t bit_offset, uint8_t access_width,
                     uint64_t address)
{
    acpi_append_int(table, as, 1);
    acpi_append_int(table, bit_width, 1);
    acpi_append_int(table, bit_offset, 1);
    acpi_append_int(table, access_width, 1);
    acpi_append_int(table, address, 8);
}

/* 20.2.3 ComputationalData: the shortest form, as QEMU's build_append_int */
static void append_aml_int(GArray *a, uint64_t v)
{
    if (v <= 1) {
        append_byte(a, v);              /* ZeroOp, OneOp */
    } else if (v <= 0xff) {
        append_byte(a, 0x0a);           /* BytePrefix */
        acpi_append_int(a, v, 1);
    } else if (v <= 0xffff) {
        append_byte(a, 0x0b);           /* WordPrefix */
        acpi_append_int(a, v, 2);
    } else if (v <= 0xffffffff) {
        append_byte(a, 0x0c);           /* DWordPrefix */
        acpi_append_int(a, v, 4);
    } else {
        append_byte(a, 0x0e);           /* QWordPrefix */
        acpi_append_int(a, v, 8);
    }
}

static void append_nameseg(GArray *a, const char *seg, size_t len)
{
    g_assert(len >= 1 && len <= AML_NAMESEG_LEN);
    g_array_append_vals(a, seg, len);
    for (; len < AML_NAMESEG_LEN; len++) {
        append_byte(a, '_');
    }
}

/* 20.2.2 NameString: root and parent prefixes, then one NameSeg, a
 * DualNamePath or a MultiNamePath; "" is the NullName. */
static void append_namestring(GArray *a, const char *name)
{
    g_auto(GStrv) segs = NULL;
    unsigned count;

    while (*name == '\\' || *name == '^') {
        append_byte(a, *name++);
    }
    if (!*name) {
        append_byte(a, 0x00);
        return;
    }
    segs = g_strsplit(name, ".", 0);
    count = g_strv_length(segs);
    g_assert(count <= 255);
    if (count == 2) {
        append_byte(a, AML_DUAL_NAME_PREFIX);
    } else if (count > 2) {
        append_byte(a, AML_MULTI_NAME_PREFIX);
        append_byte(a, count);
    }
    for (unsigned i = 0; i < count; i++) {
        append_nameseg(a, segs[i], strlen(segs[i]));
    }
}

/*
 * 20.2.4 PkgLength of len bytes of content; with incl_self (every term
 * but a field element) the encoding counts its own bytes too. The number
 * of bytes is chosen on len as QEMU's build_prepend_package_length does.
 */
static void append_pkg_length(GArray *a, unsigned len, bool incl_self)
{
    unsigned nbytes;

    if (len + 1 < (1u << 6)) {
        nbytes = 1;
    } else if (len + 2 < (1u << 12)) {
        nbytes = 2;
    } else if (len + 3 < (1u << 20)) {
        nbytes = 3;
    } else {
        nbytes = 4;
    }
    if (incl_self) {
        len += nbytes;
    }
    if (nbytes == 1) {
        append_byte(a, len);
        return;
    }
    /* lead byte: count of following bytes, then the low 4 bits */
    append_byte(a, ((nbytes - 1) << 6) | (len & 0xf));
    len >>= 4;
    for (unsigned i = 1; i < nbytes; i++) {
        append_byte(a, len & 0xff);
        len >>= 8;
    }
}

static void append_array(GArray *dst, const GArray *src)
{
    g_array_append_vals(dst, src->data, src->len);
}

void aml_append(Aml *parent, Aml *child)
{
    GArray *out = parent->buf;
    g_autoptr(GArray) body = NULL;

    switch (child->kind) {
    case AML_BARE:
        append_array(out, child->buf);
        break;
    case AML_OPCODE:
        append_byte(out, child->op);
        append_array(out, child->buf);
        break;
    case AML_EXT_PKG:
        append_byte(out, AML_EXT_OP_PREFIX);
        /* fall through */
    case AML_PKG:
        append_byte(out, child->op);
        append_pkg_length(out, child->buf->len, true);
        append_array(out, child->buf);
        break;
    case AML_RES_TEMPLATE:
        /* 6.4.2.9 End Tag; a zero checksum means "valid" */
        append_byte(child->buf, 0x79);
        append_byte(child->buf, 0x00);
        /* fall through */
    case AML_BUF:
        body = g_array_new(false, true, 1);
        append_aml_int(body, child->buf->len);     /* BufferSize */
        append_array(body, child->buf);
        append_byte(out, child->op);
        append_pkg_length(out, body->len, true);
        append_array(out, body);
        break;
    }
    aml_free(child);
}

Aml *aml_block(void)
{
    return aml_new(AML_BARE, 0);
}

Aml *aml_int(uint64_t value)
{
    Aml *aml = aml_new(AML_BARE, 0);

    append_aml_int(aml->buf, value);
    return aml;
}

/* 20.2.3 String: StringPrefix AsciiCharList NullChar */
Aml *aml_string(const char *str)
{
    Aml *aml = aml_new(AML_OPCODE, 0x0d);

    g_array_append_vals(aml->buf, str, strlen(str) + 1);
    return aml;
}

static uint32_t hex_digit(char c)
{
    g_assert(g_ascii_isxdigit(c));
    return g_ascii_xdigit_value(c);
}

/* 19.6.35 EISAID: three letters (5 bits each) and four hex digits, stored
 * big-endian in a DWord */
Aml *aml_eisaid(const char *id)
{
    Aml *aml = aml_new(AML_BARE, 0);
    uint32_t v;

    g_assert(strlen(id) == 7);
    v = (uint32_t)(id[0] - 0x40) << 26 | (uint32_t)(id[1] - 0x40) << 21 |
        (uint32_t)(id[2] - 0x40) << 16 | hex_digit(id[3]) << 12 |
        hex_digit(id[4]) << 8 | hex_digit(id[5]) << 4 | hex_digit(id[6]);
    append_byte(aml->buf, 0x0c);                /* DWordPrefix */
    acpi_append_int(aml->buf, GUINT32_SWAP_LE_BE(v), 4);
    return aml;
}

Aml *aml_buffer(size_t len, const uint8_t *bytes)
{
    Aml *aml = aml_new(AML_BUF, 0x11);          /* BufferOp */

    if (bytes) {
        g_array_append_vals(aml->buf, bytes, len);
    } else {
        g_array_set_size(aml->buf, len);
    }
    return aml;
}

Aml *aml_package(uint8_t num_elements)
{
    Aml *aml = aml_new(AML_PKG, 0x12);          /* PackageOp */

    append_byte(aml->buf, num_elements);
    return aml;
}

Aml *aml_resource_template(void)
{
    return aml_new(AML_RES_TEMPLATE, 0x11);     /* BufferOp */
}

Aml *aml_name(const char *name)
{
    Aml *aml = aml_new(AML_BARE, 0);

    append_namestring(aml->buf, name);
    return aml;
}

Aml *aml_name_decl(const char *name, Aml *value)
{
    Aml *aml = aml_new(AML_OPCODE, 0x08);       /* NameOp */

    append_namestring(aml->buf, name);
    aml_append(aml, value);
    return aml;
}

Aml *aml_local(unsigned n)
{
    g_assert(n <= 7);
    return aml_new(AML_OPCODE, 0x60 + n);       /* Local0Op */
}

Aml *aml_arg(unsigned n)
{
    g_assert(n <= 6);
    return aml_new(AML_OPCODE, 0x68 + n);       /* Arg0Op */
}

Aml *aml_scope(const char *name)
{
    Aml *aml = aml_new(AML_PKG, 0x10);          /* ScopeOp */

    append_namestring(aml->buf, name);
    return aml;
}

Aml *aml_device(const char *name)
{
    Aml *aml = aml_new(AML_EXT_PKG, 0x82);      /* DeviceOp */

    append_namestring(aml->buf, name);
    return aml;
}

Aml *aml_method(const char *name, unsigned arg_count, AmlSerializeFlag sflag)
{
    Aml *aml = aml_new(AML_PKG, 0x14);          /* MethodOp */

    g_assert(arg_count < 8);
    append_namestring(aml->buf, name);
    append_byte(aml->buf, arg_count | (sflag << 3));    /* MethodFlags */
    return aml;
}

Aml *aml_operation_region(const char *name, AmlRegionSpace rs, Aml *offset,
                          uint32_t len)
{
    Aml *aml = aml_new(AML_BARE, 0);

    append_byte(aml->buf, AML_EXT_OP_PREFIX);
    append_byte(aml->buf, 0x80);                /* OpRegionOp */
    append_namestring(aml->buf, name);
    append_byte(aml->buf, rs);
    aml_append(aml, offset);
    append_aml_int(aml->buf, len);
    return aml;
}

Aml *aml_field(const char *name, AmlAccessType type, AmlLockRule lock,
               AmlUpdateRule rule)
{
    Aml *aml = aml_new(AML_EXT_PKG, 0x81);      /* FieldOp */

    append_namestring(aml->buf, name);
    append_byte(aml->buf, rule << 5 | lock << 4 | type);    /* FieldFlags */
    return aml;
}

/* NamedField: NameSeg PkgLength, the length in bits and not counting
 * itself */
Aml *aml_named_field(const char *name, unsigned bits)
{
    Aml *aml = aml_new(AML_BARE, 0);

    append_nameseg(aml->buf, name, strlen(name));
    append_pkg_length(aml->buf, bits, false);
    return aml;
}

Aml *aml_if(Aml *predicate)
{
    Aml *aml = aml_new(AML_PKG, 0xa0);          /* IfOp */

    aml_append(aml, predicate);
    return aml;
}

Aml *aml_store(Aml *value, Aml *target)
{
    Aml *aml = aml_new(AML_OPCODE, 0x70);       /* StoreOp */

    aml_append(aml, value);
    aml_append(aml, target);
    return aml;
}

Aml *aml_and(Aml *arg1, Aml *arg2, Aml *target)
{
    Aml *aml = aml_new(AML_OPCODE, 0x7b);       /* AndOp */

    aml_append(aml, arg1);
    aml_append(aml, arg2);
    if (target) {
        aml_append(aml, target);
    } else {
        append_byte(aml->buf, 0x00);            /* NullName: no target */
    }
    return aml;
}

Aml *aml_equal(Aml *arg1, Aml *arg2)
{
    Aml *aml = aml_new(AML_OPCODE, 0x93);       /* LEqualOp */

    aml_append(aml, arg1);
    aml_append(aml, arg2);
    return aml;
}

Aml *aml_notify(Aml *object, Aml *value)
{
    Aml *aml = aml_new(AML_OPCODE, 0x86);       /* NotifyOp */

    aml_append(aml, object);
    aml_append(aml, value);
    return aml;
}

/* 6.4.3.4 32-Bit Fixed Memory Range Descriptor */
Aml *aml_memory32_fixed(uint32_t addr, uint32_t size, AmlReadAndWrite rw)
{
    Aml *aml = aml_new(AML_BARE, 0);

    append_byte(aml->buf, 0x86);
    acpi_append_int(aml->buf, 9, 2);            /* length */
    append_byte(aml->buf, rw);
    acpi_append_int(aml->buf, addr, 4);
    acpi_append_int(aml->buf, size, 4);
    return aml;
}

/* 6.4.3.6 Extended Interrupt Descriptor */
Aml *aml_interrupt(AmlConsumerAndProducer con_and_pro,
                   AmlLevelAndEdge level_and_edge,
                   AmlActiveHighAndLow high_and_low, AmlShared shared,
                   const uint32_t *irqs, uint8_t irq_count)
{
    Aml *aml = aml_new(AML_BARE, 0);

    g_assert(irq_count > 0);
    append_byte(aml->buf, 0x89);
    acpi_append_int(aml->buf, 2 + 4 * irq_count, 2);    /* length */
    append_byte(aml->buf, con_and_pro | level_and_edge << 1 |
                high_and_low << 2 | shared << 3);
    append_byte(aml->buf, irq_count);
    for (unsigned i = 0; i < irq_count; i++) {
        acpi_append_int(aml->buf, irqs[i], 4);
    }
    return aml;
}

/* 6.4.2.5 I/O Port Descriptor */
Aml *aml_io(AmlIODecode dec, uint16_t min_base, uint16_t max_base,
            uint8_t align, uint8_t len)
{
    Aml *aml = aml_new(AML_BARE, 0);

    append_byte(aml->buf, 0x47);
    append_byte(aml->buf, dec);
    acpi_append_int(aml->buf, min_base, 2);
    acpi_append_int(aml->buf, max_base, 2);
    append_byte(aml->buf, align);
    append_byte(aml->buf, len);
    return aml;
}

/* 6.4.2.1 IRQ Descriptor, the two-byte form (no flags: edge, high) */
Aml *aml_irq_no_flags(uint8_t irq)
{
    Aml *aml = aml_new(AML_BARE, 0);

    g_assert(irq < 16);
    append_byte(aml->buf, 0x22);
    acpi_append_int(aml->buf, 1u << irq, 2);
    return aml;
}

void acpi_table_begin(AcpiTable *table, GArray *array)
{
    g_assert(strlen(table->sig) == 4);
    table->array = array;
    table->table_offset = array->len;
    g_array_append_vals(array, table->sig, 4);
    acpi_append_int(array, 0, 4);               /* Length, patched at end */
    acpi_append_int(array, table->rev, 1);
    acpi_append_int(array, 0, 1);               /* Checksum, by firmware */
    acpi_append_padded_str(array, table->oem_id, 6, '\0');
    acpi_append_padded_str(array, table->oem_table_id, 8, '\0');
    acpi_append_int(array, 1, 4);               /* OEM Revision */
    g_array_append_vals(array, "BXPC", 4);      /* Creator ID */
    acpi_append_int(array, 1, 4);               /* Creator Revision */
}

void acpi_table_end(BIOSLinker *linker, const char *file, AcpiTable *table)
{
    uint32_t len = table->array->len - table->table_offset;
    uint8_t *p = (uint8_t *)table->array->data + table->table_offset + 4;

    for (unsigned i = 0; i < 4; i++) {
        p[i] = len >> (8 * i);
    }
    bios_linker_loader_add_checksum(linker, file, table->table_offset, len,
                                    table->table_offset + 9);
}
