/*
 * Unit tests for the MC146818 RTC (hw/rtc/mc146818rtc.c) against QEMU
 * 7.2's behaviour: reset registers, BCD/binary and 12/24 h, SET mode,
 * register C flags and the IRQ, periodic/update-ended/alarm events, UIP,
 * CMOS RAM. The RTC counts on the virtual clock, which the test moves by
 * hand: its timers run on the way, in deadline order.
 */
#include "qemu/osdep.h"
#include <time.h>
#include "qemu/timer.h"
#include "hw/rtc/mc146818rtc.h"

#define NS 1000000000LL

static GArray *levels;

static void irq_record(void *opaque, int n, int level)
{
    g_array_append_val(levels, level);
}

static IRQState irq_stub = { .handler = irq_record };

static int irq_now(void)
{
    return levels->len ? g_array_index(levels, int, levels->len - 1) : 0;
}

/* 2024-02-29 23:59:58 UTC, a leap day about to roll into March. */
static MC146818RtcState *make_rtc(void)
{
    struct tm tm = { .tm_year = 124, .tm_mon = 1, .tm_mday = 29,
                     .tm_hour = 23, .tm_min = 59, .tm_sec = 58 };
    Object *obj = object_new(TYPE_MC146818_RTC);
    MC146818RtcState *s = MC146818_RTC(obj);
    Error *err = NULL;

    rtc_clock = QEMU_CLOCK_VIRTUAL;
    qemu_clock_set_virtual_manual((int64_t)timegm(&tm) * NS);
    g_array_set_size(levels, 0);
    s->irq = &irq_stub;
    g_assert_true(object_property_parse(obj, "base_year", "2000", &err));
    /* teardown() frees it through the device list */
    g_assert_true(qdev_realize_and_unref(DEVICE(obj), &err));
    g_assert_null(err);
    device_reset(DEVICE(obj));
    return s;
}

static void teardown(void)
{
    qdev_unrealize_all();
    address_space_clear(&address_space_io);
}

static uint8_t rd(MC146818RtcState *s, uint8_t idx)
{
    mc146818rtc_io_ops.write(s, 0, idx, 1);
    return mc146818rtc_io_ops.read(s, 1, 1);
}

static void wr(MC146818RtcState *s, uint8_t idx, uint8_t val)
{
    mc146818rtc_io_ops.write(s, 0, idx, 1);
    mc146818rtc_io_ops.write(s, 1, val, 1);
}

/* Moves the RTC's clock ns on, running its events as they fall due. */
static void advance(int64_t ns)
{
    qemu_clock_advance_virtual_time(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                                    ns);
}

static void test_initial_registers(void)
{
    MC146818RtcState *s = make_rtc();

    g_assert_cmphex(rd(s, RTC_REG_A), ==, 0x26);
    g_assert_cmphex(rd(s, RTC_REG_B), ==, 0x02);
    g_assert_cmphex(rd(s, RTC_REG_C), ==, 0x00);
    g_assert_cmphex(rd(s, RTC_REG_D), ==, 0x80);
    g_assert_cmphex(rd(s, RTC_SECONDS), ==, 0x58);
    g_assert_cmphex(rd(s, RTC_MINUTES), ==, 0x59);
    g_assert_cmphex(rd(s, RTC_HOURS), ==, 0x23);
    g_assert_cmphex(rd(s, RTC_DAY_OF_WEEK), ==, 0x05);     /* Thursday */
    g_assert_cmphex(rd(s, RTC_DAY_OF_MONTH), ==, 0x29);
    g_assert_cmphex(rd(s, RTC_MONTH), ==, 0x02);
    g_assert_cmphex(rd(s, RTC_YEAR), ==, 0x24);
    /* base_year=2000 (microvm): a real century byte. */
    g_assert_cmphex(rd(s, RTC_CENTURY), ==, 0x20);
    g_assert_cmphex(rd(s, RTC_IBM_PS2_CENTURY_BYTE), ==, 0x20);
    teardown();
}

