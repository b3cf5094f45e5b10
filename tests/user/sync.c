/*
 * sync: the three dispatcher objects of kernel/sync as ring 3 sees them
 * (ARCHITECTURE.md section 6, and section 5 for what a satisfied wait does):
 *
 *   events      manual reset releases every waiter and stays set; auto reset
 *               releases exactly one, then is reset; pulse releases the
 *               current waiters (all, or one) and leaves it reset; reset;
 *               EVENT_SIGNALED; set/reset/pulse need RIGHT_SIGNAL;
 *   mutexes     recursive; only the owner releases (E_NOTOWNER); MUTEX_OWNED;
 *               an owner that dies (a thread that exits, a process that is
 *               killed) abandons it: the next thread to get it is told
 *               E_ABANDONED, once, and owns it; object_wait_many says which;
 *   semaphores  initial and maximum count; release(n) returns the count
 *               before; past the maximum E_LIMIT with the count unchanged;
 *               creation limits; each satisfied wait takes one.
 *
 * Waiter threads block in the kernel.  A case knows they are blocked by
 * counting its own threads in state "blocked" (thread_list), and because
 * the kernel decides whom a signal releases inside the signalling call, it
 * can count again right after event_set to see how many were released.
 */
#include <limits.h>
#include <stdio.h>
#include "kernel/abi/rights.h"
#include "tests/user/util.h"

#define WAITERS             4
#define THREAD_STACK        PAGE_SIZE               /* the threads here need little */
#define SETTLE_NS           (5 * NS_PER_SEC)        /* for threads to get where a case expects them */
#define THREAD_LIST_MAX     256
#define THREAD_STATE_BLOCKED 3                      /* "blocked" in THREAD_STATE_NAMES (types.h) */
#define NOT_YET             1                       /* a result no wait returns */
#define ABANDON_ROUNDS      1000                    /* threads that exit holding the mutex */
#define KILL_ROUNDS         20                      /* child processes killed holding it */
#define KILL_CODE           77
#define SEMA_MAX            5
#define MUTEX_NAME          "/obj/test.sync.mutex"
#define HELD_NAME           "/obj/test.sync.held"

/* ---- threads of this process (waits.c has the same few helpers) ---------- */

/* How many threads of process |pid| are blocked (in a wait or a sleep). */
static int blocked_threads_of(uint64_t pid)
{
    static struct thread_info list[THREAD_LIST_MAX];
    long n = thread_list(list, sizeof list);
    int blocked = 0;

    for (long i = 0; i < n && i < THREAD_LIST_MAX; i++)
        if (list[i].pid == pid && list[i].state == THREAD_STATE_BLOCKED)
            blocked++;
    return blocked;
}

static int blocked_threads(void)
{
    return blocked_threads_of((uint64_t)process_self_id());
}

/* Yields until |n| threads of process |pid| are blocked; whether they were within SETTLE_NS. */
static int settle_blocked_of(uint64_t pid, int n)
{
    long deadline = clock_now() + SETTLE_NS;

    while (blocked_threads_of(pid) < n)
        if (clock_now() > deadline)
            return 0;
        else
            thread_yield();
    return 1;
}

static int settle_blocked(int n)
{
    return settle_blocked_of((uint64_t)process_self_id(), n);
}

/* A thread that waits on one object and says what the wait returned. */
struct waiter {
    handle_t object;
    int release_mutex;              /* give back the mutex it got */
    volatile long result;           /* NOT_YET until the wait returns */
    handle_t thread;
};

static volatile int returned;       /* waits that have returned */

static void waiter_main(void *arg)
{
    struct waiter *w = arg;
    long r = object_wait(w->object, TIMEOUT_INFINITE);

    if (w->release_mutex && (r == 0 || r == E_ABANDONED))
        mutex_release(w->object);
    w->result = r;
    __atomic_add_fetch(&returned, 1, __ATOMIC_SEQ_CST);
}

/* Starts |n| waiters on |object|; 0 once all |n| are blocked (plus |others| blocked already). */
static long start_waiters_on(struct waiter *w, int n, handle_t object, int release_mutex, int others)
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

static long start_waiters(struct waiter *w, int n, handle_t object)
{
    return start_waiters_on(w, n, object, 0, 0);
}

