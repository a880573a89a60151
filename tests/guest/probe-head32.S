/*
 * Probe guest: the 32-bit entry of the ELF (Xen PVH) and multiboot v1
 * builds.  PVH: the XEN_ELFNOTE_PHYS32_ENTRY note (Xen public/elfnote.h,
 * QEMU 7.2 hw/i386/x86.c read_pvh_start_addr).  Multiboot: the v1 header
 * (Multiboot Specification 0.6.96, section 3.1; QEMU 7.2 load_multiboot).
 * Both are entered in flat 32-bit protected mode with %ebx = the info.
 */

#define BOOT_CS 0x10
#define BOOT_DS 0x18

#define MB_MAGIC        0x1badb002
/* Page-aligned modules and memory information: what Linux-era kernels ask. */
#define MB_FLAGS_ELF    0x00000003
#define MB_FLAGS_AOUT   0x00010003      /* + the address fields */

    .code32
    .section .text.head, "ax"

#if defined(PROBE_MULTIBOOT) || defined(PROBE_MULTIBOOT_AOUT)
#ifdef PROBE_MULTIBOOT_AOUT
#define MB_FLAGS MB_FLAGS_AOUT
#else
#define MB_FLAGS MB_FLAGS_ELF
#endif
    .balign 4
multiboot_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
#ifdef PROBE_MULTIBOOT_AOUT
    .long multiboot_header          /* header_addr */
    .long probe_kernel_start        /* load_addr */
    .long probe_load_end            /* load_end_addr */
    .long probe_stack_top           /* bss_end_addr: scratch and stack too */
    .long probe_entry32             /* entry_addr */
#endif
#endif

    .globl probe_entry32
probe_entry32:
    cli
    cld
    /* Record the hand-over state first: the loader's stack is not ours. */
    movl %eax, probe_entry_regs + 0
    movl %ebx, probe_entry_regs + 4
    movl %ecx, probe_entry_regs + 8
    movl %edx, probe_entry_regs + 12
    movl %esi, probe_entry_regs + 16
    movl %edi, probe_entry_regs + 20
    movl %ebp, probe_entry_regs + 24
    movl %esp, probe_entry_regs + 28
    movw %cs, probe_entry_regs + 32
    movw %ds, probe_entry_regs + 34
    movw %es, probe_entry_regs + 36
    movw %fs, probe_entry_regs + 38
    movw %gs, probe_entry_regs + 40
    movw %ss, probe_entry_regs + 42
    movl %cr0, %eax
    movl %eax, probe_entry_regs + 48
    movl $probe_stack_top, %esp
    pushfl
    popl %eax
    movl %eax, probe_entry_regs + 44

    /* Our own flat GDT: the loader's may be anywhere, even under us. */
    lgdtl gdt_desc
    ljmpl $BOOT_CS, $1f
1:
    movw $BOOT_DS, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss

    movl $probe_bss_start, %edi
    movl $probe_bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    pushl probe_entry_regs + 4      /* start_info or multiboot info */
    call probe_boot_main

    /* Triple fault, as probe-head.S: empty IDT, then #UD. */
probe_triple_fault:
    lidt idt_empty
    ud2
    jmp probe_triple_fault

    .section .rodata
    .balign 8
gdt:
    .quad 0
    .quad 0
    .quad 0x00cf9b000000ffff        /* BOOT_CS: flat 32-bit code */
    .quad 0x00cf93000000ffff        /* BOOT_DS: flat data */
gdt_end:
    .balign 4
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt
idt_empty:
    .word 0
    .long 0

    .data
    .balign 4
    .globl probe_entry_regs
probe_entry_regs:
    .fill 52, 1, 0

#ifdef PROBE_PVH
    /* Xen's ELFNOTE(Xen, XEN_ELFNOTE_PHYS32_ENTRY, entry). */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4                         /* namesz */
    .long 4                         /* descsz */
    .long 18                        /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .balign 4
    .long probe_entry32
#endif
