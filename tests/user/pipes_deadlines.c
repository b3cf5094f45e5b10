/*
 * pipes_deadlines: pipes with deadlines, a non-blocking mode, a peek and a
 * size (issue 14, item 5; kernel/ipc/pipe.c, docs/05-pipes.md):
 * pipe_read_timeout and pipe_write_timeout wait at most their timeout
 * (E_TIMEDOUT), a timeout of 0 never waits (E_AGAIN), and a partial write
 * returns what fitted; pipe_set_mode(PIPE_NONBLOCK) makes the plain calls
 * E_AGAIN instead of waiting, for every handle to that end; pipe_peek shows
 * the bytes without taking them; pipe_create_sized makes a ring of any size
 * up to PIPE_CAPACITY_MAX, a small one still delivering writes bigger than
 * itself, and the old pipe_create keeps its PIPE_CAPACITY.
 */
#include "tests/user/pipe_util.h"

#define SHORT_NS            (20 * NS_PER_MS)
#define TINY                16              /* a ring smaller than one atomic write */
#define THREAD_STACK        (16 * 1024)

static struct pipe_query_info info_of(handle_t end, long info_class)
{
    struct pipe_query_info info;

    memset(&info, 0, sizeof info);
    EXPECT_EQ(object_query(end, info_class, &info, sizeof info, NULL), sizeof info);
    return info;
}

TEST(read_timeout_waits_at_most_its_timeout)
{
    char c;

    open_pipe();
    EXPECT_ERR(pipe_read_timeout(R, &c, 1, SHORT_NS), E_TIMEDOUT);
    EXPECT_ERR(pipe_read_timeout(R, &c, 1, 0), E_AGAIN);
    EXPECT_ERR(pipe_read_timeout(R, &c, 1, -2), E_INVAL);
    EXPECT_EQ(pipe_write(W, "x", 1), 1);
    EXPECT_EQ(pipe_read_timeout(R, &c, 1, 0), 1);
    EXPECT_EQ(c, 'x');
    EXPECT_EQ(handle_close(W), 0);
    W = 0;
    EXPECT_EQ(pipe_read_timeout(R, &c, 1, SHORT_NS), 0);   /* end of file, at once */
    close_pipe();
}

TEST(write_timeout_returns_what_fitted)
{
    open_pipe();
    fill_pipe();
    EXPECT_ERR(pipe_write_timeout(W, "y", 1, SHORT_NS), E_TIMEDOUT);
    EXPECT_ERR(pipe_write_timeout(W, "y", 1, 0), E_AGAIN);
    EXPECT_EQ(pipe_read(R, big, 3 * PIPE_ATOMIC), 3 * PIPE_ATOMIC);    /* room for three */
    EXPECT_EQ(pipe_write_timeout(W, big, 5 * PIPE_ATOMIC, SHORT_NS), 3 * PIPE_ATOMIC);
    close_pipe();
}

/* A thread's pipe call with a deadline, and what it returned. */
struct timed_call {
    handle_t end;
    size_t len;
    volatile long result;
};

static void timed_reader(void *arg)
{
    struct timed_call *c = arg;
    static char buf[SMALL];

    c->result = pipe_read_timeout(c->end, buf, sizeof buf, CHILD_TIMEOUT_NS);
}

static void timed_writer(void *arg)
{
    struct timed_call *c = arg;

    c->result = pipe_write_timeout(c->end, big, c->len, CHILD_TIMEOUT_NS);
}

