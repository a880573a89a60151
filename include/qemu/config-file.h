/*
 * Configuration files (-readconfig): the INI-like text of QEMU 7.2's
 * util/qemu-config.c qemu_config_foreach(), parsed into groups handed to a
 * callback one by one, with QEMU's error wording and FILE:LINE locations.
 */
#ifndef QEMU_CONFIG_FILE_H
#define QEMU_CONFIG_FILE_H

#include "qemu/osdep.h"
#include "qemu/error-report.h"

typedef struct QemuConfigEntry {
    char *key;
    char *value;
} QemuConfigEntry;

/*
 * One "[group]" or '[group "id"]' section. The id of the header is the
 * entry "id"; a key given twice keeps its first position and its last
 * value (QEMU stores a section in a QDict).
 */
typedef struct QemuConfigGroup {
    const char *name;
    GArray *entries;        /* of QemuConfigEntry, in file order */
} QemuConfigGroup;

const char *qemu_config_group_get(const QemuConfigGroup *group,
                                  const char *key);

/*
 * Called for each section once it is complete, i.e. when the next header
 * or the end of the file is read (so a syntax error in a section is found
 * before the section is used, as in QEMU). An error set here stops the
 * parse.
 */
typedef void QemuConfigGroupFunc(const QemuConfigGroup *group, void *opaque,
                                 Error **errp);

/*
 * Parses fp (named fname in locations). Returns the number of sections,
 * or -EINVAL with errp set. While a section's callback runs, and when an
 * error is returned, the current location is the last key line read
 * (none before the first one), which is where QEMU reports it; on
 * success the caller's location is restored.
 */
int qemu_config_parse(FILE *fp, const char *fname, QemuConfigGroupFunc *cb,
                      void *opaque, Error **errp);

/* As qemu_config_parse on a file; -errno when it cannot be opened. */
int qemu_read_config_file(const char *filename, QemuConfigGroupFunc *cb,
                          void *opaque, Error **errp);

#endif
