/*
 * test_line_edit.c: the console's line discipline (libc/line_edit.c), which
 * the console driver runs on every typed byte, fed scripted keystrokes on
 * the host: what a line reads as, and what is echoed.  Enter ends a line as
 * '\n'; backspace and Ctrl-U erase what was typed, one character on the
 * screen per character in the line (a UTF-8 character is several bytes but
 * one column), never more than the line holds; Ctrl-D ends the input only
 * on an empty line; Ctrl-C drops the line.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "libc/include/line_edit.h"
#include "tests/unit/check.h"

#define SCRIPT_MAX  64
#define ECHO_MAX    128

static const char *typed;               /* the keystrokes still to come */
static size_t typed_pos, typed_len;
static char echoed[ECHO_MAX];           /* what the discipline echoed */
static size_t echoed_len;

static void echo(const char *buf, size_t len)
{
    if (echoed_len + len > ECHO_MAX)
        len = ECHO_MAX - echoed_len;
    memcpy(echoed + echoed_len, buf, len);
    echoed_len += len;
}

static struct line_edit ed = { .echo = echo };
static char line[SCRIPT_MAX];

/*
 * Feeds the typed keys until a line of at most |room| bytes is done; copies
 * it into |line|, NUL-terminated.  Its length; 0 at end of input (Ctrl-D,
 * or no keys left); -1 for Ctrl-C.
 */
static long read_line(size_t room)
{
    memset(line, 0, sizeof line);
    while (typed_pos < typed_len) {
        switch (line_edit_key(&ed, (unsigned char)typed[typed_pos++], room)) {
        case LINE_DONE: {
            long n = (long)ed.n;
            memcpy(line, ed.buf, ed.n);
            line_edit_reset(&ed);
            return n;
        }
        case LINE_END_OF_INPUT: return 0;
        case LINE_INTERRUPT: return -1;
        case LINE_EDITED: break;
        }
    }
    return 0;
}

#define ERASE       "\b \b"
#define CTRL_D      "\x04"
#define CTRL_U      "\x15"
#define DEL         "\x7f"
#define E_ACUTE     "\xc3\xa9"          /* U+00E9, two bytes in UTF-8 */
#define EURO        "\xe2\x82\xac"      /* U+20AC, three bytes */

/* Types |keys| and reads one line of them (see read_line). */
static long type_line(const char *keys, size_t room)
{
    typed = keys;
    typed_pos = 0;
    typed_len = strlen(keys);
    echoed_len = 0;
    memset(echoed, 0, sizeof echoed);
    line_edit_reset(&ed);
    ed.after_cr = false;
    return read_line(room);
}

static void plain_line_is_echoed_and_ends_in_newline(void)
{
    CHECK_EQ(type_line("ls /bin\r", SCRIPT_MAX), 8);
    CHECK_STR(line, "ls /bin\n");
    CHECK_STR(echoed, "ls /bin\n");
}

static void backspace_on_an_empty_line_erases_nothing(void)
{
    CHECK_EQ(type_line(DEL DEL "a\b\bb\r", SCRIPT_MAX), 2);
    CHECK_STR(line, "b\n");
    CHECK_STR(echoed, "a" ERASE "b\n");          /* one erase: the prompt is left alone */
}

static void ctrl_d_ends_input_only_on_an_empty_line(void)
{
    CHECK_EQ(type_line(CTRL_D, SCRIPT_MAX), 0);
    CHECK_EQ(type_line("ab" CTRL_D "c\r", SCRIPT_MAX), 4);
    CHECK_STR(line, "abc\n");
    CHECK_EQ(type_line("a" DEL CTRL_D, SCRIPT_MAX), 0);     /* emptied again: end of input */
}

static void ctrl_u_erases_the_whole_line(void)
{
    CHECK_EQ(type_line("abc" CTRL_U "d\r", SCRIPT_MAX), 2);
    CHECK_STR(line, "d\n");
    CHECK_STR(echoed, "abc" ERASE ERASE ERASE "d\n");
}

static void cr_lf_is_one_enter(void)
{
    CHECK_EQ(type_line("a\r\nb\r", SCRIPT_MAX), 2);
    CHECK_STR(line, "a\n");
    CHECK_EQ(read_line(SCRIPT_MAX), 2);        /* the '\n' after the '\r' was skipped */
    CHECK_STR(line, "b\n");
}

/* A full buffer hands the line over in pieces; nothing is lost or written past |room|. */
static void long_line_comes_in_pieces(void)
{
    CHECK_EQ(type_line("abcdef\r", 4), 4);
    CHECK_STR(line, "abcd");
    CHECK_EQ(read_line(4), 3);
    CHECK_STR(line, "ef\n");
}

/* Backspace over a UTF-8 character removes all of its bytes and erases one column. */
static void backspace_erases_a_whole_utf8_character(void)
{
    CHECK_EQ(type_line("a" E_ACUTE DEL "b\r", SCRIPT_MAX), 3);
    CHECK_STR(line, "ab\n");
    CHECK_STR(echoed, "a" E_ACUTE ERASE "b\n");
    CHECK_EQ(type_line(EURO DEL DEL "c\r", SCRIPT_MAX), 2);
    CHECK_STR(line, "c\n");
    CHECK_STR(echoed, EURO ERASE "c\n");         /* the second DEL finds the line empty */
}

static void ctrl_c_drops_the_line(void)
{
    CHECK_EQ(type_line("abc\x03" "d\r", SCRIPT_MAX), -1);
    CHECK_STR(echoed, "abc^C\n");
    CHECK_EQ(read_line(SCRIPT_MAX), 2);        /* typing goes on in a new line */
    CHECK_STR(line, "d\n");
}

static void ctrl_u_erases_one_column_per_utf8_character(void)
{
    CHECK_EQ(type_line(E_ACUTE EURO "x" CTRL_U "y\r", SCRIPT_MAX), 2);
    CHECK_STR(line, "y\n");
    CHECK_STR(echoed, E_ACUTE EURO "x" ERASE ERASE ERASE "y\n");
}

int main(void)
{
    RUN(plain_line_is_echoed_and_ends_in_newline);
    RUN(backspace_on_an_empty_line_erases_nothing);
    RUN(ctrl_d_ends_input_only_on_an_empty_line);
    RUN(ctrl_u_erases_the_whole_line);
    RUN(cr_lf_is_one_enter);
    RUN(long_line_comes_in_pieces);
    RUN(backspace_erases_a_whole_utf8_character);
    RUN(ctrl_u_erases_one_column_per_utf8_character);
    RUN(ctrl_c_drops_the_line);
    return check_status();
}
