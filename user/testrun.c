/*
 * testrun: the in-guest test runner (docs/08-testing-and-debugging.md).
 *
 *   testrun              every case of every suite in /test
 *   testrun SUITE        every case of one suite
 *   testrun SUITE.CASE   one case
 *   testrun A B.c ...    each of several, in order (make grade runs a lab's cases so)
 *   testrun --timeout S ...   a case that runs longer than S seconds fails (default 120)
 * (naming a suite or case that does not exist is a failure, not an empty pass)
 *
 * Each suite is a program /test/SUITE with a list of its cases in
 * /test/SUITE.cases (the build writes it from the program's symbols).  Each
 * case runs in a process of its own: a crash fails one case.  Around each
 * one the runner reads the kernel's per-tag object counts and free memory
 * and reports any difference as a leak.  The case prints its own PASS/FAIL
 * line; the runner adds FAIL for a case that faulted, was killed or hung or
 * left processes running (it ends them, so they cannot spill into the next
 * case), LEAK for one that left something behind, and finally DONE with
 * totals.  Suites named *_icount need the instruction-count clock
 * (scripts/test.py boots them on their own, under -icount) and run only
 * when named; so do suites named selftest_*, which check the runner
 * itself, drivers_kclock (scripts/test.py boots it with clock=kernel, and
 * it ends the machine on purpose) and drivers_console_storm (the host
 * checks its output); so do suites named *_full, the long runs of other
 * suites (make stress runs the smp_stress_*_full suites).  Suites named
 * drivers_* get the resource handle the runner was started with (the root
 * resource, when it is the first process) at STARTUP_ROOT_HANDLE, as a
 * driver would.
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUITE_DIR       "/test/"
#define CASES_SUFFIX    ".cases"
#define PATH_MAX_LEN    128
#define CASES_MAX_BYTES 8192
#define NS_PER_SECOND   1000000000L
#define CASE_TIMEOUT_S  120
#define LEFTOVER_CODE   99              /* what a process a case left running is killed with */
#define SELFTEST_PREFIX "selftest_"     /* the runner's own checks: run only when named */
#define ICOUNT_SUFFIX   "_icount"       /* needs the instruction clock: run only when named */
#define FULL_SUFFIX     "_full"         /* another suite's long run (make stress): only when named */
#define KCLOCK_SUITE    "drivers_kclock"    /* needs a clock=kernel boot, and ends it: only when named */
#define STORM_SUITE     "drivers_console_storm" /* its verdict is the host's, on the serial line */
#define DRIVERS_PREFIX  "drivers_"      /* suites that get our resource handle, as drivers do */

static long case_timeout_ns = CASE_TIMEOUT_S * NS_PER_SECOND;    /* --timeout SECONDS changes it */
static struct system_stats before, after;  /* static: no memory allocated between snapshots */
static int passed, failed;





/* Runs /test/SUITE CASE in its own process and judges it. */
static void run_case(const char *suite, const char *name)
{
    char path[PATH_MAX_LEN], full[PATH_MAX_LEN], why[160];
    struct process_status st;

    snprintf(path, sizeof path, SUITE_DIR "%s", suite);
    snprintf(full, sizeof full, "%s.%s", suite, name);
    const char *argv[] = { path, name, NULL };
    printf("BEGIN %s\n", full);
    fflush(stdout);
    system_stats(&before, sizeof before);
    /* Driver suites get the resource we started with where a driver finds it; no other suite does. */
    handle_t handles[STARTUP_ROOT_HANDLE + 1] = { 0, 0, 0, startup_resource() };
    int drivers = strncmp(suite, DRIVERS_PREFIX, strlen(DRIVERS_PREFIX)) == 0 &&
                  handles[STARTUP_ROOT_HANDLE] > 0;
    handle_t h = process_spawn(path, argv, drivers ? handles : NULL, drivers ? STARTUP_ROOT_HANDLE + 1 : 0);
    if (h < 0) {
        printf("FAIL %s: cannot start %s: %s\n", full, path, errstr(h));
        failed++;
        return;
    }
    if (object_wait(h, case_timeout_ns) == E_TIMEDOUT) {
        process_kill(h, E_TIMEDOUT);
        object_wait(h, TIMEOUT_INFINITE);
    }
    process_status(h, &st);
    handle_close(h);
    int leftovers = process_end_descendants(LEFTOVER_CODE);
    system_stats(&after, sizeof after);
    int ok = st.state == PROCESS_EXITED && st.exit_code == 0 && leftovers == 0;
    if (leftovers)
        printf("FAIL %s: left %d process%s running (killed)\n", full, leftovers,
               leftovers == 1 ? "" : "es");
    if (!ok && !(st.state == PROCESS_EXITED && st.exit_code == 1)) {     /* 1: it printed FAIL */
        describe_status_of(&st, suite, why, sizeof why);
        printf("FAIL %s: expected the case to exit, got: %s%s\n", full, why,
               st.state == PROCESS_KILLED && st.exit_code == E_TIMEDOUT ? " (hung)" : "");
    }
    char prefix[PATH_MAX_LEN + 8];
    snprintf(prefix, sizeof prefix, "LEAK %s: ", full);
    if (stats_report_leaks(&before, &after, prefix))
        ok = 0;
    ok ? passed++ : failed++;
}

