/*
 * KVM smoke test: a VM with a few bytes of real-mode code at the reset
 * vector does port I/O through address_space_io, then hits an
 * instruction the emulated KVM cannot run; checks the dispatch, the reset
 * state (EDX = CPUID(1).EAX at f000:fff0), the internal-error path, and
 * that cpus_reset_all() brings the vCPU back to the reset vector.
 * A paused start (-S): vCPUs waiting in prelaunch until vm_start().
 * Then KVM's fast paths: MMIO writes of 1, 2, 4 and 8 bytes (and of any
 * length, size 0) caught by ioeventfds (with and without datamatch)
 * without an exit, and irqfds raising a GSI (full irqchip: the in-kernel
 * PIC/IOAPIC inputs; split: an MSI route into the LAPIC), with and
 * without a resample fd (split: kicked by the userspace IOAPIC's EOI).
 * Skipped when /dev/kvm is absent.
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"
#include "qemu/thread.h"
#include "system/cpus.h"
#include "system/main-loop.h"
#include "system/runstate.h"
#include "hw/intc/ioapic.h"
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define ROM_BASE 0xffff0000u
#define ROM_SIZE 0x10000u

typedef struct PortLog {
    QemuMutex lock;
    GArray *writes;             /* of uint32_t: port << 16 | value */
} PortLog;

static PortLog port_log;

static uint64_t port_read(void *opaque, uint64_t addr, unsigned size)
{
    return addr == 1 ? 0x5a : 0;
}

static void port_write(void *opaque, uint64_t addr, uint64_t data,
                       unsigned size)
{
    uint32_t v = (uint32_t)(0x80 + addr) << 16 | (uint32_t)data;

    qemu_mutex_lock(&port_log.lock);
    g_array_append_val(port_log.writes, v);
    qemu_mutex_unlock(&port_log.lock);
}

static const MemoryRegionOps port_ops = {
    .read = port_read, .write = port_write,
    .impl.min_access_size = 1, .impl.max_access_size = 1,
};

/*
 * At f000:ff00: out 0x80 <- 0x42; in al, 0x81; out 0x82 <- al;
 * out 0x83 <- dl (low byte of the reset EDX); then ud2, which this
 * project's kvm_pvm hosts cannot emulate in real mode: KVM_EXIT_INTERNAL_
 * ERROR, reported with the register dump. (A triple fault needs 32-bit
 * protected mode; not exercised here.)
 */
static void build_rom(uint8_t *rom)
{
    static const uint8_t code[] = {
        0xb0, 0x42, 0xe6, 0x80,             /* mov al,0x42; out 0x80,al */
        0xe4, 0x81, 0xe6, 0x82,             /* in al,0x81; out 0x82,al */
        0x88, 0xd0, 0xe6, 0x83,             /* mov al,dl; out 0x83,al */
        0x0f, 0x0b,                         /* ud2 */
    };

    memset(rom, 0xf4, ROM_SIZE);
    memcpy(rom + 0xff00, code, sizeof(code));
    /* f000:fff0: jmp near 0xff00 */
    rom[0xfff0] = 0xe9;
    rom[0xfff1] = (uint8_t)((0xff00 - 0xfff3) & 0xff);
    rom[0xfff2] = (uint8_t)(((0xff00 - 0xfff3) >> 8) & 0xff);
}

/*
 * A VM as these tests need it: KVM with the full in-kernel irqchip,
 * ram_size bytes of RAM at 0 and the 64 KiB ROM build() writes at
 * ROM_BASE (memslots must be page aligned on the host side too).
 */
typedef struct TestVM {
    GuestMemory *mem;
    uint8_t *ram, *rom;
    size_t ram_size;
} TestVM;

