/*
 * handles_table: the per-process handle table (ARCHITECTURE.md section 4;
 * kernel/ob/handle.c):
 *
 *   - a closed handle's value stays invalid after its slot is reused (here
 *     1,000 times, each with a value of its own), and a live value is not
 *     closed by calls through the stale ones;
 *   - a closed value never comes back, even after one slot is reused more
 *     often than its 16-bit generation can count (issue 10: the slot
 *     retires);
 *   - a handle value of another process never resolves here, not even our
 *     own slot with that process's pid put in;
 *   - the per-process quota (HANDLE_QUOTA) stops one process with E_LIMIT
 *     while others carry on, and closing handles makes room again.
 *
 * Children are this program in a helper mode and report a failed check by
 * exiting with its line number.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define HANDLE_QUOTA        4096    /* kernel/ob/handle.h (its handle_close clashes with libc's) */
#define STALE_ROUNDS        1000
#define WRAP_ROUNDS         (65536 + 16)    /* past every 16-bit generation of one slot */
#define WORK_ROUNDS         1000    /* what the other process does while one sits at its quota */
#define QUOTA_NAME          "/obj/test.handles.quota"

/* Whether |h| works as a handle here (a set manual-reset event: waiting on it returns 0). */
static int resolves(handle_t h)
{
    return object_wait(h, 0) != E_BADHANDLE;
}

/* ---- helper modes ---------------------------------------------------------- */

/* Whether none of the calls that take a handle accepts |h|. */
static int resolves_nowhere(handle_t h)
{
    return event_set(h) == E_BADHANDLE && object_wait(h, 0) == E_BADHANDLE &&
           handle_duplicate(h, 0, RIGHT_SAME) == E_BADHANDLE && handle_close(h) == E_BADHANDLE;
}

/*
 * "--foreign VALUE": VALUE is a handle of the parent.  It must not resolve
 * here, nor must this process's own value for the same slot with the
 * parent's pid put in.
 */
static int helper_foreign(int argc, char **argv)
{
    handle_t theirs = argc > 0 ? strtol(argv[0], NULL, 0) : 0;
    long slot = theirs & HANDLE_SLOT_MASK;
    handle_t own = 0, forged;

    while (own >= 0 && (own & HANDLE_SLOT_MASK) < slot)   /* fill slots up to the parent's */
        own = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
    if (own == 0)
        own = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
    if (theirs <= 0 || own <= 0 || (own & HANDLE_SLOT_MASK) != slot)
        return __LINE__;
    forged = (own & ~(HANDLE_PID_MASK << HANDLE_PID_SHIFT)) |
             (pid_of_handle(theirs) << HANDLE_PID_SHIFT);
    if (!resolves_nowhere(theirs) || !resolves_nowhere(forged))
        return __LINE__;
    if (object_wait(own, 0) != 0)               /* our own value for the slot works */
        return __LINE__;
    return 0;
}

/*
 * "--quota": duplicates the event passed first until E_LIMIT, checks that
 * nothing else can be opened either, sets that event, waits for the second
 * one, then checks that closing makes room again.
 */
