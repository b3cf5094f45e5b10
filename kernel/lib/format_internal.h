/*
 * format_internal.h: what format.c shares with format_float.c: the output
 * sink, a parsed conversion spec and the field layout helpers.  Not for
 * other users: they call kvformat and friends (kprintf.h).
 */
#ifndef EMBER_FORMAT_INTERNAL_H
#define EMBER_FORMAT_INTERNAL_H

#include <stdbool.h>

#define NUM_DIGITS_MAX 24       /* 64 bits in octal need 22 */

struct sink {
    void (*put)(void *ctx, char c);
    void *ctx;
    int len;                    /* characters produced so far */
};

static inline void put(struct sink *o, char c)
{
    o->put(o->ctx, c);
    o->len++;
}

static inline void pad(struct sink *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

enum length { LEN_CHAR, LEN_SHORT, LEN_INT, LEN_LONG };

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

/* Lays out |body| (|n| chars) after |prefix| and |zeros| zeros, padded to the width. */
void put_field(struct sink *o, const struct spec *sp, const char *prefix, int zeros,
               const char *body, int n);
/* "-", "+", " " or "" for a number of that sign, as the flags ask. */
const char *sign_of(const struct spec *sp, bool negative);
/* A floating-point conversion |conv| (f F e E g G) of |v| (format_float.c). */
void put_double(struct sink *o, const struct spec *sp, char conv, double v);

#endif
