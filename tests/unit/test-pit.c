/*
 * Unit tests for the userspace i8254 PIT (hw/timer/i8254.c) through
 * ports 0x40-0x43, on a test clock: the reset state (mode 3, count
 * 0x10000), counting in modes 0, 2 and 3, the latch and read-back
 * commands, lobyte/hibyte access, and channel 0's OUT on IRQ 0 with its
 * next deadline. As QEMU 7.2 hw/timer/i8254.c + i8254_common.c.
 */
#include "qemu/osdep.h"
#include "hw/timer/i8254.h"
#include "system/memory.h"

static int64_t now_ns;
static int64_t armed;               /* the deadline last armed, or -1 */
static GArray *levels;              /* of int: IRQ 0 levels set */

static int64_t test_clock(void *opaque)
{
    return now_ns;
}

static void test_arm(PITState *s, int64_t ns)
{
    armed = ns;
}

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
    now_ns = 1000000000;
    armed = -2;
    levels = g_array_new(false, false, sizeof(int));
    f->irq = qemu_allocate_irq(irq0, NULL, 0);
    f->pit = i8254_create(f->irq, 0x40, &error_abort);
    f->pit->clock_ns = test_clock;
    f->pit->arm = test_arm;
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
    g_assert_cmpint(armed, ==, now_ns + 0x8000 * 1000000000LL / PIT_FREQ);
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
    now_ns += ticks_ns(0x100);
    g_assert_cmphex(latch(0), ==, 0x0f00);
    /* periodic: wraps back to the count */
    now_ns += ticks_ns(0x1000);
    g_assert_cmphex(latch(0), ==, 0x0f00);
}

static void test_irq_deadlines(Fixture *f, gconstpointer data)
{
    int64_t start = now_ns;

    g_array_set_size(levels, 0);
    outb(0x43, 0x30);                 /* ch 0, lo/hi, mode 0 */
    outb(0x40, 0x64);
    outb(0x40, 0x00);                 /* 100 ticks, one shot */
    /* loading drops OUT and arms the terminal count */
    g_assert_cmpuint(levels->len, ==, 1);
    g_assert_cmpint(g_array_index(levels, int, 0), ==, 0);
    g_assert_cmpint(armed, ==, start + 100 * 1000000000LL / PIT_FREQ);
    now_ns = armed;
    i8254_timer_expired(f->pit);
    /* as QEMU: ns rounding can put the edge 1 ns after the deadline */
    if (g_array_index(levels, int, levels->len - 1) == 0) {
        g_assert_cmpint(armed, ==, now_ns + 1);
        now_ns = armed;
        i8254_timer_expired(f->pit);
    }
    g_assert_cmpint(g_array_index(levels, int, levels->len - 1), ==, 1);
    /* mode 0 is one shot: nothing more to arm */
    g_assert_cmpint(armed, ==, -1);
    /* the count keeps decrementing past zero, modulo 2^16 */
    now_ns = start + ticks_ns(101);
    g_assert_cmphex(latch(0), ==, 0xffff);
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
    now_ns += ticks_ns(0x10);
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
    ADD("access-modes", test_access_modes);
    return g_test_run();
}
