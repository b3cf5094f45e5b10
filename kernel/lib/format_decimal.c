/*
 * format_decimal.c: %f %e %g of a binary floating-point number, exact to
 * the last digit (libc only, like format_float.c, which calls it).
 *
 * A finite number is m * 2^e2 with an integer m.  Every such number has a
 * finite decimal expansion (2^-1 = 0.5, 2^-2 = 0.25, ...), so we write it out
 * in full, in base 10^9 "limbs" of nine digits each, most significant first:
 *   - m goes in as at most three limbs;
 *   - for e2 > 0 the limbs are doubled up to 29 bits at a time (a limb times
 *     2^29 plus a carry still fits 64 bits), carrying into new limbs above;
 *   - for e2 < 0 they are halved up to 9 bits at a time: what a limb loses
 *     at the bottom is x mod 2^k, worth (x mod 2^k) * 10^9 / 2^k in the limb
 *     below, exact because 2^9 divides 10^9; new limbs appear below.
 * That is musl's method, in integers.  Rounding to the precision asked for
 * then looks at the exact digits: the first dropped digit and whether any
 * non-zero digit follows it decide, halfway cases going to the even digit
 * as glibc does.  So %.17g of any double is the nearest 17-digit decimal,
 * which reads back as the same double, and %.60f prints every digit.
 *
 * Cost: a double needs at most 1074 / 9 halvings of at most 120 limbs (a
 * few thousand 64-bit operations); a long double up to a few million, on a
 * stack array of at most ~10 KiB.  Digits past the expansion are zeros and
 * are padded, never stored, so %.100000f costs no memory.
 */
#include <stdint.h>
#include <stdbool.h>
#include "kernel/lib/format_internal.h"

#define LIMB_BASE       1000000000u     /* 10^9: nine decimal digits per limb */
#define LIMB_DIGITS     9
#define DOUBLE_STEP     29              /* bits per doubling step: LIMB_BASE << 29 < 2^64 */
#define HALVE_STEP      9               /* bits per halving step: 2^9 divides LIMB_BASE */
#define M_LIMBS         3               /* a 64-bit m is below 10^27 */
#define DEFAULT_PRECISION 6
#define G_MIN_EXP10     (-4)            /* %g uses %e style below 1e-4 */
#define EXP_DIGITS_MIN  2               /* e+05 */
#define EXP_BUF         8               /* "e+16445" */
#define PLACE_MIN       (-30000)        /* below the last digit of any expansion (16445 decimals) */

static const uint32_t pow10[LIMB_DIGITS + 1] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
};

/*
 * The expansion: limbs d[first .. end), d[point - 1] the units limb (it
 * always exists), so limb i holds the places 10^(9 * (point - 1 - i)) and
 * the eight below.  d[0] is kept free for a carry out of rounding.
 */
struct decimal {
    uint32_t *d;
    int first, end, point;
};

/* Limbs the expansion of m * 2^e2 can need, d[0] included. */
static int limbs_needed(int e2)
{
    int above = e2 > 0 ? e2 / DOUBLE_STEP + 1 : 0;
    int below = e2 < 0 ? -e2 / HALVE_STEP + 1 : 0;

    return 1 + M_LIMBS + above + below + 1;
}

static void multiply_by_2(struct decimal *x, int e2)
{
    while (e2 > 0) {
        int k = e2 < DOUBLE_STEP ? e2 : DOUBLE_STEP;
        uint64_t carry = 0;

        for (int i = x->end - 1; i >= x->first; i--) {
            uint64_t t = ((uint64_t)x->d[i] << k) + carry;
            x->d[i] = (uint32_t)(t % LIMB_BASE);
            carry = t / LIMB_BASE;
        }
        while (carry) {
            x->d[--x->first] = (uint32_t)(carry % LIMB_BASE);
            carry /= LIMB_BASE;
        }
        e2 -= k;
    }
}

