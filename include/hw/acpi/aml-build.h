/*
 * A small declarative builder for ACPI tables and AML (ACPI 6.x, chapter
 * 5.2 tables and chapter 20 AML encoding), producing the same bytes as
 * QEMU 7.2's hw/acpi/aml-build.c for the terms microvm uses.
 *
 * An Aml is a term under construction. Every function that takes Aml
 * arguments consumes them (aml_append() frees the child once its bytes
 * are in the parent), so a tree built by nesting calls needs exactly one
 * aml_free(), of its root.
 */
#ifndef HW_ACPI_AML_BUILD_H
#define HW_ACPI_AML_BUILD_H

#include "qemu/osdep.h"

typedef struct BIOSLinker BIOSLinker;
typedef struct Aml Aml;

/* ACPI 6.4, 20.2.5.2: FieldFlags */
typedef enum {
    AML_ANY_ACC = 0,
    AML_BYTE_ACC = 1,
    AML_WORD_ACC = 2,
    AML_DWORD_ACC = 3,
    AML_QWORD_ACC = 4,
    AML_BUFFER_ACC = 5,
} AmlAccessType;

typedef enum {
    AML_NOLOCK = 0,
    AML_LOCK = 1,
} AmlLockRule;

typedef enum {
    AML_PRESERVE = 0,
    AML_WRITE_AS_ONES = 1,
    AML_WRITE_AS_ZEROS = 2,
} AmlUpdateRule;

/* ACPI 6.4, 20.2.5.2: RegionSpace of an OperationRegion */
typedef enum {
    AML_SYSTEM_MEMORY = 0x00,
    AML_SYSTEM_IO = 0x01,
} AmlRegionSpace;

/* ACPI 6.4, 5.2.3.2: Generic Address Structure address space ids */
typedef enum {
    AML_AS_SYSTEM_MEMORY = 0x00,
    AML_AS_SYSTEM_IO = 0x01,
} AmlAddressSpace;

/* ACPI 6.4, 20.2.5.2: MethodFlags bit 3 */
typedef enum {
    AML_NOTSERIALIZED = 0,
    AML_SERIALIZED = 1,
} AmlSerializeFlag;

/* ACPI 6.4, 6.4.3.6: Extended Interrupt Descriptor flags */
typedef enum {
    AML_CONSUMER_PRODUCER = 0,
    AML_CONSUMER = 1,
} AmlConsumerAndProducer;

typedef enum {
    AML_LEVEL = 0,
    AML_EDGE = 1,
} AmlLevelAndEdge;

typedef enum {
    AML_ACTIVE_HIGH = 0,
    AML_ACTIVE_LOW = 1,
} AmlActiveHighAndLow;

typedef enum {
    AML_EXCLUSIVE = 0,
    AML_SHARED = 1,
} AmlShared;

/* ACPI 6.4, 6.4.3.4: Memory32Fixed write status */
typedef enum {
    AML_READ_ONLY = 0,
    AML_READ_WRITE = 1,
} AmlReadAndWrite;

/* ACPI 6.4, 6.4.2.5: I/O port descriptor decode */
typedef enum {
    AML_DECODE10 = 0,
    AML_DECODE16 = 1,
} AmlIODecode;

/* The bytes of a term as built so far (not counting its own opcode and
 * length, which aml_append() adds), and freeing a tree. */
const uint8_t *aml_data(const Aml *aml, size_t *len);
void aml_free(Aml *aml);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Aml, aml_free)

/* A container with no opcode of its own: the body of a definition block */
Aml *aml_block(void);
void aml_append(Aml *parent, Aml *child);

/* Data objects (20.2.3) */
Aml *aml_int(uint64_t value);       /* Zero, One, Byte/Word/DWord/QWord */
Aml *aml_string(const char *str);
Aml *aml_eisaid(const char *id);    /* "PNP0501" as a DWord */
Aml *aml_buffer(size_t len, const uint8_t *bytes);
Aml *aml_package(uint8_t num_elements);
Aml *aml_resource_template(void);

/* Names (20.2.2): "ABCD", "\\_SB.PCI0", "^FOO"; short segments padded
 * with '_' */
Aml *aml_name(const char *name);
Aml *aml_name_decl(const char *name, Aml *value);
Aml *aml_local(unsigned n);
Aml *aml_arg(unsigned n);

/* Named objects and blocks (20.2.5) */
Aml *aml_scope(const char *name);
Aml *aml_device(const char *name);
Aml *aml_method(const char *name, unsigned arg_count, AmlSerializeFlag sflag);
Aml *aml_operation_region(const char *name, AmlRegionSpace rs, Aml *offset,
                          uint32_t len);
Aml *aml_field(const char *name, AmlAccessType type, AmlLockRule lock,
               AmlUpdateRule rule);
Aml *aml_named_field(const char *name, unsigned bits);

/* Statements and expressions (20.2.5.3, 20.2.5.4) */
Aml *aml_if(Aml *predicate);
Aml *aml_store(Aml *value, Aml *target);
Aml *aml_and(Aml *arg1, Aml *arg2, Aml *target);   /* target may be NULL */
Aml *aml_equal(Aml *arg1, Aml *arg2);
Aml *aml_notify(Aml *object, Aml *value);

/* Resource descriptors (6.4), appended to an aml_resource_template() */
Aml *aml_memory32_fixed(uint32_t addr, uint32_t size, AmlReadAndWrite rw);
Aml *aml_interrupt(AmlConsumerAndProducer con_and_pro,
                   AmlLevelAndEdge level_and_edge,
                   AmlActiveHighAndLow high_and_low, AmlShared shared,
                   const uint32_t *irqs, uint8_t irq_count);
Aml *aml_io(AmlIODecode dec, uint16_t min_base, uint16_t max_base,
            uint8_t align, uint8_t len);
Aml *aml_irq_no_flags(uint8_t irq);

/*
 * Plain table fields: value as size little-endian bytes; a string padded
 * with pad to len bytes; a Generic Address Structure (5.2.3.2).
 */
void acpi_append_int(GArray *table, uint64_t value, unsigned size);
void acpi_append_padded_str(GArray *table, const char *str, size_t len,
                            char pad);
void acpi_append_gas(GArray *table, AmlAddressSpace as, uint8_t bit_width,
                     uint8_t bit_offset, uint8_t access_width,
                     uint64_t address);

/*
 * A system description table (5.2.6): acpi_table_begin() appends the
 * 36-byte header (Length and Checksum zero, OEM revision 1, creator
 * "BXPC" revision 1, as QEMU's acpi_table_begin), acpi_table_end() patches
 * Length and asks the firmware, through the linker, to fill the checksum
 * of the table in file.
 */
typedef struct AcpiTable {
    const char *sig;            /* 4 characters */
    uint8_t rev;
    const char *oem_id;         /* up to 6 */
    const char *oem_table_id;   /* up to 8 */
    /* set by acpi_table_begin */
    GArray *array;
    unsigned table_offset;
} AcpiTable;

void acpi_table_begin(AcpiTable *table, GArray *array);
void acpi_table_end(BIOSLinker *linker, const char *file, AcpiTable *table);

#endif
