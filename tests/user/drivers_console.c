/*
 * drivers_console: the console driver, consoled (issue 9, items 2 and 5).
 * Each case starts its own consoled -t with COM1's ports and IRQ 4, as the
 * supervisor does (-t lets the case type: CONSOLE_INJECT).  Checked: writes
 * go out through it, and stdio uses it (those bytes are then not in the
 * kernel's log, which has them only when there is no driver); the line
 * discipline over the port (editing, a read that waits for a line, Ctrl-D;
 * the arrows, Home and End inserting in the middle, the history, escape
 * sequences split across two requests or unknown, a line longer than the
 * editor's buffer);
 * Ctrl-C ends the foreground process and nothing else; without -t nobody
 * can type for the user.  The kill storm is drivers_console_storm.
 */
#include <service.h>
#include <stdio.h>
#include "tests/user/util.h"

#define CONSOLED_PATH   "/bin/consoled"
#define COM1_BASE       0x3f8
#define COM1_PORTS      8
#define COM1_IRQ        4
#define LOG_MAX         (16 * 1024)
#define TEXT_MAX        128
#define LONG_LINE       300             /* more than LINE_EDIT_MAX: it comes in pieces */
#define UP              "\x1b[A"
#define LEFT            "\x1b[D"
#define HOME            "\x1b[H"
#define END             "\x1b[F"
#define HELD_READERS    16              /* consoled's MAX_READERS */

static struct svc_conn console = { CONSOLE_PORT_NAME, 0 };
static char logbuf[LOG_MAX + 1];

/* "--print TEXT": prints TEXT with printf (the console backend) and exits. */
static int helper_print(int argc, char **argv)
{
    (void)argc;
    printf("%s\n", argv[0]);
    return 0;
}

/* "--read": one CONSOLE_READ on a connection of its own; exits with its status. */
static int helper_read(int argc, char **argv)
{
    struct svc_conn own = { CONSOLE_PORT_NAME, 0 };
    uint32_t room = 16;
    char text[16];

    (void)argc, (void)argv;
    return (int)svc_call(&own, CONSOLE_READ, &room, sizeof room, 0, text, room);
}

