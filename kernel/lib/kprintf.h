/*
 * Formatted output.  kvformat (format.c) is the one formatter of the kernel
 * and libc: pure, host-tested, handing each character to a callback;
 * kvsnprintf formats into a buffer; kprintf sends its result to each sink
 * registered (the log ring and the serial line, from kernel_main).
 * Conversions: %d %i %u %x %X %o %p %s %c %%, flags '-' '0' '+' ' ' '#', a
 * width or '*', a precision or '.*' (minimum digits for integers, maximum
 * characters for %s), length modifiers hh, h, l, ll, z, j, t, and %n.
 * libc's build (FORMAT_FLOAT) adds %f %F %e %E %g %G %a %A, exact to the
 * last digit, and L for long double.  An unknown conversion prints as
 * written and takes no argument.  Output that would pass INT_MAX characters
 * stops there, and the call returns -1.
 */
#ifndef EMBER_KPRINTF_H
#define EMBER_KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into |put|(|ctx|, c) one character at a time; returns the count of characters. */
int kvformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt, va_list ap);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Where kprintf's lines go; each sink gets every line, in the order they were added. */
typedef void (*kprintf_sink_t)(const char *s, size_t len);
#define KPRINTF_SINKS_MAX   2
/* Adds |write| as a sink (at boot, before the first kprintf; past KPRINTF_SINKS_MAX, ignored). */
void kprintf_add_sink(kprintf_sink_t write);

#endif
