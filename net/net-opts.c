/*
 * -netdev, -nic and -net, as QEMU 7.2's net/net.c option half and
 * softmmu/vl.c: parsed as they come (QemuOpts; the modern form of
 * netdev_parse_modern checked whole at once), created by
 * net_init_clients() after the chardevs and before -device (modern
 * -netdevs first, then -netdev, -nic, -net), each key checked against
 * the backend's NetBackend.keys with the opts visitor's messages.
 * microvm creates no on-board NIC: a -nic or -net nic request is
 * recorded for net_check_clients()'s warning, as QEMU's nd_table.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "net/net-opts.h"
#include "net/hub.h"
#include "block/block.h"
#include "block/block-int.h"

/* QEMU 7.2's MAX_NICS */
#define MAX_NICS 8

typedef struct NetRequest {
    NetOption option;
    bool modern;
    QemuOpts *opts;
    BlockOpts *json;            /* the JSON form, while it is checked */
    Location loc;
} NetRequest;

/* QEMU's NICInfo, what net_check_clients needs of it */
typedef struct NICRequest {
    char *name;
    char *model;
    MACAddr macaddr;
} NICRequest;

static QemuOptsList qemu_netdev_opts = {
    .name = "netdev",
    .implied_opt_name = "type",
    .desc = { { 0 } },
};

static QemuOptsList qemu_nic_opts = {
    .name = "nic",
    .implied_opt_name = "type",
    .desc = { { 0 } },
};

static QemuOptsList qemu_net_opts = {
    .name = "net",
    .implied_opt_name = "type",
    .desc = { { 0 } },
};

/* The modern form: no duplicate check at parse time (net_client_init1's) */
static QemuOptsList qemu_netdev_modern_opts = {
    .name = "netdev-modern",
    .implied_opt_name = "type",
    .desc = { { 0 } },
};

static GArray *requests;        /* of NetRequest, command-line order */
static NICRequest nd_table[MAX_NICS];
static int nb_nics;
static uint64_t id_counter;

/*
 * QEMU 7.2's NetClientDriver names built into its full x86 binary on
 * Linux, in show_netdevs() order: what we lack of them is "not compiled
 * into this binary", anything else "does not accept value".
 */
static const char *const netdev_types_known[] = {
    "socket", "stream", "dgram", "hubport", "tap", "user", "l2tpv3", "vde",
    "bridge", "netmap", "vhost-user", "vhost-vdpa", "nic", "none",
};

/* -net nic's keys (QEMU's NetLegacyNicOptions) */
static const QemuOptDesc net_nic_keys[] = {
    { .name = "netdev", .type = QEMU_OPT_STRING },
    { .name = "macaddr", .type = QEMU_OPT_STRING },
    { .name = "model", .type = QEMU_OPT_STRING },
    { .name = "addr", .type = QEMU_OPT_STRING },
    { .name = "vectors", .type = QEMU_OPT_NUMBER },
    { NULL }
};

static const QemuOptDesc net_no_keys[] = { { NULL } };

static bool net_is_help(const char *s)
{
    return s && (strcmp(s, "help") == 0 || strcmp(s, "?") == 0);
}

/* QEMU's id_generate(ID_NET): "#net" counter and two random digits */
static char *net_id_generate(void)
{
    return g_strdup_printf("#net%" PRIu64 "%02d", id_counter++,
                           g_random_int_range(0, 100));
}

int net_parse_macaddr(uint8_t *macaddr, const char *p)
{
    char *end;
    long offset;
    int i;

    /* a number alone is the last three bytes, as QEMU's */
    errno = 0;
    offset = strtol(p, &end, 0);
    if (errno == 0 && *end == '\0' && offset >= 0 && offset <= 0xffffff) {
        macaddr[3] = offset >> 16;
        macaddr[4] = offset >> 8;
        macaddr[5] = offset;
        return 0;
    }
    for (i = 0; i < 6; i++) {
        macaddr[i] = strtol(p, &end, 16);
        p = end;
        if (i == 5) {
            if (*p != '\0') {
                return -1;
            }
        } else {
            if (*p != ':' && *p != '-') {
                return -1;
            }
            p++;
        }
    }
    return 0;
}

