/*
 * badinput: every system call survives the bad input of TESTING.md ("Bad
 * input every syscall must survive") with a clear error code, and leaves
 * the kernel's object counts and our handle count as they were.
 *
 * Driven by libc's syscall_descs table (generated from syscalls.def), so a
 * call is covered as soon as it is declared: each argument gets a valid
 * value from its kind and name (valid_args), then one argument at a time is
 * replaced by bad values.  Expected: E_FAULT wherever the call reads or
 * writes the bad pointer; another code only where the handler checks
 * something else first (a COUNT above its limit is E_TOOBIG or E_INVAL
 * before the array is read).
 *
 * Argument names carry meaning here: a HANDLE argument named "file",
 * "process", "thread", "object" (anything waitable) or "handle" (anything)
 * gets the fixture's file, children or thread; any other name, say
 * "event", gets an object made by the call "<name>_create".  A STRING
 * named "path" is a boot file system path (BOOTFS_PATH_MAX); other STRINGs
 * and NAMEs are object names (OB_NAME_MAX).  The small tables below hold
 * what names cannot say; a new call that needs a row shows up as a failure
 * naming the call and the argument.
 *
 * Not driven from the table, and why:
 *   - process_exit and thread_exit never return; console_read blocks for
 *     input before it touches its buffer: all three are skipped;
 *   - calls that wait for a peer with valid arguments (pipe_read on an
 *     empty pipe, port_connect until accepted, ...) get only the handle and
 *     flag checks, which fail before any wait ("waits" below);
 *   - ADDR arguments are not dereferenced, only range-checked:
 *     addresses_outside_user_space_are_inval checks mem_map, mem_unmap and
 *     thread_create by hand;
 *   - "a handle without the needed right" is a duplicate with no rights at
 *     all; the few arguments used without any right are listed below.
 *
 * Longer than most files: the cases are short, most of it is the machinery
 * that turns the table into valid and bad arguments, kept next to them.
 */
#include <stdio.h>
#include <syscall_desc.h>
#include "kernel/abi/rights.h"
#include "tests/user/util.h"

#define MAX_ARGS            6
#define VALID_LEN           1024                /* a few records of any list call, any path */
#define QUIET_LEN           16                  /* console_write prints its buffer: keep it short */
#define ECHO_PATH           "/bin/echo"         /* what valid spawns run: prints a blank line */
#define RANDOM_HANDLE       0x0123456789abcdefL
#define UNTERMINATED_LEN    16                  /* bytes of 'a' before an unmapped page */
#define DESC_MAX            192
#define WRAP_BACK           8                   /* this far below 2^64, any length wraps */
#define BIG_ARG_BYTES       3000                /* two of these pass SPAWN_MAX_ARG_BYTES */
#define FLAG_BITS           64
#define MAX_MADE            8                   /* objects made through "<type>_create" */
#define MADE_ENDS           2                   /* handles a creator may write out (pipe ends) */
#define FIXTURE_PREFIX      "badinput."         /* objects made are named "badinput.<type>" */

static const char *const skipped[] = { "console_read", "process_exit", "thread_exit" };

/* Calls that may wait for a peer when every argument is valid: handle and flag checks only. */
static const char *const waits[] = { "pipe_read", "pipe_write", "port_connect", "port_request" };

/* NAME arguments that must not be NULL. */
static const char *const name_required[] = { "port_create" };

/* Argument values other than 0, where 0 is not valid. */
static const struct {
    const char *call, *arg;
    long value;
} valid_values[] = {
    { "semaphore_create", "initial", 1 },
    { "semaphore_create", "maximum", 1 },
    { "semaphore_release", "count", 1 },
};

/* Buffer sizes other than VALID_LEN. */
static const struct {
    const char *call;
    size_t len;
} valid_lens[] = {
    { "system_stats", sizeof(struct system_stats) },
    { "console_write", QUIET_LEN },
};

/* The most elements a COUNT argument takes. */
static const struct {
    const char *call;
    size_t max;
} count_limits[] = {
    { "process_spawn", SPAWN_MAX_HANDLES },
    { "object_wait_many", WAIT_MANY_MAX },
};

