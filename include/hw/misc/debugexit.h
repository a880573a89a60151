/*
 * "isa-debug-exit": a port whose write ends the program with status
 * (value << 1) | 1, as QEMU 7.2 hw/misc/debugexit.c.
 */
#ifndef HW_MISC_DEBUGEXIT_H
#define HW_MISC_DEBUGEXIT_H

#include "hw/core/qdev.h"

#define TYPE_ISA_DEBUG_EXIT_DEVICE "isa-debug-exit"

typedef struct ISADebugExitState {
    ISADevice parent_obj;
    uint32_t iobase;
    uint32_t iosize;
    /* How the exit is carried out; tests replace it to observe it. */
    void (*exit_fn)(int status);
} ISADebugExitState;

#define ISA_DEBUG_EXIT_DEVICE(obj) \
    OBJECT_CHECK(ISADebugExitState, (obj), TYPE_ISA_DEBUG_EXIT_DEVICE)

extern const MemoryRegionOps debug_exit_ops;

void debugexit_register_types(void);

#endif
