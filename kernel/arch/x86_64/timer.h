/* The periodic timer: TIMER_HZ ticks a second from the PIT. */
#ifndef EMBER_TIMER_H
#define EMBER_TIMER_H

#include <stdint.h>

#define TIMER_HZ        100
#define NS_PER_TICK     (1000000000ull / TIMER_HZ)

void timer_init(void);
/* Measures the TSC's rate against the PIT's count since timer_init (call at the end of bring-up). */
void timer_calibrate(void);
uint64_t timer_ticks(void);
/* The time stamp counter's rate, measured by timer_calibrate (never 0). */
uint64_t timer_tsc_hz(void);
/* Called on every tick, after the count advances (the scheduler hooks in here). */
void timer_set_tick_hook(void (*fn)(void));

#endif
