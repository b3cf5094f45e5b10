/*
 * pipes_stdio: processes talking through pipes, the stdio spawn convention
 * (types.h): 100,000 tokens flow from a producer child to us in order;
 * echo writes to the pipe that is its stdout; cat copies its stdin pipe to
 * its stdout pipe until end of file; the shell reads a script from a pipe
 * and its pipelines write into the pipe it writes to; 0 in the handle list
 * means "the console" and passes through.
 */
#include "tests/user/pipe_util.h"

#define TOKENS                  100000
#define TOKEN_BATCH             512     /* tokens per pipe_write in the producer */
#define CAT_PATH                "/bin/cat"
#define CAT_TEXT                "line one\nline two\n"
#define SH_PATH                 "/bin/sh"
#define SH_SCRIPT               "echo hello | cat\necho a b | cat | cat\nexit 7\n"
#define SH_EXIT                 7
#define SH_OUTPUT_MAX           512

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

static const struct helper_mode helpers[] = {
    { "--exit", helper_exit },
    { "--produce", helper_produce },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

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

/* Runs the shell with |script| on its stdin and its output in |buf| (run_with_pipes). */
static long run_shell_script(const char *script, char *buf, size_t len, struct process_status *st)
{
    const char *argv[] = { SH_PATH, NULL };

    return run_with_pipes(SH_PATH, argv, script, buf, len, st);
}

/* The shell reads a script from a pipe; its pipelines write into the pipe it writes to. */
TEST(shell_runs_pipelines)
{
    static char buf[SH_OUTPUT_MAX];
    struct process_status st;

    ASSERT_EQ(run_shell_script(SH_SCRIPT, buf, sizeof buf, &st), 0);
    EXPECT_NE(strstr(buf, "hello\n"), NULL);
    EXPECT_NE(strstr(buf, "a b\n"), NULL);
    EXPECT_EQ(st.exit_code, SH_EXIT);
}

/* "prog &" starts prog as job 1, says its pid and goes on without waiting for it. */
TEST(shell_runs_a_line_in_the_background)
{
    static char buf[SH_OUTPUT_MAX];
    struct process_status st;

    ASSERT_EQ(run_shell_script("echo early &\necho after\n&\nexit 0\n", buf, sizeof buf, &st), 0);
    EXPECT_NE(strstr(buf, "[1] "), NULL);             /* "[1] PID echo early": job 1 */
    EXPECT_NE(strstr(buf, " echo early\n"), NULL);
    EXPECT_NE(strstr(buf, "early\n"), NULL);
    EXPECT_NE(strstr(buf, "after\n"), NULL);
    EXPECT_NE(strstr(buf, "nothing to run in the background"), NULL);
    EXPECT_EQ(st.exit_code, 0);
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
