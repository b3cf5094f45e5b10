/*
 * cpu_stop.c: stopping every other CPU when the kernel reports a fault or
 * a panic (cpu_stop.h), so that the report is not printed while other CPUs
 * go on changing what it reads, and can say what each CPU was doing.
 *
 * The reporting CPU claims the report (`reporter`, set once) and sends an
 * NMI to all the others (ipi_nmi_others).  An NMI cannot be masked, so it
 * stops a CPU spinning with interrupts off as well as one halted or in
 * ring 3.  Each takes it in cpu_stop_nmi, notes where it was (its trap
 * frame's rip and cs) and halts for good.  The reporter waits up to
 * STOP_WAIT_MS for each online CPU to check in, then prints one line per
 * CPU (fault_report.c, print_cpus).  A CPU that faults while another
 * reports finds the report claimed and halts, and the NMI finds it there.
 *
 * The NMI handler finds its CPU by its APIC id, read from the local APIC's
 * registers, not through GS: an NMI may arrive in the first instructions
 * of syscall_entry, before swapgs, where GS is still the user's.  For the
 * same reason it runs on a stack of its own (IST_NMI, gdt.c): there rsp is
 * still the user's.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_stop.h"
#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/madt.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/timer.h"
#include "kernel/lib/kprintf.h"

#define STOP_WAIT_MS        100     /* guest time: a bound for a CPU that never takes the NMI */
#define NO_CPU              -1

static struct {
    int stopped;                    /* set last, with release: rip and cs are there */
    uint64_t rip, cs;
} stops[MAX_CPUS];
static int reporter = NO_CPU;

/* The calling CPU's index, found without GS. */
static int this_cpu(void)
{
    return lapic_present() ? smp_cpu_of_apic_id(lapic_id()) : 0;
}

void cpu_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

static void wait_for_others(int me)
{
    uint64_t end = rdtsc() + timer_tsc_hz() / 1000 * STOP_WAIT_MS;

    for (int i = 0; i < smp_cpu_count(); i++)
        while (i != me && smp_cpu(i)->online && !__atomic_load_n(&stops[i].stopped, __ATOMIC_ACQUIRE) &&
               rdtsc() < end)
            __asm__ volatile("pause");
}

bool cpu_stop_others(void)
{
    int me = this_cpu(), none = NO_CPU;

    if (__atomic_load_n(&reporter, __ATOMIC_ACQUIRE) == me)
        return true;                /* a fault inside our own report */
    if (!__atomic_compare_exchange_n(&reporter, &none, me, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return false;
    if (smp_cpu_count() > 1 && ipi_available()) {
        ipi_nmi_others();
        wait_for_others(me);
    }
    return true;
}

void cpu_stop_nmi(const struct trap_frame *f)
{
    int me = this_cpu();

    if (__atomic_load_n(&reporter, __ATOMIC_ACQUIRE) == NO_CPU || me < 0) {
        kprintf("nmi: an NMI on CPU %d with no report under way: ignored\n", me);
        return;
    }
    stops[me].rip = f->rip;
    stops[me].cs = f->cs;
    __atomic_store_n(&stops[me].stopped, 1, __ATOMIC_RELEASE);
    cpu_halt_forever();
}

int cpu_stop_reporter(void)
{
    return __atomic_load_n(&reporter, __ATOMIC_ACQUIRE);
}

bool cpu_stopped_at(int cpu, uint64_t *rip, uint64_t *cs)
{
    if (!__atomic_load_n(&stops[cpu].stopped, __ATOMIC_ACQUIRE))
        return false;
    *rip = stops[cpu].rip;
    *cs = stops[cpu].cs;
    return true;
}
