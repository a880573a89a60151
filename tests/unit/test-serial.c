/*
 * Unit tests for the 16550A core (hw/char/serial.c) against QEMU 7.2's
 * behaviour: reset values, THR to chardev, RX FIFO and trigger levels,
 * character timeout, IIR priorities, DLAB, loopback, LSR bits. The IRQ
 * line is a stub that records every level change; output goes to a test
 * chardev that keeps the bytes.
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include "hw/char/serial.h"

#define RBR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

static GString *wire;       /* bytes the UART sent to its chardev */
/*
 * Bytes the chardev still takes before refusing with EAGAIN (a reader
 * that stalled), or -1 for no limit. Its watch fires once it is > 0.
 */
static int wire_room;

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

/* A source that is ready while the chardev has room, as a fd's G_IO_OUT. */
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
    /* Watches are called as GUnixFDSourceFunc (ChardevClass.add_watch). */
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
    .name = "chardev-testbuf",
    .parent = TYPE_CHARDEV,
    .class_init = testbuf_class_init,
};

typedef struct Fixture {
    SerialState s;
    IRQState irq;
    GArray *levels;         /* of int: each level driven, in order */
    Chardev *chr;
} Fixture;

static void irq_record(void *opaque, int n, int level)
{
    Fixture *f = opaque;

    g_array_append_val(f->levels, level);
}

static int irq_now(Fixture *f)
{
    if (!f->levels->len) {
        return 0;
    }
    return g_array_index(f->levels, int, f->levels->len - 1);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    Error *err = NULL;

    memset(f, 0, sizeof(*f));
    qemu_clock_set_virtual_manual(0);
    f->levels = g_array_new(false, false, sizeof(int));
    f->irq = (IRQState) { .handler = irq_record, .opaque = f };
    f->chr = CHARDEV(object_new("chardev-testbuf"));
    f->chr->label = g_strdup("testbuf");
    g_string_truncate(wire, 0);
    wire_room = -1;

    f->s.baudbase = 115200;
    f->s.irq = &f->irq;
    g_assert_true(qemu_chr_fe_init(&f->s.chr, f->chr, &err));
    serial_realize_core(&f->s);
    g_array_set_size(f->levels, 0);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    serial_exit_core(&f->s);
    object_unref(OBJECT(f->chr));
    g_array_free(f->levels, true);
}

static uint8_t rd(Fixture *f, unsigned reg)
{
    return serial_io_read(&f->s, reg, 1);
}

static void wr(Fixture *f, unsigned reg, uint8_t val)
{
    serial_io_write(&f->s, reg, val, 1);
}

static void rx(Fixture *f, const char *s)
{
    serial_receive(&f->s, (const uint8_t *)s, strlen(s));
}

static void test_reset_values(Fixture *f, gconstpointer data)
{
    static const struct {
        unsigned reg;
        uint8_t val;
    } table[] = {
        { IER, 0x00 }, { IIR, 0x01 }, { LCR, 0x00 }, { MCR, 0x08 },
        { LSR, 0x60 }, { MSR, 0xb0 }, { SCR, 0x00 }, { RBR, 0x00 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        g_assert_cmphex(rd(f, table[i].reg), ==, table[i].val);
    }
    /* Divisor 12: 9600 baud from the 1.8432 MHz clock. */
    wr(f, LCR, 0x80);
    g_assert_cmphex(rd(f, RBR), ==, 0x0c);
    g_assert_cmphex(rd(f, IER), ==, 0x00);
    g_assert_cmpint(irq_now(f), ==, 0);

    /* A dirty UART goes back to the same values. */
    wr(f, LCR, 0x03);
    wr(f, IER, 0x0f);
    wr(f, FCR, 0xc7);
    wr(f, SCR, 0x55);
    rx(f, "zz");
    serial_reset(&f->s);
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        g_assert_cmphex(rd(f, table[i].reg), ==, table[i].val);
    }
    g_assert_cmpint(irq_now(f), ==, 0);
}