/* The flag bits each call knows; the others must be E_INVAL.  Calls not listed: only bit 63. */
static const struct {
    const char *call;
    unsigned long known;
} known_flags[] = {
    { "mem_map", MEM_FLAGS_ALL },
    { "object_wait_many", WAIT_FOR_ALL },
    { "handle_duplicate", RIGHTS_ALL | RIGHT_SAME },
    { "event_create", EVENT_MANUAL_RESET | EVENT_SIGNALED | CREATE_OPEN_EXISTING },
    { "mutex_create", MUTEX_OWNED | CREATE_OPEN_EXISTING },
    { "semaphore_create", CREATE_OPEN_EXISTING },
    { "section_create", SECTION_FLAGS_ALL },
    { "section_map", SECTION_MAP_FLAGS },
    { "port_receive", PORT_RECEIVE_REPLY },
};

/* HANDLE arguments for which 0 is a valid value ("the caller"). */
static const struct {
    const char *call, *arg;
} zero_handle_ok[] = {
    { "handle_duplicate", "process" },
    { "process_trace", "process" },
    { "thread_set_priority", "thread" },
    { "section_map", "process" },
    { "section_unmap", "process" },
};

/* HANDLE arguments a call uses without checking any right. */
static const struct {
    const char *call, *arg;
} no_right_needed[] = {
    { "handle_close", "handle" },
    { "mutex_release", "mutex" },       /* ownership, not a right, decides */
};

/* Pointer arguments for which NULL is valid, besides every ARGV ("just the path") and NAME ("no name"). */
static const struct {
    const char *call, *arg;
} null_ok[] = {
    { "object_wait_many", "index" },    /* "do not tell me which" */
};

/* ---- helper modes ------------------------------------------------------- */

/* "--exit-with-handle": exits with the value of the handle it was given. */
static int helper_exit_with_handle(int argc, char **argv)
{
    (void)argc, (void)argv;
    process_exit(start_info()->nhandles > 0 ? start_info()->handles[0] : E_NOTFOUND);
    return 1;
}

