/*
 * libFuzzer target: the machine's port and MMIO dispatch (system/memory.c):
 * random accesses of 1-8 bytes anywhere in the port space and in the
 * MMIO windows of the GED, virtio-mmio, the IOAPICs and the LAPIC's MSI
 * window, interrupts, clock steps and resets,
 * on the whole board without KVM (fuzz-board.c: the input format, and
 * the other devices an access or an interrupt may reach).
 */
#include "qemu/osdep.h"
#include "fuzz-board.h"
#include "fuzz-target.h"

static const FuzzWindow windows[] = {
    { .io = true, .base = 0, .size = 0x10000 },
    { .io = false, .base = 0xfea00000, .size = 0x1000 },
    { .io = false, .base = 0xfeb00000, .size = 0x4000 },
    { .io = false, .base = 0xfec00000, .size = 0x11000 },
    { .io = false, .base = 0xfee00000, .size = 0x100000 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_board_run(data, size, windows, G_N_ELEMENTS(windows));
}
