/*
 * timer.c: the 8253/8254 PIT, channel 0, as a periodic interrupt on IRQ 0.
 * The PIT counts down from a divisor at 1.193182 MHz; each time it reaches
 * zero it raises IRQ 0 and reloads.  We count ticks; the scheduler uses the
 * tick for preemption and timeouts.
 *
 * The TSC's rate is measured against the PIT without a wait of its own: the
 * PIT starts counting at timer_init, early in boot, and timer_calibrate, at
 * the end of bring-up, reads how far it got.  Bring-up is the measuring
 * interval (a busy loop would cost its whole length in instructions, which
 * `make bench` counts as boot).  Only when bring-up was too short to measure
 * well, or so long that the PIT wrapped past zero, does it count on in a loop.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/timer.h"
#include "kernel/arch/x86_64/trap.h"

#define PIT_CHANNEL0        0x40
#define PIT_COMMAND         0x43
#define PIT_CH0_LOHI_RATE   0x34    /* channel 0, low then high byte, mode 2 */
#define PIT_CH0_LATCH       0x00    /* channel 0: freeze the count for reading */
#define CALIBRATE_COUNTS    (PIT_FREQUENCY / 4000)  /* 250 us: one count (838 ns) is 0.4% of it */
#define PIT_FREQUENCY       1193182
#define IRQ_TIMER           0

static volatile uint64_t ticks;
static void (*tick_hook)(void);
static uint64_t tsc_hz = 1;
static uint64_t start_tsc;          /* the TSC when the PIT began counting down from |divisor| */
static uint16_t divisor;

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

/*
 * Counts on from |counted| PIT counts after |start| until CALIBRATE_COUNTS
 * have passed (no rounds at all when they have), following the count down
 * from |prev| through its wraps at |divisor|, then sets the rate.
 */
static void calibrate_tsc(uint64_t start, uint64_t counted, uint16_t prev)
{
    while (counted < CALIBRATE_COUNTS) {
        uint16_t now = pit_count();
        counted += now <= prev ? prev - now : prev + divisor - now;
        prev = now;
    }
    tsc_hz = (rdtsc() - start) * PIT_FREQUENCY / counted;
    if (tsc_hz == 0)
        tsc_hz = 1;
}

/* Starts the PIT's periodic count; timer_calibrate measures against it later. */
void timer_init(void)
{
    divisor = (PIT_FREQUENCY + TIMER_HZ / 2) / TIMER_HZ;
    outb(PIT_COMMAND, PIT_CH0_LOHI_RATE);
    outb(PIT_CHANNEL0, divisor & 0xff);
    outb(PIT_CHANNEL0, divisor >> 8);
    start_tsc = rdtsc();
    irq_register(IRQ_TIMER, timer_irq);
}

/*
 * The PIT counted down from |divisor| since timer_init.  Before its first
 * wrap (no tick taken, IRQ 0 not pending: read after the count, so a wrap
 * between the two reads is seen) the counts passed are divisor - count, and
 * the bring-up between is the interval.  After a wrap, how many passed is
 * unknown, and the count starts afresh.
 */
void timer_calibrate(void)
{
    uint16_t now = pit_count();

    if (ticks == 0 && !pic_pending(IRQ_TIMER))
        calibrate_tsc(start_tsc, divisor - now, now);
    else
        calibrate_tsc(rdtsc(), 0, now);
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