TEST(a_reader_waiting_with_a_deadline_gets_the_data)
{
    struct timed_call c = { 0, 0, NOT_YET };

    open_pipe();
    c.end = R;
    handle_t t = thread_start(timed_reader, &c, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    ASSERT_TRUE(settle_blocked(1));
    EXPECT_EQ(pipe_write(W, "hi", 2), 2);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(c.result, 2);
    EXPECT_EQ(handle_close(t), 0);
    close_pipe();
}

TEST(a_small_ring_passes_a_write_bigger_than_itself)
{
    static char got[3 * TINY];
    struct timed_call c = { 0, sizeof got, NOT_YET };
    handle_t e[PIPE_ENDS];
    size_t n = 0;

    ASSERT_EQ(pipe_create_sized(e, TINY, 0), 0);
    memset(big, 'q', sizeof got);
    c.end = e[PIPE_WRITE_END];
    handle_t t = thread_start(timed_writer, &c, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    while (n < sizeof got) {
        long r = pipe_read_timeout(e[PIPE_READ_END], got + n, sizeof got - n, CHILD_TIMEOUT_NS);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    EXPECT_EQ(n, sizeof got);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(c.result, sizeof got);
    EXPECT_EQ(memcmp(got, big, sizeof got), 0);
    EXPECT_EQ(handle_close(t), 0);
    EXPECT_EQ(handle_close(e[0]), 0);
    EXPECT_EQ(handle_close(e[1]), 0);
}

TEST(nonblocking_mode_never_waits)
{
    char c;

    open_pipe();
    EXPECT_EQ(pipe_set_mode(R, PIPE_NONBLOCK), 0);
    EXPECT_EQ(pipe_set_mode(W, PIPE_NONBLOCK), 0);
    EXPECT_EQ(info_of(R, OBJECT_INFO_PIPE_READ).flags, PIPE_NONBLOCK);
    EXPECT_ERR(pipe_read(R, &c, 1), E_AGAIN);
    handle_t dup = handle_duplicate(R, 0, RIGHT_SAME);
    ASSERT_TRUE(dup > 0);
    EXPECT_ERR(pipe_read(dup, &c, 1), E_AGAIN);             /* the end's mode, whatever handle */
    EXPECT_EQ(handle_close(dup), 0);
    fill_pipe();
    EXPECT_ERR(pipe_write(W, "z", 1), E_AGAIN);
    EXPECT_EQ(pipe_read(R, big, 10), 10);
    EXPECT_ERR(pipe_write(W, big, PIPE_ATOMIC), E_AGAIN);   /* atomic: all or nothing */
    EXPECT_ERR(pipe_write(W, big, 2 * PIPE_ATOMIC), E_AGAIN);   /* no room for a piece */
    EXPECT_EQ(pipe_read(R, big, PIPE_ATOMIC), PIPE_ATOMIC);
    EXPECT_EQ(pipe_write(W, big, 2 * PIPE_ATOMIC), PIPE_ATOMIC + 10);  /* longer: what fits */
    EXPECT_EQ(pipe_set_mode(R, 0), 0);
    EXPECT_EQ(info_of(R, OBJECT_INFO_PIPE_READ).flags, 0);
    EXPECT_EQ(pipe_read(R, &c, 1), 1);                      /* data there: no wait anyway */
    EXPECT_ERR(pipe_set_mode(R, 0x2), E_INVAL);
    close_pipe();
}

TEST(set_mode_checks_type_and_right)
{
    handle_t file = file_open(self_path());

    open_pipe();
    ASSERT_TRUE(file > 0);
    handle_t no_read = handle_duplicate(R, 0, RIGHT_WAIT);
    ASSERT_TRUE(no_read > 0);
    EXPECT_ERR(pipe_set_mode(file, PIPE_NONBLOCK), E_WRONGTYPE);
    EXPECT_ERR(pipe_set_mode(no_read, PIPE_NONBLOCK), E_ACCESS);
    EXPECT_ERR(pipe_set_mode(0, PIPE_NONBLOCK), E_BADHANDLE);
    EXPECT_EQ(info_of(R, OBJECT_INFO_PIPE_READ).flags, 0);
    EXPECT_EQ(handle_close(no_read), 0);
    EXPECT_EQ(handle_close(file), 0);
    close_pipe();
}

TEST(peek_shows_without_taking)
{
    char buf[SMALL] = { 0 };

    open_pipe();
    EXPECT_EQ(pipe_peek(R, buf, sizeof buf), 0);            /* nothing yet: no wait */
    EXPECT_EQ(pipe_write(W, "abc", 3), 3);
    EXPECT_EQ(pipe_peek(R, buf, 2), 2);
    EXPECT_EQ(memcmp(buf, "ab", 2), 0);
    EXPECT_EQ(pipe_peek(R, buf, sizeof buf), 3);
    EXPECT_EQ(pipe_read(R, buf, sizeof buf), 3);            /* all still there */
    EXPECT_EQ(memcmp(buf, "abc", 3), 0);
    EXPECT_ERR(pipe_peek(W, buf, 1), E_ACCESS);
    EXPECT_ERR(pipe_peek(R, (void *)KERNEL_HEAP_ADDR, 1), E_FAULT);
    EXPECT_EQ(handle_close(W), 0);
    W = 0;
    EXPECT_ERR(pipe_peek(R, buf, 1), E_PEERCLOSED);
    close_pipe();
}

TEST(sized_pipes_hold_their_size)
{
    handle_t e[PIPE_ENDS];

    ASSERT_EQ(pipe_create_sized(e, TINY, 0), 0);
    EXPECT_EQ(info_of(e[PIPE_READ_END], OBJECT_INFO_PIPE_READ).capacity, TINY);
    EXPECT_EQ(pipe_write_timeout(e[PIPE_WRITE_END], big, 2 * TINY, 0), TINY);   /* full */
    EXPECT_EQ(pipe_read(e[PIPE_READ_END], big, sizeof big), TINY);
    EXPECT_EQ(handle_close(e[0]), 0);
    EXPECT_EQ(handle_close(e[1]), 0);
    ASSERT_EQ(pipe_create_sized(e, 0, PIPE_NONBLOCK), 0);   /* 0: the default size */
    EXPECT_EQ(info_of(e[PIPE_WRITE_END], OBJECT_INFO_PIPE_WRITE).capacity, PIPE_CAPACITY);
    EXPECT_EQ(info_of(e[PIPE_WRITE_END], OBJECT_INFO_PIPE_WRITE).flags, PIPE_NONBLOCK);
    EXPECT_EQ(handle_close(e[0]), 0);
    EXPECT_EQ(handle_close(e[1]), 0);
    ASSERT_EQ(pipe_create_sized(e, PIPE_CAPACITY_MAX, 0), 0);
    EXPECT_EQ(handle_close(e[0]), 0);
    EXPECT_EQ(handle_close(e[1]), 0);
    EXPECT_ERR(pipe_create_sized(e, PIPE_CAPACITY_MAX + 1, 0), E_INVAL);
    EXPECT_ERR(pipe_create_sized(e, -1, 0), E_INVAL);
    EXPECT_ERR(pipe_create_sized(e, TINY, 0x2), E_INVAL);
    open_pipe();                                            /* the old call: the old size */
    EXPECT_EQ(info_of(R, OBJECT_INFO_PIPE_READ).capacity, PIPE_CAPACITY);
    close_pipe();
}

int main(int argc, char **argv)
{
    return test_main(argc, argv);
}
