/*
 * The microvm device tree for firmware ("etc/fdt"). Source of truth:
 * QEMU 7.2 hw/i386/microvm-dt.c (dt_setup_microvm and the dt_add_*
 * helpers) and softmmu/device_tree.c (create_device_tree); output is
 * byte-identical to QEMU 7.2 built against the same libfdt.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/i386/microvm-dt.h"
#include "hw/i386/microvm.h"
#include <libfdt.h>

typedef struct MicrovmDt {
    void *fdt;
    uint32_t next_phandle;
    uint32_t ioapic_phandle[2];
    bool failed;
    Error *err;                 /* the first failure, in QEMU's words */
} MicrovmDt;

static void dt_check(MicrovmDt *dt, int ret, const char *what)
{
    if (ret < 0 && !dt->err) {
        error_setg(&dt->err, "microvm-dt: %s: %s", what, fdt_strerror(ret));
    }
    if (ret < 0) {
        dt->failed = true;
    }
}

/*
 * QEMU's qemu_fdt_* helpers look the node up by path on every call (node
 * offsets move as the blob grows); so do these, to make the same libfdt
 * calls in the same order.
 */
static int dt_node(MicrovmDt *dt, const char *path)
{
    int off = fdt_path_offset(dt->fdt, path);

    dt_check(dt, off, path);
    return off;
}


static void dt_setprop(MicrovmDt *dt, const char *path, const char *name,
                       const void *val, int len)
{
    int off = dt_node(dt, path);

    if (off >= 0) {
        dt_check(dt, fdt_setprop(dt->fdt, off, name, val, len), name);
    }
}

static void dt_setprop_string(MicrovmDt *dt, const char *path,
                              const char *name, const char *val)
{
    dt_setprop(dt, path, name, val, strlen(val) + 1);
}

static void dt_setprop_cell(MicrovmDt *dt, const char *path,
                            const char *name, uint32_t val)
{
    uint32_t be = GUINT32_TO_BE(val);

    dt_setprop(dt, path, name, &be, sizeof(be));
}

/* "reg" with #address-cells = #size-cells = 2. */
static void dt_setprop_reg(MicrovmDt *dt, const char *path,
                           uint64_t base, uint64_t size)
{
    uint32_t cells[4] = {
        GUINT32_TO_BE(base >> 32), GUINT32_TO_BE((uint32_t)base),
        GUINT32_TO_BE(size >> 32), GUINT32_TO_BE((uint32_t)size),
    };

    dt_setprop(dt, path, "reg", cells, sizeof(cells));
}

static void dt_add_subnode(MicrovmDt *dt, const char *path)
{
    g_autofree char *parent = g_strdup(path);
    char *slash = strrchr(parent, '/');
    int off;

    *slash = '\0';
    off = dt_node(dt, slash == parent ? "/" : parent);
    if (off >= 0) {
        int ret = fdt_add_subnode(dt->fdt, off, slash + 1);

        /* QEMU's qemu_fdt_add_subnode() ends the run with this line */
        if (ret < 0 && !dt->err) {
            error_setg(&dt->err, "qemu_fdt_add_subnode: Failed to create "
                       "subnode %s: %s", path, fdt_strerror(ret));
        }
        dt_check(dt, ret, path);
    }
}

/* GSIs from 24 on belong to the second IOAPIC. */
static void dt_add_irq(MicrovmDt *dt, const char *path, uint32_t irq)
{
    int index = 0;
    uint32_t cells[2];

    if (irq >= MICROVM_IOAPIC2_IRQ_BASE) {
        irq -= MICROVM_IOAPIC2_IRQ_BASE;
        index = 1;
    }
    dt_setprop_cell(dt, path, "interrupt-parent", dt->ioapic_phandle[index]);
    cells[0] = GUINT32_TO_BE(irq);
    cells[1] = 0;
    dt_setprop(dt, path, "interrupts", cells, sizeof(cells));
}

static void dt_add_ioapic(MicrovmDt *dt, int index, uint64_t base)
{
    g_autofree char *path = g_strdup_printf("/ioapic%d@%" PRIx64,
                                            index + 1, base);
    uint32_t ph;

    dt_add_subnode(dt, path);
    dt_setprop_string(dt, path, "compatible", "intel,ce4100-ioapic");
    dt_setprop(dt, path, "interrupt-controller", NULL, 0);
    dt_setprop_cell(dt, path, "#interrupt-cells", 2);
    dt_setprop_cell(dt, path, "#address-cells", 2);
    dt_setprop_reg(dt, path, base, 0x1000);

    ph = dt->next_phandle++;
    dt_setprop_cell(dt, path, "phandle", ph);
    dt_setprop_cell(dt, path, "linux,phandle", ph);
    dt->ioapic_phandle[index] = ph;
}

