/*
 * latency.c: keeping the longest stretch with interrupts off (latency.h).
 *
 * The hot part is inline in latency.h (and, for system calls, in
 * syscall_entry.S): a TSC read at each kernel entry, another and one
 * comparison at each exit.  Only a new longest stretch of
 * the current window comes here.  Cycles become nanoseconds only when read,
 * with the TSC rate the timer measured against the PIT at boot.
 */
#include "kernel/arch/x86_64/timer.h"
#include "kernel/arch/x86_64/latency.h"

#define HZ_PER_MHZ  1000000ull
#define NS_PER_US   1000ull

static uint64_t max_cycles, max_cause, recent_cause;

void latency_record(uint64_t cycles)
{
    cpu_local.stretch_recent_max = cycles;
    recent_cause = cpu_local.stretch_cause;
    if (cycles > max_cycles) {
        max_cycles = cycles;
        max_cause = cpu_local.stretch_cause;
    }
}

/* In MHz, cycles * 1000 / MHz is nanoseconds without overflow for any stretch under months. */
static uint64_t to_ns(uint64_t cycles)
{
    uint64_t mhz = timer_tsc_hz() / HZ_PER_MHZ;

    return cycles * NS_PER_US / (mhz ? mhz : 1);
}

void latency_read(struct stretch_stats *out)
{
    *out = (struct stretch_stats){ to_ns(max_cycles), max_cause,
                                   to_ns(cpu_local.stretch_recent_max), recent_cause };
    cpu_local.stretch_recent_max = 0;
    recent_cause = 0;
}
