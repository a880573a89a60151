/*
 * Unit tests for the -cpu parser (target/i386/cpu.c) and the CPUID table
 * builder (target/i386/kvm-cpuid.c). The expected tables are what QEMU
 * 7.2 passed to KVM_SET_CPUID2 on this project's kvm_pvm host, recorded
 * with an ioctl logger, for the KVM_GET_SUPPORTED_CPUID table below.
 */
#include "qemu/osdep.h"
#include "target/i386/cpu.h"

typedef struct CPUIDRow {
    uint32_t function, index, flags, eax, ebx, ecx, edx;
} CPUIDRow;

/* KVM_GET_SUPPORTED_CPUID on a kvm_pvm host (Xeon, 2023). */
static const CPUIDRow host_supported[] = {
    { 0x00000000, 0, 0, 0x00000024, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x00000001, 0, 0, 0x000a0671, 0x00020800, 0x81202000, 0x0f8bfbff },
    { 0x00000002, 0, 0, 0x00feff01, 0x000000f0, 0x00000000, 0x00000000 },
    { 0x00000003, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000004, 0, 1, 0x04000121, 0x02c0003f, 0x0000003f, 0x00000000 },
    { 0x00000004, 1, 1, 0x04000122, 0x03c0003f, 0x0000003f, 0x00000000 },
    { 0x00000004, 2, 1, 0x04000143, 0x03c0003f, 0x000007ff, 0x00000000 },
    { 0x00000004, 3, 1, 0x04004163, 0x03c0003f, 0x00077fff, 0x00000000 },
    { 0x00000004, 4, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000005, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000006, 0, 0, 0x00000004, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000007, 0, 1, 0x00000002, 0x01802852, 0x1a010104, 0x20010000 },
    { 0x00000007, 1, 1, 0x00001c00, 0x00000000, 0x00000000, 0x00004000 },
    { 0x00000007, 2, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000001 },
    { 0x00000008, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000009, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000000a, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000000b, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000000c, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000000d, 0, 1, 0x000000e7, 0x00000a80, 0x00000a80, 0x00000000 },
    { 0x0000000d, 1, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000000d, 2, 1, 0x00000100, 0x00000240, 0x00000000, 0x00000000 },
    { 0x0000000d, 5, 1, 0x00000040, 0x00000440, 0x00000000, 0x00000000 },
    { 0x0000000d, 6, 1, 0x00000200, 0x00000480, 0x00000000, 0x00000000 },
    { 0x0000000d, 7, 1, 0x00000400, 0x00000680, 0x00000000, 0x00000000 },
    { 0x0000000e, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000000f, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000010, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000011, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000013, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000014, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000015, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000016, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000017, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000018, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000019, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001a, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001b, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001c, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001d, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001e, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001f, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000020, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000021, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000022, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000023, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000024, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000000, 0, 0, 0x80000008, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000001, 0, 0, 0x00000000, 0x00000000, 0x00000101, 0x20100800 },
    { 0x80000002, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000003, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000004, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000005, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000006, 0, 0, 0x00000000, 0x00000000, 0x08007040, 0x00000000 },
    { 0x80000007, 0, 0, 0x00000000, 0x00000000, 0x00000000, 0x00000100 },
    { 0x80000008, 0, 0, 0x00003930, 0x00000000, 0x00000000, 0x00000000 },
    { 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d },
    { 0x40000001, 0, 0, 0x01007efb, 0x00000000, 0x00000000, 0x00000000 },
};

