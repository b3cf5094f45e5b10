/*
 * smp_stress_ends_full: smp_stress_ends with STRESS_FULL_ROUNDS (1,000)
 * rounds a case, issue 15's count.  make stress runs it; testrun runs it only
 * when named (the *_full suites are the long runs of others), so make test
 * does not.
 */
#define STRESS_ROUNDS   STRESS_FULL_ROUNDS
#include "tests/user/smp_stress_ends.c"
