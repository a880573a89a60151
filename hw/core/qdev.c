/*
 * Devices: realize, reset and teardown, and the abstract device types.
 *
 * Matches QEMU 7.2's hw/core/qdev.c (device_set_realized: realize, then
 * reset for cold-plugged devices) and hw/core/reset.c (handlers run in
 * registration order); sysbus and ISA base types as hw/core/sysbus.c and
 * hw/isa/isa-bus.c declare them.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev.h"

static GPtrArray *realized_devices;    /* of DeviceState*, realize order */
static GPtrArray *buses;               /* of BusState*, creation order */

/* Every port and MMIO range is the device's: gone with it. */
static void device_unmap_all(DeviceState *dev)
{
    address_space_unmap_owner(&address_space_io, dev);
    address_space_unmap_owner(&address_space_memory, dev);
}

bool qdev_realize(DeviceState *dev, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    Error *err = object_take_pending_error(OBJECT(dev));

    g_assert(!dev->realized);
    /* A -global that failed at creation: QEMU exits right there */
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    /* QEMU's isa_new(): an ISA device the board makes sits on the bus */
    if (!dev->parent_bus && isa_bus_get() &&
        object_dynamic_cast(OBJECT(dev), TYPE_ISA_DEVICE)) {
        dev->parent_bus = &isa_bus_get()->bus;
    }
    if (dev->parent_bus && qbus_is_full(dev->parent_bus)) {
        error_setg(errp, "Bus '%s' is full", dev->parent_bus->name);
        return false;
    }
    if (dc->realize) {
        dc->realize(dev, &err);
        if (err) {
            device_unmap_all(dev);
            error_propagate(errp, err);
            return false;
        }
    }
    dev->realized = true;
    if (dev->parent_bus) {
        dev->parent_bus->num_children++;
    }
    if (!realized_devices) {
        realized_devices = g_ptr_array_new();
    }
    g_ptr_array_add(realized_devices, object_ref(OBJECT(dev)));
    device_reset(dev);
    return true;
}

bool qdev_realize_and_unref(DeviceState *dev, Error **errp)
{
    bool ok = qdev_realize(dev, errp);

    object_unref(OBJECT(dev));
    return ok;
}

void device_reset(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dc->reset) {
        dc->reset(dev);
    }
}

void qdev_reset_all(void)
{
    guint i;

    for (i = 0; realized_devices && i < realized_devices->len; i++) {
        device_reset(g_ptr_array_index(realized_devices, i));
    }
}

static void device_unrealize(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (dc->unrealize) {
        dc->unrealize(dev);
    }
    device_unmap_all(dev);
    if (dev->parent_bus) {
        dev->parent_bus->num_children--;
    }
    dev->realized = false;
}

void qdev_unrealize(DeviceState *dev)
{
    g_assert(dev->realized);
    g_assert(g_ptr_array_remove(realized_devices, dev));
    device_unrealize(dev);
    object_unref(OBJECT(dev));
}

/* Reverse order: a device may use what an earlier one set up. */
void qdev_unrealize_all(void)
{
    DeviceState *dev;

    while (realized_devices && realized_devices->len) {
        dev = g_ptr_array_steal_index(realized_devices,
                                      realized_devices->len - 1);
        device_unrealize(dev);
        object_unref(OBJECT(dev));
    }
}

/* ---- Buses ------------------------------------------------------------- */

void qbus_init(BusState *bus, const char *typename, const char *bus_type,
               const char *name, unsigned max_dev, DeviceState *parent)
{
    *bus = (BusState) {
        .typename = typename, .bus_type = bus_type, .name = g_strdup(name),
        .max_dev = max_dev, .parent = parent,
    };
    if (!buses) {
        buses = g_ptr_array_new();
    }
    g_ptr_array_add(buses, bus);
}

void qbus_cleanup(BusState *bus)
{
    if (buses) {
        g_ptr_array_remove(buses, bus);
    }
    g_free(bus->name);
    bus->name = NULL;
}

bool qbus_is_full(const BusState *bus)
{
    return bus->max_dev && bus->num_children >= bus->max_dev;
}

BusState *qbus_find_by_name(const char *name)
{
    for (guint i = buses ? buses->len : 0; i-- > 0;) {
        BusState *bus = g_ptr_array_index(buses, i);

        if (strcmp(bus->name, name) == 0) {
            return bus;
        }
    }
    return NULL;
}

GPtrArray *qbus_children(const BusState *bus)
{
    GPtrArray *kids = g_ptr_array_new();

    for (guint i = realized_devices ? realized_devices->len : 0; i-- > 0;) {
        DeviceState *dev = g_ptr_array_index(realized_devices, i);

        if (dev->parent_bus == bus) {
            g_ptr_array_add(kids, dev);
        }
    }
    return kids;
}

BusState *qbus_find_by_type(const char *bus_type)
{
    BusState *pick = NULL;

    for (guint i = buses ? buses->len : 0; i-- > 0;) {
        BusState *bus = g_ptr_array_index(buses, i);

        if (strcmp(bus->bus_type, bus_type) != 0) {
            continue;
        }
        if (!qbus_is_full(bus)) {
            return bus;
        }
        if (!pick) {
            pick = bus;
        }
    }
    return pick;
}

/*
 * The device list holds a reference to every realized device, so a
 * realized device reaching its last unref means someone dropped a
 * reference they did not own (e.g. a pointer borrowed from fw_cfg_new).
 */
static void device_finalize(Object *obj)
{
    g_assert(!DEVICE(obj)->realized);
}

static void device_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    /* QEMU's device_class_init: user-creatable unless a type says not */
    dc->user_creatable = true;
}

static void sys_bus_device_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    /* QEMU 7.2 sysbus: only types that opt in may appear in -device */
    dc->user_creatable = false;
}

static void isa_device_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->bus_type = "ISA";
}

static const TypeInfo device_type_info = {
    .name = TYPE_DEVICE,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(DeviceState),
    .instance_finalize = device_finalize,
    .abstract = true,
    .class_size = sizeof(DeviceClass),
    .class_init = device_class_init,
};

static const TypeInfo sys_bus_device_type_info = {
    .name = TYPE_SYS_BUS_DEVICE,
    .parent = TYPE_DEVICE,
    .abstract = true,
    .class_init = sys_bus_device_class_init,
};

static const TypeInfo isa_device_type_info = {
    .name = TYPE_ISA_DEVICE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(ISADevice),
    .abstract = true,
    .class_init = isa_device_class_init,
};

void qdev_register_types(void)
{
    type_register_static(&device_type_info);
    type_register_static(&sys_bus_device_type_info);
    type_register_static(&isa_device_type_info);
}
