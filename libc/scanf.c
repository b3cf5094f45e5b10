/*
 * scanf.c: the scanf family: scanf, fscanf, sscanf and their v forms.
 *
 * Input comes through a |scan_in| (scan_input.c): a FILE read with fgetc,
 * or a string, with one character of look-ahead that goes back (ungetc)
 * when the scan ends.  A number is first collected as text, the longest run that can
 * still begin a number of its kind (bounded by the field width), and then
 * converted by strtoll, strtoull or strtod, so scanf reads numbers exactly
 * as those functions do (correctly rounded floats included).  The text
 * lives in a small buffer that moves to the heap only for numbers longer
 * than SCAN_TOKEN_SMALL characters.
 *
 * Conversions: %d %i %u %o %x %X %p %f %e %g %a (and upper case) %c %s %[
 * %n %%, with '*' (read, do not store), a width, and hh h l ll j z t L.
 * Where C leaves a choice, glibc's: "100ergs" read with %f gives 100 (the
 * "e" is consumed), a %c that meets the end early stores what it read,
 * "0x" alone is no float but is the integer 0 for %x.  The result is the
 * count of stored conversions, or EOF when the input ended before anything
 * was stored.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include "libc/scan.h"

/* A parsed conversion: '*', width (0: none), length modifier and letter. */
struct scan_spec {
    bool suppress;
    long width;
    char length;                /* 'H' (hh), 'h', 0, 'l' (l ll j z t), 'L' */
    char conv;
};

static const char *parse_scan_spec(const char *fmt, struct scan_spec *sp)
{
    sp->suppress = *fmt == '*';
    fmt += sp->suppress;
    sp->width = 0;
    for (; isdigit((unsigned char)*fmt); fmt++)
        if (sp->width < LONG_MAX / 10)
            sp->width = sp->width * 10 + (*fmt - '0');
    sp->length = 0;
    if (*fmt == 'h')
        sp->length = *++fmt == 'h' ? (fmt++, 'H') : 'h';
    else if (*fmt == 'L')
        sp->length = *fmt++;
    else
        for (; *fmt == 'l' || *fmt == 'j' || *fmt == 'z' || *fmt == 't'; fmt++)
            sp->length = 'l';
    sp->conv = *fmt;
    return fmt;
}

static void store_integer(const struct scan_spec *sp, va_list *ap, unsigned long long v)
{
    switch (sp->length) {
    case 'H': *va_arg(*ap, char *) = (char)v; break;
    case 'h': *va_arg(*ap, short *) = (short)v; break;
    case 'l': case 'L': *va_arg(*ap, long *) = (long)v; break;
    default: *va_arg(*ap, int *) = (int)v; break;
    }
}

static int base_of(char conv)
{
    return conv == 'd' || conv == 'u' ? 10 : conv == 'o' ? 8 : conv == 'i' ? 0 : 16;
}

/* %d %i %u %o %x %X %p: false on a matching failure. */
static bool scan_integer(struct scan_in *in, const struct scan_spec *sp, va_list *ap)
{
    struct token t;
    char *end;
    unsigned long long v;
    int base = base_of(sp->conv);

    token_init(&t);
    scan_integer_text(in, &t, sp->width ? sp->width : LONG_MAX, base);
    v = sp->conv == 'd' || sp->conv == 'i' ? (unsigned long long)strtoll(t.buf, &end, base)
                                           : strtoull(t.buf, &end, base);
    bool ok = !t.failed && end != t.buf;
    token_free(&t);
    if (ok && !sp->suppress) {
        if (sp->conv == 'p')
            *va_arg(*ap, void **) = (void *)(uintptr_t)v;
        else
            store_integer(sp, ap, v);
    }
    return ok;
}

/*
 * %f %e %g %a: what strtod reads of the text; only a cut-short exponent
 * may follow it, or the "x." of "0x.", which glibc reads as zero.
 */
static bool scan_float(struct scan_in *in, const struct scan_spec *sp, va_list *ap)
{
    struct token t;
    char *end;
    double v;

    token_init(&t);
    scan_float_text(in, &t, sp->width ? sp->width : LONG_MAX);
    v = strtod(t.buf, &end);
    bool ok = !t.failed && end != t.buf &&
              (*end == '\0' || strchr("eEpP", *end) || strcmp(end, "x.") == 0 || strcmp(end, "X.") == 0);
    token_free(&t);
    if (ok && !sp->suppress) {
        if (sp->length == 'L')
            *va_arg(*ap, long double *) = v;
        else if (sp->length == 'l')
            *va_arg(*ap, double *) = v;
        else
            *va_arg(*ap, float *) = (float)v;
    }
    return ok;
}

/* The set of a %[...] conversion: |set|[c] for each byte; returns the ']' that ends it. */
static const char *parse_set(const char *fmt, bool set[256])
{
    bool invert = *fmt == '^';
    const unsigned char *p = (const unsigned char *)fmt + invert;

    memset(set, 0, 256 * sizeof set[0]);
    if (*p == ']')
        set[*p++] = true;       /* a ']' first is one of the set */
    for (; *p && *p != ']'; p++) {
        if (p[0] == '-' && p[-1] != '[' && p[1] && p[1] != ']' && p[-1] <= p[1])
            for (int c = p[-1]; c <= p[1]; c++)
                set[c] = true;
        else
            set[*p] = true;
    }
    for (int c = 0; invert && c < 256; c++)
        set[c] = !set[c];
    return (const char *)p;
}

