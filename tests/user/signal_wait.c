/*
 * signal_wait: object_signal_wait signals one object and waits on another
 * as one call (issue 14, item 3; docs/04-objects.md, "Signal and wait"):
 * an event is set, a semaphore released by one, a mutex released by one
 * level; the wait is object_wait's.  The signal stands when the wait times
 * out; a signal that cannot be made (a semaphore at its maximum, a mutex
 * not ours) and every handle or timeout error fail the whole call with
 * nothing changed.  The same object on both sides: the wait sees the signal
 * unless a waiter queued earlier took it first.
 */
#include "tests/user/sync_util.h"

#define SHORT_NS            (20 * NS_PER_MS)

/* A thread that waits for |ping| and then sets |pong|: the other side of a handshake. */
struct echo {
    handle_t ping, pong;
    volatile long result;
};

static void echo_main(void *arg)
{
    struct echo *e = arg;

    e->result = object_wait(e->ping, TIMEOUT_INFINITE);
    if (e->result == 0)
        event_set(e->pong);
}

static long semaphore_count(handle_t s)
{
    struct semaphore_query_info info;
    long r = object_query(s, OBJECT_INFO_SEMAPHORE, &info, sizeof info, NULL);

    return r < 0 ? r : info.count;
}

TEST(signal_an_event_and_wait_for_the_answer)
{
    struct echo e = { event_create(0, NULL), event_create(0, NULL), NOT_YET };

    ASSERT_TRUE(e.ping > 0 && e.pong > 0);
    handle_t t = thread_start(echo_main, &e, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    ASSERT_TRUE(settle_blocked(1));
    EXPECT_EQ(object_signal_wait(e.ping, e.pong, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(e.result, 0);
    EXPECT_ERR(object_wait(e.pong, 0), E_TIMEDOUT);    /* our wait took the answer */
    EXPECT_EQ(handle_close(t), 0);
    EXPECT_EQ(handle_close(e.ping), 0);
    EXPECT_EQ(handle_close(e.pong), 0);
}

TEST(the_signal_stands_when_the_wait_times_out)
{
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL);
    handle_t never = event_create(0, NULL);
    handle_t sem = semaphore_create(0, 3, 0, NULL);

    ASSERT_TRUE(ev > 0 && never > 0 && sem > 0);
    EXPECT_ERR(object_signal_wait(ev, never, SHORT_NS), E_TIMEDOUT);
    EXPECT_EQ(object_wait(ev, 0), 0);
    EXPECT_ERR(object_signal_wait(sem, never, 0), E_TIMEDOUT);      /* a poll */
    EXPECT_EQ(semaphore_count(sem), 1);
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(handle_close(never), 0);
    EXPECT_EQ(handle_close(sem), 0);
}

TEST(a_full_semaphore_fails_the_whole_call)
{
    handle_t sem = semaphore_create(2, 2, 0, NULL);
    handle_t ready = event_create(EVENT_SIGNALED, NULL);    /* auto reset: a wait would take it */

    ASSERT_TRUE(sem > 0 && ready > 0);
    EXPECT_ERR(object_signal_wait(sem, ready, 0), E_LIMIT);
    EXPECT_EQ(semaphore_count(sem), 2);
    EXPECT_EQ(object_wait(ready, 0), 0);                    /* not waited on: still set */
    EXPECT_EQ(handle_close(sem), 0);
    EXPECT_EQ(handle_close(ready), 0);
}

TEST(a_mutex_is_released_one_level_and_only_by_its_owner)
{
    struct waiter w[1];
    handle_t m = mutex_create(MUTEX_OWNED, NULL);
    handle_t ready = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
    handle_t free_mutex = mutex_create(0, NULL);

    ASSERT_TRUE(m > 0 && ready > 0 && free_mutex > 0);
    EXPECT_ERR(object_signal_wait(free_mutex, ready, 0), E_NOTOWNER);
    ASSERT_EQ(start_waiters_on(w, 1, m, 1, 0), 0);
    EXPECT_EQ(object_signal_wait(m, ready, 0), 0);          /* released: the waiter gets it */
    EXPECT_EQ(until_returned(1), 1);
    EXPECT_EQ(w[0].result, 0);
    EXPECT_EQ(finish_waiters(w, 1, m), 0);
    EXPECT_EQ(handle_close(ready), 0);
    EXPECT_EQ(handle_close(free_mutex), 0);
}

TEST(the_same_object_twice_waits_on_its_own_signal)
{
    handle_t ev = event_create(0, NULL);
    handle_t sem = semaphore_create(0, 1, 0, NULL);
    handle_t m = mutex_create(MUTEX_OWNED, NULL);
    struct mutex_query_info mi;

    ASSERT_TRUE(ev > 0 && sem > 0 && m > 0);
    EXPECT_EQ(object_signal_wait(ev, ev, 0), 0);            /* set, then taken by us */
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(object_signal_wait(sem, sem, 0), 0);          /* released, then taken */
    EXPECT_EQ(semaphore_count(sem), 0);
    EXPECT_EQ(object_signal_wait(m, m, 0), 0);              /* freed, then owned again */
    ASSERT_EQ(object_query(m, OBJECT_INFO_MUTEX, &mi, sizeof mi, NULL), sizeof mi);
    EXPECT_NE(mi.owner_tid, 0);
    EXPECT_EQ(mi.depth, 1);
    EXPECT_EQ(mutex_release(m), 0);
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(handle_close(sem), 0);
    EXPECT_EQ(handle_close(m), 0);
}

TEST(the_same_object_twice_loses_to_an_earlier_waiter)
{
    struct waiter w[1];
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, 1, ev), 0);
    EXPECT_ERR(object_signal_wait(ev, ev, SHORT_NS), E_TIMEDOUT);   /* the waiter got the set */
    EXPECT_EQ(until_returned(1), 1);
    EXPECT_EQ(w[0].result, 0);
    EXPECT_EQ(finish_waiters(w, 1, ev), 0);
}

