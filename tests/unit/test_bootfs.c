/*
 * test_bootfs: the ustar reader of the boot filesystem (kernel/proc/bootfs.c).
 * Contract: regular files are indexed by absolute path ("./bin/sh" and
 * prefix + name both become "/bin/sh"), directories are skipped, the data
 * pointers and sizes are right, lookups by path and by index work (the
 * index in path order, whatever order the archive has: lookups are a
 * binary search), and a
 * malformed archive (no magic, a size running past the end) is refused
 * without reading outside the buffer (ASan watches).
 */
#include <stdlib.h>
#include "kernel/proc/bootfs.h"
#include "tests/unit/check.h"

#define BLOCK       512
#define ARCHIVE_MAX (64 * BLOCK)
#define MANY        20          /* files in the order test */

static uint8_t archive[ARCHIVE_MAX];
static size_t used;

/* Appends a header (and |size| bytes of |data|, padded to a block). */
static void add(const char *prefix, const char *name, char type, const char *data, size_t size)
{
    uint8_t *h = archive + used;

    memset(h, 0, BLOCK);
    strcpy((char *)h, name);
    snprintf((char *)h + 124, 12, "%011zo", size);
    h[156] = (uint8_t)type;
    memcpy(h + 257, "ustar", 5);
    if (prefix)
        strcpy((char *)h + 345, prefix);
    used += BLOCK;
    memcpy(archive + used, data, size);
    used += (size + BLOCK - 1) / BLOCK * BLOCK;
}

static void reset(void)
{
    memset(archive, 0, sizeof archive);
    used = 0;
}

static void indexes_files_by_absolute_path(void)
{
    reset();
    add(NULL, "./", '5', "", 0);
    add(NULL, "./bin/sh", '0', "shell", 5);
    add("./usr", "share/motd", '0', "hi", 2);
    add(NULL, "README", '\0', "read me", 7);          /* old-style type flag */
    CHECK_EQ(bootfs_init(archive, used + 2 * BLOCK), 3);
    const struct bootfs_file *f = bootfs_lookup("/bin/sh");
    CHECK(f != NULL);
    CHECK_EQ(f->size, 5);
    CHECK(memcmp(f->data, "shell", 5) == 0);
    CHECK(bootfs_lookup("/usr/share/motd") != NULL);
    CHECK(bootfs_lookup("/README") != NULL);
    CHECK(bootfs_lookup("/bin") == NULL);              /* directories are not files */
    CHECK(bootfs_lookup("bin/sh") == NULL);            /* paths are absolute */
}

static void lists_by_index(void)
{
    reset();
    add(NULL, "./a", '0', "1", 1);
    add(NULL, "./b", '0', "22", 2);
    CHECK_EQ(bootfs_init(archive, used), 2);
    CHECK(strcmp(bootfs_entry(0)->path, "/a") == 0);
    CHECK(strcmp(bootfs_entry(1)->path, "/b") == 0);
    CHECK(bootfs_entry(2) == NULL);
    CHECK(bootfs_entry(UINT64_MAX) == NULL);
}

/* Files archived in reverse and in a scrambled order are each found, and listed in path order. */
static void finds_every_file_in_any_archive_order(void)
{
    for (int order = 0; order < 2; order++) {
        char name[MANY][16];
        reset();
        for (int k = 0; k < MANY; k++) {
            int i = order == 0 ? MANY - 1 - k : (k * 7) % MANY;     /* 7 is prime to 20 */
            snprintf(name[i], sizeof name[i], "./f%02d", i);
            add(NULL, name[i], '0', name[i], 5);
        }
        CHECK_EQ(bootfs_init(archive, used), MANY);
        for (int i = 0; i < MANY; i++) {
            const struct bootfs_file *f = bootfs_lookup(name[i] + 1);       /* "/fNN" */
            CHECK(f != NULL && memcmp(f->data, name[i], 5) == 0);
            CHECK(strcmp(bootfs_entry((uint64_t)i)->path, name[i] + 1) == 0);
        }
        CHECK(bootfs_lookup("/f") == NULL);
        CHECK(bootfs_lookup("/f999") == NULL);
        CHECK(bootfs_lookup("/") == NULL);
    }
}

static void refuses_a_header_without_magic(void)
{
    reset();
    add(NULL, "./a", '0', "1", 1);
    memset(archive + 257, 'x', 5);
    CHECK_EQ(bootfs_init(archive, used), -1);
}

static void refuses_a_size_past_the_end(void)
{
    /* Exactly the archive's length in a heap buffer, so ASan sees any read past it. */
    reset();
    add(NULL, "./a", '0', "12345678", 8);
    snprintf((char *)archive + 124, 12, "%011o", 4096);
    uint8_t *copy = malloc(used);
    memcpy(copy, archive, used);
    int n = bootfs_init(copy, used);
    free(copy);
    CHECK_EQ(n, -1);
}

static void an_empty_archive_has_no_files(void)
{
    reset();
    CHECK_EQ(bootfs_init(archive, 2 * BLOCK), 0);
    CHECK_EQ(bootfs_init(archive, 0), 0);
    CHECK(bootfs_entry(0) == NULL);
}

int main(void)
{
    RUN(indexes_files_by_absolute_path);
    RUN(lists_by_index);
    RUN(finds_every_file_in_any_archive_order);
    RUN(refuses_a_header_without_magic);
    RUN(refuses_a_size_past_the_end);
    RUN(an_empty_archive_has_no_files);
    return check_status();
}
