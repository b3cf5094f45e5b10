/*
 * handles: the handle rules of the object manager (ARCHITECTURE.md section
 * 4; kernel/ob/handle.c, sys_object.c, proc/spawn.c):
 *
 *   - duplicating keeps (RIGHT_SAME) or drops rights, never adds them, and
 *     needs RIGHT_DUPLICATE; into another process it needs RIGHT_MANAGE on
 *     the process handle and RIGHT_TRANSFER on the source;
 *   - handles passed at spawn need RIGHT_TRANSFER and are copied;
 *   - a closed handle's value stays invalid after its slot is reused (here
 *     1,000 times), and a value from another process never resolves;
 *   - every call that takes a handle checks its type (E_WRONGTYPE) and the
 *     right it needs (E_ACCESS), in that order: driven from libc's
 *     syscall_descs, so a new call with a HANDLE argument needs a row in
 *     handle_rules[] below, or handles.every_handle_argument_has_a_rule fails;
 *   - the per-process quota (HANDLE_QUOTA) stops one process with E_LIMIT
 *     while others carry on, and closing handles makes room again.
 *
 * Children are this program in a helper mode; the handles a case passes
 * them follow the standard streams (the stdio convention of types.h), and a
 * child reports a failed check by exiting with its line number.
 */
#include <stdio.h>
#include <syscall_desc.h>
#include "kernel/abi/rights.h"
#include "tests/user/util.h"

#define HANDLE_QUOTA        4096    /* kernel/ob/handle.h (its handle_close clashes with libc's) */
#define STALE_ROUNDS        1000
#define WORK_ROUNDS         1000    /* what the other process does while one sits at its quota */
#define LIST_MAX            64      /* handle_info records a helper reads */
#define FILLER_LEN          16      /* the length passed with a buffer when only the handle matters */
#define QUOTA_NAME          "/obj/test.handles.quota"
#define PORT_NAME_FORMAT    "/obj/test.handles.port%d"
#define EVENT_RIGHTS        (RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO)
#define PROCESS_RIGHTS_NO_MANAGE \
    (RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO | RIGHT_KILL)
#define CHILD_RIGHTS        (RIGHT_WAIT | RIGHT_SIGNAL)
#define PASSED_RIGHTS       (RIGHT_TRANSFER | RIGHT_SIGNAL | RIGHT_INFO)

/* ---- passing handles to children ------------------------------------------ */

/*
 * Starts this suite in helper mode |mode| (with |arg| unless NULL), passing
 * |hs| after the STDIO_HANDLES standard streams of the spawn convention
 * (types.h), which stay on the console.
 */
static handle_t spawn_passing(const char *mode, const char *arg, const handle_t *hs, size_t n)
{
    const char *argv[] = { self_path(), mode, arg, NULL };
    handle_t all[SPAWN_MAX_HANDLES] = { 0 };    /* 0: the console for each stream */

    if (STDIO_HANDLES + n > SPAWN_MAX_HANDLES)
        return E_TOOBIG;
    memcpy(all + STDIO_HANDLES, hs, n * sizeof *hs);
    return process_spawn(self_path(), argv, all, STDIO_HANDLES + n);
}

/* The |i|-th handle this process was passed after the streams, or 0. */
static handle_t passed(size_t i)
{
    const struct start_info *si = start_info();

    return STDIO_HANDLES + i < si->nhandles ? si->handles[STDIO_HANDLES + i] : 0;
}

/* The handle_info of |h| in this process; whether it was found. */
static int handle_info_of(handle_t h, struct handle_info *out)
{
    static struct handle_info list[LIST_MAX];
    long n = handle_list(0, list, sizeof list);

    for (long i = 0; i < n && i < LIST_MAX; i++)
        if (list[i].handle == h) {
            *out = list[i];
            return 1;
        }
    return 0;
}

static long rights_of(handle_t h)
{
    struct handle_info info;

    return handle_info_of(h, &info) ? (long)info.rights : E_NOTFOUND;
}

static long pid_of_handle(handle_t h)
{
    return (h >> HANDLE_PID_SHIFT) & HANDLE_PID_MASK;
}

static void return_at_once(void *arg)
{
    (void)arg;
}

