/*
 * sys_query.c: object_query, one call for what any handle refers to (NT's
 * NtQueryObject and Zircon's zx_object_get_info in one).
 *
 * The idea: the class number says which type it is for (INFO_CLASS, types.h).
 * Classes of type OB_TYPE_ANY are answered here (basic information: type,
 * id, counts, rights, name); every other class goes to the object's type,
 * through its query hook, so a new type plugs in its state without touching
 * this file.  The answer is written straight to the user's buffer by
 * query_put (ob/query.h), which also counts the size needed, so a short
 * buffer costs one pass and says how much to bring next time.
 *
 * Error order: E_BADHANDLE, then E_WRONGTYPE (a class of another type),
 * E_ACCESS (no RIGHT_INFO, except for basic information), E_INVAL (a class
 * nobody has), E_TOOBIG (with the size needed), E_FAULT.
 */
#include "kernel/ob/handle.h"
#include "kernel/ob/query.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

/* Answers |info_class| about |o|, reached through a handle with |rights|, into |q|. */
static long answer(struct ob *o, rights_t rights, uint32_t info_class, struct query_out *q)
{
    if (INFO_CLASS_TYPE(info_class) == OB_TYPE_ANY) {
        struct object_basic_info info;
        if (info_class != OBJECT_INFO_BASIC)
            return E_INVAL;
        ob_basic_info(o, rights, &info);
        info.refs--;                        /* not counting the one this call holds */
        return query_put(q, &info, sizeof info);
    }
    if (INFO_CLASS_TYPE(info_class) != o->type->code)
        return E_WRONGTYPE;
    if (!(rights & RIGHT_INFO))
        return E_ACCESS;
    return o->type->query ? o->type->query(o, info_class, q) : E_INVAL;
}

// long object_query(handle_t handle, long info_class, void *buf, size_t len, size_t *needed)
// Writes the answer to |info_class| about |handle| into |buf| and returns its
// size; E_TOOBIG when |len| is short.  |needed|, unless NULL, gets the size
// the answer takes, on success and on E_TOOBIG.
long sys_object_query(const struct syscall_args *a)
{
    struct query_out q = { user_ptr_of(a->arg[2]), a->arg[3], 0, 0 };
    user_ptr needed = user_ptr_of(a->arg[4]);
    struct process *self = current_process();
    struct ob *o;

    if (!user_range_ok(q.buf.addr, q.room) || (needed.addr && out_probe(needed, sizeof(uint64_t)) < 0))
        return E_FAULT;
    long err = handle_get(self, a->arg[0], NULL, 0, &o);
    if (err < 0)
        return err;
    err = a->arg[1] > UINT32_MAX ? E_INVAL
                                 : answer(o, (rights_t)handle_rights(self, a->arg[0]), (uint32_t)a->arg[1], &q);
    ob_unref(o);
    if (err == 0 && needed.addr)
        err = copy_to_user(needed, &q.needed, sizeof(uint64_t));
    if (err == 0)
        err = q.needed > q.room ? E_TOOBIG : q.err;
    return err < 0 ? err : (long)q.needed;
}
