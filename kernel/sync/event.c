/*
 * event.c: the event object (event.h).
 *
 * All the waking is ob_signal's (ob/wait.c): set raises the flag and asks
 * it to satisfy whoever it can, in arrival order.  An auto-reset event's
 * on_satisfied lowers the flag again, so the walk stops satisfying after
 * the first waiter: exactly one runs.  Setting an auto-reset event that a
 * thread waits on is the ping-pong's step, so it has a shorter way to the
 * same end: ob_handoff gives the set straight to the first waiter, and the
 * flag never goes up.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/abi/types.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/query.h"
#include "kernel/ob/wait.h"
#include "kernel/sync/event.h"

struct event {
    struct ob ob;
    bool manual_reset;
    bool signaled;
};

static struct event *event_of(struct ob *o)
{
    return (struct event *)o;
}

static bool event_is_signaled(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    return event_of(o)->signaled;
}

static long event_on_satisfied(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    if (!event_of(o)->manual_reset)
        event_of(o)->signaled = false;
    return 0;
}

static long event_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    struct event_query_info info = { event_of(o)->manual_reset, event_of(o)->signaled };

    return info_class == OBJECT_INFO_EVENT ? query_put(q, &info, sizeof info) : E_INVAL;
}

const struct ob_type event_type = {
    .name = "event",
    .code = OB_TYPE_EVENT,
    .tag = TAG("Evnt"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO,
    .is_signaled = event_is_signaled,
    .on_satisfied = event_on_satisfied,
    .query = event_query,
};

struct ob *event_create(unsigned long flags)
{
    struct event *e = ob_create(&event_type, sizeof *e);

    if (!e)
        return NULL;
    e->manual_reset = flags & EVENT_MANUAL_RESET;
    e->signaled = flags & EVENT_SIGNALED;
    return &e->ob;
}

bool event_set(struct ob *o)
{
    struct event *e = event_of(o);
    bool before = e->signaled;

    e->signaled = false;                /* what the waiter's reset would leave */
    if (!e->manual_reset && ob_handoff(o))
        return before;
    e->signaled = true;
    ob_signal(o);
    return before;
}

bool event_reset(struct ob *o)
{
    bool before = event_of(o)->signaled;

    event_of(o)->signaled = false;
    return before;
}

bool event_pulse(struct ob *o)
{
    bool before = event_of(o)->signaled;

    /* LAB syscall BEGIN stub: (void)o; */
    event_set(o);
    event_reset(o);
    /* LAB syscall END */
    return before;
}
