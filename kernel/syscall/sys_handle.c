/*
 * sys_handle.c: calls on handles themselves, whatever their object:
 * duplicate, replace with fewer rights, close one or many, and the
 * attribute that protects a handle from being closed (docs/04-objects.md,
 * "Handle tables").  The work is in kernel/ob/handle.c; these decode and copy.
 */
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

/* Whether |r| is RIGHT_SAME or a set of known rights, as a 64-bit argument. */
static bool rights_arg_ok(uint64_t r)
{
    return r <= UINT32_MAX && (r == RIGHT_SAME || !(r & ~(uint64_t)RIGHTS_ALL));
}

// long handle_duplicate(handle_t handle, handle_t process, unsigned long rights)
// A new handle to the same object, in this process (|process| 0) or in |process|
// (which needs RIGHT_MANAGE), with |rights| (RIGHT_SAME: unchanged); rights never grow.
long sys_handle_duplicate(const struct syscall_args *a)
{
    struct process *self = current_process(), *to;
    rights_t rights = (rights_t)a->arg[2];
    struct ob *held;

    if (!rights_arg_ok(a->arg[2]))
        return E_INVAL;
    if (!handle_peek(self, a->arg[0]))
        return E_BADHANDLE;             /* the handles in argument order */
    long h = process_arg(a->arg[1], &to, &held);
    if (h == 0)
        h = to->torn_down ? E_PEERCLOSED : handle_duplicate(self, a->arg[0], to, rights);
    if (held)
        ob_unref(held);
    return h;
}

// long handle_close(handle_t handle): waits through this handle end with E_CANCELED.
long sys_handle_close(const struct syscall_args *a)
{
    return handle_close(current_process(), a->arg[0]);
}

// long handle_close_many(const handle_t *handles, size_t count)
// Closes up to HANDLE_CLOSE_MANY_MAX handles, all or none (0s are skipped):
// E_BADHANDLE, E_INVAL (a value twice, or too many), E_ACCESS (a protected one).
long sys_handle_close_many(const struct syscall_args *a)
{
    handle_t hs[HANDLE_CLOSE_MANY_MAX];
    size_t n = a->arg[1];

    if (n > HANDLE_CLOSE_MANY_MAX)
        return E_INVAL;
    if (copy_from_user(hs, user_ptr_of(a->arg[0]), n * sizeof hs[0]) < 0)
        return E_FAULT;
    return handle_close_many(current_process(), hs, n);
}

// long handle_replace(handle_t handle, unsigned long rights)
// A new handle with |rights| (a subset, or RIGHT_SAME) for |handle|, which is closed
// even when this fails (E_ACCESS for more rights), unless it is protected (E_ACCESS, kept).
long sys_handle_replace(const struct syscall_args *a)
{
    if (!rights_arg_ok(a->arg[1]))
        return E_INVAL;
    return handle_replace(current_process(), a->arg[0], (rights_t)a->arg[1]);
}

// long handle_attributes(handle_t handle, unsigned long set, unsigned long clear)
// Sets, then clears, attribute bits (HANDLE_PROTECT_CLOSE); returns those before.
long sys_handle_attributes(const struct syscall_args *a)
{
    if ((a->arg[1] | a->arg[2]) & ~(uint64_t)HANDLE_ATTRIBUTES_ALL)
        return E_INVAL;
    return handle_attributes(current_process(), a->arg[0], (uint32_t)a->arg[1],
                             (uint32_t)a->arg[2]);
}