/* ---- helper modes ---------------------------------------------------------- */

/*
 * "--use-duplicate RIGHTS": waits until the event passed first is set, then
 * finds the other event its parent put into its table, checks it has
 * exactly RIGHTS, sets it, and exits with its value.
 */
static int helper_use_duplicate(int argc, char **argv)
{
    static struct handle_info list[LIST_MAX];
    handle_t ready = passed(0);
    unsigned long want = argc > 0 ? strtoul(argv[0], NULL, 0) : 0;
    long n;

    if (ready <= 0 || object_wait(ready, CHILD_TIMEOUT_NS) != 0)
        return __LINE__;
    n = handle_list(0, list, sizeof list);
    for (long i = 0; i < n && i < LIST_MAX; i++) {
        if (list[i].type != OB_TYPE_EVENT || list[i].handle == ready)
            continue;
        if (list[i].rights != want || event_set(list[i].handle) != 0)
            return __LINE__;
        process_exit(list[i].handle);
    }
    return __LINE__;
}

/* "--set-passed": sets the event passed first and exits with the rights its copy has. */
static int helper_set_passed(int argc, char **argv)
{
    handle_t ev = passed(0);
    long rights = rights_of(ev);

    (void)argc, (void)argv;
    if (ev <= 0 || pid_of_handle(ev) != process_self_id() || rights < 0 || event_set(ev) != 0)
        return __LINE__;
    process_exit(rights);
    return __LINE__;
}

/* Whether none of the calls that take a handle accepts |h|. */
static int resolves_nowhere(handle_t h)
{
    return event_set(h) == E_BADHANDLE && object_wait(h, 0) == E_BADHANDLE &&
           handle_duplicate(h, 0, RIGHT_SAME) == E_BADHANDLE && handle_close(h) == E_BADHANDLE;
}

/*
 * "--foreign VALUE": VALUE is a handle of the parent.  It must not resolve
 * here, nor must this process's own value for the same slot with the
 * parent's pid put in.
 */
static int helper_foreign(int argc, char **argv)
{
    handle_t theirs = argc > 0 ? strtol(argv[0], NULL, 0) : 0;
    long slot = theirs & HANDLE_SLOT_MASK;
    handle_t own = 0, forged;

    while (own >= 0 && (own & HANDLE_SLOT_MASK) < slot)   /* fill slots up to the parent's */
        own = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
    if (own == 0)
        own = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
    if (theirs <= 0 || own <= 0 || (own & HANDLE_SLOT_MASK) != slot)
        return __LINE__;
    forged = (own & ~(HANDLE_PID_MASK << HANDLE_PID_SHIFT)) |
             (pid_of_handle(theirs) << HANDLE_PID_SHIFT);
    if (!resolves_nowhere(theirs) || !resolves_nowhere(forged))
        return __LINE__;
    if (object_wait(own, 0) != 0)               /* our own value for the slot works */
        return __LINE__;
    return 0;
}

/*
 * "--quota": duplicates the event passed first until E_LIMIT, checks that
 * nothing else can be opened either, sets that event, waits for the second
 * one, then checks that closing makes room again.
 */
static int helper_quota(int argc, char **argv)
{
    static handle_t dups[HANDLE_QUOTA];
    handle_t full = passed(0), go = passed(1), h = 0;
    int n = 0;

    (void)argc, (void)argv;
    if (full <= 0 || go <= 0)
        return __LINE__;
    while (n < HANDLE_QUOTA && (h = handle_duplicate(full, 0, RIGHT_SAME)) > 0)
        dups[n++] = h;
    if (h != E_LIMIT || handles_held() != HANDLE_QUOTA)
        return __LINE__;
    if (event_create(0, QUOTA_NAME) != E_LIMIT || object_open(QUOTA_NAME, 0) != E_NOTFOUND)
        return __LINE__;                        /* the event made for the failed create is gone */
    if (file_open(self_path()) != E_LIMIT || thread_start(return_at_once, NULL, 0) != E_LIMIT)
        return __LINE__;
    if (event_set(full) != 0 || object_wait(go, CHILD_TIMEOUT_NS) != 0)
        return __LINE__;
    if (handle_close(dups[0]) != 0 || (dups[0] = handle_duplicate(full, 0, RIGHT_SAME)) <= 0)
        return __LINE__;                        /* one closed, one more fits */
    if (handle_duplicate(full, 0, RIGHT_SAME) != E_LIMIT)
        return __LINE__;
    for (int i = 0; i < n; i++)
        if (handle_close(dups[i]) != 0)
            return __LINE__;
    if ((h = event_create(0, QUOTA_NAME)) <= 0 || handle_close(h) != 0)
        return __LINE__;
    return 0;
}

