/*
 * spinlock.h for the host unit tests: one thread, no interrupts, so a lock
 * is a flag; taking one twice or releasing one not held panics, which is the
 * self-deadlock the kernel's spin_lock would hang or stop in.
 */
#ifndef EMBER_SPINLOCK_H
#define EMBER_SPINLOCK_H

#include <stdbool.h>
#include "kernel/lib/lockdep.h"
#include "kernel/lib/panic.h"

#define SPIN_NO_CPU     (-1)

struct spinlock {
    int locked;
    int cpu;
    const char *name;
    struct lock_class *class;
};

#define SPINLOCK_INIT(lock_name, lock_class) \
    { .locked = 0, .cpu = SPIN_NO_CPU, .name = (lock_name), .class = &(lock_class) }

static inline void spin_init(struct spinlock *l, const char *name, struct lock_class *class)
{
    *l = (struct spinlock){ .cpu = SPIN_NO_CPU, .name = name, .class = class };
}

static inline void spin_lock(struct spinlock *l)
{
    if (l->locked)
        panic("spinlock %s: taken twice", l->name);
    l->locked = 1;
    l->cpu = 0;
}

static inline void spin_unlock(struct spinlock *l)
{
    if (!l->locked)
        panic("spinlock %s: released while free", l->name);
    l->locked = 0;
    l->cpu = SPIN_NO_CPU;
}

static inline bool spin_holding(const struct spinlock *l)
{
    return l->locked;
}

#define spin_assert_held(l) \
    do { if (!spin_holding(l)) panic("%s:%d: %s not held", __FILE__, __LINE__, (l)->name); } while (0)

#endif
