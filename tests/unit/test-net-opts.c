/*
 * -netdev, -nic and -net (net/net-opts.c) and the hub (net/hub.c) with
 * test-only backends "tap" (QemuOpts keys of every type) and "stream"
 * (modern dotted keys): QEMU 7.2's parse-time and creation-time errors,
 * the order of creation, what init gets, the -net hub and its
 * forwarding, -nic's NIC request, net_check_clients' warnings, help.
 */
#include "qemu/osdep.h"
#include "net/net-opts.h"
#include "net/hub.h"
#include "system/runstate.h"

typedef struct TestClient {
    NetClientState nc;
    bool full;                  /* can_receive false */
    unsigned frames;
    size_t last_size;
} TestClient;

static ssize_t test_receive(NetClientState *nc, const uint8_t *buf,
                            size_t size)
{
    TestClient *t = container_of(nc, TestClient, nc);

    t->frames++;
    t->last_size = size;
    return size;
}

static bool test_can_receive(NetClientState *nc)
{
    return !container_of(nc, TestClient, nc)->full;
}

static const NetClientInfo test_tap_info = {
    .type = NET_CLIENT_DRIVER_TAP,
    .size = sizeof(TestClient),
    .receive = test_receive,
    .can_receive = test_can_receive,
};

/* What the last init was given */
static GString *init_log;
static NetClientState *last_peer;
static TestClient *last_client;

static int test_log_opt(void *opaque, const char *name, const char *value,
                        Error **errp)
{
    g_string_append_printf(init_log, " %s=%s", name, value);
    return 0;
}

static int test_init(QemuOpts *opts, const char *name, NetClientState *peer,
                     Error **errp)
{
    const char *ifname = qemu_opt_get(opts, "ifname");

    if (ifname && strcmp(ifname, "fail") == 0) {
        error_setg(errp, "could not configure %s", ifname);
        return -1;
    }
    g_string_append_printf(init_log, "%s%s:", init_log->len ? ";" : "",
                           name);
    qemu_opt_foreach(opts, test_log_opt, NULL, NULL);
    last_peer = peer;
    last_client = container_of(qemu_new_net_client(&test_tap_info, peer,
                                                    "tap", name),
                               TestClient, nc);
    return 0;
}

static const QemuOptDesc test_tap_keys[] = {
    { .name = "ifname", .type = QEMU_OPT_STRING },
    { .name = "vnet_hdr", .type = QEMU_OPT_BOOL },
    { .name = "queues", .type = QEMU_OPT_NUMBER },
    { .name = "sndbuf", .type = QEMU_OPT_SIZE },
    { .name = "fwd", .type = QEMU_OPT_STRING },
    { NULL }
};

/* fwd: a list of String, as user's hostfwd */
static const char *const test_tap_lists[] = { "fwd", NULL };

static const NetBackend test_tap = {
    .type = "tap",
    .driver = NET_CLIENT_DRIVER_TAP,
    .keys = test_tap_keys,
    .init = test_init,
    .lists = test_tap_lists,
};

static const QemuOptDesc test_stream_keys[] = {
    { .name = "server", .type = QEMU_OPT_BOOL },
    { .name = "addr.type", .type = QEMU_OPT_STRING },
    { .name = "addr.host", .type = QEMU_OPT_STRING },
    { .name = "addr.port", .type = QEMU_OPT_STRING },
    { NULL }
};

static const char *const test_stream_required[] = { "addr", NULL };

static const NetBackend test_stream = {
    .type = "stream",
    .driver = NET_CLIENT_DRIVER_STREAM,
    .keys = test_stream_keys,
    .init = test_init,
    .required = test_stream_required,
};

/* ---- helpers ------------------------------------------------------------ */

static void reset(void)
{
    net_cleanup();
    net_opts_reset();
    g_string_truncate(init_log, 0);
    last_peer = NULL;
    last_client = NULL;
}

/* Each (option, arg) parsed; NULL when all parsed, else the error */
static char *parse(const char *const *args)
{
    static const struct {
        const char *name;
        NetOption option;
    } names[] = {
        { "-netdev", NET_OPTION_NETDEV },
        { "-nic", NET_OPTION_NIC },
        { "-net", NET_OPTION_NET },
    };

    for (; *args; args += 2) {
        Error *err = NULL;
        size_t i;

        for (i = 0; strcmp(names[i].name, args[0]) != 0; i++) {
            g_assert_cmpuint(i + 1, <, ARRAY_SIZE(names));
        }
        if (!net_client_parse(names[i].option, args[1], &err)) {
            char *msg = g_strdup(error_get_pretty(err));

            error_free(err);
            return msg;
        }
    }
    return NULL;
}

/* Parses and creates; the error of either, or NULL */
static char *create(const char *const *args)
{
    char *msg = parse(args);
    Error *err = NULL;

    if (msg) {
        return msg;
    }
    if (net_init_clients(&err) < 0) {
        msg = g_strdup(error_get_pretty(err));
        error_free(err);
        return msg;
    }
    return NULL;
}

#define ARGS(...) ((const char *const[]) { __VA_ARGS__, NULL })

static void assert_error(const char *const *args, const char *want)
{
    g_autofree char *msg = create(args);

    g_assert_cmpstr(msg, ==, want);
    reset();
}

/* stderr while func runs */
static char *capture_stderr(void (*func)(void))
{
    char *path = NULL;
    char *text = NULL;
    int fd = g_file_open_tmp("mq-net-XXXXXX", &path, NULL);
    int saved = dup(STDERR_FILENO);

    g_assert_cmpint(fd, >=, 0);
    fflush(stderr);
    dup2(fd, STDERR_FILENO);
    func();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fd);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    unlink(path);
    g_free(path);
    return text;
}

/* ---- cases -------------------------------------------------------------- */

static void test_netdev_created(void)
{
    NetClientState *nc;

    g_assert_null(create(ARGS("-netdev", "tap,id=t0,ifname=x,vnet_hdr=on,"
                                         "queues=2,sndbuf=1M")));
    g_assert_cmpstr(init_log->str, ==,
                    "t0: type=tap ifname=x vnet_hdr=on queues=2 sndbuf=1M");
    g_assert_null(last_peer);
    nc = qemu_find_netdev("t0");
    g_assert_nonnull(nc);
    g_assert_true(nc->is_netdev);
    reset();

    /* a backend's own error travels as it was set */
    assert_error(ARGS("-netdev", "tap,id=t0,ifname=fail"),
                 "could not configure fail");
}

/* The opts visitor's messages, and QemuOpts' at parse time */
static void test_netdev_errors(void)
{
    g_autofree char *dup = NULL;

    assert_error(ARGS("-netdev", "tap"), "Parameter 'id' is missing");
    assert_error(ARGS("-netdev", "id=x"), "Parameter 'type' is missing");
    assert_error(ARGS("-netdev", "foo,id=x"),
                 "Parameter 'type' does not accept value 'foo'");
    assert_error(ARGS("-netdev", "tap,id=x,bogus=1"),
                 "Invalid parameter 'bogus'");
    assert_error(ARGS("-netdev", "tap,id=x,vnet_hdr=maybe"),
                 "Parameter 'vnet_hdr' expects 'on' or 'off'");
    assert_error(ARGS("-netdev", "tap,id=x,queues=-1"),
                 "Parameter 'queues' expects a uint64 value");
    assert_error(ARGS("-netdev", "tap,id=x,sndbuf=abc"),
                 "Parameter 'sndbuf' expects a size value");
    /* a declared key's bad value is found before an unknown key */
    assert_error(ARGS("-netdev", "tap,id=x,bogus=1,queues=z"),
                 "Parameter 'queues' expects a uint64 value");
    assert_error(ARGS("-netdev", "tap,id=1x"),
                 "Parameter 'id' expects an identifier");
    /* QEMU's types we do not build, and those that are not netdevs */
    assert_error(ARGS("-netdev", "vde,id=x"),
                 "network backend 'vde' is not compiled into this binary");
    assert_error(ARGS("-netdev", "nic,id=x"),
                 "network backend 'nic' is not compiled into this binary");
    assert_error(ARGS("-netdev", "user,id=x"),
                 "network backend 'user' is not compiled into this binary");

    /* a duplicate id is a parse error; nothing was created yet */
    dup = parse(ARGS("-netdev", "tap,id=x", "-netdev", "tap,id=x"));
    g_assert_cmpstr(dup, ==, "Duplicate ID 'x' for netdev");
    g_assert_cmpstr(init_log->str, ==, "");
    reset();
}

static void test_modern(void)
{
    g_autofree char *msg = NULL;

    /* keyval with dotted keys: given to init as they are */
    g_assert_null(create(ARGS("-netdev", "stream,id=s,server=on,"
                              "addr.type=inet,addr.host=h,addr.port=1")));
    g_assert_cmpstr(init_log->str, ==, "s: type=stream server=on "
                    "addr.type=inet addr.host=h addr.port=1");
    reset();

    /* JSON: flattened the same way */
    g_assert_null(create(ARGS("-netdev", "{\"type\":\"stream\",\"id\":\"s\","
                              "\"addr\":{\"type\":\"inet\",\"host\":\"h\","
                              "\"port\":\"1\"}}")));
    g_assert_cmpstr(init_log->str, ==, "s: type=stream addr.type=inet "
                    "addr.host=h addr.port=1");
    reset();

    /* checked whole at parse time, with the QAPI visitor's words */
    msg = parse(ARGS("-netdev", "stream,id=s,addr.type=unix,bogus=1"));
    g_assert_cmpstr(msg, ==, "Parameter 'bogus' is unexpected");
    g_clear_pointer(&msg, g_free);
    /* a required member is missing before any key is unexpected */
    msg = parse(ARGS("-netdev", "stream,id=s,bogus=1"));
    g_assert_cmpstr(msg, ==, "Parameter 'addr' is missing");
    g_clear_pointer(&msg, g_free);
    msg = parse(ARGS("-netdev", "{\"type\":\"tap\",\"id\":\"t\",\"x\":1}"));
    g_assert_cmpstr(msg, ==, "Parameter 'x' is unexpected");
    g_clear_pointer(&msg, g_free);
    msg = parse(ARGS("-netdev", "{\"type\":\"tap\"}"));
    g_assert_cmpstr(msg, ==, "Parameter 'id' is missing");
    g_clear_pointer(&msg, g_free);
    reset();

    /* a duplicate modern id is found when created (net_client_init1) */
    assert_error(ARGS("-netdev", "tap,id=s",
                      "-netdev", "stream,id=s,addr.type=unix"),
                 "Duplicate ID 's'");
}

/*
 * JSON lists of String: each {"str": s} element a value of the key, in
 * order, as the key repeated in key=value; the shapes QEMU's qobject
 * input visitor refuses, with its words, members in declaration order
 * before unexpected ones; declared scalars given as the wrong JSON type
 */
