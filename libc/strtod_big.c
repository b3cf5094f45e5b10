/*
 * strtod_big.c: the exact half of strtod: a decimal D * 10^E to the
 * nearest double with big integers, and make_double, the one place a
 * binary significand is rounded to 53 bits.
 *
 * D * 10^E is written as a fraction num / den of big integers (den = 1 for
 * E >= 0, 10^-E otherwise), one side shifted by a power of two so that the
 * quotient lies in [2^62, 2^64); 64 steps of shift-and-subtract give that
 * quotient exactly, and a non-zero remainder says the true value lies a
 * little above it.  make_double does the rest.  No floating-point
 * arithmetic is involved, so the result does not depend on how the FPU
 * rounds.  The numbers stay below 2^4096: D has at most 801 digits and E is
 * cut off long before it matters (strtod.c: past 10^310 the result is
 * infinite, below 10^-324 it is zero).
 */
#include <errno.h>
#include <string.h>
#include "libc/strtod.h"

#define BIG_LIMBS       128             /* 32-bit limbs: 4096 bits */
#define LIMB_BITS       32
#define CHUNK_DIGITS    9               /* 10^9 fits a limb */
#define CHUNK_BASE      1000000000u
#define EXP10_INF       310             /* D * 10^E >= 10^309 > DBL_MAX */
#define EXP10_ZERO      (-324)          /* D * 10^E < 10^-324: below half the smallest subnormal */
#define MANT_BITS       53
#define EXP_MIN         (-1022)         /* the smallest normal exponent */
#define EXP_MAX         1023
#define E2_SUBNORMAL    (-1074)         /* the place of a subnormal's lowest bit */
#define EXP_BIAS_LOW    1075            /* biased exponent = e2 + 1075 for m in [2^52, 2^53) */
#define EXP_FIELD_INF   2047
#define QUOTIENT_BITS   64

struct big {
    uint32_t w[BIG_LIMBS];              /* little-endian */
    int n;                              /* limbs in use; w[n - 1] != 0 unless n == 0 */
};

static void big_mul_add(struct big *b, uint32_t mul, uint32_t add)
{
    uint64_t carry = add;

    for (int i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->w[i] * mul + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> LIMB_BITS;
    }
    if (carry)
        b->w[b->n++] = (uint32_t)carry;
}

static void big_pow10(struct big *b, long e)
{
    static const uint32_t small[CHUNK_DIGITS] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
                                                  10000000, 100000000 };

    for (; e >= CHUNK_DIGITS; e -= CHUNK_DIGITS)
        big_mul_add(b, CHUNK_BASE, 0);
    big_mul_add(b, small[e], 0);
}

static void big_shift_left(struct big *b, long bits)
{
    int limbs = (int)(bits / LIMB_BITS), k = (int)(bits % LIMB_BITS);

    if (b->n == 0)
        return;
    b->w[b->n + limbs] = 0;
    for (int i = b->n - 1; i >= 0; i--) {
        b->w[i + limbs + 1] |= k ? b->w[i] >> (LIMB_BITS - k) : 0;
        b->w[i + limbs] = b->w[i] << k;
    }
    memset(b->w, 0, (size_t)limbs * sizeof b->w[0]);
    b->n += limbs + 1;
    while (b->n > 0 && b->w[b->n - 1] == 0)
        b->n--;
}

static void big_shift_right_1(struct big *b)
{
    for (int i = 0; i < b->n; i++)
        b->w[i] = b->w[i] >> 1 | (i + 1 < b->n ? b->w[i + 1] << (LIMB_BITS - 1) : 0);
    while (b->n > 0 && b->w[b->n - 1] == 0)
        b->n--;
}

static long big_bits(const struct big *b)
{
    return b->n == 0 ? 0 : (long)(b->n - 1) * LIMB_BITS + (LIMB_BITS - __builtin_clz(b->w[b->n - 1]));
}

