/*
 * lock.h (libc-internal): the lock that guards libc's shared state (the
 * heap, each FILE) between a process's threads.  A spinlock that yields the
 * CPU while it waits: libc holds it only for short stretches, so the owner
 * is about to let go.  Not recursive.
 */
#ifndef EMBER_LIBC_LOCK_H
#define EMBER_LIBC_LOCK_H

#include <ember.h>

struct libc_lock {
    int held;
};

static inline void libc_lock_acquire(struct libc_lock *l)
{
    while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
        thread_yield();
}

static inline void libc_lock_release(struct libc_lock *l)
{
    __atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif
