/*
 * Unit tests for the userspace IOAPIC (hw/intc/ioapic.c) through its
 * MMIO window at 0xfec00000: ID/version/arbitration registers (version
 * 0x20, 24 pins), the redirection table and its read-only bits, MSI
 * routes and messages (recorded by a stub backend), edge and level
 * triggering with remote IRR, EOI by broadcast and by the EOI register,
 * ISA IRQ 0 on pin 2, reset. As QEMU 7.2 hw/intc/ioapic.c.
 */
#include "qemu/osdep.h"
#include "hw/intc/ioapic.h"
#include "hw/i386/x86-gsi.h"
#include "system/memory.h"

#define BASE    0xfec00000
#define BASE2   0xfec10000

typedef struct Msg {
    int pin;                    /* the GSI: gsi_base + pin */
    uint64_t addr;
    uint32_t data;
    bool level;
} Msg;

static GArray *msgs;            /* of Msg: deliveries in order */
static uint64_t route_addr[IOAPIC_NUM_PINS];
static uint32_t route_data[IOAPIC_NUM_PINS];
static unsigned commits;

static void stub_route(void *opaque, int gsi, uint64_t addr, uint32_t data)
{
    g_assert_cmpint(gsi, <, IOAPIC_NUM_PINS);
    route_addr[gsi] = addr;
    route_data[gsi] = data;
}

static void stub_commit(void *opaque)
{
    commits++;
}

static void stub_deliver(void *opaque, int pin, uint64_t addr, uint32_t data,
                         bool level)
{
    Msg m = { pin, addr, data, level };

    g_array_append_val(msgs, m);
}

static int stub_extint(void *opaque)
{
    return 0x30;
}

static void wr(uint8_t reg, uint32_t v)
{
    g_assert_true(address_space_write(&address_space_memory,
                                      BASE, reg, 4));
    g_assert_true(address_space_write(&address_space_memory,
                                      BASE + 0x10, v, 4));
}

static uint32_t rd(uint8_t reg)
{
    uint64_t v = 0;

    g_assert_true(address_space_write(&address_space_memory,
                                      BASE, reg, 4));
    g_assert_true(address_space_read(&address_space_memory,
                                     BASE + 0x10, &v, 4));
    return v;
}

static void set_redir(int pin, uint64_t e)
{
    wr(0x10 + 2 * pin, (uint32_t)e);
    wr(0x11 + 2 * pin, e >> 32);
}

static uint64_t get_redir(int pin)
{
    return rd(0x10 + 2 * pin) | ((uint64_t)rd(0x11 + 2 * pin) << 32);
}

static IOAPICState *setup(void)
{
    IOAPICBackend be = {
        .update_route = stub_route,
        .commit_routes = stub_commit,
        .deliver = stub_deliver,
        .extint_vector = stub_extint,
    };

    msgs = g_array_new(false, false, sizeof(Msg));
    memset(route_addr, 0, sizeof(route_addr));
    memset(route_data, 0, sizeof(route_data));
    commits = 0;
    return ioapic_create(BASE, &be, &error_abort);
}

/* Unrealizing the device unmaps its window. */
static void teardown(IOAPICState *s)
{
    uint64_t v;

    qdev_unrealize_all();
    g_assert_false(address_space_read(&address_space_memory, BASE, &v, 4));
    g_array_free(msgs, true);
}

static void test_registers(void)
{
    IOAPICState *s = setup();

    g_assert_cmphex(rd(0x01), ==, 0x00170020);
    g_assert_cmphex(rd(0x00), ==, 0);
    wr(0x00, 0xff000000);
    /* 4-bit ID; the arbitration register mirrors it */
    g_assert_cmphex(rd(0x00), ==, 0x0f000000);
    g_assert_cmphex(rd(0x02), ==, 0x0f000000);
    wr(0x01, 0);
    g_assert_cmphex(rd(0x01), ==, 0x00170020);
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        g_assert_cmphex(get_redir(i), ==, 0x10000);
    }
    /* past the last pin: reads 0, writes ignored */
    wr(0x10 + 2 * 24, 0x1234);
    g_assert_cmphex(rd(0x10 + 2 * 24), ==, 0);
    /* remote IRR and delivery status are read-only */
    set_redir(5, 0xff0000000001f0ffULL | (1 << 12) | (1 << 14));
    g_assert_cmphex(get_redir(5), ==, 0xff0000000001a0ffULL);
    /* IOREGSEL reads back; a non-32-bit window access does nothing */
    g_assert_true(address_space_write(&address_space_memory,
                                      BASE + 0x10, 0x55, 1));
    g_assert_cmphex(get_redir(5), ==, 0xff0000000001a0ffULL);
    device_reset(DEVICE(s));
    g_assert_cmphex(get_redir(5), ==, 0x10000);
    g_assert_cmphex(rd(0x00), ==, 0);
    teardown(s);
}

