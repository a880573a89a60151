/*
 * The MC146818 real-time clock and its 128 bytes of CMOS RAM on ports
 * 0x70/0x71, ISA IRQ 8. Matches QEMU 7.2 hw/rtc/mc146818rtc.c: the time
 * is computed lazily from rtc_clock, and the periodic and
 * update-ended/alarm events are timers on that clock.
 */
#ifndef HW_RTC_MC146818RTC_H
#define HW_RTC_MC146818RTC_H

#include "hw/core/qdev.h"
#include "qemu/timer.h"

#define TYPE_MC146818_RTC "mc146818rtc"
#define RTC_ISA_IRQ 8
#define RTC_ISA_BASE 0x70

/* Register indexes (MC146818 datasheet; century as the PC/AT CMOS). */
#define RTC_SECONDS             0x00
#define RTC_SECONDS_ALARM       0x01
#define RTC_MINUTES             0x02
#define RTC_MINUTES_ALARM       0x03
#define RTC_HOURS               0x04
#define RTC_HOURS_ALARM         0x05
#define RTC_DAY_OF_WEEK         0x06
#define RTC_DAY_OF_MONTH        0x07
#define RTC_MONTH               0x08
#define RTC_YEAR                0x09
#define RTC_REG_A               0x0a
#define RTC_REG_B               0x0b
#define RTC_REG_C               0x0c
#define RTC_REG_D               0x0d
#define RTC_CENTURY             0x32
#define RTC_IBM_PS2_CENTURY_BYTE 0x37

#define REG_A_UIP   0x80
#define REG_B_SET   0x80
#define REG_B_PIE   0x40
#define REG_B_AIE   0x20
#define REG_B_UIE   0x10
#define REG_B_SQWE  0x08
#define REG_B_DM    0x04
#define REG_B_24H   0x02
#define REG_B_DSE   0x01
#define REG_C_IRQF  0x80
#define REG_C_PF    0x40
#define REG_C_AF    0x20
#define REG_C_UF    0x10
#define REG_C_MASK  0x70

typedef enum LostTickPolicy {
    LOST_TICK_POLICY_DISCARD,
    LOST_TICK_POLICY_DELAY,
    LOST_TICK_POLICY_SLEW,
} LostTickPolicy;

/*
 * The clock the RTC counts on, as QEMU's rtc_clock (softmmu/rtc.c):
 * QEMU_CLOCK_HOST by default; tests use the virtual clock. Read at
 * realize.
 */
extern QEMUClockType rtc_clock;

typedef struct MC146818RtcState {
    ISADevice parent_obj;

    /* Properties. */
    int32_t base_year;
    uint16_t io_base;
    uint8_t isairq;
    int lost_tick_policy;

    /* Guest-visible state. */
    uint8_t cmos_data[128];
    uint8_t cmos_index;

    /* Time: guest RTC ns = base_rtc s + (clock - last_update) + offset. */
    uint64_t base_rtc;
    int64_t last_update;
    int64_t offset;
    uint32_t period;                /* periodic rate, 32 kHz ticks */
    int64_t next_periodic_time;     /* deadline, or -1 */
    int64_t update_time;            /* update-ended deadline, or -1 */
    uint64_t next_alarm_time;

    /* Host plumbing. */
    qemu_irq irq;
    QEMUTimer *periodic_timer;
    QEMUTimer *update_timer;
} MC146818RtcState;

#define MC146818_RTC(obj) \
    OBJECT_CHECK(MC146818RtcState, (obj), TYPE_MC146818_RTC)

extern const MemoryRegionOps mc146818rtc_io_ops;

/* The board's CMOS contents (QEMU's rtc_set_memory); addr 0..127. */
void rtc_set_memory(DeviceState *dev, int addr, int val);
int rtc_get_memory(DeviceState *dev, int addr);
/*
 * -rtc base=: seconds added to the host UTC time the RTC starts from,
 * and whether the host's local time is used (base=localtime). Read at
 * realize.
 */
void mc146818rtc_set_base(int64_t offset_seconds, bool localtime);

void mc146818rtc_register_types(void);

#endif