static void test_thr_to_chardev(Fixture *f, gconstpointer data)
{
    wr(f, RBR, 'h');
    wr(f, RBR, 'i');
    g_assert_cmpstr(wire->str, ==, "hi");
    /* Sent at once: holding register and shifter empty again. */
    g_assert_cmphex(rd(f, LSR), ==, 0x60);

    /* With FIFOs on the bytes still all come out, in order. */
    wr(f, FCR, 0x07);
    wr(f, RBR, '!');
    g_assert_cmpstr(wire->str, ==, "hi!");
    g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x60);
}

/* Main-loop work pending now, without waiting for any. */
static void run_pending(void)
{
    for (int i = 0; i < 10; i++) {
        g_main_context_iteration(NULL, FALSE);
    }
}

/*
 * QEMU 7.2's transmit retry: a chardev that takes 3 bytes and then
 * nothing. The refused byte stays in TSR (TEMT clear), the next one in
 * THR (THRE clear): a slow line, not a lost byte; when the chardev
 * drains, its watch sends both, in order, and the UART is idle again.
 */
static void test_xmit_backpressure(Fixture *f, gconstpointer data)
{
    wire_room = 3;
    wr(f, IER, 0x02);
    wr(f, RBR, 'a');
    wr(f, RBR, 'b');
    wr(f, RBR, 'c');
    g_assert_cmpstr(wire->str, ==, "abc");
    g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x60);

    wr(f, RBR, 'd');                /* refused: waits in TSR */
    g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x20);
    g_assert_cmphex(rd(f, IIR), ==, 0x02);  /* THR itself is empty */
    wr(f, RBR, 'e');                /* in THR behind it */
    g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x00);
    g_assert_cmpint(irq_now(f), ==, 0);
    run_pending();
    g_assert_cmpstr(wire->str, ==, "abc");
    g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x00);

    wire_room = -1;                 /* the reader resumes */
    while (f->s.watch_tag) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpstr(wire->str, ==, "abcde");
    g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x60);
    g_assert_cmpint(irq_now(f), ==, 1);
    g_assert_cmphex(rd(f, IIR), ==, 0x02);

    /* With FIFOs: the FIFO fills behind the refused byte, then drains. */
    g_string_truncate(wire, 0);
    wr(f, FCR, 0x07);
    wire_room = 2;
    for (const char *p = "0123456789"; *p; p++) {
        wr(f, RBR, *p);
    }
    g_assert_cmpstr(wire->str, ==, "01");
    g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x00);
    wire_room = 1;                  /* one byte at a time */
    while (wire->len < 10) {
        g_main_context_iteration(NULL, TRUE);
        if (wire_room == 0) {
            wire_room = 1;
        }
    }
    g_assert_cmpstr(wire->str, ==, "0123456789");
    run_pending();
    g_assert_cmpint(f->s.watch_tag, ==, 0);
    g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x60);
}

/* A reset drops the byte being retried and its watch, as QEMU's. */
static void test_xmit_reset_while_stalled(Fixture *f, gconstpointer data)
{
    wire_room = 0;
    wr(f, RBR, 'x');
    g_assert_cmpuint(f->s.watch_tag, !=, 0);
    g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x20);
    serial_reset(&f->s);
    g_assert_cmpuint(f->s.watch_tag, ==, 0);
    g_assert_cmphex(rd(f, LSR), ==, 0x60);
    wire_room = -1;
    run_pending();
    wr(f, RBR, 'y');
    g_assert_cmpstr(wire->str, ==, "y");
}

static void test_thre_interrupt(Fixture *f, gconstpointer data)
{
    int expect[] = { 1, 0, 1, 0 };

    wr(f, IER, 0x02);                       /* THR empty: fires at once */
    g_assert_cmpint(irq_now(f), ==, 1);
    g_assert_cmphex(rd(f, IIR), ==, 0x02);  /* read acknowledges it */
    g_assert_cmpint(irq_now(f), ==, 0);
    g_assert_cmphex(rd(f, IIR), ==, 0x01);

    wr(f, RBR, 'x');                        /* sent: THRE again */
    g_assert_cmpint(irq_now(f), ==, 1);
    g_assert_cmphex(rd(f, IIR), ==, 0x02);

    /* Only level changes reach the line. */
    g_assert_cmpint(f->levels->len, ==, 4);
    g_assert_cmpmem(f->levels->data, sizeof(expect), expect, sizeof(expect));

    /* Re-enabling THRI re-raises it (Windows relies on this). */
    wr(f, IER, 0x00);
    wr(f, IER, 0x02);
    g_assert_cmphex(rd(f, IIR), ==, 0x02);
}

