/*
 * locks: the kernel's spinlocks, sleeping locks and lock-order validator
 * (kernel/arch/x86_64/spinlock.h, kernel/sched/sleeplock.h,
 * kernel/lib/lockdep.h; docs/14-smp.md, "Locks"), tested from inside the
 * kernel through lock_selftest, whose report says what it saw:
 *
 *  - a spinlock keeps interrupts off while held and puts them back as they
 *    were after the last release, in any order, and knows its owner CPU;
 *  - the validator, shown two lock classes taken A->B and then B->A (two
 *    spinlocks, then two sleeping locks), reports the inversion with both
 *    paths: each lock's name and the function that took it.  Those test
 *    classes hand their report to the test; any other inversion stops the
 *    kernel, so every other suite of make test is the "quiet" check;
 *  - a sleeping lock held across a sleep keeps a second thread out (the
 *    kernel asserts one holder) and makes it wait, and a thread killed
 *    while waiting for one leaves without it.
 */
#include <stdio.h>
#include <string.h>
#include "tests/user/util.h"

static char report[LOCK_SELFTEST_REPORT_MAX];

static int helper_wait_for_lock(int argc, char **argv);

static const struct helper_mode helpers[] = {
    { "--wait-for-lock", helper_wait_for_lock },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

static void print_report(void)
{
    printf("%s", report);
}

TEST(spinlock_interrupts_nesting_and_owner)
{
    long failed = lock_selftest(LOCK_SELFTEST_SPIN, report, sizeof report);

    if (failed != 0)
        print_report();
    EXPECT_EQ(failed, 0);
    EXPECT_TRUE(strstr(report, "ok interrupts after the last release") != NULL);
}

/*
 * Runs order test |which|: exactly one inversion, and the report names both
 * locks and the functions of both paths (kernel/sched/locktest.c).
 */
static void expect_inversion(long which, const char *lock_a, const char *lock_b, const char *path_ab,
                             const char *path_ba)
{
    long n = lock_selftest(which, report, sizeof report);

    print_report();
    EXPECT_EQ(n, 1);
    EXPECT_TRUE(strstr(report, "lock order inversion") != NULL);
    EXPECT_TRUE(strstr(report, lock_a) != NULL);
    EXPECT_TRUE(strstr(report, lock_b) != NULL);
    EXPECT_TRUE(strstr(report, "this path") != NULL && strstr(report, path_ba) != NULL);
    EXPECT_TRUE(strstr(report, "earlier") != NULL && strstr(report, path_ab) != NULL);
}

TEST(validator_reports_a_spinlock_inversion_with_both_paths)
{
    expect_inversion(LOCK_SELFTEST_ORDER, "locktest_a", "locktest_b", "locktest_take_ab", "locktest_take_ba");
}

TEST(validator_reports_it_again_on_every_run)
{
    EXPECT_EQ(lock_selftest(LOCK_SELFTEST_ORDER, report, sizeof report), 1);
    EXPECT_EQ(lock_selftest(LOCK_SELFTEST_ORDER, report, sizeof report), 1);
}

TEST(validator_reports_a_sleeping_lock_inversion)
{
    expect_inversion(LOCK_SELFTEST_SLEEP_ORDER, "locktest_sleep_a", "locktest_sleep_b", "locktest_sleep_ab",
                     "locktest_sleep_ba");
}

TEST(a_short_report_buffer_is_cut_and_terminated)
{
    char small[8];

    memset(small, 'x', sizeof small);
    EXPECT_EQ(lock_selftest(LOCK_SELFTEST_ORDER, small, sizeof small), 1);
    EXPECT_EQ(small[sizeof small - 1], '\0');
    EXPECT_EQ(lock_selftest(LOCK_SELFTEST_ORDER, NULL, 0), 1);
}

TEST(unknown_tests_are_inval)
{
    EXPECT_ERR(lock_selftest(0, report, sizeof report), E_INVAL);
    EXPECT_ERR(lock_selftest(LOCK_SELFTEST_MAX + 1, report, sizeof report), E_INVAL);
    EXPECT_ERR(lock_selftest(-1, report, sizeof report), E_INVAL);
}

static volatile long second_result = NOT_YET;

static void hold_it_too(void *arg)
{
    static char second_report[LOCK_SELFTEST_REPORT_MAX];

    (void)arg;
    second_result = lock_selftest(LOCK_SELFTEST_SLEEP, second_report, sizeof second_report);
}

TEST(sleeping_lock_makes_a_second_thread_wait)
{
    second_result = NOT_YET;
    handle_t t = thread_start(hold_it_too, NULL, 0);
    ASSERT_TRUE(t > 0);
    thread_yield();                     /* let it take the lock first, if it runs now */
    long mine = lock_selftest(LOCK_SELFTEST_SLEEP, report, sizeof report);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    handle_close(t);
    /* Both held it for 20 ms, one after the other: exactly one of them waited. */
    EXPECT_TRUE(mine == 0 || mine == 1);
    EXPECT_TRUE(second_result == 0 || second_result == 1);
    EXPECT_EQ(mine + second_result, 1);
}

static volatile int keep_holding;

/* Holds the test lock again and again, 20 ms at a time, until told to stop. */
static void hold_it_in_turns(void *arg)
{
    (void)arg;
    while (keep_holding)
        lock_selftest(LOCK_SELFTEST_SLEEP, NULL, 0);
}

/* "--wait-for-lock": takes the test lock (waiting for it), until killed. */
static int helper_wait_for_lock(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (;;)
        lock_selftest(LOCK_SELFTEST_SLEEP, NULL, 0);
    return 0;
}

TEST(a_process_killed_while_waiting_leaves_without_the_lock)
{
    keep_holding = 1;
    handle_t t = thread_start(hold_it_in_turns, NULL, 0);
    ASSERT_TRUE(t > 0);
    handle_t child = spawn_self("--wait-for-lock", NULL);
    ASSERT_TRUE(child > 0);
    settle_blocked_of((uint64_t)pid_of_handle(child), 1);  /* waiting for the lock, or holding it asleep */
    kill_and_reap(child);
    keep_holding = 0;
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    handle_close(t);
    /* Neither the dead waiter nor anyone else kept it: free, taken without waiting. */
    EXPECT_EQ(lock_selftest(LOCK_SELFTEST_SLEEP, report, sizeof report), 0);
}
