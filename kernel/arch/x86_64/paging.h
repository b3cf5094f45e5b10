/*
 * 4-level page tables.  A page-table entry holds a physical address and the
 * flags below; the same format serves every level.
 */
#ifndef EMBER_PAGING_H
#define EMBER_PAGING_H

#include <stdint.h>

#define PTE_P       (1ull << 0)     /* present */
#define PTE_W       (1ull << 1)     /* writable */
#define PTE_U       (1ull << 2)     /* reachable from ring 3 */
#define PTE_PS      (1ull << 7)     /* 2 MiB page (in a page directory) */
#define PTE_G       (1ull << 8)     /* global: survives CR3 reloads (kernel only) */
/* Bits 9-11 are the software's.  PTE_SHARED: the frame belongs to a section; unmapping never frees it. */
#define PTE_SHARED  (1ull << 9)
#define PTE_NX      (1ull << 63)    /* no execute */
#define PTE_ADDR    0x000ffffffffff000ull

/* Builds the kernel's final page tables (direct map, image with per-section rights) and loads them. */
void paging_init(uint64_t phys_limit);
/* The physical address of the kernel's PML4; user PML4s copy its upper half. */
uint64_t paging_kernel_root(void);
/*
 * Maps the 4 KiB page at |va| to |pa| with |flags| in the tables rooted at
 * |root| (physical), creating missing tables.  Returns 0, or -1 when out of
 * frames.
 */
int paging_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
/* The entry for |va|'s 4 KiB page, or NULL when a table on the way is missing. */
uint64_t *paging_lookup(uint64_t root, uint64_t va);
/*
 * The lowest address >= |va| that could have a 4 KiB entry: |va| itself
 * when its page table exists, else where the region of the first missing
 * table on the way ends.  Lets a walk over a huge range skip empty parts.
 */
uint64_t paging_skip_absent(uint64_t root, uint64_t va);
/* Like paging_lookup, but creates missing tables; NULL when out of frames. */
uint64_t *paging_lookup_create(uint64_t root, uint64_t va);

#endif
