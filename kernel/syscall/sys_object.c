/* sys_object.c: calls that work on any object: wait, close. */
#include "kernel/ob/handle.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

// long object_wait(handle_t object, long timeout_ns): 0 once signaled, or E_TIMEDOUT, E_CANCELED.
long sys_object_wait(const struct syscall_args *a)
{
    handle_t h = a->arg[0];
    uint64_t deadline;
    struct ob *o;
    long err = timeout_to_deadline((long)a->arg[1], &deadline);

    if (err < 0)
        return err;
    err = handle_get(current_process(), h, NULL, RIGHT_WAIT, &o);
    if (err < 0)
        return err;
    if (!o->type->is_signaled)
        err = E_WRONGTYPE;          /* files, for instance, are never signaled */
    else
        err = ob_wait(&o, &h, 1, WAIT_ANY, deadline);
    ob_unref(o);
    return err;
}

// long handle_close(handle_t handle): waits through this handle end with E_CANCELED.
long sys_handle_close(const struct syscall_args *a)
{
    struct process *p = current_process();
    struct handle_entry *e = handle_peek(p, a->arg[0]);

    if (!e)
        return E_BADHANDLE;
    ob_wait_cancel(e->object, p, a->arg[0]);
    return handle_close(p, a->arg[0]);
}
