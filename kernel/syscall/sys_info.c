/*
 * sys_info.c: what the ps, handles, objs and kill tools ask: lists of
 * processes, threads and handles as fixed-size records, and a handle to a
 * process by its id.  Each list call fills as many records as |len| holds
 * and returns how many there are in all, so a caller can size its buffer.
 */
#include "kernel/lib/string.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/namespace.h"
#include "kernel/ob/query.h"
#include "kernel/proc/job.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"

#define PROCESS_WATCH_RIGHTS (RIGHT_INFO | RIGHT_WAIT)   /* what anyone may have */

struct lister {
    user_ptr out;
    size_t room;            /* records that fit */
    size_t count;           /* records seen */
    long err;
    uint64_t pid;           /* thread_list: the process being listed */
};

/* Copies record |rec| out if it fits; counts it either way. */
static void emit(struct lister *l, const void *rec, size_t size)
{
    if (l->count < l->room && l->err == 0)
        l->err = copy_to_user(user_ptr_add(l->out, l->count * size), rec, size);
    l->count++;
}

static long finish(const struct lister *l)
{
    return l->err < 0 ? l->err : (long)l->count;
}

/* A list call's buffer must lie in user space whole, even the part it will not fill. */
static long lister_init(struct lister *l, uint64_t out, uint64_t len, size_t record)
{
    *l = (struct lister){ user_ptr_of(out), len / record, 0, 0, 0 };
    return user_range_ok(out, len) ? 0 : E_FAULT;
}

static void list_process(struct process *p, void *ctx)
{
    struct process_info info = { p->pid, p->parent_pid, p->status.state, (uint64_t)p->nthreads,
                                 p->handles.count, { 0 }, p->job ? p->job->ob.id : 0,
                                 (uint64_t)p->priority_ceiling };

    ob_copy_name(info.name, sizeof info.name, p->name);
    emit(ctx, &info, sizeof info);
}

// long process_list(struct process_info *list, size_t len)
long sys_process_list(const struct syscall_args *a)
{
    struct lister l;

    if (lister_init(&l, a->arg[0], a->arg[1], sizeof(struct process_info)) < 0)
        return E_FAULT;
    process_for_each(list_process, &l);
    return finish(&l);
}

static void list_threads(struct process *p, void *ctx)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &p->threads) {
        struct thread *t = LIST_ENTRY(pos, struct thread, proc_node);
        struct thread_info info = { t->tid, p->pid, t->state, (uint64_t)t->priority };
        emit(ctx, &info, sizeof info);
    }
}

// long thread_list(struct thread_info *list, size_t len)
long sys_thread_list(const struct syscall_args *a)
{
    struct lister l;

    if (lister_init(&l, a->arg[0], a->arg[1], sizeof(struct thread_info)) < 0)
        return E_FAULT;
    process_for_each(list_threads, &l);
    return finish(&l);
}

static void list_handle(handle_t h, struct handle_entry *e, void *ctx)
{
    struct handle_info info = { h, e->object->id, e->object->type->code, e->rights, { 0 }, { 0 } };

    ob_copy_name(info.type_name, sizeof info.type_name, e->object->type->name);
    ob_name_path(e->object, info.name, sizeof info.name);
    emit(ctx, &info, sizeof info);
}

// long handle_list(long pid, struct handle_info *list, size_t len): pid 0 is the caller.
long sys_handle_list(const struct syscall_args *a)
{
    struct process *p = a->arg[0] ? process_find(a->arg[0]) : current_process();
    struct lister l;

    if (lister_init(&l, a->arg[1], a->arg[2], sizeof(struct handle_info)) < 0)
        return E_FAULT;
    if (!p)
        return E_NOTFOUND;
    handle_for_each(p, list_handle, &l);
    return finish(&l);
}

/*
 * Whether |p| is |target| or one of its ancestors: it started |target|,
 * directly or through children still alive.  Only an ancestor holds power
 * over a process by its id: a sibling (kill run from the shell beside the
 * program it names) gets watch rights, which is why the shell's kill is a
 * builtin.  Anything else must come as a handle someone chose to give.
 * The first process (init, or the test runner) is everyone's ancestor,
 * orphans included: the chain is followed through living processes only.
 */
static bool is_ancestor_or_self(const struct process *p, const struct process *target)
{
    if (p->parent_pid == 0)
        return true;                    /* the first process supervises the system: all of it */
    for (const struct process *t = target; t; t = t->parent_pid ? process_find(t->parent_pid) : NULL)
        if (t == p)
            return true;
    return false;
}

// long process_open(long pid): a handle to a running process (for tools such as kill).
// The full rights only for the process itself and its ancestors (is_ancestor_or_self);
// anyone may watch any process (RIGHT_INFO, RIGHT_WAIT), as ps does.
long sys_process_open(const struct syscall_args *a)
{
    struct process *self = current_process(), *p = process_find(a->arg[0]);

    if (!p)
        return E_NOTFOUND;
    rights_t rights = is_ancestor_or_self(self, p) ? process_type.default_rights : PROCESS_WATCH_RIGHTS;
    return handle_install(self, &p->ob, rights);
}
