/*
 * The kernel's longest stretch with interrupts off (issue 10, item 2).
 *
 * Ember's kernel is not preemptible: from the moment the CPU enters it (a
 * system call, an interrupt or fault from ring 3, an interrupt that wakes
 * the idle loop) until it returns to ring 3 or halts in the idle loop,
 * interrupts are off, the timer cannot tick and no other thread runs, even
 * across a switch.  Such a stretch is what a user-chosen number must not
 * make long.  latency_enter stamps its start with the TSC, latency_leave
 * measures it and keeps the longest, with what began it (a system call
 * number, or STRETCH_CAUSE_TRAP + vector).  System calls, the hot case, do
 * the same in assembly (syscall_entry.S).  sched_preempt_point ends one
 * early, at a safe point of a long operation.
 */
#ifndef EMBER_LATENCY_H
#define EMBER_LATENCY_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_local.h"

struct stretch_stats {
    uint64_t max_ns, max_cause;         /* since boot (the boot itself not counted) */
    uint64_t recent_ns, recent_cause;   /* since the previous latency_read */
};

/* A stretch begins: a system call (|cause| its number) from ring 3. */
static inline void latency_enter(uint32_t cause)
{
    cpu_local.stretch_start = rdtsc();
    cpu_local.stretch_cause = cause;
}

/*
 * An interrupt or exception: begins a stretch when it comes from ring 3, or
 * from the kernel when none is under way (the idle loop's halt, a preemption
 * point).  From ring 3 stretch_start is not looked at: the system call exit
 * (syscall_entry.S) leaves its old value there.
 */
static inline void latency_enter_trap(uint32_t cause, bool from_user)
{
    if (from_user || !cpu_local.stretch_start)
        latency_enter(cause);
}

void latency_record(uint64_t cycles);

/* The stretch ends: towards ring 3, or into the idle loop's halt. */
static inline void latency_leave(void)
{
    if (cpu_local.stretch_start) {
        uint64_t cycles = rdtsc() - cpu_local.stretch_start;
        if (cycles > cpu_local.stretch_recent_max)
            latency_record(cycles);
        cpu_local.stretch_start = 0;
    }
}

/* Copies the numbers out and starts a new "recent" window. */
void latency_read(struct stretch_stats *out);

#endif
