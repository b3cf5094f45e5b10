/*
 * test_format.c: the contract of kvsnprintf/ksnprintf (kernel/lib/kprintf.h):
 * each conversion, flag, width and precision prints as C's printf would, and
 * the result is always NUL-terminated within |size| bytes while the return
 * value is the length the full output would have had.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kernel/lib/kprintf.h"
#include "tests/unit/check.h"

#define BUF_SIZE    128
#define SENTINEL    '#'     /* fills buffers, to see which bytes were written */

/* Formats into a roomy buffer; the output and the returned length must both match. */
#define CHECK_FORMAT(expected, ...) do {                                \
    char buf_[BUF_SIZE];                                                \
    int n_ = ksnprintf(buf_, sizeof buf_, __VA_ARGS__);                 \
    CHECK_STR(buf_, expected);                                          \
    CHECK_EQ(n_, (int)strlen(expected));                                \
} while (0)

static void signed_decimal(void)
{
    CHECK_FORMAT("0", "%d", 0);
    CHECK_FORMAT("42", "%d", 42);
    CHECK_FORMAT("-42", "%d", -42);
    CHECK_FORMAT("-7", "%i", -7);
    CHECK_FORMAT("2147483647", "%d", INT_MAX);
    /* INT_MIN has no positive int counterpart: negating it must not overflow */
    CHECK_FORMAT("-2147483648", "%d", INT_MIN);
    CHECK_FORMAT("-2147483648", "%i", INT_MIN);
}

static void unsigned_decimal(void)
{
    CHECK_FORMAT("0", "%u", 0u);
    CHECK_FORMAT("4294967295", "%u", UINT_MAX);
}

static void hex_and_octal(void)
{
    CHECK_FORMAT("deadbeef", "%x", 0xdeadbeefu);
    CHECK_FORMAT("DEADBEEF", "%X", 0xdeadbeefu);
    CHECK_FORMAT("0", "%x", 0u);
    CHECK_FORMAT("ffffffff", "%x", UINT_MAX);
    CHECK_FORMAT("10", "%o", 8u);
    CHECK_FORMAT("755", "%o", 0755u);
    CHECK_FORMAT("0", "%o", 0u);
}

/* The 64-bit modifiers read a 64-bit argument, not only its low half. */
static void long_modifiers(void)
{
    CHECK_FORMAT("-9223372036854775808", "%ld", LONG_MIN);
    CHECK_FORMAT("9223372036854775807", "%ld", LONG_MAX);
    CHECK_FORMAT("18446744073709551615", "%lu", ULONG_MAX);
    CHECK_FORMAT("ffffffffffffffff", "%lx", ULONG_MAX);
    CHECK_FORMAT("1777777777777777777777", "%lo", ULONG_MAX);
    CHECK_FORMAT("-9223372036854775808", "%lld", LLONG_MIN);
    CHECK_FORMAT("18446744073709551615", "%llu", ULLONG_MAX);
    CHECK_FORMAT("18446744073709551615", "%zu", SIZE_MAX);
    CHECK_FORMAT("0", "%zu", (size_t)0);
    CHECK_FORMAT("100000000", "%lx", 1ul << 32);
}

static void pointer(void)
{
    CHECK_FORMAT("0x1234", "%p", (void *)0x1234);
    CHECK_FORMAT("0xffff800000000000", "%p", (void *)0xffff800000000000ull);
    CHECK_FORMAT("0x0", "%p", (void *)0);
}

static void strings_and_chars(void)
{
    /* volatile hides the NULL from gcc, which would refuse it at compile time */
    const char *volatile nothing = NULL;

    CHECK_FORMAT("hello", "%s", "hello");
    CHECK_FORMAT("", "%s", "");
    CHECK_FORMAT("(null)", "%s", nothing);
    CHECK_FORMAT("a=A", "a=%c", 'A');
    CHECK_FORMAT("xyz", "%c%c%c", 'x', 'y', 'z');
    CHECK_FORMAT("%", "%%");
    CHECK_FORMAT("100% sure", "%d%% sure", 100);
    CHECK_FORMAT("no conversions", "no conversions");
}