/* QEMU 7.2 KVM_SET_CPUID2, -cpu host,-arch-capabilities (split irqchip). */
static const CPUIDRow expect_host[] = {
    { 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d },
    { 0x40000001, 0, 0, 0x0100fafb, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000000, 0, 0, 0x00000024, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x00000001, 0, 0, 0x000a0671, 0x00000800, 0x81202000, 0x0f8bfbff },
    { 0x00000002, 0, 6, 0x00000001, 0x00000000, 0x0000004d, 0x002c307d },
    { 0x00000004, 0, 1, 0x00000121, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 1, 1, 0x00000122, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 2, 1, 0x00000143, 0x03c0003f, 0x00000fff, 0x00000001 },
    { 0x00000004, 3, 1, 0x00000163, 0x03c0003f, 0x00003fff, 0x00000006 },
    { 0x00000004, 4, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000005, 0, 0, 0x00000000, 0x00000000, 0x00000003, 0x00000000 },
    { 0x00000006, 0, 0, 0x00000004, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000007, 0, 1, 0x00000000, 0x01800812, 0x1a010104, 0x00010000 },
    { 0x0000000b, 0, 1, 0x00000000, 0x00000001, 0x00000100, 0x00000000 },
    { 0x0000000b, 1, 1, 0x00000000, 0x00000001, 0x00000201, 0x00000000 },
    { 0x0000000b, 2, 1, 0x00000000, 0x00000000, 0x00000002, 0x00000000 },
    { 0x0000000d, 63, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 1, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 2, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000014, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001d, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001e, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000000, 0, 0, 0x80000008, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x80000001, 0, 0, 0x000a0671, 0x00000000, 0x00000101, 0x20100800 },
    { 0x80000002, 0, 0, 0x65746e49, 0x2952286c, 0x6f655820, 0x2952286e },
    { 0x80000003, 0, 0, 0x6f725020, 0x73736563, 0x0000726f, 0x00000000 },
    { 0x80000005, 0, 0, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140 },
    { 0x80000006, 0, 0, 0x00000000, 0x42004200, 0x02008140, 0x00808140 },
    { 0x80000008, 0, 0, 0x00003930, 0x00000000, 0x00000000, 0x00000000 },
};

/* QEMU 7.2 KVM_SET_CPUID2, no -cpu (qemu64). */
static const CPUIDRow expect_def[] = {
    { 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d },
    { 0x40000001, 0, 0, 0x0100807b, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000000, 0, 0, 0x0000000d, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x00000001, 0, 0, 0x00060fb1, 0x00000800, 0x80202000, 0x078bfbfd },
    { 0x00000002, 0, 6, 0x00000001, 0x00000000, 0x0000004d, 0x002c307d },
    { 0x00000004, 0, 1, 0x00000121, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 1, 1, 0x00000122, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 2, 1, 0x00000143, 0x03c0003f, 0x00000fff, 0x00000001 },
    { 0x00000004, 3, 1, 0x00000163, 0x03c0003f, 0x00003fff, 0x00000006 },
    { 0x00000004, 4, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000005, 0, 0, 0x00000000, 0x00000000, 0x00000003, 0x00000000 },
    { 0x00000007, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000000b, 0, 1, 0x00000000, 0x00000001, 0x00000100, 0x00000000 },
    { 0x0000000b, 1, 1, 0x00000000, 0x00000001, 0x00000201, 0x00000000 },
    { 0x0000000b, 2, 1, 0x00000000, 0x00000000, 0x00000002, 0x00000000 },
    { 0x0000000d, 63, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000000, 0, 0, 0x8000000a, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x80000001, 0, 0, 0x00060fb1, 0x00000000, 0x00000001, 0x20100800 },
    { 0x80000002, 0, 0, 0x554d4551, 0x72695620, 0x6c617574, 0x55504320 },
    { 0x80000003, 0, 0, 0x72657620, 0x6e6f6973, 0x352e3220, 0x0000002b },
    { 0x80000005, 0, 0, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140 },
    { 0x80000006, 0, 0, 0x00000000, 0x42004200, 0x02008140, 0x00808140 },
    { 0x80000008, 0, 0, 0x00003030, 0x00000000, 0x00000000, 0x00000000 },
};

/* QEMU 7.2 KVM_SET_CPUID2, -smp 2, vCPU 0. */
static const CPUIDRow expect_smp2[] = {
    { 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d },
    { 0x40000001, 0, 0, 0x0100fafb, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000000, 0, 0, 0x00000024, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x00000001, 0, 0, 0x000a0671, 0x00020800, 0x81202000, 0x1f8bfbff },
    { 0x00000002, 0, 6, 0x00000001, 0x00000000, 0x0000004d, 0x002c307d },
    { 0x00000004, 0, 1, 0x04000121, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 1, 1, 0x04000122, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 2, 1, 0x04000143, 0x03c0003f, 0x00000fff, 0x00000001 },
    { 0x00000004, 3, 1, 0x04004163, 0x03c0003f, 0x00003fff, 0x00000006 },
    { 0x00000004, 4, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000005, 0, 0, 0x00000000, 0x00000000, 0x00000003, 0x00000000 },
    { 0x00000006, 0, 0, 0x00000004, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000007, 0, 1, 0x00000000, 0x01800812, 0x1a010104, 0x00010000 },
    { 0x0000000b, 0, 1, 0x00000000, 0x00000001, 0x00000100, 0x00000000 },
    { 0x0000000b, 1, 1, 0x00000001, 0x00000002, 0x00000201, 0x00000000 },
    { 0x0000000b, 2, 1, 0x00000000, 0x00000000, 0x00000002, 0x00000000 },
    { 0x0000000d, 63, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 1, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 2, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000014, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001d, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001e, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000000, 0, 0, 0x80000008, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x80000001, 0, 0, 0x000a0671, 0x00000000, 0x00000101, 0x20100800 },
    { 0x80000002, 0, 0, 0x65746e49, 0x2952286c, 0x6f655820, 0x2952286e },
    { 0x80000003, 0, 0, 0x6f725020, 0x73736563, 0x0000726f, 0x00000000 },
    { 0x80000005, 0, 0, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140 },
    { 0x80000006, 0, 0, 0x00000000, 0x42004200, 0x02008140, 0x00808140 },
    { 0x80000008, 0, 0, 0x00003930, 0x00000000, 0x00001001, 0x00000000 },
};