/* Runs the cases listed in /test/SUITE.cases (one per line) that |only| selects. */
static void run_suite(const char *suite, const char *only)
{
    static char list[CASES_MAX_BYTES];
    char path[PATH_MAX_LEN];

    snprintf(path, sizeof path, SUITE_DIR "%s" CASES_SUFFIX, suite);
    handle_t f = file_open(path);
    long n = f < 0 ? f : file_read(f, list, sizeof list - 1, 0);
    if (f >= 0)
        handle_close(f);
    if (n < 0) {
        printf("FAIL %s: cannot read %s: %s\n", suite, path, errstr(n));
        failed++;
        return;
    }
    list[n] = '\0';
    for (char *save, *name = strtok_r(list, "\n", &save); name; name = strtok_r(NULL, "\n", &save))
        if (!only || strcmp(only, name) == 0)
            run_case(suite, name);
}

/* Whether |s| is longer than |suffix| and ends with it. */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n > k && strcmp(s + n - k, suffix) == 0;
}

/*
 * Runs what |want| selects: a suite, SUITE.CASE, or NULL for every suite but
 * the selftests.  Naming a suite or case that does not exist is a failure.
 */
static void run_selection(char *want)
{
    char path[PATH_MAX_LEN], suite[PATH_MAX_LEN];
    char *only = want ? strchr(want, '.') : NULL;
    int before = passed + failed;

    if (only)
        *only++ = '\0';
    for (long i = 0; file_list(i, path, sizeof path) >= 0; i++) {
        size_t len = strlen(path), dir = strlen(SUITE_DIR), suf = strlen(CASES_SUFFIX);
        if (strncmp(path, SUITE_DIR, dir) != 0 || len <= dir + suf ||
            strcmp(path + len - suf, CASES_SUFFIX) != 0)
            continue;
        snprintf(suite, sizeof suite, "%.*s", (int)(len - dir - suf), path + dir);
        int selftest = strncmp(suite, SELFTEST_PREFIX, strlen(SELFTEST_PREFIX)) == 0 ||
                       ends_with(suite, ICOUNT_SUFFIX) || ends_with(suite, FULL_SUFFIX) ||
                       strcmp(suite, KCLOCK_SUITE) == 0 || strcmp(suite, STORM_SUITE) == 0;
        if (want ? strcmp(want, suite) == 0 : !selftest)
            run_suite(suite, only);
    }
    if (want && passed + failed == before) {    /* a typo must not pass as "nothing failed" */
        printf("FAIL %s%s%s: no such suite or case in " SUITE_DIR "\n", want, only ? "." : "",
               only ? only : "");
        failed++;
    }
}

int main(int argc, char **argv)
{
    int first = 1;

    if (argc > 2 && strcmp(argv[1], "--timeout") == 0) {
        case_timeout_ns = atol(argv[2]) * NS_PER_SECOND;
        first = 3;
    }
    /* Above any case (they start at PRIORITY_NORMAL and may raise it): one that spins still times out. */
    thread_set_priority(0, PRIORITY_MAX);
    printf("READY\n");
    if (first == argc)
        run_selection(NULL);
    for (int i = first; i < argc; i++)
        run_selection(argv[i]);
    printf("DONE passed=%d failed=%d\n", passed, failed);
    return failed ? 1 : 0;
}
