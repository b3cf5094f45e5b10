/*
 * badinput.h: the machinery of the bad-input suites (badinput_*.c), which
 * check that every system call survives the bad input of TESTING.md ("Bad
 * input every syscall must survive") with a clear error code, and leaves
 * the kernel's object counts and our handle count as they were.  A header
 * of static functions, so not a suite.
 *
 * A case calls fixture_init (valid objects, memory and the bad pointers),
 * then makes calls with valid arguments (valid_args, from the kinds and
 * names of badinput_table.h) but for one argument, through expect_call or
 * expect_with_arg: each call is checked for its result, cleaned up after
 * (a mapping, a handle, a child) and checked for leaks on the spot.  Then
 * fixture_fini.  The fixture spawns children in the helper modes of
 * fixture_helpers, which each suite's main must offer.
 */
#ifndef EMBER_TESTS_USER_BADINPUT_H
#define EMBER_TESTS_USER_BADINPUT_H

#include <stdio.h>
#include "tests/user/badinput_table.h"

#define DESC_MAX            192
#define WRAP_BACK           8                   /* this far below 2^64, any length wraps */
#define MAX_MADE            16                  /* objects made through "<type>_create" */
#define MADE_ENDS           2                   /* handles a creator may write out (pipe ends) */
#define FIXTURE_PREFIX      "badinput."         /* objects made are named "badinput.<type>" */

/* What the fixture spawns: a child that ends at once, one that sleeps until killed. */
static const struct helper_mode fixture_helpers[] = {
    { "--exit", helper_exit },
    { "--sleep", helper_sleep },
};

/* ---- the fixture: valid objects and memory, and the bad pointers -------------------- */

struct bad_ptr {
    const char *name;
    uint64_t addr;
    int output_only;            /* only bad for memory the call writes */
};

#define BAD_PTRS_MAX 16

struct made {
    char type[BOOTFS_PATH_MAX]; /* the HANDLE argument name: "event" */
    char name[OB_NAME_MAX];     /* its object name, when the creator takes one */
    handle_t h[MADE_ENDS];      /* the handle, or a creator's two ends */
};

struct fixture {
    handle_t file;              /* a file */
    handle_t thread;            /* a thread of ours that naps until the end */
    handle_t child;             /* a child that sleeps until the end */
    handle_t exited;            /* a child that has ended: signaled */
    char *page;                 /* a writable page, an unmapped page after it */
    char *read_only;            /* a page mapped without MEM_WRITE */
    char *last_page;            /* the last page of user space, writable */
    char *unterminated;         /* a writable page of 'a's, an unmapped page after it */
    const char *argv[2];        /* a valid argv */
    struct bad_ptr bad[BAD_PTRS_MAX];
    int nbad;
    struct made made[MAX_MADE];
    int nmade;
};

static struct fixture fx;

/* A writable page with an unmapped page right after it. */
static inline char *page_before_hole(void)
{
    long two = mem_map(NULL, 2 * PAGE_SIZE, MEM_WRITE);

    ASSERT_TRUE(two > 0);
    ASSERT_EQ(mem_unmap((void *)(two + PAGE_SIZE), PAGE_SIZE), 0);
    return (char *)two;
}

static inline void add_bad(const char *name, uint64_t addr, int output_only)
{
    fx.bad[fx.nbad++] = (struct bad_ptr){ name, addr, output_only };
}

static inline void add_bad_pointers(void)
{
    fx.nbad = 0;
    add_bad("NULL", 0, 0);
    add_bad("1", 1, 0);
    add_bad("0xfff", 0xfff, 0);
    add_bad("an unmapped page", (uint64_t)unmapped_page(), 0);
    add_bad("a read-only page", (uint64_t)fx.read_only, 1);
    add_bad("the last byte before an unmapped page", (uint64_t)fx.unterminated + PAGE_SIZE - 1, 0);
    add_bad("the last byte of user space", USER_TOP - 1, 0);
    add_bad("USER_TOP (non-canonical)", NONCANONICAL_ADDR, 0);
    add_bad("the direct map's base", DIRECT_MAP_BASE, 0);
    add_bad("the kernel image", KERNEL_IMAGE_ADDR, 0);
    add_bad("the kernel heap", KERNEL_HEAP_ADDR, 0);
    add_bad("-1", UINT64_MAX, 0);
    add_bad("8 bytes below 2^64 (wraps)", (uint64_t)-WRAP_BACK, 0);
}

