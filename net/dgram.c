/*
 * -netdev dgram: frames as datagrams between a local and a remote
 * address (local.* and remote.*: inet or unix), on an inherited socket
 * (local.type=fd), or in an IPv4 multicast group (remote.* a multicast
 * address, local.* optionally the interface's address or an fd).
 *
 * Source of truth: QEMU 7.2's net/dgram.c (net_init_dgram,
 * net_dgram_mcast_init and their errors) and qapi/net.json
 * NetdevDgramOptions. Differences: with a multicast remote and
 * local.type=fd, the group is learned from the fd's bound address
 * (7.2 reads the fd member as an inet address, which cannot work); an
 * empty datagram is ignored (7.2 stops reading).
 */
#include "qemu/osdep.h"
#include <arpa/inet.h>
#include <sys/un.h>
#include "net/clients.h"
#include "net-sockets.h"

static int net_dgram_mcast_init(NetClientState *peer, const char *name,
                                struct sockaddr_in *saddr,
                                const NetSocketAddress *local,
                                bool has_local, Error **errp)
{
    NetClientState *nc;
    struct in_addr localaddr;
    int fd;

    if (!has_local) {
        fd = net_mcast_create(saddr, NULL, errp);
    } else if (local->type == NET_ADDR_INET) {
        if (inet_aton(local->host, &localaddr) == 0) {
            error_setg(errp, "localaddr '%s' is not a valid IPv4 address",
                       local->host);
            return -1;
        }
        fd = net_mcast_create(saddr, &localaddr, errp);
    } else if (local->type == NET_ADDR_FD) {
        struct sockaddr_in bound;
        socklen_t len = sizeof(bound);
        int newfd;

        fd = net_parse_fd(local->str, errp);
        if (fd < 0 || !net_fd_set_nonblock(fd, name, errp)) {
            return -1;
        }
        /*
         * A socket shared with another process: each datagram would
         * reach only one of them, so the group it is bound to gets a
         * socket of our own, in place of the fd (QEMU's "clone").
         */
        if (getsockname(fd, (struct sockaddr *)&bound, &len) < 0 ||
            bound.sin_family != AF_INET || bound.sin_addr.s_addr == 0) {
            error_setg(errp, "can't setup multicast destination address");
            close(fd);
            return -1;
        }
        *saddr = bound;
        newfd = net_mcast_create(saddr, NULL, errp);
        if (newfd < 0) {
            close(fd);
            return -1;
        }
        dup3(newfd, fd, O_CLOEXEC);
        close(newfd);
    } else {
        error_setg(errp, "only support inet or fd type for local");
        return -1;
    }
    if (fd < 0) {
        return -1;
    }
    nc = net_dgram_client_new(peer, name, fd, saddr, sizeof(*saddr));
    if (has_local && local->type == NET_ADDR_FD) {
        qemu_set_info_str(nc, "fd=%d (cloned mcast=%s:%d)", fd,
                          inet_ntoa(saddr->sin_addr), ntohs(saddr->sin_port));
    } else {
        qemu_set_info_str(nc, "mcast=%s:%d", inet_ntoa(saddr->sin_addr),
                          ntohs(saddr->sin_port));
    }
    return 0;
}

static bool net_dgram_unix_addr(const char *path, struct sockaddr_un *un,
                                Error **errp)
{
    memset(un, 0, sizeof(*un));
    un->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(un->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        error_append_hint(errp, "Path must be less than %zu bytes\n",
                          sizeof(un->sun_path));
        return false;
    }
    memcpy(un->sun_path, path, strlen(path));
    return true;
}

static int net_dgram_inet_open(const NetSocketAddress *local,
                               const NetSocketAddress *remote,
                               struct sockaddr_in *laddr,
                               struct sockaddr_in *raddr, Error **errp)
{
    if (convert_host_port(laddr, local->host, local->port, errp) < 0 ||
        convert_host_port(raddr, remote->host, remote->port, errp) < 0) {
        return -1;
    }
    return net_udp_open(laddr, errp);
}

static int net_dgram_unix_open(const NetSocketAddress *local,
                               const NetSocketAddress *remote,
                               struct sockaddr_un *laddr,
                               struct sockaddr_un *raddr, Error **errp)
{
    int fd;

