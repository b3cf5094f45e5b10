/*
 * Where smp.c puts the application processors' trampoline (ap_boot.S) and
 * its page tables: four pages of low memory, which the frame allocator never
 * hands out (main.c reserves everything below 1 MiB).  Assembly includes
 * this too: #defines only.
 */
#ifndef EMBER_SMP_BOOT_H
#define EMBER_SMP_BOOT_H

#define TRAMPOLINE_PHYS     0x8000  /* the code: a STARTUP vector of 8 */
#define TRAMPOLINE_PML4     0x9000  /* the kernel's half, plus entry 0 -> TRAMPOLINE_PDPT */
#define TRAMPOLINE_PDPT     0xa000  /* entry 0 -> TRAMPOLINE_PD */
#define TRAMPOLINE_PD       0xb000  /* entry 0: physical 0..2 MiB, executable */
#define TRAMPOLINE_END      0xc000

#endif
