/*
 * process_query.c: what object_query (syscall/sys_query.c) tells about a
 * process and a thread: their state and exit status, a process's threads
 * and its handles.  The tools (ps, handles, objs) are built on these, so
 * they need only a handle with RIGHT_INFO, which process_open gives anyone.
 *
 * Lists are written record by record with query_put, which counts what
 * does not fit: a short buffer learns the size it needs.  Nothing blocks.
 */
#include "kernel/abi/errors.h"
#include "kernel/ob/query.h"
#include "kernel/proc/process.h"
#include "kernel/proc/thread_object.h"

static void thread_record(const struct thread *t, struct thread_query_info *info)
{
    *info = (struct thread_query_info){
        .tid = t->tid, .pid = t->process ? t->process->pid : 0, .state = t->state,
        .priority = (uint64_t)t->priority, .exit_code = t->exit_code,
    };
}

long thread_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    struct thread_query_info info;

    if (info_class != OBJECT_INFO_THREAD)
        return E_INVAL;
    thread_record(thread_of(o), &info);
    return query_put(q, &info, sizeof info);
}

static long put_process(const struct process *p, struct query_out *q)
{
    struct process_query_info info = {
        .pid = p->pid, .parent_pid = p->parent_pid, .state = p->status.state,
        .exit_code = p->status.exit_code, .nthreads = (uint64_t)p->nthreads,
        .nhandles = p->handles.count,
    };

    ob_copy_name(info.name, sizeof info.name, p->name);
    return query_put(q, &info, sizeof info);
}

static long put_threads(const struct process *p, struct query_out *q)
{
    const struct list_node *pos;
    struct thread_query_info info;

    LIST_FOR_EACH(pos, &p->threads) {
        thread_record(LIST_ENTRY(pos, struct thread, proc_node), &info);
        query_put(q, &info, sizeof info);
    }
    return 0;
}

static void put_handle(handle_t h, struct handle_entry *e, void *ctx)
{
    struct handle_query_info info = { .handle = h };

    ob_basic_info(e->object, e->rights, &info.basic);
    query_put(ctx, &info, sizeof info);
}

long process_query(struct ob *o, uint32_t info_class, struct query_out *q)
{
    struct process *p = (struct process *)o;

    switch (info_class) {
    case OBJECT_INFO_PROCESS:
        return put_process(p, q);
    case OBJECT_INFO_PROCESS_THREADS:
        return put_threads(p, q);
    case OBJECT_INFO_PROCESS_HANDLES:
        handle_for_each(p, put_handle, q);
        return 0;
    }
    return E_INVAL;
}
