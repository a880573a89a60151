/*
 * The 16550A UART: a register machine whose only exits are one IRQ line
 * and a chardev front end, plus the "isa-serial" device that puts it on
 * the ISA bus. Matches QEMU 7.2 hw/char/serial.c and serial-isa.c.
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "hw/core/qdev.h"
#include "chardev/char.h"
#include "qemu/timer.h"

#define UART_FIFO_LENGTH 16

typedef struct SerialFifo {
    uint8_t data[UART_FIFO_LENGTH];
    unsigned head;
    unsigned num;
} SerialFifo;

typedef struct SerialState {
    /* Properties. */
    uint32_t baudbase;
    bool wakeup;

    /* Guest-visible registers. */
    uint16_t divider;
    uint8_t rbr, thr, tsr, ier, iir, lcr, mcr, lsr, msr, scr, fcr;
    SerialFifo recv_fifo;
    SerialFifo xmit_fifo;
    unsigned recv_fifo_itl;
    bool thr_ipending;
    bool timeout_ipending;
    /* TSR holds a byte the backend refused: sent again from watch_tag. */
    bool tsr_retry;

    /* Host plumbing. */
    uint64_t char_transmit_time;    /* ns per character at current speed */
    qemu_irq irq;
    int irq_level;                  /* last level driven, -1 unknown */
    CharBackend chr;
    QEMUTimer *fifo_timeout_timer;  /* character timeout (virtual clock) */
    guint watch_tag;                /* backend writable again, or 0 */
} SerialState;

/* Port-I/O ops over the 8 registers (byte accesses; opaque = SerialState). */
extern const MemoryRegionOps serial_io_ops;
uint64_t serial_io_read(void *opaque, uint64_t addr, unsigned size);
void serial_io_write(void *opaque, uint64_t addr, uint64_t val,
                     unsigned size);

/*
 * Hooks the receive handlers on s->chr (qemu_chr_fe_init done by the
 * caller, or no chardev at all) and resets. s->irq and s->baudbase set.
 */
void serial_realize_core(SerialState *s);
void serial_exit_core(SerialState *s);
void serial_reset(SerialState *s);
/* The chardev side, exposed for tests: room for input, and input. */
int serial_can_receive(void *opaque);
void serial_receive(void *opaque, const uint8_t *buf, int size);
/* Chardev events: a break (CHR_EVENT_BREAK) sets LSR.BI with a 0 byte. */
void serial_event(void *opaque, QEMUChrEvent event);

/* ---- isa-serial ---------------------------------------------------------- */

#define TYPE_ISA_SERIAL "isa-serial"
#define MAX_ISA_SERIAL_PORTS 4

typedef struct ISASerialState {
    ISADevice parent_obj;
    uint32_t index;     /* -1: the next free one */
    uint32_t iobase;    /* -1: from index */
    uint32_t isairq;    /* -1: from index */
    Object *chardev;    /* link, or NULL */
    SerialState state;
} ISASerialState;

#define ISA_SERIAL(obj) OBJECT_CHECK(ISASerialState, (obj), TYPE_ISA_SERIAL)

/*
 * QEMU's isa_serial_init(): creates and realizes isa-serial number index
 * on chr (may be NULL). Used by the board for -serial. The device list
 * owns the device (qdev_unrealize_all() frees it); the pointer is borrowed.
 */
DeviceState *serial_isa_init(int index, Chardev *chr, Error **errp);

void serial_register_types(void);

#endif
