/*
 * Per-CPU data reached through GS while in the kernel: each CPU's GS base
 * points at its own struct cpu_local.  syscall_entry.S uses the fields that
 * have a CPU_LOCAL_ offset by that offset: keep the two lists in step (the
 * _Static_asserts in cpu.c check them).
 *
 * The global `cpu_local` is the boot CPU's copy.  Only the boot CPU runs
 * threads so far (docs/14-smp.md), so the scheduler's fields (current,
 * return_work, the stretch) are read through that name; code that runs on
 * every CPU (the tick count, the idle halt) goes through cpu_this().
 */
#ifndef EMBER_CPU_LOCAL_H
#define EMBER_CPU_LOCAL_H

#define CPU_LOCAL_KERNEL_RSP    0   /* top of the current thread's kernel stack */
#define CPU_LOCAL_USER_RSP      8   /* ring 3's rsp, parked during SYSCALL entry */
#define CPU_LOCAL_RETURN_WORK   24
#define CPU_LOCAL_STRETCH_CAUSE 28
#define CPU_LOCAL_STRETCH_START 32
#define CPU_LOCAL_STRETCH_RECENT_MAX 40
#define FPU_STATE_SIZE          512 /* FXSAVE area */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "kernel/lib/lockdep.h"

struct thread;

struct cpu_local {
    uint64_t kernel_rsp;
    uint64_t user_rsp;
    struct thread *current;     /* the running thread */
    int return_work;            /* something to do before returning to ring 3 (sched.c) */
    uint32_t stretch_cause;     /* what began the current stretch (kernel/arch/x86_64/latency.h) */
    uint64_t stretch_start;     /* TSC when the kernel was entered; 0: in ring 3 or halted */
    uint64_t stretch_recent_max;    /* the longest stretch of the current window, in cycles */
    /* What every CPU has, set up by cpu_init or smp_init (kernel/arch/x86_64/smp.c): */
    struct cpu_local *self;     /* this struct's own address, for cpu_this() */
    int index;                  /* 0 for the boot CPU, then in MADT order */
    uint8_t apic_id;
    volatile int online;        /* set by the CPU itself once it is in its idle loop */
    int halted;                 /* in cpu_idle_halt: a tick now is an idle tick */
    uint64_t ticks_busy, ticks_idle;    /* timer ticks that found it running, halted */
    uint64_t irqs;              /* device interrupts it took (the I/O APIC sends them to CPU 0) */
    uint64_t ipis;              /* IPIs it took (kernel/arch/x86_64/ipi.c) */
    /* Spinlocks held on this CPU (kernel/arch/x86_64/spinlock.h): */
    int irq_depth;              /* how many: interrupts stay off until it is 0 again */
    int irq_was_on;             /* whether interrupts were on before the first of them */
    struct lock_stack locks;    /* which, for the lock-order validator (LOCKDEP builds) */
};

/*
 * The data segment selectors ring 3 may load (DS, ES, FS, GS), kept per
 * thread: SYSCALL, SYSRET and interrupts leave them alone, so without this a
 * value one thread loads would be seen by the next.  Their bases need no
 * saving: every descriptor has base 0, loading a selector sets the base from
 * it, and ring 3 cannot write a base (CR4.FSGSBASE stays off), so a user's
 * FS and GS bases are always 0.  A new thread starts with all four null.
 */
struct user_segments {
    uint16_t ds, es, fs, gs;
};

extern struct cpu_local cpu_local;
extern uint8_t fpu_initial_state[FPU_STATE_SIZE];

/* Points GS at the boot CPU's struct cpu_local: before anything takes a spinlock. */
void cpu_init_early(void);
void cpu_init(void);
/* At a thread switch: stores the live selectors in |save|, loads those of |load|. */
void user_segments_switch(struct user_segments *save, const struct user_segments *load);

/* The calling CPU's struct cpu_local, read through GS (valid once cpu_init or cpu_init_ap ran). */
static inline struct cpu_local *cpu_this(void)
{
    struct cpu_local *c;

    __asm__ volatile("mov %%gs:%c1, %0" : "=r"(c) : "i"(__builtin_offsetof(struct cpu_local, self)));
    return c;
}

/* A timer tick on this CPU (the PIT on the boot CPU, the local APIC's elsewhere). */
static inline void cpu_count_tick(void)
{
    struct cpu_local *c = cpu_this();

    if (c->halted)
        c->ticks_idle++;
    else
        c->ticks_busy++;
}

/* A device interrupt on this CPU (trap.c). */
static inline void cpu_count_irq(void)
{
    cpu_this()->irqs++;
}

/* An IPI on this CPU (lapic.c). */
static inline void cpu_count_ipi(void)
{
    __atomic_add_fetch(&cpu_this()->ipis, 1, __ATOMIC_RELEASE);  /* ipi_ping waits to see it */
}

/* Halts until an interrupt, with interrupts on only for the halt; the time counts as idle. */
static inline void cpu_idle_halt(void)
{
    struct cpu_local *c = cpu_this();

    c->halted = 1;
    __asm__ volatile("sti; hlt" : : : "memory");
    c->halted = 0;
}

void cpu_init_ap(struct cpu_local *c);

static inline void fpu_save(uint8_t *area) { __asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory"); }
static inline void fpu_restore(const uint8_t *area) { __asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory"); }
#endif

#endif
