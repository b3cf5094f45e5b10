/*
 * line_edit.c: the console's line discipline (line_edit.h), one typed byte
 * at a time.  Pure logic: the console driver calls it from its interrupt
 * path and gives it |echo|, which writes to the serial line, and
 * |deliver|, which takes finished lines; the host unit test
 * (tests/unit/test_line_edit.c) gives it a buffer and a small terminal.
 * No system calls, no locks.
 *
 * Bytes become keys first (key_decode.c: the arrows are escape sequences).
 * The line is |buf|, the cursor an index into it.  Each edit redraws only
 * what changed, from the cursor on: the new tail, blanks over what it no
 * longer covers, and backspaces to the cursor.  Those three are all a
 * terminal needs to understand, so the discipline sends no escape
 * sequence of its own.
 */
#include <string.h>
#include "libc/include/line_edit.h"

#define KEY_BACKSPACE   0x08
#define KEY_DELETE      0x7f    /* what most terminals send for Backspace */
#define KEY_CTRL_A      0x01
#define KEY_CTRL_C      0x03
#define KEY_CTRL_D      0x04
#define KEY_CTRL_E      0x05
#define KEY_CTRL_U      0x15
#define UTF8_TAG_MASK       0xc0    /* the top two bits of a byte... */
#define UTF8_CONTINUATION   0x80    /* ...are 10 in every byte of a character but its first */
#define RUN                 16      /* backspaces or blanks per echo call */

static const char backspaces[RUN] = "\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b";
static const char blanks[RUN + 1] = "                ";

/* Whether a byte becomes part of the line: printable, a tab, or UTF-8 (>= 0x80). */
static bool is_line_char(int c)
{
    return c == '\t' || (c >= ' ' && c != KEY_DELETE && c < KEY_UP);
}

/* Whether |c| continues a UTF-8 character (10xxxxxx) rather than starting one. */
static bool is_continuation(unsigned char c)
{
    return (c & UTF8_TAG_MASK) == UTF8_CONTINUATION;
}

/* Columns buf[from .. to) takes on the screen: one per character. */
static size_t columns(const struct line_edit *e, size_t from, size_t to)
{
    size_t cols = 0;

    for (size_t i = from; i < to; i++)
        cols += !is_continuation((unsigned char)e->buf[i]);
    return cols;
}

/* Echoes |count| copies of the |RUN|-byte pattern |run| ("\b" moves left, " " blanks). */
static void repeat(const struct line_edit *e, const char *run, size_t count)
{
    for (; count > RUN; count -= RUN)
        e->echo(run, RUN);
    if (count > 0)
        e->echo(run, count);
}

/* Shows buf[from .. to) as it stands, a tab as one blank (so every character is one column). */
static void show(const struct line_edit *e, size_t from, size_t to)
{
    for (size_t run = from; from < to; from = run) {
        while (run < to && e->buf[run] != '\t')
            run++;
        e->echo(e->buf + from, run - from);
        if (run < to) {
            e->echo(blanks, 1);         /* the tab */
            run++;
        }
    }
}

/*
 * Redraws from the cursor to the end after an edit there: the tail, then
 * |cleared| blanks over columns the line no longer covers, then back to the
 * cursor.  The screen's cursor must already be at |at|.
 */
static void redraw_tail(const struct line_edit *e, size_t cleared)
{
    show(e, e->at, e->n);
    repeat(e, blanks, cleared);
    repeat(e, backspaces, columns(e, e->at, e->n) + cleared);
}

/* Where the character before |i| starts (i > 0). */
static size_t char_before(const struct line_edit *e, size_t i)
{
    while (--i > 0 && is_continuation((unsigned char)e->buf[i]))
        ;
    return i;
}

/* Where the character at |i| ends (i < n). */
static size_t char_after(const struct line_edit *e, size_t i)
{
    while (++i < e->n && is_continuation((unsigned char)e->buf[i]))
        ;
    return i;
}

/* Moves the cursor to |to|, on the screen as well (left with backspaces, right by rewriting). */
static void move_to(struct line_edit *e, size_t to)
{
    if (to < e->at)
        repeat(e, backspaces, columns(e, to, e->at));
    else
        show(e, e->at, to);
    e->at = to;
}

/* Removes buf[from .. to) (the cursor at |from| afterwards) and redraws the rest. */
static void cut(struct line_edit *e, size_t from, size_t to)
{
    size_t cols = columns(e, from, to);

    move_to(e, from);
    memmove(e->buf + from, e->buf + to, e->n - to);
    e->n -= to - from;
    redraw_tail(e, cols);
}

