/*
 * virtio-serial-device and its virtio-serial-bus, as QEMU 7.2's
 * hw/char/virtio-serial-bus.c: MULTIPORT with the control queues
 * (virtio 1.2, 5.3.6.2), up to max_ports ports (31), the emergency write
 * register (EMERG_WRITE, 5.3.4), QEMU's queue layout and sizes, port
 * numbering (a console takes id 0 when free; id 0 is otherwise reserved)
 * and its error texts.
 *
 * Guest output is handed to the port's have_data; a port that cannot
 * take it all throttles itself, and the descriptor stays popped and
 * unpushed (port->elem, with the place reached) until the rest went out.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/char/virtio-serial.h"

#define VSER_MAP_WORDS(n) (((n) + 31) / 32)

/* Every virtio-serial-device, for the machine-wide port name check. */
static GPtrArray *vser_devices;
/* QEMU's BusClass automatic_ids for "virtio-serial-bus.N" */
static unsigned vser_bus_automatic_id;

static VirtIOSerialPort *find_port_by_id(VirtIOSerial *vser, uint32_t id)
{
    if (id >= vser->max_ports) {
        return NULL;
    }
    return vser->port_by_id[id];
}

/* Queue index to port without a search (the kick path): see the header. */
static VirtIOSerialPort *find_port_by_vq(VirtIOSerial *vser, VirtQueue *vq)
{
    unsigned n = vq->queue_index;

    if (n == 2 || n == 3) {
        return NULL;
    }
    return find_port_by_id(vser, n < 2 ? 0 : n / 2 - 1);
}

static VirtIOSerialPort *find_port_by_name(const char *name)
{
    for (guint i = 0; vser_devices && i < vser_devices->len; i++) {
        VirtIOSerial *vser = g_ptr_array_index(vser_devices, i);

        for (guint j = 0; j < vser->ports->len; j++) {
            VirtIOSerialPort *port = g_ptr_array_index(vser->ports, j);

            if (port->name && strcmp(port->name, name) == 0) {
                return port;
            }
        }
    }
    return NULL;
}

static VirtIOSerialPort *find_first_connected_console(VirtIOSerial *vser)
{
    for (guint i = 0; i < vser->ports->len; i++) {
        VirtIOSerialPort *port = g_ptr_array_index(vser->ports, i);

        if (VIRTIO_SERIAL_PORT_GET_CLASS(port)->is_console &&
            port->host_connected) {
            return port;
        }
    }
    return NULL;
}

static bool use_multiport(VirtIOSerial *vser)
{
    return virtio_vdev_has_feature(VIRTIO_DEVICE(vser),
                                   VIRTIO_CONSOLE_F_MULTIPORT);
}

/* QEMU's write_to_port: as many posted buffers as the bytes fill. */
static size_t write_to_port(VirtIOSerialPort *port, const uint8_t *buf,
                            size_t size)
{
    VirtQueue *vq = port->ivq;
    size_t offset = 0;

    if (!virtio_queue_ready(vq)) {
        return 0;
    }
    while (offset < size) {
        VirtQueueElement *elem = virtqueue_pop(vq, sizeof(*elem));
        size_t len;

        if (!elem) {
            break;
        }
        len = iov_from_buf(elem->in_sg, elem->in_num, 0, buf + offset,
                           size - offset);
        offset += len;
        virtqueue_push(vq, elem, len);
        g_free(elem);
    }
    virtio_notify(VIRTIO_DEVICE(port->vser), vq);
    return offset;
}

/* QEMU's discard_vq_data: every request consumed, nothing read. */
static void discard_vq_data(VirtQueue *vq, VirtIODevice *vdev)
{
    VirtQueueElement *elem;

    if (!virtio_queue_ready(vq)) {
        return;
    }
    while ((elem = virtqueue_pop(vq, sizeof(*elem)))) {
        virtqueue_push(vq, elem, 0);
        g_free(elem);
    }
    virtio_notify(vdev, vq);
}

/*
 * QEMU's discard_throttle_data (virtqueue_detach_element): the held
 * request is forgotten, not returned; only reached on a reset or a host
 * close, where the guest gets no used entry for it either.
 */
