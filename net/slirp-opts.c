/*
 * -netdev user's options: QEMU 7.2's qapi/net.json NetdevUserOptions
 * (keys and types), net/net.c net_client_init (the ipv6-net= shorthand),
 * net/slirp.c net_init_slirp and net_slirp_init (defaults, checks and
 * their messages, in QEMU's order).
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "slirp-opts.h"

#include <arpa/inet.h>

/*
 * QEMU's get_str_sep: the text before sep into buf (cut to buf_size - 1),
 * *pp moved past sep; false when there is no sep.
 */
bool slirp_str_sep(char *buf, size_t buf_size, const char **pp, int sep)
{
    const char *p = *pp;
    const char *end = strchr(p, sep);
    size_t len;

    if (!end) {
        return false;
    }
    len = MIN((size_t)(end - p), buf_size - 1);
    memcpy(buf, p, len);
    buf[len] = '\0';
    *pp = end + 1;
    return true;
}

/* strtol(str, &end, base) over the whole string, as QEMU's checks use it */
bool slirp_parse_port(const char *str, int base, int min, int max,
                      int *port)
{
    char *end;
    long val;

    errno = 0;
    val = strtol(str, &end, base);
    /* QEMU keeps strtol's int cast; an empty string is port 0 */
    *port = (int)val;
    return *end == '\0' && *port >= min && *port <= max;
}

static bool slirp_opt_bool(QemuOpts *opts, const char *name, bool *has,
                           bool *val, Error **errp)
{
    const char *str = qemu_opt_get(opts, name);

    *has = str != NULL;
    return !str || qapi_bool_parse(name, str, val, errp);
}

/* QEMU's opts visitor for an int64 (opts_type_int64: strtoll, base 0) */
static bool slirp_opt_int64(const char *name, const char *str, int64_t *val,
                            Error **errp)
{
    char *end;

    errno = 0;
    *val = strtoll(str, &end, 0);
    if (errno || end == str || *end != '\0') {
        error_setg(errp, "Parameter '%s' expects an int64 value", name);
        return false;
    }
    return true;
}

typedef struct SlirpRepeated {
    const char *name;
    GPtrArray *values;
} SlirpRepeated;

static int slirp_collect_repeated(void *opaque, const char *name,
                                  const char *value, Error **errp)
{
    SlirpRepeated *r = opaque;

    if (!strcmp(name, r->name)) {
        g_ptr_array_add(r->values, (gpointer)value);
    }
    return 0;
}

/* Every value of a repeatable key (hostfwd=, ...), in command-line order */
static GPtrArray *slirp_opt_list(QemuOpts *opts, const char *name)
{
    SlirpRepeated r = { .name = name, .values = g_ptr_array_new() };

    qemu_opt_foreach(opts, slirp_collect_repeated, &r, NULL);
    return r.values;
}

/* The first prefix_len bits of a and b are equal (QEMU's in6_equal_net) */
static bool slirp_in6_equal_net(const struct in6_addr *a,
                                const struct in6_addr *b, int prefix_len)
{
    int bytes = prefix_len / 8;
    int bits = prefix_len % 8;
    uint8_t mask = 0xff << (8 - bits);

    if (memcmp(a->s6_addr, b->s6_addr, bytes)) {
        return false;
    }
    return !bits || !((a->s6_addr[bytes] ^ b->s6_addr[bytes]) & mask);
}

/* The default netmask of a network given without one (net_slirp_init) */
static uint32_t slirp_classful_mask(uint32_t addr)
{
    if (!(addr & 0x80000000)) {
        return 0xff000000;                  /* class A */
    } else if ((addr & 0xfff00000) == 0xac100000) {
        return 0xfff00000;                  /* private 172.16.0.0/12 */
    } else if ((addr & 0xc0000000) == 0x80000000) {
        return 0xffff0000;                  /* class B */
    } else if ((addr & 0xffff0000) == 0xc0a80000) {
        return 0xffff0000;                  /* private 192.168.0.0/16 */
    } else if ((addr & 0xffff0000) == 0xc6120000) {
        return 0xfffe0000;                  /* tests 198.18.0.0/15 */
    } else if ((addr & 0xe0000000) == 0xe0000000) {
        return 0xffffff00;                  /* class C */
    }
    return 0xfffffff0;                      /* multicast/reserved */
}

