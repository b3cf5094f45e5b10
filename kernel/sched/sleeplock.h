/*
 * Sleeping locks: for long critical sections in kernel code, ones that may
 * block, pass preemption points or copy user memory (xv6's sleeplock; not
 * the user-visible mutex object of kernel/sync/mutex.c).  A thread that
 * finds one taken blocks instead of spinning, and the CPU runs others.
 *
 * The owner is a thread, not a CPU: sleeplock_holding asks whether the
 * running thread holds it.  Release hands the lock straight to the first
 * waiter (first come, first served; no thread can barge past one that
 * waits).  A sleeping lock is never taken while a spinlock is held (the
 * taker may block), and it is known to the lock-order validator: its
 * class is ordered before every spinlock taken inside it.
 *
 * Locking: |guard| (a spinlock) protects |owner| and |waiters|.
 */
#ifndef EMBER_SLEEPLOCK_H
#define EMBER_SLEEPLOCK_H

#include <stdbool.h>
#include "kernel/arch/x86_64/spinlock.h"
#include "kernel/lib/list.h"

struct thread;

struct sleeplock {
    struct spinlock guard;
    struct thread *owner;           /* NULL when free */
    struct list_node waiters;       /* struct thread.waitq_node, in arrival order */
    const char *name;
    struct lock_class *class;
};

/* Every sleeping lock's guard is of this class: a leaf, taken for a few instructions. */
extern struct lock_class sleeplock_guard_class;

#define SLEEPLOCK_INIT(var, lock_name, lock_class) {                        \
    .guard = SPINLOCK_INIT(lock_name, sleeplock_guard_class), .owner = NULL, \
    .waiters = LIST_INIT((var).waiters), .name = (lock_name), .class = &(lock_class) }

void sleeplock_init(struct sleeplock *l, const char *name, struct lock_class *class);
/*
 * Takes |l|, blocking while another thread holds it.  Returns 0, or
 * E_CANCELED (without the lock) when the thread is killed while it waits.
 */
long sleeplock_acquire(struct sleeplock *l);
/* Gives |l| up; the running thread must hold it. */
void sleeplock_release(struct sleeplock *l);
/* Registers the running thread's sleeping locks with the validator (sched_init). */
void sleeplock_setup(void);
/* Whether the running thread holds |l|. */
bool sleeplock_holding(struct sleeplock *l);

#define sleeplock_assert_held(l) \
    do { if (!sleeplock_holding(l)) panic("%s:%d: %s not held by this thread", __FILE__, __LINE__, (l)->name); } while (0)

#endif
