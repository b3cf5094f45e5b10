/*
 * test_lockdep: the lock-order validator's graph (kernel/lib/lockdep.c) on
 * the host: known orders pass quietly, an inversion is found through a
 * chain of any length and reported with every edge of the earlier path,
 * two locks of one class are reported, an inversion is never learned (so
 * it is reported again), and release works from any depth.
 */
#include <stdarg.h>
#include <stdio.h>
#include "tests/unit/check.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/ksyms.h"
#include "kernel/lib/lockdep.h"

/* The kernel's symbol table: every "call site" below is a small number, named after itself. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
    static char name[32];

    snprintf(name, sizeof name, "site%lu", (unsigned long)addr);
    *offset = 0;
    return name;
}

void kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

static struct lock_class ca = { .name = "A", .selftest = true };
static struct lock_class cb = { .name = "B", .selftest = true };
static struct lock_class cc = { .name = "C", .selftest = true };
static int la, lb, lc, la2;         /* the locks: only their addresses matter */
static char report[LOCKDEP_REPORT_MAX];

static void take(struct lock_stack *s, struct lock_class *c, const char *name, const void *l, uintptr_t ip)
{
    lockdep_acquire(s, NULL, c, name, l, ip);
}

static void chain_inversion(void)
{
    struct lock_stack s = { 0 };

    lockdep_capture(report, sizeof report);
    take(&s, &ca, "a", &la, 1);         /* A before B */
    take(&s, &cb, "b", &lb, 2);
    lockdep_release(&s, &lb);
    lockdep_release(&s, &la);
    take(&s, &cb, "b", &lb, 3);         /* B before C */
    take(&s, &cc, "c", &lc, 4);
    lockdep_release(&s, &lc);
    lockdep_release(&s, &lb);
    CHECK_EQ(lockdep_captured(), 0);
    take(&s, &cc, "c", &lc, 5);         /* C then A closes A -> B -> C -> A */
    take(&s, &ca, "a", &la, 6);
    CHECK_EQ(lockdep_captured(), 1);
    CHECK(strstr(report, "this path: took c (class C) at site5") != NULL);
    CHECK(strstr(report, "then a (class A) at site6") != NULL);
    CHECK(strstr(report, "earlier: took a (class A) at site1") != NULL);
    CHECK(strstr(report, "then b (class B) at site2") != NULL);
    CHECK(strstr(report, "earlier: took b (class B) at site3") != NULL);
    CHECK(strstr(report, "then c (class C) at site4") != NULL);
    lockdep_release(&s, &lc);           /* out of order: the stack closes up */
    CHECK_EQ(s.depth, 1);
    lockdep_release(&s, &la);
    take(&s, &cc, "c", &lc, 7);         /* never learned: reported again */
    take(&s, &ca, "a", &la, 8);
    CHECK_EQ(lockdep_captured(), 2);
    lockdep_release(&s, &la);
    lockdep_release(&s, &lc);
    CHECK_EQ(s.depth, 0);
}

static void known_orders_are_quiet(void)
{
    struct lock_stack s = { 0 };
    int edges = lockdep_edge_count();

    lockdep_capture(report, sizeof report);
    for (int i = 0; i < 100; i++) {
        take(&s, &ca, "a", &la, 1);
        take(&s, &cb, "b", &lb, 2);
        lockdep_release(&s, &lb);
        lockdep_release(&s, &la);
    }
    CHECK_EQ(lockdep_captured(), 0);
    CHECK_EQ(lockdep_edge_count(), edges);
}

static void two_of_one_class(void)
{
    struct lock_stack s = { 0 };

    lockdep_capture(report, sizeof report);
    take(&s, &ca, "a", &la, 1);
    take(&s, &ca, "a2", &la2, 2);
    CHECK_EQ(lockdep_captured(), 1);
    CHECK(strstr(report, "two locks of class A") != NULL);
    lockdep_release(&s, &la2);
    lockdep_release(&s, &la);
}

int main(void)
{
    RUN(chain_inversion);
    RUN(known_orders_are_quiet);
    RUN(two_of_one_class);
    return check_status();
}
