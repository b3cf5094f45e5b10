/*
 * sync_semaphores: semaphores as ring 3 sees them (ARCHITECTURE.md section
 * 6, and section 5 for what a satisfied wait does; kernel/sync/semaphore.c):
 * each satisfied wait takes one of the initial count; release(n) returns
 * the count before and wakes as many waiters as it adds; past the maximum
 * it is E_LIMIT with the count unchanged; a release of less than one is
 * E_INVAL; creation needs 0 <= initial <= maximum, 1 <= maximum, and no
 * unknown flags.  Waiters are threads of this process (sync_util.h).
 */
#include <limits.h>
#include <stdio.h>
#include "tests/user/sync_util.h"

#define SEMA_MAX            5

TEST(semaphore_waits_take_the_initial_count)
{
    handle_t sem = semaphore_create(2, 3, 0, NULL);

    ASSERT_TRUE(sem > 0);
    EXPECT_EQ(object_wait(sem, 0), 0);
    EXPECT_EQ(object_wait(sem, 0), 0);
    EXPECT_ERR(object_wait(sem, 0), E_TIMEDOUT);
    EXPECT_EQ(semaphore_release(sem, 1), 0);    /* both were taken */
    handle_close(sem);
}

TEST(semaphore_release_returns_previous_count)
{
    handle_t sem = semaphore_create(0, SEMA_MAX, 0, NULL);

    ASSERT_TRUE(sem > 0);
    EXPECT_EQ(semaphore_release(sem, 2), 0);
    EXPECT_EQ(semaphore_release(sem, 1), 2);
    EXPECT_EQ(object_wait(sem, 0), 0);
    EXPECT_EQ(semaphore_release(sem, 3), 2);
    EXPECT_ERR(semaphore_release(sem, 1), E_LIMIT);     /* at SEMA_MAX */
    handle_close(sem);
}

TEST(semaphore_release_past_maximum_fails_and_keeps_count)
{
    handle_t sem = semaphore_create(1, 3, 0, NULL);

    ASSERT_TRUE(sem > 0);
    EXPECT_ERR(semaphore_release(sem, 3), E_LIMIT);
    EXPECT_ERR(semaphore_release(sem, LONG_MAX), E_LIMIT);
    EXPECT_EQ(semaphore_release(sem, 2), 1);    /* the failures left it at 1 */
    EXPECT_ERR(semaphore_release(sem, 1), E_LIMIT);
    for (int i = 0; i < 3; i++)
        EXPECT_EQ(object_wait(sem, 0), 0);
    EXPECT_ERR(object_wait(sem, 0), E_TIMEDOUT);
    handle_close(sem);
}

TEST(semaphore_release_of_less_than_one_is_invalid)
{
    handle_t sem = semaphore_create(1, SEMA_MAX, 0, NULL);

    ASSERT_TRUE(sem > 0);
    EXPECT_ERR(semaphore_release(sem, 0), E_INVAL);
    EXPECT_ERR(semaphore_release(sem, -1), E_INVAL);
    EXPECT_ERR(semaphore_release(sem, LONG_MIN), E_INVAL);
    EXPECT_EQ(semaphore_release(sem, 1), 1);
    handle_close(sem);
}

TEST(semaphore_creation_limits)
{
    static const struct { long initial, maximum, expect_ok; } rows[] = {
        { 0, 0, 0 },                    /* maximum < 1 */
        { 0, -1, 0 },
        { -1, 1, 0 },                   /* initial < 0 */
        { 2, 1, 0 },                    /* initial > maximum */
        { LONG_MIN, 1, 0 },
        { 0, 1, 1 },
        { 1, 1, 1 },
        { 0, LONG_MAX, 1 },
        { LONG_MAX, LONG_MAX, 1 },
    };
    char desc[64];

    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        handle_t sem = semaphore_create(rows[i].initial, rows[i].maximum, 0, NULL);
        snprintf(desc, sizeof desc, "semaphore_create(%ld, %ld) ok", rows[i].initial, rows[i].maximum);
        EXPECT_EQ_AT(desc, sem > 0, rows[i].expect_ok);
        if (!rows[i].expect_ok)
            EXPECT_EQ_AT(desc, sem, E_INVAL);
        if (sem > 0)
            handle_close(sem);
    }
    EXPECT_ERR(semaphore_create(0, 1, EVENT_MANUAL_RESET, NULL), E_INVAL);   /* unknown flags */
}

TEST(semaphore_release_wakes_as_many_waiters_as_it_adds)
{
    struct waiter w[WAITERS];
    handle_t sem = semaphore_create(0, SEMA_MAX, 0, NULL);

    ASSERT_TRUE(sem > 0);
    ASSERT_EQ(start_waiters(w, WAITERS, sem), 0);
    EXPECT_EQ(semaphore_release(sem, 2), 0);
    EXPECT_EQ(blocked_threads(), WAITERS - 2);
    EXPECT_EQ(until_returned(2), 2);
    EXPECT_ERR(object_wait(sem, 0), E_TIMEDOUT);    /* each took one */
    EXPECT_EQ(semaphore_release(sem, 3), 0);
    EXPECT_EQ(until_returned(WAITERS), WAITERS);
    EXPECT_EQ(count_results(w, WAITERS, 0), WAITERS);
    EXPECT_EQ(semaphore_release(sem, 1), 1);        /* one of the three was left */
    EXPECT_EQ(finish_waiters(w, WAITERS, sem), 0);
}
