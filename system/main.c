/*
 * main() of qemu-system-x86_64: everything else is in the library so that
 * the unit tests link the same code.
 */
#include "qemu/osdep.h"
#include "system/system.h"

int main(int argc, char **argv)
{
    return qemu_main(argc, argv);
}
