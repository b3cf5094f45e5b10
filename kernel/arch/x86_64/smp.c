/*
 * smp.c: bringing up the other CPUs (the application processors, APs).
 *
 * At reset only the boot CPU runs; the firmware leaves the others halted,
 * waiting for an INIT and a STARTUP from it.  smp_init:
 *   1. reads the MADT (acpi.c, madt.c) for every enabled CPU's APIC id;
 *   2. maps and enables the boot CPU's local APIC and moves the device
 *      interrupts from the 8259 to the I/O APIC (irq_line.c), with one CPU
 *      too; then counts how fast the APIC timer runs (lapic.c), so the
 *      others can tick at TIMER_HZ;
 *   3. copies the real-mode trampoline (ap_boot.S) below 1 MiB and builds
 *      its page tables;
 *   4. for each other CPU, one at a time: a kernel stack, a double-fault
 *      and an NMI stack, the trampoline's words for them, INIT-SIPI-SIPI, then waits
 *      until the CPU says it is online;
 *   5. sends one IPI to all of them at once (ipi.c) and logs how many took it.
 * The AP climbs to 64-bit mode in the trampoline and arrives in ap_main on
 * its own stack, where it loads its own GDT and TSS, the shared IDT, its GS
 * base (its struct cpu_local), its APIC and timer, and then only halts,
 * counting its idle ticks: the scheduler and everything it protects assume
 * one CPU, so no thread may run here yet.
 *
 * With one CPU in the MADT (make run and make test's default) step 2 stops
 * after the I/O APIC, and steps 3-5 are skipped.
 */
#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/irq_line.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/smp_boot.h"
#include "kernel/arch/x86_64/timer.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"

#define ONLINE_WAIT_MS      100     /* guest time an AP has to reach ap_main, or to take an IPI */
#define PML4_KERNEL_HALF    256

extern const char ap_trampoline[], ap_trampoline_stack[], ap_trampoline_cpu[];
extern const char ap_trampoline_entry[], ap_trampoline_end[], ap_entry_64[];

static struct cpu_local ap_local[MAX_CPUS];     /* index 0 unused: the boot CPU's is cpu_local */
static struct cpu_local *cpus[MAX_CPUS] = { &cpu_local };
static int ncpus = 1;
static uint64_t double_fault_stack[MAX_CPUS], nmi_stack[MAX_CPUS];
static uint64_t (*stack_alloc)(void);           /* kernel stacks come from above arch: smp_init's caller */

int smp_cpu_count(void)
{
    return ncpus;
}

const struct cpu_local *smp_cpu(int i)
{
    return cpus[i];
}

int smp_cpu_of_apic_id(uint8_t apic_id)
{
    for (int i = 0; i < ncpus; i++)
        if (cpus[i]->apic_id == apic_id)
            return i;
    return -1;
}

/* Called by ap_entry_64 (ap_boot.S) on the new CPU, on the stack smp_start_cpu gave it. */
void __attribute__((noreturn)) ap_main(uint64_t index)
{
    struct cpu_local *c = &ap_local[index];

    write_cr3(paging_kernel_root());            /* leave the trampoline's tables */
    gdt_init_ap((int)index, double_fault_stack[index], nmi_stack[index]);
    idt_load();
    cpu_init_ap(c);
    lapic_init_ap();
    __atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
    for (;;) {
        irq_disable();
        cpu_idle_halt();            /* the timer wakes it; the tick counts as idle */
    }
}

/* The trampoline at TRAMPOLINE_PHYS, and its tables: low 2 MiB identity-mapped, the kernel's half shared. */
static void trampoline_install(void)
{
    uint64_t *pml4 = phys_to_virt(TRAMPOLINE_PML4), *pdpt = phys_to_virt(TRAMPOLINE_PDPT);
    uint64_t *pd = phys_to_virt(TRAMPOLINE_PD), *kernel = phys_to_virt(paging_kernel_root());

    memcpy(phys_to_virt(TRAMPOLINE_PHYS), ap_trampoline, (size_t)(ap_trampoline_end - ap_trampoline));
    memset(pml4, 0, TRAMPOLINE_END - TRAMPOLINE_PML4);
    memcpy(pml4 + PML4_KERNEL_HALF, kernel + PML4_KERNEL_HALF, PML4_KERNEL_HALF * sizeof *pml4);
    pml4[0] = TRAMPOLINE_PDPT | PTE_P | PTE_W;
    pdpt[0] = TRAMPOLINE_PD | PTE_P | PTE_W;
    pd[0] = 0 | PTE_P | PTE_W | PTE_PS;         /* executable: the trampoline runs here */
}

static void trampoline_set(const char *word, uint64_t value)
{
    *(uint64_t *)phys_to_virt(TRAMPOLINE_PHYS + (uint64_t)(word - ap_trampoline)) = value;
}