/* QEMU 7.2 KVM_SET_CPUID2, -smp 4,cores=2,threads=2, vCPU 0. */
static const CPUIDRow expect_t2[] = {
    { 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d },
    { 0x40000001, 0, 0, 0x0100fafb, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000000, 0, 0, 0x00000024, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x00000001, 0, 0, 0x000a0671, 0x00040800, 0x81202000, 0x1f8bfbff },
    { 0x00000002, 0, 6, 0x00000001, 0x00000000, 0x0000004d, 0x002c307d },
    { 0x00000004, 0, 1, 0x04000121, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 1, 1, 0x04000122, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 2, 1, 0x04004143, 0x03c0003f, 0x00000fff, 0x00000001 },
    { 0x00000004, 3, 1, 0x0400c163, 0x03c0003f, 0x00003fff, 0x00000006 },
    { 0x00000004, 4, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000005, 0, 0, 0x00000000, 0x00000000, 0x00000003, 0x00000000 },
    { 0x00000006, 0, 0, 0x00000004, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000007, 0, 1, 0x00000000, 0x01800812, 0x1a010104, 0x00010000 },
    { 0x0000000b, 0, 1, 0x00000001, 0x00000002, 0x00000100, 0x00000000 },
    { 0x0000000b, 1, 1, 0x00000002, 0x00000004, 0x00000201, 0x00000000 },
    { 0x0000000b, 2, 1, 0x00000000, 0x00000000, 0x00000002, 0x00000000 },
    { 0x0000000d, 63, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 1, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 2, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000014, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001d, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001e, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000000, 0, 0, 0x80000008, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x80000001, 0, 0, 0x000a0671, 0x00000000, 0x00000101, 0x20100800 },
    { 0x80000002, 0, 0, 0x65746e49, 0x2952286c, 0x6f655820, 0x2952286e },
    { 0x80000003, 0, 0, 0x6f725020, 0x73736563, 0x0000726f, 0x00000000 },
    { 0x80000005, 0, 0, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140 },
    { 0x80000006, 0, 0, 0x00000000, 0x42004200, 0x02008140, 0x00808140 },
    { 0x80000008, 0, 0, 0x00003930, 0x00000000, 0x00002003, 0x00000000 },
};

/* QEMU 7.2 KVM_SET_CPUID2, -smp 2,maxcpus=6, vCPU 0. */
static const CPUIDRow expect_mx[] = {
    { 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d },
    { 0x40000001, 0, 0, 0x0100fafb, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000000, 0, 0, 0x00000024, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x00000001, 0, 0, 0x000a0671, 0x00060800, 0x81202000, 0x1f8bfbff },
    { 0x00000002, 0, 6, 0x00000001, 0x00000000, 0x0000004d, 0x002c307d },
    { 0x00000004, 0, 1, 0x14000121, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 1, 1, 0x14000122, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 2, 1, 0x14000143, 0x03c0003f, 0x00000fff, 0x00000001 },
    { 0x00000004, 3, 1, 0x1401c163, 0x03c0003f, 0x00003fff, 0x00000006 },
    { 0x00000004, 4, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000005, 0, 0, 0x00000000, 0x00000000, 0x00000003, 0x00000000 },
    { 0x00000006, 0, 0, 0x00000004, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000007, 0, 1, 0x00000000, 0x01800812, 0x1a010104, 0x00010000 },
    { 0x0000000b, 0, 1, 0x00000000, 0x00000001, 0x00000100, 0x00000000 },
    { 0x0000000b, 1, 1, 0x00000003, 0x00000006, 0x00000201, 0x00000000 },
    { 0x0000000b, 2, 1, 0x00000000, 0x00000000, 0x00000002, 0x00000000 },
    { 0x0000000d, 63, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 1, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 2, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000014, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001d, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001e, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000000, 0, 0, 0x80000008, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x80000001, 0, 0, 0x000a0671, 0x00000000, 0x00000101, 0x20100800 },
    { 0x80000002, 0, 0, 0x65746e49, 0x2952286c, 0x6f655820, 0x2952286e },
    { 0x80000003, 0, 0, 0x6f725020, 0x73736563, 0x0000726f, 0x00000000 },
    { 0x80000005, 0, 0, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140 },
    { 0x80000006, 0, 0, 0x00000000, 0x42004200, 0x02008140, 0x00808140 },
    { 0x80000008, 0, 0, 0x00003930, 0x00000000, 0x00003005, 0x00000000 },
};

