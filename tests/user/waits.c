/*
 * waits: waiting on objects, written once for every type (ARCHITECTURE.md
 * section 5; kernel/ob/wait.c, object_wait and object_wait_many):
 *
 *   - wait-all is satisfied only when every object is signaled at the same
 *     time, and then takes them all (the semaphore's count drops, the mutex
 *     is owned, the auto-reset event resets); until then it takes nothing;
 *   - wait-any returns the lowest signaled index, and takes only that one;
 *   - timeouts: 0 polls, a relative timeout ends with E_TIMEDOUT after about
 *     that long, TIMEOUT_INFINITE waits for the signal, other negative
 *     values are E_INVAL;
 *   - closing the handle another thread waits through ends that wait with
 *     E_CANCELED (a wait through another handle to the object goes on);
 *   - 1..64 handles (0 and 65 are E_INVAL), the same object twice in a
 *     wait-all is E_INVAL, unknown flag bits are E_INVAL, a bad handle
 *     anywhere in the list fails the whole wait and takes nothing;
 *   - the index output: written on success, may be NULL, and an unwritable
 *     one is E_FAULT after the wait happened;
 *   - threads and processes are signaled once they have ended.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define THREAD_STACK        PAGE_SIZE
#define EVENTS              5
#define TIMEOUT_NS          (100 * NS_PER_MS)
#define POLL_MAX_NS         (50 * NS_PER_MS)        /* a poll does not block: a few ticks at most */
#define EXIT_CODE           42
#define INDEX_UNTOUCHED     (-12345L)

/* ---- waiter threads ------------------------------------------------------- */

/*
 * A thread that makes one wait (object_wait for one handle, object_wait_many
 * for more) and keeps what it returned; then, if |hold| is set, waits for
 * that event before it ends (so that what it took stays taken meanwhile).
 */
struct waiter {
    handle_t handles[WAIT_MANY_MAX];
    size_t count;
    unsigned long flags;
    handle_t hold;
    volatile long result;           /* NOT_YET until the wait returns */
    long index;
    handle_t thread;
};

static void waiter_main(void *arg)
{
    struct waiter *w = arg;
    long r = w->count == 1 ? object_wait(w->handles[0], TIMEOUT_INFINITE)
                           : object_wait_many(w->handles, w->count, w->flags, TIMEOUT_INFINITE,
                                              &w->index);

    w->result = r;
    if (w->hold)
        object_wait(w->hold, TIMEOUT_INFINITE);
}

/* Starts |w| and returns once |blocked| threads of this process are blocked: 0, or an E_* code. */
static long start_waiter(struct waiter *w, int blocked)
{
    w->result = NOT_YET;
    w->index = INDEX_UNTOUCHED;
    w->thread = thread_start(waiter_main, w, THREAD_STACK);
    if (w->thread < 0)
        return w->thread;
    return settle_blocked(blocked) ? 0 : E_TIMEDOUT;
}

/* Yields until |w|'s wait has returned (or SETTLE_NS passed); what it returned. */
static long waiter_result(struct waiter *w)
{
    long deadline = clock_now() + SETTLE_NS;

    while (w->result == NOT_YET && clock_now() <= deadline)
        thread_yield();
    return w->result;
}

/* Waits for |w|'s thread to end and closes it: 0, or E_TIMEDOUT if it did not end. */
static long join(struct waiter *w)
{
    long r = object_wait(w->thread, SETTLE_NS);

    handle_close(w->thread);
    return r == 0 ? 0 : E_TIMEDOUT;
}

/* A thread that sets |event| once |blocked| threads of this process are blocked. */
struct setter {
    handle_t event;
    int blocked;
};

static void setter_main(void *arg)
{
    struct setter *s = arg;

    settle_blocked(s->blocked);
    event_set(s->event);
}

static void close_all(const handle_t *hs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        handle_close(hs[i]);
}