static const struct helper_mode helpers[] = {
    { "--use-duplicate", helper_use_duplicate },
    { "--set-passed", helper_set_passed },
    { "--foreign", helper_foreign },
    { "--quota", helper_quota },
    { "--sleep", helper_sleep },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- duplicating --------------------------------------------------------------- */

TEST(duplicate_same_rights_refers_to_same_object)
{
    handle_t ev = event_create(0, NULL), dup;
    struct handle_info a, b;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((dup = handle_duplicate(ev, 0, RIGHT_SAME)) > 0);
    EXPECT_NE(dup, ev);
    ASSERT_TRUE(handle_info_of(ev, &a) && handle_info_of(dup, &b));
    EXPECT_EQ(b.object_id, a.object_id);
    EXPECT_EQ(b.rights, a.rights);
    EXPECT_EQ(a.rights, EVENT_RIGHTS);
    EXPECT_EQ(event_set(dup), 0);
    EXPECT_EQ(object_wait(ev, 0), 0);           /* one event behind both */
    EXPECT_EQ(handle_close(ev), 0);
    EXPECT_EQ(event_set(dup), 0);               /* the duplicate outlives the original */
    EXPECT_EQ(object_wait(dup, 0), 0);
    EXPECT_EQ(handle_close(dup), 0);
}

TEST(duplicate_with_fewer_rights)
{
    handle_t ev = event_create(0, NULL), weak;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((weak = handle_duplicate(ev, 0, RIGHT_WAIT)) > 0);
    EXPECT_EQ(rights_of(weak), RIGHT_WAIT);
    EXPECT_ERR(event_set(weak), E_ACCESS);
    EXPECT_EQ(event_set(ev), 0);
    EXPECT_EQ(object_wait(weak, 0), 0);
    EXPECT_EQ(rights_of(ev), EVENT_RIGHTS);     /* the source keeps its own */
    handle_close(weak);
    handle_close(ev);
}

TEST(duplicate_never_adds_rights)
{
    const rights_t some = RIGHT_DUPLICATE | RIGHT_WAIT;
    handle_t ev = event_create(0, NULL), weak, again;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((weak = handle_duplicate(ev, 0, some)) > 0);
    EXPECT_ERR(handle_duplicate(weak, 0, some | RIGHT_SIGNAL), E_ACCESS);
    EXPECT_ERR(handle_duplicate(weak, 0, EVENT_RIGHTS), E_ACCESS);
    EXPECT_ERR(handle_duplicate(weak, 0, RIGHTS_ALL), E_ACCESS);
    ASSERT_TRUE((again = handle_duplicate(weak, 0, RIGHT_SAME)) > 0);
    EXPECT_EQ(rights_of(again), some);
    EXPECT_ERR(handle_duplicate(ev, 0, RIGHT_KILL), E_ACCESS);  /* not an event right at all */
    handle_close(again);
    handle_close(weak);
    handle_close(ev);
}

TEST(duplicate_needs_duplicate_right)
{
    handle_t ev = event_create(0, NULL), weak;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((weak = handle_duplicate(ev, 0, RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_TRANSFER)) > 0);
    EXPECT_ERR(handle_duplicate(weak, 0, RIGHT_SAME), E_ACCESS);
    EXPECT_ERR(handle_duplicate(weak, 0, RIGHT_WAIT), E_ACCESS);
    EXPECT_ERR(handle_duplicate(weak, 0, 0), E_ACCESS);
    handle_close(weak);
    handle_close(ev);
}

TEST(duplicate_rejects_unknown_right_bits)
{
    handle_t ev = event_create(0, NULL);

    ASSERT_TRUE(ev > 0);
    EXPECT_ERR(handle_duplicate(ev, 0, RIGHTS_ALL + 1), E_INVAL);
    EXPECT_ERR(handle_duplicate(ev, 0, RIGHT_SAME | RIGHT_WAIT), E_INVAL);
    EXPECT_ERR(handle_duplicate(ev, 0, 1UL << 32), E_INVAL);
    EXPECT_ERR(handle_duplicate(ev, 0, (unsigned long)RIGHT_SAME << 1), E_INVAL);
    handle_close(ev);
}

TEST(duplicate_into_child_through_process_handle)
{
    handle_t ready = event_create(0, NULL), ev = event_create(0, NULL), child, theirs;
    struct process_status st;
    char rights[16];

    ASSERT_TRUE(ready > 0 && ev > 0);
    snprintf(rights, sizeof rights, "%u", CHILD_RIGHTS);
    ASSERT_TRUE((child = spawn_passing("--use-duplicate", rights, &ready, 1)) > 0);
    ASSERT_EQ(process_status(child, &st), 0);
    theirs = handle_duplicate(ev, child, CHILD_RIGHTS);
    EXPECT_TRUE(theirs > 0);
    EXPECT_EQ(pid_of_handle(theirs), (long)st.pid);
    EXPECT_ERR(event_set(theirs), E_BADHANDLE); /* a value for the child's table, not ours */
    EXPECT_EQ(event_set(ready), 0);
    EXPECT_EQ(object_wait(ev, CHILD_TIMEOUT_NS), 0);    /* the child set it through its copy */
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, theirs);            /* it found exactly the handle we made */
    handle_close(ready);
    handle_close(ev);
}

