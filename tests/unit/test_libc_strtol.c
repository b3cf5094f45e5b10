/*
 * test_libc_strtol.c: libc's number parsing and sorting (libc/strtol.c,
 * libc/qsort.c) against the host's, under the sanitizers.  The libc files
 * are #included with their functions renamed ember_*, after the host headers.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/check.h"

#define strtol ember_strtol
#define strtoul ember_strtoul
#define strtoll ember_strtoll
#define strtoull ember_strtoull
#define atoi ember_atoi
#define atol ember_atol
#define abs ember_abs
#define labs ember_labs
#include "libc/strtol.c"
#define qsort ember_qsort
#define bsearch ember_bsearch
#include "libc/qsort.c"
#undef strtol
#undef strtoul
#undef strtoll
#undef strtoull
#undef atoi
#undef qsort
#undef bsearch

static const char *const numbers[] = {
    "0", "1", "-1", "+7", "  42", "\t\n -42xyz", "0x1f", "0X1F", "-0x1f", "0x", "0xg", "0",
    "017", "08", "-", "+", "", "abc", "z", "Zz", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
    "18446744073709551616", "99999999999999999999999", "-18446744073709551615",
    "0777777777777777777777", "1000000000000000000000", "0x7fffffffffffffff",
    "0xffffffffffffffff", "0x10000000000000000", "2147483648", "-2147483649", " +0x", "1e5",
};
static const int bases[] = { 0, 2, 8, 10, 16, 36 };

/* |call| with errno cleared first; the errno it leaves goes to |err|. */
#define WITH_ERRNO(err, call) (errno = 0, __extension__({ __typeof__(call) v_ = (call); err = errno; v_; }))

/* Value, end pointer and errno (ERANGE past the limits) agree with the host for every string and base. */
static void strtol_family_matches_the_host(void)
{
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            const char *s = numbers[i];
            char *ours, *host;

            CHECK_EQ(ember_strtol(s, &ours, bases[b]), strtol(s, &host, bases[b]));
            CHECK_EQ(ours - s, host - s);
            CHECK_EQ(ember_strtoul(s, &ours, bases[b]), strtoul(s, &host, bases[b]));
            CHECK_EQ(ours - s, host - s);
            CHECK_EQ(ember_strtoll(s, &ours, bases[b]), strtoll(s, &host, bases[b]));
            CHECK_EQ(ember_strtoull(s, &ours, bases[b]), strtoull(s, &host, bases[b]));
            CHECK_EQ(ours - s, host - s);

            int our_err, host_err;
            CHECK_EQ(WITH_ERRNO(our_err, ember_strtol(s, NULL, bases[b])),
                     WITH_ERRNO(host_err, strtol(s, NULL, bases[b])));
            CHECK_EQ(our_err, host_err);
            CHECK_EQ(WITH_ERRNO(our_err, ember_strtoul(s, NULL, bases[b])),
                     WITH_ERRNO(host_err, strtoul(s, NULL, bases[b])));
            CHECK_EQ(our_err, host_err);
            CHECK_EQ(WITH_ERRNO(our_err, ember_strtoll(s, NULL, bases[b])),
                     WITH_ERRNO(host_err, strtoll(s, NULL, bases[b])));
            CHECK_EQ(our_err, host_err);
        }
    }
}

static void atoi_and_bad_bases(void)
{
    char *end;
    const char *s = "123";

    CHECK_EQ(ember_atoi(" -12abc"), -12);
    CHECK_EQ(ember_atoi("2147483647"), INT_MAX);
    CHECK_EQ(ember_atol("-9000000000"), -9000000000L);
    errno = 0;
    CHECK_EQ(ember_strtol(s, &end, 1), 0);
    CHECK(end == s);
    CHECK_EQ(errno, EINVAL);
    errno = 0;
    CHECK_EQ(ember_strtol(s, &end, 37), 0);
    CHECK(end == s);
    CHECK_EQ(errno, EINVAL);
    errno = 0;
    CHECK_EQ(ember_atoi("99999999999"), INT_MAX);
    CHECK_EQ(ember_atol("99999999999999999999"), LONG_MAX);
    CHECK_EQ(errno, 0);                 /* C: atoi and atol leave errno alone */
    CHECK_EQ(ember_abs(-5), 5);
    CHECK_EQ(ember_labs(-5L), 5);
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

/* Sorted output, for many sizes and contents (duplicates, sorted, reversed). */
static void qsort_sorts(void)
{
    uint32_t seed = 12345;

    for (int n = 0; n < 300; n += (n < 20 ? 1 : 37)) {
        for (int kind = 0; kind < 4; kind++) {
            int v[300], count[10] = { 0 };

            for (int i = 0; i < n; i++) {
                seed = seed * 1103515245 + 12345;
                v[i] = kind == 0 ? (int)(seed >> 8) : kind == 1 ? i : kind == 2 ? n - i : i % 3;
                if (kind == 3)
                    count[v[i]]++;
            }
            ember_qsort(v, (size_t)n, sizeof v[0], compare_ints);
            for (int i = 1; i < n; i++)
                CHECK(v[i - 1] <= v[i]);
            if (kind == 3 && count[1] > 0)
                CHECK_EQ(v[count[0]], 1);       /* the 0s, then the first 1 */
        }
    }
}

/* Elements bigger than a word are swapped whole. */
static void qsort_wide_elements(void)
{
    struct wide { int key; char pad[13]; } v[50];

    for (int i = 0; i < 50; i++) {
        v[i].key = (i * 17) % 50;
        memset(v[i].pad, v[i].key, sizeof v[i].pad);
    }
    ember_qsort(v, 50, sizeof v[0], compare_ints);
    for (int i = 0; i < 50; i++) {
        CHECK_EQ(v[i].key, i);
        CHECK_EQ(v[i].pad[12], i);
    }
}

static void bsearch_finds(void)
{
    int v[64];

    for (int i = 0; i < 64; i++)
        v[i] = 2 * i;
    for (int key = -1; key < 130; key++) {
        int *found = ember_bsearch(&key, v, 64, sizeof v[0], compare_ints);

        if (key >= 0 && key < 128 && key % 2 == 0)
            CHECK(found == &v[key / 2]);
        else
            CHECK(found == NULL);
    }
    CHECK(ember_bsearch(&v[0], v, 0, sizeof v[0], compare_ints) == NULL);
}

int main(void)
{
    RUN(strtol_family_matches_the_host);
    RUN(atoi_and_bad_bases);
    RUN(qsort_sorts);
    RUN(qsort_wide_elements);
    RUN(bsearch_finds);
    return check_status();
}
