/*
 * 16550A UART register machine (NS16550A datasheet, registers 0-7).
 * Behaviour matches QEMU 7.2 hw/char/serial.c: serial_update_irq priorities,
 * serial_ioport_read/write side effects, serial_can_receive's trigger-level
 * pacing, serial_xmit's THRE/TEMT sequence and transmit retry, and
 * serial_reset values.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "hw/char/serial.h"

/* Register offsets (datasheet table 2). */
#define UART_RBR_THR_DLL    0
#define UART_IER_DLM        1
#define UART_IIR_FCR        2
#define UART_LCR            3
#define UART_MCR            4
#define UART_LSR            5
#define UART_MSR            6
#define UART_SCR            7

#define UART_LCR_DLAB       0x80

#define UART_IER_MSI        0x08
#define UART_IER_RLSI       0x04
#define UART_IER_THRI       0x02
#define UART_IER_RDI        0x01

#define UART_IIR_NO_INT     0x01
#define UART_IIR_ID         0x06
#define UART_IIR_MSI        0x00
#define UART_IIR_THRI       0x02
#define UART_IIR_RDI        0x04
#define UART_IIR_RLSI       0x06
#define UART_IIR_CTI        0x0C
#define UART_IIR_FE         0xC0

#define UART_MCR_LOOP       0x10
#define UART_MCR_OUT2       0x08

#define UART_MSR_DCD        0x80
#define UART_MSR_DSR        0x20
#define UART_MSR_CTS        0x10
#define UART_MSR_ANY_DELTA  0x0F

#define UART_LSR_TEMT       0x40
#define UART_LSR_THRE       0x20
#define UART_LSR_BI         0x10
#define UART_LSR_OE         0x02
#define UART_LSR_DR         0x01
#define UART_LSR_INT_ANY    0x1E

#define UART_FCR_XFR        0x04
#define UART_FCR_RFR        0x02
#define UART_FCR_FE         0x01
/* FCR bits that stick: trigger level, DMA mode, enable. */
#define UART_FCR_STICKY     0xC9

#define NS_PER_SEC          1000000000ULL

/* ---- FIFOs ------------------------------------------------------------- */

static void fifo_reset(SerialFifo *f)
{
    f->head = 0;
    f->num = 0;
}

static bool fifo_is_full(const SerialFifo *f)
{
    return f->num == UART_FIFO_LENGTH;
}

static void fifo_push(SerialFifo *f, uint8_t v)
{
    f->data[(f->head + f->num) % UART_FIFO_LENGTH] = v;
    f->num++;
}

static uint8_t fifo_pop(SerialFifo *f)
{
    uint8_t v = f->data[f->head];

    f->head = (f->head + 1) % UART_FIFO_LENGTH;
    f->num--;
    return v;
}

/* ---- Derived state ----------------------------------------------------- */

static void serial_update_irq(SerialState *s)
{
    uint8_t id = UART_IIR_NO_INT;
    int level;

    if ((s->ier & UART_IER_RLSI) && (s->lsr & UART_LSR_INT_ANY)) {
        id = UART_IIR_RLSI;
    } else if ((s->ier & UART_IER_RDI) && s->timeout_ipending) {
        /* Masked by IER.RDI: not in the datasheet, real parts do it. */
        id = UART_IIR_CTI;
    } else if ((s->ier & UART_IER_RDI) && (s->lsr & UART_LSR_DR) &&
               (!(s->fcr & UART_FCR_FE) ||
                s->recv_fifo.num >= s->recv_fifo_itl)) {
        id = UART_IIR_RDI;
    } else if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
        id = UART_IIR_THRI;
    } else if ((s->ier & UART_IER_MSI) && (s->msr & UART_MSR_ANY_DELTA)) {
        id = UART_IIR_MSI;
    }
    s->iir = id | (s->iir & 0xF0);

    level = id != UART_IIR_NO_INT;
    /* Only transitions reach the line: an unchanged level costs no exit. */
    if (level != s->irq_level) {
        s->irq_level = level;
        qemu_set_irq(s->irq, level);
    }
}

static void serial_update_parameters(SerialState *s)
{
    unsigned frame = 1;     /* start bit */
    uint64_t speed;

    if (s->divider == 0 || s->divider > s->baudbase) {
        return;
    }
    if (s->lcr & 0x08) {
        frame++;            /* parity */
    }
    frame += (s->lcr & 0x04) ? 2 : 1;
    frame += (s->lcr & 0x03) + 5;
    speed = s->baudbase / s->divider;
    s->char_transmit_time = (NS_PER_SEC / speed) * frame;
}

