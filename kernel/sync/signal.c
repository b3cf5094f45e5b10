/*
 * signal.c: signaling an event, a semaphore or a mutex through one entry
 * point (signal.h), so that object_signal_wait needs no switch of its own.
 * Each type's own call already fails before it changes anything (a full
 * semaphore, a mutex not owned), which is what makes signal-and-wait
 * all-or-nothing up to the wait.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/sync/event.h"
#include "kernel/sync/mutex.h"
#include "kernel/sync/semaphore.h"
#include "kernel/sync/signal.h"

bool sync_signalable(const struct ob_type *type, rights_t *right)
{
    *right = type == &mutex_type ? 0 : RIGHT_SIGNAL;   /* owning a mutex is the check */
    return type == &event_type || type == &semaphore_type || type == &mutex_type;
}

long sync_signal(struct ob *o, struct thread *t)
{
    long r;

    if (o->type == &event_type) {
        event_set(o);
        return 0;
    }
    r = o->type == &semaphore_type ? semaphore_release(o, 1) : mutex_release(o, t);
    return r < 0 ? r : 0;
}
