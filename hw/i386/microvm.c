/*
 * The microvm board: guest RAM, KVM, vCPUs, the ISA devices, the firmware
 * and fw_cfg, wired as QEMU 7.2's hw/i386/microvm.c does.
 *
 * Only wiring lives here: the devices are in hw/, the fw_cfg contents in
 * hw/i386/x86-fw-cfg.c, the kernel loaders in hw/i386/x86-linux-loader.c,
 * pvh-loader.c and multiboot.c, guest RAM in backends/.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/i386/microvm.h"
#include "system/hostmem.h"
#include "hw/core/qdev.h"
#include "chardev/char.h"
#include "hw/char/serial.h"
#include "hw/i386/x86-loader.h"
#include "hw/i386/acpi-microvm.h"
#include "hw/intc/apic-msi.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/virtio/virtio-mmio.h"
#include "system/cpus.h"
#include "system/kvm.h"
#include "system/runstate.h"
#include "target/i386/kvm-i386.h"
#include "system/system.h"

#include <sys/mman.h>
#include <sys/stat.h>

#define MICROVM_QBOOT_FILENAME "qboot.rom"
#define MICROVM_BIOS_FILENAME "bios-microvm.bin"

static const Property microvm_properties[] = {
    DEFINE_PROP_ON_OFF_AUTO("acpi", MicrovmMachineState, acpi,
                            ON_OFF_AUTO_AUTO, "Enable ACPI"),
    DEFINE_PROP_BOOL("auto-kernel-cmdline", MicrovmMachineState,
                     auto_kernel_cmdline, true,
                     "Set off to disable adding virtio-mmio devices to "
                     "the kernel cmdline"),
    DEFINE_PROP_STRING("append", MicrovmMachineState, append,
                       "Linux kernel command line"),
    DEFINE_PROP_BOOL("dump-guest-core", MicrovmMachineState, dump_guest_core,
                     true, "Include guest memory in a core dump"),
    DEFINE_PROP_STRING("firmware", MicrovmMachineState, firmware,
                       "Firmware image"),
    DEFINE_PROP_BOOL("graphics", MicrovmMachineState, graphics, true,
                     "Set on/off to enable/disable graphics emulation"),
    DEFINE_PROP_STRING("initrd", MicrovmMachineState, initrd,
                       "Linux initial ramdisk file"),
    DEFINE_PROP_ON_OFF_AUTO("ioapic2", MicrovmMachineState, ioapic2,
                            ON_OFF_AUTO_AUTO, "Enable second IO-APIC"),
    DEFINE_PROP_BOOL("isa-serial", MicrovmMachineState, isa_serial, true,
                     "Set off to disable the instantiation an ISA serial "
                     "port"),
    DEFINE_PROP_STRING("kernel", MicrovmMachineState, kernel,
                       "Linux kernel image file"),
    /* the id of a -object memory-backend-* (vl-machine.c resolves it) */
    { .name = "memory-backend", .info = &prop_info_string,
      .offset = offsetof(MicrovmMachineState, memory_backend),
      .type_name = "link<memory-backend>",
      .description = "Set RAM backendValid value is ID of hostmem based "
                     "backend" },
    DEFINE_PROP_BOOL("mem-merge", MicrovmMachineState, mem_merge, true,
                     "Enable/disable memory merge support"),
    DEFINE_PROP_ON_OFF_AUTO("pcie", MicrovmMachineState, pcie,
                            ON_OFF_AUTO_AUTO, "Enable PCIe"),
    DEFINE_PROP_ON_OFF_AUTO("pic", MicrovmMachineState, pic,
                            ON_OFF_AUTO_AUTO, "Enable i8259 PIC"),
    DEFINE_PROP_ON_OFF_AUTO("pit", MicrovmMachineState, pit,
                            ON_OFF_AUTO_AUTO, "Enable i8254 PIT"),
    DEFINE_PROP_ON_OFF_AUTO("rtc", MicrovmMachineState, rtc,
                            ON_OFF_AUTO_AUTO, "Enable MC146818 RTC"),
    DEFINE_PROP_BOOL("usb", MicrovmMachineState, usb, false,
                     "Set on/off to enable/disable usb"),
    DEFINE_PROP_BOOL("x-option-roms", MicrovmMachineState, option_roms, true,
                     "Set off to disable loading option ROMs"),
    DEFINE_PROP_END_OF_LIST(),
};

