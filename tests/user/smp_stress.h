/*
 * smp_stress.h: what the stress cases of smp_stress.c share (a header, so
 * not a suite): how many rounds a case runs, the hang bound that turns a lost
 * wake-up into a failure, starting and joining the racing threads, and
 * ASSERTs that name the round.
 *
 * The rounds: STRESS_FULL_ROUNDS (1,000, issue 15) in smp_stress_full,
 * which make stress runs; STRESS_SHORT_ROUNDS in smp_stress, which make test
 * runs.  A file that includes smp_stress.c defines STRESS_ROUNDS first.
 */
#ifndef EMBER_TESTS_USER_SMP_STRESS_H
#define EMBER_TESTS_USER_SMP_STRESS_H

#include <stdio.h>
#include "tests/user/util.h"

#define STRESS_FULL_ROUNDS  1000
#define STRESS_SHORT_ROUNDS 100
#ifndef STRESS_ROUNDS
#define STRESS_ROUNDS       STRESS_SHORT_ROUNDS
#endif

/*
 * A wait that should end at once in a correct kernel gets this long before
 * the case calls it a lost wake-up: a bound on a hang, never a timing
 * assertion (guest time: under make test's -icount clock, 2.5 G instructions).
 */
#define STRESS_HANG_NS      (40 * NS_PER_SEC)
#define STRESS_STACK        (16 * 1024)
#define STRESS_WHAT_MAX     160         /* "round N: " and the expression, in a failure */

/*
 * Starts |fn|(|arg|) on a new thread of this process; ASSERTs that it
 * started.  Threads run on CPU 0 only today; once they run on every CPU,
 * pinning each racer to its own CPU goes here (there is no affinity call yet).
 */
static inline handle_t stress_thread(void (*fn)(void *), void *arg)
{
    handle_t t = thread_start(fn, arg, STRESS_STACK);

    ASSERT_TRUE(t > 0);
    return t;
}

/* Waits for the thread |t| to end, for STRESS_HANG_NS at most, and closes it: 0 or E_TIMEDOUT. */
static inline long stress_join(handle_t t)
{
    long r = object_wait(t, STRESS_HANG_NS);

    handle_close(t);
    return r;
}

/* ASSERT_EQ and ASSERT_TRUE naming the round they failed in: "expected round 17: n == 2, got 1". */
#define ROUND_ASSERT_EQ(round, actual, expected)                                        \
    do {                                                                                \
        long long actual_ = (long long)(actual), expected_ = (long long)(expected);    \
        char what_[STRESS_WHAT_MAX];                                                    \
        if (actual_ != expected_) {                                                     \
            snprintf(what_, sizeof what_, "round %ld: %s", (long)(round), #actual);     \
            test_check_eq(__FILE__, __LINE__, what_, actual_, expected_, TEST_STOP);   \
        }                                                                               \
    } while (0)
#define ROUND_ASSERT_TRUE(round, cond)                                                  \
    do {                                                                                \
        char what_[STRESS_WHAT_MAX];                                                    \
        if (!(cond)) {                                                                  \
            snprintf(what_, sizeof what_, "round %ld: %s", (long)(round), #cond);       \
            test_check_true(__FILE__, __LINE__, what_, 0, TEST_STOP);                  \
        }                                                                               \
    } while (0)

#endif
