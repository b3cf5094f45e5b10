/*
 * badinput_pointers: every pointer and buffer-length argument of every
 * system call (TESTING.md, "Bad input every syscall must survive"):
 *
 *   - with every argument valid, each call that takes memory works (a poll
 *     that finds nothing counts): the premise of the other cases;
 *   - a bad pointer in any one argument (NULL, low addresses, an unmapped
 *     or read-only page, the end of user space, non-canonical and kernel
 *     addresses, one that wraps) is E_FAULT wherever the call reads or
 *     writes it; another code only where the handler checks something else
 *     first (a required name that is missing is E_INVAL);
 *   - a buffer whose length runs past 2^64 is E_FAULT, even where the call
 *     would touch only its start (a COUNT that large is over its limit
 *     first: E_TOOBIG or E_INVAL); any length, however extreme, gives a
 *     value or an E_* code.
 *
 * Each call also leaves the kernel's object counts and our handle count as
 * they were.  Driven from libc's syscall_descs through badinput.h, so a new
 * call is covered as soon as it is declared.
 */
#include "tests/user/badinput.h"

int main(int argc, char **argv)
{
    return suite_main(argc, argv, fixture_helpers, ARRAY_LEN(fixture_helpers));
}

/*
 * Whether |d| reads a structure (a PTR_IN with no length after it, such as
 * a port message): its valid contents are more than the table can say.
 */
static int takes_a_structure(const struct syscall_desc *d)
{
    for (int i = 0; i < d->nargs; i++)
        if (d->kinds[i] == ARG_PTR_IN && !has_length_after(d, i))
            return 1;
    return 0;
}

/* Calls that read a structure are left out. */
TEST(valid_arguments_succeed)
{
    long a[MAX_ARGS];
    char desc[DESC_MAX];

    fixture_init();
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, is_pointer);
        if (!d || takes_a_structure(d))
            continue;
        valid_args(d, a);
        snprintf(desc, sizeof desc, "%s(valid arguments)", d->name);
        expect_call(nr, a, WANT_SUCCESS, desc);
    }
    fixture_fini();
}

/* What a call must return for bad pointer |b| in argument |i|. */
static long expected_for_pointer(const struct syscall_desc *d, int i, const struct bad_ptr *b)
{
    if (b->addr == 0 && d->kinds[i] == ARG_NAME && !null_is_valid(d, i))
        return E_INVAL;                         /* a name it requires is missing */
    if (b->addr == 0 && listed(d, open_by_name, ARRAY_LEN(open_by_name)))
        return E_INVAL;                         /* no name to open */
    return b->addr == 0 && null_is_valid(d, i) ? WANT_SUCCESS : E_FAULT;
}

/* Every bad pointer of the fixture in argument |i| of call |nr|. */
static void check_bad_pointers(int nr, int i, void *ctx)
{
    const struct syscall_desc *d = &syscall_descs[nr];

    (void)ctx;
    for (int b = 0; b < fx.nbad; b++)
        if (!fx.bad[b].output_only || d->kinds[i] == ARG_PTR_OUT)
            expect_with_arg(nr, i, (long)fx.bad[b].addr, expected_for_pointer(d, i, &fx.bad[b]),
                            fx.bad[b].name);
}

TEST(pointer_args_reject_bad_pointers)
{
    fixture_init();
    for_each_argument(is_pointer, check_bad_pointers, NULL);
    fixture_fini();
}

/* A valid buffer in argument |i| with a length after it that takes its end past 2^64. */
static void check_wrapping_length(int nr, int i, void *ctx)
{
    const struct syscall_desc *d = &syscall_descs[nr];
    long a[MAX_ARGS];
    char desc[DESC_MAX];

    (void)ctx;
    if (!has_length_after(d, i))
        return;
    valid_args(d, a);
    a[i + 1] = -a[i] + PAGE_SIZE;       /* a[i] + a[i + 1] wraps around to PAGE_SIZE */
    snprintf(desc, sizeof desc, "%s(%s = %#lx, %s = %#lx)", d->name, d->arg_names[i],
             a[i], d->arg_names[i + 1], a[i + 1]);
    expect_call(nr, a, has_count_after(d, i) ? WANT_TOO_MANY : E_FAULT, desc);
}

TEST(buffer_length_wrapping_past_2_64_is_fault)
{
    fixture_init();
    for_each_argument(is_pointer, check_wrapping_length, NULL);
    fixture_fini();
}

/* LEN or COUNT argument |i| at 0, 1, around its limit and at powers of two up to 2^64 - 1. */
static void check_extreme_lengths(int nr, int i, void *ctx)
{
    const struct syscall_desc *d = &syscall_descs[nr];
    uint64_t max = d->kinds[i] == ARG_COUNT ? count_limit(d) : valid_len(d);
    const uint64_t lens[] = { 0, 1, max, max + 1, 1UL << 31, (1UL << 32) - 1, 1UL << 63, UINT64_MAX };
    char what[DESC_MAX];

    (void)ctx;
    for (size_t k = 0; k < ARRAY_LEN(lens); k++) {
        snprintf(what, sizeof what, "%#lx", lens[k]);
        expect_with_arg(nr, i, (long)lens[k], WANT_ANY_CLEAN, what);
    }
}

TEST(length_args_survive_extremes)
{
    fixture_init();
    for_each_argument(is_length, check_extreme_lengths, NULL);
    fixture_fini();
}
