/*
 * wait.c: waiting on objects (wait.h).
 *
 * The path of a wait that blocks, e.g. a parent waiting for its child:
 *   sys_object_wait -> ob_wait: nothing signaled, so queue a wait block on
 *   the process object and sched_block();
 *   the child's last thread exits -> process teardown -> ob_signal(process):
 *   the block's thread is satisfied, sched_wake(thread, index);
 *   the parent runs again inside ob_wait, unlinks its blocks and returns.
 *
 * The hand-off (ob_handoff): a signaler that knows its change satisfies any
 * one waiter (a set auto-reset event, a released semaphore unit, bytes in a
 * pipe) gives it to the first waiter directly, when that one waits for any
 * object: no hooks asked, no walk, and sched_wake's direct switch runs it
 * when the signaler blocks.  Anything else takes ob_signal's walk.
 *
 * Locking: ob_wait_lock (a spinlock, one for every object, as NT's
 * dispatcher lock was) guards every object's |waiters| list, the wait
 * blocks and states on them, and each thread's |wait|; the types' hooks
 * (is_signaled, on_satisfied) run under it.  A waiter checks and queues
 * under it, drops it and blocks: nothing can come in between while threads
 * run on CPU 0 only (docs/14-smp.md).  It is taken before sched_lock (a
 * satisfied waiter is woken under it) and the timers' lock (a timer's
 * on_satisfied).  ob_signal peeks at an empty list without it: the types'
 * own state changes are not under this lock yet, which the per-CPU step
 * must finish (docs/14-smp.md, "The lock list").
 */
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/spinlock.h"
#include "kernel/lib/panic.h"
#include "kernel/ob/wait.h"
#include "kernel/sched/sched.h"

static LOCK_CLASS(ob_wait_class, "ob_wait");
static struct spinlock ob_wait_lock = SPINLOCK_INIT("ob_wait", ob_wait_class);

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

/*
 * Blocks |t| on the |n| wait blocks of |ws|, queued already under
 * ob_wait_lock (held on entry, dropped on return), and unlinks them when it
 * wakes.  Inlined, so the one-object wait's loops are over a constant 1.
 */
static inline __attribute__((always_inline)) long block_on(struct thread *t, struct wait_state *ws,
                                                           int n, uint64_t deadline)
{
    t->wait = ws;
    spin_unlock(&ob_wait_lock);
    long r = sched_block(deadline);
    spin_lock(&ob_wait_lock);
    ws->done = 1;
    t->wait = NULL;
    for (int i = 0; i < n; i++)
        list_remove(&ws->blocks[i].node);
    spin_unlock(&ob_wait_lock);
    return r;
}

/* ob_wait on one object: the same steps without the loops over a set.  Inlined in both callers. */
static inline __attribute__((always_inline)) long wait_one(struct ob *o, handle_t h, uint64_t deadline)
{
    struct thread *t = current_thread();
    struct wait_state ws;           /* only blocks[0] is used, and only it is written */
    long r;

    spin_lock(&ob_wait_lock);
    bool now = signaled(o, t);
    if (now || deadline == WAIT_POLL) {
        r = now ? satisfy(o, t) : E_TIMEDOUT;
        spin_unlock(&ob_wait_lock);
        return r;
    }
    ws.count = 1;
    ws.mode = WAIT_ANY;
    ws.done = 0;
    ws.blocks[0] = (struct wait_block){ .thread = t, .object = o, .handle = h, .index = 0 };
    list_push_back(&o->waiters, &ws.blocks[0].node);
    return block_on(t, &ws, 1, deadline);
}

long ob_wait_one(struct ob *o, handle_t h, uint64_t deadline)
{
    return wait_one(o, h, deadline);
}

long ob_wait(struct ob **objs, const handle_t *handles, int n, int mode, uint64_t deadline)
{
    if (n == 1)
        return wait_one(objs[0], handles[0], deadline);   /* any or all: the same for one */
    struct thread *t = current_thread();
    spin_lock(&ob_wait_lock);
    long r = try_satisfy(t, objs, n, mode);

    if (r >= 0 || deadline == WAIT_POLL) {
        spin_unlock(&ob_wait_lock);
        return r >= 0 ? r : E_TIMEDOUT;
    }
    struct wait_state ws;           /* not "= {0}": that would clear all 64 blocks every time */

    ws.count = n;
    ws.mode = mode;
    ws.done = 0;
    for (int i = 0; i < n; i++) {
        ws.blocks[i] = (struct wait_block){ .thread = t, .object = objs[i],
                                            .handle = handles[i], .index = i };
        list_push_back(&objs[i]->waiters, &ws.blocks[i].node);
    }
    return block_on(t, &ws, n, deadline);
}

