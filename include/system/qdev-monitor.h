/*
 * Device creation from options, shared by -device and (later) QMP's
 * device_add: QEMU 7.2 softmmu/qdev-monitor.c qdev_device_add().
 */
#ifndef SYSTEM_QDEV_MONITOR_H
#define SYSTEM_QDEV_MONITOR_H

#include "qemu/option.h"
#include "hw/core/qdev.h"

/*
 * Creates, configures and realizes the device opts describe (driver=,
 * bus=, id=, properties). The device plugs into bus=NAME, or else into
 * the first bus of its type with room, newest first (QEMU's
 * qbus_find_recursive: on microvm the last virtio-mmio transport).
 * Errors in QEMU 7.2's words; on failure nothing is left behind (no
 * object, id, mapping). The device list owns the device: the pointer
 * returned is borrowed.
 */
DeviceState *qdev_device_add(QemuOpts *opts, Error **errp);

#endif
