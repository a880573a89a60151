/*
 * Unit tests for isa-debug-exit (hw/misc/debugexit.c): a write of v ends
 * the program with (v << 1) | 1 (as exit() sees it: low 8 bits), reads
 * give 0, iobase/iosize place the ports. The exit path is replaced by a
 * recorder so the test process survives.
 */
#include "qemu/osdep.h"
#include "hw/misc/debugexit.h"

static GArray *exits;       /* of int: statuses requested, in order */

static void record_exit(int status)
{
    g_array_append_val(exits, status);
}

static ISADebugExitState *make(const char *iobase, const char *iosize)
{
    Object *obj = object_new(TYPE_ISA_DEBUG_EXIT_DEVICE);
    ISADebugExitState *d = ISA_DEBUG_EXIT_DEVICE(obj);
    Error *err = NULL;

    if (iobase) {
        g_assert_true(object_property_parse(obj, "iobase", iobase, &err));
    }
    if (iosize) {
        g_assert_true(object_property_parse(obj, "iosize", iosize, &err));
    }
    d->exit_fn = record_exit;
    /* teardown() frees it through the device list */
    g_assert_true(qdev_realize_and_unref(DEVICE(obj), &err));
    g_assert_null(err);
    return d;
}

static void teardown(void)
{
    qdev_unrealize_all();
    address_space_clear(&address_space_io);
    g_array_set_size(exits, 0);
}

static void test_defaults(void)
{
    ISADebugExitState *d = make(NULL, NULL);

    g_assert_cmphex(d->iobase, ==, 0x501);
    g_assert_cmpuint(d->iosize, ==, 2);
    teardown();
}

static void test_exit_status(void)
{
    static const struct {
        uint64_t val;
        unsigned size;
        int status;
    } table[] = {
        { 0x00, 1, 1 },         /* "success" convention of test guests */
        { 0x01, 1, 3 },
        { 0x31, 1, 0x63 },
        { 0x7f, 1, 0xff },
        { 0x80, 1, 0x01 },      /* bit 7 shifts out of the 8-bit status */
        { 0x1234, 2, 0x69 },    /* wider writes: low bits only survive */
        { 0xffffffff, 4, 0xff },
    };

    make(NULL, NULL);
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        g_array_set_size(exits, 0);
        g_assert_true(address_space_write(&address_space_io, 0x501,
                                          table[i].val, table[i].size));
        /*
         * The first request is the one that ends the program (a write
         * wider than the window may be dispatched in pieces).
         */
        g_assert_cmpuint(exits->len, >=, 1);
        g_assert_cmpint(g_array_index(exits, int, 0), ==, table[i].status);
    }
    /* The second port of the default 2-byte window exits too. */
    address_space_write(&address_space_io, 0x502, 2, 1);
    g_assert_cmpint(g_array_index(exits, int, exits->len - 1), ==, 5);
    teardown();
}

static void test_read_is_zero(void)
{
    uint64_t v = 0xdead;

    make(NULL, NULL);
    g_assert_true(address_space_read(&address_space_io, 0x501, &v, 1));
    g_assert_cmphex(v, ==, 0);
    g_assert_cmpuint(exits->len, ==, 0);    /* reading never exits */
    teardown();
}

static void test_iobase_iosize(void)
{
    uint64_t v;

    make("0xf4", "1");
    g_assert_true(address_space_write(&address_space_io, 0xf4, 0x10, 1));
    g_assert_cmpint(g_array_index(exits, int, 0), ==, 0x21);
    /* Outside the 1-byte window: nobody there. */
    g_assert_false(address_space_read(&address_space_io, 0xf5, &v, 1));
    g_assert_false(address_space_read(&address_space_io, 0x501, &v, 1));
    g_assert_cmpuint(exits->len, ==, 1);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    exits = g_array_new(false, false, sizeof(int));
    qdev_register_types();
    debugexit_register_types();

    g_test_add_func("/debugexit/defaults", test_defaults);
    g_test_add_func("/debugexit/exit-status", test_exit_status);
    g_test_add_func("/debugexit/read-is-zero", test_read_is_zero);
    g_test_add_func("/debugexit/iobase-iosize", test_iobase_iosize);
    return g_test_run();
}
