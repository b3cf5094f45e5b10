/*
 * test_libc_string.c: libc's <string.h> and <ctype.h> (libc/string.c,
 * libc/ctype.c) against the host's, under the sanitizers.
 *
 * The libc files are #included with every function renamed ember_*, so they
 * do not replace the host's own (which ASan and check.h use).  The host
 * headers come first, so the renames do not touch their declarations.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/check.h"

#define memset ember_memset
#define memcpy ember_memcpy
#define memmove ember_memmove
#define memcmp ember_memcmp
#define memchr ember_memchr
#define strlen ember_strlen
#define strnlen ember_strnlen
#define strcmp ember_strcmp
#define strncmp ember_strncmp
#define strcpy ember_strcpy
#define strncpy ember_strncpy
#define strcat ember_strcat
#define strncat ember_strncat
#define strchr ember_strchr
#define strrchr ember_strrchr
#define strstr ember_strstr
#define strspn ember_strspn
#define strcspn ember_strcspn
#define strtok_r ember_strtok_r
#define strtok ember_strtok
#define strdup ember_strdup
#include "kernel/lib/string.c"
#include "libc/string.c"

#undef isalpha
#undef isdigit
#undef isalnum
#undef isspace
#undef isupper
#undef islower
#undef isprint
#undef ispunct
#undef isxdigit
#undef iscntrl
#undef toupper
#undef tolower
#define isalpha ember_isalpha
#define isdigit ember_isdigit
#define isalnum ember_isalnum
#define isspace ember_isspace
#define isupper ember_isupper
#define islower ember_islower
#define isprint ember_isprint
#define ispunct ember_ispunct
#define isxdigit ember_isxdigit
#define iscntrl ember_iscntrl
#define toupper ember_toupper
#define tolower ember_tolower
#include "libc/ctype.c"

/* From here on the plain names are the host's again. */
#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#undef strlen
#undef strcmp
#undef strncmp
#undef strcpy
#undef strtok

#define BUF 300

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

/* Every length around the rep-stosq threshold, at every alignment. */
static void memset_lengths_and_alignments(void)
{
    for (size_t off = 0; off < 16; off++) {
        for (size_t n = 0; n < 200; n++) {
            unsigned char buf[BUF];

            memset(buf, 0xaa, sizeof buf);
            CHECK(ember_memset(buf + off, 0x5c, n) == buf + off);
            for (size_t i = 0; i < sizeof buf; i++)
                CHECK_EQ(buf[i], (i >= off && i < off + n) ? 0x5c : 0xaa);
        }
    }
}

static void memcpy_lengths_and_alignments(void)
{
    unsigned char src[BUF];

    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(i * 7 + 1);
    for (size_t off = 0; off < 9; off++) {
        for (size_t n = 0; n < 200; n++) {
            unsigned char dst[BUF] = { 0 };

            CHECK(ember_memcpy(dst + off, src + 3, n) == dst + off);
            CHECK(memcmp(dst + off, src + 3, n) == 0);
            CHECK_EQ(dst[off + n], 0);
        }
    }
}

/* memmove against a byte-by-byte model, both directions, every overlap. */
static void memmove_overlaps(void)
{
    for (int from = 0; from < 80; from += 3) {
        for (int to = 0; to < 80; to += 5) {
            char buf[BUF], model[BUF], tmp[BUF];
            size_t n = 150;

            for (int i = 0; i < BUF; i++)
                buf[i] = model[i] = (char)i;
            memcpy(tmp, model + from, n);
            memcpy(model + to, tmp, n);
            ember_memmove(buf + to, buf + from, n);
            CHECK(memcmp(buf, model, BUF) == 0);
        }
    }
}

static void compares_match_the_host(void)
{
    const char *s[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "a\xff", "ABC" };
    int n = sizeof s / sizeof s[0];

    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            CHECK_EQ(sign(ember_strcmp(s[i], s[j])), sign(strcmp(s[i], s[j])));
            for (size_t k = 0; k < 4; k++)
                CHECK_EQ(sign(ember_strncmp(s[i], s[j], k)), sign(strncmp(s[i], s[j], k)));
            CHECK_EQ(sign(ember_memcmp(s[i], s[j], 1)), sign(memcmp(s[i], s[j], 1)));
        }
    }
}

