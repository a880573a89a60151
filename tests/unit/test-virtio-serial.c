/*
 * virtio-serial-device with virtconsole and virtserialport ports (QEMU
 * 7.2 hw/char/virtio-serial-bus.c, virtio-console.c) on fake guest
 * memory, driven through the virtio core as a transport would: features,
 * config and queue layout, the control handshake, port open/close from
 * both sides, guest output against a chardev that takes N bytes then
 * refuses (throttled, resumed by its watch, nothing lost), host input
 * with and without guest buffers, emergency write, malformed control
 * messages, a driver without MULTIPORT.
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include "hw/char/virtio-serial.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "log-capture.h"
#include "virtio-test-ring.h"

#define RAM_SIZE    (1 << 20)
#define NQ          6       /* port 0 rx/tx, control rx/tx, port 1 rx/tx */
#define Q_RX0       0
#define Q_TX0       1
#define Q_CRX       2
#define Q_CTX       3
#define Q_RX1       4
#define Q_TX1       5

static void vs_test_notify(DeviceState *transport)
{
}

static const VirtioBusOps vs_test_bus_ops = {
    .notify = vs_test_notify,
};

/* ---- A chardev that takes wire_room bytes, then refuses (EAGAIN) ------ */

static GString *wire;
static int wire_room;       /* -1: no limit */

static int testbuf_write(Chardev *chr, const uint8_t *buf, int len)
{
    if (wire_room == 0) {
        errno = EAGAIN;
        return -1;
    }
    if (wire_room > 0) {
        len = MIN(len, wire_room);
        wire_room -= len;
    }
    g_string_append_len(wire, (const char *)buf, len);
    return len;
}

static gboolean room_prepare(GSource *src, gint *timeout)
{
    *timeout = -1;
    return wire_room != 0;
}

static gboolean room_check(GSource *src)
{
    return wire_room != 0;
}

static gboolean room_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    return ((GUnixFDSourceFunc)(void (*)(void))cb)(-1, G_IO_OUT, data);
}

static GSourceFuncs room_funcs = {
    .prepare = room_prepare,
    .check = room_check,
    .dispatch = room_dispatch,
};

static GSource *testbuf_add_watch(Chardev *chr, GIOCondition cond)
{
    return g_source_new(&room_funcs, sizeof(GSource));
}

static void testbuf_class_init(ObjectClass *oc, void *data)
{
    ((ChardevClass *)oc)->write = testbuf_write;
    ((ChardevClass *)oc)->add_watch = testbuf_add_watch;
}

static const TypeInfo testbuf_info = {
    .name = "chardev-vstest",
    .parent = TYPE_CHARDEV,
    .class_init = testbuf_class_init,
};

static void run_main_loop(void)
{
    while (g_main_context_iteration(NULL, FALSE)) {
        /* until nothing is ready */
    }
}

static TestRing tq[NQ];

/* ---- Fixture ----------------------------------------------------------- */

typedef struct Fixture {
    VirtIOSerial *vser;
    VirtIODevice *vdev;
    VirtIOSerialPort *con;      /* virtconsole on chr_con */
    VirtIOSerialPort *port;     /* virtserialport "org.test.0", nr=1 */
    Chardev *chr_con, *chr_port;
    uint64_t crx_bufs[16];      /* control buffers posted, in order */
    unsigned crx_taken;
} Fixture;

static Chardev *test_chardev(const char *label)
{
    Chardev *chr = CHARDEV(object_new("chardev-vstest"));

    chr->label = g_strdup(label);
    return chr;
}

static VirtIOSerialPort *port_new(Fixture *f, const char *type,
                                  Chardev *chr, const char *const *props,
                                  Error **errp)
{
    Object *obj = object_new(type);

    for (; props && props[0]; props += 2) {
        g_assert_true(object_property_parse(obj, props[0], props[1],
                                            &error_abort));
    }
    VIRTIO_CONSOLE(obj)->chardev = chr ? OBJECT(chr) : NULL;
    DEVICE(obj)->parent_bus = &f->vser->bus.bus;
    if (!qdev_realize_and_unref(DEVICE(obj), errp)) {
        return NULL;
    }
    return VIRTIO_SERIAL_PORT(obj);
}

