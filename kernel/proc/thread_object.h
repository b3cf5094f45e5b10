/*
 * The thread as an object: what a handle to a thread reaches (waitable,
 * signaled when it exits), charged to its process's job.  The scheduler's
 * part of a thread is kernel/sched/thread.h; this is the floor above.
 */
#ifndef EMBER_THREAD_OBJECT_H
#define EMBER_THREAD_OBJECT_H

#include <stdint.h>
#include "kernel/lib/list.h"
#include "kernel/ob/object.h"
#include "kernel/sched/thread.h"

struct process;
struct query_out;

/* A user thread as an object: the object header, then the thread the scheduler runs. */
struct thread_object {
    struct ob ob;
    struct thread thread;
};

extern const struct ob_type thread_type;

/* The thread of thread object |o|. */
static inline struct thread *thread_of(struct ob *o)
{
    return &((struct thread_object *)o)->thread;
}

/* The object of user thread |t| (one with a process: the idle thread has none). */
static inline struct ob *thread_ob(struct thread *t)
{
    return &LIST_ENTRY(t, struct thread_object, thread)->ob;
}

/*
 * A new user thread of |p| that will enter ring 3 at |entry| with |stack|
 * and rdi = |arg|.  Returns it with one reference (the scheduler's, dropped
 * when it is reaped), not yet runnable: sched_start() makes it ready.  NULL
 * when out of memory or over its job's limits.
 */
struct thread *thread_create_user(struct process *p, uint64_t entry, uint64_t stack, uint64_t arg);
/* Undoes thread_create_user for a thread that never started. */
void thread_discard(struct thread *t);
/* object_query's OBJECT_INFO_THREAD (kernel/proc/process_query.c). */
long thread_query(struct ob *o, uint32_t info_class, struct query_out *q);
/* Registers the scheduler's thread hooks. */
void thread_objects_init(void);

#endif