/*
 * %c (|set| NULL and |stop_at_space| false), %s (stops at space) and %[ ]
 * (characters of |set|): stores what it reads, NUL-terminated except for %c.
 * Returns how many characters it took.
 */
static long scan_chars(struct scan_in *in, const struct scan_spec *sp, va_list *ap,
                       const bool *set, bool stop_at_space)
{
    long width = sp->width ? sp->width : sp->conv == 'c' ? 1 : LONG_MAX, n = 0;
    char *dst = sp->suppress ? NULL : va_arg(*ap, char *);
    int c;

    while (n < width && (c = scan_peek(in)) != EOF) {
        if ((stop_at_space && isspace(c)) || (set && !set[c]))
            break;
        if (dst)
            dst[n] = (char)c;
        scan_take(in);
        n++;
    }
    if (dst && sp->conv != 'c' && n > 0)
        dst[n] = '\0';
    return n;
}

enum scan_result { SCAN_OK, SCAN_MISMATCH, SCAN_END_OF_INPUT };

/* One conversion at |fmt| (the letter; a set moves it to its ']'). */
static enum scan_result convert_one(struct scan_in *in, const char **fmt, const struct scan_spec *sp,
                                    va_list *ap, int *stored)
{
    bool set[256], ok;
    char c = sp->conv;

    if (c == 'n') {
        if (!sp->suppress)
            store_integer(sp, ap, (unsigned long long)in->taken);
        return SCAN_OK;
    }
    if (c != 'c' && c != '[')
        scan_skip_space(in);
    if (scan_peek(in) == EOF)
        return SCAN_END_OF_INPUT;
    if (c && strchr("diuoxXp", c))
        ok = scan_integer(in, sp, ap);
    else if (c && strchr("feEgGaAF", c))
        ok = scan_float(in, sp, ap);
    else if (c == 'c' || c == 's')
        ok = scan_chars(in, sp, ap, NULL, c == 's') > 0;
    else if (c == '[' && *(*fmt = parse_set(*fmt + 1, set)) == ']')
        ok = scan_chars(in, sp, ap, set, false) > 0;
    else
        return SCAN_MISMATCH;   /* an unknown conversion, or a set with no ']' */
    *stored += ok && !sp->suppress;
    return ok ? SCAN_OK : SCAN_MISMATCH;
}

/* A character of the format other than a conversion: space skips space, the rest must match. */
static enum scan_result match_literal(struct scan_in *in, char f)
{
    if (isspace((unsigned char)f)) {
        scan_skip_space(in);
        return SCAN_OK;
    }
    if (f == '%')               /* "%%" */
        scan_skip_space(in);
    if (scan_peek(in) == EOF)
        return SCAN_END_OF_INPUT;
    if (scan_peek(in) != (unsigned char)f)
        return SCAN_MISMATCH;
    scan_take(in);
    return SCAN_OK;
}

/*
 * The scan itself: stops at the first failure.  EOF when the input ended
 * before anything was stored (glibc counts a '*' conversion as nothing),
 * the count of stored conversions otherwise.
 */
static int scan(struct scan_in *in, const char *fmt, va_list ap_in)
{
    enum scan_result r = SCAN_OK;
    int stored = 0;
    va_list ap;

    va_copy(ap, ap_in);
    for (; *fmt && r == SCAN_OK; fmt++) {
        struct scan_spec sp;

        if (*fmt != '%' || fmt[1] == '%') {
            fmt += *fmt == '%';
            r = match_literal(in, *fmt);
            continue;
        }
        fmt = parse_scan_spec(fmt + 1, &sp);
        r = convert_one(in, &fmt, &sp, &ap, &stored);
        if (!*fmt)
            break;              /* a format cut short after the '%' */
    }
    va_end(ap);
    if (in->f && in->ahead != NO_AHEAD && in->ahead != EOF)
        ungetc(in->ahead, in->f);
    return r == SCAN_END_OF_INPUT && stored == 0 ? EOF : stored;
}

int vfscanf(FILE *f, const char *fmt, va_list ap)
{
    struct scan_in in = { f, NULL, NO_AHEAD, 0 };

    return scan(&in, fmt, ap);
}

int vsscanf(const char *s, const char *fmt, va_list ap)
{
    struct scan_in in = { NULL, s, NO_AHEAD, 0 };

    return scan(&in, fmt, ap);
}

int vscanf(const char *fmt, va_list ap)
{
    return vfscanf(stdin, fmt, ap);
}

int fscanf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfscanf(f, fmt, ap);
    va_end(ap);
    return n;
}

int sscanf(const char *s, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsscanf(s, fmt, ap);
    va_end(ap);
    return n;
}

int scanf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfscanf(stdin, fmt, ap);
    va_end(ap);
    return n;
}
