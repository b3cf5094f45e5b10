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

/* Looks up the event |h| with RIGHT_SIGNAL and applies |op| to it. */
static long with_event(handle_t h, void (*op)(struct ob *o))
{
    struct ob *o;
    long err = handle_get(current_process(), h, &event_type, RIGHT_SIGNAL, &o);

    if (err < 0)
        return err;
    op(o);
    ob_unref(o);
    return 0;
}

// long event_set(handle_t event)
long sys_event_set(const struct syscall_args *a)
{
    return with_event(a->arg[0], event_set);
}

// long event_reset(handle_t event)
long sys_event_reset(const struct syscall_args *a)
{
    return with_event(a->arg[0], event_reset);
}

// long event_pulse(handle_t event)
long sys_event_pulse(const struct syscall_args *a)
{
    return with_event(a->arg[0], event_pulse);
}
