/*
 * line_edit.c: the console's line discipline (line_edit.h), one typed byte
 * at a time.  Pure logic: the console driver calls it from its interrupt
 * path and gives it |echo|, which writes to the serial line; the host unit
 * test (tests/unit/test_line_edit.c) gives it a buffer.  No system calls,
 * no locks.
 */
#include "libc/include/line_edit.h"

#define KEY_BACKSPACE   0x08
#define KEY_DELETE      0x7f    /* what most terminals send for Backspace */
#define KEY_CTRL_C      0x03
#define KEY_CTRL_D      0x04
#define KEY_CTRL_U      0x15
#define UTF8_TAG_MASK       0xc0    /* the top two bits of a byte... */
#define UTF8_CONTINUATION   0x80    /* ...are 10 in every byte of a character but its first */

static const char erase_one[] = "\b \b";   /* back, blank it out, back again */

/* Whether a byte becomes part of the line: printable, a tab, or UTF-8 (>= 0x80). */
static bool is_line_char(unsigned char c)
{
    return c == '\t' || (c >= ' ' && c != KEY_DELETE);
}

/* Whether |c| continues a UTF-8 character (10xxxxxx) rather than starting one. */
static bool is_continuation(unsigned char c)
{
    return (c & UTF8_TAG_MASK) == UTF8_CONTINUATION;
}

/* Erases up to |count| characters from the end of the line: all the bytes of each, one column. */
static void erase(struct line_edit *e, size_t count)
{
    for (; count > 0 && e->n > 0; count--) {
        while (--e->n > 0 && is_continuation((unsigned char)e->buf[e->n]))
            ;
        e->echo(erase_one, sizeof erase_one - 1);
    }
}

void line_edit_reset(struct line_edit *e)
{
    e->n = 0;
}

enum line_key line_edit_key(struct line_edit *e, unsigned char c, size_t room)
{
    bool after_cr = e->after_cr;

    e->after_cr = c == '\r';
    if (c == '\n' && after_cr)
        return LINE_EDITED;             /* the second half of "\r\n" */
    if (c == '\r' || c == '\n') {
        e->buf[e->n++] = '\n';
        e->echo("\n", 1);
        return LINE_DONE;
    }
    if (c == KEY_CTRL_C) {
        e->n = 0;
        e->echo("^C\n", 3);
        return LINE_INTERRUPT;
    }
    if (c == KEY_CTRL_D)
        return e->n == 0 ? LINE_END_OF_INPUT : LINE_EDITED;
    if (c == KEY_DELETE || c == KEY_BACKSPACE)
        erase(e, 1);
    else if (c == KEY_CTRL_U)
        erase(e, e->n);
    else if (is_line_char(c)) {
        e->buf[e->n++] = (char)c;
        e->echo((const char *)&c, 1);
    }
    return e->n >= (room < LINE_EDIT_MAX ? room : LINE_EDIT_MAX) ? LINE_DONE : LINE_EDITED;
}
