/*
 * paging.c: the kernel's page tables.
 *
 * boot/entry.S left temporary tables with 2 MiB pages, all writable and
 * executable.  paging_init replaces them:
 *   - the direct map of all usable physical memory at DIRECT_MAP_BASE,
 *     2 MiB pages, writable, no-execute;
 *   - the kernel image at KERNEL_VMA, 4 KiB pages: text read-only and
 *     executable, rodata and the symbol table read-only, data and bss
 *     writable, neither executable;
 *   - nothing at the bottom: the boot identity map is gone, so a NULL
 *     dereference in the kernel faults.
 * Kernel entries are global (PTE_G), so switching address spaces keeps them
 * in the TLB.  Address spaces for processes copy the upper half of this
 * PML4 (entries 256..511), so kernel tables are shared, never rebuilt.
 */
#include <stddef.h>
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/panic.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/phys.h"

#define LARGE_PAGE_SIZE     (2ull << 20)
#define ENTRIES             512

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _data_end[], _ksyms_start[], _kernel_end[];

static uint64_t kernel_root;

static unsigned index_of(uint64_t va, int level)   /* level 3 = PML4 .. 0 = PT */
{
    return (va >> (PAGE_SHIFT + 9 * level)) & (ENTRIES - 1);
}

/* The table that entry |e| points to, created (zeroed) when |create| is set. */
static uint64_t *next_table(uint64_t *e, uint64_t va, int create)
{
    if (!(*e & PTE_P)) {
        if (!create)
            return NULL;
        uint64_t pa = frame_alloc_zeroed();
        if (!pa)
            return NULL;
        *e = pa | PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
    }
    return phys_to_virt(*e & PTE_ADDR);
}

/* The entry at |level| for |va|, walking down from |root|. */
static uint64_t *walk(uint64_t root, uint64_t va, int level, int create)
{
    uint64_t *table = phys_to_virt(root);

    for (int l = 3; l > level; l--) {
        table = next_table(&table[index_of(va, l)], va, create);
        if (!table)
            return NULL;
    }
    return &table[index_of(va, level)];
}

int paging_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *e = walk(root, va, 0, 1);

    if (!e)
        return -1;
    *e = pa | flags | PTE_P;
    return 0;
}

uint64_t *paging_lookup(uint64_t root, uint64_t va)
{
    return walk(root, va, 0, 0);
}

uint64_t paging_skip_absent(uint64_t root, uint64_t va)
{
    uint64_t *table = phys_to_virt(root);

    for (int l = 3; l > 0; l--) {
        uint64_t e = table[index_of(va, l)];
        if (!(e & PTE_P)) {
            uint64_t span = 1ull << (PAGE_SHIFT + 9 * l);  /* what the missing table would cover */
            return (va & ~(span - 1)) + span;
        }
        table = phys_to_virt(e & PTE_ADDR);
    }
    return va;
}

uint64_t *paging_lookup_create(uint64_t root, uint64_t va)
{
    return walk(root, va, 0, 1);
}

static void map_image_range(const char *start, const char *end, uint64_t flags)
{
    for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
        if (paging_map(kernel_root, va, va - KERNEL_VMA, flags | PTE_G) < 0)
            panic("paging: out of frames mapping the kernel image");
}

void paging_init(uint64_t phys_limit)
{
    kernel_root = frame_alloc_zeroed();
    if (!kernel_root)
        panic("paging: no frame for the PML4");
    for (uint64_t pa = 0; pa < phys_limit; pa += LARGE_PAGE_SIZE) {
        uint64_t *pde = walk(kernel_root, DIRECT_MAP_BASE + pa, 1, 1);
        if (!pde)
            panic("paging: out of frames for the direct map");
        *pde = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
    }
    map_image_range(_text_start, _text_end, 0);
    map_image_range(_rodata_start, _rodata_end, PTE_NX);
    map_image_range(_data_start, _data_end, PTE_W | PTE_NX);
    map_image_range(_ksyms_start, _kernel_end, PTE_NX);
    /* Every upper-half PML4 entry exists from now on, so user PML4s can copy them once. */
    for (unsigned i = ENTRIES / 2; i < ENTRIES; i++)
        if (!next_table(&((uint64_t *)phys_to_virt(kernel_root))[i], DIRECT_MAP_BASE, 1))
            panic("paging: out of frames for the kernel half");
    write_cr4(read_cr4() | CR4_PGE);
    write_cr3(kernel_root);
    kprintf("paging: direct map of %lu MiB, kernel text read-only, data no-execute\n",
            phys_limit >> 20);
}

uint64_t paging_kernel_root(void)
{
    return kernel_root;
}
