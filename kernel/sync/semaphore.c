/*
 * semaphore.c: the semaphore object (semaphore.h).  Signaled while the
 * count is above zero; each satisfied wait takes one.  A release wakes as
 * many waiters as the count allows, through ob_signal's walk; the first
 * unit goes straight to the first waiter when it waits for any object
 * (ob_handoff), never entering the count.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/abi/types.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/query.h"
#include "kernel/ob/wait.h"
#include "kernel/sync/semaphore.h"

struct semaphore {
    struct ob ob;
    int64_t count;
    int64_t maximum;
};

static struct semaphore *semaphore_of(struct ob *o)
{
    return (struct semaphore *)o;
}

static bool semaphore_is_signaled(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    return semaphore_of(o)->count > 0;
}

static long semaphore_on_satisfied(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    semaphore_of(o)->count--;
    return 0;
}

static long semaphore_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    struct semaphore_query_info info = { semaphore_of(o)->count, semaphore_of(o)->maximum };

    return info_class == OBJECT_INFO_SEMAPHORE ? query_put(q, &info, sizeof info) : E_INVAL;
}

const struct ob_type semaphore_type = {
    .name = "semaphore",
    .code = OB_TYPE_SEMAPHORE,
    .tag = TAG("Sema"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO,
    .is_signaled = semaphore_is_signaled,
    .on_satisfied = semaphore_on_satisfied,
    .query = semaphore_query,
};

struct ob *semaphore_create(int64_t initial, int64_t maximum)
{
    struct semaphore *s = ob_create(&semaphore_type, sizeof *s);

    if (!s)
        return NULL;
    s->count = initial;
    s->maximum = maximum;
    return &s->ob;
}

long semaphore_release(struct ob *o, int64_t n)
{
    struct semaphore *s = semaphore_of(o);
    int64_t before = s->count;

    if (n > s->maximum - before)
        return E_LIMIT;
    s->count += n - 1;                  /* the last unit: handed over, or counted */
    if (!ob_handoff(o)) {
        s->count++;
        ob_signal(o);
    }
    return before;
}
