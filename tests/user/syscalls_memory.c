/*
 * syscalls_memory: mem_map and mem_unmap with normal arguments give what
 * their handlers promise (kernel/syscall/sys_mem.c): mem_map(NULL) picks a
 * page-aligned address in the mmap area, a fixed address is honoured, the
 * memory is zeroed (again after an unmap and a new map), lengths round up
 * to whole pages; a page mapped without MEM_WRITE reads as zero and faults
 * on a write, an unmapped page faults on a read, a MEM_EXEC page runs (its
 * zeros, up to its end) where a page without it faults at once; MEM_WRITE
 * with MEM_EXEC is E_INVAL and maps nothing (issue 10: W^X); mapping over a
 * mapped page is E_EXISTS, outside user space or unaligned E_INVAL, and
 * unmapping nothing is fine.  Bad pointers and lengths are
 * the badinput_* suites'.
 */
#include "tests/user/util.h"

#define MAP_PAGES           2
#define FIXED_MAP_ADDR      (USER_STACK_TOP / 4)     /* far above what mem_map(NULL) hands out */
#define PATTERN             0xa5

/* What the zeros of a MEM_EXEC page do, as `add %al, (%rax)`: add to this. */
static volatile char scratch;

/* ---- helper modes ------------------------------------------------------- */

/* "--write-readonly": reads a page mapped without MEM_WRITE, then writes it (faults). */
static int helper_write_readonly(int argc, char **argv)
{
    volatile char *p = (char *)mem_map(NULL, PAGE_SIZE, MEM_READ);

    (void)argc, (void)argv;
    if (p[0] != 0)
        return 1;
    p[0] = 1;
    return 2;
}

/* "--touch-unmapped": writes a page, unmaps it, reads it again (faults). */
static int helper_touch_unmapped(int argc, char **argv)
{
    volatile char *p = (char *)mem_map(NULL, PAGE_SIZE, MEM_WRITE);

    (void)argc, (void)argv;
    p[0] = 1;
    mem_unmap((void *)p, PAGE_SIZE);
    return p[0];
}

/* "--jump-into FLAGS": maps FIXED_MAP_ADDR (nothing after it) with FLAGS and jumps to its start. */
static int helper_jump_into(int argc, char **argv)
{
    long page = mem_map((void *)FIXED_MAP_ADDR, PAGE_SIZE, argc > 0 ? strtoul(argv[0], NULL, 0) : 0);

    if (page != (long)FIXED_MAP_ADDR)
        return 1;
    __asm__ volatile("jmp *%1" : : "a"(&scratch), "r"(page) : "memory");
    return 2;
}

