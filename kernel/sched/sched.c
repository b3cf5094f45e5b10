/*
 * sched.c: run queues, switching, blocking and timeouts (sched.h).
 *
 * Ready threads wait in one FIFO list per priority; a bit per non-empty list
 * finds the highest priority in one instruction.  Above the priorities a
 * program may use sit two levels only the scheduler fills: RUNQ_BOOSTED,
 * for a thread that has been ready for AGING_TICKS without running (aging,
 * as NT's balance-set manager does: it gets one slice, then its own
 * priority again), and RUNQ_DYING, for a killed thread, so it runs its exit
 * at once whatever its priority.  The tick ages only the front of each list
 * (the thread that has waited longest there): constant work per tick.  Blocked threads with a
 * timeout sit in a list sorted by deadline, which the timer tick checks from
 * the front.  A dead thread cannot free the stack it is running on, so it
 * leaves itself in |reap| and the next thread to run frees it.
 *
 * The direct switch (L4's): a thread woken while no ready thread stands at
 * its priority or above, and not above its waker's, is next in line by the
 * rules above, so it skips the run queue: it waits in |handoff| and, when
 * the waker blocks (a client calling a waiting server, a server replying
 * before its next receive, either side of a ping-pong), pick_next switches
 * straight to it.  Every other decision (a yield, a tick, a priority
 * change, a kill) first puts it where it would have been (handoff_flush),
 * so the fast path changes only the cost, never who runs.
 *
 * Locking: sched_lock (a spinlock) guards the run queues, |ready_mask|, the
 * timeout list, |handoff|, |reap| and the slice and aging state; every
 * exported function takes it, and the static ones expect it held.  As in
 * xv6, a switch happens with it held: schedule_locked picks the next thread
 * and switches, and the thread that runs next releases it first thing
 * (sched_finish_switch), so no other CPU can pick a thread that is still on
 * its way off this one.  Nothing else may be held across a switch (checked
 * in LOCKDEP builds).  It is taken inside the object and sleeping-lock
 * guards (a wake comes from under them), and the tick hook (the timer
 * objects) runs outside it.  The per-CPU scheduler (issue 15, item 3) splits it per CPU.
 */
#include "kernel/abi/errors.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/latency.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/spinlock.h"
#include "kernel/arch/x86_64/timer.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/lib/panic.h"
#include "kernel/mm/vm.h"
#include "kernel/sched/sched.h"
#include "kernel/sched/sleeplock.h"

void switch_context(uint64_t *save_ksp, uint64_t new_ksp);     /* context.S */
extern char boot_stack_top[];                                   /* boot/entry.S */

#define RUNQ_BOOSTED    PRIORITY_LEVELS         /* aged: ready too long behind higher threads */
#define RUNQ_DYING      (PRIORITY_LEVELS + 1)   /* killed: runs its exit before anything else */
#define RUNQ_LEVELS     (PRIORITY_LEVELS + 2)
#define AGING_TICKS     SLICE_TICKS             /* ready this long without running: boosted */
#define BOOST_INTERVAL  (2 * SLICE_TICKS)       /* at most one boost this often */
#define USER_LEVELS     ((1u << PRIORITY_LEVELS) - 1)

struct sched_hooks sched_hooks;

static LOCK_CLASS(sched_class, "sched");
static struct spinlock sched_lock = SPINLOCK_INIT("sched", sched_class);     /* all of the below */
static struct list_node runq[RUNQ_LEVELS];
static uint32_t ready_mask;                 /* bit p: runq[p] is not empty */
static struct list_node timeouts = LIST_INIT(timeouts);
static struct thread idle_thread;
#define running (cpu_local.current)
static struct thread *reap;                 /* dead, stack not yet freed */
static int slice_left;
static int running_level;                   /* the run queue the running thread came from */
static uint64_t last_boost;                 /* the tick of the last aging boost */
static int need_resched;
static struct thread *handoff;              /* woken, next in line, in no run queue */
static bool direct_switch = true;           /* off: every wake goes through the run queue */
static uint64_t direct_switches;            /* taken, since boot (system_stats: tests see the path) */

