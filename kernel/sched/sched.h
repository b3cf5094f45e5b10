/*
 * The scheduler: preemptive, PRIORITY_LEVELS priorities, round-robin within
 * a priority, an idle thread when nothing is ready; a thread ready too long
 * is boosted for a slice (aging), and a killed one runs first.
 *
 * Ember runs threads on one CPU and its kernel is not preemptible:
 * interrupts are off whenever the CPU is in the kernel, except in the idle
 * loop.  A thread leaves the CPU only by blocking, yielding, exiting, or
 * being preempted by the timer while in ring 3.  So checking a condition and
 * then blocking cannot lose a wakeup: no interrupt or other thread can run in
 * between.  The scheduler's own data is guarded by sched_lock (sched.c), held
 * across a switch; docs/14-smp.md, "The lock list", gives every lock's order.
 */
#ifndef EMBER_SCHED_H
#define EMBER_SCHED_H

#include <stdint.h>
#include "kernel/sched/thread.h"

#define DEADLINE_NONE   0
#define SLICE_TICKS     2           /* round-robin quantum: 20 ms */

struct process;

/*
 * What the scheduler calls but cannot name, since it lives on a floor above
 * sched (docs/00-design.md, section 1): each set once at boot by its owner.
 */
struct sched_hooks {
    /* A switch to a thread of |p|: its I/O-port bitmap (ioport_init, kernel/drv/ioport.c) */
    void (*switch_process)(struct process *p);
    /* Each tick, after the timeouts: the timer objects due by tick |now| (kernel/sync/timer.c) */
    void (*tick)(uint64_t now);
    /* The current thread |t| is exiting: its mutexes, process and waiters (proc/thread_object.c) */
    void (*thread_exit)(struct thread *t);
    /* A dead |t| is off its stack for good: free the stack, drop the scheduler's reference (same) */
    void (*thread_reap)(struct thread *t);
};
extern struct sched_hooks sched_hooks;

void sched_init(void);
/* Makes a new or woken thread runnable. */
void sched_start(struct thread *t);
/* Runs the next ready thread (or idle) if it should replace the current one. */
void sched_yield(void);
/* A killed |t| goes to the front of the line, so it runs its exit at once. */
void sched_hurry(struct thread *t);
/* Changes |t|'s priority (0..PRIORITY_LEVELS-1), requeueing it if it is ready. */
void sched_set_priority(struct thread *t, int priority);
/* Gives the CPU away now: the current thread has blocked or died. */
void schedule(void);
/*
 * Blocks the current thread until sched_wake or |deadline| (a tick count,
 * DEADLINE_NONE for never).  Returns the waker's result, or E_TIMEDOUT; or
 * E_CANCELED at once, without blocking, when the thread is being killed.
 */
long sched_block(uint64_t deadline);
/* Wakes |t| if it is blocked; sched_block returns |result|.  Returns whether it was blocked. */
bool sched_wake(struct thread *t, long result);
/* The tick at which |ns| nanoseconds from now have passed (rounded up). */
uint64_t sched_deadline_after(uint64_t ns);
/* Called after every switch, on the new thread's stack (reaps a dead thread). */
void sched_finish_switch(void);
/* The boot thread turns into the idle thread and starts scheduling.  Never returns. */
__attribute__((noreturn)) void sched_run(void);
struct thread *sched_idle_thread(void);
/* How many direct switches (a woken thread run without its run queue) since boot. */
uint64_t sched_direct_switches(void);
bool sched_direct_switch_on(void);
/* The direct switch on or off (boot option fastpath=off: the tests run the slow path alone). */
void sched_set_direct_switch(bool on);
/* Asks for a reschedule at the next return towards ring 3. */
void sched_request_resched(void);
/* Recomputes the return-work flag after something it depends on changed (tracing). */
void sched_refresh_return_work(void);
/* At every return towards ring 3: honour a pending preemption or kill. */
void sched_return_to_user(void);
/* A new thread's first return to ring 3 ends the stretch that switched to it (latency.h). */
void sched_first_leave(void);
/*
 * A safe point in a long kernel operation (no kernel data half-changed, no
 * reference the caller cannot keep): lets pending interrupts in and, if a
 * reschedule is due, other threads run.  Returns true when the current
 * thread is being killed: the caller should stop and return.
 */
bool sched_preempt_point(void);

#endif
