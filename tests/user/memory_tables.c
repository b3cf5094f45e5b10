/*
 * memory_tables: unmapping gives everything back at once, not at exit
 * (kernel/mm/vm.c, kernel/arch/x86_64/paging.c): the frames of the pages
 * and of every page table that empties, however the range was mapped;
 * mem_map(NULL) hands unmapped ranges out again, so map/unmap cycles
 * neither use up the address space nor leave holes behind.  Counted with
 * system_stats while the process lives (the runner's leak check only sees
 * what is left after exit).
 */
#include "tests/user/util.h"

#define MiB                 (1024ul * 1024)
#define CYCLES_1MIB         100
#define CYCLES_SMALL        10000
#define SCATTER             8           /* pages, each under its own PML4 entry */
#define PML4_SPAN           (1ul << 39)
#define SCATTER_BASE        (USER_STACK_TOP / 4)
#define FRAGMENTS           64

static uint64_t free_frames(void)
{
    static struct system_stats s;

    system_stats(&s, sizeof s);
    return s.free_frames;
}

/* Maps |len| bytes where the kernel picks and writes every page of it; the address or 0. */
static char *map_touched(size_t len)
{
    long p = mem_map(NULL, len, MEM_WRITE);

    if (p < 0)
        return NULL;
    for (size_t off = 0; off < len; off += PAGE_SIZE)
        ((volatile char *)p)[off] = 1;
    return (char *)p;
}

int main(int argc, char **argv)
{
    return test_main(argc, argv);
}

/* The bug: page tables were never freed, and each cycle got new addresses (and new tables). */
TEST(map_unmap_1mib_100_times_gives_every_frame_back)
{
    uint64_t before = free_frames();

    for (int i = 0; i < CYCLES_1MIB; i++) {
        char *p = map_touched(MiB);
        ASSERT_TRUE(p != NULL);
        ASSERT_EQ(mem_unmap(p, MiB), 0);
    }
    EXPECT_EQ(free_frames(), before);
}

TEST(unmapped_range_is_handed_out_again)
{
    char *a = map_touched(16 * PAGE_SIZE);

    ASSERT_TRUE(a != NULL);
    ASSERT_EQ(mem_unmap(a, 16 * PAGE_SIZE), 0);
    char *b = map_touched(16 * PAGE_SIZE);
    EXPECT_EQ((long)b, (long)a);
    EXPECT_EQ(b[0], 1);                 /* touched just now, after a fresh zero fill */
    EXPECT_EQ(mem_unmap(b, 16 * PAGE_SIZE), 0);
}

/* Sizes from 1 to 16 pages, 10,000 times: the addresses stay low and nothing is left over. */
TEST(ten_thousand_cycles_use_up_nothing)
{
    uint64_t before = free_frames();
    long lowest = 0, highest = 0;

    for (int i = 0; i < CYCLES_SMALL; i++) {
        size_t len = (size_t)(i % 16 + 1) * PAGE_SIZE;
        long p = mem_map(NULL, len, MEM_WRITE);
        ASSERT_TRUE(p > 0);
        ((volatile char *)p)[len - 1] = 1;
        lowest = i == 0 || p < lowest ? p : lowest;
        highest = p > highest ? p : highest;
        ASSERT_EQ(mem_unmap((void *)p, len), 0);
    }
    EXPECT_EQ(highest, lowest);         /* every size fits where the first one went */
    EXPECT_EQ(free_frames(), before);
}

/*
 * Every other region of a row unmapped: as many new regions of the same
 * size land in those holes, below the end of the row, and a larger one
 * still finds room.
 */
TEST(holes_are_filled_before_new_space)
{
    long row[FRAGMENTS], end = 0;
    uint64_t before = free_frames();

    for (int i = 0; i < FRAGMENTS; i++) {
        row[i] = (long)map_touched(2 * PAGE_SIZE);
        ASSERT_TRUE(row[i] > 0);
        end = row[i] > end ? row[i] : end;
    }
    for (int i = 0; i < FRAGMENTS; i += 2)
        ASSERT_EQ(mem_unmap((void *)row[i], 2 * PAGE_SIZE), 0);
    for (int i = 0; i < FRAGMENTS; i += 2) {
        row[i] = (long)map_touched(2 * PAGE_SIZE);
        ASSERT_TRUE(row[i] > 0);
        EXPECT_TRUE(row[i] <= end);
    }
    char *big = map_touched(64 * PAGE_SIZE);
    ASSERT_TRUE(big != NULL);
    EXPECT_EQ(mem_unmap(big, 64 * PAGE_SIZE), 0);
    for (int i = 0; i < FRAGMENTS; i++)
        ASSERT_EQ(mem_unmap((void *)row[i], 2 * PAGE_SIZE), 0);
    EXPECT_EQ(free_frames(), before);
}

/* Pages 512 GiB apart need three tables each; one unmap over all of them frees every one. */
TEST(one_unmap_over_scattered_pages_frees_their_tables)
{
    uint64_t before = free_frames();

    for (int i = 0; i < SCATTER; i++) {
        char *p = (char *)(SCATTER_BASE + i * PML4_SPAN);
        ASSERT_EQ(mem_map(p, PAGE_SIZE, MEM_WRITE), (long)p);
        p[0] = 1;
    }
    EXPECT_TRUE(free_frames() <= before - SCATTER * 4);    /* a page and three tables each */
    EXPECT_EQ(mem_unmap((void *)SCATTER_BASE, SCATTER * PML4_SPAN), 0);
    EXPECT_EQ(free_frames(), before);
}

/* Part of a range unmapped: only those pages go; the rest stay mapped and keep their data. */
TEST(partial_unmap_keeps_the_rest)
{
    char *p = map_touched(8 * PAGE_SIZE);

    ASSERT_TRUE(p != NULL);
    p[7 * PAGE_SIZE] = 7;
    ASSERT_EQ(mem_unmap(p + 2 * PAGE_SIZE, 4 * PAGE_SIZE), 0);
    EXPECT_EQ(p[0], 1);
    EXPECT_EQ(p[7 * PAGE_SIZE], 7);
    EXPECT_EQ(mem_map(p + 2 * PAGE_SIZE, 4 * PAGE_SIZE, MEM_WRITE), (long)(p + 2 * PAGE_SIZE));
    EXPECT_EQ(p[3 * PAGE_SIZE], 0);
    EXPECT_EQ(mem_unmap(p, 8 * PAGE_SIZE), 0);
}