static int big_compare(const struct big *a, const struct big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* a -= b, for a >= b. */
static void big_subtract(struct big *a, const struct big *b)
{
    int64_t borrow = 0;

    for (int i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        borrow = t < 0;
        a->w[i] = (uint32_t)(t + (borrow << LIMB_BITS));
    }
    while (a->n > 0 && a->w[a->n - 1] == 0)
        a->n--;
}

/* floor(num / den) for a quotient below 2^64; |num| keeps the remainder. */
static uint64_t big_divide(struct big *num, struct big *den)
{
    uint64_t q = 0;

    big_shift_left(den, QUOTIENT_BITS - 1);
    for (int bit = QUOTIENT_BITS - 1; bit >= 0; bit--) {
        if (big_compare(num, den) >= 0) {
            big_subtract(num, den);
            q |= 1ull << bit;
        }
        big_shift_right_1(den);
    }
    return q;
}

/* Rounds m down by |shift| bits, to nearest, ties to even; *|inexact| if bits were lost. */
static uint64_t round_off(uint64_t m, int shift, bool sticky, bool *inexact)
{
    uint64_t dropped, half, q;

    if (shift > QUOTIENT_BITS) {
        *inexact = true;
        return 0;                       /* below half the last place: rounds to 0 */
    }
    dropped = shift == QUOTIENT_BITS ? m : m & ((1ull << shift) - 1);
    half = 1ull << (shift - 1);
    q = shift == QUOTIENT_BITS ? 0 : m >> shift;
    *inexact = dropped != 0 || sticky;
    return q + (dropped > half || (dropped == half && (sticky || (q & 1))));
}

double make_double(uint64_t m, long e2, bool sticky, int *range)
{
    long lead, shift;
    bool inexact = sticky;
    uint64_t bits;
    double v;

    if (m == 0)
        return 0;
    lead = e2 + QUOTIENT_BITS - 1 - __builtin_clzll(m);       /* the place of m's top bit */
    if (lead > EXP_MAX)
        goto infinite;
    shift = lead >= EXP_MIN ? lead - e2 + 1 - MANT_BITS : E2_SUBNORMAL - e2;
    if (shift > 0) {
        m = round_off(m, (int)(shift < QUOTIENT_BITS + 1 ? shift : QUOTIENT_BITS + 1), sticky, &inexact);
        e2 += shift;
        if (m == 1ull << MANT_BITS) {   /* rounded up to the next power of two */
            m >>= 1;
            e2++;
        }
    } else {
        m <<= -shift;
        e2 += shift;
    }
    if (m >> (MANT_BITS - 1)) {         /* normal */
        if (e2 + EXP_BIAS_LOW >= EXP_FIELD_INF)
            goto infinite;
        bits = (uint64_t)(e2 + EXP_BIAS_LOW) << (MANT_BITS - 1) | (m & ((1ull << (MANT_BITS - 1)) - 1));
    } else {                            /* subnormal or zero: e2 is E2_SUBNORMAL */
        bits = m;
        if (inexact)
            *range = ERANGE;
    }
    memcpy(&v, &bits, sizeof v);
    return v;
infinite:
    *range = ERANGE;
    return __builtin_inf();
}

double big_decimal_to_double(const struct decimal_text *t, int *range)
{
    struct big num, den;                /* 516 bytes each, on the stack: threads may parse at once */
    long e = t->exp10, s;
    int i = 0;

    if (e + t->ndigits > EXP10_INF)
        return make_double(1, EXP_MAX + 1, false, range);      /* infinite */
    if (e + t->ndigits < EXP10_ZERO)
        return make_double(1, E2_SUBNORMAL - 2, false, range); /* zero */
    num.n = den.n = 0;
    for (; i + CHUNK_DIGITS <= t->ndigits; i += CHUNK_DIGITS) {
        uint32_t chunk = 0;
        for (int j = 0; j < CHUNK_DIGITS; j++)
            chunk = chunk * 10 + t->digits[i + j];
        big_mul_add(&num, CHUNK_BASE, chunk);
    }
    for (; i < t->ndigits; i++)
        big_mul_add(&num, 10, t->digits[i]);
    den.w[0] = 1;
    den.n = 1;
    big_pow10(e >= 0 ? &num : &den, e >= 0 ? e : -e);
    s = QUOTIENT_BITS - 1 + big_bits(&den) - big_bits(&num);   /* quotient in [2^62, 2^64) */
    big_shift_left(s >= 0 ? &num : &den, s >= 0 ? s : -s);
    uint64_t q = big_divide(&num, &den);
    return make_double(q, -s, num.n != 0, range);
}
