/*
 * libFuzzer target: the 16550A's register file (hw/char/serial.c) at COM1,
 * reads and writes of every size around 0x3f8, received bytes, the
 * transmit and character timeouts as the clock moves,
 * on the whole board without KVM (fuzz-board.c: the input format, and
 * the other devices an access or an interrupt may reach).
 */
#include "qemu/osdep.h"
#include "fuzz-board.h"
#include "fuzz-target.h"

static const FuzzWindow windows[] = {
    { .io = true, .base = 0x3f6, .size = 0xc },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_board_run(data, size, windows, G_N_ELEMENTS(windows));
}
