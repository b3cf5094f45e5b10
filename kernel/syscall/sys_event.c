/* sys_event.c: event calls: create, set, reset, pulse. */
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/sync/event.h"
#include "kernel/syscall/create.h"

#define EVENT_FLAGS (EVENT_MANUAL_RESET | EVENT_SIGNALED | CREATE_NAMED_FLAGS)

static struct ob *make_event(void *flags)
{
    return event_create(*(unsigned long *)flags);
}

// long event_create(unsigned long flags, const char *name)
long sys_event_create(const struct syscall_args *a)
{
    unsigned long flags = a->arg[0];

    if (flags & ~(unsigned long)EVENT_FLAGS)
        return E_INVAL;
    return create_object(&event_type, user_ptr_of(a->arg[1]), flags, make_event, &flags);
}

typedef bool event_op(struct ob *o);

/*
 * Looks up the event |h| with RIGHT_SIGNAL and applies |op| to it; when
 * |previous| is not NULL (a *_previous call) the state before goes there,
 * as 0 or 1.  The output is probed first, so E_FAULT changes nothing.
 * Inlined into each handler, where |op| and |previous| are constants: an
 * event_set, half of every ping-pong round, pays for no indirect call.
 */
static inline __attribute__((always_inline)) long with_event(handle_t h, event_op *op, const user_ptr *previous)
{
    struct ob *o;
    long before, err = previous ? out_probe(*previous, sizeof before) : 0;

    if (err == 0)
        err = handle_get(current_process(), h, &event_type, RIGHT_SIGNAL, &o);
    if (err < 0)
        return err;
    before = op(o);
    ob_unref(o);
    return previous ? copy_to_user(*previous, &before, sizeof before) : 0;
}

// long event_set(handle_t event)
long sys_event_set(const struct syscall_args *a)
{
    return with_event(a->arg[0], event_set, NULL);
}

// long event_reset(handle_t event)
long sys_event_reset(const struct syscall_args *a)
{
    return with_event(a->arg[0], event_reset, NULL);
}

// long event_pulse(handle_t event)
long sys_event_pulse(const struct syscall_args *a)
{
    return with_event(a->arg[0], event_pulse, NULL);
}

// long event_set_previous(handle_t event, long *previous)
// As event_set; *previous gets 1 if the event was set before, else 0 (NtSetEvent's PreviousState).
long sys_event_set_previous(const struct syscall_args *a)
{
    user_ptr previous = user_ptr_of(a->arg[1]);

    return with_event(a->arg[0], event_set, &previous);
}

// long event_reset_previous(handle_t event, long *previous): as event_reset, with the state before.
long sys_event_reset_previous(const struct syscall_args *a)
{
    user_ptr previous = user_ptr_of(a->arg[1]);

    return with_event(a->arg[0], event_reset, &previous);
}

// long event_pulse_previous(handle_t event, long *previous): as event_pulse, with the state before.
long sys_event_pulse_previous(const struct syscall_args *a)
{
    user_ptr previous = user_ptr_of(a->arg[1]);

    return with_event(a->arg[0], event_pulse, &previous);
}
