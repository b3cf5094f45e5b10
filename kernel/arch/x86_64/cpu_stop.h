/*
 * Stopping the other CPUs for a kernel fault or panic report (cpu_stop.c),
 * and what each was doing when it stopped.
 */
#ifndef EMBER_CPU_STOP_H
#define EMBER_CPU_STOP_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/x86_64/trap.h"

/*
 * Claims the report for the calling CPU and stops every other one (an NMI
 * each), waiting a bounded time for each to stop.  Returns true for the
 * claiming CPU (again, for a fault inside its own report), false when
 * another CPU claimed it first: that one is stopping this one.
 */
bool cpu_stop_others(void);
/* The NMI handler (trap.c): for a stop, notes |f|'s rip and cs and halts for good; else returns. */
void cpu_stop_nmi(const struct trap_frame *f);
/* The CPU that claimed the report, or -1. */
int cpu_stop_reporter(void);
/* Where CPU |cpu| was when it stopped (its rip and cs); false if it did not stop. */
bool cpu_stopped_at(int cpu, uint64_t *rip, uint64_t *cs);
/* Halts the calling CPU for good, interrupts off (an NMI still runs cpu_stop_nmi, then halts again). */
void __attribute__((noreturn)) cpu_halt_forever(void);

#endif
