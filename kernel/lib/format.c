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
 * Floating point (%f %e %g %a, and %L of each) is format_float.c, built
 * into libc only: the kernel is built with -mgeneral-regs-only and must never
 * touch an FPU register.  This file calls it when FORMAT_FLOAT is defined
 * (libc's build); in the kernel those letters are unknown conversions.
 *
 * C leaves some things open; the choices here:
 *   - an unknown conversion ("%y", "%5k") prints as written, from the '%'
 *     through the letter, and takes no argument (glibc does too);
 *   - a format that ends inside a conversion ("50%") prints that part as
 *     written, as glibc does;
 *   - %n is supported, with every length modifier, as in glibc;
 *   - a width, precision or output past INT_MAX stops the output and the
 *     call returns -1 (libc then sets errno to EOVERFLOW, as C says).
 */
#include <stdint.h>
#include <stdbool.h>
#include "kernel/lib/format_internal.h"
#include "kernel/lib/kprintf.h"


/* The '0' flag pads between the prefix and the body, so "-0x" style output stays readable. */
void field_open(struct sink *o, const struct spec *sp, const char *prefix, long long len)
{
    if ((sp->width > len ? sp->width : len) > (long long)FORMAT_LEN_MAX - o->len) {
        o->overflow = true;     /* the whole field cannot be counted: produce none of it */
        return;
    }
    if (!sp->left && !sp->zero)
        pad(o, ' ', sp->width - len);
    for (; *prefix; prefix++)
        put(o, *prefix);
    if (!sp->left && sp->zero)
        pad(o, '0', sp->width - len);
}

void field_close(struct sink *o, const struct spec *sp, long long len)
{
    if (sp->left)
        pad(o, ' ', sp->width - len);
}

/* One field: |prefix| (a sign or "0x"), |zeros| leading zeros, then the |n| characters of |body|. */
void put_field(struct sink *o, const struct spec *sp, const char *prefix, int zeros,
               const char *body, int n)
{
    long long len = text_len(prefix) + (zeros > 0 ? zeros : 0) + (long long)n;

    field_open(o, sp, prefix, len);
    pad(o, '0', zeros);
    for (int i = 0; i < n; i++)
        put(o, body[i]);
    field_close(o, sp, len);
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
    case LEN_LONG:
    case LEN_LONG_DOUBLE: return va_arg(*ap, unsigned long);    /* glibc: %Ld is %lld */
    default:        return va_arg(*ap, unsigned int);
    }
}

static int64_t arg_signed(va_list *ap, enum length length)
{
    switch (length) {
    case LEN_CHAR:  return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG:
    case LEN_LONG_DOUBLE: return va_arg(*ap, long);
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


/* Reads a decimal number, saturating at FORMAT_LEN_MAX + 1 (which the caller reports as too big). */
static const char *parse_count(const char *fmt, long long *n)
{
    for (; *fmt >= '0' && *fmt <= '9'; fmt++)
        if ((*n = *n * 10 + (*fmt - '0')) > FORMAT_LEN_MAX)
            *n = (long long)FORMAT_LEN_MAX + 1;
    return fmt;
}

static void parse_length(const char **fmt, struct spec *sp)
{
    if (**fmt == 'h') {
        sp->length = *++*fmt == 'h' ? (++*fmt, LEN_CHAR) : LEN_SHORT;
    } else if (**fmt == 'L') {
        sp->length = LEN_LONG_DOUBLE;
        ++*fmt;
    } else {
        for (; **fmt == 'l' || **fmt == 'z' || **fmt == 'j' || **fmt == 't'; ++*fmt)
            sp->length = LEN_LONG;
    }
}

/*
 * Parses flags, width, precision and length after a '%'; returns where the
 * conversion letter is.  A width or precision past FORMAT_LEN_MAX sets
 * |o|'s overflow (no field that wide could be counted in an int).
 */
static const char *parse_spec(struct sink *o, const char *fmt, struct spec *sp, va_list *ap)
{
    long long width = 0, precision = 0;

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
        width = w < 0 ? -(long long)w : w;
        fmt++;
    }
    fmt = parse_count(fmt, &width);
    if (*fmt == '.') {
        if (*++fmt == '*') {
            int p = va_arg(*ap, int);
            precision = p < 0 ? -1 : p;         /* C: a negative precision is none */
            fmt++;
        }
        fmt = parse_count(fmt, &precision);
        sp->precision = (int)(precision > FORMAT_LEN_MAX ? -1 : precision);
    }
    if (width > FORMAT_LEN_MAX || precision > FORMAT_LEN_MAX)
        o->overflow = true;
    sp->width = (int)(width > FORMAT_LEN_MAX ? 0 : width);
    parse_length(&fmt, sp);
    return fmt;
}

/* %n: the count so far, stored through a pointer of the length modifier's type. */
static void store_count(const struct sink *o, const struct spec *sp, va_list *ap)
{
    switch (sp->length) {
    case LEN_CHAR:  *va_arg(*ap, signed char *) = (signed char)o->len; break;
    case LEN_SHORT: *va_arg(*ap, short *) = (short)o->len; break;
    case LEN_LONG:
    case LEN_LONG_DOUBLE: *va_arg(*ap, long *) = o->len; break;
    default:        *va_arg(*ap, int *) = o->len; break;
    }
}

/* One conversion; |c| is its letter.  False for a letter it does not know (no argument taken). */
static bool convert(struct sink *o, const struct spec *sp, char c, va_list *ap)
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
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
        put_float(o, sp, c, ap);
        break;
#endif
    case 'n': store_count(o, sp, ap); break;
    case '%': put(o, '%'); break;
    default: return false;
    }
    return true;
}

int kvformat(void (*put_char)(void *ctx, char c), void *ctx, const char *fmt, va_list ap_in)
{
    struct sink o = { put_char, ctx, 0, false };
    va_list ap;

    va_copy(ap, ap_in);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        struct spec sp = { .precision = -1, .length = LEN_INT };
        const char *start = fmt;

        fmt = parse_spec(&o, fmt + 1, &sp, &ap);
        if (o.overflow)
            break;                      /* a field too wide to count */
        if (*fmt == '\0' || !convert(&o, &sp, *fmt, &ap)) {
            for (const char *c = start; c < fmt || (c == fmt && *c); c++)
                put(&o, *c);            /* unknown, or cut short by the end: as written */
            if (*fmt == '\0')
                break;
        }
    }
    va_end(ap);
    return o.overflow ? -1 : o.len;
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

/* On overflow (-1) |buf| still holds as much as fitted, terminated. */
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