/*
 * Guest RAM is a memory backend (-machine memory-backend=, or the default
 * "microvm.ram" that QEMU creates, on -mem-path if given), mapped by
 * backends/ and never touched here. The backend asks for transparent huge
 * pages as QEMU does; the first 4 MiB are left out: KVM can never map
 * guest 0-2 MiB with a huge page (the ISA BIOS window splits the RAM slots
 * at 0xe0000-1 MiB), and a huge page there would only make the firmware's
 * first touch cost 2 MiB of RSS.
 */
static void microvm_use_ram(MicrovmMachineState *mms)
{
    mms->ram = host_memory_backend_get_ptr(mms->ram_backend);
    madvise(mms->ram, MIN(mms->ram_size, 4 * MiB), MADV_NOHUGEPAGE);
}

/*
 * The firmware file's size as QEMU's get_image_size() finds it, an
 * lseek() to the end: 0 for a character device such as /dev/zero, an
 * error for a fifo or socket. Opened non-blocking, so that a fifo fails
 * at once where QEMU's open() waits for a writer; returns -1 on error.
 */
static bool microvm_read_bios(int fd, uint8_t *buf, size_t size)
{
    size_t done = 0;

    while (done < size) {
        ssize_t n = pread(fd, buf + done, size - done, done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += n;
    }
    return true;
}

/*
 * The firmware, as QEMU's x86_bios_rom_init(isapc_ram_fw = true): a
 * writable copy at 4 GiB - size, its last 128 KiB also at 1 MiB - 128 KiB
 * (over RAM), reloaded from the file image on every reset. The size must
 * be a non-zero multiple of 64 KiB below 2 GiB (QEMU's int bios_size);
 * checked before anything is allocated or read. QEMU prints this error
 * raw, without the program-name prefix.
 */
static bool microvm_load_bios(MicrovmMachineState *mms, Error **errp)
{
    const char *name = mms->info.firmware_name;
    g_autofree char *path = qemu_find_file(name);
    g_autofree uint8_t *contents = NULL;
    int64_t size = -1;
    struct stat st;
    int fd = -1;

    if (path) {
        fd = x86_loader_open(path, &st);
    }
    if (fd >= 0) {
        size = lseek(fd, 0, SEEK_END);  /* a block device's st_size is 0 */
    }
    if (size > (int64_t)MICROVM_BIOS_MAX_SIZE && size < 2 * GiB &&
        size % (64 * KiB) == 0) {
        close(fd);
        error_setg_raw(errp, "qemu: could not load PC BIOS '%s': larger "
                       "than %d MiB, which would cover the device windows "
                       "(not supported by microqemu)", name,
                       (int)(MICROVM_BIOS_MAX_SIZE / MiB));
        return false;
    }
    if (size > 0 && size <= (int64_t)MICROVM_BIOS_MAX_SIZE &&
        size % (64 * KiB) == 0) {
        contents = g_try_malloc(size);
    }
    if (!contents || !microvm_read_bios(fd, contents, size)) {
        if (fd >= 0) {
            close(fd);
        }
        error_setg_raw(errp, "qemu: could not load PC BIOS '%s'", name);
        return false;
    }
    close(fd);
    mms->bios = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mms->bios == MAP_FAILED) {
        mms->bios = NULL;
        error_setg_raw(errp, "qemu: could not load PC BIOS '%s'", name);
        return false;
    }
    mms->bios_image = g_steal_pointer(&contents);
    mms->bios_size = size;
    memcpy(mms->bios, mms->bios_image, size);
    return true;
}

