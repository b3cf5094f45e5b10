/*
 * format_internal.h: what format.c shares with format_float.c: the output
 * sink, a parsed conversion spec and the field layout helpers.  Not for
 * other users: they call kvformat and friends (kprintf.h).
 */
#ifndef EMBER_FORMAT_INTERNAL_H
#define EMBER_FORMAT_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#define NUM_DIGITS_MAX  24      /* 64 bits in octal need 22 */
#define FORMAT_LEN_MAX  0x7fffffff      /* INT_MAX: the most a printf can report */

/*
 * Where characters go.  |len| counts them; once the count would pass
 * FORMAT_LEN_MAX nothing more is produced and |overflow| is set, so a huge
 * width or precision costs nothing past that point (C: EOVERFLOW).
 */
struct sink {
    void (*put)(void *ctx, char c);
    void *ctx;
    int len;                    /* characters produced so far */
    bool overflow;              /* the output would pass FORMAT_LEN_MAX */
};

static inline int text_len(const char *s)
{
    int n = 0;

    while (s[n])
        n++;
    return n;
}

static inline void put(struct sink *o, char c)
{
    if (o->overflow || o->len == FORMAT_LEN_MAX) {
        o->overflow = true;
        return;
    }
    o->put(o->ctx, c);
    o->len++;
}

static inline void pad(struct sink *o, char c, long long n)
{
    if (n > (long long)FORMAT_LEN_MAX - o->len)
        o->overflow = true;
    while (n-- > 0 && !o->overflow)
        put(o, c);
}

enum length { LEN_CHAR, LEN_SHORT, LEN_INT, LEN_LONG, LEN_LONG_DOUBLE };

struct spec {
    bool left;          /* '-' flag */
    bool zero;          /* '0' flag */
    bool plus;          /* '+' flag: signed conversions show '+' */
    bool space;         /* ' ' flag: signed conversions show ' ' */
    bool alt;           /* '#' flag: 0x for %x, a leading 0 for %o, the '.' for floats */
    int width;
    int precision;      /* -1: none */
    enum length length;
};

/*
 * A field of |len| characters (|prefix| included) padded to the width:
 * field_open writes the left padding and |prefix|, then the '0' flag's
 * zeros; the caller writes the rest; field_close the right padding.
 */
void field_open(struct sink *o, const struct spec *sp, const char *prefix, long long len);
void field_close(struct sink *o, const struct spec *sp, long long len);
/* Lays out |body| (|n| chars) after |prefix| and |zeros| zeros, padded to the width. */
void put_field(struct sink *o, const struct spec *sp, const char *prefix, int zeros,
               const char *body, int n);
/* "-", "+", " " or "" for a number of that sign, as the flags ask. */
const char *sign_of(const struct spec *sp, bool negative);
/* A floating-point conversion |conv| (f F e E g G a A) of the next argument (format_float.c). */
void put_float(struct sink *o, const struct spec *sp, char conv, va_list *ap);
/* %f %e %g (|conv|, either case) of m * 2^|e2| after |sign|, exact (format_decimal.c). */
void put_decimal(struct sink *o, const struct spec *sp, char conv, const char *sign,
                 uint64_t m, int e2);

#endif
