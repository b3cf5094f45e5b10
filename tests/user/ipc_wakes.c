/*
 * ipc_wakes: the hand-off of a wake (kernel/ob/wait.c, ob_handoff), and the
 * walk it falls back to.
 *
 * An event set, a semaphore release or a pipe write that finds a thread
 * waiting for any object gives it the signal directly (the auto-reset event
 * never goes up, the unit never enters the count) instead of ob_signal's
 * walk through the type's hooks.  Each case reads the kernel's count of
 * hand-offs (system_stats.wake_handoffs) around what it does, so a hand-off
 * that silently stopped happening fails, and so does one taken where only
 * the walk is right: nobody waiting, a manual-reset event, a wait for all
 * first in line, a waiter that was killed.  Bad input with a waiter present
 * must change nothing: an error, the waiter still blocked, no hand-off.
 * The slowpath layer runs this suite again with fastpath=off, where there
 * must be no hand-off at all and every result the same.
 */
#include <limits.h>
#include <test.h>
#include "tests/user/port_util.h"

static struct system_stats stats;

/* The kernel's count of hand-offs since boot (and whether they can happen: stats.direct_switch_on). */
static uint64_t handoffs(void)
{
    return system_stats(&stats, sizeof stats) < 0 ? 0 : stats.wake_handoffs;
}

/* After a case that started at |before|: |n| hand-offs since (none with fastpath=off). */
static void expect_handoffs(uint64_t before, uint64_t n)
{
    uint64_t got = handoffs() - before;

    EXPECT_EQ(got, stats.direct_switch_on ? n : 0);
}

/* ---- waiting threads ------------------------------------------------------ */

struct waiter {
    handle_t objects[2];            /* what to wait on (a pipe's read end: read one byte) */
    int count;                      /* how many of them (2: a wait for all) */
    volatile long result;
    char byte;
};

static void wait_on(void *arg)
{
    struct waiter *w = arg;

    w->result = w->count == 1 ? object_wait(w->objects[0], WAIT_NS)
                              : object_wait_many(w->objects, 2, WAIT_FOR_ALL, WAIT_NS, NULL);
}

static void read_one(void *arg)
{
    struct waiter *w = arg;

    w->result = pipe_read(w->objects[0], &w->byte, 1);
}

