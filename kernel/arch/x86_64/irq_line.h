/*
 * A device's interrupt line (ISA IRQ 0..15), whichever chip delivers it:
 * the 8259 PIC from boot, the I/O APIC once smp_init found one (irq_line.c).
 * Every line keeps vector VEC_IRQ_BASE + line either way.
 */
#ifndef EMBER_IRQ_LINE_H
#define EMBER_IRQ_LINE_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/x86_64/madt.h"

void irq_line_mask(int irq);
/* Unmasks |irq|; a fire irq_line_take held back while it was masked is delivered again. */
void irq_line_unmask(int irq);
/*
 * Line |irq| fired: whether to handle it now.  False for a line masked in
 * software (an edge line on the I/O APIC), whose fire is kept for its unmask.
 */
bool irq_line_take(int irq);
/* The end of interrupt for line |irq|, sent before its handler runs (trap.c). */
void irq_line_eoi(int irq);
/*
 * From now on, lines go through the I/O APIC |mi| names, to the CPU with
 * APIC id |dest| (whose local APIC lapic_init enabled): the lines unmasked
 * so far are unmasked there, the 8259 and that CPU's LINT0 masked.  With
 * interrupts off.  Returns 0, or -1 (no I/O APIC: the PIC stays).
 */
int irq_line_use_ioapic(const struct madt_info *mi, uint8_t dest);

#endif