static void test_rx_no_fifo(Fixture *f, gconstpointer data)
{
    g_assert_cmpint(serial_can_receive(&f->s), ==, 1);
    rx(f, "a");
    g_assert_cmpint(serial_can_receive(&f->s), ==, 0);
    g_assert_cmphex(rd(f, LSR), ==, 0x61);
    g_assert_cmpint(irq_now(f), ==, 0);     /* RDI not enabled */
    wr(f, IER, 0x01);
    g_assert_cmpint(irq_now(f), ==, 1);
    g_assert_cmphex(rd(f, IIR), ==, 0x04);
    g_assert_cmphex(rd(f, RBR), ==, 'a');
    g_assert_cmpint(irq_now(f), ==, 0);
    g_assert_cmphex(rd(f, LSR), ==, 0x60);

    /* A second byte before the first is read: overrun, last one kept. */
    rx(f, "b");
    rx(f, "c");
    g_assert_cmphex(rd(f, LSR), ==, 0x63);
    g_assert_cmphex(rd(f, LSR), ==, 0x61);  /* OE clears on read */
    g_assert_cmphex(rd(f, RBR), ==, 'c');
}

/* A break from the chardev (mux Ctrl-A b): LSR.BI|DR, a zero byte, and
 * the receiver line status interrupt when enabled; LSR read clears BI. */
static void test_break(Fixture *f, gconstpointer data)
{
    wr(f, IER, 0x04);                       /* RLSI only */
    g_assert_cmpint(irq_now(f), ==, 0);
    serial_event(&f->s, CHR_EVENT_BREAK);
    g_assert_cmpint(irq_now(f), ==, 1);
    g_assert_cmphex(rd(f, IIR), ==, 0x06);  /* receiver line status */
    g_assert_cmphex(rd(f, LSR), ==, 0x71);  /* THRE TEMT BI DR */
    g_assert_cmpint(irq_now(f), ==, 0);     /* BI cleared by the read */
    g_assert_cmphex(rd(f, LSR), ==, 0x61);
    g_assert_cmphex(rd(f, RBR), ==, 0x00);
    g_assert_cmphex(rd(f, LSR), ==, 0x60);

    /* other events change nothing */
    serial_event(&f->s, CHR_EVENT_OPENED);
    g_assert_cmphex(rd(f, LSR), ==, 0x60);
}

static void test_fifo_trigger_levels(Fixture *f, gconstpointer data)
{
    static const struct {
        uint8_t fcr;
        unsigned itl;
    } table[] = {
        { 0x01, 1 }, { 0x41, 4 }, { 0x81, 8 }, { 0xc1, 14 },
    };

    wr(f, IER, 0x01);
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        wr(f, FCR, table[i].fcr | 0x02);    /* also clears the RX FIFO */
        g_assert_cmphex(rd(f, IIR), ==, 0xc1);
        g_assert_cmphex(rd(f, LSR) & 0x01, ==, 0);
        for (unsigned n = 0; n + 1 < table[i].itl; n++) {
            g_assert_cmpint(serial_can_receive(&f->s), ==,
                            table[i].itl - n);
            rx(f, "x");
            g_assert_cmpint(irq_now(f), ==, 0);
        }
        rx(f, "y");
        g_assert_cmpint(irq_now(f), ==, 1);
        g_assert_cmphex(rd(f, IIR), ==, 0xc4);
        /*
         * At the trigger level QEMU offers nothing until the guest reads
         * (num <= itl gives itl - num = 0); past it, one byte at a time.
         */
        g_assert_cmpint(serial_can_receive(&f->s), ==, 0);
        rx(f, "z");
        g_assert_cmpint(serial_can_receive(&f->s), ==,
                        table[i].itl + 1 < UART_FIFO_LENGTH ? 1 : 0);
    }

    /* Bytes come out in arrival order. */
    wr(f, FCR, 0x03);
    rx(f, "abc");
    g_assert_cmphex(rd(f, RBR), ==, 'a');
    g_assert_cmphex(rd(f, RBR), ==, 'b');
    g_assert_cmphex(rd(f, RBR), ==, 'c');
    g_assert_cmphex(rd(f, LSR) & 0x01, ==, 0);
    g_assert_cmphex(rd(f, RBR), ==, 0);     /* empty FIFO reads 0 */
}

