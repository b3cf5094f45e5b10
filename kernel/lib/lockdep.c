/*
 * lockdep.c: the lock-order validator (lockdep.h), Linux's lockdep cut down
 * to what a student can read in one sitting.
 *
 * The order is a graph of lock classes: after[a] has bit b when a lock of
 * class b was taken while one of class a was held ("a before b").  A new
 * edge a -> b is an inversion when b already reaches a, since then some
 * path took b (or something after it) first and then a: two CPUs running
 * the two paths at once would deadlock, even if no run ever did.  So each
 * first sighting of an edge also keeps how it was seen (the lock names and
 * the call sites), and an inversion is reported with both paths.
 *
 * Costs: a known edge is one bit test per held lock; the search (at most
 * LOCKDEP_CLASSES_MAX steps of a mask) runs only for an edge never seen.
 * The graph has its own raw lock, never checked by itself, and the report
 * is printed after it is dropped (printing takes the log's lock).
 *
 * Exports: lockdep_acquire, lockdep_release, lockdep_capture, lockdep_captured,
 * lockdep_edge_count, lockdep_class_count.
 */
#include <stdarg.h>
#include "kernel/lib/kprintf.h"
#include "kernel/lib/ksyms.h"
#include "kernel/lib/lockdep.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/string.h"

struct edge {                       /* the first time "from before to" was seen */
    uint8_t from, to;               /* class indexes */
    const char *from_name, *to_name;
    uintptr_t from_ip, to_ip;
};

static struct lock_class *classes[LOCKDEP_CLASSES_MAX];
static int nclasses;
static uint64_t after[LOCKDEP_CLASSES_MAX];
static struct edge edges[LOCKDEP_EDGES_MAX];
static int nedges, nedges_total;
static volatile int graph_busy;     /* the graph's raw lock */
static char report[LOCKDEP_REPORT_MAX];
static size_t report_len;
static char *capture_buf;
static size_t capture_len;
static int captured;

static void graph_lock(void)
{
    while (__atomic_exchange_n(&graph_busy, 1, __ATOMIC_ACQUIRE))
        while (graph_busy)
            __builtin_ia32_pause();
}

static void graph_unlock(void)
{
    __atomic_store_n(&graph_busy, 0, __ATOMIC_RELEASE);
}

/* |c|'s index, registering it on first use; -1 when the table is full (it goes unchecked). */
static int class_index(struct lock_class *c)
{
    if (c->id)
        return c->id - 1;
    if (nclasses == LOCKDEP_CLASSES_MAX)
        return -1;
    classes[nclasses] = c;
    c->id = ++nclasses;
    return c->id - 1;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(report + report_len, sizeof report - report_len, fmt, ap);
    va_end(ap);
    if (n > 0)
        report_len += (size_t)n < sizeof report - report_len ? (size_t)n : sizeof report - report_len - 1;
}

/* "name (class c) taken at function+0x1f": one acquisition, symbolized. */
static void say_lock(const char *what, const char *name, int cls, uintptr_t ip)
{
    uint64_t off = 0;
    const char *fn = ksym_lookup(ip, &off);

    say("%s %s (class %s) at ", what, name, classes[cls]->name);
    if (fn)
        say("%s+0x%lx\n", fn, off);
    else
        say("%p\n", (void *)ip);
}

static const struct edge *edge_find(int from, int to)
{
    for (int i = 0; i < nedges; i++)
        if (edges[i].from == from && edges[i].to == to)
            return &edges[i];
    return NULL;
}

/* Whether |from| reaches |to| in the graph; fills |parent| along the way (breadth first). */
static bool reaches(int from, int to, int8_t parent[LOCKDEP_CLASSES_MAX])
{
    uint64_t seen = 1ull << from, frontier = seen;

    while (frontier) {
        uint64_t next = 0;
        for (uint64_t f = frontier; f; f &= f - 1) {
            int a = __builtin_ctzll(f);
            uint64_t fresh = after[a] & ~seen & ~next;
            for (uint64_t g = fresh; g; g &= g - 1)
                parent[__builtin_ctzll(g)] = (int8_t)a;
            next |= fresh;
        }
        if (next & (1ull << to))
            return true;
        seen |= next;
        frontier = next;
    }
    return false;
}

