/*
 * The Linux tap device: opening it, and the ioctls of its fd.
 * Source of truth: QEMU 7.2's net/tap-linux.c (tap_open, tap_set_sndbuf,
 * tap_probe_*, tap_fd_set_*, tap_fd_enable/tap_fd_disable). Difference:
 * a failing TUNSETVNETHDRSZ or TUNSETVNETLE is reported, not an abort.
 */
#include "qemu/osdep.h"
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include "tap-int.h"

#define PATH_NET_TUN "/dev/net/tun"

/* QEMU's tap_open: a new (or existing) tap interface named ifname */
int tap_open(char *ifname, size_t ifname_size, bool *vnet_hdr,
                    bool vnet_hdr_required, bool mq_required, Error **errp)
{
    struct ifreq ifr = { 0 };
    int fd, len = sizeof(struct virtio_net_hdr);
    unsigned features;

    fd = open(PATH_NET_TUN, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        error_setg_errno(errp, errno, "could not open %s", PATH_NET_TUN);
        return -1;
    }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (ioctl(fd, TUNGETFEATURES, &features) == -1) {
        warn_report("TUNGETFEATURES failed: %s", strerror(errno));
        features = 0;
    }
    if (features & IFF_ONE_QUEUE) {
        ifr.ifr_flags |= IFF_ONE_QUEUE;
    }
    if (*vnet_hdr) {
        *vnet_hdr = features & IFF_VNET_HDR;
        if (*vnet_hdr) {
            ifr.ifr_flags |= IFF_VNET_HDR;
        } else if (vnet_hdr_required) {
            error_setg(errp, "vnet_hdr=1 requested, but no kernel "
                       "support for IFF_VNET_HDR available");
            close(fd);
            return -1;
        }
        /* A persistent tap may keep another VMM's length: reset it. */
        ioctl(fd, TUNSETVNETHDRSZ, &len);
    }
    if (mq_required) {
        if (!(features & IFF_MULTI_QUEUE)) {
            error_setg(errp, "multiqueue required, but no kernel "
                       "support for IFF_MULTI_QUEUE available");
            close(fd);
            return -1;
        }
        ifr.ifr_flags |= IFF_MULTI_QUEUE;
    }
    g_strlcpy(ifr.ifr_name, ifname[0] ? ifname : "tap%d", IFNAMSIZ);
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        if (ifname[0]) {
            error_setg_errno(errp, errno, "could not configure %s (%s)",
                             PATH_NET_TUN, ifr.ifr_name);
        } else {
            error_setg_errno(errp, errno, "could not configure %s",
                             PATH_NET_TUN);
        }
        close(fd);
        return -1;
    }
    g_strlcpy(ifname, ifr.ifr_name, ifname_size);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

int tap_probe_vnet_hdr(int fd, Error **errp)
{
    struct ifreq ifr = { 0 };

    if (ioctl(fd, TUNGETIFF, &ifr) != 0) {
        error_setg_errno(errp, errno, "Unable to query TUNGETIFF on FD %d",
                         fd);
        return -1;
    }
    return !!(ifr.ifr_flags & IFF_VNET_HDR);
}

bool tap_probe_has_ufo(int fd)
{
    return ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_UFO) == 0;
}

/* Whether the tap takes headers of len bytes (the setting left as it was) */
bool tap_probe_vnet_hdr_len(int fd, int len)
{
    int orig;

    if (ioctl(fd, TUNGETVNETHDRSZ, &orig) == -1 ||
        ioctl(fd, TUNSETVNETHDRSZ, &len) == -1) {
        return false;
    }
    if (ioctl(fd, TUNSETVNETHDRSZ, &orig) == -1) {
        error_report("TUNSETVNETHDRSZ ioctl() failed: %s", strerror(errno));
    }
    return true;
}

void tap_fd_set_vnet_hdr_len(int fd, int len)
{
    /* QEMU aborts here; the tap keeps its old length instead. */
    if (ioctl(fd, TUNSETVNETHDRSZ, &len) == -1) {
        error_report("TUNSETVNETHDRSZ ioctl() failed: %s", strerror(errno));
    }
}

void tap_fd_set_offload(int fd, int csum, int tso4, int tso6,
                               int ecn, int ufo)
{
    unsigned offload = 0;

    /* An old kernel without TUNSETOFFLOAD: nothing to turn off. */
    if (ioctl(fd, TUNSETOFFLOAD, 0) != 0 && errno == EINVAL) {
        return;
    }
    if (csum) {
        offload |= TUN_F_CSUM;
        offload |= tso4 ? TUN_F_TSO4 : 0;
        offload |= tso6 ? TUN_F_TSO6 : 0;
        offload |= (tso4 || tso6) && ecn ? TUN_F_TSO_ECN : 0;
        offload |= ufo ? TUN_F_UFO : 0;
    }
    if (ioctl(fd, TUNSETOFFLOAD, offload) != 0) {
        offload &= ~TUN_F_UFO;
        if (ioctl(fd, TUNSETOFFLOAD, offload) != 0) {
            error_printf("TUNSETOFFLOAD ioctl() failed: %s\n",
                         strerror(errno));
        }
    }
}

int tap_fd_set_vnet_le(int fd, bool is_le)
{
    int arg = is_le;

    if (ioctl(fd, TUNSETVNETLE, &arg) == 0) {
        return 0;
    }
    /* EINVAL: a kernel without TUNSETVNETLE, which the caller handles */
    if (errno != EINVAL) {
        error_report("TUNSETVNETLE ioctl() failed: %s.", strerror(errno));
    }
    return -errno;
}

/* QEMU's tap_fd_enable / tap_fd_disable */
int tap_fd_set_queue(int fd, bool attach)
{
    struct ifreq ifr = { .ifr_flags = attach ? IFF_ATTACH_QUEUE
                                             : IFF_DETACH_QUEUE };

    if (ioctl(fd, TUNSETQUEUE, &ifr) != 0) {
        error_report(attach ? "could not enable queue"
                            : "could not disable queue");
        return -1;
    }
    return 0;
}

/* QEMU's tap_set_sndbuf: 0 or absent means unlimited */
bool tap_fd_set_sndbuf(int fd, bool has, uint64_t size, Error **errp)
{
    int sndbuf = size > INT_MAX ? INT_MAX : size ? (int)size : INT_MAX;

    if (ioctl(fd, TUNSETSNDBUF, &sndbuf) == -1 && has) {
        error_setg_errno(errp, errno, "TUNSETSNDBUF ioctl failed");
        return false;
    }
    return true;
}