/* ---- Character timeout ------------------------------------------------- */

/* QEMU's fifo_timeout_int(), on QEMU_CLOCK_VIRTUAL as QEMU. */
static void serial_fifo_timeout(void *opaque)
{
    SerialState *s = opaque;

    if (s->recv_fifo.num) {
        s->timeout_ipending = true;
        serial_update_irq(s);
    }
}

/* QEMU: four character times after the last FIFO activity. */
static void serial_arm_fifo_timeout(SerialState *s)
{
    timer_mod(s->fifo_timeout_timer,
              qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
              s->char_transmit_time * 4);
}

/* ---- Receive ----------------------------------------------------------- */

static void serial_recv_fifo_put(SerialState *s, uint8_t ch)
{
    /* Overruns keep the FIFO contents and drop the new byte. */
    if (fifo_is_full(&s->recv_fifo)) {
        s->lsr |= UART_LSR_OE;
        return;
    }
    fifo_push(&s->recv_fifo, ch);
}

int serial_can_receive(void *opaque)
{
    SerialState *s = opaque;

    if (!(s->fcr & UART_FCR_FE)) {
        return !(s->lsr & UART_LSR_DR);
    }
    if (s->recv_fifo.num >= UART_FIFO_LENGTH) {
        return 0;
    }
    /*
     * Up to the trigger level, then one at a time: offering the whole
     * FIFO would fill it before the guest sees its trigger-level
     * interrupt (QEMU 7.2's reasoning).
     */
    if (s->recv_fifo.num <= s->recv_fifo_itl) {
        return s->recv_fifo_itl - s->recv_fifo.num;
    }
    return 1;
}

void serial_receive(void *opaque, const uint8_t *buf, int size)
{
    SerialState *s = opaque;

    if (size <= 0) {
        return;
    }
    if (s->fcr & UART_FCR_FE) {
        for (int i = 0; i < size; i++) {
            serial_recv_fifo_put(s, buf[i]);
        }
        s->lsr |= UART_LSR_DR;
        serial_arm_fifo_timeout(s);
    } else {
        if (s->lsr & UART_LSR_DR) {
            s->lsr |= UART_LSR_OE;
        }
        s->rbr = buf[0];
        s->lsr |= UART_LSR_DR;
    }
    serial_update_irq(s);
}

/*
 * A break from the host side (the mux's Ctrl-A b): QEMU 7.2's
 * serial_receive_break() -- a zero byte with the break and data-ready
 * bits (16550A datasheet, LSR bit 4).
 */
static void serial_receive_break(SerialState *s)
{
    s->rbr = 0;
    if (s->fcr & UART_FCR_FE) {
        serial_recv_fifo_put(s, 0);
    }
    s->lsr |= UART_LSR_BI | UART_LSR_DR;
    serial_update_irq(s);
}

void serial_event(void *opaque, QEMUChrEvent event)
{
    if (event == CHR_EVENT_BREAK) {
        serial_receive_break(opaque);
    }
}

/* ---- Transmit ---------------------------------------------------------- */

static void serial_xmit(SerialState *s);

static gboolean serial_watch_cb(GIOCondition cond, void *opaque)
{
    SerialState *s = opaque;

    s->watch_tag = 0;
    serial_xmit(s);
    return G_SOURCE_REMOVE;
}

/*
 * Moves bytes THR/FIFO -> TSR -> wire until the holding side is empty.
 * As QEMU 7.2's serial_xmit: the chardev write never blocks; a byte it
 * refuses stays in TSR (TEMT clear, THRE clear once the guest writes
 * again) and is sent from a watch when the backend drains, so the guest
 * sees a slow line. Unlike QEMU (MAX_XMIT_RETRY) we retry for as long
 * as the backend asks: every backend turns a hang-up into an error or a
 * drop, which ends the retry, so no byte is lost to a slow reader.
 */
