/*
 * pipe_util.h: helpers for the pipe suites (pipes_*.c): the pipe a case
 * works on, R and W being its two ends, and the children that read or
 * write through their standard streams.  A header of static functions, so
 * not a suite.  Each case closes everything it opens (the runner's leak
 * check): close_pipe closes what is left of R and W, and a case that
 * closes an end itself sets it to 0.
 */
#ifndef EMBER_TESTS_USER_PIPE_UTIL_H
#define EMBER_TESTS_USER_PIPE_UTIL_H

#include "tests/user/util.h"

#define SMALL               10
#define FILL                'p'

static handle_t ends[PIPE_ENDS];
#define R ends[PIPE_READ_END]
#define W ends[PIPE_WRITE_END]

static uint8_t big[2 * PIPE_CAPACITY];

static inline void open_pipe(void)
{
    ASSERT_EQ(pipe_create(ends), 0);
    ASSERT_TRUE(R > 0 && W > 0 && R != W);
}

static inline void close_pipe(void)
{
    if (R)
        EXPECT_EQ(handle_close(R), 0);
    if (W)
        EXPECT_EQ(handle_close(W), 0);
    R = W = 0;
}

/* Fills the pipe to exactly its capacity: a write would block now. */
static inline void fill_pipe(void)
{
    memset(big, FILL, PIPE_CAPACITY);
    ASSERT_EQ(pipe_write(W, big, PIPE_CAPACITY), PIPE_CAPACITY);
}

/* Reads until end of file into |buf| (at most |cap| bytes, more is an error); the count. */
static inline long read_all(handle_t r, char *buf, size_t cap)
{
    size_t got = 0;
    long n;

    while ((n = pipe_read(r, buf + got, cap - got)) > 0)
        got += (size_t)n;
    return n < 0 ? n : (long)got;
}

/* Writes all of |len| bytes (pipe_write already does; this checks it). */
static inline int write_all(handle_t w, const void *buf, size_t len)
{
    return pipe_write(w, buf, len) == (long)len;
}

/*
 * Runs |path| with |argv|, |input| on its stdin (then end of file) and its
 * stdout collected into |buf| (NUL-terminated, at most |len| - 1 bytes)
 * until every writer is gone; its stderr is ours.  0 with its status in
 * *|st|, or an E_* code.  |input| must fit in the pipe (PIPE_CAPACITY).
 */
static inline long run_with_pipes(const char *path, const char *const *argv, const char *input,
                                  char *buf, size_t len, struct process_status *st)
{
    handle_t in[PIPE_ENDS], out[PIPE_ENDS];
    long err = pipe_create(in);

    memset(st, 0, sizeof *st);
    if (err < 0)
        return err;
    err = pipe_create(out);
    if (err < 0) {
        handle_close(in[PIPE_READ_END]);
        handle_close(in[PIPE_WRITE_END]);
        return err;
    }
    handle_t h = spawn_io(path, argv, in[PIPE_READ_END], out[PIPE_WRITE_END]);
    handle_close(in[PIPE_READ_END]);
    handle_close(out[PIPE_WRITE_END]);
    write_all(in[PIPE_WRITE_END], input, strlen(input));
    handle_close(in[PIPE_WRITE_END]);
    long n = read_all(out[PIPE_READ_END], buf, len - 1);
    buf[n > 0 ? n : 0] = '\0';
    handle_close(out[PIPE_READ_END]);
    return h > 0 ? reap(h, st) : h;
}

/* Starts this program in helper mode |mode| with stdin |in| and stdout |out| (0: console). */
static inline handle_t spawn_helper(const char *mode, const char *arg, handle_t in, handle_t out)
{
    const char *argv[] = { self_path(), mode, arg, NULL };

    return spawn_io(self_path(), argv, in, out);
}

/* In a child of spawn_helper: its standard streams. */
static inline handle_t my_stdin(void)  { return start_info()->handles[STDIN_HANDLE]; }
static inline handle_t my_stdout(void) { return start_info()->handles[STDOUT_HANDLE]; }

#endif
