/* sys_thread.c: thread calls: create, exit, sleep, yield. */
#include "kernel/arch/x86_64/layout.h"
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"
#include "kernel/proc/thread_object.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall.h"

// long thread_create(const void *entry, long arg, const void *stack_top)
// A new thread in the caller's process; returns a handle to it.
long sys_thread_create(const struct syscall_args *a)
{
    struct process *p = current_process();
    uint64_t entry = a->arg[0], stack = a->arg[2];

    if (entry >= USER_TOP || stack > USER_TOP)
        return E_INVAL;
    job_refused();                  /* forget an earlier refusal */
    struct thread *t = thread_create_user(p, entry, stack, a->arg[1]);
    if (!t)
        return job_refused() ? E_QUOTA : E_NOMEM;
    handle_t h = handle_install(p, thread_ob(t), thread_type.default_rights);
    if (h < 0)
        thread_discard(t);          /* never ran: the caller sees the error, nothing runs */
    else
        sched_start(t);             /* the scheduler's reference is the one creation gave */
    return h;
}

// long thread_exit(long code): the last thread's code is the process's.
long sys_thread_exit(const struct syscall_args *a)
{
    thread_exit((int64_t)a->arg[0]);
}

// long thread_sleep(long ns): 0, or E_CANCELED when the thread is being killed.
long sys_thread_sleep(const struct syscall_args *a)
{
    long ns = (long)a->arg[0];

    if (ns < 0)
        return E_INVAL;
    if (ns == 0) {
        sched_yield();
        return 0;
    }
    long r = sched_block(sched_deadline_after((uint64_t)ns));
    return r == E_TIMEDOUT ? 0 : r;
}

// long thread_yield(void)
long sys_thread_yield(const struct syscall_args *a)
{
    (void)a;
    sched_yield();
    return 0;
}

// long thread_set_priority(handle_t thread, long priority)
// 0 (lowest) .. PRIORITY_LEVELS - 1; thread 0 is the caller.  A ready thread
// of higher priority runs before one of lower priority, except that one
// ready too long is boosted for a slice (sched.c).  E_LIMIT above the
// ceiling of the thread's process.
long sys_thread_set_priority(const struct syscall_args *a)
{
    struct ob *o = NULL;
    struct thread *t = current_thread();
    long priority = (long)a->arg[1];

    if (priority < 0 || priority >= PRIORITY_LEVELS)
        return E_INVAL;
    if (a->arg[0]) {
        long err = handle_get(current_process(), a->arg[0], &thread_type, RIGHT_MANAGE, &o);
        if (err < 0)
            return err;
        t = thread_of(o);
    }
    long err = priority > t->process->priority_ceiling ? E_LIMIT : 0;
    if (err == 0 && t->state != THREAD_DEAD)
        sched_set_priority(t, (int)priority);
    if (o)
        ob_unref(o);
    return err;
}

// long process_set_ceiling(handle_t process, long ceiling)
// The highest priority a thread of |process| (0: the caller) may have:
// 0..PRIORITY_MAX, never above the caller's own (E_LIMIT).  Threads above a
// lowered ceiling come down to it.  Needs RIGHT_MANAGE.
long sys_process_set_ceiling(const struct syscall_args *a)
{
    struct process *p;
    struct ob *held;
    long ceiling = (long)a->arg[1];

    if (ceiling < 0 || ceiling > PRIORITY_MAX)
        return E_INVAL;
    long err = process_arg(a->arg[0], &p, &held);
    if (err < 0)
        return err;
    if (ceiling > current_process()->priority_ceiling)
        err = E_LIMIT;
    else
        process_set_ceiling(p, (int)ceiling);
    if (held)
        ob_unref(held);
    return err;
}
