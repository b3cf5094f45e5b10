/*
 * drivers_console_storm: the console driver killed 50 times in a row, and
 * hung 3 times, while a program prints numbered lines (issue 9, "Bad input
 * and faults").  Run only when named, in its own boot: scripts/test.py,
 * layer "console", reads the serial line and checks that every numbered
 * line came out (docs/09-drivers.md promises no output is lost: a write the
 * dying driver took is written again, through the next driver or the
 * kernel's log path), and that the shell, started on the console after
 * the storm, answers a typed command.
 */
#include <service.h>
#include <stdio.h>
#include "tests/user/util.h"

#define SVCMGR_PATH     "/bin/svcmgr"
#define STORM_LIST      "/etc/services.console"
#define KILLS           50
#define HANGS           3
#define STORM_CODE      99

static struct svc_conn console = { CONSOLE_PORT_NAME, 0 };

/* "--print-lines": prints "storm line N" until the event it was passed is set, then the count. */
static int helper_print_lines(int argc, char **argv)
{
    long n = 0;

    (void)argc, (void)argv;
    while (object_wait(passed(0), 0) == E_TIMEDOUT) {
        printf("storm line %ld\n", ++n);
        thread_sleep(NS_PER_MS);
    }
    printf("storm: printed %ld lines\n", n);
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--print-lines", helper_print_lines },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* The pid of the running consoled, or 0. */
static long consoled_pid(void)
{
    static struct process_info procs[64];
    long n = process_list(procs, sizeof procs);

    for (long i = 0; i < n && i < 64; i++)
        if (strcmp(procs[i].name, "consoled") == 0 && procs[i].state == PROCESS_RUNNING)
            return (long)procs[i].pid;
    return 0;
}

/* Waits until a consoled other than |old| runs and has registered its port; its pid. */
static long wait_for_new_driver(long old)
{
    long deadline = clock_now() + CHILD_TIMEOUT_NS, pid = 0;
    handle_t probe = E_NOTFOUND;

    while (clock_now() < deadline) {
        pid = consoled_pid();
        if (pid && pid != old && (probe = object_open(CONSOLE_PORT_NAME, OB_TYPE_PORT)) > 0)
            break;
        thread_sleep(5 * NS_PER_MS);
    }
    if (probe > 0)
        handle_close(probe);
    return probe > 0 ? pid : 0;
}

static void type(const char *keys)
{
    ASSERT_EQ(svc_call(&console, CONSOLE_INJECT, keys, (uint32_t)strlen(keys), 0, NULL, 0), 0);
}

TEST(kills_and_hangs_while_printing)
{
    const char *mgr_argv[] = { SVCMGR_PATH, "-q", "1000", "-c", "10", STORM_LIST, NULL };
    const char *sh_argv[] = { "/bin/sh", NULL };
    handle_t root[STARTUP_ROOT_HANDLE + 1] = { 0, 0, 0, startup_resource() };
    struct svc_conn mgr = { SVCMGR_PORT_NAME, 0 };
    handle_t stop = event_create(EVENT_MANUAL_RESET, NULL), supervisor, printer, sh;
    struct process_status st;
    long pid;

    ASSERT_TRUE((supervisor = process_spawn(SVCMGR_PATH, mgr_argv, root, STARTUP_ROOT_HANDLE + 1)) > 0);
    ASSERT_TRUE((pid = wait_for_new_driver(0)) > 0);
    ASSERT_TRUE((printer = spawn_passing("--print-lines", NULL, &stop, 1)) > 0);
    for (int i = 0; i < KILLS; i++) {
        handle_t h = process_open(pid);
        ASSERT_TRUE(h > 0);
        process_kill(h, STORM_CODE);
        object_wait(h, CHILD_TIMEOUT_NS);
        handle_close(h);
        ASSERT_TRUE((pid = wait_for_new_driver(pid)) > 0);
    }
    for (int i = 0; i < HANGS; i++) {
        ASSERT_EQ(svc_call(&mgr, SVCMGR_HANG, "console", 7, 0, NULL, 0), 0);
        ASSERT_TRUE((pid = wait_for_new_driver(pid)) > 0);
    }
    event_set(stop);
    ASSERT_EQ(reap(printer, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    /* The shell, on the console, still answers. */
    ASSERT_TRUE((sh = process_spawn("/bin/sh", sh_argv, NULL, 0)) > 0);
    thread_sleep(200 * NS_PER_MS);
    type("echo shell-answers-after-storm\r");
    type("exit\r");
    ASSERT_EQ(reap(sh, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    ASSERT_EQ(svc_call(&mgr, SVCMGR_STOP, "console", 7, 0, NULL, 0), 0);
    for (int i = 0; i < 500 && consoled_pid(); i++)
        thread_sleep(10 * NS_PER_MS);
    process_kill(supervisor, STORM_CODE);
    reap(supervisor, &st);
    handle_close(stop);
}
