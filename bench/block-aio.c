/*
 * block-aio: 4 KiB random reads or writes through the block layer
 * (blk_aio_preadv/pwritev, worker pool, eventfd completions in the main
 * context) at a queue depth, against the same pattern done with
 * io_uring directly (raw syscalls, no liburing) and with synchronous
 * pread/pwrite: the figures behind docs/architecture.md's choice of a
 * thread pool.
 *
 *   build/bench-block-aio IMAGE read|write QD N [direct]
 *
 * Prints requests per second and CPU (user + system, all threads) per
 * request for each of: the block layer on io_uring, the block layer on
 * its worker threads, io_uring used directly, sync (QD 1 only).
 * The image must exist (e.g. truncate -s 256M /var/tmp/bench.img).
 */
#include "qemu/osdep.h"
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "block/block-int.h"

#define BS 4096

typedef struct Bench {
    BlockBackend *blk;
    bool write;
    int64_t blocks;
    long remaining;         /* requests still to submit */
    long done;
    uint8_t *bufs;
    GRand *rand;
} Bench;

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

static double cpu_seconds(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void report(const char *what, long n, double t, double cpu)
{
    printf("%-12s %8.0f req/s  %6.2f us CPU/req\n", what, n / t,
           cpu / n * 1e6);
}

static void bench_submit(Bench *b, int slot);

typedef struct Slot {
    Bench *b;
    int index;
} Slot;

static void slot_done(void *opaque, int ret)
{
    Slot *s = opaque;

    if (ret < 0) {
        fprintf(stderr, "request failed: %s\n", g_strerror(-ret));
        exit(1);
    }
    s->b->done++;
    if (s->b->remaining > 0) {
        bench_submit(s->b, s->index);
    }
}

static Slot *slots;

static void bench_submit(Bench *b, int slot)
{
    struct iovec iov = { b->bufs + (size_t)slot * BS, BS };
    int64_t off = g_rand_int_range(b->rand, 0, b->blocks) * (int64_t)BS;

    b->remaining--;
    if (b->write) {
        blk_aio_pwritev(b->blk, off, &iov, 1, slot_done, &slots[slot]);
    } else {
        blk_aio_preadv(b->blk, off, &iov, 1, slot_done, &slots[slot]);
    }
}

static void run_block_layer(const char *what, const char *img, bool write,
                            int qd, long n, bool direct)
{
    g_autofree char *spec = g_strdup_printf(
        "file=%s,format=raw,cache.direct=%s", img, direct ? "on" : "off");
    BlockOpts *opts = block_opts_new();
    g_auto(GStrv) kv = g_strsplit(spec, ",", -1);
    Bench b = { .write = write, .remaining = n };
    double t0, c0;

    for (int i = 0; kv[i]; i++) {
        g_auto(GStrv) p = g_strsplit(kv[i], "=", 2);

        block_opts_set(opts, p[0], p[1], BLOCK_OPT_STRING);
    }
    b.blk = blk_new_from_drive_opts("bench", opts, &error_abort);
    blk_set_perm(b.blk, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                 BLK_PERM_ALL, &error_abort);
    b.blocks = blk_getlength(b.blk) / BS;
    b.bufs = aligned_alloc(BS, (size_t)qd * BS);
    memset(b.bufs, 0x5a, (size_t)qd * BS);
    b.rand = g_rand_new_with_seed(1);
    slots = g_new0(Slot, qd);
    t0 = now();
    c0 = cpu_seconds();
    for (int i = 0; i < qd; i++) {
        slots[i].b = &b;
        slots[i].index = i;
        bench_submit(&b, i);
    }
    while (b.done < n) {
        g_main_context_iteration(NULL, TRUE);
    }
    report(what, n, now() - t0, cpu_seconds() - c0);
    blk_drain(b.blk);
    bdrv_close_all();
    g_rand_free(b.rand);
    free(b.bufs);
    g_free(slots);
}

/* ---- io_uring, raw (what the block layer would do with it) ------------ */

typedef struct Ring {
    int fd;
    unsigned *sq_head, *sq_tail, *sq_mask, *sq_array;
    unsigned *cq_head, *cq_tail, *cq_mask;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
} Ring;

static bool ring_init(Ring *r, unsigned entries)
{
    struct io_uring_params p = { 0 };
    uint8_t *sq, *cq;

    r->fd = syscall(__NR_io_uring_setup, entries, &p);
    if (r->fd < 0) {
        return false;
    }
    sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned),
              PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
              IORING_OFF_SQ_RING);
    cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe),
              PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
              IORING_OFF_CQ_RING);
    r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
                   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
                   IORING_OFF_SQES);
    g_assert(sq != MAP_FAILED && cq != MAP_FAILED && r->sqes != MAP_FAILED);
    r->sq_head = (unsigned *)(sq + p.sq_off.head);
    r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
    r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
    r->sq_array = (unsigned *)(sq + p.sq_off.array);
    r->cq_head = (unsigned *)(cq + p.cq_off.head);
    r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
    r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
    r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
    return true;
}