/* Yields until |n| waits have returned (or SETTLE_NS passed); how many have. */
static int until_returned(int n)
{
    long deadline = clock_now() + SETTLE_NS;

    while (returned < n && clock_now() <= deadline)
        thread_yield();
    return returned;
}

/* How many of the |n| waiters got |result|. */
static int count_results(const struct waiter *w, int n, long result)
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
static int finish_waiters(struct waiter *w, int n, handle_t object)
{
    int stuck = 0;

    handle_close(object);
    for (int i = 0; i < n; i++) {
        stuck += object_wait(w[i].thread, SETTLE_NS) != 0;
        handle_close(w[i].thread);
    }
    return stuck;
}

/* Runs |op|(|h|) on a thread of its own and returns what it returned. */
struct call {
    long (*op)(handle_t h);
    handle_t h;
    long result;
};

static void call_main(void *arg)
{
    struct call *c = arg;

    c->result = c->op(c->h);
}

static long in_other_thread(long (*op)(handle_t h), handle_t h)
{
    struct call c = { op, h, NOT_YET };
    handle_t t = thread_start(call_main, &c, THREAD_STACK);

    if (t < 0)
        return t;
    if (object_wait(t, SETTLE_NS) != 0)
        c.result = E_TIMEDOUT;
    handle_close(t);
    return c.result;
}

/* Polls mutex |mx| and gives it back if it got it: what the poll said. */
static long take_and_give_back(handle_t mx)
{
    long r = object_wait(mx, 0);

    if (r == 0 || r == E_ABANDONED)
        mutex_release(mx);
    return r;
}

/* ---- helper modes: a child that holds a mutex until it is killed -------- */

/*
 * "--hold-mutex MUTEX EVENT": opens the mutex and the event of those names,
 * takes the mutex, sets the event, then sleeps until killed.  Exits with
 * the line of a check that failed.
 */
static int helper_hold_mutex(int argc, char **argv)
{
    handle_t mx = argc >= 2 ? object_open(argv[0], OB_TYPE_MUTEX) : E_INVAL;
    handle_t held = argc >= 2 ? object_open(argv[1], OB_TYPE_EVENT) : E_INVAL;

    if (mx < 0 || held < 0 || object_wait(mx, CHILD_TIMEOUT_NS) != 0 || event_set(held) != 0)
        return __LINE__;
    return helper_sleep(0, NULL);
}

/* "--wait-mutex MUTEX": opens the mutex of that name and waits for it until killed. */
static int helper_wait_mutex(int argc, char **argv)
{
    handle_t mx = argc >= 1 ? object_open(argv[0], OB_TYPE_MUTEX) : E_INVAL;

    if (mx < 0)
        return __LINE__;
    object_wait(mx, TIMEOUT_INFINITE);
    return __LINE__;                            /* it should never have got it */
}

static const struct helper_mode helpers[] = {
    { "--hold-mutex", helper_hold_mutex },
    { "--wait-mutex", helper_wait_mutex },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- events --------------------------------------------------------------- */

TEST(event_manual_set_releases_every_waiter_and_stays_set)
{
    struct waiter w[WAITERS];
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL);

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, WAITERS, ev), 0);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(blocked_threads(), 0);
    EXPECT_EQ(until_returned(WAITERS), WAITERS);
    EXPECT_EQ(count_results(w, WAITERS, 0), WAITERS);
    EXPECT_EQ(object_wait(ev, 0), 0);           /* still set, however often it is waited on */
    EXPECT_EQ(object_wait(ev, 0), 0);
    EXPECT_EQ(finish_waiters(w, WAITERS, ev), 0);
}

TEST(event_auto_set_releases_exactly_one_waiter_then_resets)
{
    struct waiter w[WAITERS];
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, WAITERS, ev), 0);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(blocked_threads(), WAITERS - 1);
    EXPECT_EQ(until_returned(1), 1);
    EXPECT_EQ(blocked_threads(), WAITERS - 1);  /* the rest still wait */
    EXPECT_EQ(count_results(w, WAITERS, 0), 1);
    for (int i = 1; i < WAITERS; i++) {         /* one more set per waiter left */
        EXPECT_EQ(event_set(ev), 0);
        EXPECT_EQ_AT("blocked after another set", blocked_threads(), WAITERS - 1 - i);
    }
    EXPECT_EQ(until_returned(WAITERS), WAITERS);
    EXPECT_EQ(count_results(w, WAITERS, 0), WAITERS);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT); /* each set was used up by its waiter */
    EXPECT_EQ(finish_waiters(w, WAITERS, ev), 0);
}

