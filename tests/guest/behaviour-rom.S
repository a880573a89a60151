/*
 * behaviour-rom.S: 64 KiB -bios images that exercise one run-state path
 * each, for tests/guest/run-behaviour and bench/. Built once per variant:
 *
 *   -DROM_TRIPLE_FAULT triple-fault at once (bench/lifecycle: the bare
 *                      VMM cost)
 *   -DROM_HELLO        write "hello\n" to COM1, then triple-fault
 *                      (reset, or exit with -no-reboot)
 *   -DROM_DEBUG_EXIT   write 0x21 to isa-debug-exit's port 0x501
 *                      (exit status (0x21 << 1) | 1 = 67), then 0x05 to
 *                      0x503 (status 11 when -global moved the device)
 *   -DROM_CMOS_DATE    print the RTC's century, year, month, day (BCD
 *                      CMOS registers 0x32, 9, 8, 7) on COM1 as
 *                      "cmos=CCYYMMDD\n", then triple-fault
 *   -DROM_GED_POWEROFF write "hello\n" to COM1, then SLP_EN with
 *                      SLP_TYP 5 (0x34) to the ACPI GED's sleep control
 *                      register at 0xfea00200, as Linux's poweroff does
 *                      on microvm (needs ACPI on)
 *   -DROM_GED_RESET    write "hello\n" to COM1, then 0x42 to the GED's
 *                      reset register at 0xfea00202, as Linux's reboot
 *   -DROM_UD2          execute ud2 in real mode, which this host's
 *                      emulated KVM cannot run: a KVM internal error
 *                      (int3 is not reliable for it: the emulator
 *                      sometimes delivers #BP through the IVT instead)
 *   -DROM_STREAM       a numbered stream on COM1 ("0000\n" ... "03ff\n",
 *                      hex), then 0x10 to isa-debug-exit (status 33).
 *                      While COM1's THR stays busy (a stalled reader)
 *                      the guest keeps polling and writes a heartbeat '.'
 *                      to COM2 every STREAM_HB_POLLS polls; after
 *                      STREAM_RESET_AFTER heartbeats in a row on its
 *                      first boot it triple-faults (a reset while
 *                      stalled). A boot after a reset writes 'R' to COM2
 *                      and "RESET\n" to COM1 first. The boot count lives
 *                      at 0x7000 in RAM, which a reset keeps.
 *
 * Runs from the reset vector (CS base 0xffff0000, IP 0xfff0; Intel SDM
 * vol. 3, 9.1.4) in real mode, except the triple fault, which needs
 * protected mode on this host (ENVIRONMENT.md).
 */

#define ROM_BASE 0xffff0000
#define COM1 0x3f8
#define COM2 0x2f8
#define STREAM_LINES 0x400
#define STREAM_HB_POLLS 256
#define STREAM_RESET_AFTER 64
#define STREAM_BOOTS 0x7000
#define GED_SLEEP_CTL 0xfea00200
#define GED_RESET 0xfea00202

    .code16
    .text
rom_start:

gdt:
    .quad 0
    .quad 0x00cf9b000000ffff        /* 0x08: flat 32-bit code */
    .quad 0x00cf93000000ffff        /* 0x10: flat 32-bit data */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long ROM_BASE + gdt
idt_empty:
    .word 0
    .long 0
hello:
    .ascii "hello\n"
hello_end:
cmos_prefix:
    .ascii "cmos="
cmos_prefix_end:
reset_marker:
    .ascii "RESET\n"
reset_marker_end:

start:
    cli
#if defined(ROM_TRIPLE_FAULT)
    jmp triple_fault
#elif defined(ROM_HELLO)
    movw $(hello - rom_start), %si
1:  movw $(COM1 + 5), %dx           /* LSR: wait for THR empty */
2:  inb %dx, %al
    testb $0x20, %al
    jz 2b
    movw $COM1, %dx
    movb %cs:(%si), %al
    outb %al, %dx
    incw %si
    cmpw $(hello_end - rom_start), %si
    jne 1b
    jmp triple_fault
#elif defined(ROM_GED_POWEROFF) || defined(ROM_GED_RESET)
    movw $(hello - rom_start), %si
    movw $(hello_end - rom_start), %di
    call puts
    lgdtl %cs:gdt_desc
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x08, $(ROM_BASE + ged_pm)

    .code32
ged_pm:
    movw $0x10, %ax
    movw %ax, %ds
#if defined(ROM_GED_POWEROFF)
    movb $0x34, GED_SLEEP_CTL
#else
    movb $0x42, GED_RESET
#endif
1:  hlt
    jmp 1b
    .code16
