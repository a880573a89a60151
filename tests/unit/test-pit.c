/*
 * Unit tests for the userspace i8254 PIT (hw/timer/i8254.c) through
 * ports 0x40-0x43, on the virtual clock moved by hand: the reset state
 * (mode 3, count 0x10000), counting in modes 0, 2 and 3, the latch and
 * read-back commands, lobyte/hibyte access, and channel 0's OUT on IRQ 0
 * driven by its timer. As QEMU 7.2 hw/timer/i8254.c + i8254_common.c.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "hw/timer/i8254.h"
#include "system/memory.h"

#define START_NS 1000000000LL

static GArray *levels;              /* of int: IRQ 0 levels set */

static void irq0(void *opaque, int n, int level)
{
    g_array_append_val(levels, level);
}

static void outb(uint16_t port, uint8_t v)
{
    g_assert_true(address_space_write(&address_space_io, port, v, 1));
}

static uint8_t inb(uint16_t port)
{
    uint64_t v = 0;

    g_assert_true(address_space_read(&address_space_io, port, &v, 1));
    return v;
}

/* ns after which the PIT has counted n ticks (rounded up) */
static int64_t ticks_ns(int64_t n)
{
    return (n * 1000000000LL + PIT_FREQ - 1) / PIT_FREQ;
}

typedef struct Fixture {
    PITState *pit;
    qemu_irq irq;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    qemu_clock_set_virtual_manual(START_NS);
    levels = g_array_new(false, false, sizeof(int));
    f->irq = qemu_allocate_irq(irq0, NULL, 0);
    f->pit = i8254_create(f->irq, 0x40, &error_abort);
    i8254_reset(f->pit);
}

static void teardown(Fixture *f, gconstpointer data)
{
    qdev_unrealize_all();
    qemu_free_irq(f->irq);
    /* unrealized: its ports are gone */
    g_assert_false(address_space_read(&address_space_io, 0x40,
                                      &(uint64_t){0}, 1));
    g_array_free(levels, true);
}