/* QEMU 7.2 KVM_SET_CPUID2, kernel-irqchip=on. */
static const CPUIDRow expect_irqon[] = {
    { 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d },
    { 0x40000001, 0, 0, 0x01007afb, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000000, 0, 0, 0x00000024, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x00000001, 0, 0, 0x000a0671, 0x00000800, 0x81202000, 0x0f8bfbff },
    { 0x00000002, 0, 6, 0x00000001, 0x00000000, 0x0000004d, 0x002c307d },
    { 0x00000004, 0, 1, 0x00000121, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 1, 1, 0x00000122, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 2, 1, 0x00000143, 0x03c0003f, 0x00000fff, 0x00000001 },
    { 0x00000004, 3, 1, 0x00000163, 0x03c0003f, 0x00003fff, 0x00000006 },
    { 0x00000004, 4, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000005, 0, 0, 0x00000000, 0x00000000, 0x00000003, 0x00000000 },
    { 0x00000006, 0, 0, 0x00000004, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000007, 0, 1, 0x00000000, 0x01800812, 0x1a010104, 0x00010000 },
    { 0x0000000b, 0, 1, 0x00000000, 0x00000001, 0x00000100, 0x00000000 },
    { 0x0000000b, 1, 1, 0x00000000, 0x00000001, 0x00000201, 0x00000000 },
    { 0x0000000b, 2, 1, 0x00000000, 0x00000000, 0x00000002, 0x00000000 },
    { 0x0000000d, 63, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 1, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 2, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000014, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001d, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001e, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000000, 0, 0, 0x80000008, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x80000001, 0, 0, 0x000a0671, 0x00000000, 0x00000101, 0x20100800 },
    { 0x80000002, 0, 0, 0x65746e49, 0x2952286c, 0x6f655820, 0x2952286e },
    { 0x80000003, 0, 0, 0x6f725020, 0x73736563, 0x0000726f, 0x00000000 },
    { 0x80000005, 0, 0, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140 },
    { 0x80000006, 0, 0, 0x00000000, 0x42004200, 0x02008140, 0x00808140 },
    { 0x80000008, 0, 0, 0x00003930, 0x00000000, 0x00000000, 0x00000000 },
};

/* QEMU 7.2 KVM_SET_CPUID2, -smp 2, vCPU 1. */
static const CPUIDRow expect_smp2b[] = {
    { 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d },
    { 0x40000001, 0, 0, 0x0100fafb, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000000, 0, 0, 0x00000024, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x00000001, 0, 0, 0x000a0671, 0x01020800, 0x81202000, 0x1f8bfbff },
    { 0x00000002, 0, 6, 0x00000001, 0x00000000, 0x0000004d, 0x002c307d },
    { 0x00000004, 0, 1, 0x04000121, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 1, 1, 0x04000122, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 2, 1, 0x04000143, 0x03c0003f, 0x00000fff, 0x00000001 },
    { 0x00000004, 3, 1, 0x04004163, 0x03c0003f, 0x00003fff, 0x00000006 },
    { 0x00000004, 4, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000005, 0, 0, 0x00000000, 0x00000000, 0x00000003, 0x00000000 },
    { 0x00000006, 0, 0, 0x00000004, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000007, 0, 1, 0x00000000, 0x01800812, 0x1a010104, 0x00010000 },
    { 0x0000000b, 0, 1, 0x00000000, 0x00000001, 0x00000100, 0x00000001 },
    { 0x0000000b, 1, 1, 0x00000001, 0x00000002, 0x00000201, 0x00000001 },
    { 0x0000000b, 2, 1, 0x00000000, 0x00000000, 0x00000002, 0x00000001 },
    { 0x0000000d, 63, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 1, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 2, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000014, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001d, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001e, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000000, 0, 0, 0x80000008, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x80000001, 0, 0, 0x000a0671, 0x00000000, 0x00000101, 0x20100800 },
    { 0x80000002, 0, 0, 0x65746e49, 0x2952286c, 0x6f655820, 0x2952286e },
    { 0x80000003, 0, 0, 0x6f725020, 0x73736563, 0x0000726f, 0x00000000 },
    { 0x80000005, 0, 0, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140 },
    { 0x80000006, 0, 0, 0x00000000, 0x42004200, 0x02008140, 0x00808140 },
    { 0x80000008, 0, 0, 0x00003930, 0x00000000, 0x00001001, 0x00000000 },
};

