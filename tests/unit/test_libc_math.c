/*
 * test_libc_math.c: libc's <math.h> (libc/math.c, libc/math_trig.c)
 * against the host's glibc libm.  sqrt, fabs, floor, ceil and fmod must
 * agree bit for bit on random bit patterns of every exponent; exp, log,
 * pow, sin, cos and atan2 must come within one unit in the last place on
 * random arguments (sin and cos also right beside multiples of pi/2, where
 * a poor argument reduction shows); the special values of Annex F (zeros,
 * infinities, nan, pow's negative bases) must agree exactly, errno too.
 * MATH_SEED=n repeats a run; the seed is printed with any failure.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/check.h"
#include "tests/unit/seeded.h"

#define sqrt ember_sqrt
#define fabs ember_fabs
#define floor ember_floor
#define ceil ember_ceil
#define fmod ember_fmod
#define exp ember_exp
#define log ember_log
#define pow ember_pow
#define sin ember_sin
#define cos ember_cos
#define atan2 ember_atan2
#include "libc/math.c"
#include "libc/math_trig.c"
#undef sqrt
#undef fabs
#undef floor
#undef ceil
#undef fmod
#undef exp
#undef log
#undef pow
#undef sin
#undef cos
#undef atan2

#define CASES           20000
#define DEFAULT_SEED    0xa7a7a7a7u


static double random_bits(void)
{
    return double_of(next_random());
}

/* A uniform double in [lo, hi). */
static double random_in(double lo, double hi)
{
    return lo + (hi - lo) * (double)(next_random() >> 11) / 9007199254740992.0;
}

/* Distance in units in the last place, 0 for two nans; huge across signs. */
static uint64_t ulps(double a, double b)
{
    if (isnan(a) && isnan(b))
        return 0;
    if (isnan(a) || isnan(b))
        return UINT64_MAX;
    int64_t x = (int64_t)bits_of(a), y = (int64_t)bits_of(b);

    x = x < 0 ? INT64_MIN - x : x;      /* order the bit patterns like the numbers */
    y = y < 0 ? INT64_MIN - y : y;
    return x > y ? (uint64_t)(x - y) : (uint64_t)(y - x);
}

#define WITHIN(ours_, host_, max_ulps, what, ...) do {                          \
    double o_ = (ours_), h_ = (host_);                                          \
    if (ulps(o_, h_) > (max_ulps))                                              \
        CHECK_FAIL("seed %#llx: " what ": ours %a, host %a", (unsigned long long)seed, __VA_ARGS__, o_, h_); \
} while (0)

static void exact_functions(void)
{
    for (int i = 0; i < CASES; i++) {
        double x = random_bits(), y = i % 2 ? random_bits() : random_in(-100, 100);

        WITHIN(ember_sqrt(x), sqrt(x), 0, "sqrt(%a)", x);
        WITHIN(ember_fabs(x), fabs(x), 0, "fabs(%a)", x);
        WITHIN(ember_floor(x), floor(x), 0, "floor(%a)", x);
        WITHIN(ember_ceil(x), ceil(x), 0, "ceil(%a)", x);
        WITHIN(ember_floor(y), floor(y), 0, "floor(%a)", y);
        WITHIN(ember_ceil(y), ceil(y), 0, "ceil(%a)", y);
        WITHIN(ember_fmod(x, y), fmod(x, y), 0, "fmod(%a, %a)", x, y);
        WITHIN(ember_fmod(y, x), fmod(y, x), 0, "fmod(%a, %a)", y, x);
    }
}

static void exponential_functions(void)
{
    for (int i = 0; i < CASES; i++) {
        double x = random_in(-745, 710), p = fabs(random_bits()), b = random_in(0, 100);
        double e = random_in(-60, 60), n = (double)(int)random_in(-40, 40);

        WITHIN(ember_exp(x), exp(x), 1, "exp(%a)", x);
        WITHIN(ember_log(p), log(p), 1, "log(%a)", p);
        WITHIN(ember_pow(b, e), pow(b, e), 1, "pow(%a, %a)", b, e);
        WITHIN(ember_pow(-b, n), pow(-b, n), 1, "pow(%a, %a)", -b, n);
    }
}

static void trigonometric_functions(void)
{
    for (int i = 0; i < CASES; i++) {
        double x = i % 3 ? random_in(-10000, 10000) : random_bits();
        double near = (double)(int)random_in(-100000, 100000) * (M_PI / 2);
        double y = random_in(-10, 10), z = random_in(-10, 10);

        if (fabs(x) < 2147483648.0) {
            WITHIN(ember_sin(x), sin(x), 1, "sin(%a)", x);
            WITHIN(ember_cos(x), cos(x), 1, "cos(%a)", x);
        }
        WITHIN(ember_sin(near), sin(near), 1, "sin(%a)", near);
        WITHIN(ember_cos(near), cos(near), 1, "cos(%a)", near);
        WITHIN(ember_atan2(y, z), atan2(y, z), 1, "atan2(%a, %a)", y, z);
    }
}

/* Annex F's special values: the same result (bits) and the same errno. */
static void special_values(void)
{
    static const double v[] = { 0.0, -0.0, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 2.5, -2.5,
                                INFINITY, -INFINITY, NAN, 1e308, -1e308, 5e-324, 1e-300 };
    const size_t n = sizeof v / sizeof v[0];

    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double x = v[i], y = v[j];
            int eo, eh;
            errno = 0;
            double o = ember_pow(x, y);
            eo = errno;
            errno = 0;
            double h = pow(x, y);
            eh = errno;
            WITHIN(o, h, 0, "pow(%a, %a)", x, y);
            if (eo != eh)
                CHECK_FAIL("pow(%a, %a): errno ours %d, host %d", x, y, eo, eh);
            WITHIN(ember_atan2(x, y), atan2(x, y), 1, "atan2(%a, %a)", x, y);
            WITHIN(ember_fmod(x, y), fmod(x, y), 0, "fmod(%a, %a)", x, y);
        }
        double x = v[i];
        WITHIN(ember_exp(x), exp(x), 0, "exp(%a)", x);
        WITHIN(ember_log(x), log(x), 0, "log(%a)", x);
        if (!(fabs(x) > 2147483648.0)) {       /* past 2^31 only "in range" is promised */
            WITHIN(ember_sin(x), sin(x), 0, "sin(%a)", x);
            WITHIN(ember_cos(x), cos(x), 0, "cos(%a)", x);
        } else if (!isinf(x)) {
            CHECK(fabs(ember_sin(x)) <= 1 && fabs(ember_cos(x)) <= 1);
        }
        WITHIN(ember_sqrt(x), sqrt(x), 0, "sqrt(%a)", x);
        errno = 0;
        ember_log(x);
        int eo = errno;
        errno = 0;
        log(x);
        CHECK_EQ(eo, errno);
    }
}

int main(void)
{
    seed_random("MATH_SEED", DEFAULT_SEED);
    RUN(special_values);
    RUN(exact_functions);
    RUN(exponential_functions);
    RUN(trigonometric_functions);
    return check_status();
}
