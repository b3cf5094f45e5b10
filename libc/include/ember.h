/*
 * ember.h: Ember's system interface for ring-3 programs.
 *
 * Every line of kernel/abi/syscalls.def becomes a function of the same name
 * (console_write, mem_map, thread_create, ...) taking the argument types of
 * kernel/abi/syscalls.h.  Each returns a value >= 0 or an E_* code
 * (kernel/abi/errors.h), as a long; errstr() gives the message.  The
 * syscallN() helpers below make a raw call with any number, for tests.
 *
 * Also here: what the kernel passed at start (start_info), error and fault
 * descriptions, and thread_start.
 */
#ifndef EMBER_H
#define EMBER_H

#include <stddef.h>
#include "kernel/abi/errors.h"
#include "kernel/abi/syscalls.h"
#include "kernel/abi/types.h"

/*
 * Raw system calls (the convention is in kernel/abi/syscalls.h).  The SYSCALL
 * instruction overwrites rcx (return rip) and r11 (rflags); "memory" because
 * the kernel may read or write any buffer we passed.
 */
static inline long syscall0(long n)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n) : "rcx", "r11", "memory");
    return ret;
}

static inline long syscall1(long n, long a1)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1) : "rcx", "r11", "memory");
    return ret;
}

static inline long syscall2(long n, long a1, long a2)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2) : "rcx", "r11", "memory");
    return ret;
}

static inline long syscall3(long n, long a1, long a2, long a3)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2), "d"(a3)
                     : "rcx", "r11", "memory");
    return ret;
}

/* The fourth argument goes in r10, not rcx (which SYSCALL overwrites): no constraint letter. */
static inline long syscall4(long n, long a1, long a2, long a3, long a4)
{
    register long r10 __asm__("r10") = a4;
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
                     : "rcx", "r11", "memory");
    return ret;
}

static inline long syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return ret;
}