/* Starts CPU |index| (APIC id |apic_id|) and waits for it; returns whether it came online. */
static bool smp_start_cpu(int index, uint8_t apic_id)
{
    struct cpu_local *c = &ap_local[index];
    uint64_t stack = stack_alloc();

    double_fault_stack[index] = stack_alloc();
    nmi_stack[index] = stack_alloc();
    if (!stack || !double_fault_stack[index] || !nmi_stack[index])
        return false;
    c->index = index;
    c->apic_id = apic_id;
    cpus[index] = c;
    trampoline_set(ap_trampoline_stack, stack);
    trampoline_set(ap_trampoline_cpu, (uint64_t)index);
    trampoline_set(ap_trampoline_entry, (uint64_t)ap_entry_64);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* all of it visible before the STARTUP */
    lapic_start_cpu(apic_id, TRAMPOLINE_PHYS);
    uint64_t end = rdtsc() + timer_tsc_hz() / 1000 * ONLINE_WAIT_MS;
    while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE) && rdtsc() < end)
        __asm__ volatile("pause");
    return c->online;
}

/*
 * One VEC_IPI_PING to every other CPU at once (ipi_send_others): returns
 * how many of the online ones counted it within ONLINE_WAIT_MS.
 */
static int smp_check_ipis(void)
{
    uint64_t end = rdtsc() + timer_tsc_hz() / 1000 * ONLINE_WAIT_MS;
    int took = 0;

    ipi_send_others(VEC_IPI_PING);
    for (int i = 1; i < ncpus; i++) {
        while (cpus[i]->online && !__atomic_load_n(&cpus[i]->ipis, __ATOMIC_ACQUIRE) && rdtsc() < end)
            __asm__ volatile("pause");
        took += cpus[i]->online && cpus[i]->ipis;
    }
    return took;
}

/* Whether the trampoline's pages hold nothing still needed (the boot modules). */
static bool trampoline_room(const struct boot_info *bi)
{
    for (int i = 0; i < bi->nmodules; i++)
        if (bi->modules[i].start < TRAMPOLINE_END && bi->modules[i].end > TRAMPOLINE_PHYS)
            return false;
    return true;
}

static void madt_report(const struct madt_info *mi)
{
    kprintf("acpi: MADT: %d CPU%s (APIC ids", mi->ncpus, mi->ncpus == 1 ? "" : "s");
    for (int i = 0; i < mi->ncpus; i++)
        kprintf(" %u", mi->apic_ids[i]);
    kprintf("), I/O APIC at %#lx (GSI base %u)", mi->ioapic_phys, mi->ioapic_gsi_base);
    for (int i = 0; i < mi->noverrides; i++)
        kprintf(", IRQ %u -> GSI %u", mi->overrides[i].irq, mi->overrides[i].gsi);
    kprintf("\n");
    if (mi->cpus_dropped)
        kprintf("acpi: %d more CPUs ignored (MAX_CPUS is %d)\n", mi->cpus_dropped, MAX_CPUS);
}

/* Device interrupts through the I/O APIC to this (the boot) CPU, if the MADT lists one. */
static void irq_route(const struct madt_info *mi)
{
    if (irq_line_use_ioapic(mi, cpu_local.apic_id) < 0) {
        kprintf("irq: no I/O APIC: device interrupts through the 8259 PIC\n");
        return;
    }
    kprintf("irq: device interrupts through the I/O APIC (%d pins) to CPU 0; the 8259 PIC is masked\n",
            ioapic_pins());
}

void smp_init(const struct boot_info *bi, uint64_t (*kstack_alloc)(void))
{
    struct madt_info mi;
    uint32_t r[4];
    int online = 1;

    stack_alloc = kstack_alloc;
    cpuid(1, 0, r);
    cpu_local.apic_id = (uint8_t)(r[1] >> 24);  /* the initial APIC id, before any mapping */
    if (acpi_find_madt(bi->rsdp, bi->rsdp_len, &mi) < 0) {
        kprintf("acpi: no MADT: one CPU\n");
        return;
    }
    madt_report(&mi);
    if (lapic_init(mi.lapic_phys) < 0) {
        kprintf("smp: cannot map the local APIC: one CPU, device interrupts through the 8259\n");
        return;
    }
    irq_route(&mi);
    if (mi.ncpus <= 1)
        return;
    if (!trampoline_room(bi)) {
        kprintf("smp: no room for the trampoline: one CPU\n");
        return;
    }
    lapic_timer_calibrate();
    trampoline_install();
    for (int i = 0; i < mi.ncpus; i++) {
        if (mi.apic_ids[i] == cpu_local.apic_id)
            continue;
        int index = ncpus++;
        bool up = smp_start_cpu(index, mi.apic_ids[i]);
        online += up;
        kprintf("smp: CPU %d (APIC id %u) %s\n", index, mi.apic_ids[i], up ? "online" : "did not start");
    }
    kprintf("smp: %d of %d CPUs online; threads run on CPU 0 only\n", online, ncpus);
    kprintf("smp: an IPI to all the others reached %d of %d\n", smp_check_ipis(), online - 1);
}
