/*
 * libFuzzer target: both IOAPICs' register windows (hw/intc/ioapic.c):
 * IOREGSEL/IOWIN, the redirection table, EOIs, with GSI lines moving,
 * through the PIC as ExtINT,
 * on the whole board without KVM (fuzz-board.c: the input format, and
 * the other devices an access or an interrupt may reach).
 */
#include "qemu/osdep.h"
#include "fuzz-board.h"
#include "fuzz-target.h"

static const FuzzWindow windows[] = {
    { .io = false, .base = 0xfec00000, .size = 0x100 },
    { .io = false, .base = 0xfec10000, .size = 0x100 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_board_run(data, size, windows, G_N_ELEMENTS(windows));
}
