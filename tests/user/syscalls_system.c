/*
 * syscalls_system: the system calls about the machine give what their
 * handlers promise (kernel/syscall/sys_system.c): console_write returns the
 * length written (0 bytes touch nothing); clock_now never goes backwards;
 * system_stats refuses a short buffer, and its counts add up (live <= peak
 * <= total per tag, the tags' bytes are the heap's, free frames <= total)
 * and follow an open file.
 */
#include "tests/user/util.h"

#define CLOCK_READS         1000

/* ---- console_write ---------------------------------------------------------- */

TEST(console_write_returns_length)
{
    static const char msg[] = "syscalls: console_write\n";

    EXPECT_EQ(console_write(msg, strlen(msg)), (long)strlen(msg));
}

TEST(console_write_of_zero_bytes_returns_0)
{
    EXPECT_EQ(console_write("x", 0), 0);
    EXPECT_EQ(console_write(NULL, 0), 0);     /* nothing to read: the pointer is not touched */
}

#define KLOG_READ_MAX 4096

/* ---- clock_now, system_stats -------------------------------------------------- */

/*
 * console_write is the kernel's log path: what it writes is in the log
 * ring, whose most recent bytes log_read returns (dmesg).  (Console input
 * is the console driver's alone: there is no console_read any more.)
 */
TEST(console_write_lands_in_the_log_ring)
{
    static const char mark[] = "syscalls_system: a line for the log ring\n";
    static char log[KLOG_READ_MAX];

    ASSERT_EQ(console_write(mark, sizeof mark - 1), (long)sizeof mark - 1);
    long n = log_read(log, sizeof log - 1);
    ASSERT_TRUE(n >= (long)sizeof mark - 1);
    log[n] = '\0';
    EXPECT_TRUE(strstr(log, mark) != NULL);
    EXPECT_EQ(log_read(log, 4), 4);
    EXPECT_EQ(memcmp(log, "ing\n", 4), 0);     /* the last four bytes: the end of our line */
    EXPECT_EQ(log_read(log, 0), 0);
    EXPECT_ERR(log_read((void *)KERNEL_VMA, 1), E_FAULT);
}

TEST(clock_now_is_monotonic)
{
    long prev = clock_now(), backwards = 0;

    EXPECT_TRUE(prev >= 0);
    for (int i = 0; i < CLOCK_READS; i++) {
        long now = clock_now();
        backwards += now < prev;
        prev = now;
    }
    EXPECT_EQ(backwards, 0);
}

TEST(system_stats_short_length_is_inval)
{
    static struct system_stats s;

    EXPECT_ERR(system_stats(&s, sizeof s - 1), E_INVAL);
    EXPECT_ERR(system_stats(&s, 0), E_INVAL);
}

TEST(system_stats_counts_are_sane)
{
    static struct system_stats s;
    uint64_t bytes = 0;

    ASSERT_EQ(system_stats(&s, sizeof s), (long)sizeof s);
    EXPECT_TRUE(s.total_frames > 0);
    EXPECT_TRUE(s.free_frames <= s.total_frames);
    EXPECT_TRUE(s.ntags > 0 && s.ntags <= STATS_MAX_TAGS);
    for (uint64_t i = 0; i < s.ntags && i < STATS_MAX_TAGS; i++) {
        EXPECT_TRUE(s.tags[i].live <= s.tags[i].peak);
        EXPECT_TRUE(s.tags[i].peak <= s.tags[i].total);
        bytes += s.tags[i].bytes;
    }
    EXPECT_EQ(s.heap_bytes, bytes);
}

TEST(system_stats_counts_an_open_file)
{
    static struct system_stats before, open, after;

    system_stats(&before, sizeof before);
    handle_t f = file_open(README_PATH);
    system_stats(&open, sizeof open);
    EXPECT_EQ(handle_close(f), 0);
    system_stats(&after, sizeof after);
    EXPECT_EQ(stats_live(&open, "File"), stats_live(&before, "File") + 1);
    EXPECT_EQ(stats_live(&after, "File"), stats_live(&before, "File"));
}