TEST(duplicate_into_other_process_needs_manage_and_transfer)
{
    handle_t ev = event_create(0, NULL), child = spawn_self("--sleep", NULL);
    handle_t no_manage, no_transfer, self;
    struct process_status st;

    ASSERT_TRUE(ev > 0 && child > 0);
    ASSERT_TRUE((no_manage = handle_duplicate(child, 0, PROCESS_RIGHTS_NO_MANAGE)) > 0);
    ASSERT_TRUE((no_transfer = handle_duplicate(ev, 0, EVENT_RIGHTS & ~RIGHT_TRANSFER)) > 0);
    ASSERT_TRUE((self = process_open(process_self_id())) > 0);
    EXPECT_ERR(handle_duplicate(ev, no_manage, RIGHT_SAME), E_ACCESS);
    EXPECT_ERR(handle_duplicate(no_transfer, child, RIGHT_SAME), E_ACCESS);
    EXPECT_ERR(handle_duplicate(ev, ev, RIGHT_SAME), E_WRONGTYPE);
    /* Into this process, through its own process handle: no RIGHT_TRANSFER needed. */
    handle_t mine = handle_duplicate(no_transfer, self, RIGHT_SAME);
    EXPECT_TRUE(mine > 0);
    EXPECT_EQ(pid_of_handle(mine), process_self_id());
    handle_close(mine);
    EXPECT_EQ(process_kill(child, 0), 0);
    EXPECT_EQ(object_wait(child, CHILD_TIMEOUT_NS), 0);
    EXPECT_ERR(handle_duplicate(ev, child, RIGHT_SAME), E_PEERCLOSED);  /* its table is gone */
    EXPECT_EQ(reap(child, &st), 0);
    handle_close(no_manage);
    handle_close(no_transfer);
    handle_close(self);
    handle_close(ev);
}

/* ---- passing at spawn ---------------------------------------------------------- */

TEST(spawn_passes_copies_with_the_same_rights)
{
    handle_t ev = event_create(0, NULL), pass, child;
    struct process_status st;

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((pass = handle_duplicate(ev, 0, PASSED_RIGHTS)) > 0);
    ASSERT_TRUE((child = spawn_passing("--set-passed", NULL, &pass, 1)) > 0);
    EXPECT_EQ(object_wait(ev, CHILD_TIMEOUT_NS), 0);    /* set through the child's copy */
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, PASSED_RIGHTS);
    EXPECT_EQ(rights_of(pass), PASSED_RIGHTS);  /* ours is still here: it was copied, not moved */
    EXPECT_EQ(event_set(pass), 0);
    handle_close(pass);
    handle_close(ev);
}

