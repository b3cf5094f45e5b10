/*
 * handle.c: per-process handle tables (handle.h).
 *
 * The table is an array that doubles when it has no free slot, up to
 * HANDLE_SLOTS_MAX slots; free slots are a list threaded through the
 * entries (Zircon's handle arena does the same), so install and close are
 * O(1).  Lookup decodes the value and checks pid, slot range and
 * generation: a few instructions, on every handle-taking system call.
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
#define SLOT_MASK       (HANDLE_SLOTS_MAX - 1)
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
    *t = (struct handle_table){ .free_head = HANDLE_NO_SLOT, .pid = pid };
}

/*
 * Doubles the table; the new slots go on the free list lowest first.
 * E_LIMIT once every slot a value can name is in use or retired.
 */
static long grow(struct handle_table *t)
{
    uint32_t cap = t->capacity ? t->capacity * 2 : INITIAL_SLOTS;

    if (cap > HANDLE_SLOTS_MAX)
        cap = HANDLE_SLOTS_MAX;
    if (cap <= t->capacity)
        return E_LIMIT;
    struct handle_entry *e = kzalloc(cap * sizeof *e, TAG("HTab"));
    if (!e)
        return E_NOMEM;
    if (t->entries)
        memcpy(e, t->entries, t->capacity * sizeof *e);
    for (uint32_t i = cap; i-- > t->capacity;) {
        e[i].gen = 1;
        e[i].next_free = t->free_head;
        t->free_head = i;
    }
    kfree(t->entries);
    t->entries = e;
    t->capacity = cap;
    return 0;
}

/*
 * Puts |o| into a free slot with |rights| and returns its value; the
 * caller has counted the reference and the handle.  E_LIMIT, E_NOMEM.
 */
static handle_t fill_slot(struct handle_table *t, struct ob *o, rights_t rights)
{
    if (t->job && ob_hooks.charge_handle(t->job) < 0)
        return E_QUOTA;                 /* given back in release_slot */
    if (t->free_head == HANDLE_NO_SLOT) {
        long err = grow(t);
        if (err < 0) {
            if (t->job)
                ob_hooks.uncharge_handle(t->job);
            return err;
        }
    }
    uint32_t slot = t->free_head;
    struct handle_entry *e = &t->entries[slot];

    t->free_head = e->next_free;
    e->object = o;
    e->rights = rights;
    e->attributes = 0;
    t->count++;
    return encode(t, slot);
}

handle_t handle_install(struct process *p, struct ob *o, rights_t rights)
{
    struct handle_table *t = &p->handles;

    if (t->count >= HANDLE_QUOTA)
        return E_LIMIT;
    handle_t h = fill_slot(t, o, rights);
    if (h > 0) {
        ob_ref(o);
        ob_handle_opened(o);
    }
    return h;
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

/*
 * Empties slot |slot|: a new generation and back on the free list, or
 * retired when the generation would wrap (so no value ever comes back).
 * The object's counts drop last, as they may run hooks.
 */
static void release_slot(struct handle_table *t, uint32_t slot)
{
    struct handle_entry *e = &t->entries[slot];
    struct ob *o = e->object;

    e->object = NULL;
    e->attributes = 0;
    t->count--;
    if (t->job)
        ob_hooks.uncharge_handle(t->job);
    if (e->gen == GEN_MASK) {
        e->gen = 0;
        t->retired++;
    } else {
        e->gen++;
        e->next_free = t->free_head;
        t->free_head = slot;
    }
    ob_handle_closed(o);
    ob_unref(o);
}

/* Ends the waits through |h| and empties its slot |e|. */
static void close_entry(struct process *p, handle_t h, struct handle_entry *e)
{
    if (!list_empty(&e->object->waiters))
        ob_wait_cancel(e->object, p, h);
    release_slot(&p->handles, (uint32_t)(e - p->handles.entries));
}

long handle_close(struct process *p, handle_t h)
{
    struct handle_entry *e = decode(&p->handles, h);

    if (!e)
        return E_BADHANDLE;
    if (e->attributes & HANDLE_PROTECT_CLOSE)
        return E_ACCESS;
    close_entry(p, h, e);
    return 0;
}

/* Clears the marks close_many set on the first |n| of |hs|. */
static void unmark(struct process *p, const handle_t *hs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (hs[i])
            decode(&p->handles, hs[i])->attributes &= ~HANDLE_MARKED;
}

/*
 * Checks every value first, marking each entry so that a value given twice
 * is caught in the same pass; only then closes them all.
 */
long handle_close_many(struct process *p, const handle_t *hs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct handle_entry *e = hs[i] ? decode(&p->handles, hs[i]) : NULL;
        long err = !hs[i] ? 0 : !e ? E_BADHANDLE : e->attributes & HANDLE_MARKED ? E_INVAL :
                   e->attributes & HANDLE_PROTECT_CLOSE ? E_ACCESS : 0;
        if (err < 0) {
            unmark(p, hs, i);
            return err;
        }
        if (e)
            e->attributes |= HANDLE_MARKED;
    }
    for (size_t i = 0; i < n; i++)
        if (hs[i])
            close_entry(p, hs[i], decode(&p->handles, hs[i]));
    return 0;
}

handle_t handle_replace(struct process *p, handle_t h, rights_t rights)
{
    struct handle_entry *e = decode(&p->handles, h);

    if (!e)
        return E_BADHANDLE;
    if (e->attributes & HANDLE_PROTECT_CLOSE)
        return E_ACCESS;                /* protected from close: not consumed either */
    struct ob *o = e->object;
    bool grows = rights != RIGHT_SAME && (rights & ~e->rights);

    rights = rights == RIGHT_SAME ? e->rights : rights;
    ob_ref(o);                          /* for the new handle, before the old one goes */
    ob_handle_opened(o);
    close_entry(p, h, e);               /* to the free list's front: fill_slot takes it back */
    handle_t n = grows ? E_ACCESS : fill_slot(&p->handles, o, rights);
    if (n < 0) {
        ob_handle_closed(o);            /* consumed even on failure, as in Zircon */
        ob_unref(o);
    }
    return n;
}

long handle_attributes(struct process *p, handle_t h, uint32_t set, uint32_t clear)
{
    struct handle_entry *e = decode(&p->handles, h);

    if (!e)
        return E_BADHANDLE;
    long before = e->attributes;
    e->attributes = (uint16_t)((e->attributes | set) & ~clear);
    return before;
}

void handle_table_destroy(struct handle_table *t)
{
    for (uint32_t slot = 0; slot < t->capacity; slot++)
        if (t->entries[slot].object)
            release_slot(t, slot);
    kfree(t->entries);
    t->entries = NULL;
    t->capacity = 0;
    t->free_head = HANDLE_NO_SLOT;
}