static void test_json_lists(void)
{
    static const struct {
        const char *json;
        const char *error;
    } bad[] = {
        { "\"fwd\":\"a\"", "Invalid parameter type for 'fwd', "
          "expected: array" },
        { "\"fwd\":{\"str\":\"a\"}", "Invalid parameter type for 'fwd', "
          "expected: array" },
        { "\"fwd\":null", "Invalid parameter type for 'fwd', "
          "expected: array" },
        { "\"fwd\":[{\"str\":\"a\"},\"b\"]", "Invalid parameter type for "
          "'fwd[1]', expected: object" },
        { "\"fwd\":[[]]", "Invalid parameter type for 'fwd[0]', "
          "expected: object" },
        { "\"fwd\":[{}]", "Parameter 'fwd[0].str' is missing" },
        { "\"fwd\":[{\"s\":\"a\"}]", "Parameter 'fwd[0].str' is missing" },
        { "\"fwd\":[{\"str\":true}]", "Invalid parameter type for "
          "'fwd[0].str', expected: string" },
        { "\"fwd\":[{\"str\":[]}]", "Invalid parameter type for "
          "'fwd[0].str', expected: string" },
        { "\"fwd\":[{\"str\":\"a\",\"x\":{\"y\":1}}]",
          "Parameter 'fwd[0].x' is unexpected" },
        { "\"bogus\":1,\"fwd\":[1]", "Invalid parameter type for 'fwd[0]', "
          "expected: object" },
        { "\"fwd\":[1],\"ifname\":[]", "Invalid parameter type for "
          "'ifname', expected: string" },
        { "\"ifname\":{\"a\":1}", "Invalid parameter type for 'ifname', "
          "expected: string" },
        { "\"vnet_hdr\":\"on\"", "Invalid parameter type for 'vnet_hdr', "
          "expected: boolean" },
        { "\"queues\":\"1\"", "Parameter 'queues' expects uint64" },
        { "\"sndbuf\":null", "Parameter 'sndbuf' expects uint64" },
        { "\"x\":[]", "Parameter 'x' is unexpected" },
        { "\"fwd\":[{\"str\":\"a\"}],\"fwd.x\":1",
          "Parameter 'fwd.x' is unexpected" },
        { "\"x\":[{\"str\":\"a\"}]", "Parameter 'x' is unexpected" },
        { "\"x\":null", "Parameter 'x' is unexpected" },
        { "\"fwd\":[1,]", "JSON parse error, expecting value" },
        { "\"fwd\":[1 2]", "JSON parse error, expected separator in list" },
    };

    g_assert_null(create(ARGS("-netdev", "{\"type\":\"tap\",\"id\":\"t\","
                              "\"fwd\":[{\"str\":\"a\"},{\"str\":\"b,c\"}],"
                              "\"ifname\":\"i\",\"queues\":2,"
                              "\"vnet_hdr\":true}")));
    g_assert_cmpstr(init_log->str, ==, "t: type=tap fwd=a fwd=b,c ifname=i "
                    "queues=2 vnet_hdr=on");
    reset();
    g_assert_null(create(ARGS("-netdev", "tap,id=t,fwd=a,fwd=b")));
    g_assert_cmpstr(init_log->str, ==, "t: type=tap fwd=a fwd=b");
    reset();
    g_assert_null(create(ARGS("-netdev", "{\"type\":\"tap\",\"id\":\"t\","
                              "\"fwd\":[]}")));
    g_assert_cmpstr(init_log->str, ==, "t: type=tap");
    reset();
    /* a backend without the list: the key is unexpected */
    assert_error(ARGS("-netdev", "{\"type\":\"stream\",\"id\":\"s\","
                      "\"addr\":{\"type\":\"unix\"},\"fwd\":[]}"),
                 "Parameter 'fwd' is unexpected");
    assert_error(ARGS("-netdev", "{\"type\":\"tap\",\"id\":null}"),
                 "Invalid parameter type for 'id', expected: string");
    assert_error(ARGS("-netdev", "{\"type\":[\"tap\"],\"id\":\"t\"}"),
                 "Invalid parameter type for 'type', expected: string");

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        g_autofree char *json = g_strdup_printf(
            "{\"type\":\"tap\",\"id\":\"t\",%s}", bad[i].json);

        assert_error(ARGS("-netdev", json), bad[i].error);
    }
}

/* Modern -netdevs, then -netdev, -nic, -net, whatever the order given */
static void test_order(void)
{
    g_assert_null(create(ARGS("-net", "nic,netdev=a,id=n",
                              "-nic", "tap,id=c",
                              "-netdev", "tap,id=a",
                              "-netdev", "stream,id=b,addr.type=unix")));
    g_assert_cmpstr(init_log->str, ==,
                    "b: type=stream addr.type=unix;a: type=tap;c: type=tap");
    reset();
}

static void test_net_hub(void)
{
    TestClient *a, *b;
    NetClientState *pa;
    static const uint8_t frame[64] = { 1 };

    vm_start();
    g_assert_null(create(ARGS("-net", "tap,id=ta", "-net", "tap",
                              "-net", "none")));
    /* each -net client is on hub 0 through a port of its own */
    a = container_of(qemu_find_netdev("ta"), TestClient, nc);
    pa = a->nc.peer;
    g_assert_nonnull(pa);
    g_assert_cmpstr(pa->name, ==, "hub0port0");
    g_assert_cmpint(pa->info->type, ==, NET_CLIENT_DRIVER_HUBPORT);
    g_assert_false(a->nc.is_netdev);
    b = last_client;
    g_assert_cmpstr(b->nc.peer->name, ==, "hub0port1");
    /* a generated id: QEMU's "#net" counter and two digits */
    g_assert_true(g_str_has_prefix(b->nc.name, "#net"));

    /* a frame one sends comes out of every other port */
    g_assert_cmpint(qemu_send_packet(&a->nc, frame, sizeof(frame)), ==,
                    sizeof(frame));
    g_assert_cmpuint(b->frames, ==, 1);
    g_assert_cmpuint(a->frames, ==, 0);
    g_assert_cmpuint(b->last_size, ==, sizeof(frame));

    /*
     * b has no room: the hub cannot take a's frame (no other port can
     * send), which waits at a's port; b's flush reaches it through the
     * hub (qemu_flush_queued_packets -> net_hub_flush)
     */
    b->full = true;
    g_assert_false(qemu_can_send_packet(&a->nc));
    g_assert_cmpint(qemu_send_packet(&a->nc, frame, 20), ==, 0);
    g_assert_cmpuint(b->frames, ==, 1);
    b->full = false;
    qemu_flush_queued_packets(&b->nc);
    g_assert_cmpuint(b->frames, ==, 2);
    g_assert_cmpuint(b->last_size, ==, 20);
    reset();

    assert_error(ARGS("-net", "hubport,hubid=0"),
                 "network backend 'hubport' is only supported with "
                 "-netdev/-nic");
    assert_error(ARGS("-net", "nic,netdev=nosuch"),
                 "netdev 'nosuch' not found");
    assert_error(ARGS("-net", "nic,macaddr=zz"),
                 "invalid syntax for ethernet address");
    assert_error(ARGS("-net", "nic,macaddr=01:00:00:00:00:00"),
                 "NIC cannot have multicast MAC address (odd 1st byte)");
    assert_error(ARGS("-net", "nic,vectors=999999999"),
                 "invalid # of vectors: 999999999");
    assert_error(ARGS("-net", "nic", "-net", "nic", "-net", "nic",
                      "-net", "nic", "-net", "nic", "-net", "nic",
                      "-net", "nic", "-net", "nic", "-net", "nic"),
                 "too many NICs");
}