static const struct helper_mode helpers[] = {
    { "--exit", helper_exit },
    { "--sleep", helper_sleep },
    { "--exit-with-handle", helper_exit_with_handle },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- table lookups -------------------------------------------------------------- */

static int call_is(const struct syscall_desc *d, const char *name)
{
    return strcmp(d->name, name) == 0;
}

static int listed(const struct syscall_desc *d, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (call_is(d, names[i]))
            return 1;
    return 0;
}

static int is_skipped(const struct syscall_desc *d)
{
    return listed(d, skipped, ARRAY_LEN(skipped));
}

static long valid_value(const struct syscall_desc *d, int i)
{
    for (size_t k = 0; k < ARRAY_LEN(valid_values); k++)
        if (call_is(d, valid_values[k].call) && strcmp(d->arg_names[i], valid_values[k].arg) == 0)
            return valid_values[k].value;
    return 0;
}

static size_t valid_len(const struct syscall_desc *d)
{
    for (size_t k = 0; k < ARRAY_LEN(valid_lens); k++)
        if (call_is(d, valid_lens[k].call))
            return valid_lens[k].len;
    return VALID_LEN;
}

static size_t count_limit(const struct syscall_desc *d)
{
    for (size_t k = 0; k < ARRAY_LEN(count_limits); k++)
        if (call_is(d, count_limits[k].call))
            return count_limits[k].max;
    return SPAWN_MAX_HANDLES;
}

static unsigned long known_flags_of(const struct syscall_desc *d)
{
    for (size_t k = 0; k < ARRAY_LEN(known_flags); k++)
        if (call_is(d, known_flags[k].call))
            return known_flags[k].known;
    return ~(1UL << (FLAG_BITS - 1));
}

static int zero_handle_is_valid(const struct syscall_desc *d, int i)
{
    for (size_t k = 0; k < ARRAY_LEN(zero_handle_ok); k++)
        if (call_is(d, zero_handle_ok[k].call) && strcmp(d->arg_names[i], zero_handle_ok[k].arg) == 0)
            return 1;
    return 0;
}

static int needs_a_right(const struct syscall_desc *d, int i)
{
    for (size_t k = 0; k < ARRAY_LEN(no_right_needed); k++)
        if (call_is(d, no_right_needed[k].call) && strcmp(d->arg_names[i], no_right_needed[k].arg) == 0)
            return 0;
    return 1;
}

static int null_is_valid(const struct syscall_desc *d, int i)
{
    if (d->kinds[i] == ARG_ARGV || (d->kinds[i] == ARG_NAME && !listed(d, name_required,
                                                                       ARRAY_LEN(name_required))))
        return 1;
    for (size_t k = 0; k < ARRAY_LEN(null_ok); k++)
        if (call_is(d, null_ok[k].call) && strcmp(d->arg_names[i], null_ok[k].arg) == 0)
            return 1;
    return 0;
}

/* The number of the call named |name|, or -1 when there is none. */
static int find_call(const char *name)
{
    for (int nr = 0; nr < SYSCALL_COUNT; nr++)
        if (syscall_descs[nr].name && strcmp(syscall_descs[nr].name, name) == 0)
            return nr;
    return -1;
}

static int is_pointer(enum syscall_arg_kind k)
{
    return k == ARG_PTR_IN || k == ARG_PTR_OUT || k == ARG_STRING || k == ARG_ARGV || k == ARG_NAME;
}

static int is_string(enum syscall_arg_kind k)
{
    return k == ARG_STRING || k == ARG_NAME;
}

static int is_length(enum syscall_arg_kind k)
{
    return k == ARG_LEN || k == ARG_COUNT;
}

static int is_handle(enum syscall_arg_kind k)
{
    return k == ARG_HANDLE;
}

static int is_flags(enum syscall_arg_kind k)
{
    return k == ARG_FLAGS;
}

/* Whether argument |i| is a buffer whose size is the LEN or COUNT right after it. */
static int has_length_after(const struct syscall_desc *d, int i)
{
    return (d->kinds[i] == ARG_PTR_IN || d->kinds[i] == ARG_PTR_OUT) && i + 1 < d->nargs &&
           is_length(d->kinds[i + 1]);
}

static int has_count_after(const struct syscall_desc *d, int i)
{
    return has_length_after(d, i) && d->kinds[i + 1] == ARG_COUNT;
}

/* The call |nr| when it is testable and has an argument that |pick| accepts; NULL otherwise. */
static const struct syscall_desc *testable(int nr, int (*pick)(enum syscall_arg_kind))
{
    const struct syscall_desc *d = &syscall_descs[nr];

    if (!d->name || is_skipped(d))
        return NULL;
    if (listed(d, waits, ARRAY_LEN(waits)) && pick != is_handle && pick != is_flags)
        return NULL;
    for (int i = 0; i < d->nargs; i++)
        if (pick(d->kinds[i]))
            return d;
    return NULL;
}

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
static char *page_before_hole(void)
{
    long two = mem_map(NULL, 2 * PAGE_SIZE, MEM_WRITE);

    ASSERT_TRUE(two > 0);
    ASSERT_EQ(mem_unmap((void *)(two + PAGE_SIZE), PAGE_SIZE), 0);
    return (char *)two;
}

static void add_bad(const char *name, uint64_t addr, int output_only)
{
    fx.bad[fx.nbad++] = (struct bad_ptr){ name, addr, output_only };
}

static void add_bad_pointers(void)
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

static void valid_args(const struct syscall_desc *d, long a[MAX_ARGS]);
static long invoke(int nr, const long a[MAX_ARGS]);

/*
 * Makes an object for HANDLE arguments named |type| with "<type>_create"
 * and valid arguments.  A creator that returns 0 wrote its handles to its
 * PTR_OUT argument (pipe_create: the read end, then the write end).
 */
static void make_object(const char *type)
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

static int is_fixture_type(const char *arg)
{
    return !strcmp(arg, "file") || !strcmp(arg, "handle") || !strcmp(arg, "process") ||
           !strcmp(arg, "thread") || !strcmp(arg, "object");
}

static volatile int fixture_ending;

static void fixture_thread(void *arg)
{
    (void)arg;
    while (!fixture_ending)
        thread_sleep(NS_PER_MS);
}

/* One object of every type some HANDLE argument names. */
static void make_objects(void)
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

static void fixture_init(void)
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

static void fixture_fini(void)
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
static handle_t valid_handle(const struct syscall_desc *d, int i)
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
            return fx.made[k].h[strstr(d->name, "_read") ? 0 : 1];
    return 0;
}

