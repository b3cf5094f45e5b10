/*
 * Processes: an address space, a handle table and threads.  A process is an
 * object: a handle to it can be waited on (signaled once it has ended and
 * been torn down), queried for its status and used to kill it.
 *
 * A process ends when its last thread exits, or when process_end is called
 * (exit, kill, a fault): the first reason is the one recorded, every thread
 * is told to die, and the last one out tears the process down in the order
 * of ARCHITECTURE.md section 4.
 */
#ifndef EMBER_PROCESS_H
#define EMBER_PROCESS_H

#include "kernel/abi/types.h"
#include "kernel/lib/list.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/object.h"
#include "kernel/sched/thread.h"

#define PROCESS_NAME_MAX    32

struct thread;
struct trap_frame;
struct io_space;

struct process {
    struct ob ob;                   /* first: a process is an object */
    uint64_t pid;
    uint64_t parent_pid;            /* 0 for the first process; a live process otherwise (orphans move up) */
    bool spawned;                   /* it started a process: without that it can have no children */
    char name[PROCESS_NAME_MAX];
    struct vm *vm;                  /* NULL once torn down */
    struct handle_table handles;
    struct list_node threads;       /* struct thread.proc_node */
    int nthreads;                   /* not yet exited */
    int torn_down;
    struct job *job;                /* the job it belongs to (job.h); holds a reference */
    struct list_node job_node;      /* job->processes, until it ends */
    struct job *spawn_job;          /* where its children go (job_set_spawn); NULL: its own job */
    bool pages_charged;             /* vm->committed is charged to job (from spawn to teardown) */
    int priority_ceiling;           /* no thread of it above this (sched.h); set by its creator */
    int traced;                     /* TRACE_* flags: print its calls, trace its children (syscall/trace.c) */
    struct process_status status;   /* state PROCESS_RUNNING until it ends */
    struct list_node all_node;      /* the list of every process */
    struct io_space *io;            /* I/O ports it enabled (kernel/drv/ioport.c), or NULL */
};

extern const struct ob_type process_type;

/* The process of the running thread; NULL while the idle thread runs. */
static inline struct process *current_process(void)
{
    return current_thread()->process;
}
/* Whether a new process can still get a pid (they never repeat). */
bool process_ids_left(void);
/* An empty process (address space, handle table, no threads) with one reference; NULL when out of memory or pids. */
struct process *process_create(const char *name);
void process_add_thread(struct process *p, struct thread *t);
/* Bookkeeping for an exiting thread of |p|; the last one tears the process down. */
void process_thread_exited(struct process *p, struct thread *t);
/* Charges |p|'s job for the pages its image and stack took: 0, E_QUOTA or E_NOMEM. */
long process_charge_pages(struct process *p);
/* Sets |p|'s priority ceiling to |ceiling|, lowering any thread above it. */
void process_set_ceiling(struct process *p, int ceiling);
/* Records why |p| ends (if it has no reason yet) and tells every thread to exit. */
void process_end(struct process *p, uint64_t state, int64_t code);
/* A ring-3 fault in the current thread: record it, end the process, never return. */
__attribute__((noreturn)) void process_fault(const struct trap_frame *f);
/* Hooks the trap path (trap.h) to processes: demand paging, and a ring-3 fault ends its process. */
void process_init(void);

/* What a process's teardown and its threads' exits call on a floor above proc; set at boot by their owners. */
struct process_hooks {
    /* Closes the I/O-port ranges |p| opened (ioport_init, kernel/drv/ioport.c) */
    void (*release_io)(struct process *p);
    /* Abandons the mutexes exiting thread |t| owns (mutex_objects_init, kernel/sync/mutex.c) */
    void (*abandon_mutexes)(struct thread *t);
};
extern struct process_hooks process_hooks;
/* The process with id |pid| that has not been torn down, or NULL (borrowed). */
struct process *process_find(uint64_t pid);
/* object_query's process classes (process_query.c). */
long process_query(struct ob *o, uint32_t info_class, struct query_out *q);
/* Calls |fn| for every process (for the ps tool), oldest first. */
void process_for_each(void (*fn)(struct process *p, void *ctx), void *ctx);

#endif