TEST(waiting_on_an_abandoned_mutex_reports_it)
{
    handle_t ev = event_create(0, NULL);
    handle_t m = mutex_create(0, NULL);

    ASSERT_TRUE(ev > 0 && m > 0);
    handle_t t = thread_start(wait_forever, &m, THREAD_STACK);     /* takes m, exits holding it */
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_ERR(object_signal_wait(ev, m, 0), E_ABANDONED);
    EXPECT_EQ(object_wait(ev, 0), 0);                       /* signaled all the same */
    EXPECT_EQ(mutex_release(m), 0);                         /* and the mutex is ours */
    EXPECT_EQ(handle_close(t), 0);
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(handle_close(m), 0);
}

TEST(bad_handles_and_timeouts_change_nothing)
{
    handle_t ev = event_create(0, NULL);
    handle_t target = event_create(EVENT_SIGNALED, NULL);
    handle_t file = file_open(self_path());
    handle_t ends[PIPE_ENDS];

    ASSERT_TRUE(ev > 0 && target > 0 && file > 0);
    ASSERT_EQ(pipe_create(ends), 0);
    handle_t no_signal = handle_duplicate(ev, 0, RIGHT_WAIT);
    handle_t no_wait = handle_duplicate(target, 0, RIGHT_SIGNAL);
    ASSERT_TRUE(no_signal > 0 && no_wait > 0);
    EXPECT_ERR(object_signal_wait(0, target, 0), E_BADHANDLE);
    EXPECT_ERR(object_signal_wait(ev, 0, 0), E_BADHANDLE);
    EXPECT_ERR(object_signal_wait(ends[PIPE_READ_END], target, 0), E_WRONGTYPE);
    EXPECT_ERR(object_signal_wait(file, target, 0), E_WRONGTYPE);
    EXPECT_ERR(object_signal_wait(ev, file, 0), E_WRONGTYPE);  /* a file is never signaled */
    EXPECT_ERR(object_signal_wait(no_signal, target, 0), E_ACCESS);
    EXPECT_ERR(object_signal_wait(ev, no_wait, 0), E_ACCESS);
    EXPECT_ERR(object_signal_wait(ev, target, -2), E_INVAL);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);             /* none of these set it */
    EXPECT_EQ(object_wait(target, 0), 0);                   /* nor waited on that */
    EXPECT_EQ(handle_close(no_signal), 0);
    EXPECT_EQ(handle_close(no_wait), 0);
    EXPECT_EQ(handle_close(ends[PIPE_READ_END]), 0);
    EXPECT_EQ(handle_close(ends[PIPE_WRITE_END]), 0);
    EXPECT_EQ(handle_close(file), 0);
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(handle_close(target), 0);
}

int main(int argc, char **argv)
{
    return test_main(argc, argv);
}