/* A handle of another type than argument |i| needs; 0 when any type will do. */
static handle_t wrong_handle(const struct syscall_desc *d, int i)
{
    const char *arg = d->arg_names[i];

    if (!strcmp(arg, "handle"))
        return 0;
    return !strcmp(arg, "file") ? fx.child : fx.file;
}

/*
 * Fills the page for |d|: handles for a call that takes a COUNT of them,
 * newlines otherwise (what console_write prints must not break the
 * runner's lines).  Valid buffers end at the page's end, so one byte more
 * runs into the unmapped page.
 */
static void fill_page(const struct syscall_desc *d)
{
    int counts = 0;

    for (int i = 0; i < d->nargs; i++)
        counts |= d->kinds[i] == ARG_COUNT;
    if (counts)
        for (size_t i = 0; i < PAGE_SIZE / sizeof(handle_t); i++)
            ((handle_t *)fx.page)[i] = fx.exited;
    else
        memset(fx.page, '\n', PAGE_SIZE);
}

/* Where a valid buffer for argument |i| starts: it ends at the page's end. */
static char *valid_buffer(const struct syscall_desc *d, int i)
{
    char *end = fx.page + PAGE_SIZE;

    if (has_count_after(d, i))
        return end - count_limit(d) * sizeof(handle_t);
    if (has_length_after(d, i))
        return end - valid_len(d);
    return fx.page;             /* a fixed-size output, such as a struct: the whole page */
}

/* A path names a file; any other string the first named object we made. */
static const char *valid_string(const struct syscall_desc *d, int i)
{
    if (strcmp(d->arg_names[i], "path") == 0)
        return ECHO_PATH;
    for (int k = 0; k < fx.nmade; k++)
        if (fx.made[k].name[0])
            return fx.made[k].name;
    return FIXTURE_PREFIX "none";
}

static void valid_args(const struct syscall_desc *d, long a[MAX_ARGS])
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

static long invoke(int nr, const long a[MAX_ARGS])
{
    return syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static int is_our_handle(long h)
{
    return h > 0 && (h >> HANDLE_PID_SHIFT) == process_self_id();
}

/*
 * Undoes what a call that succeeded made: a mapping, a handle (a process
 * ends first), or the handles a creator returning 0 wrote out (pipe ends).
 */
static void cleanup(int nr, long r, const long a[MAX_ARGS])
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

static void counts_before(void)
{
    system_stats(&stats_before, sizeof stats_before);
    handles_before = handles_held();
}

static void expect_counts_unchanged(const char *desc)
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
static void expect_call(int nr, const long a[MAX_ARGS], long want, const char *desc)
{
    char what[DESC_MAX];

    counts_before();
    long r = invoke(nr, a);
    cleanup(nr, r, a);
    if (want == WANT_SUCCESS) {
        snprintf(what, sizeof what, "%s succeeds (got %ld)", desc, r);
        EXPECT_TRUE_AT(what, r >= 0 || r == E_TIMEDOUT || r == E_AGAIN);  /* a poll found nothing */
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

/* ---- the cases ---------------------------------------------------------------------------- */

TEST(every_call_is_described)
{
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        EXPECT_NE(syscall_descs[nr].name, NULL);
        EXPECT_TRUE(syscall_descs[nr].nargs >= 0 && syscall_descs[nr].nargs <= MAX_ARGS);
    }
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

/*
 * The premise of the rest: with every argument valid, each call that takes
 * memory works (a poll that finds nothing counts).  Calls that read a
 * structure are left out.
 */
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
    return b->addr == 0 && null_is_valid(d, i) ? WANT_SUCCESS : E_FAULT;
}

TEST(pointer_args_reject_bad_pointers)
{
    long a[MAX_ARGS];
    char desc[DESC_MAX];

    fixture_init();
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, is_pointer);
        for (int i = 0; d && i < d->nargs; i++) {
            for (int b = 0; is_pointer(d->kinds[i]) && b < fx.nbad; b++) {
                if (fx.bad[b].output_only && d->kinds[i] != ARG_PTR_OUT)
                    continue;
                valid_args(d, a);
                a[i] = (long)fx.bad[b].addr;
                snprintf(desc, sizeof desc, "%s(%s = %s)", d->name, d->arg_names[i], fx.bad[b].name);
                expect_call(nr, a, expected_for_pointer(d, i, &fx.bad[b]), desc);
            }
        }
    }
    fixture_fini();
}

