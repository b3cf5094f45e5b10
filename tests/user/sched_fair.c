/*
 * sched_fair: no program can take the CPU away from everyone else (issue 10,
 * item 1).  Threads spinning at the highest priority a program may have
 * still let a sleeper in another process wake within a couple of time
 * slices (aging boosts a thread ready too long), and a kill ends a spinner,
 * or a process far below the spinners, within 100 ms.  The ceiling itself:
 * a program started by another cannot rise above PRIORITY_CEILING_DEFAULT
 * unless its creator raises its ceiling, never above the creator's own.
 *
 * The bounds are counted in the kernel's own ticks (clock_now), so a slow
 * host does not move them; they are generous, a few slices more than the
 * scheduler needs.  Spinners stop by themselves after SPIN_LIMIT_NS, so on
 * a kernel that starves the case it fails (the spinners are gone by the
 * time it runs again) instead of hanging.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define SLICE_NS            (20 * NS_PER_MS)    /* SLICE_TICKS (kernel/sched/sched.h) */
#define NAP_NS              (50 * NS_PER_MS)
#define WAKE_SLACK_NS       (4 * SLICE_NS)      /* "within a couple of slices", and then some */
#define KILL_BOUND_NS       (100 * NS_PER_MS)
#define SETTLE_SPIN_NS      (3 * SLICE_NS)      /* for the spinners to reach their priority */
#define SPIN_LIMIT_NS       (3 * NS_PER_SEC)    /* a spinner gives up after this: no hang */
#define SPINNERS            3
#define SPUN_OUT            42                  /* a spinner's exit code when nobody killed it */

/* The highest priority this thread may take: tries from PRIORITY_MAX down. */
static long rise_to_ceiling(void)
{
    long p = PRIORITY_MAX;

    while (p > 0 && thread_set_priority(0, p) != 0)
        p--;
    return p;
}

/* "--spin-top": spins at its highest priority until killed, or SPIN_LIMIT_NS passed. */
static int helper_spin_top(int argc, char **argv)
{
    (void)argc, (void)argv;
    rise_to_ceiling();
    long end = clock_now() + SPIN_LIMIT_NS;
    while (clock_now() < end)
        ;
    return SPUN_OUT;
}

/* "--spin-low": the same at priority 0. */
static int helper_spin_low(int argc, char **argv)
{
    (void)argc, (void)argv;
    thread_set_priority(0, 0);
    long end = clock_now() + SPIN_LIMIT_NS;
    while (clock_now() < end)
        ;
    return SPUN_OUT;
}

static void start_spinners(handle_t h[SPINNERS])
{
    for (int i = 0; i < SPINNERS; i++) {
        h[i] = spawn_self("--spin-top", NULL);
        ASSERT_TRUE(h[i] > 0);
    }
    thread_sleep(SETTLE_SPIN_NS);       /* they run, rise and spin; we wake by aging */
}

/* Kills spinners |from|.. ; each must have been running (not spun out) until now. */
static void kill_spinners_from(handle_t h[SPINNERS], int from)
{
    struct process_status st;

    for (int i = from; i < SPINNERS; i++) {
        process_kill(h[i], KILL_CODE);
        EXPECT_EQ(reap(h[i], &st), 0);
        EXPECT_EQ(st.state, PROCESS_KILLED);
    }
}

static void kill_spinners(handle_t h[SPINNERS])
{
    kill_spinners_from(h, 0);
}

TEST(a_sleeper_wakes_within_slices_beside_top_spinners)
{
    handle_t spinners[SPINNERS];

    start_spinners(spinners);
    long start = clock_now();
    EXPECT_EQ(thread_sleep(NAP_NS), 0);
    long slept = clock_now() - start;
    EXPECT_TRUE(slept >= NAP_NS);
    EXPECT_TRUE(slept <= NAP_NS + WAKE_SLACK_NS);
    kill_spinners(spinners);
}

/* Kills |victim| and returns how long until it had ended (ns), or -1 if it ended on its own first. */
static long time_kill(handle_t victim)
{
    struct process_status st;
    long start = clock_now();

    EXPECT_EQ(process_kill(victim, KILL_CODE), 0);
    EXPECT_EQ(object_wait(victim, CHILD_TIMEOUT_NS), 0);
    long took = clock_now() - start;
    process_status(victim, &st);
    handle_close(victim);
    return st.state == PROCESS_KILLED ? took : -1;
}

TEST(a_kill_ends_a_top_spinner_within_100ms)
{
    handle_t spinners[SPINNERS];

    start_spinners(spinners);
    long took = time_kill(spinners[0]);
    EXPECT_TRUE(took >= 0);
    EXPECT_TRUE(took <= KILL_BOUND_NS);
    kill_spinners_from(spinners, 1);
}

