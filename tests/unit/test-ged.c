/*
 * Unit tests of the ACPI Generic Event Device (hw/acpi/generic_event_device.c)
 * at microvm's addresses: the event selector (read clears, 32-bit only),
 * the power-down event's interrupt pulse, sleep control (S5 with SLP_EN
 * asks for a guest shutdown, nothing else does), reset (0x42 asks for a
 * guest reset), as QEMU 7.2's ged_evt_read / ged_regs_write. Requests are
 * recorded instead of carried out; accesses go through the MMIO map as a
 * vCPU's do.
 */
#include "qemu/osdep.h"
#include "hw/acpi/generic_event_device.h"
#include "hw/i386/microvm.h"
#include "log-capture.h"

static GArray *shutdowns, *resets;      /* of ShutdownCause */
static GArray *irq_levels;              /* of int, every change */

static void record_shutdown(ShutdownCause cause)
{
    g_array_append_val(shutdowns, cause);
}

static void record_reset(ShutdownCause cause)
{
    g_array_append_val(resets, cause);
}

static void record_irq(void *opaque, int n, int level)
{
    g_array_append_val(irq_levels, level);
}

static qemu_irq ged_irq;

static AcpiGedState *make(uint32_t events)
{
    Error *err = NULL;
    AcpiGedState *s = acpi_ged_create(events, MICROVM_GED_BASE,
                                      MICROVM_GED_BASE_REGS, ged_irq, &err);

    g_assert_null(err);
    g_assert_nonnull(s);
    s->shutdown_fn = record_shutdown;
    s->reset_fn = record_reset;
    return s;
}

static void teardown(void)
{
    qdev_unrealize_all();
    address_space_clear(&address_space_memory);
    g_array_set_size(shutdowns, 0);
    g_array_set_size(resets, 0);
    g_array_set_size(irq_levels, 0);
}

static uint64_t mmio_read(uint64_t addr, unsigned size)
{
    uint64_t v = 0;

    g_assert_true(address_space_read(&address_space_memory, addr, &v, size));
    return v;
}

static void mmio_write(uint64_t addr, uint64_t v, unsigned size)
{
    g_assert_true(address_space_write(&address_space_memory, addr, v, size));
}

#define SEL         (MICROVM_GED_BASE + ACPI_GED_EVT_SEL_OFFSET)
#define SLEEP_CTL   (MICROVM_GED_BASE_REGS + ACPI_GED_REG_SLEEP_CTL)
#define SLEEP_STS   (MICROVM_GED_BASE_REGS + ACPI_GED_REG_SLEEP_STS)
#define RESET       (MICROVM_GED_BASE_REGS + ACPI_GED_REG_RESET)

static void test_powerdown_event(void)
{
    AcpiGedState *s = make(ACPI_GED_PWR_DOWN_EVT);

    g_assert_cmphex(mmio_read(SEL, 4), ==, 0);
    acpi_ged_send_event(s, ACPI_GED_PWR_DOWN_EVT);
    /* an edge: one pulse */
    g_assert_cmpuint(irq_levels->len, ==, 2);
    g_assert_cmpint(g_array_index(irq_levels, int, 0), ==, 1);
    g_assert_cmpint(g_array_index(irq_levels, int, 1), ==, 0);
    /* writes do not clear it, a read returns it and clears it */
    mmio_write(SEL, 0, 4);
    g_assert_cmphex(mmio_read(SEL, 4), ==, ACPI_GED_PWR_DOWN_EVT);
    g_assert_cmphex(mmio_read(SEL, 4), ==, 0);
    teardown();
}

/* An event the GED was not created for raises nothing */
static void test_unsupported_event(void)
{
    AcpiGedState *s = make(ACPI_GED_PWR_DOWN_EVT);

    acpi_ged_send_event(s, ACPI_GED_MEM_HOTPLUG_EVT);
    g_assert_cmpuint(irq_levels->len, ==, 0);
    g_assert_cmphex(mmio_read(SEL, 4), ==, 0);
    teardown();
}

/* Only a 32-bit access reaches the selector */
static void test_selector_access_size(void)
{
    AcpiGedState *s = make(ACPI_GED_PWR_DOWN_EVT);

    acpi_ged_send_event(s, ACPI_GED_PWR_DOWN_EVT);
    log_capture_start(LOG_GUEST_ERROR);
    mmio_read(SEL, 1);
    g_free(log_capture_take());
    log_capture_stop();
    g_assert_cmphex(s->sel, ==, ACPI_GED_PWR_DOWN_EVT);
    g_assert_cmphex(mmio_read(SEL, 4), ==, ACPI_GED_PWR_DOWN_EVT);
    teardown();
}

