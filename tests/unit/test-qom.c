/*
 * Unit tests for qom/ (types, classes, properties, -global, ids) and
 * hw/core/ (irq lines, qdev realize/reset order, the ISA bus).
 *
 * Messages and help layout are the ones QEMU 7.2 prints for the same
 * input (-device isa-serial,iobase=xyz; -M microvm,pit=maybe; ...,help).
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "hw/core/qdev.h"
#include "hw/irq.h"

/* ---- A small hierarchy: base (abstract) <- mid <- leaf ------------------ */

#define TYPE_TEST_BASE "test-base"
#define TYPE_TEST_MID "test-mid"
#define TYPE_TEST_LEAF "test-leaf"
#define TYPE_TEST_OTHER "test-other"

typedef struct TestClass {
    ObjectClass parent_class;
    int base_value;
    int mid_value;
    const char *who;
} TestClass;

typedef struct TestObject {
    Object parent_obj;
    int inits;
} TestObject;

typedef struct TestLeaf {
    TestObject parent_obj;
    int leaf_field;
} TestLeaf;

static GString *trace;

static void base_class_init(ObjectClass *klass, void *data)
{
    TestClass *tc = (TestClass *)klass;

    tc->base_value = 1;
    tc->who = "base";
    g_string_append(trace, "C:base;");
}

static void mid_class_init(ObjectClass *klass, void *data)
{
    TestClass *tc = (TestClass *)klass;

    /* The parent's class struct was copied in before this runs */
    tc->mid_value = tc->base_value + 10;
    tc->who = "mid";
    g_string_append(trace, "C:mid;");
}

static void leaf_class_init(ObjectClass *klass, void *data)
{
    TestClass *tc = (TestClass *)klass;

    tc->who = data;
    g_string_append(trace, "C:leaf;");
}

static void base_init(Object *obj)
{
    g_string_append(trace, "I:base;");
    ((TestObject *)obj)->inits++;
}

static void mid_init(Object *obj)
{
    g_string_append(trace, "I:mid;");
    ((TestObject *)obj)->inits++;
}

static void leaf_init(Object *obj)
{
    g_string_append(trace, "I:leaf;");
    ((TestLeaf *)obj)->leaf_field = 42;
}

static void base_finalize(Object *obj)
{
    g_string_append(trace, "F:base;");
}

static void leaf_finalize(Object *obj)
{
    g_string_append(trace, "F:leaf;");
}

static const TypeInfo test_types[] = {
    {
        .name = TYPE_TEST_BASE,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(TestObject),
        .instance_init = base_init,
        .instance_finalize = base_finalize,
        .abstract = true,
        .class_size = sizeof(TestClass),
        .class_init = base_class_init,
    }, {
        .name = TYPE_TEST_MID,
        .parent = TYPE_TEST_BASE,
        .instance_init = mid_init,
        .class_init = mid_class_init,
    }, {
        .name = TYPE_TEST_LEAF,
        .parent = TYPE_TEST_MID,
        .instance_size = sizeof(TestLeaf),
        .instance_init = leaf_init,
        .instance_finalize = leaf_finalize,
        .class_init = leaf_class_init,
        .class_data = (void *)"leaf-data",
    }, {
        .name = TYPE_TEST_OTHER,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(Object),
    },
};

/* ---- A device with one property of every type --------------------------- */

#define TYPE_TEST_DEV "test-dev"

typedef enum TestMode {
    TEST_MODE_FAST,
    TEST_MODE_SLOW,
    TEST_MODE_OFF,
} TestMode;

static const char *const test_mode_lookup[] = { "fast", "slow", "off", NULL };

typedef struct TestDev {
    DeviceState parent_obj;
    bool b;
    int ooa;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
    uint64_t size;
    char *str;
    char *str_def;
    int mode;
    Object *link;
    bool fail_realize;
    int reset_count;
} TestDev;

static bool test_dev_check_even(Object *obj, const Property *prop,
                                const void *value, Error **errp)
{
    if (*(const uint16_t *)value & 1) {
        error_setg(errp, "'%s' must be even", prop->name);
        return false;
    }
    return true;
}

static Object *test_link_resolve(const char *id, Error **errp)
{
    return object_find_by_id("chardevs", id);
}

static const Property test_dev_props[] = {
    DEFINE_PROP_BOOL("b", TestDev, b, true, NULL),
    DEFINE_PROP_ON_OFF_AUTO("ooa", TestDev, ooa, ON_OFF_AUTO_AUTO,
                            "on/off/auto"),
    DEFINE_PROP_UINT8("u8", TestDev, u8, 8, NULL),
    { .name = "u16", .info = &prop_info_uint16,
      .offset = offsetof(TestDev, u16), .has_default = true, .defval.u = 16,
      .check = test_dev_check_even },
    DEFINE_PROP_UINT32("u32", TestDev, u32, UINT32_MAX, NULL),
    DEFINE_PROP_UINT64("u64", TestDev, u64, 64, NULL),
    DEFINE_PROP_INT32("i32", TestDev, i32, -32, NULL),
    { .name = "i64", .info = &prop_info_int64,
      .offset = offsetof(TestDev, i64), .has_default = true,
      .defval.i = -64 },
    DEFINE_PROP_SIZE("size", TestDev, size, 4096, NULL),
    DEFINE_PROP_STRING("str", TestDev, str, "a string"),
    { .name = "str-def", .info = &prop_info_string,
      .offset = offsetof(TestDev, str_def), .has_default = true,
      .defval.s = "dflt" },
    DEFINE_PROP_ENUM("mode", TestDev, mode, TEST_MODE_SLOW, test_mode_lookup,
                     NULL),
    DEFINE_PROP_LINK("chardev", TestDev, link, TYPE_TEST_OTHER,
                     test_link_resolve,
                     "ID of a chardev to use as a backend"),
    DEFINE_PROP_BOOL("fail", TestDev, fail_realize, false, NULL),
    DEFINE_PROP_END_OF_LIST(),
};

static GString *dev_trace;

static void test_dev_realize(DeviceState *dev, Error **errp)
{
    TestDev *td = (TestDev *)dev;

    g_string_append_printf(dev_trace, "R:%s;", OBJECT(dev)->id);
    if (td->fail_realize) {
        error_setg(errp, "realize failed");
    }
}

