/*
 * sys_process.c: process calls: spawn, exit, kill, status, own id.
 * Spawn's arguments are the most involved copy-in of the kernel: a path, a
 * NULL-terminated array of string pointers and an array of handles, each
 * bounded (SPAWN_MAX_*), each read only through usercopy.
 */
#include "kernel/proc/process.h"
#include "kernel/proc/bootfs.h"
#include "kernel/proc/spawn.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall.h"

struct spawn_args {
    char path[BOOTFS_PATH_MAX];
    char *argv[SPAWN_MAX_ARGS + 1];
    int argc;
    char strings[SPAWN_MAX_ARG_BYTES];
    handle_t handles[SPAWN_MAX_HANDLES];
};

/* Copies the user's argv (NULL means "just the path") into |s|. */
static long copy_argv(struct spawn_args *s, user_ptr uargv)
{
    size_t used = 0;

    if (uargv.addr == 0) {
        s->argv[0] = s->path;
        s->argc = 1;
        return 0;
    }
    for (s->argc = 0;; s->argc++) {
        uint64_t p;
        if (copy_from_user(&p, user_ptr_add(uargv, s->argc * sizeof p), sizeof p) < 0)
            return E_FAULT;
        if (p == 0)
            return 0;
        if (s->argc == SPAWN_MAX_ARGS)
            return E_TOOBIG;
        long n = strncpy_from_user(s->strings + used, user_ptr_of(p), sizeof s->strings - used);
        if (n < 0)
            return n;
        s->argv[s->argc] = s->strings + used;
        used += n + 1;
    }
}

// long process_spawn(const char *path, const char *const *argv, const handle_t *handles, size_t n)
// Returns a handle to the new process.
long sys_process_spawn(const struct syscall_args *a)
{
    struct spawn_args s;
    size_t nhandles = a->arg[3];
    struct process *p = current_process(), *child;

    long err = strncpy_from_user(s.path, user_ptr_of(a->arg[0]), sizeof s.path);
    if (err < 0)
        return err;
    if (nhandles > SPAWN_MAX_HANDLES)
        return E_TOOBIG;
    err = copy_argv(&s, user_ptr_of(a->arg[1]));
    if (err == 0)
        err = copy_from_user(s.handles, user_ptr_of(a->arg[2]), nhandles * sizeof(handle_t));
    if (err == 0)
        err = process_spawn(p, s.path, s.argc, s.argv, s.handles, (int)nhandles, &child);
    if (err < 0)
        return err;
    handle_t h = handle_install(p, &child->ob, process_type.default_rights);
    if (h < 0)
        process_end(child, PROCESS_KILLED, h);  /* no handle, no child: do not leave it running */
    ob_unref(&child->ob);
    return h;
}

// long process_self_id(void)
long sys_process_self_id(const struct syscall_args *a)
{
    (void)a;
    return (long)current_process()->pid;
}

// long process_exit(long code): ends every thread of the process.
long sys_process_exit(const struct syscall_args *a)
{
    process_end(current_process(), PROCESS_EXITED, (int64_t)a->arg[0]);
    thread_exit((int64_t)a->arg[0]);
}

// long process_kill(handle_t process, long code)
long sys_process_kill(const struct syscall_args *a)
{
    struct ob *o;
    long err = handle_get(current_process(), a->arg[0], &process_type, RIGHT_KILL, &o);

    if (err < 0)
        return err;
    process_end((struct process *)o, PROCESS_KILLED, (int64_t)a->arg[1]);
    ob_unref(o);
    return 0;
}

// long process_status(handle_t process, struct process_status *out)
long sys_process_status(const struct syscall_args *a)
{
    struct ob *o;
    long err = handle_get(current_process(), a->arg[0], &process_type, RIGHT_INFO, &o);

    if (err < 0)
        return err;
    struct process_status st = ((struct process *)o)->status;
    ob_unref(o);
    return copy_to_user(user_ptr_of(a->arg[1]), &st, sizeof st);
}

// long process_trace(handle_t process, long flags): TRACE_CALLS prints every
// system call of |process| (0: the caller), TRACE_CHILDREN those of the
// children it spawns from now on (and of theirs); 0 stops both.
long sys_process_trace(const struct syscall_args *a)
{
    struct process *p;
    struct ob *held;
    long err;

    if (a->arg[1] & ~(uint64_t)TRACE_FLAGS_ALL)
        return E_INVAL;
    err = process_arg(a->arg[0], &p, &held);
    if (err < 0)
        return err;
    p->traced = a->arg[1];
    sched_refresh_return_work();
    if (held)
        ob_unref(held);
    return 0;
}

long process_arg(handle_t h, struct process **p, struct ob **held)
{
    *held = NULL;
    *p = current_process();
    if (h == 0)
        return 0;
    long err = handle_get(*p, h, &process_type, RIGHT_MANAGE, held);
    if (err == 0)
        *p = (struct process *)*held;
    return err;
}