TEST(event_auto_set_without_waiters_satisfies_one_later_wait)
{
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(event_set(ev), 0);                /* an event is not a counter */
    EXPECT_EQ(object_wait(ev, 0), 0);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(handle_close(ev), 0);
}

TEST(event_manual_pulse_releases_all_current_waiters_and_leaves_it_reset)
{
    struct waiter w[WAITERS];
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL);

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, WAITERS, ev), 0);
    EXPECT_EQ(event_pulse(ev), 0);
    EXPECT_EQ(blocked_threads(), 0);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(until_returned(WAITERS), WAITERS);
    EXPECT_EQ(count_results(w, WAITERS, 0), WAITERS);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(finish_waiters(w, WAITERS, ev), 0);
}

TEST(event_auto_pulse_releases_one_waiter)
{
    struct waiter w[WAITERS];
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    ASSERT_EQ(start_waiters(w, WAITERS, ev), 0);
    EXPECT_EQ(event_pulse(ev), 0);
    EXPECT_EQ(blocked_threads(), WAITERS - 1);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);
    EXPECT_EQ(until_returned(1), 1);
    EXPECT_EQ(count_results(w, WAITERS, 0), 1);
    for (int i = 1; i < WAITERS; i++)
        EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(until_returned(WAITERS), WAITERS);
    EXPECT_EQ(finish_waiters(w, WAITERS, ev), 0);
}

TEST(event_pulse_without_waiters_leaves_it_reset)
{
    handle_t manual = event_create(EVENT_MANUAL_RESET, NULL), automatic = event_create(0, NULL);

    ASSERT_TRUE(manual > 0 && automatic > 0);
    EXPECT_EQ(event_pulse(manual), 0);
    EXPECT_EQ(event_pulse(automatic), 0);
    EXPECT_ERR(object_wait(manual, 0), E_TIMEDOUT);
    EXPECT_ERR(object_wait(automatic, 0), E_TIMEDOUT);
    handle_close(manual);
    handle_close(automatic);
}

TEST(event_reset_clears_a_set_event)
{
    handle_t manual = event_create(EVENT_MANUAL_RESET, NULL), automatic = event_create(0, NULL);

    ASSERT_TRUE(manual > 0 && automatic > 0);
    EXPECT_EQ(event_set(manual), 0);
    EXPECT_EQ(event_set(automatic), 0);
    EXPECT_EQ(event_reset(manual), 0);
    EXPECT_EQ(event_reset(automatic), 0);
    EXPECT_ERR(object_wait(manual, 0), E_TIMEDOUT);
    EXPECT_ERR(object_wait(automatic, 0), E_TIMEDOUT);
    EXPECT_EQ(event_reset(manual), 0);          /* resetting a reset event is harmless */
    EXPECT_ERR(object_wait(manual, 0), E_TIMEDOUT);
    handle_close(manual);
    handle_close(automatic);
}

TEST(event_signaled_flag_starts_it_set)
{
    handle_t manual = event_create(EVENT_MANUAL_RESET | EVENT_SIGNALED, NULL);
    handle_t automatic = event_create(EVENT_SIGNALED, NULL);
    handle_t plain = event_create(0, NULL);

    ASSERT_TRUE(manual > 0 && automatic > 0 && plain > 0);
    EXPECT_EQ(object_wait(manual, 0), 0);
    EXPECT_EQ(object_wait(manual, 0), 0);
    EXPECT_EQ(object_wait(automatic, 0), 0);
    EXPECT_ERR(object_wait(automatic, 0), E_TIMEDOUT);
    EXPECT_ERR(object_wait(plain, 0), E_TIMEDOUT);
    handle_close(manual);
    handle_close(automatic);
    handle_close(plain);
}

TEST(event_unknown_flags_are_invalid)
{
    EXPECT_ERR(event_create(EVENT_SIGNALED << 1, NULL), E_INVAL);
    EXPECT_ERR(event_create(CREATE_OPEN_EXISTING << 1, NULL), E_INVAL);
    EXPECT_ERR(event_create(1UL << 63, NULL), E_INVAL);
}

