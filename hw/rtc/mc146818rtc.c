/*
 * MC146818 RTC and CMOS RAM (Motorola MC146818A datasheet).
 * Behaviour matches QEMU 7.2 hw/rtc/mc146818rtc.c: cmos_ioport_read/write,
 * the lazily computed time (get_guest_rtc_ns, rtc_update_time,
 * rtc_set_time), update_in_progress, check_update_timer/get_next_alarm,
 * periodic_timer_update (lost_tick_policy=discard), rtc_realizefn,
 * rtc_resetdev. The periodic and update/alarm events are two timers on
 * rtc_clock (QEMU_CLOCK_HOST, as QEMU's default -rtc clock=host).
 */
#include "qemu/osdep.h"
#include <time.h>
#include "qemu/timer.h"
#include "hw/rtc/mc146818rtc.h"

#define NS_PER_SEC          1000000000LL
#define RTC_CLOCK_RATE      32768
/* UIP reads 1 for the last 244 us before each update (datasheet). */
#define UIP_HOLD_LENGTH     (8 * NS_PER_SEC / 32768)
#define SEC_PER_MIN         60
#define MIN_PER_HOUR        60
#define HOUR_PER_DAY        24
#define SEC_PER_DAY         86400

QEMUClockType rtc_clock = QEMU_CLOCK_HOST;

static int64_t rtc_base_offset;
static bool rtc_base_localtime;

void mc146818rtc_set_base(int64_t offset_seconds, bool localtime)
{
    rtc_base_offset = offset_seconds;
    rtc_base_localtime = localtime;
}

static int64_t rtc_now(MC146818RtcState *s)
{
    return qemu_clock_get_ns(rtc_clock);
}

static int64_t muldiv64(int64_t a, int64_t b, int64_t c)
{
    return (int64_t)((__int128)a * b / c);
}

static bool rtc_running(MC146818RtcState *s)
{
    return !(s->cmos_data[RTC_REG_B] & REG_B_SET) &&
           (s->cmos_data[RTC_REG_A] & 0x70) <= 0x20;
}

static uint64_t rtc_guest_ns(MC146818RtcState *s)
{
    return s->base_rtc * NS_PER_SEC + rtc_now(s) - s->last_update +
           s->offset;
}

/* ---- BCD and the time registers ---------------------------------------- */

static int rtc_to_bcd(MC146818RtcState *s, int a)
{
    if (s->cmos_data[RTC_REG_B] & REG_B_DM) {
        return a;
    }
    /*
     * a is negative for a year before base_year (a guest can set 1970
     * with base_year 1980): unsigned, the bits are QEMU's without the
     * undefined left shift of a negative int.
     */
    return ((unsigned)(a / 10) << 4) | (unsigned)(a % 10);
}

/* -1 for the alarm "don't care" codes 0xc0-0xff. */
static int rtc_from_bcd(MC146818RtcState *s, int a)
{
    if ((a & 0xc0) == 0xc0) {
        return -1;
    }
    if (s->cmos_data[RTC_REG_B] & REG_B_DM) {
        return a;
    }
    return ((a >> 4) * 10) + (a & 0x0f);
}

static void rtc_get_tm(MC146818RtcState *s, struct tm *tm)
{
    uint8_t *c = s->cmos_data;

    tm->tm_sec = rtc_from_bcd(s, c[RTC_SECONDS]);
    tm->tm_min = rtc_from_bcd(s, c[RTC_MINUTES]);
    tm->tm_hour = rtc_from_bcd(s, c[RTC_HOURS] & 0x7f);
    if (!(c[RTC_REG_B] & REG_B_24H)) {
        tm->tm_hour %= 12;
        if (c[RTC_HOURS] & 0x80) {
            tm->tm_hour += 12;
        }
    }
    tm->tm_wday = rtc_from_bcd(s, c[RTC_DAY_OF_WEEK]) - 1;
    tm->tm_mday = rtc_from_bcd(s, c[RTC_DAY_OF_MONTH]);
    tm->tm_mon = rtc_from_bcd(s, c[RTC_MONTH]) - 1;
    tm->tm_year = rtc_from_bcd(s, c[RTC_YEAR]) + s->base_year +
                  rtc_from_bcd(s, c[RTC_CENTURY]) * 100 - 1900;
}