/*
 * A valid buffer with a length that runs past 2^64: TESTING.md asks for a
 * clear error even where the call would touch only the start of it.
 * A COUNT that large is over its limit first (E_TOOBIG or E_INVAL).
 */
TEST(buffer_length_wrapping_past_2_64_is_fault)
{
    long a[MAX_ARGS];
    char desc[DESC_MAX];

    fixture_init();
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, is_pointer);
        for (int i = 0; d && i < d->nargs; i++) {
            if (!is_pointer(d->kinds[i]) || !has_length_after(d, i))
                continue;
            valid_args(d, a);
            a[i + 1] = -a[i] + PAGE_SIZE;       /* a[i] + a[i + 1] wraps around to PAGE_SIZE */
            snprintf(desc, sizeof desc, "%s(%s = %#lx, %s = %#lx)", d->name, d->arg_names[i],
                     a[i], d->arg_names[i + 1], a[i + 1]);
            expect_call(nr, a, has_count_after(d, i) ? WANT_TOO_MANY : E_FAULT, desc);
        }
    }
    fixture_fini();
}

/* An argv array that is fine but for one entry. */
TEST(argv_entries_reject_bad_pointers)
{
    long a[MAX_ARGS];
    char desc[DESC_MAX];
    const char *argv[3] = { ECHO_PATH, NULL, NULL };

    fixture_init();
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, is_pointer);
        for (int i = 0; d && i < d->nargs; i++) {
            for (int b = 0; d->kinds[i] == ARG_ARGV && b < fx.nbad; b++) {
                if (fx.bad[b].output_only || fx.bad[b].addr == 0)
                    continue;                   /* NULL would just end the array */
                valid_args(d, a);
                argv[1] = (const char *)fx.bad[b].addr;
                a[i] = (long)argv;
                snprintf(desc, sizeof desc, "%s(%s[1] = %s)", d->name, d->arg_names[i], fx.bad[b].name);
                expect_call(nr, a, E_FAULT, desc);
            }
        }
    }
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

TEST(length_args_survive_extremes)
{
    long a[MAX_ARGS];
    char desc[DESC_MAX];

    fixture_init();
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, is_length);
        for (int i = 0; d && i < d->nargs; i++) {
            uint64_t max = d->kinds[i] == ARG_COUNT ? count_limit(d) : valid_len(d);
            const uint64_t lens[] = { 0, 1, max, max + 1, 1UL << 31, (1UL << 32) - 1, 1UL << 63,
                                      UINT64_MAX };
            for (size_t k = 0; is_length(d->kinds[i]) && k < ARRAY_LEN(lens); k++) {
                valid_args(d, a);
                a[i] = (long)lens[k];
                snprintf(desc, sizeof desc, "%s(%s = %#lx)", d->name, d->arg_names[i], lens[k]);
                expect_call(nr, a, WANT_ANY_CLEAN, desc);
            }
        }
    }
    fixture_fini();
}

/* The longest string argument |i| of |d| takes, with its NUL. */
static size_t string_max(const struct syscall_desc *d, int i)
{
    return strcmp(d->arg_names[i], "path") == 0 ? BOOTFS_PATH_MAX : OB_NAME_MAX;
}

