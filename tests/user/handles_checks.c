/*
 * handles_checks: every call that takes a handle checks its type
 * (E_WRONGTYPE) and the right it needs (E_ACCESS), in that order, after
 * E_BADHANDLE (ARCHITECTURE.md section 4, handle_get's order).  Driven from
 * libc's syscall_descs: a new call with a HANDLE argument needs a row in
 * handle_rules[] below, or handles_checks.every_handle_argument_has_a_rule
 * fails.  The other arguments get harmless values (call_with_handle), so
 * only the handle under test can be what the call refuses.
 */
#include <stdio.h>
#include <syscall_desc.h>
#include "tests/user/util.h"

#define FILLER_LEN          16      /* the length passed with a buffer when only the handle matters */
#define PORT_NAME_FORMAT    "/obj/test.handles.port%d"

static const struct helper_mode helpers[] = {
    { "--sleep", helper_sleep },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

#define DIRECTORY_NAME      "/obj/test.handles.directory"
#define TYPE_ANY            (-1)    /* any object: no type is wrong */
#define TYPE_WAITABLE       (-2)    /* any type that can be waited on: a file is not one */

/*
 * What each HANDLE argument of syscalls.def must be, and the right the call
 * needs through it.  Rows for calls the table does not have are ignored.
 */
struct handle_rule {
    const char *call;
    int arg;                        /* which argument */
    int type;                       /* OB_TYPE_*, TYPE_ANY or TYPE_WAITABLE */
    rights_t right;                 /* 0: none */
};

static const struct handle_rule handle_rules[] = {
    { "process_kill",      0, OB_TYPE_PROCESS,    RIGHT_KILL },
    { "process_status",    0, OB_TYPE_PROCESS,    RIGHT_INFO },
    { "object_wait",       0, TYPE_WAITABLE,      RIGHT_WAIT },
    /* Closing takes any type and needs no right: there is nothing wrong to pass it. */
    { "handle_close",      0, TYPE_ANY,           0 },
    { "file_read",         0, OB_TYPE_FILE,       RIGHT_READ },
    /* The source of a duplicate may be of any type; only its right is checked. */
    { "handle_duplicate",  0, TYPE_ANY,           RIGHT_DUPLICATE },
    { "handle_duplicate",  1, OB_TYPE_PROCESS,    RIGHT_MANAGE },
    /* Replacing makes no handle more and setting attributes changes only the caller's table. */
    { "handle_replace",    0, TYPE_ANY,           0 },
    { "handle_attributes", 0, TYPE_ANY,           0 },
    { "directory_create",  0, OB_TYPE_DIRECTORY,  RIGHT_WRITE },
    { "directory_list",    0, OB_TYPE_DIRECTORY,  RIGHT_READ },
    { "object_open_at",    0, OB_TYPE_DIRECTORY,  RIGHT_READ },
    { "event_set",         0, OB_TYPE_EVENT,      RIGHT_SIGNAL },
    { "event_reset",       0, OB_TYPE_EVENT,      RIGHT_SIGNAL },
    { "event_pulse",       0, OB_TYPE_EVENT,      RIGHT_SIGNAL },
    /* Ownership, not a right, decides who may release a mutex. */
    { "mutex_release",     0, OB_TYPE_MUTEX,      0 },
    { "semaphore_release", 0, OB_TYPE_SEMAPHORE,  RIGHT_SIGNAL },
    { "process_trace",     0, OB_TYPE_PROCESS,    RIGHT_MANAGE },
    { "thread_set_priority", 0, OB_TYPE_THREAD,   RIGHT_MANAGE },
    { "process_set_ceiling", 0, OB_TYPE_PROCESS,  RIGHT_MANAGE },
    { "job_create",        0, OB_TYPE_JOB,        RIGHT_MANAGE },
    { "job_set_spawn",     0, OB_TYPE_JOB,        RIGHT_MANAGE },
    { "job_kill",          0, OB_TYPE_JOB,        RIGHT_KILL },
    { "pipe_read",         0, OB_TYPE_PIPE_READ,  RIGHT_READ },
    { "pipe_write",        0, OB_TYPE_PIPE_WRITE, RIGHT_WRITE },
    { "section_map",       0, OB_TYPE_SECTION,    RIGHT_MAP },
    { "section_map",       1, OB_TYPE_PROCESS,    RIGHT_MANAGE },
    { "section_unmap",     0, OB_TYPE_PROCESS,    RIGHT_MANAGE },
    { "section_map_view",  0, OB_TYPE_SECTION,    RIGHT_MAP },
    { "section_map_view",  1, OB_TYPE_PROCESS,    RIGHT_MANAGE },
    { "section_unmap_view", 0, OB_TYPE_PROCESS,   RIGHT_MANAGE },
    { "section_protect",   0, OB_TYPE_PROCESS,    RIGHT_MANAGE },
    { "section_read",      0, OB_TYPE_SECTION,    RIGHT_READ },
    { "section_write",     0, OB_TYPE_SECTION,    RIGHT_WRITE },
    { "port_accept",       0, OB_TYPE_PORT,       RIGHT_WRITE },
    { "port_refuse",       0, OB_TYPE_PORT,       RIGHT_WRITE },
    { "port_request",      0, OB_TYPE_PORT,       RIGHT_WRITE },
    { "port_send",         0, OB_TYPE_PORT,       RIGHT_WRITE },
    { "port_receive",      0, OB_TYPE_PORT,       RIGHT_READ },
    { "port_reply",        0, OB_TYPE_PORT,       RIGHT_WRITE },
    /*
     * Driver objects come only from a resource, which this suite is not
     * given: their missing-right checks are in drivers_objects, which is.
     */
    { "resource_create",   0, OB_TYPE_RESOURCE,   RIGHT_MANAGE },
    { "ioport_create",     0, OB_TYPE_RESOURCE,   RIGHT_MANAGE },
    { "ioport_enable",     0, OB_TYPE_IOPORT,     RIGHT_MAP },
    { "ioport_disable",    0, OB_TYPE_IOPORT,     RIGHT_MAP },
    { "interrupt_create",  0, OB_TYPE_RESOURCE,   RIGHT_MANAGE },
    { "interrupt_ack",     0, OB_TYPE_INTERRUPT,  RIGHT_SIGNAL },
    { "kclock_crash",      0, OB_TYPE_RESOURCE,   RIGHT_MANAGE },
    /* ---- object API ---- */
    { "event_set_previous",   0, OB_TYPE_EVENT,   RIGHT_SIGNAL },
    { "event_reset_previous", 0, OB_TYPE_EVENT,   RIGHT_SIGNAL },
    { "event_pulse_previous", 0, OB_TYPE_EVENT,   RIGHT_SIGNAL },
    { "mutex_release_previous", 0, OB_TYPE_MUTEX, 0 },
    /* Any type; basic information needs no right (the classes that do: query.c). */
    { "object_query",         0, TYPE_ANY,        0 },
    /* The signaled object may also be a semaphore or a mutex (signal_wait.c checks those). */
    { "object_signal_wait",   0, OB_TYPE_EVENT,   RIGHT_SIGNAL },
    { "object_signal_wait",   1, TYPE_WAITABLE,   RIGHT_WAIT },
    { "timer_set",            0, OB_TYPE_TIMER,   RIGHT_SIGNAL },
    { "timer_cancel",         0, OB_TYPE_TIMER,   RIGHT_SIGNAL },
    { "pipe_read_timeout",    0, OB_TYPE_PIPE_READ,  RIGHT_READ },
    { "pipe_write_timeout",   0, OB_TYPE_PIPE_WRITE, RIGHT_WRITE },
    { "pipe_peek",            0, OB_TYPE_PIPE_READ,  RIGHT_READ },
    /* Either end, with its own data right: the rule's read end stands for both. */
    { "pipe_set_mode",        0, OB_TYPE_PIPE_READ,  RIGHT_READ },
    { "port_request_timeout", 0, OB_TYPE_PORT,    RIGHT_WRITE },
};

/* Whether this suite can make a handle of |type| (driver objects need a resource it has not). */
static int can_make(int type)
{
    return type != OB_TYPE_RESOURCE && type != OB_TYPE_IOPORT && type != OB_TYPE_INTERRUPT;
}

static const struct handle_rule *rule_for(const char *call, int arg)
{
    for (size_t i = 0; i < ARRAY_LEN(handle_rules); i++)
        if (strcmp(handle_rules[i].call, call) == 0 && handle_rules[i].arg == arg)
            return &handle_rules[i];
    return NULL;
}

static handle_t shared_child;       /* the process behind every process handle the cases make */
static char scratch[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* Calls the system call called |name| by number (it may be newer than this program's libc). */
static long call_by_name(const char *name, long a0, long a1, long a2)
{
    for (int nr = 0; nr < SYSCALL_COUNT; nr++)
        if (strcmp(syscall_descs[nr].name, name) == 0)
            return syscall3(nr, a0, a1, a2);
    return E_NOSYS;
}

/* One end of a new pipe (the other is closed), or an E_* code. */
static handle_t make_pipe_end(int end)
{
    handle_t ends[2];
    long r = call_by_name("pipe_create", (long)ends, 0, 0);

    if (r < 0)
        return r;
    handle_close(ends[!end]);
    return ends[end];
}

/* A new server port (ports need a name: each gets its own), or an E_* code. */
static handle_t make_port(void)
{
    static int made;
    char name[OB_NAME_MAX];

    snprintf(name, sizeof name, PORT_NAME_FORMAT, made++);
    return call_by_name("port_create", (long)name, FILLER_LEN, 1);
}

/* A new handle with all the default rights to a new object of |type|, or an E_* code. */
static handle_t make_handle(int type)
{
    switch (type) {
    case OB_TYPE_PROCESS:       return handle_duplicate(shared_child, 0, RIGHT_SAME);
    case OB_TYPE_THREAD:        return thread_start(return_at_once, NULL, PAGE_SIZE);
    case OB_TYPE_FILE:          return file_open(self_path());
    case OB_TYPE_MUTEX:         return mutex_create(0, NULL);
    case OB_TYPE_SEMAPHORE:     return semaphore_create(0, 1, 0, NULL);
    case OB_TYPE_PIPE_READ:     return make_pipe_end(0);
    case OB_TYPE_PIPE_WRITE:    return make_pipe_end(1);
    case OB_TYPE_SECTION:       return call_by_name("section_create", PAGE_SIZE, 0, 0);
    case OB_TYPE_PORT:          return make_port();
    case OB_TYPE_DIRECTORY:     return directory_create(0, DIRECTORY_NAME, 0);
    case OB_TYPE_TIMER:         return call_by_name("timer_create", 0, 0, 0);
    case OB_TYPE_JOB:           return call_by_name("job_create", 0, 0, 0);
    case OB_TYPE_EVENT:
    case TYPE_ANY:
    case TYPE_WAITABLE:         return event_create(0, NULL);
    default:                    return E_NOSYS;
    }
}

/* A handle of a type |rule| does not accept: a file, or an event where a file is wanted. */
static handle_t make_wrong_handle(const struct handle_rule *rule)
{
    return make_handle(rule->type == OB_TYPE_FILE ? OB_TYPE_EVENT : OB_TYPE_FILE);
}

/*
 * Makes system call |nr| with |h| as argument |arg| and harmless values for
 * the others: for another handle argument a new full-rights handle of the
 * type its rule names, for a buffer or an address a scratch page, 1 for
 * values and counts, 0 for flags and strings.  Returns what the call did.
 */
static long call_with_handle(int nr, int arg, handle_t h)
{
    const struct syscall_desc *d = &syscall_descs[nr];
    long a[6] = { 0 };
    handle_t made[6];
    int nmade = 0;

    for (int i = 0; i < d->nargs; i++) {
        const struct handle_rule *r = rule_for(d->name, i);
        if (i == arg)
            a[i] = h;
        else if (d->kinds[i] == ARG_HANDLE)
            a[i] = made[nmade++] = r ? make_handle(r->type) : 0;
        else if (d->kinds[i] == ARG_PTR_IN || d->kinds[i] == ARG_PTR_OUT || d->kinds[i] == ARG_ADDR)
            a[i] = (long)scratch;
        else if (d->kinds[i] == ARG_LEN)
            a[i] = FILLER_LEN;
        else if (d->kinds[i] == ARG_VALUE || d->kinds[i] == ARG_COUNT)
            a[i] = 1;
    }
    long result = syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    for (int i = 0; i < nmade; i++)
        if (made[i] > 0)
            handle_close(made[i]);
    return result;
}

/* Calls |check| for every HANDLE argument of every call that has a rule. */
static void for_each_handle_argument(void (*check)(int nr, int arg, const struct handle_rule *rule))
{
    ASSERT_TRUE((shared_child = spawn_self("--sleep", NULL)) > 0);
    for (int nr = 0; nr < SYSCALL_COUNT; nr++)
        for (int arg = 0; arg < syscall_descs[nr].nargs; arg++)
            if (syscall_descs[nr].kinds[arg] == ARG_HANDLE && rule_for(syscall_descs[nr].name, arg))
                check(nr, arg, rule_for(syscall_descs[nr].name, arg));
    process_kill(shared_child, 0);
    struct process_status st;
    reap(shared_child, &st);
}

static void describe(char *buf, size_t len, int nr, int arg, const char *what)
{
    snprintf(buf, len, "%s(%s = %s)", syscall_descs[nr].name, syscall_descs[nr].arg_names[arg], what);
}

TEST(every_handle_argument_has_a_rule)
{
    char desc[96];

    for (int nr = 0; nr < SYSCALL_COUNT; nr++)
        for (int arg = 0; arg < syscall_descs[nr].nargs; arg++) {
            if (syscall_descs[nr].kinds[arg] != ARG_HANDLE)
                continue;
            snprintf(desc, sizeof desc, "%s(%s) has a row in handle_rules[]", syscall_descs[nr].name,
                     syscall_descs[nr].arg_names[arg]);
            EXPECT_TRUE_AT(desc, rule_for(syscall_descs[nr].name, arg) != NULL);
        }
}

static void check_wrong_type(int nr, int arg, const struct handle_rule *rule)
{
    char desc[96];
    handle_t wrong;

    if (rule->type == TYPE_ANY)
        return;
    describe(desc, sizeof desc, nr, arg, rule->type == OB_TYPE_FILE ? "an event" : "a file");
    wrong = make_wrong_handle(rule);
    if (EXPECT_TRUE_AT(desc, wrong > 0))
        EXPECT_EQ_AT(desc, call_with_handle(nr, arg, wrong), E_WRONGTYPE);
    handle_close(wrong);
}

TEST(wrong_type_on_every_handle_call)
{
    for_each_handle_argument(check_wrong_type);
}

/*
 * Makes system call |nr| with |h| duplicated without any rights as argument
 * |arg| and expects |want|; closes |h|.  |desc| names the case.
 */
static void expect_without_rights(int nr, int arg, handle_t h, long want, const char *desc)
{
    handle_t stripped;

    if (!EXPECT_TRUE_AT(desc, h > 0))
        return;
    stripped = handle_duplicate(h, 0, 0);
    if (EXPECT_TRUE_AT(desc, stripped > 0))
        EXPECT_EQ_AT(desc, call_with_handle(nr, arg, stripped), want);
    handle_close(stripped);
    handle_close(h);
}

static void check_missing_right(int nr, int arg, const struct handle_rule *rule)
{
    char desc[96];

    if (rule->right == 0 || !can_make(rule->type))
        return;
    describe(desc, sizeof desc, nr, arg, "the right type without rights");
    expect_without_rights(nr, arg, make_handle(rule->type), E_ACCESS, desc);
}

TEST(missing_right_on_every_handle_call)
{
    for_each_handle_argument(check_missing_right);
}

/* handle_get's order (ARCHITECTURE.md section 4): E_BADHANDLE, E_WRONGTYPE, E_ACCESS. */
static void check_type_before_right(int nr, int arg, const struct handle_rule *rule)
{
    char desc[96];

    if (rule->type == TYPE_ANY)
        return;
    describe(desc, sizeof desc, nr, arg, "the wrong type without rights");
    expect_without_rights(nr, arg, make_wrong_handle(rule), E_WRONGTYPE, desc);
}

TEST(wrong_type_is_reported_before_missing_right)
{
    for_each_handle_argument(check_type_before_right);
}
