/*
 * cpus: each CPU, its APIC id, whether it came online, how its timer ticks found it.
 * From system_stats, with the device interrupts and the IPIs each took.  "busy" ticks found the CPU running something, "idle"
 * ones found it halted; so far only CPU 0 runs threads and the others only
 * idle, and the I/O APIC sends every device interrupt to CPU 0 (docs/14-smp.md).  Exits with 1 if a CPU the firmware listed did not
 * come online.
 */
#include <ember.h>
#include <stdio.h>

int main(void)
{
    static struct system_stats s;
    long err = system_stats(&s, sizeof s);
    uint64_t online = 0;

    if (err < 0) {
        printf("cpus: %s\n", errstr(err));
        return 1;
    }
    printf("cpu  apic  state     busy ticks  idle ticks        irqs    ipis\n");
    for (uint64_t i = 0; i < s.ncpus && i < STATS_MAX_CPUS; i++) {
        const struct stats_cpu *c = &s.cpus[i];
        printf("%-4lu %-5u %-9s %10lu  %10lu  %10lu  %6lu\n", i, c->apic_id, c->online ? "online" : "offline",
               c->ticks_busy, c->ticks_idle, c->irqs, c->ipis);
        online += c->online != 0;
    }
    printf("%lu of %lu CPUs online\n", online, s.ncpus);
    return online == s.ncpus ? 0 : 1;
}
