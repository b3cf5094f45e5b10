/*
 * irq_line.c: masking, unmasking and acknowledging a device's interrupt
 * line, whichever controller delivers it (irq_line.h).
 *
 * The kernel starts on the 8259 PIC (pic.c), whose lines reach the boot
 * CPU through its local APIC's LINT0 in "virtual wire" mode: it needs no
 * tables, so the timer can tick before the MADT is read.  Once smp_init
 * has read it, irq_line_use_ioapic moves every line to the I/O APIC
 * (ioapic.c) and masks the PIC for good: with several CPUs the PIC's wire
 * reaches only the one CPU whose LINT0 listens, while the I/O APIC can
 * send a line to any CPU by its APIC id (Ember sends all of them to CPU 0).
 * The lines unmasked before the switch (the PIT's, the kernel-mode clock's)
 * are remembered here and unmasked again on the new chip.
 *
 * An edge-triggered line is masked in software only.  The I/O APIC drops
 * an edge that arrives while its pin is masked (the 8259 kept it in its
 * request register), and a UART whose line is already high raises no new
 * edge: a character arriving while its driver is busy would leave the
 * console deaf for good.  So the pin stays open; a fire on a line masked
 * here is only noted (irq_line_take says no), and unmasking a line with a
 * noted fire sends its vector again, as an IPI to CPU 0.  A level line
 * cannot be lost that way and is masked at the pin.
 *
 * Callers (trap.c, the interrupt objects of kernel/drv/interrupt.c) never
 * name a chip.  No locks: called with interrupts off, on CPU 0.
 */
#include <stdbool.h>
#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/irq_line.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/trap.h"

#define IRQ_CPU             0       /* where the I/O APIC sends every line */

static bool through_ioapic;
static uint16_t unmasked;           /* lines unmasked, one bit each: carried over by the switch */
static uint16_t noted;              /* edge lines that fired while masked: sent again at unmask */

void irq_line_mask(int irq)
{
    unmasked &= (uint16_t)~(1u << irq);
    if (!through_ioapic)
        pic_mask(irq);
    else if (ioapic_level(irq))
        ioapic_mask(irq);
}

void irq_line_unmask(int irq)
{
    unmasked |= (uint16_t)(1u << irq);
    if (!through_ioapic) {
        pic_unmask(irq);
        return;
    }
    ioapic_unmask(irq);
    if (noted & (1u << irq)) {
        noted &= (uint16_t)~(1u << irq);
        ipi_send(IRQ_CPU, (uint8_t)(VEC_IRQ_BASE + irq));  /* taken once interrupts are on */
    }
}

bool irq_line_take(int irq)
{
    if (!through_ioapic || (unmasked & (1u << irq)))
        return true;
    noted |= (uint16_t)(1u << irq);
    return false;
}

void irq_line_eoi(int irq)
{
    if (through_ioapic)
        lapic_eoi();
    else
        pic_eoi(irq);
}

int irq_line_use_ioapic(const struct madt_info *mi, uint8_t dest)
{
    if (ioapic_init(mi, dest) < 0)
        return -1;
    pic_mask_all();
    lapic_mask_extint();            /* nothing may come through the PIC's wire now */
    through_ioapic = true;
    for (int irq = 0; irq < IRQ_COUNT; irq++)
        if (unmasked & (1u << irq))
            ioapic_unmask(irq);
    return 0;
}