/* Starts |fn| on |w| and lets it block, behind the |blocked| threads already waiting. */
static handle_t start(void (*fn)(void *), struct waiter *w, int blocked)
{
    w->result = NOT_YET;
    if (!w->count)
        w->count = 1;
    handle_t t = thread_start(fn, w, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    ASSERT_TRUE(settle_blocked(blocked + 1));
    return t;
}

/* Lets woken threads run (the waker yields to its own priority) and joins |t|. */
static void finish(handle_t t)
{
    EXPECT_EQ(join(t), 0);
}

/* ---- events --------------------------------------------------------------- */

TEST(event_set_hands_off_to_its_waiter)
{
    struct waiter w = { .objects = { event_create(0, NULL) } };
    handle_t t = start(wait_on, &w, 0);
    uint64_t before = handoffs();

    EXPECT_EQ(event_set(w.objects[0]), 0);
    finish(t);
    expect_handoffs(before, 1);
    EXPECT_EQ(w.result, 0);
    EXPECT_ERR(object_wait(w.objects[0], 0), E_TIMEDOUT);   /* never went up */
    EXPECT_EQ(handle_close(w.objects[0]), 0);
}

TEST(event_set_without_waiter_stays_set)
{
    handle_t e = event_create(0, NULL);
    uint64_t before = handoffs();
    long previous = -1;

    EXPECT_EQ(event_set_previous(e, &previous), 0);
    EXPECT_EQ(previous, 0);
    expect_handoffs(before, 0);
    EXPECT_EQ(object_wait(e, 0), 0);                        /* the walk's way: set, then taken */
    EXPECT_ERR(object_wait(e, 0), E_TIMEDOUT);
    EXPECT_EQ(handle_close(e), 0);
}

TEST(manual_event_set_wakes_every_waiter_by_the_walk)
{
    handle_t e = event_create(EVENT_MANUAL_RESET, NULL);
    struct waiter a = { .objects = { e } }, b = { .objects = { e } };
    handle_t ta = start(wait_on, &a, 0), tb = start(wait_on, &b, 1);
    uint64_t before = handoffs();

    EXPECT_EQ(event_set(e), 0);
    finish(ta);
    finish(tb);
    expect_handoffs(before, 0);
    EXPECT_EQ(a.result, 0);
    EXPECT_EQ(b.result, 0);
    EXPECT_EQ(object_wait(e, 0), 0);                        /* still set */
    EXPECT_EQ(handle_close(e), 0);
}

/*
 * First in line waits for all of {event, semaphore}, second for the event
 * alone: the set is not the hand-off's (the first might take it), the walk
 * finds the first unsatisfied and gives the event to the second.
 */
TEST(event_set_with_a_wait_for_all_first_takes_the_walk)
{
    handle_t e = event_create(0, NULL), s = semaphore_create(0, 1, 0, NULL);
    struct waiter all = { .objects = { e, s }, .count = 2 }, one = { .objects = { e } };
    handle_t ta = start(wait_on, &all, 0), to = start(wait_on, &one, 1);
    uint64_t before = handoffs();

    EXPECT_EQ(event_set(e), 0);
    finish(to);
    EXPECT_EQ(one.result, 0);
    EXPECT_EQ(all.result, NOT_YET);
    EXPECT_EQ(semaphore_release(s, 1), 0);                  /* the first now has half */
    EXPECT_EQ(event_set(e), 0);                             /* and now all, by the walk */
    finish(ta);
    expect_handoffs(before, 0);
    EXPECT_EQ(all.result, 0);
    EXPECT_ERR(object_wait(e, 0), E_TIMEDOUT);
    EXPECT_ERR(object_wait(s, 0), E_TIMEDOUT);
    EXPECT_EQ(handle_close(e), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* Bad input to the waker while a thread waits: an error, the waiter still waits, no hand-off. */
TEST(event_set_bad_input_with_a_waiter_changes_nothing)
{
    struct waiter w = { .objects = { event_create(0, NULL) } };
    handle_t closed = event_create(0, NULL), sem = semaphore_create(0, 1, 0, NULL);
    handle_t no_signal = handle_duplicate(w.objects[0], 0, RIGHT_WAIT);
    handle_t t = start(wait_on, &w, 0);
    uint64_t before = handoffs();
    long previous = -1;

    ASSERT_TRUE(no_signal > 0);
    EXPECT_EQ(handle_close(closed), 0);
    EXPECT_ERR(event_set(closed), E_BADHANDLE);
    EXPECT_ERR(event_set(0), E_BADHANDLE);
    EXPECT_ERR(event_set(sem), E_WRONGTYPE);
    EXPECT_ERR(event_set(no_signal), E_ACCESS);
    EXPECT_ERR(event_set_previous(w.objects[0], NULL), E_FAULT);
    EXPECT_ERR(event_set_previous(w.objects[0], (long *)KERNEL_HEAP_ADDR), E_FAULT);
    expect_handoffs(before, 0);
    EXPECT_EQ(blocked_threads(), 1);
    EXPECT_EQ(w.result, NOT_YET);
    EXPECT_EQ(event_set_previous(w.objects[0], &previous), 0);  /* now the real one */
    finish(t);
    expect_handoffs(before, 1);
    EXPECT_EQ(previous, 0);
    EXPECT_EQ(w.result, 0);
    EXPECT_EQ(handle_close(no_signal), 0);
    EXPECT_EQ(handle_close(sem), 0);
    EXPECT_EQ(handle_close(w.objects[0]), 0);
}

static void close_ends(handle_t ends[PIPE_ENDS])
{
    EXPECT_EQ(handle_close(ends[PIPE_READ_END]), 0);
    EXPECT_EQ(handle_close(ends[PIPE_WRITE_END]), 0);
}

/* ---- a waiter killed while it waits ---------------------------------------- */

/* "--wait": waits on the handle it was passed, for good. */
static int wait_mode(int argc, char **argv)
{
    (void)argc, (void)argv;
    return (int)object_wait(passed(0), TIMEOUT_INFINITE);
}

/* "--read": reads one byte from the pipe end it was passed, for good. */
static int read_mode(int argc, char **argv)
{
    char c;

    (void)argc, (void)argv;
    return (int)pipe_read(passed(0), &c, 1);
}

/* Spawns |mode| with |h|, lets it block, kills and reaps it. */
static void kill_waiting_child(const char *mode, handle_t h)
{
    struct process_status st;
    handle_t child = spawn_passing(mode, NULL, &h, 1);

    ASSERT_TRUE(child > 0);
    ASSERT_EQ(process_status(child, &st), 0);
    ASSERT_TRUE(settle_blocked_of(st.pid, 1));
    kill_and_reap(child);
}

TEST(event_set_after_its_waiter_was_killed_stays_set)
{
    handle_t e = event_create(0, NULL);

    kill_waiting_child("--wait", e);
    uint64_t before = handoffs();
    EXPECT_EQ(event_set(e), 0);
    expect_handoffs(before, 0);
    EXPECT_EQ(object_wait(e, 0), 0);                        /* nobody took it */
    EXPECT_EQ(handle_close(e), 0);
}

TEST(semaphore_release_after_its_waiter_was_killed_counts)
{
    handle_t s = semaphore_create(0, 1, 0, NULL);

    kill_waiting_child("--wait", s);
    uint64_t before = handoffs();
    EXPECT_EQ(semaphore_release(s, 1), 0);
    expect_handoffs(before, 0);
    EXPECT_EQ(object_wait(s, 0), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* A byte written with no reader waiting: no hand-off, the byte waits in the ring.  Closes |ends|. */
static void write_stays_in_the_ring(handle_t ends[PIPE_ENDS])
{
    uint64_t before = handoffs();
    char c = 0;

    EXPECT_EQ(pipe_write(ends[PIPE_WRITE_END], "k", 1), 1);
    expect_handoffs(before, 0);
    EXPECT_EQ(pipe_peek(ends[PIPE_READ_END], &c, 1), 1);
    EXPECT_EQ(c, 'k');
    close_ends(ends);
}

TEST(pipe_write_after_its_reader_was_killed_stays_in_the_ring)
{
    handle_t ends[PIPE_ENDS];

    ASSERT_EQ(pipe_create(ends), 0);
    kill_waiting_child("--read", ends[PIPE_READ_END]);
    write_stays_in_the_ring(ends);
}

static void write_one(void *arg)
{
    struct waiter *w = arg;

    w->result = pipe_write(w->objects[0], "w", 1);
}

/*
 * A writer blocked on a full pipe whose only reader is killed: the reader's
 * teardown closes the read end, which wakes the writer with E_PEERCLOSED
 * (the walk: room is the writer's own condition, never a hand-off).
 */
TEST(blocked_writer_to_a_pipe_whose_reader_died_gets_peerclosed)
{
    handle_t ends[PIPE_ENDS];
    static char fill[64];

    ASSERT_EQ(pipe_create_sized(ends, sizeof fill, 0), 0);
    ASSERT_EQ(pipe_write(ends[PIPE_WRITE_END], fill, sizeof fill), (long)sizeof fill);
    handle_t child = spawn_passing("--sleep", NULL, &ends[PIPE_READ_END], 1);
    ASSERT_TRUE(child > 0);
    EXPECT_EQ(handle_close(ends[PIPE_READ_END]), 0);        /* the child's is the only one now */
    struct waiter w = { .objects = { ends[PIPE_WRITE_END] } };
    handle_t t = start(write_one, &w, 0);                   /* blocks: no room */
    uint64_t before = handoffs();
    kill_and_reap(child);
    finish(t);
    expect_handoffs(before, 0);
    EXPECT_ERR(w.result, E_PEERCLOSED);
    EXPECT_ERR(pipe_write(ends[PIPE_WRITE_END], "x", 1), E_PEERCLOSED);
    EXPECT_EQ(handle_close(ends[PIPE_WRITE_END]), 0);
}

/* ---- semaphores ------------------------------------------------------------ */

TEST(semaphore_release_hands_its_first_unit_to_the_waiter)
{
    struct waiter w = { .objects = { semaphore_create(0, 3, 0, NULL) } };
    handle_t t = start(wait_on, &w, 0);
    uint64_t before = handoffs();

    EXPECT_EQ(semaphore_release(w.objects[0], 2), 0);       /* the count before */
    finish(t);
    expect_handoffs(before, 1);
    EXPECT_EQ(w.result, 0);
    EXPECT_EQ(object_wait(w.objects[0], 0), 0);             /* one of the two is left */
    EXPECT_ERR(object_wait(w.objects[0], 0), E_TIMEDOUT);
    EXPECT_EQ(handle_close(w.objects[0]), 0);
}

TEST(semaphore_release_of_two_wakes_two_waiters_one_by_hand_off)
{
    handle_t s = semaphore_create(0, 2, 0, NULL);
    struct waiter a = { .objects = { s } }, b = { .objects = { s } };
    handle_t ta = start(wait_on, &a, 0), tb = start(wait_on, &b, 1);
    uint64_t before = handoffs();

    EXPECT_EQ(semaphore_release(s, 2), 0);
    finish(ta);
    finish(tb);
    expect_handoffs(before, 1);                             /* the second by the walk */
    EXPECT_EQ(a.result, 0);
    EXPECT_EQ(b.result, 0);
    EXPECT_ERR(object_wait(s, 0), E_TIMEDOUT);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(semaphore_release_without_waiter_counts)
{
    handle_t s = semaphore_create(0, 2, 0, NULL);
    uint64_t before = handoffs();

    EXPECT_EQ(semaphore_release(s, 1), 0);
    EXPECT_EQ(semaphore_release(s, 1), 1);
    expect_handoffs(before, 0);
    EXPECT_EQ(object_wait(s, 0), 0);
    EXPECT_EQ(object_wait(s, 0), 0);
    EXPECT_ERR(object_wait(s, 0), E_TIMEDOUT);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(semaphore_release_bad_input_with_a_waiter_changes_nothing)
{
    struct waiter w = { .objects = { semaphore_create(0, 1, 0, NULL) } };
    handle_t ev = event_create(0, NULL);
    handle_t no_signal = handle_duplicate(w.objects[0], 0, RIGHT_WAIT);
    handle_t t = start(wait_on, &w, 0);
    uint64_t before = handoffs();

    ASSERT_TRUE(no_signal > 0);
    EXPECT_ERR(semaphore_release(w.objects[0], 0), E_INVAL);
    EXPECT_ERR(semaphore_release(w.objects[0], -1), E_INVAL);
    EXPECT_ERR(semaphore_release(w.objects[0], 2), E_LIMIT);    /* past the maximum of 1 */
    EXPECT_ERR(semaphore_release(w.objects[0], LONG_MAX), E_LIMIT);
    EXPECT_ERR(semaphore_release(ev, 1), E_WRONGTYPE);
    EXPECT_ERR(semaphore_release(no_signal, 1), E_ACCESS);
    EXPECT_ERR(semaphore_release(0, 1), E_BADHANDLE);
    expect_handoffs(before, 0);
    EXPECT_EQ(blocked_threads(), 1);
    EXPECT_EQ(w.result, NOT_YET);
    EXPECT_EQ(semaphore_release(w.objects[0], 1), 0);
    finish(t);
    expect_handoffs(before, 1);
    EXPECT_EQ(w.result, 0);
    EXPECT_EQ(handle_close(no_signal), 0);
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(handle_close(w.objects[0]), 0);
}

/* ---- pipes ------------------------------------------------------------------ */

TEST(pipe_write_hands_off_to_its_reader)
{
    handle_t ends[PIPE_ENDS];

    ASSERT_EQ(pipe_create(ends), 0);
    struct waiter w = { .objects = { ends[PIPE_READ_END] } };
    handle_t t = start(read_one, &w, 0);
    uint64_t before = handoffs();
    EXPECT_EQ(pipe_write(ends[PIPE_WRITE_END], "h", 1), 1);
    finish(t);
    expect_handoffs(before, 1);
    EXPECT_EQ(w.result, 1);
    EXPECT_EQ(w.byte, 'h');
    close_ends(ends);
}

TEST(pipe_write_wakes_two_readers_one_by_hand_off)
{
    handle_t ends[PIPE_ENDS];

    ASSERT_EQ(pipe_create(ends), 0);
    struct waiter a = { .objects = { ends[PIPE_READ_END] } }, b = a;
    handle_t ta = start(read_one, &a, 0), tb = start(read_one, &b, 1);
    uint64_t before = handoffs();
    EXPECT_EQ(pipe_write(ends[PIPE_WRITE_END], "ab", 2), 2);
    finish(ta);
    finish(tb);
    expect_handoffs(before, 1);                             /* the second by the walk */
    EXPECT_EQ(a.result, 1);
    EXPECT_EQ(b.result, 1);
    EXPECT_EQ(a.byte, 'a');
    EXPECT_EQ(b.byte, 'b');
    close_ends(ends);
}

TEST(pipe_write_without_reader_waiting_stays_in_the_ring)
{
    handle_t ends[PIPE_ENDS];

    ASSERT_EQ(pipe_create(ends), 0);
    write_stays_in_the_ring(ends);
}

TEST(pipe_write_bad_input_with_a_reader_changes_nothing)
{
    handle_t ends[PIPE_ENDS], ev = event_create(0, NULL);

    ASSERT_EQ(pipe_create(ends), 0);
    struct waiter w = { .objects = { ends[PIPE_READ_END] } };
    handle_t t = start(read_one, &w, 0);
    uint64_t before = handoffs();
    EXPECT_ERR(pipe_write(ends[PIPE_WRITE_END], NULL, 1), E_FAULT);
    EXPECT_ERR(pipe_write(ends[PIPE_WRITE_END], (void *)KERNEL_HEAP_ADDR, 1), E_FAULT);
    EXPECT_ERR(pipe_write(ends[PIPE_WRITE_END], (void *)(NONCANONICAL_ADDR - 1), 2), E_FAULT);
    EXPECT_ERR(pipe_write(ends[PIPE_READ_END], "x", 1), E_ACCESS);
    EXPECT_ERR(pipe_write(ev, "x", 1), E_WRONGTYPE);
    EXPECT_ERR(pipe_write(0, "x", 1), E_BADHANDLE);
    EXPECT_EQ(pipe_write(ends[PIPE_WRITE_END], "x", 0), 0);     /* nothing to hand over */
    expect_handoffs(before, 0);
    EXPECT_EQ(blocked_threads(), 1);
    EXPECT_EQ(w.result, NOT_YET);
    EXPECT_EQ(pipe_write(ends[PIPE_WRITE_END], "y", 1), 1);
    finish(t);
    expect_handoffs(before, 1);
    EXPECT_EQ(w.result, 1);
    EXPECT_EQ(w.byte, 'y');
    EXPECT_EQ(handle_close(ev), 0);
    close_ends(ends);
}

static const struct helper_mode modes[] = {
    { "--wait", wait_mode }, { "--read", read_mode }, { "--sleep", helper_sleep },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, modes, sizeof modes / sizeof modes[0]);
}