/* Valid arguments, with each string argument in turn set to what |make| gives for it. */
static void expect_strings(const char *(*make)(const struct syscall_desc *d, int i, long *want),
                           const char *what)
{
    long a[MAX_ARGS], want;
    char desc[DESC_MAX];

    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, is_string);
        for (int i = 0; d && i < d->nargs; i++) {
            if (!is_string(d->kinds[i]))
                continue;
            valid_args(d, a);
            a[i] = (long)make(d, i, &want);
            snprintf(desc, sizeof desc, "%s(%s = %s)", d->name, d->arg_names[i], what);
            expect_call(nr, a, want, desc);
        }
    }
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

/* "/aaa...a" of |len| characters, in a buffer of its own. */
static const char *long_string(size_t len)
{
    static char s[BOOTFS_PATH_MAX + OB_NAME_MAX];

    memset(s, 'a', len);
    s[0] = '/';
    s[len] = '\0';
    return s;
}

/* The longest that fits: a path names no file; a name is created (a NAME) or not found. */
static const char *longest(const struct syscall_desc *d, int i, long *want)
{
    *want = d->kinds[i] == ARG_NAME ? WANT_SUCCESS : E_NOTFOUND;
    return long_string(string_max(d, i) - 1);
}

static const char *one_too_long(const struct syscall_desc *d, int i, long *want)
{
    *want = E_TOOBIG;
    return long_string(string_max(d, i));
}

TEST(string_of_maximum_length)
{
    fixture_init();
    expect_strings(longest, "the longest that fits");
    expect_strings(one_too_long, "one character too long");
    fixture_fini();
}

/* Valid arguments, with each HANDLE argument in turn set to |h| (|wrong|: to one of the wrong type). */
static void expect_handles(handle_t h, int wrong, long want, const char *what)
{
    long a[MAX_ARGS];
    char desc[DESC_MAX];

    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, is_handle);
        for (int i = 0; d && i < d->nargs; i++) {
            if (!is_handle(d->kinds[i]) || (wrong && !wrong_handle(d, i)) ||
                (!wrong && h == 0 && zero_handle_is_valid(d, i)))
                continue;
            valid_args(d, a);
            a[i] = wrong ? wrong_handle(d, i) : h;
            snprintf(desc, sizeof desc, "%s(%s = %s)", d->name, d->arg_names[i], what);
            expect_call(nr, a, want, desc);
        }
    }
}

TEST(handle_args_reject_bad_handles)
{
    handle_t closed = file_open(ECHO_PATH);

    ASSERT_TRUE(closed > 0);
    ASSERT_EQ(handle_close(closed), 0);
    fixture_init();
    expect_handles(0, 0, E_BADHANDLE, "0");
    expect_handles(-1, 0, E_BADHANDLE, "-1");
    expect_handles(closed, 0, E_BADHANDLE, "a closed handle");
    expect_handles(RANDOM_HANDLE, 0, E_BADHANDLE, "a random value");
    fixture_fini();
}

/* Our file handle with another pid in bits 32..55, and a handle a child really holds. */
TEST(handle_args_reject_another_process_handle)
{
    const char *argv[] = { self_path(), "--exit-with-handle", NULL };
    struct process_status st;

    fixture_init();
    handle_t other_pid = fx.file ^ (HANDLE_PID_MASK << HANDLE_PID_SHIFT);
    expect_handles(other_pid, 0, E_BADHANDLE, "our handle with the pid bits flipped");
    handle_t h = process_spawn(self_path(), argv, &fx.file, 1);
    ASSERT_TRUE(h > 0);
    ASSERT_EQ(reap(h, &st), 0);
    ASSERT_EQ(st.state, PROCESS_EXITED);
    ASSERT_TRUE(st.exit_code > 0);
    expect_handles(st.exit_code, 0, E_BADHANDLE, "a child's handle value");
    fixture_fini();
}

TEST(handle_args_reject_wrong_type)
{
    fixture_init();
    expect_handles(0, 1, E_WRONGTYPE, "a handle of the wrong type");
    fixture_fini();
}

