/*
 * sys_object.c: calls that work on any object: wait on one or many.  The
 * calls on handles themselves are in sys_handle.c, on names in
 * sys_namespace.c.
 */
#include "kernel/lib/string.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/namespace.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

#define INDEX_MASK 0xffffffffL

/*
 * Looks up one handle to wait on, keeping handle_get's error order with
 * "waitable" as the type: E_BADHANDLE, then E_WRONGTYPE (files, for
 * instance, are never signaled), then E_ACCESS without RIGHT_WAIT.
 * Inlined: it is half of object_wait, which a ping-pong calls every round.
 */
static inline __attribute__((always_inline)) long get_waitable(struct process *p, handle_t h,
                                                               struct ob **out)
{
    struct handle_entry *e = handle_peek(p, h);     /* one lookup for the object and its rights */

    if (!e)
        return E_BADHANDLE;
    if (!e->object->type->is_signaled)
        return E_WRONGTYPE;
    if (!(e->rights & RIGHT_WAIT))
        return E_ACCESS;
    ob_ref(e->object);
    *out = e->object;
    return 0;
}

/* Looks up |n| waitable handles; on failure drops what it took. */
static long get_waitables(const handle_t *hs, int n, struct ob **objs)
{
    for (int i = 0; i < n; i++) {
        long err = get_waitable(current_process(), hs[i], &objs[i]);
        if (err < 0) {
            while (i--)
                ob_unref(objs[i]);
            return err;
        }
    }
    return 0;
}

/* Whether an object is in |objs| twice: one pass, marking each (ob_mark). */
static int has_duplicates(struct ob **objs, int n)
{
    uint64_t pass = ob_mark_pass();

    for (int i = 0; i < n; i++)
        if (!ob_mark(objs[i], pass))
            return 1;
    return 0;
}

/* Waits, then turns ob_wait's result into the user's: index or E_*; the index also in |*index|. */
static long wait_handles(const handle_t *hs, int n, int mode, long timeout, long *index)
{
    struct ob *objs[WAIT_MAX_OBJECTS];
    uint64_t deadline;
    long r = timeout_to_deadline(timeout, &deadline);

    if (r == 0)
        r = get_waitables(hs, n, objs);
    if (r < 0)
        return r;
    /* Waiting for "all" of one object twice would take it twice: refuse, as NT does. */
    r = mode == WAIT_ALL && has_duplicates(objs, n) ? E_INVAL : ob_wait(objs, hs, n, mode, deadline);
    for (int i = 0; i < n; i++)
        ob_unref(objs[i]);
    if (r < 0)
        return r;
    *index = r & INDEX_MASK;
    return r & WAIT_ABANDONED_BIT ? E_ABANDONED : *index;
}

// long object_wait(handle_t object, long timeout_ns)
// 0 once signaled, or E_TIMEDOUT, E_CANCELED, E_ABANDONED (a mutex: now owned).
long sys_object_wait(const struct syscall_args *a)
{
    handle_t h = a->arg[0];
    uint64_t deadline;
    struct ob *o = NULL;            /* set by get_waitable when it returns 0 */
    long r = timeout_to_deadline((long)a->arg[1], &deadline);

    if (r == 0)                         /* wait_handles' steps, for one: no loops, no index */
        r = get_waitable(current_process(), h, &o);
    if (r < 0)
        return r;
    r = ob_wait_one(o, h, deadline);
    ob_unref(o);
    return r < 0 ? r : r & WAIT_ABANDONED_BIT ? E_ABANDONED : 0;
}

// long object_wait_many(const handle_t *handles, size_t count, unsigned long flags, long timeout_ns, long *index)
// Any: the lowest signaled index.  WAIT_FOR_ALL: 0 once all are signaled at once.
// E_ABANDONED also stores the index in |*index| (when not NULL).
long sys_object_wait_many(const struct syscall_args *a)
{
    handle_t hs[WAIT_MAX_OBJECTS];
    size_t n = a->arg[1];
    long index = -1;

    if (n == 0 || n > WAIT_MAX_OBJECTS || (a->arg[2] & ~(uint64_t)WAIT_FOR_ALL))
        return E_INVAL;
    if (copy_from_user(hs, user_ptr_of(a->arg[0]), n * sizeof hs[0]) < 0)
        return E_FAULT;
    long r = wait_handles(hs, (int)n, a->arg[2] & WAIT_FOR_ALL ? WAIT_ALL : WAIT_ANY,
                          (long)a->arg[3], &index);
    if (index >= 0 && a->arg[4] && copy_to_user(user_ptr_of(a->arg[4]), &index, sizeof index) < 0)
        return E_FAULT;                 /* the wait happened; only the report is lost */
    return r;
}
