/*
 * util.h: helpers shared by the ring-3 suites (a header, so not a suite).
 * Everything is static inline: each suite is a program of its own.
 *
 * A suite that needs children of its own kind (one that faults, spins or
 * sleeps) spawns its own program, argv[0], in a helper mode:
 *
 *     static const struct helper_mode helpers[] = {
 *         { "--sleep", helper_sleep },
 *     };
 *     int main(int argc, char **argv) { return suite_main(argc, argv, helpers, ARRAY_LEN(helpers)); }
 *
 * and a case runs spawn_self("--sleep", NULL).  The layout constants come
 * from the kernel's own headers (only #defines and declarations are used),
 * so the tests follow the kernel when they change.
 *
 * Besides children: counting this process's blocked threads (so a case
 * knows a peer is waiting rather than guessing with a sleep), looking up
 * our own handles, and reading the kernel's per-tag counts.
 */
#ifndef EMBER_TESTS_USER_UTIL_H
#define EMBER_TESTS_USER_UTIL_H

#include <ember.h>
#include <stdlib.h>
#include <string.h>
#include <test.h>
#include "kernel/abi/rights.h"             /* RIGHT_*: the rights a new handle gets */
#include "kernel/arch/x86_64/layout.h"     /* PAGE_SIZE, USER_BASE, USER_TOP, KERNEL_VMA, ... */
#include "kernel/arch/x86_64/trap.h"       /* VEC_*: the CPU exception vectors */
#include "kernel/mm/vm.h"                  /* USER_STACK_TOP, USER_STACK_SIZE, USER_MMAP_BASE */
#include "kernel/proc/bootfs.h"            /* BOOTFS_PATH_MAX */

#define ARRAY_LEN(a)        (sizeof(a) / sizeof((a)[0]))
#define NS_PER_MS           1000000L
#define NS_PER_SEC          1000000000L
#define CHILD_TIMEOUT_NS    (30 * NS_PER_SEC)   /* a child that takes longer is hung */
#define SETTLE_NS           (5 * NS_PER_SEC)    /* for threads to get where a case expects them */
#define TIMEOUT_SLACK_NS    (2 * NS_PER_SEC)    /* a timed wait may end this late; later is hung */
#define NOT_YET             1                   /* a result no call returns: "not returned yet" */
#define KILL_CODE           77                  /* the code cases kill their children with */
#define THREAD_LIST_MAX     256                 /* thread_info records read at once */
#define HANDLE_LIST_MAX     256                 /* handle_info records read at once */

/* Files of the boot file system the cases use. */
#define ECHO_PATH           "/bin/echo"         /* prints its arguments, exits 0 */
#define README_PATH         "/README"           /* a file that is not an executable */
#define MISSING_PATH        "/bin/no-such-program"

/* The rights a new event's handle gets (kernel/sync/event.c, default_rights). */
#define EVENT_RIGHTS        (RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO)

/* How kernel/ob/handle.c builds a handle value: slot in bits 0..15, generation 16..31, pid 32..62. */
#define HANDLE_SLOT_MASK    0xffffL
#define HANDLE_PID_SHIFT    32
#define HANDLE_PID_MASK     0x7fffffffL

/* Addresses that are never user memory. */
#define KERNEL_IMAGE_ADDR   0xffffffff80100000UL   /* where the kernel image is linked (its boot
                                                      page, left unmapped once paging_init ran) */
#define KERNEL_HEAP_ADDR    0xffff800000100000UL   /* inside the direct map (kernel heap, frames) */
#define NONCANONICAL_ADDR   0x0000800000000000UL   /* USER_TOP: the first non-canonical address */

/*
 * EXPECT_EQ with a description made at run time ("int $32: fault_vector"),
 * for cases that walk a table: the failure says which row.
 */
#define EXPECT_EQ_AT(desc, actual, expected) \
    test_check_eq(__FILE__, __LINE__, (desc), (long long)(actual), (long long)(expected), TEST_CONTINUE)
#define EXPECT_TRUE_AT(desc, cond) \
    test_check_true(__FILE__, __LINE__, (desc), (cond) ? 1 : 0, TEST_CONTINUE)

/* ---- helper modes ------------------------------------------------------ */

struct helper_mode {
    const char *name;                       /* argv[1], e.g. "--sleep" */
    int (*run)(int argc, char **argv);      /* gets the arguments after the mode */
};