static void test_dev_reset(DeviceState *dev)
{
    ((TestDev *)dev)->reset_count++;
    g_string_append_printf(dev_trace, "Z:%s;", OBJECT(dev)->id);
}

static void test_dev_unrealize(DeviceState *dev)
{
    g_string_append_printf(dev_trace, "U:%s;", OBJECT(dev)->id);
}

static int dev_finalized;

static void test_dev_finalize(Object *obj)
{
    dev_finalized++;
}

static void test_dev_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = test_dev_realize;
    dc->reset = test_dev_reset;
    dc->unrealize = test_dev_unrealize;
    object_class_add_properties(klass, test_dev_props);
}

#define TYPE_TEST_DEV2 "test-dev2"

/* A subclass redefining a default, as QEMU's compat properties do */
static const Property test_dev2_props[] = {
    DEFINE_PROP_UINT32("u32", TestDev, u32, 5, "redefined"),
    DEFINE_PROP_END_OF_LIST(),
};

static void test_dev2_class_init(ObjectClass *klass, void *data)
{
    object_class_add_properties(klass, test_dev2_props);
}

static const TypeInfo test_dev_types[] = {
    {
        .name = TYPE_TEST_DEV,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(TestDev),
        .instance_finalize = test_dev_finalize,
        .class_init = test_dev_class_init,
    }, {
        .name = TYPE_TEST_DEV2,
        .parent = TYPE_TEST_DEV,
        .class_init = test_dev2_class_init,
    },
};

static const TypeInfo fake_serial_info;

static void register_all(void)
{
    size_t i;

    trace = g_string_new(NULL);
    dev_trace = g_string_new(NULL);
    qdev_register_types();
    for (i = 0; i < ARRAY_SIZE(test_types); i++) {
        type_register_static(&test_types[i]);
    }
    for (i = 0; i < ARRAY_SIZE(test_dev_types); i++) {
        type_register_static(&test_dev_types[i]);
    }
    type_register_static(&fake_serial_info);
}

/* ---- Types -------------------------------------------------------------- */

static void test_class_init_order(void)
{
    TestClass *tc;

    g_string_truncate(trace, 0);
    /* Asking for the leaf builds parents first, each once */
    tc = (TestClass *)object_class_by_name(TYPE_TEST_LEAF);
    g_assert_cmpstr(trace->str, ==, "C:base;C:mid;C:leaf;");
    g_assert_cmpint(tc->base_value, ==, 1);
    g_assert_cmpint(tc->mid_value, ==, 11);
    g_assert_cmpstr(tc->who, ==, "leaf-data");
    g_string_truncate(trace, 0);
    object_class_by_name(TYPE_TEST_MID);
    object_class_by_name(TYPE_TEST_LEAF);
    g_assert_cmpstr(trace->str, ==, "");
    tc = (TestClass *)object_class_by_name(TYPE_TEST_MID);
    g_assert_cmpstr(tc->who, ==, "mid");
    g_assert_null(object_class_by_name("no-such-type"));
}

static void test_instance_lifecycle(void)
{
    Object *obj;

    g_string_truncate(trace, 0);
    obj = object_new(TYPE_TEST_LEAF);
    g_assert_cmpstr(trace->str, ==, "I:base;I:mid;I:leaf;");
    g_assert_cmpint(((TestObject *)obj)->inits, ==, 2);
    g_assert_cmpint(((TestLeaf *)obj)->leaf_field, ==, 42);
    g_assert_cmpstr(object_get_typename(obj), ==, TYPE_TEST_LEAF);

    g_string_truncate(trace, 0);
    object_ref(obj);
    object_unref(obj);
    g_assert_cmpstr(trace->str, ==, "");
    object_unref(obj);
    g_assert_cmpstr(trace->str, ==, "F:leaf;F:base;");
}

static void test_casts(void)
{
    Object *leaf = object_new(TYPE_TEST_LEAF);
    Object *other = object_new(TYPE_TEST_OTHER);
    ObjectClass *lc = object_get_class(leaf);

    g_assert_true(object_dynamic_cast(leaf, TYPE_TEST_BASE) == leaf);
    g_assert_true(object_dynamic_cast(leaf, TYPE_TEST_MID) == leaf);
    g_assert_true(object_dynamic_cast(leaf, TYPE_OBJECT) == leaf);
    g_assert_null(object_dynamic_cast(leaf, TYPE_TEST_OTHER));
    g_assert_null(object_dynamic_cast(other, TYPE_TEST_BASE));
    g_assert_null(object_dynamic_cast(leaf, "no-such-type"));
    g_assert_null(object_dynamic_cast(NULL, TYPE_OBJECT));

    g_assert_true(object_class_dynamic_cast(lc, TYPE_TEST_BASE) == lc);
    g_assert_null(object_class_dynamic_cast(lc, TYPE_DEVICE));
    g_assert_cmpstr(object_class_get_name(object_class_get_parent(lc)), ==,
                    TYPE_TEST_MID);
    g_assert_null(object_class_get_parent(object_class_by_name(TYPE_OBJECT)));
    g_assert_true(object_class_is_abstract(
                      object_class_by_name(TYPE_TEST_BASE)));
    g_assert_false(object_class_is_abstract(lc));
    object_unref(leaf);
    object_unref(other);
}

/*
 * The checked casts remember the names they were given by pointer (a
 * cast on a per-frame path costs no lookup): what they remember is only
 * ever a type the class has, more names than the cache holds are still
 * right, and a name in a reused buffer is never taken for the last one
 * (only the checked casts, given constants, use the cache).
 */
