/*
 * ipi.c: inter-processor interrupts (ipi.h).
 *
 * A CPU interrupts another by writing the interrupt command register of
 * its own local APIC (lapic_send_ipi): the destination's APIC id, and a
 * delivery mode with a vector.  "Fixed" delivers the vector like any
 * interrupt: the receiver takes it when its interrupts are on, runs
 * lapic_irq and sends its APIC an end of interrupt.  "NMI" cannot be
 * masked: the receiver takes vector 2 even with interrupts off, which is
 * how a panicking CPU stops the others (cpu_stop.c).  A destination
 * "shorthand" reaches every CPU but the sender in one write.
 *
 * lapic_send_ipi returns when the sender's APIC reports the message sent
 * (delivery status idle), which says nothing of whether the receiver has
 * run its handler yet.  ipi_ping waits for that too, by watching the
 * receiver's count of IPIs taken (cpu_count_ipi): it is how a test, and
 * /bin/cpus, see that each CPU takes IPIs (the cpu_ping system call).
 *
 * The only user-visible vector so far is VEC_IPI_PING; cross-CPU wake-ups
 * and TLB shootdowns (issue 15, item 3) will add theirs beside it.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/timer.h"

#define IPI_PING_WAIT_MS    100     /* guest time: a bound for a CPU that never answers */

bool ipi_available(void)
{
    return lapic_present();
}

void ipi_send(int cpu, uint8_t vector)
{
    lapic_send_ipi(smp_cpu(cpu)->apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void ipi_send_others(uint8_t vector)
{
    lapic_send_ipi(0, ICR_ALL_BUT_SELF | ICR_FIXED | ICR_ASSERT | vector);
}

void ipi_nmi_others(void)
{
    lapic_send_ipi(0, ICR_ALL_BUT_SELF | ICR_NMI | ICR_ASSERT);
}

bool ipi_ping(int cpu)
{
    const struct cpu_local *c = smp_cpu(cpu);
    uint64_t before = __atomic_load_n(&c->ipis, __ATOMIC_ACQUIRE);
    uint64_t end;

    ipi_send(cpu, VEC_IPI_PING);
    if (c == cpu_this())
        return true;                /* pending until this CPU's interrupts are on */
    end = rdtsc() + timer_tsc_hz() / 1000 * IPI_PING_WAIT_MS;
    while (__atomic_load_n(&c->ipis, __ATOMIC_ACQUIRE) == before) {
        if (rdtsc() > end)
            return false;
        __asm__ volatile("pause");
    }
    return true;
}
