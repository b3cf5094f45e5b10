/* sys_semaphore.c: semaphore calls: create, release (taking one is waiting on it). */
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/sync/semaphore.h"
#include "kernel/syscall/create.h"

struct limits {
    int64_t initial, maximum;
};

static struct ob *make_semaphore(void *ctx)
{
    struct limits *l = ctx;
    return semaphore_create(l->initial, l->maximum);
}

// long semaphore_create(long initial, long maximum, unsigned long flags, const char *name)
long sys_semaphore_create(const struct syscall_args *a)
{
    struct limits l = { (int64_t)a->arg[0], (int64_t)a->arg[1] };

    if (l.maximum < 1 || l.initial < 0 || l.initial > l.maximum ||
        (a->arg[2] & ~(uint64_t)CREATE_NAMED_FLAGS))
        return E_INVAL;
    return create_object(&semaphore_type, user_ptr_of(a->arg[3]), a->arg[2], make_semaphore, &l);
}

// long semaphore_release(handle_t semaphore, long count): the count before, or E_LIMIT.
long sys_semaphore_release(const struct syscall_args *a)
{
    struct ob *o;
    int64_t n = (int64_t)a->arg[1];
    long err = n < 1 ? E_INVAL : handle_get(current_process(), a->arg[0], &semaphore_type,
                                             RIGHT_SIGNAL, &o);

    if (err < 0)
        return err;
    err = semaphore_release(o, n);
    ob_unref(o);
    return err;
}