static inline void valid_args(const struct syscall_desc *d, long a[MAX_ARGS]);
static inline long invoke(int nr, const long a[MAX_ARGS]);

/*
 * Makes an object for HANDLE arguments named |type| with "<type>_create"
 * and valid arguments.  A creator that returns 0 wrote its handles to its
 * PTR_OUT argument (pipe_create: the read end, then the write end).
 */
static inline void make_object(const char *type)
{
    char creator[BOOTFS_PATH_MAX];
    long a[MAX_ARGS];
    struct made *m = &fx.made[fx.nmade];

    snprintf(creator, sizeof creator, "%s_create", type);
    int nr = find_call(creator);
    if (nr < 0 || fx.nmade == MAX_MADE)
        return;
    for (int i = 0; i < syscall_descs[nr].nargs; i++)
        if (syscall_descs[nr].kinds[i] == ARG_ADDR)
            return;                             /* it would run code there: not for us */
    memset(m, 0, sizeof *m);
    valid_args(&syscall_descs[nr], a);
    for (int i = 0; i < syscall_descs[nr].nargs; i++) {
        if (syscall_descs[nr].kinds[i] == ARG_NAME) {
            snprintf(m->name, sizeof m->name, FIXTURE_PREFIX "%s", type);
            a[i] = (long)m->name;               /* for STRING arguments that name an object */
        }
    }
    long r = invoke(nr, a);
    for (int i = 0; r == 0 && i < syscall_descs[nr].nargs; i++)
        if (syscall_descs[nr].kinds[i] == ARG_PTR_OUT)
            memcpy(m->h, (void *)a[i], sizeof m->h);
    if (r > 0)
        m->h[0] = m->h[1] = r;
    snprintf(m->type, sizeof m->type, "%s", type);
    fx.nmade++;
}

static inline int is_fixture_type(const char *arg)
{
    return !strcmp(arg, "file") || !strcmp(arg, "handle") || !strcmp(arg, "process") ||
           !strcmp(arg, "thread") || !strcmp(arg, "object");
}

static volatile int fixture_ending;

static inline void fixture_thread(void *arg)
{
    (void)arg;
    while (!fixture_ending)
        thread_sleep(NS_PER_MS);
}

/* One object of every type some HANDLE argument names. */
static inline void make_objects(void)
{
    fx.nmade = 0;
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = &syscall_descs[nr];
        for (int i = 0; d->name && i < d->nargs; i++) {
            int seen = is_fixture_type(d->arg_names[i]);
            for (int k = 0; k < fx.nmade; k++)
                seen |= strcmp(fx.made[k].type, d->arg_names[i]) == 0;
            if (d->kinds[i] == ARG_HANDLE && !seen)
                make_object(d->arg_names[i]);
        }
    }
}

static inline void fixture_init(void)
{
    struct process_status st;

    fixture_ending = 0;
    fx.file = file_open(ECHO_PATH);
    fx.thread = thread_start(fixture_thread, NULL, 0);
    fx.child = spawn_self("--sleep", NULL);
    fx.exited = spawn_self("--exit", NULL);
    ASSERT_TRUE(fx.file > 0 && fx.thread > 0 && fx.child > 0 && fx.exited > 0);
    ASSERT_EQ(object_wait(fx.exited, CHILD_TIMEOUT_NS), 0);
    ASSERT_EQ(process_status(fx.exited, &st), 0);
    fx.page = page_before_hole();
    fx.unterminated = page_before_hole();
    memset(fx.unterminated, 'a', PAGE_SIZE);
    fx.read_only = (char *)mem_map(NULL, PAGE_SIZE, MEM_READ);
    fx.last_page = (char *)mem_map((void *)(USER_TOP - PAGE_SIZE), PAGE_SIZE, MEM_WRITE);
    ASSERT_TRUE((long)fx.read_only > 0 && (uint64_t)fx.last_page == USER_TOP - PAGE_SIZE);
    memset(fx.last_page, 'a', PAGE_SIZE);
    fx.argv[0] = ECHO_PATH;
    fx.argv[1] = NULL;
    add_bad_pointers();
    make_objects();
}