/* Makes |n| events with |flags|; whether all were made. */
static int make_events(handle_t *hs, size_t n, unsigned long flags)
{
    for (size_t i = 0; i < n; i++)
        if ((hs[i] = event_create(flags, NULL)) < 0)
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    static const struct helper_mode helpers[] = {
        { "--exit", helper_exit },
        { "--sleep", helper_sleep },
    };

    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- wait-all -------------------------------------------------------------- */

TEST(wait_all_is_satisfied_only_when_all_are_signaled_at_once)
{
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL), mx = mutex_create(MUTEX_OWNED, NULL);
    handle_t sem = semaphore_create(0, 1, 0, NULL), go = event_create(0, NULL);
    struct waiter w = { { ev, mx, sem }, 3, WAIT_FOR_ALL, go, 0, 0, 0 };

    ASSERT_TRUE(ev > 0 && mx > 0 && sem > 0 && go > 0);
    ASSERT_EQ(start_waiter(&w, 1), 0);
    EXPECT_EQ(event_set(ev), 0);                    /* 1 of 3 */
    EXPECT_EQ(semaphore_release(sem, 1), 0);        /* 2 of 3: the mutex is still ours */
    EXPECT_EQ(blocked_threads(), 1);
    EXPECT_EQ(event_reset(ev), 0);
    EXPECT_EQ(mutex_release(mx), 0);                /* 2 of 3 again: the event is reset */
    EXPECT_EQ(blocked_threads(), 1);
    EXPECT_EQ(object_wait(sem, 0), 0);              /* nothing was taken meanwhile: count 1 */
    EXPECT_EQ(semaphore_release(sem, 1), 0);
    EXPECT_EQ(event_set(ev), 0);                    /* 3 of 3 */
    EXPECT_EQ(waiter_result(&w), 0);
    EXPECT_EQ(w.index, 0);
    EXPECT_ERR(object_wait(sem, 0), E_TIMEDOUT);    /* the count dropped */
    EXPECT_ERR(object_wait(mx, 0), E_TIMEDOUT);     /* the waiter owns the mutex */
    EXPECT_EQ(object_wait(ev, 0), 0);               /* manual reset: still set */
    EXPECT_EQ(event_set(go), 0);
    EXPECT_EQ(join(&w), 0);
    EXPECT_ERR(object_wait(mx, 0), E_ABANDONED);    /* it ended holding it */
    close_all((handle_t[]){ ev, mx, sem, go }, 4);
}

TEST(wait_all_poll_takes_nothing_unless_all_are_signaled)
{
    handle_t ev = event_create(0, NULL), mx = mutex_create(0, NULL);
    handle_t sem = semaphore_create(1, 1, 0, NULL);
    handle_t hs[] = { ev, mx, sem };
    long index = INDEX_UNTOUCHED;

    ASSERT_TRUE(ev > 0 && mx > 0 && sem > 0);
    EXPECT_ERR(object_wait_many(hs, ARRAY_LEN(hs), WAIT_FOR_ALL, 0, &index), E_TIMEDOUT);
    EXPECT_EQ(semaphore_release(sem, 1), E_LIMIT);  /* still 1 of 1 */
    EXPECT_ERR(mutex_release(mx), E_NOTOWNER);      /* not taken */
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(object_wait_many(hs, ARRAY_LEN(hs), WAIT_FOR_ALL, 0, &index), 0);
    EXPECT_EQ(index, 0);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);     /* auto reset: reset by the wait */
    EXPECT_EQ(semaphore_release(sem, 1), 0);        /* the count had dropped to 0 */
    EXPECT_EQ(mutex_release(mx), 0);                /* owned */
    close_all(hs, ARRAY_LEN(hs));
}

TEST(wait_all_with_same_object_twice_is_invalid)
{
    handle_t ev = event_create(EVENT_SIGNALED, NULL);
    handle_t dup = handle_duplicate(ev, 0, RIGHT_SAME);

    ASSERT_TRUE(ev > 0 && dup > 0);
    EXPECT_ERR(object_wait_many((handle_t[]){ ev, ev }, 2, WAIT_FOR_ALL, 0, NULL), E_INVAL);
    EXPECT_ERR(object_wait_many((handle_t[]){ ev, dup }, 2, WAIT_FOR_ALL, 0, NULL), E_INVAL);
    EXPECT_EQ(object_wait(ev, 0), 0);               /* and nothing was taken */
    close_all((handle_t[]){ ev, dup }, 2);
}