static void vser_new(Fixture *f, const char *const *props)
{
    Object *obj = object_new(TYPE_VIRTIO_SERIAL);

    for (; props && props[0]; props += 2) {
        g_assert_true(object_property_parse(obj, props[0], props[1],
                                            &error_abort));
    }
    DEVICE(obj)->parent_bus = &test_vbus.bus;
    g_assert_true(qdev_realize_and_unref(DEVICE(obj), &error_abort));
    f->vser = VIRTIO_SERIAL(obj);
    f->vdev = VIRTIO_DEVICE(obj);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    static const char *const port_props[] = {
        "nr", "1", "name", "org.test.0", NULL
    };

    memset(f, 0, sizeof(*f));
    test_ram_init(RAM_SIZE, &vs_test_bus_ops);
    wire = g_string_new(NULL);
    wire_room = -1;
    vser_new(f, data);
    f->chr_con = test_chardev("con");
    f->chr_port = test_chardev("port");
    f->con = port_new(f, TYPE_VIRTCONSOLE, f->chr_con, NULL, &error_abort);
    f->port = port_new(f, TYPE_VIRTSERIALPORT, f->chr_port, port_props,
                       &error_abort);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    qdev_unrealize_all();
    object_unref(OBJECT(f->chr_con));
    object_unref(OBJECT(f->chr_port));
    test_ram_cleanup();
    g_string_free(wire, true);
}

/* The driver's handshake with features, and the queues it uses set up. */
static void driver_ready(Fixture *f, uint64_t features)
{
    VirtIODevice *vdev = f->vdev;

    virtio_reset(vdev);
    g_assert_cmpint(virtio_set_features(vdev, features), ==, 0);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    for (unsigned n = 0; n < NQ; n++) {
        test_ring_init(&tq[n], vdev, n, 0x10000 + 0x8000 * n, 0x8000, 0x100);
    }
    virtio_set_status(vdev, vdev->status | VIRTIO_CONFIG_S_DRIVER_OK);
}

static void post_control_buffers(Fixture *f, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        f->crx_bufs[i] = test_ring_offer_in(&tq[Q_CRX], 64);
    }
    f->crx_taken = 0;
}

static void send_ctrl(Fixture *f, uint32_t id, uint16_t event,
                      uint16_t value)
{
    uint8_t msg[8];

    id = GUINT32_TO_LE(id);
    event = GUINT16_TO_LE(event);
    value = GUINT16_TO_LE(value);
    memcpy(msg, &id, 4);
    memcpy(msg + 4, &event, 2);
    memcpy(msg + 6, &value, 2);
    test_ring_offer_out(&tq[Q_CTX], msg, sizeof(msg));
    virtio_queue_notify(f->vdev, Q_CTX);
}

/*
 * The next control message the device sent: checks id, event, value and
 * length; returns its buffer (for a PORT_NAME's text).
 */
static const uint8_t *expect_ctrl(Fixture *f, uint32_t id, uint16_t event,
                                  uint16_t value, uint32_t len)
{
    uint32_t used_id, used_len;
    const uint8_t *msg;

    g_assert_true(test_ring_take_used(&tq[Q_CRX], &used_id, &used_len));
    g_assert_cmpuint(used_len, ==, len);
    msg = test_ram + f->crx_bufs[f->crx_taken++];
    g_assert_cmpuint(test_get32(msg - test_ram), ==, id);
    g_assert_cmpuint(test_get16(msg - test_ram + 4), ==, event);
    g_assert_cmpuint(test_get16(msg - test_ram + 6), ==, value);
    return msg;
}

static void expect_no_ctrl(void)
{
    uint32_t id, len;

    g_assert_false(test_ring_take_used(&tq[Q_CRX], &id, &len));
}

static const uint64_t all_features =
    (1ULL << VIRTIO_CONSOLE_F_MULTIPORT) |
    (1ULL << VIRTIO_CONSOLE_F_EMERG_WRITE);

