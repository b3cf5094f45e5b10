/*
 * lock.h (libc-internal): the lock that guards libc's shared state (the
 * heap, each FILE) between a process's threads.  A spinlock that yields the
 * CPU while it waits: libc holds it only for short stretches, so the owner
 * is about to let go.  Not recursive.
 *
 * Yielding only hands the CPU to threads of the same or a higher priority,
 * so a waiter that outranks the owner would spin for ever and the owner
 * never run.  After LIBC_LOCK_YIELDS yields a waiter sleeps instead, till
 * the next timer tick, which lets a thread of any priority run.
 */
#ifndef EMBER_LIBC_LOCK_H
#define EMBER_LIBC_LOCK_H

#include <ember.h>

#define LIBC_LOCK_YIELDS    64      /* enough for an owner of our priority to finish */
#define LIBC_LOCK_SLEEP_NS  1       /* the shortest sleep: until the next tick */

struct libc_lock {
    int held;
};

static inline void libc_lock_acquire(struct libc_lock *l)
{
    for (int tries = 0; __atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE); tries++) {
        if (tries < LIBC_LOCK_YIELDS)
            thread_yield();
        else
            thread_sleep(LIBC_LOCK_SLEEP_NS);
    }
}

static inline void libc_lock_release(struct libc_lock *l)
{
    __atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif
