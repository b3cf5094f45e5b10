/*
 * Waiting on objects, written once for every waitable type.
 *
 * A thread waits on up to WAIT_MAX_OBJECTS objects, for any one of them or
 * for all at once.  It queues one wait block on each object; when an object
 * may have become signaled its code calls ob_signal, which walks the blocks
 * in arrival order and satisfies the waits it can, applying the type's side
 * effect (on_satisfied) as it does.  The check and the queueing happen
 * under ob_wait_lock (wait.c), and the kernel is not preemptible: no wakeup
 * can be lost.
 */
#ifndef EMBER_WAIT_H
#define EMBER_WAIT_H

#include <stdint.h>
#include "kernel/abi/types.h"
#include "kernel/ob/object.h"

#define WAIT_MAX_OBJECTS    64
#define WAIT_ANY            0
#define WAIT_ALL            1

struct process;

struct wait_block {
    struct list_node node;          /* in object->waiters */
    struct thread *thread;
    struct ob *object;
    handle_t handle;                /* through which it waits: closing it cancels the wait */
    int index;
};

struct wait_state {
    int count;
    int mode;                       /* WAIT_ANY or WAIT_ALL */
    int done;                       /* satisfied, timed out or canceled: skip it */
    struct wait_block blocks[WAIT_MAX_OBJECTS];
};

/*
 * Waits on |objs| (references held by the caller), reached through |handles|.
 * |deadline| is a tick, DEADLINE_NONE, or WAIT_POLL for "do not block".
 * Returns the satisfying index (WAIT_ANY) or 0 (WAIT_ALL), with
 * WAIT_ABANDONED_BIT added when an abandoned mutex was among what it got;
 * or E_TIMEDOUT, E_CANCELED (a handle closed, or the thread is being killed).
 */
#define WAIT_POLL           UINT64_MAX
#define WAIT_ABANDONED_BIT  (1L << 32)
long ob_wait(struct ob **objs, const handle_t *handles, int n, int mode, uint64_t deadline);
/* ob_wait on one object, the common case (object_wait, a pipe read or write, a port receive). */
long ob_wait_one(struct ob *o, handle_t h, uint64_t deadline);
/* Call when |o| may have become signaled. */
void ob_signal(struct ob *o);
/*
 * The hand-off, for a signaler whose change satisfies any one waiter of |o|
 * (it knows the side effect: an auto-reset event's set, one semaphore unit,
 * bytes in a pipe): if the first waiter waits for any object, it is
 * satisfied and woken now, without the type's hooks, and whoever waits
 * behind it gets ob_signal's walk.  Returns false, doing nothing, when the
 * first waits for all or nobody waits: then set the state and ob_signal.
 * Before the call the object's state must be what it is after the waiter's
 * side effect (the event still reset, the unit not yet added).
 */
bool ob_handoff(struct ob *o);
/* Hand-offs on or off (fastpath=off: every signal takes the walk, for the slowpath tests). */
void ob_set_handoff(bool on);
/* How many waits ob_handoff satisfied since boot (system_stats.wake_handoffs). */
uint64_t ob_handoffs(void);
/* Cancels waits of |p|'s threads that use handle |h| on |o| (the handle is closing). */
void ob_wait_cancel(struct ob *o, struct process *p, handle_t h);

#endif