/* Handshake up to both ports ready, the console open on both sides. */
static void handshake(Fixture *f)
{
    driver_ready(f, all_features);
    post_control_buffers(f, 16);
    send_ctrl(f, 0, VIRTIO_CONSOLE_DEVICE_READY, 1);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_PORT_ADD, 1, 8);
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_ADD, 1, 8);
    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_CONSOLE_PORT, 1, 8);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1, 8);
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_NAME, 1, 8 + 11);
    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);
    expect_no_ctrl();
}

/* ---- Tests --------------------------------------------------------------- */

static void test_layout(Fixture *f, gconstpointer data)
{
    VirtIODevice *vdev = f->vdev;

    g_assert_cmpuint(vdev->device_id, ==, VIRTIO_ID_CONSOLE);
    g_assert_true(virtio_has_feature(vdev->host_features,
                                     VIRTIO_CONSOLE_F_MULTIPORT));
    g_assert_true(virtio_has_feature(vdev->host_features,
                                     VIRTIO_CONSOLE_F_EMERG_WRITE));
    g_assert_false(virtio_has_feature(vdev->host_features,
                                      VIRTIO_CONSOLE_F_SIZE));
    g_assert_cmpuint(vdev->config_len, ==, 12);
    g_assert_cmpuint(virtio_config_read(vdev, 0, 2), ==, 0);
    g_assert_cmpuint(virtio_config_read(vdev, 2, 2), ==, 0);
    g_assert_cmpuint(virtio_config_read(vdev, 4, 4), ==, 31);
    /* 31 ports: 62 data queues and the control pair at 2/3 */
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 0), ==, 128);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 1), ==, 128);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 2), ==, 32);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 3), ==, 32);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 63), ==, 128);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 64), ==, 0);
    /* The console took id 0, the serial port its nr= */
    g_assert_cmpuint(f->con->id, ==, 0);
    g_assert_cmpuint(f->port->id, ==, 1);
    /* QEMU's automatic bus names: one number per device realized */
    g_assert_true(g_str_has_prefix(f->vser->bus.bus.name,
                                   "virtio-serial-bus."));
}

static void test_small(Fixture *f, gconstpointer data)
{
    VirtIODevice *vdev = f->vdev;

    g_assert_false(virtio_has_feature(vdev->host_features,
                                      VIRTIO_CONSOLE_F_EMERG_WRITE));
    g_assert_cmpuint(vdev->config_len, ==, 8);
    g_assert_cmpuint(virtio_config_read(vdev, 4, 4), ==, 2);
    g_assert_cmpuint(virtio_config_read(vdev, 8, 4), ==, UINT32_MAX);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 5), ==, 128);
    g_assert_cmpuint(virtio_queue_get_max_num(vdev, 6), ==, 0);
}

static void test_handshake(Fixture *f, gconstpointer data)
{
    const uint8_t *msg;

    driver_ready(f, all_features);
    /* Before the driver posts control buffers, messages have nowhere */
    send_ctrl(f, 0, VIRTIO_CONSOLE_DEVICE_READY, 1);
    expect_no_ctrl();
    post_control_buffers(f, 16);
    send_ctrl(f, 0, VIRTIO_CONSOLE_DEVICE_READY, 1);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_PORT_ADD, 1, 8);
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_ADD, 1, 8);
    expect_no_ctrl();
    /* The control requests the driver sent were consumed */
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_CTX]), ==, 2);

    /* A console is announced as one, and open (no host side to wait for) */
    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_READY, 1);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_CONSOLE_PORT, 1, 8);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1, 8);
    expect_no_ctrl();

    /* A named serial port: its name, NUL-terminated; closed host side */
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_READY, 1);
    msg = expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_NAME, 1, 8 + 11);
    g_assert_cmpmem(msg + 8, 11, "org.test.0", 11);
    expect_no_ctrl();
    g_assert_false(f->port->host_connected);

    /* The chardev connects and goes away: PORT_OPEN 1, then 0 */
    qemu_chr_be_event(f->chr_port, CHR_EVENT_OPENED);
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 1, 8);
    g_assert_true(f->port->host_connected);
    qemu_chr_be_event(f->chr_port, CHR_EVENT_CLOSED);
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 0, 8);
    g_assert_false(f->port->host_connected);

    /* The guest opens and closes a port */
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    g_assert_true(f->port->guest_connected);
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 0);
    g_assert_false(f->port->guest_connected);
    expect_no_ctrl();

    /* A reset closes every port on the guest side */
    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);
    g_assert_true(f->con->guest_connected);
    virtio_reset(f->vdev);
    g_assert_false(f->con->guest_connected);
}

