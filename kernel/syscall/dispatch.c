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

void syscall_dispatch(struct trap_frame *f)
{
    uint64_t n = f->rax;

    f->rax = n < SYSCALL_COUNT ? (uint64_t)table[n]((const struct syscall_args *)f) : (uint64_t)E_NOSYS;
    if (cpu_local.return_work) {        /* rare: one test here keeps the common path short */
        if (current_process()->traced)
            syscall_trace((const struct syscall_args *)f, n, (long)f->rax);
        sched_return_to_user();
    }
}

long timeout_to_deadline(long ns, uint64_t *deadline)
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
