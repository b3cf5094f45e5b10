/*
 * Signaling a dispatcher object by type, for signal-and-wait
 * (sys_signal_wait.c): an event is set, a semaphore released by one, a
 * mutex released by one level.  The one place that knows which types can
 * be signaled and with which right.
 */
#ifndef EMBER_SIGNAL_H
#define EMBER_SIGNAL_H

#include "kernel/abi/types.h"
#include "kernel/ob/object.h"

struct thread;

/* Whether objects of |type| can be signaled; the right that takes in |*right|. */
bool sync_signalable(const struct ob_type *type, rights_t *right);
/*
 * Signals |o| (of a signalable type) on behalf of |t|.  Fails before it
 * changes anything: E_LIMIT (a semaphore at its maximum), E_NOTOWNER (a
 * mutex |t| does not own).  0 on success.
 */
long sync_signal(struct ob *o, struct thread *t);

#endif
