/*
 * Unit tests for the userspace i8259 pair (hw/intc/i8259.c), driven
 * through its ports 0x20/0x21, 0xa0/0xa1, 0x4d0/0x4d1 as a guest would:
 * ICW1-4 initialisation, masks, edge and level (ELCR) triggering, the
 * INTA cycle with priorities, the cascade, EOIs, poll mode and reset.
 * Expected values follow QEMU 7.2 hw/intc/i8259.c and the 8259A sheet.
 */
#include "qemu/osdep.h"
#include "hw/intc/i8259.h"
#include "system/memory.h"

static int int_level;
static unsigned int_edges;

static void int_out(void *opaque, int n, int level)
{
    if (level && !int_level) {
        int_edges++;
    }
    int_level = level;
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

typedef struct Fixture {
    PICState *pic;
    qemu_irq out;
} Fixture;

/* The PC BIOS programming: vectors 0x08/0x70, cascade on IRQ 2. */
static void pc_init(void)
{
    outb(0x20, 0x11);
    outb(0x21, 0x08);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    outb(0xa0, 0x11);
    outb(0xa1, 0x70);
    outb(0xa1, 0x02);
    outb(0xa1, 0x01);
}

static void setup(Fixture *f, gconstpointer data)
{
    int_level = 0;
    int_edges = 0;
    f->out = qemu_allocate_irq(int_out, NULL, 0);
    f->pic = i8259_create(f->out, &error_abort);
}

static void teardown(Fixture *f, gconstpointer data)
{
    qdev_unrealize_all();
    i8259_free(f->pic);
    qemu_free_irq(f->out);
    /* unrealized with the chips: their ports are gone */
    g_assert_false(address_space_read(&address_space_io, 0x20,
                                      &(uint64_t){0}, 1));
    g_assert_false(address_space_read(&address_space_io, 0x4d1,
                                      &(uint64_t){0}, 1));
}

static void test_reset_state(Fixture *f, gconstpointer data)
{
    /* QEMU's pic_reset: everything zero, unmasked */
    g_assert_cmpint(inb(0x21), ==, 0x00);
    g_assert_cmpint(inb(0xa1), ==, 0x00);
    g_assert_cmpint(inb(0x20), ==, 0x00);     /* IRR */
    outb(0x21, 0x5a);
    outb(0xa1, 0xa5);
    g_assert_cmpint(inb(0x21), ==, 0x5a);
    g_assert_cmpint(inb(0xa1), ==, 0xa5);
    /* ELCR: only the writable bits stick (0xf8 master, 0xde slave) */
    outb(0x4d0, 0xff);
    outb(0x4d1, 0xff);
    g_assert_cmpint(inb(0x4d0), ==, 0xf8);
    g_assert_cmpint(inb(0x4d1), ==, 0xde);
    i8259_reset(f->pic);
    g_assert_cmpint(inb(0x21), ==, 0x00);
    g_assert_cmpint(inb(0x4d0), ==, 0x00);
    g_assert_false(int_level);
}

static void test_edge_and_inta(Fixture *f, gconstpointer data)
{
    pc_init();
    i8259_set_irq(f->pic, 4, 1);
    g_assert_true(int_level);
    g_assert_cmpint(inb(0x20), ==, 0x10);     /* IRR after ICW: IRR read */
    g_assert_cmpint(i8259_read_irq(f->pic), ==, 0x0c);
    /* acknowledged: in service, INT dropped, IRR cleared (edge) */
    g_assert_false(int_level);
    outb(0x20, 0x0b);
    g_assert_cmpint(inb(0x20), ==, 0x10);     /* ISR */
    /* a line that stays high does not request again */
    outb(0x20, 0x20);                         /* non-specific EOI */
    g_assert_cmpint(inb(0x20), ==, 0x00);
    g_assert_false(int_level);
    i8259_set_irq(f->pic, 4, 0);
    i8259_set_irq(f->pic, 4, 1);
    g_assert_true(int_level);
    g_assert_cmpuint(int_edges, ==, 2);
}

static void test_priority_and_mask(Fixture *f, gconstpointer data)
{
    pc_init();
    outb(0x21, 0x02);                         /* mask IRQ 1 */
    i8259_set_irq(f->pic, 1, 1);
    g_assert_false(int_level);
    i8259_set_irq(f->pic, 6, 1);
    i8259_set_irq(f->pic, 3, 1);
    g_assert_true(int_level);
    /* lowest number first; IRQ 6 waits until IRQ 3's EOI */
    g_assert_cmpint(i8259_read_irq(f->pic), ==, 0x0b);
    g_assert_false(int_level);
    outb(0x20, 0x63);                         /* specific EOI, IRQ 3 */
    g_assert_true(int_level);
    g_assert_cmpint(i8259_read_irq(f->pic), ==, 0x0e);
    outb(0x20, 0x20);
    outb(0x21, 0x00);                         /* unmask IRQ 1 */
    g_assert_true(int_level);
    g_assert_cmpint(i8259_read_irq(f->pic), ==, 0x09);
    /* nothing left: a spurious IRQ 7 */
    outb(0x20, 0x20);
    g_assert_cmpint(i8259_read_irq(f->pic), ==, 0x0f);
}

static void test_cascade(Fixture *f, gconstpointer data)
{
    pc_init();
    i8259_set_irq(f->pic, 8 + 4, 1);          /* IRQ 12 */
    g_assert_true(int_level);
    g_assert_cmpint(i8259_read_irq(f->pic), ==, 0x74);
    outb(0xa0, 0x0b);
    outb(0x20, 0x0b);
    g_assert_cmpint(inb(0xa0), ==, 0x10);
    g_assert_cmpint(inb(0x20), ==, 0x04);     /* master: IRQ 2 in service */
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    g_assert_cmpint(inb(0xa0), ==, 0x00);
    g_assert_cmpint(inb(0x20), ==, 0x00);
    /* masking the cascade input hides the slave */
    outb(0x21, 0x04);
    i8259_set_irq(f->pic, 8 + 1, 0);
    i8259_set_irq(f->pic, 8 + 1, 1);
    g_assert_false(int_level);
    outb(0x21, 0x00);
    g_assert_true(int_level);
}

static void test_level_elcr(Fixture *f, gconstpointer data)
{
    pc_init();
    outb(0x4d1, 0x08);                        /* IRQ 11 level triggered */
    i8259_set_irq(f->pic, 11, 1);
    g_assert_cmpint(i8259_read_irq(f->pic), ==, 0x73);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    /* still asserted: requests again after the EOI */
    g_assert_true(int_level);
    /*
     * Dropped before the INTA: the slave no longer requests, but the
     * master latched the cascade edge, so the CPU gets the slave's
     * spurious vector (IRQ 15).
     */
    i8259_set_irq(f->pic, 11, 0);
    g_assert_true(int_level);
    g_assert_cmpint(i8259_read_irq(f->pic), ==, 0x77);
    outb(0x20, 0x20);
    g_assert_false(int_level);
}

static void test_poll_and_auto_eoi(Fixture *f, gconstpointer data)
{
    /* ICW4 with auto-EOI: nothing stays in service */
    outb(0x20, 0x11);
    outb(0x21, 0x20);
    outb(0x21, 0x04);
    outb(0x21, 0x03);
    i8259_set_irq(f->pic, 5, 1);
    g_assert_cmpint(i8259_read_irq(f->pic), ==, 0x25);
    outb(0x20, 0x0b);
    g_assert_cmpint(inb(0x20), ==, 0x00);
    /* poll: the highest request with bit 7, acknowledged by the read */
    i8259_set_irq(f->pic, 5, 0);
    i8259_set_irq(f->pic, 5, 1);
    outb(0x20, 0x0c);
    g_assert_cmpint(inb(0x20), ==, 0x85);
    outb(0x20, 0x0c);
    g_assert_cmpint(inb(0x20), ==, 0x00);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    i8259_register_types();
#define ADD(path, fn) \
    g_test_add("/i8259/" path, Fixture, NULL, setup, fn, teardown)
    ADD("reset-state", test_reset_state);
    ADD("edge-and-inta", test_edge_and_inta);
    ADD("priority-and-mask", test_priority_and_mask);
    ADD("cascade", test_cascade);
    ADD("level-elcr", test_level_elcr);
    ADD("poll-and-auto-eoi", test_poll_and_auto_eoi);
    return g_test_run();
}