static void widths_and_flags(void)
{
    CHECK_FORMAT("   42", "%5d", 42);
    CHECK_FORMAT("  -42", "%5d", -42);
    CHECK_FORMAT("00042", "%05d", 42);
    /* the sign goes before the zero padding, as in C */
    CHECK_FORMAT("-0042", "%05d", -42);
    CHECK_FORMAT("000000ab", "%08x", 0xabu);
    CHECK_FORMAT("42   |", "%-5d|", 42);
    CHECK_FORMAT("-42  |", "%-5d|", -42);
    CHECK_FORMAT("   ab", "%5s", "ab");
    CHECK_FORMAT("ab   |", "%-5s|", "ab");
    CHECK_FORMAT("    x", "%5c", 'x');
    CHECK_FORMAT("x    |", "%-5c|", 'x');
    /* a width narrower than the value never cuts it */
    CHECK_FORMAT("12345", "%2d", 12345);
    CHECK_FORMAT("hello", "%2s", "hello");
    CHECK_FORMAT("    0x10", "%8p", (void *)0x10);
}

static void star_width(void)
{
    const int width = 6;

    CHECK_FORMAT("    42", "%*d", width, 42);
    CHECK_FORMAT("ab    |", "%-*s|", width, "ab");
    CHECK_FORMAT("000042", "%0*d", width, 42);
    /* the width is consumed before the value: the next argument is the value */
    CHECK_FORMAT("    42 7", "%*d %d", width, 42, 7);
}

/* C: a negative '*' width is the '-' flag and its absolute value. */
static void negative_star_width_left_justifies(void)
{
    CHECK_FORMAT("42    |", "%*d|", -6, 42);
    CHECK_FORMAT("ab    |", "%*s|", -6, "ab");
    CHECK_FORMAT("42    |", "%0*d|", -6, 42);     /* '-' wins over '0' */
}

/* "%c" of 0 writes one NUL byte, and counts it, as C's does. */
static void char_nul_is_one_byte(void)
{
    char buf[BUF_SIZE];

    memset(buf, SENTINEL, sizeof buf);
    CHECK_EQ(ksnprintf(buf, sizeof buf, "a%cb", 0), 3);
    CHECK_EQ(memcmp(buf, "a\0b", 4), 0);
    CHECK_EQ(ksnprintf(buf, sizeof buf, "%3c|", 0), 4);
    CHECK_EQ(memcmp(buf, "  \0|", 5), 0);
}

static void string_precision(void)
{
    CHECK_FORMAT("abc", "%.3s", "abcdef");
    CHECK_FORMAT("ab", "%.3s", "ab");
    CHECK_FORMAT("", "%.0s", "abc");
    CHECK_FORMAT("   ab", "%5.2s", "abc");
    CHECK_FORMAT("ab   |", "%-5.2s|", "abc");
}

/* In the child of precision_bounds_the_read: exits 0 if "%.3s" printed "xyz". */
static void format_unterminated_child(void)
{
    const size_t len = 3;
    char *field = malloc(len);          /* exactly 3 bytes: ASan guards the 4th */
    char buf[BUF_SIZE];

    memcpy(field, "xyz", len);
    ksnprintf(buf, sizeof buf, "%.3s", field);
    _exit(strcmp(buf, "xyz") == 0 ? 0 : 1);
}

/*
 * With a precision, C lets the argument be an array without a NUL (a fixed
 * field such as a heap tag or a tar header name): no byte past the precision
 * may be read.  An over-read aborts under ASan, so it runs in a child
 * process, letting the other tests go on; ASan's report goes to stderr.
 */
static void precision_bounds_the_read(void)
{
    int status;
    pid_t pid = fork();

    CHECK(pid >= 0);
    if (pid == 0)
        format_unterminated_child();
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    int child_exit = WEXITSTATUS(status);  /* 1: ASan caught an over-read, or wrong output */
    CHECK_EQ(child_exit, 0);
}