/* net=ADDR[/MASK|/BITS] (QEMU's net_slirp_init) */
static bool slirp_parse_network(const char *vnetwork, SlirpOptions *o,
                                Error **errp)
{
    const char *p = vnetwork;
    char buf[20];
    char *end;
    long shift;

    if (!slirp_str_sep(buf, sizeof(buf), &p, '/')) {
        if (!inet_aton(vnetwork, &o->net)) {
            error_setg(errp, "Failed to parse netmask");
            return false;
        }
        o->mask.s_addr = htonl(slirp_classful_mask(ntohl(o->net.s_addr)));
    } else {
        if (!inet_aton(buf, &o->net)) {
            error_setg(errp, "Failed to parse netmask");
            return false;
        }
        shift = strtol(p, &end, 10);
        if (*end != '\0') {
            if (!inet_aton(p, &o->mask)) {
                error_setg(errp, "Failed to parse netmask (trailing chars)");
                return false;
            }
        } else if (shift < 4 || shift > 32) {
            error_setg(errp,
                       "Invalid netmask provided (must be in range 4-32)");
            return false;
        } else {
            o->mask.s_addr = htonl(0xffffffffu << (32 - shift));
        }
    }
    o->net.s_addr &= o->mask.s_addr;
    o->host.s_addr = o->net.s_addr | (htonl(0x0202) & ~o->mask.s_addr);
    o->dhcp.s_addr = o->net.s_addr | (htonl(0x020f) & ~o->mask.s_addr);
    o->dns.s_addr = o->net.s_addr | (htonl(0x0203) & ~o->mask.s_addr);
    return true;
}

/* The IPv4 side of net_slirp_init's checks, in QEMU's order */
static bool slirp_parse_ipv4(QemuOpts *opts, const char *vnetwork,
                             SlirpOptions *o, Error **errp)
{
    const char *vhost = qemu_opt_get(opts, "host");
    const char *vdns = qemu_opt_get(opts, "dns");
    const char *vdhcp = qemu_opt_get(opts, "dhcpstart");
    struct in_addr smbsrv;

    if (vnetwork && !slirp_parse_network(vnetwork, o, errp)) {
        return false;
    }
    if (vhost && !inet_aton(vhost, &o->host)) {
        error_setg(errp, "Failed to parse host");
        return false;
    }
    if ((o->host.s_addr & o->mask.s_addr) != o->net.s_addr) {
        error_setg(errp, "Host doesn't belong to network");
        return false;
    }
    if (vdns && !inet_aton(vdns, &o->dns)) {
        error_setg(errp, "Failed to parse DNS");
        return false;
    }
    if (o->restricted && (o->dns.s_addr & o->mask.s_addr) != o->net.s_addr) {
        error_setg(errp, "DNS doesn't belong to network");
        return false;
    }
    if (o->dns.s_addr == o->host.s_addr) {
        error_setg(errp, "DNS must be different from host");
        return false;
    }
    if (vdhcp && !inet_aton(vdhcp, &o->dhcp)) {
        error_setg(errp, "Failed to parse DHCP start address");
        return false;
    }
    if ((o->dhcp.s_addr & o->mask.s_addr) != o->net.s_addr) {
        error_setg(errp, "DHCP doesn't belong to network");
        return false;
    }
    if (o->dhcp.s_addr == o->host.s_addr || o->dhcp.s_addr == o->dns.s_addr) {
        error_setg(errp, "DHCP must be different from host and DNS");
        return false;
    }
    if (qemu_opt_get(opts, "smbserver") &&
        !inet_aton(qemu_opt_get(opts, "smbserver"), &smbsrv)) {
        error_setg(errp, "Failed to parse SMB address");
        return false;
    }
    return true;
}

static bool slirp_parse_ipv6(QemuOpts *opts, const char *vprefix6,
                             int64_t prefix6_len, SlirpOptions *o,
                             Error **errp)
{
    const char *vhost6 = qemu_opt_get(opts, "ipv6-host");
    const char *vdns6 = qemu_opt_get(opts, "ipv6-dns");

    if (!inet_pton(AF_INET6, vprefix6 ? vprefix6 : "fec0::", &o->prefix6)) {
        error_setg(errp, "Failed to parse IPv6 prefix");
        return false;
    }
    /* NetdevUserOptions' int64 lands in net_slirp_init's int */
    o->prefix6_len = (int)prefix6_len ? (int)prefix6_len : 64;
    if (o->prefix6_len < 0 || o->prefix6_len > 126) {
        error_setg(errp, "Invalid IPv6 prefix provided "
                   "(IPv6 prefix length must be between 0 and 126)");
        return false;
    }
    if (vhost6) {
        if (!inet_pton(AF_INET6, vhost6, &o->host6)) {
            error_setg(errp, "Failed to parse IPv6 host");
            return false;
        }
        if (!slirp_in6_equal_net(&o->prefix6, &o->host6, o->prefix6_len)) {
            error_setg(errp, "IPv6 Host doesn't belong to network");
            return false;
        }
    } else {
        o->host6 = o->prefix6;
        o->host6.s6_addr[15] |= 2;
    }
    if (vdns6) {
        if (!inet_pton(AF_INET6, vdns6, &o->dns6)) {
            error_setg(errp, "Failed to parse IPv6 DNS");
            return false;
        }
        if (o->restricted &&
            !slirp_in6_equal_net(&o->prefix6, &o->dns6, o->prefix6_len)) {
            error_setg(errp, "IPv6 DNS doesn't belong to network");
            return false;
        }
    } else {
        o->dns6 = o->prefix6;
        o->dns6.s6_addr[15] |= 3;
    }
    return true;
}

