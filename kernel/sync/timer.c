/*
 * timer.c: the timer object (timer.h).
 *
 * The idea: armed timers wait in one list sorted by due tick, and the timer
 * interrupt (sched_tick calls timer_fire_due) fires those at the front whose
 * time has come: the flag goes up and ob_signal satisfies waiters as for an
 * event (an auto-reset timer's on_satisfied lowers it again, so one waiter
 * runs).  A periodic timer goes back into the list one period later; if the
 * machine fell behind by whole periods, the missed ones are skipped, not
 * fired in a burst.
 *
 * The list holds no reference: a timer leaves it when disarmed, when its
 * last handle closes (on_last_handle: nobody could set or cancel it any
 * more, and a dying process's periodic timer must stop) and at destroy.
 * Arming costs the list's length (a sorted insert); firing is O(1) per timer.
 *
 * Exports: timer_type, timer_object_create, timer_arm, timer_cancel,
 * timer_fire_due.
 *
 * Locking: timers_lock (a spinlock) guards |armed_timers| and every timer's
 * fields.  A timer is signaled (ob_signal) after the lock is dropped, since
 * the wait code calls back into timer_is_signaled; timer_fire_due holds a
 * reference meanwhile, as the list holds none.  The tick calls it with the
 * scheduler's lock dropped (kernel/sched/sched.c).
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/abi/types.h"
#include "kernel/arch/x86_64/spinlock.h"
#include "kernel/arch/x86_64/timer.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/query.h"
#include "kernel/ob/wait.h"
#include "kernel/sched/sched.h"
#include "kernel/sync/timer.h"

struct timer {
    struct ob ob;
    bool manual_reset;
    bool signaled;
    bool armed;                     /* in |armed_timers| */
    uint64_t due;                   /* tick of the next firing, while armed */
    uint64_t period;                /* ticks; 0: one-shot */
    struct list_node node;          /* in |armed_timers|, by due tick */
};

static struct list_node armed_timers = LIST_INIT(armed_timers);
static LOCK_CLASS(timers_class, "timers");
static struct spinlock timers_lock = SPINLOCK_INIT("timers", timers_class);

static struct timer *timer_of(struct ob *o)
{
    return (struct timer *)o;
}

static void disarm(struct timer *t)
{
    if (t->armed)
        list_remove(&t->node);
    t->armed = false;
}

/* Puts |t| into the list at its due tick, after the timers due at the same tick. */
static void enqueue(struct timer *t)
{
    /* LAB timers BEGIN stub: (void)t; */
    struct list_node *pos;

    LIST_FOR_EACH(pos, &armed_timers)
        if (LIST_ENTRY(pos, struct timer, node)->due > t->due)
            break;
    list_insert_before(pos, &t->node);
    t->armed = true;
    /* LAB timers END */
}

/* |t|'s time has come (tick |now|): raise it, and rearm it if periodic; the caller signals it. */
static void fire(struct timer *t, uint64_t now)
{
    /* LAB timers BEGIN stub: (void)t, (void)now; */
    disarm(t);
    if (t->period) {
        t->due += t->period;
        if (t->due <= now)
            t->due = now + t->period;   /* fell behind: skip the missed periods */
        enqueue(t);
    }
    t->signaled = true;
    /* LAB timers END */
}

/* The first armed timer if it is due at |now|, fired and with a new reference; else NULL. */
static struct timer *fire_first_due(uint64_t now)
{
    struct timer *t = NULL;

    spin_lock(&timers_lock);
    /* LAB timers BEGIN stub: (void)now; */
    if (!list_empty(&armed_timers) && LIST_ENTRY(armed_timers.next, struct timer, node)->due <= now) {
        t = LIST_ENTRY(armed_timers.next, struct timer, node);
        fire(t, now);
        ob_ref(&t->ob);
    }
    /* LAB timers END */
    spin_unlock(&timers_lock);
    return t;
}

void timer_objects_init(void)
{
    sched_hooks.tick = timer_fire_due;
}

void timer_fire_due(uint64_t now)
{
    for (struct timer *t; (t = fire_first_due(now)) != NULL;) {
        ob_signal(&t->ob);
        ob_unref(&t->ob);
    }
}

/* ---- the object -------------------------------------------------------------- */

static bool timer_is_signaled(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    return __atomic_load_n(&timer_of(o)->signaled, __ATOMIC_ACQUIRE);   /* a flag: read without the lock */
}

static long timer_on_satisfied(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    spin_lock(&timers_lock);
    /* LAB timers BEGIN stub: (void)o; */
    if (!timer_of(o)->manual_reset)
        timer_of(o)->signaled = false;
    /* LAB timers END */
    spin_unlock(&timers_lock);
    return 0;
}

static void timer_on_last_handle(struct ob *o)
{
    spin_lock(&timers_lock);
    disarm(timer_of(o));
    spin_unlock(&timers_lock);
}

static long timer_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    struct timer *t = timer_of(o);
    uint64_t now = timer_ticks();

    spin_lock(&timers_lock);
    struct timer_query_info info = {
        .manual_reset = t->manual_reset, .signaled = t->signaled, .armed = t->armed,
        .due_in_ns = t->armed && t->due > now ? (t->due - now) * NS_PER_TICK : 0,
        .period_ns = t->period * NS_PER_TICK,
    };
    spin_unlock(&timers_lock);
    return info_class == OBJECT_INFO_TIMER ? query_put(q, &info, sizeof info) : E_INVAL;
}

const struct ob_type timer_type = {
    .name = "timer",
    .code = OB_TYPE_TIMER,
    .tag = TAG("Timr"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO,
    .destroy = timer_on_last_handle,    /* one that never had a handle may be armed too */
    .on_last_handle = timer_on_last_handle,
    .is_signaled = timer_is_signaled,
    .on_satisfied = timer_on_satisfied,
    .query = timer_query,
};

struct ob *timer_object_create(unsigned long flags)
{
    struct timer *t = ob_create(&timer_type, sizeof *t);

    if (!t)
        return NULL;
    t->manual_reset = flags & TIMER_MANUAL_RESET;
    list_init(&t->node);
    return &t->ob;
}

void timer_arm(struct ob *o, uint64_t due_ticks, uint64_t period_ticks)
{
    struct timer *t = timer_of(o);
    uint64_t now = timer_ticks();

    spin_lock(&timers_lock);
    disarm(t);
    t->signaled = false;
    t->period = period_ticks;
    t->due = now + due_ticks;
    if (due_ticks == 0)
        fire(t, now);                   /* due at once: signaled before the call returns */
    else
        enqueue(t);
    spin_unlock(&timers_lock);
    if (due_ticks == 0)
        ob_signal(&t->ob);
}

bool timer_cancel(struct ob *o)
{
    spin_lock(&timers_lock);
    bool was = timer_of(o)->armed;
    disarm(timer_of(o));
    spin_unlock(&timers_lock);
    return was;
}
