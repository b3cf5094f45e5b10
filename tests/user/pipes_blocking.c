/*
 * pipes_blocking: blocked readers and writers, and waiting on the ends
 * (ARCHITECTURE.md section 6, kernel/ipc/pipe.h): a writer blocked on a
 * full pipe gets E_PEERCLOSED when the reader closes (a long write reports
 * what it got in first); a blocked reader wakes with the data, or with end
 * of file when the writer closes, or with E_CANCELED when its own handle is
 * closed; killing a blocked reader leaves nothing behind.  The read end is
 * signaled while there is data (level, not edge) or end of file, the write
 * end while a PIPE_ATOMIC-byte write would not block or no reader is left;
 * object_wait_many wakes when data arrives.
 *
 * A peer that must be blocked first is a thread of this process or a child
 * in a helper mode; settle_blocked (util.h) makes "first" certain rather
 * than timed.
 */
#include "tests/user/pipe_util.h"

static uint64_t pid_of(handle_t process)
{
    struct process_status st;

    return process_status(process, &st) == 0 ? st.pid : 0;
}

/* "--read-forever": blocks reading stdin until killed. */
static int helper_read_forever(int argc, char **argv)
{
    char c;

    (void)argc, (void)argv;
    while (pipe_read(my_stdin(), &c, 1) > 0)
        continue;
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--read-forever", helper_read_forever },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- blocked readers and writers ---------------------------------------------------- */

static volatile long thread_result;

static void close_read_end(void *arg)
{
    (void)arg;
    if (settle_blocked(1))
        handle_close(R);
}

TEST(blocked_writer_gets_peerclosed_when_reader_closes)
{
    open_pipe();
    fill_pipe();
    handle_t t = thread_start(close_read_end, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_ERR(pipe_write(W, "x", 1), E_PEERCLOSED);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(handle_close(t), 0);
    R = 0;
    close_pipe();
}

/* A long write that blocked midway reports what it got in before the reader left. */
TEST(blocked_long_write_returns_count_written)
{
    open_pipe();
    handle_t t = thread_start(close_read_end, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(pipe_write(W, big, sizeof big), PIPE_CAPACITY);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(handle_close(t), 0);
    R = 0;
    close_pipe();
}

static void close_write_end(void *arg)
{
    (void)arg;
    if (settle_blocked(1))
        handle_close(W);
}

TEST(blocked_reader_gets_end_of_file_when_writer_closes)
{
    char c;

    open_pipe();
    handle_t t = thread_start(close_write_end, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(pipe_read(R, &c, 1), 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(handle_close(t), 0);
    W = 0;
    close_pipe();
}

static void write_one_when_blocked(void *arg)
{
    (void)arg;
    if (settle_blocked(1))
        thread_result = pipe_write(W, "!", 1);
}

TEST(blocked_reader_wakes_with_the_data)
{
    char buf[SMALL];

    open_pipe();
    handle_t t = thread_start(write_one_when_blocked, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(pipe_read(R, buf, sizeof buf), 1);
    EXPECT_EQ(buf[0], '!');
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(thread_result, 1);
    EXPECT_EQ(handle_close(t), 0);
    close_pipe();
}

static void read_one(void *arg)
{
    char c;

    (void)arg;
    thread_result = pipe_read(R, &c, 1);
}

/* Closing the handle a read is blocked on cancels that read. */
TEST(closing_the_handle_cancels_a_blocked_read)
{
    open_pipe();
    handle_t t = thread_start(read_one, NULL, 0);
    ASSERT_TRUE(t > 0);
    ASSERT_TRUE(settle_blocked(1));
    EXPECT_EQ(handle_close(R), 0);
    R = 0;
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_ERR(thread_result, E_CANCELED);
    EXPECT_EQ(handle_close(t), 0);
    close_pipe();
}

TEST(killing_a_blocked_reader_leaves_nothing)
{
    struct process_status st;

    open_pipe();
    handle_t child = spawn_helper("--read-forever", NULL, R, 0);
    ASSERT_TRUE(child > 0);
    ASSERT_TRUE(settle_blocked_of(pid_of(child), 1));
    EXPECT_EQ(process_kill(child, E_CANCELED), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    close_pipe();
}

/* ---- waiting on the ends ------------------------------------------------------------- */

TEST(empty_pipe_signals_the_write_end_only)
{
    long index = -1;

    open_pipe();
    EXPECT_ERR(object_wait(R, 0), E_TIMEDOUT);
    EXPECT_EQ(object_wait(W, 0), 0);
    EXPECT_EQ(object_wait_many(ends, PIPE_ENDS, 0, 0, &index), PIPE_WRITE_END);
    EXPECT_EQ(index, PIPE_WRITE_END);
    EXPECT_ERR(object_wait_many(ends, PIPE_ENDS, WAIT_FOR_ALL, 0, NULL), E_TIMEDOUT);
    close_pipe();
}

TEST(data_signals_the_read_end)
{
    char c;

    open_pipe();
    EXPECT_EQ(pipe_write(W, "d", 1), 1);
    EXPECT_EQ(object_wait(R, 0), 0);
    EXPECT_EQ(object_wait(R, 0), 0);                /* level, not edge: still data */
    EXPECT_EQ(object_wait_many(ends, PIPE_ENDS, 0, 0, NULL), PIPE_READ_END);
    EXPECT_EQ(object_wait_many(ends, PIPE_ENDS, WAIT_FOR_ALL, 0, NULL), 0);
    EXPECT_EQ(pipe_read(R, &c, 1), 1);
    EXPECT_ERR(object_wait(R, 0), E_TIMEDOUT);
    close_pipe();
}

/* The write end is signaled when a PIPE_ATOMIC-byte write would not block. */
TEST(write_end_signals_room_for_an_atomic_write)
{
    open_pipe();
    fill_pipe();
    EXPECT_ERR(object_wait(W, 0), E_TIMEDOUT);
    EXPECT_EQ(pipe_read(R, big, PIPE_ATOMIC - 1), PIPE_ATOMIC - 1);
    EXPECT_ERR(object_wait(W, 0), E_TIMEDOUT);      /* one byte short */
    EXPECT_EQ(pipe_read(R, big, 1), 1);
    EXPECT_EQ(object_wait(W, 0), 0);
    close_pipe();
}

TEST(closing_an_end_signals_the_other)
{
    open_pipe();
    fill_pipe();
    EXPECT_ERR(object_wait(W, 0), E_TIMEDOUT);
    EXPECT_EQ(handle_close(R), 0);                  /* reader gone: the writer must not wait */
    R = 0;
    EXPECT_EQ(object_wait(W, 0), 0);
    close_pipe();
    open_pipe();
    EXPECT_EQ(handle_close(W), 0);                  /* writer gone: end of file is readable */
    W = 0;
    EXPECT_EQ(object_wait(R, 0), 0);
    close_pipe();
}

TEST(object_wait_many_wakes_when_data_arrives)
{
    handle_t either[2];
    long index = -1;

    open_pipe();
    either[0] = event_create(0, NULL);          /* never set */
    either[1] = R;
    ASSERT_TRUE(either[0] > 0);
    handle_t t = thread_start(write_one_when_blocked, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait_many(either, 2, 0, CHILD_TIMEOUT_NS, &index), 1);
    EXPECT_EQ(index, 1);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(thread_result, 1);
    EXPECT_EQ(handle_close(t), 0);
    EXPECT_EQ(handle_close(either[0]), 0);
    close_pipe();
}
