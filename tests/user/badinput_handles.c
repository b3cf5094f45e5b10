/*
 * badinput_handles: the handle arguments of every system call (TESTING.md,
 * "Bad input every syscall must survive"): 0 (where it does not mean "the
 * caller"), -1, a closed handle, a random value, our handle with another
 * pid in it and a handle value a child really held are all E_BADHANDLE; a
 * handle of the wrong type is E_WRONGTYPE; the right handle duplicated with
 * no rights at all is E_ACCESS (but for the arguments used without any
 * right).  Each call also leaves the kernel's object counts and our handle
 * count as they were.  Driven from libc's syscall_descs through badinput.h.
 */
#include "tests/user/badinput.h"

#define RANDOM_HANDLE       0x0123456789abcdefL

/* "--exit-with-handle": exits with the value of the handle it was given. */
static int helper_exit_with_handle(int argc, char **argv)
{
    (void)argc, (void)argv;
    process_exit(start_info()->nhandles > 0 ? start_info()->handles[0] : E_NOTFOUND);
    return 1;
}

static const struct helper_mode helpers[] = {
    { "--exit", helper_exit },                  /* the fixture's two */
    { "--sleep", helper_sleep },
    { "--exit-with-handle", helper_exit_with_handle },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* The value every HANDLE argument gets in turn, what the call must return, and its description. */
struct handle_check {
    handle_t h;
    long want;
    const char *what;
};

static void check_handle(int nr, int i, void *ctx)
{
    const struct handle_check *c = ctx;

    if (c->h == 0 && zero_handle_is_valid(&syscall_descs[nr], i))
        return;
    expect_with_arg(nr, i, c->h, c->want, c->what);
}

/* Valid arguments, with each HANDLE argument in turn set to |h|. */
static void expect_handles(handle_t h, long want, const char *what)
{
    struct handle_check c = { h, want, what };

    for_each_argument(is_handle, check_handle, &c);
}

TEST(handle_args_reject_bad_handles)
{
    handle_t closed = file_open(ECHO_PATH);

    ASSERT_TRUE(closed > 0);
    ASSERT_EQ(handle_close(closed), 0);
    fixture_init();
    expect_handles(0, E_BADHANDLE, "0");
    expect_handles(-1, E_BADHANDLE, "-1");
    expect_handles(closed, E_BADHANDLE, "a closed handle");
    expect_handles(RANDOM_HANDLE, E_BADHANDLE, "a random value");
    fixture_fini();
}

/* Our file handle with another pid in bits 32..62, and a handle a child really holds. */
TEST(handle_args_reject_another_process_handle)
{
    const char *argv[] = { self_path(), "--exit-with-handle", NULL };
    struct process_status st;

    fixture_init();
    handle_t other_pid = fx.file ^ (HANDLE_PID_MASK << HANDLE_PID_SHIFT);
    expect_handles(other_pid, E_BADHANDLE, "our handle with the pid bits flipped");
    handle_t h = process_spawn(self_path(), argv, &fx.file, 1);
    ASSERT_TRUE(h > 0);
    ASSERT_EQ(reap(h, &st), 0);
    ASSERT_EQ(st.state, PROCESS_EXITED);
    ASSERT_TRUE(st.exit_code > 0);
    expect_handles(st.exit_code, E_BADHANDLE, "a child's handle value");
    fixture_fini();
}

/* A handle of another type than argument |i| needs; 0 when any type will do. */
static handle_t wrong_handle(const struct syscall_desc *d, int i)
{
    const char *arg = d->arg_names[i];

    if (!strcmp(arg, "handle"))
        return 0;
    return !strcmp(arg, "file") ? fx.child : fx.file;
}

static void check_wrong_type(int nr, int i, void *ctx)
{
    handle_t wrong = wrong_handle(&syscall_descs[nr], i);

    (void)ctx;
    if (wrong)
        expect_with_arg(nr, i, wrong, E_WRONGTYPE, "a handle of the wrong type");
}

TEST(handle_args_reject_wrong_type)
{
    fixture_init();
    for_each_argument(is_handle, check_wrong_type, NULL);
    fixture_fini();
}

/* The right handle for argument |i|, duplicated with no rights at all; counts the checks in *|ctx|. */
static void check_without_rights(int nr, int i, void *ctx)
{
    const struct syscall_desc *d = &syscall_descs[nr];
    handle_t valid = valid_handle(d, i), bare;

    if (!needs_a_right(d, i) || valid == 0 || (bare = handle_duplicate(valid, 0, 0)) < 0)
        return;                                 /* none of that type to duplicate */
    expect_with_arg(nr, i, bare, E_ACCESS, "a handle with no rights");
    handle_close(bare);
    (*(int *)ctx)++;
}

TEST(handle_args_without_rights_are_access)
{
    int checked = 0;

    fixture_init();
    for_each_argument(is_handle, check_without_rights, &checked);
    EXPECT_TRUE(checked > 0);
    fixture_fini();
}
