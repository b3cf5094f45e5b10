/*
 * test_libc_format.c: the formatter as libc builds it (kernel/lib/format.c
 * with FORMAT_FLOAT): floating point, and the integer flags libc's printf
 * relies on, checked against the host's snprintf.  test_format.c covers the
 * kernel build; this file #includes format.c and format_float.c itself.
 *
 * The formatter is "lite" by design past 17 significant digits (it prints
 * zeros where glibc prints the exact binary expansion, and the 17th digit may
 * be off by one), so the comparisons stay within 16 significant digits.
 */
#define FORMAT_FLOAT
#include "kernel/lib/format.c"
#include "kernel/lib/format_float.c"
#include "tests/unit/check.h"

#define OUT_MAX 512

/* Formats with ours and the host's; the check fails naming the format when they differ. */
#define SAME(...) do {                                                          \
    char ours_[OUT_MAX], host_[OUT_MAX];                                        \
    int n_ours_ = ksnprintf(ours_, sizeof ours_, __VA_ARGS__);                  \
    int n_host_ = snprintf(host_, sizeof host_, __VA_ARGS__);                   \
    if (strcmp(ours_, host_) != 0 || n_ours_ != n_host_) {                      \
        CHECK_FAIL("%s:%d: %s: ours \"%.150s\" (%d), host \"%.150s\" (%d)",     \
                   __FILE__, __LINE__, #__VA_ARGS__, ours_, n_ours_, host_, n_host_); \
        return;                                                                 \
    }                                                                           \
} while (0)

static const double samples[] = {
    0, -0.0, 1, -1, 0.5, 1.5, 2.5, 0.125, 0.375, 3.14159265358979, 1e-5, 1e-10, 123456.789,
    1e15, 1e17, 1e18, 1e20, 1e22, 5e-324, 2.2250738585072014e-308, 0.1, 0.2, 0.3, 99.995,
    9.9999995, 1234567.0, 100, 1e-4, 0.0001234, 123456789012.0, 0.999999, 9.5, 0.05, 1e100,
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

/* Past 1e22 the whole part is scaled by inexact powers of ten: no exact digits to compare. */
static void fixed_notation(void)
{
    for (size_t i = 0; i < NSAMPLES; i++) {
        double v = samples[i];

        if (v > 1e22)
            continue;
        SAME("%f", v);
        SAME("%.0f|%.1f|%.2f|%.3f", v, v, v, v);
        SAME("%#.0f|%12.3f|%-12.3f|%012.3f|%+f|% f|%F", v, v, v, v, v, v, v);
    }
}

static void exponent_notation(void)
{
    for (size_t i = 0; i < NSAMPLES; i++) {
        double v = samples[i];

        SAME("%e|%.0e|%.3E|%#.0e|%15.4e|%-15.2e|%+e", v, v, v, v, v, v, v);
    }
}

static void general_notation(void)
{
    for (size_t i = 0; i < NSAMPLES; i++) {
        double v = samples[i];

        SAME("%g|%.0g|%.1g|%.3g|%.10g|%#g|%G|%#.3g|%10.4g", v, v, v, v, v, v, v, v, v);
    }
}

static void infinity_and_nan(void)
{
    double inf = __builtin_inf(), nan = __builtin_nan("");

    SAME("%f|%F|%e|%g|%5f|%05f|%-6f|%+f", inf, -inf, inf, -inf, inf, inf, inf, inf);
    SAME("%f|%F|%e|%G|%6.2f", nan, nan, nan, nan, nan);
}

/* Many values of every magnitude in double's range that a double prints exactly. */
static void random_values(void)
{
    uint64_t seed = 88172645463325252ull;

    for (int i = 0; i < 20000; i++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        double v = (double)(seed >> 11) / (double)(1ull << 53) * 1e6;

        if (i % 2)
            v /= (double)(seed % 1000 + 1);
        SAME("%f|%.3f|%.9f", v, v, v);
        SAME("%e|%.12e|%g|%.15g", v, v, v, v);
    }
}

static void integer_flags(void)
{
    SAME("%+d|% d|%+d|% 5d|%+05d|%-+5d|", 5, 5, -5, 5, 5, 5);
    SAME("%#x|%#X|%#o|%#o|%#x|%#.5o|%#8x|%#08x", 255, 255, 8, 0, 0, 8, 255, 255);
    SAME("%.3d|%.0d|%5.0d|%8.3d|%-8.3d|%.3x", 5, 0, 0, 5, -5, 10);
    SAME("%hhd|%hhu|%hd|%hu|%hhx", 257, 511, 65537, 70000, 0x1ff);
    SAME("%jd|%td|%zd|%lld", (intmax_t)-1, (ptrdiff_t)-2, (ssize_t)-3, -4LL);
    SAME("%.*s|%.*d|%.*s", 3, "abcdef", 4, 7, -1, "all");
}

/* C: with a precision the '0' flag is ignored.  gcc warns about such a format, hence |fmt|. */
static void zero_flag_yields_to_precision(void)
{
    const char *fmt = "%0*.*d";
    char buf[32];

    ksnprintf(buf, sizeof buf, fmt, 8, 3, 5);
    CHECK_STR(buf, "     005");
}

int main(void)
{
    RUN(fixed_notation);
    RUN(exponent_notation);
    RUN(general_notation);
    RUN(infinity_and_nan);
    RUN(random_values);
    RUN(integer_flags);
    RUN(zero_flag_yields_to_precision);
    return check_status();
}