static void test_fifo_full_and_overrun(Fixture *f, gconstpointer data)
{
    char buf[17];

    wr(f, FCR, 0xc1);
    memset(buf, 'q', 16);
    buf[16] = 0;
    rx(f, buf);
    g_assert_cmpint(serial_can_receive(&f->s), ==, 0);
    g_assert_cmphex(rd(f, LSR) & 0x02, ==, 0);
    rx(f, "r");                             /* dropped: FIFO full */
    g_assert_cmphex(rd(f, LSR) & 0x03, ==, 0x03);
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(rd(f, RBR), ==, 'q');
    }
    g_assert_cmphex(rd(f, LSR), ==, 0x60);
}

/* Moves the virtual clock ns on, running the UART's timer on the way. */
static void advance(int64_t ns)
{
    qemu_clock_advance_virtual_time(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                                    ns);
}

static void test_char_timeout(Fixture *f, gconstpointer data)
{
    int64_t timeout = f->s.char_transmit_time * 4;

    wr(f, IER, 0x01);
    wr(f, FCR, 0x81);                       /* trigger at 8 */
    rx(f, "ab");
    advance(timeout - 1);
    g_assert_cmpint(irq_now(f), ==, 0);
    advance(1);                             /* four character times */
    g_assert_cmpint(irq_now(f), ==, 1);
    g_assert_cmphex(rd(f, IIR), ==, 0xcc);
    g_assert_cmphex(rd(f, RBR), ==, 'a');
    g_assert_cmpint(irq_now(f), ==, 0);     /* a read clears the timeout */
    advance(timeout);                       /* and restarts it */
    g_assert_cmphex(rd(f, IIR), ==, 0xcc);
    g_assert_cmphex(rd(f, RBR), ==, 'b');
    g_assert_false(timer_pending(f->s.fifo_timeout_timer));

    /* Emptied before the timer runs: a late timer does nothing. */
    rx(f, "x");
    g_assert_cmphex(rd(f, RBR), ==, 'x');
    g_assert_true(timer_pending(f->s.fifo_timeout_timer));
    advance(timeout);
    g_assert_cmphex(rd(f, IIR), ==, 0xc1);
    g_assert_cmpint(irq_now(f), ==, 0);

    /* IER.RDI masks the timeout interrupt too. */
    wr(f, IER, 0x00);
    rx(f, "c");
    advance(timeout);
    g_assert_cmpint(irq_now(f), ==, 0);
}

static void test_iir_priorities(Fixture *f, gconstpointer data)
{
    wr(f, IER, 0x0f);                       /* all sources */
    g_assert_cmphex(rd(f, IIR), ==, 0x02);  /* THRE, acknowledged */
    rx(f, "a");
    rx(f, "b");                             /* overrun: line status */
    wr(f, IER, 0x0d);
    wr(f, IER, 0x0f);                       /* THRE pending again */
    g_assert_cmphex(rd(f, IIR), ==, 0x06);  /* RLS beats everything */
    rd(f, LSR);
    g_assert_cmphex(rd(f, IIR), ==, 0x04);  /* then RX data */
    rd(f, RBR);
    g_assert_cmphex(rd(f, IIR), ==, 0x02);  /* then THRE */
    g_assert_cmphex(rd(f, IIR), ==, 0x01);
    g_assert_cmpint(irq_now(f), ==, 0);
}