TEST(spawn_refuses_handles_without_transfer_right)
{
    handle_t ev = event_create(0, NULL), kept, list[2];
    long before = handles_held();

    ASSERT_TRUE(ev > 0);
    ASSERT_TRUE((kept = handle_duplicate(ev, 0, EVENT_RIGHTS & ~RIGHT_TRANSFER)) > 0);
    EXPECT_ERR(spawn_passing("--set-passed", NULL, &kept, 1), E_ACCESS);
    list[0] = ev;                               /* a good one first: it must be undone too */
    list[1] = kept;
    EXPECT_ERR(spawn_passing("--set-passed", NULL, list, 2), E_ACCESS);
    EXPECT_EQ(handles_held(), before + 1);      /* no process handle was made */
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT); /* and no child ran to set it */
    handle_close(kept);
    handle_close(ev);
}

/* ---- values: stale and foreign --------------------------------------------------- */

/* Whether |h| works as a handle here (a set manual-reset event: waiting on it returns 0). */
static int resolves(handle_t h)
{
    return object_wait(h, 0) != E_BADHANDLE;
}

TEST(stale_values_stay_invalid_after_1000_reuses_of_a_slot)
{
    static handle_t old[STALE_ROUNDS];
    int moved = -1, alive = -1, repeated = -1;
    handle_t now;

    for (int i = 0; i < STALE_ROUNDS; i++) {
        old[i] = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
        ASSERT_TRUE(old[i] > 0);
        if (moved < 0 && (old[i] & HANDLE_SLOT_MASK) != (old[0] & HANDLE_SLOT_MASK))
            moved = i;
        if (alive < 0 && i > 0 && (resolves(old[0]) || resolves(old[i - 1])))
            alive = i;                          /* checked while the slot is in use again */
        handle_close(old[i]);
    }
    EXPECT_EQ(moved, -1);                       /* every round reused the same slot */
    EXPECT_EQ(alive, -1);
    for (int i = 1; i < STALE_ROUNDS && repeated < 0; i++)
        for (int j = 0; j < i; j++)
            if (old[i] == old[j])
                repeated = i;
    EXPECT_EQ(repeated, -1);                    /* 1,000 different values */
    ASSERT_TRUE((now = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL)) > 0);
    EXPECT_EQ(now & HANDLE_SLOT_MASK, old[0] & HANDLE_SLOT_MASK);
    alive = -1;
    for (int i = 0; i < STALE_ROUNDS && alive < 0; i++)
        if (resolves(old[i]) || handle_close(old[i]) != E_BADHANDLE)
            alive = i;
    EXPECT_EQ(alive, -1);
    EXPECT_EQ(object_wait(now, 0), 0);          /* and the live one was not closed by them */
    handle_close(now);
}