/* The earlier path from |from| to |to|, edge by edge, as each was first seen. */
static void say_path(int from, int to, const int8_t parent[LOCKDEP_CLASSES_MAX])
{
    int chain[LOCKDEP_CLASSES_MAX], n = 0;

    for (int c = to; c != from && n < LOCKDEP_CLASSES_MAX; c = parent[c])
        chain[n++] = c;
    for (int prev = from; n > 0; prev = chain[--n]) {
        const struct edge *e = edge_find(prev, chain[n - 1]);
        if (!e) {
            say("  earlier: class %s before class %s (path not kept: edge table full)\n",
                classes[prev]->name, classes[chain[n - 1]]->name);
            continue;
        }
        say_lock("  earlier: took", e->from_name, e->from, e->from_ip);
        say_lock("           then", e->to_name, e->to, e->to_ip);
    }
}

static void edge_add(int a, int b, const struct lock_held *h, const char *name, uintptr_t ip)
{
    after[a] |= 1ull << b;
    nedges_total++;
    if (nedges < LOCKDEP_EDGES_MAX)
        edges[nedges++] = (struct edge){ (uint8_t)a, (uint8_t)b, h->name, name, h->ip, ip };
}

/*
 * Taking |name| (class index |b|) at |ip| while |h| is held.  Returns
 * whether a report was written (then the edge is not learned).
 */
static bool check_pair(const struct lock_held *h, int b, const char *name, uintptr_t ip)
{
    int a = h->class->id - 1;
    int8_t parent[LOCKDEP_CLASSES_MAX];

    if (after[a] & (1ull << b))
        return false;                   /* the usual case: an order seen before */
    if (a == b) {
        say("lockdep: two locks of class %s held at once (a second instance needs an order of its own)\n",
            classes[a]->name);
    } else if (reaches(b, a, parent)) {
        say("lockdep: lock order inversion: class %s taken while holding class %s, "
            "but an earlier path took them the other way round\n", classes[b]->name, classes[a]->name);
    } else {
        edge_add(a, b, h, name, ip);
        return false;
    }
    say_lock("  this path: took", h->name, a, h->ip);
    say_lock("           then", name, b, ip);
    if (a != b)
        say_path(b, a, parent);
    return true;
}

/* Checks |class| against every lock of |s|; returns whether a report was written. */
static bool check_stack(const struct lock_stack *s, int b, const char *name, uintptr_t ip)
{
    for (int i = 0; s && i < s->depth; i++)
        if (s->held[i].class->id && check_pair(&s->held[i], b, name, ip))
            return true;
    return false;
}

/* A report is printed and stops the kernel, unless the validator's self-test asked for it. */
static void report_out(bool selftest)
{
    if (selftest && capture_buf) {
        size_t n = report_len < capture_len - 1 ? report_len : capture_len - 1;
        memcpy(capture_buf, report, n);
        capture_buf[n] = '\0';
        captured++;
        graph_unlock();
        return;
    }
    graph_unlock();
    kprintf("%s", report);
    panic("lockdep: lock order violated (both paths above)");
}

void lockdep_acquire(struct lock_stack *own, const struct lock_stack *other,
                     struct lock_class *class, const char *name, const void *lock, uintptr_t ip)
{
    if (own->depth == LOCK_STACK_MAX)
        panic("lockdep: %s taken with %d locks already held", name, own->depth);
    graph_lock();
    int b = class_index(class);
    report_len = 0;
    report[0] = '\0';
    if (b >= 0 && (check_stack(own, b, name, ip) || check_stack(other, b, name, ip))) {
        report_out(class->selftest);
    } else {
        graph_unlock();
    }
    own->held[own->depth++] = (struct lock_held){ class, name, lock, ip };
}

void lockdep_release(struct lock_stack *own, const void *lock)
{
    for (int i = own->depth - 1; i >= 0; i--) {
        if (own->held[i].lock != lock)
            continue;
        for (int j = i; j + 1 < own->depth; j++)
            own->held[j] = own->held[j + 1];
        own->depth--;
        return;
    }
    panic("lockdep: releasing a lock this context does not hold (%p)", lock);
}

void lockdep_capture(char *buf, size_t len)
{
    graph_lock();
    capture_buf = len ? buf : NULL;
    capture_len = len;
    captured = 0;
    graph_unlock();
}

int lockdep_captured(void)
{
    return captured;
}

int lockdep_edge_count(void)
{
    return nedges_total;
}

int lockdep_class_count(void)
{
    return nclasses;
}
