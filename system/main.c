/*
 * main() of qemu-system-x86_64: everything else is in the library so that
 * the unit tests link the same code.
 */
#include "qemu/osdep.h"
#include "system/os-posix.h"
#include "system/system.h"

int main(int argc, char **argv)
{
    /* first of all, so that no file we open becomes stdout or stderr */
    if (!os_setup_stdio()) {
        return 1;
    }
    return qemu_main(argc, argv);
}
