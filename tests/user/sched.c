/*
 * sched: the scheduler shares the CPU.  A thread that never yields is
 * preempted at the end of its slice, so it starves nobody: a sleeper wakes
 * on time and other processes run to completion beside it.  thread_yield
 * hands the CPU to the next ready thread at once.  And a process that
 * comes and goes a hundred times leaves every count where it was.
 */
#include "tests/user/util.h"

#define NAP_NS              (50 * NS_PER_MS)
#define WAKE_BOUND_NS       (2 * NS_PER_SEC)    /* a sleeper wakes well within this */
#define SPINNERS            2
#define PING_PONG_ROUNDS    100
#define YIELDS_PER_ROUND    4                   /* each turn takes one yield; leave room for ticks */
#define SPAWN_ROUNDS        100

static const struct helper_mode helpers[] = {
    { "--exit", helper_exit },
    { "--spin", helper_spin },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

static void start_spinners(handle_t h[SPINNERS])
{
    for (int i = 0; i < SPINNERS; i++) {
        h[i] = spawn_self("--spin", NULL);
        ASSERT_TRUE(h[i] > 0);
    }
    thread_yield();                             /* let them start spinning */
}

static void kill_spinners(handle_t h[SPINNERS])
{
    struct process_status st;

    for (int i = 0; i < SPINNERS; i++) {
        EXPECT_EQ(process_kill(h[i], E_CANCELED), 0);
        EXPECT_EQ(reap(h[i], &st), 0);
        EXPECT_EQ(st.state, PROCESS_KILLED);
    }
}

TEST(sleeper_wakes_on_time_beside_spinners)
{
    handle_t spinners[SPINNERS];

    start_spinners(spinners);
    long start = clock_now();
    EXPECT_EQ(thread_sleep(NAP_NS), 0);
    long slept = clock_now() - start;
    EXPECT_TRUE(slept >= NAP_NS);
    EXPECT_TRUE(slept < WAKE_BOUND_NS);
    kill_spinners(spinners);
}

TEST(another_child_completes_beside_spinners)
{
    handle_t spinners[SPINNERS];
    struct process_status st;

    start_spinners(spinners);
    ASSERT_EQ(run_self("--exit", NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
    kill_spinners(spinners);
}

/* Two threads take turns through |turn|; each waits for its turn with thread_yield. */
struct ping_pong {
    volatile int turn;
    volatile long yields[2];
};

static struct ping_pong game;

static void player(void *arg)
{
    int me = (int)(long)arg;

    for (int round = 0; round < PING_PONG_ROUNDS; round++) {
        while (game.turn != me) {
            thread_yield();
            game.yields[me]++;
        }
        game.turn = 1 - me;
    }
}

TEST(yield_alternates_two_threads)
{
    handle_t t[2];

    for (long i = 0; i < 2; i++) {
        t[i] = thread_start(player, (void *)i, 0);
        ASSERT_TRUE(t[i] > 0);
    }
    for (int i = 0; i < 2; i++) {
        EXPECT_EQ(object_wait(t[i], CHILD_TIMEOUT_NS), 0);
        EXPECT_EQ(handle_close(t[i]), 0);
    }
    EXPECT_EQ(game.turn, 0);                    /* both played every round */
    /* A yield that did not switch would spin here until the next tick: thousands of yields. */
    EXPECT_TRUE(game.yields[0] + game.yields[1] <= YIELDS_PER_ROUND * PING_PONG_ROUNDS);
}

TEST(spawn_exit_wait_rounds_keep_counts)
{
    static struct system_stats before, after;
    struct process_status st;

    ASSERT_EQ(run_self("--exit", NULL, &st), 0);   /* warm-up: one-time growth is not a leak */
    system_stats(&before, sizeof before);
    for (int i = 0; i < SPAWN_ROUNDS; i++) {
        ASSERT_EQ(run_self("--exit", NULL, &st), 0);
        ASSERT_EQ(st.state, PROCESS_EXITED);
    }
    system_stats(&after, sizeof after);
    EXPECT_TRUE(same_live_counts(&before, &after));
    EXPECT_EQ(after.free_frames, before.free_frames);
}