static void rtc_set_cmos(MC146818RtcState *s, const struct tm *tm)
{
    uint8_t *c = s->cmos_data;
    int year;

    c[RTC_SECONDS] = rtc_to_bcd(s, tm->tm_sec);
    c[RTC_MINUTES] = rtc_to_bcd(s, tm->tm_min);
    if (c[RTC_REG_B] & REG_B_24H) {
        c[RTC_HOURS] = rtc_to_bcd(s, tm->tm_hour);
    } else {
        int h = (tm->tm_hour % 12) ? tm->tm_hour % 12 : 12;

        c[RTC_HOURS] = rtc_to_bcd(s, h) | (tm->tm_hour >= 12 ? 0x80 : 0);
    }
    c[RTC_DAY_OF_WEEK] = rtc_to_bcd(s, tm->tm_wday + 1);
    c[RTC_DAY_OF_MONTH] = rtc_to_bcd(s, tm->tm_mday);
    c[RTC_MONTH] = rtc_to_bcd(s, tm->tm_mon + 1);
    year = tm->tm_year + 1900 - s->base_year;
    c[RTC_YEAR] = rtc_to_bcd(s, year % 100);
    c[RTC_CENTURY] = rtc_to_bcd(s, year / 100);
}

/* Registers -> base time (after a guest write or leaving SET mode). */
static void rtc_set_time(MC146818RtcState *s)
{
    struct tm tm = { 0 };

    rtc_get_tm(s, &tm);
    s->base_rtc = timegm(&tm);
    s->last_update = rtc_now(s);
}

/* Base time -> registers (before a guest read), unless SET freezes them. */
static void rtc_update_time(MC146818RtcState *s)
{
    time_t sec = rtc_guest_ns(s) / NS_PER_SEC;
    struct tm tm;

    gmtime_r(&sec, &tm);
    if (!(s->cmos_data[RTC_REG_B] & REG_B_SET)) {
        rtc_set_cmos(s, &tm);
    }
}

/* ---- Timers ------------------------------------------------------------ */

static void rtc_timer_set(QEMUTimer *timer, int64_t deadline)
{
    if (deadline < 0) {
        timer_del(timer);
    } else if (timer_expire_time_ns(timer) != deadline) {
        timer_mod(timer, deadline);
    }
}

/* The two timers follow the deadlines (QEMU arms them where it sets them). */
static void rtc_rearm(MC146818RtcState *s)
{
    rtc_timer_set(s->periodic_timer, s->next_periodic_time);
    rtc_timer_set(s->update_timer, s->update_time);
}

static uint32_t rtc_periodic_clock_ticks(MC146818RtcState *s)
{
    int code;

    if (!(s->cmos_data[RTC_REG_B] & REG_B_PIE)) {
        return 0;
    }
    code = s->cmos_data[RTC_REG_A] & 0x0f;
    if (!code) {
        return 0;
    }
    /* Rates 1 and 2 alias 8 and 9 (datasheet table 5). */
    if (code <= 2) {
        code += 7;
    }
    return 1u << (code - 1);
}

static int64_t periodic_clock_to_ns(int64_t clocks)
{
    return muldiv64(clocks, NS_PER_SEC, RTC_CLOCK_RATE);
}

/*
 * QEMU's periodic_timer_update() for lost_tick_policy=discard: a period
 * change counts from the last tick, but at most one period is made up.
 */
static void rtc_periodic_update(MC146818RtcState *s, int64_t now,
                                uint32_t old_period, bool period_change)
{
    uint32_t period = rtc_periodic_clock_ticks(s);
    int64_t cur_clock, lost_clock = 0;

    s->period = period;
    if (!period) {
        s->next_periodic_time = -1;
        return;
    }
    cur_clock = muldiv64(now, RTC_CLOCK_RATE, NS_PER_SEC);
    if (old_period && period_change && s->next_periodic_time >= 0) {
        int64_t next = muldiv64(s->next_periodic_time, RTC_CLOCK_RATE,
                                NS_PER_SEC);

        lost_clock = MAX(cur_clock - (next - old_period), 0);
    }
    lost_clock = MIN(lost_clock, (int64_t)period);
    s->next_periodic_time =
        periodic_clock_to_ns(cur_clock + period - lost_clock) + 1;
}

static void rtc_periodic_fire(MC146818RtcState *s)
{
    rtc_periodic_update(s, s->next_periodic_time, s->period, false);
    s->cmos_data[RTC_REG_C] |= REG_C_PF;
    if (s->cmos_data[RTC_REG_B] & REG_B_PIE) {
        s->cmos_data[RTC_REG_C] |= REG_C_IRQF;
        qemu_irq_raise(s->irq);
    }
}

