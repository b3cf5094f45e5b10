/*
 * badinput_strings: the string and argv arguments of every system call
 * (TESTING.md, "Bad input every syscall must survive"):
 *
 *   - an argv array that is fine but for one entry (a bad pointer of the
 *     fixture) is E_FAULT; more than SPAWN_MAX_ARGS entries, or more than
 *     SPAWN_MAX_ARG_BYTES of them, is E_TOOBIG, and exactly the maximum runs;
 *   - a string with no NUL before an unmapped page, or before the end of
 *     user space, is E_FAULT;
 *   - the longest string that fits (BOOTFS_PATH_MAX for a path, OB_NAME_MAX
 *     for a name, with the NUL) is taken: a path names no file, a NAME is
 *     created; one character more is E_TOOBIG.
 *
 * Each call also leaves the kernel's object counts and our handle count as
 * they were.  Driven from libc's syscall_descs through badinput.h.
 */
#include "tests/user/badinput.h"

#define UNTERMINATED_LEN    16                  /* bytes of 'a' before an unmapped page */
#define BIG_ARG_BYTES       3000                /* two of these pass SPAWN_MAX_ARG_BYTES */

int main(int argc, char **argv)
{
    return suite_main(argc, argv, fixture_helpers, ARRAY_LEN(fixture_helpers));
}

/* ---- argv ------------------------------------------------------------------------ */

/* ARGV argument |i| of call |nr| with each bad pointer of the fixture as its entry [1]. */
static void check_argv_entries(int nr, int i, void *ctx)
{
    const char *argv[3] = { ECHO_PATH, NULL, NULL };
    char what[DESC_MAX];

    (void)ctx;
    for (int b = 0; syscall_descs[nr].kinds[i] == ARG_ARGV && b < fx.nbad; b++) {
        if (fx.bad[b].output_only || fx.bad[b].addr == 0)
            continue;                           /* NULL would just end the array */
        argv[1] = (const char *)fx.bad[b].addr;
        snprintf(what, sizeof what, "an argv whose [1] is %s", fx.bad[b].name);
        expect_with_arg(nr, i, (long)argv, E_FAULT, what);
    }
}

TEST(argv_entries_reject_bad_pointers)
{
    fixture_init();
    for_each_argument(is_pointer, check_argv_entries, NULL);
    fixture_fini();
}

TEST(spawn_argv_over_limits_is_toobig)
{
    static const char *many[SPAWN_MAX_ARGS + 2];
    static char big[BIG_ARG_BYTES + 1];
    const char *two_big[] = { big, big, NULL };
    struct process_status st;

    for (int i = 0; i <= SPAWN_MAX_ARGS; i++)
        many[i] = i == 0 ? self_path() : i == 1 ? "--exit" : "x";
    many[SPAWN_MAX_ARGS + 1] = NULL;
    EXPECT_ERR(process_spawn(self_path(), many, NULL, 0), E_TOOBIG);
    many[SPAWN_MAX_ARGS] = NULL;                /* exactly the maximum: runs */
    ASSERT_EQ(run_child(self_path(), many, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    memset(big, 'a', BIG_ARG_BYTES);
    EXPECT_ERR(process_spawn(self_path(), two_big, NULL, 0), E_TOOBIG);
}

/* ---- strings --------------------------------------------------------------------- */

/* What a string argument is set to: |make| gives the string and the result the call must give. */
struct string_check {
    const char *(*make)(const struct syscall_desc *d, int i, long *want);
    const char *what;
};

static void check_string(int nr, int i, void *ctx)
{
    const struct string_check *c = ctx;
    long want;
    const char *s = c->make(&syscall_descs[nr], i, &want);

    expect_with_arg(nr, i, (long)s, want, c->what);
}

/* Valid arguments, with each string argument in turn set to what |make| gives for it. */
static void expect_strings(const char *(*make)(const struct syscall_desc *d, int i, long *want),
                           const char *what)
{
    struct string_check c = { make, what };

    for_each_argument(is_string, check_string, &c);
}

static const char *before_hole(const struct syscall_desc *d, int i, long *want)
{
    (void)d, (void)i;
    *want = E_FAULT;
    return fx.unterminated + PAGE_SIZE - UNTERMINATED_LEN;
}

static const char *before_top(const struct syscall_desc *d, int i, long *want)
{
    (void)d, (void)i;
    *want = E_FAULT;
    return fx.last_page + PAGE_SIZE - UNTERMINATED_LEN;
}

TEST(string_without_terminator_faults)
{
    fixture_init();
    expect_strings(before_hole, "no NUL before an unmapped page");
    expect_strings(before_top, "no NUL before the end of user space");
    fixture_fini();
}

/* The longest string argument |i| of |d| takes, with its NUL. */
static size_t string_max(const struct syscall_desc *d, int i)
{
    return strcmp(d->arg_names[i], "path") == 0 ? BOOTFS_PATH_MAX : OB_NAME_MAX;
}

/*
 * "/aaa...a" (a path) or "aaa...a" (a name: from the root, or relative to
 * a directory handle, which takes no leading '/') of |len| characters.
 */
static const char *long_string(const struct syscall_desc *d, int i, size_t len)
{
    static char s[BOOTFS_PATH_MAX + OB_NAME_MAX];

    memset(s, 'a', len);
    if (strcmp(d->arg_names[i], "path") == 0)
        s[0] = '/';
    s[len] = '\0';
    return s;
}

/* The longest that fits: a path names no file; a name is created (a NAME) or not found. */
static const char *longest(const struct syscall_desc *d, int i, long *want)
{
    *want = d->kinds[i] == ARG_NAME ? WANT_SUCCESS : E_NOTFOUND;
    return long_string(d, i, string_max(d, i) - 1);
}

static const char *one_too_long(const struct syscall_desc *d, int i, long *want)
{
    *want = E_TOOBIG;
    return long_string(d, i, string_max(d, i));
}

TEST(string_of_maximum_length)
{
    fixture_init();
    expect_strings(longest, "the longest that fits");
    expect_strings(one_too_long, "one character too long");
    fixture_fini();
}
