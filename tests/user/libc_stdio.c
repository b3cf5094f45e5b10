/*
 * libc_stdio: the stdio and stdlib functions that need a real FILE or a
 * real process: fgets at end of input leaves the buffer alone and with
 * room for only the NUL returns "" (issue 16's two fgets bugs), ungetc,
 * getline, atexit order, perror's line on stderr, and errno as libc sets
 * it when it wraps a system call (fopen) or parses (strtol).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include "tests/user/pipe_util.h"

#define README_FIRST_LINE   "Welcome to Ember.\n"
#define OUT_MAX             512
#define LINE_MAX_TEST       256
#define UNTOUCHED           'Z'

/* "--fgets-eof": stdin is "abc" with no '\n'; prints what fgets did at its end. */
static int helper_fgets_eof(int argc, char **argv)
{
    char buf[8];
    char *first = fgets(buf, sizeof buf, stdin);

    (void)argc, (void)argv;
    printf("first=%s\n", first ? buf : "(null)");
    memset(buf, UNTOUCHED, sizeof buf);
    char *second = fgets(buf, sizeof buf, stdin);
    printf("second=%s untouched=%d eof=%d\n", second ? "buf" : "(null)",
           buf[0] == UNTOUCHED && buf[1] == UNTOUCHED, feof(stdin));
    return 0;
}

static void say_one(void) { printf("one\n"); }
static void say_two(void) { printf("two\n"); }
static void say_three(void) { printf("three\n"); }
static void say_nothing(void) { }

/* "--atexit": registers three functions and returns from main. */
static int helper_atexit(int argc, char **argv)
{
    (void)argc, (void)argv;
    atexit(say_one);
    atexit(say_two);
    atexit(say_three);
    printf("main\n");
    return 0;
}

/* "--perror": a failed fopen, reported by perror (stderr is our stdout pipe). */
static int helper_perror(int argc, char **argv)
{
    (void)argc, (void)argv;
    if (!fopen("/no/such/file", "r"))
        perror("fopen");
    errno = ERANGE;
    perror(NULL);
    return 0;
}

