/*
 * mutex.c: the mutex object (mutex.h).
 *
 * A mutex is signaled for a thread when it is free or that thread already
 * owns it (recursion).  Each thread keeps the list of mutexes it owns, so
 * that on exit it can abandon them: owner cleared, the abandoned flag set,
 * and waiters signaled; the thread that takes it next sees E_ABANDONED once.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/abi/types.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/query.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"
#include "kernel/sched/thread.h"
#include "kernel/sync/mutex.h"

struct mutex {
    struct ob ob;
    struct thread *owner;           /* NULL: free */
    uint64_t depth;                 /* how many times the owner acquired it */
    bool abandoned;                 /* until the next acquisition reports it */
    struct list_node owner_node;    /* in owner->owned_mutexes */
};

static struct mutex *mutex_of(struct ob *o)
{
    return (struct mutex *)o;
}

static void take(struct mutex *m, struct thread *t)
{
    if (m->owner != t) {
        m->owner = t;
        list_push_back(&t->owned_mutexes, &m->owner_node);
    }
    m->depth++;
}

static bool mutex_is_signaled(struct ob *o, struct thread *t)
{
    return !mutex_of(o)->owner || mutex_of(o)->owner == t;
}

static long mutex_on_satisfied(struct ob *o, struct thread *t)
{
    struct mutex *m = mutex_of(o);
    long abandoned = 0;

    /* LAB mutexes BEGIN */
    abandoned = m->abandoned ? WAIT_ABANDONED_BIT : 0;
    m->abandoned = false;
    /* LAB mutexes END */
    take(m, t);
    return abandoned;
}

static void mutex_destroy(struct ob *o)
{
    list_remove(&mutex_of(o)->owner_node);  /* an owner that closed its last handle */
}

static long mutex_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    struct mutex *m = mutex_of(o);
    struct mutex_query_info info = { m->owner ? m->owner->tid : 0, m->depth, m->abandoned, 0 };

    return info_class == OBJECT_INFO_MUTEX ? query_put(q, &info, sizeof info) : E_INVAL;
}

const struct ob_type mutex_type = {
    .name = "mutex",
    .code = OB_TYPE_MUTEX,
    .tag = TAG("Mutx"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_INFO,
    .destroy = mutex_destroy,
    .is_signaled = mutex_is_signaled,
    .on_satisfied = mutex_on_satisfied,
    .query = mutex_query,
};

struct ob *mutex_create(struct thread *owner)
{
    struct mutex *m = ob_create(&mutex_type, sizeof *m);

    if (!m)
        return NULL;
    list_init(&m->owner_node);
    if (owner)
        take(m, owner);
    return &m->ob;
}

static void make_free(struct mutex *m)
{
    m->owner = NULL;
    m->depth = 0;
    list_remove(&m->owner_node);
    ob_signal(&m->ob);
}

long mutex_release(struct ob *o, struct thread *t)
{
    struct mutex *m = mutex_of(o);
    long before = (long)m->depth;

    if (m->owner != t)
        return E_NOTOWNER;
    if (--m->depth == 0)
        make_free(m);
    return before;
}

void mutex_abandon_all(struct thread *t)
{
    while (!list_empty(&t->owned_mutexes)) {
        struct mutex *m = LIST_ENTRY(t->owned_mutexes.next, struct mutex, owner_node);
        /* LAB mutexes BEGIN */
        m->abandoned = true;
        /* LAB mutexes END */
        make_free(m);
    }
}

void mutex_objects_init(void)
{
    process_hooks.abandon_mutexes = mutex_abandon_all;
}
