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
#include "system/memory.h"

typedef struct Msg {
    int pin;
    uint64_t addr;
    uint32_t data;
    bool level;
} Msg;

static GArray *msgs;            /* of Msg: deliveries in order */
static uint64_t route_addr[IOAPIC_NUM_PINS];
static uint32_t route_data[IOAPIC_NUM_PINS];
static unsigned commits;

static void stub_route(void *opaque, int pin, uint64_t addr, uint32_t data)
{
    route_addr[pin] = addr;
    route_data[pin] = data;
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
                                      IOAPIC_DEFAULT_BASE, reg, 4));
    g_assert_true(address_space_write(&address_space_memory,
                                      IOAPIC_DEFAULT_BASE + 0x10, v, 4));
}

static uint32_t rd(uint8_t reg)
{
    uint64_t v = 0;

    g_assert_true(address_space_write(&address_space_memory,
                                      IOAPIC_DEFAULT_BASE, reg, 4));
    g_assert_true(address_space_read(&address_space_memory,
                                     IOAPIC_DEFAULT_BASE + 0x10, &v, 4));
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
    return ioapic_create(&be, true);
}

static void teardown(IOAPICState *s)
{
    ioapic_free(s);
    address_space_clear(&address_space_memory);
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
                                      IOAPIC_DEFAULT_BASE + 0x10, 0x55, 1));
    g_assert_cmphex(get_redir(5), ==, 0xff0000000001a0ffULL);
    ioapic_reset(s);
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
    ioapic_eoi_broadcast(0x39);
    g_assert_cmpuint(msgs->len, ==, 2);
    g_assert_true(get_redir(9) & (1 << 14));
    /* line dropped, then the EOI register: remote IRR clears, no message */
    ioapic_set_irq(s, 9, 0);
    g_assert_true(address_space_write(&address_space_memory,
                                      IOAPIC_DEFAULT_BASE + 0x40, 0x39, 4));
    g_assert_false(get_redir(9) & (1 << 14));
    g_assert_cmpuint(msgs->len, ==, 2);
    /* another vector's EOI does nothing */
    ioapic_set_irq(s, 9, 1);
    ioapic_eoi_broadcast(0x38);
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ioapic/registers", test_registers);
    g_test_add_func("/ioapic/edge", test_edge);
    g_test_add_func("/ioapic/level-remote-irr", test_level_remote_irr);
    g_test_add_func("/ioapic/masked-level-then-unmask",
                    test_masked_level_then_unmask);
    g_test_add_func("/ioapic/extint", test_extint);
    return g_test_run();
}