bool net_opt_get_int32(QemuOpts *opts, const char *key, int64_t *out,
                       Error **errp)
{
    const char *s = qemu_opt_get(opts, key);
    int64_t v;

    if (!s) {
        return true;
    }
    if (!opts_visitor_parse_int(s, &v)) {
        error_setg(errp, "Parameter '%s' expects an int64 value", key);
        return false;
    }
    if (v < INT32_MIN || v > INT32_MAX) {
        error_setg(errp, "Parameter '%s' expects int32_t", key);
        return false;
    }
    *out = v;
    return true;
}

void show_netdevs(void)
{
    size_t i;

    printf("Available netdev backend types:\n");
    for (i = 0; i < ARRAY_SIZE(netdev_types_known); i++) {
        if (net_backend_find(netdev_types_known[i])) {
            printf("%s\n", netdev_types_known[i]);
        }
    }
}

/* ---- parse time --------------------------------------------------------- */

static void net_request_add(NetOption option, bool modern, QemuOpts *opts)
{
    NetRequest r = { .option = option, .modern = modern, .opts = opts };

    loc_save(&r.loc);
    if (!requests) {
        requests = g_array_new(false, true, sizeof(NetRequest));
    }
    g_array_append_val(requests, r);
}

bool net_clients_requested(void)
{
    return requests && requests->len;
}

/* QEMU's netdev_is_modern: JSON, or type stream or dgram */
static bool netdev_is_modern(const char *optarg)
{
    static QemuOptsList probe = {
        .name = "netdev-probe",
        .implied_opt_name = "type",
        .desc = { { 0 } },
    };
    QemuOpts *opts;
    const char *type;
    bool modern;

    if (optarg[0] == '{') {
        return true;
    }
    opts = qemu_opts_parse(&probe, optarg, true, NULL);
    if (!opts) {
        return false;       /* the real parse reports it */
    }
    type = qemu_opt_get(opts, "type");
    modern = g_strcmp0(type, "stream") == 0 || g_strcmp0(type, "dgram") == 0;
    qemu_opts_del(opts);
    return modern;
}

static bool net_name_in(const char *const *names, const char *name)
{
    for (; names && *names; names++) {
        if (strcmp(*names, name) == 0) {
            return true;
        }
    }
    return false;
}

static bool net_json_is_scalar(BlockOptType type)
{
    return type == BLOCK_OPT_STRING || type == BLOCK_OPT_JSON_BOOL ||
           type == BLOCK_OPT_JSON_NUMBER;
}

/*
 * The JSON form as the QemuOpts keys the key=value form gives: nested
 * objects as dotted keys ("addr.type"), each {"str": s} element of one
 * of the backend's lists of String a value of the list's key, in order
 * (as hostfwd= repeated). Any other array is its key once, left to the
 * checks to refuse (net_check_json_member); containers and nulls are
 * typed in json only.
 */
typedef struct NetJsonFlatten {
    QemuOpts *opts;
    const char *const *lists;
    char *array;                /* the top-level array being walked */
    bool array_is_list;
    Error **errp;
} NetJsonFlatten;

