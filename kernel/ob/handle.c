/*
 * handle.c: per-process handle tables (handle.h).
 *
 * The table is an array that doubles when full, up to HANDLE_QUOTA slots.
 * Lookup decodes the value and checks pid, slot range and generation: a few
 * instructions, on every handle-taking system call.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/string.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/handle.h"
#include "kernel/ob/wait.h"
#include "kernel/proc/process.h"

#define SLOT_BITS       16
#define GEN_BITS        16
#define PID_BITS        31      /* with 16 + 16 below: 63 bits, so a handle is positive */
#define SLOT_MASK       ((1u << SLOT_BITS) - 1)
#define GEN_MASK        ((1u << GEN_BITS) - 1)
#define PID_MASK        ((1ull << PID_BITS) - 1)
#define INITIAL_SLOTS   16

static handle_t encode(const struct handle_table *t, uint32_t slot)
{
    return (handle_t)(((t->pid & PID_MASK) << (SLOT_BITS + GEN_BITS)) |
                      ((uint64_t)t->entries[slot].gen << SLOT_BITS) | slot);
}

/* The entry |h| names in |t|, or NULL. */
static struct handle_entry *decode(struct handle_table *t, handle_t h)
{
    uint64_t v = (uint64_t)h;
    uint32_t slot = v & SLOT_MASK;

    if ((v >> (SLOT_BITS + GEN_BITS)) != (t->pid & PID_MASK) || slot >= t->capacity)
        return NULL;
    struct handle_entry *e = &t->entries[slot];
    if (!e->object || e->gen != ((v >> SLOT_BITS) & GEN_MASK))
        return NULL;
    return e;
}

void handle_table_init(struct handle_table *t, uint64_t pid)
{
    *t = (struct handle_table){ .pid = pid };
}

static long grow(struct handle_table *t)
{
    uint32_t cap = t->capacity ? t->capacity * 2 : INITIAL_SLOTS;

    if (cap > HANDLE_QUOTA)
        cap = HANDLE_QUOTA;
    if (cap <= t->capacity)
        return E_LIMIT;
    struct handle_entry *e = kzalloc(cap * sizeof *e, TAG("HTab"));
    if (!e)
        return E_NOMEM;
    if (t->entries)
        memcpy(e, t->entries, t->capacity * sizeof *e);
    for (uint32_t i = t->capacity; i < cap; i++)
        e[i].gen = 1;
    kfree(t->entries);
    t->entries = e;
    t->capacity = cap;
    return 0;
}

handle_t handle_install(struct process *p, struct ob *o, rights_t rights)
{
    struct handle_table *t = &p->handles;

    if (t->count == t->capacity) {
        long err = grow(t);
        if (err < 0)
            return err;
    }
    uint32_t slot = t->free_hint;
    while (t->entries[slot].object)
        slot++;
    t->entries[slot].object = o;
    t->entries[slot].rights = rights;
    t->count++;
    t->free_hint = slot + 1;
    ob_ref(o);
    ob_handle_opened(o);
    return encode(t, slot);
}

long handle_get(struct process *p, handle_t h, const struct ob_type *type, rights_t rights,
                struct ob **out)
{
    struct handle_entry *e = decode(&p->handles, h);

    if (!e)
        return E_BADHANDLE;
    if (type && e->object->type != type)
        return E_WRONGTYPE;
    if ((e->rights & rights) != rights)
        return E_ACCESS;
    ob_ref(e->object);
    *out = e->object;
    return 0;
}

handle_t handle_duplicate(struct process *from, handle_t h, struct process *to, rights_t rights)
{
    struct handle_entry *e = decode(&from->handles, h);

    if (!e)
        return E_BADHANDLE;
    if (rights == RIGHT_SAME)
        rights = e->rights;
    if (!(e->rights & RIGHT_DUPLICATE) || (rights & ~e->rights) ||
        (to != from && !(e->rights & RIGHT_TRANSFER)))
        return E_ACCESS;
    return handle_install(to, e->object, rights);
}

struct handle_entry *handle_peek(struct process *p, handle_t h)
{
    return decode(&p->handles, h);
}

void handle_for_each(struct process *p, void (*fn)(handle_t h, struct handle_entry *e, void *ctx),
                     void *ctx)
{
    struct handle_table *t = &p->handles;

    for (uint32_t slot = 0; slot < t->capacity; slot++)
        if (t->entries[slot].object)
            fn(encode(t, slot), &t->entries[slot], ctx);
}

long handle_rights(struct process *p, handle_t h)
{
    struct handle_entry *e = decode(&p->handles, h);

    return e ? (long)e->rights : E_BADHANDLE;
}

/* Empties slot |slot|; the object's counts drop last, as they may run hooks. */
static void release_slot(struct handle_table *t, uint32_t slot)
{
    struct handle_entry *e = &t->entries[slot];
    struct ob *o = e->object;

    e->object = NULL;
    e->rights = 0;
    e->gen = (e->gen % GEN_MASK) + 1;   /* 1 .. GEN_MASK, never 0 */
    t->count--;
    if (slot < t->free_hint)
        t->free_hint = slot;
    ob_handle_closed(o);
    ob_unref(o);
}

long handle_close(struct process *p, handle_t h)
{
    struct handle_entry *e = decode(&p->handles, h);

    if (!e)
        return E_BADHANDLE;
    if (!list_empty(&e->object->waiters))
        ob_wait_cancel(e->object, p, h);
    release_slot(&p->handles, (uint32_t)(e - p->handles.entries));
    return 0;
}

void handle_table_destroy(struct handle_table *t)
{
    for (uint32_t slot = 0; slot < t->capacity; slot++)
        if (t->entries[slot].object)
            release_slot(t, slot);
    kfree(t->entries);
    t->entries = NULL;
    t->capacity = 0;
}