static void microvm_map_memory(MicrovmMachineState *mms)
{
    GuestMemory *mem = mms->mem;
    uint8_t *ram = mms->ram;
    uint64_t below = mms->info.below_4g_mem_size;
    uint64_t isa_bios_size = MIN(mms->bios_size, 128 * KiB);
    uint64_t isa_bios_base = 1 * MiB - isa_bios_size;

    guest_memory_add(mem, 0, MIN(below, isa_bios_base), ram, false,
                     "ram-below-4g");
    guest_memory_add(mem, isa_bios_base, isa_bios_size,
                     (uint8_t *)mms->bios + mms->bios_size - isa_bios_size,
                     false, "isa-bios");
    if (below > 1 * MiB) {
        guest_memory_add(mem, 1 * MiB, below - 1 * MiB, ram + 1 * MiB, false,
                         "ram-below-4g");
    }
    guest_memory_add(mem, 4 * GiB - mms->bios_size, mms->bios_size,
                     mms->bios, false, "pc.bios");
    if (mms->info.above_4g_mem_size) {
        guest_memory_add(mem, 4 * GiB, mms->info.above_4g_mem_size,
                         ram + below, false, "ram-above-4g");
    }
}

/* ---- The interrupt controllers' glue to KVM ---------------------------- */

/* kernel-irqchip=on: KVM forwards an ISA line to its PIC and IOAPIC. */
static void microvm_kernel_irqchip_set(int gsi, int level)
{
    kvm_set_irq(gsi, level);
}

static void microvm_ioapic_update_route(void *opaque, int gsi, uint64_t addr,
                                        uint32_t data)
{
    kvm_irqchip_update_msi_route(gsi, addr, data);
}

static void microvm_ioapic_commit_routes(void *opaque)
{
    kvm_irqchip_commit_routes();
}

/* QEMU's ioapic_service() with kvm_irqchip_is_split(): the pin's GSI. */
static void microvm_ioapic_deliver(void *opaque, int gsi, uint64_t addr,
                                   uint32_t data, bool level_triggered)
{
    kvm_set_irq(gsi, 1);
    if (!level_triggered) {
        kvm_set_irq(gsi, 0);
    }
}

static int microvm_pic_ack(void *opaque)
{
    MicrovmMachineState *mms = opaque;

    return i8259_read_irq(mms->pic_dev);
}

/* Every IOAPIC sees a level-triggered vector's EOI. */
static void microvm_ioapic_eoi(void *opaque, int vector)
{
    MicrovmMachineState *mms = opaque;

    gsi_eoi_broadcast(&mms->gsi, vector);
}

static void microvm_pic_out(void *opaque, int n, int level)
{
    kvm_cpus_set_extint(level);
}

static void microvm_pic_out_unused(void *opaque, int n, int level)
{
}

/*
 * kernel-irqchip=on: what QEMU 7.2 still maps in userspace, which the
 * accesses KVM does not take itself (wider than its device, or
 * straddling it) reach: "kvm-ioapic" and "kvm-pit" with no registers
 * (refused, logged, read 0), and, since microvm_devices_init() calls
 * i8259_init() whatever the irqchip, a userspace PIC pair behind KVM's,
 * fed the ISA lines (gsi_handler) but driving nothing (pic_irq_request's
 * CPU_INTERRUPT_HARD is ignored with the irqchip in KVM).
 */
