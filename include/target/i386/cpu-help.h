/*
 * -cpu help (QEMU 7.2 target/i386/cpu.c x86_cpu_list), implemented in
 * target/i386/cpu-help.c.
 */
#ifndef TARGET_I386_CPU_HELP_H
#define TARGET_I386_CPU_HELP_H

/* Prints the models and recognised flag names on stdout. */
void x86_cpu_list(void);

#endif
