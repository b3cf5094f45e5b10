/*
 * timer.c: the 8253/8254 PIT, channel 0, as a periodic interrupt on IRQ 0.
 * The PIT counts down from a divisor at 1.193182 MHz; each time it reaches
 * zero it raises IRQ 0 and reloads.  We count ticks; the scheduler uses the
 * tick for preemption and timeouts.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/timer.h"
#include "kernel/arch/x86_64/trap.h"

#define PIT_CHANNEL0        0x40
#define PIT_COMMAND         0x43
#define PIT_CH0_LOHI_RATE   0x34    /* channel 0, low then high byte, mode 2 */
#define PIT_CH0_LATCH       0x00    /* channel 0: freeze the count for reading */
#define CALIBRATE_COUNTS    (PIT_FREQUENCY / 200)   /* 5 ms of PIT counts */
#define PIT_FREQUENCY       1193182
#define IRQ_TIMER           0

static volatile uint64_t ticks;
static void (*tick_hook)(void);
static uint64_t tsc_hz = 1;

static void timer_irq(void)
{
    ticks++;
    cpu_count_tick();               /* the boot CPU's busy and idle ticks (cpu_local.h) */
    if (tick_hook)
        tick_hook();
}

static uint16_t pit_count(void)
{
    outb(PIT_COMMAND, PIT_CH0_LATCH);
    uint8_t lo = inb(PIT_CHANNEL0);
    return (uint16_t)(lo | inb(PIT_CHANNEL0) << 8);
}

/* Counts TSC cycles over CALIBRATE_COUNTS of the PIT's counting down (which wraps at |divisor|). */
static void calibrate_tsc(uint16_t divisor)
{
    uint64_t counted = 0, start = rdtsc();
    uint16_t prev = pit_count();

    while (counted < CALIBRATE_COUNTS) {
        uint16_t now = pit_count();
        counted += now <= prev ? prev - now : prev + divisor - now;
        prev = now;
    }
    tsc_hz = (rdtsc() - start) * PIT_FREQUENCY / counted;
    if (tsc_hz == 0)
        tsc_hz = 1;
}

void timer_init(void)
{
    uint16_t divisor = (PIT_FREQUENCY + TIMER_HZ / 2) / TIMER_HZ;

    outb(PIT_COMMAND, PIT_CH0_LOHI_RATE);
    outb(PIT_CHANNEL0, divisor & 0xff);
    outb(PIT_CHANNEL0, divisor >> 8);
    calibrate_tsc(divisor);
    irq_register(IRQ_TIMER, timer_irq);
}

uint64_t timer_tsc_hz(void)
{
    return tsc_hz;
}

uint64_t timer_ticks(void)
{
    return ticks;
}

void timer_set_tick_hook(void (*fn)(void))
{
    tick_hook = fn;
}
