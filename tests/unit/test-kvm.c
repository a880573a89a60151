/*
 * KVM smoke test: a VM with a few bytes of real-mode code at the reset
 * vector does port I/O through address_space_io, then hits an
 * instruction the emulated KVM cannot run; checks the dispatch, the reset
 * state (EDX = CPUID(1).EAX at f000:fff0), the internal-error path, and
 * that cpus_reset_all() brings the vCPU back to the reset vector.
 * Skipped when /dev/kvm is absent.
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"
#include "qemu/thread.h"
#include "system/cpus.h"
#include "system/main-loop.h"
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
    .min_access_size = 1, .max_access_size = 1,
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

static void test_kvm_smoke(void)
{
    static const X86CPUTopology topo = { 1, 1, 1, 1, 1 };
    Error *err = NULL;
    GuestMemory *mem;
    uint8_t *ram, *rom;
    uint32_t want[4];

    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("/dev/kvm not available");
        return;
    }
    qemu_mutex_init(&port_log.lock);
    port_log.writes = g_array_new(false, false, sizeof(uint32_t));
    g_assert_true(kvm_init(KVM_IRQCHIP_MODE_ON, false, 0, &err));
    g_assert_null(err);

    /* Memslots must be page aligned on the host side too. */
    ram = mmap(NULL, 1 * MiB, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rom = mmap(NULL, ROM_SIZE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert_true(ram != MAP_FAILED && rom != MAP_FAILED);
    build_rom(rom);
    mem = guest_memory_new();
    guest_memory_add(mem, 0, 1 * MiB, ram, false, "ram");
    guest_memory_add(mem, ROM_BASE, ROM_SIZE, rom, true, "rom");
    g_assert_true(kvm_map_guest_memory(mem, &err));
    address_space_map(&address_space_io, 0x80, 4, &port_ops, NULL, "log",
                      NULL);

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
    qemu_mutex_destroy(&port_log.lock);
    address_space_clear(&address_space_io);
    kvm_cleanup();
    guest_memory_free(mem);
    munmap(ram, 1 * MiB);
    munmap(rom, ROM_SIZE);
    g_array_free(port_log.writes, true);
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
    g_test_add_func("/kvm/smoke", test_kvm_smoke);
    g_test_add_func("/kvm/route-table", test_kvm_route_table);
    g_test_add_func("/kvm/eoi-hook", test_kvm_eoi_hook);
    return g_test_run();
}
