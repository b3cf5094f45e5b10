/* Events: a signaled flag that threads wait for.  Manual reset or auto reset. */
#ifndef EMBER_EVENT_H
#define EMBER_EVENT_H

#include "kernel/ob/object.h"

extern const struct ob_type event_type;

/* A new event (one reference) with EVENT_* |flags|, or NULL when out of memory. */
struct ob *event_create(unsigned long flags);
/*
 * set: signaled; waiters run (manual reset: all of them, and it stays set;
 * auto reset: exactly one, and it resets).  reset: not signaled.  pulse:
 * releases the threads waiting right now as set would, then resets.  Each
 * returns the signaled state before the call (NT's PreviousState).
 */
bool event_set(struct ob *o);
bool event_reset(struct ob *o);
bool event_pulse(struct ob *o);

#endif
