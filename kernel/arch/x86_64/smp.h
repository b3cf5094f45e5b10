/*
 * The CPUs: found in the MADT, started, and listed (smp.c).  Only CPU 0,
 * the boot CPU, runs threads so far; the others idle (docs/14-smp.md).
 */
#ifndef EMBER_SMP_H
#define EMBER_SMP_H

#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/multiboot.h"

/*
 * Finds the CPUs from ACPI and starts every one but the calling (boot) CPU,
 * each on two kernel stacks from |kstack_alloc| (kstack.c, a floor above arch).
 */
void smp_init(const struct boot_info *bi, uint64_t (*kstack_alloc)(void));
/* How many CPUs the MADT listed (at least 1, the boot CPU), started or not. */
int smp_cpu_count(void);
/* CPU |i| (0 .. smp_cpu_count() - 1): its APIC id, whether it came online, its ticks. */
const struct cpu_local *smp_cpu(int i);
/* The index of the CPU with APIC id |apic_id|, or -1. */
int smp_cpu_of_apic_id(uint8_t apic_id);

#endif