/* QEMU 7.2 KVM_SET_CPUID2, -smp 4,cores=2,threads=2, vCPU 3. */
static const CPUIDRow expect_t2d[] = {
    { 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d },
    { 0x40000001, 0, 0, 0x0100fafb, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000000, 0, 0, 0x00000024, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x00000001, 0, 0, 0x000a0671, 0x03040800, 0x81202000, 0x1f8bfbff },
    { 0x00000002, 0, 6, 0x00000001, 0x00000000, 0x0000004d, 0x002c307d },
    { 0x00000004, 0, 1, 0x04000121, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 1, 1, 0x04000122, 0x01c0003f, 0x0000003f, 0x00000001 },
    { 0x00000004, 2, 1, 0x04004143, 0x03c0003f, 0x00000fff, 0x00000001 },
    { 0x00000004, 3, 1, 0x0400c163, 0x03c0003f, 0x00003fff, 0x00000006 },
    { 0x00000004, 4, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000005, 0, 0, 0x00000000, 0x00000000, 0x00000003, 0x00000000 },
    { 0x00000006, 0, 0, 0x00000004, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000007, 0, 1, 0x00000000, 0x01800812, 0x1a010104, 0x00010000 },
    { 0x0000000b, 0, 1, 0x00000001, 0x00000002, 0x00000100, 0x00000003 },
    { 0x0000000b, 1, 1, 0x00000002, 0x00000004, 0x00000201, 0x00000003 },
    { 0x0000000b, 2, 1, 0x00000000, 0x00000000, 0x00000002, 0x00000003 },
    { 0x0000000d, 63, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 1, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000012, 2, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000014, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001d, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x0000001e, 0, 1, 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x80000000, 0, 0, 0x80000008, 0x756e6547, 0x6c65746e, 0x49656e69 },
    { 0x80000001, 0, 0, 0x000a0671, 0x00000000, 0x00000101, 0x20100800 },
    { 0x80000002, 0, 0, 0x65746e49, 0x2952286c, 0x6f655820, 0x2952286e },
    { 0x80000003, 0, 0, 0x6f725020, 0x73736563, 0x0000726f, 0x00000000 },
    { 0x80000005, 0, 0, 0x01ff01ff, 0x01ff01ff, 0x40020140, 0x40020140 },
    { 0x80000006, 0, 0, 0x00000000, 0x42004200, 0x02008140, 0x00808140 },
    { 0x80000008, 0, 0, 0x00003930, 0x00000000, 0x00002003, 0x00000000 },
};


static struct kvm_cpuid_entry2 supported_entries[ARRAY_SIZE(host_supported)];

static void fake_host(X86HostCPUID *h, bool split)
{
    static const char brand[48] = "Intel(R) Xeon(R) Processor";

    memset(h, 0, sizeof(*h));
    for (size_t i = 0; i < ARRAY_SIZE(host_supported); i++) {
        const CPUIDRow *r = &host_supported[i];
        struct kvm_cpuid_entry2 e = {
            .function = r->function, .index = r->index, .flags = r->flags,
            .eax = r->eax, .ebx = r->ebx, .ecx = r->ecx, .edx = r->edx,
        };
        supported_entries[i] = e;
    }
    h->supported = supported_entries;
    h->nsupported = ARRAY_SIZE(host_supported);
    memcpy(h->vendor, "GenuineIntel", 12);
    h->version = 0x000a0671;
    memcpy(h->brand, brand, sizeof(brand));
    h->phys_bits = 48;
    h->irqchip_in_kernel = true;
    h->irqchip_split = split;
    h->tsc_deadline_cap = true;
    h->has_msr_arch_capabs = true;
}

