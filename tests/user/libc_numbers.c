/*
 * libc_numbers: the number code of libc as built for ring 3 (the host
 * tests hold the same sources against glibc): printf's "%.17g" reads back
 * through strtod as the same double, for thousands of seeded random bit
 * patterns; sscanf reads what printf wrote; a float format past 40 digits
 * and past INT_MAX characters behaves (EOVERFLOW); math.h's exact
 * functions are exact here too.  Running it in ring 3 checks what the host
 * cannot: libc's own freestanding build, its stack use (%Lf of the
 * smallest long double needs ~10 KiB) and the x87 code under Ember's FPU
 * switching.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <test.h>

#define ROUND_TRIPS     3000
#define SEED            0x1234567887654321ull

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

TEST(g17_round_trips_through_strtod)
{
    uint64_t s = SEED, bad = 0;
    char buf[64];

    for (int i = 0; i < ROUND_TRIPS; i++) {
        uint64_t bits = next_random(&s), back_bits;
        double v, back;

        memcpy(&v, &bits, sizeof v);
        if (isnan(v))
            continue;
        snprintf(buf, sizeof buf, "%.17g", v);
        back = strtod(buf, NULL);
        memcpy(&back_bits, &back, sizeof back);
        bad += back_bits != bits;
    }
    EXPECT_EQ(bad, 0);
}

TEST(sscanf_reads_what_printf_wrote)
{
    char buf[128], word[16];
    double d = 0;
    int i = 0, n = 0;
    unsigned x = 0;

    snprintf(buf, sizeof buf, "%.17g %d %x %s", 0.1, -42, 0xbeefu, "end");
    ASSERT_EQ(sscanf(buf, "%lf %d %x %15s%n", &d, &i, &x, word, &n), 4);
    EXPECT_TRUE(d == 0.1);
    EXPECT_EQ(i, -42);
    EXPECT_EQ(x, 0xbeef);
    EXPECT_STR(word, "end");
    EXPECT_EQ(n, (int)strlen(buf));
    EXPECT_EQ(sscanf("", "%d", &i), EOF);
    EXPECT_EQ(sscanf("12", "%d %d", &i, &n), 1);
}

TEST(long_precisions_and_long_doubles)
{
    char buf[1200];

    snprintf(buf, sizeof buf, "%.55f", 0.1);
    EXPECT_STR(buf, "0.1000000000000000055511151231257827021181583404541015625");
    snprintf(buf, sizeof buf, "%.17g|%.17f|%a", 1e23, 0.3, 1.0);
    EXPECT_STR(buf, "9.9999999999999992e+22|0.29999999999999999|0x1p+0");
    EXPECT_EQ(snprintf(buf, sizeof buf, "%Lg", 0x1p-16445L), 12);   /* the smallest long double */
    EXPECT_STR(buf, "3.6452e-4951");
}

TEST(output_past_int_max_is_eoverflow)
{
    static const char *volatile wide = "%2147483648d", *volatile star = "x%*d";

    errno = 0;
    EXPECT_EQ(snprintf(NULL, 0, wide, 1), -1);
    EXPECT_EQ(errno, EOVERFLOW);
    errno = 0;
    EXPECT_EQ(snprintf(NULL, 0, star, INT_MAX, 1), -1);
    EXPECT_EQ(errno, EOVERFLOW);
}

TEST(exact_math_is_exact_in_ring_3)
{
    EXPECT_TRUE(sqrt(4) == 2 && sqrt(2) * sqrt(2) == 2.0000000000000004);
    EXPECT_TRUE(floor(-2.5) == -3 && ceil(-2.5) == -2 && fabs(-0.0) == 0);
    EXPECT_TRUE(fmod(10, 3) == 1 && fmod(-7.5, 2) == -1.5);
    errno = 0;
    EXPECT_TRUE(isnan(sqrt(-1)));
    EXPECT_EQ(errno, EDOM);
    EXPECT_TRUE(fabs(sin(M_PI)) < 1.3e-16 && cos(0) == 1 && exp(0) == 1 && log(1) == 0);
    EXPECT_TRUE(pow(2, 10) == 1024 && atan2(1, 1) == M_PI / 4);
}

TEST(inttypes_formats_and_parses_fixed_width_types)
{
    char buf[64];
    int64_t big = INT64_MIN, back = 0;
    uint8_t small = 0;

    snprintf(buf, sizeof buf, "%" PRId64 " %" PRIx32 " %" PRIuMAX, big, (uint32_t)0xabcdef, UINTMAX_MAX);
    EXPECT_STR(buf, "-9223372036854775808 abcdef 18446744073709551615");
    EXPECT_EQ(sscanf("-9223372036854775808 200", "%" SCNd64 " %" SCNu8, &back, &small), 2);
    EXPECT_EQ(back, INT64_MIN);
    EXPECT_EQ(small, 200);
    EXPECT_EQ(strtoimax("-42", NULL, 10), -42);
    EXPECT_EQ(strtoumax("0x10", NULL, 0), 16);
    EXPECT_EQ(imaxabs(-7), 7);
    imaxdiv_t q = imaxdiv(17, 5);
    EXPECT_TRUE(q.quot == 3 && q.rem == 2);
}
