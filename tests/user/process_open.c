/*
 * process_open: who may do what to a process opened by its pid.  The full
 * rights (kill, manage...) go only to the process itself and its ancestors
 * (issue 10: a sibling used to get the kill right).  Anyone else, a sibling,
 * a parent's other children, or init seen from one of its grandchildren,
 * can only watch: RIGHT_INFO and RIGHT_WAIT.
 */
#include <stdio.h>
#include <test.h>
#include "util.h"

#define RUNNER_PID      1       /* testrun is the first process in a test boot */
#define SIBLING_DONE    0
#define SIBLING_DENIED  1

/* "--kill-sibling PID": a sibling opens the process PID and kills it (our parent started both). */
static int helper_kill_sibling(int argc, char **argv)
{
    handle_t h = argc > 0 ? process_open(atol(argv[0])) : E_INVAL;
    long err = h < 0 ? h : process_kill(h, KILL_CODE);

    if (h > 0)
        handle_close(h);
    return err == 0 ? SIBLING_DONE : SIBLING_DENIED;
}

TEST(own_child_opens_with_every_right)
{
    handle_t child = spawn_sleeper();
    struct process_status st;

    ASSERT_TRUE(child > 0);
    process_status(child, &st);
    handle_t h = process_open((long)st.pid);
    ASSERT_TRUE(h > 0);
    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    EXPECT_EQ(object_wait(child, TIMEOUT_INFINITE), 0);
    handle_close(h);
    handle_close(child);
}

/* "--parent-of-sleeper": starts a sleeper of its own, then sleeps too, until killed. */
static int helper_parent_of_sleeper(int argc, char **argv)
{
    (void)argc, (void)argv;
    handle_t child = spawn_self("--sleep", NULL);
    if (child < 0)
        return 1;
    for (;;)
        thread_sleep(NS_PER_SEC);
}

/* The pid of the first child of |parent| in the process list, or 0. */
static long child_of(long parent)
{
    static struct process_info procs[64];
    long n = process_list(procs, sizeof procs);

    for (long i = 0; i < n && i < 64; i++)
        if ((long)procs[i].parent_pid == parent && procs[i].state == PROCESS_RUNNING)
            return (long)procs[i].pid;
    return 0;
}

TEST(a_grandparent_opens_a_grandchild_with_every_right)
{
    struct process_status st;
    handle_t child = spawn_self("--parent-of-sleeper", NULL);
    long grandchild = 0;

    ASSERT_TRUE(child > 0);
    process_status(child, &st);
    for (int i = 0; i < 1000 && !grandchild; i++) {
        thread_yield();
        grandchild = child_of((long)st.pid);
    }
    ASSERT_TRUE(grandchild > 0);
    handle_t h = process_open(grandchild);
    ASSERT_TRUE(h > 0);
    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    EXPECT_EQ(object_wait(h, TIMEOUT_INFINITE), 0);
    handle_close(h);
    EXPECT_EQ(process_kill(child, KILL_CODE), 0);
    EXPECT_EQ(reap(child, &st), 0);
}

/* "--orphan-a-sleeper": starts a sleeper of its own and exits at once, orphaning it. */
static int helper_orphan_a_sleeper(int argc, char **argv)
{
    (void)argc, (void)argv;
    return spawn_self("--sleep", NULL) > 0 ? 0 : 1;
}

/*
 * Found by the fuzzer: an orphan's parent_pid named a dead process, the
 * chain of ancestors broke there, and nobody could end the orphan.  The
 * kernel now hands it to its grandparent.
 */
TEST(an_orphan_moves_to_its_grandparent_who_can_kill_it)
{
    struct process_status st;
    handle_t child = spawn_self("--orphan-a-sleeper", NULL);

    ASSERT_TRUE(child > 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    long orphan = child_of(process_self_id());
    ASSERT_TRUE(orphan > 0);
    handle_t h = process_open(orphan);
    ASSERT_TRUE(h > 0);
    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    EXPECT_EQ(object_wait(h, TIMEOUT_INFINITE), 0);
    handle_close(h);
}

TEST(a_sibling_may_not_kill_a_sibling)
{
    handle_t victim = spawn_sleeper();
    struct process_status st;
    char pid[24];

    ASSERT_TRUE(victim > 0);
    process_status(victim, &st);
    snprintf(pid, sizeof pid, "%lu", (unsigned long)st.pid);
    handle_t killer = spawn_self("--kill-sibling", pid);
    ASSERT_TRUE(killer > 0);
    EXPECT_EQ(reap(killer, &st), 0);
    EXPECT_EQ(st.exit_code, SIBLING_DENIED);
    EXPECT_ERR(object_wait(victim, 0), E_TIMEDOUT);     /* still running */
    EXPECT_EQ(process_kill(victim, KILL_CODE), 0);
    EXPECT_EQ(reap(victim, &st), 0);
}

/*
 * "--poke-init": from a grandchild of init (our parent is the case, whose
 * parent is the runner, pid 1), init can be watched but not killed, traced
 * or given handles.  Exits with the number of checks that failed.
 */
static int helper_poke_init(int argc, char **argv)
{
    handle_t h = process_open(RUNNER_PID);
    struct process_status st;
    int wrong = 0;

    (void)argc, (void)argv;
    if (h <= 0)
        return 1;
    wrong += process_kill(h, KILL_CODE) != E_ACCESS;
    wrong += process_status(h, &st) != 0;              /* watching is fine */
    wrong += object_wait(h, 0) != E_TIMEDOUT;
    wrong += process_trace(h, 1) != E_ACCESS;
    wrong += handle_duplicate(h, h, RIGHT_SAME) != E_ACCESS;   /* no handles into it either */
    handle_close(h);
    return wrong;
}

TEST(init_can_be_watched_but_not_killed_by_a_grandchild)
{
    struct process_status st;
    handle_t child = spawn_self("--poke-init", NULL);

    ASSERT_TRUE(child > 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}

static const struct helper_mode helpers[] = {
    { "--sleep", helper_sleep },
    { "--kill-sibling", helper_kill_sibling },
    { "--poke-init", helper_poke_init },
    { "--parent-of-sleeper", helper_parent_of_sleeper },
    { "--orphan-a-sleeper", helper_orphan_a_sleeper },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}
