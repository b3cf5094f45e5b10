/*
 * pipes: the pipe contract (ARCHITECTURE.md section 6, kernel/ipc/pipe.h):
 * bytes come out in order; a read returns what is there (partial reads)
 * and 0 at end of file once every write handle is closed and the ring is
 * drained; a write fails with E_PEERCLOSED once every read handle is
 * closed, also for a writer already blocked; writes of up to PIPE_ATOMIC
 * bytes never interleave; both ends are waitable; bad buffers and handles
 * get clear errors and move nothing; the stdio spawn convention (echo and
 * cat through pipes).
 *
 * A peer that must be blocked first is a thread of this process or a child
 * in a helper mode; wait_until_blocked makes "first" certain rather than
 * timed.  Each case closes everything it opens (the runner's leak check).
 */
#include <stdio.h>
#include "kernel/abi/rights.h"
#include "tests/user/util.h"

#define THREAD_STATE_BLOCKED    3       /* index into THREAD_STATE_NAMES */
#define MAX_THREADS             64
#define POLL_NS                 NS_PER_MS
#define POLL_LIMIT              10000   /* 10 s of polling: the peer is stuck */
#define SMALL                   10
#define PART                    4
#define RECORDS_PER_WRITER      64
#define ODD_CHUNK               1000    /* reads that never line up with records */
#define TOKENS                  100000
#define TOKEN_BATCH             512     /* tokens per pipe_write in the producer */
#define ECHO_PATH               "/bin/echo"
#define CAT_PATH                "/bin/cat"
#define CAT_TEXT                "line one\nline two\n"
#define SH_PATH                 "/bin/sh"
#define SH_SCRIPT               "echo hello | cat\necho a b | cat | cat\nexit 7\n"
#define SH_EXIT                 7
#define SH_OUTPUT_MAX           512
#define FILL                    'p'

static handle_t ends[PIPE_ENDS];
#define R ends[PIPE_READ_END]
#define W ends[PIPE_WRITE_END]

static uint8_t big[2 * PIPE_CAPACITY];

/* ---- shared helpers ------------------------------------------------------------ */

static void open_pipe(void)
{
    ASSERT_EQ(pipe_create(ends), 0);
    ASSERT_TRUE(R > 0 && W > 0 && R != W);
}

static void close_pipe(void)
{
    if (R)
        EXPECT_EQ(handle_close(R), 0);
    if (W)
        EXPECT_EQ(handle_close(W), 0);
    R = W = 0;
}

/* Waits until some thread of process |pid| (0: ours) is blocked; 1 once it is, 0 if it never is. */
static int wait_until_blocked(uint64_t pid)
{
    static struct thread_info list[MAX_THREADS];

    if (pid == 0)
        pid = (uint64_t)process_self_id();
    for (int tries = 0; tries < POLL_LIMIT; tries++) {
        long n = thread_list(list, sizeof list);
        for (long i = 0; i < n && i < MAX_THREADS; i++)
            if (list[i].pid == pid && list[i].state == THREAD_STATE_BLOCKED)
                return 1;
        thread_sleep(POLL_NS);
    }
    return 0;
}

static uint64_t pid_of(handle_t process)
{
    struct process_status st;

    return process_status(process, &st) == 0 ? st.pid : 0;
}

/* Starts this program in helper mode |mode| with stdin |in| and stdout |out| (0: console). */
static handle_t spawn_helper(const char *mode, const char *arg, handle_t in, handle_t out)
{
    const char *argv[] = { self_path(), mode, arg, NULL };

    return spawn_io(self_path(), argv, in, out);
}

/* Reads until end of file into |buf| (at most |cap| bytes, more is an error); the count. */
static long read_all(handle_t r, char *buf, size_t cap)
{
    size_t got = 0;
    long n;

    while ((n = pipe_read(r, buf + got, cap - got)) > 0)
        got += (size_t)n;
    return n < 0 ? n : (long)got;
}

/* Writes all of |len| bytes (pipe_write already does; this checks it). */
static int write_all(handle_t w, const void *buf, size_t len)
{
    return pipe_write(w, buf, len) == (long)len;
}

