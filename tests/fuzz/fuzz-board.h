/*
 * The machine's devices and their port/MMIO dispatch without KVM, for
 * the fuzz targets that drive them (fuzz-board.c has the board and the
 * input format; each target picks the address windows it aims at).
 */
#ifndef TESTS_FUZZ_FUZZ_BOARD_H
#define TESTS_FUZZ_FUZZ_BOARD_H

#include "qemu/osdep.h"

/* A window of one address space the operations' offsets land in. */
typedef struct FuzzWindow {
    bool io;                /* the port space, else MMIO */
    uint64_t base;
    uint64_t size;
} FuzzWindow;

/* Runs one input against a fresh board; windows: at least one. */
int fuzz_board_run(const uint8_t *data, size_t size,
                   const FuzzWindow *windows, unsigned nwindows);

#endif
