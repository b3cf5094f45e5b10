/*
 * sys_pipe.c: pipe calls: create, read, write.  The blocking and the ring
 * are kernel/ipc/pipe.c's; here are the checks of what ring 3 passed.
 */
#include "kernel/ipc/pipe.h"
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

/* Gives |p| a handle to each end, into |h|; a failed one leaves its error there. */
static long install_ends(struct process *p, struct ob *ends[PIPE_ENDS], handle_t h[PIPE_ENDS])
{
    for (int i = 0; i < PIPE_ENDS; i++) {
        h[i] = handle_install(p, ends[i], ends[i]->type->default_rights);
        if (h[i] < 0)
            return h[i];
    }
    return 0;
}

// long pipe_create(handle_t ends[2])
// Stores the read end's handle in ends[0] and the write end's in ends[1]; returns 0.
// E_FAULT when |ends| cannot be written: then no handle is left behind.
long sys_pipe_create(const struct syscall_args *a)
{
    user_ptr out = user_ptr_of(a->arg[0]);
    struct process *self = current_process();
    struct ob *ends[PIPE_ENDS];
    handle_t h[PIPE_ENDS] = { 0, 0 };
    long err = pipe_create(ends);

    if (err < 0)
        return err;
    err = install_ends(self, ends, h);
    if (err == 0)
        err = copy_to_user(out, h, sizeof h);
    for (int i = 0; err < 0 && i < PIPE_ENDS; i++)
        if (h[i] > 0)
            handle_close(self, h[i]);   /* the caller never learns these: undo them */
    ob_unref(ends[PIPE_READ_END]);
    ob_unref(ends[PIPE_WRITE_END]);
    return err;
}

typedef long pipe_op(struct ob *end, handle_t via, user_ptr buf, size_t len);

/*
 * Looks up the pipe end |h| of |type| with |right|.  The other end of a pipe
 * is E_ACCESS, not E_WRONGTYPE: it is a pipe end that lacks the right, as
 * Zircon and NT see a socket or pipe handle opened for the other direction
 * (docs/05-pipes.md, "Errors").
 */
static long pipe_end_get(handle_t h, const struct ob_type *type, rights_t right, struct ob **out)
{
    struct process *self = current_process();
    long err = handle_get(self, h, type, right, out);

    if (err == E_WRONGTYPE && handle_peek(self, h)->object->type ==
        (type == &pipe_read_type ? &pipe_write_type : &pipe_read_type))
        err = E_ACCESS;
    return err;
}

/* Checks the buffer, looks up the end |h| of |type| with |right| and applies |op|. */
static long with_end(const struct syscall_args *a, const struct ob_type *type, rights_t right,
                     pipe_op *op)
{
    handle_t h = a->arg[0];
    user_ptr buf = user_ptr_of(a->arg[1]);
    size_t len = a->arg[2];
    struct ob *o;

    if (!user_range_ok(buf.addr, len))
        return E_FAULT;
    long n = pipe_end_get(h, type, right, &o);
    if (n < 0)
        return n;
    n = op(o, h, buf, len);
    ob_unref(o);
    return n;
}

// long pipe_read(handle_t pipe, void *buf, size_t len)
// Up to |len| bytes as soon as there are any; 0 at end of file (and for |len| 0).
long sys_pipe_read(const struct syscall_args *a)
{
    return with_end(a, &pipe_read_type, RIGHT_READ, pipe_read);
}

// long pipe_write(handle_t pipe, const void *buf, size_t len)
// |len| (or fewer if the reader went away midway), or E_PEERCLOSED.
long sys_pipe_write(const struct syscall_args *a)
{
    return with_end(a, &pipe_write_type, RIGHT_WRITE, pipe_write);
}