/* ---- wait-any -------------------------------------------------------------- */

TEST(wait_any_returns_lowest_signaled_index)
{
    handle_t hs[EVENTS];
    long index = INDEX_UNTOUCHED;

    ASSERT_TRUE(make_events(hs, EVENTS, 0));
    EXPECT_EQ(event_set(hs[3]), 0);
    EXPECT_EQ(event_set(hs[1]), 0);
    EXPECT_EQ(object_wait_many(hs, EVENTS, 0, 0, &index), 1);
    EXPECT_EQ(index, 1);
    EXPECT_EQ(object_wait_many(hs, EVENTS, 0, 0, &index), 3);  /* only index 1 was taken */
    EXPECT_EQ(index, 3);
    EXPECT_ERR(object_wait_many(hs, EVENTS, 0, 0, &index), E_TIMEDOUT);
    close_all(hs, EVENTS);
}

TEST(wait_any_blocks_until_one_is_signaled)
{
    handle_t hs[EVENTS];
    const int which = 2;
    struct setter s;
    handle_t t;
    long index = INDEX_UNTOUCHED;

    ASSERT_TRUE(make_events(hs, EVENTS, 0));
    s = (struct setter){ hs[which], 1 };            /* once this thread blocks */
    ASSERT_TRUE((t = thread_start(setter_main, &s, THREAD_STACK)) > 0);
    EXPECT_EQ(object_wait_many(hs, EVENTS, 0, SETTLE_NS, &index), which);
    EXPECT_EQ(index, which);
    EXPECT_EQ(object_wait(t, SETTLE_NS), 0);
    handle_close(t);
    close_all(hs, EVENTS);
}

/* ---- timeouts --------------------------------------------------------------- */

TEST(wait_zero_timeout_polls)
{
    handle_t ev = event_create(0, NULL);
    long start;

    ASSERT_TRUE(ev > 0);
    start = clock_now();
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_ERR(object_wait_many(&ev, 1, 0, 0, NULL), E_TIMEDOUT);
    EXPECT_TRUE(clock_now() - start < POLL_MAX_NS);
    handle_close(ev);
}

TEST(wait_relative_timeout_expires_after_about_that_long)
{
    handle_t ev = event_create(0, NULL);
    long start, took;

    ASSERT_TRUE(ev > 0);
    start = clock_now();
    EXPECT_ERR(object_wait(ev, TIMEOUT_NS), E_TIMEDOUT);
    took = clock_now() - start;
    EXPECT_TRUE(took >= TIMEOUT_NS);
    EXPECT_TRUE(took < TIMEOUT_NS + TIMEOUT_SLACK_NS);
    start = clock_now();
    EXPECT_ERR(object_wait_many((handle_t[]){ ev, ev }, 2, 0, TIMEOUT_NS, NULL), E_TIMEDOUT);
    took = clock_now() - start;
    EXPECT_TRUE(took >= TIMEOUT_NS);
    EXPECT_TRUE(took < TIMEOUT_NS + TIMEOUT_SLACK_NS);
    handle_close(ev);
}

TEST(wait_infinite_timeout_returns_once_signaled)
{
    handle_t ev = event_create(0, NULL);
    struct setter s = { ev, 1 };
    handle_t t;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((t = thread_start(setter_main, &s, THREAD_STACK)) > 0);
    EXPECT_EQ(object_wait(ev, TIMEOUT_INFINITE), 0);
    EXPECT_EQ(object_wait(t, SETTLE_NS), 0);
    handle_close(t);
    handle_close(ev);
}

TEST(wait_negative_timeout_other_than_infinite_is_invalid)
{
    handle_t ev = event_create(EVENT_SIGNALED, NULL);

    ASSERT_TRUE(ev > 0);
    EXPECT_ERR(object_wait(ev, -2), E_INVAL);
    EXPECT_ERR(object_wait(ev, -NS_PER_SEC), E_INVAL);
    EXPECT_ERR(object_wait_many(&ev, 1, 0, -2, NULL), E_INVAL);
    EXPECT_EQ(object_wait(ev, 0), 0);               /* the refused waits took nothing */
    handle_close(ev);
}

