/*
 * scan.h (libc-internal): what scanf.c (the conversions) shares with
 * scan_input.c (where characters come from, and the text of numbers).
 */
#ifndef EMBER_LIBC_SCAN_H
#define EMBER_LIBC_SCAN_H

#include <stdbool.h>
#include <stdio.h>

#define NO_AHEAD            (-2)        /* the look-ahead slot is empty (EOF is -1) */
#define SCAN_TOKEN_SMALL    128

struct scan_in {
    FILE *f;                    /* the FILE read, or NULL for the string |s| */
    const char *s;
    int ahead;                  /* a character looked at and not yet taken, or NO_AHEAD */
    long taken;                 /* characters taken so far: what %n stores */
};

/* The next character without taking it (EOF at the end). */
int scan_peek(struct scan_in *in);
void scan_take(struct scan_in *in);
void scan_skip_space(struct scan_in *in);

/* The text of one number; |failed| when the heap could not hold it. */
struct token {
    char *buf;
    size_t len, cap;
    bool failed;
    char small[SCAN_TOKEN_SMALL];
};

void token_init(struct token *t);
void token_free(struct token *t);

/*
 * The longest text of at most |width| characters that can begin a number:
 * an integer in |base| (0 or 16 allow a 0x prefix; 0 also a leading 0 for
 * octal) or a float (inf, infinity, nan, decimal or 0x hexadecimal).
 */
void scan_integer_text(struct scan_in *in, struct token *t, long width, int base);
void scan_float_text(struct scan_in *in, struct token *t, long width);

#endif