static void serial_xmit(SerialState *s)
{
    do {
        if (!s->tsr_retry) {
            if (s->fcr & UART_FCR_FE) {
                s->tsr = fifo_pop(&s->xmit_fifo);
                if (!s->xmit_fifo.num) {
                    s->lsr |= UART_LSR_THRE;
                }
            } else {
                s->tsr = s->thr;
                s->lsr |= UART_LSR_THRE;
            }
            if ((s->lsr & UART_LSR_THRE) && !s->thr_ipending) {
                s->thr_ipending = true;
                serial_update_irq(s);
            }
        }
        if (s->mcr & UART_MCR_LOOP) {
            serial_receive(s, &s->tsr, 1);
        } else if (qemu_chr_fe_write(&s->chr, &s->tsr, 1) < 0 &&
                   errno == EAGAIN) {
            s->watch_tag = qemu_chr_fe_add_watch(&s->chr,
                                                 G_IO_OUT | G_IO_HUP,
                                                 serial_watch_cb, s);
            if (s->watch_tag) {
                s->tsr_retry = true;
                return;
            }
        }
        s->tsr_retry = false;
    } while (!(s->lsr & UART_LSR_THRE));
    s->lsr |= UART_LSR_TEMT;
}

static void serial_cancel_xmit_retry(SerialState *s)
{
    if (s->watch_tag) {
        g_source_remove(s->watch_tag);
        s->watch_tag = 0;
    }
    s->tsr_retry = false;
}

/* ---- Registers --------------------------------------------------------- */

static void serial_write_thr(SerialState *s, uint8_t val)
{
    s->thr = val;
    if (s->fcr & UART_FCR_FE) {
        /* TX overruns overwrite the oldest byte. */
        if (fifo_is_full(&s->xmit_fifo)) {
            fifo_pop(&s->xmit_fifo);
        }
        fifo_push(&s->xmit_fifo, val);
    }
    s->thr_ipending = false;
    s->lsr &= ~(UART_LSR_THRE | UART_LSR_TEMT);
    serial_update_irq(s);
    /* A byte waiting in TSR goes first: the watch sends this one after. */
    if (!s->tsr_retry) {
        serial_xmit(s);
    }
}

static void serial_write_ier(SerialState *s, uint8_t val)
{
    uint8_t changed = (s->ier ^ val) & 0x0f;

    s->ier = val & 0x0f;
    /*
     * Enabling THRI with THR empty raises THRE again even after an IIR
     * read masked it (QEMU: Windows relies on it; Bochs samples on the
     * rising edge only).
     */
    if (changed & UART_IER_THRI) {
        s->thr_ipending = (s->ier & UART_IER_THRI) &&
                          (s->lsr & UART_LSR_THRE);
    }
}

static void serial_write_fcr(SerialState *s, uint8_t val)
{
    /* Toggling the enable bit flushes both FIFOs. */
    if ((val ^ s->fcr) & UART_FCR_FE) {
        val |= UART_FCR_XFR | UART_FCR_RFR;
    }
    if (val & UART_FCR_RFR) {
        s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
        timer_del(s->fifo_timeout_timer);
        s->timeout_ipending = false;
        fifo_reset(&s->recv_fifo);
    }
    if (val & UART_FCR_XFR) {
        s->lsr |= UART_LSR_THRE;
        s->thr_ipending = true;
        fifo_reset(&s->xmit_fifo);
    }
    s->fcr = val & UART_FCR_STICKY;
    if (s->fcr & UART_FCR_FE) {
        static const unsigned itl[4] = { 1, 4, 8, 14 };

        s->iir |= UART_IIR_FE;
        s->recv_fifo_itl = itl[s->fcr >> 6];
    } else {
        s->iir &= ~UART_IIR_FE;
    }
}

void serial_io_write(void *opaque, uint64_t addr, uint64_t val,
                     unsigned size)
{
    SerialState *s = opaque;

    val &= 0xff;
    switch (addr & 7) {
    case UART_RBR_THR_DLL:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (s->divider & 0xff00) | val;
            serial_update_parameters(s);
        } else {
            serial_write_thr(s, val);
        }
        break;
    case UART_IER_DLM:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (s->divider & 0x00ff) | (val << 8);
            serial_update_parameters(s);
        } else {
            serial_write_ier(s, val);
        }
        break;
    case UART_IIR_FCR:
        serial_write_fcr(s, val);
        break;
    case UART_LCR:
        s->lcr = val;
        serial_update_parameters(s);
        break;
    case UART_MCR:
        s->mcr = val & 0x1f;
        break;
    case UART_LSR:
    case UART_MSR:
        /* Read-only; QEMU ignores writes silently. */
        break;
    case UART_SCR:
        s->scr = val;
        break;
    }
    serial_update_irq(s);
}