TEST(event_set_reset_pulse_need_signal_right)
{
    handle_t ev = event_create(EVENT_MANUAL_RESET, NULL);
    handle_t weak = handle_duplicate(ev, 0, RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO);

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE(weak > 0);
    EXPECT_ERR(event_set(weak), E_ACCESS);
    EXPECT_ERR(event_pulse(weak), E_ACCESS);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT); /* neither changed it */
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_ERR(event_reset(weak), E_ACCESS);
    EXPECT_EQ(object_wait(weak, 0), 0);         /* still set, and the weak handle may wait */
    handle_close(weak);
    handle_close(ev);
}

/* ---- mutexes -------------------------------------------------------------- */

TEST(mutex_is_recursive)
{
    const int depth = 3;
    handle_t mx = mutex_create(0, NULL);

    ASSERT_TRUE(mx > 0);
    for (int i = 0; i < depth; i++)
        EXPECT_EQ(object_wait(mx, 0), 0);
    EXPECT_ERR(in_other_thread(take_and_give_back, mx), E_TIMEDOUT);
    for (int i = 0; i < depth - 1; i++)
        EXPECT_EQ(mutex_release(mx), 0);
    EXPECT_ERR(in_other_thread(take_and_give_back, mx), E_TIMEDOUT);   /* still held once */
    EXPECT_EQ(mutex_release(mx), 0);
    EXPECT_EQ(in_other_thread(take_and_give_back, mx), 0);
    EXPECT_ERR(mutex_release(mx), E_NOTOWNER);  /* one release too many */
    handle_close(mx);
}

TEST(mutex_release_by_non_owner_fails)
{
    handle_t mx = mutex_create(MUTEX_OWNED, NULL);

    ASSERT_TRUE(mx > 0);
    EXPECT_ERR(in_other_thread(mutex_release, mx), E_NOTOWNER);
    EXPECT_ERR(in_other_thread(take_and_give_back, mx), E_TIMEDOUT);   /* still ours */
    EXPECT_EQ(mutex_release(mx), 0);
    EXPECT_ERR(mutex_release(mx), E_NOTOWNER);  /* nobody owns it now */
    handle_close(mx);
}

TEST(mutex_owned_flag_makes_creator_owner)
{
    handle_t owned = mutex_create(MUTEX_OWNED, NULL), free_one = mutex_create(0, NULL);

    ASSERT_TRUE(owned > 0 && free_one > 0);
    EXPECT_ERR(in_other_thread(take_and_give_back, owned), E_TIMEDOUT);
    EXPECT_EQ(in_other_thread(take_and_give_back, free_one), 0);
    EXPECT_EQ(mutex_release(owned), 0);
    EXPECT_EQ(in_other_thread(take_and_give_back, owned), 0);
    EXPECT_ERR(mutex_release(free_one), E_NOTOWNER);
    handle_close(owned);
    handle_close(free_one);
}

TEST(mutex_unknown_flags_are_invalid)
{
    EXPECT_ERR(mutex_create(MUTEX_OWNED << 1, NULL), E_INVAL);
    EXPECT_ERR(mutex_create(1UL << 63, NULL), E_INVAL);
}

/* A thread that takes a mutex, says so, waits for |go| (if any) and returns still holding it. */
struct holder {
    handle_t mutex, have_it, go;
};

static void hold_and_exit(void *arg)
{
    struct holder *h = arg;

    object_wait(h->mutex, TIMEOUT_INFINITE);
    event_set(h->have_it);
    if (h->go)
        object_wait(h->go, TIMEOUT_INFINITE);
    else
        thread_yield();                         /* so the main thread can start waiting first */
}   /* returning ends the thread: it abandons the mutex */

/*
 * One round: a thread takes |h|->mutex and exits with it.  The main thread
 * either is waiting for it by then (|waiting_first|) or takes it later.
 * Whether the mutex said E_ABANDONED to the main thread exactly once.
 */
static int abandon_round(struct holder *h, int waiting_first)
{
    handle_t t = thread_start(hold_and_exit, h, THREAD_STACK);
    long got;
    int ok;

    if (!EXPECT_TRUE(t > 0))
        return 0;
    ok = EXPECT_EQ(object_wait(h->have_it, SETTLE_NS), 0);
    if (!waiting_first)
        ok &= EXPECT_EQ(object_wait(t, SETTLE_NS), 0);     /* gone before anyone waits */
    got = object_wait(h->mutex, SETTLE_NS);
    ok &= EXPECT_ERR(got, E_ABANDONED);
    ok &= EXPECT_EQ(mutex_release(h->mutex), 0);           /* it was ours */
    ok &= EXPECT_EQ(object_wait(h->mutex, 0), 0);          /* and said so only once */
    ok &= EXPECT_EQ(mutex_release(h->mutex), 0);
    ok &= EXPECT_EQ(object_wait(t, SETTLE_NS), 0);
    handle_close(t);
    return ok;
}