static void test_cast_cache(void)
{
    Object *leaf = object_new(TYPE_TEST_LEAF);
    ObjectClass *lc = object_get_class(leaf);
    const char *names[] = { TYPE_TEST_BASE, TYPE_TEST_MID, TYPE_TEST_LEAF,
                            TYPE_OBJECT, TYPE_TEST_BASE, TYPE_TEST_LEAF };
    char buf[32];

    for (int round = 0; round < 2; round++) {
        for (unsigned i = 0; i < G_N_ELEMENTS(names); i++) {
            g_assert_true(object_dynamic_cast_assert(leaf, names[i]) == leaf);
            g_assert_true(object_class_dynamic_cast_assert(lc, names[i]) ==
                          lc);
        }
    }
    g_assert_null(object_dynamic_cast(leaf, TYPE_TEST_OTHER));

    snprintf(buf, sizeof(buf), "%s", TYPE_TEST_MID);
    g_assert_true(object_dynamic_cast_assert(leaf, buf) == leaf);
    snprintf(buf, sizeof(buf), "%s", TYPE_TEST_OTHER);
    g_assert_null(object_dynamic_cast(leaf, buf));
    g_assert_null(object_class_dynamic_cast(lc, buf));
    object_unref(leaf);
}

static void test_cast_assert_fails(void)
{
    if (g_test_subprocess()) {
        Object *other = object_new(TYPE_TEST_OTHER);

        DEVICE(other);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*is not an instance of type device*");
}

static void test_class_list(void)
{
    GSList *list = object_class_get_list(TYPE_TEST_BASE, false);
    GSList *all = object_class_get_list(TYPE_TEST_BASE, true);

    g_assert_cmpuint(g_slist_length(list), ==, 2);
    g_assert_cmpstr(object_class_get_name(list->data), ==, TYPE_TEST_LEAF);
    g_assert_cmpstr(object_class_get_name(list->next->data), ==,
                    TYPE_TEST_MID);
    g_assert_cmpuint(g_slist_length(all), ==, 3);
    g_assert_cmpstr(object_class_get_name(all->data), ==, TYPE_TEST_BASE);
    g_slist_free(list);
    g_slist_free(all);
    g_assert_null(object_class_get_list("no-such-type", true));
}

/* ---- Properties --------------------------------------------------------- */

static void test_defaults(void)
{
    TestDev *td = (TestDev *)object_new(TYPE_TEST_DEV);
    TestDev *td2 = (TestDev *)object_new(TYPE_TEST_DEV2);

    g_assert_true(td->b);
    g_assert_cmpint(td->ooa, ==, ON_OFF_AUTO_AUTO);
    g_assert_cmpuint(td->u8, ==, 8);
    g_assert_cmpuint(td->u16, ==, 16);
    g_assert_cmpuint(td->u32, ==, UINT32_MAX);
    g_assert_cmpuint(td->u64, ==, 64);
    g_assert_cmpint(td->i32, ==, -32);
    g_assert_cmpint(td->i64, ==, -64);
    g_assert_cmpuint(td->size, ==, 4096);
    g_assert_null(td->str);
    g_assert_cmpstr(td->str_def, ==, "dflt");
    g_assert_cmpint(td->mode, ==, TEST_MODE_SLOW);
    g_assert_null(td->link);
    g_assert_false(DEVICE(td)->realized);
    /* The subclass's table overrides the parent's default */
    g_assert_cmpuint(td2->u32, ==, 5);
    g_assert_cmpuint(td2->u8, ==, 8);
    object_unref(OBJECT(td));
    object_unref(OBJECT(td2));
}

typedef struct PropCase {
    const char *name;
    const char *value;
    const char *printed;    /* object_property_print after, NULL: error */
    const char *error;
} PropCase;

static const PropCase prop_cases[] = {
    { "b", "off", "off" },
    { "b", "yes", "on" },
    { "b", "n", "off" },
    { "b", "maybe", NULL, "Parameter 'b' expects 'on' or 'off'" },
    { "b", "", NULL, "Parameter 'b' expects 'on' or 'off'" },
    { "ooa", "on", "on" },
    { "ooa", "off", "off" },
    { "ooa", "auto", "auto" },
    { "ooa", "maybe", NULL, "Parameter 'ooa' does not accept value 'maybe'" },
    { "ooa", "ON", NULL, "Parameter 'ooa' does not accept value 'ON'" },
    { "ooa", "", NULL, "Parameter 'ooa' does not accept value ''" },
    { "u8", "255", "255" },
    { "u8", "0x10", "16" },
    { "u8", "256", NULL, "Parameter 'u8' expects uint8_t" },
    { "u8", "-1", NULL, "Parameter 'u8' expects uint8_t" },
    { "u16", "0xfffe", "65534" },
    { "u16", "65536", NULL, "Parameter 'u16' expects uint16_t" },
    { "u16", "3", NULL, "'u16' must be even" },
    { "u32", "0x3f8", "1016" },
    { "u32", "010", "8" },
    { "u32", "4294967295", "4294967295" },
    { "u32", "xyz", NULL, "Parameter 'u32' expects integer" },
    { "u32", "1k", NULL, "Parameter 'u32' expects integer" },
    { "u32", "1.5", NULL, "Parameter 'u32' expects integer" },
    { "u32", "", NULL, "Parameter 'u32' expects integer" },
    { "u32", "0x", NULL, "Parameter 'u32' expects integer" },
    { "u32", "-1", NULL, "Parameter 'u32' expects uint32_t" },
    { "u32", "4294967296", NULL, "Parameter 'u32' expects uint32_t" },
    { "u64", "-1", "18446744073709551615" },
    { "u64", "18446744073709551616", NULL,
      "Parameter 'u64' expects integer" },
    { "i32", "-2147483648", "-2147483648" },
    { "i32", "2147483648", NULL, "Parameter 'i32' expects int32_t" },
    { "i32", "z", NULL, "Parameter 'i32' expects integer" },
    { "i64", "-0x10", "-16" },
    { "i64", "9223372036854775808", NULL,
      "Parameter 'i64' expects integer" },
    { "size", "1.5k", "1536" },
    { "size", "2G", "2147483648" },
    { "size", "1x", NULL, "Parameter 'size' expects size" },
    { "size", "16E", NULL, "Parameter 'size' expects size" },
    { "str", "hello,world", "hello,world" },
    { "str", "", "" },
    { "str-def", "x", "x" },
    { "mode", "fast", "fast" },
    { "mode", "off", "off" },
    { "mode", "medium", NULL,
      "Parameter 'mode' does not accept value 'medium'" },
    { "chardev", "", "" },
    { "chardev", "nope", NULL,
      "Property 'test-dev.chardev' can't find value 'nope'" },
    { "chardev", "c0", "c0" },
    { "chardev", "wrongtype", NULL,
      "Invalid parameter type for 'chardev', expected: test-other" },
    { "nosuch", "1", NULL, "Property 'test-dev.nosuch' not found" },
};

static void test_property_parse_print(void)
{
    Object *obj = object_new(TYPE_TEST_DEV);
    Object *c0 = object_new(TYPE_TEST_OTHER);
    Object *wrong = object_new(TYPE_TEST_LEAF);
    size_t i;

    g_assert_true(object_add_with_id("chardevs", "c0", c0, &error_abort));
    g_assert_true(object_add_with_id("chardevs", "wrongtype", wrong,
                                     &error_abort));
    for (i = 0; i < ARRAY_SIZE(prop_cases); i++) {
        const PropCase *c = &prop_cases[i];
        g_autofree char *before = object_property_print(obj, c->name);
        g_autofree char *after = NULL;
        Error *err = NULL;
        bool ok;

        g_test_message("%s=%s", c->name, c->value);
        ok = object_property_parse(obj, c->name, c->value, &err);
        after = object_property_print(obj, c->name);
        if (c->printed) {
            g_assert_true(ok);
            g_assert_null(err);
            g_assert_cmpstr(after, ==, c->printed);
        } else {
            g_assert_false(ok);
            g_assert_cmpstr(error_get_pretty(err), ==, c->error);
            /* A rejected value leaves the old one */
            g_assert_cmpstr(after, ==, before);
            error_free(err);
        }
    }
    g_assert_true(((TestDev *)obj)->link == c0);
    g_assert_null(object_property_print(obj, "nosuch"));
    object_unref(obj);
    object_remove_id("chardevs", "c0");
    object_remove_id("chardevs", "wrongtype");
    object_unref(c0);
    object_unref(wrong);
}

static void test_property_type_names(void)
{
    ObjectClass *oc = object_class_by_name(TYPE_TEST_DEV);
    static const char *const expect[][2] = {
        { "b", "bool" }, { "ooa", "OnOffAuto" }, { "u8", "uint8" },
        { "u16", "uint16" }, { "u32", "uint32" }, { "u64", "uint64" },
        { "i32", "int32" }, { "i64", "int64" }, { "size", "size" },
        { "str", "str" }, { "chardev", "str" },
    };
    char buf[32];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(expect); i++) {
        const Property *p = object_class_find_property(oc, expect[i][0]);

        g_assert_nonnull(p);
        g_assert_cmpstr(object_property_type_name(p, buf, sizeof(buf)), ==,
                        expect[i][1]);
    }
    g_assert_null(object_class_find_property(oc, "nosuch"));
}

