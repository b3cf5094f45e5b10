/*
 * sections_frames: the lifetime of a section's frames (ARCHITECTURE.md
 * section 6, kernel/ipc/section.h): they come back only when the last
 * handle and the last mapping are gone, in either order (counted with
 * system_stats); a process that ends with the section still mapped gives
 * its mapping back, and killing one that holds the only mapping leaves
 * nothing behind.
 */
#include "tests/user/section_util.h"

#define FRAME_PAGES         64          /* a section big enough to see in the free-frame count */

static uint64_t free_frames(void)
{
    static struct system_stats s;

    system_stats(&s, sizeof s);
    return s.free_frames;
}

/* "--map-and-exit": maps and leaves without unmapping: exit must drop the mapping. */
static int helper_map_and_exit(int argc, char **argv)
{
    volatile uint64_t *p = map_rw(passed(0));

    (void)argc, (void)argv;
    if (!p)
        return 1;
    p[0] = CHILD_VALUE;
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--sleep", helper_sleep },
    { "--map-and-exit", helper_map_and_exit },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* Maps and unmaps once at FIXED_ADDR, so its page tables exist before we count frames. */
static void warm_up_page_tables(handle_t s)
{
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, 0), (long)FIXED_ADDR);
    ASSERT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
}

TEST(frames_live_until_last_handle_and_last_mapping)
{
    handle_t warm = section_create(FRAME_PAGES * PAGE_SIZE, 0, NULL);
    ASSERT_TRUE(warm > 0);
    warm_up_page_tables(warm);
    EXPECT_EQ(handle_close(warm), 0);

    uint64_t before = free_frames();
    handle_t s = section_create(FRAME_PAGES * PAGE_SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    EXPECT_TRUE(free_frames() <= before - FRAME_PAGES);
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), (long)FIXED_ADDR);
    EXPECT_EQ(handle_close(s), 0);                      /* the mapping keeps the frames */
    EXPECT_TRUE(free_frames() <= before - FRAME_PAGES);
    *(volatile uint64_t *)FIXED_ADDR = MAGIC;
    EXPECT_EQ(*(volatile uint64_t *)FIXED_ADDR, MAGIC);
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_EQ(free_frames(), before);

    s = section_create(FRAME_PAGES * PAGE_SIZE, 0, NULL);   /* the other order */
    ASSERT_TRUE(s > 0);
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), (long)FIXED_ADDR);
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_TRUE(free_frames() <= before - FRAME_PAGES);     /* the handle keeps them */
    EXPECT_EQ(handle_close(s), 0);
    EXPECT_EQ(free_frames(), before);
}

/* A process that ends with the section still mapped gives its mapping back. */
TEST(exit_drops_the_mapping)
{
    struct process_status st;
    handle_t s = section_create(FRAME_PAGES * PAGE_SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    warm_up_page_tables(s);
    uint64_t before = free_frames();

    ASSERT_EQ(run_passing("--map-and-exit", NULL, &s, 1, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, 0), (long)FIXED_ADDR);
    EXPECT_EQ(*(volatile uint64_t *)FIXED_ADDR, CHILD_VALUE);
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_EQ(free_frames(), before);                   /* the child and its mapping are gone */
    EXPECT_EQ(handle_close(s), 0);
}

TEST(killing_a_process_with_a_mapping_leaves_nothing)
{
    struct process_status st;
    handle_t s = section_create(SIZE, 0, NULL), child = spawn_self("--sleep", NULL);
    ASSERT_TRUE(s > 0 && child > 0);

    EXPECT_TRUE(section_map(s, child, NULL, MEM_WRITE) > 0);
    EXPECT_EQ(handle_close(s), 0);                      /* only the child's mapping is left */
    EXPECT_EQ(process_kill(child, 0), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
}
