/*
 * test_libc_console.c: the console line discipline (libc/console.c), fed
 * scripted keystrokes on the host: what a line reads as, and what is echoed.
 * Enter ends a line as '\n'; backspace and Ctrl-U erase what was typed, one
 * character on the screen per character in the line (a UTF-8 character is
 * several bytes but one column), never more than the line holds; Ctrl-D ends
 * the input only on an empty line.
 *
 * console.c is #included with its two system calls replaced by the fakes
 * below, and without libc/file.h (which wants libc's own headers): it uses
 * FILE only as an opaque pointer.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "tests/unit/check.h"

#define SCRIPT_MAX  64
#define ECHO_MAX    128

static const char *typed;               /* the keystrokes console_read hands out */
static size_t typed_pos, typed_len;
static char echoed[ECHO_MAX];           /* what console_write was given */
static size_t echoed_len;

static long console_read(void *buf, size_t len)
{
    if (len == 0 || typed_pos == typed_len)
        return 0;                       /* no more input: what a closed console says */
    *(char *)buf = typed[typed_pos++];
    return 1;
}

static long console_write(const void *buf, size_t len)
{
    if (echoed_len + len > ECHO_MAX)
        len = ECHO_MAX - echoed_len;
    memcpy(echoed + echoed_len, buf, len);
    echoed_len += len;
    return (long)len;
}

#define EMBER_LIBC_FILE_H               /* console.c's one include: not on the host */
#include "libc/console.c"

#define ERASE       "\b \b"
#define CTRL_D      "\x04"
#define CTRL_U      "\x15"
#define DEL         "\x7f"
#define E_ACUTE     "\xc3\xa9"          /* U+00E9, two bytes in UTF-8 */
#define EURO        "\xe2\x82\xac"      /* U+20AC, three bytes */

static char line[SCRIPT_MAX];

/* Reads one line of at most |room| bytes into |line|, NUL-terminated; its length (0: end of input). */
static long read_line(size_t room)
{
    long n;

    memset(line, 0, sizeof line);
    n = console_backend_read_line(NULL, line, room);
    if (n >= 0 && (size_t)n < sizeof line)
        line[n] = '\0';
    return n;
}

/* Types |keys| and reads one line of them (see read_line). */
static long type_line(const char *keys, size_t room)
{
    typed = keys;
    typed_pos = 0;
    typed_len = strlen(keys);
    echoed_len = 0;
    memset(echoed, 0, sizeof echoed);
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
    return check_status();
}