/* "--scanf": reads a number, a word and a float from stdin, then the rest of the line. */
static int helper_scanf(int argc, char **argv)
{
    int n = 0;
    char word[16], rest[32];
    double d = 0;

    (void)argc, (void)argv;
    int got = scanf("%d %15s %lf", &n, word, &d);
    printf("%d: %d %s %.17g|%s", got, n, word, d, fgets(rest, sizeof rest, stdin) ? rest : "(eof)");
    printf("|%d\n", scanf("%d", &n));
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--scanf", helper_scanf },
    { "--fgets-eof", helper_fgets_eof },
    { "--atexit", helper_atexit },
    { "--perror", helper_perror },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* Runs this suite in |mode| with |input| on stdin, stdout and stderr both into |out|. */
static long run_helper(const char *mode, const char *input, char *out, size_t len)
{
    const char *argv[] = { self_path(), mode, NULL };
    handle_t in[PIPE_ENDS], res[PIPE_ENDS];
    struct process_status st;

    if (pipe_create(in) < 0 || pipe_create(res) < 0)
        return E_NOMEM;
    handle_t std[STDIO_HANDLES] = { in[PIPE_READ_END], res[PIPE_WRITE_END], res[PIPE_WRITE_END] };
    handle_t h = process_spawn(self_path(), argv, std, STDIO_HANDLES);
    handle_close(in[PIPE_READ_END]);
    handle_close(res[PIPE_WRITE_END]);
    write_all(in[PIPE_WRITE_END], input, strlen(input));
    handle_close(in[PIPE_WRITE_END]);
    long n = read_all(res[PIPE_READ_END], out, len - 1);
    out[n > 0 ? n : 0] = '\0';
    handle_close(res[PIPE_READ_END]);
    if (h < 0)
        return h;
    reap(h, &st);
    return st.exit_code;
}

TEST(fgets_at_end_of_input_leaves_the_buffer_alone)
{
    char out[OUT_MAX];

    ASSERT_EQ(run_helper("--fgets-eof", "abc", out, sizeof out), 0);
    EXPECT_STR(out, "first=abc\nsecond=(null) untouched=1 eof=1\n");
}

TEST(scanf_reads_stdin_and_leaves_the_rest)
{
    char out[OUT_MAX];

    ASSERT_EQ(run_helper("--scanf", "42 apple 0.1xyz tail\n", out, sizeof out), 0);
    EXPECT_STR(out, "3: 42 apple 0.10000000000000001|xyz tail\n|-1\n");
}

/* A pipe already at end of file when the child starts is still its stdin: it reads EOF, not the console. */
TEST(stdin_pipe_at_end_of_file_before_start_reads_eof)
{
    const char *argv[] = { self_path(), "--fgets-eof", NULL };
    handle_t in[PIPE_ENDS], res[PIPE_ENDS];
    char out[OUT_MAX];
    struct process_status st;

    ASSERT_EQ(pipe_create(in), 0);
    ASSERT_EQ(pipe_create(res), 0);
    EXPECT_EQ(handle_close(in[PIPE_WRITE_END]), 0);     /* no writer, no data: end of file */
    handle_t std[STDIO_HANDLES] = { in[PIPE_READ_END], res[PIPE_WRITE_END], 0 };
    handle_t h = process_spawn(self_path(), argv, std, STDIO_HANDLES);
    handle_close(in[PIPE_READ_END]);
    handle_close(res[PIPE_WRITE_END]);
    long n = read_all(res[PIPE_READ_END], out, sizeof out - 1);
    out[n > 0 ? n : 0] = '\0';
    handle_close(res[PIPE_READ_END]);
    ASSERT_TRUE(h > 0);
    EXPECT_EQ(reap(h, &st), 0);
    EXPECT_STR(out, "first=(null)\nsecond=(null) untouched=1 eof=1\n");
}

TEST(fgets_at_end_of_file_leaves_the_buffer_alone)
{
    FILE *f = fopen(README_PATH, "r");
    char buf[LINE_MAX_TEST];

    ASSERT_NE(f, NULL);
    while (fgets(buf, sizeof buf, f))
        ;
    memset(buf, UNTOUCHED, sizeof buf);
    EXPECT_EQ(fgets(buf, sizeof buf, f), NULL);
    EXPECT_EQ(buf[0], UNTOUCHED);
    EXPECT_TRUE(feof(f));
    EXPECT_EQ(fclose(f), 0);
}

TEST(fgets_with_room_for_only_the_nul_returns_empty_string)
{
    FILE *f = fopen(README_PATH, "r");
    char buf[4] = "xyz";

    ASSERT_NE(f, NULL);
    EXPECT_EQ(fgets(buf, 1, f), buf);
    EXPECT_STR(buf, "");
    EXPECT_EQ(fgetc(f), README_FIRST_LINE[0]);  /* nothing was consumed */
    EXPECT_EQ(fgets(buf, 0, f), NULL);
    EXPECT_EQ(fclose(f), 0);
}

TEST(ungetc_pushes_back_one_byte)
{
    FILE *f = fopen(README_PATH, "r");

    ASSERT_NE(f, NULL);
    EXPECT_EQ(ungetc('x', f), 'x');             /* before any read: an empty buffer */
    EXPECT_EQ(fgetc(f), 'x');
    int c = fgetc(f);
    EXPECT_EQ(c, README_FIRST_LINE[0]);
    EXPECT_EQ(ungetc(c, f), c);
    EXPECT_EQ(fgetc(f), c);
    EXPECT_EQ(fgetc(f), README_FIRST_LINE[1]);
    EXPECT_EQ(ungetc(EOF, f), EOF);
    while (fgetc(f) != EOF)
        ;
    EXPECT_TRUE(feof(f));
    EXPECT_EQ(ungetc('\n', f), '\n');           /* clears end of file */
    EXPECT_FALSE(feof(f));
    EXPECT_EQ(fgetc(f), '\n');
    EXPECT_EQ(fgetc(f), EOF);
    EXPECT_EQ(fclose(f), 0);
}

TEST(getline_reads_what_fgets_reads)
{
    FILE *a = fopen(README_PATH, "r"), *b = fopen(README_PATH, "r");
    char buf[LINE_MAX_TEST], *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lines = 0;

    ASSERT_TRUE(a && b);
    while ((n = getline(&line, &cap, a)) > 0) {
        ASSERT_NE(fgets(buf, sizeof buf, b), NULL);
        EXPECT_STR(line, buf);
        EXPECT_EQ(n, (ssize_t)strlen(buf));
        EXPECT_TRUE(cap > (size_t)n);
        lines++;
    }
    EXPECT_EQ(n, -1);
    EXPECT_EQ(fgets(buf, sizeof buf, b), NULL);
    EXPECT_TRUE(lines >= 3);
    errno = 0;
    EXPECT_EQ(getline(NULL, &cap, a), -1);
    EXPECT_EQ(errno, EINVAL);
    free(line);
    fclose(a);
    fclose(b);
}

TEST(atexit_functions_run_last_registered_first)
{
    char out[OUT_MAX];

    ASSERT_EQ(run_helper("--atexit", "", out, sizeof out), 0);
    EXPECT_STR(out, "main\nthree\ntwo\none\n");
}

TEST(atexit_list_has_a_limit)
{
    int registered = 0;

    while (registered <= ATEXIT_MAX && atexit(say_nothing) == 0)
        registered++;
    EXPECT_EQ(registered, ATEXIT_MAX);
    EXPECT_EQ(atexit(NULL), -1);
}

TEST(perror_prints_the_errno_message)
{
    char out[OUT_MAX];

    ASSERT_EQ(run_helper("--perror", "", out, sizeof out), 0);
    EXPECT_STR(out, "fopen: No such file or directory\nNumerical result out of range\n");
}

TEST(fopen_sets_errno)
{
    errno = 0;
    EXPECT_EQ(fopen("/no/such/file", "r"), NULL);
    EXPECT_EQ(errno, ENOENT);
    EXPECT_EQ(fopen(README_PATH, "w"), NULL);
    EXPECT_EQ(errno, EROFS);
    EXPECT_EQ(fopen(README_PATH, "q"), NULL);
    EXPECT_EQ(errno, EINVAL);
}

TEST(strtol_sets_erange_in_ring_3)
{
    errno = 0;
    EXPECT_EQ(strtol("99999999999999999999", NULL, 10), LONG_MAX);
    EXPECT_EQ(errno, ERANGE);
    errno = 0;
    EXPECT_EQ(strtoul("-99999999999999999999", NULL, 10), ULONG_MAX);
    EXPECT_EQ(errno, ERANGE);
}

TEST(strtok_splits_and_continuation_without_string_is_null)
{
    char s[] = "a,b,,c";

    EXPECT_STR(strtok(s, ","), "a");
    EXPECT_STR(strtok(NULL, ","), "b");
    EXPECT_STR(strtok(NULL, ","), "c");
    EXPECT_EQ(strtok(NULL, ","), NULL);
    EXPECT_EQ(strtok(NULL, ","), NULL);
}

TEST(free_null_does_nothing)
{
    free(NULL);
    EXPECT_TRUE(1);
}