static int rtc_convert_hour(MC146818RtcState *s, int hour)
{
    if (!(s->cmos_data[RTC_REG_B] & REG_B_24H)) {
        hour %= 12;
        if (s->cmos_data[RTC_HOURS] & 0x80) {
            hour += 12;
        }
    }
    return hour;
}

/*
 * Seconds until the alarm registers next match the time, honouring the
 * don't-care codes (QEMU's get_next_alarm, case by case).
 */
static int rtc_next_alarm_sec(MC146818RtcState *s)
{
    int a_sec, a_min, a_hour, c_sec, c_min, c_hour, diff;

    rtc_update_time(s);
    a_sec = rtc_from_bcd(s, s->cmos_data[RTC_SECONDS_ALARM]);
    a_min = rtc_from_bcd(s, s->cmos_data[RTC_MINUTES_ALARM]);
    a_hour = rtc_from_bcd(s, s->cmos_data[RTC_HOURS_ALARM]);
    a_hour = a_hour == -1 ? -1 : rtc_convert_hour(s, a_hour);
    c_sec = rtc_from_bcd(s, s->cmos_data[RTC_SECONDS]);
    c_min = rtc_from_bcd(s, s->cmos_data[RTC_MINUTES]);
    c_hour = rtc_convert_hour(s, rtc_from_bcd(s, s->cmos_data[RTC_HOURS]));

    if (a_hour == -1) {
        a_hour = c_hour;
        if (a_min == -1) {
            a_min = c_min;
            if (a_sec == -1) {
                a_sec = c_sec + 1;
            } else if (c_sec > a_sec) {
                a_min++;
            }
        } else if (c_min == a_min) {
            if (a_sec == -1) {
                a_sec = c_sec + 1;
            } else if (c_sec > a_sec) {
                a_hour++;
            }
            if (a_sec == SEC_PER_MIN) {
                a_sec = 0;
                a_hour++;
            }
        } else if (c_min > a_min) {
            a_hour++;
        }
    } else if (c_hour == a_hour) {
        if (a_min == -1) {
            a_min = c_min;
            if (a_sec == -1) {
                a_sec = c_sec + 1;
            } else if (c_sec > a_sec) {
                a_min++;
            }
            if (a_sec == SEC_PER_MIN) {
                a_sec = 0;
                a_min++;
            }
            a_min %= MIN_PER_HOUR;
        } else if (c_min == a_min) {
            if (a_sec == -1) {
                a_sec = c_sec + 1;
            }
            a_sec %= SEC_PER_MIN;
        }
    }
    if (a_min == -1) {
        a_min = 0;
    }
    if (a_sec == -1) {
        a_sec = 0;
    }
    if (a_sec == SEC_PER_MIN) {
        a_sec = 0;
        a_min++;
    }
    if (a_min == MIN_PER_HOUR) {
        a_min = 0;
        a_hour++;
    }
    a_hour %= HOUR_PER_DAY;

    diff = ((a_hour - c_hour) * MIN_PER_HOUR + a_min - c_min) * SEC_PER_MIN +
           a_sec - c_sec;
    return diff <= 0 ? diff + SEC_PER_DAY : diff;
}

/* QEMU's check_update_timer(): when the next update/alarm event is due. */
static void rtc_check_update_timer(MC146818RtcState *s)
{
    int64_t next_update;
    int64_t now = rtc_now(s);

    /* Dividers held in reset: no updates, no interrupts. */
    if ((s->cmos_data[RTC_REG_A] & 0x60) == 0x60) {
        s->update_time = -1;
        return;
    }
    next_update = now + NS_PER_SEC - rtc_guest_ns(s) % NS_PER_SEC;
    s->next_alarm_time = next_update +
                         (int64_t)(rtc_next_alarm_sec(s) - 1) * NS_PER_SEC;

    /*
     * With UF already set and UIP not latched, only AF can still change:
     * skip the per-second wakeups and aim at the alarm (or at nothing).
     */
    if (!(s->cmos_data[RTC_REG_A] & REG_A_UIP) &&
        (s->cmos_data[RTC_REG_C] & REG_C_UF)) {
        if ((s->cmos_data[RTC_REG_B] & REG_B_SET) ||
            (s->cmos_data[RTC_REG_C] & REG_C_AF)) {
            s->update_time = -1;
            return;
        }
        next_update = s->next_alarm_time;
    }
    s->update_time = next_update;
}

