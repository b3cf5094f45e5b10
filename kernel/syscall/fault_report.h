/*
 * What the kernel prints when something faults: a ring-3 fault (the process
 * ends; the kernel names the program, function and line), or a kernel fault
 * or panic (the machine stops).  See fault_report.c.  The floors below call
 * these through the hooks fault_report_init fills.
 */
#ifndef EMBER_FAULT_REPORT_H
#define EMBER_FAULT_REPORT_H

#include <stdint.h>

struct trap_frame;

/* A fault in ring 0 that nothing fixes up: the full report, then QEMU exits with failure. */
__attribute__((noreturn)) void fault_report_kernel(const struct trap_frame *f);
/* A fault of the current process's thread in ring 3: one report; the caller ends the process. */
void fault_report_user(const struct trap_frame *f);
/* The report after a PANIC line (|rip|, |rbp|, |rsp| are panic's caller's), then QEMU exits. */
__attribute__((noreturn)) void fault_report_panic(uint64_t rip, uint64_t rbp, uint64_t rsp);
/* Fills panic_hooks and the trap path's fault hooks: first thing at boot. */
void fault_report_init(void);

#endif
