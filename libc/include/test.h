/*
 * test.h: cases for the ring-3 test suites (tests/user), and their runner.
 *
 * A suite is one program made of cases, and needs no main:
 *
 *     #include <test.h>
 *
 *     TEST(close_twice_fails) {
 *         handle_t f = file_open("/bin/init");
 *         ASSERT_TRUE(f > 0);
 *         EXPECT_EQ(handle_close(f), 0);
 *         EXPECT_ERR(handle_close(f), E_BADHANDLE);
 *     }
 *
 * libc/test.c holds a weak main that calls test_main, so the linker uses it
 * only when the program has no main of its own; a suite that needs its own
 * main calls test_main(argc, argv) from it.  TEST registers each case by
 * placing a pointer to it in the "test_cases" section, which the linker
 * brackets with __start_test_cases and __stop_test_cases.
 *
 * The protocol the runner speaks:
 *     prog --list     one case name per line
 *     prog NAME       runs that case: "PASS NAME", or the first failure as
 *                     "FAIL NAME: file:line: expected <expr> == <value>, got <value>"
 *                     (later failures of the case follow as "  also file:line: ...");
 *                     exit status 0 on pass, 1 on fail
 *     prog            runs every case in this process, one line each
 *     anything else   a usage message on stderr, exit status 2
 *
 * EXPECT_* reports a failure and carries on; ASSERT_* reports it and ends the
 * case at once (a longjmp back to the runner: use ASSERT_* only on the
 * case's own thread).  Values print as integers, with the E_* name of
 * negative ones that are error codes: "got -3 (E_FAULT)".  Pointers compare
 * as integers too: EXPECT_NE(p, NULL).
 */
#ifndef EMBER_TEST_H
#define EMBER_TEST_H

#include <ember.h>

struct test_case {
    const char *name;
    void (*run)(void);
    const char *file;           /* where it is defined: cases run and list in that order, */
    int line;                   /* whatever order the compiler put them in the section */
};

#define TEST(name)                                                              \
    static void test_run_##name(void);                                          \
    static const struct test_case test_case_##name =                            \
        { #name, test_run_##name, __FILE__, __LINE__ };                         \
    static const struct test_case *const test_entry_##name                      \
        __attribute__((used, section("test_cases"))) = &test_case_##name;       \
    static void test_run_##name(void)

enum test_on_failure { TEST_CONTINUE, TEST_STOP };

/* The checks behind the macros; each returns 1 when it held.  Use the macros. */
int test_check_eq(const char *file, int line, const char *expr, long long actual,
                  long long expected, enum test_on_failure then);
int test_check_ne(const char *file, int line, const char *expr, long long actual,
                  long long unexpected, enum test_on_failure then);
int test_check_true(const char *file, int line, const char *expr, int holds,
                    enum test_on_failure then);
int test_check_str(const char *file, int line, const char *expr, const char *actual,
                   const char *expected, enum test_on_failure then);

#define TEST_EQ_(a, e, then)  test_check_eq(__FILE__, __LINE__, #a, (long long)(a), (long long)(e), then)
#define TEST_NE_(a, e, then)  test_check_ne(__FILE__, __LINE__, #a, (long long)(a), (long long)(e), then)
#define TEST_TRUE_(c, then)   test_check_true(__FILE__, __LINE__, #c, (c) ? 1 : 0, then)
#define TEST_STR_(a, e, then) test_check_str(__FILE__, __LINE__, #a, (a), (e), then)

#define EXPECT_EQ(actual, expected)     TEST_EQ_(actual, expected, TEST_CONTINUE)
#define EXPECT_NE(actual, unexpected)   TEST_NE_(actual, unexpected, TEST_CONTINUE)
#define EXPECT_TRUE(cond)               TEST_TRUE_(cond, TEST_CONTINUE)
#define EXPECT_FALSE(cond)              TEST_TRUE_(!(cond), TEST_CONTINUE)
#define EXPECT_ERR(call, code)          TEST_EQ_(call, code, TEST_CONTINUE)
#define EXPECT_STR(actual, expected)    TEST_STR_(actual, expected, TEST_CONTINUE)

#define ASSERT_EQ(actual, expected)     TEST_EQ_(actual, expected, TEST_STOP)
#define ASSERT_NE(actual, unexpected)   TEST_NE_(actual, unexpected, TEST_STOP)
#define ASSERT_TRUE(cond)               TEST_TRUE_(cond, TEST_STOP)
#define ASSERT_FALSE(cond)              TEST_TRUE_(!(cond), TEST_STOP)
#define ASSERT_ERR(call, code)          TEST_EQ_(call, code, TEST_STOP)
#define ASSERT_STR(actual, expected)    TEST_STR_(actual, expected, TEST_STOP)

/* Runs the suite as the protocol above says; returns the exit status. */
int test_main(int argc, char **argv);

#endif
