/*
 * lapic.c: the local APIC's registers, the INIT-SIPI-SIPI sequence that
 * starts another CPU, and the per-CPU timer.
 *
 * Every CPU has a local APIC at the same physical address (the MADT gives
 * it; 0xfee00000 by default) and reaches its own through it.  Registers are
 * 32 bits, 16 bytes apart, mapped uncached.  An interrupt is sent to another
 * CPU by writing its APIC id to ICR high, then the kind and vector to ICR
 * low; the write of ICR low sends it, and "delivery pending" clears once the
 * APIC has sent it.
 *
 * Starting a CPU (Intel SDM vol. 3, 10.4.4, the MP initialization protocol):
 * INIT puts it in wait-for-SIPI; after 10 ms a STARTUP (SIPI) with vector V
 * starts it in real mode at physical V * 4096; a second STARTUP 200 us later
 * covers a first one it missed (a running CPU ignores it).  The delays are
 * spun on the TSC: under make test's -icount clock they are guest time, a
 * few hundred thousand instructions, not host time.
 */
#include <stddef.h>
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/arch/x86_64/timer.h"

#define LAPIC_ID            0x020
#define LAPIC_EOI           0x0b0
#define LAPIC_SVR           0x0f0
#define LAPIC_ESR           0x280
#define LAPIC_ICR_LOW       0x300
#define LAPIC_ICR_HIGH      0x310
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_LVT_LINT0     0x350
#define LAPIC_LVT_LINT1     0x360
#define LAPIC_LVT_ERROR     0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3e0

#define SVR_ENABLE          (1u << 8)
#define LVT_MASKED          (1u << 16)
#define LVT_PERIODIC        (1u << 17)
#define TIMER_DIVIDE_16     0x3
#define ICR_PENDING         (1u << 12)
#define INIT_DELAY_US       10000
#define SIPI_DELAY_US       200
#define CALIBRATE_US        10000   /* one 100 Hz tick */

static volatile uint32_t *regs;
static uint32_t ticks_per_timer_tick;

static uint32_t lapic_read(uint32_t reg) { return regs[reg / 4]; }
static void lapic_write(uint32_t reg, uint32_t v) { regs[reg / 4] = v; }

static void delay_us(uint64_t us)
{
    uint64_t end = rdtsc() + timer_tsc_hz() * us / 1000000;

    while (rdtsc() < end)
        __asm__ volatile("pause");
}

/* The spurious vector and the enable bit; LINT0 is left as the firmware set it (the PIC's line, until irq_line.c masks it). */
static void lapic_enable(void)
{
    lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_LAPIC_SPURIOUS);
}

int lapic_init(uint64_t phys)
{
    if (paging_map_device(phys, PAGE_SIZE, true) < 0)
        return -1;
    regs = phys_to_virt(phys);
    lapic_enable();
    return 0;
}

bool lapic_present(void)
{
    return regs != NULL;
}

uint8_t lapic_id(void)
{
    return (uint8_t)(lapic_read(LAPIC_ID) >> 24);
}

void lapic_timer_calibrate(void)
{
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);     /* one-shot, masked: count only */
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
    lapic_write(LAPIC_TIMER_INITIAL, 0xffffffff);
    delay_us(CALIBRATE_US);
    ticks_per_timer_tick = 0xffffffff - lapic_read(LAPIC_TIMER_CURRENT);
    lapic_write(LAPIC_TIMER_INITIAL, 0);                            /* stop it */
    if (ticks_per_timer_tick == 0)
        ticks_per_timer_tick = 1;
}

void lapic_init_ap(void)
{
    lapic_enable();
    lapic_mask_extint();                        /* the PIC's line was the boot CPU's, and is unused now */
    lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL, ticks_per_timer_tick);
}

void lapic_send_ipi(uint8_t apic_id, uint32_t command)
{
    lapic_write(LAPIC_ESR, 0);
    lapic_write(LAPIC_ICR_HIGH, (uint32_t)apic_id << 24);
    lapic_write(LAPIC_ICR_LOW, command);
    while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
        __asm__ volatile("pause");
}

void lapic_start_cpu(uint8_t apic_id, uint64_t trampoline_phys)
{
    uint32_t vector = (uint32_t)(trampoline_phys >> 12);

    lapic_send_ipi(apic_id, ICR_INIT | ICR_ASSERT);
    delay_us(INIT_DELAY_US);
    for (int i = 0; i < 2; i++) {
        lapic_send_ipi(apic_id, ICR_STARTUP | vector);
        delay_us(SIPI_DELAY_US);
    }
}

void lapic_eoi(void)
{
    lapic_write(LAPIC_EOI, 0);
}

void lapic_mask_extint(void)
{
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
}

void lapic_irq(uint64_t vec)
{
    if (vec == VEC_LAPIC_SPURIOUS)
        return;                     /* no EOI for a spurious interrupt */
    if (vec == VEC_LAPIC_TIMER)
        cpu_count_tick();
    else
        cpu_count_ipi();            /* VEC_IPI_PING: counting it is all it asks (ipi.c) */
    lapic_eoi();
}
