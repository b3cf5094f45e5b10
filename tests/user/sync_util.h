/*
 * sync_util.h: waiter threads for the sync suites (sync_events.c,
 * sync_mutexes.c, sync_semaphores.c).  A header of static functions, so
 * not a suite.
 *
 * Waiter threads block in the kernel.  A case knows they are blocked by
 * counting its own threads in state THREAD_STATE_BLOCKED (blocked_threads,
 * util.h), and because the kernel decides whom a signal releases inside
 * the signalling call, it can count again right after event_set to see how
 * many were released.
 */
#ifndef EMBER_TESTS_USER_SYNC_UTIL_H
#define EMBER_TESTS_USER_SYNC_UTIL_H

#include "tests/user/util.h"

#define WAITERS             4
#define THREAD_STACK        PAGE_SIZE               /* the threads here need little */

/* A thread that waits on one object and says what the wait returned. */
struct waiter {
    handle_t object;
    int release_mutex;              /* give back the mutex it got */
    volatile long result;           /* NOT_YET until the wait returns */
    handle_t thread;
};

static volatile int returned;       /* waits that have returned */

static inline void waiter_main(void *arg)
{
    struct waiter *w = arg;
    long r = object_wait(w->object, TIMEOUT_INFINITE);

    if (w->release_mutex && (r == 0 || r == E_ABANDONED))
        mutex_release(w->object);
    w->result = r;
    __atomic_add_fetch(&returned, 1, __ATOMIC_SEQ_CST);
}

/* Starts |n| waiters on |object|; 0 once all |n| are blocked (plus |others| blocked already). */
static inline long start_waiters_on(struct waiter *w, int n, handle_t object, int release_mutex, int others)
{
    returned = 0;
    for (int i = 0; i < n; i++) {
        w[i] = (struct waiter){ object, release_mutex, NOT_YET, 0 };
        w[i].thread = thread_start(waiter_main, &w[i], THREAD_STACK);
        if (w[i].thread < 0)
            return w[i].thread;
    }
    return settle_blocked(n + others) ? 0 : E_TIMEDOUT;
}

static inline long start_waiters(struct waiter *w, int n, handle_t object)
{
    return start_waiters_on(w, n, object, 0, 0);
}

/* Yields until |n| waits have returned (or SETTLE_NS passed); how many have. */
static inline int until_returned(int n)
{
    long deadline = clock_now() + SETTLE_NS;

    while (returned < n && clock_now() <= deadline)
        thread_yield();
    return returned;
}

/* How many of the |n| waiters got |result|. */
static inline int count_results(const struct waiter *w, int n, long result)
{
    int k = 0;

    for (int i = 0; i < n; i++)
        k += w[i].result == result;
    return k;
}

/*
 * Ends a case's waiters: closes |object| (which cancels any wait still
 * going through it), then waits for each thread and closes its handle.
 * Returns how many threads did not end.
 */
static inline int finish_waiters(struct waiter *w, int n, handle_t object)
{
    int stuck = 0;

    handle_close(object);
    for (int i = 0; i < n; i++) {
        stuck += object_wait(w[i].thread, SETTLE_NS) != 0;
        handle_close(w[i].thread);
    }
    return stuck;
}

#endif
