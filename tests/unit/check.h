/*
 * check.h: a tiny unit-test framework for the host tests in tests/unit.
 *
 * A test is a `static void name(void)` made of checks; main() runs each one
 * with RUN(name) and ends with `return check_status();`.  Each test prints
 * one line, "PASS test_heap.stress" or
 *   "FAIL test_heap.stress: tests/unit/test_heap.c:42: expected n == 3 (0x3), got 4 (0x4)".
 * A failing check returns from the test at once (later checks would only
 * trip over the same fault), so checks belong in the test function itself,
 * not in helpers it calls.  The following tests still run.
 */
#ifndef EMBER_CHECK_H
#define EMBER_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static char check_msg[512];     /* why the running test failed; "" while it passes */
static int check_failures;      /* tests failed so far */

#define CHECK_FAIL(...) do { snprintf(check_msg, sizeof check_msg, __VA_ARGS__); return; } while (0)

#define CHECK(cond) do {                                                        \
    if (!(cond))                                                                \
        CHECK_FAIL("%s:%d: expected %s, got false", __FILE__, __LINE__, #cond); \
} while (0)

/* Whether x has a signed type: decides how its value prints in decimal. */
#define CHECK_SIGNED(x) ((__typeof__(x))-1 < (__typeof__(x))1)

/* Integers of any type, compared as 64-bit patterns (so no -Wsign-compare). */
#define CHECK_EQ(actual, expected) do {                                         \
    __typeof__(actual) check_a_ = (actual);                                     \
    __typeof__(expected) check_e_ = (expected);                                 \
    char check_as_[64], check_es_[64];                                          \
    if ((uintmax_t)check_a_ != (uintmax_t)check_e_)                             \
        CHECK_FAIL("%s:%d: expected %s == %s, got %s", __FILE__, __LINE__, #actual, \
                   check_number(check_es_, check_e_, CHECK_SIGNED(check_e_)),   \
                   check_number(check_as_, check_a_, CHECK_SIGNED(check_a_)));  \
} while (0)

#define CHECK_STR(actual, expected) do {                                        \
    const char *check_a_ = (actual), *check_e_ = (expected);                    \
    if (!check_a_)                                                              \
        CHECK_FAIL("%s:%d: expected %s == \"%s\", got NULL",                    \
                   __FILE__, __LINE__, #actual, check_e_);                      \
    if (strcmp(check_a_, check_e_) != 0)                                        \
        CHECK_FAIL("%s:%d: expected %s == \"%s\", got \"%s\"",                  \
                   __FILE__, __LINE__, #actual, check_e_, check_a_);            \
} while (0)

static inline const char *check_number(char out[64], uintmax_t v, int is_signed)
{
    if (is_signed)
        snprintf(out, 64, "%jd (0x%jx)", (intmax_t)v, v);
    else
        snprintf(out, 64, "%ju (0x%jx)", v, v);
    return out;
}

#define RUN(name) check_run(name, #name, __FILE__)

/* Runs one test and prints its line, naming it after its file ("test_heap"). */
static inline void check_run(void (*test)(void), const char *name, const char *file)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    int len = (int)strcspn(base, ".");

    check_msg[0] = '\0';
    test();
    if (check_msg[0])
        check_failures++;
    printf("%s %.*s.%s%s%s\n", check_msg[0] ? "FAIL" : "PASS", len, base, name,
           check_msg[0] ? ": " : "", check_msg);
    fflush(stdout);     /* the line must survive if a later test aborts */
}

static inline int check_status(void)
{
    return check_failures ? 1 : 0;
}

#endif
