/*
 * line_edit.h: the console's line discipline (libc/line_edit.c), which the
 * console driver (user/consoled.c) runs on every byte typed.
 *
 *   Enter ('\r', or '\n'; "\r\n" is one)  ends the line, wherever the cursor
 *                                          is; it reads as '\n'
 *   Left, Right                            move the cursor one character;
 *                                          typing inserts at the cursor
 *   Home, End (or Ctrl-A, Ctrl-E)          to the start, to the end
 *   Backspace (0x7f or 0x08)               erases the character before the
 *                                          cursor (all the bytes of a UTF-8
 *                                          one, one column)
 *   Delete                                 erases the character under it
 *   Ctrl-U                                 erases everything before it
 *   Up, Down                               walk the history (line_history.h):
 *                                          older, newer, back to the line
 *                                          being typed
 *   Ctrl-D                                 on an empty line: end of input
 *   Ctrl-C                                 drops the line; the driver ends the
 *                                          foreground program
 * Keys come from key_decode.h; other control keys and unknown sequences are
 * dropped.  The screen is redrawn with backspaces, spaces and the line's own
 * bytes, one column per character (a tab shows as one space), so editing
 * assumes the line fits in one row of the terminal.  A line that fills
 * |room| bytes is handed over as it is, and the rest follows in the next one.
 */
#ifndef EMBER_LINE_EDIT_H
#define EMBER_LINE_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include "libc/include/key_decode.h"
#include "libc/include/line_history.h"

#define LINE_EDIT_MAX   256

enum line_key {
    LINE_DONE,                      /* a line: its bytes, '\n' last unless it filled |room| */
    LINE_END_OF_INPUT,              /* Ctrl-D on an empty line */
    LINE_INTERRUPT,                 /* Ctrl-C: the line is gone */
};

struct line_edit {
    char buf[LINE_EDIT_MAX];
    size_t n;                       /* bytes in |buf| */
    size_t at;                      /* the cursor: before buf[at], 0 <= at <= n */
    bool after_cr;                  /* the last byte was '\r': a '\n' now is the same Enter */
    bool partial;                   /* part of this line went out already: it is no history */
    size_t age;                     /* 0: the line being typed is shown; k: history line k */
    char draft[LINE_EDIT_MAX];      /* the line being typed, kept while Up shows older ones */
    size_t draft_n;
    struct key_decode keys;         /* an escape sequence half read */
    struct line_history *history;   /* the lines Up recalls; NULL for none */
    void (*echo)(const char *s, size_t len);    /* what is shown as it is typed */
    /* What a key finished: a line (|len| bytes at |line|), an end of input, an interrupt. */
    void (*deliver)(enum line_key what, const char *line, size_t len);
};

/* Applies typed byte |c|; a line is done at Enter or once it holds |room| bytes (1..LINE_EDIT_MAX; 0 is LINE_EDIT_MAX). */
void line_edit_key(struct line_edit *e, unsigned char c, size_t room);
/* Starts a new, empty line, the cursor at its start. */
void line_edit_reset(struct line_edit *e);

#endif