/* ---- closing a handle that is waited on ------------------------------------ */

TEST(close_while_waiting_cancels_the_wait_through_that_handle)
{
    handle_t ev = event_create(0, NULL);
    handle_t other = handle_duplicate(ev, 0, RIGHT_SAME);
    struct waiter through_ev = { { ev }, 1, 0, 0, 0, 0, 0 };
    struct waiter through_other = { { other }, 1, 0, 0, 0, 0, 0 };

    ASSERT_TRUE(ev > 0 && other > 0);
    ASSERT_EQ(start_waiter(&through_ev, 1), 0);
    ASSERT_EQ(start_waiter(&through_other, 2), 0);
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_ERR(waiter_result(&through_ev), E_CANCELED);
    EXPECT_EQ(blocked_threads(), 1);                /* the wait through |other| goes on */
    EXPECT_EQ(event_set(other), 0);
    EXPECT_EQ(waiter_result(&through_other), 0);
    EXPECT_EQ(join(&through_ev), 0);
    EXPECT_EQ(join(&through_other), 0);
    handle_close(other);
}

TEST(close_while_waiting_many_cancels_the_wait)
{
    handle_t hs[EVENTS];
    struct waiter w = { { 0 }, EVENTS, 0, 0, 0, 0, 0 };

    ASSERT_TRUE(make_events(hs, EVENTS, 0));
    memcpy(w.handles, hs, sizeof hs);
    ASSERT_EQ(start_waiter(&w, 1), 0);
    EXPECT_EQ(handle_close(hs[EVENTS - 1]), 0);
    EXPECT_ERR(waiter_result(&w), E_CANCELED);
    EXPECT_EQ(join(&w), 0);
    close_all(hs, EVENTS - 1);
}

/* ---- the list of handles ----------------------------------------------------- */

TEST(wait_many_on_64_handles_works)
{
    handle_t hs[WAIT_MANY_MAX];
    long index = INDEX_UNTOUCHED;

    ASSERT_TRUE(make_events(hs, WAIT_MANY_MAX, EVENT_MANUAL_RESET));
    EXPECT_ERR(object_wait_many(hs, WAIT_MANY_MAX, 0, 0, &index), E_TIMEDOUT);
    EXPECT_EQ(event_set(hs[WAIT_MANY_MAX - 1]), 0);
    EXPECT_EQ(object_wait_many(hs, WAIT_MANY_MAX, 0, 0, &index), WAIT_MANY_MAX - 1);
    EXPECT_EQ(index, WAIT_MANY_MAX - 1);
    EXPECT_ERR(object_wait_many(hs, WAIT_MANY_MAX, WAIT_FOR_ALL, 0, &index), E_TIMEDOUT);
    for (int i = 0; i < WAIT_MANY_MAX; i++)
        event_set(hs[i]);
    EXPECT_EQ(object_wait_many(hs, WAIT_MANY_MAX, WAIT_FOR_ALL, 0, &index), 0);
    close_all(hs, WAIT_MANY_MAX);
}

TEST(wait_many_count_must_be_1_to_64)
{
    handle_t hs[WAIT_MANY_MAX + 1];

    ASSERT_TRUE(make_events(hs, WAIT_MANY_MAX + 1, EVENT_SIGNALED | EVENT_MANUAL_RESET));
    EXPECT_ERR(object_wait_many(hs, 0, 0, 0, NULL), E_INVAL);
    EXPECT_ERR(object_wait_many(hs, WAIT_MANY_MAX + 1, 0, 0, NULL), E_INVAL);
    EXPECT_ERR(object_wait_many(hs, WAIT_MANY_MAX + 1, WAIT_FOR_ALL, 0, NULL), E_INVAL);
    EXPECT_ERR(object_wait_many(hs, (size_t)-1, 0, 0, NULL), E_INVAL);
    EXPECT_EQ(object_wait_many(hs, 1, 0, 0, NULL), 0);
    close_all(hs, WAIT_MANY_MAX + 1);
}

