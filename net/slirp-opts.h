/*
 * -netdev user's options (net/slirp-opts.c): the keys of QEMU 7.2's
 * NetdevUserOptions, checked with net_slirp_init's rules and messages
 * into what libslirp's SlirpConfig takes. Internal to net/slirp*.c.
 */
#ifndef NET_SLIRP_OPTS_H
#define NET_SLIRP_OPTS_H

#include <netinet/in.h>
#include "qemu/option.h"

/* The options, checked (QEMU's net_slirp_init arguments) */
typedef struct SlirpOptions {
    bool restricted;
    bool ipv4;
    bool ipv6;
    struct in_addr net;
    struct in_addr mask;
    struct in_addr host;
    struct in_addr dhcp;
    struct in_addr dns;
    struct in6_addr prefix6;
    int prefix6_len;
    struct in6_addr host6;
    struct in6_addr dns6;
    const char *hostname;
    const char *tftp;
    const char *bootfile;
    const char *domainname;
    const char *tftp_server_name;
    const char *smb;
    char *ipv6_net_prefix;  /* from ipv6-net= */
    GPtrArray *dnssearch;   /* NULL-terminated, or NULL when none */
    GPtrArray *hostfwd;
    GPtrArray *guestfwd;
} SlirpOptions;

/* The keys of -netdev user, for the net core (NetBackend.keys) */
extern const QemuOptDesc slirp_keys[];
/* NetdevUserOptions' lists of String */
extern const char *const slirp_lists[];

/*
 * The options into o, with QEMU's checks and messages in QEMU's order;
 * o is to be freed with slirp_options_free either way. Its strings point
 * into opts.
 */
bool slirp_options_parse(QemuOpts *opts, SlirpOptions *o, Error **errp);
void slirp_options_free(SlirpOptions *o);

/*
 * QEMU's get_str_sep: the text before sep into buf (cut to buf_size - 1),
 * *pp moved past sep; false when there is no sep.
 */
bool slirp_str_sep(char *buf, size_t buf_size, const char **pp, int sep);
/* strtol(str, &end, base) over the whole string, in [min, max] */
bool slirp_parse_port(const char *str, int base, int min, int max,
                      int *port);

#endif