TEST(mutex_abandoned_by_exiting_thread_1000_rounds)
{
    struct holder h = { mutex_create(0, NULL), event_create(0, NULL), 0 };
    int round = 0;

    ASSERT_TRUE(h.mutex > 0 && h.have_it > 0);
    while (round < ABANDON_ROUNDS && abandon_round(&h, round % 2))
        round++;
    EXPECT_EQ(round, ABANDON_ROUNDS);
    handle_close(h.mutex);
    handle_close(h.have_it);
}

TEST(mutex_abandoned_goes_to_exactly_one_waiter_who_owns_it)
{
    enum { n = 2 };
    struct waiter w[n];
    struct holder h = { mutex_create(0, NULL), event_create(0, NULL), event_create(0, NULL) };
    handle_t t;

    ASSERT_TRUE(h.mutex > 0 && h.have_it > 0 && h.go > 0);
    ASSERT_TRUE((t = thread_start(hold_and_exit, &h, THREAD_STACK)) > 0);
    ASSERT_EQ(object_wait(h.have_it, SETTLE_NS), 0);
    ASSERT_EQ(start_waiters_on(w, n, h.mutex, 1, 1), 0);  /* the holder blocks on |go| */
    EXPECT_EQ(event_set(h.go), 0);
    EXPECT_EQ(object_wait(t, SETTLE_NS), 0);
    EXPECT_EQ(until_returned(n), n);
    EXPECT_EQ(count_results(w, n, E_ABANDONED), 1);  /* the first is told, and released it */
    EXPECT_EQ(count_results(w, n, 0), 1);            /* so the second got it plainly */
    EXPECT_EQ(take_and_give_back(h.mutex), 0);       /* both gave it back */
    handle_close(t);
    handle_close(h.have_it);
    handle_close(h.go);
    EXPECT_EQ(finish_waiters(w, n, h.mutex), 0);
}

/* Takes |mx| from a thread that exits holding it, without waiting for it. */
static void abandon_in_thread(handle_t mx)
{
    struct holder h = { mx, event_create(0, NULL), 0 };
    handle_t t = thread_start(hold_and_exit, &h, THREAD_STACK);

    ASSERT_TRUE(t > 0);
    ASSERT_EQ(object_wait(t, SETTLE_NS), 0);
    handle_close(t);
    handle_close(h.have_it);
}

TEST(wait_many_reports_index_of_abandoned_mutex)
{
    handle_t ev = event_create(0, NULL), sem = semaphore_create(0, 1, 0, NULL);
    handle_t mx = mutex_create(0, NULL);
    handle_t hs[] = { ev, sem, mx };
    long index = -1;

    ASSERT_TRUE(ev > 0 && sem > 0 && mx > 0);
    abandon_in_thread(mx);
    EXPECT_ERR(object_wait_many(hs, ARRAY_LEN(hs), 0, 0, &index), E_ABANDONED);
    EXPECT_EQ(index, 2);
    EXPECT_EQ(mutex_release(mx), 0);            /* owned by the waiter */
    handle_close(ev);
    handle_close(sem);
    handle_close(mx);
}

TEST(wait_all_with_abandoned_mutex_says_abandoned_and_takes_all)
{
    handle_t ev = event_create(EVENT_SIGNALED, NULL), sem = semaphore_create(1, 1, 0, NULL);
    handle_t mx = mutex_create(0, NULL);
    handle_t hs[] = { ev, mx, sem };
    long index = -1;

    ASSERT_TRUE(ev > 0 && sem > 0 && mx > 0);
    abandon_in_thread(mx);
    EXPECT_ERR(object_wait_many(hs, ARRAY_LEN(hs), WAIT_FOR_ALL, 0, &index), E_ABANDONED);
    EXPECT_TRUE(index >= 0 && index < (long)ARRAY_LEN(hs));
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);     /* auto reset: taken */
    EXPECT_ERR(object_wait(sem, 0), E_TIMEDOUT);    /* taken */
    EXPECT_EQ(mutex_release(mx), 0);                /* owned */
    handle_close(ev);
    handle_close(sem);
    handle_close(mx);
}

