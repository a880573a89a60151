/*
 * -object parsing, help, creation order and errors (system/object-add.c);
 * every expected line is what QEMU 7.2 prints for the same argument.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "system/object-add.h"
#include "system/hostmem.h"
#include "system/iothread.h"
#include "system/rng.h"

/* Parses arg as -object would and expects the parse-time error msg. */
static void assert_parse_error(const char *arg, const char *msg)
{
    Error *err = NULL;
    bool help;

    object_option_reset();
    g_assert_false(object_option_parse(arg, &help, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
    object_option_reset();
}

/* Parses (must succeed), then creation must fail with msg. */
static void assert_create_error(const char *arg, const char *msg)
{
    Error *err = NULL;
    bool help;

    object_option_reset();
    if (!object_option_parse(arg, &help, &err)) {
        g_error("%s: %s", arg, error_get_pretty(err));
    }
    g_assert_false(help);
    g_assert_false(object_option_foreach_add(object_create_early, &err) &&
                   object_option_foreach_add(object_create_late, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
    object_option_reset();
}

static Object *create_ok(const char *arg)
{
    Error *err = NULL;
    bool help;
    g_autofree char *id = NULL;
    QemuOpts *opts;

    object_option_reset();
    if (!object_option_parse(arg, &help, &err) ||
        !object_option_foreach_add(object_create_early, &err) ||
        !object_option_foreach_add(object_create_late, &err)) {
        g_error("%s: %s", arg, error_get_pretty(err));
    }
    opts = g_queue_peek_tail(&qemu_object_opts.head);
    id = g_strdup(qemu_opts_id(opts));
    object_option_reset();
    return object_find_by_id("objects", id);
}

static void test_parse_errors(void)
{
    static const struct { const char *arg, *msg; } cases[] = {
        { "nosuch,id=o0",
          "Parameter 'qom-type' does not accept value 'nosuch'" },
        { "memory-backend,id=x",
          "Parameter 'qom-type' does not accept value 'memory-backend'" },
        { "id=m0", "Parameter 'qom-type' is missing" },
        { "", "Parameter 'qom-type' is missing" },
        { "memory-backend-ram", "Parameter 'id' is missing" },
        { "memory-backend-ram,id=m0", "Parameter 'size' is missing" },
        { "memory-backend-ram,id=m0,si=1M", "Parameter 'size' is missing" },
        { "memory-backend-ram,id=m0,size=1M,foo=1",
          "Invalid parameter 'foo'" },
        { "memory-backend-ram,id=0m,size=1M",
          "Parameter 'id' expects an identifier" },
        { "memory-backend-ram,id=m0,size=foo",
          "Parameter 'size' expects a size value" },
        { "memory-backend-ram,id=m0,size=-1",
          "Parameter 'size' expects a size value" },
        { "memory-backend-ram,id=m0,size=1M,share=maybe",
          "Parameter 'share' expects 'on' or 'off'" },
        { "memory-backend-ram,id=m0,size=1M,prealloc-threads=x",
          "Parameter 'prealloc-threads' expects a uint64 value" },
        { "memory-backend-ram,id=m0,size=1M,prealloc-threads=-1",
          "Parameter 'prealloc-threads' expects a uint64 value" },
        { "memory-backend-ram,id=m0,size=1M,prealloc-threads=5000000000",
          "Parameter 'prealloc-threads' expects uint32_t" },
        { "memory-backend-ram,id=m0,size=1M,policy=foo",
          "Parameter 'policy' does not accept value 'foo'" },
        { "memory-backend-ram,id=m0,size=1M,host-nodes=x",
          "Parameter 'host-nodes' expects a uint64 value or range" },
        { "memory-backend-ram,id=m0,size=1M,host-nodes=70000,policy=bind",
          "Parameter 'null' expects uint16_t" },
        { "memory-backend-ram,id=m0,size=1M,"
          "x-use-canonical-path-for-ramblock-id=x",
          "Parameter 'x-use-canonical-path-for-ramblock-id' expects 'on' "
          "or 'off'" },
        { "memory-backend-file,id=m0,size=1M",
          "Parameter 'mem-path' is missing" },
        { "memory-backend-memfd,id=m0,size=1M,seal=x",
          "Parameter 'seal' expects 'on' or 'off'" },
        { "iothread,id=i0,poll-max-ns=x",
          "Parameter 'poll-max-ns' expects an int64 value" },
        { "iothread,id=i0,poll-max-ns=99999999999999999999",
          "Parameter 'poll-max-ns' expects an int64 value" },
        { "rng-builtin,id=r0,foo=1", "Invalid parameter 'foo'" },
        { "rng-builtin,id=r0,opened=maybe",
          "Parameter 'opened' expects 'on' or 'off'" },
        { "secret,id=s0,data=x",
          "object type 'secret' is not supported by microqemu" },
        { "rng-egd,id=r0",
          "object type 'rng-egd' is not supported by microqemu" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_parse_error(cases[i].arg, cases[i].msg);
    }
}

static void test_duplicate_id(void)
{
    Error *err = NULL;
    bool help;

    object_option_reset();
    g_assert_true(object_option_parse("iothread,id=d0", &help, &err));
    g_assert_false(object_option_parse("iothread,id=d0", &help, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Duplicate ID 'd0' for object");
    error_free(err);
    object_option_reset();
}

static void test_create_errors(void)
{
    static const struct { const char *arg, *msg; } cases[] = {
        { "memory-backend-ram,id=e0,size=0",
          "property 'size' of memory-backend-ram doesn't take value '0'" },
        { "memory-backend-ram,id=e0,size=1M,prealloc-threads=0",
          "property 'prealloc-threads' of memory-backend-ram doesn't take "
          "value '0'" },
        { "memory-backend-ram,id=e0,size=1M,reserve=off,prealloc=on",
          "'prealloc=on' and 'reserve=off' are incompatible" },
        { "memory-backend-ram,id=e0,size=1M,host-nodes=0",
          "host-nodes must be empty for policy default, or you should "
          "explicitly specify a policy other than default" },
        { "memory-backend-ram,id=e0,size=1M,policy=bind",
          "host-nodes must be set for policy bind" },
        { "memory-backend-ram,id=e0,size=1M,host-nodes=200,policy=bind",
          "Invalid host-nodes value: 200" },
        { "memory-backend-ram,id=e0,size=1M,prealloc-context=foo",
          "Device 'foo' not found" },
        { "memory-backend-memfd,id=e0,size=1M,hugetlbsize=0",
          "Property 'memory-backend-memfd.hugetlbsize' doesn't take value "
          "'0'" },
        { "memory-backend-memfd,id=e0,size=1M,hugetlb=on,hugetlbsize=3M",
          "Hugepage size must be a power of 2" },
        { "memory-backend-file,id=e0,size=1M,mem-path=/nonexistent/x",
          "can't open backing store /nonexistent/x for guest RAM: No such "
          "file or directory" },
        { "iothread,id=e0,poll-max-ns=-1",
          "poll-max-ns value must be in range [0, 9223372036854775807]" },
        { "iothread,id=e0,aio-max-batch=-1",
          "aio-max-batch value must be in range [0, 9223372036854775807]" },
        { "iothread,id=e0,thread-pool-min=5,thread-pool-max=4",
          "bad thread-pool-min/thread-pool-max values" },
        { "rng-random,id=e0,filename=/nonexistent",
          "Could not open '/nonexistent': No such file or directory" },
        { "rng-builtin,id=e0,opened=on",
          "Property 'rng-builtin.opened' is not writable" },
        { "rng-random,id=e0,opened=off",
          "Property 'rng-random.opened' is not writable" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_create_error(cases[i].arg, cases[i].msg);
        /* a failed object leaves its id free */
        g_assert_null(object_find_by_id("objects", "e0"));
    }
}

/* QEMU creates memory backends after chardevs ("late"), the rest early. */
static void test_early_late(void)
{
    Error *err = NULL;
    bool help;

    object_option_reset();
    g_assert_true(object_option_parse("memory-backend-ram,id=late0,size=1M",
                                      &help, &err));
    g_assert_true(object_option_parse("iothread,id=early0", &help, &err));
    g_assert_true(object_option_parse("rng-builtin,id=early1", &help, &err));
    g_assert_true(object_option_foreach_add(object_create_early, &err));
    g_assert_nonnull(object_find_by_id("objects", "early0"));
    g_assert_nonnull(object_find_by_id("objects", "early1"));
    g_assert_null(object_find_by_id("objects", "late0"));
    g_assert_true(object_option_foreach_add(object_create_late, &err));
    g_assert_nonnull(object_find_by_id("objects", "late0"));
    object_option_reset();
    user_creatable_del("late0");
    user_creatable_del("early0");
    user_creatable_del("early1");
}

static void test_properties_applied(void)
{
    Object *obj = create_ok("memory-backend-ram,id=p0,size=2M,share=on,"
                            "merge=off,dump=off,prealloc-threads=3,"
                            "host-nodes=0,host-nodes=1-2,policy=preferred");
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    g_assert_cmpuint(b->size, ==, 2 * MiB);
    g_assert_true(b->share);
    g_assert_false(b->merge);
    g_assert_false(b->dump);
    g_assert_cmpuint(b->prealloc_threads, ==, 3);
    g_assert_cmpint(b->policy, ==, HOST_MEM_POLICY_PREFERRED);
    g_assert_cmphex(b->host_nodes[0], ==, 0x7);
    g_assert_nonnull(b->ptr);
    user_creatable_del("p0");

    /* short-form booleans and the last of repeated scalars, as QEMU */
    obj = create_ok("memory-backend-memfd,id=p1,size=1M,size=2M,noshare");
    g_assert_cmpuint(MEMORY_BACKEND(obj)->size, ==, 2 * MiB);
    g_assert_false(MEMORY_BACKEND(obj)->share);
    g_assert_true(MEMORY_BACKEND_MEMFD(obj)->seal);
    user_creatable_del("p1");

    obj = create_ok("iothread,id=p2,poll-max-ns=100,poll-grow=2,"
                    "poll-shrink=3,aio-max-batch=4,thread-pool-min=1,"
                    "thread-pool-max=4");
    g_assert_cmpint(IOTHREAD(obj)->poll_max_ns, ==, 100);
    g_assert_cmpint(IOTHREAD(obj)->poll_grow, ==, 2);
    g_assert_cmpint(IOTHREAD(obj)->poll_shrink, ==, 3);
    g_assert_cmpint(IOTHREAD(obj)->thread_pool_max, ==, 4);
    g_assert_true(iothread_by_id("p2") == IOTHREAD(obj));
    user_creatable_del("p2");

    obj = create_ok("rng-random,id=p3");
    g_assert_cmpstr(RNG_RANDOM(obj)->filename, ==, "/dev/urandom");
    user_creatable_del("p3");
}

/* The iothread really runs: a source attached to it is dispatched. */
static gboolean record_thread(gpointer opaque)
{
    g_atomic_pointer_set((gpointer *)opaque, g_thread_self());
    return G_SOURCE_REMOVE;
}

static void test_iothread_runs(void)
{
    IOThread *io = IOTHREAD(create_ok("iothread,id=run0"));
    gpointer ran_in;
    GSource *src = g_idle_source_new();

    /* Atomic: the hand-over through GLib is invisible to TSan. */
    g_atomic_pointer_set(&ran_in, NULL);

    g_source_set_callback(src, record_thread, &ran_in, NULL);
    g_source_attach(src, iothread_get_g_main_context(io));
    g_source_unref(src);
    /* finalize runs the pending sources, stops the thread, joins */
    user_creatable_del("run0");
    g_assert_nonnull(g_atomic_pointer_get(&ran_in));
    g_assert_true(g_atomic_pointer_get(&ran_in) != g_thread_self());
}

static void test_rng_read(void)
{
    RngBackend *rng;
    uint8_t buf[64] = { 0 }, zero[64] = { 0 };
    Error *err = NULL;
    ssize_t n;

    create_ok("rng-builtin,id=rb0");
    rng = rng_backend_find("rb0", &error_abort);
    n = rng_backend_read(rng, buf, sizeof(buf));
    g_assert_cmpint(n, ==, sizeof(buf));
    g_assert_true(memcmp(buf, zero, sizeof(buf)) != 0);
    g_assert_cmpint(rng_backend_get_fd(rng), ==, -1);
    user_creatable_del("rb0");

    create_ok("rng-random,id=rr0,filename=/dev/urandom");
    rng = rng_backend_find("rr0", &error_abort);
    g_assert_cmpint(rng_backend_get_fd(rng), >=, 0);
    memset(buf, 0, sizeof(buf));
    n = rng_backend_read(rng, buf, sizeof(buf));
    g_assert_cmpint(n, ==, sizeof(buf));
    g_assert_true(memcmp(buf, zero, sizeof(buf)) != 0);
    user_creatable_del("rr0");

    g_assert_null(rng_backend_find("rr0", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Device 'rr0' not found");
    error_free(err);
}

static void run_help(const char *arg)
{
    Error *err = NULL;
    bool help = false;

    object_option_parse(arg, &help, &err);
    g_assert_true(help);
    exit(0);
}

static void test_help_subprocess(void)
{
    run_help(g_getenv("TEST_OBJECT_HELP_ARG"));
}

static void check_help(const char *arg, const char *expected)
{
    g_setenv("TEST_OBJECT_HELP_ARG", arg, TRUE);
    g_test_trap_subprocess("/object-add/help/subprocess", 0,
                           G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout(expected);
}

static void test_help(void)
{
    check_help("help",
               "List of user creatable objects:\n"
               "  iothread\n"
               "  memory-backend-file\n"
               "  memory-backend-memfd\n"
               "  memory-backend-ram\n"
               "  rng-builtin\n"
               "  rng-random\n");
    check_help("memory-backend-ram,help",
               "memory-backend-ram options:\n"
               "  dump=<bool>            - Set to 'off' to exclude from core "
               "dump\n"
               "  host-nodes=<int>       - Binds memory to the list of NUMA "
               "host nodes\n"
               "  merge=<bool>           - Mark memory as mergeable\n"
               "  policy=<HostMemPolicy> - Set the NUMA policy\n"
               "  prealloc-context=<link<thread-context>> - Context to use "
               "for creating CPU threads for preallocation\n"
               "  prealloc-threads=<int> - Number of CPU threads to use for "
               "prealloc\n"
               "  prealloc=<bool>        - Preallocate memory\n"
               "  reserve=<bool>         - Reserve swap space (or huge pages)"
               " if applicable\n"
               "  share=<bool>           - Mark the memory as private to QEMU"
               " or shared\n"
               "  size=<int>             - Size of the memory region (ex: "
               "500M)\n"
               "  x-use-canonical-path-for-ramblock-id=<bool>\n");
    check_help("memory-backend-file,id=x,help",
               "memory-backend-file options:\n"
               "  align=<int>\n"
               "  discard-data=<bool>\n"
               "  dump=<bool>            - *"
               "  mem-path=<string>\n"
               "  merge=<bool>           - *"
               "  pmem=<bool>\n"
               "  policy=<HostMemPolicy> - *"
               "  readonly=<bool>\n*");
    check_help("memory-backend-memfd,help",
               "memory-backend-memfd options:\n*"
               "  hugetlb=<bool>         - Use huge pages\n"
               "  hugetlbsize=<int>      - Huge pages size (ex: 2M, 1G)\n*"
               "  seal=<bool>            - Seal growing & shrinking\n*");
    check_help("memory-backend,help", "memory-backend options:\n  dump=*");
    check_help("rng-random,help", "rng-random options:\n"
               "  filename=<string>\n");
    check_help("rng-builtin,help", "There are no options for rng-builtin.\n");
    check_help("iothread,help",
               "iothread options:\n"
               "  aio-max-batch=<int>\n"
               "  poll-grow=<int>\n"
               "  poll-max-ns=<int>\n"
               "  poll-shrink=<int>\n"
               "  thread-pool-max=<int>\n"
               "  thread-pool-min=<int>\n");
    /* help for a type microqemu lacks is no help: the type error */
    assert_parse_error("nosuch,help",
                       "Parameter 'qom-type' does not accept value 'nosuch'");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    object_add_register_types();
    hostmem_register_types();
    rng_register_types();
    iothread_register_types();

    /* first: it sets the environment, which must precede any thread */
    g_test_add_func("/object-add/help", test_help);
    g_test_add_func("/object-add/help/subprocess", test_help_subprocess);
    g_test_add_func("/object-add/parse-errors", test_parse_errors);
    g_test_add_func("/object-add/duplicate-id", test_duplicate_id);
    g_test_add_func("/object-add/create-errors", test_create_errors);
    g_test_add_func("/object-add/early-late", test_early_late);
    g_test_add_func("/object-add/properties", test_properties_applied);
    g_test_add_func("/object-add/iothread-runs", test_iothread_runs);
    g_test_add_func("/object-add/rng-read", test_rng_read);
    return g_test_run();
}
