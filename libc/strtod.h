/*
 * strtod.h (libc-internal): what strtod.c shares with strtod_big.c, the
 * exact conversion of a decimal or binary significand to a double.
 */
#ifndef EMBER_LIBC_STRTOD_H
#define EMBER_LIBC_STRTOD_H

#include <stdbool.h>
#include <stdint.h>

#define DIGITS_KEPT     800     /* more than the 767 a halfway point between doubles can need */

/* A decimal number D * 10^exp10, D being digits[0 .. ndigits) (values 0-9, no leading zero). */
struct decimal_text {
    uint8_t digits[DIGITS_KEPT + 1];    /* + 1: room for the digit standing for the dropped ones */
    int ndigits;
    long exp10;
    bool dropped_nonzero;       /* a digit past DIGITS_KEPT was not 0 */
};

/* |t| as the nearest double, ties to even; *|range| = ERANGE on overflow or underflow. */
double big_decimal_to_double(const struct decimal_text *t, int *range);

/*
 * m * 2^e2 as the nearest double, where |sticky| says the true value is a
 * little above m * 2^e2 (bits were cut below m).  *|range| = ERANGE when the
 * result is infinite, or zero or subnormal and inexact.
 */
double make_double(uint64_t m, long e2, bool sticky, int *range);

#endif