/* A second, hot-plugged port is announced at once, config interrupt too. */
static void test_hotplug(Fixture *f, gconstpointer data)
{
    VirtIOSerialPort *p2;
    uint32_t gen;

    handshake(f);
    gen = f->vdev->generation;
    p2 = port_new(f, TYPE_VIRTSERIALPORT, NULL, NULL, &error_abort);
    g_assert_cmpuint(p2->id, ==, 2);
    expect_ctrl(f, 2, VIRTIO_CONSOLE_PORT_ADD, 1, 8);
    g_assert_cmpuint(f->vdev->generation, !=, gen);
    qdev_unrealize(DEVICE(p2));
    expect_ctrl(f, 2, VIRTIO_CONSOLE_PORT_REMOVE, 1, 8);
}

static void guest_write(Fixture *f, unsigned qn, const char *a,
                        const char *b)
{
    const void *data[2] = { a, b };
    uint32_t lens[2] = { strlen(a), b ? strlen(b) : 0 };

    test_ring_offer_chain(&tq[qn], false, data, lens, b ? 2 : 1, NULL);
    virtio_queue_notify(f->vdev, qn);
}

/* Output a chardev does not take waits in the request; nothing is lost. */
static void test_output_throttle(Fixture *f, gconstpointer data)
{
    uint32_t id, len;

    handshake(f);
    wire_room = 5;
    guest_write(f, Q_TX0, "hello ", "world\n");
    guest_write(f, Q_TX0, "second\n", NULL);
    g_assert_cmpstr(wire->str, ==, "hello");
    g_assert_true(f->con->throttled);
    /* The request is held: not in the used ring */
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX0]), ==, 0);
    /* A kick while throttled takes nothing more */
    virtio_queue_notify(f->vdev, Q_TX0);
    g_assert_cmpstr(wire->str, ==, "hello");

    /* The watch fires when room comes: 3 more bytes, across the split */
    wire_room = 3;
    run_main_loop();
    g_assert_cmpstr(wire->str, ==, "hello wo");
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX0]), ==, 0);

    wire_room = -1;
    run_main_loop();
    g_assert_cmpstr(wire->str, ==, "hello world\nsecond\n");
    g_assert_false(f->con->throttled);
    g_assert_true(test_ring_take_used(&tq[Q_TX0], &id, &len));
    g_assert_cmpuint(id, ==, 0);
    g_assert_cmpuint(len, ==, 0);
    g_assert_true(test_ring_take_used(&tq[Q_TX0], &id, &len));
    g_assert_cmpuint(id, ==, 2);
    g_assert_false(test_ring_take_used(&tq[Q_TX0], &id, &len));
}

/* A serial port's output waits for its host side; a close drops it. */
static void test_output_port(Fixture *f, gconstpointer data)
{
    uint32_t id, len;

    handshake(f);
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_OPEN, 1);
    /* Host side closed: the guest's bytes are consumed, not sent */
    guest_write(f, Q_TX1, "lost", NULL);
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX1]), ==, 1);
    g_assert_cmpstr(wire->str, ==, "");

    qemu_chr_be_event(f->chr_port, CHR_EVENT_OPENED);
    wire_room = 2;
    guest_write(f, Q_TX1, "abcd", NULL);
    g_assert_cmpstr(wire->str, ==, "ab");
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_TX1]), ==, 1);
    /* The chardev goes away: the held request is dropped, port unthrottled */
    qemu_chr_be_event(f->chr_port, CHR_EVENT_CLOSED);
    g_assert_false(f->port->throttled);
    g_assert_null(f->port->elem);
    wire_room = -1;
    run_main_loop();
    g_assert_cmpstr(wire->str, ==, "ab");
    g_assert_true(test_ring_take_used(&tq[Q_TX1], &id, &len));
    g_assert_false(test_ring_take_used(&tq[Q_TX1], &id, &len));
}

