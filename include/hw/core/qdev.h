/*
 * Devices: objects with realize and reset, and the ISA bus they sit on.
 *
 * As QEMU's DeviceState/DeviceClass: properties are set between
 * object_new() and qdev_realize(); realize validates them and may fail
 * with an Error; reset puts every guest-visible register back to its
 * power-on value and is called on each machine reset (after realize, and
 * on a guest reboot).
 */
#ifndef HW_CORE_QDEV_H
#define HW_CORE_QDEV_H

#include "qom/object.h"
#include "hw/irq.h"
#include "system/memory.h"

#define TYPE_DEVICE "device"
#define TYPE_SYS_BUS_DEVICE "sys-bus-device"
#define TYPE_ISA_DEVICE "isa-device"

typedef enum DeviceCategory {
    DEVICE_CATEGORY_BRIDGE,
    DEVICE_CATEGORY_USB,
    DEVICE_CATEGORY_STORAGE,
    DEVICE_CATEGORY_NETWORK,
    DEVICE_CATEGORY_INPUT,
    DEVICE_CATEGORY_DISPLAY,
    DEVICE_CATEGORY_SOUND,
    DEVICE_CATEGORY_MISC,
    DEVICE_CATEGORY_CPU,
    DEVICE_CATEGORY_WATCHDOG,
    DEVICE_CATEGORY_MAX
} DeviceCategory;

typedef struct BusState BusState;

typedef struct DeviceState {
    Object parent_obj;
    bool realized;
    BusState *parent_bus;       /* set before realize; NULL: system bus */
} DeviceState;

/*
 * A bus devices plug into (QEMU's BusState, without the object tree):
 * the ISA bus, a virtio-mmio transport's one-device slot. The owner
 * registers it; -device finds it by name (bus=NAME) or by type.
 */
struct BusState {
    const char *typename;       /* "virtio-mmio-bus", printed in errors */
    const char *bus_type;       /* what DeviceClass.bus_type matches */
    char *name;                 /* "virtio-mmio-bus.3" */
    unsigned max_dev;           /* 0: no limit */
    unsigned num_children;
    DeviceState *parent;        /* the device that provides it, or NULL */
};

typedef struct DeviceClass {
    ObjectClass parent_class;
    const char *desc;
    uint32_t categories;        /* bit mask of 1 << DeviceCategory */
    bool user_creatable;        /* may appear in -device */
    const char *bus_type;       /* e.g. "ISA"; NULL for the system bus */
    void (*realize)(DeviceState *dev, Error **errp);
    void (*reset)(DeviceState *dev);
    void (*unrealize)(DeviceState *dev);
} DeviceClass;

#define DEVICE(obj) OBJECT_CHECK(DeviceState, (obj), TYPE_DEVICE)
#define DEVICE_CLASS(klass) \
    OBJECT_CLASS_CHECK(DeviceClass, (klass), TYPE_DEVICE)
#define DEVICE_GET_CLASS(obj) OBJECT_GET_CLASS(DeviceClass, (obj), TYPE_DEVICE)

/*
 * Realizes dev and adds it to the machine's reset list (in creation order,
 * so reset runs in the same order as realize). The list takes a reference
 * of its own; the caller still owns the one object_new() gave it.
 */
bool qdev_realize(DeviceState *dev, Error **errp);
/*
 * As QEMU's qdev_realize_and_unref: realizes dev and drops the caller's
 * reference from object_new(), success or not. On success the device
 * list's reference keeps dev alive until qdev_unrealize_all(), so the
 * caller's pointer is borrowed; on failure dev is gone.
 */
bool qdev_realize_and_unref(DeviceState *dev, Error **errp);
void device_reset(DeviceState *dev);
/* Resets every realized device, in realize order. */
void qdev_reset_all(void);
/*
 * Unrealizes dev (its unrealize hook, then every port and MMIO range it
 * owns is unmapped) and drops the device list's reference.
 */
void qdev_unrealize(DeviceState *dev);
/* Unrealizes and drops every realized device (teardown and tests). */
void qdev_unrealize_all(void);

/* ---- Buses ------------------------------------------------------------- */

/*
 * Makes bus findable (name is copied). Searches see the newest bus
 * first: QEMU's sysbus keeps its children newest first, so its
 * qbus_find_recursive() offers the last-created virtio-mmio transport
 * first.
 */
void qbus_init(BusState *bus, const char *typename, const char *bus_type,
               const char *name, unsigned max_dev, DeviceState *parent);
void qbus_cleanup(BusState *bus);
bool qbus_is_full(const BusState *bus);
BusState *qbus_find_by_name(const char *name);
/*
 * The realized devices on bus, newest first, as QEMU's bus->children
 * (bus_add_child inserts at the head). The array is the caller's.
 */
GPtrArray *qbus_children(const BusState *bus);
/* The newest bus of bus_type with room; else the newest full one; NULL. */
BusState *qbus_find_by_type(const char *bus_type);

/* ---- ISA --------------------------------------------------------------- */

/*
 * The ISA bus: 16 IRQ lines (ISA IRQ n = GSI n on microvm) and the port
 * I/O space. The board creates it once and hands the IRQ lines in.
 */
typedef struct ISABus {
    BusState bus;               /* "isa.0" */
    qemu_irq irqs[16];
} ISABus;

typedef struct ISADevice {
    DeviceState parent_obj;
} ISADevice;

#define ISA_DEVICE(obj) OBJECT_CHECK(ISADevice, (obj), TYPE_ISA_DEVICE)

void isa_bus_init(qemu_irq *irqs);
/* Forgets the ISA bus (machine teardown, tests). */
void isa_bus_cleanup(void);
ISABus *isa_bus_get(void);      /* NULL when the board made none */
/* The ISA bus's line isairq (0..15). */
qemu_irq isa_get_irq(int isairq);
/*
 * Maps ports owned by dev (unmapped when dev is unrealized). As QEMU
 * 7.2's isa_register_ioport() the base is 16 bits; the range is cut at
 * the end of the port space, where QEMU's 64 KiB I/O region ends.
 */
void isa_register_ioport(ISADevice *dev, uint16_t base, uint64_t size,
                         const MemoryRegionOps *ops, void *opaque,
                         const char *name);

void qdev_register_types(void);

#endif
