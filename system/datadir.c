/*
 * Firmware search, as QEMU 7.2's qemu_find_file(QEMU_FILE_TYPE_BIOS):
 * a name that exists as given is used as is; otherwise -L dirs in order, then the build tree's pc-bios/, the install
 * datadir and the distribution's QEMU firmware dirs.
 */
#include "qemu/osdep.h"
#include "system/system.h"

static GPtrArray *user_data_dirs;

/* Debian installs QEMU's firmware here; seabios and ipxe have their own. */
static const char *const distro_data_dirs[] = {
    "/usr/share/qemu",
    "/usr/share/seabios",
    "/usr/lib/ipxe/qemu",
};

void qemu_add_data_dir(const char *dir)
{
    if (!user_data_dirs) {
        user_data_dirs = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(user_data_dirs, g_strdup(dir));
}

static char *find_in(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL);

    if (access(path, R_OK) == 0) {
        return path;
    }
    g_free(path);
    return NULL;
}

char *qemu_find_file(const char *name)
{
    char *path;

    if (access(name, R_OK) == 0) {
        return g_strdup(name);
    }
    for (guint i = 0; user_data_dirs && i < user_data_dirs->len; i++) {
        path = find_in(g_ptr_array_index(user_data_dirs, i), name);
        if (path) {
            return path;
        }
    }
    path = find_in(CONFIG_BUILD_PCBIOS_DIR, name);
    if (!path) {
        path = find_in(CONFIG_QEMU_DATADIR, name);
    }
    for (size_t i = 0; !path && i < ARRAY_SIZE(distro_data_dirs); i++) {
        path = find_in(distro_data_dirs[i], name);
    }
    return path;
}