static void count_prop(const Property *prop, void *opaque)
{
    g_string_append_printf(opaque, "%s,", prop->name);
}

static void test_property_foreach(void)
{
    g_autoptr(GString) s = g_string_new(NULL);

    object_class_foreach_property(object_class_by_name(TYPE_TEST_DEV2),
                                  count_prop, s);
    /* Ancestors first, then the subclass's own table */
    g_assert_cmpstr(s->str, ==, "b,ooa,u8,u16,u32,u64,i32,i64,size,str,"
                    "str-def,mode,chardev,fail,u32,");
}

static void test_help_text(void)
{
    g_autoptr(GString) out = g_string_new(NULL);

    object_class_print_properties_help(object_class_by_name(TYPE_TEST_DEV2),
                                       out);
    g_assert_cmpstr(out->str, ==,
        "test-dev2 options:\n"
        "  b=<bool>               -  (default: true)\n"
        "  chardev=<str>          - ID of a chardev to use as a backend\n"
        "  fail=<bool>            -  (default: false)\n"
        "  i32=<int32>            -  (default: -32)\n"
        "  i64=<int64>            -  (default: -64)\n"
        "  mode=<enum>            -  (default: \"slow\")\n"
        "  ooa=<OnOffAuto>        - on/off/auto (default: \"auto\")\n"
        "  size=<size>            -  (default: 4096)\n"
        "  str-def=<str>          -  (default: \"dflt\")\n"
        "  str=<str>              - a string\n"
        "  u16=<uint16>           -  (default: 16)\n"
        "  u32=<uint32>           - redefined (default: 5)\n"
        "  u64=<uint64>           -  (default: 64)\n"
        "  u8=<uint8>             -  (default: 8)\n");

    g_string_truncate(out, 0);
    object_class_print_properties_help(object_class_by_name(TYPE_TEST_LEAF),
                                       out);
    g_assert_cmpstr(out->str, ==, "There are no options for test-leaf.\n");
}

/* The layout QEMU 7.2 prints for "-device isa-serial,help" */
typedef struct FakeSerial {
    DeviceState parent_obj;
    uint32_t baudbase, index, iobase, irq;
    bool wakeup;
    Object *chr;
} FakeSerial;

static const Property fake_serial_props[] = {
    DEFINE_PROP_UINT32("index", FakeSerial, index, UINT32_MAX, NULL),
    DEFINE_PROP_UINT32("iobase", FakeSerial, iobase, UINT32_MAX, NULL),
    DEFINE_PROP_UINT32("irq", FakeSerial, irq, UINT32_MAX, NULL),
    DEFINE_PROP_BOOL("wakeup", FakeSerial, wakeup, false, NULL),
    DEFINE_PROP_UINT32("baudbase", FakeSerial, baudbase, 115200, NULL),
    DEFINE_PROP_LINK("chardev", FakeSerial, chr, NULL, NULL,
                     "ID of a chardev to use as a backend"),
    { .name = "serial", .info = &prop_info_link, .type_name = "child<serial>",
      .offset = offsetof(FakeSerial, chr) },
    { .name = "acpi", .info = &prop_info_on_off_auto,
      .offset = offsetof(FakeSerial, irq), .description = "Enable ACPI",
      .has_default = true, .help_no_default = true },
    DEFINE_PROP_END_OF_LIST(),
};

static void fake_serial_class_init(ObjectClass *klass, void *data)
{
    object_class_add_properties(klass, fake_serial_props);
}

