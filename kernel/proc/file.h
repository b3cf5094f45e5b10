/* File objects: an open, read-only file of the boot filesystem. */
#ifndef EMBER_FILE_H
#define EMBER_FILE_H

#include "kernel/ob/object.h"
#include "kernel/proc/bootfs.h"

struct file {
    struct ob ob;
    const struct bootfs_file *f;
};

extern const struct ob_type file_type;

/* A new file object for |path| (one reference), or NULL with |*err| set (E_NOTFOUND, E_NOMEM). */
struct file *file_create(const char *path, long *err);

#endif