/* The suite's main: a helper mode when argv[1] names one, the test cases otherwise. */
static inline int suite_main(int argc, char **argv, const struct helper_mode *modes, size_t n)
{
    for (size_t i = 0; argc >= 2 && i < n; i++)
        if (strcmp(argv[1], modes[i].name) == 0)
            return modes[i].run(argc - 2, argv + 2);
    return test_main(argc, argv);
}

/* "--exit [CODE]": ends at once with CODE (default 0), printing nothing. */
static inline int helper_exit(int argc, char **argv)
{
    return argc > 0 ? atoi(argv[0]) : 0;
}

/* "--sleep": sleeps until killed. */
static inline int helper_sleep(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (;;)
        thread_sleep(NS_PER_SEC);
    return 0;
}

/* "--spin": a busy loop that never yields or calls the kernel, until killed. */
static inline int helper_spin(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (;;)
        __asm__ volatile("" ::: "memory");
    return 0;
}

/* Thread bodies: one that ends at once, one that waits on the handle at |arg| until it is set. */
static inline void return_at_once(void *arg)
{
    (void)arg;
}

static inline void wait_forever(void *arg)
{
    object_wait(*(handle_t *)arg, TIMEOUT_INFINITE);
}

/* ---- children ----------------------------------------------------------- */

/* The program this suite runs as ("/test/NAME"): what spawn_self starts. */
static inline const char *self_path(void)
{
    return start_info()->argv[0];
}

/* Starts this suite's program in helper mode |mode| with one optional |arg|; a handle or E_*. */
static inline handle_t spawn_self(const char *mode, const char *arg)
{
    const char *argv[] = { self_path(), mode, arg, NULL };

    return process_spawn(self_path(), argv, NULL, 0);
}

/*
 * Waits for the process |h| to end (killing it after CHILD_TIMEOUT_NS),
 * stores its status in *|st| and closes |h|.  Returns 0, or E_TIMEDOUT when
 * it had to be killed.
 */
static inline long reap(handle_t h, struct process_status *st)
{
    long r = object_wait(h, CHILD_TIMEOUT_NS);

    if (r == E_TIMEDOUT) {
        process_kill(h, E_TIMEDOUT);
        object_wait(h, TIMEOUT_INFINITE);
    }
    process_status(h, st);
    handle_close(h);
    return r == E_TIMEDOUT ? r : 0;
}

/* Runs |path| with |argv| to its end: 0 with its status in *|st|, or the spawn's E_* code. */
static inline long run_child(const char *path, const char *const *argv, struct process_status *st)
{
    handle_t h = process_spawn(path, argv, NULL, 0);

    memset(st, 0, sizeof *st);
    return h < 0 ? h : reap(h, st);
}

/* run_child for this suite's program in a helper mode. */
static inline long run_self(const char *mode, const char *arg, struct process_status *st)
{
    const char *argv[] = { self_path(), mode, arg, NULL };

    return run_child(self_path(), argv, st);
}

/* A child in helper mode "--sleep" (the suite must offer it); ASSERTs that it started. */
static inline handle_t spawn_sleeper(void)
{
    handle_t h = spawn_self("--sleep", NULL);

    ASSERT_TRUE(h > 0);
    return h;
}

/* Kills the child |h| with KILL_CODE and reaps it (closing |h|). */
static inline void kill_and_reap(handle_t h)
{
    struct process_status st;

    EXPECT_EQ(process_kill(h, KILL_CODE), 0);
    EXPECT_EQ(reap(h, &st), 0);
}

/*
 * spawn_self in helper mode |mode| (with |arg| unless NULL), passing the |n|
 * handles |hs| after the STDIO_HANDLES standard streams of the spawn
 * convention (types.h), which stay on the console.  The child finds them
 * with passed().
 */
static inline handle_t spawn_passing(const char *mode, const char *arg, const handle_t *hs, size_t n)
{
    const char *argv[] = { self_path(), mode, arg, NULL };
    handle_t all[SPAWN_MAX_HANDLES] = { 0 };    /* 0: the console for each stream */

    if (STDIO_HANDLES + n > SPAWN_MAX_HANDLES)
        return E_TOOBIG;
    memcpy(all + STDIO_HANDLES, hs, n * sizeof *hs);
    return process_spawn(self_path(), argv, all, STDIO_HANDLES + n);
}

/* run_self passing the |n| handles |hs| as spawn_passing does. */
static inline long run_passing(const char *mode, const char *arg, const handle_t *hs, size_t n,
                               struct process_status *st)
{
    handle_t h = spawn_passing(mode, arg, hs, n);

