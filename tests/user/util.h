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
 */
#ifndef EMBER_TESTS_USER_UTIL_H
#define EMBER_TESTS_USER_UTIL_H

#include <ember.h>
#include <stdlib.h>
#include <string.h>
#include <test.h>
#include "kernel/arch/x86_64/layout.h"     /* PAGE_SIZE, USER_BASE, USER_TOP, KERNEL_VMA, ... */
#include "kernel/arch/x86_64/trap.h"       /* VEC_*: the CPU exception vectors */
#include "kernel/mm/vm.h"                  /* USER_STACK_TOP, USER_STACK_SIZE, USER_MMAP_BASE */
#include "kernel/proc/bootfs.h"            /* BOOTFS_PATH_MAX */

#define ARRAY_LEN(a)        (sizeof(a) / sizeof((a)[0]))
#define NS_PER_MS           1000000L
#define NS_PER_SEC          1000000000L
#define CHILD_TIMEOUT_NS    (30 * NS_PER_SEC)   /* a child that takes longer is hung */

/* How kernel/ob/handle.c builds a handle value: slot in bits 0..15, generation 16..31, pid 32..55. */
#define HANDLE_SLOT_MASK    0xffffL
#define HANDLE_PID_SHIFT    32
#define HANDLE_PID_MASK     0xffffffL

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

/* ---- kernel counts ------------------------------------------------------- */

/* Whether every tag has the same live count and bytes in |a| and |b| (tags may be listed in any order). */
static inline int same_live_counts(const struct system_stats *a, const struct system_stats *b)
{
    if (a->ntags != b->ntags)
        return 0;
    for (uint64_t i = 0; i < a->ntags; i++) {
        uint64_t j = 0;
        while (j < b->ntags && b->tags[j].tag != a->tags[i].tag)
            j++;
        if (j == b->ntags || b->tags[j].live != a->tags[i].live ||
            b->tags[j].bytes != a->tags[i].bytes)
            return 0;
    }
    return 1;
}

/*
 * The slot the next new handle would get: the lowest free one.  If it moved
 * between two calls, a handle was left open (or one was closed).
 */
static inline long next_handle_slot(void)
{
    handle_t h = file_open(self_path());

    if (h < 0)
        return h;
    handle_close(h);
    return h & HANDLE_SLOT_MASK;
}

/* How many handles this process holds (handle_list with no room only counts them). */
static inline long handles_held(void)
{
    return handle_list(0, NULL, 0);
}

/* ---- memory -------------------------------------------------------------- */

/* An address that is mapped and then unmapped again: touching it faults. */
static inline void *unmapped_page(void)
{
    long p = mem_map(NULL, PAGE_SIZE, MEM_WRITE);

    if (p < 0)
        return NULL;
    mem_unmap((void *)p, PAGE_SIZE);
    return (void *)p;
}

#endif