static void test_edge(void)
{
    IOAPICState *s = setup();

    /* pin 4: vector 0x24, fixed, physical, destination 1 */
    set_redir(4, 0x0100000000000024ULL);
    g_assert_cmphex(route_addr[4], ==, 0xfee01000);
    g_assert_cmphex(route_data[4], ==, 0x24);
    g_assert_cmpuint(commits, >, 0);
    ioapic_set_irq(s, 4, 1);
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_cmpint(g_array_index(msgs, Msg, 0).pin, ==, 4);
    g_assert_cmphex(g_array_index(msgs, Msg, 0).data, ==, 0x24);
    g_assert_false(g_array_index(msgs, Msg, 0).level);
    /* a high line is one edge; each new edge is one message */
    ioapic_set_irq(s, 4, 1);
    ioapic_set_irq(s, 4, 0);
    g_assert_cmpuint(msgs->len, ==, 2);
    /* masked: edges are dropped, not remembered */
    set_redir(4, 0x0100000000010024ULL);
    ioapic_set_irq(s, 4, 1);
    set_redir(4, 0x0100000000000024ULL);
    g_assert_cmpuint(msgs->len, ==, 2);
    /* ISA IRQ 0 is pin 2; logical mode, lowest priority */
    set_redir(2, 0x0300000000000930ULL);
    ioapic_set_irq(s, 0, 1);
    g_assert_cmpuint(msgs->len, ==, 3);
    g_assert_cmpint(g_array_index(msgs, Msg, 2).pin, ==, 2);
    g_assert_cmphex(g_array_index(msgs, Msg, 2).addr, ==, 0xfee03004);
    g_assert_cmphex(g_array_index(msgs, Msg, 2).data, ==, 0x130);
    teardown(s);
}

static void test_level_remote_irr(void)
{
    IOAPICState *s = setup();

    set_redir(9, 0x0000000000008039ULL);      /* level, vector 0x39 */
    g_assert_cmphex(route_data[9], ==, 0x8039);
    ioapic_set_irq(s, 9, 1);
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_true(g_array_index(msgs, Msg, 0).level);
    g_assert_true(get_redir(9) & (1 << 14));  /* remote IRR */
    /* in service: no second message while remote IRR is set */
    ioapic_set_irq(s, 9, 0);
    ioapic_set_irq(s, 9, 1);
    g_assert_cmpuint(msgs->len, ==, 1);
    /* EOI with the line still high: delivered again */
    ioapic_eoi(s, 0x39);
    g_assert_cmpuint(msgs->len, ==, 2);
    g_assert_true(get_redir(9) & (1 << 14));
    /* line dropped, then the EOI register: remote IRR clears, no message */
    ioapic_set_irq(s, 9, 0);
    g_assert_true(address_space_write(&address_space_memory,
                                      BASE + 0x40, 0x39, 4));
    g_assert_false(get_redir(9) & (1 << 14));
    g_assert_cmpuint(msgs->len, ==, 2);
    /* another vector's EOI does nothing */
    ioapic_set_irq(s, 9, 1);
    ioapic_eoi(s, 0x38);
    g_assert_cmpuint(msgs->len, ==, 3);
    g_assert_true(get_redir(9) & (1 << 14));
    /* reprogramming as edge clears remote IRR */
    set_redir(9, 0x39);
    g_assert_false(get_redir(9) & (1 << 14));
    teardown(s);
}

static void test_masked_level_then_unmask(void)
{
    IOAPICState *s = setup();

    set_redir(10, 0x000000000001803aULL);     /* level, masked */
    ioapic_set_irq(s, 10, 1);
    g_assert_cmpuint(msgs->len, ==, 0);
    /* the masked pin keeps its (unset) route */
    g_assert_cmphex(route_data[10], ==, 0);
    set_redir(10, 0x000000000000803aULL);     /* unmask: pending fires */
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_cmphex(route_data[10], ==, 0x803a);
    teardown(s);
}

