/*
 * interrupt.c: the interrupt object (interrupt.h).
 *
 * One table, bound[], maps each ISA line (delivered by the I/O APIC, or by
 * the 8259 PIC where there is none: irq_line.c) to the object bound to it (a
 * borrowed pointer: the object's destroy hook clears its entry, so the
 * kernel never points at a dead driver's object).  The handler path is
 * short: trap.c masks the line and sends the end-of-interrupt,
 * interrupt_fire marks the object pending and wakes its waiters.  The line
 * stays masked until the driver acknowledges, so a device that keeps interrupting cannot
 * flood the kernel while its driver is busy, or dead.
 *
 * The object is signaled while a fire is pending (it is not reset by the
 * wait: a driver that waits again before acknowledging returns at once).
 * The binding lasts as long as the object: when the last handle closes
 * (by hand, or by the driver's death) and nothing else holds it, destroy
 * masks the line and unbinds it.
 *
 * Exports: interrupt_type and the functions of interrupt.h.  Not locked yet: it
 * relies on threads running on CPU 0 only (docs/14-smp.md, "The lock list").
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/rights.h"
#include "kernel/abi/types.h"
#include "kernel/arch/x86_64/irq_line.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/drv/interrupt.h"
#include "kernel/drv/resource.h"
#include "kernel/mm/heap.h"
#include "kernel/ob/wait.h"

struct interrupt {
    struct ob ob;
    int irq;
    bool pending;                   /* fired, line masked, not yet acknowledged */
};

static struct interrupt *bound[IRQ_LINES];

static struct interrupt *interrupt_of(struct ob *o)
{
    return (struct interrupt *)o;
}

static bool interrupt_is_signaled(struct ob *o, struct thread *waiter)
{
    (void)waiter;
    return interrupt_of(o)->pending;
}

static void interrupt_destroy(struct ob *o)
{
    struct interrupt *i = interrupt_of(o);

    if (bound[i->irq] == i) {
        irq_line_mask(i->irq);
        bound[i->irq] = NULL;
    }
}

const struct ob_type interrupt_type = {
    .name = "interrupt",
    .code = OB_TYPE_INTERRUPT,
    .tag = TAG("Intr"),
    .valid_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO,
    .default_rights = RIGHT_DUPLICATE | RIGHT_TRANSFER | RIGHT_WAIT | RIGHT_SIGNAL | RIGHT_INFO,
    .destroy = interrupt_destroy,
    .is_signaled = interrupt_is_signaled,
};

long interrupt_create(struct ob *res, uint64_t irq, struct ob **out)
{
    struct interrupt *i;

    if (irq >= IRQ_LINES)
        return E_INVAL;
    if (!resource_covers(res, RESOURCE_IRQ, irq, 1))
        return E_ACCESS;
    if (irq_kernel_owns((int)irq) || bound[irq])
        return E_BUSY;
    i = ob_create(&interrupt_type, sizeof *i);
    if (!i)
        return E_NOMEM;
    i->irq = (int)irq;
    bound[irq] = i;
    irq_line_unmask((int)irq);
    *out = &i->ob;
    return 0;
}

long interrupt_ack(struct ob *o)
{
    struct interrupt *i = interrupt_of(o);

    if (!i->pending)
        return E_INVAL;             /* nothing to acknowledge: the line is already open */
    i->pending = false;
    irq_line_unmask(i->irq);
    return 0;
}

void interrupt_fire(int irq)
{
    struct interrupt *i = bound[irq];

    irq_line_mask(irq);             /* until the driver acknowledges (trap.c did, too) */
    if (!i)
        return;
    i->pending = true;
    ob_signal(&i->ob);
}

void interrupt_init(void)
{
    trap_hooks.driver_irq = interrupt_fire;
}
