/*
 * Timers: a waitable object that becomes signaled when its due time has
 * passed, once or every period; manual reset (stays signaled, releasing
 * every waiter) or auto reset (releases one waiter, then resets), as NT's
 * waitable timers.  So "this port or 500 ms" is one object_wait_many.
 */
#ifndef EMBER_SYNC_TIMER_H
#define EMBER_SYNC_TIMER_H

#include <stdint.h>
#include "kernel/ob/object.h"

extern const struct ob_type timer_type;

/* A new, unarmed, unsignaled timer (one reference) with TIMER_* |flags|; NULL when out of memory. */
struct ob *timer_object_create(unsigned long flags);
/*
 * Arms |o|: unsignaled now, signaled once |due_ticks| ticks from now (0: at
 * once), then every |period_ticks| ticks unless that is 0.  Replaces any
 * earlier arming.
 */
void timer_arm(struct ob *o, uint64_t due_ticks, uint64_t period_ticks);
/* Disarms |o|; its signaled state stays as it is.  Whether it was armed. */
bool timer_cancel(struct ob *o);
/* The timer tick (sched.c, through sched_hooks.tick): fires every timer due at tick |now|. */
void timer_fire_due(uint64_t now);
/* Registers timer_fire_due as the scheduler's tick hook. */
void timer_objects_init(void);

#endif
