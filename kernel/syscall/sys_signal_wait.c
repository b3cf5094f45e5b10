/*
 * sys_signal_wait.c: object_signal_wait, NT's NtSignalAndWaitForSingleObject:
 * signal one object and wait on another as one step.
 *
 * Why one call: a thread that sets an event and then waits on another with
 * two calls can be preempted in between, and the thread it woke may signal
 * back before the waiter is queued; as one call, nobody runs between the
 * signal and the queueing (the kernel is not preemptible: chapter 4,
 * "Waiting").  Everything that can fail is checked first: both handles
 * (type, rights), the timeout, and the signal itself (a full semaphore is
 * E_LIMIT, a mutex not owned E_NOTOWNER), so a failed call changes nothing.
 * Once signaled, the signal stands, whatever the wait returns.
 */
#include "kernel/ob/handle.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"
#include "kernel/sync/signal.h"
#include "kernel/syscall/syscall.h"

/* Whether objects of |type| can be waited on; the right that takes. */
static bool waitable(const struct ob_type *type, rights_t *right)
{
    *right = RIGHT_WAIT;
    return type->is_signaled != NULL;
}

/*
 * Looks up |h| for a use that |usable| accepts: handle_get's errors in its
 * order, E_BADHANDLE, E_WRONGTYPE (not usable so), E_ACCESS (not the right).
 */
static long get_for(struct process *p, handle_t h, bool (*usable)(const struct ob_type *, rights_t *),
                    struct ob **out)
{
    rights_t right;
    long err = handle_get(p, h, NULL, 0, out);

    if (err < 0)
        return err;
    if (!usable((*out)->type, &right))
        err = E_WRONGTYPE;
    else if ((handle_rights(p, h) & right) != right)
        err = E_ACCESS;
    if (err < 0)
        ob_unref(*out);
    return err;
}

// long object_signal_wait(handle_t event, handle_t object, long timeout_ns)
// Signals |event| (an event: set; a semaphore: release 1; a mutex: release
// one level), then waits on |object| as object_wait does: 0, E_TIMEDOUT,
// E_CANCELED, E_ABANDONED.  Fails with nothing signaled: the handles' errors,
// E_INVAL (timeout), E_LIMIT (a semaphore at its maximum), E_NOTOWNER.
long sys_object_signal_wait(const struct syscall_args *a)
{
    struct process *self = current_process();
    handle_t wait_handle = a->arg[1];
    struct ob *s, *w;
    uint64_t deadline;
    long r = timeout_to_deadline((long)a->arg[2], &deadline);

    if (r == 0)
        r = get_for(self, a->arg[0], sync_signalable, &s);
    if (r < 0)
        return r;
    r = get_for(self, wait_handle, waitable, &w);
    if (r == 0) {
        r = sync_signal(s, current_thread());
        if (r == 0)
            r = ob_wait(&w, &wait_handle, 1, WAIT_ANY, deadline);
        ob_unref(w);
    }
    ob_unref(s);
    return r < 0 ? r : (r & WAIT_ABANDONED_BIT ? E_ABANDONED : 0);
}
