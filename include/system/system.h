/*
 * The program's entry and the registration of every type, in one place
 * (no constructor priorities: the order is the list in type-registry.c).
 */
#ifndef SYSTEM_SYSTEM_H
#define SYSTEM_SYSTEM_H

int qemu_main(int argc, char **argv);
void microqemu_register_types(void);

/*
 * Firmware search (QEMU's qemu_find_file for BIOS files): an absolute or
 * relative path as given if it exists, else in each -L dir, the build's
 * pc-bios/, the install datadir and the distribution's QEMU dirs
 * (/usr/share/qemu, /usr/share/seabios, /usr/lib/ipxe/qemu).
 * Returns a g_malloc'd path or NULL.
 */
char *qemu_find_file(const char *name);

typedef struct Chardev Chardev;
/* The backend of serial port i from -serial (QEMU's serial_hd()), or NULL
 * for "none" or past the last one. */
Chardev *serial_hd(int i);
void qemu_add_data_dir(const char *dir);

#endif