static void test_dlab(Fixture *f, gconstpointer data)
{
    wr(f, IER, 0x05);
    wr(f, LCR, 0x83);
    wr(f, RBR, 0x01);
    wr(f, IER, 0x02);
    g_assert_cmphex(rd(f, RBR), ==, 0x01);
    g_assert_cmphex(rd(f, IER), ==, 0x02);
    g_assert_cmpstr(wire->str, ==, "");     /* DLL write sends nothing */
    wr(f, LCR, 0x03);
    g_assert_cmphex(rd(f, IER), ==, 0x05);  /* IER untouched */
    g_assert_cmphex(rd(f, LCR), ==, 0x03);
    g_assert_cmphex(f->s.divider, ==, 0x0201);
}

static void test_loopback(Fixture *f, gconstpointer data)
{
    wr(f, MCR, 0x1f);
    g_assert_cmphex(rd(f, MCR), ==, 0x1f);
    g_assert_cmphex(rd(f, MSR), ==, 0xf0);  /* outputs wired to inputs */
    wr(f, MCR, 0x11);                       /* DTR only -> DSR */
    g_assert_cmphex(rd(f, MSR), ==, 0x20);
    wr(f, RBR, 'L');
    g_assert_cmpstr(wire->str, ==, "");     /* not on the wire */
    g_assert_cmphex(rd(f, LSR), ==, 0x61);
    g_assert_cmphex(rd(f, RBR), ==, 'L');
    wr(f, MCR, 0x08);
    g_assert_cmphex(rd(f, MSR), ==, 0xb0);
    wr(f, RBR, 'W');
    g_assert_cmpstr(wire->str, ==, "W");
}

static void test_scr_and_masks(Fixture *f, gconstpointer data)
{
    wr(f, SCR, 0xa5);
    g_assert_cmphex(rd(f, SCR), ==, 0xa5);
    wr(f, IER, 0xff);
    g_assert_cmphex(rd(f, IER), ==, 0x0f);
    wr(f, MCR, 0xff);
    g_assert_cmphex(rd(f, MCR), ==, 0x1f);
    wr(f, MCR, 0x08);
    wr(f, LSR, 0x00);                       /* read-only */
    g_assert_cmphex(rd(f, LSR), ==, 0x60);
    /* Offsets alias modulo 8. */
    g_assert_cmphex(serial_io_read(&f->s, 8 + SCR, 1), ==, 0xa5);
}

/* ---- isa-serial ------------------------------------------------------- */

static GArray *isa_levels;  /* of int: n * 2 + level, per ISA line change */

static void isa_irq_record(void *opaque, int n, int level)
{
    int v = n * 2 + level;

    g_array_append_val(isa_levels, v);
}

static void isa_setup(void)
{
    static IRQState lines[16];
    static qemu_irq irqs[16];

    for (int i = 0; i < 16; i++) {
        lines[i] = (IRQState) { .handler = isa_irq_record, .n = i };
        irqs[i] = &lines[i];
    }
    isa_bus_init(irqs);
    isa_levels = g_array_new(false, false, sizeof(int));
}

static void isa_teardown(void)
{
    qdev_unrealize_all();
    address_space_clear(&address_space_io);
    g_array_set_size(isa_levels, 0);
}

static DeviceState *isa_serial(const char *props, Error **errp)
{
    Object *obj = object_new(TYPE_ISA_SERIAL);
    g_auto(GStrv) kv = g_strsplit(props, ",", -1);

    for (int i = 0; kv[i] && *kv[i]; i++) {
        g_auto(GStrv) p = g_strsplit(kv[i], "=", 2);

        if (!object_property_parse(obj, p[0], p[1], errp)) {
            object_unref(obj);
            return NULL;
        }
    }
    /* isa_teardown() frees it through the device list */
    if (!qdev_realize_and_unref(DEVICE(obj), errp)) {
        return NULL;
    }
    return DEVICE(obj);
}