TEST(wait_many_unknown_flags_are_invalid)
{
    handle_t ev = event_create(EVENT_SIGNALED, NULL);

    ASSERT_TRUE(ev > 0);
    EXPECT_ERR(object_wait_many(&ev, 1, WAIT_FOR_ALL << 1, 0, NULL), E_INVAL);
    EXPECT_ERR(object_wait_many(&ev, 1, 0x80000000UL, 0, NULL), E_INVAL);
    EXPECT_ERR(object_wait_many(&ev, 1, 1UL << 63, 0, NULL), E_INVAL);
    EXPECT_EQ(object_wait(ev, 0), 0);               /* nothing was taken */
    handle_close(ev);
}

TEST(wait_many_bad_handle_fails_and_takes_nothing)
{
    handle_t ev = event_create(EVENT_SIGNALED, NULL), gone = event_create(0, NULL);

    ASSERT_TRUE(ev > 0 && gone > 0);
    handle_close(gone);
    EXPECT_ERR(object_wait_many((handle_t[]){ ev, gone }, 2, 0, 0, NULL), E_BADHANDLE);
    EXPECT_ERR(object_wait_many((handle_t[]){ ev, gone }, 2, WAIT_FOR_ALL, 0, NULL), E_BADHANDLE);
    EXPECT_ERR(object_wait_many((handle_t[]){ ev, 0 }, 2, 0, 0, NULL), E_BADHANDLE);
    EXPECT_ERR(object_wait(gone, 0), E_BADHANDLE);
    EXPECT_EQ(object_wait(ev, 0), 0);               /* still set: nothing was taken */
    handle_close(ev);
}

TEST(wait_many_index_output)
{
    handle_t hs[EVENTS];
    long index = INDEX_UNTOUCHED;

    ASSERT_TRUE(make_events(hs, EVENTS, 0));
    EXPECT_EQ(event_set(hs[2]), 0);
    EXPECT_EQ(object_wait_many(hs, EVENTS, 0, 0, &index), 2);
    EXPECT_EQ(index, 2);
    EXPECT_EQ(event_set(hs[4]), 0);
    EXPECT_EQ(object_wait_many(hs, EVENTS, 0, 0, NULL), 4);     /* NULL: no report wanted */
    EXPECT_EQ(event_set(hs[0]), 0);
    EXPECT_ERR(object_wait_many(hs, EVENTS, 0, 0, unmapped_page()), E_FAULT);
    EXPECT_ERR(object_wait(hs[0], 0), E_TIMEDOUT);  /* the wait happened; only the report was lost */
    close_all(hs, EVENTS);
}

/* ---- threads and processes as waitable objects ----------------------------- */

TEST(thread_is_signaled_once_it_has_ended)
{
    handle_t t = thread_start(return_at_once, NULL, THREAD_STACK);

    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait(t, SETTLE_NS), 0);
    EXPECT_EQ(object_wait(t, 0), 0);                /* and stays so */
    handle_close(t);
}

TEST(process_is_signaled_once_it_has_exited)
{
    char code[16];
    struct process_status st;
    handle_t child;

    snprintf(code, sizeof code, "%d", EXIT_CODE);
    ASSERT_TRUE((child = spawn_self("--exit", code)) > 0);
    EXPECT_EQ(object_wait(child, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(object_wait(child, 0), 0);
    EXPECT_EQ(process_status(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, EXIT_CODE);
    handle_close(child);
}

TEST(process_is_signaled_once_killed)
{
    struct process_status st;
    handle_t child = spawn_self("--sleep", NULL);

    ASSERT_TRUE(child > 0);
    EXPECT_ERR(object_wait(child, 0), E_TIMEDOUT);
    EXPECT_EQ(process_kill(child, KILL_CODE), 0);
    EXPECT_EQ(object_wait(child, CHILD_TIMEOUT_NS), 0);
    process_kill(child, KILL_CODE + 1);         /* too late: the first reason stays */
    EXPECT_EQ(process_status(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    EXPECT_EQ(st.exit_code, KILL_CODE);
    handle_close(child);
}
