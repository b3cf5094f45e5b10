/*
 * The object manager's object header, embedded first in every kernel object
 * that a handle can reach (process, thread, file, event, mutex, semaphore,
 * pipe end, section, port).
 *
 * Two counts, as in NT: |refs| are pointer references held by kernel code
 * (a handle holds one too); |handles| are open handles.  When the last
 * handle closes, the type's on_last_handle hook runs (e.g. a pipe end tells
 * its peer); when the last reference goes, destroy runs and the memory is
 * freed.  The counts saturate instead of wrapping and assert on underflow.
 *
 * Objects are allocated from the heap under their type's tag, so the heap's
 * per-tag counts are the object counts the leak check compares.
 */
#ifndef EMBER_OBJECT_H
#define EMBER_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/abi/types.h"
#include "kernel/lib/list.h"
#include "kernel/lib/panic.h"

struct ob;
struct ob_name;
struct query_out;
struct thread;

struct ob_type {
    const char *name;
    uint32_t code;                  /* OB_TYPE_*: how ring 3 names the type */
    uint32_t tag;                   /* TAG("Evnt"): heap tag of its objects */
    rights_t valid_rights;
    rights_t default_rights;        /* what a creating process's handle gets */
    rights_t open_rights;           /* what an opener by name gets (0: default_rights) */
    void (*destroy)(struct ob *o);              /* last reference: free what it owns */
    void (*on_last_handle)(struct ob *o);       /* optional */
    /*
     * Waitable types: whether |t| could be satisfied now, and the side effect
     * when it is (an auto-reset event resets...).  on_satisfied returns 0, or
     * WAIT_ABANDONED_BIT when |t| got a mutex whose owner died holding it.
     */
    bool (*is_signaled)(struct ob *o, struct thread *t);
    long (*on_satisfied)(struct ob *o, struct thread *t);
    /*
     * Optional: the answer to object_query's |info_class| (one of this type's
     * INFO_CLASS(code, n)), put with query_put (ob/query.h); 0, or E_INVAL
     * for a class the type does not have.  Runs with nothing locked and must
     * not block; query_put copies to user memory.
     */
    long (*query)(struct ob *o, uint32_t info_class, struct query_out *q);
};

struct ob {
    const struct ob_type *type;
    uint64_t id;                    /* unique, never reused */
    uint32_t refs;
    uint32_t handles;
    uint64_t creator_pid;
    struct list_node waiters;       /* struct wait_block.node of threads waiting on it */
    struct ob_name *name;           /* in the namespace (namespace.c), or NULL */
    uint64_t mark;                  /* ob_mark: seen in the current pass of a duplicate check */
    struct list_node dying_node;    /* queued for destruction (object.c) */
    struct job *job;                /* charged JOB_OBJECTS for it (job.h), with a reference; or NULL */
};

/*
 * Allocates a zeroed object of |size| bytes (the struct that embeds the
 * header first) with one reference held by the caller; NULL when out of
 * memory or over the creator's job limit.
 */
void *ob_create(const struct ob_type *type, size_t size);

/*
 * What objects and handles are charged to: a job, which lives a floor up in
 * kernel/proc/job.c (docs/00-design.md, section 1).  job_init sets these;
 * until then (and in the host unit tests unless they set them) nothing is
 * charged and the creator is the kernel.
 */
struct ob_hooks {
    /*
     * A new object: charges the running process's job one JOB_OBJECTS and
     * puts it in |*job| with a reference (NULL when the kernel creates it),
     * and the process's pid in |*creator_pid|.  < 0 refuses, charging nothing.
     */
    long (*charge_object)(struct job **job, uint64_t *creator_pid);
    /* An object charged to |job| is destroyed: the charge and the reference go back. */
    void (*uncharge_object)(struct job *job);
    /* One handle more / fewer in a table charged to |job| (JOB_HANDLES); < 0 refuses. */
    long (*charge_handle)(struct job *job);
    void (*uncharge_handle)(struct job *job);
};
extern struct ob_hooks ob_hooks;

#define OB_COUNT_MAX UINT32_MAX     /* a saturated count pins the object forever */

static inline void ob_ref(struct ob *o)
{
    if (o->refs != OB_COUNT_MAX)
        o->refs++;
}

/* The last reference went: destroy |o| (object.c). */
void ob_last_unref(struct ob *o);

/*
 * Drops a reference; at zero, runs type->destroy and frees the object.
 * Destruction is iterative: objects whose last reference a destroy hook
 * drops are queued and destroyed by the outermost call, so a chain of
 * objects holding each other (ports in messages in ports...) never deepens
 * the kernel stack.  Inline: every handle lookup ends with one.
 */
static inline void ob_unref(struct ob *o)
{
    ASSERT(o->refs > 0);
    if (o->refs != OB_COUNT_MAX && --o->refs == 0)
        ob_last_unref(o);
}
static inline void ob_handle_opened(struct ob *o)
{
    if (o->handles != OB_COUNT_MAX)
        o->handles++;
}

/* Counts a closed handle; the last one runs the type's on_last_handle hook. */
void ob_handle_closed(struct ob *o);

/*
 * Finding an object twice in a list in O(n): take a new pass number with
 * ob_mark_pass, then ob_mark each object; it returns false for one already
 * marked in this pass.  Nothing to clear afterwards.
 */
uint64_t ob_mark_pass(void);
static inline bool ob_mark(struct ob *o, uint64_t pass)
{
    if (o->mark == pass)
        return false;
    o->mark = pass;
    return true;
}

#endif