static int helper_quota(int argc, char **argv)
{
    static handle_t dups[HANDLE_QUOTA];
    handle_t full = passed(0), go = passed(1), h = 0;
    int n = 0;

    (void)argc, (void)argv;
    if (full <= 0 || go <= 0)
        return __LINE__;
    while (n < HANDLE_QUOTA && (h = handle_duplicate(full, 0, RIGHT_SAME)) > 0)
        dups[n++] = h;
    if (h != E_LIMIT || handles_held() != HANDLE_QUOTA)
        return __LINE__;
    if (event_create(0, QUOTA_NAME) != E_LIMIT || object_open(QUOTA_NAME, 0) != E_NOTFOUND)
        return __LINE__;                        /* the event made for the failed create is gone */
    if (file_open(self_path()) != E_LIMIT || thread_start(return_at_once, NULL, 0) != E_LIMIT)
        return __LINE__;
    if (event_set(full) != 0 || object_wait(go, CHILD_TIMEOUT_NS) != 0)
        return __LINE__;
    if (handle_close(dups[0]) != 0 || (dups[0] = handle_duplicate(full, 0, RIGHT_SAME)) <= 0)
        return __LINE__;                        /* one closed, one more fits */
    if (handle_duplicate(full, 0, RIGHT_SAME) != E_LIMIT)
        return __LINE__;
    for (int i = 0; i < n; i++)
        if (handle_close(dups[i]) != 0)
            return __LINE__;
    if ((h = event_create(0, QUOTA_NAME)) <= 0 || handle_close(h) != 0)
        return __LINE__;
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--foreign", helper_foreign },
    { "--quota", helper_quota },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- values: stale and foreign --------------------------------------------------- */

TEST(stale_values_stay_invalid_after_1000_reuses_of_a_slot)
{
    static handle_t old[STALE_ROUNDS];
    int moved = -1, alive = -1, repeated = -1;
    handle_t now;

    for (int i = 0; i < STALE_ROUNDS; i++) {
        old[i] = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
        ASSERT_TRUE(old[i] > 0);
        if (moved < 0 && (old[i] & HANDLE_SLOT_MASK) != (old[0] & HANDLE_SLOT_MASK))
            moved = i;
        if (alive < 0 && i > 0 && (resolves(old[0]) || resolves(old[i - 1])))
            alive = i;                          /* checked while the slot is in use again */
        handle_close(old[i]);
    }
    EXPECT_EQ(moved, -1);                       /* every round reused the same slot */
    EXPECT_EQ(alive, -1);
    for (int i = 1; i < STALE_ROUNDS && repeated < 0; i++)
        for (int j = 0; j < i; j++)
            if (old[i] == old[j])
                repeated = i;
    EXPECT_EQ(repeated, -1);                    /* 1,000 different values */
    ASSERT_TRUE((now = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL)) > 0);
    EXPECT_EQ(now & HANDLE_SLOT_MASK, old[0] & HANDLE_SLOT_MASK);
    alive = -1;
    for (int i = 0; i < STALE_ROUNDS && alive < 0; i++)
        if (resolves(old[i]) || handle_close(old[i]) != E_BADHANDLE)
            alive = i;
    EXPECT_EQ(alive, -1);
    EXPECT_EQ(object_wait(now, 0), 0);          /* and the live one was not closed by them */
    handle_close(now);
}

/*
 * One slot reused WRAP_ROUNDS times: no value the slot had comes back (it
 * did after 65,535 reuses, when the generation wrapped), and the first
 * value stays invalid to the end.
 */
TEST(closed_value_never_comes_back_after_65536_reuses)
{
    handle_t first = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL), h = first;
    long came_back = -1, moved = -1;

    ASSERT_TRUE(first > 0);
    ASSERT_EQ(handle_close(first), 0);
    for (long i = 0; i < WRAP_ROUNDS && came_back < 0; i++) {
        h = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
        ASSERT_TRUE(h > 0);
        if (h == first)
            came_back = i;
        if (moved < 0 && (h & HANDLE_SLOT_MASK) != (first & HANDLE_SLOT_MASK))
            moved = i;                          /* the slot retired: the next one took over */
        handle_close(h);
    }
    EXPECT_EQ(came_back, -1);
    EXPECT_TRUE(moved >= 0);
    EXPECT_ERR(object_wait(first, 0), E_BADHANDLE);
    EXPECT_ERR(handle_close(first), E_BADHANDLE);
}

TEST(handle_value_of_another_process_does_not_resolve)
{
    handle_t ev = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
    struct process_status st;
    char value[24];

    ASSERT_TRUE(ev > 0);
    snprintf(value, sizeof value, "%ld", ev);
    ASSERT_EQ(run_self("--foreign", value, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);                 /* else the line of the check that failed */
    EXPECT_EQ(object_wait(ev, 0), 0);           /* the child's attempts did not touch ours */
    EXPECT_TRUE(resolves_nowhere(ev ^ (1L << HANDLE_PID_SHIFT)));   /* our slot, another pid */
    EXPECT_EQ(object_wait(ev, 0), 0);
    handle_close(ev);
}

/* ---- the quota --------------------------------------------------------------------- */

TEST(handle_quota_stops_one_process_while_others_carry_on)
{
    handle_t full = event_create(0, NULL), go = event_create(0, NULL), child;
    struct process_status st;
    int worked = 0;

    ASSERT_TRUE(full > 0 && go > 0);
    ASSERT_TRUE((child = spawn_passing("--quota", NULL, (handle_t[]){ full, go }, 2)) > 0);
    EXPECT_EQ(object_wait(full, CHILD_TIMEOUT_NS), 0);  /* the child sits at its quota */
    for (int i = 0; i < WORK_ROUNDS; i++) {
        handle_t ev = event_create(0, NULL);
        worked += ev > 0 && event_set(ev) == 0 && object_wait(ev, 0) == 0 && handle_close(ev) == 0;
    }
    EXPECT_EQ(worked, WORK_ROUNDS);
    EXPECT_EQ(event_set(go), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);                 /* else the line of the check that failed */
    handle_close(full);
    handle_close(go);
}