static void test_time_advances(void)
{
    MC146818RtcState *s = make_rtc();

    advance(3 * NS);         /* 2024-03-01 00:00:01 */
    g_assert_cmphex(rd(s, RTC_SECONDS), ==, 0x01);
    g_assert_cmphex(rd(s, RTC_MINUTES), ==, 0x00);
    g_assert_cmphex(rd(s, RTC_HOURS), ==, 0x00);
    g_assert_cmphex(rd(s, RTC_DAY_OF_MONTH), ==, 0x01);
    g_assert_cmphex(rd(s, RTC_MONTH), ==, 0x03);
    g_assert_cmphex(rd(s, RTC_DAY_OF_WEEK), ==, 0x06);
    teardown();
}

static void test_binary_and_12h(void)
{
    MC146818RtcState *s = make_rtc();

    wr(s, RTC_REG_B, REG_B_DM | REG_B_24H);
    g_assert_cmphex(rd(s, RTC_SECONDS), ==, 58);
    g_assert_cmphex(rd(s, RTC_HOURS), ==, 23);
    g_assert_cmphex(rd(s, RTC_DAY_OF_MONTH), ==, 29);
    g_assert_cmphex(rd(s, RTC_YEAR), ==, 24);

    wr(s, RTC_REG_B, 0x00);                     /* BCD, 12 hour */
    g_assert_cmphex(rd(s, RTC_HOURS), ==, 0x91);    /* 11 PM */

    /* Setting 00:30 in 12 h mode: hour 12, AM. */
    wr(s, RTC_REG_B, REG_B_SET | REG_B_24H);
    wr(s, RTC_HOURS, 0x00);
    wr(s, RTC_MINUTES, 0x30);
    wr(s, RTC_REG_B, 0x00);
    g_assert_cmphex(rd(s, RTC_HOURS), ==, 0x12);
    g_assert_cmphex(rd(s, RTC_MINUTES), ==, 0x30);
    teardown();
}

static void test_set_mode(void)
{
    MC146818RtcState *s = make_rtc();

    wr(s, RTC_REG_B, REG_B_SET | REG_B_24H);
    wr(s, RTC_HOURS, 0x10);
    wr(s, RTC_MINUTES, 0x20);
    wr(s, RTC_SECONDS, 0x30);
    advance(5 * NS);
    /* Frozen while SET is on. */
    g_assert_cmphex(rd(s, RTC_SECONDS), ==, 0x30);
    g_assert_cmphex(rd(s, RTC_HOURS), ==, 0x10);
    wr(s, RTC_REG_B, REG_B_24H);
    advance(2 * NS);
    /* Runs on from the written time, date kept. */
    g_assert_cmphex(rd(s, RTC_SECONDS), ==, 0x32);
    g_assert_cmphex(rd(s, RTC_MINUTES), ==, 0x20);
    g_assert_cmphex(rd(s, RTC_HOURS), ==, 0x10);
    g_assert_cmphex(rd(s, RTC_DAY_OF_MONTH), ==, 0x29);

    /* Writing a time register while running takes effect at once. */
    wr(s, RTC_MINUTES, 0x45);
    advance(1 * NS);
    g_assert_cmphex(rd(s, RTC_MINUTES), ==, 0x45);
    g_assert_cmphex(rd(s, RTC_SECONDS), ==, 0x33);
    teardown();
}

static void test_divider_reset_stops_clock(void)
{
    MC146818RtcState *s = make_rtc();

    wr(s, RTC_REG_A, 0x70);
    advance(10 * NS);
    g_assert_cmphex(rd(s, RTC_SECONDS), ==, 0x58);
    g_assert_cmphex(rd(s, RTC_REG_A), ==, 0x70);
    teardown();
}

static void test_periodic(void)
{
    MC146818RtcState *s = make_rtc();

    /* Rate 6 is 1024 Hz; without PIE nothing runs and nothing is flagged. */
    advance(NS / 100);
    g_assert_cmphex(rd(s, RTC_REG_C) & REG_C_PF, ==, 0);

    wr(s, RTC_REG_B, REG_B_24H | REG_B_PIE);
    g_assert_cmpint(irq_now(), ==, 0);
    advance(500000);                         /* half a period */
    g_assert_cmpint(irq_now(), ==, 0);
    advance(500000);
    g_assert_cmpint(irq_now(), ==, 1);
    g_assert_cmphex(rd(s, RTC_REG_C), ==, REG_C_IRQF | REG_C_PF);
    g_assert_cmpint(irq_now(), ==, 0);          /* read C lowers IRQ 8 */
    g_assert_cmphex(rd(s, RTC_REG_C), ==, 0x00);

    /* Next tick one period later. */
    advance(976563);
    g_assert_cmphex(rd(s, RTC_REG_C), ==, REG_C_IRQF | REG_C_PF);

    /* Rate 0 stops it. */
    wr(s, RTC_REG_A, 0x20);
    advance(NS / 100);
    g_assert_cmphex(rd(s, RTC_REG_C), ==, 0x00);
    teardown();
}