TEST(handle_value_of_another_process_does_not_resolve)
{
    handle_t ev = event_create(EVENT_SIGNALED | EVENT_MANUAL_RESET, NULL);
    struct process_status st;
    char value[24];

    ASSERT_TRUE(ev > 0);
    snprintf(value, sizeof value, "%ld", ev);
    ASSERT_EQ(run_self("--foreign", value, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);                 /* else the line of the check that failed */
    EXPECT_EQ(object_wait(ev, 0), 0);           /* the child's attempts did not touch ours */
    EXPECT_TRUE(resolves_nowhere(ev ^ (1L << HANDLE_PID_SHIFT)));   /* our slot, another pid */
    EXPECT_EQ(object_wait(ev, 0), 0);
    handle_close(ev);
}

/* ---- type and rights on every call that takes a handle -------------------------- */

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
    { "event_set",         0, OB_TYPE_EVENT,      RIGHT_SIGNAL },
    { "event_reset",       0, OB_TYPE_EVENT,      RIGHT_SIGNAL },
    { "event_pulse",       0, OB_TYPE_EVENT,      RIGHT_SIGNAL },
    /* Ownership, not a right, decides who may release a mutex. */
    { "mutex_release",     0, OB_TYPE_MUTEX,      0 },
    { "semaphore_release", 0, OB_TYPE_SEMAPHORE,  RIGHT_SIGNAL },
    { "process_trace",     0, OB_TYPE_PROCESS,    RIGHT_MANAGE },
    { "thread_set_priority", 0, OB_TYPE_THREAD,   RIGHT_MANAGE },
    { "pipe_read",         0, OB_TYPE_PIPE_READ,  RIGHT_READ },
    { "pipe_write",        0, OB_TYPE_PIPE_WRITE, RIGHT_WRITE },
    { "section_map",       0, OB_TYPE_SECTION,    RIGHT_MAP },
    { "section_map",       1, OB_TYPE_PROCESS,    RIGHT_MANAGE },
    { "section_unmap",     0, OB_TYPE_PROCESS,    RIGHT_MANAGE },
    { "port_accept",       0, OB_TYPE_PORT,       RIGHT_WRITE },
    { "port_refuse",       0, OB_TYPE_PORT,       RIGHT_WRITE },
    { "port_request",      0, OB_TYPE_PORT,       RIGHT_WRITE },
    { "port_send",         0, OB_TYPE_PORT,       RIGHT_WRITE },
    { "port_receive",      0, OB_TYPE_PORT,       RIGHT_READ },
    { "port_reply",        0, OB_TYPE_PORT,       RIGHT_WRITE },
};

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

static void check_missing_right(int nr, int arg, const struct handle_rule *rule)
{
    char desc[96];
    handle_t full, stripped;

    if (rule->right == 0)
        return;
    describe(desc, sizeof desc, nr, arg, "the right type without rights");
    full = make_handle(rule->type);
    if (!EXPECT_TRUE_AT(desc, full > 0))
        return;
    stripped = handle_duplicate(full, 0, 0);
    if (EXPECT_TRUE_AT(desc, stripped > 0))
        EXPECT_EQ_AT(desc, call_with_handle(nr, arg, stripped), E_ACCESS);
    handle_close(stripped);
    handle_close(full);
}

TEST(missing_right_on_every_handle_call)
{
    for_each_handle_argument(check_missing_right);
}

/* handle_get's order (ARCHITECTURE.md section 4): E_BADHANDLE, E_WRONGTYPE, E_ACCESS. */
static void check_type_before_right(int nr, int arg, const struct handle_rule *rule)
{
    char desc[96];
    handle_t wrong, stripped;

    if (rule->type == TYPE_ANY)
        return;
    describe(desc, sizeof desc, nr, arg, "the wrong type without rights");
    wrong = make_wrong_handle(rule);
    if (!EXPECT_TRUE_AT(desc, wrong > 0))
        return;
    stripped = handle_duplicate(wrong, 0, 0);
    if (EXPECT_TRUE_AT(desc, stripped > 0))
        EXPECT_EQ_AT(desc, call_with_handle(nr, arg, stripped), E_WRONGTYPE);
    handle_close(stripped);
    handle_close(wrong);
}

TEST(wrong_type_is_reported_before_missing_right)
{
    for_each_handle_argument(check_type_before_right);
}

/* ---- the quota --------------------------------------------------------------------- */

TEST(handle_quota_stops_one_process_while_others_carry_on)
{
    handle_t full = event_create(0, NULL), go = event_create(0, NULL), child;
    struct process_status st;
    int worked = 0;

    ASSERT_TRUE(full > 0 && go > 0);
    ASSERT_TRUE((child = spawn_passing("--quota", NULL, (handle_t[]){ full, go }, 2)) > 0);
    EXPECT_EQ(object_wait(full, CHILD_TIMEOUT_NS), 0);  /* the child sits at its quota */
    for (int i = 0; i < WORK_ROUNDS; i++) {
        handle_t ev = event_create(0, NULL);
        worked += ev > 0 && event_set(ev) == 0 && object_wait(ev, 0) == 0 && handle_close(ev) == 0;
    }
    EXPECT_EQ(worked, WORK_ROUNDS);
    EXPECT_EQ(event_set(go), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);                 /* else the line of the check that failed */
    handle_close(full);
    handle_close(go);
}