/* Names' lengths, as net_slirp_init checks them (its words, too) */
static bool slirp_check_names(SlirpOptions *o, Error **errp)
{
    if (o->domainname && !*o->domainname) {
        error_setg(errp, "'domainname' parameter cannot be empty");
        return false;
    }
    if (o->domainname && strlen(o->domainname) > 255) {
        error_setg(errp, "'domainname' parameter cannot exceed 255 bytes");
        return false;
    }
    if (o->hostname && strlen(o->hostname) > 255) {
        error_setg(errp, "'vhostname' parameter cannot exceed 255 bytes");
        return false;
    }
    if (o->tftp_server_name && strlen(o->tftp_server_name) > 255) {
        error_setg(errp,
                   "'tftp-server-name' parameter cannot exceed 255 bytes");
        return false;
    }
    return true;
}

/*
 * ipv6-net=PREFIX[/LEN]: net_client_init's shorthand for ipv6-prefix= and
 * ipv6-prefixlen=, which it overrides (and checked before anything else).
 */
static bool slirp_parse_ipv6_net(QemuOpts *opts, const char **prefix,
                                 char **prefix_owned,
                                 const char **prefixlen_str,
                                 int64_t *prefixlen, Error **errp)
{
    const char *ip6_net = qemu_opt_get(opts, "ipv6-net");
    g_auto(GStrv) parts = NULL;
    unsigned long len = 64;

    if (!ip6_net) {
        return true;
    }
    parts = g_strsplit(ip6_net, "/", 2);
    if (!parts[0]) {
        error_setg(errp, "Parameter 'ipv6-net' expects a valid IPv6 prefix");
        return false;
    }
    if (parts[1] && qemu_strtoul(parts[1], NULL, 10, &len)) {
        error_setg(errp, "Parameter 'ipv6-prefixlen' expects a number");
        return false;
    }
    if (len > INT64_MAX) {
        error_setg(errp, "Parameter 'ipv6-prefixlen' expects an int64 value");
        return false;
    }
    *prefix = *prefix_owned = g_strdup(parts[0]);
    *prefixlen_str = NULL;
    *prefixlen = len;
    return true;
}

void slirp_options_free(SlirpOptions *o)
{
    g_free(o->ipv6_net_prefix);
    if (o->dnssearch) {
        g_ptr_array_free(o->dnssearch, true);
    }
    if (o->hostfwd) {
        g_ptr_array_free(o->hostfwd, true);
    }
    if (o->guestfwd) {
        g_ptr_array_free(o->guestfwd, true);
    }
}

/*
 * The options into o, with QEMU's checks and messages in QEMU's order:
 * the ipv6-net= shorthand first, then the types in NetdevUserOptions'
 * order, then net_slirp_init's checks.
 */
