/*
 * format.c: the printf-style formatter shared by the kernel and libc.
 *
 * kvformat walks the format and hands every output character to a callback,
 * so one formatter serves a string (kvsnprintf), the kernel's serial log and
 * libc's FILEs.  kvsnprintf writes at most |size| bytes including the
 * terminating NUL and returns the length the full output would have had, as
 * C's vsnprintf does.  The file is pure (no I/O, no allocation), so
 * tests/unit/test_format.c runs it on the host under the sanitizers.
 *
 * Floating point (%f %e %g) is format_float.c, built into libc only: the
 * kernel is built with -mgeneral-regs-only and must never touch an FPU
 * register.  This file calls it when FORMAT_FLOAT is defined (libc's build).
 */
#include <stdint.h>
#include <stdbool.h>
#include "kernel/lib/format_internal.h"
#include "kernel/lib/kprintf.h"


static int str_len(const char *s)
{
    int n = 0;

    while (s[n])
        n++;
    return n;
}

/*
 * Writes one field: |prefix| (a sign or "0x"), |zeros| leading zeros, then
 * the |n| characters of |body|, padded to the width.  The '0' flag pads
 * between the prefix and the body, so "-0x" style output stays readable.
 */
void put_field(struct sink *o, const struct spec *sp, const char *prefix, int zeros,
               const char *body, int n)
{
    int plen = str_len(prefix);
    int len = plen + (zeros > 0 ? zeros : 0) + n;

    if (!sp->left && !sp->zero)
        pad(o, ' ', sp->width - len);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    if (!sp->left && sp->zero)
        pad(o, '0', sp->width - len);
    pad(o, '0', zeros);
    for (int i = 0; i < n; i++)
        put(o, body[i]);
    if (sp->left)
        pad(o, ' ', sp->width - len);
}

static void put_str(struct sink *o, const struct spec *sp, const char *s)
{
    struct spec plain = *sp;
    int n = 0;

    if (!s)
        s = "(null)";
    while ((sp->precision < 0 || n < sp->precision) && s[n])   /* precision first: s may have no NUL */
        n++;
    plain.zero = false;         /* strings pad with spaces whatever the flags say */
    put_field(o, &plain, "", 0, s, n);
}

/*
 * Digits of |v| in |base| after |prefix|.  A precision is the minimum number
 * of digits (and turns the '0' flag off, as in C); '#' adds 0x to non-zero
 * hex and makes octal start with 0.
 */
static void put_unsigned(struct sink *o, struct spec sp, uint64_t v, unsigned base, bool upper,
                         const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[NUM_DIGITS_MAX];
    int start = NUM_DIGITS_MAX, zeros = 0;

    if (sp.alt && base == 16 && v != 0)
        prefix = upper ? "0X" : "0x";
    for (uint64_t rest = v; start == NUM_DIGITS_MAX || rest; rest /= base)
        tmp[--start] = digits[rest % base];
    if (sp.precision == 0 && v == 0)
        start = NUM_DIGITS_MAX;         /* C: "%.0d" of 0 prints no digits */
    if (sp.precision >= 0) {
        sp.zero = false;
        zeros = sp.precision - (NUM_DIGITS_MAX - start);
    }
    if (sp.alt && base == 8 && zeros <= 0 && (start == NUM_DIGITS_MAX || tmp[start] != '0'))
        tmp[--start] = '0';
    put_field(o, &sp, prefix, zeros, tmp + start, NUM_DIGITS_MAX - start);
}

/* Reads an integer argument of the size the length modifier names. */
static uint64_t arg_unsigned(va_list *ap, enum length length)
{
    switch (length) {
    case LEN_CHAR:  return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG:  return va_arg(*ap, unsigned long);
    default:        return va_arg(*ap, unsigned int);
    }
}

static int64_t arg_signed(va_list *ap, enum length length)
{
    switch (length) {
    case LEN_CHAR:  return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG:  return va_arg(*ap, long);
    default:        return va_arg(*ap, int);
    }
}

const char *sign_of(const struct spec *sp, bool negative)
{
    return negative ? "-" : sp->plus ? "+" : sp->space ? " " : "";
}

