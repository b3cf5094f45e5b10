/* sys_mutex.c: mutex calls: create, release (acquiring is waiting on it). */
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/sync/mutex.h"
#include "kernel/syscall/create.h"

#define MUTEX_FLAGS (MUTEX_OWNED | CREATE_NAMED_FLAGS)

static struct ob *make_mutex(void *flags)
{
    return mutex_create(*(unsigned long *)flags & MUTEX_OWNED ? current_thread() : NULL);
}

// long mutex_create(unsigned long flags, const char *name)
long sys_mutex_create(const struct syscall_args *a)
{
    unsigned long flags = a->arg[0];

    if (flags & ~(unsigned long)MUTEX_FLAGS)
        return E_INVAL;
    return create_object(&mutex_type, user_ptr_of(a->arg[1]), flags, make_mutex, &flags);
}

// long mutex_release(handle_t mutex): 0, or E_NOTOWNER unless the calling thread owns it.
long sys_mutex_release(const struct syscall_args *a)
{
    struct ob *o;
    long err = handle_get(current_process(), a->arg[0], &mutex_type, 0, &o);

    if (err < 0)
        return err;
    err = mutex_release(o, current_thread());
    ob_unref(o);
    return err < 0 ? err : 0;
}

// long mutex_release_previous(handle_t mutex, long *previous)
// As mutex_release; *previous gets the recursion depth before (1: now free).
// The output is probed first, so E_FAULT releases nothing.
long sys_mutex_release_previous(const struct syscall_args *a)
{
    user_ptr previous = user_ptr_of(a->arg[1]);
    struct ob *o;
    long depth, err = out_probe(previous, sizeof depth);

    if (err == 0)
        err = handle_get(current_process(), a->arg[0], &mutex_type, 0, &o);
    if (err < 0)
        return err;
    depth = mutex_release(o, current_thread());
    ob_unref(o);
    return depth < 0 ? depth : copy_to_user(previous, &depth, sizeof depth);
}