static void test_vm_init(TestVM *vm, size_t ram_size,
                         void (*build)(uint8_t *rom))
{
    Error *err = NULL;

    g_assert_true(kvm_init(KVM_IRQCHIP_MODE_ON, false, 0, &err));
    vm->ram_size = ram_size;
    vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    vm->rom = mmap(NULL, ROM_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert_true(vm->ram != MAP_FAILED && vm->rom != MAP_FAILED);
    build(vm->rom);
    vm->mem = guest_memory_new();
    guest_memory_add(vm->mem, 0, ram_size, vm->ram, false, "ram");
    guest_memory_add(vm->mem, ROM_BASE, ROM_SIZE, vm->rom, true, "rom");
    g_assert_true(kvm_map_guest_memory(vm->mem, &err));
}

static void test_vm_destroy(TestVM *vm)
{
    kvm_cleanup();
    guest_memory_free(vm->mem);
    munmap(vm->ram, vm->ram_size);
    munmap(vm->rom, ROM_SIZE);
}

static void port_log_init(void)
{
    qemu_mutex_init(&port_log.lock);
    port_log.writes = g_array_new(false, false, sizeof(uint32_t));
    address_space_map(&address_space_io, 0x80, 4, &port_ops, NULL, "log",
                      NULL);
}

static void port_log_fini(void)
{
    address_space_clear(&address_space_io);
    g_array_free(port_log.writes, true);
    qemu_mutex_destroy(&port_log.lock);
}

static void test_kvm_smoke(void)
{
    static const X86CPUTopology topo = { 1, 1, 1, 1, 1 };
    Error *err = NULL;
    TestVM vm;
    uint32_t want[4];

    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("/dev/kvm not available");
        return;
    }
    test_vm_init(&vm, 1 * MiB, build_rom);
    port_log_init();

    g_assert_true(x86_cpu_parse_model("host", &err));
    if (!x86_cpus_create(1, &topo, &err)) {
        g_error("%s", error_get_pretty(err));
    }
    g_assert_null(err);
    g_assert_true(cpus_start(false, &err));

    kvm_cpus_wait_exit_count(KVM_EXIT_INTERNAL_ERROR, 1);
    /* As the main loop: pause and stop with the BQL held. */
    bql_lock();
    cpus_pause_all();

    want[0] = 0x80 << 16 | 0x42;
    want[1] = 0x82 << 16 | 0x5a;
    /* EDX at reset holds family/model/stepping: its low byte. */
    g_assert_cmpuint(port_log.writes->len, ==, 3);
    g_assert_cmphex(g_array_index(port_log.writes, uint32_t, 0), ==,
                    want[0]);
    g_assert_cmphex(g_array_index(port_log.writes, uint32_t, 1), ==,
                    want[1]);
    {
        unsigned a, b, c, d;

        __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1),
                "c"(0));
        want[2] = 0x83 << 16 | (a & 0xff);
    }
    g_assert_cmphex(g_array_index(port_log.writes, uint32_t, 2), ==,
                    want[2]);
    g_assert_cmpuint(kvm_cpus_exit_count(KVM_EXIT_INTERNAL_ERROR), ==, 1);
    g_assert_cmpuint(kvm_cpus_exit_count(KVM_EXIT_IO), ==, 4);
    g_assert_cmpuint(kvm_cpus_exit_count(KVM_EXIT_SHUTDOWN), ==, 0);

    /* Reset and run again: the same writes and a second failure. */
    cpus_reset_all();
    cpus_resume_all();
    bql_unlock();
    kvm_cpus_wait_exit_count(KVM_EXIT_INTERNAL_ERROR, 2);
    bql_lock();
    cpus_pause_all();
    g_assert_cmpuint(port_log.writes->len, ==, 6);
    g_assert_cmphex(g_array_index(port_log.writes, uint32_t, 4), ==,
                    want[1]);

    cpus_stop_all();
    bql_unlock();
    port_log_fini();
    test_vm_destroy(&vm);
}

/* ---- -S: vCPUs created, waiting in prelaunch until vm_start() ---------- */

static void record_state(void *opaque, bool running, RunState state)
{
    g_string_append_printf(opaque, "%s:%s ", running ? "run" : "stop",
                           RunState_str(state));
}

