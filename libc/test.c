/*
 * test.c: the runner and the checks behind test.h (the protocol is there).
 *
 * One case runs at a time, on the main thread.  A failed ASSERT_* longjmps
 * back to run_case, skipping the rest of the case (and whatever cleanup it
 * had): the in-guest runner starts one process per case, so the handles and
 * memory a failed case leaves behind go with its process (the processes it
 * started do not: reap them, tests/user/util.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <test.h>

#define TEST_MESSAGE_MAX    256
#define TEST_VALUE_MAX      48          /* "-9223372036854775808 (E_PEERCLOSED)" */
#define TEST_USAGE_ERROR    2           /* exit status for arguments the protocol does not know */

extern const struct test_case *const __start_test_cases[] __attribute__((weak));
extern const struct test_case *const __stop_test_cases[] __attribute__((weak));

static const struct test_case *current;
static int failures;                    /* in the current case */
static jmp_buf stop_case;

/* Prints one failure: the FAIL line for the first of the case, an "also" line after. */
static void report(const char *file, int line, const char *fmt, ...)
{
    char msg[TEST_MESSAGE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (failures++ == 0)
        printf("FAIL %s: %s:%d: %s\n", current ? current->name : "?", file, line, msg);
    else
        printf("  also %s:%d: %s\n", file, line, msg);
}

static int failed(enum test_on_failure then)
{
    if (then == TEST_STOP) {
        if (current)
            longjmp(stop_case, 1);
        exit(1);                        /* an ASSERT outside any case: nowhere to return to */
    }
    return 0;
}

static void format_value(char *buf, long long v)
{
    const char *name = v < 0 ? errname(v) : NULL;

    if (name)
        snprintf(buf, TEST_VALUE_MAX, "%lld (%s)", v, name);
    else
        snprintf(buf, TEST_VALUE_MAX, "%lld", v);
}

int test_check_eq(const char *file, int line, const char *expr, long long actual,
                  long long expected, enum test_on_failure then)
{
    char a[TEST_VALUE_MAX], e[TEST_VALUE_MAX];

    if (actual == expected)
        return 1;
    format_value(a, actual);
    format_value(e, expected);
    report(file, line, "expected %s == %s, got %s", expr, e, a);
    return failed(then);
}

int test_check_ne(const char *file, int line, const char *expr, long long actual,
                  long long unexpected, enum test_on_failure then)
{
    char a[TEST_VALUE_MAX];

    if (actual != unexpected)
        return 1;
    format_value(a, actual);
    report(file, line, "expected %s != %s, got %s", expr, a, a);
    return failed(then);
}

int test_check_true(const char *file, int line, const char *expr, int holds,
                    enum test_on_failure then)
{
    if (holds)
        return 1;
    report(file, line, "expected %s, got false", expr);
    return failed(then);
}

int test_check_str(const char *file, int line, const char *expr, const char *actual,
                   const char *expected, enum test_on_failure then)
{
    if (actual && expected && strcmp(actual, expected) == 0)
        return 1;
    if (!actual && !expected)
        return 1;
    report(file, line, "expected %s == \"%s\", got %s%s%s", expr, expected ? expected : "(null)",
           actual ? "\"" : "", actual ? actual : "NULL", actual ? "\"" : "");
    return failed(then);
}

/* Runs one case and prints its PASS line (a failure printed its FAIL line already). */
static int run_case(const struct test_case *tc)
{
    current = tc;
    failures = 0;
    if (setjmp(stop_case) == 0)
        tc->run();
    if (failures == 0)
        printf("PASS %s\n", tc->name);
    current = NULL;
    return failures ? 1 : 0;
}

/* Definition order: by file, then line. */
static int compare_cases(const void *a, const void *b)
{
    const struct test_case *x = *(const struct test_case *const *)a;
    const struct test_case *y = *(const struct test_case *const *)b;
    int by_file = strcmp(x->file, y->file);

    return by_file ? by_file : x->line - y->line;
}

/* The registered cases in definition order: a malloc'ed array of *|n| (0 if it runs out of memory). */
static const struct test_case **sorted_cases(size_t *n)
{
    const struct test_case **cases;

    *n = (size_t)(__stop_test_cases - __start_test_cases);
    cases = malloc(*n * sizeof *cases);
    if (!cases) {
        *n = 0;
        return NULL;
    }
    memcpy(cases, __start_test_cases, *n * sizeof *cases);
    qsort(cases, *n, sizeof *cases, compare_cases);
    return cases;
}

static int run_named(const struct test_case **cases, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cases[i]->name, name) == 0)
            return run_case(cases[i]);
    printf("FAIL %s: no such test case\n", name);
    return 1;
}

int test_main(int argc, char **argv)
{
    size_t n;
    const struct test_case **cases = sorted_cases(&n);
    int status = 0;

    if (argc > 2) {
        fprintf(stderr, "usage: %s [--list | NAME]\n", argv[0]);
        status = TEST_USAGE_ERROR;
    } else if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < n; i++)
            printf("%s\n", cases[i]->name);
    } else if (argc == 2) {
        status = run_named(cases, n, argv[1]);
    } else {
        for (size_t i = 0; i < n; i++)
            status |= run_case(cases[i]);
    }
    free(cases);
    return status;
}

/* Weak: a program's own main wins; a suite without one gets this. */
__attribute__((weak)) int main(int argc, char **argv)
{
    return test_main(argc, argv);
}