TEST(a_kill_ends_a_low_process_beside_top_spinners_within_100ms)
{
    handle_t spinners[SPINNERS], low = spawn_self("--spin-low", NULL);

    ASSERT_TRUE(low > 0);
    start_spinners(spinners);
    long took = time_kill(low);
    EXPECT_TRUE(took >= 0);
    EXPECT_TRUE(took <= KILL_BOUND_NS);
    kill_spinners(spinners);
}

TEST(a_thread_cannot_rise_above_its_ceiling)
{
    EXPECT_ERR(thread_set_priority(0, PRIORITY_MAX), E_LIMIT);
    EXPECT_ERR(thread_set_priority(0, PRIORITY_CEILING_DEFAULT + 1), E_LIMIT);
    EXPECT_EQ(thread_set_priority(0, PRIORITY_CEILING_DEFAULT), 0);
    EXPECT_EQ(rise_to_ceiling(), PRIORITY_CEILING_DEFAULT);
    EXPECT_EQ(thread_set_priority(0, PRIORITY_NORMAL), 0);
}

TEST(a_ceiling_can_be_lowered_never_raised_above_the_callers)
{
    EXPECT_ERR(process_set_ceiling(0, PRIORITY_CEILING_DEFAULT + 1), E_LIMIT);
    EXPECT_ERR(process_set_ceiling(0, -1), E_INVAL);
    EXPECT_ERR(process_set_ceiling(0, PRIORITY_MAX + 1), E_INVAL);
    EXPECT_EQ(thread_set_priority(0, PRIORITY_CEILING_DEFAULT), 0);
    EXPECT_EQ(process_set_ceiling(0, PRIORITY_NORMAL - 1), 0);     /* our thread comes down too */
    EXPECT_ERR(thread_set_priority(0, PRIORITY_NORMAL), E_LIMIT);
    EXPECT_EQ(rise_to_ceiling(), PRIORITY_NORMAL - 1);
    EXPECT_ERR(process_set_ceiling(0, PRIORITY_NORMAL), E_LIMIT);  /* no way back up */
}

/* "--ceiling": exits with the highest priority it can reach. */
static int helper_ceiling(int argc, char **argv)
{
    (void)argc, (void)argv;
    return (int)rise_to_ceiling();
}

TEST(a_child_gets_its_creators_lower_ceiling)
{
    struct process_status st;

    ASSERT_EQ(process_set_ceiling(0, 2), 0);
    handle_t child = spawn_self("--ceiling", NULL);
    ASSERT_TRUE(child > 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.exit_code, 2);
}

#define LOW_SPINNERS    20
#define WATCH_NS        (300 * NS_PER_MS)
#define GAP_BOUND_NS    (4 * SLICE_NS)

static void spin_low_until(void *end)
{
    thread_set_priority(0, 0);
    while (clock_now() < (long)end)
        ;
}

/* "--many-low": LOW_SPINNERS threads at priority 0 spin until SPIN_LIMIT_NS has passed. */
static int helper_many_low(int argc, char **argv)
{
    long end = clock_now() + SPIN_LIMIT_NS;

    (void)argc, (void)argv;
    for (int i = 0; i < LOW_SPINNERS; i++)
        thread_start(spin_low_until, (void *)end, 0);
    spin_low_until((void *)end);
    return SPUN_OUT;
}

/*
 * Aging is a bounded tax: many ready threads below a busy one get a slice
 * now and then, never the CPU for good.  (Boosting one per tick let twenty
 * low spinners take turns in the boosted level and starve a priority-4
 * thread until they stopped.)  Here the case spins at its own priority and
 * watches the clock: no gap between two readings may exceed a few slices.
 */
TEST(many_low_threads_do_not_starve_a_busy_higher_one)
{
    handle_t low = spawn_self("--many-low", NULL);
    struct process_status st;
    long gap = 0;

    ASSERT_TRUE(low > 0);
    thread_sleep(SETTLE_SPIN_NS);
    long start = clock_now(), last = start;
    while (last - start < WATCH_NS) {
        long now = clock_now();
        if (now - last > gap)
            gap = now - last;
        last = now;
    }
    EXPECT_TRUE(gap <= GAP_BOUND_NS);
    process_kill(low, KILL_CODE);
    EXPECT_EQ(reap(low, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
}

static const struct helper_mode helpers[] = {
    { "--spin-top", helper_spin_top },
    { "--spin-low", helper_spin_low },
    { "--ceiling", helper_ceiling },
    { "--many-low", helper_many_low },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}