static int64_t now(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

/* Moves the clock ns on, running the PIT's timer on the way. */
static void advance(int64_t ns)
{
    qemu_clock_advance_virtual_time(now() + ns);
}

static int64_t deadline(Fixture *f)
{
    return timer_expire_time_ns(f->pit->irq_timer);
}

static int last_level(void)
{
    g_assert_cmpuint(levels->len, >, 0);
    return g_array_index(levels, int, levels->len - 1);
}

static unsigned count_level(int level)
{
    unsigned n = 0;

    for (guint i = 0; i < levels->len; i++) {
        n += g_array_index(levels, int, i) == level;
    }
    return n;
}

/* Two reads in order: low byte, then high byte. */
static uint16_t read16(uint16_t port)
{
    uint16_t lo = inb(port);

    return lo | (inb(port) << 8);
}

static uint16_t latch(int ch)
{
    outb(0x43, ch << 6);
    return read16(0x40 + ch);
}

static void test_reset_state(Fixture *f, gconstpointer data)
{
    /* mode 3, count 0x10000: first transition half a period on */
    g_assert_cmpint(deadline(f), ==,
                    START_NS + 0x8000 * 1000000000LL / PIT_FREQ);
    outb(0x43, 0xe2);                 /* read-back status, channel 0 */
    /* OUT high at the start of mode 3; rw_mode 0 before programming */
    g_assert_cmphex(inb(0x40), ==, 0x86);
    /* port 0x43 reads 0 */
    g_assert_cmphex(inb(0x43), ==, 0);
}

static void test_mode2_counting(Fixture *f, gconstpointer data)
{
    outb(0x43, 0x34);                 /* ch 0, lo/hi, mode 2, binary */
    outb(0x40, 0x00);
    outb(0x40, 0x10);                 /* count 0x1000 */
    outb(0x43, 0xe2);
    g_assert_cmphex(inb(0x40) & 0x3f, ==, 0x34);
    g_assert_cmphex(latch(0), ==, 0x1000);
    advance(ticks_ns(0x100));
    g_assert_cmphex(latch(0), ==, 0x0f00);
    /* periodic: wraps back to the count */
    advance(ticks_ns(0x1000));
    g_assert_cmphex(latch(0), ==, 0x0f00);
}

static void test_irq_deadlines(Fixture *f, gconstpointer data)
{
    int64_t start = now(), edge;

    g_array_set_size(levels, 0);
    outb(0x43, 0x30);                 /* ch 0, lo/hi, mode 0 */
    outb(0x40, 0x64);
    outb(0x40, 0x00);                 /* 100 ticks, one shot */
    /* loading drops OUT and arms the terminal count */
    g_assert_cmpuint(levels->len, ==, 1);
    g_assert_cmpint(last_level(), ==, 0);
    edge = deadline(f);
    g_assert_cmpint(edge, ==, start + 100 * 1000000000LL / PIT_FREQ);
    /* nothing happens before the deadline */
    qemu_clock_advance_virtual_time(edge - 1);
    g_assert_cmpuint(levels->len, ==, 1);
    /* as QEMU: ns rounding can put the edge 1 ns after the deadline */
    qemu_clock_advance_virtual_time(edge + 1);
    g_assert_cmpint(last_level(), ==, 1);
    g_assert_cmpuint(count_level(1), ==, 1);
    /* mode 0 is one shot: nothing more to arm */
    g_assert_false(timer_pending(f->pit->irq_timer));
    /* the count keeps decrementing past zero, modulo 2^16 */
    qemu_clock_advance_virtual_time(start + ticks_ns(101));
    g_assert_cmphex(latch(0), ==, 0xffff);
}

/* Mode 2 on channel 0: one OUT pulse per period, every period. */
static void test_mode2_irq_pulses(Fixture *f, gconstpointer data)
{
    int64_t start;

    outb(0x43, 0x34);                 /* ch 0, lo/hi, mode 2 */
    outb(0x40, 0x00);
    outb(0x40, 0x01);                 /* count 0x100 */
    start = now();
    g_array_set_size(levels, 0);
    /*
     * As QEMU's pit_get_next_transition_time() with ns rounding, each
     * pulse rises on the tick after a period's end: ten pulses by then.
     */
    qemu_clock_advance_virtual_time(start + ticks_ns(10 * 0x100 + 1));
    g_assert_cmpuint(count_level(1), ==, 10);
    g_assert_cmpint(last_level(), ==, 1);
    g_assert_true(timer_pending(f->pit->irq_timer));
}

static void test_access_modes(Fixture *f, gconstpointer data)
{
    /* channel 2, lobyte only, mode 0: count 0x42 */
    outb(0x43, 0x90);
    outb(0x42, 0x42);
    g_assert_cmphex(inb(0x42), ==, 0x42);
    /* hibyte only: count 0x0500, reads its high byte */
    outb(0x43, 0xa0);
    outb(0x42, 0x05);
    g_assert_cmphex(inb(0x42), ==, 0x05);
    /* a latched count is kept across a second latch until read */
    outb(0x43, 0xb0);
    outb(0x42, 0x34);
    outb(0x42, 0x12);
    outb(0x43, 0x80);
    advance(ticks_ns(0x10));
    outb(0x43, 0x80);
    g_assert_cmphex(inb(0x42), ==, 0x34);
    g_assert_cmphex(inb(0x42), ==, 0x12);
    /* read-back of status and count together: status first */
    outb(0x43, 0xc8);
    g_assert_cmphex(inb(0x42) & 0x3f, ==, 0x30);
    g_assert_cmphex(read16(0x42), ==, 0x1224);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    i8254_register_types();
#define ADD(path, fn) \
    g_test_add("/pit/" path, Fixture, NULL, setup, fn, teardown)
    ADD("reset-state", test_reset_state);
    ADD("mode2-counting", test_mode2_counting);
    ADD("irq-deadlines", test_irq_deadlines);
    ADD("mode2-irq-pulses", test_mode2_irq_pulses);
    ADD("access-modes", test_access_modes);
    return g_test_run();
}
