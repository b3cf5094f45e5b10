/*
 * wait.c: waiting on objects (wait.h).
 *
 * The path of a wait that blocks, e.g. a parent waiting for its child:
 *   sys_object_wait -> ob_wait: nothing signaled, so queue a wait block on
 *   the process object and sched_block();
 *   the child's last thread exits -> process teardown -> ob_signal(process):
 *   the block's thread is satisfied, sched_wake(thread, index);
 *   the parent runs again inside ob_wait, unlinks its blocks and returns.
 */
#include "kernel/abi/errors.h"
#include "kernel/lib/panic.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"

static bool signaled(struct ob *o, struct thread *t)
{
    return o->type->is_signaled && o->type->is_signaled(o, t);
}

static long satisfy(struct ob *o, struct thread *t)
{
    return o->type->on_satisfied ? o->type->on_satisfied(o, t) : 0;
}

/* The result if the wait of |t| on |objs| can be satisfied now (side effects applied), else -1. */
static long try_satisfy(struct thread *t, struct ob **objs, int n, int mode)
{
    long abandoned = 0;

    if (mode == WAIT_ANY) {
        for (int i = 0; i < n; i++)
            if (signaled(objs[i], t))
                return i | satisfy(objs[i], t);
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (!signaled(objs[i], t))
            return -1;
    for (int i = 0; i < n; i++)         /* all at once: no other thread runs in between */
        abandoned |= satisfy(objs[i], t);
    return abandoned;
}

long ob_wait(struct ob **objs, const handle_t *handles, int n, int mode, uint64_t deadline)
{
    struct thread *t = current_thread();
    long r = try_satisfy(t, objs, n, mode);

    if (r >= 0)
        return r;
    if (deadline == WAIT_POLL)
        return E_TIMEDOUT;
    struct wait_state ws;           /* not "= {0}": that would clear all 64 blocks every time */

    ws.count = n;
    ws.mode = mode;
    ws.done = 0;
    for (int i = 0; i < n; i++) {
        ws.blocks[i] = (struct wait_block){ .thread = t, .object = objs[i],
                                            .handle = handles[i], .index = i };
        list_push_back(&objs[i]->waiters, &ws.blocks[i].node);
    }
    t->wait = &ws;
    r = sched_block(deadline);
    ws.done = 1;
    t->wait = NULL;
    for (int i = 0; i < n; i++)
        list_remove(&ws.blocks[i].node);
    return r;
}

/* Satisfies the blocked wait that |b| belongs to, if it can be now: the result to wake it with, or -1. */
static long satisfy_block(struct ob *o, struct wait_block *b)
{
    struct wait_state *ws = b->thread->wait;
    struct ob *objs[WAIT_MAX_OBJECTS];

    if (ws->mode == WAIT_ANY)           /* the common case: just this object */
        return signaled(o, b->thread) ? b->index | satisfy(o, b->thread) : -1;
    for (int i = 0; i < ws->count; i++)
        objs[i] = ws->blocks[i].object;
    return try_satisfy(b->thread, objs, ws->count, WAIT_ALL);
}

void ob_signal(struct ob *o)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &o->waiters) {
        struct wait_block *b = LIST_ENTRY(pos, struct wait_block, node);
        struct wait_state *ws = b->thread->wait;
        if (!ws || ws->done || b->thread->state != THREAD_BLOCKED)
            continue;
        long r = satisfy_block(o, b);
        if (r < 0)
            continue;
        ws->done = 1;
        sched_wake(b->thread, r);
    }
}

void ob_wait_cancel(struct ob *o, struct process *p, handle_t h)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &o->waiters) {
        struct wait_block *b = LIST_ENTRY(pos, struct wait_block, node);
        struct wait_state *ws = b->thread->wait;
        if (b->handle == h && b->thread->process == p && ws && !ws->done) {
            ws->done = 1;
            sched_wake(b->thread, E_CANCELED);
        }
    }
}