static void rtc_update_fire(MC146818RtcState *s)
{
    uint8_t irqs = REG_C_UF, new_irqs;

    rtc_update_time(s);
    s->cmos_data[RTC_REG_A] &= ~REG_A_UIP;
    if ((uint64_t)rtc_now(s) >= s->next_alarm_time) {
        irqs |= REG_C_AF;
    }
    new_irqs = irqs & ~s->cmos_data[RTC_REG_C];
    s->cmos_data[RTC_REG_C] |= irqs;
    if (new_irqs & s->cmos_data[RTC_REG_B]) {
        s->cmos_data[RTC_REG_C] |= REG_C_IRQF;
        qemu_irq_raise(s->irq);
    }
    rtc_check_update_timer(s);
}

/*
 * QEMU's rtc_periodic_timer(): the next tick counts from this one's
 * deadline, so a late main loop catches up tick by tick. More than a
 * second late (a host suspend, a wall-clock step) it counts from now
 * instead: with lost_tick_policy=discard the missed ticks would only set
 * PF, already set, and catching up could spin for a long time.
 */
static void rtc_periodic_timer(void *opaque)
{
    MC146818RtcState *s = opaque;
    int64_t now = rtc_now(s);

    if (now - s->next_periodic_time > NS_PER_SEC) {
        s->next_periodic_time = now;
    }
    rtc_periodic_fire(s);
    rtc_rearm(s);
}

/* QEMU's rtc_update_timer(). */
static void rtc_update_timer(void *opaque)
{
    MC146818RtcState *s = opaque;

    rtc_update_fire(s);
    rtc_rearm(s);
}

static bool rtc_update_in_progress(MC146818RtcState *s)
{
    int64_t now = rtc_now(s);

    if (!rtc_running(s)) {
        return false;
    }
    /* Latched until the update event has run. */
    if (s->update_time >= 0 && now >= s->update_time - UIP_HOLD_LENGTH) {
        s->cmos_data[RTC_REG_A] |= REG_A_UIP;
        return true;
    }
    return rtc_guest_ns(s) % NS_PER_SEC >= NS_PER_SEC - UIP_HOLD_LENGTH;
}

/* ---- Registers --------------------------------------------------------- */

static void rtc_write_reg_a(MC146818RtcState *s, uint8_t data)
{
    bool rate_changed = (s->cmos_data[RTC_REG_A] ^ data) & 0x0f;
    uint32_t old_period = rtc_periodic_clock_ticks(s);

    if ((data & 0x60) == 0x60) {
        if (rtc_running(s)) {
            rtc_update_time(s);
        }
        s->cmos_data[RTC_REG_A] &= ~REG_A_UIP;
    } else if ((s->cmos_data[RTC_REG_A] & 0x60) == 0x60 &&
               (data & 0x70) <= 0x20) {
        /* Out of divider reset, the first update comes 500 ms later. */
        if (!(s->cmos_data[RTC_REG_B] & REG_B_SET)) {
            s->offset = 500000000;
            rtc_set_time(s);
        }
        s->cmos_data[RTC_REG_A] &= ~REG_A_UIP;
    }
    s->cmos_data[RTC_REG_A] = (data & ~REG_A_UIP) |
                              (s->cmos_data[RTC_REG_A] & REG_A_UIP);
    if (rate_changed) {
        rtc_periodic_update(s, rtc_now(s), old_period, true);
    }
    rtc_check_update_timer(s);
}

static void rtc_write_reg_b(MC146818RtcState *s, uint8_t data)
{
    bool pie_changed = (s->cmos_data[RTC_REG_B] ^ data) & REG_B_PIE;
    uint32_t old_period = rtc_periodic_clock_ticks(s);

    if (data & REG_B_SET) {
        /* Freeze the registers at the moment the clock stops. */
        if (rtc_running(s)) {
            rtc_update_time(s);
        }
        s->cmos_data[RTC_REG_A] &= ~REG_A_UIP;
        data &= ~REG_B_UIE;
    } else if ((s->cmos_data[RTC_REG_B] & REG_B_SET) &&
               (s->cmos_data[RTC_REG_A] & 0x70) <= 0x20) {
        /* Leaving SET: the guest's registers become the time. */
        s->offset = rtc_guest_ns(s) % NS_PER_SEC;
        rtc_set_time(s);
    }
    /* A flag already set raises the line as soon as it is enabled. */
    if (data & s->cmos_data[RTC_REG_C] & REG_C_MASK) {
        s->cmos_data[RTC_REG_C] |= REG_C_IRQF;
        qemu_irq_raise(s->irq);
    } else {
        s->cmos_data[RTC_REG_C] &= ~REG_C_IRQF;
        qemu_irq_lower(s->irq);
    }
    s->cmos_data[RTC_REG_B] = data;
    if (pie_changed) {
        rtc_periodic_update(s, rtc_now(s), old_period, true);
    }
    rtc_check_update_timer(s);
}

