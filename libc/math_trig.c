/*
 * math_trig.c: sin, cos and atan2 on the x87.
 *
 * fsin and fcos reduce their argument with a 66-bit pi of their own, which
 * is not enough near multiples of pi (sin(M_PI) would lose most of its
 * digits).  So the argument is reduced here first, Cody and Waite's way:
 * x - k * pi/2 with pi/2 cut into three pieces (32 + 32 + 64 bits), each
 * product k * piece exact in extended precision for k below 2^32; fsin
 * and fcos then see |r| <= pi/4, where they are accurate.  Past |x| = 2^31
 * the argument is reduced by fprem1 with a 64-bit 2 pi: in range, but with
 * most digits lost (documented in math.h).
 * fpatan handles atan2's signs, zeros and infinities itself.
 */
#include <errno.h>
#include <math.h>

#define PI_2_HI     0xc90fdaa200000000p-63L     /* pi/2 to 32 bits */
#define PI_2_MID    0x85a308d300000000p-97L     /* the next 32 bits */
#define PI_2_LO     0x98cc51701b839a25p-132L    /* and 64 more */
#define TWO_OVER_PI 0xa2f9836e4e44152ap-64L
#define REDUCE_MAX  2147483648.0                /* 2^31: k stays below 2^32 */
#define TWO_PI      0xc90fdaa22168c235p-61L     /* 2 pi to 64 bits */

/* |x| modulo 2 pi with the x87's pi: far from exact for huge |x|, but in range for fsin. */
static long double reduce_roughly(long double x)
{
    __asm__("1: fprem1\n\t"
            "fnstsw %%ax\n\t"
            "testb $4, %%ah\n\t"
            "jnz 1b" : "+t"(x) : "u"(TWO_PI) : "ax", "cc");
    return x;
}

static long double x87_sin(long double x)
{
    __asm__("fsin" : "+t"(x));
    return x;
}

static long double x87_cos(long double x)
{
    __asm__("fcos" : "+t"(x));
    return x;
}

/* x - k * pi/2 with |result| <= pi/4; *|quadrant| = k mod 4. */
static long double reduce(double x, int *quadrant)
{
    long double k = (long double)x * TWO_OVER_PI;

    __asm__("frndint" : "+t"(k));
    *quadrant = (int)((long long)k & 3);
    return (((long double)x - k * PI_2_HI) - k * PI_2_MID) - k * PI_2_LO;
}

/* sin (|cosine| 0) or cos (1) of |x|: quadrant q of sin is quadrant q + 1 of cos. */
static double sin_cos(double x, int cosine)
{
    int q;
    long double r;

    if (isnan(x))
        return x;
    if (isinf(x)) {
        errno = EDOM;
        return NAN;
    }
    if (x == 0)
        return cosine ? 1 : x;          /* keeps sin(-0) = -0 */
    if (fabs(x) >= REDUCE_MAX)
        return (double)(cosine ? x87_cos(reduce_roughly(x)) : x87_sin(reduce_roughly(x)));
    r = reduce(x, &q);
    q = (q + cosine) & 3;
    r = q & 1 ? x87_cos(r) : x87_sin(r);
    return (double)(q & 2 ? -r : r);
}

double sin(double x)
{
    return sin_cos(x, 0);
}

double cos(double x)
{
    return sin_cos(x, 1);
}

double atan2(double y, double x)
{
    long double r;

    if (isnan(x) || isnan(y))
        return x + y;
    __asm__("fpatan" : "=t"(r) : "0"((long double)x), "u"((long double)y) : "st(1)");
    return (double)r;
}
