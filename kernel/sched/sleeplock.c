/*
 * sleeplock.c: sleeping locks (sleeplock.h).
 *
 * A taker that finds the lock owned queues itself on |waiters| and blocks
 * (sched_block); release hands the lock to the first waiter and wakes it, so
 * a woken waiter already owns the lock when it runs.  A waiter killed meanwhile
 * (sched_block returns E_CANCELED) leaves the queue without the lock, unless
 * the lock was handed to it first: then it keeps it, and its caller releases
 * it as usual on the way out.
 *
 * Between the guard's unlock and sched_block nothing can run: threads run on
 * CPU 0 only and interrupts are off in the kernel (docs/14-smp.md).  The
 * per-CPU scheduler must keep that true for every "queue, unlock, block"
 * (object waits have the same shape), by marking the thread blocked before
 * the guard is dropped.
 *
 * For the validator, a thread's sleeping locks sit on its own held-lock
 * stack (thread.sleeplocks), and the scheduler registers it as the "other"
 * stack of every spinlock acquisition (sleeplock_setup), so a spinlock taken
 * inside a sleeping lock is ordered after it.
 */
#include "kernel/abi/errors.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/sleeplock.h"
#include "kernel/sched/thread.h"

LOCK_CLASS(sleeplock_guard_class, "sleeplock.guard");

void sleeplock_init(struct sleeplock *l, const char *name, struct lock_class *class)
{
    spin_init(&l->guard, name, &sleeplock_guard_class);
    l->owner = NULL;
    list_init(&l->waiters);
    l->name = name;
    l->class = class;
}

/* The validator's view of the running thread's sleeping locks (none on a CPU without a thread). */
static struct lock_stack *running_sleeplocks(void)
{
    struct thread *t = cpu_this()->current;

    return t ? &t->sleeplocks : NULL;
}

void sleeplock_setup(void)
{
    spin_set_thread_locks(running_sleeplocks);
}

/* Blocks until |l| is handed over, or the thread is killed; the guard is held on entry and exit. */
static long wait_for_handover(struct sleeplock *l, struct thread *t)
{
    list_push_back(&l->waiters, &t->waitq_node);
    spin_unlock(&l->guard);
    long r = sched_block(DEADLINE_NONE);
    spin_lock(&l->guard);
    if (l->owner == t)
        return 0;                       /* handed over, even if killed meanwhile */
    list_remove(&t->waitq_node);
    return r < 0 ? r : E_CANCELED;
}

long sleeplock_acquire(struct sleeplock *l)
{
    struct thread *t = current_thread();
    long r = 0;

    if (cpu_this()->irq_depth)
        panic("sleeplock %s: taken while this CPU holds a spinlock", l->name);
    if (LOCKDEP)
        lockdep_acquire(&t->sleeplocks, &cpu_this()->locks, l->class, l->name, l,
                        (uintptr_t)__builtin_return_address(0));
    spin_lock(&l->guard);
    if (l->owner == t)
        panic("sleeplock %s: taken again by the thread that holds it", l->name);
    if (l->owner)
        r = wait_for_handover(l, t);
    else
        l->owner = t;
    spin_unlock(&l->guard);
    if (r < 0 && LOCKDEP)
        lockdep_release(&t->sleeplocks, l);
    return r;
}

void sleeplock_release(struct sleeplock *l)
{
    struct thread *t = current_thread();

    spin_lock(&l->guard);
    if (l->owner != t)
        panic("sleeplock %s: released by a thread that does not hold it", l->name);
    if (LOCKDEP)
        lockdep_release(&t->sleeplocks, l);
    l->owner = NULL;
    if (!list_empty(&l->waiters)) {
        struct thread *next = LIST_ENTRY(l->waiters.next, struct thread, waitq_node);
        list_remove(&next->waitq_node);
        l->owner = next;
        sched_wake(next, 0);
    }
    spin_unlock(&l->guard);
}

bool sleeplock_holding(struct sleeplock *l)
{
    return l->owner == current_thread();
}
