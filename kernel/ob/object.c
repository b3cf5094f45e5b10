/*
 * object.c: creation and reference counting of kernel objects (object.h).
 * Single CPU, interrupts off in the kernel: the counts need no atomics.
 */
#include "kernel/lib/panic.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/namespace.h"
#include "kernel/ob/object.h"

struct ob_hooks ob_hooks;

static uint64_t next_id = 1;
static struct list_node dying = LIST_INIT(dying);
static int destroying;              /* an ob_unref further up is draining |dying| */
static uint64_t mark_pass;          /* ob_mark_pass: the last pass number given */

void *ob_create(const struct ob_type *type, size_t size)
{
    struct job *job = NULL;
    uint64_t creator_pid = 0;

    if (ob_hooks.charge_object && ob_hooks.charge_object(&job, &creator_pid) < 0)
        return NULL;                /* callers that can say E_QUOTA check job_may_create first */
    struct ob *o = kzalloc(size, type->tag);

    if (!o) {
        if (job)
            ob_hooks.uncharge_object(job);
        return NULL;
    }
    o->job = job;
    o->type = type;
    o->id = next_id++;
    o->refs = 1;
    o->creator_pid = creator_pid;
    list_init(&o->waiters);         /* dying_node is linked before any use */
    return o;
}

static void destroy(struct ob *o)
{
    ASSERT(o->handles == 0 && list_empty(&o->waiters));
    if (o->name)
        ob_name_remove(o);          /* a name lives as long as its object */
    if (o->type->destroy)
        o->type->destroy(o);
    if (o->job)
        ob_hooks.uncharge_object(o->job);  /* its unref is queued if it was the last: we are inside the drain loop */
    kfree(o);
}

void ob_last_unref(struct ob *o)
{
    struct list_node *n;

    if (destroying) {
        list_push_back(&dying, &o->dying_node);
        return;                     /* the loop below, further up the stack, takes it */
    }
    destroying = 1;
    destroy(o);
    while ((n = list_pop_front(&dying)))
        destroy(LIST_ENTRY(n, struct ob, dying_node));
    destroying = 0;
}

void ob_handle_closed(struct ob *o)
{
    ASSERT(o->handles > 0);
    if (o->handles == OB_COUNT_MAX || --o->handles)
        return;
    if (o->type->on_last_handle)
        o->type->on_last_handle(o);
}

uint64_t ob_mark_pass(void)
{
    return ++mark_pass;             /* never 0, which a new object's mark is */
}
