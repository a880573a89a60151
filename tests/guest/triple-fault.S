/*
 * triple-fault.rom: a 64 KiB -bios image that does nothing but reach
 * 32-bit protected mode from the reset vector and triple-fault, to
 * measure the bare VMM cost (bench/).  Reset state per the Intel SDM
 * vol. 3 9.1.4: CS base 0xffff0000, IP 0xfff0; the ROM ends at 4 GiB.
 */

#define ROM_BASE 0xffff0000

    .code16
    .text
rom_start:

gdt:
    .quad 0
    .quad 0x00cf9b000000ffff        /* 0x08: flat 32-bit code */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long ROM_BASE + gdt
idt_empty:
    .word 0
    .long 0

real_mode_start:
    cli
    /* CS is the only segment that reaches the ROM in real mode. */
    lgdtl %cs:gdt_desc
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x08, $(ROM_BASE + pm_start)

    .code32
pm_start:
    /* An empty IDT: #UD, then #DF, cannot be delivered: shutdown. */
    lidt %cs:(ROM_BASE + idt_empty)
    ud2
    jmp pm_start

    .code16
    .org 0xfff0
reset_vector:
    jmp real_mode_start
    .org 0x10000, 0xff
