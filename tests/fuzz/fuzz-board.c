/*
 * The board of -M microvm (ACPI on: two IOAPICs) as a guest sees it,
 * without KVM, for fuzzing: the GSI array, both IOAPICs, the PIC pair
 * and ELCR, the PIT, the RTC, COM1 (on a null chardev), the GED, fw_cfg
 * with DMA on 64 KiB of guest RAM and the items a boot adds, 24 empty
 * virtio-mmio transports and the LAPIC's MSI window (an MSI recorder),
 * dispatched by system/memory.c as a vCPU's exits are. Whatever the
 * guest does, nothing may crash, hang, leak or touch memory outside
 * guest RAM.
 *
 * Input: byte 0 is the number of operations (at most 255), then 8 bytes
 * each, then the guest RAM's contents (fw_cfg DMA descriptors):
 *   byte 0   bits 0-2: 0 read, 1 write, 2 advance the virtual clock by
 *            value & 0x3ff ms (at most 50 ms per input in all: a PIT
 *            programmed to its fastest rate fires 1.2 M times per second
 *            of virtual time, which a sanitizer build needs seconds to
 *            run), 3 set GSI (offset % 48) to value & 1,
 *            4 a byte value for COM1's receiver, 5 an EOI for vector
 *            value & 0xff (the LAPIC's broadcast), 6 the CPU acks the
 *            PIC (INTA), 7 a machine reset;
 *            bits 3-7: the window (modulo the target's windows)
 *   byte 1   bits 0-2: size - 1 (any size 1-8, as KVM's MMIO exits);
 *            bits 3-7: offset bits 16-20
 *   bytes 2-3  offset bits 0-15 (the offset is modulo the window's size)
 *   bytes 4-7  value (little endian)
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "hw/acpi/generic_event_device.h"
#include "hw/char/serial.h"
#include "hw/core/qdev.h"
#include "hw/i386/microvm.h"
#include "hw/i386/x86-gsi.h"
#include "hw/intc/apic-msi.h"
#include "hw/intc/i8259.h"
#include "hw/intc/ioapic.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/rtc/mc146818rtc.h"
#include "hw/timer/i8254.h"
#include "hw/virtio/virtio-mmio.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "fuzz-board.h"

#define RAM_SIZE    0x10000
#define OP_SIZE     8
#define NUM_GSI     (2 * IOAPIC_NUM_PINS)
#define CLOCK_BUDGET_NS     (50 * SCALE_MS)

typedef struct FuzzBoard {
    GSIState gsi;
    PICState *pic;
    qemu_irq pic_out;
    DeviceState *com1;
    Chardev *chr;
    uint64_t msis;
    int64_t clock_left;     /* virtual time this input may still run */
} FuzzBoard;

static FuzzBoard board;
static uint8_t ram[RAM_SIZE];
static uint8_t item[4096];

static void fuzz_init(void)
{
    qdev_register_types();
    chardev_register_types();
    i8259_register_types();
    i8254_register_types();
    ioapic_register_types();
    mc146818rtc_register_types();
    serial_register_types();
    acpi_ged_register_types();
    fw_cfg_register_types();
    virtio_register_types();
    virtio_mmio_register_types();
    rtc_clock = QEMU_CLOCK_VIRTUAL;
    runstate_set(RUN_STATE_RUNNING, &error_abort);
    for (size_t i = 0; i < sizeof(item); i++) {
        item[i] = i * 7;
    }
}

static void board_route(void *opaque, int gsi, uint64_t addr, uint32_t data)
{
}

static void board_commit(void *opaque)
{
}

static void board_deliver(void *opaque, int gsi, uint64_t addr,
                          uint32_t data, bool level)
{
    board.msis++;
}

static int board_extint(void *opaque)
{
    return i8259_read_irq(board.pic);
}

static void board_pic_out(void *opaque, int n, int level)
{
}

static int board_msi(uint64_t address, uint32_t data)
{
    board.msis++;
    return 0;
}

static bool board_no_ext_dest(void)
{
    return false;
}

