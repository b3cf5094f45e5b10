/* sys_timer.c: timer calls: create, set, cancel (waiting is object_wait's). */
#include "kernel/arch/x86_64/timer.h"
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/sync/timer.h"
#include "kernel/syscall/create.h"

#define TIMER_FLAGS (TIMER_MANUAL_RESET | CREATE_OPEN_EXISTING)

static struct ob *make_timer(void *flags)
{
    return timer_object_create(*(unsigned long *)flags);
}

// long timer_create(unsigned long flags, const char *name): unarmed, not signaled.
long sys_timer_create(const struct syscall_args *a)
{
    unsigned long flags = a->arg[0];

    if (flags & ~(unsigned long)TIMER_FLAGS)
        return E_INVAL;
    return create_object(&timer_type, user_ptr_of(a->arg[1]), flags, make_timer, &flags);
}

/* Whole ticks covering |ns| (> 0). */
static uint64_t ticks_for(uint64_t ns)
{
    return (ns + NS_PER_TICK - 1) / NS_PER_TICK;
}

/* Looks up the timer |h| with RIGHT_SIGNAL. */
static long get_timer(handle_t h, struct ob **out)
{
    return handle_get(current_process(), h, &timer_type, RIGHT_SIGNAL, out);
}

// long timer_set(handle_t timer, long due_ns, long period_ns)
// Arms |timer|: not signaled now; signaled at least |due_ns| from now (0: at
// once), then every |period_ns| (0: once).  E_INVAL for a negative time.
long sys_timer_set(const struct syscall_args *a)
{
    int64_t due = (int64_t)a->arg[1], period = (int64_t)a->arg[2];
    struct ob *o;

    if (due < 0 || period < 0)
        return E_INVAL;
    long err = get_timer(a->arg[0], &o);
    if (err < 0)
        return err;
    /* +1 tick: the current one is partly gone, and "at least |due_ns|" is the promise. */
    timer_arm(o, due ? ticks_for((uint64_t)due) + 1 : 0, period ? ticks_for((uint64_t)period) : 0);
    ob_unref(o);
    return 0;
}

// long timer_cancel(handle_t timer): disarms it; 1 if it was armed, else 0.
long sys_timer_cancel(const struct syscall_args *a)
{
    struct ob *o;
    long err = get_timer(a->arg[0], &o);

    if (err < 0)
        return err;
    err = timer_cancel(o);
    ob_unref(o);
    return err;
}
