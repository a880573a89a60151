/*
 * The device tree QEMU 7.2's microvm hands to firmware as "etc/fdt"
 * (hw/i386/microvm-dt.c, dt_setup_microvm).
 */
#ifndef HW_I386_MICROVM_DT_H
#define HW_I386_MICROVM_DT_H

#include "hw/i386/x86.h"

/* QEMU's FDT_MAX_SIZE: the blob (and the fw_cfg file) is always 1 MiB. */
#define MICROVM_DT_SIZE         0x100000

/* QEMU's first phandle when -machine phandle-start is not given. */
#define MICROVM_DT_PHANDLE_START 0x8000

/*
 * Builds the tree for the machine described by info; returns a g_malloc'd
 * blob of MICROVM_DT_SIZE bytes (*size set to it), or NULL with QEMU's
 * error when libfdt fails: two ISA devices at one base make the same
 * node ("qemu_fdt_add_subnode: Failed to create subnode /serial@3f8:
 * FDT_ERR_EXISTS").
 */
void *microvm_dt_build(const X86MachineInfo *info, size_t *size,
                       Error **errp);

#endif