static void rtc_io_write(void *opaque, uint64_t addr, uint64_t val,
                         unsigned size)
{
    MC146818RtcState *s = opaque;
    uint8_t data = val;

    if ((addr & 1) == 0) {
        /* Bit 7 is the NMI mask on a PC; not ours to model. */
        s->cmos_index = data & 0x7f;
        return;
    }
    switch (s->cmos_index) {
    case RTC_SECONDS_ALARM:
    case RTC_MINUTES_ALARM:
    case RTC_HOURS_ALARM:
        s->cmos_data[s->cmos_index] = data;
        rtc_check_update_timer(s);
        break;
    case RTC_IBM_PS2_CENTURY_BYTE:
        s->cmos_index = RTC_CENTURY;
        /* fall through */
    case RTC_CENTURY:
    case RTC_SECONDS:
    case RTC_MINUTES:
    case RTC_HOURS:
    case RTC_DAY_OF_WEEK:
    case RTC_DAY_OF_MONTH:
    case RTC_MONTH:
    case RTC_YEAR:
        s->cmos_data[s->cmos_index] = data;
        /* In SET mode the time is taken when SET is cleared. */
        if (rtc_running(s)) {
            rtc_set_time(s);
            rtc_check_update_timer(s);
        }
        break;
    case RTC_REG_A:
        rtc_write_reg_a(s, data);
        break;
    case RTC_REG_B:
        rtc_write_reg_b(s, data);
        break;
    case RTC_REG_C:
    case RTC_REG_D:
        /* Read-only. */
        break;
    default:
        s->cmos_data[s->cmos_index] = data;
        break;
    }
    rtc_rearm(s);
}

static uint64_t rtc_io_read(void *opaque, uint64_t addr, unsigned size)
{
    MC146818RtcState *s = opaque;
    uint8_t ret;

    if ((addr & 1) == 0) {
        return 0xff;        /* the index register is write-only */
    }
    switch (s->cmos_index) {
    case RTC_IBM_PS2_CENTURY_BYTE:
        s->cmos_index = RTC_CENTURY;
        /* fall through */
    case RTC_CENTURY:
    case RTC_SECONDS:
    case RTC_MINUTES:
    case RTC_HOURS:
    case RTC_DAY_OF_WEEK:
    case RTC_DAY_OF_MONTH:
    case RTC_MONTH:
    case RTC_YEAR:
        if (rtc_running(s)) {
            rtc_update_time(s);
        }
        ret = s->cmos_data[s->cmos_index];
        break;
    case RTC_REG_A:
        ret = s->cmos_data[RTC_REG_A];
        if (rtc_update_in_progress(s)) {
            ret |= REG_A_UIP;
        }
        break;
    case RTC_REG_C:
        ret = s->cmos_data[RTC_REG_C];
        qemu_irq_lower(s->irq);
        s->cmos_data[RTC_REG_C] = 0;
        if (ret & (REG_C_UF | REG_C_AF)) {
            rtc_check_update_timer(s);
            rtc_rearm(s);
        }
        break;
    default:
        ret = s->cmos_data[s->cmos_index];
        break;
    }
    return ret;
}

const MemoryRegionOps mc146818rtc_io_ops = {
    .read = rtc_io_read,
    .write = rtc_io_write,
    .impl.min_access_size = 1,      /* QEMU 7.2: the same .impl */
    .impl.max_access_size = 1,
};

void rtc_set_memory(DeviceState *dev, int addr, int val)
{
    MC146818RtcState *s = MC146818_RTC(dev);

    if (addr >= 0 && addr <= 127) {
        s->cmos_data[addr] = val;
    }
}

int rtc_get_memory(DeviceState *dev, int addr)
{
    MC146818RtcState *s = MC146818_RTC(dev);

    g_assert(addr >= 0 && addr <= 127);
    return s->cmos_data[addr];
}

/* ---- Device ------------------------------------------------------------ */