/*
 * A serial port on a chardev already connected is open from the start
 * (QEMU's set_handlers sync_state); one on a closed chardev waits.
 */
static void test_open_chardev(Fixture *f, gconstpointer data)
{
    static const char *const props[] = { "name", "org.test.1", NULL };
    Chardev *chr = test_chardev("open");
    VirtIOSerialPort *p;

    chr->be_open = true;
    p = port_new(f, TYPE_VIRTSERIALPORT, chr, props, &error_abort);
    g_assert_true(p->host_connected);
    g_assert_false(f->port->host_connected);
    qdev_unrealize(DEVICE(p));
    object_unref(OBJECT(chr));
}

/* Host input fills the guest's posted buffers; none posted, none read. */
static void test_input(Fixture *f, gconstpointer data)
{
    uint64_t b0, b1;
    uint32_t id, len;

    driver_ready(f, all_features);
    post_control_buffers(f, 16);
    /* No receive buffers, and the guest has not opened the port */
    g_assert_cmpint(qemu_chr_be_can_write(f->chr_con), ==, 0);
    b0 = test_ring_offer_in(&tq[Q_RX0], 4);
    b1 = test_ring_offer_in(&tq[Q_RX0], 4);
    g_assert_cmpint(qemu_chr_be_can_write(f->chr_con), ==, 0);
    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);
    g_assert_cmpint(qemu_chr_be_can_write(f->chr_con), ==, 8);

    qemu_chr_be_write(f->chr_con, (const uint8_t *)"abcdef", 6);
    g_assert_true(test_ring_take_used(&tq[Q_RX0], &id, &len));
    g_assert_cmpuint(len, ==, 4);
    g_assert_true(test_ring_take_used(&tq[Q_RX0], &id, &len));
    g_assert_cmpuint(len, ==, 2);
    g_assert_cmpmem(test_ram + b0, 4, "abcd", 4);
    g_assert_cmpmem(test_ram + b1, 2, "ef", 2);
    g_assert_cmpint(qemu_chr_be_can_write(f->chr_con), ==, 0);
}

/*
 * Input from an fd backend (stdio, pipe, pty), which stops reading while
 * the port has no room and must be told when it has: typed before the
 * guest posted buffers or opened the port, it arrives once it did (the
 * users' console=hvc0 on -chardev stdio; lost before the fix).
 */
static void test_input_fd(Fixture *f, gconstpointer data)
{
    int fds[2];
    uint64_t b0;
    uint32_t id, len = 0;

    g_assert_cmpint(pipe2(fds, O_NONBLOCK | O_CLOEXEC), ==, 0);
    f->chr_con->in_fd = fds[0];
    g_assert_cmpint(write(fds[1], "xyz", 3), ==, 3);
    driver_ready(f, all_features);
    post_control_buffers(f, 16);
    b0 = test_ring_offer_in(&tq[Q_RX0], 16);
    virtio_queue_notify(f->vdev, Q_RX0);
    for (int i = 0; i < 10; i++) {
        g_main_context_iteration(NULL, false);
    }
    /* the guest has not opened the port: nothing taken */
    g_assert_false(test_ring_take_used(&tq[Q_RX0], &id, &len));
    send_ctrl(f, 0, VIRTIO_CONSOLE_PORT_OPEN, 1);
    for (int i = 0; i < 100 && !test_ring_take_used(&tq[Q_RX0], &id, &len);
         i++) {
        g_main_context_iteration(NULL, false);
    }
    g_assert_cmpuint(len, ==, 3);
    g_assert_cmpmem(test_ram + b0, 3, "xyz", 3);
    /* no fd: the backend stops watching it */
    f->chr_con->in_fd = -1;
    qemu_chr_fe_accept_input(&VIRTIO_CONSOLE(f->con)->chr);
    close(fds[0]);
    close(fds[1]);
}

