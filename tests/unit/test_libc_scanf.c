/*
 * test_libc_scanf.c: the scanf family (libc/scanf.c, libc/scan_input.c)
 * against the host's glibc: the same count, the same stored bytes and the
 * same %n for 20,000 seeded random inputs (numbers in every base and
 * style, words, punctuation, spaces, half-numbers such as "1e" and "0x")
 * read with many formats; input that ends early; and a FILE read with
 * fscanf, where the one character looked at past a number must go back.
 *
 * %Lf is left out: libc reads a long double only to a double's precision
 * (strtold is strtod), where glibc reads all 64 bits.
 *
 * libc's files are #included with their public functions renamed ember_*;
 * they use the host's strtod and strtoll, which test_libc_strtod and
 * test_libc_strtol hold against libc's own.  SCANF_SEED=n repeats a
 * run; the seed is printed with any failure.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/check.h"
#include "tests/unit/seeded.h"

#define scanf ember_scanf
#define fscanf ember_fscanf
#define sscanf ember_sscanf
#define vscanf ember_vscanf
#define vfscanf ember_vfscanf
#define vsscanf ember_vsscanf
#include "libc/scan_input.c"
#include "libc/scanf.c"
#undef scanf
#undef fscanf
#undef sscanf
#undef vscanf
#undef vfscanf
#undef vsscanf

#define RANDOM_CASES    20000
#define SLOTS           6
#define SLOT_BYTES      64
#define INPUT_MAX       200
#define DEFAULT_SEED    0x5ca9f00du


/* Each format stores into at most SLOTS pointers, which are 64 aligned bytes each. */
static const char *const formats[] = {
    "%d %d", "%i%n", "%x %o %u", "%lf %lf", "%f%n", "%5d%3s", "%[a-z]%d", "%*d %lld",
    "%hhd %hd %n", "%c%c%3c", "%s %s", "%le%n", "%lg,%lg", "%la", "%% %d", "%p", "%2x%2x",
    "%[^,],%s", "%3lf%d", "x%dy%n", "%u%n%u", "%10s%n", "%*[ 0-9]%s", "%li %lu",
};

static const char *const pieces[] = {
    " ", "  ", "\t", "\n", ",", "-", "+", ".", "e", "x", "0x", "0", "1e", "1e+", "100ergs",
    "inf", "nan", "infinity", "infin", "abc", "Z", "%", "y", "0x1p3", ".5", "-.e3",
};

/* A random input: numbers in many styles, words and punctuation, joined. */
static void random_input(char *buf)
{
    int n = 0, parts = (int)(next_random() % 6);

    buf[0] = '\0';
    for (int i = 0; i < parts && n < INPUT_MAX - 60; i++) {
        uint64_t r = next_random();
        double d;

        switch (r % 5) {
        case 0: n += snprintf(buf + n, 60, "%lld", (long long)next_random() >> (r >> 8) % 64); break;
        case 1: n += snprintf(buf + n, 60, r & 256 ? "%#llx" : "%llo", (unsigned long long)next_random() >> (r >> 10) % 64); break;
        case 2:
            r = next_random();
            memcpy(&d, &r, sizeof d);
            n += snprintf(buf + n, 60, (r >> 3) % 3 ? "%.17g" : "%a", d);
            break;
        default: n += snprintf(buf + n, 60, "%s", pieces[r % (sizeof pieces / sizeof pieces[0])]); break;
        }
        if (next_random() % 2)
            buf[n++] = ' ', buf[n] = '\0';
    }
}

static _Alignas(16) unsigned char ours_slots[SLOTS][SLOT_BYTES], host_slots[SLOTS][SLOT_BYTES];

#define SLOT_ARGS(s) s[0], s[1], s[2], s[3], s[4], s[5]

/* One input and format through both; the check fails naming them and the seed. */
#define SAME(input_, fmt_) do {                                                 \
    const char *in_ = (input_), *f_ = (fmt_);                                   \
    memset(ours_slots, 0x5a, sizeof ours_slots);                                \
    memset(host_slots, 0x5a, sizeof host_slots);                                \
    int n_ours_ = ember_sscanf(in_, f_, SLOT_ARGS(ours_slots));                 \
    int n_host_ = sscanf(in_, f_, SLOT_ARGS(host_slots));                       \
    if (n_ours_ != n_host_ || memcmp(ours_slots, host_slots, sizeof ours_slots) != 0) \
        CHECK_FAIL("seed %#llx: sscanf(\"%s\", \"%s\"): ours %d, host %d%s",    \
                   (unsigned long long)seed, in_, f_, n_ours_, n_host_,         \
                   n_ours_ == n_host_ ? " (stored values differ)" : "");        \
} while (0)

static void random_inputs_and_formats(void)
{
    char input[INPUT_MAX];

    for (int i = 0; i < RANDOM_CASES; i++) {
        random_input(input);
        SAME(input, formats[next_random() % (sizeof formats / sizeof formats[0])]);
    }
}

/* Input that ends early, literals that do not match, and formats at their edges. */
static void early_end_and_mismatch(void)
{
    static const char *const cases[][2] = {
        { "", "%d" }, { "   ", "%d" }, { "12", "%d %d" }, { "", "%c" }, { "", "%s" },
        { "abc", "abd" }, { "", "abd" }, { "ab", "%3c" }, { "x", "%d" }, { "-", "%d" },
        { "0x", "%lf" }, { "0xg", "%x%n" }, { "100ergs", "%lf%n" }, { "1e+x", "%lf%n" },
        { "infin", "%lf" }, { "12", "%*d%n" }, { "  -12abc", "%2d%s" }, { "abc", "%[" },
        { "]]x", "%[]]%n" }, { "a-b", "%[a-]%n" }, { "5 % 6", "%d %% %d" }, { "7", "%d%" },
        { "99999999999", "%d" }, { "999999999999999999999999", "%lld" }, { "4e-330", "%lf" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        SAME(cases[i][0], cases[i][1]);
}

/* fscanf gives back the character it looked at past a number; the next read sees it. */
static void fscanf_leaves_the_rest(void)
{
    char text[] = "12abc 3.5 end";
    FILE *ours = fmemopen(text, strlen(text), "r"), *host = fmemopen(text, strlen(text), "r");
    int a = 0, b = 0;
    double x = 0, y = 0;

    CHECK(ours && host);
    CHECK_EQ(ember_fscanf(ours, "%d", &a), fscanf(host, "%d", &b));
    CHECK_EQ(a, b);
    CHECK_EQ(fgetc(ours), fgetc(host));
    CHECK_EQ(ember_fscanf(ours, "%*s%lf", &x), fscanf(host, "%*s%lf", &y));
    CHECK(x == y);
    CHECK_EQ(ember_fscanf(ours, "%d", &a), fscanf(host, "%d", &b));   /* "end": no number */
    CHECK_EQ(fgetc(ours), fgetc(host));
    fclose(ours);
    fclose(host);
}

int main(void)
{
    seed_random("SCANF_SEED", DEFAULT_SEED);
    RUN(early_end_and_mismatch);
    RUN(random_inputs_and_formats);
    RUN(fscanf_leaves_the_rest);
    return check_status();
}