bool slirp_options_parse(QemuOpts *opts, SlirpOptions *o,
                                Error **errp)
{
    const char *vprefix6 = qemu_opt_get(opts, "ipv6-prefix");
    const char *prefixlen_str = qemu_opt_get(opts, "ipv6-prefixlen");
    const char *vnetwork;
    g_autofree char *vnet_ip = NULL;
    bool has_ipv4, has_ipv6, has_restrict, ipv4 = true, ipv6 = true;
    int64_t prefix6_len = 0;

    *o = (SlirpOptions) {
        /* the historic slirp network: 10.0.2.0/24 */
        .net.s_addr = htonl(0x0a000200),
        .mask.s_addr = htonl(0xffffff00),
        .host.s_addr = htonl(0x0a000202),
        .dhcp.s_addr = htonl(0x0a00020f),
        .dns.s_addr = htonl(0x0a000203),
        .hostname = qemu_opt_get(opts, "hostname"),
        .tftp = qemu_opt_get(opts, "tftp"),
        .bootfile = qemu_opt_get(opts, "bootfile"),
        .domainname = qemu_opt_get(opts, "domainname"),
        .tftp_server_name = qemu_opt_get(opts, "tftp-server-name"),
        .smb = qemu_opt_get(opts, "smb"),
    };

    if (!slirp_parse_ipv6_net(opts, &vprefix6, &o->ipv6_net_prefix,
                              &prefixlen_str, &prefix6_len, errp) ||
        !slirp_opt_bool(opts, "restrict", &has_restrict, &o->restricted,
                        errp) ||
        !slirp_opt_bool(opts, "ipv4", &has_ipv4, &ipv4, errp) ||
        !slirp_opt_bool(opts, "ipv6", &has_ipv6, &ipv6, errp) ||
        (prefixlen_str && !slirp_opt_int64("ipv6-prefixlen", prefixlen_str,
                                           &prefix6_len, errp))) {
        return false;
    }

    /* net_init_slirp: naming only one family turns the other off */
    o->ipv4 = !((has_ipv6 && ipv6 && !has_ipv4) || (has_ipv4 && !ipv4));
    o->ipv6 = !((has_ipv4 && ipv4 && !has_ipv6) || (has_ipv6 && !ipv6));

    vnetwork = qemu_opt_get(opts, "net");
    if (!vnetwork && qemu_opt_get(opts, "ip")) {
        vnet_ip = g_strdup_printf("%s/24", qemu_opt_get(opts, "ip"));
        vnetwork = vnet_ip;
    }

    if (!o->ipv4 && (vnetwork || qemu_opt_get(opts, "host") ||
                     qemu_opt_get(opts, "dns"))) {
        error_setg(errp, "IPv4 disabled but netmask/host/dns provided");
        return false;
    }
    if (!o->ipv6 && (vprefix6 || qemu_opt_get(opts, "ipv6-host") ||
                     qemu_opt_get(opts, "ipv6-dns"))) {
        error_setg(errp, "IPv6 disabled but prefix/host6/dns6 provided");
        return false;
    }
    if (!o->ipv4 && !o->ipv6) {
        error_setg(errp, "IPv4 and IPv6 disabled");
        return false;
    }
    if (!slirp_parse_ipv4(opts, vnetwork, o, errp) ||
        !slirp_parse_ipv6(opts, vprefix6, prefix6_len, o, errp) ||
        !slirp_check_names(o, errp)) {
        return false;
    }

    o->dnssearch = slirp_opt_list(opts, "dnssearch");
    if (o->dnssearch->len) {
        g_ptr_array_add(o->dnssearch, NULL);
    } else {
        g_ptr_array_free(o->dnssearch, true);
        o->dnssearch = NULL;
    }
    o->hostfwd = slirp_opt_list(opts, "hostfwd");
    o->guestfwd = slirp_opt_list(opts, "guestfwd");
    return true;
}

/*
 * NetdevUserOptions in QAPI's order, which the core checks the types in
 * (booleans). ipv6-prefixlen is a QAPI int64, parsed by
 * slirp_options_parse with the opts visitor's message.
 */
const QemuOptDesc slirp_keys[] = {
    { .name = "hostname", .type = QEMU_OPT_STRING },
    { .name = "restrict", .type = QEMU_OPT_BOOL },
    { .name = "ipv4", .type = QEMU_OPT_BOOL },
    { .name = "ipv6", .type = QEMU_OPT_BOOL },
    { .name = "ip", .type = QEMU_OPT_STRING },
    { .name = "net", .type = QEMU_OPT_STRING },
    { .name = "host", .type = QEMU_OPT_STRING },
    { .name = "tftp", .type = QEMU_OPT_STRING },
    { .name = "bootfile", .type = QEMU_OPT_STRING },
    { .name = "dhcpstart", .type = QEMU_OPT_STRING },
    { .name = "dns", .type = QEMU_OPT_STRING },
    { .name = "dnssearch", .type = QEMU_OPT_STRING },
    { .name = "domainname", .type = QEMU_OPT_STRING },
    { .name = "ipv6-prefix", .type = QEMU_OPT_STRING },
    { .name = "ipv6-prefixlen", .type = QEMU_OPT_STRING },
    { .name = "ipv6-host", .type = QEMU_OPT_STRING },
    { .name = "ipv6-dns", .type = QEMU_OPT_STRING },
    { .name = "smb", .type = QEMU_OPT_STRING },
    { .name = "smbserver", .type = QEMU_OPT_STRING },
    { .name = "hostfwd", .type = QEMU_OPT_STRING },
    { .name = "guestfwd", .type = QEMU_OPT_STRING },
    { .name = "tftp-server-name", .type = QEMU_OPT_STRING },
    /* net_client_init's shorthand for ipv6-prefix and ipv6-prefixlen */
    { .name = "ipv6-net", .type = QEMU_OPT_STRING },
    { /* end of list */ }
};

const char *const slirp_lists[] = { "dnssearch", "hostfwd", "guestfwd",
                                     NULL };