/*
 * Spawns a "--hold-mutex" child, waits until it holds |mx|, kills it and
 * takes |mx|: E_ABANDONED, once.  With |process_first| it waits for the
 * child's end first: teardown abandons the mutexes before the process is
 * signaled, so a poll then finds the mutex abandoned already.  Whether all
 * of that held.
 */
static int kill_holder_round(handle_t mx, handle_t held, int process_first)
{
    const char *argv[] = { self_path(), "--hold-mutex", MUTEX_NAME, HELD_NAME, NULL };
    struct process_status st;
    handle_t child = process_spawn(self_path(), argv, NULL, 0);
    int ok;

    if (!EXPECT_TRUE(child > 0))
        return 0;
    ok = EXPECT_EQ(object_wait(held, CHILD_TIMEOUT_NS), 0);
    ok &= EXPECT_EQ(process_kill(child, KILL_CODE), 0);
    if (process_first)
        ok &= EXPECT_EQ(object_wait(child, CHILD_TIMEOUT_NS), 0);
    ok &= EXPECT_ERR(object_wait(mx, process_first ? 0 : CHILD_TIMEOUT_NS), E_ABANDONED);
    ok &= EXPECT_EQ(mutex_release(mx), 0);
    ok &= EXPECT_EQ(object_wait(mx, 0), 0);
    ok &= EXPECT_EQ(mutex_release(mx), 0);
    ok &= EXPECT_EQ(reap(child, &st), 0);
    ok &= EXPECT_EQ(st.state, PROCESS_KILLED);
    ok &= EXPECT_EQ(st.exit_code, KILL_CODE);
    return ok;
}

TEST(mutex_abandoned_by_killed_child_process)
{
    handle_t mx = mutex_create(0, MUTEX_NAME), held = event_create(0, HELD_NAME);
    int round = 0;

    ASSERT_TRUE(mx > 0 && held > 0);
    while (round < KILL_ROUNDS && kill_holder_round(mx, held, round % 2))
        round++;
    EXPECT_EQ(round, KILL_ROUNDS);
    handle_close(mx);
    handle_close(held);
}

TEST(mutex_waiter_killed_before_release_does_not_take_it)
{
    handle_t mx = mutex_create(MUTEX_OWNED, MUTEX_NAME), child;
    struct process_status st;

    ASSERT_TRUE(mx > 0);
    ASSERT_TRUE((child = spawn_self("--wait-mutex", MUTEX_NAME)) > 0);
    ASSERT_EQ(process_status(child, &st), 0);
    EXPECT_TRUE(settle_blocked_of(st.pid, 1));  /* waiting for our mutex */
    EXPECT_EQ(process_kill(child, KILL_CODE), 0);
    EXPECT_EQ(mutex_release(mx), 0);            /* before the killed waiter has run again */
    EXPECT_EQ(in_other_thread(take_and_give_back, mx), 0);     /* free, and not abandoned */
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    EXPECT_EQ(st.exit_code, KILL_CODE);
    handle_close(mx);
}

/* A thread that takes a mutex |RECURSION| times and returns holding it. */
#define RECURSION 3
static void take_recursively_and_exit(void *arg)
{
    for (int i = 0; i < RECURSION; i++)
        object_wait(*(handle_t *)arg, TIMEOUT_INFINITE);
}

TEST(mutex_abandoned_while_held_recursively_is_taken_once)
{
    handle_t mx = mutex_create(0, NULL), t;

    ASSERT_TRUE(mx > 0);
    ASSERT_TRUE((t = thread_start(take_recursively_and_exit, &mx, THREAD_STACK)) > 0);
    EXPECT_EQ(object_wait(t, SETTLE_NS), 0);
    EXPECT_ERR(object_wait(mx, 0), E_ABANDONED);
    EXPECT_EQ(mutex_release(mx), 0);            /* the dead owner's depth did not carry over */
    EXPECT_ERR(mutex_release(mx), E_NOTOWNER);
    EXPECT_EQ(in_other_thread(take_and_give_back, mx), 0);
    handle_close(t);
    handle_close(mx);
}

/* ---- semaphores ----------------------------------------------------------- */

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
