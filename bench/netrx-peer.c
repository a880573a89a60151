/*
 * bench/virtio-net's receive peer: sends the probe guest
 * (probe.netrxbench) frames through a VMM's -netdev socket,udp= or
 * -netdev tap, as fast as the guest takes them, and times it.
 *
 *   bench-netrx-peer udp PORT VMM_PORT FRAMES
 *   bench-netrx-peer tap IFNAME FRAMES
 *
 * udp: bound to 127.0.0.1:PORT (the VMM's udp=), sending to
 * 127.0.0.1:VMM_PORT (its localaddr=). tap: an AF_PACKET socket on the
 * host side of IFNAME; what it sends, the VMM reads from the tap.
 *
 * For each line "PHASE SIZE WINDOW" on stdin: FRAMES broadcast frames of SIZE
 * bytes (ethertype 0x88b5), sendmmsg() batches of up to BATCH, never
 * more than WINDOW beyond the guest's last ack (an 0x88b6 frame the
 * guest sends: phase at byte 14, frames received at 18, little-endian).
 * A WINDOW larger than the guest's 256 buffers makes the VMM run out of
 * buffers and leave the rest in the host kernel's queue (backpressure);
 * one larger than that queue holds makes the kernel drop frames.
 * Prints "sent=S acked=A seconds=T stalled=0|1": seconds from the first
 * send to the ack of the last frame; stalled when no ack came for
 * STALL_MS (a frame lost: the guest never reaches FRAMES). A benchmark
 * tool, not a test.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH           32
#define ETH_DATA        0x88b5
#define ETH_ACK         0x88b6
#define STALL_MS        5000
#define MAX_FRAME       1514

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_udp(const char *port, const char *vmm_port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(atoi(port));
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("udp bind");
        exit(1);
    }
    sa.sin_port = htons(atoi(vmm_port));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("udp connect");
        exit(1);
    }
    return fd;
}

static int open_tap(const char *ifname)
{
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_ACK),
        .sll_ifindex = if_nametoindex(ifname),
    };
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_ACK));

    if (fd < 0 || !sll.sll_ifindex ||
        bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
        perror("AF_PACKET bind");
        exit(1);
    }
    return fd;
}

/* Acks waiting on fd: the highest count for phase. */
static uint32_t read_acks(int fd, uint32_t phase, uint32_t acked)
{
    uint8_t f[MAX_FRAME];
    ssize_t n;

    while ((n = recv(fd, f, sizeof(f), MSG_DONTWAIT)) >= 22) {
        uint32_t p, count;

        if (f[12] != ETH_ACK >> 8 || f[13] != (ETH_ACK & 0xff)) {
            continue;
        }
        memcpy(&p, f + 14, 4);
        memcpy(&count, f + 18, 4);
        if (p == phase && count > acked) {
            acked = count;
        }
    }
    return acked;
}

int main(int argc, char **argv)
{
    static uint8_t frame[MAX_FRAME];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    uint32_t frames, window, phase, size;
    int fd;

    if (argc == 5 && !strcmp(argv[1], "udp")) {
        fd = open_udp(argv[2], argv[3]);
    } else if (argc == 4 && !strcmp(argv[1], "tap")) {
        fd = open_tap(argv[2]);
    } else {
        fprintf(stderr, "usage: %s udp PORT VMM_PORT FRAMES\n"
                "       %s tap IFNAME FRAMES\n", argv[0], argv[0]);
        return 2;
    }
    frames = strtoul(argv[argc - 1], NULL, 0);
    memset(frame, 0xff, 6);
    memcpy(frame + 6, "\x02\x00\x00\x00\x00\x01", 6);
    frame[12] = ETH_DATA >> 8;
    frame[13] = ETH_DATA & 0xff;
    for (unsigned i = 14; i < MAX_FRAME; i++) {
        frame[i] = i;
    }
    memset(msgs, 0, sizeof(msgs));
    for (unsigned i = 0; i < BATCH; i++) {
        iov[i].iov_base = frame;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    printf("ready=1\n");
    fflush(stdout);
    while (scanf("%u %u %u", &phase, &size, &window) == 3) {
        uint32_t sent = 0, acked = 0;
        int stalled = 0;
        double t0;

        if (size < 60 || size > MAX_FRAME || !window) {
            fprintf(stderr, "frame size %u out of 60..%u or no window\n",
                    size, MAX_FRAME);
            return 2;
        }
        for (unsigned i = 0; i < BATCH; i++) {
            iov[i].iov_len = size;
        }
        read_acks(fd, 0, 0);                    /* a former phase's acks */
        t0 = now();
        while (acked < frames) {
            struct pollfd pfd = { .fd = fd, .events = POLLIN };

            /* frames the host stack sent the guest count too: >= sent */
            while (sent < frames && (acked >= sent ||
                                     sent - acked < window)) {
                uint32_t room = acked >= sent ? window
                                              : window - (sent - acked);
                uint32_t n = frames - sent;
                int r;

                n = n < BATCH ? n : BATCH;
                n = n < room ? n : room;
                r = sendmmsg(fd, msgs, n, 0);
                if (r < 0 && errno == ENOBUFS) {
                    break;                      /* the tap's queue: retry */
                }
                if (r < 0) {
                    perror("sendmmsg");
                    return 1;
                }
                sent += r;
                acked = read_acks(fd, phase, acked);
            }
            if (acked >= frames) {
                break;
            }
            if (poll(&pfd, 1, STALL_MS) == 0) {
                stalled = 1;
                break;
            }
            acked = read_acks(fd, phase, acked);
        }
        printf("sent=%u acked=%u seconds=%.6f stalled=%d\n", sent, acked,
               now() - t0, stalled);
        fflush(stdout);
    }
    return 0;
}