static void dt_add_virtio(MicrovmDt *dt, const X86MachineInfo *info,
                          unsigned index)
{
    uint64_t base = info->virtio_mmio_base +
                    (uint64_t)index * MICROVM_VIRTIO_MMIO_SIZE;
    g_autofree char *path = g_strdup_printf("/virtio_mmio@%" PRIx64, base);

    dt_add_subnode(dt, path);
    dt_setprop_string(dt, path, "compatible", "virtio,mmio");
    dt_setprop_reg(dt, path, base, MICROVM_VIRTIO_MMIO_SIZE);
    dt_setprop(dt, path, "dma-coherent", NULL, 0);
    dt_add_irq(dt, path, info->virtio_irq_base + index);
}

static void dt_add_isa_serial(MicrovmDt *dt, const X86IsaNode *n)
{
    g_autofree char *path = g_strdup_printf("/serial@%" PRIx32, n->iobase);

    dt_add_subnode(dt, path);
    dt_setprop_string(dt, path, "compatible", "ns16550");
    dt_setprop_reg(dt, path, n->iobase, 8);
    dt_add_irq(dt, path, n->irq);
    /* The port at COM1's address is the console. */
    if (n->iobase == MICROVM_COM1_IO_BASE) {
        dt_setprop_string(dt, "/chosen", "stdout-path", path);
    }
}

static void dt_add_isa_rtc(MicrovmDt *dt, const X86IsaNode *n)
{
    g_autofree char *path = g_strdup_printf("/rtc@%" PRIx32, n->iobase);

    dt_add_subnode(dt, path);
    dt_setprop_string(dt, path, "compatible", "motorola,mc146818");
    dt_setprop_reg(dt, path, n->iobase, 8);
    dt_add_irq(dt, path, n->irq);
}

/*
 * The walk of dt_setup_sys_bus(): QEMU visits sysbus (and ISA bus)
 * children newest first, and libfdt puts each new node (and property)
 * in front of its siblings. So IOAPICs are visited 2 then 1, transports
 * from the highest index down, then the ISA bridge's children
 * (info->isa_nodes, newest first: a -device isa-serial, then the board's
 * COM1, then its RTC).
 */
void *microvm_dt_build(const X86MachineInfo *info, size_t *size,
                       Error **errp)
{
    MicrovmDt dt = { .next_phandle = MICROVM_DT_PHANDLE_START };
    uint64_t scratch[64];
    int i;

    /*
     * The empty tree is built in a small buffer and then opened into the
     * 1 MiB one: fdt_create() would zero all of it, touching 1 MiB that
     * calloc gave us as untouched zero pages. The bytes are the same.
     */
    dt.fdt = g_malloc0(MICROVM_DT_SIZE);
    dt_check(&dt, fdt_create(scratch, sizeof(scratch)), "create");
    dt_check(&dt, fdt_finish_reservemap(scratch), "reservemap");
    dt_check(&dt, fdt_begin_node(scratch, ""), "root");
    dt_check(&dt, fdt_end_node(scratch), "root");
    dt_check(&dt, fdt_finish(scratch), "finish");
    dt_check(&dt, fdt_open_into(scratch, dt.fdt, MICROVM_DT_SIZE), "open");
    if (dt.failed) {
        g_free(dt.fdt);
        error_propagate(errp, dt.err);
        return NULL;
    }

    dt_setprop_string(&dt, "/", "compatible", "linux,microvm");
    dt_setprop_cell(&dt, "/", "#address-cells", 2);
    dt_setprop_cell(&dt, "/", "#size-cells", 2);
    dt_add_subnode(&dt, "/chosen");

    /*
     * QEMU's dt_setup_sys_bus() adds the TYPE_IOAPIC devices only: KVM's
     * in-kernel one (kvm-ioapic, kernel-irqchip=on) gets no node, and the
     * devices' interrupt-parent is then phandle 0.
     */
    if (!info->ioapic_in_kernel) {
        if (info->ioapics > 1) {
            dt_add_ioapic(&dt, 1, MICROVM_IOAPIC2_BASE);
        }
        dt_add_ioapic(&dt, 0, MICROVM_IOAPIC_BASE);
    }

    for (i = info->virtio_num_transports - 1; i >= 0; i--) {
        if (info->virtio_mmio_plugged & (1u << i)) {
            dt_add_virtio(&dt, info, i);
        }
    }
    for (guint k = 0; info->isa_nodes && k < info->isa_nodes->len; k++) {
        const X86IsaNode *n = &g_array_index(info->isa_nodes, X86IsaNode, k);

        if (n->kind == X86_ISA_SERIAL) {
            dt_add_isa_serial(&dt, n);
        } else {
            dt_add_isa_rtc(&dt, n);
        }
    }

    if (dt.failed) {
        g_free(dt.fdt);
        error_propagate(errp, dt.err);
        return NULL;
    }
    *size = MICROVM_DT_SIZE;
    return dt.fdt;
}