static void test_isa_index_table(void)
{
    static const struct {
        const char *index;
        uint16_t base;
        int irq;
    } table[] = {
        { "0", 0x3f8, 4 }, { "1", 0x2f8, 3 }, { "2", 0x3e8, 4 },
        { "3", 0x2e8, 3 },
    };
    Error *err = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        g_autofree char *props = g_strdup_printf("index=%s", table[i].index);
        uint64_t v;

        g_assert_nonnull(isa_serial(props, &err));
        g_assert_null(err);
        /* LSR at base+5 reads the reset value through the port space. */
        g_assert_true(address_space_read(&address_space_io,
                                         table[i].base + 5, &v, 1));
        g_assert_cmphex(v, ==, 0x60);
        /* IER THRI: the UART's own ISA line goes high. */
        g_array_set_size(isa_levels, 0);
        address_space_write(&address_space_io, table[i].base + 1, 0x02, 1);
        g_assert_cmpuint(isa_levels->len, ==, 1);
        g_assert_cmpint(g_array_index(isa_levels, int, 0), ==,
                        table[i].irq * 2 + 1);
        isa_teardown();
    }
}

static void test_isa_explicit_iobase_irq(void)
{
    Error *err = NULL;
    uint64_t v;

    g_assert_nonnull(isa_serial("index=0,iobase=0x3e0,irq=5", &err));
    g_assert_true(address_space_read(&address_space_io, 0x3e5, &v, 1));
    g_assert_false(address_space_read(&address_space_io, 0x3fd, &v, 1));
    address_space_write(&address_space_io, 0x3e1, 0x02, 1);
    g_assert_cmpint(g_array_index(isa_levels, int, isa_levels->len - 1),
                    ==, 5 * 2 + 1);
    isa_teardown();
}

static void test_isa_errors(void)
{
    Error *err = NULL;
    Chardev *chr = CHARDEV(object_new("chardev-testbuf"));
    CharBackend other;

    g_assert_null(isa_serial("index=4", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Max. supported number of ISA serial ports is 4.");
    error_free(err);
    err = NULL;

    g_assert_null(isa_serial("index=0,chardev=nope", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Property 'serial.chardev' can't find value 'nope'");
    error_free(err);
    err = NULL;

    /* A chardev already taken by another front end. */
    chr->label = g_strdup("taken");
    g_assert_true(object_add_with_id("chardevs", "taken", OBJECT(chr),
                                     &err));
    g_assert_true(qemu_chr_fe_init(&other, chr, &err));
    g_assert_null(isa_serial("index=0,chardev=taken", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Property 'serial.chardev' can't take value 'taken': "
                    "Device 'taken' is in use");
    error_free(err);
    qemu_chr_fe_deinit(&other);
    object_remove_id("chardevs", "taken");
    object_unref(OBJECT(chr));
    isa_teardown();
}

#define ADD(name, fn) \
    g_test_add(name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    wire = g_string_new("");
    chardev_register_types();
    type_register_static(&testbuf_info);

    ADD("/serial/reset-values", test_reset_values);
    ADD("/serial/thr-to-chardev", test_thr_to_chardev);
    ADD("/serial/thre-interrupt", test_thre_interrupt);
    ADD("/serial/xmit-backpressure", test_xmit_backpressure);
    ADD("/serial/xmit-reset-while-stalled", test_xmit_reset_while_stalled);
    ADD("/serial/rx-no-fifo", test_rx_no_fifo);
    ADD("/serial/fifo-trigger-levels", test_fifo_trigger_levels);
    ADD("/serial/fifo-full-overrun", test_fifo_full_and_overrun);
    ADD("/serial/char-timeout", test_char_timeout);
    ADD("/serial/iir-priorities", test_iir_priorities);
    ADD("/serial/dlab", test_dlab);
    ADD("/serial/loopback", test_loopback);
    ADD("/serial/scr-and-masks", test_scr_and_masks);

    qdev_register_types();
    serial_register_types();
    isa_setup();
    ADD("/serial/break", test_break);
    g_test_add_func("/serial/isa/index-table", test_isa_index_table);
    g_test_add_func("/serial/isa/explicit-iobase-irq",
                    test_isa_explicit_iobase_irq);
    g_test_add_func("/serial/isa/errors", test_isa_errors);
    return g_test_run();
}