static inline long syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    long ret;
    __asm__ volatile("syscall" : "=a"(ret)
                     : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/*
 * Helpers that turn the (KIND, name) pairs of syscalls.def into a parameter
 * list ("const void * buf, size_t len") and an argument list ("(long)(buf),
 * (long)(len)").  libc/syscall.c and libc/syscall_desc.c use them too.
 */
#define SYSCALL_PARAMS1(k1, a1)      ARGTYPE_##k1 a1
#define SYSCALL_PARAMS2(k1, a1, ...) ARGTYPE_##k1 a1, SYSCALL_PARAMS1(__VA_ARGS__)
#define SYSCALL_PARAMS3(k1, a1, ...) ARGTYPE_##k1 a1, SYSCALL_PARAMS2(__VA_ARGS__)
#define SYSCALL_PARAMS4(k1, a1, ...) ARGTYPE_##k1 a1, SYSCALL_PARAMS3(__VA_ARGS__)
#define SYSCALL_PARAMS5(k1, a1, ...) ARGTYPE_##k1 a1, SYSCALL_PARAMS4(__VA_ARGS__)
#define SYSCALL_PARAMS6(k1, a1, ...) ARGTYPE_##k1 a1, SYSCALL_PARAMS5(__VA_ARGS__)

#define SYSCALL_ARGS1(k1, a1)        (long)(a1)
#define SYSCALL_ARGS2(k1, a1, ...)   (long)(a1), SYSCALL_ARGS1(__VA_ARGS__)
#define SYSCALL_ARGS3(k1, a1, ...)   (long)(a1), SYSCALL_ARGS2(__VA_ARGS__)
#define SYSCALL_ARGS4(k1, a1, ...)   (long)(a1), SYSCALL_ARGS3(__VA_ARGS__)
#define SYSCALL_ARGS5(k1, a1, ...)   (long)(a1), SYSCALL_ARGS4(__VA_ARGS__)
#define SYSCALL_ARGS6(k1, a1, ...)   (long)(a1), SYSCALL_ARGS5(__VA_ARGS__)

/* One prototype per system call: long name(params); the stubs are in libc/syscall.c. */
#define SYSCALL0(name)      long name(void);
#define SYSCALL1(name, ...) long name(SYSCALL_PARAMS1(__VA_ARGS__));
#define SYSCALL2(name, ...) long name(SYSCALL_PARAMS2(__VA_ARGS__));
#define SYSCALL3(name, ...) long name(SYSCALL_PARAMS3(__VA_ARGS__));
#define SYSCALL4(name, ...) long name(SYSCALL_PARAMS4(__VA_ARGS__));
#define SYSCALL5(name, ...) long name(SYSCALL_PARAMS5(__VA_ARGS__));
#define SYSCALL6(name, ...) long name(SYSCALL_PARAMS6(__VA_ARGS__));
#include "kernel/abi/syscalls.def"
#undef SYSCALL0
#undef SYSCALL1
#undef SYSCALL2
#undef SYSCALL3
#undef SYSCALL4
#undef SYSCALL5
#undef SYSCALL6

/* The argc, argv and handles the kernel passed at start (valid for the whole run). */
const struct start_info *start_info(void);
/*
 * The resource handle we were started with (STARTUP_ROOT_HANDLE: the first
 * process gets the root resource there, and passes it, or a narrower one,
 * to the drivers it starts), or 0 when there is none.
 */
handle_t startup_resource(void);

/*
 * Runs |path| with |argv| and the standard streams of the spawn convention
 * (kernel/abi/types.h): stdin from the pipe read end |in|, stdout to the
 * write end |out|, stderr where ours goes.  An |in| or |out| of 0 means
 * "where ours goes": the console, or the pipe we were started with.
 * Returns the process handle, as process_spawn.  The child gets its own
 * handles: the caller closes its copies when it no longer needs them (a
 * reader sees end of file only once every write handle is closed).
 */
handle_t spawn_io(const char *path, const char *const *argv, handle_t in, handle_t out);

/*
 * Ends every process that descends from this one and still runs, with exit
 * code |code|, waiting for each; returns how many.  After a child ends, what
 * it left running is ours (orphans move up to their grandparent).
 */
int process_end_descendants(long code);
/*
 * Prints one line per heap tag whose live count or bytes differ between the
 * two system_stats snapshots, and one for free frames, each starting with
 * |prefix| ("LEAK case: Evnt +1 (+64 bytes)"); returns how many.
 */
int stats_report_leaks(const struct system_stats *before, const struct system_stats *after,
                       const char *prefix);

/* The message of an E_* code ("bad address"), or "unknown error". */
const char *errstr(long code);
/* The name of an E_* code ("E_FAULT"), or NULL when |code| is none. */
const char *errname(long code);
/* The errno value (errno.h) that means what E_* |code| means: E_NOTFOUND gives ENOENT; EIO for none. */
int errno_of(long code);
/* The name of a CPU exception vector ("page fault"), or "unknown fault". */
const char *fault_name(unsigned long vector);
/*
 * How a process ended, in words: "exited with code 3", "killed (code 9)",
 * "page fault at 0x0, write, page not present, rip 0x401234",
 * "general protection fault at rip 0x401234".  Formats into |buf| of |len|
 * bytes as snprintf does and returns the same count.
 */
int describe_status(const struct process_status *st, char *buf, size_t len);
/*
 * The same, naming where a fault happened in |program| (the name the kernel
 * knows it by, "hello" for /bin/hello) in the markup the host's symbolizer
 * turns into "main at user/hello.c:7": "page fault at 0x0, write, page not
 * present, in {{pc hello 0x401234}}".  |program| NULL: as describe_status.
 */
int describe_status_of(const struct process_status *st, const char *program, char *buf, size_t len);

#define THREAD_STACK_DEFAULT    (64 * 1024)

/*
 * Starts a thread running |fn|(|arg|) on a new stack of |stack_size| bytes
 * (0: THREAD_STACK_DEFAULT; rounded up to pages).  Returns the thread's
 * handle (the caller closes it with handle_close) or an E_* code.
 * When |fn| returns, the thread unmaps its stack and exits with code 0.  A
 * thread that calls thread_exit itself, or is ended by process_exit, leaves
 * its stack mapped until the process ends.  No guard page: a stack overflow
 * runs into whatever lies below.
 */
handle_t thread_start(void (*fn)(void *arg), void *arg, size_t stack_size);

#endif
