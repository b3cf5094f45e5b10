/*
 * priority: the scheduler's priorities.  A ready thread of higher priority
 * runs before one of lower priority (until aging boosts the lower one:
 * tests/user/sched_fair.c); equal priorities share the CPU round-robin
 * (tests/user/sched.c); thread_set_priority checks its input.
 */
#include <test.h>

#define YIELDS          100                 /* far quicker than aging (sched.c, AGING_TICKS) */
#define SLEEP_NS        (20 * 1000000L)

static volatile int ran;

static void mark(void *arg)
{
    (void)arg;
    ran = 1;
}

TEST(set_priority_checks_its_arguments)
{
    handle_t f = file_open("/bin/init");

    EXPECT_ERR(thread_set_priority(0, -1), E_INVAL);
    EXPECT_ERR(thread_set_priority(0, PRIORITY_MAX + 1), E_INVAL);
    EXPECT_ERR(thread_set_priority(f, PRIORITY_NORMAL), E_WRONGTYPE);
    EXPECT_ERR(thread_set_priority(f + 1, PRIORITY_NORMAL), E_BADHANDLE);
    EXPECT_EQ(thread_set_priority(0, PRIORITY_NORMAL), 0);
    handle_close(f);
}

TEST(lower_priority_waits_while_higher_runs)
{
    ran = 0;
    handle_t t = thread_start(mark, NULL, 0);
    ASSERT_TRUE(t > 0);
    ASSERT_EQ(thread_set_priority(t, PRIORITY_NORMAL - 1), 0);
    for (int i = 0; i < YIELDS; i++)
        thread_yield();                 /* a yield never hands the CPU to a lower priority */
    EXPECT_EQ(ran, 0);
    EXPECT_EQ(thread_set_priority(t, PRIORITY_NORMAL + 1), 0);
    EXPECT_EQ(ran, 1);                  /* it outranks us now: it ran before the call returned */
    object_wait(t, TIMEOUT_INFINITE);
    handle_close(t);
}

TEST(lower_priority_runs_when_higher_blocks)
{
    ran = 0;
    ASSERT_EQ(thread_set_priority(0, PRIORITY_NORMAL + 1), 0);
    handle_t t = thread_start(mark, NULL, 0);
    ASSERT_TRUE(t > 0);
    thread_sleep(SLEEP_NS);
    EXPECT_EQ(ran, 1);
    object_wait(t, TIMEOUT_INFINITE);
    handle_close(t);
    thread_set_priority(0, PRIORITY_NORMAL);
}
