/*
 * kvm-setup-cost: the host kernel's share of a VM's lifetime, without a
 * VMM around it.  Creates a VM laid out as microvm's (RAM below 4 GiB,
 * 64 KiB firmware at 1 MiB - 64 KiB and 4 GiB - 64 KiB, 128 MiB), one
 * vCPU, and the interrupt controllers named on the command line, then
 * exits; run it under bench/lifecycle's timing (or `perf stat -r 30`) to
 * see what each in-kernel device costs at creation plus tear-down.
 *
 *   gcc -O2 -o kvm-setup-cost bench/kvm-setup-cost.c
 *   ./kvm-setup-cost none | split | irqchip | irqchip+pit
 *
 * Ioctls as QEMU 7.2 issues them (kvm_init, kvm_arch_init,
 * kvm_irqchip_create, kvm_pit_init); a benchmark helper, not a test.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MiB (1024UL * 1024)

static int vm_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
    int r = ioctl(fd, req, arg);

    if (r < 0) {
        perror(what);
    }
    return r;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "irqchip+pit";
    size_t ram_size = 128 * MiB;
    uint64_t identity = 0xfeffc000;
    int kvm, vm;
    uint8_t *ram, *rom;

    kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) {
        perror("/dev/kvm");
        return 1;
    }
    vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) {
        perror("KVM_CREATE_VM");
        return 1;
    }
    vm_ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &identity, "identity map");
    vm_ioctl(vm, KVM_SET_TSS_ADDR, (void *)0xfeffd000UL, "TSS");
    if (!strcmp(mode, "split")) {
        struct kvm_enable_cap cap = {
            .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { 24 },
        };

        vm_ioctl(vm, KVM_ENABLE_CAP, &cap, "KVM_CAP_SPLIT_IRQCHIP");
    } else if (!strncmp(mode, "irqchip", 7)) {
        vm_ioctl(vm, KVM_CREATE_IRQCHIP, NULL, "KVM_CREATE_IRQCHIP");
        if (strstr(mode, "+pit")) {
            struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

            vm_ioctl(vm, KVM_CREATE_PIT2, &pit, "KVM_CREATE_PIT2");
        }
    } else if (strcmp(mode, "none")) {
        fprintf(stderr, "usage: %s none|split|irqchip|irqchip+pit\n",
                argv[0]);
        return 2;
    }

    ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rom = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ram == MAP_FAILED || rom == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    struct kvm_userspace_memory_region slots[] = {
        { 0, 0, 0, 0xf0000, (uintptr_t)ram },
        { 1, 0, 0xf0000, 0x10000, (uintptr_t)rom },
        { 2, 0, 1 * MiB, ram_size - 1 * MiB, (uintptr_t)(ram + 1 * MiB) },
        { 3, 0, 0xffff0000, 0x10000, (uintptr_t)rom },
    };
    for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
        vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slots[i], "memslot");
    }
    if (ioctl(vm, KVM_CREATE_VCPU, 0) < 0) {
        perror("KVM_CREATE_VCPU");
        return 1;
    }
    /* The VM is destroyed by exit(), as a VMM's would be. */
    return 0;
}
