/*
 * syscalls_files: the boot file system calls with normal arguments give
 * what their handlers promise (kernel/syscall/sys_file.c): file_open of a
 * missing path is E_NOTFOUND; file_read reads the whole file (the size
 * file_list reports), reads at an offset what a whole read has there, is
 * partial near the end, returns 0 at or past it and refuses a negative
 * offset; file_list names each file once, starts with '/', is E_NOTFOUND
 * past the end and E_TOOBIG for a name that does not fit.  Bad pointers
 * and lengths are the badinput_* suites'.
 */
#include "tests/user/util.h"

#define PARTIAL_TAIL        3                   /* bytes left when reading near the end */

/* The size file_list reports for |path|, or E_NOTFOUND. */
static long file_size(const char *path)
{
    char name[BOOTFS_PATH_MAX];
    long size;

    for (long i = 0; (size = file_list(i, name, sizeof name)) >= 0; i++)
        if (strcmp(name, path) == 0)
            return size;
    return size;
}

TEST(file_open_missing_is_notfound)
{
    EXPECT_ERR(file_open(MISSING_PATH), E_NOTFOUND);
}

TEST(file_read_whole_file_gives_listed_size)
{
    static char buf[PAGE_SIZE];
    long size = file_size(README_PATH);
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(size > PARTIAL_TAIL && size < (long)sizeof buf);
    ASSERT_TRUE(f > 0);
    EXPECT_EQ(file_read(f, buf, sizeof buf, 0), size);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_read_at_offset_matches_whole_read)
{
    static char whole[PAGE_SIZE], part[PAGE_SIZE];
    handle_t f = file_open(README_PATH);
    long size = f > 0 ? file_read(f, whole, sizeof whole, 0) : f;

    ASSERT_TRUE(size > PARTIAL_TAIL);
    EXPECT_EQ(file_read(f, part, PARTIAL_TAIL, 1), PARTIAL_TAIL);
    EXPECT_EQ(memcmp(part, whole + 1, PARTIAL_TAIL), 0);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_read_at_or_past_end_returns_0)
{
    char c;
    long size = file_size(README_PATH);
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_EQ(file_read(f, &c, 1, size), 0);
    EXPECT_EQ(file_read(f, &c, 1, size + PAGE_SIZE), 0);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_read_near_end_is_partial)
{
    char buf[2 * PARTIAL_TAIL];
    long size = file_size(README_PATH);
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_EQ(file_read(f, buf, sizeof buf, size - PARTIAL_TAIL), PARTIAL_TAIL);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_read_negative_offset_is_inval)
{
    char c;
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_ERR(file_read(f, &c, 1, -1), E_INVAL);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(file_list_names_each_file_once)
{
    char name[BOOTFS_PATH_MAX];
    int readme = 0, echo = 0;
    long i;

    for (i = 0; file_list(i, name, sizeof name) >= 0; i++) {
        EXPECT_EQ(name[0], '/');
        readme += strcmp(name, README_PATH) == 0;
        echo += strcmp(name, ECHO_PATH) == 0;
    }
    EXPECT_TRUE(i > 0);
    EXPECT_EQ(readme, 1);
    EXPECT_EQ(echo, 1);
}

TEST(file_list_past_end_is_notfound)
{
    char name[BOOTFS_PATH_MAX];
    long n = 0;

    while (file_list(n, name, sizeof name) >= 0)
        n++;
    EXPECT_ERR(file_list(n, name, sizeof name), E_NOTFOUND);
    EXPECT_ERR(file_list(n + 1, name, sizeof name), E_NOTFOUND);
    EXPECT_ERR(file_list(-1, name, sizeof name), E_NOTFOUND);
}

TEST(file_list_small_buffer_is_toobig)
{
    char name[BOOTFS_PATH_MAX];

    ASSERT_TRUE(file_list(0, name, sizeof name) >= 0);
    size_t need = strlen(name) + 1;
    EXPECT_ERR(file_list(0, name, need - 1), E_TOOBIG);
    EXPECT_ERR(file_list(0, name, 0), E_TOOBIG);
    EXPECT_TRUE(file_list(0, name, need) >= 0);
}