static void put_signed(struct sink *o, const struct spec *sp, int64_t v)
{
    uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;

    put_unsigned(o, *sp, magnitude, 10, false, sign_of(sp, v < 0));
}


/* Parses flags, width, precision and length after a '%'; returns where the conversion letter is. */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
    for (;; fmt++) {
        if (*fmt == '-')
            sp->left = true;
        else if (*fmt == '0')
            sp->zero = true;
        else if (*fmt == '+')
            sp->plus = true;
        else if (*fmt == ' ')
            sp->space = true;
        else if (*fmt == '#')
            sp->alt = true;
        else
            break;
    }
    if (*fmt == '*') {
        int w = va_arg(*ap, int);
        sp->left |= w < 0;                      /* C: a negative width is the '-' flag */
        sp->width = w < 0 ? (int)(0u - (unsigned)w) : w;
        fmt++;
    }
    for (; *fmt >= '0' && *fmt <= '9'; fmt++)
        sp->width = sp->width * 10 + (*fmt - '0');
    if (*fmt == '.') {
        sp->precision = 0;
        if (*++fmt == '*') {
            int p = va_arg(*ap, int);
            sp->precision = p < 0 ? -1 : p;     /* C: a negative precision is none */
            fmt++;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            sp->precision = sp->precision * 10 + (*fmt - '0');
    }
    if (*fmt == 'h')
        sp->length = *++fmt == 'h' ? (fmt++, LEN_CHAR) : LEN_SHORT;
    for (; *fmt == 'l' || *fmt == 'z' || *fmt == 'j' || *fmt == 't'; fmt++)
        sp->length = LEN_LONG;
    return fmt;
}

/* One conversion; |c| is its letter.  Unknown letters print as written. */
static void convert(struct sink *o, const struct spec *sp, char c, va_list *ap)
{
    switch (c) {
    case 'd':
    case 'i': put_signed(o, sp, arg_signed(ap, sp->length)); break;
    case 'u': put_unsigned(o, *sp, arg_unsigned(ap, sp->length), 10, false, ""); break;
    case 'x': put_unsigned(o, *sp, arg_unsigned(ap, sp->length), 16, false, ""); break;
    case 'X': put_unsigned(o, *sp, arg_unsigned(ap, sp->length), 16, true, ""); break;
    case 'o': put_unsigned(o, *sp, arg_unsigned(ap, sp->length), 8, false, ""); break;
    case 'p': put_unsigned(o, *sp, (uintptr_t)va_arg(*ap, void *), 16, false, "0x"); break;
    case 's': put_str(o, sp, va_arg(*ap, const char *)); break;
    case 'c': {
        char ch = (char)va_arg(*ap, int);       /* may be 0: one NUL byte, as in C */
        struct spec plain = *sp;

        plain.zero = false;
        put_field(o, &plain, "", 0, &ch, 1);
        break;
    }
#ifdef FORMAT_FLOAT
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
        put_double(o, sp, c, va_arg(*ap, double));
        break;
#endif
    case '%': put(o, '%'); break;
    default: put(o, '%'); put(o, c); break;
    }
}

int kvformat(void (*put_char)(void *ctx, char c), void *ctx, const char *fmt, va_list ap_in)
{
    struct sink o = { put_char, ctx, 0 };
    va_list ap;

    va_copy(ap, ap_in);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        struct spec sp = { .precision = -1, .length = LEN_INT };

        fmt = parse_spec(fmt + 1, &sp, &ap);
        if (*fmt == '\0')
            break;                      /* a lone '%' at the end */
        convert(&o, &sp, *fmt, &ap);
    }
    va_end(ap);
    return o.len;
}

/* kvsnprintf's sink: stores while there is room, always leaving one byte for the NUL. */
struct buffer {
    char *buf;
    size_t size;
    size_t len;
};

static void buffer_put(void *ctx, char c)
{
    struct buffer *b = ctx;

    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = { buf, size, 0 };
    int n = kvformat(buffer_put, &b, fmt, ap);

    if (size)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