/* How many bytes the UTF-8 character that |lead| starts has (1 for ASCII and for stray bytes). */
static size_t utf8_length(unsigned char lead)
{
    return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/*
 * Inserts byte |c| at the cursor.  At the end of the line it is echoed as
 * it comes; in the middle, the tail is redrawn once the character is
 * whole (a terminal cannot show half of one), from its first byte on.
 */
static void insert(struct line_edit *e, unsigned char c)
{
    size_t start = e->at;

    memmove(e->buf + e->at + 1, e->buf + e->at, e->n - e->at);
    e->buf[e->at++] = (char)c;
    e->n++;
    while (start > 0 && is_continuation((unsigned char)e->buf[start]))
        start--;                        /* the first byte of the character typed */
    if (e->at == e->n) {
        show(e, e->at - 1, e->n);
    } else if (e->at - start >= utf8_length((unsigned char)e->buf[start])) {
        show(e, start, e->n);
        repeat(e, backspaces, columns(e, e->at, e->n));
    }
}

/* Shows |len| bytes of |text| as the whole line, the cursor at its end. */
static void replace(struct line_edit *e, const char *text, size_t len)
{
    size_t old = columns(e, 0, e->n);

    move_to(e, 0);
    memcpy(e->buf, text, len);
    e->n = len;
    show(e, 0, e->n);
    e->at = e->n;
    size_t now = columns(e, 0, e->n);
    if (old > now) {
        repeat(e, blanks, old - now);
        repeat(e, backspaces, old - now);
    }
}

/* Up (+1) or Down (-1) through the history; the line being typed is kept as the draft. */
static void walk_history(struct line_edit *e, int step, size_t room)
{
    size_t age = e->age + (size_t)step, len = 0;
    const char *line = e->history && age > 0 ? line_history_get(e->history, age, &len) : NULL;

    if (step < 0 && e->age == 0)
        return;
    if (age > 0 && !line)
        return;                         /* past the oldest: stay */
    if (e->age == 0) {
        memcpy(e->draft, e->buf, e->n);
        e->draft_n = e->n;
    }
    if (age == 0) {
        line = e->draft;
        len = e->draft_n;
    }
    e->age = age;
    replace(e, line, len < room ? len : room - 1);   /* room < a line kept: only the unit test's */
}

/* Hands the line over (Enter, or a full line) and starts the next. */
static void finish(struct line_edit *e, bool entered)
{
    if (entered && e->history && !e->partial)
        line_history_add(e->history, e->buf, e->n);
    move_to(e, e->n);
    if (entered) {
        e->buf[e->n++] = '\n';
        e->echo("\n", 1);
    }
    e->partial = !entered;
    e->deliver(LINE_DONE, e->buf, e->n);
    line_edit_reset(e);
}

/* The keys that move the cursor or change the line; false for any other key. */
static bool edit(struct line_edit *e, int key, size_t room)
{
    switch (key) {
    case KEY_LEFT:   if (e->at > 0) move_to(e, char_before(e, e->at)); return true;
    case KEY_RIGHT:  if (e->at < e->n) move_to(e, char_after(e, e->at)); return true;
    case KEY_CTRL_A:
    case KEY_HOME:   move_to(e, 0); return true;
    case KEY_CTRL_E:
    case KEY_END:    move_to(e, e->n); return true;
    case KEY_UP:     walk_history(e, 1, room); return true;
    case KEY_DOWN:   walk_history(e, -1, room); return true;
    case KEY_DELETE:
    case KEY_BACKSPACE:
        if (e->at > 0) cut(e, char_before(e, e->at), e->at);
        return true;
    case KEY_DELETE_FORWARD:
        if (e->at < e->n) cut(e, e->at, char_after(e, e->at));
        return true;
    case KEY_CTRL_U: cut(e, 0, e->at); return true;
    default:         return false;
    }
}

/* One key: ends the line, or edits it. */
static void apply(struct line_edit *e, int key, size_t room)
{
    bool after_cr = e->after_cr;

    e->after_cr = key == '\r';
    if (key == '\n' && after_cr)
        return;                         /* the second half of "\r\n" */
    if (key == '\r' || key == '\n') {
        finish(e, true);
    } else if (key == KEY_CTRL_C) {
        move_to(e, e->n);               /* "^C" after the line, not over its tail */
        e->echo("^C\n", 3);
        line_edit_reset(e);
        e->partial = false;
        e->deliver(LINE_INTERRUPT, NULL, 0);
    } else if (key == KEY_CTRL_D) {
        if (e->n == 0)
            e->deliver(LINE_END_OF_INPUT, NULL, 0);
    } else if (!edit(e, key, room) && is_line_char(key)) {
        insert(e, (unsigned char)key);
    }
    if (e->n >= room)
        finish(e, false);
}

void line_edit_reset(struct line_edit *e)
{
    e->n = 0;
    e->at = 0;
    e->age = 0;
}

void line_edit_key(struct line_edit *e, unsigned char c, size_t room)
{
    int keys[KEY_SEQ_MAX];
    size_t count = key_decode(&e->keys, c, keys);

    if (room > LINE_EDIT_MAX || room == 0)
        room = LINE_EDIT_MAX;
    for (size_t i = 0; i < count; i++)
        apply(e, keys[i], room);
}
