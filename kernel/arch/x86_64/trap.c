/*
 * trap.c: where every interrupt and exception lands (from vectors.S).
 *
 * IRQs go to the handler registered for their line, or else to the ring-3
 * driver's interrupt object bound to it (kernel/drv/interrupt.c).  A page
 * fault on a demand-zero user page (from ring 3 or a user copy) is served
 * by the process's address space (vm_fault) and the access retried.  Any
 * other exception in ring 3 ends that process; one in ring 0 is a kernel bug
 * and stops the machine.  Both are reported first
 * (kernel/syscall/fault_report.c; a #GP in ring 3 by an I/O instruction is
 * also noted with its port).
 *
 * arch is a low floor (docs/00-design.md, section 1): everything above it
 * that a trap must reach (the process a fault ends, the driver an IRQ wakes,
 * the scheduler on the way back to ring 3) is a field of trap_hooks, set at
 * boot by the floor that owns it.
 */
#include <stddef.h>
#include "kernel/abi/types.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_stop.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/irq_line.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/latency.h"
#include "kernel/arch/x86_64/qemu.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/lib/kprintf.h"

struct extable_entry {
    uint64_t insn, fixup;
};

extern const struct extable_entry __extable_start[], __extable_end[];
extern const char trap_iretq[];

static irq_handler_t irq_handlers[IRQ_COUNT];

/* A kernel fault before fault_report_init: the registers, then failure. */
static void early_kernel_fault(const struct trap_frame *f)
{
    kprintf("\nKERNEL FAULT (early): vector %lu, error code 0x%lx\n", f->vector, f->error);
    trap_dump(f);
    qemu_exit(QEMU_EXIT_FAILURE);
}

struct trap_hooks trap_hooks = { .kernel_fault = early_kernel_fault };

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault", "coprocessor overrun",
    "invalid TSS", "segment not present", "stack fault", "general protection",
    "page fault", "reserved", "x87 floating point", "alignment check",
    "machine check", "SIMD floating point", "virtualization", "control protection",
};

const char *trap_name(uint64_t vector)
{
    if (vector < 32 && exception_names[vector])
        return exception_names[vector];
    return vector < 32 ? "reserved exception" : "interrupt";
}

void irq_register(int irq, irq_handler_t fn)
{
    irq_handlers[irq] = fn;
    irq_line_unmask(irq);
}

bool irq_kernel_owns(int irq)
{
    return irq == IRQ_CASCADE || irq_handlers[irq] != NULL;
}

/* Line |irq| fired: its kernel handler, or the ring-3 driver bound to it. */
static void irq_dispatch(int irq)
{
    if (!irq_line_take(irq)) {
        irq_line_eoi(irq);          /* masked: kept for its unmask (irq_line.c) */
        return;
    }
    if (!irq_handlers[irq])
        irq_line_mask(irq);         /* a driver's: masked before the EOI, lest a level-triggered line come back */
    irq_line_eoi(irq);              /* before the handler: it may switch threads */
    cpu_count_irq();
    if (irq_handlers[irq])
        irq_handlers[irq]();
    else if (trap_hooks.driver_irq)
        trap_hooks.driver_irq(irq);
}

void trap_dump(const struct trap_frame *f)
{
    kprintf("  rip %016lx  cs %04lx  rflags %08lx  rsp %016lx  ss %04lx\n",
            f->rip, f->cs, f->rflags, f->rsp, f->ss);
    kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    kprintf("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
    kprintf("  r13 %016lx  r14 %016lx  r15 %016lx  cr2 %016lx\n", f->r13, f->r14, f->r15, read_cr2());
    kprintf("  cr3 %016lx\n", read_cr3());
}

/* The fixup of the usercopy_loops.S instruction at |rip|, or NULL if it is not one. */
static const struct extable_entry *user_access_at(uint64_t rip)
{
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
        if (e->insn == rip)
            return e;
    return NULL;
}

/* A fault at an instruction of usercopy_loops.S: resume at its fixup, which returns E_FAULT. */
static int fixup_user_access(struct trap_frame *f)
{
    const struct extable_entry *e = user_access_at(f->rip);

    if (e)
        f->rip = e->fixup;
    return e != NULL;
}

/*
 * A first touch of a demand-zero page, by ring 3 or by a user copy: the
 * page gets its frame (kernel/mm/vm.c) and the access runs again.
 */
static int demand_page(const struct trap_frame *f)
{
    if (f->vector != VEC_PAGE_FAULT || !trap_hooks.user_page_fault)
        return 0;
    if (!(f->cs & RPL_USER) && !user_access_at(f->rip))
        return 0;                   /* the kernel touched user memory outside a user copy: a bug */
    return trap_hooks.user_page_fault(read_cr2(), f->error) == 0;
}

/* Whether the IRETQ that faulted with |f| was going back to ring 3 (its frame's cs). */
static bool returning_to_user(const struct trap_frame *f)
{
    return ((const uint64_t *)f->rsp)[1] & RPL_USER;
}

/*
 * IRETQ itself faulted: the frame it was returning to ring 3 with is bad
 * (a non-canonical rip, say).  trap_return had already done SWAPGS, so undo
 * it, then treat it as the user's fault at that rip.
 */
static __attribute__((noreturn)) void bad_return_to_user(const struct trap_frame *f)
{
    const uint64_t *iret = (const uint64_t *)f->rsp;   /* rip, cs, rflags, rsp, ss */
    struct trap_frame uf = *f;

    __asm__ volatile("swapgs");
    uf.rip = iret[0];
    uf.cs = iret[1];
    trap_hooks.report_user_fault(&uf);
    trap_hooks.user_fault(&uf);
    __builtin_unreachable();
}

void trap_handle(struct trap_frame *f)
{
    if (f->vector == VEC_NMI) {
        cpu_stop_nmi(f);            /* another CPU's report stops this one (GS may be the user's here) */
        return;
    }
    if (f->vector >= VEC_LAPIC_TIMER) {
        lapic_irq(f->vector);       /* on any CPU, so nothing of the scheduler's is touched */
        return;
    }
    latency_enter_trap(STRETCH_CAUSE_TRAP + (uint32_t)f->vector, f->cs & RPL_USER);
    if (f->vector >= VEC_IRQ_BASE && f->vector < VEC_IRQ_BASE + IRQ_COUNT) {
        irq_dispatch((int)(f->vector - VEC_IRQ_BASE));
    } else if (demand_page(f)) {
        ;                           /* mapped now: return and run the access again */
    } else if (f->cs & RPL_USER) {
        trap_hooks.report_user_fault(f);
        trap_hooks.user_fault(f);   /* a ring-3 fault ends only that process */
    } else if (!fixup_user_access(f)) {
        if (f->rip == (uint64_t)trap_iretq && returning_to_user(f))
            bad_return_to_user(f);
        trap_hooks.kernel_fault(f);
    }
    if (f->cs & RPL_USER) {
        trap_hooks.return_to_user();    /* preemption, or a kill, takes effect here */
        latency_leave();
    }
}