/* Keeps cpu_local.return_work, the one flag the syscall exit path tests, up to date. */
static void update_return_work(void)
{
    cpu_local.return_work = need_resched | running->kill_pending |
                            (running->traced && (*running->traced & TRACE_CALLS));
}

void sched_request_resched(void)
{
    need_resched = 1;
    update_return_work();
}

void sched_refresh_return_work(void)
{
    update_return_work();
}

static int highest(uint32_t mask)
{
    return 31 - __builtin_clz(mask);
}

static void enqueue_at(struct thread *t, int level)
{
    t->state = THREAD_READY;
    t->runq_level = level;
    t->ready_since = timer_ticks();
    list_push_back(&runq[level], &t->run_node);
    ready_mask |= 1u << level;
}

static void enqueue(struct thread *t)
{
    enqueue_at(t, t->kill_pending ? RUNQ_DYING : t->priority);
}

static void dequeue(struct thread *t)
{
    list_remove(&t->run_node);
    if (list_empty(&runq[t->runq_level]))
        ready_mask &= ~(1u << t->runq_level);
}

/*
 * The handoff thread goes to its run queue, at the front: nothing there was
 * ready when it woke, so whatever came since is behind it.
 */
static void handoff_flush(void)
{
    struct thread *t = handoff;

    if (!t)
        return;
    handoff = NULL;
    t->runq_level = t->kill_pending ? RUNQ_DYING : t->priority;
    list_insert_before(runq[t->runq_level].next, &t->run_node);
    ready_mask |= 1u << t->runq_level;
}

/* Whether waking |t| can skip the run queue: it would be next in line, and no preemption. */
static bool handoff_fits(const struct thread *t)
{
    return direct_switch && !handoff && running != &idle_thread && !t->kill_pending &&
           t->priority <= running->priority && !(ready_mask >> t->priority);
}

static struct thread *pick_next(void)
{
    if (handoff && !(ready_mask >> (handoff->priority + 1))) {
        struct thread *t = handoff;     /* the direct switch: still first in line */
        handoff = NULL;
        direct_switches++;
        return t;
    }
    handoff_flush();
    if (!ready_mask)
        return &idle_thread;
    struct thread *t = LIST_ENTRY(runq[highest(ready_mask)].next, struct thread, run_node);
    dequeue(t);
    return t;
}

/*
 * Aging: the thread at the front of each list below the highest busy
 * priority has waited there longest; the one of those that has waited
 * longest, once that is AGING_TICKS, moves to RUNQ_BOOSTED and preempts the
 * running thread at its next return to ring 3.  The running thread counts
 * at the level it was picked from, so while a boosted one runs every user
 * priority is "below" and may be aged too.  At most one boost per
 * BOOST_INTERVAL (two slices): with many low threads ready, boosting one per
 * level per tick handed them the CPU for good and starved the higher ones;
 * this way at most half the CPU goes to boosted threads.
 */
static void age_ready_threads(uint64_t now)
{
    handoff_flush();                    /* it ages like any ready thread */
    /* LAB scheduler BEGIN stub: (void)now; (void)last_boost; */
    int level = running_level > PRIORITY_MAX ? running_level : running->priority;
    uint32_t busy = (ready_mask & USER_LEVELS) | 1u << level;
    int top = highest(busy) > PRIORITY_MAX ? PRIORITY_LEVELS : highest(busy);
    struct thread *oldest = NULL;

    if (now - last_boost < BOOST_INTERVAL)
        return;
    for (int p = 0; p < top; p++) {
        if (!(ready_mask & (1u << p)))
            continue;
        struct thread *t = LIST_ENTRY(runq[p].next, struct thread, run_node);
        if (now - t->ready_since >= AGING_TICKS && (!oldest || t->ready_since < oldest->ready_since))
            oldest = t;
    }
    if (!oldest)
        return;
    dequeue(oldest);
    enqueue_at(oldest, RUNQ_BOOSTED);
    last_boost = now;
    sched_request_resched();
    /* LAB scheduler END */
}

