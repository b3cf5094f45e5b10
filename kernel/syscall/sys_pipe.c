/*
 * sys_pipe.c: pipe calls: create (with a size), read and write (with a
 * deadline), peek, and the non-blocking mode.  The blocking and the ring
 * are kernel/ipc/pipe.c's; here are the checks of what ring 3 passed.
 */
#include "kernel/ipc/pipe.h"
#include "kernel/ob/handle.h"
#include "kernel/proc/process.h"
#include "kernel/sched/sched.h"
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

/* Makes a pipe of |capacity| bytes and writes its two handles to |out| (see sys_pipe_create). */
static long create(user_ptr out, uint32_t capacity, unsigned long flags)
{
    struct process *self = current_process();
    struct ob *ends[PIPE_ENDS];
    handle_t h[PIPE_ENDS] = { 0, 0 };
    long err = pipe_create(ends, capacity, flags);

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

// long pipe_create(handle_t ends[2])
// Stores the read end's handle in ends[0] and the write end's in ends[1]; returns 0.
// E_FAULT when |ends| cannot be written: then no handle is left behind.
long sys_pipe_create(const struct syscall_args *a)
{
    return create(user_ptr_of(a->arg[0]), PIPE_CAPACITY, 0);
}

// long pipe_create_sized(handle_t ends[2], long capacity, unsigned long flags)
// As pipe_create, with a ring of |capacity| bytes (0: PIPE_CAPACITY; at most
// PIPE_CAPACITY_MAX, else E_INVAL); PIPE_NONBLOCK makes both ends non-blocking.
long sys_pipe_create_sized(const struct syscall_args *a)
{
    uint64_t capacity = a->arg[1] ? a->arg[1] : PIPE_CAPACITY;

    if (capacity > PIPE_CAPACITY_MAX || (a->arg[2] & ~(uint64_t)PIPE_NONBLOCK))
        return E_INVAL;
    return create(user_ptr_of(a->arg[0]), (uint32_t)capacity, a->arg[2]);
}

typedef long pipe_op(struct ob *end, handle_t via, user_ptr buf, size_t len, uint64_t deadline);

/* handle_get said E_WRONGTYPE for |h| as a |type|: E_ACCESS if |h| is the other end of a pipe. */
static __attribute__((noinline)) long other_end_or_wrong_type(handle_t h, const struct ob_type *type)
{
    const struct ob_type *other = type == &pipe_read_type ? &pipe_write_type : &pipe_read_type;

    return handle_peek(current_process(), h)->object->type == other ? E_ACCESS : E_WRONGTYPE;
}

/*
 * Looks up the pipe end |h| of |type| with |right|.  The other end of a pipe
 * is E_ACCESS, not E_WRONGTYPE: it is a pipe end that lacks the right, as
 * Zircon and NT see a socket or pipe handle opened for the other direction
 * (docs/05-pipes.md, "Errors").
 */
static long pipe_end_get(handle_t h, const struct ob_type *type, rights_t right, struct ob **out)
{
    long err = handle_get(current_process(), h, type, right, out);

    return err == E_WRONGTYPE ? other_end_or_wrong_type(h, type) : err;
}

/*
 * Checks the buffer (handle, buffer, length in |a|), looks up the end of
 * |type| with |right| and applies |op| until |deadline|.  Inlined into each
 * handler, so |op| is a direct call; the arguments are read from |a| where
 * they are used, so little stays live across the calls.
 */
static inline __attribute__((always_inline)) long with_end(const struct syscall_args *a,
                                                           const struct ob_type *type,
                                                           rights_t right, pipe_op *op,
                                                           uint64_t deadline)
{
    struct ob *o;

    if (!user_range_ok(a->arg[1], a->arg[2]))
        return E_FAULT;
    long n = pipe_end_get(a->arg[0], type, right, &o);
    if (n < 0)
        return n;
    n = op(o, a->arg[0], user_ptr_of(a->arg[1]), a->arg[2], deadline);
    ob_unref(o);
    return n;
}

/* with_end for the *_timeout calls: their fourth argument is the timeout. */
static long with_end_timeout(const struct syscall_args *a, const struct ob_type *type,
                             rights_t right, pipe_op *op)
{
    uint64_t deadline;
    long err = timeout_to_deadline((long)a->arg[3], &deadline);

    return err < 0 ? err : with_end(a, type, right, op, deadline);
}

// long pipe_read(handle_t pipe, void *buf, size_t len)
// Up to |len| bytes as soon as there are any; 0 at end of file (and for |len| 0).
long sys_pipe_read(const struct syscall_args *a)
{
    return with_end(a, &pipe_read_type, RIGHT_READ, pipe_read, DEADLINE_NONE);
}

// long pipe_write(handle_t pipe, const void *buf, size_t len)
// |len| (or fewer if the reader went away midway), or E_PEERCLOSED.
long sys_pipe_write(const struct syscall_args *a)
{
    return with_end(a, &pipe_write_type, RIGHT_WRITE, pipe_write, DEADLINE_NONE);
}

// long pipe_read_timeout(handle_t pipe, void *buf, size_t len, long timeout_ns)
// pipe_read, waiting at most |timeout_ns|: E_TIMEDOUT when nothing came;
// 0 does not wait at all (E_AGAIN when the ring is empty).
long sys_pipe_read_timeout(const struct syscall_args *a)
{
    return with_end_timeout(a, &pipe_read_type, RIGHT_READ, pipe_read);
}

// long pipe_write_timeout(handle_t pipe, const void *buf, size_t len, long timeout_ns)
// pipe_write, waiting at most |timeout_ns| for room: what fitted by then, or
// E_TIMEDOUT (E_AGAIN for a timeout of 0) when nothing did.
long sys_pipe_write_timeout(const struct syscall_args *a)
{
    return with_end_timeout(a, &pipe_write_type, RIGHT_WRITE, pipe_write);
}

static long peek(struct ob *o, handle_t via, user_ptr buf, size_t len, uint64_t deadline)
{
    (void)via, (void)deadline;
    return pipe_peek(o, buf, len);
}

// long pipe_peek(handle_t pipe, void *buf, size_t len)
// Copies up to |len| buffered bytes without taking them, never waiting: the
// count (0: nothing yet), or E_PEERCLOSED when the ring is empty for good.
long sys_pipe_peek(const struct syscall_args *a)
{
    return with_end(a, &pipe_read_type, RIGHT_READ, peek, DEADLINE_NONE);
}

// long pipe_set_mode(handle_t pipe, unsigned long flags)
// PIPE_NONBLOCK: the end's calls (through any handle to it) return E_AGAIN
// instead of waiting; 0: they wait again.  Either end, with its data right.
long sys_pipe_set_mode(const struct syscall_args *a)
{
    struct process *self = current_process();
    struct ob *o;

    if (a->arg[1] & ~(uint64_t)PIPE_NONBLOCK)
        return E_INVAL;
    long err = handle_get(self, a->arg[0], NULL, 0, &o);
    if (err < 0)
        return err;
    rights_t right = o->type == &pipe_read_type ? RIGHT_READ : RIGHT_WRITE;
    if (o->type != &pipe_read_type && o->type != &pipe_write_type)
        err = E_WRONGTYPE;
    else if (!(handle_rights(self, a->arg[0]) & right))
        err = E_ACCESS;
    else
        pipe_set_nonblock(o, a->arg[1] & PIPE_NONBLOCK);
    ob_unref(o);
    return err;
}