/* A blocked WAIT_ALL: every object of |ws| at once, or nothing. Out of line: its array is big. */
static __attribute__((noinline)) long satisfy_all(struct thread *t, struct wait_state *ws)
{
    struct ob *objs[WAIT_MAX_OBJECTS];

    for (int i = 0; i < ws->count; i++)
        objs[i] = ws->blocks[i].object;
    return try_satisfy(t, objs, ws->count, WAIT_ALL);
}

/* Satisfies the blocked wait that |b| belongs to, if it can be now: the result to wake it with, or -1. */
static inline long satisfy_block(struct ob *o, struct wait_block *b)
{
    struct wait_state *ws = b->thread->wait;

    if (ws->mode == WAIT_ANY)           /* the common case: just this object */
        return signaled(o, b->thread) ? b->index | satisfy(o, b->thread) : -1;
    return satisfy_all(b->thread, ws);
}

/* Whether |b|'s thread still waits: blocked, its wait neither satisfied nor ended otherwise. */
static inline bool still_waits(const struct wait_block *b)
{
    const struct wait_state *ws = b->thread->wait;

    return ws && !ws->done && b->thread->state == THREAD_BLOCKED;
}

/* ob_signal once there are waiters, locked.  Out of line: most signals find none (a pipe nobody waits on). */
static __attribute__((noinline)) void signal_waiters(struct ob *o)
{
    struct list_node *pos;

    spin_assert_held(&ob_wait_lock);
    LIST_FOR_EACH(pos, &o->waiters) {
        struct wait_block *b = LIST_ENTRY(pos, struct wait_block, node);
        if (!still_waits(b))
            continue;
        long r = satisfy_block(o, b);
        if (r < 0)
            continue;
        b->thread->wait->done = 1;
        sched_wake(b->thread, r);
    }
}

void ob_signal(struct ob *o)
{
    if (list_empty(&o->waiters))
        return;                         /* the common case, unlocked: see the header */
    spin_lock(&ob_wait_lock);
    signal_waiters(o);
    spin_unlock(&ob_wait_lock);
}

static bool handoff_on = true;          /* off (fastpath=off): every signal walks */
static uint64_t handoffs;               /* taken, since boot (system_stats) */

/* ob_handoff when others wait behind |b|: |b|'s thread is woken, the others get the walk. */
static __attribute__((noinline)) bool wake_and_walk(struct ob *o, struct wait_block *b)
{
    sched_wake(b->thread, b->index);
    signal_waiters(o);
    return true;
}

/* The first wait block of |o| whose thread still waits (blocked, not yet satisfied), or NULL. */
static inline struct wait_block *first_waiting(struct ob *o)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &o->waiters) {
        struct wait_block *b = LIST_ENTRY(pos, struct wait_block, node);
        if (still_waits(b))
            return b;
    }
    return NULL;
}

/*
 * What ob_signal's walk would do first, without asking the type: the first
 * waiter in arrival order waits for any object, so |o| alone satisfies it,
 * with its index.  The caller has applied the side effect already (the unit
 * it hands over is not added), so waiters behind get the walk as usual.
 */
bool ob_handoff(struct ob *o)
{
    if (!handoff_on || list_empty(&o->waiters))
        return false;
    spin_lock(&ob_wait_lock);
    struct wait_block *b = first_waiting(o);
    bool handed = b && b->thread->wait->mode == WAIT_ANY;
    if (handed) {
        b->thread->wait->done = 1;
        handoffs++;
        if (b->node.next != &o->waiters)
            wake_and_walk(o, b);
        else
            sched_wake(b->thread, b->index);    /* it waits alone, as in a ping-pong */
    }
    spin_unlock(&ob_wait_lock);
    return handed;
}

void ob_set_handoff(bool on)
{
    handoff_on = on;
}

uint64_t ob_handoffs(void)
{
    return handoffs;
}

void ob_wait_cancel(struct ob *o, struct process *p, handle_t h)
{
    struct list_node *pos;

    spin_lock(&ob_wait_lock);
    LIST_FOR_EACH(pos, &o->waiters) {
        struct wait_block *b = LIST_ENTRY(pos, struct wait_block, node);
        struct wait_state *ws = b->thread->wait;
        if (b->handle == h && b->thread->process == p && ws && !ws->done) {
            ws->done = 1;
            sched_wake(b->thread, E_CANCELED);
        }
    }
    spin_unlock(&ob_wait_lock);
}
