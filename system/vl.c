/* Placeholder entry while the command line is being written. */
#include "qemu/osdep.h"
#include "system/system.h"

int qemu_main(int argc, char **argv)
{
    fprintf(stderr, "%s: not implemented yet\n", argv[0]);
    return 1;
}
