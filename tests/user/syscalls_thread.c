/*
 * syscalls_thread: the thread calls with normal arguments give what their
 * handlers promise (kernel/syscall/sys_thread.c): thread_create starts its
 * entry with its argument on the given stack, thread_start (libc) runs a
 * function, and both threads are signaled once they end; thread_sleep
 * sleeps at least (and roughly) as long as asked, returns at once for 0
 * and refuses a negative time; thread_yield returns 0.  Priorities are
 * priority.c's, the scheduler sched.c's.
 */
#include "tests/user/util.h"

#define THREAD_EXIT_CODE    5
#define THREAD_ARG          0x5eed
#define SLEEP_NS            (30 * NS_PER_MS)

static volatile long raw_thread_got;

/* Started by thread_create itself: no caller, so the stack is realigned on entry. */
static __attribute__((force_align_arg_pointer, noreturn)) void raw_thread_entry(long arg)
{
    raw_thread_got = arg;
    thread_exit(THREAD_EXIT_CODE);
    __builtin_unreachable();
}

TEST(thread_create_runs_entry_with_arg)
{
    size_t len = THREAD_STACK_DEFAULT;
    long stack = mem_map(NULL, len, MEM_WRITE);

    ASSERT_TRUE(stack > 0);
    handle_t t = thread_create((const void *)raw_thread_entry, THREAD_ARG, (void *)(stack + len));
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(raw_thread_got, THREAD_ARG);
    EXPECT_EQ(handle_close(t), 0);
    EXPECT_EQ(mem_unmap((void *)stack, len), 0);
}

static void set_flag(void *arg)
{
    *(volatile int *)arg = 1;
}

TEST(thread_start_runs_function)
{
    static volatile int ran;
    handle_t t = thread_start(set_flag, (void *)&ran, 0);

    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(handle_close(t), 0);
}

TEST(thread_sleep_advances_clock_at_least_that_much)
{
    long start = clock_now();

    EXPECT_EQ(thread_sleep(SLEEP_NS), 0);
    long slept = clock_now() - start;
    EXPECT_TRUE(slept >= SLEEP_NS);
    EXPECT_TRUE(slept < TIMEOUT_SLACK_NS);
}

TEST(thread_sleep_zero_returns_0)
{
    EXPECT_EQ(thread_sleep(0), 0);
}

TEST(thread_sleep_negative_is_inval)
{
    EXPECT_ERR(thread_sleep(-1), E_INVAL);
}

TEST(thread_yield_returns_0)
{
    EXPECT_EQ(thread_yield(), 0);
}