static void divide_by_2(struct decimal *x, int e2)
{
    while (e2 < 0) {
        int k = -e2 < HALVE_STEP ? -e2 : HALVE_STEP;
        uint32_t carry = 0;

        for (int i = x->first; i < x->end; i++) {
            uint32_t v = x->d[i];
            x->d[i] = (v >> k) + carry;
            carry = (v & ((1u << k) - 1)) * (LIMB_BASE >> k);
        }
        if (carry)
            x->d[x->end++] = carry;
        while (x->d[x->first] == 0 && x->first < x->point - 1)
            x->first++;
        e2 += k;
    }
}

/* Writes out m * 2^e2 into |d| (limbs_needed(e2) of them). */
static void expand(struct decimal *x, uint32_t *d, uint64_t m, int e2)
{
    int n = limbs_needed(e2);
    int below = e2 < 0 ? -e2 / HALVE_STEP + 1 : 0;

    x->d = d;
    x->point = n - below;
    x->end = x->point;
    x->first = x->point - M_LIMBS;
    for (int i = x->end - 1; i >= x->first; i--, m /= LIMB_BASE)
        d[i] = (uint32_t)(m % LIMB_BASE);
    while (d[x->first] == 0 && x->first < x->point - 1)
        x->first++;
    multiply_by_2(x, e2);
    divide_by_2(x, e2);
}

/* floor(p / 9) and p mod 9 for any sign: which limb holds place 10^p, and where in it. */
static int limb_of(const struct decimal *x, int place, int *within)
{
    int q = place >= 0 ? place / LIMB_DIGITS : -((-place + LIMB_DIGITS - 1) / LIMB_DIGITS);

    *within = place - q * LIMB_DIGITS;
    return x->point - 1 - q;
}

static int digit_at(const struct decimal *x, int place)
{
    int k, i = limb_of(x, place, &k);

    if (i < x->first || i >= x->end)
        return 0;
    return (int)(x->d[i] / pow10[k] % 10);
}

/* Whether any digit below place 10^|place| is non-zero. */
static bool nonzero_below(const struct decimal *x, int place)
{
    int k, i = limb_of(x, place, &k);

    if (i < x->first)
        return x->end > x->first;       /* all of it is below; the limbs are not all zero */
    if (i < x->end && x->d[i] % pow10[k] != 0)
        return true;
    for (int j = (i < x->first ? x->first : i + 1); j < x->end; j++)
        if (x->d[j])
            return true;
    return false;
}

/* The place of the leading digit (0 for zero). */
static int top_place(const struct decimal *x)
{
    for (int i = x->first; i < x->end; i++) {
        if (x->d[i]) {
            int digits = 1;
            while (digits < LIMB_DIGITS && x->d[i] >= pow10[digits])
                digits++;
            return LIMB_DIGITS * (x->point - 1 - i) + digits - 1;
        }
    }
    return 0;
}

/* The last place the limbs hold: every digit below it is zero. */
static int lowest_place(const struct decimal *x)
{
    return -LIMB_DIGITS * (x->end - x->point);
}

/* A place for the digit functions: anything below PLACE_MIN acts the same. */
static int clamp_place(long long place)
{
    return place < PLACE_MIN ? PLACE_MIN : (int)place;
}

/* The place of the lowest non-zero digit at or above |place|, or |top| + 1 if none. */
static long long lowest_nonzero_from(const struct decimal *x, long long place, int top)
{
    if (place < lowest_place(x))
        place = lowest_place(x);
    while (place <= top && digit_at(x, (int)place) == 0)
        place++;
    return place;
}

/*
 * Rounds to the places from 10^|place| up: to nearest, ties to even, on the
 * exact digits.  The dropped digits become zeros (the limbs below are cut).
 */
static void round_at(struct decimal *x, int place)
{
    int k, i = limb_of(x, place, &k);
    int next = digit_at(x, place - 1);
    bool up = next > 5 || (next == 5 && (nonzero_below(x, place - 1) || digit_at(x, place) % 2));

    if (i >= x->end)
        return;                         /* nothing below |place| */
    x->d[i] -= x->d[i] % pow10[k];
    x->end = i + 1;
    if (!up)
        return;
    x->d[i] += pow10[k];
    while (x->d[i] >= LIMB_BASE) {
        x->d[i] -= LIMB_BASE;
        if (--i < x->first) {
            x->first = i;
            x->d[i] = 0;
        }
        x->d[i]++;
    }
}

