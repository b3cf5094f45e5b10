/*
 * The I/O APIC: the chip that turns device interrupt lines into messages to
 * a CPU's local APIC (docs/14-smp.md, "Device interrupts through the I/O
 * APIC").  Ember programs one, the MADT's first, for the 16 ISA lines.
 */
#ifndef EMBER_IOAPIC_H
#define EMBER_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/x86_64/madt.h"

/*
 * Maps the I/O APIC |mi| names, masks every pin, and points each ISA line
 * the overrides leave a pin at vector VEC_IRQ_BASE + line on the CPU with
 * APIC id |dest|, still masked.  Returns 0, or -1 when there is none.
 */
int ioapic_init(const struct madt_info *mi, uint8_t dest);
/* Masks or unmasks ISA line |irq|'s pin; a line without a pin stays silent. */
void ioapic_mask(int irq);
void ioapic_unmask(int irq);
/* How many pins it has, and whether ISA line |irq| reaches one (for the boot log). */
int ioapic_pins(void);
bool ioapic_routed(int irq);
/* Whether ISA line |irq|'s pin is level-triggered (its override says so); else edge. */
bool ioapic_level(int irq);

#endif