static bool microvm_create_kernel_irqchip_shadows(MicrovmMachineState *mms,
                                                  const uint64_t *bases,
                                                  Error **errp)
{
    for (unsigned i = 0; i < mms->info.ioapics; i++) {
        address_space_map(&address_space_memory, bases[i], IOAPIC_MMIO_SIZE,
                          &unassigned_mem_ops, NULL, "kvm-ioapic", mms);
    }
    if (mms->info.pit) {
        address_space_map(&address_space_io, MICROVM_PIT_IO_BASE, 4,
                          &unassigned_mem_ops, NULL, "kvm-pit", mms);
    }
    if (mms->info.pic) {
        mms->pic_out = qemu_allocate_irq(microvm_pic_out_unused, mms, 0);
        mms->pic_dev = i8259_create(mms->pic_out, errp);
        if (!mms->pic_dev) {
            return false;
        }
        for (int i = 0; i < ISA_NUM_IRQS; i++) {
            mms->gsi.i8259_irq[i] = mms->pic_dev->in[i];
        }
    }
    return true;
}

/*
 * QEMU 7.2 microvm_devices_init(): the GSI array (24 lines per IOAPIC),
 * the ISA bus on GSI 0-15, the IOAPICs at 0xfec00000 (and 0xfec10000 for
 * GSI 24-47) and, with pic=on/auto, the PIC pair on the BSP's INT line.
 * With kernel-irqchip=on the IOAPIC and PIC are KVM's.
 */
static bool microvm_create_irqchip(MicrovmMachineState *mms, Error **errp)
{
    static const uint64_t ioapic_bases[MICROVM_MAX_IOAPICS] = {
        MICROVM_IOAPIC_BASE, MICROVM_IOAPIC2_BASE,
    };
    IOAPICBackend be = {
        .update_route = microvm_ioapic_update_route,
        .commit_routes = microvm_ioapic_commit_routes,
        .deliver = microvm_ioapic_deliver,
        .eoi_broadcast = microvm_ioapic_eoi,
        .opaque = mms,
    };

    gsi_init(&mms->gsi, mms->info.ioapics);
    isa_bus_init(mms->gsi.gsi);
    if (!kvm_irqchip_is_split()) {
        mms->gsi.kernel_irqchip = microvm_kernel_irqchip_set;
        return microvm_create_kernel_irqchip_shadows(mms, ioapic_bases, errp);
    }
    if (mms->info.pic) {
        be.extint_vector = microvm_pic_ack;
    }
    if (!gsi_create_ioapics(&mms->gsi, ioapic_bases, &be, errp)) {
        return false;
    }
    kvm_set_ioapic_eoi_hook(microvm_ioapic_eoi, mms);
    if (mms->info.pic) {
        mms->pic_out = qemu_allocate_irq(microvm_pic_out, mms, 0);
        mms->pic_dev = i8259_create(mms->pic_out, errp);
        if (!mms->pic_dev) {
            return false;
        }
        kvm_cpus_set_pic(microvm_pic_ack, mms);
        for (int i = 0; i < ISA_NUM_IRQS; i++) {
            mms->gsi.i8259_irq[i] = mms->pic_dev->in[i];
        }
    }
    return true;
}

void microvm_layout(X86MachineInfo *info)
{
    info->ioapics = info->acpi && info->ioapic2 ? 2 : 1;
    info->virtio_mmio_base = MICROVM_VIRTIO_MMIO_BASE;
    info->virtio_irq_base = MICROVM_VIRTIO_IRQ_BASE;
    info->virtio_num_transports = MICROVM_VIRTIO_TRANSPORTS;
    info->pcie_irq_base = 0;
    if (info->ioapics > 1) {
        info->pcie_irq_base = MICROVM_IOAPIC2_PCIE_IRQ_BASE;
        info->virtio_irq_base = MICROVM_IOAPIC2_IRQ_BASE;
        info->virtio_num_transports = IOAPIC_NUM_PINS;
    } else if (info->acpi) {
        info->pcie_irq_base = MICROVM_ACPI_PCIE_IRQ_BASE;
        info->virtio_irq_base = MICROVM_ACPI_VIRTIO_IRQ_BASE;
    }
}