static void discard_throttle_data(VirtIOSerialPort *port)
{
    if (port->elem) {
        if (port->ovq->inuse) {     /* 0 if the queue was reset meanwhile */
            port->ovq->inuse--;
        }
        g_clear_pointer(&port->elem, g_free);
    }
}

/* QEMU's do_flush_queued_data */
static void do_flush_queued_data(VirtIOSerialPort *port, VirtQueue *vq,
                                 VirtIODevice *vdev)
{
    VirtIOSerialPortClass *vsc = VIRTIO_SERIAL_PORT_GET_CLASS(port);

    while (!port->throttled) {
        unsigned i;

        /* A request left mid-way is finished before the next is taken */
        if (!port->elem) {
            port->elem = virtqueue_pop(vq, sizeof(*port->elem));
            if (!port->elem) {
                break;
            }
            port->iov_idx = 0;
            port->iov_offset = 0;
        }
        for (i = port->iov_idx; i < port->elem->out_num; i++) {
            size_t buf_size = port->elem->out_sg[i].iov_len -
                              port->iov_offset;
            ssize_t ret;

            ret = vsc->have_data(port,
                                 (uint8_t *)port->elem->out_sg[i].iov_base +
                                 port->iov_offset, buf_size);
            if (!port->elem) {
                return;     /* the host side closed meanwhile */
            }
            if (port->throttled) {
                port->iov_idx = i;
                if (ret > 0) {
                    port->iov_offset += ret;
                }
                break;
            }
            port->iov_offset = 0;
        }
        if (port->throttled) {
            break;
        }
        virtqueue_push(vq, port->elem, 0);
        g_clear_pointer(&port->elem, g_free);
    }
    virtio_notify(vdev, vq);
}

static void flush_queued_data(VirtIOSerialPort *port)
{
    if (!virtio_queue_ready(port->ovq)) {
        return;
    }
    do_flush_queued_data(port, port->ovq, VIRTIO_DEVICE(port->vser));
}

/*
 * QEMU's send_control_msg: one posted control buffer, or the message is
 * lost (as QEMU: the driver posts them before DEVICE_READY).
 */
static size_t send_control_msg(VirtIOSerial *vser, const void *buf,
                               size_t len)
{
    VirtQueue *vq = vser->c_ivq;
    VirtQueueElement *elem;

    if (!virtio_queue_ready(vq)) {
        return 0;
    }
    elem = virtqueue_pop(vq, sizeof(*elem));
    if (!elem) {
        return 0;
    }
    iov_from_buf(elem->in_sg, elem->in_num, 0, buf, len);
    /* QEMU reports len as written even into a shorter buffer. */
    virtqueue_push(vq, elem, len);
    virtio_notify(VIRTIO_DEVICE(vser), vq);
    g_free(elem);
    return len;
}

static void ctrl_pack(uint8_t *buf, uint32_t id, uint16_t event,
                      uint16_t value)
{
    uint32_t le_id = GUINT32_TO_LE(id);
    uint16_t le_event = GUINT16_TO_LE(event);
    uint16_t le_value = GUINT16_TO_LE(value);

    memcpy(buf, &le_id, 4);
    memcpy(buf + 4, &le_event, 2);
    memcpy(buf + 6, &le_value, 2);
}

static size_t send_control_event(VirtIOSerial *vser, uint32_t port_id,
                                 uint16_t event, uint16_t value)
{
    uint8_t cpkt[VIRTIO_CONSOLE_CTRL_SIZE];

    ctrl_pack(cpkt, port_id, event, value);
    return send_control_msg(vser, cpkt, sizeof(cpkt));
}

void virtio_serial_open(VirtIOSerialPort *port)
{
    if (port->host_connected) {
        return;
    }
    port->host_connected = true;
    send_control_event(port->vser, port->id, VIRTIO_CONSOLE_PORT_OPEN, 1);
}

void virtio_serial_close(VirtIOSerialPort *port)
{
    port->host_connected = false;
    /* What the guest sent and the host side did not take is dropped. */
    port->throttled = false;
    discard_throttle_data(port);
    discard_vq_data(port->ovq, VIRTIO_DEVICE(port->vser));
    send_control_event(port->vser, port->id, VIRTIO_CONSOLE_PORT_OPEN, 0);
}