    if (unlink(local->path) < 0 && errno != ENOENT) {
        error_setg_errno(errp, errno, "failed to unlink socket %s",
                         local->path);
        return -1;
    }
    if (!net_dgram_unix_addr(local->path, laddr, errp) ||
        !net_dgram_unix_addr(remote->path, raddr, errp)) {
        return -1;
    }
    fd = socket(PF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "can't create datagram socket");
        return -1;
    }
    if (bind(fd, (struct sockaddr *)laddr, sizeof(*laddr)) < 0) {
        error_setg_errno(errp, errno, "can't bind unix=%s to socket",
                         laddr->sun_path);
        close(fd);
        return -1;
    }
    return fd;
}

static int net_init_dgram(QemuOpts *opts, const char *name,
                          NetClientState *peer, Error **errp)
{
    NetSocketAddress local, remote;
    bool has_local, has_remote;
    struct sockaddr_in laddr_in, raddr_in;
    struct sockaddr_un laddr_un, raddr_un;
    NetClientState *nc;
    const char *type;
    int fd;

    if (!net_socket_address_get(opts, "local", &local, &has_local, errp) ||
        !net_socket_address_get(opts, "remote", &remote, &has_remote,
                                 errp)) {
        return -1;
    }
    if (has_remote && remote.type == NET_ADDR_INET) {
        if (convert_host_port(&raddr_in, remote.host, remote.port,
                              errp) < 0) {
            return -1;
        }
        if (IN_MULTICAST(ntohl(raddr_in.sin_addr.s_addr))) {
            return net_dgram_mcast_init(peer, name, &raddr_in, &local,
                                        has_local, errp);
        }
    }
    if (!has_local) {
        error_setg(errp, "dgram requires local= parameter");
        return -1;
    }
    if (has_remote) {
        if (local.type == NET_ADDR_FD) {
            error_setg(errp, "don't set remote with local.fd");
            return -1;
        }
        if (remote.type != local.type) {
            error_setg(errp, "remote and local types must be the same");
            return -1;
        }
    } else if (local.type != NET_ADDR_FD) {
        error_setg(errp, "type=inet or type=unix requires remote parameter");
        return -1;
    }

    switch (local.type) {
    case NET_ADDR_INET:
        fd = net_dgram_inet_open(&local, &remote, &laddr_in, &raddr_in, errp);
        if (fd < 0) {
            return -1;
        }
        nc = net_dgram_client_new(peer, name, fd, &raddr_in,
                                  sizeof(raddr_in));
        qemu_set_info_str(nc, "udp=%s:%d/", inet_ntoa(laddr_in.sin_addr),
                          ntohs(laddr_in.sin_port));
        /* inet_ntoa's buffer is static: the remote half separately */
        g_strlcat(nc->info_str, inet_ntoa(raddr_in.sin_addr),
                  sizeof(nc->info_str));
        g_snprintf(nc->info_str + strlen(nc->info_str),
                   sizeof(nc->info_str) - strlen(nc->info_str), ":%d",
                   ntohs(raddr_in.sin_port));
        return 0;
    case NET_ADDR_UNIX:
        fd = net_dgram_unix_open(&local, &remote, &laddr_un, &raddr_un, errp);
        if (fd < 0) {
            return -1;
        }
        nc = net_dgram_client_new(peer, name, fd, &raddr_un,
                                  sizeof(raddr_un));
        qemu_set_info_str(nc, "udp=%s:%s", laddr_un.sun_path,
                          raddr_un.sun_path);
        return 0;
    case NET_ADDR_FD:
        fd = net_parse_fd(local.str, errp);
        if (fd < 0 || !net_fd_set_nonblock(fd, name, errp)) {
            return -1;
        }
        type = net_socket_local_type(fd, errp);
        if (!type) {
            return -1;
        }
        nc = net_dgram_client_new(peer, name, fd, NULL, 0);
        qemu_set_info_str(nc, "fd=%d %s", fd, type);
        return 0;
    default:
        error_setg(errp, "only support inet or fd type for local");
        return -1;
    }
}

static const QemuOptDesc net_dgram_keys[] = {
    NET_SOCKET_ADDRESS_KEYS("local"),
    NET_SOCKET_ADDRESS_KEYS("remote"),
    { /* end of list */ }
};

static const NetBackend net_dgram_backend = {
    .type = "dgram",
    .driver = NET_CLIENT_DRIVER_DGRAM,
    .keys = net_dgram_keys,
    .init = net_init_dgram,
};

void net_dgram_register(void)
{
    net_backend_register(&net_dgram_backend);
}