/* The right handle, duplicated with no rights at all. */
TEST(handle_args_without_rights_are_access)
{
    long a[MAX_ARGS];
    char desc[DESC_MAX];
    int checked = 0;

    fixture_init();
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, is_handle);
        for (int i = 0; d && i < d->nargs; i++) {
            if (!is_handle(d->kinds[i]) || !needs_a_right(d, i))
                continue;
            valid_args(d, a);
            handle_t bare = handle_duplicate(a[i], 0, 0);
            if (a[i] == 0 || bare < 0)
                continue;                       /* none of that type to duplicate */
            a[i] = bare;
            snprintf(desc, sizeof desc, "%s(%s = a handle with no rights)", d->name, d->arg_names[i]);
            expect_call(nr, a, E_ACCESS, desc);
            handle_close(bare);
            checked++;
        }
    }
    EXPECT_TRUE(checked > 0);
    fixture_fini();
}

TEST(bad_syscall_numbers_are_nosys)
{
    static const long numbers[] = {
        -1, SYSCALL_COUNT, SYSCALL_COUNT + 1, 1L << 31, 1L << 32, INT64_MIN, INT64_MAX,
    };
    char desc[DESC_MAX];

    for (size_t i = 0; i < ARRAY_LEN(numbers); i++) {
        snprintf(desc, sizeof desc, "syscall0(%#lx)", numbers[i]);
        EXPECT_EQ_AT(desc, syscall0(numbers[i]), E_NOSYS);
    }
}

TEST(unknown_flag_bits_are_inval)
{
    long a[MAX_ARGS];
    char desc[DESC_MAX];

    fixture_init();
    for (int nr = 0; nr < SYSCALL_COUNT; nr++) {
        const struct syscall_desc *d = testable(nr, is_flags);
        for (int i = 0; d && i < d->nargs; i++) {
            for (int bit = 0; is_flags(d->kinds[i]) && bit < FLAG_BITS; bit++) {
                if (known_flags_of(d) & (1UL << bit))
                    continue;
                valid_args(d, a);
                a[i] = (long)(1UL << bit);
                snprintf(desc, sizeof desc, "%s(%s = 1 << %d)", d->name, d->arg_names[i], bit);
                expect_call(nr, a, E_INVAL, desc);
            }
        }
    }
    fixture_fini();
}

/* ADDR arguments are not dereferenced, only range-checked: outside user space is E_INVAL. */
static void thread_entry_unused(void)
{
}

TEST(addresses_outside_user_space_are_inval)
{
    static const uint64_t bad[] = {
        NONCANONICAL_ADDR, DIRECT_MAP_BASE, KERNEL_HEAP_ADDR, KERNEL_IMAGE_ADDR, UINT64_MAX,
    };
    long stack = mem_map(NULL, PAGE_SIZE, MEM_WRITE);
    char desc[DESC_MAX];

    ASSERT_TRUE(stack > 0);
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        void *p = (void *)bad[i];
        snprintf(desc, sizeof desc, "mem_map(addr = %#lx)", bad[i]);
        EXPECT_EQ_AT(desc, mem_map(p, PAGE_SIZE, MEM_WRITE), E_INVAL);
        snprintf(desc, sizeof desc, "mem_unmap(addr = %#lx)", bad[i]);
        EXPECT_EQ_AT(desc, mem_unmap(p, PAGE_SIZE), E_INVAL);
        snprintf(desc, sizeof desc, "thread_create(entry = %#lx)", bad[i]);
        EXPECT_EQ_AT(desc, thread_create(p, 0, (void *)(stack + PAGE_SIZE)), E_INVAL);
        snprintf(desc, sizeof desc, "thread_create(stack_top = %#lx)", bad[i]);
        if (bad[i] != USER_TOP)             /* a stack may end at the top of user space */
            EXPECT_EQ_AT(desc, thread_create((const void *)thread_entry_unused, 0, p), E_INVAL);
    }
    EXPECT_EQ(mem_unmap((void *)stack, PAGE_SIZE), 0);
}
