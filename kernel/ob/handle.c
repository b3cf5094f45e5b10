/*
 * handle.c: per-process handle tables (handle.h).
 *
 * The table is an array that doubles when it has no free slot, up to
 * HANDLE_SLOTS_MAX slots; free slots are a list threaded through the
 * entries (Zircon's handle arena does the same), so install and close are
 * O(1).  Lookup decodes the value and checks pid, slot range and
 * generation: a few instructions, on every handle-taking system call.
 *
 * Locking: each table's |lock| (a spinlock, class handle_table) guards its
 * entries, counts and free list.  Lookups take their reference under it;
 * closing empties the slot under it and runs the object's hooks (cancelling
 * waits, on_last_handle, destroy) after it is dropped, so the lock is never
 * held across them or across a user copy.  Growing the table allocates with
 * it held (handle_table before heap).  No path holds two tables at once:
 * handle_duplicate takes a reference in one and installs it in the other.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/arch/x86_64/spinlock.h"
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

static LOCK_CLASS(handle_table_class, "handle_table");

void handle_table_init(struct handle_table *t, uint64_t pid)
{
    *t = (struct handle_table){ .free_head = HANDLE_NO_SLOT, .pid = pid };
    spin_init(&t->lock, "handle_table", &handle_table_class);
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

    spin_lock(&t->lock);
    handle_t h = t->count >= HANDLE_QUOTA ? E_LIMIT : fill_slot(t, o, rights);
    if (h > 0) {
        ob_ref(o);
        ob_handle_opened(o);
    }
    spin_unlock(&t->lock);
    return h;
}

/* The errors of a lookup of |e| (NULL: not a handle), in handle_get's order; 0 if it passes. */
static long check_entry(const struct handle_entry *e, const struct ob_type *type, rights_t rights)
{
    if (!e)
        return E_BADHANDLE;
    if (type && e->object->type != type)
        return E_WRONGTYPE;
    if ((e->rights & rights) != rights)
        return E_ACCESS;
    return 0;
}

long handle_get(struct process *p, handle_t h, const struct ob_type *type, rights_t rights,
                struct ob **out)
{
    struct handle_table *t = &p->handles;

    spin_lock(&t->lock);
    struct handle_entry *e = decode(t, h);
    long err = check_entry(e, type, rights);
    if (err == 0) {
        ob_ref(e->object);
        *out = e->object;
    }
    spin_unlock(&t->lock);
    return err;
}

handle_t handle_duplicate(struct process *from, handle_t h, struct process *to, rights_t rights)
{
    struct handle_table *t = &from->handles;
    struct ob *o = NULL;

    spin_lock(&t->lock);
    struct handle_entry *e = decode(t, h);
    long err = check_entry(e, NULL, RIGHT_DUPLICATE);
    if (err == 0) {
        if (rights == RIGHT_SAME)
            rights = e->rights;
        if ((rights & ~e->rights) || (to != from && !(e->rights & RIGHT_TRANSFER)))
            err = E_ACCESS;
        else
            ob_ref(o = e->object);      /* held while |to|'s table is locked, not |from|'s */
    }
    spin_unlock(&t->lock);
    if (err < 0)
        return err;
    handle_t n = handle_install(to, o, rights);
    ob_unref(o);
    return n;
}

/*
 * No lock: the entry is borrowed, valid until a handle of |p| closes.  Its
 * callers look at their own process's handles, which on one CPU running
 * threads nothing else closes meanwhile (docs/14-smp.md, what remains).
 */
struct handle_entry *handle_peek(struct process *p, handle_t h)
{
    return decode(&p->handles, h);
}

/*
 * Calls |fn| on a copy of each open entry, with the lock dropped (|fn| may
 * copy to user memory).  It takes no reference, as queries report the
 * count: the object lives on because only |p|'s own threads close its
 * handles and, on one CPU running threads, none runs meanwhile (what the
 * per-CPU scheduler must revisit: docs/14-smp.md).
 */
void handle_for_each(struct process *p, void (*fn)(handle_t h, struct handle_entry *e, void *ctx),
                     void *ctx)
{
    struct handle_table *t = &p->handles;

    for (uint32_t slot = 0;; slot++) {
        spin_lock(&t->lock);
        while (slot < t->capacity && !t->entries[slot].object)
            slot++;
        if (slot >= t->capacity) {
            spin_unlock(&t->lock);
            return;
        }
        struct handle_entry copy = t->entries[slot];
        handle_t h = encode(t, slot);
        spin_unlock(&t->lock);
        fn(h, &copy, ctx);
    }
}

long handle_rights(struct process *p, handle_t h)
{
    spin_lock(&p->handles.lock);
    struct handle_entry *e = decode(&p->handles, h);
    long r = e ? (long)e->rights : E_BADHANDLE;
    spin_unlock(&p->handles.lock);
    return r;
}

/*
 * Empties slot |slot|: a new generation and back on the free list, or
 * retired when the generation would wrap (so no value ever comes back).
 * Returns the object, whose handle and reference the caller drops (with
 * finish_close) once the lock is released, as that may run hooks.
 */
