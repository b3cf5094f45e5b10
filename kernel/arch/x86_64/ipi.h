/*
 * Inter-processor interrupts: one CPU interrupting others through the local
 * APICs (ipi.c, docs/14-smp.md "Interrupting another CPU").  Each call
 * returns once the sending APIC has delivered the message; interrupts off.
 */
#ifndef EMBER_IPI_H
#define EMBER_IPI_H

#include <stdbool.h>
#include <stdint.h>

/* Vector |vector| (a VEC_IPI_* of lapic.h) to CPU |cpu| (an index of smp_cpu), itself included. */
void ipi_send(int cpu, uint8_t vector);
/* Vector |vector| to every CPU but the caller. */
void ipi_send_others(uint8_t vector);
/* A non-maskable interrupt to every CPU but the caller: the panic's stop (cpu_stop.c). */
void ipi_nmi_others(void);
/*
 * VEC_IPI_PING to CPU |cpu| (online), then, unless it is the caller's own
 * CPU (which takes it once interrupts are on again), waits until that CPU
 * has counted an IPI, for at most IPI_PING_WAIT_MS of TSC time.  Returns
 * whether it was counted (or sent to the caller's own CPU).
 */
bool ipi_ping(int cpu);
/* Whether there is a local APIC to send with (smp_init found and mapped it). */
bool ipi_available(void);

#endif