/* One sysbus "virtio-mmio" per transport, on its GSI. */
static bool microvm_create_virtio_transports(MicrovmMachineState *mms,
                                             Error **errp)
{
    const X86MachineInfo *info = &mms->info;

    for (unsigned i = 0; i < info->virtio_num_transports; i++) {
        uint64_t base = info->virtio_mmio_base +
                        (uint64_t)i * MICROVM_VIRTIO_MMIO_SIZE;

        mms->virtio[i] = virtio_mmio_create(
            base, i, mms->gsi.gsi[info->virtio_irq_base + i], mms->mem,
            errp);
        if (!mms->virtio[i]) {
            return false;
        }
    }
    return true;
}

/* serial_hds_isa_init(bus, 0, 1): COM1 on the first -serial backend. */
static bool microvm_create_isa_serial(Error **errp)
{
    return serial_isa_init(0, serial_hd(0), errp) != NULL;
}

/* QEMU's microvm_set_rtc(): the memory sizes firmware reads from CMOS. */
static void microvm_set_rtc(MicrovmMachineState *mms, DeviceState *rtc)
{
    uint64_t below = mms->info.below_4g_mem_size;
    uint64_t val;

    val = MIN(below / KiB, 640);
    rtc_set_memory(rtc, 0x15, val);
    rtc_set_memory(rtc, 0x16, val >> 8);
    /* extended memory (next 64 MiB) */
    val = below > 1 * MiB ? MIN((below - 1 * MiB) / KiB, 65535) : 0;
    rtc_set_memory(rtc, 0x17, val);
    rtc_set_memory(rtc, 0x18, val >> 8);
    rtc_set_memory(rtc, 0x30, val);
    rtc_set_memory(rtc, 0x31, val >> 8);
    /* memory between 16 MiB and 4 GiB, in 64 KiB units */
    val = below > 16 * MiB ? MIN((below - 16 * MiB) / (64 * KiB), 65535) : 0;
    rtc_set_memory(rtc, 0x34, val);
    rtc_set_memory(rtc, 0x35, val >> 8);
    /* memory above 4 GiB, in 64 KiB units */
    val = mms->info.above_4g_mem_size / (64 * KiB);
    rtc_set_memory(rtc, 0x5b, val);
    rtc_set_memory(rtc, 0x5c, val >> 8);
    rtc_set_memory(rtc, 0x5d, val >> 16);
}

static bool microvm_create_rtc(MicrovmMachineState *mms, Error **errp)
{
    Object *obj = object_new(TYPE_MC146818_RTC);

    /* mc146818_rtc_init(isa_bus, 2000, NULL): a real century byte */
    if (!object_property_parse(obj, "base_year", "2000", errp)) {
        object_unref(obj);
        return false;
    }
    if (!qdev_realize_and_unref(DEVICE(obj), errp)) {
        return false;
    }
    microvm_set_rtc(mms, DEVICE(obj));
    return true;
}

/* QEMU's microvm_powerdown_req: the power button is a GED event */
static void microvm_powerdown_req(Notifier *notifier, void *data)
{
    MicrovmMachineState *mms = container_of(notifier, MicrovmMachineState,
                                            powerdown_req);

    acpi_ged_send_event(mms->ged, ACPI_GED_PWR_DOWN_EVT);
}

/* microvm_devices_init: with ACPI, the GED after the virtio transports */
static bool microvm_create_ged(MicrovmMachineState *mms, Error **errp)
{
    mms->ged = acpi_ged_create(ACPI_GED_PWR_DOWN_EVT, MICROVM_GED_BASE,
                               MICROVM_GED_BASE_REGS,
                               mms->gsi.gsi[MICROVM_GED_IRQ], errp);
    if (!mms->ged) {
        return false;
    }
    mms->powerdown_req.notify = microvm_powerdown_req;
    qemu_register_powerdown_notifier(&mms->powerdown_req);
    return true;
}