/* ---- helper modes (children) ----------------------------------------------------- */

static handle_t my_stdin(void)  { return start_info()->handles[STDIN_HANDLE]; }
static handle_t my_stdout(void) { return start_info()->handles[STDOUT_HANDLE]; }

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

/* "--produce": TOKENS consecutive uint64_t values, TOKEN_BATCH to a write. */
static int helper_produce(int argc, char **argv)
{
    static uint64_t batch[TOKEN_BATCH];

    (void)argc, (void)argv;
    for (uint64_t next = 0; next < TOKENS;) {
        size_t n = 0;
        while (n < TOKEN_BATCH && next < TOKENS)
            batch[n++] = next++;
        if (!write_all(my_stdout(), batch, n * sizeof batch[0]))
            return 1;
    }
    return 0;
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
    { "--exit", helper_exit },
    { "--records", helper_records },
    { "--produce", helper_produce },
    { "--read-forever", helper_read_forever },
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
    EXPECT_ERR(pipe_write(R, "x", 1), E_WRONGTYPE);
    EXPECT_ERR(pipe_read(W, big, 1), E_WRONGTYPE);
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

static volatile long thread_result;

static void close_read_end(void *arg)
{
    (void)arg;
    if (wait_until_blocked(0))
        handle_close(R);
}

TEST(blocked_writer_gets_peerclosed_when_reader_closes)
{
    open_pipe();
    memset(big, FILL, PIPE_CAPACITY);
    ASSERT_EQ(pipe_write(W, big, PIPE_CAPACITY), PIPE_CAPACITY);
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
    if (wait_until_blocked(0))
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
    if (wait_until_blocked(0))
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
    ASSERT_TRUE(wait_until_blocked(0));
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
    ASSERT_TRUE(wait_until_blocked(pid_of(child)));
    EXPECT_EQ(process_kill(child, E_CANCELED), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
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
    memset(big, FILL, PIPE_CAPACITY);
    ASSERT_EQ(pipe_write(W, big, PIPE_CAPACITY), PIPE_CAPACITY);
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
    memset(big, FILL, PIPE_CAPACITY);
    ASSERT_EQ(pipe_write(W, big, PIPE_CAPACITY), PIPE_CAPACITY);
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

static void write_later(void *arg)
{
    (void)arg;
    if (wait_until_blocked(0))
        thread_result = pipe_write(W, "w", 1);
}

TEST(object_wait_many_wakes_when_data_arrives)
{
    handle_t either[2];
    long index = -1;

    open_pipe();
    either[0] = event_create(0, NULL);          /* never set */
    either[1] = R;
    ASSERT_TRUE(either[0] > 0);
    handle_t t = thread_start(write_later, NULL, 0);
    ASSERT_TRUE(t > 0);
    EXPECT_EQ(object_wait_many(either, 2, 0, CHILD_TIMEOUT_NS, &index), 1);
    EXPECT_EQ(index, 1);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(thread_result, 1);
    EXPECT_EQ(handle_close(t), 0);
    EXPECT_EQ(handle_close(either[0]), 0);
    close_pipe();
}

/* ---- bad input -------------------------------------------------------------------------- */

TEST(create_with_bad_pointer_faults_and_leaves_no_handle)
{
    long slot = next_handle_slot();
    long ro = mem_map(NULL, PAGE_SIZE, MEM_READ);

    ASSERT_TRUE(ro > 0);
    EXPECT_ERR(pipe_create(NULL), E_FAULT);
    EXPECT_ERR(pipe_create((handle_t *)ro), E_FAULT);
    EXPECT_ERR(pipe_create(unmapped_page()), E_FAULT);
    EXPECT_ERR(pipe_create((handle_t *)(USER_TOP - sizeof(handle_t))), E_FAULT);
    EXPECT_ERR(pipe_create((handle_t *)KERNEL_HEAP_ADDR), E_FAULT);
    EXPECT_EQ(next_handle_slot(), slot);
    EXPECT_EQ(mem_unmap((void *)ro, PAGE_SIZE), 0);
}

TEST(bad_buffers_fault_and_move_nothing)
{
    char buf[SMALL];

    open_pipe();
    EXPECT_EQ(pipe_write(W, "keep", 4), 4);
    EXPECT_ERR(pipe_read(R, NULL, 1), E_FAULT);
    EXPECT_ERR(pipe_read(R, unmapped_page(), 1), E_FAULT);
    EXPECT_ERR(pipe_read(R, (void *)KERNEL_IMAGE_ADDR, 1), E_FAULT);
    EXPECT_ERR(pipe_read(R, (void *)-PAGE_SIZE, 2 * PAGE_SIZE), E_FAULT);   /* wraps */
    EXPECT_ERR(pipe_read(R, buf, UINT64_MAX), E_FAULT);
    EXPECT_ERR(pipe_write(W, NULL, 1), E_FAULT);
    EXPECT_ERR(pipe_write(W, unmapped_page(), PIPE_ATOMIC), E_FAULT);
    EXPECT_ERR(pipe_write(W, (void *)KERNEL_HEAP_ADDR, 1), E_FAULT);
    EXPECT_ERR(pipe_write(W, buf, 1UL << 63), E_FAULT);
    EXPECT_EQ(pipe_read(R, buf, sizeof buf), 4);    /* exactly what was there */
    EXPECT_EQ(memcmp(buf, "keep", 4), 0);
    close_pipe();
}

TEST(bad_handles_are_rejected_in_order)
{
    char c = 0;
    handle_t file = file_open(self_path());

    open_pipe();
    ASSERT_TRUE(file > 0);
    handle_t no_read = handle_duplicate(R, 0, RIGHT_WAIT);
    handle_t no_write = handle_duplicate(W, 0, RIGHT_WAIT);
    ASSERT_TRUE(no_read > 0 && no_write > 0);
    EXPECT_ERR(pipe_read(0, &c, 1), E_BADHANDLE);
    EXPECT_ERR(pipe_write(0, &c, 1), E_BADHANDLE);
    EXPECT_ERR(pipe_read(file, &c, 1), E_WRONGTYPE);
    EXPECT_ERR(pipe_write(file, &c, 1), E_WRONGTYPE);
    EXPECT_ERR(pipe_read(no_read, &c, 1), E_ACCESS);
    EXPECT_ERR(pipe_write(no_write, &c, 1), E_ACCESS);
    EXPECT_EQ(handle_close(no_read), 0);
    EXPECT_EQ(handle_close(no_write), 0);
    EXPECT_ERR(pipe_read(no_read, &c, 1), E_BADHANDLE);
    EXPECT_EQ(handle_close(file), 0);
    close_pipe();
}

TEST(end_rights_are_what_the_types_promise)
{
    open_pipe();
    EXPECT_ERR(handle_duplicate(R, 0, RIGHT_WRITE), E_ACCESS);  /* a read end has none to give */
    EXPECT_ERR(handle_duplicate(W, 0, RIGHT_READ), E_ACCESS);
    close_pipe();
}

/* ---- processes through pipes ------------------------------------------------------------- */

TEST(tokens_flow_from_producer_to_consumer)
{
    static uint64_t buf[TOKEN_BATCH];
    struct process_status st;
    uint64_t expect = 0, wrong = 0;
    size_t carry = 0;                   /* bytes of a token split between two reads */
    long n;

    open_pipe();
    handle_t child = spawn_helper("--produce", NULL, 0, W);
    ASSERT_TRUE(child > 0);
    EXPECT_EQ(handle_close(W), 0);
    W = 0;
    while ((n = pipe_read(R, (char *)buf + carry, sizeof buf - carry)) > 0) {
        size_t bytes = carry + (size_t)n, whole = bytes / sizeof buf[0];
        for (size_t i = 0; i < whole; i++)
            wrong += buf[i] != expect++;
        carry = bytes % sizeof buf[0];
        memmove(buf, (char *)buf + whole * sizeof buf[0], carry);
    }
    EXPECT_EQ(n, 0);
    EXPECT_EQ(expect, TOKENS);
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(carry, 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    close_pipe();
}

TEST(echo_writes_to_its_stdout_pipe)
{
    const char *argv[] = { ECHO_PATH, "hello", NULL };
    char buf[SMALL * 2];
    struct process_status st;

    open_pipe();
    handle_t child = spawn_io(ECHO_PATH, argv, 0, W);
    ASSERT_TRUE(child > 0);
    EXPECT_EQ(handle_close(W), 0);
    W = 0;
    long n = read_all(R, buf, sizeof buf - 1);
    ASSERT_EQ(n, 6);
    buf[n] = '\0';
    EXPECT_STR(buf, "hello\n");
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    close_pipe();
}

/* cat with no file copies stdin to stdout until end of file: a two-pipe round trip. */
TEST(cat_copies_stdin_to_stdout)
{
    const char *argv[] = { CAT_PATH, NULL };
    handle_t in[PIPE_ENDS], out[PIPE_ENDS];
    char buf[sizeof CAT_TEXT + SMALL];
    struct process_status st;

    ASSERT_EQ(pipe_create(in), 0);
    ASSERT_EQ(pipe_create(out), 0);
    handle_t child = spawn_io(CAT_PATH, argv, in[PIPE_READ_END], out[PIPE_WRITE_END]);
    ASSERT_TRUE(child > 0);
    EXPECT_EQ(handle_close(in[PIPE_READ_END]), 0);
    EXPECT_EQ(handle_close(out[PIPE_WRITE_END]), 0);
    EXPECT_TRUE(write_all(in[PIPE_WRITE_END], CAT_TEXT, strlen(CAT_TEXT)));
    EXPECT_EQ(handle_close(in[PIPE_WRITE_END]), 0);
    long n = read_all(out[PIPE_READ_END], buf, sizeof buf - 1);
    ASSERT_EQ(n, (long)strlen(CAT_TEXT));
    buf[n] = '\0';
    EXPECT_STR(buf, CAT_TEXT);
    EXPECT_EQ(handle_close(out[PIPE_READ_END]), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
}

/* The shell reads a script from a pipe; its pipelines write into the pipe it writes to. */
TEST(shell_runs_pipelines)
{
    const char *argv[] = { SH_PATH, NULL };
    handle_t in[PIPE_ENDS], out[PIPE_ENDS];
    static char buf[SH_OUTPUT_MAX];
    struct process_status st;

    ASSERT_EQ(pipe_create(in), 0);
    ASSERT_EQ(pipe_create(out), 0);
    handle_t sh = spawn_io(SH_PATH, argv, in[PIPE_READ_END], out[PIPE_WRITE_END]);
    ASSERT_TRUE(sh > 0);
    EXPECT_EQ(handle_close(in[PIPE_READ_END]), 0);
    EXPECT_EQ(handle_close(out[PIPE_WRITE_END]), 0);
    EXPECT_TRUE(write_all(in[PIPE_WRITE_END], SH_SCRIPT, strlen(SH_SCRIPT)));
    EXPECT_EQ(handle_close(in[PIPE_WRITE_END]), 0);
    long n = read_all(out[PIPE_READ_END], buf, sizeof buf - 1);
    ASSERT_TRUE(n > 0);
    buf[n] = '\0';
    EXPECT_NE(strstr(buf, "hello\n"), NULL);
    EXPECT_NE(strstr(buf, "a b\n"), NULL);
    EXPECT_EQ(handle_close(out[PIPE_READ_END]), 0);
    EXPECT_EQ(reap(sh, &st), 0);
    EXPECT_EQ(st.exit_code, SH_EXIT);
}

/* 0 in the handle list means "the console": spawn passes it through. */
TEST(spawn_passes_zero_handles_through)
{
    const char *argv[] = { self_path(), "--exit", NULL };
    handle_t none[STDIO_HANDLES] = { 0, 0, 0 };
    struct process_status st;

    handle_t child = process_spawn(self_path(), argv, none, STDIO_HANDLES);
    ASSERT_TRUE(child > 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}
