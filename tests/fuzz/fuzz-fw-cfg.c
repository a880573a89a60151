/*
 * libFuzzer target: fw_cfg's selector/data port and DMA register
 * (hw/nvram/fw_cfg.c): selects, data reads, DMA descriptors taken from
 * the 64 KiB of guest RAM the input fills (read, skip, select, write,
 * addresses anywhere),
 * on the whole board without KVM (fuzz-board.c: the input format, and
 * the other devices an access or an interrupt may reach).
 */
#include "qemu/osdep.h"
#include "fuzz-board.h"
#include "fuzz-target.h"

static const FuzzWindow windows[] = {
    { .io = true, .base = 0x50e, .size = 0x10 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_board_run(data, size, windows, G_N_ELEMENTS(windows));
}