static void check_table(const char *cpu, const X86CPUTopology *topo,
                        unsigned idx, bool split, const CPUIDRow *expect,
                        size_t n)
{
    g_autoptr(X86CPUModel) m = x86_cpu_model_parse(cpu, NULL);
    X86HostCPUID host;
    X86CPUDef def;
    g_autoptr(GArray) t = NULL;

    g_assert_nonnull(m);
    fake_host(&host, split);
    g_assert_true(x86_cpu_resolve(m, &host, &def, NULL, NULL));
    t = x86_cpuid_build_table(&def, topo, x86_apicid_from_cpu_idx(topo, idx));
    for (size_t i = 0; i < MIN(n, t->len); i++) {
        const struct kvm_cpuid_entry2 *e =
            &g_array_index(t, struct kvm_cpuid_entry2, i);
        const CPUIDRow *r = &expect[i];

        if (e->function != r->function || e->index != r->index ||
            e->flags != r->flags || e->eax != r->eax || e->ebx != r->ebx ||
            e->ecx != r->ecx || e->edx != r->edx) {
            g_test_message("entry %zu: got %08x.%u f=%u %08x %08x %08x %08x"
                           " want %08x.%u f=%u %08x %08x %08x %08x", i,
                           e->function, e->index, e->flags, e->eax, e->ebx,
                           e->ecx, e->edx, r->function, r->index, r->flags,
                           r->eax, r->ebx, r->ecx, r->edx);
            g_test_fail();
        }
    }
    g_assert_cmpuint(t->len, ==, n);
}

static const X86CPUTopology topo1 = { 1, 1, 1, 1, 1 };

static void test_table_host(void)
{
    check_table("host,-arch-capabilities", &topo1, 0, true, expect_host,
                ARRAY_SIZE(expect_host));
}

static void test_table_max(void)
{
    /* On KVM, max is host. */
    check_table("max,-arch-capabilities", &topo1, 0, true, expect_host,
                ARRAY_SIZE(expect_host));
}

static void test_table_qemu64(void)
{
    check_table(NULL, &topo1, 0, true, expect_def, ARRAY_SIZE(expect_def));
    check_table("qemu64", &topo1, 0, true, expect_def,
                ARRAY_SIZE(expect_def));
}

static void test_table_irqchip_on(void)
{
    /* kvm-msi-ext-dest-id only comes with the split irqchip. */
    check_table("host,-arch-capabilities", &topo1, 0, false, expect_irqon,
                ARRAY_SIZE(expect_irqon));
}

static void test_table_smp(void)
{
    X86CPUTopology smp2 = { 1, 1, 2, 1, 2 };
    X86CPUTopology t2 = { 1, 1, 2, 2, 4 };
    X86CPUTopology mx = { 1, 1, 6, 1, 6 };
    X86CPUTopology s2c2 = { 2, 1, 2, 1, 4 };

    check_table("host,-arch-capabilities", &smp2, 0, true, expect_smp2,
                ARRAY_SIZE(expect_smp2));
    check_table("host,-arch-capabilities", &smp2, 1, true, expect_smp2b,
                ARRAY_SIZE(expect_smp2b));
    check_table("host,-arch-capabilities", &t2, 0, true, expect_t2,
                ARRAY_SIZE(expect_t2));
    check_table("host,-arch-capabilities", &t2, 3, true, expect_t2d,
                ARRAY_SIZE(expect_t2d));
    check_table("host,-arch-capabilities", &mx, 0, true, expect_mx,
                ARRAY_SIZE(expect_mx));
    /* Two sockets of two cores: vCPU 0 sees what -smp 2 shows. */
    check_table("host,-arch-capabilities", &s2c2, 0, true, expect_smp2,
                ARRAY_SIZE(expect_smp2));
}

static void test_apic_ids(void)
{
    X86CPUTopology t = { 2, 1, 3, 2, 12 };
    static const uint32_t want[] = { 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13 };
    X86CPUTopology d = { 1, 2, 2, 1, 4 };

    for (unsigned i = 0; i < ARRAY_SIZE(want); i++) {
        g_assert_cmpuint(x86_apicid_from_cpu_idx(&t, i), ==, want[i]);
    }
    /* Dies take their own bits between cores and packages. */
    g_assert_cmpuint(x86_apicid_from_cpu_idx(&d, 2), ==, 2);
    g_assert_cmpuint(x86_apicid_from_cpu_idx(&d, 3), ==, 3);
    g_assert_cmpuint(x86_apicid_from_cpu_idx(&topo1, 0), ==, 0);
}

