/*
 * kstacks: kernel stacks come from memory, one per thread, with no
 * system-wide pool (issue 10, item 6; kernel/sched/kstack.c).
 *
 * Until then stacks came from a fixed region of 4096 slots, so the 4097th
 * thread of the whole system was refused whatever memory was free.  Here
 * one process holds more threads than that at once, and making and ending
 * threads in rounds leaves the free frames exactly where they were: each
 * stack's frames and the page tables made for it go back when its thread is
 * reaped.  (A job at its thread limit gets E_QUOTA: jobs_limits.)
 */
#include <stdio.h>
#include "tests/user/util.h"

#define OLD_POOL            4096        /* the fixed region's slots, before */
#define MANY_THREADS        (OLD_POOL + 128)
#define THREAD_STACK        1024        /* a page of user stack: enough to wait */
#define PAGES_PER_THREAD    8           /* 4 kernel stack, 1 user stack, tables and heap: ample */
#define ROUND_THREADS       300         /* stacks over several page tables of the region */
#define ROUNDS              3

static handle_t threads[ROUND_THREADS];

/* What a waiter waits for, and what it says when it is through. */
struct gate {
    handle_t open;                      /* a manual-reset event */
    handle_t done;                      /* a semaphore each waiter releases once */
};

static void wait_at_gate(void *arg)
{
    struct gate *g = arg;

    object_wait(g->open, TIMEOUT_INFINITE);
    semaphore_release(g->done, 1);
}

/*
 * Starts up to |n| waiters at |g|, keeping their handles in |keep| (NULL:
 * closing them at once, for more threads than a process may hold handles).
 * Returns how many started; |*err| is the error that stopped it, or 0.
 */
static int start_waiters(int n, struct gate *g, handle_t *keep, long *err)
{
    int i;

    *err = 0;
    for (i = 0; i < n; i++) {
        long h = thread_start(wait_at_gate, g, THREAD_STACK);
        if (h < 0) {
            *err = h;
            break;
        }
        if (keep)
            keep[i] = h;
        else
            handle_close(h);
    }
    return i;
}

/* Opens the gate and waits until each of the |n| waiters is through it. */
static void open_gate(struct gate *g, int n)
{
    event_set(g->open);
    for (int i = 0; i < n; i++)
        ASSERT_EQ(object_wait(g->done, CHILD_TIMEOUT_NS), 0);
}

static int make_gate(struct gate *g, int n)
{
    g->open = event_create(EVENT_MANUAL_RESET, NULL);
    g->done = semaphore_create(0, n, 0, NULL);
    return g->open > 0 && g->done > 0;
}

static void close_gate(struct gate *g)
{
    handle_close(g->open);
    handle_close(g->done);
}

TEST(more_threads_than_the_old_pool_live_at_once)
{
    static struct system_stats st;
    struct gate g;
    long err;

    ASSERT_TRUE(make_gate(&g, MANY_THREADS));
    system_stats(&st, sizeof st);
    /* The machine make test boots has the memory; a smaller one cannot show this. */
    ASSERT_TRUE(st.free_frames > (uint64_t)MANY_THREADS * PAGES_PER_THREAD);
    int started = start_waiters(MANY_THREADS, &g, NULL, &err);
    EXPECT_EQ(err, 0);
    EXPECT_EQ(started, MANY_THREADS);
    system_stats(&st, sizeof st);
    EXPECT_TRUE(stats_live(&st, "Thrd") > OLD_POOL);    /* all of them at once */
    open_gate(&g, started);
    close_gate(&g);
}

/* Rounds of threads made and ended: no frame (stack or page table) and no object stays behind. */
TEST(thread_rounds_give_back_every_stack_and_table)
{
    static struct system_stats before, after;
    struct gate g;
    long err;

    for (int round = 0; round <= ROUNDS; round++) {
        if (round == 1)
            system_stats(&before, sizeof before);   /* after a warm-up: libc's one-time growth */
        ASSERT_TRUE(make_gate(&g, ROUND_THREADS));
        int started = start_waiters(ROUND_THREADS, &g, threads, &err);
        EXPECT_EQ(err, 0);
        open_gate(&g, started);
        for (int i = 0; i < started; i++) {             /* until each has ended */
            EXPECT_EQ(object_wait(threads[i], CHILD_TIMEOUT_NS), 0);
            handle_close(threads[i]);
        }
        close_gate(&g);
    }
    system_stats(&after, sizeof after);
    EXPECT_TRUE(same_live_counts(&before, &after));
    EXPECT_EQ(after.free_frames, before.free_frames);
}

int main(int argc, char **argv)
{
    return suite_main(argc, argv, NULL, 0);
}
