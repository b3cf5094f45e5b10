/*
 * Spinlocks: for short critical sections on data any CPU may touch.
 *
 * spin_lock turns interrupts off on this CPU before it spins, and
 * spin_unlock turns them back on only when the last spinlock this CPU holds
 * is released and they were on before the first (a count per CPU, as xv6's
 * push_off/pop_off): an interrupt handler that takes the same lock can then
 * never interrupt its holder, and locks may be released in any order.  A
 * spinlock knows its owner CPU (spin_holding), its name and its class, for
 * the lock-order validator (kernel/lib/lockdep.h).
 *
 * Rules: never block, sleep or copy from or to user memory while holding
 * one (a sleeping lock, kernel/sched/sleeplock.h, is for that); take them in
 * the order docs/14-smp.md ("The lock list") gives.  In LOCKDEP builds
 * spin_lock and spin_unlock are calls (the validator needs the call site)
 * and spin_assert_held checks; otherwise they are inline and the assert is
 * empty, so `make bench` counts only the lock itself.
 */
#ifndef EMBER_SPINLOCK_H
#define EMBER_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/lib/lockdep.h"
#include "kernel/lib/panic.h"

#define SPIN_NO_CPU     (-1)
#define RFLAGS_IF_BIT   (1u << 9)

struct spinlock {
    volatile uint32_t locked;
    int cpu;                        /* the owner's cpu_local.index while locked (stale after) */
    const char *name;
    struct lock_class *class;
};

#define SPINLOCK_INIT(lock_name, lock_class) \
    { .locked = 0, .cpu = SPIN_NO_CPU, .name = (lock_name), .class = &(lock_class) }

static inline void spin_init(struct spinlock *l, const char *name, struct lock_class *class)
{
    *l = (struct spinlock){ .cpu = SPIN_NO_CPU, .name = name, .class = class };
}

#define CPU_LOCAL_OFFSET(field) __builtin_offsetof(struct cpu_local, field)

/*
 * Interrupts off, counted per CPU.  Written against GS directly (this CPU's
 * struct cpu_local): on the hot paths a lock costs its instructions, and
 * reaching the area through cpu_this() would add a load to each.
 */
static inline void irq_push(void)
{
    uint64_t flags;

    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    __asm__ volatile("cmpl $0, %%gs:%c1\n\t"
                     "jne 1f\n\t"
                     "movl %k0, %%gs:%c2\n"    /* the first lock: remember IF (non-zero: on) */
                     "1: incl %%gs:%c1"
                     : : "r"(flags & RFLAGS_IF_BIT), "i"(CPU_LOCAL_OFFSET(irq_depth)),
                         "i"(CPU_LOCAL_OFFSET(irq_was_on)) : "memory", "cc");
}

/* Undoes one irq_push: interrupts on again only after the outermost, and only if they were on. */
static inline void irq_pop(void)
{
    __asm__ volatile("decl %%gs:%c0\n\t"
                     "jnz 1f\n\t"
                     "cmpl $0, %%gs:%c1\n\t"
                     "je 1f\n\t"
                     "sti\n"
                     "1:"
                     : : "i"(CPU_LOCAL_OFFSET(irq_depth)), "i"(CPU_LOCAL_OFFSET(irq_was_on))
                     : "memory", "cc");
}

/* This CPU's index, read through GS (cpu_local.index). */
static inline int cpu_index(void)
{
    int i;

    __asm__ volatile("movl %%gs:%c1, %0" : "=r"(i) : "i"(CPU_LOCAL_OFFSET(index)));
    return i;
}

static inline void spin_lock_fast(struct spinlock *l)
{
    irq_push();
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked)
            __builtin_ia32_pause();
    l->cpu = cpu_index();
}

/* |cpu| is left as it was: spin_holding looks at |locked| first. */
static inline void spin_unlock_fast(struct spinlock *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
    irq_pop();
}

/* Whether this CPU holds |l|. */
static inline bool spin_holding(const struct spinlock *l)
{
    return l->locked && l->cpu == cpu_index();
}

#if LOCKDEP
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
/* The sleeping locks the running thread holds, for the validator (registered by the scheduler). */
void spin_set_thread_locks(struct lock_stack *(*fn)(void));
#define spin_assert_held(l) \
    do { if (!spin_holding(l)) panic("%s:%d: %s not held by this CPU", __FILE__, __LINE__, (l)->name); } while (0)
#else
static inline void spin_lock(struct spinlock *l) { spin_lock_fast(l); }
static inline void spin_unlock(struct spinlock *l) { spin_unlock_fast(l); }
#define spin_assert_held(l) do { (void)(l); } while (0)
static inline void spin_set_thread_locks(struct lock_stack *(*fn)(void)) { (void)fn; }
#endif

#endif
