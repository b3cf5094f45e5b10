/*
 * printf.c: the printf family, on the shared formatter (kvformat in
 * kernel/lib/format.c, built into libc with FORMAT_FLOAT).
 *
 * The FILE versions collect the output in a local chunk and hand it to
 * fwrite PRINTF_CHUNK bytes at a time: one lock per chunk instead of one per
 * character, and a line from one thread is not cut by another's.
 *
 * Output that would pass INT_MAX characters cannot be counted in the int
 * C returns: the formatter stops there and these return -1 with errno
 * EOVERFLOW (what was formatted before the field that overflowed is out).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include "kernel/lib/kprintf.h"

/* The formatter's count, with errno set when it is -1 (the output passed INT_MAX). */
static int checked(int n)
{
    if (n < 0)
        errno = EOVERFLOW;
    return n;
}

struct chunk {
    FILE *f;
    size_t len;
    int failed;                 /* an fwrite came up short */
    char buf[PRINTF_CHUNK];
};

static void chunk_flush(struct chunk *c)
{
    if (c->len && fwrite(c->buf, 1, c->len, c->f) != c->len)
        c->failed = 1;
    c->len = 0;
}

static void chunk_put(void *ctx, char ch)
{
    struct chunk *c = ctx;

    c->buf[c->len++] = ch;
    if (c->len == sizeof c->buf)
        chunk_flush(c);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    struct chunk c;
    int n;

    c.f = f;
    c.len = 0;
    c.failed = 0;
    n = checked(kvformat(chunk_put, &c, fmt, ap));
    chunk_flush(&c);
    return c.failed ? EOF : n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return checked(kvsnprintf(buf, size, fmt, ap));
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* sprintf trusts the caller's buffer to be big enough: no bound at all. */
int vsprintf(char *buf, const char *fmt, va_list ap)
{
    return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsprintf(buf, fmt, ap);
    va_end(ap);
    return n;
}