static bool net_json_flatten(const char *key, const char *value,
                             BlockOptType type, void *opaque)
{
    NetJsonFlatten *f = opaque;
    size_t len = f->array ? strlen(f->array) : 0;

    /* an element's part: "K.<i>" or "K.<i>.member" */
    if (f->array && strncmp(key, f->array, len) == 0 && key[len] == '.' &&
        strspn(key + len + 1, "0123456789") > 0) {
        const char *rest = key + len + 1;

        rest += strspn(rest, "0123456789");
        if (*rest == '\0' || *rest == '.') {
            if (f->array_is_list && type == BLOCK_OPT_STRING &&
                strcmp(rest, ".str") == 0) {
                qemu_opt_set(f->opts, f->array, value, &error_abort);
            }
            return true;
        }
    }
    g_clear_pointer(&f->array, g_free);
    if ((strcmp(key, "id") == 0 || strcmp(key, "type") == 0) &&
        !net_json_is_scalar(type)) {
        error_setg(f->errp, "Invalid parameter type for '%s', expected: "
                   "string", key);
        return false;
    }
    switch (type) {
    case BLOCK_OPT_JSON_OBJECT:
        return true;
    case BLOCK_OPT_JSON_ARRAY:
        f->array = g_strdup(key);
        f->array_is_list = net_name_in(f->lists, key);
        if (!f->array_is_list) {
            qemu_opt_set(f->opts, key, "", &error_abort);
        }
        return true;
    default:
        break;
    }
    if (strcmp(key, "id") == 0) {
        qemu_opts_set_id(f->opts, g_strdup(value));
    } else {
        qemu_opt_set(f->opts, key, value, &error_abort);
    }
    return true;
}

static QemuOpts *netdev_parse_json(const char *optarg, BlockOpts **json,
                                   Error **errp)
{
    BlockOpts *flat = block_opts_parse_json(optarg, true, errp);
    NetJsonFlatten f = { .errp = errp };
    const NetBackend *backend;
    const char *type;

    if (!flat) {
        return NULL;
    }
    type = block_opts_get(flat, "type");
    backend = type ? net_backend_find(type) : NULL;
    f.lists = backend ? backend->lists : NULL;
    f.opts = qemu_opts_create(&qemu_netdev_modern_opts, NULL, false,
                              &error_abort);
    if (!block_opts_foreach(flat, net_json_flatten, &f)) {
        g_free(f.array);
        qemu_opts_del(f.opts);
        block_opts_free(flat);
        return NULL;
    }
    g_free(f.array);
    *json = flat;
    return f.opts;
}

static bool net_check_request(NetRequest *r, Error **errp);

/* QEMU's netdev_parse_modern: the whole Netdev is visited now */
static bool netdev_parse_modern(const char *optarg, Error **errp)
{
    NetRequest r = { .option = NET_OPTION_NETDEV, .modern = true };
    bool ok;

    if (optarg[0] == '{') {
        r.opts = netdev_parse_json(optarg, &r.json, errp);
    } else {
        r.opts = qemu_opts_parse(&qemu_netdev_modern_opts, optarg, true,
                                 errp);
    }
    if (!r.opts) {
        return false;
    }
    ok = net_check_request(&r, errp);
    g_clear_pointer(&r.json, block_opts_free);
    if (!ok) {
        qemu_opts_del(r.opts);
        return false;
    }
    net_request_add(NET_OPTION_NETDEV, true, r.opts);
    return true;
}

bool net_client_parse(NetOption option, const char *optarg, Error **errp)
{
    static QemuOptsList *const lists[] = {
        [NET_OPTION_NETDEV] = &qemu_netdev_opts,
        [NET_OPTION_NIC] = &qemu_nic_opts,
        [NET_OPTION_NET] = &qemu_net_opts,
    };
    QemuOpts *opts;

    if (option == NET_OPTION_NETDEV && netdev_is_modern(optarg)) {
        return netdev_parse_modern(optarg, errp);
    }
    opts = qemu_opts_parse(lists[option], optarg, true, errp);
    if (!opts) {
        return false;
    }
    net_request_add(option, false, opts);
    return true;
}

/* ---- the opts visitor's checks ----------------------------------------- */

static const QemuOptDesc *net_find_key(const QemuOptDesc *keys,
                                       const char *name)
{
    for (; keys && keys->name; keys++) {
        if (strcmp(keys->name, name) == 0) {
            return keys;
        }
    }
    return NULL;
}

typedef struct NetKeyCheck {
    const QemuOptDesc *keys;
    bool modern;
} NetKeyCheck;

