/*
 * syscalls_objects: object_wait and handle_close with normal arguments
 * give what their handlers promise (kernel/syscall/sys_object.c), on the
 * simplest waitable object, a child process: a timeout of 0 polls, a
 * relative timeout ends with E_TIMEDOUT after roughly that long, an ended
 * child is signaled and stays so, other negative timeouts than
 * TIMEOUT_INFINITE are E_INVAL, and a file cannot be waited on; closing a
 * handle twice is E_BADHANDLE, and a closed value stays dead after its
 * slot is reused 1,000 times.  Waiting on the other object types is
 * waits.c's; handle rights and values the handles_* suites'.
 */
#include "tests/user/util.h"

#define SHORT_TIMEOUT_NS    (50 * NS_PER_MS)
#define REUSE_ROUNDS        1000

static const struct helper_mode helpers[] = {
    { "--exit", helper_exit },
    { "--sleep", helper_sleep },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- object_wait, handle_close --------------------------------------------- */

TEST(object_wait_zero_polls_running_child)
{
    handle_t h = spawn_sleeper();

    EXPECT_ERR(object_wait(h, 0), E_TIMEDOUT);
    kill_and_reap(h);
}

TEST(object_wait_times_out_after_roughly_the_timeout)
{
    handle_t h = spawn_sleeper();
    long start = clock_now();

    EXPECT_ERR(object_wait(h, SHORT_TIMEOUT_NS), E_TIMEDOUT);
    long waited = clock_now() - start;
    EXPECT_TRUE(waited >= SHORT_TIMEOUT_NS);
    EXPECT_TRUE(waited < TIMEOUT_SLACK_NS);
    kill_and_reap(h);
}

TEST(object_wait_on_ended_child_returns_0)
{
    handle_t h = spawn_self("--exit", NULL);
    struct process_status st;

    ASSERT_TRUE(h > 0);
    EXPECT_EQ(object_wait(h, TIMEOUT_INFINITE), 0);
    EXPECT_EQ(object_wait(h, 0), 0);            /* stays signaled */
    EXPECT_EQ(reap(h, &st), 0);
}

TEST(object_wait_negative_timeout_is_inval)
{
    handle_t h = spawn_sleeper();

    EXPECT_ERR(object_wait(h, TIMEOUT_INFINITE - 1), E_INVAL);
    EXPECT_ERR(object_wait(h, INT64_MIN), E_INVAL);
    kill_and_reap(h);
}

TEST(object_wait_on_file_is_wrongtype)
{
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_ERR(object_wait(f, 0), E_WRONGTYPE);
    EXPECT_EQ(handle_close(f), 0);
}

TEST(handle_close_twice_is_badhandle)
{
    handle_t f = file_open(README_PATH);

    ASSERT_TRUE(f > 0);
    EXPECT_EQ(handle_close(f), 0);
    EXPECT_ERR(handle_close(f), E_BADHANDLE);
}

/* Each round reuses the slot the last one freed: the old value must stay dead. */
TEST(closed_handle_stays_invalid_after_slot_reuse)
{
    static handle_t old[REUSE_ROUNDS];
    char c;
    int alive = 0;

    for (int i = 0; i < REUSE_ROUNDS; i++) {
        old[i] = file_open(README_PATH);
        ASSERT_TRUE(old[i] > 0);
        ASSERT_EQ(handle_close(old[i]), 0);
    }
    handle_t live = file_open(README_PATH);
    ASSERT_TRUE(live > 0);
    EXPECT_EQ(old[0] & HANDLE_SLOT_MASK, old[REUSE_ROUNDS - 1] & HANDLE_SLOT_MASK);
    for (int i = 0; i < REUSE_ROUNDS; i++)
        alive += old[i] == live || file_read(old[i], &c, 1, 0) != E_BADHANDLE ||
                    handle_close(old[i]) != E_BADHANDLE;
    EXPECT_EQ(alive, 0);
    EXPECT_EQ(file_read(live, &c, 1, 0), 1);
    EXPECT_EQ(handle_close(live), 0);
}
