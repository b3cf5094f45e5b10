/*
 * ioapic.c: the I/O APIC (ioapic.h), which carries device interrupts to a
 * CPU once the 8259 PIC is masked (irq_line.c makes the switch).
 *
 * It has a handful of registers behind two windows: write a register's
 * number to IOREGSEL, then read or write it through IOWIN.  Register 1
 * holds the number of pins; from 0x10 on, each pin has a 64-bit
 * redirection entry: vector, delivery mode (fixed), polarity, trigger
 * mode, a mask bit, and in the high word the APIC id of the CPU that gets
 * it (physical destination mode).
 *
 * An ISA line n arrives at pin n unless the MADT overrides it (under QEMU
 * the PIT's IRQ 0 arrives at pin 2); madt_isa_route (madt.c) says where
 * and how.  The vector stays VEC_IRQ_BASE + n, the PIC's, so trap.c
 * dispatches a line the same whichever chip delivered it.  Edge or level,
 * the line is acknowledged at the local APIC (lapic_eoi), which for a
 * level-triggered pin tells the I/O APIC too.
 *
 * Only the MADT's first I/O APIC is used, for the 16 ISA lines: more are
 * for PCI devices, which Ember's drivers do not have.  No locks: the pins
 * change from CPU 0 only, with interrupts off.
 */
#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/arch/x86_64/trap.h"

#define IOREGSEL            0x00    /* byte offsets of the two windows */
#define IOWIN               0x10
#define IOAPIC_VERSION      0x01    /* bits 16..23: the highest pin's number */
#define IOAPIC_REDIRECT     0x10    /* pin n's entry: registers 0x10 + 2n (low), + 1 (high) */
#define REDIRECT_ACTIVE_LOW (1u << 13)
#define REDIRECT_LEVEL      (1u << 15)
#define REDIRECT_MASKED     (1u << 16)
#define REDIRECT_DEST_SHIFT 24      /* in the high word: the destination APIC id */
#define NO_PIN              -1

static volatile uint32_t *regs;
static int npins;
static int pin_of[IRQ_COUNT];       /* each ISA line's pin, or NO_PIN */
static uint32_t entry_low[IRQ_COUNT];   /* its entry's low word, mask bit clear */

static uint32_t ioapic_read(uint32_t reg)
{
    regs[IOREGSEL / 4] = reg;
    return regs[IOWIN / 4];
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
    regs[IOREGSEL / 4] = reg;
    regs[IOWIN / 4] = v;
}

/* Points ISA line |irq| at CPU |dest| as |mi| routes it, masked. */
static void route_line(const struct madt_info *mi, int irq, uint8_t dest)
{
    struct madt_route r = madt_isa_route(mi, irq);
    uint32_t pin = r.gsi - mi->ioapic_gsi_base;

    pin_of[irq] = NO_PIN;
    if (irq == IRQ_CASCADE || r.gsi == MADT_NO_GSI || r.gsi < mi->ioapic_gsi_base || pin >= (uint32_t)npins)
        return;
    pin_of[irq] = (int)pin;
    entry_low[irq] = (uint32_t)(VEC_IRQ_BASE + irq) | (r.active_low ? REDIRECT_ACTIVE_LOW : 0) |
                     (r.level ? REDIRECT_LEVEL : 0);
    ioapic_write(IOAPIC_REDIRECT + 2 * pin + 1, (uint32_t)dest << REDIRECT_DEST_SHIFT);
    ioapic_write(IOAPIC_REDIRECT + 2 * pin, entry_low[irq] | REDIRECT_MASKED);
}

int ioapic_init(const struct madt_info *mi, uint8_t dest)
{
    if (!mi->ioapic_phys || paging_map_device(mi->ioapic_phys, PAGE_SIZE, true) < 0)
        return -1;
    regs = phys_to_virt(mi->ioapic_phys);
    npins = (int)((ioapic_read(IOAPIC_VERSION) >> 16) & 0xff) + 1;
    for (int pin = 0; pin < npins; pin++)
        ioapic_write(IOAPIC_REDIRECT + 2 * (uint32_t)pin, REDIRECT_MASKED);
    for (int irq = 0; irq < IRQ_COUNT; irq++)
        route_line(mi, irq, dest);
    return 0;
}

void ioapic_mask(int irq)
{
    if (pin_of[irq] != NO_PIN)
        ioapic_write(IOAPIC_REDIRECT + 2 * (uint32_t)pin_of[irq], entry_low[irq] | REDIRECT_MASKED);
}

void ioapic_unmask(int irq)
{
    if (pin_of[irq] != NO_PIN)
        ioapic_write(IOAPIC_REDIRECT + 2 * (uint32_t)pin_of[irq], entry_low[irq]);
}

int ioapic_pins(void)
{
    return npins;
}

bool ioapic_routed(int irq)
{
    return pin_of[irq] != NO_PIN;
}

bool ioapic_level(int irq)
{
    return pin_of[irq] != NO_PIN && (entry_low[irq] & REDIRECT_LEVEL);
}
