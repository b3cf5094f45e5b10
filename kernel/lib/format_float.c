/*
 * format_float.c: %f %e %g (and upper case) for the shared formatter
 * (format.c), built into libc only: the kernel never touches the FPU.
 * A double is scaled to its decimal exponent, rounded to the digits asked
 * for, and laid out as fixed or exponent notation; results match glibc up
 * to 16 significant digits (precision is capped at FLOAT_PRECISION_MAX).
 */
#include <stdint.h>
#include <stdbool.h>
#include "kernel/lib/format_internal.h"
/*
 * Floating point, "lite": %f %e %g (and %F %E %G) with flags, width and
 * precision.  Digits come from 64-bit integers, so a number carries at most
 * FLOAT_DIGITS_MAX significant digits; past them %f prints zeros where glibc
 * prints the exact binary expansion, and precisions above
 * FLOAT_PRECISION_MAX are cut to it.  Within that, rounding is glibc's: to
 * the nearest, ties to even, decided on the exact value of the double
 * (0.125 -> "0.12", 0.05 -> "0.1"), except for numbers beyond 1e18 or with
 * more than 17 leading zeros, which are scaled first (one more rounding).
 */
#define FLOAT_DIGITS_MAX        17      /* significant decimal digits a double carries */
#define FLOAT_PRECISION_MAX     40
#define FLOAT_DEFAULT_PRECISION 6
#define FLOAT_EXP10_MAX         308     /* DBL_MAX is about 1.8e308 */
#define FLOAT_BODY_MAX          (FLOAT_EXP10_MAX + FLOAT_PRECISION_MAX + 8)
#define FLOAT_FIXED_LIMIT       1e18    /* below this the whole part fits a uint64_t */
#define FLOAT_EXACT_POW10       22      /* 1e22 is the largest power of ten a double holds exactly */
#define FLOAT_SCALE_STEP        1e16    /* beyond that, scale in big steps: fewer roundings */
#define FLOAT_SCALE_STEP_EXP10  16
#define FLOAT_SPLIT             134217729.0     /* 2^27 + 1: splits a double's 53 bits in two */
#define FLOAT_G_MIN_EXP10       (-4)    /* %g switches to %e below 1e-4 */

struct body {                   /* a number's characters, before sign and padding */
    char c[FLOAT_BODY_MAX];
    int n;
};

static void body_add(struct body *b, char c)
{
    if (b->n < FLOAT_BODY_MAX)
        b->c[b->n++] = c;
}

/* Decimal digits of |v|, at least |min_digits| of them (zero-padded on the left). */
static void body_uint(struct body *b, uint64_t v, int min_digits)
{
    char tmp[NUM_DIGITS_MAX];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < min_digits);
    while (n)
        body_add(b, tmp[--n]);
}

static uint64_t pow10_int(int n)
{
    uint64_t p = 1;

    while (n-- > 0)
        p *= 10;
    return p;
}

/*
 * |v| > 0 scaled into [1, 10); *|exp10| receives the power of ten taken out.
 * Within FLOAT_EXACT_POW10 the scaling is by one exact power, so it rounds
 * once and can only land on 1.0 from just below (round_significant copes).
 */
static double normalize(double v, int *exp10)
{
    double s = v, p = 1;
    int e = 0;

    if (v == 0) {
        *exp10 = 0;
        return 0;
    }
    for (; s >= FLOAT_SCALE_STEP; e += FLOAT_SCALE_STEP_EXP10)
        s /= FLOAT_SCALE_STEP;
    for (; s >= 10; e++)
        s /= 10;
    for (; s < 1 / FLOAT_SCALE_STEP; e -= FLOAT_SCALE_STEP_EXP10)
        s *= FLOAT_SCALE_STEP;
    for (; s < 1; e--)
        s *= 10;
    if (e >= -FLOAT_EXACT_POW10 && e <= FLOAT_EXACT_POW10) {
        for (int i = 0; i < (e < 0 ? -e : e); i++)
            p *= 10;
        s = e < 0 ? v * p : v / p;
        for (; s >= 10; e++)
            s /= 10;
        for (; s < 1; e--)
            s *= 10;
    }
    *exp10 = e;
    return s;
}

/* a * b - |p| exactly, where |p| is the rounded product (Dekker's algorithm: no FMA needed). */
static double product_error(double a, double b, double p)
{
    double ta = FLOAT_SPLIT * a, a_hi = ta - (ta - a), a_lo = a - a_hi;
    double tb = FLOAT_SPLIT * b, b_hi = tb - (tb - b), b_lo = b - b_hi;

    return ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo;
}

/* 0 <= |v| < FLOAT_FIXED_LIMIT rounded to |prec| decimals: value = whole + frac / 10^decimals. */
struct fixed {
    uint64_t whole;
    uint64_t frac;
    int decimals;               /* min(prec, FLOAT_DIGITS_MAX); the rest print as zeros */
};

static struct fixed round_fixed(double v, int prec)
{
    struct fixed r = { (uint64_t)v, 0, prec < FLOAT_DIGITS_MAX ? prec : FLOAT_DIGITS_MAX };
    uint64_t scale = pow10_int(r.decimals);
    double frac = v - (double)r.whole;                  /* exact */
    double scaled = frac * (double)scale;

    r.frac = (uint64_t)scaled;
    /* How far past the halfway point, with the multiplication's rounding error put back. */
    double past_half = (scaled - (double)r.frac - 0.5) + product_error(frac, (double)scale, scaled);
    uint64_t last = r.decimals ? r.frac : r.whole;
    if (past_half > 0 || (past_half == 0 && (last & 1)))
        r.frac++;
    if (r.frac >= scale) {
        r.frac -= scale;
        r.whole++;
    }
    return r;
}