static int net_check_unknown(void *opaque, const char *name,
                             const char *value, Error **errp)
{
    NetKeyCheck *c = opaque;

    if (strcmp(name, "type") == 0 || net_find_key(c->keys, name)) {
        return 0;
    }
    if (c->modern) {
        error_setg(errp, "Parameter '%s' is unexpected", name);
    } else {
        error_setg(errp, "Invalid parameter '%s'", name);
    }
    return -1;
}

/*
 * The declared keys' values in declaration order (the visitor walks the
 * members so), then any key not declared.
 */
typedef struct NetMemberFind {
    const char *member;
    size_t len;
    bool found;
} NetMemberFind;

static int net_find_member(void *opaque, const char *name,
                           const char *value, Error **errp)
{
    NetMemberFind *f = opaque;

    if (strncmp(name, f->member, f->len) == 0 &&
        (name[f->len] == '\0' || name[f->len] == '.')) {
        f->found = true;
        return 1;
    }
    return 0;
}

/* d's member ("addr" of "addr.port") when it is required and missing */
static bool net_check_required(QemuOpts *opts, const QemuOptDesc *d,
                               const char *const *required, Error **errp)
{
    size_t len = strcspn(d->name, ".");
    NetMemberFind f = { .member = d->name, .len = len };

    for (; required && *required; required++) {
        if (strlen(*required) == len &&
            strncmp(*required, d->name, len) == 0) {
            break;
        }
    }
    if (!required || !*required) {
        return true;
    }
    qemu_opt_foreach(opts, net_find_member, &f, NULL);
    if (!f.found) {
        error_setg(errp, "Parameter '%.*s' is missing", (int)len, d->name);
        return false;
    }
    return true;
}

/* The first member of an element ("hostfwd.0.") other than str */
typedef struct NetJsonExtra {
    const char *prefix;
    char *extra;
} NetJsonExtra;

static bool net_json_find_extra(const char *key, const char *value,
                                BlockOptType type, void *opaque)
{
    NetJsonExtra *x = opaque;
    size_t len = strlen(x->prefix);
    const char *member = key + len;
    size_t member_len;

    if (strncmp(key, x->prefix, len) != 0) {
        return true;
    }
    member_len = strcspn(member, ".");
    if (member_len == 3 && strncmp(member, "str", 3) == 0) {
        return true;
    }
    x->extra = g_strndup(member, member_len);
    return false;
}

/*
 * A list of String from JSON, as QEMU's qobject input visitor walks it:
 * an array, each element an object with a string "str" and nothing
 * else, element by element.
 */
static bool net_check_json_list(BlockOpts *json, const char *name,
                                Error **errp)
{
    BlockOptType t;
    unsigned n;

    if (!block_opts_get_type(json, name, &t)) {
        return true;
    }
    if (t != BLOCK_OPT_JSON_ARRAY) {
        error_setg(errp, "Invalid parameter type for '%s', expected: array",
                   name);
        return false;
    }
    n = strtoul(block_opts_get(json, name), NULL, 10);
    for (unsigned i = 0; i < n; i++) {
        g_autofree char *elem = g_strdup_printf("%s.%u", name, i);
        g_autofree char *prefix = g_strdup_printf("%s.", elem);
        g_autofree char *str = g_strdup_printf("%s.str", elem);
        NetJsonExtra x = { .prefix = prefix };

        if (!block_opts_get_type(json, elem, &t) ||
            t != BLOCK_OPT_JSON_OBJECT) {
            error_setg(errp, "Invalid parameter type for '%s[%u]', "
                       "expected: object", name, i);
            return false;
        }
        if (!block_opts_get_type(json, str, &t)) {
            error_setg(errp, "Parameter '%s[%u].str' is missing", name, i);
            return false;
        }
        if (t != BLOCK_OPT_STRING) {
            error_setg(errp, "Invalid parameter type for '%s[%u].str', "
                       "expected: string", name, i);
            return false;
        }
        if (!block_opts_foreach(json, net_json_find_extra, &x)) {
            error_setg(errp, "Parameter '%s[%u].%s' is unexpected", name, i,
                       x.extra);
            g_free(x.extra);
            return false;
        }
    }
    return true;
}

