/*
 * 4-level page tables.  A page-table entry holds a physical address and the
 * flags below; the same format serves every level.
 */
#ifndef EMBER_PAGING_H
#define EMBER_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#define PTE_P       (1ull << 0)     /* present */
#define PTE_W       (1ull << 1)     /* writable */
#define PTE_U       (1ull << 2)     /* reachable from ring 3 */
#define PTE_PWT     (1ull << 3)     /* write-through */
#define PTE_PCD     (1ull << 4)     /* cache disabled: device registers */
#define PTE_PS      (1ull << 7)     /* 2 MiB page (in a page directory) */
#define PTE_G       (1ull << 8)     /* global: survives CR3 reloads (kernel only) */
/* Bits 9-11 are the software's.  PTE_SHARED: the frame belongs to a section; unmapping never frees it. */
#define PTE_SHARED  (1ull << 9)
/* PTE_DEMAND, not present: a committed page, zero-filled on first touch (kernel/mm/vm.c). */
#define PTE_DEMAND  (1ull << 10)
/* In an entry that points at a user-half table: how many of its entries are used (MMU-ignored bits). */
#define PTE_COUNT_SHIFT 52
#define PTE_COUNT_ONE   (1ull << PTE_COUNT_SHIFT)
#define PTE_COUNT_MASK  (0x3ffull << PTE_COUNT_SHIFT)
#define PTE_NX      (1ull << 63)    /* no execute */
#define PTE_ADDR    0x000ffffffffff000ull

/*
 * Builds the kernel's final page tables (direct map, image with per-section
 * rights) and loads them.  Tables, now and later, are frames from
 * |alloc_zeroed| and go back through |free|: mm's frame allocator, which
 * sits a floor above arch (docs/00-design.md, section 1).
 */
void paging_init(uint64_t phys_limit, uint64_t (*alloc_zeroed)(void), void (*free)(uint64_t pa));
/*
 * Makes [pa, pa + len) reachable at phys_to_virt(pa), for what lies beyond
 * the direct map's RAM: ACPI tables, and with |device| set the uncached
 * registers of the local and I/O APICs.  Pages inside the direct map's 2 MiB
 * pages are there already.  Returns 0, or -1 when out of frames.
 */
int paging_map_device(uint64_t pa, uint64_t len, bool device);
/* The physical address of the kernel's PML4; user PML4s copy its upper half. */
uint64_t paging_kernel_root(void);
/*
 * Maps the 4 KiB page at |va| to |pa| with |flags| in the tables rooted at
 * |root| (physical), creating missing tables.  Returns 0, or -1 when out of
 * frames.
 */
int paging_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
/* Like paging_map, but stores |entry| (not 0) as it is: present or a software marker. */
int paging_set(uint64_t root, uint64_t va, uint64_t entry);
/*
 * The entry for |va|'s 4 KiB page, or NULL when a table on the way is
 * missing.  Changing a user or kernel-stack entry from or to 0 through it
 * would break the table counts: use paging_set and paging_clear_range for that.
 */
uint64_t *paging_lookup(uint64_t root, uint64_t va);
/* Like paging_lookup, but creates missing tables; NULL when out of frames. */
uint64_t *paging_lookup_create(uint64_t root, uint64_t va);
/*
 * The lowest page address in [va, end) (user half) whose entry is not 0,
 * or |end|: visits only tables that exist.
 */
uint64_t paging_next_used(uint64_t root, uint64_t va, uint64_t end);
/*
 * Sets every non-zero entry of [va, end) (page-aligned; the user half, or
 * within the kernel-stack region) to 0,
 * calling |fn| with its address and old value after each, and frees each
 * table that becomes empty.  Visits only tables that exist.  Returns how
 * many tables it freed: a loaded address space must flush its TLB if any
 * (paging-structure caches may still point at them).
 */
/* Emptied user tables kept for reuse (a few): free memory for system_stats' purposes. */
uint64_t paging_spare_tables(void);
typedef void (*paging_clear_fn)(uint64_t va, uint64_t old, void *ctx);
uint64_t paging_clear_range(uint64_t root, uint64_t va, uint64_t end, paging_clear_fn fn, void *ctx);

#endif
