/*
 * strtol.c: strtol, strtoul, strtoll, strtoull, atoi, atol.
 *
 * All four parse with parse_magnitude (space, sign, prefix, digits) and then
 * clamp the magnitude to their type's range, as C says: out of range gives
 * the nearest limit and ERANGE in errno, and the unsigned ones negate a '-'
 * value in their own type ("-1" is ULONG_MAX).  A base C does not allow
 * parses nothing and sets EINVAL, as glibc does.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

#define BASE_MAX 36             /* digits 0-9 then a-z */

struct parsed {
    unsigned long long magnitude;
    bool negative;
    bool overflow;              /* the digits went past ULLONG_MAX */
};

/* The value of digit |ch| in any base up to 36, or BASE_MAX when it is not a digit. */
static int digit_value(char ch)
{
    int c = (unsigned char)ch;

    if (isdigit(c))
        return c - '0';
    if (isalpha(c))
        return tolower(c) - 'a' + 10;
    return BASE_MAX;
}

/* A "0x" prefix counts only when a hex digit follows: "0xg" is the number 0 and then "xg". */
static bool has_hex_prefix(const char *s)
{
    return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16;
}

static struct parsed parse_magnitude(const char *s, char **end, int base)
{
    struct parsed p = { 0, false, false };
    const char *start = s, *digits;

    if (base < 0 || base == 1 || base > BASE_MAX) {
        errno = EINVAL;
        if (end)
            *end = (char *)start;
        return p;
    }

    while (isspace((unsigned char)*s))
        s++;
    if (*s == '+' || *s == '-')
        p.negative = *s++ == '-';
    if ((base == 0 || base == 16) && has_hex_prefix(s)) {
        s += 2;
        base = 16;
    } else if (base == 0) {
        base = *s == '0' ? 8 : 10;
    }
    for (digits = s; base >= 2 && base <= BASE_MAX && digit_value(*s) < base; s++) {
        unsigned long long next = p.magnitude * (unsigned)base + (unsigned)digit_value(*s);

        if (p.magnitude > (ULLONG_MAX - (unsigned)digit_value(*s)) / (unsigned)base)
            p.overflow = true;
        p.magnitude = next;
    }
    if (end)
        *end = (char *)(s == digits ? start : s);       /* no digits: nothing was parsed */
    if (s == digits)
        p.magnitude = 0;
    return p;
}

/* A signed result within [-(max + 1), max]. */
static long long clamp_signed(struct parsed p, long long max)
{
    unsigned long long limit = (unsigned long long)max + (p.negative ? 1 : 0);

    if (p.overflow || p.magnitude > limit) {
        errno = ERANGE;
        return p.negative ? -max - 1 : max;
    }
    return p.negative ? (long long)(0 - p.magnitude) : (long long)p.magnitude;
}

/* An unsigned result within [0, max]; a '-' negates it modulo max + 1. */
static unsigned long long clamp_unsigned(struct parsed p, unsigned long long max)
{
    if (p.overflow || p.magnitude > max) {
        errno = ERANGE;
        return max;
    }
    return p.negative ? (0 - p.magnitude) & max : p.magnitude;
}

long long strtoll(const char *s, char **end, int base)
{
    return clamp_signed(parse_magnitude(s, end, base), LLONG_MAX);
}

long strtol(const char *s, char **end, int base)
{
    return clamp_signed(parse_magnitude(s, end, base), LONG_MAX);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
    return clamp_unsigned(parse_magnitude(s, end, base), ULLONG_MAX);
}

unsigned long strtoul(const char *s, char **end, int base)
{
    return clamp_unsigned(parse_magnitude(s, end, base), ULONG_MAX);
}

/* C: atoi and atol leave errno alone. */
int atoi(const char *s)
{
    int saved = errno;
    int v = (int)clamp_signed(parse_magnitude(s, NULL, 10), INT_MAX);

    errno = saved;
    return v;
}

long atol(const char *s)
{
    int saved = errno;
    long v = strtol(s, NULL, 10);

    errno = saved;
    return v;
}

int abs(int v)
{
    return v < 0 ? -v : v;
}

long labs(long v)
{
    return v < 0 ? -v : v;
}
