/*
 * hash.h: FNV-1a, the string hash of the kernel's hash tables (the object
 * namespace, kernel/ob/namespace.c; the boot filesystem's index,
 * kernel/proc/bootfs.c).  A few instructions a byte, no table, and good
 * enough spread for names that differ only in their last characters.
 */
#ifndef EMBER_HASH_H
#define EMBER_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FNV_OFFSET      2166136261u
#define FNV_PRIME       16777619u

/* FNV-1a over |n| bytes at |p|, continuing from |h| (FNV_OFFSET to start). */
static inline uint32_t fnv(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;

    while (n--)
        h = (h ^ *b++) * FNV_PRIME;
    return h;
}

#endif
