/*
 * pipes_data: what goes through a pipe (ARCHITECTURE.md section 6,
 * kernel/ipc/pipe.h): pipe_create gives a read end and a write end, each
 * refusing the other's call with E_ACCESS (a pipe end without the right,
 * as Zircon and NT say it); bytes come out in order, once, across many
 * wraps of the ring; a read returns what is there (partial reads); a full
 * pipe holds exactly PIPE_CAPACITY bytes; the reader drains what is left
 * and then sees end of file (0) once every write handle is closed, a
 * duplicate included (a zero-length read then says E_PEERCLOSED); a write with no reader left is E_PEERCLOSED; writes
 * of up to PIPE_ATOMIC bytes from two processes never interleave.
 */
#include "tests/user/pipe_util.h"

#define PART                    4
#define RECORDS_PER_WRITER      64
#define ODD_CHUNK               1000    /* reads that never line up with records */

/*
 * "--records ID": RECORDS_PER_WRITER writes of PIPE_ATOMIC bytes, each all
 * ID, yielding after each so the other writer gets a turn at a ring with
 * some room in it.
 */
static int helper_records(int argc, char **argv)
{
    static uint8_t rec[PIPE_ATOMIC];

    memset(rec, argc > 0 ? argv[0][0] : '?', sizeof rec);
    for (int i = 0; i < RECORDS_PER_WRITER; i++) {
        if (!write_all(my_stdout(), rec, sizeof rec))
            return 1;
        thread_yield();
    }
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--records", helper_records },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- create, read, write ---------------------------------------------------------- */

TEST(create_gives_a_read_end_and_a_write_end)
{
    open_pipe();
    EXPECT_EQ(pipe_read(R, NULL, 0), 0);
    EXPECT_EQ(pipe_write(W, NULL, 0), 0);
    EXPECT_ERR(pipe_write(R, "x", 1), E_ACCESS);     /* the wrong direction */
    EXPECT_ERR(pipe_read(W, big, 1), E_ACCESS);
    close_pipe();
}

TEST(zero_length_read_is_peerclosed_only_once_drained_and_writerless)
{
    open_pipe();
    EXPECT_EQ(pipe_write(W, "ab", 2), 2);
    EXPECT_EQ(handle_close(W), 0);
    W = 0;
    EXPECT_EQ(pipe_read(R, NULL, 0), 0);            /* bytes are left: not yet */
    EXPECT_EQ(pipe_read(R, big, 1), 1);
    EXPECT_EQ(pipe_read(R, NULL, 0), 0);
    EXPECT_EQ(pipe_read(R, big, 1), 1);
    EXPECT_ERR(pipe_read(R, NULL, 0), E_PEERCLOSED);
    EXPECT_EQ(pipe_read(R, big, 1), 0);             /* a real read still sees end of file */
    close_pipe();
}

TEST(bytes_come_out_in_order)
{
    char buf[SMALL];

    open_pipe();
    EXPECT_EQ(pipe_write(W, "abc", 3), 3);
    EXPECT_EQ(pipe_write(W, "defg", 4), 4);
    EXPECT_EQ(pipe_read(R, buf, sizeof buf), 7);
    EXPECT_EQ(memcmp(buf, "abcdefg", 7), 0);
    close_pipe();
}

TEST(read_returns_what_is_there)
{
    char buf[SMALL + 1];

    open_pipe();
    EXPECT_EQ(pipe_write(W, "0123456789", SMALL), SMALL);
    EXPECT_EQ(pipe_read(R, buf, PART), PART);
    EXPECT_EQ(memcmp(buf, "0123", PART), 0);
    EXPECT_EQ(pipe_read(R, buf, sizeof buf), SMALL - PART);
    EXPECT_EQ(memcmp(buf, "456789", SMALL - PART), 0);
    EXPECT_ERR(object_wait(R, 0), E_TIMEDOUT);      /* drained */
    close_pipe();
}

/* Many passes around the ring: every byte arrives once, in order, across the wrap. */
TEST(ring_wraps_without_losing_bytes)
{
    static uint8_t out[PIPE_ATOMIC + SMALL], in[PIPE_ATOMIC + SMALL];
    int bad = 0;

    open_pipe();
    for (int round = 0; round < 3 * PIPE_CAPACITY / (int)sizeof out; round++) {
        for (size_t i = 0; i < sizeof out; i++)
            out[i] = (uint8_t)(round + i);
        ASSERT_TRUE(write_all(W, out, sizeof out));
        ASSERT_EQ(pipe_read(R, in, sizeof in), (long)sizeof in);
        bad += memcmp(in, out, sizeof out) != 0;
    }
    EXPECT_EQ(bad, 0);
    close_pipe();
}

TEST(full_pipe_takes_exactly_its_capacity)
{
    open_pipe();
    memset(big, FILL, PIPE_CAPACITY);
    EXPECT_EQ(pipe_write(W, big, PIPE_CAPACITY), PIPE_CAPACITY);
    EXPECT_ERR(object_wait(W, 0), E_TIMEDOUT);      /* full: a write would block */
    EXPECT_EQ(pipe_read(R, big, 2 * PIPE_CAPACITY), PIPE_CAPACITY);
    close_pipe();
}

/* ---- end of file and closed readers ------------------------------------------------ */

TEST(reader_drains_then_sees_end_of_file)
{
    char buf[SMALL];

    open_pipe();
    EXPECT_EQ(pipe_write(W, "bye", 3), 3);
    EXPECT_EQ(handle_close(W), 0);
    W = 0;
    EXPECT_EQ(pipe_read(R, buf, sizeof buf), 3);
    EXPECT_EQ(pipe_read(R, buf, sizeof buf), 0);
    EXPECT_EQ(pipe_read(R, buf, sizeof buf), 0);    /* and stays there */
    close_pipe();
}

TEST(write_after_reader_closed_is_peerclosed)
{
    open_pipe();
    EXPECT_EQ(handle_close(R), 0);
    R = 0;
    EXPECT_ERR(pipe_write(W, "x", 1), E_PEERCLOSED);
    close_pipe();
}

/* End of file needs every write handle closed, a duplicate included. */
TEST(end_of_file_waits_for_every_write_handle)
{
    char c;

    open_pipe();
    handle_t dup = handle_duplicate(W, 0, RIGHT_SAME);
    ASSERT_TRUE(dup > 0);
    EXPECT_EQ(handle_close(W), 0);
    W = dup;
    EXPECT_ERR(object_wait(R, 0), E_TIMEDOUT);      /* one writer left: no end of file yet */
    EXPECT_EQ(pipe_write(W, "z", 1), 1);
    EXPECT_EQ(pipe_read(R, &c, 1), 1);
    EXPECT_EQ(handle_close(W), 0);
    W = 0;
    EXPECT_EQ(pipe_read(R, &c, 1), 0);
    close_pipe();
}

/* ---- atomic writes -------------------------------------------------------------------- */

/*
 * Two children write PIPE_ATOMIC-byte records into a full pipe while we read
 * odd-sized pieces; no record is ever mixed.  (With writes split at whatever
 * room there is, this fails: the yield lets each writer in with a few bytes.)
 */
TEST(atomic_writes_never_interleave)
{
    static uint8_t stream[2 * RECORDS_PER_WRITER * PIPE_ATOMIC];
    struct process_status st;
    int mixed = 0, count_a = 0, count_b = 0;

    open_pipe();
    handle_t a = spawn_helper("--records", "A", 0, W), b = spawn_helper("--records", "B", 0, W);
    ASSERT_TRUE(a > 0 && b > 0);
    EXPECT_EQ(handle_close(W), 0);
    W = 0;
    size_t got = 0;
    for (long n; got < sizeof stream && (n = pipe_read(R, stream + got, ODD_CHUNK)) > 0;) {
        got += (size_t)n;
        thread_yield();             /* let both writers at the ring while it is nearly full */
    }
    EXPECT_EQ(got, sizeof stream);
    for (size_t r = 0; r < got / PIPE_ATOMIC; r++) {
        const uint8_t *rec = stream + r * PIPE_ATOMIC;
        count_a += rec[0] == 'A';
        count_b += rec[0] == 'B';
        for (size_t i = 1; i < PIPE_ATOMIC; i++)
            mixed += rec[i] != rec[0];
    }
    EXPECT_EQ(mixed, 0);
    EXPECT_EQ(count_a, RECORDS_PER_WRITER);
    EXPECT_EQ(count_b, RECORDS_PER_WRITER);
    EXPECT_EQ(reap(a, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_EQ(reap(b, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    close_pipe();
}
