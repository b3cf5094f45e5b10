/*
 * sections_mapping: shared-memory sections within one process
 * (ARCHITECTURE.md section 6, kernel/ipc/section.h): a new section maps
 * zeroed, page-aligned and writable, in whole pages; two mappings share the
 * same bytes; a fixed address is honoured and then taken; a read-write
 * mapping needs RIGHT_WRITE on the section and any mapping RIGHT_MAP, and a
 * read-only mapping faults on a write; bad sizes, flags, addresses and
 * handles are refused; mem_unmap refuses section pages and section_unmap
 * takes only a whole mapping, by its start; kernel copies reach section
 * pages and fail cleanly once they are unmapped.
 */
#include "tests/user/section_util.h"

/* "--write-readonly": maps the section passed without MEM_WRITE, reads, then writes: a page fault. */
static int helper_write_readonly(int argc, char **argv)
{
    long a = section_map(passed(0), 0, NULL, 0);
    volatile uint64_t *p = (volatile uint64_t *)a;

    (void)argc, (void)argv;
    if (a <= 0 || p[0] != 0)
        return 1;
    p[0] = 1;
    return 2;
}

static const struct helper_mode helpers[] = {
    { "--write-readonly", helper_write_readonly },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- create ---------------------------------------------------------------------- */

TEST(create_rejects_bad_sizes_and_flags)
{
    EXPECT_ERR(section_create(0, 0, NULL), E_INVAL);
    EXPECT_ERR(section_create(SECTION_MAX_SIZE + 1, 0, NULL), E_TOOBIG);
    EXPECT_ERR(section_create(UINT64_MAX, 0, NULL), E_TOOBIG);
    EXPECT_ERR(section_create(PAGE_SIZE, MEM_WRITE, NULL), E_INVAL);
    EXPECT_ERR(section_create(PAGE_SIZE, 1UL << 63, NULL), E_INVAL);
    EXPECT_ERR(section_create(PAGE_SIZE, 0, ""), E_INVAL);
    EXPECT_ERR(section_create(PAGE_SIZE, 0, (const char *)KERNEL_HEAP_ADDR), E_FAULT);
}

TEST(mapping_is_zeroed_and_writable)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    volatile uint64_t *p = map_rw(s);
    uint64_t nonzero = 0;

    ASSERT_NE(p, NULL);
    EXPECT_EQ((uint64_t)p % PAGE_SIZE, 0);
    for (size_t i = 0; i < SIZE / sizeof *p; i++)
        nonzero += p[i] != 0;
    EXPECT_EQ(nonzero, 0);
    p[0] = MAGIC;
    p[SIZE / sizeof *p - 1] = MAGIC;
    EXPECT_EQ(section_unmap(0, (void *)p), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(size_rounds_up_to_whole_pages)
{
    handle_t s = section_create(1, 0, NULL);
    ASSERT_TRUE(s > 0);
    volatile char *p = (volatile char *)map_rw(s);

    ASSERT_NE(p, NULL);
    p[PAGE_SIZE - 1] = 1;
    EXPECT_EQ(section_unmap(0, (void *)p), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(two_mappings_share_the_same_bytes)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    volatile uint64_t *a = map_rw(s), *b = map_rw(s);

    ASSERT_TRUE(a && b);
    EXPECT_NE(a, b);
    a[1] = MAGIC;
    EXPECT_EQ(b[1], MAGIC);
    b[SIZE / sizeof *b - 1] = REPLY;
    EXPECT_EQ(a[SIZE / sizeof *a - 1], REPLY);
    EXPECT_EQ(section_unmap(0, (void *)a), 0);
    EXPECT_EQ(b[1], MAGIC);                         /* the other mapping stays */
    EXPECT_EQ(section_unmap(0, (void *)b), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(fixed_address_is_honoured)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);

    EXPECT_EQ(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), (long)FIXED_ADDR);
    *(volatile uint64_t *)FIXED_ADDR = MAGIC;
    EXPECT_ERR(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), E_EXISTS);
    EXPECT_ERR(mem_map((void *)(FIXED_ADDR + PAGE_SIZE), PAGE_SIZE, MEM_WRITE), E_EXISTS);
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* ---- rights -------------------------------------------------------------------------- */

TEST(write_mapping_needs_write_right)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    handle_t map_only = handle_duplicate(s, 0, RIGHT_MAP), no_map = handle_duplicate(s, 0, RIGHT_WRITE);
    ASSERT_TRUE(map_only > 0 && no_map > 0);

    EXPECT_ERR(section_map(map_only, 0, NULL, MEM_WRITE), E_ACCESS);
    long a = section_map(map_only, 0, NULL, 0);
    EXPECT_TRUE(a > 0);
    EXPECT_EQ(section_unmap(0, (void *)a), 0);
    EXPECT_ERR(section_map(no_map, 0, NULL, 0), E_ACCESS);
    EXPECT_EQ(handle_close(map_only), 0);
    EXPECT_EQ(handle_close(no_map), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(read_only_mapping_faults_on_write)
{
    struct process_status st;
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);

    ASSERT_EQ(run_passing("--write-readonly", NULL, &s, 1, &st), 0);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    EXPECT_EQ(st.fault_error & (FAULT_PF_PRESENT | FAULT_PF_WRITE), FAULT_PF_PRESENT | FAULT_PF_WRITE);
    EXPECT_EQ(handle_close(s), 0);
}

/* ---- bad input --------------------------------------------------------------------- */

TEST(map_rejects_bad_addresses_flags_and_handles)
{
    handle_t s = section_create(SIZE, 0, NULL), file = file_open(self_path());
    ASSERT_TRUE(s > 0 && file > 0);

    EXPECT_ERR(section_map(s, 0, NULL, MEM_EXEC), E_INVAL);
    EXPECT_ERR(section_map(s, 0, NULL, 1UL << 63), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)(FIXED_ADDR + 1), 0), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)PAGE_SIZE, 0), E_INVAL);          /* below USER_BASE */
    EXPECT_ERR(section_map(s, 0, (void *)(USER_TOP - PAGE_SIZE), 0), E_INVAL);  /* runs past it */
    EXPECT_ERR(section_map(s, 0, (void *)USER_TOP, 0), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)KERNEL_HEAP_ADDR, 0), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)KERNEL_IMAGE_ADDR, 0), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)USER_BASE, 0), E_EXISTS);         /* our own code */
    EXPECT_ERR(section_map(0, 0, NULL, 0), E_BADHANDLE);
    EXPECT_ERR(section_map(file, 0, NULL, 0), E_WRONGTYPE);
    EXPECT_ERR(section_map(s, file, NULL, 0), E_WRONGTYPE);
    EXPECT_ERR(section_map(s, -1, NULL, 0), E_BADHANDLE);
    EXPECT_ERR(section_unmap(file, (void *)FIXED_ADDR), E_WRONGTYPE);
    EXPECT_EQ(handle_close(file), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(unmap_takes_whole_section_mappings_only)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), (long)FIXED_ADDR);

    EXPECT_ERR(section_unmap(0, (void *)(FIXED_ADDR + PAGE_SIZE)), E_INVAL);   /* not its start */
    EXPECT_ERR(section_unmap(0, (void *)(FIXED_ADDR - PAGE_SIZE)), E_INVAL);
    EXPECT_ERR(section_unmap(0, (void *)KERNEL_HEAP_ADDR), E_INVAL);
    EXPECT_ERR(mem_unmap((void *)(FIXED_ADDR + PAGE_SIZE), PAGE_SIZE), E_INVAL);
    EXPECT_ERR(mem_unmap((void *)(FIXED_ADDR - PAGE_SIZE), SIZE + 2 * PAGE_SIZE), E_INVAL);
    *(volatile uint64_t *)(FIXED_ADDR + PAGE_SIZE) = MAGIC;     /* still mapped */
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_ERR(section_unmap(0, (void *)FIXED_ADDR), E_INVAL);
    EXPECT_EQ(mem_map((void *)FIXED_ADDR, SIZE, MEM_WRITE), (long)FIXED_ADDR);  /* the range is free */
    EXPECT_EQ(*(volatile uint64_t *)(FIXED_ADDR + PAGE_SIZE), 0);
    EXPECT_EQ(mem_unmap((void *)FIXED_ADDR, SIZE), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* A kernel copy into section pages works like any other, and fails cleanly once unmapped. */
TEST(kernel_copies_reach_section_pages)
{
    handle_t s = section_create(SIZE, 0, NULL), f = file_open(self_path());
    ASSERT_TRUE(s > 0 && f > 0);
    char *p = (char *)map_rw(s);

    ASSERT_NE(p, NULL);
    EXPECT_EQ(file_read(f, p, 4, 0), 4);
    EXPECT_EQ(memcmp(p, "\177ELF", 4), 0);
    EXPECT_EQ(section_unmap(0, p), 0);
    EXPECT_ERR(file_read(f, p, 4, 0), E_FAULT);
    EXPECT_EQ(handle_close(f), 0);
    EXPECT_EQ(handle_close(s), 0);
}
