/*
 * scan_input.c: the input side of scanf (scanf.c): characters from a FILE
 * or a string with one character of look-ahead, and the text of a number,
 * collected into a buffer that moves to the heap only past
 * SCAN_TOKEN_SMALL characters, so any length of digits can be read.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "libc/scan.h"

#define INFINITY_WORD       "infinity"
#define NAN_WORD            "nan"


int scan_peek(struct scan_in *in)
{
    if (in->ahead == NO_AHEAD)
        in->ahead = in->f ? fgetc(in->f) : *in->s ? (unsigned char)*in->s++ : EOF;
    return in->ahead;
}

void scan_take(struct scan_in *in)
{
    in->ahead = NO_AHEAD;
    in->taken++;
}

void scan_skip_space(struct scan_in *in)
{
    while (isspace(scan_peek(in)))
        scan_take(in);
}


void token_init(struct token *t)
{
    t->buf = t->small;
    t->len = 0;
    t->cap = sizeof t->small;
    t->failed = false;
    t->buf[0] = '\0';
}

void token_free(struct token *t)
{
    if (t->buf != t->small)
        free(t->buf);
}

static void token_add(struct token *t, char c)
{
    if (t->len + 1 == t->cap && !t->failed) {
        char *bigger = t->buf == t->small ? malloc(t->cap * 2) : realloc(t->buf, t->cap * 2);

        if (!bigger) {
            t->failed = true;
            return;
        }
        if (t->buf == t->small)
            memcpy(bigger, t->small, t->len);
        t->buf = bigger;
        t->cap *= 2;
    }
    if (!t->failed) {
        t->buf[t->len++] = c;
        t->buf[t->len] = '\0';
    }
}

/* Takes the next character into |t| if |accept| says so and the width allows; whether it did. */
static bool take_if(struct scan_in *in, struct token *t, long *width, bool accept)
{
    if (!accept || *width == 0)
        return false;
    token_add(t, (char)scan_peek(in));
    scan_take(in);
    (*width)--;
    return true;
}

static bool is_digit_in(int c, int base)
{
    if (c >= '0' && c <= '9')
        return c - '0' < base;
    return base == 16 && isxdigit(c);
}

/* A float's 0x prefix: glibc takes the x only when the width leaves room for a digit after it. */
static bool is_x(struct scan_in *in, long width)
{
    return (scan_peek(in) == 'x' || scan_peek(in) == 'X') && width >= 2;
}

/* An integer's text: sign, a 0x prefix where |base| allows one (0 or 16), digits. */
void scan_integer_text(struct scan_in *in, struct token *t, long width, int base)
{
    take_if(in, t, &width, scan_peek(in) == '+' || scan_peek(in) == '-');
    if ((base == 0 || base == 16) && take_if(in, t, &width, scan_peek(in) == '0')) {
        if (take_if(in, t, &width, scan_peek(in) == 'x' || scan_peek(in) == 'X'))
            base = 16;
        else if (base == 0)
            base = 8;
    }
    if (base == 0)
        base = 10;
    while (take_if(in, t, &width, is_digit_in(scan_peek(in), base)))
        ;
}

/* Takes as much of |word| (lower case) as the input spells, in any case. */
static void collect_word(struct scan_in *in, struct token *t, long *width, const char *word)
{
    while (*word && take_if(in, t, width, tolower(scan_peek(in)) == *word))
        word++;
}

/* A float's text: sign, then inf/infinity/nan, or [0x]digits[.digits][e|p[sign]digits]. */
void scan_float_text(struct scan_in *in, struct token *t, long width)
{
    bool hex = false, point = false;
    int c;

    take_if(in, t, &width, scan_peek(in) == '+' || scan_peek(in) == '-');
    c = tolower(scan_peek(in));
    if (c == 'i' || c == 'n') {
        collect_word(in, t, &width, c == 'i' ? INFINITY_WORD : NAN_WORD);
        return;
    }
    if (take_if(in, t, &width, c == '0'))
        hex = take_if(in, t, &width, is_x(in, width));
    for (;;) {
        c = scan_peek(in);
        if (!take_if(in, t, &width, is_digit_in(c, hex ? 16 : 10)) &&
            !(c == '.' && !point && (point = take_if(in, t, &width, true))))
            break;
    }
    c = tolower(scan_peek(in));
    if (take_if(in, t, &width, c == (hex ? 'p' : 'e'))) {
        take_if(in, t, &width, scan_peek(in) == '+' || scan_peek(in) == '-');
        while (take_if(in, t, &width, isdigit(scan_peek(in))))
            ;
    }
}