static const struct helper_mode helpers[] = {
    { "--jump-into", helper_jump_into },
    { "--write-readonly", helper_write_readonly },
    { "--touch-unmapped", helper_touch_unmapped },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- mem_map, mem_unmap --------------------------------------------------- */

TEST(mem_map_null_picks_aligned_user_address)
{
    long p = mem_map(NULL, PAGE_SIZE, MEM_WRITE);

    ASSERT_TRUE(p > 0);
    EXPECT_EQ(p % PAGE_SIZE, 0);
    EXPECT_TRUE((uint64_t)p >= USER_MMAP_BASE && (uint64_t)p < USER_STACK_TOP);
    EXPECT_EQ(mem_unmap((void *)p, PAGE_SIZE), 0);
}

TEST(mem_map_fixed_address_returns_it)
{
    EXPECT_EQ(mem_map((void *)FIXED_MAP_ADDR, PAGE_SIZE, MEM_WRITE), (long)FIXED_MAP_ADDR);
    *(volatile char *)FIXED_MAP_ADDR = 1;
    EXPECT_EQ(mem_unmap((void *)FIXED_MAP_ADDR, PAGE_SIZE), 0);
}

TEST(mem_map_memory_is_zeroed_and_writable)
{
    size_t len = MAP_PAGES * PAGE_SIZE;
    unsigned char *p = (unsigned char *)mem_map(NULL, len, MEM_WRITE);

    ASSERT_TRUE((long)p > 0);
    for (size_t i = 0; i < len; i++)
        ASSERT_EQ(p[i], 0);
    memset(p, PATTERN, len);
    EXPECT_EQ(p[0], PATTERN);
    EXPECT_EQ(p[len - 1], PATTERN);
    EXPECT_EQ(mem_unmap(p, len), 0);
}

TEST(mem_map_rounds_length_up_to_a_page)
{
    volatile char *p = (char *)mem_map(NULL, 1, MEM_WRITE);

    ASSERT_TRUE((long)p > 0);
    p[PAGE_SIZE - 1] = 1;               /* the whole page is there */
    EXPECT_EQ(mem_unmap((void *)p, 1), 0);
}

TEST(mem_map_over_a_mapped_page_is_exists)
{
    EXPECT_ERR(mem_map((void *)USER_BASE, PAGE_SIZE, MEM_WRITE), E_EXISTS);   /* our own code */
    ASSERT_EQ(mem_map((void *)FIXED_MAP_ADDR, PAGE_SIZE, MEM_WRITE), (long)FIXED_MAP_ADDR);
    EXPECT_ERR(mem_map((void *)FIXED_MAP_ADDR, PAGE_SIZE, MEM_WRITE), E_EXISTS);
    EXPECT_EQ(mem_unmap((void *)FIXED_MAP_ADDR, PAGE_SIZE), 0);
}

TEST(mem_map_again_after_unmap_is_zeroed)
{
    volatile char *p = (char *)FIXED_MAP_ADDR;

    ASSERT_EQ(mem_map((void *)p, PAGE_SIZE, MEM_WRITE), (long)p);
    p[0] = PATTERN;
    EXPECT_EQ(mem_unmap((void *)p, PAGE_SIZE), 0);
    ASSERT_EQ(mem_map((void *)p, PAGE_SIZE, MEM_WRITE), (long)p);
    EXPECT_EQ(p[0], 0);
    EXPECT_EQ(mem_unmap((void *)p, PAGE_SIZE), 0);
}

TEST(mem_map_without_write_is_readable_and_zeroed)
{
    volatile char *p = (char *)mem_map(NULL, PAGE_SIZE, MEM_READ);

    ASSERT_TRUE((long)p > 0);
    EXPECT_EQ(p[0], 0);
    EXPECT_EQ(p[PAGE_SIZE - 1], 0);
    EXPECT_EQ(mem_unmap((void *)p, PAGE_SIZE), 0);
}

TEST(mem_map_without_write_faults_on_write)
{
    struct process_status st;

    ASSERT_EQ(run_self("--write-readonly", NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    EXPECT_EQ(st.fault_error & (FAULT_PF_PRESENT | FAULT_PF_WRITE), FAULT_PF_PRESENT | FAULT_PF_WRITE);
}

TEST(mem_unmap_then_touch_faults)
{
    struct process_status st;

    ASSERT_EQ(run_self("--touch-unmapped", NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    EXPECT_EQ(st.fault_error & (FAULT_PF_PRESENT | FAULT_PF_WRITE), 0);
}

TEST(mem_unmap_of_unmapped_range_is_ok)
{
    EXPECT_EQ(mem_unmap((void *)FIXED_MAP_ADDR, PAGE_SIZE), 0);
}

TEST(mem_exec_page_runs_and_a_page_without_it_does_not)
{
    struct process_status st;

    ASSERT_EQ(run_self("--jump-into", "2", &st), 0);        /* MEM_EXEC */
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    EXPECT_TRUE(st.fault_error & FAULT_PF_FETCH);
    EXPECT_EQ(st.fault_addr, FIXED_MAP_ADDR + PAGE_SIZE);  /* ran its zeros to the end */
    ASSERT_EQ(run_self("--jump-into", "0", &st), 0);        /* read only: not executable */
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_TRUE(st.fault_error & FAULT_PF_FETCH);
    EXPECT_EQ(st.fault_addr, FIXED_MAP_ADDR);               /* faulted at its first byte */
}

TEST(mem_map_write_and_exec_together_is_inval)
{
    long before = mem_map(NULL, PAGE_SIZE, MEM_WRITE), after;

    ASSERT_TRUE(before > 0);
    EXPECT_ERR(mem_map(NULL, PAGE_SIZE, MEM_WRITE | MEM_EXEC), E_INVAL);
    EXPECT_ERR(mem_map((void *)FIXED_MAP_ADDR, PAGE_SIZE, MEM_WRITE | MEM_EXEC), E_INVAL);
    EXPECT_EQ(mem_map((void *)FIXED_MAP_ADDR, PAGE_SIZE, MEM_EXEC), (long)FIXED_MAP_ADDR);
                                                        /* not E_EXISTS: nothing was mapped */
    EXPECT_EQ(mem_unmap((void *)FIXED_MAP_ADDR, PAGE_SIZE), 0);
    ASSERT_TRUE((after = mem_map(NULL, PAGE_SIZE, MEM_WRITE)) > 0);
    mem_unmap((void *)before, PAGE_SIZE);
    mem_unmap((void *)after, PAGE_SIZE);
}

TEST(mem_map_outside_user_space_is_inval)
{
    EXPECT_ERR(mem_map((void *)(FIXED_MAP_ADDR + 1), PAGE_SIZE, MEM_WRITE), E_INVAL);
    EXPECT_ERR(mem_map((void *)PAGE_SIZE, PAGE_SIZE, MEM_WRITE), E_INVAL);    /* below USER_BASE */
    EXPECT_ERR(mem_map((void *)(USER_TOP - PAGE_SIZE), 2 * PAGE_SIZE, MEM_WRITE), E_INVAL);
    EXPECT_ERR(mem_map((void *)USER_TOP, PAGE_SIZE, MEM_WRITE), E_INVAL);
    EXPECT_ERR(mem_map((void *)KERNEL_HEAP_ADDR, PAGE_SIZE, MEM_WRITE), E_INVAL);
    EXPECT_ERR(mem_unmap((void *)KERNEL_IMAGE_ADDR, PAGE_SIZE), E_INVAL);
    EXPECT_ERR(mem_unmap((void *)(FIXED_MAP_ADDR + 1), PAGE_SIZE), E_INVAL);
}