static const TypeInfo fake_serial_info = {
    .name = "fake-isa-serial",
    .parent = TYPE_ISA_DEVICE,
    .instance_size = sizeof(FakeSerial),
    .class_init = fake_serial_class_init,
};

static void test_help_matches_qemu(void)
{
    g_autoptr(GString) out = g_string_new(NULL);

    object_class_print_properties_help(
        object_class_by_name("fake-isa-serial"), out);
    g_assert_cmpstr(out->str, ==,
        "fake-isa-serial options:\n"
        "  acpi=<OnOffAuto>       - Enable ACPI\n"
        "  baudbase=<uint32>      -  (default: 115200)\n"
        "  chardev=<str>          - ID of a chardev to use as a backend\n"
        "  index=<uint32>         -  (default: 4294967295)\n"
        "  iobase=<uint32>        -  (default: 4294967295)\n"
        "  irq=<uint32>           -  (default: 4294967295)\n"
        "  serial=<child<serial>>\n"
        "  wakeup=<bool>          -  (default: false)\n");
}

/* The layout QEMU 7.2 prints for "-M microvm,help" (class properties) */
typedef struct FakeMachine {
    Object parent_obj;
    int acpi;
    char *append;
    bool akc;
    uint64_t ratelimit;
    Object *backend;
} FakeMachine;

static const Property fake_machine_props[] = {
    DEFINE_PROP_ON_OFF_AUTO("acpi", FakeMachine, acpi, ON_OFF_AUTO_AUTO,
                            "Enable ACPI"),
    DEFINE_PROP_STRING("append", FakeMachine, append,
                       "Linux kernel command line"),
    DEFINE_PROP_BOOL("auto-kernel-cmdline", FakeMachine, akc, true,
                     "Set off to disable adding virtio-mmio devices to the "
                     "kernel cmdline"),
    { .name = "bus-lock-ratelimit", .info = &prop_info_uint64,
      .offset = offsetof(FakeMachine, ratelimit), .type_name = "uint64_t",
      .description = "Set the ratelimit for the bus locks acquired in VMs" },
    DEFINE_PROP_LINK("memory-backend", FakeMachine, backend,
                     "memory-backend", NULL,
                     "Set RAM backendValid value is ID of hostmem based "
                     "backend"),
    DEFINE_PROP_END_OF_LIST(),
};

static void fake_machine_class_init(ObjectClass *klass, void *data)
{
    klass->class_property_help = true;
    object_class_add_properties(klass, fake_machine_props);
}

static const TypeInfo fake_machine_info = {
    .name = "fake-machine",
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(FakeMachine),
    .class_init = fake_machine_class_init,
};

static void test_help_class_props(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    FakeMachine *m;

    type_register_static(&fake_machine_info);
    object_class_print_properties_help(object_class_by_name("fake-machine"),
                                       out);
    g_assert_cmpstr(out->str, ==,
        "fake-machine options:\n"
        "  acpi=<OnOffAuto>       - Enable ACPI\n"
        "  append=<string>        - Linux kernel command line\n"
        "  auto-kernel-cmdline=<bool> - Set off to disable adding "
        "virtio-mmio devices to the kernel cmdline\n"
        "  bus-lock-ratelimit=<uint64_t> - Set the ratelimit for the bus "
        "locks acquired in VMs\n"
        "  memory-backend=<link<memory-backend>> - Set RAM backendValid "
        "value is ID of hostmem based backend\n");
    /* Defaults still apply; only the listing hides them */
    m = (FakeMachine *)object_new("fake-machine");
    g_assert_cmpint(m->acpi, ==, ON_OFF_AUTO_AUTO);
    g_assert_true(m->akc);
    object_unref(OBJECT(m));
}

/* ---- -global ------------------------------------------------------------ */

static void test_globals(void)
{
    TestDev *td;
    Error *err;

    object_reset_globals();
    g_assert_true(object_register_global(TYPE_TEST_DEV, "u32", "7",
                                         &error_abort));
    g_assert_true(object_register_global(TYPE_TEST_DEV2, "u8", "9",
                                         &error_abort));
    g_assert_true(object_register_global(TYPE_TEST_DEV, "u8", "3",
                                         &error_abort));

    /* Applied after defaults, in order, to the type and its subtypes */
    td = (TestDev *)object_new(TYPE_TEST_DEV2);
    g_assert_cmpuint(td->u32, ==, 7);
    g_assert_cmpuint(td->u8, ==, 3);
    g_assert_null(object_take_pending_error(OBJECT(td)));
    object_unref(OBJECT(td));
    td = (TestDev *)object_new(TYPE_TEST_DEV);
    g_assert_cmpuint(td->u8, ==, 3);
    object_unref(OBJECT(td));

    /* A bad one is kept for qdev_realize, in QEMU's words for -global */
    object_reset_globals();
    object_register_global(TYPE_TEST_DEV, "u32", "xyz", &error_abort);
    td = (TestDev *)object_new(TYPE_TEST_DEV);
    err = object_take_pending_error(OBJECT(td));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "can't apply global test-dev.u32=xyz: Parameter 'u32' "
                    "expects uint64");
    error_free(err);
    g_assert_null(object_take_pending_error(OBJECT(td)));
    object_unref(OBJECT(td));

    object_reset_globals();
    object_register_global(TYPE_TEST_DEV, "nosuch", "1", &error_abort);
    td = (TestDev *)object_new(TYPE_TEST_DEV);
    err = NULL;
    g_assert_false(qdev_realize(DEVICE(td), &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "can't apply global test-dev.nosuch=1: Property "
                    "'test-dev.nosuch' not found");
    error_free(err);
    g_assert_false(DEVICE(td)->realized);
    object_unref(OBJECT(td));

    /* Sizes and signed integers take other wordings through -global */
    object_reset_globals();
    object_register_global(TYPE_TEST_DEV, "size", "x", &error_abort);
    td = (TestDev *)object_new(TYPE_TEST_DEV);
    err = object_take_pending_error(OBJECT(td));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "can't apply global test-dev.size=x: Parameter 'size' "
                    "expects a non-negative number below 2^64");
    g_assert_cmpstr(err->hint->str, ==,
                    "Optional suffix k, M, G, T, P or E means kilo-, mega-, "
                    "giga-, tera-, peta-\nand exabytes, respectively.\n");
    error_free(err);
    object_unref(OBJECT(td));
    object_reset_globals();
    object_register_global(TYPE_TEST_DEV, "size", "16E", &error_abort);
    object_register_global(TYPE_TEST_DEV, "i32", "x", &error_abort);
    td = (TestDev *)object_new(TYPE_TEST_DEV);
    err = object_take_pending_error(OBJECT(td));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "can't apply global test-dev.size=16E: Value '16E' is "
                    "out of range for parameter 'size'");
    error_free(err);
    object_unref(OBJECT(td));
    object_reset_globals();
    object_register_global(TYPE_TEST_DEV, "i32", "x", &error_abort);
    td = (TestDev *)object_new(TYPE_TEST_DEV);
    err = object_take_pending_error(OBJECT(td));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "can't apply global test-dev.i32=x: Parameter 'i32' "
                    "expects int64");
    error_free(err);
    /* ...but the keyval wording is back for -device values */
    err = NULL;
    g_assert_false(object_property_parse(OBJECT(td), "i32", "x", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'i32' expects integer");
    error_free(err);
    object_unref(OBJECT(td));

    object_reset_globals();
    object_register_global(TYPE_TEST_DEV, "u32", "-1", &error_abort);
    td = (TestDev *)object_new(TYPE_TEST_DEV);
    err = object_take_pending_error(OBJECT(td));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "can't apply global test-dev.u32=-1: Parameter 'u32' "
                    "expects uint32_t");
    error_free(err);
    object_unref(OBJECT(td));
    object_reset_globals();
}

