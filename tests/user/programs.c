/*
 * programs: the programs of /bin take what they are given at face value and
 * no more.  The shell runs exactly the line that was typed: a line too long
 * for it runs nothing (neither the part that fit nor the rest), too many
 * words are refused rather than cut, an unclosed quote does not swallow the
 * '\n', a failing stage of a pipeline is reported and the rest still runs.
 * The test runner fails a run that names no existing suite or case, rather
 * than passing nothing.  shmdemo's consumer mode and kvclient refuse bad
 * usage without reading handles they were not given or waiting for a server.
 */
#include <stdio.h>
#include "tests/user/pipe_util.h"

#define SH_PATH             "/bin/sh"
#define TESTRUN_PATH        "/bin/testrun"
#define SHMDEMO_PATH        "/bin/shmdemo"
#define KVCLIENT_PATH       "/bin/kvclient"
#define OUTPUT_MAX          2048
#define LONG_LINE_PAD       600     /* spaces: longer than any line buffer the shell has */
#define TOO_MANY_WORDS      40      /* more than a program can be given (SPAWN_MAX_ARGS) */
#define USAGE_EXIT          2
#define USAGE_WAIT_MAX_NS   (1 * NS_PER_SEC)    /* kvclient's reconnect wait is 5 s */

static char output[OUTPUT_MAX];
static char script[OUTPUT_MAX];

static long run_shell(const char *input, struct process_status *st)
{
    const char *argv[] = { SH_PATH, NULL };

    return run_with_pipes(SH_PATH, argv, input, output, sizeof output, st);
}

/* The part of a long line past the shell's buffer must not run as a line of its own. */
TEST(shell_runs_nothing_of_a_line_too_long)
{
    struct process_status st;
    size_t n = (size_t)snprintf(script, sizeof script, "true");

    memset(script + n, ' ', LONG_LINE_PAD);
    snprintf(script + n + LONG_LINE_PAD, sizeof script - n - LONG_LINE_PAD,
             "echo tail-ran\necho next-line\nexit 3\n");
    ASSERT_EQ(run_shell(script, &st), 0);
    EXPECT_EQ(strstr(output, "tail-ran"), NULL);
    EXPECT_NE(strstr(output, "too long"), NULL);
    EXPECT_NE(strstr(output, "next-line\n"), NULL);     /* the next line is read as usual */
    EXPECT_EQ(st.exit_code, 3);
}

/* Words past what the shell can pass are refused, not dropped without a word. */
TEST(shell_refuses_too_many_words)
{
    struct process_status st;
    size_t n = (size_t)snprintf(script, sizeof script, "echo");

    for (int i = 1; i <= TOO_MANY_WORDS; i++)
        n += (size_t)snprintf(script + n, sizeof script - n, " w%d", i);
    snprintf(script + n, sizeof script - n, "\nexit 0\n");
    ASSERT_EQ(run_shell(script, &st), 0);
    EXPECT_EQ(strstr(output, "w1 w2"), NULL);           /* echo did not run with some of them */
    EXPECT_NE(strstr(output, "sh: "), NULL);
    EXPECT_EQ(st.exit_code, 0);
}

/* An unclosed quote runs to the end of the line, which does not include the '\n'. */
TEST(shell_unclosed_quote_ends_with_the_line)
{
    struct process_status st;

    ASSERT_EQ(run_shell("echo \"a b\nexit 0\n", &st), 0);
    EXPECT_NE(strstr(output, "a b\n"), NULL);
    EXPECT_EQ(strstr(output, "a b\n\n"), NULL);
    EXPECT_EQ(st.exit_code, 0);
}

/* A stage that cannot start or that fails is named; the other stages still run. */
TEST(shell_reports_failing_pipeline_stages)
{
    struct process_status st;

    ASSERT_EQ(run_shell("no-such-program | echo still-ran\ncrash null | echo also-ran\nexit 0\n",
                        &st), 0);
    EXPECT_NE(strstr(output, "sh: no-such-program: command not found"), NULL);
    EXPECT_NE(strstr(output, "still-ran\n"), NULL);
    EXPECT_NE(strstr(output, "sh: crash: page fault at 0x0"), NULL);
    EXPECT_NE(strstr(output, "also-ran\n"), NULL);
    EXPECT_EQ(st.exit_code, 0);
}

/* Runs /bin/testrun |which| with its output collected (none of these runs a case). */
static long run_testrun(const char *which, struct process_status *st)
{
    const char *argv[] = { TESTRUN_PATH, which, NULL };

    return run_with_pipes(TESTRUN_PATH, argv, "", output, sizeof output, st);
}

TEST(testrun_fails_an_unknown_suite)
{
    struct process_status st;

    ASSERT_EQ(run_testrun("no_such_suite", &st), 0);
    EXPECT_NE(strstr(output, "FAIL no_such_suite"), NULL);
    EXPECT_NE(strstr(output, "DONE passed=0 failed=1"), NULL);
    EXPECT_EQ(st.exit_code, 1);
}

TEST(testrun_fails_an_unknown_case_of_a_known_suite)
{
    struct process_status st;

    ASSERT_EQ(run_testrun("programs.no_such_case", &st), 0);
    EXPECT_NE(strstr(output, "FAIL programs.no_such_case"), NULL);
    EXPECT_NE(strstr(output, "DONE passed=0 failed=1"), NULL);
    EXPECT_EQ(st.exit_code, 1);
}

/* Started by hand, without the three handles the producer passes: a usage error. */
TEST(shmdemo_consumer_without_its_handles_is_a_usage_error)
{
    const char *argv[] = { SHMDEMO_PATH, "--consumer", "5", NULL };
    struct process_status st;

    ASSERT_EQ(run_with_pipes(SHMDEMO_PATH, argv, "", output, sizeof output, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, USAGE_EXIT);
}

/* With no command there is nothing to connect for: the usage comes at once. */
TEST(kvclient_without_commands_says_usage_at_once)
{
    const char *argv[] = { KVCLIENT_PATH, NULL };
    struct process_status st;
    long start = clock_now();

    ASSERT_EQ(run_with_pipes(KVCLIENT_PATH, argv, "", output, sizeof output, &st), 0);
    EXPECT_TRUE(clock_now() - start < USAGE_WAIT_MAX_NS);
    EXPECT_NE(strstr(output, "usage:"), NULL);
    EXPECT_EQ(st.exit_code, 1);
}
