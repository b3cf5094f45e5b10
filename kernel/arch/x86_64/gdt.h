/*
 * Segment selectors.  The order is fixed by SYSCALL/SYSRET (MSR_STAR):
 * SYSCALL loads CS = KERNEL_CS and SS = KERNEL_CS + 8; SYSRET to 64-bit mode
 * loads SS = USER_BASE_SEL + 8 and CS = USER_BASE_SEL + 16, hence the unused
 * 32-bit user code slot.
 */
#ifndef EMBER_GDT_H
#define EMBER_GDT_H

#define GDT_KERNEL_CS       0x08
#define GDT_KERNEL_DS       0x10
#define GDT_USER32_CS       0x18    /* the base SYSRET counts from; never used */
#define GDT_USER_DS         0x20
#define GDT_USER_CS         0x28
#define GDT_TSS             0x30
#define RPL_USER            3

#define TSS_IO_BITMAP_BYTES 8192    /* one bit per I/O port */
#define IST_DOUBLE_FAULT    1       /* #DF runs on its own stack: a kernel stack overflow still dumps */
#define IST_NMI             2       /* so does an NMI: it may come before syscall_entry's stack switch */

#ifndef __ASSEMBLER__
#include <stdint.h>

void gdt_init(void);
/* Another CPU's own GDT and TSS (index |cpu|, 1..MAX_CPUS-1) with its IST stacks, loaded on that CPU. */
void gdt_init_ap(int cpu, uint64_t double_fault_stack_top, uint64_t nmi_stack_top);
/* The stack the CPU switches to on an interrupt or exception from ring 3. */
void tss_set_kernel_stack(uint64_t rsp0);
/*
 * The I/O permission bitmap (kernel/drv/ioport.c): load |nbytes| of |bits|
 * (the rest trap) unless |owner|'s are there already; or let every port
 * trap; or note that the bitmap last loaded changed, so the next load copies.
 */
void tss_io_bitmap_load(const void *owner, const uint8_t *bits, uint32_t nbytes);
void tss_io_bitmap_off(void);
void tss_io_bitmap_forget(void);
#endif

#endif
