/*
 * Probe guest: what its C files share (port/MMIO/CPU helpers, COM1
 * output, hashing).  See probe.c for what the probe reports and
 * tests/guest/README.md for how the transcript is used.
 */

#ifndef PROBE_H
#define PROBE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* COM1 (8250/16550 register offsets) */
#define COM1            0x3f8
#define UART_LSR_THRE   0x20

#define FNV_INIT 0x811c9dc5u

/* Scratch areas laid out by probe.ld (not zeroed, 64 KiB each). */
#define CHUNK           0x10000u
extern uint8_t probe_buf_a[], probe_buf_b[], probe_buf_dir[];

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
bool str_eq(const char *a, const char *b);

void serial_putc(char c);
void put_str(const char *s);
void put_hex(uint64_t v, int width);
void put_dec(uint32_t v);
void put_escaped(const uint8_t *s, uint32_t n);
void put_bytes(const uint8_t *p, uint32_t n);
void pr(const char *fmt, ...);
uint32_t fnv1a(uint32_t h, const uint8_t *p, uint32_t n);

void report_fw_cfg(void);
void report_dispatch(void);

/*
 * This host's KVM emulator cannot execute iret: interrupt stubs return
 * with popf + ret instead, after moving EFLAGS and EIP of the
 * (same-privilege) interrupt frame into place.
 */
#define PROBE_IRQ_RETURN \
    " pushl %eax\n movl 4(%esp), %eax\n xchgl %eax, 12(%esp)\n" \
    " movl %eax, 8(%esp)\n popl %eax\n addl $4, %esp\n popfl\n ret\n"
/* probe.c: an IDT gate to fn in the current code segment (the IDT is
 * loaded by the interrupt checks), and interrupts on until *count moves */
void probe_idt_set(int vec, void (*fn)(void));
uint32_t probe_irq_wait(volatile uint32_t *count);

/*
 * The state a boot loader handed over, recorded by the entry code
 * (probe-head.S for the bzImage, probe-head32.S for PVH and multiboot)
 * before anything changes it.  52 bytes, the layout the heads fill.
 */
typedef struct ProbeEntryRegs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
    uint16_t cs, ds, es, fs, gs, ss;
    uint32_t eflags;
    uint32_t cr0;
} __attribute__((packed)) ProbeEntryRegs;

/* probe.c: the machine facts every boot format reports. */
void probe_read_serial(uint8_t regs[8]);
void report_entry_regs(const ProbeEntryRegs *r);
void report_machine(const uint8_t serial_regs[8]);
void put_cstr_at(uint32_t addr, uint32_t max);
void report_low_memory(void);
/* tests/guest/run-durable's writer (probe.durable on the command line) */
void probe_blk_durable(void);
/*
 * Whether the kernel command line has word (bzImage: probe-linux.c; the
 * other formats have none and answer false).
 */
bool probe_arg(const char *word);
/* bench/virtio-blk's guest (probe.blkbench) */
void probe_blk_bench(void);
/* bench/virtio-net's guest (probe.netbench) */
void probe_net_bench(void);
/* its receive direction (probe.netrxbench) */
void probe_net_rx_bench(void);

/* ---- virtio-mmio driver helpers (probe.c) ---- */

#define VIRTIO_MMIO_BASE    0xfeb00000u
#define VIRTIO_MMIO_SLOTS   32
#define VIRTIO_MMIO_MAGIC   0x74726976u
#define VIO_STATUS          0x070
#define VIO_RING_BASE       0x800000u   /* 64 KiB per slot, free RAM */
#define VIO_POLL_LIMIT      2000000     /* pause loops of one bounded wait */
#define VIO_QNUM            8           /* descriptors of a probe queue */

typedef struct VioQueue {
    uint32_t desc, avail, used;
    uint16_t seen;          /* used entries already looked at */
} VioQueue;

/* The queues of the device being driven (one device at a time) */
extern VioQueue vio_q[4];

void vio_wr(uint32_t base, uint32_t off, uint32_t v);
uint32_t vio_rd(uint32_t base, uint32_t off);
void put16_at(uint32_t addr, uint16_t v);
uint16_t get16_at(uint32_t addr);
/* Whether virtio-mmio slot holds a device of that id */
bool virtio_slot_is(uint32_t slot, uint32_t id);
/* Queues 0..n-1 of VIO_QNUM, 8 KiB apart from ring, programmed */
void vio_setup_queues(uint32_t base, uint32_t ring, uint32_t version,
                      unsigned n);
/* One buffer in descriptor d of queue q, made available and kicked */
void vio_offer(uint32_t base, unsigned q, uint16_t d, uint32_t buf,
               uint32_t len, bool writable);
/* A chain of n descriptors from d; writable: a bit per descriptor */
void vnet_offer(uint32_t base, unsigned q, uint16_t d,
                const uint32_t *bufs, const uint32_t *lens, unsigned n,
                unsigned writable);
/* Polls (bounded: VIO_POLL_LIMIT) until queue q's used index is want */
bool vio_wait(unsigned q, uint16_t want);

/* probe-net.c: the IPv4 exchange with -netdev user (probe.usernet) */
void probe_usernet(void);

/* ---- port, MMIO, MSR, CPUID ---- */

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
    asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;

    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* String input: KVM batches it, so a whole chunk costs few exits. */
static inline void insb(uint16_t port, void *buf, uint32_t n)
{
    asm volatile("rep insb" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

static inline uint32_t mmio_read32(uint32_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uint32_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    asm volatile("cpuid"
                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                 : "a"(leaf), "c"(sub));
}

static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
    cpuid_count(leaf, 0, r);
}

static inline uint32_t bswap32(uint32_t v)
{
    return __builtin_bswap32(v);
}

static inline uint64_t bswap64(uint64_t v)
{
    return __builtin_bswap64(v);
}

static inline uint16_t get16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static inline uint32_t get32(const uint8_t *p)
{
    return get16(p) | ((uint32_t)get16(p + 2) << 16);
}

static inline uint64_t get64(const uint8_t *p)
{
    return get32(p) | ((uint64_t)get32(p + 4) << 32);
}

static inline uint32_t get32_be(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

#endif /* PROBE_H */