size_t virtio_serial_write(VirtIOSerialPort *port, const uint8_t *buf,
                           size_t size)
{
    if (!port->host_connected || !port->guest_connected) {
        return 0;
    }
    return write_to_port(port, buf, size);
}

size_t virtio_serial_guest_ready(VirtIOSerialPort *port)
{
    VirtIODevice *vdev;
    unsigned bytes;

    /* a port being realized has no queue yet (its chardev may already
     * ask: a stdio console's set_handlers polls at once) */
    if (!port->ivq) {
        return 0;
    }
    vdev = VIRTIO_DEVICE(port->vser);
    if (!virtio_queue_ready(port->ivq) ||
        !(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) ||
        virtio_queue_empty(port->ivq)) {
        return 0;
    }
    if (use_multiport(port->vser) && !port->guest_connected) {
        return 0;
    }
    virtqueue_get_avail_bytes(port->ivq, &bytes, NULL, 4096, 0);
    return bytes;
}

/*
 * QEMU resumes from a bottom half; the only caller that resumes is a
 * main-loop callback (the chardev's watch), so the flush runs right here.
 */
void virtio_serial_throttle_port(VirtIOSerialPort *port, bool throttle)
{
    port->throttled = throttle;
    if (!throttle && port->vser) {
        flush_queued_data(port);
    }
}

/*
 * The port may take input now: its chardev polls again (the chardev
 * stops reading while the port has no room, and QEMU's polls on every
 * main-loop iteration instead, so every change that can make room
 * calls this: buffers posted, the guest opening the port, DRIVER_OK).
 * virtio_serial_guest_ready() decides how much.
 */
static void port_poke_input(VirtIOSerialPort *port)
{
    VirtIOSerialPortClass *vsc = VIRTIO_SERIAL_PORT_GET_CLASS(port);

    if (port->host_connected && vsc->guest_writable) {
        vsc->guest_writable(port);
    }
}

/*
 * QEMU's handle_control_message. A guest's mistake is skipped and logged
 * with -d guest_errors in QEMU's words (QEMU prints them with
 * error_report, so a guest could flood stderr).
 */
static void handle_control_message(VirtIOSerial *vser, const uint8_t *buf,
                                   size_t len)
{
    VirtIOSerialPort *port;
    VirtIOSerialPortClass *vsc;
    uint32_t id;
    uint16_t event, value;

    if (len < VIRTIO_CONSOLE_CTRL_SIZE) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-serial-bus: control message "
                      "of %zu bytes, shorter than 8\n", len);
        return;
    }
    memcpy(&id, buf, 4);
    memcpy(&event, buf + 4, 2);
    memcpy(&value, buf + 6, 2);
    id = GUINT32_FROM_LE(id);
    event = GUINT16_FROM_LE(event);
    value = GUINT16_FROM_LE(value);

    if (event == VIRTIO_CONSOLE_DEVICE_READY) {
        if (!value) {
            qemu_log_mask(LOG_GUEST_ERROR, "virtio-serial-bus: Guest failure "
                          "in adding device %s\n", vser->bus.bus.name);
            return;
        }
        /* The driver is up: every port is announced, in plug order. */
        for (guint i = 0; i < vser->ports->len; i++) {
            port = g_ptr_array_index(vser->ports, i);
            send_control_event(vser, port->id, VIRTIO_CONSOLE_PORT_ADD, 1);
        }
        return;
    }

    port = find_port_by_id(vser, id);
    if (!port) {
        qemu_log_mask(LOG_GUEST_ERROR, "virtio-serial-bus: Unexpected port "
                      "id %u for device %s\n", id, vser->bus.bus.name);
        return;
    }
    vsc = VIRTIO_SERIAL_PORT_GET_CLASS(port);

    switch (event) {
    case VIRTIO_CONSOLE_PORT_READY:
        if (!value) {
            qemu_log_mask(LOG_GUEST_ERROR, "virtio-serial-bus: Guest failure "
                          "in adding port %u for device %s\n", port->id,
                          vser->bus.bus.name);
            break;
        }
        if (vsc->is_console) {
            send_control_event(vser, port->id, VIRTIO_CONSOLE_CONSOLE_PORT,
                               1);
        }
        if (port->name) {
            size_t name_len = strlen(port->name);
            g_autofree uint8_t *msg =
                g_malloc(VIRTIO_CONSOLE_CTRL_SIZE + name_len + 1);

            ctrl_pack(msg, port->id, VIRTIO_CONSOLE_PORT_NAME, 1);
            memcpy(msg + VIRTIO_CONSOLE_CTRL_SIZE, port->name, name_len + 1);
            send_control_msg(vser, msg, VIRTIO_CONSOLE_CTRL_SIZE +
                             name_len + 1);
        }
        if (port->host_connected) {
            send_control_event(vser, port->id, VIRTIO_CONSOLE_PORT_OPEN, 1);
        }
        break;
    case VIRTIO_CONSOLE_PORT_OPEN:
        port->guest_connected = value;
        if (vsc->set_guest_connected) {
            vsc->set_guest_connected(port, value);
        }
        if (value) {
            port_poke_input(port);
        }
        break;
    default:
        /* QEMU ignores the other events a driver may send. */
        break;
    }
}

