/*
 * Every type of the program, registered in one explicit order (parents
 * before children) instead of constructor priorities.
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "hw/core/qdev.h"
#include "hw/char/serial.h"
#include "hw/char/virtio-serial.h"
#include "hw/i386/microvm.h"
#include "hw/misc/debugexit.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-rng.h"
#include "hw/nvram/fw_cfg.h"
#include "net/clients.h"
#include "net/hub.h"
#include "net/slirp.h"
#include "system/system.h"
#include "system/hostmem.h"
#include "system/iothread.h"
#include "system/rng.h"
#include "hw/acpi/generic_event_device.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-net.h"

void microqemu_register_types(void)
{
    qdev_register_types();
    chardev_register_types();
    fw_cfg_register_types();
    serial_register_types();
    debugexit_register_types();
    acpi_ged_register_types();
    mc146818rtc_register_types();
    virtio_register_types();
    virtio_mmio_register_types();
    virtio_rng_register_types();
    virtio_blk_register_types();
    virtio_net_register_types();
    virtio_serial_register_types();
    virtio_console_register_types();
    ioapic_register_types();
    i8259_register_types();
    i8254_register_types();
    microvm_register_types();
    object_add_register_types();
    hostmem_register_types();
    rng_register_types();
    iothread_register_types();
    /* network backends (-netdev TYPE), in QEMU's show_netdevs order */
    net_socket_register();
    net_stream_register();
    net_dgram_register();
    net_hub_register();
    net_tap_register();
    net_slirp_register();
}
