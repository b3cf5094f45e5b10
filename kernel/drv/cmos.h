/*
 * The MC146818 CMOS real-time clock: reading the date and time out of it.
 * Pure logic over a register-read function, so the same code serves both
 * clock drivers (docs/09-drivers.md): rtcd in ring 3, whose reads are
 * `in`/`out` through its I/O-port grant, and kclock in the kernel.
 */
#ifndef EMBER_CMOS_H
#define EMBER_CMOS_H

#include <stdint.h>
#include "kernel/abi/types.h"

#define CMOS_INDEX_PORT     0x70    /* write the register number here (bit 7: NMIs off)... */
#define CMOS_DATA_PORT      0x71    /* ...then read or write it here */
#define CMOS_PORTS          2
#define CMOS_IRQ            8
#define CMOS_NMI_OFF        0x80
#define CMOS_REG_B          0x0b
#define CMOS_REG_C          0x0c    /* reading it acknowledges the chip's interrupt */
#define CMOS_B_UPDATE_IRQ   0x10    /* an interrupt after each once-a-second update */

/* Reads CMOS register |reg|. */
typedef uint8_t (*cmos_read_fn)(uint8_t reg);

/* The time the clock holds, decoded (BCD or binary, 12 or 24 hours), with unix_seconds. */
void cmos_read_time(cmos_read_fn read, struct clock_time *t);
/* The days from 1970-01-01 to |year|-|month|-|day|. */
int64_t days_since_epoch(uint32_t year, uint32_t month, uint32_t day);

#endif
