/*
 * virtio-serial-device (virtio 1.2, 5.3: the console device) and the
 * ports that plug on its "virtio-serial-bus": virtconsole and
 * virtserialport (QEMU 7.2's hw/char/virtio-serial-bus.c,
 * hw/char/virtio-console.c, include/hw/virtio/virtio-serial.h).
 *
 * Queue layout as QEMU's: port 0's rx/tx at 0/1, the control pair
 * (device to driver, driver to device) at 2/3, port n >= 1 at 2n+2/2n+3.
 * Every function here runs with the BQL held.
 */
#ifndef HW_CHAR_VIRTIO_SERIAL_H
#define HW_CHAR_VIRTIO_SERIAL_H

#include "hw/virtio/virtio.h"
#include "chardev/char.h"

#define TYPE_VIRTIO_SERIAL "virtio-serial-device"
#define TYPE_VIRTIO_SERIAL_BUS "virtio-serial-bus"
#define TYPE_VIRTIO_SERIAL_PORT "virtio-serial-port"
#define TYPE_VIRTSERIALPORT "virtserialport"
#define TYPE_VIRTCONSOLE "virtconsole"

#define VIRTIO_ID_CONSOLE 3

/* Feature bits (virtio 1.2, 5.3.3) */
#define VIRTIO_CONSOLE_F_SIZE           0
#define VIRTIO_CONSOLE_F_MULTIPORT      1
#define VIRTIO_CONSOLE_F_EMERG_WRITE    2

/* Config space (5.3.4): cols, rows, max_nr_ports, emerg_wr */
#define VIRTIO_CONSOLE_CFG_COLS         0
#define VIRTIO_CONSOLE_CFG_ROWS         2
#define VIRTIO_CONSOLE_CFG_MAX_NR_PORTS 4
#define VIRTIO_CONSOLE_CFG_EMERG_WR     8
#define VIRTIO_CONSOLE_CFG_SIZE         12

/* Control messages (5.3.6.2): id le32, event le16, value le16 */
#define VIRTIO_CONSOLE_CTRL_SIZE        8
#define VIRTIO_CONSOLE_DEVICE_READY     0
#define VIRTIO_CONSOLE_PORT_ADD         1
#define VIRTIO_CONSOLE_PORT_REMOVE      2
#define VIRTIO_CONSOLE_PORT_READY       3
#define VIRTIO_CONSOLE_CONSOLE_PORT     4
#define VIRTIO_CONSOLE_RESIZE           5
#define VIRTIO_CONSOLE_PORT_OPEN        6
#define VIRTIO_CONSOLE_PORT_NAME        7

#define VIRTIO_CONSOLE_BAD_ID           UINT32_MAX

/* QEMU's sizes: 128 per data queue, 32 per control queue */
#define VIRTIO_SERIAL_DATA_QUEUE_SIZE   128
#define VIRTIO_SERIAL_CTRL_QUEUE_SIZE   32

typedef struct VirtIOSerial VirtIOSerial;

typedef struct VirtIOSerialBus {
    BusState bus;
    VirtIOSerial *vser;
} VirtIOSerialBus;

typedef struct VirtIOSerialPort {
    DeviceState parent_obj;
    /* Properties */
    uint32_t id;            /* nr=, VIRTIO_CONSOLE_BAD_ID: the first free */
    char *name;             /* name=, sent as PORT_NAME */
    /* State */
    VirtIOSerial *vser;
    VirtQueue *ivq;         /* host to guest */
    VirtQueue *ovq;         /* guest to host */
    /*
     * Guest output the host side has not taken yet: the element stays
     * popped, not pushed, until every byte went out (QEMU's port->elem).
     */
    VirtQueueElement *elem;
    unsigned iov_idx;
    size_t iov_offset;
    bool host_connected;
    bool guest_connected;
    bool throttled;
    bool plugged;           /* in vser->ports (realize succeeded) */
} VirtIOSerialPort;

typedef struct VirtIOSerialPortClass {
    DeviceClass parent_class;
    bool is_console;
    void (*realize)(VirtIOSerialPort *port, Error **errp);
    void (*unrealize)(VirtIOSerialPort *port);
    /*
     * Guest output: returns the bytes taken (0..len); fewer than len only
     * after virtio_serial_throttle_port(port, true).
     */
    ssize_t (*have_data)(VirtIOSerialPort *port, const uint8_t *buf,
                         size_t len);
    void (*set_guest_connected)(VirtIOSerialPort *port, bool connected);
    /* The guest posted receive buffers. */
    void (*guest_writable)(VirtIOSerialPort *port);
} VirtIOSerialPortClass;

struct VirtIOSerial {
    VirtIODevice parent_obj;
    /* Properties */
    uint32_t max_ports;
    bool emergency_write;
    /* State */
    VirtIOSerialBus bus;
    bool bus_inited;
    VirtQueue **ivqs;
    VirtQueue **ovqs;
    VirtQueue *c_ivq;
    VirtQueue *c_ovq;
    uint32_t *ports_map;    /* ids taken (id 0 always reserved) */
    VirtIOSerialPort **port_by_id;  /* max_ports entries */
    GPtrArray *ports;       /* plug order: PORT_ADD order */
    uint8_t *ctrl_buf;      /* control_out's scratch buffer */
    size_t ctrl_buf_len;
};

typedef struct VirtConsole {
    VirtIOSerialPort parent_obj;
    Object *chardev;        /* chardev= */
    CharBackend chr;
    guint watch;            /* waiting for the chardev to take output */
} VirtConsole;

#define VIRTIO_SERIAL(obj) \
    OBJECT_CHECK(VirtIOSerial, (obj), TYPE_VIRTIO_SERIAL)
#define VIRTIO_SERIAL_PORT(obj) \
    OBJECT_CHECK(VirtIOSerialPort, (obj), TYPE_VIRTIO_SERIAL_PORT)
#define VIRTIO_SERIAL_PORT_CLASS(klass) \
    OBJECT_CLASS_CHECK(VirtIOSerialPortClass, (klass), \
                       TYPE_VIRTIO_SERIAL_PORT)
#define VIRTIO_SERIAL_PORT_GET_CLASS(obj) \
    OBJECT_GET_CLASS(VirtIOSerialPortClass, (obj), TYPE_VIRTIO_SERIAL_PORT)
#define VIRTIO_CONSOLE(obj) \
    OBJECT_CHECK(VirtConsole, (obj), TYPE_VIRTSERIALPORT)

/* ---- For port models (QEMU's virtio-serial.h API) --------------------- */

/* The host side connected: PORT_OPEN 1 to the guest. */
void virtio_serial_open(VirtIOSerialPort *port);
/* The host side went away: pending guest output dropped, PORT_OPEN 0. */
void virtio_serial_close(VirtIOSerialPort *port);
/* Host input into the guest's posted buffers: the bytes that fit. */
size_t virtio_serial_write(VirtIOSerialPort *port, const uint8_t *buf,
                           size_t size);
/* How many bytes the guest can take now (capped at 4096, as QEMU). */
size_t virtio_serial_guest_ready(VirtIOSerialPort *port);
/* Stops or resumes taking guest output (resuming flushes what waits). */
void virtio_serial_throttle_port(VirtIOSerialPort *port, bool throttle);

void virtio_serial_register_types(void);
void virtio_console_register_types(void);

#endif