    memset(st, 0, sizeof *st);
    return h < 0 ? h : reap(h, st);
}

/* In a child of spawn_passing: the |i|-th handle it was passed after the streams, or 0. */
static inline handle_t passed(size_t i)
{
    const struct start_info *si = start_info();

    return STDIO_HANDLES + i < si->nhandles ? si->handles[STDIO_HANDLES + i] : 0;
}

/* The pid a handle value belongs to (bits 32..62). */
static inline long pid_of_handle(handle_t h)
{
    return (h >> HANDLE_PID_SHIFT) & HANDLE_PID_MASK;
}

/* ---- threads of this process --------------------------------------------- */

/* How many threads of process |pid| are blocked (in a wait, a call or a sleep). */
static inline int blocked_threads_of(uint64_t pid)
{
    static struct thread_info list[THREAD_LIST_MAX];
    long n = thread_list(list, sizeof list);
    int blocked = 0;

    for (long i = 0; i < n && i < THREAD_LIST_MAX; i++)
        if (list[i].pid == pid && list[i].state == THREAD_STATE_BLOCKED)
            blocked++;
    return blocked;
}

static inline int blocked_threads(void)
{
    return blocked_threads_of((uint64_t)process_self_id());
}

/*
 * Yields until |n| threads of process |pid| are blocked; whether they were
 * within SETTLE_NS.  The caller is running, so it never counts itself: a
 * helper thread can wait here for the case's thread to block.
 */
static inline int settle_blocked_of(uint64_t pid, int n)
{
    long deadline = clock_now() + SETTLE_NS;

    while (blocked_threads_of(pid) < n)
        if (clock_now() > deadline)
            return 0;
        else
            thread_yield();
    return 1;
}

static inline int settle_blocked(int n)
{
    return settle_blocked_of((uint64_t)process_self_id(), n);
}

/* ---- our handles ---------------------------------------------------------- */

/* The handle_info of our handle |h|; whether it was found. */
static inline int handle_info_of(handle_t h, struct handle_info *out)
{
    static struct handle_info list[HANDLE_LIST_MAX];
    long n = handle_list(0, list, sizeof list);

    for (long i = 0; i < n && i < HANDLE_LIST_MAX; i++)
        if (list[i].handle == h) {
            *out = list[i];
            return 1;
        }
    return 0;
}

/* The rights of our handle |h|, or E_BADHANDLE when we hold no such handle. */
static inline long rights_of(handle_t h)
{
    struct handle_info info;

    return handle_info_of(h, &info) ? (long)info.rights : E_BADHANDLE;
}

/* ---- kernel counts ------------------------------------------------------- */

/* The record of |tag| in |s| (tags may be listed in any order), or NULL. */
static inline const struct stats_tag *stats_find(const struct system_stats *s, uint32_t tag)
{
    for (uint64_t i = 0; i < s->ntags; i++)
        if (s->tags[i].tag == tag)
            return &s->tags[i];
    return NULL;
}

/* The live count of the tag spelled |name| ("File", "Evnt") in |s|; 0 when it has none. */
static inline long stats_live(const struct system_stats *s, const char *name)
{
    uint32_t tag;
    const struct stats_tag *t;

    memcpy(&tag, name, sizeof tag);
    t = stats_find(s, tag);
    return t ? (long)t->live : 0;
}

/* Whether every tag has the same live count and bytes in |a| and |b|. */
static inline int same_live_counts(const struct system_stats *a, const struct system_stats *b)
{
    if (a->ntags != b->ntags)
        return 0;
    for (uint64_t i = 0; i < a->ntags; i++) {
        const struct stats_tag *t = stats_find(b, a->tags[i].tag);
        if (!t || t->live != a->tags[i].live || t->bytes != a->tags[i].bytes)
            return 0;
    }
    return 1;
}

/* How many handles this process holds (handle_list with no room only counts them). */
static inline long handles_held(void)
{
    return handle_list(0, NULL, 0);
}

/* ---- memory -------------------------------------------------------------- */

/*
 * An address that was mapped and is unmapped again: touching it faults.
 * The middle page of three, so mem_map(NULL) never hands it out again (it
 * reuses unmapped ranges, but keeps a free guard page on each side of one).
 */
static inline void *unmapped_page(void)
{
    long p = mem_map(NULL, 3 * PAGE_SIZE, MEM_WRITE);

    if (p < 0)
        return NULL;
    mem_unmap((void *)(p + PAGE_SIZE), PAGE_SIZE);
    return (void *)(p + PAGE_SIZE);
}

#endif