/*
 * ---- A property type added through its handler table alone ---------------
 * A MAC address as QEMU 7.2's qdev_prop_macaddr parses it (six hex pairs
 * separated by ':' or '-'), and its message for anything else.
 */

typedef struct TestMac {
    uint8_t a[6];
} TestMac;

static bool test_mac_parse(Object *obj, const Property *prop,
                           const char *str, PropertyInput input, void *value,
                           Error **errp)
{
    TestMac *mac = value;
    const char *p = str;

    for (int i = 0; i < 6; i++) {
        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]) ||
            (i < 5 && p[2] != ':' && p[2] != '-') || (i == 5 && p[2])) {
            error_setg(errp, "Property '%s.%s' doesn't take value '%s'",
                       obj ? object_get_typename(obj) : "?", prop->name,
                       str);
            return false;
        }
        mac->a[i] = g_ascii_xdigit_value(p[0]) << 4 |
                    g_ascii_xdigit_value(p[1]);
        p += 3;
    }
    return true;
}

static char *test_mac_print(const Property *prop, const void *field)
{
    const TestMac *mac = field;

    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", mac->a[0],
                           mac->a[1], mac->a[2], mac->a[3], mac->a[4],
                           mac->a[5]);
}

static const PropertyInfo test_prop_info_mac = {
    .name = "str",
    .size = sizeof(TestMac),
    .parse = test_mac_parse,
    .print = test_mac_print,
};

typedef struct TestNic {
    DeviceState parent_obj;
    TestMac mac;
    uint32_t queues;
} TestNic;

static const Property test_nic_props[] = {
    { .name = "mac", .info = &test_prop_info_mac,
      .offset = offsetof(TestNic, mac), .description = "MAC address" },
    DEFINE_PROP_UINT32("queues", TestNic, queues, 1, NULL),
    DEFINE_PROP_END_OF_LIST(),
};

static void test_nic_class_init(ObjectClass *klass, void *data)
{
    object_class_add_properties(klass, test_nic_props);
}

static const TypeInfo test_nic_info = {
    .name = "test-nic",
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(TestNic),
    .class_init = test_nic_class_init,
};

static void test_new_property_type(void)
{
    g_autoptr(GString) help = g_string_new(NULL);
    g_autofree char *printed = NULL;
    TestNic *nic;
    Error *err;

    type_register_static(&test_nic_info);

    /* -global test-nic.mac=...: parsed and stored by the table's hooks */
    object_reset_globals();
    g_assert_cmpint(qemu_global_option("test-nic.mac=52-54-00:12:34:AB"),
                    ==, 0);
    nic = (TestNic *)object_new("test-nic");
    g_assert_null(object_take_pending_error(OBJECT(nic)));
    g_assert_cmpmem(nic->mac.a, 6, "\x52\x54\x00\x12\x34\xab", 6);
    printed = object_property_print(OBJECT(nic), "mac");
    g_assert_cmpstr(printed, ==, "52:54:00:12:34:ab");
    object_unref(OBJECT(nic));

    /* A bad value: the type's own message, wrapped as any -global error */
    object_reset_globals();
    g_assert_cmpint(qemu_global_option("test-nic.mac=52:54"), ==, 0);
    nic = (TestNic *)object_new("test-nic");
    err = object_take_pending_error(OBJECT(nic));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "can't apply global test-nic.mac=52:54: Property "
                    "'test-nic.mac' doesn't take value '52:54'");
    error_free(err);
    object_unref(OBJECT(nic));
    object_reset_globals();

    /* -device test-nic,help: the type's name, no default */
    object_class_print_properties_help(object_class_by_name("test-nic"),
                                       help);
    g_assert_cmpstr(help->str, ==,
                    "test-nic options:\n"
                    "  mac=<str>              - MAC address\n"
                    "  queues=<uint32>        -  (default: 1)\n");
}

static void test_globals_check(void)
{
    if (g_test_subprocess()) {
        TestDev *td;

        error_set_progname("qemu-system-x86_64");
        object_register_global("foo", "bar", "1", &error_abort);
        object_register_global(TYPE_TEST_DEV, "u8", "1", &error_abort);
        object_register_global(TYPE_TEST_LEAF, "x", "1", &error_abort);
        object_register_global(TYPE_TEST_DEV2, "u8", "1", &error_abort);
        td = (TestDev *)object_new(TYPE_TEST_DEV);
        g_assert_true(object_check_globals());
        object_unref(OBJECT(td));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "qemu-system-x86_64: warning: global foo.bar has invalid class name\n"
        "qemu-system-x86_64: warning: global test-leaf.x has invalid class "
        "name\n");
}

