/*
 * The local APIC: every CPU's own interrupt controller, reached through
 * 4 KiB of registers at one physical address (each CPU sees its own there).
 * SMP bring-up uses it to send INIT and STARTUP to the other CPUs and to
 * give each of them a periodic timer; device interrupts come through the
 * I/O APIC to the boot CPU and are acknowledged here (docs/14-smp.md).
 */
#ifndef EMBER_LAPIC_H
#define EMBER_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* The local APIC's own vectors, above every device line's (32..47); trap.c sends them to lapic_irq. */
#define VEC_LAPIC_TIMER     0xf0
#define VEC_IPI_PING        0xf1    /* an IPI that only asks to be counted (ipi.c) */
#define VEC_LAPIC_SPURIOUS  0xff    /* low 4 bits all ones, as older APICs require */

/* The interrupt command register's low word: what lapic_send_ipi sends (Intel SDM vol. 3, 10.6.1). */
#define ICR_FIXED           (0u << 8)   /* delivery modes */
#define ICR_NMI             (4u << 8)
#define ICR_INIT            (5u << 8)
#define ICR_STARTUP         (6u << 8)
#define ICR_ASSERT          (1u << 14)
#define ICR_ALL_BUT_SELF    (3u << 18)  /* destination shorthand: every CPU but the sender */

/* Maps the registers at |phys| (from the MADT) and enables the calling CPU's APIC. Returns 0 or -1. */
int lapic_init(uint64_t phys);
/* On an application processor: enables its APIC, masks LINT0/1, starts its periodic timer. */
void lapic_init_ap(void);
/* Whether lapic_init mapped the registers (not on a machine without a MADT). */
bool lapic_present(void);
/* This CPU's APIC id, as its APIC reports it. */
uint8_t lapic_id(void);
/* Counts the APIC timer against the TSC, once on the boot CPU: the count for one tick at TIMER_HZ. */
void lapic_timer_calibrate(void);
/*
 * Sends |command| (ICR_* or'ed with a vector) to the CPU with APIC id
 * |apic_id| (ignored with a shorthand) and waits until this APIC has sent it.
 */
void lapic_send_ipi(uint8_t apic_id, uint32_t command);
/* INIT, then two STARTUPs at |trampoline_phys| (page-aligned, below 1 MiB), to CPU |apic_id|. */
void lapic_start_cpu(uint8_t apic_id, uint64_t trampoline_phys);
/* The end of interrupt for the vector this CPU is serving (a device line's, through the I/O APIC). */
void lapic_eoi(void);
/* Masks this CPU's LINT0, where the 8259's "virtual wire" arrives. */
void lapic_mask_extint(void);
/* Vector |vec| (VEC_LAPIC_*, VEC_IPI_*) arrived: count the tick or the IPI and acknowledge it. */
void lapic_irq(uint64_t vec);

#endif
