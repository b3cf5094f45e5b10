/*
 * namespace.c: object names (namespace.h).  A linked list: a teaching
 * system has tens of named objects, and a lookup is one strcmp each.
 */
#include "kernel/abi/errors.h"
#include "kernel/lib/string.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/namespace.h"

static struct list_node names = LIST_INIT(names);

struct ob *ob_name_lookup(const char *name)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &names) {
        struct ob *o = LIST_ENTRY(pos, struct ob, name_node);
        if (strcmp(o->name, name) == 0)
            return o;
    }
    return NULL;
}

long ob_name_set(struct ob *o, const char *name)
{
    size_t n = strlen(name) + 1;

    if (ob_name_lookup(name))
        return E_EXISTS;
    o->name = kmalloc(n, TAG("Name"));
    if (!o->name)
        return E_NOMEM;
    memcpy(o->name, name, n);
    list_push_back(&names, &o->name_node);
    return 0;
}

void ob_name_remove(struct ob *o)
{
    if (!o->name)
        return;
    list_remove(&o->name_node);
    kfree(o->name);
    o->name = NULL;
}
