/*
 * I/O-port ranges: the right to run `in` and `out` on ports [base, base +
 * count) in ring 3, with no system call per byte (docs/09-drivers.md).
 * Enabling a range opens exactly its bits in the calling process's I/O
 * permission bitmap, which the TSS points at while that process runs.
 */
#ifndef EMBER_IOPORT_H
#define EMBER_IOPORT_H

#include <stdint.h>
#include "kernel/ob/object.h"

struct process;
struct trap_frame;

extern const struct ob_type ioport_type;

/*
 * A new range under resource |res| (one reference for the caller).
 * E_INVAL for an empty, wrapping or out-of-range span, E_ACCESS when |res|
 * does not cover it, E_BUSY when it touches a port the kernel keeps, E_NOMEM.
 */
long ioport_create(struct ob *res, uint64_t base, uint64_t count, struct ob **out);
/* Opens / closes range |o| for process |p|: 0, E_LIMIT (too many ranges), E_NOMEM; E_NOTFOUND to close one not open. */
long ioport_enable(struct process *p, struct ob *o);
long ioport_disable(struct process *p, struct ob *o);
/* Ports the kernel drives itself: refused to every ioport_create from now on. */
void ioport_reserve(uint64_t base, uint64_t count);
/* Points the TSS at |p|'s bitmap, or at none; on every switch to a thread of |p| (sched_hooks). */
void ioport_switch(struct process *p);
/* Closes every range |p| opened (teardown, through process_hooks.release_io). */
void ioport_release_all(struct process *p);
/* Registers ioport_switch and ioport_release_all with the floors below (sched, proc). */
void ioport_init(void);
/*
 * A #GP in ring 3 by `in`, `out`, `ins` or `outs`: records the port in the
 * process's status and logs a line naming it.  Other #GPs are left alone.
 */
void ioport_note_fault(const struct trap_frame *f);

#endif
