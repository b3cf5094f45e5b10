/*
 * previous_state: the calls that change a sync object's state can say what
 * it was before (issue 14, item 2; docs/04-objects.md): event_set_previous,
 * event_reset_previous and event_pulse_previous give the signaled state
 * before (NT's PreviousState), mutex_release_previous the recursion depth
 * before, and semaphore_release has always returned the count before.  The
 * old calls still return 0.  A bad output pointer is E_FAULT and changes
 * nothing; the rights and ownership rules are the old calls'.
 */
#include "tests/user/sync_util.h"

#define SENTINEL 0x5a5a5a5aL                /* no previous state looks like this */

TEST(event_set_reset_pulse_report_the_state_before)
{
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL);
    long before = SENTINEL;

    ASSERT_TRUE(ev > 0);
    EXPECT_EQ(event_set_previous(ev, &before), 0);
    EXPECT_EQ(before, 0);
    EXPECT_EQ(event_set_previous(ev, &before), 0);
    EXPECT_EQ(before, 1);
    EXPECT_EQ(event_reset_previous(ev, &before), 0);
    EXPECT_EQ(before, 1);
    EXPECT_EQ(event_reset_previous(ev, &before), 0);
    EXPECT_EQ(before, 0);
    EXPECT_EQ(event_pulse_previous(ev, &before), 0);
    EXPECT_EQ(before, 0);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);    /* a pulse leaves it reset */
    EXPECT_EQ(event_set(ev), 0);                    /* the old calls: still 0 */
    EXPECT_EQ(event_pulse_previous(ev, &before), 0);
    EXPECT_EQ(before, 1);
    EXPECT_EQ(event_reset(ev), 0);
    EXPECT_EQ(handle_close(ev), 0);
}

TEST(auto_reset_event_taken_by_a_waiter_reads_as_not_set)
{
    struct waiter w[1];
    handle_t ev = event_create(0, NULL);
    long before = SENTINEL;

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, 1, ev), 0);
    EXPECT_EQ(event_set_previous(ev, &before), 0);  /* the waiter takes it at once */
    EXPECT_EQ(before, 0);
    EXPECT_EQ(event_reset_previous(ev, &before), 0);
    EXPECT_EQ(before, 0);
    EXPECT_EQ(until_returned(1), 1);
    EXPECT_EQ(finish_waiters(w, 1, ev), 0);
}

TEST(mutex_release_previous_counts_down_the_depth)
{
    handle_t m = mutex_create(MUTEX_OWNED, NULL);
    long before = SENTINEL;

    ASSERT_TRUE(m > 0);
    EXPECT_EQ(object_wait(m, 0), 0);
    EXPECT_EQ(object_wait(m, 0), 0);                /* depth 3 */
    EXPECT_EQ(mutex_release_previous(m, &before), 0);
    EXPECT_EQ(before, 3);
    EXPECT_EQ(mutex_release(m), 0);                 /* the old call: still 0 */
    EXPECT_EQ(mutex_release_previous(m, &before), 0);
    EXPECT_EQ(before, 1);                           /* and now it is free */
    before = SENTINEL;
    EXPECT_ERR(mutex_release_previous(m, &before), E_NOTOWNER);
    EXPECT_EQ(before, 0);                           /* probed, never filled */
    EXPECT_EQ(handle_close(m), 0);
}

TEST(semaphore_release_returns_the_count_before)
{
    handle_t s = semaphore_create(1, 5, 0, NULL);

    ASSERT_TRUE(s > 0);
    EXPECT_EQ(semaphore_release(s, 2), 1);
    EXPECT_EQ(semaphore_release(s, 2), 3);
    EXPECT_ERR(semaphore_release(s, 1), E_LIMIT);   /* 5 is the maximum */
    EXPECT_EQ(handle_close(s), 0);
}

TEST(a_bad_output_pointer_changes_nothing)
{
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL);
    handle_t m = mutex_create(MUTEX_OWNED, NULL);
    long before = SENTINEL;

    ASSERT_TRUE(ev > 0 && m > 0);
    EXPECT_ERR(event_set_previous(ev, NULL), E_FAULT);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);     /* not set */
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_ERR(event_reset_previous(ev, (long *)KERNEL_HEAP_ADDR), E_FAULT);
    EXPECT_ERR(event_pulse_previous(ev, unmapped_page()), E_FAULT);
    EXPECT_EQ(object_wait(ev, 0), 0);               /* still set */
    EXPECT_ERR(mutex_release_previous(m, NULL), E_FAULT);
    EXPECT_EQ(mutex_release_previous(m, &before), 0);   /* still owned: depth 1 */
    EXPECT_EQ(before, 1);
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(handle_close(m), 0);
}

TEST(the_previous_calls_need_the_old_rights)
{
    handle_t ev = event_create(0, NULL);
    long before = SENTINEL;

    ASSERT_TRUE(ev > 0);
    handle_t wait_only = handle_duplicate(ev, 0, RIGHT_WAIT);
    ASSERT_TRUE(wait_only > 0);
    EXPECT_ERR(event_set_previous(wait_only, &before), E_ACCESS);
    EXPECT_ERR(event_set_previous(0, &before), E_BADHANDLE);
    EXPECT_ERR(mutex_release_previous(ev, &before), E_WRONGTYPE);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(handle_close(wait_only), 0);
    EXPECT_EQ(handle_close(ev), 0);
}

int main(int argc, char **argv)
{
    return test_main(argc, argv);
}
