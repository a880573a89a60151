/*
 * libFuzzer target: the 8259 pair and ELCR (hw/intc/i8259.c) and the 8254
 * PIT (hw/timer/i8254.c): initialisation words, OCWs, polls, INTA,
 * counter programming, latches and read-back as the clock moves, with
 * ISA lines moving,
 * on the whole board without KVM (fuzz-board.c: the input format, and
 * the other devices an access or an interrupt may reach).
 */
#include "qemu/osdep.h"
#include "fuzz-board.h"
#include "fuzz-target.h"

static const FuzzWindow windows[] = {
    { .io = true, .base = 0x1e, .size = 0x6 },
    { .io = true, .base = 0x3e, .size = 0x8 },
    { .io = true, .base = 0x9e, .size = 0x6 },
    { .io = true, .base = 0x4ce, .size = 0x6 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_board_run(data, size, windows, G_N_ELEMENTS(windows));
}
