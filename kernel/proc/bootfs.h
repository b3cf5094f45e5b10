/*
 * The boot filesystem: a ustar archive GRUB loads as a module, read-only.
 * Paths are absolute ("/bin/sh"); there are no directories to open, only
 * the files' full paths.
 */
#ifndef EMBER_BOOTFS_H
#define EMBER_BOOTFS_H

#include <stddef.h>
#include <stdint.h>

#define BOOTFS_PATH_MAX     128
#define BOOTFS_MAX_FILES    256

struct bootfs_file {
    char path[BOOTFS_PATH_MAX];
    const uint8_t *data;
    uint64_t size;
};

/* Indexes the archive at |archive| (|size| bytes).  Returns the number of files, or -1 if malformed. */
int bootfs_init(const uint8_t *archive, size_t size);
const struct bootfs_file *bootfs_lookup(const char *path);
/* The |index|-th file in path order, or NULL past the end. */
const struct bootfs_file *bootfs_entry(uint64_t index);

#endif
