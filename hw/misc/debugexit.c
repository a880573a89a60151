/*
 * isa-debug-exit: writing v to its ports ends the program with status
 * (v << 1) | 1, so test guests can report pass/fail through the exit code.
 * As QEMU 7.2 hw/misc/debugexit.c (debug_exit_write, debug_exit_read
 * returns 0, accesses of 1 to 4 bytes, iobase 0x501, iosize 2).
 */
#include "qemu/osdep.h"
#include "hw/misc/debugexit.h"
#include "system/runstate.h"

static uint64_t debug_exit_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

static void debug_exit_write(void *opaque, uint64_t addr, uint64_t val,
                             unsigned size)
{
    ISADebugExitState *d = opaque;

    /* exit() keeps the low 8 bits; doing it here avoids int overflow. */
    d->exit_fn((int)(((val << 1) | 1) & 0xff));
}

const MemoryRegionOps debug_exit_ops = {
    .read = debug_exit_read,
    .write = debug_exit_write,
    .valid.min_access_size = 1,     /* QEMU 7.2's debug_exit_ops */
    .valid.max_access_size = 4,
};

static void debug_exit_instance_init(Object *obj)
{
    ISA_DEBUG_EXIT_DEVICE(obj)->exit_fn = qemu_system_exit_request;
}

static void debug_exit_realize(DeviceState *dev, Error **errp)
{
    ISADebugExitState *d = ISA_DEBUG_EXIT_DEVICE(dev);

    /*
     * QEMU maps its region at the 32-bit iobase itself (not through the
     * 16-bit isa_register_ioport): ports past 0xffff cannot be reached.
     */
    if (d->iobase > 0xffff) {
        return;
    }
    isa_register_ioport(ISA_DEVICE(dev), d->iobase, d->iosize,
                        &debug_exit_ops, d, TYPE_ISA_DEBUG_EXIT_DEVICE);
}

static const Property debug_exit_properties[] = {
    DEFINE_PROP_UINT32("iobase", ISADebugExitState, iobase, 0x501, ""),
    DEFINE_PROP_UINT32("iosize", ISADebugExitState, iosize, 0x02, ""),
    DEFINE_PROP_END_OF_LIST()
};

static void debug_exit_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = debug_exit_realize;
    dc->user_creatable = true;
    dc->bus_type = "ISA";
    dc->categories = 1u << DEVICE_CATEGORY_MISC;
    object_class_add_properties(klass, debug_exit_properties);
}

static const TypeInfo debug_exit_info = {
    .name = TYPE_ISA_DEBUG_EXIT_DEVICE,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(ISADebugExitState),
    .instance_init = debug_exit_instance_init,
    .class_init = debug_exit_class_init,
};

void debugexit_register_types(void)
{
    type_register_static(&debug_exit_info);
}
