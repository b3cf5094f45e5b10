/*
 * libc_time: <time.h> and <unistd.h> on Ember's clock: time and
 * clock_gettime read clock_now and never go back; a sleep never returns
 * before its time (a lower bound only: how much later is not asserted);
 * bad arguments (an unknown clock, NULL, a negative or out-of-range
 * timespec) give -1 and the errno C names, and never sleep; getpid is the
 * process id; isatty tells the console from a pipe and refuses numbers
 * past the standard streams.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "tests/user/pipe_util.h"

#define NS_PER_USEC 1000L

static long ns_of(const struct timespec *ts)
{
    return ts->tv_sec * NS_PER_SEC + ts->tv_nsec;
}

static long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ns_of(&ts);
}

/* Whether our stderr is still the console: the runner may have given us a pipe. */
static int stderr_is_console(void)
{
    const struct start_info *si = start_info();

    return si->nhandles <= STDERR_HANDLE || si->handles[STDERR_HANDLE] == 0 ||
           pipe_write(si->handles[STDERR_HANDLE], NULL, 0) != 0;
}

/* "--isatty": prints isatty of its three standard streams. */
static int helper_isatty(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("%d %d %d\n", isatty(STDIN_FILENO), isatty(STDOUT_FILENO), isatty(STDERR_FILENO));
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--isatty", helper_isatty },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

TEST(time_and_clock_gettime_read_clock_now)
{
    struct timespec a, b;
    time_t t = -1;

    ASSERT_EQ(clock_gettime(CLOCK_REALTIME, &a), 0);
    EXPECT_TRUE(a.tv_nsec >= 0 && a.tv_nsec < NS_PER_SEC);
    time_t r = time(&t);
    EXPECT_EQ(r, t);
    EXPECT_TRUE(t >= a.tv_sec);
    EXPECT_TRUE(time(NULL) >= t);               /* NULL is allowed */
    ASSERT_EQ(clock_gettime(CLOCK_MONOTONIC, &b), 0);
    EXPECT_TRUE(ns_of(&b) >= ns_of(&a));
    EXPECT_TRUE(clock() >= 0);
    ASSERT_EQ(clock_getres(CLOCK_MONOTONIC, &b), 0);
    EXPECT_TRUE(b.tv_sec == 0 && b.tv_nsec > 0);
}

TEST(clock_gettime_refuses_bad_arguments)
{
    struct timespec ts;

    errno = 0;
    EXPECT_EQ(clock_gettime(99, &ts), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(clock_gettime(-1, &ts), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, NULL), -1);
    EXPECT_EQ(errno, EFAULT);
}

TEST(sleeps_last_at_least_what_was_asked)
{
    long start = now_ns();

    EXPECT_EQ(sleep(1), 0);
    EXPECT_TRUE(now_ns() - start >= NS_PER_SEC);
    start = now_ns();
    EXPECT_EQ(usleep(30000), 0);
    EXPECT_TRUE(now_ns() - start >= 30000 * NS_PER_USEC);
    start = now_ns();
    struct timespec req = { 0, 50 * NS_PER_MS }, rem = { 9, 9 };
    EXPECT_EQ(nanosleep(&req, &rem), 0);
    EXPECT_TRUE(now_ns() - start >= 50 * NS_PER_MS);
    EXPECT_TRUE(rem.tv_sec == 0 && rem.tv_nsec == 0);
    EXPECT_EQ(sleep(0), 0);
    EXPECT_EQ(usleep(0), 0);
}

TEST(nanosleep_refuses_bad_timespecs_without_sleeping)
{
    struct timespec negative = { -1, 0 }, too_many_ns = { 0, NS_PER_SEC }, below = { 0, -1 };

    errno = 0;
    EXPECT_EQ(nanosleep(&negative, NULL), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(nanosleep(&too_many_ns, NULL), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(nanosleep(&below, NULL), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(nanosleep(NULL, NULL), -1);
    EXPECT_EQ(errno, EFAULT);
}

TEST(getpid_is_the_process_id)
{
    EXPECT_EQ(getpid(), process_self_id());
}

TEST(isatty_tells_console_from_pipe)
{
    char out[64], expected[64];
    struct process_status st;
    const char *argv[] = { self_path(), "--isatty", NULL };

    errno = 0;
    EXPECT_EQ(isatty(3), 0);
    EXPECT_EQ(errno, EBADF);
    EXPECT_EQ(isatty(-1), 0);
    ASSERT_EQ(run_with_pipes(self_path(), argv, "", out, sizeof out, &st), 0);
    snprintf(expected, sizeof expected, "0 0 %d\n", isatty(STDERR_FILENO));
    EXPECT_STR(out, expected);                  /* stdin and stdout pipes; stderr is ours */
    EXPECT_EQ(isatty(STDERR_FILENO), stderr_is_console());
}
