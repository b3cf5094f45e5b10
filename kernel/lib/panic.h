/* panic() is for broken kernel invariants only, never for bad user input. */
#ifndef EMBER_PANIC_H
#define EMBER_PANIC_H

#include <stdint.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Prints "  #n 0xaddr symbol+off" lines, starting at |rip| with frame |rbp|. */
void backtrace_print(uint64_t rip, uint64_t rbp);

#define ASSERT(cond) \
    do { if (!(cond)) panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); } while (0)

#endif