/*
 * A declared member given in JSON, as QEMU's qobject input visitor
 * takes it: a list checked whole; a boolean or an unsigned number must
 * be given as one; any other member refuses an array, an object or
 * null. A JSON number or boolean for a string member is taken as its
 * text: our tables declare QAPI's signed integers (hubid,
 * ipv6-prefixlen) as strings, which their backends parse.
 */
static bool net_check_json_member(BlockOpts *json, const QemuOptDesc *d,
                                  const char *const *lists, Error **errp)
{
    BlockOptType t;

    if (net_name_in(lists, d->name)) {
        return net_check_json_list(json, d->name, errp);
    }
    if (!block_opts_get_type(json, d->name, &t)) {
        return true;
    }
    switch (d->type) {
    case QEMU_OPT_BOOL:
        if (t != BLOCK_OPT_JSON_BOOL) {
            error_setg(errp, "Invalid parameter type for '%s', expected: "
                       "boolean", d->name);
            return false;
        }
        return true;
    case QEMU_OPT_NUMBER:
    case QEMU_OPT_SIZE:
        if (t != BLOCK_OPT_JSON_NUMBER) {
            error_setg(errp, "Parameter '%s' expects uint64", d->name);
            return false;
        }
        return true;
    default:
        if (!net_json_is_scalar(t)) {
            error_setg(errp, "Invalid parameter type for '%s', expected: "
                       "string", d->name);
            return false;
        }
        return true;
    }
}

static bool net_check_keys(QemuOpts *opts, const QemuOptDesc *keys,
                           const char *const *required,
                           const char *const *lists, bool modern,
                           BlockOpts *json, Error **errp)
{
    NetKeyCheck c = { .keys = keys, .modern = modern };
    const QemuOptDesc *d;

    for (d = keys; d && d->name; d++) {
        const char *v = qemu_opt_get(opts, d->name);
        uint64_t n;
        bool b;

        if (!net_check_required(opts, d, required, errp)) {
            return false;
        }
        if (json && !net_check_json_member(json, d, lists, errp)) {
            return false;
        }

        if (!v || !qemu_opt_has(opts, d->name)) {
            continue;
        }
        switch (d->type) {
        case QEMU_OPT_BOOL:
            if (!qapi_bool_parse(d->name, v, &b, errp)) {
                return false;
            }
            break;
        case QEMU_OPT_NUMBER:
            if (!opts_visitor_parse_uint(v, &n)) {
                error_setg(errp, "Parameter '%s' expects a uint64 value",
                           d->name);
                return false;
            }
            break;
        case QEMU_OPT_SIZE:
            if (qemu_strtosz(v, NULL, &n) < 0) {
                error_setg(errp, "Parameter '%s' expects a size value",
                           d->name);
                return false;
            }
            break;
        default:
            break;
        }
    }
    return qemu_opt_foreach(opts, net_check_unknown, &c, errp) == 0;
}

/*
 * What QEMU's visit_type_Netdev checks: id, then type, then the
 * members. The keys of a type we do not build are unknown: those are
 * refused when created, as QEMU's net_client_init1 for a type missing
 * from the binary.
 */
static bool net_check_request(NetRequest *r, Error **errp)
{
    const char *type = qemu_opt_get(r->opts, "type");
    const NetBackend *backend;

    if (!qemu_opts_id(r->opts)) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
        return false;
    }
    if (strcmp(type, "nic") == 0 && r->option == NET_OPTION_NET) {
        return net_check_keys(r->opts, net_nic_keys, NULL, NULL, r->modern,
                              r->json, errp);
    }
    if (strcmp(type, "none") == 0) {
        return net_check_keys(r->opts, net_no_keys, NULL, NULL, r->modern,
                              r->json, errp);
    }
    backend = net_backend_find(type);
    if (backend) {
        return net_check_keys(r->opts, backend->keys, backend->required,
                              backend->lists, r->modern, r->json, errp);
    }
    for (size_t i = 0; i < ARRAY_SIZE(netdev_types_known); i++) {
        if (strcmp(type, netdev_types_known[i]) == 0) {
            return true;
        }
    }
    error_setg(errp, "Parameter 'type' does not accept value '%s'", type);
    return false;
}

