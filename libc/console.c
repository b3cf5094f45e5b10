/*
 * console.c: the console as a FILE backend, with the line discipline.
 *
 * The kernel hands us the bytes of the serial line exactly as typed and
 * echoes nothing, so reading stdin like a terminal is our job: one line at a
 * time, echoing each character, with these keys:
 *   Enter ('\r', or '\n' from a pipe)   ends the line; the program sees '\n'
 *   Backspace (0x7f or 0x08)            erases the last character (all the
 *                                       bytes of a UTF-8 one, one column)
 *   Ctrl-U                              erases the whole line
 *   Ctrl-D                              on an empty line: end of input
 * Other control characters are dropped (so are Ctrl-D on a non-empty line and
 * the escape byte of arrow keys, though not the letters after it).  A line
 * longer than the buffer is handed over in pieces, each past erasing.
 */
#include "libc/file.h"

#define KEY_BACKSPACE   0x08
#define KEY_DELETE      0x7f    /* what most terminals send for Backspace */
#define KEY_CTRL_D      0x04
#define KEY_CTRL_U      0x15
#define UTF8_TAG_MASK       0xc0    /* the top two bits of a byte... */
#define UTF8_CONTINUATION   0x80    /* ...are 10 in every byte of a character but its first */

static const char erase_one[] = "\b \b";   /* back, blank it out, back again */

long console_backend_write(FILE *f, const char *buf, size_t len)
{
    (void)f;
    return console_write(buf, len);
}

static void echo(const char *s, size_t len)
{
    console_write(s, len);
}

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

/*
 * Erases up to |count| characters from the end of the line buf[0 .. n): all
 * the bytes of each, and one column on screen.  Returns the new length.
 */
static size_t erase(const char *buf, size_t n, size_t count)
{
    for (; count > 0 && n > 0; count--) {
        while (--n > 0 && is_continuation((unsigned char)buf[n]))
            ;
        echo(erase_one, sizeof erase_one - 1);
    }
    return n;
}

enum key_result { KEY_EDITED, KEY_END_OF_LINE, KEY_END_OF_INPUT };

/* Applies one typed byte |c| to the line buf[0 .. *n). */
static enum key_result edit_line(char *buf, size_t *n, unsigned char c)
{
    if (c == '\r' || c == '\n') {
        buf[(*n)++] = '\n';
        echo("\n", 1);
        return KEY_END_OF_LINE;
    }
    if (c == KEY_CTRL_D && *n == 0)
        return KEY_END_OF_INPUT;
    if (c == KEY_DELETE || c == KEY_BACKSPACE)
        *n = erase(buf, *n, 1);
    else if (c == KEY_CTRL_U)
        *n = erase(buf, *n, *n);
    else if (is_line_char(c)) {
        buf[(*n)++] = (char)c;
        echo((const char *)&c, 1);
    }
    return KEY_EDITED;
}

/*
 * Reads one edited line into |buf| (at most |len| bytes, '\n' included).
 * Returns its length, 0 at end of input (Ctrl-D, or console_read returning
 * 0), or an E_* code from console_read.
 * A "\r\n" pair is one Enter: |after_cr| remembers a line that ended in '\r'.
 */
long console_backend_read_line(FILE *f, char *buf, size_t len)
{
    static bool after_cr;
    size_t n = 0;
    unsigned char c;

    (void)f;
    while (n < len) {
        long got = console_read(&c, 1);

        if (got <= 0)                   /* an error, or no console input at all */
            return n > 0 ? (long)n : got;
        if (c == '\n' && after_cr) {
            after_cr = false;
            continue;
        }
        after_cr = c == '\r';
        switch (edit_line(buf, &n, c)) {
        case KEY_END_OF_LINE: return (long)n;
        case KEY_END_OF_INPUT: return 0;
        case KEY_EDITED: break;
        }
    }
    return (long)n;
}
