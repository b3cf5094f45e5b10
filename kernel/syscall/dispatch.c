/*
 * dispatch.c: from a system call number to its handler.
 *
 * The table is generated from kernel/abi/syscalls.def, so a
 * number can only reach a handler the list declares, and an unknown number
 * (negative ones included: the comparison is unsigned) gets E_NOSYS.
 */
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall.h"

typedef long (*syscall_fn)(const struct syscall_args *a);

#define SYSCALL_EACH(name) [SYS_##name] = sys_##name,
static const syscall_fn table[SYSCALL_COUNT] = {
#include "kernel/abi/syscall_each.h"
};

/* The frame starts with the argument registers in order (trap.h): it is the argument array. */
_Static_assert(__builtin_offsetof(struct trap_frame, r9) == 5 * sizeof(uint64_t),
               "syscall arguments must lead the trap frame");

/*
 * The rare work before returning (syscall_entry.S calls it when
 * cpu_local.return_work is set, with the result already in |f|->rax): trace
 * the call, maybe switch threads or exit.
 */
void syscall_return_work(struct trap_frame *f)
{
    if (current_process()->traced & TRACE_CALLS)
        syscall_trace((const struct syscall_args *)f, f->vector, (long)f->rax);
    sched_return_to_user();
}

/*
 * Every system call passes here, so it is built without a frame pointer
 * (three instructions fewer per call), and it only chooses and calls the
 * handler: syscall_entry.S stores the result in the frame, tests the
 * return-work flag and measures the stretch (kernel/arch/x86_64/latency.h) around
 * it.  The call to the handler stays a call, not a jump, so that this frame
 * shows in every backtrace through a handler (GDB's, the kernel's own).
 * The frame's vector slot, which only interrupts use, keeps the call's
 * number for the tracer and the fault report.
 */
__attribute__((optimize("omit-frame-pointer", "no-optimize-sibling-calls")))
long syscall_dispatch(struct trap_frame *f)
{
    uint64_t n = f->vector = f->rax;

    return n < SYSCALL_COUNT ? table[n]((const struct syscall_args *)f) : E_NOSYS;
}

long timeout_ns_to_deadline(long ns, uint64_t *deadline)
{
    if (ns == 0)
        *deadline = WAIT_POLL;
    else if (ns == TIMEOUT_INFINITE)
        *deadline = DEADLINE_NONE;
    else if (ns < 0)
        return E_INVAL;
    else
        *deadline = sched_deadline_after((uint64_t)ns);
    return 0;
}
