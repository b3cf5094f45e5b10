/*
 * test_line_edit.c: the console's line discipline (libc/line_edit.c, with
 * libc/key_decode.c and libc/line_history.c), which the console driver runs
 * on every typed byte, fed scripted keystrokes on the host.  Checked: the
 * line a reader receives, and what the screen shows afterwards, through a
 * small terminal that understands what the discipline may send (bytes,
 * '\b', '\n').  Enter ends a line as '\n'; Backspace, Delete and Ctrl-U
 * erase one column per character (a UTF-8 character is several bytes but
 * one column), never more than the line holds; the arrows, Home and End
 * move the cursor and typing inserts there; Up and Down walk the last
 * LINE_HISTORY_MAX lines; escape sequences may be split anywhere, and a
 * broken or unknown one loses no byte typed after it; Ctrl-D ends the
 * input only on an empty line; Ctrl-C drops the line.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "libc/include/line_edit.h"
#include "tests/unit/check.h"

#define SCRIPT_MAX  320
#define ECHO_MAX    320
#define EVENTS_MAX  8
#define COLS        96                  /* wider than any line the tests type */

static const char *typed;               /* the keystrokes still to come */
static size_t typed_pos, typed_len;
static char echoed[ECHO_MAX];           /* what the discipline echoed */
static size_t echoed_len;

/* The test terminal: one row of cells (a UTF-8 character each) and a cursor. */
static char cells[COLS][5];
static size_t cursor;
static char screen[COLS * 4 + 1];       /* the row as text, trailing blanks cut */
static char ended[COLS * 4 + 1];        /* the last row a '\n' ended */
static const char *row(void);

static void terminal(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\b') {
            cursor -= cursor > 0;
        } else if (c == '\n') {
            strcpy(ended, row());
            memset(cells, 0, sizeof cells);     /* a new row */
            cursor = 0;
        } else if ((c & 0xc0) == 0x80 && cursor > 0 && strlen(cells[cursor - 1]) < 4) {
            strncat(cells[cursor - 1], (const char *)&c, 1);   /* more of the last character */
        } else if (cursor < COLS) {
            cells[cursor][0] = (char)c;
            cells[cursor++][1] = '\0';
        }
    }
}

static void echo(const char *buf, size_t len)
{
    if (echoed_len + len > ECHO_MAX)
        len = ECHO_MAX - echoed_len;
    memcpy(echoed + echoed_len, buf, len);
    echoed_len += len;
    terminal(buf, len);
}

/* What the terminal shows now: its row, trailing blanks cut (into |screen|). */
static const char *row(void)
{
    screen[0] = '\0';
    for (size_t i = 0; i < COLS && cells[i][0]; i++)
        strcat(screen, cells[i]);
    for (size_t n = strlen(screen); n > 0 && screen[n - 1] == ' '; n--)
        screen[n - 1] = '\0';
    return screen;
}

static struct { enum line_key what; char line[LINE_EDIT_MAX + 1]; } events[EVENTS_MAX];
static size_t nevents;

static void deliver(enum line_key what, const char *line, size_t len)
{
    if (nevents == EVENTS_MAX)
        return;
    events[nevents].what = what;
    if (len > 0)
        memcpy(events[nevents].line, line, len);
    events[nevents++].line[len] = '\0';
}

static struct line_history history;
static struct line_edit ed = { .echo = echo, .deliver = deliver, .history = &history };
static char line[LINE_EDIT_MAX + 1];
static char shown[COLS * 4 + 1];        /* the row as the line was handed over */

/*
 * Feeds the typed keys until the discipline hands over a line of at most
 * |room| bytes; copies it into |line|, NUL-terminated, and the terminal's
 * row into |shown|.  Its length; 0 at end of input (Ctrl-D, or no keys
 * left); -1 for Ctrl-C.
 */
static long read_line(size_t room)
{
    memset(line, 0, sizeof line);
    while (nevents == 0 && typed_pos < typed_len)
        line_edit_key(&ed, (unsigned char)typed[typed_pos++], room);
    strcpy(shown, row());
    if (nevents == 0)
        return 0;
    enum line_key what = events[0].what;
    strcpy(line, events[0].line);
    memmove(events, events + 1, --nevents * sizeof events[0]);
    if (what == LINE_INTERRUPT || (what == LINE_DONE && line[strlen(line) - 1] == '\n'))
        strcpy(shown, ended);           /* the row its '\n' ended */
    return what == LINE_DONE ? (long)strlen(line) : what == LINE_END_OF_INPUT ? 0 : -1;
}

