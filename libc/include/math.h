/*
 * math.h: a small <math.h> (libc/math.c, libc/math_trig.c).
 *
 * sqrt, fabs, floor, ceil and fmod are exact (correctly rounded, as C's
 * are).  exp, log, pow, sin, cos and atan2 are computed in the x87's 64-bit
 * extended precision and rounded once to double: within one unit in the
 * last place of the true value (checked against glibc in the host tests),
 * not always the nearest double.  sin and cos reduce their argument with a
 * 128-bit pi up to |x| = 2^31; past that they lose accuracy.  Domain errors
 * return NaN with errno EDOM; overflow HUGE_VAL and underflow 0 with ERANGE.
 */
#ifndef EMBER_MATH_H
#define EMBER_MATH_H

#define HUGE_VAL    __builtin_huge_val()
#define INFINITY    __builtin_inff()
#define NAN         __builtin_nanf("")
#define M_PI        3.14159265358979323846
#define M_E         2.7182818284590452354

#define isnan(x)    __builtin_isnan(x)
#define isinf(x)    __builtin_isinf_sign(x)
#define isfinite(x) __builtin_isfinite(x)
#define signbit(x)  __builtin_signbit(x)

double sqrt(double x);
double fabs(double x);
double floor(double x);
double ceil(double x);
double fmod(double x, double y);
double exp(double x);
double log(double x);
double pow(double x, double y);
double sin(double x);
double cos(double x);
double atan2(double y, double x);

#endif
