/*
 * bootfs.c: reads the ustar archive of the boot filesystem.
 *
 * A ustar archive is a series of 512-byte headers, each followed by the
 * file's data rounded up to 512 bytes, ending with zero blocks.  A header
 * holds the name (with an optional prefix), the size in octal ASCII and a
 * type flag.  We index regular files once at boot; the data stays where
 * GRUB put it, reached through the direct map.  The index is sorted by
 * path, so a lookup (every spawn makes one) is a binary search: about
 * eight comparisons for 200 files, where a list would make one a file.
 */
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

static struct bootfs_file files[BOOTFS_MAX_FILES];
static int nfiles;

/*
 * Counts files[nfiles], just made, keeping files[] sorted by path.  The
 * Makefile archives the tree sorted, so each file comes after the one
 * before and this costs one comparison; an archive made otherwise is
 * sorted here, by insertion.
 */
static void add_file(void)
{
    int i = nfiles++;

    if (i == 0 || strcmp(files[i - 1].path, files[i].path) <= 0)
        return;                         /* the usual case: archived in order */
    struct bootfs_file f = files[i];
    for (; i > 0 && strcmp(files[i - 1].path, f.path) > 0; i--)
        files[i] = files[i - 1];
    files[i] = f;
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
    int lo = 0, hi = nfiles;            /* the path, if here, is in files[lo, hi) */

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2, c = strcmp(files[mid].path, path);
        if (c == 0)
            return &files[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct bootfs_file *bootfs_entry(uint64_t index)
{
    return index < (uint64_t)nfiles ? &files[index] : NULL;
}