static void test_extint(void)
{
    IOAPICState *s = setup();

    set_redir(1, 0x700);                      /* ExtINT */
    ioapic_set_irq(s, 1, 1);
    g_assert_cmpuint(msgs->len, ==, 1);
    /* the vector is the PIC's, from its INTA */
    g_assert_cmphex(g_array_index(msgs, Msg, 0).data, ==, 0x730);
    teardown(s);
}

/* ---- Two IOAPICs behind the GSI array (QEMU's gsi_handler) ----------- */

static GSIState gsi;

static void stub_route_any(void *opaque, int gsi_nr, uint64_t addr,
                           uint32_t data)
{
}

static void stub_eoi_broadcast(void *opaque, int vector)
{
    gsi_eoi_broadcast(opaque, vector);
}

static void wr_at(uint64_t base, uint8_t reg, uint32_t v)
{
    g_assert_true(address_space_write(&address_space_memory, base, reg, 4));
    g_assert_true(address_space_write(&address_space_memory, base + 0x10,
                                      v, 4));
}

static uint32_t rd_at(uint64_t base, uint8_t reg)
{
    uint64_t v = 0;

    g_assert_true(address_space_write(&address_space_memory, base, reg, 4));
    g_assert_true(address_space_read(&address_space_memory, base + 0x10,
                                     &v, 4));
    return v;
}

static void setup_two(void)
{
    static const uint64_t bases[2] = { BASE, BASE2 };
    IOAPICBackend be = {
        .update_route = stub_route_any,
        .deliver = stub_deliver,
        .eoi_broadcast = stub_eoi_broadcast,
        .opaque = &gsi,
    };

    msgs = g_array_new(false, false, sizeof(Msg));
    gsi_init(&gsi, 2);
    g_assert_true(gsi_create_ioapics(&gsi, bases, &be, &error_abort));
}

static void teardown_two(void)
{
    qdev_unrealize_all();
    gsi_cleanup(&gsi);
    g_array_free(msgs, true);
}

static void test_gsi_two_ioapics(void)
{
    uint64_t v;

    setup_two();
    g_assert_cmphex(rd_at(BASE2, 0x01), ==, 0x00170020);
    /* pin 6 of both: level, vector 0x46 */
    wr_at(BASE, 0x10 + 2 * 6, 0x8046);
    wr_at(BASE2, 0x10 + 2 * 6, 0x8046);
    /* GSI 30 is IOAPIC 2's pin 6, delivered as GSI 30 */
    qemu_irq_raise(gsi.gsi[30]);
    g_assert_cmpuint(msgs->len, ==, 1);
    g_assert_cmpint(g_array_index(msgs, Msg, 0).pin, ==, 30);
    g_assert_true(rd_at(BASE2, 0x10 + 2 * 6) & (1 << 14));
    g_assert_false(rd_at(BASE, 0x10 + 2 * 6) & (1 << 14));
    /* GSI 6 is IOAPIC 1's */
    qemu_irq_raise(gsi.gsi[6]);
    g_assert_cmpuint(msgs->len, ==, 2);
    g_assert_cmpint(g_array_index(msgs, Msg, 1).pin, ==, 6);
    g_assert_true(rd_at(BASE, 0x10 + 2 * 6) & (1 << 14));
    /* the EOI broadcast reaches both: both lines low, remote IRRs clear */
    qemu_irq_lower(gsi.gsi[30]);
    qemu_irq_lower(gsi.gsi[6]);
    gsi_eoi_broadcast(&gsi, 0x46);
    g_assert_false(rd_at(BASE, 0x10 + 2 * 6) & (1 << 14));
    g_assert_false(rd_at(BASE2, 0x10 + 2 * 6) & (1 << 14));
    /* ... as does IOAPIC 1's EOI register (QEMU broadcasts it too) */
    qemu_irq_raise(gsi.gsi[30]);
    g_assert_cmpuint(msgs->len, ==, 3);
    qemu_irq_lower(gsi.gsi[30]);
    g_assert_true(address_space_write(&address_space_memory, BASE + 0x40,
                                      0x46, 4));
    g_assert_false(rd_at(BASE2, 0x10 + 2 * 6) & (1 << 14));
    teardown_two();
    g_assert_false(address_space_read(&address_space_memory, BASE2, &v, 4));
}