static void board_create(GuestMemory *mem)
{
    static const uint64_t bases[] = { MICROVM_IOAPIC_BASE,
                                      MICROVM_IOAPIC2_BASE };
    IOAPICBackend be = {
        .update_route = board_route, .commit_routes = board_commit,
        .deliver = board_deliver, .extint_vector = board_extint,
        .eoi_broadcast = gsi_eoi_broadcast, .opaque = &board.gsi,
    };
    FWCfgState *fw;
    Object *rtc;

    memset(&board, 0, sizeof(board));
    board.clock_left = CLOCK_BUDGET_NS;
    gsi_init(&board.gsi, 2);
    isa_bus_init(board.gsi.gsi);
    be.opaque = &board.gsi;
    gsi_create_ioapics(&board.gsi, bases, &be, &error_abort);
    board.pic_out = qemu_allocate_irq(board_pic_out, NULL, 0);
    board.pic = i8259_create(board.pic_out, &error_abort);
    for (int i = 0; i < ISA_NUM_IRQS; i++) {
        board.gsi.i8259_irq[i] = board.pic->in[i];
    }
    i8254_create(board.gsi.gsi[0], 0x40, &error_abort);
    rtc = object_new(TYPE_MC146818_RTC);
    qdev_realize_and_unref(DEVICE(rtc), &error_abort);
    board.chr = CHARDEV(object_new("chardev-null"));
    board.chr->label = g_strdup("fuzz");
    board.com1 = serial_isa_init(0, board.chr, &error_abort);
    acpi_ged_create(ACPI_GED_PWR_DOWN_EVT, MICROVM_GED_BASE,
                    MICROVM_GED_BASE_REGS, board.gsi.gsi[MICROVM_GED_IRQ],
                    &error_abort);
    for (unsigned i = 0; i < IOAPIC_NUM_PINS; i++) {
        virtio_mmio_create(MICROVM_VIRTIO_MMIO_BASE +
                           i * MICROVM_VIRTIO_MMIO_SIZE, i,
                           board.gsi.gsi[IOAPIC_NUM_PINS + i], mem,
                           &error_abort);
    }
    fw = fw_cfg_new(mem, true, &error_abort);
    /* fw_cfg owns (frees) what it serves */
    fw_cfg_add_bytes(fw, FW_CFG_KERNEL_DATA, g_memdup2(item, sizeof(item)),
                     sizeof(item));
    fw_cfg_add_file(fw, "etc/fuzz", g_memdup2(item, 100), 100);
    fw_cfg_io_map(fw);
    apic_msi_map(MICROVM_LAPIC_BASE, board_msi, board_no_ext_dest, &board);
    qdev_reset_all();
}

static void board_destroy(void)
{
    qdev_unrealize_all();
    isa_bus_cleanup();
    address_space_clear(&address_space_io);
    address_space_clear(&address_space_memory);
    object_unref(OBJECT(board.chr));
    i8259_free(board.pic);
    qemu_free_irq(board.pic_out);
    gsi_cleanup(&board.gsi);
}

static void board_op(const uint8_t *op, const FuzzWindow *windows,
                     unsigned nwindows)
{
    const FuzzWindow *w = &windows[(op[0] >> 3) % nwindows];
    uint64_t off = (op[2] | op[3] << 8 | (uint32_t)(op[1] >> 3) << 16) %
                   w->size;
    uint32_t value = op[4] | op[5] << 8 | op[6] << 16 | (uint32_t)op[7] << 24;
    unsigned size = (op[1] & 7) + 1;
    AddressSpace *as = w->io ? &address_space_io : &address_space_memory;
    uint64_t data = value | (uint64_t)value << 32;
    uint8_t byte = value;

    switch (op[0] & 7) {
    case 0:
        address_space_read(as, w->base + off, &data, size);
        break;
    case 1:
        address_space_write(as, w->base + off, data, size);
        break;
    case 2: {
        int64_t step = MIN((int64_t)(value & 0x3ff) * SCALE_MS,
                           board.clock_left);

        board.clock_left -= step;
        qemu_clock_advance_virtual_time(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)
                                        + step);
        break;
    }
    case 3:
        qemu_set_irq(board.gsi.gsi[(op[2] | op[3] << 8) % NUM_GSI],
                     value & 1);
        break;
    case 4:
        if (serial_can_receive(&ISA_SERIAL(board.com1)->state)) {
            serial_receive(&ISA_SERIAL(board.com1)->state, &byte, 1);
        }
        break;
    case 5:
        gsi_eoi_broadcast(&board.gsi, value & 0xff);
        break;
    case 6:
        i8259_read_irq(board.pic);
        break;
    default:
        qdev_reset_all();
        break;
    }
}

int fuzz_board_run(const uint8_t *data, size_t size,
                   const FuzzWindow *windows, unsigned nwindows)
{
    static bool initialized;
    GuestMemory *mem;
    size_t nops, ops_end;

    if (!initialized) {
        fuzz_init();
        initialized = true;
    }
    if (size < 1) {
        return 0;
    }
    nops = MIN(data[0], (size - 1) / OP_SIZE);
    ops_end = 1 + nops * OP_SIZE;
    qemu_clock_set_virtual_manual(0);   /* no timer is left pending */
    memset(ram, 0, sizeof(ram));
    memcpy(ram, data + ops_end, MIN(size - ops_end, sizeof(ram)));
    mem = guest_memory_new();
    guest_memory_add(mem, 0, RAM_SIZE, ram, false, "ram");
    board_create(mem);
    for (size_t i = 0; i < nops; i++) {
        board_op(data + 1 + i * OP_SIZE, windows, nwindows);
    }
    board_destroy();
    guest_memory_free(mem);
    return 0;
}
