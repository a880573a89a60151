/*
 * virtserialport and virtconsole: a virtio-serial port on a chardev, as
 * QEMU 7.2's hw/char/virtio-console.c.
 *
 * Guest output goes to the chardev without blocking; what it does not
 * take stays in the guest's request (the port throttles) until the
 * chardev's watch says it takes more. QEMU drops a virtconsole's
 * leftover instead (its comment: the Linux hvc driver writes with
 * spinlocks held); here neither kind loses bytes while the chardev
 * lives, and bytes go only when it cannot ever take them (no watch).
 *
 * Host input is read only as far as the guest posted buffers (can_read).
 * A virtserialport is open while its chardev is (CHR_EVENT_OPENED and
 * _CLOSED, or an already open one at realize); a virtconsole is always
 * open, as QEMU's.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/char/virtio-serial.h"

static gboolean chr_write_unblocked(GIOCondition cond, void *opaque)
{
    VirtConsole *vcon = opaque;

    vcon->watch = 0;
    virtio_serial_throttle_port(VIRTIO_SERIAL_PORT(vcon), false);
    return G_SOURCE_REMOVE;
}

/* QEMU's flush_buf: guest output for the chardev. */
static ssize_t flush_buf(VirtIOSerialPort *port, const uint8_t *buf,
                         size_t len)
{
    VirtConsole *vcon = VIRTIO_CONSOLE(port);
    int chunk = MIN(len, (size_t)INT_MAX);
    int ret;

    if (!vcon->chr.chr) {
        return len;     /* no backend: consumed, as QEMU */
    }
    ret = qemu_chr_fe_write(&vcon->chr, buf, chunk);
    if (ret < 0 && errno != EAGAIN) {
        return len;     /* the backend lost them: nothing to wait for */
    }
    if (ret < 0) {
        ret = 0;
    }
    if ((size_t)ret < len) {
        if (!vcon->watch) {
            vcon->watch = qemu_chr_fe_add_watch(&vcon->chr,
                                                G_IO_OUT | G_IO_HUP,
                                                chr_write_unblocked, vcon);
        }
        if (!vcon->watch) {
            return len; /* nothing will ever take them: dropped */
        }
        virtio_serial_throttle_port(port, true);
    }
    return ret;
}

/*
 * The guest opened or closed the port. QEMU tells a virtserialport's
 * chardev (qemu_chr_fe_set_open) and sends a VSERPORT_CHANGE event;
 * neither the chardev layer nor a QMP monitor here has a use for it.
 */
static void set_guest_connected(VirtIOSerialPort *port, bool connected)
{
}

static void guest_writable(VirtIOSerialPort *port)
{
    qemu_chr_fe_accept_input(&VIRTIO_CONSOLE(port)->chr);
}

static int chr_can_read(void *opaque)
{
    return virtio_serial_guest_ready(VIRTIO_SERIAL_PORT(opaque));
}

static void chr_read(void *opaque, const uint8_t *buf, int size)
{
    virtio_serial_write(VIRTIO_SERIAL_PORT(opaque), buf, size);
}

static void chr_event(void *opaque, QEMUChrEvent event)
{
    VirtConsole *vcon = opaque;
    VirtIOSerialPort *port = VIRTIO_SERIAL_PORT(vcon);

    switch (event) {
    case CHR_EVENT_OPENED:
        virtio_serial_open(port);
        break;
    case CHR_EVENT_CLOSED:
        if (vcon->watch) {
            g_source_remove(vcon->watch);
            vcon->watch = 0;
        }
        virtio_serial_close(port);
        break;
    default:
        break;
    }
}

/*
 * No error of its own: the property code then says "Property
 * 'TYPE.chardev' can't find value 'ID'" with the device's own type, as
 * QEMU's set_chr for virtconsole and virtserialport.
 */
static Object *virtconsole_resolve_chardev(const char *id, Error **errp)
{
    Chardev *chr = qemu_chr_find(id);

    return chr ? OBJECT(chr) : NULL;
}

static void virtconsole_realize(VirtIOSerialPort *port, Error **errp)
{
    VirtConsole *vcon = VIRTIO_CONSOLE(port);
    VirtIOSerialPortClass *k = VIRTIO_SERIAL_PORT_GET_CLASS(port);
    const char *type = object_get_typename(OBJECT(port));

    if (port->id == 0 && !k->is_console) {
        error_setg(errp, "Port number 0 on virtio-serial devices reserved "
                   "for virtconsole devices for backward compatibility.");
        return;
    }
    if (!vcon->chardev) {
        return;
    }
    if (!qemu_chr_fe_init(&vcon->chr, CHARDEV(vcon->chardev), errp)) {
        error_prepend(errp, "Property '%s.chardev' can't take value '%s': ",
                      type, CHARDEV(vcon->chardev)->label);
        return;
    }
    /*
     * A console does not wait for the host side to connect: its output
     * goes wherever the chardev sends it. A serial port follows the
     * chardev's open state (QEMU's set_handlers with sync_state).
     */
    if (k->is_console) {
        qemu_chr_fe_set_handlers(&vcon->chr, chr_can_read, chr_read, vcon);
        virtio_serial_open(port);
    } else {
        qemu_chr_fe_set_event_handler(&vcon->chr, chr_event);
        qemu_chr_fe_set_handlers(&vcon->chr, chr_can_read, chr_read, vcon);
        if (qemu_chr_fe_backend_open(&vcon->chr)) {
            virtio_serial_open(port);
        }
    }
}

static void virtconsole_unrealize(VirtIOSerialPort *port)
{
    VirtConsole *vcon = VIRTIO_CONSOLE(port);

    if (vcon->watch) {
        g_source_remove(vcon->watch);
        vcon->watch = 0;
    }
    qemu_chr_fe_deinit(&vcon->chr);
}

static const Property virtserialport_properties[] = {
    DEFINE_PROP_LINK("chardev", VirtConsole, chardev, TYPE_CHARDEV,
                     virtconsole_resolve_chardev,
                     "ID of a chardev to use as a backend"),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtserialport_class_init(ObjectClass *oc, void *data)
{
    VirtIOSerialPortClass *k = VIRTIO_SERIAL_PORT_CLASS(oc);

    k->realize = virtconsole_realize;
    k->unrealize = virtconsole_unrealize;
    k->have_data = flush_buf;
    k->set_guest_connected = set_guest_connected;
    k->guest_writable = guest_writable;
    object_class_add_properties(oc, virtserialport_properties);
}

static void virtconsole_class_init(ObjectClass *oc, void *data)
{
    VirtIOSerialPortClass *k = VIRTIO_SERIAL_PORT_CLASS(oc);

    k->is_console = true;
}

static const TypeInfo virtserialport_info = {
    .name = TYPE_VIRTSERIALPORT,
    .parent = TYPE_VIRTIO_SERIAL_PORT,
    .instance_size = sizeof(VirtConsole),
    .class_init = virtserialport_class_init,
};

static const TypeInfo virtconsole_info = {
    .name = TYPE_VIRTCONSOLE,
    .parent = TYPE_VIRTSERIALPORT,
    .class_init = virtconsole_class_init,
};

void virtio_console_register_types(void)
{
    type_register_static(&virtserialport_info);
    type_register_static(&virtconsole_info);
}
