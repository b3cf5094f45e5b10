/*
 * The trap frame: what vectors.S saves on the kernel stack on every interrupt
 * and exception (and what syscall_entry.S builds on every system call),
 * lowest address first.  The CPU pushed rip..ss; the stub pushed vector and
 * error.  The six system call argument registers come first, in argument
 * order, so a handler reads its arguments straight from the frame.  The
 * SYSCALL path writes only what it must restore (syscall_entry.S): rcx and
 * r11 are the rip and rflags slots again, the callee-saved registers keep
 * their user values through the C code on their own, and error means
 * nothing for a system call (syscall_dispatch keeps the call number in
 * vector).
 */
#ifndef EMBER_TRAP_H
#define EMBER_TRAP_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame {
    uint64_t rdi, rsi, rdx, r10, r8, r9;        /* = struct syscall_args */
    uint64_t rax;
    uint64_t rcx, r11;              /* a syscall frame leaves these two unwritten: */
    uint64_t rbx, rbp, r12, r13, r14, r15;  /* ...and these, which C preserves anyway */
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

#define VEC_DIVIDE          0
#define VEC_DEBUG           1
#define VEC_NMI             2
#define VEC_BREAKPOINT      3
#define VEC_INVALID_OPCODE  6
#define VEC_DOUBLE_FAULT    8
#define VEC_GP              13
#define VEC_PAGE_FAULT      14
#define VEC_IRQ_BASE        32      /* the PIC's 16 lines land on 32..47 */
#define IRQ_COUNT           16
#define IRQ_CASCADE         2       /* the second PIC's line into the first: never a device */
#define VEC_COUNT           256

/* Page-fault error code bits. */
#define PF_PRESENT          (1u << 0)
#define PF_WRITE            (1u << 1)
#define PF_USER             (1u << 2)
#define PF_FETCH            (1u << 4)

typedef void (*irq_handler_t)(void);

/*
 * What the trap path hands to the floors above arch (docs/00-design.md,
 * section 1): each field is set once at boot by the floor that owns it, before
 * anything can need it, and called like a function (one indirect call).
 */
struct trap_hooks {
    /* A first touch of user address |addr| (ring 3, or a user copy): 0 once it is mapped (proc) */
    long (*user_page_fault)(uint64_t addr, uint64_t error);
    /* Prints what a student reads about a ring-3 fault (syscall/fault_report.c) */
    void (*report_user_fault)(const struct trap_frame *f);
    /* Ends the current thread's process for that fault; never returns (proc) */
    void (*user_fault)(const struct trap_frame *f);
    /* A ring-0 fault nothing fixes up: the report, then QEMU exits; never returns (syscall) */
    void (*kernel_fault)(const struct trap_frame *f);
    /* Line |irq| fired and no kernel handler has it: the ring-3 driver's (drv/interrupt.c) */
    void (*driver_irq)(int irq);
    /* Every return towards ring 3: a pending preemption or kill takes effect (sched) */
    void (*return_to_user)(void);
};
extern struct trap_hooks trap_hooks;

void idt_init(void);
/* Loads the IDT idt_init built, on the calling CPU. */
void idt_load(void);
void irq_register(int irq, irq_handler_t fn);
/* Whether the kernel drives line |irq| itself (a handler, or the cascade): no driver may bind it. */
bool irq_kernel_owns(int irq);
void trap_handle(struct trap_frame *f);
const char *trap_name(uint64_t vector);
/* Prints the registers of |f|, for kernel faults and panics. */
void trap_dump(const struct trap_frame *f);

#endif
