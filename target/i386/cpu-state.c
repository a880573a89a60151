/*
 * x86 vCPU power-on state and the register dump of a failed vCPU.
 * Source of truth: QEMU 7.2 target/i386/cpu.c x86_cpu_reset() and
 * x86_cpu_dump_state(), target/i386/kvm/kvm.c kvm_arch_put_registers()
 * (kvm_put_msrs list and order, MCE set-up, LAPIC), checked against the
 * ioctls QEMU 7.2 issues on this project's hosts.
 */
#include "qemu/osdep.h"
#include "accel/kvm-internal.h"
#include "target/i386/kvm-i386.h"
#include <sys/ioctl.h>

#define MSR_IA32_TSC            0x10
#define MSR_IA32_APICBASE       0x1b
#define MSR_IA32_UCODE_REV      0x8b
#define MSR_IA32_ARCH_CAPABILITIES 0x10a
#define MSR_MCG_STATUS          0x17a
#define MSR_MCG_CTL             0x17b
#define MSR_MC0_CTL             0x400
#define MSR_IA32_TSCDEADLINE    0x6e0
#define MSR_PAT_DEFAULT         0x0007040600070406ULL

#define APIC_DEFAULT_ADDRESS    0xfee00000
#define MSR_IA32_APICBASE_BSP   (1u << 8)
#define MSR_IA32_APICBASE_ENABLE (1u << 11)

#define MCG_CTL_P               (1ULL << 8)
#define MCG_SER_P               (1ULL << 24)
#define MCE_BANKS_DEF           10

#define CPUID_1_EDX_MCE         (1u << 7)
#define CPUID_1_EDX_MCA         (1u << 14)

/* kvm_put_msrs() at reset, in QEMU's order; value at power-on. */
static const struct {
    uint32_t index;
    uint64_t value;
} reset_msrs[] = {
    { 0x174, 0 }, { 0x175, 0 }, { 0x176, 0 },       /* SYSENTER */
    { 0x277, MSR_PAT_DEFAULT },
    { 0xc0000081, 0 },                              /* STAR */
    { 0xc0010117, 0 },                              /* VM_HSAVE_PA */
    { 0x3b, 0 },                                    /* TSC_ADJUST */
    { 0x1a0, 1 },                                   /* MISC_ENABLE: fast strings */
    { 0x34, 0 },                                    /* SMI_COUNT */
    { 0xc001011f, 0 },                              /* VIRT_SSBD */
    { 0xc0000083, 0 }, { 0xc0000102, 0 }, { 0xc0000084, 0 },
    { 0xc0000082, 0 },                              /* CSTAR..LSTAR */
    { MSR_IA32_TSC, 0 },
    { 0x12, 0 }, { 0x11, 0 },                       /* kvmclock (old) */
    { 0x4b564d06, 0 },                              /* ASYNC_PF_INT */
    { 0x4b564d02, 0 },                              /* ASYNC_PF_EN */
    { 0x4b564d04, 0 },                              /* STEAL_TIME */
    { 0x4b564d03, 0 },                              /* PV_EOI_EN */
    { 0x4b564d05, 1 },                              /* POLL_CONTROL */
    { MSR_IA32_TSCDEADLINE, 0 },
};

typedef struct MSRBuf {
    struct kvm_msrs hdr;
    struct kvm_msr_entry entries[64];
} MSRBuf;

static void msr_add(MSRBuf *b, uint32_t index, uint64_t value)
{
    assert(b->hdr.nmsrs < ARRAY_SIZE(b->entries));
    b->entries[b->hdr.nmsrs].index = index;
    b->entries[b->hdr.nmsrs].data = value;
    b->hdr.nmsrs++;
}

