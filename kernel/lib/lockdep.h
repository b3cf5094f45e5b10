/*
 * The lock-order validator (lockdep.c): in debug builds (LOCKDEP=1, what
 * make test builds) every lock taken is checked against the locks its
 * context already holds.  Locks are grouped in classes (every process's
 * handle table lock is one class); the validator learns which class was
 * held when another was taken (an edge "a before b") and, when a new edge
 * would close a cycle, reports both acquisition paths: the lock names and
 * the functions that took them.  make bench builds with LOCKDEP=0: the
 * hooks compile away and the locks cost only their own instructions.
 *
 * The tables are fixed (LOCKDEP_CLASSES_MAX classes, LOCKDEP_EDGES_MAX
 * recorded paths): nothing is allocated, so the heap's own lock is checked
 * like any other.  A held-lock stack belongs to a context: each CPU has one
 * for its spinlocks (struct cpu_local), each thread one for its sleeping
 * locks (struct thread).
 */
#ifndef EMBER_LOCKDEP_H
#define EMBER_LOCKDEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef LOCKDEP
#define LOCKDEP 0
#endif

#define LOCKDEP_CLASSES_MAX 64      /* one bit each in a class's "taken after" mask */
#define LOCKDEP_EDGES_MAX   256     /* edges whose first acquisition paths are kept */
#define LOCK_STACK_MAX      8       /* locks one context may hold at once */
#define LOCKDEP_REPORT_MAX  1024

/*
 * A lock class: locks with one role share it (and one place in the order).
 * |selftest| classes exist for the validator's own test: an inversion among
 * them is handed to the test (lockdep_capture) instead of stopping the kernel.
 */
struct lock_class {
    const char *name;
    int id;                         /* 1..LOCKDEP_CLASSES_MAX once first used; 0 before */
    bool selftest;
};

#define LOCK_CLASS(var, str) struct lock_class var = { .name = (str) }

/* One lock a context holds: what it is, and the instruction after the call that took it. */
struct lock_held {
    struct lock_class *class;
    const char *name;
    const void *lock;
    uintptr_t ip;
};

struct lock_stack {
    int depth;
    struct lock_held held[LOCK_STACK_MAX];
};

/*
 * |lock| (named |name|, of |class|) is being taken at |ip| in the context
 * whose held locks are |own|; |other| (may be NULL) is the same context's
 * other stack (a thread's sleeping locks beside its CPU's spinlocks).
 * Checks the order against every held lock, learns new edges, and pushes
 * the lock on |own|.  On an inversion it prints both paths and panics, or
 * for selftest classes writes them to the capture buffer and goes on.
 */
void lockdep_acquire(struct lock_stack *own, const struct lock_stack *other,
                     struct lock_class *class, const char *name, const void *lock, uintptr_t ip);
/* |lock| is released: it leaves |own| (from any depth; panics if it is not there). */
void lockdep_release(struct lock_stack *own, const void *lock);
/*
 * The validator's self-test: while |buf| is set, a selftest class's
 * inversion report is written there (at most |len| bytes, terminated).
 * Returns how many inversions were captured since the last call.
 */
void lockdep_capture(char *buf, size_t len);
int lockdep_captured(void);
/* Edges learned and inversions reported since boot (system_stats shows them). */
int lockdep_edge_count(void);
int lockdep_class_count(void);

#endif
