/*
 * test_libc_strtod.c: strtod (libc/strtod.c, libc/strtod_big.c) against
 * the host's glibc: the same double (bit for bit), the same end pointer and
 * the same errno, for tens of thousands of seeded random inputs: doubles
 * printed in every style, random digit strings up to 1000 digits with any
 * exponent, and the exact halfway points between neighbouring doubles (and
 * the numbers just above and below them), where a sloppy strtod rounds the
 * wrong way.  Then the bad input by name: no digits, a lone sign or point,
 * an exponent with no digits, "0x" alone, inf and nan spellings, overflow,
 * underflow, a 100,000-digit number, a 20-digit exponent.
 *
 * The seed is printed with any failure; STRTOD_SEED=n repeats a run.
 */
#include <errno.h>
#include <float.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/check.h"
#include "tests/unit/seeded.h"

#define strtod ember_strtod
#define strtof ember_strtof
#define strtold ember_strtold
#define atof ember_atof
#include "libc/strtod.c"
#include "libc/strtod_big.c"
#undef strtod
#undef strtof
#undef strtold
#undef atof

#define RANDOM_CASES    30000
#define HALFWAY_CASES   5000
#define TEXT_MAX        1400
#define DEFAULT_SEED    0x57a7d0du


/*
 * Ours and the host's agree on |s|: value bits, end and errno (a nan only
 * in its sign: glibc keeps "nan(123)"'s payload, ours does not).  A macro:
 * CHECK_FAIL returns.
 */
#define SAME(s) do {                                                            \
    const char *s_ = (s);                                                       \
    char *end_ours_, *end_host_;                                                \
    errno = 0;                                                                  \
    double ours_ = ember_strtod(s_, &end_ours_);                                \
    int errno_ours_ = errno;                                                    \
    errno = 0;                                                                  \
    double host_ = strtod(s_, &end_host_);                                      \
    int errno_host_ = errno;                                                    \
    bool both_nan_ = ours_ != ours_ && host_ != host_ &&                        \
                     __builtin_signbit(ours_) == __builtin_signbit(host_);      \
    if ((!both_nan_ && memcmp(&ours_, &host_, sizeof ours_) != 0) ||            \
        end_ours_ != end_host_ ||                                               \
        errno_ours_ != errno_host_)                                             \
        CHECK_FAIL("seed %#llx: \"%.80s\"%s: ours %a (end +%td, errno %d), host %a (end +%td, errno %d)", \
                   (unsigned long long)seed, s_, strlen(s_) > 80 ? "..." : "", ours_, \
                   end_ours_ - s_, errno_ours_, host_, end_host_ - s_, errno_host_); \
} while (0)

static double random_double(void)
{
    uint64_t r = next_random();
    double v;

    memcpy(&v, &r, sizeof v);
    return v;
}

/* Doubles printed in many styles read back as the host reads them. */
static void printed_doubles(void)
{
    static const char *const styles[] = { "%.17g", "%.25e", "%.40g", "%a", "%.3g", "%.0f", "%g" };
    char text[TEXT_MAX];

    for (int i = 0; i < RANDOM_CASES; i++) {
        snprintf(text, sizeof text, styles[i % 7], random_double());
        SAME(text);
    }
}

/* Random digit strings, up to 1000 digits, a point anywhere, any exponent. */
static void random_digit_strings(void)
{
    char text[TEXT_MAX];

    for (int i = 0; i < RANDOM_CASES; i++) {
        uint64_t r = next_random();
        int digits = (int)(r % 4 == 0 ? next_random() % 1000 + 1 : next_random() % 30 + 1);
        int point = (int)(next_random() % (unsigned)(digits + 1)), n = 0;

        if (r & 16)
            text[n++] = '-';
        for (int d = 0; d < digits; d++) {
            if (d == point)
                text[n++] = '.';
            text[n++] = (char)('0' + (r & 32 && d < 5 ? 0 : next_random() % 10));
        }
        snprintf(text + n, sizeof text - (size_t)n, "e%d", (int)(next_random() % 800) - 400);
        SAME(text);
    }
}

