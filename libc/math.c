/*
 * math.c: the exact functions of <math.h> (sqrt, fabs, floor, ceil, fmod)
 * and the exponential ones (exp, log, pow).
 *
 * The exact ones work on the bits (floor, ceil, fabs) or use an instruction
 * whose result is exact by definition: SSE's sqrtsd rounds the true square
 * root once, and the x87's fprem computes a remainder with no rounding at
 * all.  exp, log and pow lean on the x87 too: fyl2x gives y * log2(x) and
 * f2xm1/fscale give 2^t, in 64-bit extended precision, so the one rounding
 * to double at the end dominates the error.  Special values follow C's
 * Annex F (pow has the most); errno as C says.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SIGN_BIT        (1ull << 63)
#define FRAC_BITS       52
#define EXP_MASK        0x7ff
#define EXP_BIAS        1023
#define LOG2_E          0xb8aa3b295c17f0bcp-63L     /* log2(e) to 64 bits */
#define EXP2_OVERFLOW   1024.0L                     /* 2^1024 is past DBL_MAX */
#define EXP2_UNDERFLOW  (-1075.0L)                  /* 2^-1075 rounds to 0 */
#define EXACT_INT_LIMIT 9007199254740992.0          /* 2^53: every double past it is an even integer */

static uint64_t bits_of(double x)
{
    uint64_t b;

    memcpy(&b, &x, sizeof b);
    return b;
}

static double double_of(uint64_t b)
{
    double x;

    memcpy(&x, &b, sizeof x);
    return x;
}

double fabs(double x)
{
    return double_of(bits_of(x) & ~SIGN_BIT);
}

double sqrt(double x)
{
    if (x < 0) {
        errno = EDOM;
        return NAN;
    }
    __asm__("sqrtsd %1, %0" : "=x"(x) : "x"(x));
    return x;
}

/* floor (|up| false) or ceil: clear the fraction bits, first moving one unit away from 0 when needed. */
static double round_to_integer(double x, bool up)
{
    uint64_t b = bits_of(x);
    int e = (int)(b >> FRAC_BITS & EXP_MASK) - EXP_BIAS;
    bool negative = b >> 63;

    if (e >= FRAC_BITS || x == 0)
        return x;                       /* already an integer, or inf or nan */
    if (e < 0)                          /* 0 < |x| < 1 */
        return up ? (negative ? -0.0 : 1.0) : (negative ? -1.0 : 0.0);
    uint64_t fraction = (1ull << (FRAC_BITS - e)) - 1;
    if ((b & fraction) == 0)
        return x;
    if (up != negative)                 /* ceil of a positive, floor of a negative: grow */
        b += fraction + 1;
    return double_of(b & ~fraction);
}

double floor(double x)
{
    return round_to_integer(x, false);
}

double ceil(double x)
{
    return round_to_integer(x, true);
}

/* fprem reduces by at most 2^63 per step and says (C2) when it must go on. */
double fmod(double x, double y)
{
    long double r = x;

    if (isnan(x) || isnan(y))
        return x + y;
    if (isinf(x) || y == 0) {
        errno = EDOM;
        return NAN;
    }
    if (isinf(y))
        return x;
    __asm__("1: fprem\n\t"
            "fnstsw %%ax\n\t"
            "testb $4, %%ah\n\t"
            "jnz 1b" : "+t"(r) : "u"((long double)y) : "ax", "cc");
    return (double)r;
}

/* 2^|t| in extended precision, for |t| within the exponent range. */
static long double exp2_extended(long double t)
{
    long double whole, r;

    __asm__("frndint" : "=t"(whole) : "0"(t));
    __asm__("f2xm1" : "=t"(r) : "0"(t - whole));       /* 2^f - 1 for |f| <= 1/2 */
    __asm__("fscale" : "=t"(r) : "0"(r + 1), "u"(whole));
    return r;
}

/* 2^|t| as a double, with ERANGE when it overflows or underflows. */
static double exp2_checked(long double t)
{
    if (t >= EXP2_OVERFLOW) {
        errno = ERANGE;
        return HUGE_VAL;
    }
    if (t <= EXP2_UNDERFLOW) {
        errno = ERANGE;
        return 0;
    }
    return (double)exp2_extended(t);
}

double exp(double x)
{
    if (isnan(x))
        return x;
    if (isinf(x))
        return x > 0 ? x : 0;
    return exp2_checked(x * LOG2_E);
}

/* |y| * log2(|x|), for x > 0, in extended precision. */
static long double y_log2_x(double x, double y)
{
    long double r;

    __asm__("fyl2x" : "=t"(r) : "0"((long double)x), "u"((long double)y) : "st(1)");
    return r;
}

double log(double x)
{
    if (isnan(x))
        return x;
    if (x < 0) {
        errno = EDOM;
        return NAN;
    }
    if (x == 0) {
        errno = ERANGE;
        return -HUGE_VAL;
    }
    if (isinf(x))
        return x;
    return (double)(y_log2_x(x, 1) / LOG2_E);
}

static bool is_integer(double y)
{
    return floor(y) == y;
}

static bool is_odd_integer(double y)
{
    return is_integer(y) && fabs(y) < EXACT_INT_LIMIT && ((long long)y & 1);
}

/* The cases where x or y is 0, inf or nan, or x is negative (Annex F); false for the plain case. */
static bool pow_special(double x, double y, double *r)
{
    bool odd = is_odd_integer(y);

    if (y == 0 || x == 1)
        *r = 1;
    else if (isnan(x) || isnan(y))
        *r = x + y;
    else if (x == 0) {
        if (y < 0 && !isinf(y))
            errno = ERANGE;             /* a pole (glibc: not for y = -inf) */
        *r = y < 0 ? (odd ? 1 / x : HUGE_VAL) : (odd ? x : 0);
    } else if (isinf(y))
        *r = fabs(x) == 1 ? 1 : (fabs(x) < 1) == (y < 0) ? HUGE_VAL : 0;
    else if (isinf(x))
        *r = x > 0 ? (y > 0 ? x : 0) : (y > 0 ? (odd ? x : -x) : (odd ? -0.0 : 0));
    else if (x < 0 && !is_integer(y)) {
        errno = EDOM;
        *r = NAN;
    } else
        return false;
    return true;
}

double pow(double x, double y)
{
    double r;

    if (pow_special(x, y, &r))
        return r;
    r = exp2_checked(y_log2_x(fabs(x), y));
    return x < 0 && is_odd_integer(y) ? -r : r;
}
