/*
 * Interrupt objects: one IRQ line bound to a ring-3 driver
 * (docs/09-drivers.md).  When the line fires the kernel masks it and
 * signals the object; the driver waits on it like on any object, services
 * its device and acknowledges, which unmasks the line.
 */
#ifndef EMBER_INTERRUPT_H
#define EMBER_INTERRUPT_H

#include <stdint.h>
#include "kernel/ob/object.h"

extern const struct ob_type interrupt_type;

/*
 * Binds line |irq| under resource |res| and unmasks it (one reference for
 * the caller; the binding ends, line masked, when the object goes).
 * E_INVAL for a line out of range, E_ACCESS when |res| does not cover it,
 * E_BUSY when the kernel drives it or another interrupt object has it,
 * E_NOMEM.
 */
long interrupt_create(struct ob *res, uint64_t irq, struct ob **out);
/* Unmasks the line after a fire: 0, or E_INVAL when no fire is pending. */
long interrupt_ack(struct ob *o);
/* Through trap_hooks.driver_irq: line |irq| fired and no kernel handler owns it. */
void interrupt_fire(int irq);
/* Registers interrupt_fire with the trap path (trap.h). */
void interrupt_init(void);

#endif