/*
 * The exact midpoint between a double and the next one up (54 bits: a long
 * double holds it exactly, and %.800Le prints it exactly), and the numbers
 * a hair above and below it.
 */
static void halfway_points(void)
{
    char text[TEXT_MAX];

    for (int i = 0; i < HALFWAY_CASES; i++) {
        double v = __builtin_fabs(random_double());
        if (i % 2)
            v = (double)(next_random() % 100000) * 1e-5 + 1;
        if (!__builtin_isfinite(v) || v == DBL_MAX)
            continue;
        uint64_t bits;
        double up;
        memcpy(&bits, &v, sizeof bits);
        bits++;                                         /* the next double up */
        memcpy(&up, &bits, sizeof up);
        long double mid = ((long double)v + (long double)up) / 2;
        int n = snprintf(text, sizeof text, "%.800Le", mid);
        char *e = strchr(text, 'e');

        SAME(text);
        memmove(e + 1, e, (size_t)(text + n - e) + 1);  /* a 1 after the last digit: above */
        *e = '1';
        SAME(text);
        char *last = e - 1;                             /* ...and with the digits before it lowered: below */
        while (*last == '0')
            *last-- = '9';
        if (*last != '.')
            (*last)--;
        SAME(text);
    }
}

static void bad_and_edge_input(void)
{
    static char big[100010];
    static const char *const cases[] = {
        "", " ", "+", "-", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-x", "1.5E3", "0x", "0x.", "0x.p1",
        "0x1p", "0X1P-3", "0x1.8p1", "0x.8", "-0x0p0", "0x1p-1074", "0x1p-1075", "0x1.8p-1075",
        "0x1.fffffffffffff8p1023", "0x123456789abcdef0123p0", "inf", "-INFINITY", "infinit", "InFx",
        "nan", "-nan", "nan(123)", "nan(", "nan()", "nan(a_b)x", "1.7976931348623157e308",
        "1.7976931348623158e308", "1.7976931348623159e308", "4.9e-324", "2.4703282292062327e-324",
        "2.4703282292062328e-324", "2.2250738585072011e-308", "2.2250738585072014e-308",
        "1e99999999999999999999", "1e-99999999999999999999", "\t\n 42abc", "0.000000000000000000001e21",
        "123456789012345678901234567890", "9007199254740993", "-0", "00000000000000000000001.5",
        "1e23", "8.988465674311579e307", "1e-400", "1e400",
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        SAME(cases[i]);
    memset(big, '0', sizeof big - 1);
    big[0] = '1';                       /* 1 followed by 100,008 zeros: infinite */
    SAME(big);
    big[0] = '0';
    big[1] = '.';
    big[sizeof big - 2] = '1';          /* 0.000...0001: zero */
    SAME(big);
    big[2] = '1';                       /* 0.1000...0001: just above 0.1 */
    SAME(big);
}

/* C: atof leaves errno alone; strtof and strtold agree with the host where a double decides. */
static void atof_strtof_strtold(void)
{
    errno = 0;
    CHECK(ember_atof("1e999") == __builtin_inf());
    CHECK_EQ(errno, 0);
    CHECK(ember_atof("  -2.5x") == -2.5);
    CHECK(ember_strtof("0.1", NULL) == 0.1f);
    CHECK(ember_strtof("3.4028235e38", NULL) == 3.4028235e38f);
    errno = 0;
    CHECK(ember_strtof("1e39", NULL) == __builtin_inff());
    CHECK_EQ(errno, ERANGE);
    CHECK(ember_strtold("0.5", NULL) == 0.5L);
}

int main(void)
{
    seed_random("STRTOD_SEED", DEFAULT_SEED);
    RUN(bad_and_edge_input);
    RUN(printed_doubles);
    RUN(random_digit_strings);
    RUN(halfway_points);
    RUN(atof_strtof_strtold);
    return check_status();
}
