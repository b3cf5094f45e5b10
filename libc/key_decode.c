/*
 * key_decode.c: ANSI escape sequences to keys (key_decode.h), a small state
 * machine whose state is the sequence read so far.  Pure logic, no system
 * calls: the console driver runs it on every typed byte, through the line
 * discipline (libc/line_edit.c), and the host unit test
 * (tests/unit/test_line_edit.c) feeds it split and broken sequences.
 *
 * The grammar is ECMA-48's, as far as keys use it:
 *   Esc [ P... I... F    CSI: parameter bytes P (0x30-0x3f: digits, ';'),
 *                        intermediate bytes I (0x20-0x2f), one final byte F
 *                        (0x40-0x7e).  Esc [ C is Right, Esc [ 3 ~ Delete.
 *   Esc O F              SS3, one final byte: Esc O H is Home in some terminals.
 * Only the keys the line discipline uses are named; a sequence with a
 * modifier (Esc [ 1 ; 5 C, Ctrl-Right) is KEY_UNKNOWN.
 */
#include <stdbool.h>
#include "libc/include/key_decode.h"

#define CSI_INTRO       '['
#define SS3_INTRO       'O'
#define BYTE_INTER_MIN  0x20    /* intermediate bytes, then parameter bytes, up to... */
#define BYTE_PARAM_MAX  0x3f
#define BYTE_FINAL_MIN  0x40    /* final bytes */
#define BYTE_FINAL_MAX  0x7e
#define PARAM_MAX       99      /* a longer number is no key of ours */

/* "Esc [ N ~" keys, by N (the VT220's numbering, which xterm and QEMU's terminals send). */
static int tilde_key(int n)
{
    switch (n) {
    case 1: case 7: return KEY_HOME;
    case 4: case 8: return KEY_END;
    case 3:         return KEY_DELETE_FORWARD;
    default:        return KEY_UNKNOWN;
    }
}

/* The key a final byte names, for sequences without a parameter. */
static int letter_key(unsigned char final)
{
    switch (final) {
    case 'A': return KEY_UP;
    case 'B': return KEY_DOWN;
    case 'C': return KEY_RIGHT;
    case 'D': return KEY_LEFT;
    case 'H': return KEY_HOME;
    case 'F': return KEY_END;
    default:  return KEY_UNKNOWN;
    }
}

/* The key of the complete sequence seq[0 .. len) + |final|. */
static int sequence_key(const unsigned char *seq, size_t len, unsigned char final)
{
    int n = 0;

    if (seq[1] == SS3_INTRO)
        return letter_key(final);
    for (size_t i = 2; i < len; i++) {
        if (seq[i] < '0' || seq[i] > '9' || n > PARAM_MAX)
            return KEY_UNKNOWN;         /* ';', an intermediate, a huge number: a modified key */
        n = n * 10 + (seq[i] - '0');
    }
    if (final == '~')
        return tilde_key(n);
    return n <= 1 ? letter_key(final) : KEY_UNKNOWN;    /* Esc [ 1 F is End too */
}

/* Whether |c| can be the next byte of the open sequence without ending it. */
static bool continues(const struct key_decode *d, unsigned char c)
{
    if (d->len == 1)
        return c == CSI_INTRO || c == SS3_INTRO;
    return d->seq[1] == CSI_INTRO && c >= BYTE_INTER_MIN && c <= BYTE_PARAM_MAX && d->len < KEY_SEQ_MAX - 1;
}

/* Whether |c| ends the open sequence as its final byte. */
static bool ends(const struct key_decode *d, unsigned char c)
{
    return d->len >= 2 && c >= BYTE_FINAL_MIN && c <= BYTE_FINAL_MAX;
}

size_t key_decode(struct key_decode *d, unsigned char c, int keys[KEY_SEQ_MAX])
{
    size_t n = 0;

    if (d->len > 0 && ends(d, c)) {
        keys[0] = sequence_key(d->seq, d->len, c);
        d->len = 0;
        return 1;
    }
    if (d->len > 0 && continues(d, c)) {
        d->seq[d->len++] = c;
        return 0;
    }
    if (d->len > 0) {                   /* broken off: its bytes after the Esc are typed */
        keys[n++] = KEY_ESC;
        for (size_t i = 1; i < d->len; i++)
            keys[n++] = d->seq[i];
        d->len = 0;
    }
    if (c == KEY_ESC)
        d->seq[d->len++] = c;           /* a new sequence (so Esc Esc [ A is Esc, then Up) */
    else
        keys[n++] = c;
    return n;
}