#elif defined(ROM_DEBUG_EXIT)
    movw $0x501, %dx
    movb $0x21, %al
    outb %al, %dx
    movw $0x503, %dx
    movb $0x05, %al
    outb %al, %dx
    hlt
#elif defined(ROM_CMOS_DATE)
    movw $(cmos_prefix - rom_start), %si
    movw $(cmos_prefix_end - rom_start), %di
    call puts
    movb $0x32, %bl
    call cmos_hex
    movb $0x09, %bl
    call cmos_hex
    movb $0x08, %bl
    call cmos_hex
    movb $0x07, %bl
    call cmos_hex
    movb $'\n', %al
    call putc
    jmp triple_fault
#elif defined(ROM_UD2)
    ud2
#elif defined(ROM_STREAM)
    xorw %ax, %ax
    movw %ax, %ds
    movb STREAM_BOOTS, %al
    incb STREAM_BOOTS
    movw %ax, %bp                   /* boots before this one */
    testw %bp, %bp
    jz 1f
    movw $COM2, %dx
    movb $'R', %al
    outb %al, %dx
    movw $(reset_marker - rom_start), %si
4:  movb %cs:(%si), %al
    call stream_putc
    incw %si
    cmpw $(reset_marker_end - rom_start), %si
    jne 4b
1:  xorw %bx, %bx                   /* line number */
2:  movb $12, %cl
5:  movw %bx, %ax
    shrw %cl, %ax
    andb $0x0f, %al
    addb $'0', %al
    cmpb $'9', %al
    jbe 6f
    addb $('a' - '9' - 1), %al
6:  pushw %cx
    call stream_putc
    popw %cx
    subb $4, %cl
    jnc 5b
    movb $'\n', %al
    call stream_putc
    incw %bx
    cmpw $STREAM_LINES, %bx
    jne 2b
    movw $0x501, %dx
    movb $0x10, %al
    outb %al, %dx
#else
#error "choose a variant"
#endif
3:  hlt
    jmp 3b

#if defined(ROM_STREAM)
/* stream_putc: %al to COM1, with heartbeats on COM2 while it is busy
 * (clobbers %ax, %cx, %dx, %di). */
stream_putc:
    movb %al, %ah
    xorw %cx, %cx                   /* polls since the last heartbeat */
    xorw %di, %di                   /* heartbeats in a row */
1:  movw $(COM1 + 5), %dx
    inb %dx, %al
    testb $0x20, %al
    jnz 3f
    incw %cx
    cmpw $STREAM_HB_POLLS, %cx
    jne 1b
    xorw %cx, %cx
    movw $COM2, %dx
    movb $'.', %al
    outb %al, %dx
    incw %di
    testw %bp, %bp                  /* after a reset: only wait */
    jnz 1b
    cmpw $STREAM_RESET_AFTER, %di
    jne 1b
    jmp triple_fault
3:  movw $COM1, %dx
    movb %ah, %al
    outb %al, %dx
    ret
#endif

/* putc: %al to COM1 once the transmitter is empty. No stack is needed
 * by the callers' data, only for the return addresses (SS:SP = 0:0 wraps
 * to the top of the first 64 KiB of RAM). */
putc:
    movb %al, %ah
    movw $(COM1 + 5), %dx
1:  inb %dx, %al
    testb $0x20, %al
    jz 1b
    movw $COM1, %dx
    movb %ah, %al
    outb %al, %dx
    ret

/* puts: the bytes from %cs:%si up to %cs:%di */
puts:
    cmpw %di, %si
    je 1f
    movb %cs:(%si), %al
    call putc
    incw %si
    jmp puts
1:  ret

/* cmos_hex: CMOS register %bl as two hex digits */
cmos_hex:
    movb %bl, %al
    outb %al, $0x70
    inb $0x71, %al
    movb %al, %bl
    shrb $4, %al
    call hex_digit
    movb %bl, %al
    andb $0x0f, %al
    call hex_digit
    ret

hex_digit:
    addb $'0', %al
    cmpb $'9', %al
    jbe 1f
    addb $('a' - '9' - 1), %al
1:  call putc
    ret

/* The triple fault: protected mode, an empty IDT, #UD (real mode's #UD
 * would only be an emulation failure on this host's KVM). */
triple_fault:
    lgdtl %cs:gdt_desc
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x08, $(ROM_BASE + pm_start)

    .code32
pm_start:
    lidt %cs:(ROM_BASE + idt_empty)
    ud2
    jmp pm_start

    .code16
    .org 0xfff0
reset_vector:
    jmp start
    .org 0x10000, 0xff
