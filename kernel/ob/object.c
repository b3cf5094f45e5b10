/*
 * object.c: creation and reference counting of kernel objects (object.h).
 * Single CPU, interrupts off in the kernel: the counts need no atomics.
 */
#include "kernel/lib/panic.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/namespace.h"
#include "kernel/ob/object.h"
#include "kernel/proc/process.h"

#define COUNT_MAX UINT32_MAX        /* a saturated count pins the object forever */

static uint64_t next_id = 1;

void *ob_create(const struct ob_type *type, size_t size)
{
    struct ob *o = kzalloc(size, type->tag);

    if (!o)
        return NULL;
    o->type = type;
    o->id = next_id++;
    o->refs = 1;
    o->creator_pid = current_process() ? current_process()->pid : 0;
    list_init(&o->waiters);
    list_init(&o->name_node);
    return o;
}

void ob_ref(struct ob *o)
{
    if (o->refs != COUNT_MAX)
        o->refs++;
}

void ob_unref(struct ob *o)
{
    ASSERT(o->refs > 0);
    if (o->refs == COUNT_MAX || --o->refs)
        return;
    ASSERT(o->handles == 0 && list_empty(&o->waiters));
    ob_name_remove(o);              /* a name lives as long as its object */
    if (o->type->destroy)
        o->type->destroy(o);
    kfree(o);
}

void ob_handle_opened(struct ob *o)
{
    if (o->handles != COUNT_MAX)
        o->handles++;
}

void ob_handle_closed(struct ob *o)
{
    ASSERT(o->handles > 0);
    if (o->handles == COUNT_MAX || --o->handles)
        return;
    if (o->type->on_last_handle)
        o->type->on_last_handle(o);
}