static inline void fixture_fini(void)
{
    struct process_status st;

    for (int k = 0; k < fx.nmade; k++) {
        handle_close(fx.made[k].h[0]);
        if (fx.made[k].h[1] != fx.made[k].h[0])
            handle_close(fx.made[k].h[1]);
    }
    fixture_ending = 1;
    object_wait(fx.thread, CHILD_TIMEOUT_NS);
    handle_close(fx.thread);
    process_kill(fx.child, E_CANCELED);
    reap(fx.child, &st);
    reap(fx.exited, &st);
    handle_close(fx.file);
    mem_unmap(fx.page, PAGE_SIZE);
    mem_unmap(fx.unterminated, PAGE_SIZE);
    mem_unmap(fx.read_only, PAGE_SIZE);
    mem_unmap(fx.last_page, PAGE_SIZE);
}

/* ---- valid arguments ---------------------------------------------------------------- */

/* A handle for argument |i| of |d|, by the argument's name; 0 when we have none of that type. */
static inline handle_t valid_handle(const struct syscall_desc *d, int i)
{
    const char *arg = d->arg_names[i];

    if (!strcmp(arg, "file") || !strcmp(arg, "handle"))
        return fx.file;
    if (!strcmp(arg, "process"))
        return fx.child;
    if (!strcmp(arg, "thread"))
        return fx.thread;
    if (!strcmp(arg, "object"))
        return fx.exited;
    for (int k = 0; k < fx.nmade; k++)
        if (strcmp(fx.made[k].type, arg) == 0)
            return fx.made[k].h[strstr(d->name, "_read") || strstr(d->name, "_peek") ? 0 : 1];
    return 0;
}

/*
 * Fills the page for |d|: handles for a call that takes a COUNT of them,
 * newlines otherwise (what console_write prints must not break the
 * runner's lines).  Valid buffers end at the page's end, so one byte more
 * runs into the unmapped page.
 */
static inline void fill_page(const struct syscall_desc *d)
{
    int counts = 0;

    for (int i = 0; i < d->nargs; i++)
        counts |= d->kinds[i] == ARG_COUNT;
    if (counts)
        for (size_t i = 0; i < PAGE_SIZE / sizeof(handle_t); i++)
            ((handle_t *)fx.page)[i] = listed(d, closes_its_handles, ARRAY_LEN(closes_its_handles))
                                           ? 0 : fx.exited;
    else
        memset(fx.page, '\n', PAGE_SIZE);
}

/* Where a valid buffer for argument |i| starts: it ends at the page's end. */
static inline char *valid_buffer(const struct syscall_desc *d, int i)
{
    char *end = fx.page + PAGE_SIZE;

    if (has_count_after(d, i))
        return end - count_limit(d) * sizeof(handle_t);
    if (has_length_after(d, i))
        return end - valid_len(d);
    return fx.page;             /* a fixed-size output, such as a struct: the whole page */
}

/* A path names a file; any other string the first named object we made. */
static inline const char *valid_string(const struct syscall_desc *d, int i)
{
    if (strcmp(d->arg_names[i], "path") == 0)
        return ECHO_PATH;
    for (int k = 0; k < fx.nmade; k++)
        if (fx.made[k].name[0])
            return fx.made[k].name;
    return FIXTURE_PREFIX "none";
}

static inline void valid_args(const struct syscall_desc *d, long a[MAX_ARGS])
{
    memset(a, 0, MAX_ARGS * sizeof a[0]);
    fill_page(d);
    for (int i = 0; i < d->nargs; i++) {
        switch (d->kinds[i]) {
        case ARG_HANDLE:  a[i] = valid_handle(d, i); break;
        case ARG_VALUE:   a[i] = valid_value(d, i); break;
        case ARG_LEN:     a[i] = (long)valid_len(d); break;
        case ARG_COUNT:   a[i] = 1; break;
        case ARG_STRING:  a[i] = (long)valid_string(d, i); break;
        case ARG_ARGV:    a[i] = (long)fx.argv; break;
        case ARG_PTR_IN:
        case ARG_PTR_OUT: a[i] = (long)valid_buffer(d, i); break;
        case ARG_NAME:    a[i] = null_is_valid(d, i) ? 0 : (long)(FIXTURE_PREFIX "new"); break;
        default:          a[i] = 0; break;      /* FLAGS, ADDR */
        }
    }
}

