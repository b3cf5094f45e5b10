/*
 * The trust boundary.  Every sys_* handler receives the six raw argument
 * registers and goes: decode, copy in, look up handles, act, copy out, drop
 * references.  Nothing a user passes is trusted before it is checked.
 */
#ifndef EMBER_SYSCALL_H
#define EMBER_SYSCALL_H

#include <stdint.h>
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/abi/syscalls.h"
#include "kernel/mm/usercopy.h"
#include "kernel/sched/sched.h"

struct syscall_args {
    uint64_t arg[6];
};

struct trap_frame;

/* Declarations of every handler, from the one list. */
#define SYSCALL_EACH(name) long sys_##name(const struct syscall_args *a);
#include "kernel/abi/syscall_each.h"

/* Called by syscall_entry.S with the saved registers; returns the call's result. */
long syscall_dispatch(struct trap_frame *f);
/* Called by syscall_entry.S before returning when cpu_local.return_work is set. */
void syscall_return_work(struct trap_frame *f);
/* Prints call |n| of a traced process with its decoded arguments and |result| (trace.c). */
void syscall_trace(const struct syscall_args *a, uint64_t n, long result);
/* Writes call |n| with its arguments decoded as the tracer does, "name(arg=value, ...)", into |out|. */
void syscall_describe(const struct syscall_args *a, uint64_t n, char *out, size_t size);
struct process;
struct ob;

/*
 * A process argument: handle |h| to a process with RIGHT_MANAGE, or 0 for
 * the caller.  Stores the process in |*p| and the reference to drop (NULL
 * for the caller) in |*held|; handle_get's errors otherwise.
 */
long process_arg(handle_t h, struct process **p, struct ob **held);

/*
 * A timeout argument in nanoseconds as a deadline for ob_wait/sched_block:
 * 0 polls, TIMEOUT_INFINITE never expires, other negatives are E_INVAL.
 * The infinite wait, a ping-pong's, is decided inline; the rest by the call.
 */
long timeout_ns_to_deadline(long ns, uint64_t *deadline);
static inline long timeout_to_deadline(long ns, uint64_t *deadline)
{
    if (ns != TIMEOUT_INFINITE)
        return timeout_ns_to_deadline(ns, deadline);
    *deadline = DEADLINE_NONE;
    return 0;
}

/*
 * Makes sure an output of |len| bytes at |out| can be written, before a call
 * acts: then the copy-out after the act cannot fail (the kernel runs alone),
 * and a bad pointer is E_FAULT with nothing changed.  Writes zeros there.
 */
static inline long out_probe(user_ptr out, size_t len)
{
    static const uint64_t zeros[8];

    return len <= sizeof zeros ? copy_to_user(out, zeros, len) : E_INVAL;
}

#endif