static void ring_queue(Ring *r, int fd, bool write, void *buf, off_t off,
                       uint64_t data)
{
    unsigned tail = *r->sq_tail;
    unsigned i = tail & *r->sq_mask;
    struct io_uring_sqe *sqe = &r->sqes[i];

    memset(sqe, 0, sizeof(*sqe));
    sqe->opcode = write ? IORING_OP_WRITE : IORING_OP_READ;
    sqe->fd = fd;
    sqe->addr = (uintptr_t)buf;
    sqe->len = BS;
    sqe->off = off;
    sqe->user_data = data;
    r->sq_array[i] = i;
    __atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
}

static void run_uring(const char *img, bool write, int qd, long n,
                      bool direct)
{
    int fd = open(img, O_RDWR | (direct ? O_DIRECT : 0));
    uint8_t *bufs = aligned_alloc(BS, (size_t)qd * BS);
    GRand *rand = g_rand_new_with_seed(1);
    int64_t blocks = lseek(fd, 0, SEEK_END) / BS;
    long submitted = 0, done = 0;
    unsigned pending = 0;
    double t0, c0;
    Ring r;

    if (!ring_init(&r, qd)) {
        printf("%-12s unavailable: %s\n", "io_uring", g_strerror(errno));
        close(fd);
        free(bufs);
        g_rand_free(rand);
        return;
    }
    memset(bufs, 0x5a, (size_t)qd * BS);
    t0 = now();
    c0 = cpu_seconds();
    for (int i = 0; i < qd; i++, submitted++) {
        ring_queue(&r, fd, write, bufs + (size_t)i * BS,
                   g_rand_int_range(rand, 0, blocks) * (off_t)BS, i);
        pending++;
    }
    while (done < n) {
        unsigned head;

        if (syscall(__NR_io_uring_enter, r.fd, pending, 1,
                    IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
            perror("io_uring_enter");
            exit(1);
        }
        pending = 0;
        head = *r.cq_head;
        while (head != __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE)) {
            struct io_uring_cqe *cqe = &r.cqes[head & *r.cq_mask];
            int slot = cqe->user_data;

            if (cqe->res != BS) {
                fprintf(stderr, "io_uring request: %d\n", cqe->res);
                exit(1);
            }
            head++;
            done++;
            if (submitted < n) {
                ring_queue(&r, fd, write, bufs + (size_t)slot * BS,
                           g_rand_int_range(rand, 0, blocks) * (off_t)BS,
                           slot);
                submitted++;
                pending++;
            }
        }
        __atomic_store_n(r.cq_head, head, __ATOMIC_RELEASE);
    }
    report("raw io_uring", n, now() - t0, cpu_seconds() - c0);
    close(r.fd);
    close(fd);
    free(bufs);
    g_rand_free(rand);
}

static void run_sync(const char *img, bool write, long n, bool direct)
{
    int fd = open(img, O_RDWR | (direct ? O_DIRECT : 0));
    uint8_t *buf = aligned_alloc(BS, BS);
    GRand *rand = g_rand_new_with_seed(1);
    int64_t blocks = lseek(fd, 0, SEEK_END) / BS;
    double t0 = now(), c0 = cpu_seconds();

    memset(buf, 0x5a, BS);
    for (long i = 0; i < n; i++) {
        off_t off = g_rand_int_range(rand, 0, blocks) * (off_t)BS;
        ssize_t r = write ? pwrite(fd, buf, BS, off) : pread(fd, buf, BS, off);

        if (r != BS) {
            perror("sync request");
            exit(1);
        }
    }
    report("sync", n, now() - t0, cpu_seconds() - c0);
    close(fd);
    free(buf);
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    bool write, direct;
    long n;
    int qd;

    if (argc < 5) {
        fprintf(stderr, "usage: %s IMAGE read|write QD N [direct]\n",
                argv[0]);
        return 2;
    }
    write = !strcmp(argv[2], "write");
    qd = atoi(argv[3]);
    n = atol(argv[4]);
    direct = argc > 5 && !strcmp(argv[5], "direct");
    if (qd < 1 || qd > 256 || n < qd) {
        fprintf(stderr, "QD 1..256, N >= QD\n");
        return 2;
    }
    printf("4 KiB random %ss, QD %d, %ld requests%s\n", argv[2], qd, n,
           direct ? ", O_DIRECT" : "");
    block_uring_set_enabled(true);
    run_block_layer("blk io_uring", argv[1], write, qd, n, direct);
    block_uring_set_enabled(false);
    run_block_layer("blk threads", argv[1], write, qd, n, direct);
    run_uring(argv[1], write, qd, n, direct);
    if (qd == 1) {
        run_sync(argv[1], write, n, direct);
    }
    return 0;
}