static void microvm_fill_info(MicrovmMachineState *mms)
{
    X86MachineInfo *info = &mms->info;
    uint64_t lowmem = MICROVM_MAX_BELOW_4G;

    info->ram_size = mms->ram_size;
    info->below_4g_mem_size = MIN(mms->ram_size, lowmem);
    info->above_4g_mem_size = mms->ram_size > lowmem ?
                              mms->ram_size - lowmem : 0;
    info->boot_cpus = mms->smp_cpus;
    info->max_cpus = mms->smp_max_cpus;
    info->sockets = mms->sockets;
    info->dies = mms->dies;
    info->cores = mms->cores;
    info->threads = mms->threads;
    info->apic_id_limit = x86_apic_id_from_index(info, info->max_cpus - 1) + 1;

    info->acpi = mms->acpi != ON_OFF_AUTO_OFF;
    /* As QEMU 7.2: auto means on for the PIC and PIT; with KVM an auto
     * RTC is left out; the second IOAPIC and PCIe need ACPI. */
    info->pic = mms->pic != ON_OFF_AUTO_OFF;
    info->pit = mms->pit != ON_OFF_AUTO_OFF;
    info->rtc = mms->rtc == ON_OFF_AUTO_ON;
    info->ioapic2 = info->acpi && mms->ioapic2 != ON_OFF_AUTO_OFF;
    info->ioapic_in_kernel = mms->irqchip == KVM_IRQCHIP_MODE_ON;
    info->pcie = info->acpi && mms->pcie == ON_OFF_AUTO_ON;
    /* serial_hds_isa_init() creates COM1 only for a -serial backend */
    info->isa_serial = mms->isa_serial && serial_hd(0);
    info->option_roms = mms->option_roms;
    info->auto_kernel_cmdline = mms->auto_kernel_cmdline;

    info->kernel_filename = mms->kernel;
    info->initrd_filename = mms->initrd;
    info->kernel_cmdline = mms->append ? mms->append : "";
    info->firmware_name = mms->firmware ? mms->firmware :
                          info->acpi ? MICROVM_BIOS_FILENAME :
                          MICROVM_QBOOT_FILENAME;
    info->no_graphic = !mms->graphics;
    microvm_layout(info);
}

bool microvm_machine_init(MicrovmMachineState *mms, Error **errp)
{
    X86CPUTopology topo;

    microvm_fill_info(mms);
    if (!kvm_init(mms->irqchip, mms->info.pit,
                  IOAPIC_NUM_PINS * mms->info.ioapics, errp)) {
        return false;
    }
    if (!kvm_check_vcpu_limits(mms->smp_cpus, mms->smp_max_cpus, errp)) {
        return false;
    }
    /* QEMU builds an XHCI controller and a PCIe host for these (with
     * ACPI only; without, it ignores them) */
    if (mms->info.acpi && mms->usb) {
        error_setg(errp, "usb=on is not supported by microqemu");
        return false;
    }
    if (mms->info.pcie) {
        error_setg(errp, "pcie=on is not supported by microqemu");
        return false;
    }
    microvm_use_ram(mms);
    mms->mem = guest_memory_new();
    mms->info.mem = mms->mem;
    if (!microvm_load_bios(mms, errp)) {
        return false;
    }
    microvm_map_memory(mms);
    if (!kvm_map_guest_memory(mms->mem, errp)) {
        return false;
    }

    topo = (X86CPUTopology) {
        .sockets = mms->sockets, .dies = mms->dies, .cores = mms->cores,
        .threads = mms->threads, .max_cpus = mms->smp_max_cpus,
    };
    if (!x86_cpus_create(mms->smp_cpus, &topo, errp)) {
        return false;
    }

    if (!microvm_create_irqchip(mms, errp)) {
        return false;
    }
    /* The first APIC's "kvm-apic-msi" region (QEMU's apic_common_realize
     * maps it once, at the default APIC base), split or full irqchip. */
    apic_msi_map(MICROVM_LAPIC_BASE, kvm_irqchip_send_msi,
                 x86_cpu_has_msi_ext_dest_id, mms);
    if (kvm_irqchip_is_split() && mms->info.pit &&
        !i8254_create(mms->gsi.gsi[MICROVM_PIT_IRQ], MICROVM_PIT_IO_BASE,
                      errp)) {
        return false;
    }
    if (!microvm_create_virtio_transports(mms, errp)) {
        return false;
    }
    if (mms->info.acpi && !microvm_create_ged(mms, errp)) {
        return false;
    }

    mms->fw_cfg = x86_fw_cfg_create(&mms->info, errp);
    if (!mms->fw_cfg) {
        return false;
    }
    fw_cfg_io_map(mms->fw_cfg);

    mms->option_rom_names = g_ptr_array_new_with_free_func(g_free);
    if (mms->kernel &&
        !x86_load_linux(mms->fw_cfg, &mms->info, mms->option_rom_names,
                        errp)) {
        return false;
    }
    if (mms->info.rtc && !microvm_create_rtc(mms, errp)) {
        return false;
    }
    if (mms->info.isa_serial && !microvm_create_isa_serial(errp)) {
        return false;
    }
    return true;
}

