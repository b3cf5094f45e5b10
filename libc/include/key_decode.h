/*
 * key_decode.h: typed bytes to keys (libc/key_decode.c).  A terminal sends
 * the arrows, Home, End and Delete as ANSI escape sequences (Esc [ C is the
 * right arrow); the console's line discipline (line_edit.h) feeds every
 * typed byte here and edits with the keys that come out.
 *
 * Every byte comes out once, as part of a key or as itself:
 *   - a byte outside a sequence is a key of its own (its value, 0..255);
 *   - a complete sequence is one key, KEY_UNKNOWN if it names none of ours;
 *   - a sequence that breaks off (a byte that cannot continue it, or more
 *     than KEY_SEQ_MAX bytes) gives back its bytes after the Esc as typed,
 *     then the byte that broke it, so nothing typed after a lone Esc or a
 *     partial sequence is lost.  The Esc itself is a control key.
 * A sequence may arrive split across any number of calls.
 */
#ifndef EMBER_KEY_DECODE_H
#define EMBER_KEY_DECODE_H

#include <stddef.h>

#define KEY_ESC         0x1b
#define KEY_SEQ_MAX     16      /* bytes in the longest sequence kept (a real key has at most 6) */

enum key {
    KEY_UP = 0x100,             /* above every byte value */
    KEY_DOWN,
    KEY_RIGHT,
    KEY_LEFT,
    KEY_HOME,
    KEY_END,
    KEY_DELETE_FORWARD,         /* the Delete key: the character under the cursor */
    KEY_UNKNOWN,                /* a complete sequence that is none of these (F1, Shift-Tab...) */
};

struct key_decode {
    unsigned char seq[KEY_SEQ_MAX];     /* the sequence so far, from its Esc; len 0: none */
    size_t len;
};

/*
 * Takes typed byte |c|; writes the keys it completes to |keys| (bytes as
 * 0..255, or enum key values) and returns how many (0 while a sequence is
 * still open, at most KEY_SEQ_MAX).
 */
size_t key_decode(struct key_decode *d, unsigned char c, int keys[KEY_SEQ_MAX]);

#endif
