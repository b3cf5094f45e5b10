/*
 * bootfs.c: reads the ustar archive of the boot filesystem.
 *
 * A ustar archive is a series of 512-byte headers, each followed by the
 * file's data rounded up to 512 bytes, ending with zero blocks.  A header
 * holds the name (with an optional prefix), the size in octal ASCII and a
 * type flag.  We index regular files once at boot; the data stays where
 * GRUB put it, reached through the direct map.  The index is a hash table
 * of the paths, so a lookup (every spawn makes one) costs one hash and,
 * almost always, one string comparison, however many files there are.
 */
#include "kernel/lib/hash.h"
#include "kernel/lib/string.h"
#include "kernel/proc/bootfs.h"

#define BLOCK           512
#define NAME_OFF        0
#define NAME_LEN        100
#define SIZE_OFF        124
#define SIZE_LEN        12
#define TYPE_OFF        156
#define MAGIC_OFF       257
#define PREFIX_OFF      345
#define PREFIX_LEN      155
#define TYPE_FILE       '0'
#define TYPE_FILE_OLD   '\0'

#define BUCKETS         BOOTFS_MAX_FILES        /* a power of two: one file a bucket on average */
#define NONE            (-1)

static struct bootfs_file files[BOOTFS_MAX_FILES];
static int nfiles;
static int16_t bucket[BUCKETS];                 /* the first file of each chain, or NONE */
static int16_t chain[BOOTFS_MAX_FILES];         /* the next file in a file's chain, or NONE */

static uint32_t path_hash(const char *path)
{
    return fnv(FNV_OFFSET, path, strlen(path)) & (BUCKETS - 1);
}

/* Indexes files[nfiles], whose path is made, and counts it. */
static void add_file(void)
{
    uint32_t b = path_hash(files[nfiles].path);

    chain[nfiles] = bucket[b];
    bucket[b] = (int16_t)nfiles;
    nfiles++;
}

static uint64_t parse_octal(const uint8_t *s, int len)
{
    uint64_t v = 0;

    for (int i = 0; i < len && s[i] >= '0' && s[i] <= '7'; i++)
        v = v * 8 + (s[i] - '0');
    return v;
}

/* "/" + prefix + "/" + name, without a leading "./"; 0, or -1 if too long. */
static int make_path(char *out, const uint8_t *h)
{
    char raw[PREFIX_LEN + 1 + NAME_LEN + 1];
    size_t n = strnlen((const char *)h + PREFIX_OFF, PREFIX_LEN);

    memcpy(raw, h + PREFIX_OFF, n);
    if (n)
        raw[n++] = '/';
    size_t m = strnlen((const char *)h + NAME_OFF, NAME_LEN);
    memcpy(raw + n, h + NAME_OFF, m);
    raw[n + m] = '\0';
    const char *p = raw;
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    if (strlen(p) + 2 > BOOTFS_PATH_MAX)
        return -1;
    out[0] = '/';
    memcpy(out + 1, p, strlen(p) + 1);
    return 0;
}

int bootfs_init(const uint8_t *archive, size_t size)
{
    nfiles = 0;
    for (int b = 0; b < BUCKETS; b++)
        bucket[b] = NONE;
    for (size_t off = 0; off + BLOCK <= size;) {
        const uint8_t *h = archive + off;
        if (h[NAME_OFF] == '\0')
            break;                              /* the zero blocks at the end */
        if (memcmp(h + MAGIC_OFF, "ustar", 5) != 0)
            return -1;
        uint64_t fsize = parse_octal(h + SIZE_OFF, SIZE_LEN);
        if (fsize > size - off - BLOCK)
            return -1;
        char type = (char)h[TYPE_OFF];
        if ((type == TYPE_FILE || type == TYPE_FILE_OLD) && nfiles < BOOTFS_MAX_FILES &&
            make_path(files[nfiles].path, h) == 0) {
            files[nfiles].data = h + BLOCK;
            files[nfiles].size = fsize;
            add_file();
        }
        off += BLOCK + (fsize + BLOCK - 1) / BLOCK * BLOCK;
    }
    return nfiles;
}

const struct bootfs_file *bootfs_lookup(const char *path)
{
    for (int i = bucket[path_hash(path)]; i != NONE; i = chain[i])
        if (strcmp(files[i].path, path) == 0)
            return &files[i];
    return NULL;
}

const struct bootfs_file *bootfs_entry(uint64_t index)
{
    return index < (uint64_t)nfiles ? &files[index] : NULL;
}