static void test_kvm_paused_start(void)
{
    static const X86CPUTopology topo = { 1, 1, 1, 1, 1 };
    g_autoptr(GString) states = g_string_new("");
    VMChangeStateEntry *e;
    Error *err = NULL;
    TestVM vm;

    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("/dev/kvm not available");
        return;
    }
    test_vm_init(&vm, 1 * MiB, build_rom);
    port_log_init();
    g_assert_true(x86_cpu_parse_model("host", &err));
    g_assert_true(x86_cpus_create(1, &topo, &err));
    e = qemu_add_vm_change_state_handler(record_state, states);

    /* the threads exist and wait: every one parked, none entered KVM_RUN */
    g_assert_true(runstate_check(RUN_STATE_PRELAUNCH));
    g_assert_true(cpus_start(true, &err));
    cpus_pause_all();
    g_assert_true(runstate_check(RUN_STATE_PRELAUNCH));
    g_assert_cmpuint(kvm_cpus_exit_count(KVM_EXIT_IO), ==, 0);
    g_assert_cmpuint(port_log.writes->len, ==, 0);
    g_assert_cmpstr(states->str, ==, "");

    /* the monitor's cont */
    vm_start();
    g_assert_true(runstate_is_running());
    kvm_cpus_wait_exit_count(KVM_EXIT_INTERNAL_ERROR, 1);
    g_assert_cmpuint(kvm_cpus_exit_count(KVM_EXIT_IO), ==, 4);
    g_assert_cmpuint(port_log.writes->len, ==, 3);
    vm_stop(RUN_STATE_PAUSED);
    g_assert_true(runstate_check(RUN_STATE_PAUSED));
    g_assert_cmpstr(states->str, ==, "run:running stop:paused ");

    qemu_del_vm_change_state_handler(e);
    cpus_stop_all();
    port_log_fini();
    test_vm_destroy(&vm);
}

/* ---- ioeventfd ---------------------------------------------------------- */

#define MMIO_BASE       0xd0000u
#define RAM_SIZE        (512 * KiB)

typedef struct MMIOWrite {
    uint64_t addr, data;
    unsigned size;
} MMIOWrite;

static GArray *mmio_writes;         /* of MMIOWrite, under the BQL */

static uint64_t mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

static void mmio_write(void *opaque, uint64_t addr, uint64_t data,
                       unsigned size)
{
    MMIOWrite w = { MMIO_BASE + addr, data, size };

    g_array_append_val(mmio_writes, w);
}

static const MemoryRegionOps mmio_ops = {
    .read = mmio_read, .write = mmio_write,
    .valid.max_access_size = 8, .impl.max_access_size = 8,
};

/*
 * f000:ff00, real mode: mm0 <- the 8 bytes at f000:ffe0; ds = 0xd000;
 * then one write per ioeventfd below, and a 2-byte write whose value the
 * datamatch refuses; ud2 ends the run (KVM_EXIT_INTERNAL_ERROR here).
 */
static void build_eventfd_rom(uint8_t *rom)
{
    static const uint8_t code[] = {
        0x2e, 0x0f, 0x6f, 0x06, 0xe0, 0xff, /* movq mm0, cs:[0xffe0] */
        0xb8, 0x00, 0xd0, 0x8e, 0xd8,       /* mov ax,0xd000; mov ds,ax */
        0xc6, 0x06, 0x00, 0x00, 0x11,       /* mov byte [0x00],0x11 */
        0xc7, 0x06, 0x10, 0x00, 0x34, 0x12, /* mov word [0x10],0x1234 */
        0xc7, 0x06, 0x10, 0x00, 0x35, 0x12, /* mov word [0x10],0x1235 */
        0x66, 0xc7, 0x06, 0x20, 0x00,       /* mov dword [0x20], */
        0x78, 0x56, 0x34, 0x12,             /*     0x12345678 */
        0x0f, 0x7f, 0x06, 0x30, 0x00,       /* movq [0x30], mm0 */
        0xc7, 0x06, 0x40, 0x00, 0x99, 0x00, /* mov word [0x40],0x99 */
        0x0f, 0x0b,                         /* ud2 */
    };
    static const uint8_t qword[8] = {
        0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
    };

    memset(rom, 0xf4, ROM_SIZE);
    memcpy(rom + 0xff00, code, sizeof(code));
    memcpy(rom + 0xffe0, qword, sizeof(qword));
    rom[0xfff0] = 0xe9;
    rom[0xfff1] = (uint8_t)((0xff00 - 0xfff3) & 0xff);
    rom[0xfff2] = (uint8_t)(((0xff00 - 0xfff3) >> 8) & 0xff);
}

typedef struct EventfdCase {
    uint64_t addr;
    unsigned size;
    bool datamatch;
    uint64_t data;
} EventfdCase;

