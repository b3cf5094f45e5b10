/*
 * sched_latency_icount: no system call keeps the CPU long (issue 10, item
 * 2).  Ember's kernel is not preemptible, so each call runs with interrupts
 * off until it returns; the kernel measures the longest such stretch
 * (system_stats.stretch_recent_ns, kernel/arch/x86_64/latency.h).  Each case
 * drives a worst case a hostile program can ask for (the longest console
 * write, the exit of a process holding many pages, a wait on the most
 * handles, an unmap of the whole user half) and checks the stretch stays
 * under STRETCH_BOUND_NS of guest time.  It prints what it measured.
 *
 * The suffix _icount makes the runner skip this suite in the main run:
 * scripts/test.py boots it on its own under -icount, where the guest's
 * clock counts its instructions (one per nanosecond).  Under TCG's plain
 * clock guest time is host time, and a host slow to read the serial pipe
 * stalls QEMU inside the guest's OUT to the UART for milliseconds, which
 * no kernel can help.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define STRETCH_BOUND_NS    (5 * NS_PER_MS)     /* "a few milliseconds" */
#define CONSOLE_MAX         (16 * 1024)         /* one console_write's most (kernel/drv/console.c) */
#define BIG_PAGES           8192                /* 32 MiB in the exiting process */
#define MAP_CHUNK_PAGES     64                  /* mapped a little at a time: the map is not the case */
#define WAIT_HANDLES        WAIT_MANY_MAX

/* Starts a new window of the kernel's stretch measurement. */
static void window_start(void)
{
    static struct system_stats s;

    system_stats(&s, sizeof s);
}

/* The longest stretch since window_start. */
static long window_end(void)
{
    static struct system_stats s;

    system_stats(&s, sizeof s);
    return (long)s.stretch_recent_ns;
}

/* Runs |op| in a window of its own: the longest stretch it caused, in nanoseconds. */
static long measure(void (*op)(void), const char *what)
{
    window_start();
    op();
    long ns = window_end();
    printf("%s: longest stretch %ld us\n", what, ns / 1000);
    return ns;
}

static char quiet[CONSOLE_MAX];             /* NUL bytes: nothing shows in the log */

static void long_console_write(void)
{
    quiet[CONSOLE_MAX - 1] = '\n';
    console_write(quiet, CONSOLE_MAX);
}

TEST(the_longest_console_write_is_short)
{
    EXPECT_TRUE(measure(long_console_write, "console_write 16 KiB") <= STRETCH_BOUND_NS);
}

/* "--hold-pages": maps and touches BIG_PAGES pages, sets the event it was given, sleeps until killed. */
static int helper_hold_pages(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < BIG_PAGES / MAP_CHUNK_PAGES; i++) {
        long addr = mem_map(NULL, MAP_CHUNK_PAGES * PAGE_SIZE, MEM_WRITE);
        char *p = (char *)addr;
        if (addr < 0)
            return 1;
        for (int j = 0; j < MAP_CHUNK_PAGES; j++)
            p[j * PAGE_SIZE] = 1;
    }
    event_set(start_info()->handles[STDIO_HANDLES]);
    return helper_sleep(0, NULL);
}

TEST(the_exit_of_a_big_process_is_short)
{
    const char *argv[] = { self_path(), "--hold-pages", NULL };
    handle_t ready = event_create(0, NULL), pass[STDIO_HANDLES + 1] = { 0, 0, 0, ready };
    struct process_status st;

    ASSERT_TRUE(ready > 0);
    handle_t big = process_spawn(self_path(), argv, pass, STDIO_HANDLES + 1);
    ASSERT_TRUE(big > 0);
    EXPECT_EQ(object_wait(ready, CHILD_TIMEOUT_NS), 0);
    handle_close(ready);
    window_start();
    process_kill(big, KILL_CODE);
    reap(big, &st);
    long ns = window_end();
    printf("exit with %d pages: longest stretch %ld us\n", BIG_PAGES, ns / 1000);
    EXPECT_TRUE(ns <= STRETCH_BOUND_NS);
}

static handle_t events[WAIT_HANDLES];

static void wait_on_many(void)
{
    long index;

    for (int i = 0; i < WAIT_HANDLES; i++)
        event_set(events[i]);
    object_wait_many(events, WAIT_HANDLES, WAIT_FOR_ALL, TIMEOUT_INFINITE, &index);
    object_wait_many(events, WAIT_HANDLES, 0, 0, &index);
}

TEST(a_wait_on_the_most_handles_is_short)
{
    for (int i = 0; i < WAIT_HANDLES; i++)
        ASSERT_TRUE((events[i] = event_create(EVENT_MANUAL_RESET, NULL)) > 0);
    EXPECT_TRUE(measure(wait_on_many, "wait on 64 handles") <= STRETCH_BOUND_NS);
    for (int i = 0; i < WAIT_HANDLES; i++)
        handle_close(events[i]);
}

/* "--unmap-all": unmaps the whole user half, its own code included, and so faults. */
static int helper_unmap_all(int argc, char **argv)
{
    (void)argc, (void)argv;
    mem_unmap((void *)USER_BASE, USER_TOP - USER_BASE);
    return 0;
}

static void unmap_everything(void)
{
    struct process_status st;
    handle_t h = spawn_self("--unmap-all", NULL);

    if (h > 0)
        reap(h, &st);
}

TEST(an_unmap_of_the_whole_user_half_is_short)
{
    EXPECT_TRUE(measure(unmap_everything, "unmap of the user half") <= STRETCH_BOUND_NS);
}

static const struct helper_mode helpers[] = {
    { "--hold-pages", helper_hold_pages },
    { "--unmap-all", helper_unmap_all },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}