static void test_hubport(void)
{
    NetClientState *h;

    g_assert_null(create(ARGS("-netdev", "tap,id=t",
                              "-netdev", "hubport,id=h,hubid=3,netdev=t")));
    h = qemu_find_netdev("h");
    g_assert_cmpint(h->info->type, ==, NET_CLIENT_DRIVER_HUBPORT);
    g_assert_true(h->peer == qemu_find_netdev("t"));
    reset();

    assert_error(ARGS("-netdev", "hubport,id=h"),
                 "Parameter 'hubid' is missing");
    assert_error(ARGS("-netdev", "hubport,id=h,bogus=1"),
                 "Parameter 'hubid' is missing");
    assert_error(ARGS("-netdev", "hubport,id=h,hubid=x"),
                 "Parameter 'hubid' expects an int64 value");
    assert_error(ARGS("-netdev", "hubport,id=h,hubid=4294967296"),
                 "Parameter 'hubid' expects int32_t");
    assert_error(ARGS("-netdev", "hubport,id=h,hubid=0,netdev=t"),
                 "netdev 't' not found");
    /* two ports of one hub as peers would recurse for ever: refused */
    assert_error(ARGS("-netdev", "hubport,id=h,hubid=0",
                      "-netdev", "hubport,id=g,hubid=0,netdev=h"),
                 "netdev 'h' is a port of hub 0 or of a hub linked to it");
    /* nor a second link between two hubs (a loop through hub 1) */
    assert_error(ARGS("-netdev", "hubport,id=a,hubid=0",
                      "-netdev", "hubport,id=b,hubid=1,netdev=a",
                      "-netdev", "hubport,id=c,hubid=0",
                      "-netdev", "hubport,id=d,hubid=1,netdev=c"),
                 "netdev 'c' is a port of hub 1 or of a hub linked to it");
    /* hubs linked as a tree are fine: 0 - 1 - 2 */
    g_assert_null(create(ARGS("-netdev", "hubport,id=a,hubid=0",
                              "-netdev", "hubport,id=b,hubid=1,netdev=a",
                              "-netdev", "hubport,id=c,hubid=1",
                              "-netdev", "hubport,id=d,hubid=2,netdev=c")));
    reset();
    assert_error(ARGS("-netdev", "tap,id=t",
                      "-netdev", "hubport,id=h,hubid=0,netdev=t",
                      "-netdev", "hubport,id=g,hubid=1,netdev=t"),
                 "netdev 't' is already in use");
}

static void test_nic(void)
{
    MACAddr before = { 0 }, after = { 0 };

    /* -nic TYPE: a netdev without model= and mac=, and a NIC request */
    g_assert_null(create(ARGS("-nic", "tap,id=n,model=virtio-net-device,"
                              "mac=52:54:00:12:34:56,ifname=x")));
    g_assert_cmpstr(init_log->str, ==, "n: type=tap ifname=x");
    g_assert_true(qemu_find_netdev("n")->is_netdev);
    reset();

    /* without mac=, the NIC takes the next default MAC, as QEMU's */
    qemu_macaddr_default_if_unset(&before);
    g_assert_null(create(ARGS("-nic", "tap")));
    qemu_macaddr_default_if_unset(&after);
    g_assert_cmpuint(after.a[5], ==, before.a[5] + 2);
    reset();

    /* none: nothing at all */
    g_assert_null(create(ARGS("-nic", "none")));
    g_assert_cmpstr(init_log->str, ==, "");
    reset();

    assert_error(ARGS("-nic", "tap,mac=zz"),
                 "invalid syntax for ethernet address");
    assert_error(ARGS("-nic", "tap,mac=01:00:00:00:00:00"),
                 "NIC cannot have multicast MAC address");
    assert_error(ARGS("-nic", "help"),
                 "Parameter 'type' does not accept value 'help'");
    assert_error(ARGS("-nic", "tap,bogus=1"), "Invalid parameter 'bogus'");
}