#define ERASE       "\b \b"
#define CTRL_A      "\x01"
#define CTRL_D      "\x04"
#define CTRL_E      "\x05"
#define CTRL_U      "\x15"
#define DEL         "\x7f"
#define ESC         "\x1b"
#define UP          ESC "[A"
#define DOWN        ESC "[B"
#define RIGHT       ESC "[C"
#define LEFT        ESC "[D"
#define HOME        ESC "[H"
#define END         ESC "[F"
#define DELETE      ESC "[3~"
#define E_ACUTE     "\xc3\xa9"          /* U+00E9, two bytes in UTF-8 */
#define EURO        "\xe2\x82\xac"      /* U+20AC, three bytes */

/* Starts afresh: no history, an empty line and screen; then types |keys| and reads one line. */
static long type_line(const char *keys, size_t room)
{
    memset(&history, 0, sizeof history);
    memset(&ed.keys, 0, sizeof ed.keys);
    line_edit_reset(&ed);
    ed.after_cr = ed.partial = false;
    nevents = 0;
    memset(cells, 0, sizeof cells);
    ended[0] = '\0';
    cursor = 0;
    echoed_len = 0;
    memset(echoed, 0, sizeof echoed);
    typed = keys;
    typed_pos = 0;
    typed_len = strlen(keys);
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
    CHECK_STR(shown, "d");
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
    CHECK_EQ(type_line("abc" LEFT LEFT "\x03", SCRIPT_MAX), -1);
    CHECK_STR(shown, "abc^C");                 /* after the line, wherever the cursor was */
}

static void ctrl_u_erases_one_column_per_utf8_character(void)
{
    CHECK_EQ(type_line(E_ACUTE EURO "x" CTRL_U "y\r", SCRIPT_MAX), 2);
    CHECK_STR(line, "y\n");
    CHECK_STR(shown, "y");
}

static void left_then_typing_inserts_in_the_middle(void)
{
    CHECK_EQ(type_line("echo abd" LEFT "c\r", SCRIPT_MAX), 10);
    CHECK_STR(line, "echo abcd\n");
    CHECK_STR(shown, "echo abcd");
    CHECK_EQ(type_line("ac" LEFT LEFT LEFT "_" RIGHT "b" RIGHT RIGHT "d\r", SCRIPT_MAX), 6);
    CHECK_STR(line, "_abcd\n");              /* Left stops at the start, Right at the end */
    CHECK_STR(shown, "_abcd");
}

static void home_end_and_ctrl_a_ctrl_e(void)
{
    CHECK_EQ(type_line("bc" HOME "a" END "d" CTRL_A ">" CTRL_E "<\r", SCRIPT_MAX), 7);
    CHECK_STR(line, ">abcd<\n");
    CHECK_STR(shown, ">abcd<");
    CHECK_EQ(type_line("b" ESC "OH" "a" ESC "[1~" "<" ESC "[4~" "c\r", SCRIPT_MAX), 5);
    CHECK_STR(line, "<abc\n");               /* the other Home and End sequences terminals send */
}

static void erasing_in_the_middle_redraws_the_rest(void)
{
    CHECK_EQ(type_line("abxc" LEFT DEL "\r", SCRIPT_MAX), 4);
    CHECK_STR(line, "abc\n");
    CHECK_STR(shown, "abc");
    CHECK_EQ(type_line("abxc" LEFT LEFT DELETE "\r", SCRIPT_MAX), 4);
    CHECK_STR(line, "abc\n");
    CHECK_STR(shown, "abc");
    CHECK_EQ(type_line("xyzab" LEFT LEFT CTRL_U "\r", SCRIPT_MAX), 3);
    CHECK_STR(line, "ab\n");                 /* Ctrl-U: everything before the cursor */
    CHECK_STR(shown, "ab");
    CHECK_EQ(type_line("ab" DELETE HOME DEL "\r", SCRIPT_MAX), 3);
    CHECK_STR(line, "ab\n");                 /* nothing under the cursor, nothing before it */
}