static void rtc_set_date_from_host(MC146818RtcState *s)
{
    int64_t now_ns = rtc_now(s);
    time_t t = now_ns / NS_PER_SEC + rtc_base_offset;
    struct tm tm;

    if (rtc_base_localtime) {
        localtime_r(&t, &tm);
    } else {
        gmtime_r(&t, &tm);
    }
    s->base_rtc = timegm(&tm);
    s->last_update = now_ns;
    s->offset = 0;
    rtc_set_cmos(s, &tm);
}

static void rtc_realize(DeviceState *dev, Error **errp)
{
    MC146818RtcState *s = MC146818_RTC(dev);

    s->cmos_data[RTC_REG_A] = 0x26;
    s->cmos_data[RTC_REG_B] = 0x02;
    s->cmos_data[RTC_REG_C] = 0x00;
    s->cmos_data[RTC_REG_D] = 0x80;
    /*
     * QEMU: base_year 2000 means "registers hold the full year with a
     * real century byte"; 1980 keeps the century byte 0 until 2079.
     */
    if (s->base_year == 2000) {
        s->base_year = 0;
    }
    if (s->isairq >= 16) {
        error_setg(errp, "Maximum value for \"irq\" is: %u", 15);
        return;
    }
    if (s->lost_tick_policy == LOST_TICK_POLICY_DELAY) {
        error_setg(errp, "Invalid lost tick policy.");
        return;
    }
    s->next_periodic_time = -1;
    s->update_time = -1;
    s->periodic_timer = timer_new_ns(rtc_clock, rtc_periodic_timer, s);
    s->update_timer = timer_new_ns(rtc_clock, rtc_update_timer, s);
    rtc_set_date_from_host(s);
    rtc_check_update_timer(s);
    if (!s->irq) {
        s->irq = isa_get_irq(s->isairq);
    }
    if (s->io_base <= 0xfffe) {
        isa_register_ioport(ISA_DEVICE(dev), s->io_base, 2,
                            &mc146818rtc_io_ops, s, "rtc");
    }
    rtc_rearm(s);
}

static void rtc_reset(DeviceState *dev)
{
    MC146818RtcState *s = MC146818_RTC(dev);

    /* 0xfe in the shutdown byte survives: an S3 resume in progress. */
    if (s->cmos_data[0x0f] != 0xfe) {
        s->cmos_data[0x0f] = 0x00;
    }
    s->cmos_data[RTC_REG_B] &= ~(REG_B_PIE | REG_B_AIE | REG_B_SQWE);
    s->cmos_data[RTC_REG_C] &= ~(REG_C_UF | REG_C_IRQF | REG_C_PF |
                                 REG_C_AF);
    rtc_check_update_timer(s);
    qemu_irq_lower(s->irq);
    rtc_rearm(s);
}

static void rtc_unrealize(DeviceState *dev)
{
    MC146818RtcState *s = MC146818_RTC(dev);

    s->next_periodic_time = -1;
    s->update_time = -1;
    timer_free(s->periodic_timer);
    timer_free(s->update_timer);
    s->periodic_timer = s->update_timer = NULL;
}

static const char *const lost_tick_policy_table[] = {
    "discard", "delay", "slew", NULL
};

static const Property rtc_properties[] = {
    DEFINE_PROP_INT32("base_year", MC146818RtcState, base_year, 1980, ""),
    DEFINE_PROP_UINT16("iobase", MC146818RtcState, io_base, RTC_ISA_BASE,
                       ""),
    DEFINE_PROP_UINT8("irq", MC146818RtcState, isairq, RTC_ISA_IRQ, ""),
    DEFINE_PROP_ENUM("lost_tick_policy", MC146818RtcState, lost_tick_policy,
                     LOST_TICK_POLICY_DISCARD, lost_tick_policy_table, ""),
    DEFINE_PROP_END_OF_LIST()
};

static void rtc_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = rtc_realize;
    dc->reset = rtc_reset;
    dc->unrealize = rtc_unrealize;
    dc->user_creatable = true;
    dc->bus_type = "ISA";
    dc->categories = 1u << DEVICE_CATEGORY_MISC;
    object_class_add_properties(klass, rtc_properties);
}

static const TypeInfo rtc_info = {
    .name = TYPE_MC146818_RTC,
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(MC146818RtcState),
    .class_init = rtc_class_init,
};

void mc146818rtc_register_types(void)
{
    type_register_static(&rtc_info);
}