/*
 * The ISA bus's serial ports and RTCs, newest first, for the device tree
 * and the DSDT (QEMU 7.2 dt_setup_isa_bus and isa_build_aml read their
 * iobase, irq and index).
 */
static GArray *microvm_isa_nodes(void)
{
    GArray *list = g_array_new(false, false, sizeof(X86IsaNode));
    g_autoptr(GPtrArray) kids = NULL;

    if (!isa_bus_get()) {
        return list;
    }
    kids = qbus_children(&isa_bus_get()->bus);
    for (guint i = 0; i < kids->len; i++) {
        Object *obj = g_ptr_array_index(kids, i);
        X86IsaNode n;

        if (object_dynamic_cast(obj, TYPE_ISA_SERIAL)) {
            ISASerialState *s = ISA_SERIAL(obj);

            n = (X86IsaNode){ X86_ISA_SERIAL, s->iobase, s->isairq,
                              s->index };
        } else if (object_dynamic_cast(obj, TYPE_MC146818_RTC)) {
            MC146818RtcState *s = MC146818_RTC(obj);

            n = (X86IsaNode){ X86_ISA_RTC, s->io_base, s->isairq, 0 };
        } else {
            continue;
        }
        g_array_append_val(list, n);
    }
    return list;
}

bool microvm_machine_done(MicrovmMachineState *mms, Error **errp)
{
    /* -device has filled the slots: what the device tree and the kernel
     * command line list */
    mms->info.virtio_mmio_plugged = 0;
    for (unsigned i = 0; i < mms->info.virtio_num_transports; i++) {
        if (virtio_mmio_is_plugged(mms->virtio[i])) {
            mms->info.virtio_mmio_plugged |= 1u << i;
        }
    }
    /* QEMU's microvm_machine_done: the ACPI tables, then (in
     * x86_fw_cfg_machine_done) the device tree */
    if (mms->info.isa_nodes) {
        g_array_free(mms->info.isa_nodes, true);
    }
    mms->info.isa_nodes = microvm_isa_nodes();
    acpi_setup_microvm(mms->fw_cfg, &mms->info);
    if (!x86_fw_cfg_machine_done(mms->fw_cfg, &mms->info,
                                 mms->option_rom_names, errp)) {
        return false;
    }
    /* qemu_machine_creation_done(), after the machine-done notifiers */
    return x86_loader_rom_check(mms->info.firmware_name, mms->bios_size,
                                errp);
}

char *microvm_virtio_cmdline(const X86MachineInfo *info, const char *cmdline)
{
    GString *s = g_string_new(cmdline);

    for (int i = info->virtio_num_transports - 1; i >= 0; i--) {
        if (info->virtio_mmio_plugged & (1u << i)) {
            g_string_append_printf(s, " virtio_mmio.device=512@0x%" PRIx64
                                   ":%" PRIu32,
                                   info->virtio_mmio_base +
                                   (uint64_t)i * MICROVM_VIRTIO_MMIO_SIZE,
                                   info->virtio_irq_base + i);
        }
    }
    return g_string_free(s, false);
}

