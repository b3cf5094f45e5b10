/*
 * memory_limits: calls over huge ranges answer at once.  The kernel is not
 * preemptible, so a mem_map or mem_unmap that walked a 2^46-byte range page
 * by page, or a console write of all of memory, would freeze the whole
 * machine, not just the caller.
 */
#include <string.h>
#include <test.h>

#define HUGE_LEN        (1ul << 45)     /* far more than the machine's memory */
#define USER_SPACE_LEN  (0x0000800000000000ul - 0x400000ul)
#define QUICK_NS        (2 * 1000000000L)

TEST(mapping_more_than_memory_fails_at_once)
{
    long start = clock_now();

    EXPECT_ERR(mem_map(NULL, HUGE_LEN, MEM_WRITE), E_NOMEM);
    EXPECT_TRUE(clock_now() - start < QUICK_NS);
}

TEST(unmapping_all_of_user_space_is_quick)
{
    long start = clock_now();
    char *keep = (char *)mem_map(NULL, 4096, MEM_WRITE);

    ASSERT_TRUE((long)keep > 0);
    /* Everything from the top of the stack region up: nothing of ours lives there. */
    EXPECT_EQ(mem_unmap((void *)0x0000700000000000ul, 0x0000100000000000ul), 0);
    EXPECT_TRUE(clock_now() - start < QUICK_NS);
    keep[0] = 1;                        /* still mapped: outside that range */
    EXPECT_EQ(mem_unmap(keep, 4096), 0);
}

TEST(unmapping_the_whole_range_of_user_space_returns)
{
    long start = clock_now();

    /* In a child: it unmaps its own program and stack, so it faults right after. */
    handle_t h = process_spawn("/test/memory_limits", (const char *const[]){ "/test/memory_limits", "--unmap-all", NULL }, NULL, 0);
    ASSERT_TRUE(h > 0);
    EXPECT_EQ(object_wait(h, 30 * 1000000000L), 0);
    handle_close(h);
    EXPECT_TRUE(clock_now() - start < 10 * QUICK_NS);
}

TEST(a_console_write_past_the_cap_is_short)
{
    enum { CAP = 16 * 1024 };           /* kernel/drv/console.c: the kernel is not preemptible */
    char *buf = (char *)mem_map(NULL, 2 * CAP, MEM_WRITE);

    ASSERT_TRUE((long)buf > 0);
    memset(buf, '.', 2 * CAP);
    EXPECT_EQ(console_write(buf, 2 * CAP), CAP);
    console_write("\n", 1);
    mem_unmap(buf, 2 * CAP);
}

int main(int argc, char **argv)
{
    if (argc == 2 && argv[1][0] == '-' && argv[1][2] == 'u')
        return (int)mem_unmap((void *)0x400000ul, USER_SPACE_LEN);     /* then faults: fine */
    return test_main(argc, argv);
}