static void control_in(VirtIODevice *vdev, VirtQueue *vq)
{
}

/*
 * QEMU's control_out. The scratch buffer grows to the largest message
 * seen, capped by what a chain can hold (virtqueue_pop checks it).
 */
static void control_out(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerial *vser = VIRTIO_SERIAL(vdev);
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq, sizeof(*elem)))) {
        size_t cur_len = iov_size(elem->out_sg, elem->out_num);

        if (cur_len > vser->ctrl_buf_len) {
            g_free(vser->ctrl_buf);
            vser->ctrl_buf = g_malloc(cur_len);
            vser->ctrl_buf_len = cur_len;
        }
        iov_to_buf(elem->out_sg, elem->out_num, 0, vser->ctrl_buf, cur_len);
        handle_control_message(vser, vser->ctrl_buf, cur_len);
        virtqueue_push(vq, elem, 0);
        g_free(elem);
    }
    virtio_notify(vdev, vq);
}

/* The guest wrote to a port (QEMU's handle_output). */
static void handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPort *port = find_port_by_vq(VIRTIO_SERIAL(vdev), vq);

    if (!port || !port->host_connected) {
        discard_vq_data(vq, vdev);
        return;
    }
    if (!port->throttled) {
        do_flush_queued_data(port, vq, vdev);
    }
}

/* The guest posted receive buffers (QEMU's handle_input). */
static void handle_input(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSerialPort *port = find_port_by_vq(VIRTIO_SERIAL(vdev), vq);

    if (port) {
        port_poke_input(port);
    }
}

static uint64_t vser_get_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIOSerial *vser = VIRTIO_SERIAL(vdev);

    if (vser->emergency_write) {
        features |= 1ULL << VIRTIO_CONSOLE_F_EMERG_WRITE;
    }
    if (vser->max_ports > 1) {
        features |= 1ULL << VIRTIO_CONSOLE_F_MULTIPORT;
    }
    return features;
}

/* cols and rows 0 (no F_SIZE); emerg_wr is whatever was last written. */
static void vser_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOSerial *vser = VIRTIO_SERIAL(vdev);
    uint32_t max = GUINT32_TO_LE(vser->max_ports);

    memset(config, 0, 4);
    memcpy(config + VIRTIO_CONSOLE_CFG_MAX_NR_PORTS, &max, 4);
}

/* QEMU's set_config: an emergency write goes to the first open console. */
static void vser_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOSerial *vser = VIRTIO_SERIAL(vdev);
    VirtIOSerialPort *port = find_first_connected_console(vser);
    uint32_t emerg_wr;
    uint8_t byte;

    if (!vser->emergency_write) {
        return;
    }
    memcpy(&emerg_wr, config + VIRTIO_CONSOLE_CFG_EMERG_WR, 4);
    if (!emerg_wr) {
        return;
    }
    byte = GUINT32_FROM_LE(emerg_wr);
    /* A later short config write must not repeat the character. */
    memset(vdev->config + VIRTIO_CONSOLE_CFG_EMERG_WR, 0, 4);
    if (port) {
        VIRTIO_SERIAL_PORT_GET_CLASS(port)->have_data(port, &byte, 1);
    }
}

