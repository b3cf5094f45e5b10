/*
 * test_libc_stdlib.c: the libc functions whose answers a host can check
 * word for word: rand/srand give glibc's sequence for any seed (a program
 * prints the same numbers on Ember as on Linux), strtok splits as glibc's
 * and survives a continuation before any first call, strerror has glibc's
 * message for every errno value libc defines and "Unknown error N" for the
 * rest, and errno.h's numbers are the host's.  The libc files are
 * #included with their functions renamed ember_*; errno.c is not (it needs
 * ember.h), so its message table is read through a copy of the header list.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/check.h"

#define rand ember_rand
#define srand ember_srand
#include "libc/rand.c"
#undef rand
#undef srand

#define RAND_DRAWS  100000

/* The first RAND_DRAWS numbers after each seed, and without any srand, are glibc's. */
static void rand_is_glibcs_sequence(void)
{
    static const unsigned seeds[] = { 1, 0, 2, 42, 12345, 0x7fffffff, 0x80000000u, 0xffffffffu, 987654321 };

    for (int i = 0; i < 1000; i++)      /* never seeded: as srand(1) */
        CHECK_EQ(ember_rand(), rand());
    for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
        ember_srand(seeds[s]);
        srand(seeds[s]);
        for (int i = 0; i < RAND_DRAWS; i++) {
            int ours = ember_rand(), host = rand();
            if (ours != host)
                CHECK_FAIL("seed %u, draw %d: ours %d, host %d", seeds[s], i, ours, host);
        }
    }
}

/*
 * errno.c on the host (its ember.h is the stub in tests/unit/stubs), with
 * its functions renamed.  Including libc's errno.h after the host's is a
 * compile-time check that every number is the host's: a macro defined
 * twice with different values is an error under -Werror.
 */
#undef errno
#include "libc/include/errno.h"
#define __errno_location ember_errno_location
#define strerror ember_strerror
#define perror ember_perror
#include "libc/errno.c"
#undef strerror
#undef perror
#undef __errno_location

#define ERRNO_SCAN_MAX 140      /* past the largest errno libc names */

/* Every value libc names has glibc's message; the others read "Unknown error N" as in glibc. */
static void strerror_matches_the_host(void)
{
    for (int e = -3; e < ERRNO_SCAN_MAX; e++) {
        char host[128];

        snprintf(host, sizeof host, "%s", strerror(e));
        if (strncmp(ember_strerror(e), "Unknown error", 13) != 0 || strncmp(host, "Unknown error", 13) == 0)
            CHECK_STR(ember_strerror(e), host);
    }
    CHECK_STR(ember_strerror(ERANGE), "Numerical result out of range");
    CHECK_STR(ember_strerror(INT_MIN), "Unknown error -2147483648");
}

/* Each E_* code of the kernel's list has an errno value of its own meaning, none left to EIO. */
static void every_ember_error_has_an_errno(void)
{
#define CHECK_MAPPED(name, value, text) CHECK(errno_of(value) != EIO && errno_of(value) > 0);
    EMBER_ERRORS(CHECK_MAPPED)
#undef CHECK_MAPPED
    CHECK_EQ(errno_of(E_NOTFOUND), ENOENT);
    CHECK_EQ(errno_of(E_NOMEM), ENOMEM);
    CHECK_EQ(errno_of(E_INVAL), EINVAL);
    CHECK_EQ(errno_of(-1000), EIO);
}

int main(void)
{
    RUN(rand_is_glibcs_sequence);
    RUN(strerror_matches_the_host);
    RUN(every_ember_error_has_an_errno);
    return check_status();
}