static void utf8_characters_move_and_insert_whole(void)
{
    CHECK_EQ(type_line(E_ACUTE "b" LEFT LEFT "a" RIGHT EURO "\r", SCRIPT_MAX), 8);
    CHECK_STR(line, "a" E_ACUTE EURO "b\n");
    CHECK_STR(shown, "a" E_ACUTE EURO "b");
    CHECK_EQ(type_line("a" EURO "b" LEFT LEFT DELETE "\r", SCRIPT_MAX), 3);
    CHECK_STR(line, "ab\n");
}

/* The screen never receives an escape sequence: the discipline moves with backspaces. */
static void the_echo_has_no_escape_sequences(void)
{
    CHECK_EQ(type_line("abc" LEFT LEFT "x" HOME "y" END DEL UP "\r", SCRIPT_MAX), 5);
    CHECK_STR(line, "yaxb\n");
    CHECK(memchr(echoed, 0x1b, echoed_len) == NULL);
}

static void up_recalls_and_down_comes_back_to_the_draft(void)
{
    CHECK_EQ(type_line("one\rtwo\r" UP UP "\r", SCRIPT_MAX), 4);
    CHECK_STR(line, "one\n");
    CHECK_EQ(read_line(SCRIPT_MAX), 4);
    CHECK_STR(line, "two\n");
    CHECK_EQ(read_line(SCRIPT_MAX), 4);
    CHECK_STR(line, "one\n");                /* Up twice: two lines back */
    CHECK_STR(shown, "one");
    typed = "dr" UP UP UP UP DOWN DOWN DOWN DOWN "aft\r";     /* kept: one, two, one */
    typed_pos = 0;
    typed_len = strlen(typed);
    CHECK_EQ(read_line(SCRIPT_MAX), 6);
    CHECK_STR(line, "draft\n");              /* Up stops at the oldest, Down at the line typed */
    CHECK_STR(shown, "draft");
}

static void up_past_the_oldest_stays_and_empty_lines_are_not_kept(void)
{
    CHECK_EQ(type_line("a\r\r" UP UP UP "\r", SCRIPT_MAX), 2);
    CHECK_EQ(read_line(SCRIPT_MAX), 1);      /* the empty line */
    CHECK_EQ(read_line(SCRIPT_MAX), 2);
    CHECK_STR(line, "a\n");
    typed = "b\rb\r" UP UP "\r";             /* a repeat is one step, not two */
    typed_pos = 0;
    typed_len = strlen(typed);
    CHECK_EQ(read_line(SCRIPT_MAX), 2);
    CHECK_EQ(read_line(SCRIPT_MAX), 2);
    CHECK_EQ(read_line(SCRIPT_MAX), 2);
    CHECK_STR(line, "a\n");
}

/* LINE_HISTORY_MAX lines are kept: one more and the oldest is gone. */
static void history_keeps_the_last_sixteen(void)
{
    char keys[SCRIPT_MAX] = "";

    for (int i = 0; i <= LINE_HISTORY_MAX; i++)
        sprintf(keys + strlen(keys), "%c\r", 'a' + i);
    for (int i = 0; i <= LINE_HISTORY_MAX; i++)
        strcat(keys, UP);
    strcat(keys, "\r");
    CHECK_EQ(type_line(keys, SCRIPT_MAX), 2);
    for (int i = 1; i <= LINE_HISTORY_MAX; i++)
        CHECK_EQ(read_line(SCRIPT_MAX), 2);
    CHECK_EQ(read_line(SCRIPT_MAX), 2);
    CHECK_STR(line, "b\n");                  /* 'a' went; Up stopped at 'b' */
}

/* Editing a recalled line changes what is entered, not the line kept. */
static void an_edited_recall_leaves_the_history_alone(void)
{
    CHECK_EQ(type_line("cat\r" UP DEL "r\r" UP UP "\r", SCRIPT_MAX), 4);
    CHECK_EQ(read_line(SCRIPT_MAX), 4);
    CHECK_STR(line, "car\n");
    CHECK_EQ(read_line(SCRIPT_MAX), 4);
    CHECK_STR(line, "cat\n");
}