static uint32_t leaf_reg(const X86CPUDef *def, uint32_t leaf, uint32_t sub,
                         int reg)
{
    uint32_t r[4];

    x86_cpuid_leaf(def, &topo1, 0, leaf, sub, &r[0], &r[1], &r[2], &r[3]);
    return r[reg];
}

static X86CPUModel *parse_ok(const char *s)
{
    Error *err = NULL;
    X86CPUModel *m = x86_cpu_model_parse(s, &err);

    if (err) {
        g_test_message("%s: %s", s, error_get_pretty(err));
        error_free(err);
    }
    g_assert_nonnull(m);
    return m;
}

static char *parse_err(const char *s)
{
    Error *err = NULL;
    X86CPUModel *m = x86_cpu_model_parse(s, &err);
    char *msg;

    g_assert_null(m);
    g_assert_nonnull(err);
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static void test_parse_flags(void)
{
    g_autoptr(X86CPUModel) m = parse_ok("host,-x2apic,+vmx,sse4_2=off,"
                                        "kvm-pv-unhalt=off,+sse4-1,"
                                        "avx2,kvm=off");
    X86HostCPUID host;
    X86CPUDef def;
    g_autoptr(GPtrArray) warn = g_ptr_array_new_with_free_func(g_free);

    g_assert_cmpstr(m->name, ==, "host");
    g_assert_false(m->expose_kvm);
    g_assert_cmphex(m->minus[FEAT_1_ECX], ==, CPUID_1_ECX_X2APIC);
    g_assert_cmphex(m->plus[FEAT_1_ECX], ==, (1u << 5) | (1u << 19));
    g_assert_cmphex(m->off[FEAT_1_ECX], ==, 1u << 20);
    g_assert_cmphex(m->off[FEAT_KVM], ==, 1u << 7);
    g_assert_cmphex(m->on[FEAT_7_0_EBX], ==, 1u << 5);

    fake_host(&host, true);
    g_assert_true(x86_cpu_resolve(m, &host, &def, warn, NULL));
    g_assert_false(leaf_reg(&def, 1, 0, 2) & CPUID_1_ECX_X2APIC);
    g_assert_false(leaf_reg(&def, 0x40000001, 0, 0) & (1u << 7));
    /* vmx, sse4.1 and avx2 are not offered by this host: warnings. */
    g_assert_cmpuint(warn->len, ==, 3);
    g_assert_cmpstr(g_ptr_array_index(warn, 0), ==,
                    "host doesn't support requested feature: "
                    "CPUID.01H:ECX.vmx [bit 5]");
    g_assert_cmpstr(g_ptr_array_index(warn, 1), ==,
                    "host doesn't support requested feature: "
                    "CPUID.01H:ECX.sse4.1 [bit 19]");
    g_assert_cmpstr(g_ptr_array_index(warn, 2), ==,
                    "host doesn't support requested feature: "
                    "CPUID.07H:EBX.avx2 [bit 5]");
    /* kvm=off: no signature leaves at all. */
    {
        g_autoptr(GArray) t = x86_cpuid_build_table(&def, &topo1, 0);

        g_assert_cmphex(g_array_index(t, struct kvm_cpuid_entry2, 0).function,
                        ==, 0);
    }
}

static void test_parse_minus_wins(void)
{
    g_autoptr(X86CPUModel) m = parse_ok("host,-hypervisor,hypervisor=on");
    X86HostCPUID host;
    X86CPUDef def;

    fake_host(&host, true);
    g_assert_true(x86_cpu_resolve(m, &host, &def, NULL, NULL));
    g_assert_false(leaf_reg(&def, 1, 0, 2) & CPUID_1_ECX_HYPERVISOR);
}

static void test_parse_errors(void)
{
    g_autofree char *e1 = parse_err("host,+nosuchflag");
    g_autofree char *e2 = parse_err("host,-nosuchflag");
    g_autofree char *e3 = parse_err("host,nosuchflag");
    g_autofree char *e4 = parse_err("host,sse4.2=foo");
    g_autofree char *e5 = parse_err("foo");
    g_autofree char *e6 = parse_err("Haswell");
    g_autofree char *e7 = parse_err("max,kvm-asyncpf-vmexit=on");
    g_autofree char *e8 = parse_err(",+x2apic");
    g_autofree char *e9 = parse_err("host,pmu=on");

    g_assert_cmpstr(e1, ==, "Property 'host-x86_64-cpu.nosuchflag' not found");
    g_assert_cmpstr(e2, ==, "Property 'host-x86_64-cpu.nosuchflag' not found");
    g_assert_cmpstr(e3, ==, "can't apply global host-x86_64-cpu.nosuchflag=on:"
                    " Property 'host-x86_64-cpu.nosuchflag' not found");
    g_assert_cmpstr(e4, ==, "can't apply global host-x86_64-cpu.sse4.2=foo: "
                    "Parameter 'sse4.2' expects 'on' or 'off'");
    g_assert_cmpstr(e5, ==, "unable to find CPU model 'foo'");
    g_assert_nonnull(strstr(e6, "'Haswell' is not supported"));
    g_assert_cmpstr(e7, ==, "can't apply global max-x86_64-cpu."
                    "kvm-asyncpf-vmexit=on: Property 'max-x86_64-cpu."
                    "kvm-asyncpf-vmexit' not found");
    g_assert_cmpstr(e8, ==, "unable to find CPU model ''");
    g_assert_nonnull(strstr(e9, "pmu=on"));
}

static void test_enforce(void)
{
    g_autoptr(X86CPUModel) m = parse_ok("qemu64,enforce");
    g_autoptr(X86CPUModel) m2 = parse_ok("qemu64");
    g_autoptr(GPtrArray) warn = g_ptr_array_new_with_free_func(g_free);
    X86HostCPUID host;
    X86CPUDef def;
    Error *err = NULL;

    fake_host(&host, true);
    g_assert_false(x86_cpu_resolve(m, &host, &def, warn, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Host doesn't support requested features");
    error_free(err);
    g_assert_cmpuint(warn->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(warn, 0), ==,
                    "host doesn't support requested feature: "
                    "CPUID.01H:ECX.pni [bit 0]");
    g_assert_true(x86_cpu_resolve(m2, &host, &def, NULL, NULL));
}

static void test_plain_host_arch_capabilities(void)
{
    g_autoptr(X86CPUModel) m = parse_ok("host");
    X86HostCPUID host;
    X86CPUDef def;

    fake_host(&host, true);
    g_assert_true(x86_cpu_resolve(m, &host, &def, NULL, NULL));
    g_assert_true(leaf_reg(&def, 7, 0, 3) & CPUID_7_0_EDX_ARCH_CAPABILITIES);
    host.has_msr_arch_capabs = false;
    g_assert_true(x86_cpu_resolve(m, &host, &def, NULL, NULL));
    g_assert_false(leaf_reg(&def, 7, 0, 3) &
                   CPUID_7_0_EDX_ARCH_CAPABILITIES);
}

static void test_no_irqchip(void)
{
    g_autoptr(X86CPUModel) m = parse_ok("host");
    X86HostCPUID host;
    X86CPUDef def;

    fake_host(&host, false);
    host.irqchip_in_kernel = false;
    g_assert_true(x86_cpu_resolve(m, &host, &def, NULL, NULL));
    g_assert_false(leaf_reg(&def, 1, 0, 2) & CPUID_1_ECX_X2APIC);
    g_assert_false(leaf_reg(&def, 0x40000001, 0, 0) & (1u << 7));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpuid/table/host", test_table_host);
    g_test_add_func("/cpuid/table/max", test_table_max);
    g_test_add_func("/cpuid/table/qemu64", test_table_qemu64);
    g_test_add_func("/cpuid/table/irqchip-on", test_table_irqchip_on);
    g_test_add_func("/cpuid/table/smp", test_table_smp);
    g_test_add_func("/cpuid/apic-ids", test_apic_ids);
    g_test_add_func("/cpuid/parse/flags", test_parse_flags);
    g_test_add_func("/cpuid/parse/minus-wins", test_parse_minus_wins);
    g_test_add_func("/cpuid/parse/errors", test_parse_errors);
    g_test_add_func("/cpuid/enforce", test_enforce);
    g_test_add_func("/cpuid/plain-host", test_plain_host_arch_capabilities);
    g_test_add_func("/cpuid/no-irqchip", test_no_irqchip);
    return g_test_run();
}