static void switch_to(struct thread *next)
{
    struct thread *prev = running;

    next->state = THREAD_RUNNING;
    running_level = next == &idle_thread ? 0 : next->runq_level;
    slice_left = SLICE_TICKS;
    if (next == prev) {
        spin_unlock(&sched_lock);
        return;
    }
    if (LOCKDEP && cpu_this()->irq_depth != 1)
        panic("sched: switching away with %d spinlocks held", cpu_this()->irq_depth);
    running = next;
    cpu_local.kernel_rsp = next->kstack_top;
    tss_set_kernel_stack(next->kstack_top);
    if (next->process)
        sched_hooks.switch_process(next->process);  /* its I/O bitmap, or none: one store */
    if (next->vm && next->vm->root != read_cr3())
        write_cr3(next->vm->root);             /* the idle thread borrows any address space */
    fpu_save(prev->fpu);
    fpu_restore(next->fpu);
    user_segments_switch(&prev->segments, &next->segments);
    switch_context(&prev->ksp, next->ksp);
    sched_finish_switch();
}

void sched_finish_switch(void)
{
    spin_unlock(&sched_lock);       /* taken by the thread that switched here (schedule_locked) */
    update_return_work();           /* for the thread now running: here, since a new thread never returns into switch_to */
    if (reap && reap != running) {
        struct thread *t = reap;
        reap = NULL;
        sched_hooks.thread_reap(t); /* its stack, and the scheduler's reference */
    }
}

/* With sched_lock held: switches to the next thread; returns, once this one runs again, with it released. */
static void schedule_locked(void)
{
    if (running->state == THREAD_DEAD)
        reap = running;
    switch_to(pick_next());
}

void schedule(void)
{
    spin_lock(&sched_lock);
    schedule_locked();
}

static void start_locked(struct thread *t)
{
    enqueue(t);
    if (t->runq_level > running->priority)
        sched_request_resched();
}

void sched_start(struct thread *t)
{
    spin_lock(&sched_lock);
    start_locked(t);
    spin_unlock(&sched_lock);
}

void sched_hurry(struct thread *t)
{
    spin_lock(&sched_lock);
    handoff_flush();
    if (t->state == THREAD_READY && t->runq_level != RUNQ_DYING) {
        dequeue(t);
        enqueue(t);
    }
    sched_request_resched();
    spin_unlock(&sched_lock);
}

void sched_yield(void)
{
    spin_lock(&sched_lock);
    handoff_flush();
    need_resched = 0;
    update_return_work();
    if (running == &idle_thread) {
        schedule_locked();
        return;
    }
    /* Only threads of the same or a higher priority can take over. */
    if (ready_mask >> running->priority) {
        enqueue(running);
        schedule_locked();
        return;
    }
    spin_unlock(&sched_lock);
}

void sched_set_priority(struct thread *t, int priority)
{
    spin_lock(&sched_lock);
    handoff_flush();
    bool move = t->state == THREAD_READY && t->runq_level == t->priority;  /* not boosted or dying */

    if (move)
        dequeue(t);
    t->priority = priority;
    if (move)
        enqueue(t);
    if (ready_mask >> (running->priority + 1))
        sched_request_resched();        /* someone now outranks the running thread */
    spin_unlock(&sched_lock);
}

long sched_block(uint64_t deadline)
{
    struct thread *t = running;

    ASSERT(t != &idle_thread);
    if (t->kill_pending)
        return E_CANCELED;          /* killed after its last wakeup: never block again, go and die */
    spin_lock(&sched_lock);
    t->state = THREAD_BLOCKED;
    t->deadline = deadline;
    if (deadline != DEADLINE_NONE) {
        struct list_node *pos;
        LIST_FOR_EACH(pos, &timeouts)
            if (LIST_ENTRY(pos, struct thread, timer_node)->deadline > deadline)
                break;
        list_insert_before(pos, &t->timer_node);
    }
    schedule_locked();
    return t->wake_result;
}