/* A recalled line shorter than the one shown blanks out the rest. */
static void a_shorter_recall_clears_the_row(void)
{
    CHECK_EQ(type_line("ab\r" "abcdef" UP "\r", SCRIPT_MAX), 3);
    CHECK_EQ(read_line(SCRIPT_MAX), 3);
    CHECK_STR(line, "ab\n");
    CHECK_STR(shown, "ab");
}

static void a_sequence_split_anywhere_is_one_key(void)
{
    struct key_decode d = { 0 };
    int keys[KEY_SEQ_MAX];

    CHECK_EQ(key_decode(&d, 0x1b, keys), 0);
    CHECK_EQ(key_decode(&d, '[', keys), 0);
    CHECK_EQ(key_decode(&d, '3', keys), 0);
    CHECK_EQ(key_decode(&d, '~', keys), 1);
    CHECK_EQ(keys[0], KEY_DELETE_FORWARD);
    CHECK_EQ(key_decode(&d, 'x', keys), 1);
    CHECK_EQ(keys[0], 'x');
}

static void unknown_sequences_are_dropped_whole(void)
{
    CHECK_EQ(type_line("a" ESC "[Z" "b" ESC "[1;5C" "c" ESC "[15~" "d" ESC "OP" "e\r", SCRIPT_MAX), 6);
    CHECK_STR(line, "abcde\n");             /* Shift-Tab, Ctrl-Right, F5, F1 */
}

/* A byte that cannot go on a sequence ends it: the bytes after its Esc count as typed. */
static void broken_sequences_lose_no_byte(void)
{
    CHECK_EQ(type_line("a" ESC "xb\r", SCRIPT_MAX), 4);
    CHECK_STR(line, "axb\n");                /* Alt-x: the x is kept */
    CHECK_EQ(type_line("a" ESC "[12\r", SCRIPT_MAX), 5);
    CHECK_STR(line, "a[12\n");               /* Enter inside a sequence still ends the line */
    CHECK_EQ(type_line(ESC "O" E_ACUTE "\r", SCRIPT_MAX), 4);
    CHECK_STR(line, "O" E_ACUTE "\n");
    CHECK_EQ(type_line("a\r" ESC ESC "[A\r", SCRIPT_MAX), 2);
    CHECK_EQ(read_line(SCRIPT_MAX), 2);
    CHECK_STR(line, "a\n");                  /* a second Esc starts the sequence afresh */
}

/* An endless parameter never makes a key: past KEY_SEQ_MAX bytes, it is all typed. */
static void an_overlong_sequence_is_typed(void)
{
    CHECK_EQ(type_line(ESC "[12345678901234567890C\r", SCRIPT_MAX), 23);
    CHECK_STR(line, "[12345678901234567890C\n");
}

/* A line filled in the middle is handed over whole; the history never keeps its pieces. */
static void a_full_line_goes_out_whole_and_is_no_history(void)
{
    CHECK_EQ(type_line("abc" LEFT "X" "d\r", 4), 4);
    CHECK_STR(line, "abXc");
    CHECK_EQ(read_line(4), 2);
    CHECK_STR(line, "d\n");
    typed = UP "\r";
    typed_pos = 0;
    typed_len = strlen(typed);
    CHECK_EQ(read_line(4), 1);
    CHECK_STR(line, "\n");
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
    RUN(left_then_typing_inserts_in_the_middle);
    RUN(home_end_and_ctrl_a_ctrl_e);
    RUN(erasing_in_the_middle_redraws_the_rest);
    RUN(utf8_characters_move_and_insert_whole);
    RUN(the_echo_has_no_escape_sequences);
    RUN(up_recalls_and_down_comes_back_to_the_draft);
    RUN(up_past_the_oldest_stays_and_empty_lines_are_not_kept);
    RUN(history_keeps_the_last_sixteen);
    RUN(an_edited_recall_leaves_the_history_alone);
    RUN(a_shorter_recall_clears_the_row);
    RUN(a_sequence_split_anywhere_is_one_key);
    RUN(unknown_sequences_are_dropped_whole);
    RUN(broken_sequences_lose_no_byte);
    RUN(an_overlong_sequence_is_typed);
    RUN(a_full_line_goes_out_whole_and_is_no_history);
    return check_status();
}
