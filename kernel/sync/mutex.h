/*
 * Mutexes: owned by one thread at a time, recursively.  Waiting acquires;
 * mutex_release gives one level back.  A thread that dies holding one
 * abandons it: the next thread to get it is told so with E_ABANDONED.
 */
#ifndef EMBER_MUTEX_H
#define EMBER_MUTEX_H

#include "kernel/ob/object.h"

struct thread;

extern const struct ob_type mutex_type;

/* A new mutex (one reference), owned by |owner| when not NULL; NULL when out of memory. */
struct ob *mutex_create(struct thread *owner);
/* Releases one level of ownership: the depth before (>= 1), or E_NOTOWNER if |t| does not own it. */
long mutex_release(struct ob *o, struct thread *t);
/* Abandons every mutex |t| owns (it is exiting; through process_hooks.abandon_mutexes). */
void mutex_abandon_all(struct thread *t);
/* Registers mutex_abandon_all with the thread's exit (kernel/proc/thread_object.c). */
void mutex_objects_init(void);

#endif