static bool vcpu_set_msrs(X86VCPU *cpu, MSRBuf *b, Error **errp)
{
    int r = ioctl(cpu->parent_obj.fd, KVM_SET_MSRS, &b->hdr);

    if (r < 0) {
        error_setg_errno(errp, errno, "KVM_SET_MSRS failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    if ((unsigned)r != b->hdr.nmsrs) {
        error_setg(errp, "failed to set MSR 0x%" PRIx32 " to 0x%" PRIx64,
                   b->entries[r].index, (uint64_t)b->entries[r].data);
        return false;
    }
    return true;
}

static bool vcpu_mce_enabled(const X86VCPU *cpu)
{
    uint32_t edx = cpu->def->features[FEAT_1_EDX];

    return (edx & (CPUID_1_EDX_MCE | CPUID_1_EDX_MCA)) ==
           (CPUID_1_EDX_MCE | CPUID_1_EDX_MCA);
}

static uint64_t vcpu_mcg_cap(void)
{
    uint64_t supported = 0;
    /* KVM_CAP_MCE answers with the number of banks KVM can emulate. */
    int banks = kvm_check_extension(KVM_CAP_MCE);

    if (banks <= 0 ||
        ioctl(kvm_sys_fd(), KVM_X86_GET_MCE_CAP_SUPPORTED, &supported) < 0) {
        return 0;
    }
    return (supported & (MCG_CTL_P | MCG_SER_P)) | MIN(MCE_BANKS_DEF, banks);
}

bool x86_vcpu_init(X86VCPU *cpu, Error **errp)
{
    g_autofree struct kvm_cpuid2 *c = NULL;
    size_t n = cpu->cpuid->len;
    uint64_t mcg_cap;

    c = g_malloc0(sizeof(*c) + n * sizeof(c->entries[0]));
    c->nent = n;
    memcpy(c->entries, cpu->cpuid->data, n * sizeof(c->entries[0]));
    if (ioctl(cpu->parent_obj.fd, KVM_SET_CPUID2, c) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_CPUID2 failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    mcg_cap = vcpu_mce_enabled(cpu) ? vcpu_mcg_cap() : 0;
    if (mcg_cap && ioctl(cpu->parent_obj.fd, KVM_X86_SETUP_MCE, &mcg_cap) < 0) {
        error_setg_errno(errp, errno, "KVM_X86_SETUP_MCE failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    return true;
}

static void seg_set(struct kvm_segment *s, uint16_t sel, uint64_t base,
                    uint8_t type, bool code_or_data)
{
    memset(s, 0, sizeof(*s));
    s->selector = sel;
    s->base = base;
    s->limit = 0xffff;
    s->type = type;
    s->present = 1;
    s->s = code_or_data;
}

static bool vcpu_put_sregs(X86VCPU *cpu, Error **errp)
{
    struct kvm_sregs sr = { 0 };
    uint64_t apic_base = APIC_DEFAULT_ADDRESS | MSR_IA32_APICBASE_ENABLE;

    seg_set(&sr.cs, 0xf000, 0xffff0000, 11, true);  /* code, RX, accessed */
    seg_set(&sr.ds, 0, 0, 3, true);                  /* data, RW, accessed */
    sr.es = sr.ds;
    sr.fs = sr.ds;
    sr.gs = sr.ds;
    sr.ss = sr.ds;
    seg_set(&sr.tr, 0, 0, 11, false);                /* busy 32-bit TSS */
    seg_set(&sr.ldt, 0, 0, 2, false);
    sr.gdt.limit = 0xffff;
    sr.idt.limit = 0xffff;
    sr.cr0 = 0x60000010;            /* CD | NW | ET */
    if (cpu->parent_obj.cpu_index == 0) {
        apic_base |= MSR_IA32_APICBASE_BSP;
    }
    sr.apic_base = apic_base;
    if (ioctl(cpu->parent_obj.fd, KVM_SET_SREGS, &sr) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_SREGS failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    return true;
}

static bool vcpu_put_regs(X86VCPU *cpu, Error **errp)
{
    struct kvm_regs r = {
        .rdx = cpu->def->version,       /* CPUID(1).EAX, as at RESET */
        .rip = 0xfff0,
        .rflags = 2,
    };
    struct kvm_fpu fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };

    if (ioctl(cpu->parent_obj.fd, KVM_SET_REGS, &r) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_REGS failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    if (ioctl(cpu->parent_obj.fd, KVM_SET_FPU, &fpu) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_FPU failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    if (kvm_check_extension(KVM_CAP_XCRS) > 0) {
        struct kvm_xcrs xcrs = {
            .nr_xcrs = 1,
            .xcrs[0] = { .xcr = 0, .value = 1 },    /* x87 only */
        };

        if (ioctl(cpu->parent_obj.fd, KVM_SET_XCRS, &xcrs) < 0) {
            error_setg_errno(errp, errno, "KVM_SET_XCRS failed on vCPU %u",
                             cpu->parent_obj.cpu_index);
            return false;
        }
    }
    return true;
}

static bool vcpu_put_msrs(X86VCPU *cpu, Error **errp)
{
    MSRBuf b = { 0 };
    uint64_t mcg_cap = vcpu_mce_enabled(cpu) ? vcpu_mcg_cap() : 0;

    /* Only what this KVM lists: plain "-cpu host" must run everywhere. */
    for (size_t i = 0; i < ARRAY_SIZE(reset_msrs); i++) {
        if (kvm_has_msr(reset_msrs[i].index)) {
            msr_add(&b, reset_msrs[i].index, reset_msrs[i].value);
        }
    }
    if (mcg_cap) {
        msr_add(&b, MSR_MCG_STATUS, 0);
        if (mcg_cap & MCG_CTL_P) {
            msr_add(&b, MSR_MCG_CTL, ~0ULL);
        }
        for (unsigned bank = 0; bank < (mcg_cap & 0xff); bank++) {
            msr_add(&b, MSR_MC0_CTL + bank * 4, ~0ULL);
        }
    }
    if (!vcpu_set_msrs(cpu, &b, errp)) {
        return false;
    }
    return true;
}

/*
 * Feature MSRs QEMU writes once per vCPU (arch-capabilities, microcode
 * revision). A host that refuses them (kvm_pvm refuses 0x10a) keeps its
 * own value: QEMU 7.2 aborts there, we must not.
 */
static void vcpu_put_feature_msrs(X86VCPU *cpu)
{
    MSRBuf b = { 0 };

    if (cpu->def->features[FEAT_7_0_EDX] & CPUID_7_0_EDX_ARCH_CAPABILITIES &&
        kvm_has_msr(MSR_IA32_ARCH_CAPABILITIES)) {
        struct {
            struct kvm_msrs hdr;
            struct kvm_msr_entry e;
        } q = { .hdr.nmsrs = 1, .e.index = MSR_IA32_ARCH_CAPABILITIES };

        if (ioctl(kvm_sys_fd(), KVM_GET_MSRS, &q) == 1) {
            msr_add(&b, MSR_IA32_ARCH_CAPABILITIES, q.e.data);
            if (ioctl(cpu->parent_obj.fd, KVM_SET_MSRS, &b.hdr) != 1) {
                b.hdr.nmsrs = 0;
            }
        }
    }
    if (kvm_has_msr(MSR_IA32_UCODE_REV)) {
        MSRBuf u = { 0 };

        msr_add(&u, MSR_IA32_UCODE_REV, 0x100000000ULL);
        (void)ioctl(cpu->parent_obj.fd, KVM_SET_MSRS, &u.hdr);
    }
}

static bool vcpu_put_lapic(X86VCPU *cpu, Error **errp)
{
    struct kvm_lapic_state lapic = { 0 };
    uint32_t *reg = (uint32_t *)lapic.regs;

    if (kvm_irqchip_mode() == KVM_IRQCHIP_MODE_OFF) {
        return true;
    }
    /* apic_reset_common(): ID, DFR all-ones, SVR 0xff, LVTs masked. */
    reg[0x20 / 4] = cpu->apic_id << 24;
    reg[0xe0 / 4] = 0xffffffff;
    reg[0xf0 / 4] = 0xff;
    for (unsigned off = 0x320; off <= 0x370; off += 0x10) {
        reg[off / 4] = 1u << 16;
    }
    if (ioctl(cpu->parent_obj.fd, KVM_SET_LAPIC, &lapic) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_LAPIC failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    return true;
}

bool x86_vcpu_reset(X86VCPU *cpu, Error **errp)
{
    struct kvm_debugregs dbg = { .dr6 = 0xffff0ff0, .dr7 = 0x400 };
    struct kvm_vcpu_events ev = { .flags = KVM_VCPUEVENT_VALID_NMI_PENDING };
    struct kvm_mp_state mp = {
        /* APs wait for INIT/SIPI from the BSP. */
        .mp_state = cpu->parent_obj.cpu_index == 0 ? KVM_MP_STATE_RUNNABLE :
                                      KVM_MP_STATE_UNINITIALIZED,
    };

    if (!vcpu_put_sregs(cpu, errp) || !vcpu_put_regs(cpu, errp) ||
        !vcpu_put_msrs(cpu, errp)) {
        return false;
    }
    vcpu_put_feature_msrs(cpu);
    if (ioctl(cpu->parent_obj.fd, KVM_SET_VCPU_EVENTS, &ev) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_VCPU_EVENTS failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    if (kvm_irqchip_mode() != KVM_IRQCHIP_MODE_OFF &&
        ioctl(cpu->parent_obj.fd, KVM_SET_MP_STATE, &mp) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_MP_STATE failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    if (ioctl(cpu->parent_obj.fd, KVM_SET_DEBUGREGS, &dbg) < 0) {
        error_setg_errno(errp, errno, "KVM_SET_DEBUGREGS failed on vCPU %u",
                         cpu->parent_obj.cpu_index);
        return false;
    }
    return vcpu_put_lapic(cpu, errp);
}

/* ---- x86_cpu_dump_state ------------------------------------------------- */

#define DUMP_CODE_BYTES_TOTAL    50
#define DUMP_CODE_BYTES_BACKWARD 20

static uint32_t seg_flags(const struct kvm_segment *s)
{
    return (s->type << 8) | (s->s << 12) | (s->dpl << 13) |
           (s->present << 15) | (s->avl << 20) | (s->l << 21) |
           (s->db << 22) | (s->g << 23);
}

static void dump_seg(FILE *f, const char *name, const struct kvm_segment *s,
                     bool pe, bool lma)
{
    static const char *const sys_names[2][16] = {
        { "Reserved", "TSS16-avl", "LDT", "TSS16-busy", "CallGate16",
          "TaskGate", "IntGate16", "TrapGate16", "Reserved", "TSS32-avl",
          "Reserved", "TSS32-busy", "CallGate32", "Reserved", "IntGate32",
          "TrapGate32" },
        { "<hiword>", "Reserved", "LDT", "Reserved", "Reserved", "Reserved",
          "Reserved", "Reserved", "Reserved", "TSS64-avl", "Reserved",
          "TSS64-busy", "CallGate64", "Reserved", "IntGate64",
          "TrapGate64" },
    };
    uint32_t flags = seg_flags(s);

    if (lma) {
        fprintf(f, "%-3s=%04x %016" PRIx64 " %08x %08x", name, s->selector,
                (uint64_t)s->base, s->limit, flags & 0x00ffff00);
    } else {
        fprintf(f, "%-3s=%04x %08x %08x %08x", name, s->selector,
                (uint32_t)s->base, s->limit, flags & 0x00ffff00);
    }
    if (pe && s->present) {
        fprintf(f, " DPL=%d ", s->dpl);
        if (s->s && (s->type & 8)) {
            fprintf(f, "%s [%c%c%c]", s->l ? "CS64" : s->db ? "CS32" : "CS16",
                    s->type & 4 ? 'C' : '-', s->type & 2 ? 'R' : '-',
                    s->type & 1 ? 'A' : '-');
        } else if (s->s) {
            fprintf(f, "%s [%c%c%c]", s->db || lma ? "DS  " : "DS16",
                    s->type & 4 ? 'E' : '-', s->type & 2 ? 'W' : '-',
                    s->type & 1 ? 'A' : '-');
        } else {
            fprintf(f, "%s", sys_names[lma][s->type & 15]);
        }
    }
    fprintf(f, "\n");
}

/* Guest byte at a linear address, through the vCPU's own page tables. */
static bool dump_read_linear(X86VCPU *cpu, uint64_t la, uint8_t *byte)
{
    struct kvm_translation tr = { .linear_address = la };

    if (ioctl(cpu->parent_obj.fd, KVM_TRANSLATE, &tr) < 0 || !tr.valid) {
        return false;
    }
    return guest_memory_read(kvm_guest_memory(), tr.physical_address, byte,
                             1) == MEMTX_OK;
}

static void dump_code(X86VCPU *cpu, FILE *f, uint64_t cs_base, uint64_t ip)
{
    uint64_t offs = MIN(ip, DUMP_CODE_BYTES_BACKWARD);
    uint64_t start = cs_base + ip - offs;

    fprintf(f, "Code=");
    for (unsigned i = 0; i < DUMP_CODE_BYTES_TOTAL; i++) {
        uint8_t b;
        char s[3] = "??";

        if (dump_read_linear(cpu, start + i, &b)) {
            snprintf(s, sizeof(s), "%02x", b);
        }
        fprintf(f, "%s%s%s%s", i ? " " : "", i == offs ? "<" : "", s,
                i == offs ? ">" : "");
    }
    fprintf(f, "\n");
}

void x86_vcpu_dump_state(X86VCPU *cpu, FILE *f)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    struct kvm_debugregs d = { 0 };
    struct kvm_vcpu_events ev = { 0 };
    struct kvm_mp_state mp = { 0 };
    bool lma, pe;
    uint32_t fl;

    if (ioctl(cpu->parent_obj.fd, KVM_GET_REGS, &r) < 0 ||
        ioctl(cpu->parent_obj.fd, KVM_GET_SREGS, &s) < 0) {
        fprintf(f, "(vCPU %u registers unavailable: %s)\n",
                cpu->parent_obj.cpu_index, strerror(errno));
        return;
    }
    (void)ioctl(cpu->parent_obj.fd, KVM_GET_DEBUGREGS, &d);
    (void)ioctl(cpu->parent_obj.fd, KVM_GET_VCPU_EVENTS, &ev);
    (void)ioctl(cpu->parent_obj.fd, KVM_GET_MP_STATE, &mp);
    lma = s.efer & (1 << 10);
    pe = s.cr0 & 1;
    fl = r.rflags;

    if (lma) {
        fprintf(f, "RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n"
                "RSI=%016llx RDI=%016llx RBP=%016llx RSP=%016llx\n"
                "R8 =%016llx R9 =%016llx R10=%016llx R11=%016llx\n"
                "R12=%016llx R13=%016llx R14=%016llx R15=%016llx\n"
                "RIP=%016llx RFL=%08x",
                r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp, r.rsp,
                r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15,
                r.rip, fl);
    } else {
        fprintf(f, "EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n"
                "ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n"
                "EIP=%08x EFL=%08x",
                (uint32_t)r.rax, (uint32_t)r.rbx, (uint32_t)r.rcx,
                (uint32_t)r.rdx, (uint32_t)r.rsi, (uint32_t)r.rdi,
                (uint32_t)r.rbp, (uint32_t)r.rsp, (uint32_t)r.rip, fl);
    }
    fprintf(f, " [%c%c%c%c%c%c%c] CPL=%d II=%d A20=%d SMM=%d HLT=%d\n",
            fl & 0x400 ? 'D' : '-', fl & 0x800 ? 'O' : '-',
            fl & 0x80 ? 'S' : '-', fl & 0x40 ? 'Z' : '-',
            fl & 0x10 ? 'A' : '-', fl & 0x4 ? 'P' : '-',
            fl & 0x1 ? 'C' : '-', pe ? s.ss.dpl : 0,
            ev.interrupt.shadow ? 1 : 0, 1, 0,
            mp.mp_state == KVM_MP_STATE_HALTED);
    dump_seg(f, "ES", &s.es, pe, lma);
    dump_seg(f, "CS", &s.cs, pe, lma);
    dump_seg(f, "SS", &s.ss, pe, lma);
    dump_seg(f, "DS", &s.ds, pe, lma);
    dump_seg(f, "FS", &s.fs, pe, lma);
    dump_seg(f, "GS", &s.gs, pe, lma);
    dump_seg(f, "LDT", &s.ldt, pe, lma);
    dump_seg(f, "TR", &s.tr, pe, lma);
    if (lma) {
        fprintf(f, "GDT=     %016llx %08x\nIDT=     %016llx %08x\n"
                "CR0=%08x CR2=%016llx CR3=%016llx CR4=%08x\n",
                s.gdt.base, s.gdt.limit, s.idt.base, s.idt.limit,
                (uint32_t)s.cr0, s.cr2, s.cr3, (uint32_t)s.cr4);
        fprintf(f, "DR0=%016llx DR1=%016llx DR2=%016llx DR3=%016llx \n"
                "DR6=%016llx DR7=%016llx\n", d.db[0], d.db[1], d.db[2],
                d.db[3], d.dr6, d.dr7);
    } else {
        fprintf(f, "GDT=     %08x %08x\nIDT=     %08x %08x\n"
                "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n",
                (uint32_t)s.gdt.base, s.gdt.limit, (uint32_t)s.idt.base,
                s.idt.limit, (uint32_t)s.cr0, (uint32_t)s.cr2,
                (uint32_t)s.cr3, (uint32_t)s.cr4);
        fprintf(f, "DR0=%08x DR1=%08x DR2=%08x DR3=%08x \n"
                "DR6=%08x DR7=%08x\n", (uint32_t)d.db[0], (uint32_t)d.db[1],
                (uint32_t)d.db[2], (uint32_t)d.db[3], (uint32_t)d.dr6,
                (uint32_t)d.dr7);
    }
    fprintf(f, "EFER=%016llx\n", s.efer);
    dump_code(cpu, f, s.cs.base, lma ? r.rip : (uint32_t)r.rip);
}
