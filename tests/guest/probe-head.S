/*
 * Probe guest: Linux boot-protocol header and the two mode switches.
 * Layout from the Linux boot protocol (Documentation/x86/boot.rst,
 * version 2.15); entry as qboot's pm16_boot_linux leaves it (real mode,
 * CS = setup segment + 0x20, IP = 0, DS = ES = SS = setup segment).
 */

#define BOOT_CS 0x10
#define BOOT_DS 0x18

/* ------------------------------------------------------------------ */
/* Real-mode part: the bytes from offset 0 of the image.               */

    .code16
    .section .setup, "ax"
    .globl probe_setup_start
probe_setup_start:

    .org 0x1f1
    .byte SETUP_SECTS               /* setup_sects */
    .word 0                         /* root_flags */
    .long probe_syssize             /* syssize */
    .word 0                         /* ram_size (obsolete) */
    .word 0xffff                    /* vid_mode: "normal" */
    .word 0                         /* root_dev */
    .word 0xaa55                    /* boot_flag */

    /* 0x200: the loader jumps here (setup segment + 0x20 : 0). */
    .byte 0xeb, setup_entry - 1f    /* jmp short, fixed two bytes */
1:
    .ascii "HdrS"                   /* 0x202 header */
    .word 0x020f                    /* 0x206 version */
    .long 0                         /* 0x208 realmode_swtch */
    .word 0x1000                    /* 0x20c start_sys_seg (obsolete) */
    .word 0                         /* 0x20e kernel_version */
    .byte 0                         /* 0x210 type_of_loader */
    .byte 0x01                      /* 0x211 loadflags: LOADED_HIGH */
    .word 0x8000                    /* 0x212 setup_move_size */
    .long 0x100000                  /* 0x214 code32_start */
    .long 0                         /* 0x218 ramdisk_image */
    .long 0                         /* 0x21c ramdisk_size */
    .long 0                         /* 0x220 bootsect_kludge */
    .word 0                         /* 0x224 heap_end_ptr */
    .byte 0                         /* 0x226 ext_loader_ver */
    .byte 0                         /* 0x227 ext_loader_type */
    .long 0                         /* 0x228 cmd_line_ptr */
    .long 0x7fffffff                /* 0x22c initrd_addr_max */
    .long 0x200000                  /* 0x230 kernel_alignment */
    .byte 0                         /* 0x234 relocatable_kernel */
    .byte 0                         /* 0x235 min_alignment */
    .word 0                         /* 0x236 xloadflags */
    .long 2047                      /* 0x238 cmdline_size */
    .long 0                         /* 0x23c hardware_subarch */
    .quad 0                         /* 0x240 hardware_subarch_data */
    .long 0                         /* 0x248 payload_offset */
    .long 0                         /* 0x24c payload_length */
    .quad 0                         /* 0x250 setup_data */
    .quad 0x100000                  /* 0x258 pref_address */
    .long probe_init_size           /* 0x260 init_size */
    .long 0                         /* 0x264 handover_offset */
    .long 0                         /* 0x268 kernel_info_offset */
    .org 0x26c

setup_entry:
    cli
    cld
    /*
     * Record the state the firmware handed over before touching it.
     * CS points 0x200 bytes into the setup area, hence the bias.
     */
    movl %eax, %cs:(probe_entry_regs - 0x200 + 0)
    movl %ebx, %cs:(probe_entry_regs - 0x200 + 4)
    movl %ecx, %cs:(probe_entry_regs - 0x200 + 8)
    movl %edx, %cs:(probe_entry_regs - 0x200 + 12)
    movl %esi, %cs:(probe_entry_regs - 0x200 + 16)
    movl %edi, %cs:(probe_entry_regs - 0x200 + 20)
    movl %ebp, %cs:(probe_entry_regs - 0x200 + 24)
    movl %esp, %cs:(probe_entry_regs - 0x200 + 28)
    movw %cs, %cs:(probe_entry_regs - 0x200 + 32)
    movw %ds, %cs:(probe_entry_regs - 0x200 + 34)
    movw %es, %cs:(probe_entry_regs - 0x200 + 36)
    movw %fs, %cs:(probe_entry_regs - 0x200 + 38)
    movw %gs, %cs:(probe_entry_regs - 0x200 + 40)
    movw %ss, %cs:(probe_entry_regs - 0x200 + 42)
    pushfl
    popl %eax
    movl %eax, %cs:(probe_entry_regs - 0x200 + 44)
    movl %cr0, %eax
    movl %eax, %cs:(probe_entry_regs - 0x200 + 48)

    /* From here on DS addresses the setup area (the "zero page"). */
    movw %cs, %ax
    subw $0x20, %ax
    movw %ax, %ds
    movzwl %ax, %esi
    shll $4, %esi                   /* ESI = linear boot_params, as Linux */

    /* lgdt takes a linear base: add where we were loaded. */
    addr32 leal gdt(%esi), %eax
    movl %eax, gdt_desc + 2
    lgdtl gdt_desc

    movl 0x214, %eax                /* code32_start, as the kernel does */
    movl %eax, far_target

    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl *far_target

    .balign 8
gdt:
    .quad 0
    .quad 0
    .quad 0x00cf9b000000ffff        /* BOOT_CS: flat 32-bit code */
    .quad 0x00cf93000000ffff        /* BOOT_DS: flat data */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long 0
far_target:
    .long 0
    .word BOOT_CS

    /* Filled at entry: see struct ProbeEntryRegs in probe.c. */
    .balign 4
    .globl probe_entry_regs
probe_entry_regs:
    .fill 52, 1, 0

/* ------------------------------------------------------------------ */
/* 32-bit part, loaded at code32_start.                                */

    .code32
    .section .text.head, "ax"
    .globl probe_start32
probe_start32:
    movw $BOOT_DS, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    movl $probe_stack_top, %esp

    movl $probe_bss_start, %edi
    movl $probe_bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    pushl %esi                      /* boot_params */
    call probe_main

    /*
     * Triple fault: with an empty IDT the #UD cannot be delivered, nor
     * the #DF after it, so the vCPU shuts down (-no-reboot ends QEMU).
     * Real-mode ud2 cannot run on the emulated KVM, protected mode can.
     */
    .globl probe_triple_fault
probe_triple_fault:
    lidt idt_empty
    ud2
    jmp probe_triple_fault

    .section .rodata
    .balign 4
idt_empty:
    .word 0
    .long 0