/* ---- calling, cleaning up, checking the counts ---------------------------------------- */

static inline long invoke(int nr, const long a[MAX_ARGS])
{
    return syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static inline int is_our_handle(long h)
{
    return h > 0 && (h >> HANDLE_PID_SHIFT) == process_self_id();
}

/*
 * Undoes what a call that succeeded made: a mapping, a handle (a process
 * ends first), or the handles a creator returning 0 wrote out (pipe ends).
 */
static inline void cleanup(int nr, long r, const long a[MAX_ARGS])
{
    const struct syscall_desc *d = &syscall_descs[nr];
    struct process_status st;

    if (r == 0 && strstr(d->name, "_create")) {
        for (int i = 0; i < d->nargs; i++) {
            const handle_t *out = (const handle_t *)a[i];
            int ours = (char *)out >= fx.page && (char *)(out + MADE_ENDS) <= fx.page + PAGE_SIZE;
            for (int k = 0; d->kinds[i] == ARG_PTR_OUT && ours && k < MADE_ENDS; k++)
                if (is_our_handle(out[k]))
                    handle_close(out[k]);
        }
    } else if (r > 0 && nr == SYS_mem_map) {
        mem_unmap((void *)r, (size_t)a[1]);
    } else if (is_our_handle(r)) {
        if (process_status(r, &st) == 0)
            object_wait(r, CHILD_TIMEOUT_NS);
        handle_close(r);
    }
}

static struct system_stats stats_before, stats_after;
static long handles_before;

static inline void counts_before(void)
{
    system_stats(&stats_before, sizeof stats_before);
    handles_before = handles_held();
}

static inline void expect_counts_unchanged(const char *desc)
{
    char what[DESC_MAX];

    system_stats(&stats_after, sizeof stats_after);
    snprintf(what, sizeof what, "%s leaves the object counts as they were", desc);
    EXPECT_TRUE_AT(what, same_live_counts(&stats_before, &stats_after));
    snprintf(what, sizeof what, "%s leaves our handle count", desc);
    EXPECT_EQ_AT(what, handles_held(), handles_before);
}

/* Makes call |nr| with |a| and expects |want|; cleans up; checks the counts. */
#define WANT_SUCCESS    1           /* any value >= 0 */
#define WANT_ANY_CLEAN  2           /* a value >= 0 or an E_* code */
#define WANT_TOO_MANY   3           /* E_TOOBIG or E_INVAL: a count over its limit */
static inline void expect_call(int nr, const long a[MAX_ARGS], long want, const char *desc)
{
    char what[DESC_MAX];

    counts_before();
    long r = invoke(nr, a);
    cleanup(nr, r, a);
    if (want == WANT_SUCCESS) {
        snprintf(what, sizeof what, "%s succeeds (got %ld)", desc, r);
        EXPECT_TRUE_AT(what, r >= 0 || r == E_TIMEDOUT || r == E_AGAIN ||  /* a poll found nothing */
                             (r < 0 && r == valid_error(&syscall_descs[nr])));
    } else if (want == WANT_TOO_MANY) {
        snprintf(what, sizeof what, "%s is E_TOOBIG or E_INVAL (got %ld)", desc, r);
        EXPECT_TRUE_AT(what, r == E_TOOBIG || r == E_INVAL);
    } else if (want == WANT_ANY_CLEAN) {
        snprintf(what, sizeof what, "%s gives a value or an E_* code (got %ld)", desc, r);
        EXPECT_TRUE_AT(what, r >= 0 || errname(r) != NULL);
    } else {
        EXPECT_EQ_AT(desc, r, want);
    }
    expect_counts_unchanged(desc);
}

/*
 * expect_call for call |nr| with valid arguments but |value| for argument
 * |i|; |what| describes the value in a failure ("mem_map(len = 0x1)").
 */
static inline void expect_with_arg(int nr, int i, long value, long want, const char *what)
{
    const struct syscall_desc *d = &syscall_descs[nr];
    long a[MAX_ARGS];
    char desc[DESC_MAX];

    valid_args(d, a);
    a[i] = value;
    snprintf(desc, sizeof desc, "%s(%s = %s)", d->name, d->arg_names[i], what);
    expect_call(nr, a, want, desc);
}

#endif
