/*
 * resource.c: the resource object (resource.h).
 *
 * Zircon's idea, cut down: privilege over hardware is an object, so it is a
 * handle like any other, passed explicitly, duplicated only with fewer
 * rights and never forged.  The kernel makes exactly one root resource, in
 * kernel_main, for the first process; every other resource is derived from
 * one that covers it, so the chain from any port bit back to the root is
 * the chain of handles that were handed down.
 *
 * Exports: resource_type, resource_create_root, resource_covers,
 * resource_derive.  Not locked yet: it relies on threads running on
 * CPU 0 only (docs/14-smp.md, "The lock list").
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/abi/types.h"
#include "kernel/drv/resource.h"
#include "kernel/mm/heap.h"

struct resource {
    struct ob ob;
    uint32_t kind;                  /* RESOURCE_* */
    uint64_t base, count;           /* the span, for RESOURCE_IOPORT and RESOURCE_IRQ */
};

static struct resource *resource_of(struct ob *o)
{
    return (struct resource *)o;
}

const struct ob_type resource_type = {
    .name = "resource",
    .code = OB_TYPE_RESOURCE,
    .tag = TAG("Rsrc"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_MANAGE | RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_MANAGE | RIGHT_INFO,
};

static bool root_made;

struct ob *resource_create_root(void)
{
    struct resource *r;

    if (root_made)
        return NULL;                /* one per boot: nothing else can make one */
    r = ob_create(&resource_type, sizeof *r);
    if (!r)
        return NULL;
    root_made = true;
    r->kind = RESOURCE_ROOT;
    return &r->ob;
}

/* The size of the space a kind of resource spans: ports or lines. */
static uint64_t kind_limit(uint64_t kind)
{
    return kind == RESOURCE_IOPORT ? IOPORT_COUNT : kind == RESOURCE_IRQ ? IRQ_LINES : 0;
}

bool resource_is_root(struct ob *o)
{
    return resource_of(o)->kind == RESOURCE_ROOT;
}

bool resource_covers(struct ob *o, uint32_t kind, uint64_t base, uint64_t count)
{
    struct resource *r = resource_of(o);

    if (r->kind == RESOURCE_ROOT)
        return true;
    return r->kind == kind && base >= r->base && count <= r->count &&
           base - r->base <= r->count - count;
}

long resource_derive(struct ob *parent, uint64_t kind, uint64_t base, uint64_t count,
                     struct ob **out)
{
    uint64_t limit = kind_limit(kind);
    struct resource *r;

    if (limit == 0 || count == 0 || base >= limit || count > limit - base)
        return E_INVAL;             /* unknown kind (the root is never derived), empty, past the end */
    if (!resource_covers(parent, (uint32_t)kind, base, count))
        return E_ACCESS;
    r = ob_create(&resource_type, sizeof *r);
    if (!r)
        return E_NOMEM;
    r->kind = (uint32_t)kind;
    r->base = base;
    r->count = count;
    *out = &r->ob;
    return 0;
}