/* ---- creation ----------------------------------------------------------- */

static bool net_mac_from_opt(MACAddr *mac, const char *s, const char *what,
                             Error **errp)
{
    if (net_parse_macaddr(mac->a, s) < 0) {
        error_setg(errp, "invalid syntax for ethernet address");
        return false;
    }
    if (mac->a[0] & 1) {
        error_setg(errp, "%s", what);
        return false;
    }
    return true;
}

static int nic_get_free_idx(void)
{
    return nb_nics < MAX_NICS ? nb_nics : -1;
}

/* QEMU's net_init_nic: -net nic records a NIC the board may create */
static int net_init_nic(QemuOpts *opts, const char *name,
                        NetClientState *peer, Error **errp)
{
    const char *netdev = qemu_opt_get(opts, "netdev");
    const char *mac = qemu_opt_get(opts, "macaddr");
    int idx = nic_get_free_idx();
    NICRequest *nd;
    uint64_t vectors;

    if (idx < 0) {
        error_setg(errp, "too many NICs");
        return -1;
    }
    nd = &nd_table[idx];
    memset(nd, 0, sizeof(*nd));
    if (netdev && !qemu_find_netdev(netdev)) {
        error_setg(errp, "netdev '%s' not found", netdev);
        return -1;
    }
    if (mac && !net_mac_from_opt(&nd->macaddr, mac, "NIC cannot have "
                                 "multicast MAC address (odd 1st byte)",
                                 errp)) {
        return -1;
    }
    qemu_macaddr_default_if_unset(&nd->macaddr);
    vectors = qemu_opt_get_number(opts, "vectors", 0);
    if (vectors > 0x7ffffff) {
        error_setg(errp, "invalid # of vectors: %" PRIu64, vectors);
        return -1;
    }
    nd->name = g_strdup(name);
    nd->model = g_strdup(qemu_opt_get(opts, "model"));
    nb_nics++;
    return 0;
}

/* QEMU's net_client_init1 */
static int net_client_init1(NetRequest *r, Error **errp)
{
    bool is_netdev = r->option != NET_OPTION_NET;
    const char *type = qemu_opt_get(r->opts, "type");
    const char *id = qemu_opts_id(r->opts);
    const NetBackend *backend = net_backend_find(type);
    NetClientState *peer = NULL;
    bool is_nic = strcmp(type, "nic") == 0;

    if (is_netdev) {
        if (is_nic || !backend) {
            error_setg(errp, "network backend '%s' is not compiled into "
                       "this binary", type);
            return -1;
        }
    } else {
        if (strcmp(type, "none") == 0) {
            return 0;
        }
        if (strcmp(type, "hubport") == 0) {
            error_setg(errp, "network backend '%s' is only supported with "
                       "-netdev/-nic", type);
            return -1;
        }
        if (!is_nic && !backend) {
            error_setg(errp, "network backend '%s' is not compiled into "
                       "this binary", type);
            return -1;
        }
        /* a nic with netdev= is not put on the hub */
        if (!is_nic || !qemu_opt_get(r->opts, "netdev")) {
            peer = net_hub_add_port(0, NULL, NULL);
        }
    }
    if (qemu_find_netdev(id)) {
        error_setg(errp, "Duplicate ID '%s'", id);
        return -1;
    }
    if (is_nic) {
        return net_init_nic(r->opts, id, peer, errp);
    }
    if (backend->init(r->opts, id, peer, errp) < 0) {
        return -1;
    }
    if (is_netdev) {
        NetClientState *nc = qemu_find_netdev(id);

        assert(nc);
        nc->is_netdev = true;
    }
    return 0;
}

