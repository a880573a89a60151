/*
 * libFuzzer target: the MC146818 RTC's index/data ports (hw/rtc/mc146818rtc.c):
 * CMOS and clock registers, periodic, alarm and update interrupts as the
 * virtual clock moves,
 * on the whole board without KVM (fuzz-board.c: the input format, and
 * the other devices an access or an interrupt may reach).
 */
#include "qemu/osdep.h"
#include "fuzz-board.h"
#include "fuzz-target.h"

static const FuzzWindow windows[] = {
    { .io = true, .base = 0x6e, .size = 0x6 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_board_run(data, size, windows, G_N_ELEMENTS(windows));
}