/* The digits at places |from| down to |to|; those below the expansion are padded as zeros. */
static void put_digits(struct sink *o, const struct decimal *x, long long from, long long to)
{
    for (; from >= to && from >= lowest_place(x); from--)
        put(o, (char)('0' + digit_at(x, (int)from)));
    if (from >= to)
        pad(o, '0', from - to + 1);
}

/* Fixed notation: the integer digits, then the decimals down to place |last| (< 0 for any). */
static void put_fixed(struct sink *o, const struct spec *sp, const char *sign,
                      const struct decimal *x, long long last)
{
    int top = top_place(x);
    bool point = last < 0 || sp->alt;
    long long len = text_len(sign) + (top > 0 ? top + 1 : 1) + point + (last < 0 ? -last : 0);

    field_open(o, sp, sign, len);
    put_digits(o, x, top > 0 ? top : 0, 0);
    if (point)
        put(o, '.');
    if (last < 0)
        put_digits(o, x, -1, last);
    field_close(o, sp, len);
}

/* Exponent notation: d.ddd down to place |last|, then e+XX. */
static void put_exponent(struct sink *o, const struct spec *sp, const char *sign,
                         const struct decimal *x, long long last, bool upper)
{
    int top = top_place(x), n = 0;
    unsigned e = (unsigned)(top < 0 ? -top : top);
    char exp[EXP_BUF];
    bool point = last < top || sp->alt;
    long long len;

    do {
        exp[n++] = (char)('0' + e % 10);
        e /= 10;
    } while (e || n < EXP_DIGITS_MIN);
    len = text_len(sign) + 1 + point + (top - last) + 2 + n;
    field_open(o, sp, sign, len);
    put_digits(o, x, top, top);
    if (point)
        put(o, '.');
    put_digits(o, x, top - 1, last);
    put(o, upper ? 'E' : 'e');
    put(o, top < 0 ? '-' : '+');
    while (n)
        put(o, exp[--n]);
    field_close(o, sp, len);
}

/* %g: |p| significant digits, %e style when the exponent is below -4 or not below |p|. */
static void put_general(struct sink *o, const struct spec *sp, const char *sign,
                        struct decimal *x, int prec, bool upper)
{
    int p = prec ? prec : 1;
    int top;
    long long last;

    round_at(x, clamp_place((long long)top_place(x) - (p - 1)));
    top = top_place(x);
    last = (long long)top - (p - 1);    /* the lowest digit %g shows, before trailing zeros go */
    if (!sp->alt)
        last = lowest_nonzero_from(x, last, top);
    if (top < G_MIN_EXP10 || top >= p)
        put_exponent(o, sp, sign, x, last > top ? top : last, upper);
    else
        put_fixed(o, sp, sign, x, last > 0 ? 0 : last);
}

void put_decimal(struct sink *o, const struct spec *sp, char conv, const char *sign,
                 uint64_t m, int e2)
{
    uint32_t d[limbs_needed(e2)];       /* at most ~10 KiB, for the smallest long double */
    int prec = sp->precision < 0 ? DEFAULT_PRECISION : sp->precision;
    bool upper = conv == 'E' || conv == 'G';
    struct decimal x;

    expand(&x, d, m, e2);
    if (conv == 'f' || conv == 'F') {
        round_at(&x, clamp_place(-(long long)prec));
        put_fixed(o, sp, sign, &x, -(long long)prec);
    } else if (conv == 'e' || conv == 'E') {
        round_at(&x, clamp_place((long long)top_place(&x) - prec));
        put_exponent(o, sp, sign, &x, (long long)top_place(&x) - prec, upper);
    } else {
        put_general(o, sp, sign, &x, prec, upper);
    }
}