static bool wake_locked(struct thread *t, long result)
{
    if (t->state != THREAD_BLOCKED)
        return false;
    t->wake_result = result;
    list_remove(&t->timer_node);
    if (handoff_fits(t)) {
        t->state = THREAD_READY;
        t->ready_since = timer_ticks();
        handoff = t;
    } else {
        start_locked(t);
    }
    return true;
}

bool sched_wake(struct thread *t, long result)
{
    spin_lock(&sched_lock);
    bool woke = wake_locked(t, result);
    spin_unlock(&sched_lock);
    return woke;
}

uint64_t sched_deadline_after(uint64_t ns)
{
    return timer_ticks() + (ns + NS_PER_TICK - 1) / NS_PER_TICK + 1;   /* +1: the current tick is partly gone */
}

/*
 * The timer interrupt: expire timeouts, and end the slice of a thread that
 * has had its turn.  Timer objects fire with sched_lock dropped: firing one
 * signals it, and a signal wakes threads (which takes sched_lock).
 */
static void sched_tick(void)
{
    uint64_t now = timer_ticks();

    spin_lock(&sched_lock);
    while (!list_empty(&timeouts)) {
        struct thread *t = LIST_ENTRY(timeouts.next, struct thread, timer_node);
        if (t->deadline > now)
            break;
        wake_locked(t, E_TIMEDOUT);
    }
    age_ready_threads(now);
    if (running == &idle_thread || --slice_left <= 0)
        sched_request_resched();
    spin_unlock(&sched_lock);
    if (sched_hooks.tick)
        sched_hooks.tick(now);          /* timer objects (kernel/sync/timer.c) */
}

void sched_return_to_user(void)
{
    for (;;) {
        if (running->kill_pending)
            thread_exit(running->exit_code);
        if (!need_resched)
            return;
        sched_yield();
    }
}

/* What the CPU does when nothing is ready: sleep until an interrupt readies something. */
static __attribute__((noreturn)) void idle_loop(void)
{
    for (;;) {
        if (ready_mask) {
            sched_yield();
        } else {
            latency_leave();
            cpu_idle_halt();         /* counts as idle in cpu_count_tick */
        }
        irq_disable();
    }
}

void sched_first_leave(void)
{
    latency_leave();
}

bool sched_preempt_point(void)
{
    uint32_t cause = cpu_local.stretch_cause;

    latency_leave();
    irq_enable();
    __asm__ volatile("nop" : : : "memory");    /* sti takes effect after one instruction */
    irq_disable();
    latency_enter(cause);
    if (need_resched && !running->kill_pending)
        sched_yield();
    return running->kill_pending;
}

void sched_init(void)
{
    for (int p = 0; p < RUNQ_LEVELS; p++)
        list_init(&runq[p]);
    trap_hooks.return_to_user = sched_return_to_user;
    running = &idle_thread;
    /* The boot thread, on the boot stack, is the idle thread from now on. */
    idle_thread.state = THREAD_RUNNING;
    idle_thread.kstack_top = (uint64_t)boot_stack_top;
    list_init(&idle_thread.owned_mutexes);
    fpu_save(idle_thread.fpu);
    timer_set_tick_hook(sched_tick);
    sleeplock_setup();                  /* the validator sees each thread's sleeping locks */
}

/* The boot thread becomes the idle thread: kernel_main ends here. */
void sched_run(void)
{
    idle_loop();
}

void sched_set_direct_switch(bool on)
{
    spin_lock(&sched_lock);
    handoff_flush();
    direct_switch = on;
    spin_unlock(&sched_lock);
}

uint64_t sched_direct_switches(void)
{
    return direct_switches;
}

bool sched_direct_switch_on(void)
{
    return direct_switch;
}

struct thread *sched_idle_thread(void)
{
    return &idle_thread;
}
