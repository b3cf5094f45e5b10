/*
 * kstat: how long the kernel has kept the CPU to itself.  Ember's kernel is
 * not preemptible, so every system call, fault or interrupt runs with
 * interrupts off until it returns to ring 3; the kernel keeps the longest
 * such stretch (system_stats, kernel/sched/latency.h) and what began it.
 * "since boot" is the whole run; "recent" is since the previous reader.
 * Also how often a wake took the scheduler's direct switch (the IPC fast path).
 */
#include <ember.h>
#include <stdio.h>
#include <syscall_desc.h>

#define NS_PER_US 1000

static void cause_name(uint64_t cause, char *out, size_t size)
{
    if (cause >= STRETCH_CAUSE_TRAP)
        snprintf(out, size, "interrupt or fault, vector %lu", cause - STRETCH_CAUSE_TRAP);
    else if (cause < SYSCALL_COUNT)
        snprintf(out, size, "%s", syscall_descs[cause].name);
    else
        snprintf(out, size, "system call %lu (unknown)", cause);
}

static void show(const char *label, uint64_t ns, uint64_t cause)
{
    char name[64];

    cause_name(cause, name, sizeof name);
    printf("%-10s %8lu.%03lu ms  %s\n", label, ns / 1000000, ns / NS_PER_US % 1000,
           ns ? name : "-");
}

int main(void)
{
    static struct system_stats s;
    long err = system_stats(&s, sizeof s);

    if (err < 0) {
        printf("kstat: %s\n", errstr(err));
        return 1;
    }
    printf("longest stretch in the kernel with interrupts off, and what began it:\n");
    show("since boot", s.stretch_max_ns, s.stretch_max_cause);
    show("recent", s.stretch_recent_ns, s.stretch_recent_cause);
    printf("direct switches to a woken thread (the IPC fast path): %lu\n", s.direct_switches);
    printf("waits handed a signal straight by event, semaphore or pipe (ob_handoff): %lu\n",
           s.wake_handoffs);
    printf("port messages handed to a waiting receiver (the LPC fast path): %lu\n", s.port_handoffs);
    return 0;
}
