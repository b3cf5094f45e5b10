/*
 * memory_demand: mapped memory is committed at once and zero-filled on
 * first touch (kernel/mm/vm.c, docs/03-processes.md "Address spaces"):
 * untouched pages already count as used, a map that memory cannot back is
 * E_NOMEM up front, kernel copies into and out of untouched pages work
 * (straddling two of them too), a touch that the page's rights forbid
 * still ends the process, a thread stack that overflows faults in the
 * guard page below it, and the loader's pages hold the file's bytes with
 * zeros exactly where the file has none (.bss, on .data's last page too).
 */
#include "tests/user/util.h"

#define PAGES           16
#define DATA_VALUE      0x600dda7aL
#define BSS_PAGES       3
#define SMALL_STACK     (16 * 1024)

static volatile long data_value = DATA_VALUE;          /* from the file */
static volatile unsigned char bss[BSS_PAGES * PAGE_SIZE];   /* not in the file */

static uint64_t free_frames(void)
{
    static struct system_stats s;

    system_stats(&s, sizeof s);
    return s.free_frames;
}

/* ---- helper modes ------------------------------------------------------- */

/* "--write-readonly-first": writes a read-only page it never read (a protection fault, as if touched). */
static int helper_write_readonly_first(int argc, char **argv)
{
    volatile char *p = (char *)mem_map(NULL, PAGE_SIZE, MEM_READ);

    (void)argc, (void)argv;
    p[0] = 1;
    return 2;
}

/* "--run-data": jumps into a page mapped without MEM_EXEC that it never touched. */
static int helper_run_data(int argc, char **argv)
{
    long p = mem_map(NULL, PAGE_SIZE, MEM_WRITE);

    (void)argc, (void)argv;
    ((void (*)(void))p)();
    return 2;
}

/* Each call keeps a buffer on the stack; |endless| stops the compiler from calling it infinite. */
static volatile int endless = 1;
static int recurse(int depth)
{
    volatile char pad[256];

    pad[0] = (char)depth;
    return endless ? recurse(depth + 1) + pad[0] : 0;
}

static void overflow(void *arg)
{
    (void)arg;
    recurse(0);
}

/* "--thread-overflow": a thread with a 16 KiB stack recurses without end. */
static int helper_thread_overflow(int argc, char **argv)
{
    (void)argc, (void)argv;
    handle_t t = thread_start(overflow, NULL, SMALL_STACK);
    if (t < 0)
        return 1;
    object_wait(t, TIMEOUT_INFINITE);
    return 2;
}

static const struct helper_mode helpers[] = {
    { "--write-readonly-first", helper_write_readonly_first },
    { "--run-data", helper_run_data },
    { "--thread-overflow", helper_thread_overflow },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- commit --------------------------------------------------------------- */

TEST(untouched_pages_are_committed_at_map)
{
    uint64_t before = free_frames();
    long p = mem_map(NULL, PAGES * PAGE_SIZE, MEM_WRITE);

    ASSERT_TRUE(p > 0);
    EXPECT_TRUE(free_frames() <= before - PAGES);
    EXPECT_EQ(mem_unmap((void *)p, PAGES * PAGE_SIZE), 0);
    EXPECT_EQ(free_frames(), before);
}

TEST(map_beyond_free_memory_is_nomem_at_once)
{
    uint64_t before = free_frames();

    EXPECT_ERR(mem_map(NULL, (before + 1) * PAGE_SIZE, MEM_WRITE), E_NOMEM);
    EXPECT_EQ(free_frames(), before);
}

TEST(touched_pages_read_zero_and_keep_what_is_written)
{
    volatile unsigned char *p = (unsigned char *)mem_map(NULL, PAGES * PAGE_SIZE, MEM_WRITE);

    ASSERT_TRUE((long)p > 0);
    for (int i = 0; i < PAGES; i++) {
        ASSERT_EQ(p[i * PAGE_SIZE + i], 0);
        p[i * PAGE_SIZE + i] = (unsigned char)(i + 1);
    }
    for (int i = 0; i < PAGES; i++)
        ASSERT_EQ(p[i * PAGE_SIZE + i], i + 1);
    EXPECT_EQ(mem_unmap((void *)p, PAGES * PAGE_SIZE), 0);
}

/* ---- kernel copies ---------------------------------------------------------- */

TEST(kernel_writes_into_untouched_pages)
{
    char *p = (char *)mem_map(NULL, 4 * PAGE_SIZE, MEM_WRITE);
    struct system_stats *s = (struct system_stats *)(p + 2 * PAGE_SIZE - 8);   /* straddles two */

    ASSERT_TRUE((long)p > 0);
    EXPECT_EQ(system_stats(s, sizeof *s), (long)sizeof *s);
    EXPECT_TRUE(s->total_frames > 0);
    EXPECT_EQ(mem_unmap(p, 4 * PAGE_SIZE), 0);
}

TEST(kernel_reads_untouched_pages_as_zero)
{
    char *p = (char *)mem_map(NULL, 2 * PAGE_SIZE, MEM_READ);
    handle_t ends[PIPE_ENDS];
    char back[16];

    ASSERT_TRUE((long)p > 0);
    ASSERT_EQ(pipe_create(ends), 0);
    EXPECT_EQ(pipe_write(ends[PIPE_WRITE_END], p + PAGE_SIZE - 8, sizeof back), (long)sizeof back);
    memset(back, 0x55, sizeof back);
    EXPECT_EQ(pipe_read(ends[PIPE_READ_END], back, sizeof back), (long)sizeof back);
    for (size_t i = 0; i < sizeof back; i++)
        EXPECT_EQ(back[i], 0);
    handle_close(ends[0]);
    handle_close(ends[1]);
    EXPECT_EQ(mem_unmap(p, 2 * PAGE_SIZE), 0);
}

/* ---- faults still end the process ----------------------------------------- */

/* Runs helper |mode|: it must end with a page fault whose error code has |bits| of |mask|. */
static void expect_page_fault(const char *mode, uint64_t bits, uint64_t mask)
{
    struct process_status st;

    ASSERT_EQ(run_self(mode, NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    EXPECT_EQ(st.fault_error & mask, bits);
}

TEST(write_to_untouched_readonly_page_faults)
{
    expect_page_fault("--write-readonly-first", FAULT_PF_PRESENT | FAULT_PF_WRITE,
                      FAULT_PF_PRESENT | FAULT_PF_WRITE);
}

TEST(running_an_untouched_data_page_faults)
{
    expect_page_fault("--run-data", FAULT_PF_PRESENT | FAULT_PF_FETCH,
                      FAULT_PF_PRESENT | FAULT_PF_FETCH);
}

/* The guard page below the stack was never mapped: not present, whatever demand paging does. */
TEST(thread_stack_overflow_faults_in_the_guard_page)
{
    expect_page_fault("--thread-overflow", FAULT_PF_WRITE, FAULT_PF_PRESENT | FAULT_PF_WRITE);
}

/* ---- the loader --------------------------------------------------------------- */

TEST(loaded_data_is_the_files_and_bss_is_zero)
{
    EXPECT_EQ(data_value, DATA_VALUE);
    for (size_t i = 0; i < sizeof bss; i++)
        ASSERT_EQ(bss[i], 0);
    bss[0] = 1;
    EXPECT_EQ(bss[0], 1);
}