static void truncation(void)
{
    const size_t small = 5;
    char buf[BUF_SIZE];

    memset(buf, SENTINEL, sizeof buf);
    /* like vsnprintf: the full length comes back, so the caller can see the cut */
    CHECK_EQ(ksnprintf(buf, small, "hello world"), (int)strlen("hello world"));
    CHECK_STR(buf, "hell");
    CHECK_EQ(buf[small], SENTINEL);

    memset(buf, SENTINEL, sizeof buf);
    CHECK_EQ(ksnprintf(buf, small, "%d", -123456), (int)strlen("-123456"));
    CHECK_STR(buf, "-123");
    CHECK_EQ(buf[small], SENTINEL);

    memset(buf, SENTINEL, sizeof buf);
    CHECK_EQ(ksnprintf(buf, small, "%8s", "ab"), 8);
    CHECK_STR(buf, "    ");
    CHECK_EQ(buf[small], SENTINEL);

    /* exactly fitting: all characters plus the NUL */
    memset(buf, SENTINEL, sizeof buf);
    CHECK_EQ(ksnprintf(buf, small, "abcd"), 4);
    CHECK_STR(buf, "abcd");
    CHECK_EQ(buf[small], SENTINEL);

    memset(buf, SENTINEL, sizeof buf);
    CHECK_EQ(ksnprintf(buf, 1, "abc"), 3);
    CHECK_EQ(buf[0], '\0');
    CHECK_EQ(buf[1], SENTINEL);
}

static void size_zero_writes_nothing(void)
{
    char buf[BUF_SIZE];

    memset(buf, SENTINEL, sizeof buf);
    CHECK_EQ(ksnprintf(buf, 0, "abc%d", 12345), 8);
    CHECK_EQ(buf[0], SENTINEL);
    /* the "how long would it be?" idiom: no buffer at all */
    CHECK_EQ(ksnprintf(NULL, 0, "%s=%lu", "frames", 4096ul), 11);
}

static int format_through_va_list(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* kprintf passes its va_list on: kvsnprintf must read every argument from it. */
static void kvsnprintf_reads_va_list(void)
{
    char buf[BUF_SIZE];

    int n = format_through_va_list(buf, sizeof buf, "%s %d %lx %c", "n", -3, 0xfful, '!');

    CHECK_STR(buf, "n -3 ff !");
    CHECK_EQ(n, (int)strlen("n -3 ff !"));
}

/* A '%' ending the format prints as written, and the formatter reads nothing past the NUL. */
static void trailing_percent(void)
{
    /* not a literal: gcc rejects a trailing '%' in a literal format */
    const char *volatile fmt = "abc%";
    char buf[BUF_SIZE];

    CHECK_EQ(ksnprintf(buf, sizeof buf, fmt), 4);
    CHECK_STR(buf, "abc%");
}

/* The kernel build formats no floats: %f is an unknown conversion, printed as written, taking no argument. */
static void kernel_float_conversion_takes_no_argument(void)
{
    const char *volatile fmt = "%f|%.2e|%d";
    char buf[BUF_SIZE];

    CHECK_EQ(ksnprintf(buf, sizeof buf, fmt, 7), 9);
    CHECK_STR(buf, "%f|%.2e|7");
}

int main(void)
{
    RUN(signed_decimal);
    RUN(unsigned_decimal);
    RUN(hex_and_octal);
    RUN(long_modifiers);
    RUN(pointer);
    RUN(strings_and_chars);
    RUN(widths_and_flags);
    RUN(star_width);
    RUN(negative_star_width_left_justifies);
    RUN(char_nul_is_one_byte);
    RUN(string_precision);
    RUN(precision_bounds_the_read);
    RUN(truncation);
    RUN(size_zero_writes_nothing);
    RUN(kvsnprintf_reads_va_list);
    RUN(trailing_percent);
    RUN(kernel_float_conversion_takes_no_argument);
    return check_status();
}
