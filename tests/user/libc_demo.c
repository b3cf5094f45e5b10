/*
 * libc_demo: a student's program prints the same on Ember as on Linux.
 * /bin/libcdemo (user/libcdemo.c: rand, sscanf, strtok, perror, time,
 * printf "%.17g" and friends) runs here with its stdout and stderr in one
 * pipe; /libcdemo.expected is what the same source printed when the build
 * compiled it with the host's gcc and ran it against glibc (Makefile).
 * The two must match byte for byte.
 */
#include <stdio.h>
#include "tests/user/pipe_util.h"

#define DEMO_PATH       "/bin/libcdemo"
#define EXPECTED_PATH   "/libcdemo.expected"
#define OUTPUT_MAX      4096

/* The first line where |a| and |b| part, for the failure message. */
static int first_difference(const char *a, const char *b)
{
    int line = 1;

    for (; *a && *a == *b; a++, b++)
        line += *a == '\n';
    return line;
}

TEST(demo_prints_what_the_host_build_printed)
{
    static char expected[OUTPUT_MAX], got[OUTPUT_MAX];
    const char *argv[] = { DEMO_PATH, NULL };
    handle_t out[PIPE_ENDS];
    struct process_status st;
    FILE *f = fopen(EXPECTED_PATH, "r");

    ASSERT_NE(f, NULL);
    size_t n = fread(expected, 1, sizeof expected - 1, f);
    expected[n] = '\0';
    fclose(f);
    ASSERT_TRUE(n > 0);
    ASSERT_EQ(pipe_create(out), 0);
    handle_t std[STDIO_HANDLES] = { 0, out[PIPE_WRITE_END], out[PIPE_WRITE_END] };
    handle_t h = process_spawn(DEMO_PATH, argv, std, STDIO_HANDLES);
    handle_close(out[PIPE_WRITE_END]);
    long got_len = read_all(out[PIPE_READ_END], got, sizeof got - 1);
    handle_close(out[PIPE_READ_END]);
    ASSERT_TRUE(h > 0);
    EXPECT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    ASSERT_TRUE(got_len > 0);
    got[got_len] = '\0';
    if (strcmp(got, expected) != 0)
        printf("libcdemo differs from the host at line %d:\n--- Ember\n%s--- host\n%s",
               first_difference(got, expected), got, expected);
    EXPECT_STR(got, expected);
}