/*
 * QEMU's microvm_fix_kernel_cmdline(): on the first reset, with ACPI off,
 * the command line items are rewritten from -append plus a
 * "virtio_mmio.device=" entry per transport with a device plugged.
 * Visible for every kernel format: a multiboot kernel, whose loader sets
 * no command line item, gets them here.
 */
static void microvm_fix_kernel_cmdline(MicrovmMachineState *mms)
{
    g_autofree char *cmdline =
        microvm_virtio_cmdline(&mms->info, mms->info.kernel_cmdline);

    fw_cfg_modify_i32(mms->fw_cfg, FW_CFG_CMDLINE_SIZE, strlen(cmdline) + 1);
    fw_cfg_modify_string(mms->fw_cfg, FW_CFG_CMDLINE_DATA, cmdline);
}

/*
 * QEMU's microvm_machine_reset(): the command-line fix-up once, the
 * firmware image and any ELF kernel copied back (ROM blobs in QEMU), then
 * every device in realize order (qdev_reset_all: the IOAPICs, PIC and PIT
 * first, as they are created first), then the vCPUs.
 */
void microvm_machine_reset(MicrovmMachineState *mms)
{
    if (!mms->info.acpi && mms->kernel && mms->auto_kernel_cmdline &&
        !mms->kernel_cmdline_fixed) {
        microvm_fix_kernel_cmdline(mms);
        mms->kernel_cmdline_fixed = true;
    }
    memcpy(mms->bios, mms->bios_image, mms->bios_size);
    x86_loader_rom_reset(mms->mem);
    qdev_reset_all();
    cpus_reset_all();
}

static void microvm_class_init(ObjectClass *oc, void *data)
{
    object_class_add_properties(oc, microvm_properties);
    /* -M microvm,help lists class properties: no defaults shown */
    oc->class_property_help = true;
}

static void microvm_instance_init(Object *obj)
{
    MicrovmMachineState *mms = MICROVM_MACHINE(obj);

    mms->ram_size = 128 * MiB;          /* QEMU's default_ram_size */
    mms->smp_cpus = mms->smp_max_cpus = 1;
    mms->sockets = mms->dies = mms->cores = mms->threads = 1;
    mms->irqchip = KVM_IRQCHIP_MODE_SPLIT; /* default_kernel_irqchip_split */
}

static void microvm_instance_finalize(Object *obj)
{
    MicrovmMachineState *mms = MICROVM_MACHINE(obj);

    if (mms->option_rom_names) {
        g_ptr_array_unref(mms->option_rom_names);
    }
    i8259_free(mms->pic_dev);
    gsi_cleanup(&mms->gsi);
    if (mms->pic_out) {
        qemu_free_irq(mms->pic_out);
    }
    if (mms->ged) {
        notifier_remove(&mms->powerdown_req);
    }
    if (mms->mem) {
        guest_memory_free(mms->mem);
    }
    if (mms->bios) {
        munmap(mms->bios, mms->bios_size);
    }
    g_free(mms->bios_image);
    if (mms->info.isa_nodes) {
        g_array_free(mms->info.isa_nodes, true);
    }
}

static const TypeInfo machine_type_info = {
    .name = TYPE_MACHINE,
    .parent = TYPE_OBJECT,
    .abstract = true,
    .instance_size = sizeof(Object),
};

static const TypeInfo microvm_type_info = {
    .name = TYPE_MICROVM_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(MicrovmMachineState),
    .instance_init = microvm_instance_init,
    .instance_finalize = microvm_instance_finalize,
    .class_init = microvm_class_init,
};

void microvm_register_types(void)
{
    type_register_static(&machine_type_info);
    type_register_static(&microvm_type_info);
}