static uint8_t serial_read_rbr(SerialState *s)
{
    uint8_t ret;

    if (s->fcr & UART_FCR_FE) {
        ret = s->recv_fifo.num ? fifo_pop(&s->recv_fifo) : 0;
        if (s->recv_fifo.num == 0) {
            s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
        } else {
            serial_arm_fifo_timeout(s);
        }
        s->timeout_ipending = false;
    } else {
        ret = s->rbr;
        s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
    }
    serial_update_irq(s);
    /* In loopback the wire is disconnected: no new input. */
    if (!(s->mcr & UART_MCR_LOOP)) {
        qemu_chr_fe_accept_input(&s->chr);
    }
    return ret;
}

uint64_t serial_io_read(void *opaque, uint64_t addr, unsigned size)
{
    SerialState *s = opaque;
    uint8_t ret = 0;

    switch (addr & 7) {
    case UART_RBR_THR_DLL:
        if (s->lcr & UART_LCR_DLAB) {
            ret = s->divider & 0xff;
        } else {
            ret = serial_read_rbr(s);
        }
        break;
    case UART_IER_DLM:
        ret = (s->lcr & UART_LCR_DLAB) ? s->divider >> 8 : s->ier;
        break;
    case UART_IIR_FCR:
        ret = s->iir;
        /* Reading IIR acknowledges a THRE interrupt. */
        if ((ret & UART_IIR_ID) == UART_IIR_THRI) {
            s->thr_ipending = false;
        }
        break;
    case UART_LCR:
        ret = s->lcr;
        break;
    case UART_MCR:
        ret = s->mcr;
        break;
    case UART_LSR:
        ret = s->lsr;
        s->lsr &= ~(UART_LSR_BI | UART_LSR_OE);
        break;
    case UART_MSR:
        if (s->mcr & UART_MCR_LOOP) {
            /* Loopback wires OUT2,OUT1 -> DCD,RI, RTS -> CTS, DTR -> DSR. */
            ret = (s->mcr & 0x0c) << 4;
            ret |= (s->mcr & 0x02) << 3;
            ret |= (s->mcr & 0x01) << 5;
        } else {
            ret = s->msr;
            s->msr &= 0xF0;
        }
        break;
    case UART_SCR:
        ret = s->scr;
        break;
    }
    serial_update_irq(s);
    return ret;
}

const MemoryRegionOps serial_io_ops = {
    .read = serial_io_read,
    .write = serial_io_write,
    .impl.min_access_size = 1,      /* QEMU 7.2: the same .impl */
    .impl.max_access_size = 1,
};

void serial_reset(SerialState *s)
{
    /* QEMU drops the byte being retried with its watch. */
    serial_cancel_xmit_retry(s);
    timer_del(s->fifo_timeout_timer);
    s->rbr = 0;
    s->thr = 0;
    s->tsr = 0;
    s->ier = 0;
    s->iir = UART_IIR_NO_INT;
    s->lcr = 0;
    s->lsr = UART_LSR_TEMT | UART_LSR_THRE;
    /* No modem lines on our backends: carrier, DSR and CTS held up. */
    s->msr = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    /* 9600 baud 8N1, as QEMU. */
    s->divider = 0x0C;
    s->mcr = UART_MCR_OUT2;
    s->scr = 0;
    s->fcr = 0;
    s->recv_fifo_itl = 1;
    s->char_transmit_time = (NS_PER_SEC / 9600) * 10;
    s->timeout_ipending = false;
    s->thr_ipending = false;
    fifo_reset(&s->recv_fifo);
    fifo_reset(&s->xmit_fifo);
    s->irq_level = 0;
    qemu_irq_lower(s->irq);
}

void serial_realize_core(SerialState *s)
{
    s->fifo_timeout_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL,
                                         serial_fifo_timeout, s);
    qemu_chr_fe_set_event_handler(&s->chr, serial_event);
    qemu_chr_fe_set_handlers(&s->chr, serial_can_receive, serial_receive, s);
    serial_reset(s);
}

void serial_exit_core(SerialState *s)
{
    serial_cancel_xmit_retry(s);
    timer_free(s->fifo_timeout_timer);
    s->fifo_timeout_timer = NULL;
    qemu_chr_fe_deinit(&s->chr);
}