/*
 * A late main loop: periodic ticks up to a second late are caught up one
 * by one, each on QEMU's grid; further behind, the next tick counts from
 * now instead of spinning through every missed one.
 */
static void test_periodic_late(void)
{
    MC146818RtcState *s = make_rtc();
    int64_t now;
    guint before;

    wr(s, RTC_REG_B, REG_B_24H | REG_B_PIE);    /* 1024 Hz */
    /* The clock moves on without running timers, then they run. */
    before = levels->len;
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + NS / 2;
    qemu_clock_set_virtual_manual(now);
    advance(0);
    g_assert_cmpuint(levels->len - before, >=, 511);
    g_assert_cmpuint(levels->len - before, <=, 513);

    before = levels->len;
    now += 10 * NS;
    qemu_clock_set_virtual_manual(now);
    advance(0);
    g_assert_cmpuint(levels->len - before, ==, 1);
    g_assert_cmpint(timer_expire_time_ns(s->periodic_timer), >, now);
    g_assert_cmpint(timer_expire_time_ns(s->periodic_timer), <=,
                    now + NS / 1024 + 1);
    teardown();
}

static void test_update_ended(void)
{
    MC146818RtcState *s = make_rtc();

    /* Keep the alarm (00:00:00 after reset) out of the way. */
    wr(s, RTC_HOURS_ALARM, 0x12);
    /* UF is flagged every second even with UIE off, without IRQ. */
    advance(NS);
    g_assert_cmphex(rd(s, RTC_REG_C), ==, REG_C_UF);
    g_assert_cmpint(irq_now(), ==, 0);

    wr(s, RTC_REG_B, REG_B_24H | REG_B_UIE);
    advance(NS / 2);
    g_assert_cmphex(s->cmos_data[RTC_REG_C], ==, 0);
    advance(NS / 2);
    g_assert_cmpint(irq_now(), ==, 1);
    g_assert_cmphex(rd(s, RTC_REG_C), ==, REG_C_IRQF | REG_C_UF);
    g_assert_cmpint(irq_now(), ==, 0);
    teardown();
}

static void test_flag_raises_when_enabled(void)
{
    MC146818RtcState *s = make_rtc();

    advance(NS);                             /* UF set, UIE off */
    g_assert_cmpint(irq_now(), ==, 0);
    wr(s, RTC_REG_B, REG_B_24H | REG_B_UIE);
    g_assert_cmpint(irq_now(), ==, 1);
    g_assert_cmphex(rd(s, RTC_REG_C), ==, REG_C_IRQF | REG_C_UF);
    teardown();
}

static void test_alarm(void)
{
    MC146818RtcState *s = make_rtc();

    /* Alarm at 00:00:02, four seconds from 23:59:58. */
    wr(s, RTC_HOURS_ALARM, 0x00);
    wr(s, RTC_MINUTES_ALARM, 0x00);
    wr(s, RTC_SECONDS_ALARM, 0x02);
    wr(s, RTC_REG_B, REG_B_24H | REG_B_AIE);
    for (int i = 0; i < 3; i++) {
        advance(NS);
        g_assert_cmphex(rd(s, RTC_REG_C) & REG_C_AF, ==, 0);
        g_assert_cmpint(irq_now(), ==, 0);
    }
    advance(NS);
    g_assert_cmpint(irq_now(), ==, 1);
    g_assert_cmphex(rd(s, RTC_REG_C), ==, REG_C_IRQF | REG_C_AF | REG_C_UF);
    g_assert_cmphex(rd(s, RTC_SECONDS), ==, 0x02);

    /* All "don't care" (0xc0-0xff): the alarm fires every second. */
    wr(s, RTC_HOURS_ALARM, 0xff);
    wr(s, RTC_MINUTES_ALARM, 0xff);
    wr(s, RTC_SECONDS_ALARM, 0xff);
    advance(NS);
    g_assert_cmphex(rd(s, RTC_REG_C) & REG_C_AF, ==, REG_C_AF);
    advance(NS);
    g_assert_cmphex(rd(s, RTC_REG_C) & REG_C_AF, ==, REG_C_AF);
    teardown();
}

