/*
 * syscalls_process: the process calls with normal arguments give what
 * their handlers promise (kernel/syscall/sys_process.c): process_self_id
 * is positive, stable and a child's own; process_spawn runs a program
 * with the argv and handles it was given (ours stay valid), or without an
 * argv, and refuses a missing path (E_NOTFOUND) and a file that is no
 * executable (E_NOEXEC); process_status reports a running child, an exit
 * code, the code of the last thread's thread_exit, a kill code, and keeps
 * the first way of ending when a kill comes after an exit.
 *
 * Children are this program in a helper mode (util.h) or /bin/echo.
 */
#include <stdio.h>
#include "tests/user/util.h"

#define EXIT_CODE           7
#define THREAD_EXIT_CODE    5

/* ---- helper modes ------------------------------------------------------- */

static const char *const check_args[] = { "one", "two words", "" };

/* "--check-args ...": exits 0 when its arguments are exactly check_args. */
static int helper_check_args(int argc, char **argv)
{
    if (argc != (int)ARRAY_LEN(check_args))
        return 1;
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], check_args[i]) != 0)
            return 1;
    return 0;
}

/* "--check-handle": exits 0 when it got one handle and can read the file behind it. */
static int helper_check_handle(int argc, char **argv)
{
    const struct start_info *si = start_info();
    char c;

    (void)argc, (void)argv;
    return si->nhandles == 1 && file_read(si->handles[0], &c, 1, 0) == 1 ? 0 : 1;
}

/* "--thread-exit": the only thread calls thread_exit: its code is the process's. */
static int helper_thread_exit(int argc, char **argv)
{
    (void)argc, (void)argv;
    thread_exit(THREAD_EXIT_CODE);
    return 1;
}

static const struct helper_mode helpers[] = {
    { "--exit", helper_exit },
    { "--sleep", helper_sleep },
    { "--check-args", helper_check_args },
    { "--check-handle", helper_check_handle },
    { "--thread-exit", helper_thread_exit },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- process_self_id ------------------------------------------------------ */

TEST(process_self_id_is_positive_and_stable)
{
    long id = process_self_id();

    EXPECT_TRUE(id > 0);
    EXPECT_EQ(process_self_id(), id);
}

TEST(child_has_its_own_id)
{
    struct process_status st;

    ASSERT_EQ(run_self("--exit", NULL, &st), 0);
    EXPECT_TRUE(st.pid > 0);
    EXPECT_NE(st.pid, process_self_id());
}

/* ---- process_spawn, process_status, process_kill -------------------------- */

TEST(spawn_echo_exits_0)
{
    const char *argv[] = { ECHO_PATH, "syscalls:", "echo", "ran", NULL };
    struct process_status st;

    ASSERT_EQ(run_child(ECHO_PATH, argv, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}

TEST(spawn_passes_argv)
{
    const char *argv[] = { self_path(), "--check-args", check_args[0], check_args[1],
                           check_args[2], NULL };
    struct process_status st;

    ASSERT_EQ(run_child(self_path(), argv, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}

TEST(spawn_with_null_argv_runs)
{
    struct process_status st;

    ASSERT_EQ(run_child(ECHO_PATH, NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
}

TEST(spawn_passes_handles)
{
    const char *argv[] = { self_path(), "--check-handle", NULL };
    handle_t f = file_open(README_PATH);
    struct process_status st;

    ASSERT_TRUE(f > 0);
    handle_t h = process_spawn(self_path(), argv, &f, 1);
    ASSERT_TRUE(h > 0);
    ASSERT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_EQ(handle_close(f), 0);              /* ours stays valid */
}

TEST(spawn_missing_path_is_notfound)
{
    const char *argv[] = { MISSING_PATH, NULL };

    EXPECT_ERR(process_spawn(MISSING_PATH, argv, NULL, 0), E_NOTFOUND);
}

TEST(spawn_non_elf_is_noexec)
{
    const char *argv[] = { README_PATH, NULL };

    EXPECT_ERR(process_spawn(README_PATH, argv, NULL, 0), E_NOEXEC);
}

TEST(process_status_of_running_child)
{
    struct process_status st;
    handle_t h = spawn_sleeper();

    EXPECT_EQ(process_status(h, &st), 0);
    EXPECT_EQ(st.state, PROCESS_RUNNING);
    EXPECT_TRUE(st.pid > 0);
    kill_and_reap(h);
}

TEST(process_status_of_exited_child)
{
    char code[8];
    struct process_status st;

    snprintf(code, sizeof code, "%d", EXIT_CODE);
    ASSERT_EQ(run_self("--exit", code, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, EXIT_CODE);
}

TEST(last_thread_exit_code_is_process_code)
{
    struct process_status st;

    ASSERT_EQ(run_self("--thread-exit", NULL, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, THREAD_EXIT_CODE);
}

TEST(process_kill_sleeping_child_records_code)
{
    struct process_status st;
    handle_t h = spawn_sleeper();

    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    ASSERT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    EXPECT_EQ(st.exit_code, KILL_CODE);
}

TEST(process_kill_after_exit_keeps_exit_status)
{
    struct process_status st;
    handle_t h = spawn_self("--exit", NULL);

    ASSERT_TRUE(h > 0);
    EXPECT_EQ(object_wait(h, CHILD_TIMEOUT_NS), 0);
    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    ASSERT_EQ(reap(h, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);    /* the first reason is the one recorded */
    EXPECT_EQ(st.exit_code, 0);
}