static void searching(void)
{
    const char *s = "hello, world";

    CHECK(ember_strchr(s, 'o') == s + 4);
    CHECK(ember_strchr(s, '\0') == s + 12);
    CHECK(ember_strchr(s, 'z') == NULL);
    CHECK(ember_strrchr(s, 'o') == s + 8);
    CHECK(ember_strrchr(s, '\0') == s + 12);
    CHECK(ember_strstr(s, "wor") == s + 7);
    CHECK(ember_strstr(s, "") == s);
    CHECK(ember_strstr(s, "worlds") == NULL);
    CHECK(ember_strstr("", "") != NULL);
    CHECK(ember_memchr(s, 'w', 12) == s + 7);
    CHECK(ember_memchr(s, 'w', 7) == NULL);
    CHECK_EQ(ember_strspn(s, "leh"), 4);
    CHECK_EQ(ember_strcspn(s, ",w"), 5);
    CHECK_EQ(ember_strlen(s), 12);
    CHECK_EQ(ember_strnlen(s, 5), 5);
    CHECK_EQ(ember_strnlen(s, 50), 12);
}

static void copies(void)
{
    char buf[16];
    char *d;

    memset(buf, 'x', sizeof buf);
    ember_strncpy(buf, "ab", 6);
    CHECK(memcmp(buf, "ab\0\0\0\0xx", 8) == 0);
    ember_strncpy(buf, "abcdefgh", 4);
    CHECK(memcmp(buf, "abcd\0\0xx", 8) == 0);      /* no NUL of its own; 4-5 are from above */
    ember_strcpy(buf, "ab");
    ember_strcat(buf, "cd");
    CHECK_STR(buf, "abcd");
    ember_strncat(buf, "efgh", 2);
    CHECK_STR(buf, "abcdef");
    d = ember_strdup("dup");
    CHECK_STR(d, "dup");
    free(d);
}

static void tokens(void)
{
    char buf[] = ",,one,, two ,three,";
    char *save, *t;

    t = ember_strtok_r(buf, ", ", &save);
    CHECK_STR(t, "one");
    t = ember_strtok_r(NULL, ", ", &save);
    CHECK_STR(t, "two");
    t = ember_strtok_r(NULL, ", ", &save);
    CHECK_STR(t, "three");
    CHECK(ember_strtok_r(NULL, ", ", &save) == NULL);
    CHECK(ember_strtok_r(NULL, ", ", &save) == NULL);
    save = NULL;                        /* a continuation with nothing to continue */
    CHECK(ember_strtok_r(NULL, ", ", &save) == NULL);
}

/* strtok splits random strings exactly as the host's does; a continuation before any string finds nothing. */
static void strtok_matches_the_host(void)
{
    uint32_t seed = 2024;

    CHECK(ember_strtok(NULL, " ") == NULL);
    for (int round = 0; round < 2000; round++) {
        char ours[40], host[40];
        const char *delims = round % 2 ? " ," : ",";
        char *a, *b;
        int n = round % 39;

        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245 + 12345;
            ours[i] = " ,ab"[(seed >> 16) % 4];
        }
        ours[n] = '\0';
        memcpy(host, ours, sizeof host);
        a = ember_strtok(ours, delims);
        b = strtok(host, delims);
        for (;;) {
            CHECK_EQ(a ? a - ours : -1, b ? b - host : -1);
            if (!a || !b)
                break;
            a = ember_strtok(NULL, delims);
            b = strtok(NULL, delims);
        }
        CHECK(ember_strtok(NULL, delims) == NULL);
    }
}

/* Every class and case mapping agrees with the host's "C" locale, EOF included. */
static void ctype_matches_the_host(void)
{
    for (int c = -1; c < 256; c++) {
        CHECK_EQ(!!ember_isalpha(c), !!isalpha(c));
        CHECK_EQ(!!ember_isdigit(c), !!isdigit(c));
        CHECK_EQ(!!ember_isalnum(c), !!isalnum(c));
        CHECK_EQ(!!ember_isspace(c), !!isspace(c));
        CHECK_EQ(!!ember_isupper(c), !!isupper(c));
        CHECK_EQ(!!ember_islower(c), !!islower(c));
        CHECK_EQ(!!ember_isprint(c), !!isprint(c));
        CHECK_EQ(!!ember_ispunct(c), !!ispunct(c));
        CHECK_EQ(!!ember_isxdigit(c), !!isxdigit(c));
        CHECK_EQ(!!ember_iscntrl(c), !!iscntrl(c));
        CHECK_EQ(ember_toupper(c), toupper(c));
        CHECK_EQ(ember_tolower(c), tolower(c));
    }
}

int main(void)
{
    RUN(memset_lengths_and_alignments);
    RUN(memcpy_lengths_and_alignments);
    RUN(memmove_overlaps);
    RUN(compares_match_the_host);
    RUN(searching);
    RUN(copies);
    RUN(tokens);
    RUN(strtok_matches_the_host);
    RUN(ctype_matches_the_host);
    return check_status();
}