/* QEMU's net_client_init: -net gets an id; the visitor's checks */
static int net_client_init(NetRequest *r, Error **errp)
{
    if (r->option == NET_OPTION_NET && !qemu_opts_id(r->opts)) {
        qemu_opts_set_id(r->opts, net_id_generate());
    }
    if (!r->modern && !net_check_request(r, errp)) {
        return -1;
    }
    return net_client_init1(r, errp);
}

/* QEMU's net_param_nic: -nic TYPE[,model=,mac=] is a netdev and a NIC */
static int net_param_nic(NetRequest *r, Error **errp)
{
    const char *type = qemu_opt_get(r->opts, "type");
    g_autofree char *model = NULL;
    g_autofree char *mac = NULL;
    NICRequest *ni;
    int idx;

    if (g_strcmp0(type, "none") == 0) {
        return 0;
    }
    idx = nic_get_free_idx();
    if (idx < 0) {
        error_setg(errp, "no more on-board/default NIC slots available");
        return -1;
    }
    if (!type) {
        qemu_opt_set(r->opts, "type", "user", &error_abort);
    }
    ni = &nd_table[idx];
    memset(ni, 0, sizeof(*ni));
    model = g_strdup(qemu_opt_get(r->opts, "model"));
    qemu_opt_unset(r->opts, "model");
    if (!qemu_opts_id(r->opts)) {
        qemu_opts_set_id(r->opts, net_id_generate());
    }
    mac = g_strdup(qemu_opt_get(r->opts, "mac"));
    qemu_opt_unset(r->opts, "mac");
    if (mac && !net_mac_from_opt(&ni->macaddr, mac, "NIC cannot have "
                                 "multicast MAC address", errp)) {
        return -1;
    }
    qemu_macaddr_default_if_unset(&ni->macaddr);
    if (net_client_init(r, errp) < 0) {
        return -1;
    }
    ni->model = g_steal_pointer(&model);
    nb_nics++;
    return 0;
}

int net_init_clients(Error **errp)
{
    static const bool modern_pass[] = { true, false, false, false };
    static const NetOption option_pass[] = {
        NET_OPTION_NETDEV, NET_OPTION_NETDEV, NET_OPTION_NIC, NET_OPTION_NET,
    };
    size_t pass;
    guint i;

    net_core_init();
    for (pass = 0; pass < ARRAY_SIZE(option_pass) && requests; pass++) {
        for (i = 0; i < requests->len; i++) {
            NetRequest *r = &g_array_index(requests, NetRequest, i);
            int ret;

            if (r->option != option_pass[pass] ||
                r->modern != modern_pass[pass]) {
                continue;
            }
            loc_restore(&r->loc);
            if (r->option == NET_OPTION_NETDEV &&
                net_is_help(qemu_opt_get(r->opts, "type"))) {
                show_netdevs();
                return 1;
            }
            if (r->option == NET_OPTION_NIC) {
                ret = net_param_nic(r, errp);
            } else {
                ret = net_client_init(r, errp);
            }
            if (ret < 0) {
                return -1;
            }
        }
    }
    loc_set_none();
    return 0;
}

/*
 * QEMU's net_check_clients. microvm creates no NIC from -nic or -net
 * nic (no nd_table user), so each such request is reported.
 */
void net_check_clients(void)
{
    int i;

    net_hub_check_clients();
    net_warn_clients_without_peer();
    for (i = 0; i < nb_nics; i++) {
        warn_report("requested NIC (%s, model %s) was not created (not "
                    "supported by this machine?)",
                    nd_table[i].name ? nd_table[i].name : "anonymous",
                    nd_table[i].model ? nd_table[i].model : "unspecified");
    }
}

void net_opts_reset(void)
{
    int i;

    if (requests) {
        for (i = 0; i < (int)requests->len; i++) {
            qemu_opts_del(g_array_index(requests, NetRequest, i).opts);
        }
        g_array_set_size(requests, 0);
    }
    for (i = 0; i < nb_nics; i++) {
        g_free(nd_table[i].name);
        g_free(nd_table[i].model);
    }
    memset(nd_table, 0, sizeof(nd_table));
    nb_nics = 0;
}