static void test_global_option(void)
{
    if (g_test_subprocess()) {
        char *argv[] = { "qemu", "-global", "x", NULL };
        TestDev *td;

        error_set_progname("qemu-system-x86_64");
        loc_set_cmdline(argv, 1, 2);
        g_assert_cmpint(qemu_global_option("test-dev.str=a,b"), ==, 0);
        g_assert_cmpint(qemu_global_option(
                            "driver=test-dev,property=u8,value=0x11"), ==, 0);
        g_assert_cmpint(qemu_global_option("foo"), ==, -1);
        g_assert_cmpint(qemu_global_option("driver=a,property=b"), ==, -1);
        g_assert_cmpint(qemu_global_option(
                            "driver=a,property=b,value=c,x=1"), ==, -1);
        td = (TestDev *)object_new(TYPE_TEST_DEV);
        g_assert_cmpstr(td->str, ==, "a,b");
        g_assert_cmpuint(td->u8, ==, 0x11);
        object_unref(OBJECT(td));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "qemu-system-x86_64: -global x: warning: short-form boolean option "
        "'foo' deprecated\n"
        "Please use foo=on instead\n"
        "qemu-system-x86_64: -global x: Invalid parameter 'foo'\n"
        "qemu-system-x86_64: -global x: options 'driver', 'property', and "
        "'value' are required\n"
        "qemu-system-x86_64: -global x: Invalid parameter 'x'\n");
}

/* ---- Ids ---------------------------------------------------------------- */

