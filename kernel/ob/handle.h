/*
 * Handle tables: one per process, mapping handle values to (object, rights).
 *
 * A handle value packs the table slot, the slot's generation and the owning
 * process's id:  bits 0..15 slot, 16..31 generation (never 0), 32..62 pid
 * (pids stop at HANDLE_PID_MAX, so the pid part is exact).
 * Closing a handle bumps the slot's generation, so the old value stays
 * invalid after the slot is reused; a slot whose generation would wrap is
 * retired instead, never to be used again, so a closed value is never valid
 * again for the life of the process.  A value from another process carries
 * another pid and never resolves.
 *
 * Free slots form a list (the most recently freed first), so an install is
 * O(1) whatever the table holds.  At most HANDLE_QUOTA handles are open; the
 * table itself may grow past that, up to HANDLE_SLOTS_MAX slots, as slots
 * retire (after 65,535 uses each: about 4 billion closes per process).
 */
#ifndef EMBER_HANDLE_H
#define EMBER_HANDLE_H

#include "kernel/abi/types.h"
#include "kernel/arch/x86_64/spinlock.h"
#include "kernel/ob/object.h"

#define HANDLE_QUOTA        4096    /* handles one process may hold */
#define HANDLE_PID_MAX      0x7fffffffull   /* the largest pid a handle value can carry */
#define HANDLE_SLOTS_MAX    (1u << 16)      /* slots a value can name (bits 0..15) */

struct handle_entry {
    struct ob *object;              /* NULL: free (on the free list) or retired */
    union {
        rights_t rights;            /* an open handle's rights */
        uint32_t next_free;         /* a free slot: the next free slot, or HANDLE_NO_SLOT */
    };
    uint16_t gen;                   /* 1..0xffff; 0: retired, never used again */
    uint16_t attributes;            /* HANDLE_ATTRIBUTES_ALL (kernel/abi/types.h), HANDLE_MARKED */
};

#define HANDLE_NO_SLOT      UINT32_MAX
#define HANDLE_MARKED       0x8000  /* attributes: seen in this handle_close_many (kernel only) */

struct handle_table {
    struct spinlock lock;           /* guards everything below but |pid| (handle.c) */
    struct handle_entry *entries;
    uint32_t capacity;
    uint32_t count;                 /* open handles */
    uint32_t free_head;             /* first free slot, or HANDLE_NO_SLOT */
    uint32_t retired;               /* slots whose generation ran out */
    struct job *job;                /* charged JOB_HANDLES per open handle (job.h); NULL: none */
    uint64_t pid;
};

struct process;

void handle_table_init(struct handle_table *t, uint64_t pid);
/* Closes every handle, one at a time (no recursion), and frees the table. */
void handle_table_destroy(struct handle_table *t);

/*
 * Puts |o| into |p|'s table with |rights|; takes a new reference and counts
 * a handle.  Returns the handle value, or E_LIMIT / E_NOMEM.
 */
handle_t handle_install(struct process *p, struct ob *o, rights_t rights);
/*
 * The only lookup.  On success stores a new reference in |*out| (the caller
 * drops it with ob_unref) and returns 0.  Errors in this order: E_BADHANDLE,
 * E_WRONGTYPE (when |type| is not NULL), E_ACCESS (|rights| missing).
 */
long handle_get(struct process *p, handle_t h, const struct ob_type *type, rights_t rights,
                struct ob **out);
/*
 * Removes the handle; waits through it end with E_CANCELED.  E_BADHANDLE if
 * it is not one, E_ACCESS if it is protected (HANDLE_PROTECT_CLOSE).
 */
long handle_close(struct process *p, handle_t h);
/*
 * Closes the |n| handles |hs| (0s are skipped), all or none: E_BADHANDLE,
 * E_INVAL for a value given twice, E_ACCESS for a protected one, and then
 * nothing is closed.  O(|n|).
 */
long handle_close_many(struct process *p, const handle_t *hs, size_t n);
/*
 * Closes |h| and returns a new handle to its object with |rights|
 * (RIGHT_SAME: the same), in one step: no other handle is made or lost in
 * between, and the object never sees its handle count drop.  |h| is
 * consumed even when this fails with E_ACCESS (|rights| not a subset of
 * its) or E_NOMEM; it is kept only for E_BADHANDLE and for a protected
 * handle (E_ACCESS).
 */
handle_t handle_replace(struct process *p, handle_t h, rights_t rights);
/* Sets the attribute bits |set|, then clears |clear|; returns those before, or E_BADHANDLE. */
long handle_attributes(struct process *p, handle_t h, uint32_t set, uint32_t clear);
/* The rights of a valid handle (for duplicate), or E_BADHANDLE. */
long handle_rights(struct process *p, handle_t h);
/*
 * A new handle in |to| for the object behind |h| in |from|, with |rights|
 * (RIGHT_SAME: those of |h|).  |h| needs RIGHT_DUPLICATE, and RIGHT_TRANSFER
 * when |to| is another process; rights never grow.  Returns the new handle,
 * or E_BADHANDLE, E_ACCESS, E_LIMIT, E_NOMEM.
 */
handle_t handle_duplicate(struct process *from, handle_t h, struct process *to, rights_t rights);
/* Calls |fn| with each open handle of |p| and a copy of its entry, unlocked (for the handles tool). */
void handle_for_each(struct process *p, void (*fn)(handle_t h, struct handle_entry *e, void *ctx),
                     void *ctx);
/* The entry behind a valid handle value, or NULL (for the handles tool and waits). */
struct handle_entry *handle_peek(struct process *p, handle_t h);

#endif