static const struct helper_mode helpers[] = {
    { "--print", helper_print },
    { "--read", helper_read },
    { "--spin", helper_spin },
    { "--sleep", helper_sleep },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* Starts consoled (with -t when |typing|) as svcmgr would, and waits for its port. */
static handle_t start_consoled(bool typing)
{
    const char *argv[] = { CONSOLED_PATH, typing ? "-t" : NULL, NULL };
    handle_t hs[DRIVER_HANDLES] = { 0 };
    handle_t h, probe = E_NOTFOUND;

    hs[DRIVER_IOPORT_HANDLE] = ioport_create(startup_resource(), COM1_BASE, COM1_PORTS);
    hs[DRIVER_IRQ_HANDLE] = interrupt_create(startup_resource(), COM1_IRQ);
    ASSERT_TRUE(hs[DRIVER_IOPORT_HANDLE] > 0 && hs[DRIVER_IRQ_HANDLE] > 0);
    h = process_spawn(CONSOLED_PATH, argv, hs, DRIVER_HANDLES);
    handle_close(hs[DRIVER_IOPORT_HANDLE]);
    handle_close(hs[DRIVER_IRQ_HANDLE]);
    ASSERT_TRUE(h > 0);
    for (int i = 0; i < 500 && (probe = object_open(CONSOLE_PORT_NAME, OB_TYPE_PORT)) < 0; i++)
        thread_sleep(10 * NS_PER_MS);
    ASSERT_TRUE(probe > 0);
    handle_close(probe);
    return h;
}

static void type(const char *keys)
{
    ASSERT_EQ(svc_call(&console, CONSOLE_INJECT, keys, (uint32_t)strlen(keys), 0, NULL, 0), 0);
}

/* One CONSOLE_READ into |text| (NUL-terminated): its status. */
static long read_line(char *text)
{
    uint32_t room = TEXT_MAX - 1;

    memset(text, 0, TEXT_MAX);
    return svc_call(&console, CONSOLE_READ, &room, sizeof room, 0, text, room);
}

/* Whether the kernel's log holds |text|. */
static bool logged(const char *text)
{
    long n = log_read(logbuf, LOG_MAX);

    logbuf[n > 0 ? n : 0] = '\0';
    return strstr(logbuf, text) != NULL;
}

TEST(writes_go_out_through_the_driver)
{
    static const char line[] = "drivers_console: a line through consoled\n";
    handle_t d = start_consoled(false);

    EXPECT_EQ(svc_call(&console, CONSOLE_WRITE, line, sizeof line - 1, 0, NULL, 0),
              (long)sizeof line - 1);
    EXPECT_FALSE(logged("a line through consoled"));    /* not the kernel's path */
    kill_and_reap(d);
}

TEST(stdio_uses_the_driver_and_falls_back_to_the_kernel_log)
{
    struct process_status st;
    handle_t d = start_consoled(false);

    ASSERT_EQ(run_self("--print", "drivers_console-marker-through-driver", &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_FALSE(logged("drivers_console-marker-through-driver"));
    kill_and_reap(d);
    ASSERT_EQ(run_self("--print", "drivers_console-marker-no-driver", &st), 0);
    EXPECT_TRUE(logged("drivers_console-marker-no-driver"));     /* no driver: never lost */
}

TEST(a_typed_line_is_edited_and_read)
{
    char text[TEXT_MAX];
    handle_t d = start_consoled(true);

    type("hello\x7f\x7fp!\r");
    EXPECT_EQ(read_line(text), 6);
    EXPECT_STR(text, "help!\n");
    type("abc\x15xyz\r\n");             /* Ctrl-U, and "\r\n" is one Enter */
    EXPECT_EQ(read_line(text), 4);
    EXPECT_STR(text, "xyz\n");
    type("\x04");                       /* Ctrl-D on an empty line: end of input */
    EXPECT_EQ(read_line(text), 0);
    kill_and_reap(d);
}

/*
 * Types each of the |n| strings of |keys| as its own request (so consoled
 * handles them apart) into a consoled of the case's own; the line read must be |want|.
 */
static void typed_reads_as(const char *const *keys, size_t n, const char *want)
{
    char text[TEXT_MAX];
    handle_t d = start_consoled(true);

    for (size_t i = 0; i < n; i++)
        type(keys[i]);
    EXPECT_EQ(read_line(text), (long)strlen(want));
    EXPECT_STR(text, want);
    kill_and_reap(d);
}

TEST(arrows_home_and_end_edit_in_the_middle)
{
    const char *keys[] = { "echo abd" LEFT "c" HOME "#" END "!\r" };

    typed_reads_as(keys, ARRAY_LEN(keys), "#echo abcd!\n");
}

TEST(up_recalls_a_line_read_before)
{
    char text[TEXT_MAX];
    handle_t d = start_consoled(true);

    type("first\r");
    EXPECT_EQ(read_line(text), 6);
    type("second\r");
    EXPECT_EQ(read_line(text), 7);
    type(UP UP "\r");
    EXPECT_EQ(read_line(text), 6);
    EXPECT_STR(text, "first\n");
    kill_and_reap(d);
}

TEST(an_escape_split_across_requests_is_one_key)
{
    const char *keys[] = { "ab\x1b", "[", "DX\r" };

    typed_reads_as(keys, ARRAY_LEN(keys), "aXb\n");
}

TEST(unknown_or_broken_escapes_lose_no_typed_byte)
{
    const char *keys[] = { "a\x1b[Zb\x1bxc\x1b[1;5Cd\r" };  /* Shift-Tab, Alt-x, Ctrl-Right */

    typed_reads_as(keys, ARRAY_LEN(keys), "abxcd\n");
}

/* LONG_LINE bytes: the editor hands over LINE_EDIT_MAX, then the rest; none kept as history. */
TEST(a_line_longer_than_the_editor_arrives_whole_in_pieces)
{
    static char keys[LONG_LINE + 2];
    char text[TEXT_MAX];
    long total = 0, n;
    bool all_x = true;
    handle_t d = start_consoled(true);

    memset(keys, 'x', LONG_LINE);
    keys[LONG_LINE] = '\r';
    type(keys);
    while (total <= LONG_LINE && (n = read_line(text)) > 0) {
        for (long i = 0; i < n; i++)
            all_x &= text[i] == (total + i == LONG_LINE ? '\n' : 'x');
        total += n;
    }
    EXPECT_EQ(total, LONG_LINE + 1);
    EXPECT_TRUE(all_x);
    type(UP "\r");
    EXPECT_EQ(read_line(text), 1);      /* the pieces are no line to recall */
    kill_and_reap(d);
}

static char waited_line[TEXT_MAX];
static volatile long waited_result = NOT_YET;

static void reader(void *arg)
{
    (void)arg;
    static struct svc_conn own = { CONSOLE_PORT_NAME, 0 };
    uint32_t room = TEXT_MAX - 1;

    waited_result = svc_call(&own, CONSOLE_READ, &room, sizeof room, 0, waited_line, room);
}

TEST(a_read_waits_for_a_line)
{
    handle_t d = start_consoled(true);
    handle_t t = thread_start(reader, NULL, 0);

    ASSERT_TRUE(t > 0);
    thread_sleep(200 * NS_PER_MS);
    EXPECT_EQ(waited_result, NOT_YET);  /* nothing typed yet */
    type("late\r");
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(waited_result, 5);
    EXPECT_STR(waited_line, "late\n");
    handle_close(t);
    kill_and_reap(d);
}

TEST(ctrl_c_ends_the_foreground_process_only)
{
    handle_t d = start_consoled(true);
    handle_t spinner = spawn_self("--spin", NULL), bystander = spawn_sleeper();
    struct process_status st;

    ASSERT_TRUE(spinner > 0);
    ASSERT_EQ(console_set_foreground(spinner), 0);
    type("some typing\x03");
    EXPECT_EQ(object_wait(spinner, CHILD_TIMEOUT_NS), 0);
    process_status(spinner, &st);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    EXPECT_EQ(st.exit_code, CONSOLE_INTERRUPT_CODE);
    handle_close(spinner);
    EXPECT_ERR(object_wait(bystander, 0), E_TIMEDOUT);     /* untouched */
    EXPECT_EQ(console_set_foreground(0), 0);
    type("\x03");                       /* no foreground: nothing to end */
    EXPECT_ERR(object_wait(bystander, 100 * NS_PER_MS), E_TIMEDOUT);
    kill_and_reap(bystander);
    kill_and_reap(d);
}

/*
 * Bad input to the foreground: a handle value that names nothing, and a
 * handle of the wrong type, sent through libc and straight to the driver.
 * Each is a clear error, and the driver goes on serving.
 */
TEST(a_foreground_that_is_not_a_process_or_job_is_refused)
{
    handle_t d = start_consoled(true);
    handle_t ev = event_create(0, NULL);
    static const char line[] = "drivers_console: still serving\n";

    ASSERT_TRUE(ev > 0);
    EXPECT_TRUE(console_set_foreground((handle_t)0x7ffff0) < 0);
    EXPECT_ERR(svc_call(&console, CONSOLE_FOREGROUND, NULL, 0, ev, NULL, 0), E_WRONGTYPE);
    EXPECT_EQ(svc_call(&console, CONSOLE_WRITE, line, sizeof line - 1, 0, NULL, 0),
              (long)sizeof line - 1);
    EXPECT_EQ(console_set_foreground(0), 0);
    kill_and_reap(d);
}

/*
 * Issue 13: only the foreground reads.  With another process in the
 * foreground our read is held, not answered and not refused, and the typed
 * line waits for it; once we are the foreground again (0: the caller), the
 * held read gets that line.
 */
TEST(a_read_from_outside_the_foreground_is_held)
{
    handle_t d = start_consoled(true), spinner = spawn_self("--spin", NULL), t;

    ASSERT_TRUE(spinner > 0);
    ASSERT_EQ(console_set_foreground(spinner), 0);
    waited_result = NOT_YET;
    ASSERT_TRUE((t = thread_start(reader, NULL, 0)) > 0);
    type("held\r");
    thread_sleep(200 * NS_PER_MS);
    EXPECT_EQ(waited_result, NOT_YET);  /* a line is there, but the reader is not in the foreground */
    EXPECT_EQ(console_set_foreground(0), 0);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(waited_result, 5);
    EXPECT_STR(waited_line, "held\n");
    handle_close(t);
    kill_and_reap(spinner);
    kill_and_reap(d);
}

/*
 * Held reads of processes that then end do not fill consoled's table of
 * readers (MAX_READERS, 16): a read after 16 such is held like any other,
 * not refused with E_AGAIN, and is answered once it is in the foreground.
 */
TEST(held_reads_of_ended_processes_are_forgotten)
{
    handle_t d = start_consoled(true), spinner = spawn_self("--spin", NULL), held[HELD_READERS], t;

    ASSERT_TRUE(spinner > 0);
    ASSERT_EQ(console_set_foreground(spinner), 0);
    for (int i = 0; i < HELD_READERS; i++)
        ASSERT_TRUE((held[i] = spawn_self("--read", NULL)) > 0);
    thread_sleep(300 * NS_PER_MS);      /* their reads are in consoled, held */
    for (int i = 0; i < HELD_READERS; i++) {
        EXPECT_ERR(object_wait(held[i], 0), E_TIMEDOUT);
        kill_and_reap(held[i]);
    }
    waited_result = NOT_YET;
    ASSERT_TRUE((t = thread_start(reader, NULL, 0)) > 0);
    EXPECT_EQ(console_set_foreground(0), 0);
    type("after\r");
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(waited_result, 6);
    EXPECT_STR(waited_line, "after\n");
    handle_close(t);
    kill_and_reap(spinner);
    kill_and_reap(d);
}

static handle_t waited_spinner;
static volatile long fg_wait_result = NOT_YET;

static void foreground_waiter(void *arg)
{
    (void)arg;
    fg_wait_result = console_wait_foreground(waited_spinner);
}

/*
 * Issue 9: the driver is replaced while a process is the foreground (as
 * svc crash console does).  console_wait_foreground notices and tells the
 * new driver, so Ctrl-C typed into the new one still ends the process.  The
 * key is typed again until it works: the waiter tells the new driver only
 * once it has seen the old one go.
 */
TEST(ctrl_c_works_after_the_driver_is_replaced)
{
    handle_t d = start_consoled(true), t;
    struct process_status st;

    ASSERT_TRUE((waited_spinner = spawn_self("--spin", NULL)) > 0);
    ASSERT_TRUE((t = thread_start(foreground_waiter, NULL, 0)) > 0);
    thread_sleep(100 * NS_PER_MS);      /* the waiter has told the first driver */
    kill_and_reap(d);
    handle_close(console.port);         /* our own connection is to the dead one */
    console.port = 0;
    d = start_consoled(true);
    for (int i = 0; i < 100 && object_wait(waited_spinner, 0) == E_TIMEDOUT; i++) {
        type("\x03");
        thread_sleep(50 * NS_PER_MS);
    }
    EXPECT_EQ(object_wait(waited_spinner, CHILD_TIMEOUT_NS), 0);
    process_status(waited_spinner, &st);
    EXPECT_EQ(st.exit_code, CONSOLE_INTERRUPT_CODE);
    EXPECT_EQ(object_wait(t, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(fg_wait_result, 0);
    handle_close(t);
    handle_close(waited_spinner);
    kill_and_reap(d);
}

TEST(nobody_types_for_the_user_without_test_mode)
{
    handle_t d = start_consoled(false);

    EXPECT_ERR(svc_call(&console, CONSOLE_INJECT, "x", 1, 0, NULL, 0), E_INVAL);
    EXPECT_ERR(svc_call(&console, 999, NULL, 0, 0, NULL, 0), E_INVAL);
    kill_and_reap(d);
}
