/*
 * -cpu help (QEMU 7.2 target/i386/cpu.c x86_cpu_list), implemented in
 * target/i386/cpu-help.c.
 */
#ifndef TARGET_I386_CPU_HELP_H
#define TARGET_I386_CPU_HELP_H

/* Prints the models and recognised flag names on stdout. */
void x86_cpu_list(void);

/* Whether name is one of QEMU 7.2's x86 CPU models (versions included). */
bool x86_cpu_model_known(const char *name);

#endif