/* QEMU's guest_reset: held output dropped, every port closed by the guest */
static void guest_reset(VirtIOSerial *vser)
{
    for (guint i = 0; i < vser->ports->len; i++) {
        VirtIOSerialPort *port = g_ptr_array_index(vser->ports, i);
        VirtIOSerialPortClass *vsc = VIRTIO_SERIAL_PORT_GET_CLASS(port);

        discard_throttle_data(port);
        if (port->guest_connected) {
            port->guest_connected = false;
            if (vsc->set_guest_connected) {
                vsc->set_guest_connected(port, false);
            }
        }
    }
}

static void vser_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIOSerial *vser = VIRTIO_SERIAL(vdev);
    VirtIOSerialPort *port = find_port_by_id(vser, 0);

    /*
     * A driver without MULTIPORT cannot say it opened port 0: it is open
     * once the driver is (QEMU's set_status).
     */
    if (port && !use_multiport(vser) &&
        (status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        port->guest_connected = true;
        port_poke_input(port);
    }
    if (!(status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        guest_reset(vser);
    }
}

static void vser_reset(VirtIODevice *vdev)
{
    guest_reset(VIRTIO_SERIAL(vdev));
}

static void mark_port_added(VirtIOSerial *vser, uint32_t id)
{
    vser->ports_map[id / 32] |= 1u << (id % 32);
}

/* The lowest id not taken (QEMU's find_free_port_id). */
static uint32_t find_free_port_id(VirtIOSerial *vser)
{
    for (uint32_t i = 0; i < VSER_MAP_WORDS(vser->max_ports); i++) {
        uint32_t map = ~vser->ports_map[i];

        if (map) {
            uint32_t id = i * 32 + __builtin_ctz(map);

            /* QEMU returns ids past max_ports here: refused as out of range */
            return id;
        }
    }
    return VIRTIO_CONSOLE_BAD_ID;
}

static void vser_realize(VirtIODevice *vdev, Error **errp)
{
    VirtIOSerial *vser = VIRTIO_SERIAL(vdev);
    DeviceState *dev = DEVICE(vdev);
    const char *id = OBJECT(vdev)->id;
    /* Each port takes two queues, the control pair one more */
    uint32_t max_supported = VIRTIO_QUEUE_MAX / 2 - 1;
    g_autofree char *bus_name = NULL;

    if (!vser->max_ports) {
        error_setg(errp, "Maximum number of serial ports not specified");
        return;
    }
    if (vser->max_ports > max_supported) {
        error_setg(errp, "maximum ports supported: %u", max_supported);
        return;
    }
    virtio_init(vdev, VIRTIO_ID_CONSOLE,
                vser->emergency_write ? VIRTIO_CONSOLE_CFG_SIZE :
                                        VIRTIO_CONSOLE_CFG_EMERG_WR);

    /* QEMU's qbus_init naming: "ID.0", or "virtio-serial-bus.N" */
    bus_name = id ? g_strdup_printf("%s.0", id) :
               g_strdup_printf("%s.%u", TYPE_VIRTIO_SERIAL_BUS,
                               vser_bus_automatic_id++);
    qbus_init(&vser->bus.bus, TYPE_VIRTIO_SERIAL_BUS, TYPE_VIRTIO_SERIAL_BUS,
              bus_name, 0, dev);
    vser->bus.vser = vser;
    vser->bus_inited = true;
    vser->ports = g_ptr_array_new();

    vser->ivqs = g_new(VirtQueue *, vser->max_ports);
    vser->ovqs = g_new(VirtQueue *, vser->max_ports);
    vser->port_by_id = g_new0(VirtIOSerialPort *, vser->max_ports);
    vser->ivqs[0] = virtio_add_queue(vdev, VIRTIO_SERIAL_DATA_QUEUE_SIZE,
                                     handle_input);
    vser->ovqs[0] = virtio_add_queue(vdev, VIRTIO_SERIAL_DATA_QUEUE_SIZE,
                                     handle_output);
    vser->c_ivq = virtio_add_queue(vdev, VIRTIO_SERIAL_CTRL_QUEUE_SIZE,
                                   control_in);
    vser->c_ovq = virtio_add_queue(vdev, VIRTIO_SERIAL_CTRL_QUEUE_SIZE,
                                   control_out);
    for (uint32_t i = 1; i < vser->max_ports; i++) {
        vser->ivqs[i] = virtio_add_queue(vdev, VIRTIO_SERIAL_DATA_QUEUE_SIZE,
                                         handle_input);
        vser->ovqs[i] = virtio_add_queue(vdev, VIRTIO_SERIAL_DATA_QUEUE_SIZE,
                                         handle_output);
    }
    vser->ports_map = g_new0(uint32_t, VSER_MAP_WORDS(vser->max_ports));
    /* Id 0 is kept for a console (old guests look for it there) */
    mark_port_added(vser, 0);

    if (!vser_devices) {
        vser_devices = g_ptr_array_new();
    }
    g_ptr_array_add(vser_devices, vser);
}

static void vser_unrealize(VirtIODevice *vdev)
{
    VirtIOSerial *vser = VIRTIO_SERIAL(vdev);

    if (!vser->bus_inited) {
        return;
    }
    /* Ports are unrealized first (reverse realize order); any left go */
    for (guint i = 0; i < vser->ports->len; i++) {
        VirtIOSerialPort *port = g_ptr_array_index(vser->ports, i);

        discard_throttle_data(port);
        port->plugged = false;
        port->vser = NULL;
    }
    g_ptr_array_remove(vser_devices, vser);
    qbus_cleanup(&vser->bus.bus);
    vser->bus_inited = false;
    g_clear_pointer(&vser->ports, g_ptr_array_unref);
    g_clear_pointer(&vser->ivqs, g_free);
    g_clear_pointer(&vser->ovqs, g_free);
    g_clear_pointer(&vser->port_by_id, g_free);
    g_clear_pointer(&vser->ports_map, g_free);
    g_clear_pointer(&vser->ctrl_buf, g_free);
    vser->ctrl_buf_len = 0;
}

/* ---- Ports --------------------------------------------------------------- */

/* QEMU's virtser_port_device_realize + virtser_port_device_plug */
static void vser_port_realize(DeviceState *dev, Error **errp)
{
    VirtIOSerialPort *port = VIRTIO_SERIAL_PORT(dev);
    VirtIOSerialPortClass *vsc = VIRTIO_SERIAL_PORT_GET_CLASS(port);
    VirtIOSerialBus *bus;
    VirtIOSerial *vser;
    bool plugging_port0;
    Error *err = NULL;

    if (!dev->parent_bus) {
        error_setg(errp, "No '%s' bus found for device '%s'",
                   TYPE_VIRTIO_SERIAL_BUS, object_get_typename(OBJECT(dev)));
        return;
    }
    bus = container_of(dev->parent_bus, VirtIOSerialBus, bus);
    vser = bus->vser;

    /* The first console goes to id 0 (old guests look for it there) */
    plugging_port0 = vsc->is_console && !find_port_by_id(vser, 0);

    if (find_port_by_id(vser, port->id)) {
        error_setg(errp, "virtio-serial-bus: A port already exists at id %u",
                   port->id);
        return;
    }
    if (port->name && find_port_by_name(port->name)) {
        error_setg(errp, "virtio-serial-bus: A port already exists by name "
                   "%s", port->name);
        return;
    }
    if (port->id == VIRTIO_CONSOLE_BAD_ID) {
        if (plugging_port0) {
            port->id = 0;
        } else {
            port->id = find_free_port_id(vser);
            if (port->id == VIRTIO_CONSOLE_BAD_ID) {
                error_setg(errp, "virtio-serial-bus: Maximum port limit for "
                           "this device reached");
                return;
            }
        }
    }
    if (port->id >= vser->max_ports) {
        error_setg(errp, "virtio-serial-bus: Out-of-range port id specified, "
                   "max. allowed: %u", vser->max_ports - 1);
        return;
    }
    port->vser = vser;
    if (vsc->realize) {
        vsc->realize(port, &err);
        if (err) {
            port->vser = NULL;
            error_propagate(errp, err);
            return;
        }
    }
    port->elem = NULL;
    port->ivq = vser->ivqs[port->id];
    port->ovq = vser->ovqs[port->id];
    g_ptr_array_add(vser->ports, port);
    vser->port_by_id[port->id] = port;
    port->plugged = true;
    mark_port_added(vser, port->id);
    send_control_event(vser, port->id, VIRTIO_CONSOLE_PORT_ADD, 1);
    /* Tells a running driver about the new port (QEMU's plug handler) */
    virtio_notify_config(VIRTIO_DEVICE(vser));
}

/* QEMU's virtser_port_device_unrealize + remove_port */
static void vser_port_unrealize(DeviceState *dev)
{
    VirtIOSerialPort *port = VIRTIO_SERIAL_PORT(dev);
    VirtIOSerialPortClass *vsc = VIRTIO_SERIAL_PORT_GET_CLASS(port);
    VirtIOSerial *vser = port->vser;

    if (port->plugged) {
        /* Id 0 stays reserved for a console */
        if (port->id) {
            vser->ports_map[port->id / 32] &= ~(1u << (port->id % 32));
        }
        discard_throttle_data(port);
        discard_vq_data(port->ovq, VIRTIO_DEVICE(vser));
        send_control_event(vser, port->id, VIRTIO_CONSOLE_PORT_REMOVE, 1);
        g_ptr_array_remove(vser->ports, port);
        vser->port_by_id[port->id] = NULL;
        port->plugged = false;
    }
    if (vsc->unrealize) {
        vsc->unrealize(port);
    }
    port->vser = NULL;
}

/* QEMU 7.2's virtio_serial_properties (help: max_ports has no text) */
static const Property vser_properties[] = {
    DEFINE_PROP_UINT32("max_ports", VirtIOSerial, max_ports, 31, NULL),
    DEFINE_PROP_BOOL("emergency-write", VirtIOSerial, emergency_write, true,
                     "on/off"),
    DEFINE_PROP_END_OF_LIST(),
};

static void vser_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->categories = 1u << DEVICE_CATEGORY_INPUT;
    dc->user_creatable = true;
    vdc->realize = vser_realize;
    vdc->unrealize = vser_unrealize;
    vdc->get_features = vser_get_features;
    vdc->get_config = vser_get_config;
    vdc->set_config = vser_set_config;
    vdc->set_status = vser_set_status;
    vdc->reset = vser_reset;
    object_class_add_properties(oc, vser_properties);
}

