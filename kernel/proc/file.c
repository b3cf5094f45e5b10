/*
 * file.c: the file object.  It only names a boot-filesystem entry: reads
 * take an explicit offset, so a file handle carries no position and can be
 * shared freely.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/abi/types.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/file.h"

const struct ob_type file_type = {
    .name = "file",
    .code = OB_TYPE_FILE,
    .tag = TAG("File"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_READ | RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_READ | RIGHT_INFO,
};

struct file *file_create(const char *path, long *err)
{
    const struct bootfs_file *f = bootfs_lookup(path);
    struct file *file;

    if (!f) {
        *err = E_NOTFOUND;
        return NULL;
    }
    file = ob_create(&file_type, sizeof *file);
    if (!file) {
        *err = E_NOMEM;
        return NULL;
    }
    file->f = f;
    return file;
}