/* A driver without MULTIPORT: port 0 is open once the driver is. */
static void test_no_multiport(Fixture *f, gconstpointer data)
{
    driver_ready(f, 0);
    g_assert_true(f->con->guest_connected);
    guest_write(f, Q_TX0, "single\n", NULL);
    g_assert_cmpstr(wire->str, ==, "single\n");
    test_ring_offer_in(&tq[Q_RX0], 16);
    g_assert_cmpint(qemu_chr_be_can_write(f->chr_con), ==, 16);
}

static void test_emergency_write(Fixture *f, gconstpointer data)
{
    handshake(f);
    virtio_config_write(f->vdev, VIRTIO_CONSOLE_CFG_EMERG_WR, 4, 'X');
    virtio_config_write(f->vdev, VIRTIO_CONSOLE_CFG_EMERG_WR, 1, 'Y');
    /* A write elsewhere in config does not repeat the last character */
    virtio_config_write(f->vdev, 0, 2, 80);
    g_assert_cmpstr(wire->str, ==, "XY");
    g_assert_cmpuint(virtio_config_read(f->vdev, 0, 2), ==, 0);
}

/* Malformed control messages are logged and skipped; the device goes on. */
static void test_malformed(Fixture *f, gconstpointer data)
{
    g_autofree char *log = NULL;
    g_autofree char *bad_port = NULL, *bad_dev = NULL;
    uint8_t big[200] = { 0 };

    log_capture_start(LOG_GUEST_ERROR);
    driver_ready(f, all_features);
    post_control_buffers(f, 16);
    test_ring_offer_out(&tq[Q_CTX], "\0\0\0\0", 4);
    virtio_queue_notify(f->vdev, Q_CTX);
    send_ctrl(f, 77, VIRTIO_CONSOLE_PORT_READY, 1);
    send_ctrl(f, UINT32_MAX, VIRTIO_CONSOLE_PORT_OPEN, 1);
    send_ctrl(f, 0, VIRTIO_CONSOLE_DEVICE_READY, 0);
    send_ctrl(f, 1, VIRTIO_CONSOLE_PORT_READY, 0);
    send_ctrl(f, 1, 99, 1);
    send_ctrl(f, 1, VIRTIO_CONSOLE_RESIZE, 1);
    /* A long message: its first 8 bytes count */
    big[4] = VIRTIO_CONSOLE_DEVICE_READY;
    big[6] = 1;
    test_ring_offer_out(&tq[Q_CTX], big, sizeof(big));
    virtio_queue_notify(f->vdev, Q_CTX);
    log = log_capture_take();
    log_capture_stop();
    g_assert_nonnull(strstr(log, "control message of 4 bytes"));
    bad_port = g_strdup_printf("Unexpected port id 77 for device %s\n",
                               f->vser->bus.bus.name);
    bad_dev = g_strdup_printf("Guest failure in adding device %s\n",
                              f->vser->bus.bus.name);
    g_assert_nonnull(strstr(log, bad_port));
    g_assert_nonnull(strstr(log, "Unexpected port id 4294967295"));
    g_assert_nonnull(strstr(log, bad_dev));
    g_assert_nonnull(strstr(log, "Guest failure in adding port 1"));
    /* Every request consumed; the long DEVICE_READY answered */
    g_assert_cmpuint(test_ring_used_idx(&tq[Q_CTX]), ==, 8);
    expect_ctrl(f, 0, VIRTIO_CONSOLE_PORT_ADD, 1, 8);
    expect_ctrl(f, 1, VIRTIO_CONSOLE_PORT_ADD, 1, 8);
    expect_no_ctrl();
    g_assert_false(f->vdev->broken);
}