static void test_ids(void)
{
    Object *a = object_new(TYPE_TEST_OTHER);
    Object *b = object_new(TYPE_TEST_OTHER);
    Error *err = NULL;

    g_assert_true(object_add_with_id("chardevs", "a", a, &error_abort));
    g_assert_cmpstr(a->id, ==, "a");
    g_assert_true(object_find_by_id("chardevs", "a") == a);
    g_assert_null(object_find_by_id("devices", "a"));
    g_assert_null(object_find_by_id("nons", "a"));

    g_assert_false(object_add_with_id("chardevs", "a", b, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Duplicate ID 'a' for chardev");
    error_free(err);
    err = NULL;
    /* Namespaces are separate */
    g_assert_true(object_add_with_id("devices", "a", b, &error_abort));
    g_assert_false(object_add_with_id("devices", "a", a, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Duplicate ID 'a' for device");
    error_free(err);
    err = NULL;
    g_assert_false(object_add_with_id("objects", "a", a, &error_abort) &&
                   object_add_with_id("objects", "a", b, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Duplicate ID 'a' for object");
    error_free(err);
    err = NULL;

    g_assert_false(object_add_with_id("netdevs", "9a", a, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'id' expects an identifier");
    g_assert_cmpstr(err->hint->str, ==,
                    "Identifiers consist of letters, digits, '-', '.', '_', "
                    "starting with a letter.\n");
    error_free(err);

    /* The namespace holds a reference until the id is removed */
    object_unref(a);
    g_assert_true(object_find_by_id("chardevs", "a") == a);
    object_remove_id("chardevs", "a");
    object_remove_id("objects", "a");
    g_assert_null(object_find_by_id("chardevs", "a"));
    object_remove_id("devices", "a");
    object_unref(b);
}

static void test_id_wellformed(void)
{
    g_assert_true(id_wellformed("a"));
    g_assert_true(id_wellformed("Z9-._x"));
    g_assert_false(id_wellformed(""));
    g_assert_false(id_wellformed("1a"));
    g_assert_false(id_wellformed("-a"));
    g_assert_false(id_wellformed("_a"));
    g_assert_false(id_wellformed("a b"));
    g_assert_false(id_wellformed("a,b"));
    g_assert_false(id_wellformed("a/b"));
}

/* ---- qdev --------------------------------------------------------------- */

static TestDev *new_dev(const char *id)
{
    TestDev *td = (TestDev *)object_new(TYPE_TEST_DEV);

    OBJECT(td)->id = g_strdup(id);
    return td;
}

static void test_qdev_lifecycle(void)
{
    TestDev *d1 = new_dev("d1");
    TestDev *d2 = new_dev("d2");
    TestDev *bad = new_dev("bad");
    Error *err = NULL;

    g_string_truncate(dev_trace, 0);
    g_assert_true(qdev_realize(DEVICE(d1), &error_abort));
    g_assert_true(qdev_realize(DEVICE(d2), &error_abort));
    /* realize then reset, per device */
    g_assert_cmpstr(dev_trace->str, ==, "R:d1;Z:d1;R:d2;Z:d2;");
    g_assert_true(DEVICE(d1)->realized);

    object_property_parse(OBJECT(bad), "fail", "on", &error_abort);
    g_assert_false(qdev_realize(DEVICE(bad), &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "realize failed");
    error_free(err);
    g_assert_false(DEVICE(bad)->realized);
    g_assert_cmpint(bad->reset_count, ==, 0);

    g_string_truncate(dev_trace, 0);
    qdev_reset_all();
    g_assert_cmpstr(dev_trace->str, ==, "Z:d1;Z:d2;");
    g_assert_cmpint(d1->reset_count, ==, 2);

    /* The list holds references: dropping ours keeps them alive */
    object_unref(OBJECT(d1));
    object_unref(OBJECT(d2));
    object_unref(OBJECT(bad));
    g_string_truncate(dev_trace, 0);
    qdev_unrealize_all();
    g_assert_cmpstr(dev_trace->str, ==, "U:d2;U:d1;");
    g_string_truncate(dev_trace, 0);
    qdev_reset_all();
    g_assert_cmpstr(dev_trace->str, ==, "");
}

/* QEMU's qdev_new + qdev_realize_and_unref: the device list owns it. */
static void test_qdev_realize_and_unref(void)
{
    TestDev *ok = new_dev("ok");
    TestDev *bad = new_dev("bad");
    int finalized = dev_finalized;
    Error *err = NULL;

    g_assert_true(qdev_realize_and_unref(DEVICE(ok), &error_abort));
    g_assert_true(DEVICE(ok)->realized);
    g_assert_cmpint(dev_finalized, ==, finalized);

    /* A failed realize leaves no owner: the device is freed at once */
    object_property_parse(OBJECT(bad), "fail", "on", &error_abort);
    g_assert_false(qdev_realize_and_unref(DEVICE(bad), &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "realize failed");
    error_free(err);
    g_assert_cmpint(dev_finalized, ==, finalized + 1);

    g_string_truncate(dev_trace, 0);
    qdev_unrealize_all();
    g_assert_cmpstr(dev_trace->str, ==, "U:ok;");
    g_assert_cmpint(dev_finalized, ==, finalized + 2);
}

/* Dropping the device list's reference is caught, not a use after free. */
static void test_qdev_over_unref(void)
{
    if (g_test_subprocess()) {
        TestDev *d = new_dev("d");

        g_assert_true(qdev_realize_and_unref(DEVICE(d), &error_abort));
        object_unref(OBJECT(d));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*realized*");
}

static void test_device_classes(void)
{
    DeviceClass *dc = DEVICE_CLASS(object_class_by_name(TYPE_TEST_DEV));
    DeviceClass *isa = DEVICE_CLASS(object_class_by_name("fake-isa-serial"));

    g_assert_true(dc->user_creatable);
    g_assert_null(dc->bus_type);
    g_assert_cmpstr(isa->bus_type, ==, "ISA");
    g_assert_true(object_class_is_abstract(
                      object_class_by_name(TYPE_DEVICE)));
    g_assert_true(object_class_is_abstract(
                      object_class_by_name(TYPE_ISA_DEVICE)));
    g_assert_false(DEVICE_CLASS(object_class_by_name(TYPE_SYS_BUS_DEVICE))
                   ->user_creatable);
    g_assert_cmpstr(object_class_get_name(object_class_get_parent(
                        object_class_by_name(TYPE_SYS_BUS_DEVICE))), ==,
                    TYPE_DEVICE);
}

/* ---- IRQ and ISA -------------------------------------------------------- */

static int irq_levels[16];
static int irq_changes;

static void irq_record(void *opaque, int n, int level)
{
    g_assert_true(opaque == irq_levels);
    irq_levels[n] = level;
    irq_changes++;
}

static void test_irq(void)
{
    qemu_irq irq = qemu_allocate_irq(irq_record, irq_levels, 5);

    irq_changes = 0;
    qemu_irq_raise(irq);
    g_assert_cmpint(irq_levels[5], ==, 1);
    qemu_irq_lower(irq);
    g_assert_cmpint(irq_levels[5], ==, 0);
    qemu_irq_pulse(irq);
    g_assert_cmpint(irq_levels[5], ==, 0);
    g_assert_cmpint(irq_changes, ==, 4);
    qemu_set_irq(NULL, 1);      /* an unwired line is allowed */
    qemu_free_irq(irq);
}

static uint64_t fake_io_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0x50 + addr;
}

static void fake_io_write(void *opaque, uint64_t addr, uint64_t data,
                          unsigned size)
{
    *(uint64_t *)opaque = (addr << 8) | data;
}

static const MemoryRegionOps fake_io_ops = {
    .read = fake_io_read,
    .write = fake_io_write,
    .impl.min_access_size = 1,
    .impl.max_access_size = 1,
};

static void test_isa_bus(void)
{
    qemu_irq lines[16];
    uint64_t written = 0;
    uint64_t data = 0;
    int i;

    for (i = 0; i < 16; i++) {
        lines[i] = qemu_allocate_irq(irq_record, irq_levels, i);
    }
    g_assert_null(isa_bus_get());
    g_assert_null(isa_get_irq(4));
    isa_bus_init(lines);
    g_assert_nonnull(isa_bus_get());
    g_assert_true(isa_get_irq(4) == lines[4]);
    qemu_irq_raise(isa_get_irq(15));
    g_assert_cmpint(irq_levels[15], ==, 1);

    isa_register_ioport(NULL, 0x3f8, 8, &fake_io_ops, &written, "fake");
    g_assert_true(address_space_read(&address_space_io, 0x3fa, &data, 1));
    g_assert_cmpuint(data, ==, 0x52);
    g_assert_true(address_space_write(&address_space_io, 0x3f9, 0x7, 1));
    g_assert_cmpuint(written, ==, 0x107);
    g_assert_false(address_space_read(&address_space_io, 0x400, &data, 1));
    address_space_clear(&address_space_io);
    for (i = 0; i < 16; i++) {
        qemu_free_irq(lines[i]);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    register_all();
    g_test_add_func("/qom/class-init-order", test_class_init_order);
    g_test_add_func("/qom/instance-lifecycle", test_instance_lifecycle);
    g_test_add_func("/qom/casts", test_casts);
    g_test_add_func("/qom/cast-cache", test_cast_cache);
    g_test_add_func("/qom/cast-assert-fails", test_cast_assert_fails);
    g_test_add_func("/qom/class-list", test_class_list);
    g_test_add_func("/qom/property/defaults", test_defaults);
    g_test_add_func("/qom/property/parse-print", test_property_parse_print);
    g_test_add_func("/qom/property/type-names", test_property_type_names);
    g_test_add_func("/qom/property/foreach", test_property_foreach);
    g_test_add_func("/qom/property/new-type", test_new_property_type);
    g_test_add_func("/qom/property/help", test_help_text);
    g_test_add_func("/qom/property/help-qemu-layout",
                    test_help_matches_qemu);
    g_test_add_func("/qom/property/help-class-props",
                    test_help_class_props);
    g_test_add_func("/qom/global/apply", test_globals);
    g_test_add_func("/qom/global/check", test_globals_check);
    g_test_add_func("/qom/global/option", test_global_option);
    g_test_add_func("/qom/ids", test_ids);
    g_test_add_func("/qom/id-wellformed", test_id_wellformed);
    g_test_add_func("/qdev/lifecycle", test_qdev_lifecycle);
    g_test_add_func("/qdev/realize-and-unref", test_qdev_realize_and_unref);
    g_test_add_func("/qdev/over-unref", test_qdev_over_unref);
    g_test_add_func("/qdev/classes", test_device_classes);
    g_test_add_func("/hw/irq", test_irq);
    g_test_add_func("/hw/isa-bus", test_isa_bus);
    return g_test_run();
}
