/*
 * line_edit.h: the console's line discipline (libc/line_edit.c), which the
 * console driver (user/consoled.c) runs on every byte typed.
 *
 *   Enter ('\r', or '\n'; "\r\n" is one)  ends the line; it reads as '\n'
 *   Backspace (0x7f or 0x08)               erases the last character (all the
 *                                          bytes of a UTF-8 one, one column)
 *   Ctrl-U                                 erases the whole line
 *   Ctrl-D                                 on an empty line: end of input
 *   Ctrl-C                                 drops the line; the driver ends the
 *                                          foreground program
 * Other control characters are dropped.  A line that fills |room| bytes is
 * handed over as it is, and the rest follows in the next one.
 */
#ifndef EMBER_LINE_EDIT_H
#define EMBER_LINE_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#define LINE_EDIT_MAX   256

struct line_edit {
    char buf[LINE_EDIT_MAX];
    size_t n;                       /* bytes in |buf| */
    bool after_cr;                  /* the last byte was '\r': a '\n' now is the same Enter */
    void (*echo)(const char *s, size_t len);    /* what is shown as it is typed */
};

enum line_key {
    LINE_EDITED,                    /* keep typing */
    LINE_DONE,                      /* buf[0 .. n) is a line: take it, then line_edit_reset */
    LINE_END_OF_INPUT,              /* Ctrl-D on an empty line */
    LINE_INTERRUPT,                 /* Ctrl-C: the line is gone */
};

/* Applies typed byte |c|; a line is done at Enter or once it holds |room| bytes (<= LINE_EDIT_MAX). */
enum line_key line_edit_key(struct line_edit *e, unsigned char c, size_t room);
/* Starts a new, empty line (after taking a done one). */
void line_edit_reset(struct line_edit *e);

#endif