/* ISA lines (GSI 0-15) go to the PIC input too; the others do not. */
static int pic_line[ISA_NUM_IRQS];

static void stub_pic(void *opaque, int n, int level)
{
    pic_line[n] = level;
}

static void test_gsi_isa_fanout(void)
{
    qemu_irq pic_in[ISA_NUM_IRQS];

    setup_two();
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        pic_in[i] = qemu_allocate_irq(stub_pic, NULL, i);
        gsi.i8259_irq[i] = pic_in[i];
    }
    wr_at(BASE, 0x10 + 2 * 4, 0x34);          /* pin 4: edge, 0x34 */
    qemu_irq_raise(gsi.gsi[4]);
    g_assert_cmpint(pic_line[4], ==, 1);
    g_assert_cmpuint(msgs->len, ==, 1);
    wr_at(BASE2, 0x10 + 2 * 0, 0x35);         /* GSI 24 */
    qemu_irq_raise(gsi.gsi[24]);
    /* QEMU's ioapic_set_irq: input 0 is pin 2 on every IOAPIC */
    g_assert_cmpuint(msgs->len, ==, 1);
    wr_at(BASE2, 0x10 + 2 * 2, 0x35);
    qemu_irq_lower(gsi.gsi[24]);
    qemu_irq_raise(gsi.gsi[24]);
    g_assert_cmpuint(msgs->len, ==, 2);
    g_assert_cmpint(g_array_index(msgs, Msg, 1).pin, ==, 26);
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        qemu_free_irq(pic_in[i]);
    }
    teardown_two();
}

/* QEMU's "version" property, as -global ioapic.version=... sets it. */
static void test_version_property(void)
{
    IOAPICState *s;
    Error *err = NULL;

    g_assert_true(object_register_global("ioapic", "version", "0x11",
                                         &error_abort));
    msgs = g_array_new(false, false, sizeof(Msg));
    s = ioapic_create(BASE, NULL, &error_abort);
    g_assert_cmphex(rd(0x01), ==, 0x00170011);
    /* version 0x11 has no EOI register */
    set_redir(9, 0x8039);
    ioapic_set_irq(s, 9, 1);
    ioapic_set_irq(s, 9, 0);
    g_assert_true(address_space_write(&address_space_memory, BASE + 0x40,
                                      0x39, 4));
    g_assert_true(get_redir(9) & (1 << 14));
    qdev_unrealize_all();
    object_reset_globals();

    g_assert_true(object_register_global("ioapic", "version", "0x12",
                                         &error_abort));
    g_assert_null(ioapic_create(BASE, NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "IOAPIC only supports version 0x11 or 0x20 "
                    "(default: 0x20).");
    error_free(err);
    object_reset_globals();
    /* the failed one left no mapping behind */
    g_assert_false(address_space_read(&address_space_memory, BASE,
                                      &(uint64_t){0}, 4));
    g_array_free(msgs, true);
}

/* QEMU's ioapic_common_realize: "Only 2 ioapics allowed". */
static void test_at_most_two(void)
{
    Error *err = NULL;

    g_assert_nonnull(ioapic_create(BASE, NULL, &error_abort));
    g_assert_nonnull(ioapic_create(BASE2, NULL, &error_abort));
    g_assert_null(ioapic_create(BASE2 + 0x10000, NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Only 2 ioapics allowed");
    error_free(err);
    qdev_unrealize_all();
    g_assert_nonnull(ioapic_create(BASE, NULL, &error_abort));
    qdev_unrealize_all();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    ioapic_register_types();
    g_test_add_func("/ioapic/registers", test_registers);
    g_test_add_func("/ioapic/edge", test_edge);
    g_test_add_func("/ioapic/level-remote-irr", test_level_remote_irr);
    g_test_add_func("/ioapic/masked-level-then-unmask",
                    test_masked_level_then_unmask);
    g_test_add_func("/ioapic/extint", test_extint);
    g_test_add_func("/ioapic/gsi-two-ioapics", test_gsi_two_ioapics);
    g_test_add_func("/ioapic/gsi-isa-fanout", test_gsi_isa_fanout);
    g_test_add_func("/ioapic/version-property", test_version_property);
    g_test_add_func("/ioapic/at-most-two", test_at_most_two);
    return g_test_run();
}
