/*
 * qdev_device_add: one device from its options, for -device and (later)
 * device_add. Source of truth: QEMU 7.2 softmmu/qdev-monitor.c
 * (qdev_get_device_class, qbus_find, qbus_find_recursive,
 * qdev_device_add_from_qdict) and their error messages.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/qdev-monitor.h"

/*
 * Device models QEMU 7.2 has for microvm that later issues implement:
 * refused by name until then rather than called unknown.
 */
static bool is_later_device(const char *driver)
{
    static const char *const later[] = {
        "virtio-net-device",
        "virtio-balloon-device", "virtio-scsi-device", "virtio-9p-device",
        "vhost-user-fs-device", "vhost-vsock-device", "vhost-user-blk",
        "virtio-gpu-device", "virtio-input-host-device",
        "virtio-keyboard-device", "virtio-mouse-device",
    };

    for (size_t i = 0; i < ARRAY_SIZE(later); i++) {
        if (strcmp(driver, later[i]) == 0) {
            return true;
        }
    }
    /* PCI devices need the pcie=on machine (a later issue too) */
    return g_str_has_suffix(driver, "-pci");
}

/* QEMU's qdev_get_device_class(). */
static DeviceClass *qdev_get_device_class(const char *driver, Error **errp)
{
    ObjectClass *oc = object_class_by_name(driver);
    DeviceClass *dc;

    if (!oc && is_later_device(driver)) {
        error_setg(errp, "device '%s' is not supported by microqemu yet",
                   driver);
        return NULL;
    }
    if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE) ||
        object_class_is_abstract(oc)) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return NULL;
    }
    dc = DEVICE_CLASS(oc);
    if (!dc->user_creatable) {
        error_setg(errp, "Parameter 'driver' expects a pluggable device type");
        return NULL;
    }
    return dc;
}

/* QEMU's qbus_find() for a plain bus name. */
static BusState *qdev_find_bus(const char *name, Error **errp)
{
    BusState *bus = qbus_find_by_name(name);

    if (!bus) {
        error_setg(errp, "Bus '%s' not found", name);
        return NULL;
    }
    if (qbus_is_full(bus)) {
        error_setg(errp, "Bus '%s' is full", name);
        return NULL;
    }
    return bus;
}

static BusState *qdev_pick_bus(DeviceClass *dc, const char *driver,
                               const char *path, Error **errp)
{
    BusState *bus;

    if (path) {
        bus = qdev_find_bus(path, errp);
        if (bus && (!dc->bus_type || strcmp(bus->bus_type, dc->bus_type))) {
            error_setg(errp, "Device '%s' can't go on %s bus", driver,
                       bus->typename);
            return NULL;
        }
        return bus;
    }
    if (!dc->bus_type) {
        return NULL;
    }
    bus = qbus_find_by_type(dc->bus_type);
    if (!bus || qbus_is_full(bus)) {
        error_setg(errp, "No '%s' bus found for device '%s'", dc->bus_type,
                   driver);
        return NULL;
    }
    return bus;
}

static int set_device_property(void *opaque, const char *name,
                               const char *value, Error **errp)
{
    if (strcmp(name, "driver") == 0 || strcmp(name, "bus") == 0) {
        return 0;
    }
    return object_property_parse(opaque, name, value, errp) ? 0 : -1;
}

DeviceState *qdev_device_add(QemuOpts *opts, Error **errp)
{
    const char *driver = qemu_opt_get(opts, "driver");
    const char *path = qemu_opt_get(opts, "bus");
    const char *id = qemu_opts_id(opts);
    DeviceClass *dc;
    BusState *bus;
    Error *err = NULL;
    Object *obj;

    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    dc = qdev_get_device_class(driver, errp);
    if (!dc) {
        return NULL;
    }
    bus = qdev_pick_bus(dc, driver, path, &err);
    if (err) {
        error_propagate(errp, err);
        return NULL;
    }

    obj = object_new(driver);
    DEVICE(obj)->parent_bus = bus;
    /* As QEMU: the id is taken before the properties are set. */
    if (id && !object_add_with_id("devices", id, obj, errp)) {
        object_unref(obj);
        return NULL;
    }
    if (qemu_opt_foreach(opts, set_device_property, obj, errp) ||
        !qdev_realize(DEVICE(obj), errp)) {
        if (id) {
            object_remove_id("devices", id);
        }
        object_unref(obj);
        return NULL;
    }
    object_unref(obj);
    return DEVICE(obj);
}
