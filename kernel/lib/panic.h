/* panic() is for broken kernel invariants only, never for bad user input. */
#ifndef EMBER_PANIC_H
#define EMBER_PANIC_H

#include <stdint.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/*
 * What panic needs from the floors above lib, filled once at boot by
 * fault_report_init (kernel/syscall/fault_report.c).  panic calls stop, prints
 * the PANIC line, then report, which prints who was running and where
 * (|rip|, |rbp|, |rsp| are panic's caller's) and leaves QEMU with failure.
 */
struct panic_hooks {
    void (*stop)(void);                                         /* interrupts off */
    void (*report)(uint64_t rip, uint64_t rbp, uint64_t rsp);  /* does not return */
};
extern struct panic_hooks panic_hooks;

/*
 * Calls |fn| for each kernel frame, starting at |rip| with stack |rsp| and
 * frame |rbp| (a caller's address is that of its call instruction).  Returns
 * the rbp at which the chain left the kernel (a ring-3 frame, when the
 * kernel was entered from a program), or 0.
 */
uint64_t backtrace_walk(uint64_t rip, uint64_t rsp, uint64_t rbp,
                        void (*fn)(int n, uint64_t addr, void *ctx), void *ctx);
/* Prints "backtrace:" and a "  #n 0xaddr symbol+off" line per frame; returns as backtrace_walk. */
uint64_t backtrace_print(uint64_t rip, uint64_t rsp, uint64_t rbp);

#define CALL_INSN_MAX 7         /* the longest call instruction call_ends_here knows, without prefixes */
/* Whether the CALL_INSN_MAX bytes at |before| end with a call instruction (direct or indirect). */
int call_ends_here(const uint8_t before[CALL_INSN_MAX]);

#define ASSERT(cond) \
    do { if (!(cond)) panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); } while (0)

#endif
