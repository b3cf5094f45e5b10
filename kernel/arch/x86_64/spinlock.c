/*
 * spinlock.c: spin_lock and spin_unlock of LOCKDEP builds (spinlock.h), the
 * fast inline lock with the checks around it: a lock this CPU already holds
 * would spin forever, so it stops the kernel with the lock's name instead;
 * every acquisition goes through the lock-order validator (lockdep.c) with
 * the caller's address, so its report names the function that took the lock.
 *
 * The validator sees, beside this CPU's spinlocks, the sleeping locks of the
 * thread running here, through a hook the scheduler registers (it knows
 * threads; this floor does not).
 */
#include "kernel/arch/x86_64/spinlock.h"

#if LOCKDEP
static struct lock_stack *(*thread_locks)(void);

void spin_set_thread_locks(struct lock_stack *(*fn)(void))
{
    thread_locks = fn;
}

void spin_lock(struct spinlock *l)
{
    uintptr_t ip = (uintptr_t)__builtin_return_address(0);

    if (spin_holding(l))
        panic("spinlock %s: taken again by the CPU that holds it (deadlock)", l->name);
    spin_lock_fast(l);
    lockdep_acquire(&cpu_this()->locks, thread_locks ? thread_locks() : NULL, l->class, l->name, l, ip);
}

void spin_unlock(struct spinlock *l)
{
    struct cpu_local *c = cpu_this();

    if (!spin_holding(l))
        panic("spinlock %s: released by a CPU that does not hold it", l->name);
    lockdep_release(&c->locks, l);
    spin_unlock_fast(l);
}
#endif