static void test_sleep_control(void)
{
    static const struct {
        uint8_t val;
        bool shutdown;
    } table[] = {
        { 0x20 | 5 << 2, true },    /* SLP_EN, SLP_TYP 5: what Linux writes */
        { 5 << 2, false },          /* no SLP_EN */
        { 0x20 | 3 << 2, false },   /* S3: not offered */
        { 0x20, false },            /* S0 */
        { 0xff, false },            /* SLP_TYP 7 */
        { 0x20 | 5 << 2 | 0x83, true },  /* other bits do not matter */
    };

    make(ACPI_GED_PWR_DOWN_EVT);
    log_capture_start(LOG_GUEST_ERROR);
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
        mmio_write(SLEEP_CTL, table[i].val, 1);
        g_assert_cmpuint(shutdowns->len, ==, table[i].shutdown);
        if (table[i].shutdown) {
            g_assert_cmpint(g_array_index(shutdowns, ShutdownCause, 0), ==,
                            SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        }
        g_array_set_size(shutdowns, 0);
    }
    g_free(log_capture_take());
    log_capture_stop();
    /* the status register reads 0 and ignores writes */
    mmio_write(SLEEP_STS, 0xff, 1);
    g_assert_cmphex(mmio_read(SLEEP_STS, 1), ==, 0);
    g_assert_cmphex(mmio_read(SLEEP_CTL, 1), ==, 0);
    g_assert_cmpuint(resets->len, ==, 0);
    teardown();
}

static void test_reset_register(void)
{
    g_autofree char *log = NULL;

    make(ACPI_GED_PWR_DOWN_EVT);
    log_capture_start(LOG_GUEST_ERROR);
    mmio_write(RESET, 0x41, 1);
    g_assert_cmpuint(resets->len, ==, 0);
    log = log_capture_take();
    g_assert_nonnull(strstr(log, "reset value 0x41"));
    log_capture_stop();
    mmio_write(RESET, ACPI_GED_RESET_VALUE, 1);
    g_assert_cmpuint(resets->len, ==, 1);
    g_assert_cmpint(g_array_index(resets, ShutdownCause, 0), ==,
                    SHUTDOWN_CAUSE_GUEST_RESET);
    g_assert_cmphex(mmio_read(RESET, 1), ==, 0);
    g_assert_cmpuint(shutdowns->len, ==, 0);
    teardown();
}

/* Nothing of the GED's is mapped past its 4 + 3 bytes */
static void test_layout(void)
{
    uint64_t v;

    make(ACPI_GED_PWR_DOWN_EVT);
    g_assert_false(address_space_read(&address_space_memory,
                                      MICROVM_GED_BASE + 4, &v, 4));
    g_assert_false(address_space_read(&address_space_memory,
                                      MICROVM_GED_BASE_REGS + 3, &v, 1));
    g_assert_false(address_space_read(&address_space_memory,
                                      MICROVM_GED_BASE_MEMHP, &v, 1));
    teardown();
}

static void test_bad_events(void)
{
    Error *err = NULL;
    uint64_t v;

    g_assert_null(acpi_ged_create(0x8, MICROVM_GED_BASE,
                                  MICROVM_GED_BASE_REGS, ged_irq, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Unsupported events specified");
    error_free(err);
    g_assert_false(address_space_read(&address_space_memory, SEL, &v, 4));
    teardown();
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    acpi_ged_register_types();
    shutdowns = g_array_new(false, false, sizeof(ShutdownCause));
    resets = g_array_new(false, false, sizeof(ShutdownCause));
    irq_levels = g_array_new(false, false, sizeof(int));
    ged_irq = qemu_allocate_irq(record_irq, NULL, 0);

    g_test_add_func("/ged/powerdown-event", test_powerdown_event);
    g_test_add_func("/ged/unsupported-event", test_unsupported_event);
    g_test_add_func("/ged/selector-access-size", test_selector_access_size);
    g_test_add_func("/ged/sleep-control", test_sleep_control);
    g_test_add_func("/ged/reset-register", test_reset_register);
    g_test_add_func("/ged/layout", test_layout);
    g_test_add_func("/ged/bad-events", test_bad_events);
    ret = g_test_run();
    qemu_free_irq(ged_irq);
    g_array_free(shutdowns, true);
    g_array_free(resets, true);
    g_array_free(irq_levels, true);
    return ret;
}