/* QEMU 7.2's virtser_props */
static const Property vser_port_properties[] = {
    DEFINE_PROP_UINT32("nr", VirtIOSerialPort, id, VIRTIO_CONSOLE_BAD_ID,
                       NULL),
    DEFINE_PROP_STRING("name", VirtIOSerialPort, name, NULL),
    DEFINE_PROP_END_OF_LIST(),
};

static void vser_port_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->categories = 1u << DEVICE_CATEGORY_INPUT;
    dc->bus_type = TYPE_VIRTIO_SERIAL_BUS;
    dc->realize = vser_port_realize;
    dc->unrealize = vser_port_unrealize;
    object_class_add_properties(oc, vser_port_properties);
}

static const TypeInfo vser_info = {
    .name = TYPE_VIRTIO_SERIAL,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOSerial),
    .class_init = vser_class_init,
};

static const TypeInfo vser_port_info = {
    .name = TYPE_VIRTIO_SERIAL_PORT,
    .parent = TYPE_DEVICE,
    .abstract = true,
    .instance_size = sizeof(VirtIOSerialPort),
    .class_size = sizeof(VirtIOSerialPortClass),
    .class_init = vser_port_class_init,
};

void virtio_serial_register_types(void)
{
    type_register_static(&vser_info);
    type_register_static(&vser_port_info);
}
