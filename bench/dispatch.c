/*
 * dispatch: CPU time of one port or MMIO access through the address
 * spaces (system/memory.c), what a vCPU exit costs above KVM_RUN, on
 * the machine's layout (the ranges of -M microvm with ACPI: 24
 * virtio-mmio transports, 2 IOAPICs, the GED, the MSI window; the
 * legacy ports). Built, never run by the test suite.
 *
 *   build/bench-dispatch [N]
 *
 * Prints nanoseconds of thread CPU time per access for each kind.
 */
#include "qemu/osdep.h"
#include "system/memory.h"

static volatile uint64_t sink;

static uint64_t dev_read(void *opaque, uint64_t addr, unsigned size)
{
    return addr;
}

static void dev_write(void *opaque, uint64_t addr, uint64_t data,
                      unsigned size)
{
    sink += data;
}

static const MemoryRegionOps ops_bytes = {
    .read = dev_read, .write = dev_write,
    .impl.min_access_size = 1, .impl.max_access_size = 1,
};

static const MemoryRegionOps ops_any = {
    .read = dev_read, .write = dev_write,
};

static double thread_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void map_machine(void)
{
    static const uint64_t ports[][2] = {
        { 0x20, 2 }, { 0x40, 4 }, { 0x70, 2 }, { 0xa0, 2 }, { 0x3f8, 8 },
        { 0x4d0, 1 }, { 0x4d1, 1 }, { 0x510, 2 }, { 0x514, 8 },
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(ports); i++) {
        address_space_map(&address_space_io, ports[i][0], ports[i][1],
                          &ops_bytes, NULL, "port", NULL);
    }
    for (unsigned i = 0; i < 24; i++) {
        address_space_map(&address_space_memory, 0xfeb00000 + i * 0x200,
                          0x200, &ops_any, NULL, "virtio-mmio", NULL);
    }
    address_space_map(&address_space_memory, 0xfea00000, 4, &ops_any, NULL,
                      "acpi-ged", NULL);
    address_space_map(&address_space_memory, 0xfec00000, 0x1000, &ops_any,
                      NULL, "ioapic", NULL);
    address_space_map(&address_space_memory, 0xfec10000, 0x1000, &ops_any,
                      NULL, "ioapic", NULL);
    address_space_map(&address_space_memory, 0xfee00000, 0x100000,
                      &ops_any, NULL, "kvm-apic-msi", NULL);
}

static void run(const char *what, AddressSpace *as, uint64_t addr,
                unsigned size, bool write, long n)
{
    double t0 = thread_ns();
    uint64_t v;

    for (long i = 0; i < n; i++) {
        if (write) {
            address_space_write(as, addr, i, size);
        } else {
            address_space_read(as, addr, &v, size);
            sink += v;
        }
    }
    printf("%-36s %6.1f ns\n", what, (thread_ns() - t0) / n);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000000;

    map_machine();
    run("outb 0x3f8 (serial THR)", &address_space_io, 0x3f8, 1, true, n);
    run("inb 0x3fd (serial LSR)", &address_space_io, 0x3fd, 1, false, n);
    run("inl 0x20 (byte device, 4 calls)", &address_space_io, 0x20, 4,
        false, n);
    run("inb 0x80 (unassigned)", &address_space_io, 0x80, 1, false, n);
    run("readl virtio-mmio slot 23 +0x70", &address_space_memory,
        0xfeb02e70, 4, false, n);
    run("writel virtio-mmio slot 0 +0x50", &address_space_memory,
        0xfeb00050, 4, true, n);
    run("writel ioapic +0x10", &address_space_memory, 0xfec00010, 4, true,
        n);
    return 0;
}
