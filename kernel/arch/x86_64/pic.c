/*
 * pic.c: the legacy 8259 PIC pair.  At reset their lines overlap the CPU's
 * exception vectors, so we move IRQ 0..7 to vectors 32..39 and 8..15 to
 * 40..47, and start with every line masked; irq_register unmasks one.
 * Spurious IRQ 7 and 15 are not acknowledged, as the 8259 expects.
 * Once an I/O APIC takes over (irq_line.c) the PIC is masked for good.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/trap.h"

#define PIC1_CMD        0x20
#define PIC1_DATA       0x21
#define PIC2_CMD        0xa0
#define PIC2_DATA       0xa1
#define ICW1_INIT_ICW4  0x11
#define ICW4_8086       0x01
#define PIC_EOI         0x20
#define PIC_CASCADE_IRQ 2
#define OCW3_READ_IRR   0x0a    /* the next read of the command port gives the request register */

static uint16_t mask = 0xffff;

static void write_mask(void)
{
    outb(PIC1_DATA, mask & 0xff);
    outb(PIC2_DATA, mask >> 8);
}

void pic_init(void)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    outb(PIC1_DATA, VEC_IRQ_BASE);
    outb(PIC2_DATA, VEC_IRQ_BASE + 8);
    outb(PIC1_DATA, 1 << PIC_CASCADE_IRQ);  /* slave on line 2 */
    outb(PIC2_DATA, PIC_CASCADE_IRQ);       /* slave's identity */
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    mask = 0xffff & ~(1 << PIC_CASCADE_IRQ);
    write_mask();
}

void pic_unmask(int irq)
{
    mask &= ~(1u << irq);
    write_mask();
}

void pic_mask(int irq)
{
    mask |= 1u << irq;
    write_mask();
}

void pic_mask_all(void)
{
    mask = 0xffff;
    write_mask();
}

void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
}

bool pic_pending(int irq)
{
    outb(PIC1_CMD, OCW3_READ_IRR);
    return (inb(PIC1_CMD) >> irq) & 1;
}
