/*
 * strtod.c: strtod, strtof, strtold and atof, correctly rounded.
 *
 * The text is read into a decimal significand (its first DIGITS_KEPT
 * significant digits, plus a note that a later digit was not zero) and a
 * power of ten, or a hexadecimal significand and a power of two, or inf or
 * nan.  Then:
 *   - small cases (at most 19 digits, a power of ten up to 22, a
 *     significand a double holds) are one exact multiplication or division,
 *     rounded once by the FPU (Clinger's fast path);
 *   - everything else is exact big-integer arithmetic (strtod_big.c): the
 *     value D * 10^E as a fraction, scaled by a power of two so that the
 *     quotient has 63 or 64 bits, with the remainder saying whether anything
 *     was left over; make_double rounds that to 53 bits, ties to even.
 * Keeping DIGITS_KEPT digits is exact for rounding: every halfway point
 * between two doubles has at most 767 significant digits, so a number cut
 * after 800 digits, with a 1 appended when anything non-zero was cut, rounds
 * the same way as the full number.
 *
 * errno: ERANGE when the result overflows to infinity, or underflows to
 * zero or to an inexact subnormal (as glibc).  strtof rounds the double
 * again (at most one ulp of float away in rare double-rounding cases);
 * strtold is strtod widened: Ember's long double parsing is only a double's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "libc/strtod.h"

#define EXP10_LIMIT     100000          /* exponents past this saturate: already far out of range */
#define FAST_DIGITS_MAX 19              /* fits a uint64_t */
#define FAST_POW10_MAX  22              /* 10^22 is the largest power of ten a double holds exactly */
#define DOUBLE_EXACT_INT (1ull << 53)
#define HEX_BITS_KEPT   64

static const double pow10_exact[FAST_POW10_MAX + 1] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Case-insensitive: does |s| start with |word| (lower case)? */
static bool starts_with(const char *s, const char *word)
{
    for (; *word; s++, word++)
        if (tolower((unsigned char)*s) != *word)
            return false;
    return true;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* An exponent "e-12" / "p+3" at |s| if one is there (a sign needs a digit after it). */
static const char *parse_exponent(const char *s, char letter, long *exp)
{
    const char *p = s + 1;
    long v = 0;
    bool negative = false;

    if (tolower((unsigned char)*s) != letter)
        return s;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    if (!isdigit((unsigned char)*p))
        return s;
    for (; isdigit((unsigned char)*p); p++)
        if (v < EXP10_LIMIT)
            v = v * 10 + (*p - '0');
    *exp += negative ? -v : v;
    return p;
}

/*
 * Decimal digits with an optional point, into |t| as D * 10^exp10 (D the
 * kept digits).  Returns the end, or |s| when there were no digits.
 */
static const char *parse_decimal(const char *s, struct decimal_text *t)
{
    const char *p = s;
    bool seen_digit = false, after_point = false;

    for (;; p++) {
        if (*p == '.' && !after_point) {
            after_point = true;
            continue;
        }
        if (!isdigit((unsigned char)*p))
            break;
        seen_digit = true;
        if (*p == '0' && t->ndigits == 0) {         /* a leading zero: only the scale moves */
            t->exp10 -= after_point;
        } else if (t->ndigits < DIGITS_KEPT) {
            t->digits[t->ndigits++] = (uint8_t)(*p - '0');
            t->exp10 -= after_point;
        } else {                                    /* past the kept digits: only whether it is 0 */
            t->dropped_nonzero |= *p != '0';
            t->exp10 += !after_point;
        }
        if (t->exp10 < -EXP10_LIMIT)
            t->exp10 = -EXP10_LIMIT;
    }
    return seen_digit ? parse_exponent(p, 'e', &t->exp10) : s;
}

/* Hexadecimal digits with an optional point, into *|m| * 2^*|e2| (|sticky|: bits cut); |s| if none. */
static const char *parse_hex(const char *s, uint64_t *m, long *e2, bool *sticky)
{
    const char *p = s;
    bool seen_digit = false, after_point = false;

    for (;; p++) {
        int v = hex_value(*p);

        if (*p == '.' && !after_point) {
            after_point = true;
            continue;
        }
        if (v < 0)
            break;
        seen_digit = true;
        if (*m >> (HEX_BITS_KEPT - 4) == 0) {
            *m = *m << 4 | (uint64_t)v;
            *e2 -= after_point ? 4 : 0;
        } else {
            *sticky |= v != 0;
            *e2 += after_point ? 0 : 4;
        }
        if (*e2 < -EXP10_LIMIT)
            *e2 = -EXP10_LIMIT;
    }
    return seen_digit ? parse_exponent(p, 'p', e2) : s;
}

/* D * 10^exp10 as the nearest double; ERANGE in *|range| when it overflows or underflows. */
static double decimal_value(struct decimal_text *t, int *range)
{
    uint64_t d = 0;

    if (t->ndigits == 0)
        return 0;
    if (t->dropped_nonzero) {       /* stands for everything cut: rounds the same way */
        t->digits[t->ndigits++] = 1;
        t->exp10--;
    }
    if (t->ndigits <= FAST_DIGITS_MAX) {
        for (int i = 0; i < t->ndigits; i++)
            d = d * 10 + t->digits[i];
        if (d <= DOUBLE_EXACT_INT && t->exp10 >= -FAST_POW10_MAX && t->exp10 <= FAST_POW10_MAX)
            return t->exp10 < 0 ? (double)d / pow10_exact[-t->exp10] : (double)d * pow10_exact[t->exp10];
    }
    return big_decimal_to_double(t, range);
}

/* "inf", "infinity", "nan" or "nan(chars)"; returns the end, or |s| when none is there. */
static const char *parse_special(const char *s, double *v)
{
    if (starts_with(s, "inf")) {
        *v = __builtin_inf();
        return s + (starts_with(s, "infinity") ? 8 : 3);
    }
    if (starts_with(s, "nan")) {
        const char *p = s + 3;

        *v = __builtin_nan("");
        if (*p == '(') {
            const char *q = p + 1;
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
            if (*q == ')')
                p = q + 1;
        }
        return p;
    }
    return s;
}

double strtod(const char *s, char **end)
{
    const char *p = s, *after;
    bool negative = false, sticky = false;
    uint64_t m = 0;
    long e2 = 0;
    double v = 0;
    int range = 0;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    if ((after = parse_special(p, &v)) != p) {
        /* inf or nan: v is set */
    } else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
               (after = parse_hex(p + 2, &m, &e2, &sticky)) != p + 2) {
        v = make_double(m, e2, sticky, &range);
    } else {                        /* decimal; also "0x" with no hex digit after it: the 0 */
        struct decimal_text t = { .ndigits = 0 };

        after = parse_decimal(p, &t);
        v = after == p ? 0 : decimal_value(&t, &range);
    }
    if (after == p) {
        after = s;                  /* no number: nothing was read */
        negative = false;
    } else if (range) {
        errno = range;
    }
    if (end)
        *end = (char *)after;
    return negative ? -v : v;
}

float strtof(const char *s, char **end)
{
    double v = strtod(s, end);

    if (v != 0 && __builtin_isfinite(v) && (__builtin_fabs(v) > 3.40282346638528859812e+38 ||
                                             __builtin_fabs(v) < 1.17549435082228750797e-38))
        errno = ERANGE;
    return (float)v;
}

long double strtold(const char *s, char **end)
{
    return strtod(s, end);
}

/* C: atof leaves errno alone. */
double atof(const char *s)
{
    int saved = errno;
    double v = strtod(s, NULL);

    errno = saved;
    return v;
}
