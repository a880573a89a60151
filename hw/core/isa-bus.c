/*
 * The ISA bus of microvm: 16 interrupt lines and port I/O registration.
 *
 * Matches QEMU 7.2's hw/isa/isa-bus.c (isa_get_irq, isa_register_ioport);
 * on microvm ISA IRQ n is GSI n, wired by the board.
 */
#include "qemu/osdep.h"
#include "hw/core/qdev.h"

static ISABus *isa_bus;

void isa_bus_init(qemu_irq *irqs)
{
    int i;

    if (!isa_bus) {
        isa_bus = g_new0(ISABus, 1);
        /* QEMU's isa_bus_new: the bus type "ISA", first of its kind */
        qbus_init(&isa_bus->bus, "ISA", "ISA", "isa.0", 0, NULL);
    }
    for (i = 0; i < 16; i++) {
        isa_bus->irqs[i] = irqs ? irqs[i] : NULL;
    }
}

void isa_bus_cleanup(void)
{
    if (isa_bus) {
        qbus_cleanup(&isa_bus->bus);
        g_free(isa_bus);
        isa_bus = NULL;
    }
}

ISABus *isa_bus_get(void)
{
    return isa_bus;
}

qemu_irq isa_get_irq(int isairq)
{
    /* QEMU asserts too: the IRQ number comes from the board or realize */
    g_assert(isairq >= 0 && isairq < 16);
    return isa_bus ? isa_bus->irqs[isairq] : NULL;
}

void isa_register_ioport(ISADevice *dev, uint16_t base, uint64_t size,
                         const MemoryRegionOps *ops, void *opaque,
                         const char *name)
{
    size = MIN(size, (uint64_t)0x10000 - base);
    if (size) {
        address_space_map(&address_space_io, base, size, ops, opaque, name,
                          dev);
    }
}