static void test_realize_errors(void)
{
    static const struct {
        const char *prop, *value, *error;
    } cases[] = {
        { "max_ports", "0", "Maximum number of serial ports not specified" },
        { "max_ports", "512", "maximum ports supported: 511" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        Object *obj = object_new(TYPE_VIRTIO_SERIAL);
        Error *err = NULL;

        test_ram_init(RAM_SIZE, &vs_test_bus_ops);
        g_assert_true(object_property_parse(obj, cases[i].prop,
                                            cases[i].value, &error_abort));
        DEVICE(obj)->parent_bus = &test_vbus.bus;
        g_assert_false(qdev_realize_and_unref(DEVICE(obj), &err));
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].error);
        error_free(err);
        test_ram_cleanup();
    }
}

static void test_port_errors(Fixture *f, gconstpointer data)
{
    static const struct {
        const char *type, *nr, *name, *error;
    } cases[] = {
        { TYPE_VIRTSERIALPORT, "0", NULL,
          "virtio-serial-bus: A port already exists at id 0" },
        { TYPE_VIRTCONSOLE, "1", NULL,
          "virtio-serial-bus: A port already exists at id 1" },
        { TYPE_VIRTSERIALPORT, NULL, "org.test.0",
          "virtio-serial-bus: A port already exists by name org.test.0" },
        { TYPE_VIRTSERIALPORT, "31", NULL, "virtio-serial-bus: Out-of-range "
          "port id specified, max. allowed: 30" },
    };
    static const char *const nr0[] = { "nr", "0", NULL };
    Error *err = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *props[5] = { NULL };
        unsigned n = 0;

        if (cases[i].nr) {
            props[n++] = "nr";
            props[n++] = cases[i].nr;
        }
        if (cases[i].name) {
            props[n++] = "name";
            props[n++] = cases[i].name;
        }
        g_assert_null(port_new(f, cases[i].type, NULL, props, &err));
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].error);
        g_clear_pointer(&err, error_free);
    }
    /* A second console takes the first free id, past the ones taken */
    g_assert_cmpuint(port_new(f, TYPE_VIRTCONSOLE, NULL, NULL,
                              &error_abort)->id, ==, 2);

    /* Id 0 freed stays reserved for a console */
    qdev_unrealize(DEVICE(f->con));
    f->con = NULL;
    g_assert_null(port_new(f, TYPE_VIRTSERIALPORT, NULL, nr0, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Port number 0 on "
                    "virtio-serial devices reserved for virtconsole devices "
                    "for backward compatibility.");
    error_free(err);
    g_assert_cmpuint(port_new(f, TYPE_VIRTSERIALPORT, NULL, NULL,
                              &error_abort)->id, ==, 3);
    g_assert_cmpuint(port_new(f, TYPE_VIRTCONSOLE, NULL, NULL,
                              &error_abort)->id, ==, 0);
}

int main(int argc, char **argv)
{
    static const char *const small[] = {
        "max_ports", "2", "emergency-write", "off", NULL
    };

    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    chardev_register_types();
    type_register_static(&testbuf_info);
    virtio_register_types();
    virtio_serial_register_types();
    virtio_console_register_types();
    qemu_init_main_loop();
    bql_lock();     /* as the main thread holds it */
    runstate_set(RUN_STATE_RUNNING, &error_abort);
#define ADD(path, fn, data) \
    g_test_add("/virtio-serial/" path, Fixture, data, fixture_setup, fn, \
               fixture_teardown)
    ADD("layout", test_layout, NULL);
    ADD("input-fd", test_input_fd, NULL);
    ADD("small", test_small, small);
    ADD("handshake", test_handshake, NULL);
    ADD("hotplug", test_hotplug, NULL);
    ADD("output-throttle", test_output_throttle, NULL);
    ADD("output-port", test_output_port, NULL);
    ADD("input", test_input, NULL);
    ADD("open-chardev", test_open_chardev, NULL);
    ADD("no-multiport", test_no_multiport, NULL);
    ADD("emergency-write", test_emergency_write, NULL);
    ADD("malformed", test_malformed, NULL);
    ADD("port-errors", test_port_errors, NULL);
    g_test_add_func("/virtio-serial/realize-errors", test_realize_errors);
    return g_test_run();
}