static void test_uip(void)
{
    MC146818RtcState *s = make_rtc();

    advance(NS / 2);
    g_assert_cmphex(rd(s, RTC_REG_A), ==, 0x26);
    advance(NS / 2 - 100000);                /* 100 us before the tick */
    g_assert_cmphex(rd(s, RTC_REG_A), ==, 0x26 | REG_A_UIP);
    advance(100000);
    g_assert_cmphex(rd(s, RTC_REG_A), ==, 0x26);
    /* UIP is read-only. */
    wr(s, RTC_REG_A, 0xa6);
    g_assert_cmphex(rd(s, RTC_REG_A), ==, 0x26);
    teardown();
}

static void test_cmos_ram(void)
{
    MC146818RtcState *s = make_rtc();

    rtc_set_memory(DEVICE(s), 0x10, 0x42);
    g_assert_cmphex(rd(s, 0x10), ==, 0x42);
    wr(s, 0x40, 0x99);
    g_assert_cmphex(rd(s, 0x40), ==, 0x99);
    g_assert_cmpint(rtc_get_memory(DEVICE(s), 0x40), ==, 0x99);
    /* Bit 7 of the index (NMI mask) does not select a register. */
    g_assert_cmphex(rd(s, 0x80 | 0x10), ==, 0x42);
    /* The index port reads 0xff. */
    g_assert_cmphex(mc146818rtc_io_ops.read(s, 0, 1), ==, 0xff);
    /* C and D are read-only. */
    wr(s, RTC_REG_D, 0x00);
    g_assert_cmphex(rd(s, RTC_REG_D), ==, 0x80);
    wr(s, RTC_REG_C, 0xff);
    g_assert_cmphex(rd(s, RTC_REG_C), ==, 0x00);
    /* Out-of-range board writes are ignored. */
    rtc_set_memory(DEVICE(s), 128, 1);
    rtc_set_memory(DEVICE(s), -1, 1);
    teardown();
}

static void test_reset(void)
{
    MC146818RtcState *s = make_rtc();

    wr(s, RTC_REG_B, REG_B_24H | REG_B_PIE | REG_B_AIE | REG_B_SQWE);
    wr(s, 0x0f, 0x05);
    device_reset(DEVICE(s));
    g_assert_cmphex(rd(s, RTC_REG_B), ==, REG_B_24H);
    g_assert_cmphex(rd(s, 0x0f), ==, 0x00);
    /* 0xfe (S3 resume) survives a reset. */
    wr(s, 0x0f, 0xfe);
    device_reset(DEVICE(s));
    g_assert_cmphex(rd(s, 0x0f), ==, 0xfe);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    levels = g_array_new(false, false, sizeof(int));
    qdev_register_types();
    mc146818rtc_register_types();

    g_test_add_func("/rtc/initial-registers", test_initial_registers);
    g_test_add_func("/rtc/time-advances", test_time_advances);
    g_test_add_func("/rtc/binary-and-12h", test_binary_and_12h);
    g_test_add_func("/rtc/set-mode", test_set_mode);
    g_test_add_func("/rtc/divider-reset", test_divider_reset_stops_clock);
    g_test_add_func("/rtc/periodic", test_periodic);
    g_test_add_func("/rtc/periodic-late", test_periodic_late);
    g_test_add_func("/rtc/update-ended", test_update_ended);
    g_test_add_func("/rtc/flag-raises-when-enabled",
                    test_flag_raises_when_enabled);
    g_test_add_func("/rtc/alarm", test_alarm);
    g_test_add_func("/rtc/uip", test_uip);
    g_test_add_func("/rtc/cmos-ram", test_cmos_ram);
    g_test_add_func("/rtc/reset", test_reset);
    return g_test_run();
}
