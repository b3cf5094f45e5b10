/*
 * kclock: the kernel-mode clock driver, kept beside rtcd for comparison
 * (docs/09-drivers.md).  Off unless the kernel command line says
 * clock=kernel; then the kernel drives the CMOS clock's ports itself and
 * kclock_read answers from ring 0.
 */
#ifndef EMBER_KCLOCK_H
#define EMBER_KCLOCK_H

#include "kernel/abi/types.h"

/* Reads the boot option; when it chose the kernel clock, reserves the CMOS ports. */
void kclock_init(const char *cmdline);
/* The time, or E_NOTFOUND when this boot has no kernel clock. */
long kclock_read(struct clock_time *t);
/* Fault injection: the next read writes through NULL (a kernel fault).  E_NOTFOUND without the clock. */
long kclock_arm_fault(void);

#endif