static struct ob *release_slot(struct handle_table *t, uint32_t slot)
{
    struct handle_entry *e = &t->entries[slot];
    struct ob *o = e->object;

    spin_assert_held(&t->lock);
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
    return o;
}

/* After release_slot, unlocked: ends the waits made through |h|, then drops the handle and the reference. */
static void finish_close(struct process *p, handle_t h, struct ob *o)
{
    if (!list_empty(&o->waiters))
        ob_wait_cancel(o, p, h);
    ob_handle_closed(o);
    ob_unref(o);
}

static uint32_t slot_of(const struct handle_table *t, const struct handle_entry *e)
{
    return (uint32_t)(e - t->entries);
}

long handle_close(struct process *p, handle_t h)
{
    struct handle_table *t = &p->handles;
    struct ob *o = NULL;

    spin_lock(&t->lock);
    struct handle_entry *e = decode(t, h);
    long err = !e ? E_BADHANDLE : e->attributes & HANDLE_PROTECT_CLOSE ? E_ACCESS : 0;
    if (err == 0)
        o = release_slot(t, slot_of(t, e));
    spin_unlock(&t->lock);
    if (o)
        finish_close(p, h, o);
    return err;
}

/* Clears the marks close_many set on the first |n| of |hs|. */
static void unmark(struct handle_table *t, const handle_t *hs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (hs[i])
            decode(t, hs[i])->attributes &= ~HANDLE_MARKED;
}

/* close_many's first pass, locked: every value checked and marked (a value given twice is caught). */
static long check_and_mark(struct handle_table *t, const handle_t *hs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct handle_entry *e = hs[i] ? decode(t, hs[i]) : NULL;
        long err = !hs[i] ? 0 : !e ? E_BADHANDLE : e->attributes & HANDLE_MARKED ? E_INVAL :
                   e->attributes & HANDLE_PROTECT_CLOSE ? E_ACCESS : 0;
        if (err < 0) {
            unmark(t, hs, i);
            return err;
        }
        if (e)
            e->attributes |= HANDLE_MARKED;
    }
    return 0;
}

/*
 * Checks every value first; only then empties every slot, in the same turn
 * of the lock, so all or none close.  The hooks run after it.
 */
long handle_close_many(struct process *p, const handle_t *hs, size_t n)
{
    struct handle_table *t = &p->handles;
    struct ob *closed[HANDLE_CLOSE_MANY_MAX];

    ASSERT(n <= HANDLE_CLOSE_MANY_MAX);
    spin_lock(&t->lock);
    long err = check_and_mark(t, hs, n);
    for (size_t i = 0; err == 0 && i < n; i++)
        closed[i] = hs[i] ? release_slot(t, slot_of(t, decode(t, hs[i]))) : NULL;
    spin_unlock(&t->lock);
    for (size_t i = 0; err == 0 && i < n; i++)
        if (closed[i])
            finish_close(p, hs[i], closed[i]);
    return err;
}

handle_t handle_replace(struct process *p, handle_t h, rights_t rights)
{
    struct handle_table *t = &p->handles;

    spin_lock(&t->lock);
    struct handle_entry *e = decode(t, h);
    long err = !e ? E_BADHANDLE : e->attributes & HANDLE_PROTECT_CLOSE ? E_ACCESS : 0;
    if (err < 0) {                      /* protected from close: not consumed either */
        spin_unlock(&t->lock);
        return err;
    }
    struct ob *o = e->object;
    bool grows = rights != RIGHT_SAME && (rights & ~e->rights);

    rights = rights == RIGHT_SAME ? e->rights : rights;
    ob_ref(o);                          /* for the new handle, before the old one goes */
    ob_handle_opened(o);
    release_slot(t, slot_of(t, e));     /* to the free list's front: fill_slot takes it back */
    handle_t n = grows ? E_ACCESS : fill_slot(t, o, rights);
    spin_unlock(&t->lock);
    finish_close(p, h, o);
    if (n < 0) {
        ob_handle_closed(o);            /* consumed even on failure, as in Zircon */
        ob_unref(o);
    }
    return n;
}

long handle_attributes(struct process *p, handle_t h, uint32_t set, uint32_t clear)
{
    struct handle_table *t = &p->handles;

    spin_lock(&t->lock);
    struct handle_entry *e = decode(t, h);
    long before = e ? e->attributes : E_BADHANDLE;
    if (e)
        e->attributes = (uint16_t)((e->attributes | set) & ~clear);
    spin_unlock(&t->lock);
    return before;
}

/* The process is gone: each handle closes in its own turn of the lock, the hooks outside it. */
void handle_table_destroy(struct handle_table *t)
{
    for (uint32_t slot = 0;; slot++) {
        spin_lock(&t->lock);
        while (slot < t->capacity && !t->entries[slot].object)
            slot++;
        struct ob *o = slot < t->capacity ? release_slot(t, slot) : NULL;
        spin_unlock(&t->lock);
        if (!o)
            break;
        ob_handle_closed(o);
        ob_unref(o);
    }
    spin_lock(&t->lock);
    kfree(t->entries);
    t->entries = NULL;
    t->capacity = 0;
    t->free_head = HANDLE_NO_SLOT;
    spin_unlock(&t->lock);
}
