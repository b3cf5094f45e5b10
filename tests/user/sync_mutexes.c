/*
 * sync_mutexes: mutexes as ring 3 sees them (ARCHITECTURE.md section 6,
 * and section 5 for what a satisfied wait does; kernel/sync/mutex.c):
 * recursive; only the owner releases (E_NOTOWNER); MUTEX_OWNED makes the
 * creator the owner; unknown flags are E_INVAL.  An owner that dies (a
 * thread that exits, a process that is killed, also while holding it
 * recursively) abandons it: the next thread to get it is told E_ABANDONED,
 * once, and owns it (just once deep); object_wait_many says which one; a
 * waiter killed before the release does not take it.
 *
 * The other threads are this process's (sync_util.h); the processes are
 * this program in a helper mode, sharing the mutex by name.
 */
#include "tests/user/sync_util.h"

#define ABANDON_ROUNDS      1000                    /* threads that exit holding the mutex */
#define KILL_ROUNDS         20                      /* child processes killed holding it */
#define MUTEX_NAME          "/obj/test.sync.mutex"
#define HELD_NAME           "/obj/test.sync.held"

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

/* ---- ownership ----------------------------------------------------------- */

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

/* ---- abandonment ---------------------------------------------------------- */

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
