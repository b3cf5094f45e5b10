/*
 * format_float.c: the floating-point conversions of the shared formatter
 * (format.c), built into libc only: the kernel never touches the FPU.
 *
 * put_float takes the argument (a double, or with L a long double), splits
 * it into sign, integer m and power of two e2 so that |value| = m * 2^e2,
 * prints inf and nan itself, and hands finite numbers to %a below or to
 * put_decimal (format_decimal.c) for %f %e %g.  Both are exact: no
 * floating-point arithmetic touches the digits.
 *
 * %a writes m in hexadecimal the way glibc does: a double as 0x1.hhhp+E
 * (0x0.hhh for subnormals, 13 digits after the point at most), a long double
 * with its top four bits before the point (1.0L is 0x8p-3).  Without a
 * precision trailing zeros are dropped; with one, the digits are rounded to
 * nearest, ties to even.
 */
#include <stdint.h>
#include <stdbool.h>
#include "kernel/lib/format_internal.h"

#define DBL_FRAC_BITS       52
#define DBL_EXP_MASK        0x7ff
#define DBL_EXP_BIAS        1075        /* 1023 + 52: the exponent of m's lowest bit */
#define LDBL_EXP_MASK       0x7fff
#define LDBL_EXP_BIAS       16446       /* 16383 + 63 */
#define LDBL_SIGN_BIT       0x8000
#define HEX_LEAD_DBL        52          /* %a: the bits after the point in a double */
#define HEX_LEAD_LDBL       60          /* and in a long double */
#define HEX_EXP_BUF         8           /* "p+16384" */

/* A number as the formatter sees it: |value| = m * 2^e2, or inf or nan. */
struct binary {
    bool negative, inf, nan;
    uint64_t m;
    int e2;
    int frac_bits;              /* %a: bits of m after the hexadecimal point */
};

static struct binary split_double(double v)
{
    uint64_t bits;
    struct binary b = { .frac_bits = HEX_LEAD_DBL };

    __builtin_memcpy(&bits, &v, sizeof bits);
    int exp = (int)(bits >> DBL_FRAC_BITS) & DBL_EXP_MASK;
    b.negative = bits >> 63;
    b.m = bits & ((1ull << DBL_FRAC_BITS) - 1);
    b.inf = exp == DBL_EXP_MASK && b.m == 0;
    b.nan = exp == DBL_EXP_MASK && b.m != 0;
    if (exp != 0)
        b.m |= 1ull << DBL_FRAC_BITS;           /* the implicit leading 1 */
    b.e2 = (exp ? exp : 1) - DBL_EXP_BIAS;
    return b;
}

/* x86's 80-bit long double: a 64-bit m with its leading 1 explicit, then sign and exponent. */
static struct binary split_long_double(long double v)
{
    struct { uint64_t m; uint16_t sign_exp; } raw;
    struct binary b = { .frac_bits = HEX_LEAD_LDBL };

    __builtin_memcpy(&raw, &v, sizeof raw);
    int exp = raw.sign_exp & LDBL_EXP_MASK;
    b.negative = (raw.sign_exp & LDBL_SIGN_BIT) != 0;
    b.m = raw.m;
    b.inf = exp == LDBL_EXP_MASK && (b.m << 1) == 0;
    b.nan = exp == LDBL_EXP_MASK && (b.m << 1) != 0;
    b.e2 = (exp ? exp : 1) - LDBL_EXP_BIAS;
    return b;
}

static void put_inf_nan(struct sink *o, const struct spec *sp, const char *sign,
                        const struct binary *b, bool upper)
{
    const char *word = b->nan ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
    struct spec field = *sp;

    field.zero = false;         /* C: no zero padding for inf and nan */
    put_field(o, &field, sign, 0, word, 3);
}

/*
 * %a: the digit before the point (|lead|), |prec| hexadecimal digits after
 * it (|frac|), and the binary exponent.  Rounding can carry into |lead|
 * (glibc prints %.0a of 1.5 as 0x2p+0).
 */
static void put_hex(struct sink *o, const struct spec *sp, const char *sign,
                    const struct binary *b, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int nfrac = b->frac_bits / 4, prec = sp->precision;
    uint64_t lead = b->m >> b->frac_bits, frac = b->m & ((1ull << b->frac_bits) - 1);
    int exp = b->m ? b->e2 + b->frac_bits : 0;
    char prefix[4] = { 0 }, exp_text[HEX_EXP_BUF];
    int n = 0;

    if (prec < 0)               /* no precision: every digit up to the last non-zero one */
        for (prec = nfrac; prec > 0 && (frac >> (4 * (nfrac - prec)) & 0xf) == 0; prec--)
            ;
    if (prec < nfrac) {
        int cut = 4 * (nfrac - prec);
        uint64_t rest = frac & ((1ull << cut) - 1), half = 1ull << (cut - 1);
        uint64_t kept = frac >> cut;
        bool up = rest > half || (rest == half && ((prec ? kept : lead) & 1));

        frac = kept + (prec ? up : 0);
        lead += prec ? (frac >> (4 * prec)) : up;
        frac &= prec ? (1ull << (4 * prec)) - 1 : 0;
        nfrac = prec;
    }
    if (lead > 0xf) {           /* a long double's 0xf.f rounded up: 0x1.0, four bits higher */
        lead >>= 4;
        exp += 4;
    }
    for (unsigned e = (unsigned)(exp < 0 ? -exp : exp); n == 0 || e; e /= 10)
        exp_text[n++] = (char)('0' + e % 10);
    prefix[0] = sign[0];
    prefix[sign[0] ? 1 : 0] = '0';
    prefix[sign[0] ? 2 : 1] = upper ? 'X' : 'x';
    long long len = text_len(prefix) + 1 + (prec > 0 || sp->alt) + (long long)prec + 2 + n;
    field_open(o, sp, prefix, len);
    put(o, digits[lead]);
    if (prec > 0 || sp->alt)
        put(o, '.');
    for (int i = nfrac - 1; i >= 0 && i >= nfrac - prec; i--)
        put(o, digits[(frac >> (4 * i)) & 0xf]);
    pad(o, '0', (long long)prec - nfrac);
    put(o, upper ? 'P' : 'p');
    put(o, exp < 0 ? '-' : '+');
    while (n)
        put(o, exp_text[--n]);
    field_close(o, sp, len);
}

void put_float(struct sink *o, const struct spec *sp, char conv, va_list *ap)
{
    struct binary b = sp->length == LEN_LONG_DOUBLE ? split_long_double(va_arg(*ap, long double))
                                                    : split_double(va_arg(*ap, double));
    bool upper = conv == 'F' || conv == 'E' || conv == 'G' || conv == 'A';
    const char *sign = sign_of(sp, b.negative);

    if (b.inf || b.nan)
        put_inf_nan(o, sp, sign, &b, upper);
    else if (conv == 'a' || conv == 'A')
        put_hex(o, sp, sign, &b, upper);
    else
        put_decimal(o, sp, conv, sign, b.m, b.e2);
}