static void check_clients(void)
{
    net_check_clients();
}

static void test_check_clients(void)
{
    g_autofree char *out = NULL;

    g_assert_null(create(ARGS("-net", "nic,model=m,id=n0", "-net", "tap",
                              "-netdev", "tap,id=lone",
                              "-nic", "tap,id=c")));
    out = capture_stderr(check_clients);
    /*
     * QEMU 7.2's order (its output for the same line with user for tap):
     * hubs, clients without a peer in creation order, NIC requests
     */
    g_assert_cmpstr(out, ==,
        "test-net-opts: warning: hub port hub0port0 has no peer\n"
        "test-net-opts: warning: hub 0 with no nics\n"
        "test-net-opts: warning: netdev lone has no peer\n"
        "test-net-opts: warning: netdev c has no peer\n"
        "test-net-opts: warning: netdev hub0port0 has no peer\n"
        "test-net-opts: warning: requested NIC (anonymous, model "
        "unspecified) was not created (not supported by this machine?)\n"
        "test-net-opts: warning: requested NIC (n0, model m) was not "
        "created (not supported by this machine?)\n");
    reset();

    /* hubs and their ports newest first (QEMU's QLIST_INSERT_HEAD) */
    g_assert_null(create(ARGS("-netdev", "hubport,id=a,hubid=0",
                              "-netdev", "hubport,id=b,hubid=1",
                              "-netdev", "hubport,id=c,hubid=0")));
    g_clear_pointer(&out, g_free);
    out = capture_stderr(check_clients);
    g_assert_cmpstr(out, ==,
        "test-net-opts: warning: hub port b has no peer\n"
        "test-net-opts: warning: hub port c has no peer\n"
        "test-net-opts: warning: hub port a has no peer\n"
        "test-net-opts: warning: netdev a has no peer\n"
        "test-net-opts: warning: netdev b has no peer\n"
        "test-net-opts: warning: netdev c has no peer\n");
    reset();
}

static void show(void)
{
    Error *err = NULL;

    g_assert_null(parse(ARGS("-netdev", "help")));
    g_assert_cmpint(net_init_clients(&err), ==, 1);
}

static void test_help(void)
{
    g_autofree char *out = NULL;
    int saved = dup(STDOUT_FILENO);
    char *path = NULL;
    int fd = g_file_open_tmp("mq-net-XXXXXX", &path, NULL);

    fflush(stdout);
    dup2(fd, STDOUT_FILENO);
    show();
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(fd);
    g_assert_true(g_file_get_contents(path, &out, NULL, NULL));
    unlink(path);
    g_free(path);
    /* registered ones only, in QEMU's show_netdevs order */
    g_assert_cmpstr(out, ==, "Available netdev backend types:\n"
                    "stream\nhubport\ntap\n");
    reset();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    error_set_progname("test-net-opts");
    init_log = g_string_new("");
    /* registered in another order than QEMU lists them */
    net_backend_register(&test_tap);
    net_hub_register();
    net_backend_register(&test_stream);
    g_test_add_func("/net-opts/netdev-created", test_netdev_created);
    g_test_add_func("/net-opts/netdev-errors", test_netdev_errors);
    g_test_add_func("/net-opts/modern", test_modern);
    g_test_add_func("/net-opts/json-lists", test_json_lists);
    g_test_add_func("/net-opts/order", test_order);
    g_test_add_func("/net-opts/net-hub", test_net_hub);
    g_test_add_func("/net-opts/hubport", test_hubport);
    g_test_add_func("/net-opts/nic", test_nic);
    g_test_add_func("/net-opts/check-clients", test_check_clients);
    g_test_add_func("/net-opts/help", test_help);
    return g_test_run();
}