static const EventfdCase eventfd_cases[] = {
    { MMIO_BASE + 0x00, 1, false, 0 },
    { MMIO_BASE + 0x10, 2, true, 0x1234 },
    { MMIO_BASE + 0x20, 4, true, 0x12345678 },
    { MMIO_BASE + 0x30, 8, true, 0x1122334455667788ull },
    { MMIO_BASE + 0x40, 0, false, 0 },      /* any length */
};

/* How many times fd was signalled since the last call (non-blocking). */
static uint64_t eventfd_take(int fd)
{
    uint64_t n = 0;

    if (read(fd, &n, sizeof(n)) < 0) {
        g_assert_cmpint(errno, ==, EAGAIN);
        return 0;
    }
    return n;
}

static void mmio_writes_check(const MMIOWrite *want, unsigned n)
{
    g_assert_cmpuint(mmio_writes->len, ==, n);
    for (unsigned i = 0; i < n; i++) {
        MMIOWrite *w = &g_array_index(mmio_writes, MMIOWrite, i);

        g_assert_cmphex(w->addr, ==, want[i].addr);
        g_assert_cmphex(w->data, ==, want[i].data);
        g_assert_cmpuint(w->size, ==, want[i].size);
    }
}

static void test_kvm_ioeventfd(void)
{
    static const X86CPUTopology topo = { 1, 1, 1, 1, 1 };
    static const MMIOWrite refused = { MMIO_BASE + 0x10, 0x1235, 2 };
    static const MMIOWrite all[] = {
        { MMIO_BASE + 0x00, 0x11, 1 },
        { MMIO_BASE + 0x10, 0x1234, 2 },
        { MMIO_BASE + 0x10, 0x1235, 2 },
        { MMIO_BASE + 0x20, 0x12345678, 4 },
        { MMIO_BASE + 0x30, 0x1122334455667788ull, 8 },
        { MMIO_BASE + 0x40, 0x99, 2 },
    };
    int fds[ARRAY_SIZE(eventfd_cases)];
    Error *err = NULL;
    TestVM vm;

    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("/dev/kvm not available");
        return;
    }
    /* without a VM there is nothing to register with */
    g_assert_false(kvm_set_ioeventfd_mmio(0, MMIO_BASE, 4, false, 0, true,
                                          &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "error adding ioeventfd: "
                    "Function not implemented (38)");
    g_clear_pointer(&err, error_free);

    mmio_writes = g_array_new(false, false, sizeof(MMIOWrite));
    test_vm_init(&vm, RAM_SIZE, build_eventfd_rom);
    address_space_map(&address_space_memory, MMIO_BASE, 0x100, &mmio_ops,
                      NULL, "mmio-log", NULL);

    /* what QEMU's memory API cannot ask for is refused */
    g_assert_false(kvm_set_ioeventfd_mmio(0, MMIO_BASE, 3, false, 0, true,
                                          &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "error adding ioeventfd: invalid access size 3");
    g_clear_pointer(&err, error_free);
    g_assert_false(kvm_set_ioeventfd_mmio(0, MMIO_BASE, 0, true, 0, true,
                                          &err));
    g_clear_pointer(&err, error_free);
    g_assert_false(kvm_set_ioeventfd_mmio(0, MMIO_BASE, 2, true, 0x10000,
                                          true, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "error adding ioeventfd: "
                    "datamatch 0x10000 wider than 2 bytes");
    g_clear_pointer(&err, error_free);

    for (size_t i = 0; i < ARRAY_SIZE(eventfd_cases); i++) {
        const EventfdCase *c = &eventfd_cases[i];

        fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        g_assert_cmpint(fds[i], >=, 0);
        g_assert_true(kvm_set_ioeventfd_mmio(fds[i], c->addr, c->size,
                                             c->datamatch, c->data, true,
                                             &err));
    }
    /* KVM refuses the same registration twice */
    g_assert_false(kvm_set_ioeventfd_mmio(fds[0], eventfd_cases[0].addr, 1,
                                          false, 0, true, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "error adding ioeventfd: File exists (17)");
    g_clear_pointer(&err, error_free);

    g_assert_true(x86_cpu_parse_model("host", &err));
    g_assert_true(x86_cpus_create(1, &topo, &err));
    g_assert_true(cpus_start(false, &err));
    kvm_cpus_wait_exit_count(KVM_EXIT_INTERNAL_ERROR, 1);
    cpus_pause_all();

    /* each matching write signalled its eventfd, without an exit */
    for (size_t i = 0; i < ARRAY_SIZE(eventfd_cases); i++) {
        g_assert_cmpuint(eventfd_take(fds[i]), ==, 1);
    }
    /* the one write datamatch refused came out as MMIO */
    g_assert_cmpuint(kvm_cpus_exit_count(KVM_EXIT_MMIO), ==, 1);
    mmio_writes_check(&refused, 1);

    /* deassigned: every write is an MMIO exit again, no signal */
    for (size_t i = 0; i < ARRAY_SIZE(eventfd_cases); i++) {
        const EventfdCase *c = &eventfd_cases[i];

        g_assert_true(kvm_set_ioeventfd_mmio(fds[i], c->addr, c->size,
                                             c->datamatch, c->data, false,
                                             &err));
    }
    g_assert_false(kvm_set_ioeventfd_mmio(fds[0], eventfd_cases[0].addr, 1,
                                          false, 0, false, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "error deleting ioeventfd: No such file or directory (2)");
    g_clear_pointer(&err, error_free);
    g_array_set_size(mmio_writes, 0);
    cpus_reset_all();
    cpus_resume_all();
    kvm_cpus_wait_exit_count(KVM_EXIT_INTERNAL_ERROR, 2);
    cpus_pause_all();
    for (size_t i = 0; i < ARRAY_SIZE(eventfd_cases); i++) {
        g_assert_cmpuint(eventfd_take(fds[i]), ==, 0);
        close(fds[i]);
    }
    g_assert_cmpuint(kvm_cpus_exit_count(KVM_EXIT_MMIO), ==, 7);
    mmio_writes_check(all, ARRAY_SIZE(all));

    cpus_stop_all();
    address_space_clear(&address_space_memory);
    test_vm_destroy(&vm);
    g_array_free(mmio_writes, true);
}

/* ---- irqfd -------------------------------------------------------------- */

static struct kvm_irqchip irqchip_get(uint32_t chip_id)
{
    struct kvm_irqchip chip = { .chip_id = chip_id };

    g_assert_cmpint(ioctl(kvm_vm_fd(), KVM_GET_IRQCHIP, &chip), ==, 0);
    return chip;
}

static bool ioapic_irr(int pin)
{
    return irqchip_get(KVM_IRQCHIP_IOAPIC).chip.ioapic.irr & (1u << pin);
}

static bool pic_irr(int pin)
{
    return irqchip_get(KVM_IRQCHIP_PIC_MASTER).chip.pic.irr & (1u << pin);
}

static void eventfd_kick(int fd)
{
    uint64_t one = 1;

    g_assert_cmpint(write(fd, &one, sizeof(one)), ==, sizeof(one));
}

static void test_kvm_irqfd_full(void)
{
    Error *err = NULL;
    int fd, fd2, rfd;

    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("/dev/kvm not available");
        return;
    }
    g_assert_true(kvm_init(KVM_IRQCHIP_MODE_ON, false, 0, &err));
    fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    fd2 = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    rfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

    /*
     * Without resample: an edge on GSI 3. The in-kernel PIC latches it
     * (edge-triggered IRR), the IOAPIC input is low again after the pulse.
     * The injection runs in a kernel worker: removing the irqfd waits for
     * it, so the state is read after the removal.
     */
    g_assert_false(pic_irr(3));
    g_assert_true(kvm_irqchip_add_irqfd(fd, -1, 3, &err));
    eventfd_kick(fd);
    g_assert_true(kvm_irqchip_remove_irqfd(fd, 3, &err));
    g_assert_true(pic_irr(3));
    g_assert_false(ioapic_irr(3));

    /*
     * With a resample fd: the line stays asserted until an EOI, so the
     * (masked) IOAPIC pin keeps its IRR. Its worker sets it some time
     * after the write: wait for it (no timeout needed, it comes).
     */
    g_assert_true(kvm_irqchip_add_irqfd(fd2, rfd, 5, &err));
    g_assert_false(ioapic_irr(5));
    eventfd_kick(fd2);
    while (!ioapic_irr(5)) {
        g_thread_yield();
    }
    g_assert_true(pic_irr(5));
    /* KVM signals the resample fd on the guest's EOI only */
    g_assert_cmpuint(eventfd_take(rfd), ==, 0);
    /* removal lowers the line */
    g_assert_true(kvm_irqchip_remove_irqfd(fd2, 5, &err));
    g_assert_false(ioapic_irr(5));

    /* errors */
    g_assert_true(kvm_irqchip_add_irqfd(fd, -1, 4, &err));
    g_assert_false(kvm_irqchip_add_irqfd(fd, -1, 4, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "failed to add irqfd on GSI 4: Device or resource busy");
    g_clear_pointer(&err, error_free);
    g_assert_true(kvm_irqchip_remove_irqfd(fd, 4, &err));
    g_assert_false(kvm_irqchip_add_irqfd(fd, -1, -1, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "irqfd: invalid GSI -1");
    g_clear_pointer(&err, error_free);

    close(fd);
    close(fd2);
    close(rfd);
    kvm_cleanup();
    g_assert_false(kvm_irqchip_add_irqfd(fd, -1, 3, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "irqfd needs KVM with an in-kernel irqchip");
    g_clear_pointer(&err, error_free);
}

#define LAPIC_SVR       0xf0
#define LAPIC_IRR       0x200

static uint32_t lapic_reg(const struct kvm_lapic_state *l, unsigned off)
{
    uint32_t v;

    memcpy(&v, &l->regs[off], sizeof(v));
    return v;
}

static bool lapic_irr(int vcpu_fd, unsigned vector)
{
    struct kvm_lapic_state l;

    g_assert_cmpint(ioctl(vcpu_fd, KVM_GET_LAPIC, &l), ==, 0);
    return lapic_reg(&l, LAPIC_IRR + vector / 32 * 0x10) &
           (1u << (vector % 32));
}

#define IOAPIC_LVT_LEVEL (1u << 15)

static void test_kvm_irqfd_split(void)
{
    IOAPICState *ioapic;
    struct kvm_lapic_state l;
    Error *err = NULL;
    int vcpu_fd, fd, fd2, rfd;
    uint32_t svr;

    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("/dev/kvm not available");
        return;
    }
    g_assert_true(kvm_init(KVM_IRQCHIP_MODE_SPLIT, false, 24, &err));
    /* a bare vCPU whose in-kernel LAPIC accepts fixed interrupts */
    vcpu_fd = ioctl(kvm_vm_fd(), KVM_CREATE_VCPU, 0ul);
    g_assert_cmpint(vcpu_fd, >=, 0);
    g_assert_cmpint(ioctl(vcpu_fd, KVM_GET_LAPIC, &l), ==, 0);
    svr = lapic_reg(&l, LAPIC_SVR) | 0x100;
    memcpy(&l.regs[LAPIC_SVR], &svr, sizeof(svr));
    g_assert_cmpint(ioctl(vcpu_fd, KVM_SET_LAPIC, &l), ==, 0);

    /* GSI 5: the IOAPIC pin's MSI route, vector 0x45 to APIC 0 */
    kvm_irqchip_update_msi_route(5, 0xfee00000, 0x45);
    kvm_irqchip_commit_routes();
    fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    fd2 = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    rfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    g_assert_true(kvm_irqchip_add_irqfd(fd, -1, 5, &err));
    g_assert_false(lapic_irr(vcpu_fd, 0x45));
    /* an MSI is injected within the write itself */
    eventfd_kick(fd);
    g_assert_true(lapic_irr(vcpu_fd, 0x45));
    g_assert_true(kvm_irqchip_remove_irqfd(fd, 5, &err));

    /*
     * With a resample fd: KVM cannot see the userspace IOAPIC's EOI; the
     * IOAPIC passes the EOI of a level-triggered pin on, and the resample
     * fd of that GSI alone fires (pin 5: edge, pin 7: level, no irqfd).
     */
    ioapic = ioapic_create(0xfec00000, NULL, &error_abort);
    ioapic->ioredtbl[5] = 0x46;
    ioapic->ioredtbl[6] = 0x46 | IOAPIC_LVT_LEVEL;
    ioapic->ioredtbl[7] = 0x46 | IOAPIC_LVT_LEVEL;
    g_assert_true(kvm_irqchip_add_irqfd(fd2, rfd, 6, &err));
    ioapic_eoi(ioapic, 0x47);
    g_assert_cmpuint(eventfd_take(rfd), ==, 0);
    ioapic_eoi(ioapic, 0x46);
    g_assert_cmpuint(eventfd_take(rfd), ==, 1);
    kvm_resample_fd_notify(5);
    g_assert_cmpuint(eventfd_take(rfd), ==, 0);
    g_assert_true(kvm_irqchip_remove_irqfd(fd2, 6, &err));
    ioapic_eoi(ioapic, 0x46);
    g_assert_cmpuint(eventfd_take(rfd), ==, 0);
    qdev_unrealize(DEVICE(ioapic));

    close(fd);
    close(fd2);
    close(rfd);
    close(vcpu_fd);
    kvm_cleanup();
}

/*
 * The split irqchip's route table has one route per IOAPIC pin: 48 with
 * two IOAPICs (GSI 24-47 are the second one's), and KVM takes it.
 */
static void test_kvm_route_table(void)
{
    Error *err = NULL;
    int hits = 0;

    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("/dev/kvm not available");
        return;
    }
    g_assert_true(kvm_init(KVM_IRQCHIP_MODE_SPLIT, false,
                           2 * 24, &err));
    g_assert_true(kvm_irqchip_is_split());
    kvm_irqchip_update_msi_route(2, 0xfee00000, 0x30);
    kvm_irqchip_update_msi_route(30, 0xfee00000, 0x8046);
    kvm_irqchip_update_msi_route(47, 0xfee01000, 0x47);
    kvm_irqchip_update_msi_route(48, 0xfee00000, 0x48);    /* no such pin */
    kvm_irqchip_update_msi_route(-1, 0xfee00000, 0x49);
    g_assert_cmpuint(kvm_irqchip_route_count(), ==, 3);
    g_assert_true(kvm_irqchip_commit_routes());
    /* the same route again changes nothing */
    kvm_irqchip_update_msi_route(30, 0xfee00000, 0x8046);
    g_assert_cmpuint(kvm_irqchip_route_count(), ==, 3);
    g_assert_true(kvm_irqchip_commit_routes());
    kvm_cleanup();

    /* one IOAPIC: 24 routes, GSI 24 on is nobody's */
    g_assert_true(kvm_init(KVM_IRQCHIP_MODE_SPLIT, false, 24, &err));
    kvm_irqchip_update_msi_route(23, 0xfee00000, 0x30);
    kvm_irqchip_update_msi_route(24, 0xfee00000, 0x31);
    hits = kvm_irqchip_route_count();
    g_assert_cmpint(hits, ==, 1);
    g_assert_true(kvm_irqchip_commit_routes());
    kvm_cleanup();
}

/* KVM_EXIT_IOAPIC_EOI reaches whatever hook the board registered. */
static int eoi_seen = -1;

static void eoi_hook(void *opaque, int vector)
{
    g_assert_true(opaque == &eoi_seen);
    eoi_seen = vector;
}

static void test_kvm_eoi_hook(void)
{
    kvm_ioapic_eoi(0x31);       /* no hook: nothing happens */
    g_assert_cmpint(eoi_seen, ==, -1);
    kvm_set_ioapic_eoi_hook(eoi_hook, &eoi_seen);
    kvm_ioapic_eoi(0x31);
    g_assert_cmpint(eoi_seen, ==, 0x31);
    kvm_cleanup();              /* the hook goes with the VM */
    kvm_ioapic_eoi(0x32);
    g_assert_cmpint(eoi_seen, ==, 0x31);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qdev_register_types();
    ioapic_register_types();
    g_test_add_func("/kvm/smoke", test_kvm_smoke);
    g_test_add_func("/kvm/route-table", test_kvm_route_table);
    g_test_add_func("/kvm/eoi-hook", test_kvm_eoi_hook);
    g_test_add_func("/kvm/paused-start", test_kvm_paused_start);
    g_test_add_func("/kvm/ioeventfd", test_kvm_ioeventfd);
    g_test_add_func("/kvm/irqfd/full-irqchip", test_kvm_irqfd_full);
    g_test_add_func("/kvm/irqfd/split-irqchip", test_kvm_irqfd_split);
    return g_test_run();
}
