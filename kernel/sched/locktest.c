/*
 * locktest.c: the locks tested from inside the kernel (locktest.h), through
 * lock_selftest, so that tests/user/locks.c can fail when they break:
 *
 *  - LOCK_SELFTEST_SPIN: interrupts off while a spinlock is held and back
 *    to their previous state after the last one, in any release order; the
 *    owner CPU; spin_holding.  Returns how many checks failed, each named
 *    in the report as "expected X, got Y".
 *  - LOCK_SELFTEST_ORDER, LOCK_SELFTEST_SLEEP_ORDER: two locks of selftest
 *    classes taken A then B, then B then A.  The validator hands its report
 *    of the inversion here instead of stopping the kernel; returns how many
 *    were reported (E_NOSYS in a build without the validator).
 *  - LOCK_SELFTEST_SLEEP: takes a sleeping lock and holds it across a 20 ms
 *    sleep, checking that no other thread is inside meanwhile.  Returns 1
 *    if it had to wait for the lock, 0 if not; E_CANCELED if killed first.
 *
 * The test locks are used nowhere else, so the order learned here is only
 * theirs; an inversion among them is refused (never learned), so every run
 * reports it again.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/types.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"
#include "kernel/sched/locktest.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/sleeplock.h"

#define SLEEP_NS    20000000        /* how long LOCK_SELFTEST_SLEEP holds its lock */

static struct lock_class class_a = { .name = "locktest_a", .selftest = true };
static struct lock_class class_b = { .name = "locktest_b", .selftest = true };
static struct lock_class class_sa = { .name = "locktest_sleep_a", .selftest = true };
static struct lock_class class_sb = { .name = "locktest_sleep_b", .selftest = true };
static struct lock_class class_held = { .name = "locktest_held" };
static LOCK_CLASS(class_x, "locktest_x");
static LOCK_CLASS(class_y, "locktest_y");
static struct spinlock lock_x = SPINLOCK_INIT("locktest_x", class_x);
static struct spinlock lock_y = SPINLOCK_INIT("locktest_y", class_y);
static struct spinlock lock_a = SPINLOCK_INIT("locktest_a", class_a);
static struct spinlock lock_b = SPINLOCK_INIT("locktest_b", class_b);
static struct sleeplock sleep_a = SLEEPLOCK_INIT(sleep_a, "locktest_sleep_a", class_sa);
static struct sleeplock sleep_b = SLEEPLOCK_INIT(sleep_b, "locktest_sleep_b", class_sb);
static struct sleeplock held = SLEEPLOCK_INIT(held, "locktest_held", class_held);
static int inside;                  /* threads inside |held|: never more than one */

struct checks {
    char *report;
    size_t len, used;
    int failed;
};

static void check(struct checks *c, const char *what, long expected, long got)
{
    int n = ksnprintf(c->report + c->used, c->len - c->used, "%s %s: expected %ld, got %ld\n",
                      expected == got ? "ok" : "FAIL", what, expected, got);
    if (n > 0)
        c->used += (size_t)n < c->len - c->used ? (size_t)n : c->len - c->used - 1;
    c->failed += expected != got;
}

static long irq_on(void)
{
    uint64_t flags;

    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    return (flags & RFLAGS_IF_BIT) != 0;
}

/* Two locks released in the order taken (not nested): interrupts come back only after both. */
static void spin_checks(struct checks *c, long was_on)
{
    spin_lock(&lock_x);
    check(c, "interrupts with one lock held", 0, irq_on());
    check(c, "holding the lock taken", 1, spin_holding(&lock_x));
    check(c, "its owner is this CPU", cpu_this()->index, lock_x.cpu);
    spin_lock(&lock_y);
    check(c, "holding both", 2, spin_holding(&lock_x) + spin_holding(&lock_y));
    spin_unlock(&lock_x);
    check(c, "interrupts after releasing the first of two", 0, irq_on());
    check(c, "holding the first after its release", 0, spin_holding(&lock_x));
    spin_unlock(&lock_y);
    check(c, "interrupts after the last release (as before)", was_on, irq_on());
    check(c, "holding the last after its release", 0, spin_holding(&lock_y));
}

static long test_spin(char *report, size_t len)
{
    struct checks c = { report, len, 0, 0 };

    spin_checks(&c, 0);                 /* entered from a system call: interrupts off */
    __asm__ volatile("sti" : : : "memory");
    spin_checks(&c, 1);                 /* and on: a tick may come in here, as at a preemption point */
    __asm__ volatile("cli" : : : "memory");
    check(&c, "spinlocks held by this CPU at the end", 0, cpu_this()->irq_depth);
    return c.failed;
}

static __attribute__((noinline)) void locktest_take_ab(void)
{
    spin_lock(&lock_a);
    spin_lock(&lock_b);
    spin_unlock(&lock_b);
    spin_unlock(&lock_a);
}

static __attribute__((noinline)) void locktest_take_ba(void)
{
    spin_lock(&lock_b);
    spin_lock(&lock_a);
    spin_unlock(&lock_a);
    spin_unlock(&lock_b);
}

/* |first|, then |second| inside it (always inlined: the report names the caller); E_CANCELED if killed. */
static inline __attribute__((always_inline)) long take_both(struct sleeplock *first, struct sleeplock *second)
{
    long r = sleeplock_acquire(first);

    if (r < 0)
        return r;
    r = sleeplock_acquire(second);
    if (r == 0)
        sleeplock_release(second);
    sleeplock_release(first);
    return r;
}

static __attribute__((noinline)) long locktest_sleep_ab(void)
{
    return take_both(&sleep_a, &sleep_b);
}

static __attribute__((noinline)) long locktest_sleep_ba(void)
{
    return take_both(&sleep_b, &sleep_a);
}

static long test_order(long which, char *report, size_t len)
{
    long r = 0;

    if (!LOCKDEP)
        return E_NOSYS;                 /* a bench build: no validator to test */
    lockdep_capture(report, len);
    if (which == LOCK_SELFTEST_ORDER) {
        locktest_take_ab();
        locktest_take_ba();
    } else if ((r = locktest_sleep_ab()) == 0) {
        r = locktest_sleep_ba();
    }
    int n = lockdep_captured();
    lockdep_capture(NULL, 0);
    return r < 0 ? r : n;
}

static long test_sleep(char *report, size_t len)
{
    bool wait = held.owner != NULL;     /* one CPU runs threads: nothing changes it before acquire */
    long r = sleeplock_acquire(&held);

    if (r < 0)
        return r;
    inside++;
    ASSERT(inside == 1 && sleeplock_holding(&held));
    sched_block(sched_deadline_after(SLEEP_NS));    /* E_TIMEDOUT, or E_CANCELED if killed */
    ASSERT(inside == 1 && sleeplock_holding(&held));
    inside--;
    sleeplock_release(&held);
    ksnprintf(report, len, "sleeplock %s: %s\n", held.name, wait ? "waited for it" : "free");
    return wait;
}

long locktest_run(long which, char *report, size_t len)
{
    report[0] = '\0';
    switch (which) {
    case LOCK_SELFTEST_SPIN:
        return test_spin(report, len);
    case LOCK_SELFTEST_ORDER:
    case LOCK_SELFTEST_SLEEP_ORDER:
        return test_order(which, report, len);
    case LOCK_SELFTEST_SLEEP:
        return test_sleep(report, len);
    }
    return E_INVAL;
}