/* |v| rounded to |nsig| (1..FLOAT_DIGITS_MAX) significant digits: v = digits * 10^(exp10 + 1 - nsig). */
struct decimal {
    uint64_t digits;
    int exp10;
};

static struct decimal round_significant(double v, int nsig)
{
    uint64_t low = pow10_int(nsig - 1);         /* the smallest number of |nsig| digits */
    int e;
    double m = normalize(v, &e);

    for (;;) {
        int decimals = nsig - 1 - e;
        bool direct = v < FLOAT_FIXED_LIMIT && decimals >= 0 && decimals <= FLOAT_DIGITS_MAX;
        struct fixed r = direct ? round_fixed(v, decimals) : round_fixed(m, nsig - 1);
        uint64_t digits = r.whole * pow10_int(r.decimals) + r.frac;

        if (digits >= low * 10)                 /* 9.99... rounded up to 10 */
            return (struct decimal){ digits / 10, e + 1 };
        if (digits >= low || v == 0 || !direct)
            return (struct decimal){ digits, e };
        e--;                                    /* |v| was just below a power of ten */
    }
}

static void body_fixed(struct body *b, struct fixed r, int prec, bool alt)
{
    body_uint(b, r.whole, 1);
    if (prec > 0 || alt)
        body_add(b, '.');
    if (r.decimals > 0)
        body_uint(b, r.frac, r.decimals);
    for (int i = r.decimals; i < prec; i++)
        body_add(b, '0');
}

/* %f: past FLOAT_FIXED_LIMIT, the first FLOAT_DIGITS_MAX digits and then zeros. */
static void body_f(struct body *b, double v, int prec, bool alt)
{
    struct decimal d;

    if (v < FLOAT_FIXED_LIMIT) {
        body_fixed(b, round_fixed(v, prec), prec, alt);
        return;
    }
    d = round_significant(v, FLOAT_DIGITS_MAX);
    body_uint(b, d.digits, 1);
    for (int i = FLOAT_DIGITS_MAX; i <= d.exp10; i++)
        body_add(b, '0');
    if (prec > 0 || alt)
        body_add(b, '.');
    for (int i = 0; i < prec; i++)
        body_add(b, '0');
}

/* %e of |d| (|nsig| digits): d.ddd, zeros up to |prec| decimals, then e+XX. */
static void body_e_of(struct body *b, struct decimal d, int nsig, int prec, bool alt, bool upper)
{
    uint64_t first = pow10_int(nsig - 1);

    body_uint(b, d.digits / first, 1);
    if (prec > 0 || alt)
        body_add(b, '.');
    if (nsig > 1)
        body_uint(b, d.digits % first, nsig - 1);
    for (int i = nsig - 1; i < prec; i++)
        body_add(b, '0');
    body_add(b, upper ? 'E' : 'e');
    body_add(b, d.exp10 < 0 ? '-' : '+');
    body_uint(b, (uint64_t)(d.exp10 < 0 ? -d.exp10 : d.exp10), 2);
}

static int significant(int digits)
{
    return digits < FLOAT_DIGITS_MAX ? digits : FLOAT_DIGITS_MAX;
}

/* %g without '#': drop trailing zeros of the fraction, and the '.' if nothing is left. */
static void strip_zeros(struct body *b)
{
    int end = 0, exp_start, has_point = 0;

    while (end < b->n && b->c[end] != 'e' && b->c[end] != 'E')
        has_point |= b->c[end++] == '.';
    if (!has_point)
        return;
    exp_start = end;
    while (b->c[end - 1] == '0')
        end--;
    if (b->c[end - 1] == '.')
        end--;
    for (int i = exp_start; i < b->n; i++)      /* move the exponent down */
        b->c[end + i - exp_start] = b->c[i];
    b->n = end + b->n - exp_start;
}

/* %g: |prec| significant digits, as %e when the exponent is below -4 or not below |prec|. */
static void body_g(struct body *b, double v, int prec, bool alt, bool upper)
{
    int p = prec ? prec : 1;
    struct decimal d = round_significant(v, significant(p));

    if (d.exp10 < FLOAT_G_MIN_EXP10 || d.exp10 >= p)
        body_e_of(b, d, significant(p), p - 1, alt, upper);
    else
        body_f(b, v, p - 1 - d.exp10, alt);
    if (!alt)
        strip_zeros(b);
}

void put_double(struct sink *o, const struct spec *sp, char conv, double v)
{
    bool upper = conv == 'F' || conv == 'E' || conv == 'G';
    int prec = sp->precision < 0 ? FLOAT_DEFAULT_PRECISION : sp->precision;
    const char *sign = sign_of(sp, __builtin_signbit(v));
    struct spec field = *sp;
    struct body b;

    b.n = 0;
    v = __builtin_fabs(v);
    if (prec > FLOAT_PRECISION_MAX)
        prec = FLOAT_PRECISION_MAX;
    if (__builtin_isnan(v) || __builtin_isinf(v)) {
        for (const char *w = __builtin_isnan(v) ? "nan" : "inf"; *w; w++)
            body_add(&b, upper ? (char)(*w - 'a' + 'A') : *w);
        field.zero = false;     /* C: no zero padding for inf and nan */
    } else if (conv == 'f' || conv == 'F') {
        body_f(&b, v, prec, sp->alt);
    } else if (conv == 'e' || conv == 'E') {
        body_e_of(&b, round_significant(v, significant(prec + 1)), significant(prec + 1),
                  prec, sp->alt, upper);
    } else {
        body_g(&b, v, prec, sp->alt, upper);
    }
    put_field(o, &field, sign, 0, b.c, b.n);
}
