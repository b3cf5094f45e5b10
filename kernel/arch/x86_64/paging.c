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
 *
 * User-half tables are counted: the entry pointing at a table holds, in
 * bits the MMU ignores (PTE_COUNT_MASK), how many of that table's entries
 * are in use.  So paging_clear_range frees a table the moment its last
 * entry goes, and stops scanning a table once its count says nothing is
 * left: unmap and teardown cost what is mapped, not the size of the range.
 * A few emptied tables are kept as spares (already zero) for the next one.
 * The kernel-stack region (KSTACK_REGION) is counted the same way, so a
 * table there goes when its last stack does (kernel/sched/kstack.c); its
 * PML4 entry stays, as every other kernel-half table: address spaces share
 * them by copying the PML4's upper half once.
 */
#include <stdbool.h>
#include <stddef.h>
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/panic.h"

#define LARGE_PAGE_SIZE     (2ull << 20)
#define DEVICE_PHYS_LIMIT   (1ull << 46)    /* what fits below the kernel image in the direct map's region */
#define ENTRIES             512
#define SPARE_TABLES        8       /* emptied tables kept zeroed for reuse */

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _data_end[], _ksyms_start[], _kernel_end[];

static uint64_t kernel_root;
/* Frames for tables, from mm's allocator (a floor above arch), given to paging_init. */
static uint64_t (*frames_alloc_zeroed)(void);
static void (*frames_free)(uint64_t pa);

/*
 * Emptied user tables, kept for the next table made: every entry of a table
 * that emptied is 0, so it needs no zeroing, and a map/unmap cycle in an
 * otherwise empty region (three tables each way) costs no frame traffic.
 * Counted as free memory by system_stats (paging_spare_tables).
 */
static uint64_t spare[SPARE_TABLES];
static unsigned nspare;

static uint64_t table_alloc(uint64_t va)
{
    return va < USER_TOP && nspare ? spare[--nspare] : frames_alloc_zeroed();
}

static void table_free(uint64_t pa)
{
    if (nspare < SPARE_TABLES)
        spare[nspare++] = pa;
    else
        frames_free(pa);
}

uint64_t paging_spare_tables(void)
{
    return nspare;
}

/* Tables whose entries are counted (see above): the user half and the kernel stacks. */
static bool counted(uint64_t va)
{
    return va < USER_TOP || (va >= KSTACK_REGION && va < KSTACK_REGION_END);
}

static unsigned index_of(uint64_t va, int level)   /* level 3 = PML4 .. 0 = PT */
{
    return (va >> (PAGE_SHIFT + 9 * level)) & (ENTRIES - 1);
}

static uint64_t *table_of(uint64_t e)
{
    return phys_to_virt(e & PTE_ADDR);
}

static unsigned count_of(uint64_t e)
{
    return (unsigned)((e & PTE_COUNT_MASK) >> PTE_COUNT_SHIFT);
}

/* The span of addresses one entry at |level| covers. */
static uint64_t span_of(int level)
{
    return 1ull << (PAGE_SHIFT + 9 * level);
}

/* The table that entry |e| points to, created (zeroed) when |create| is set. */
static uint64_t *next_table(uint64_t *e, uint64_t va, int create)
{
    if (!(*e & PTE_P)) {
        if (!create)
            return NULL;
        uint64_t pa = table_alloc(va);
        if (!pa)
            return NULL;
        *e = pa | PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
    }
    return table_of(*e);
}

/*
 * The entry at |level| for |va|, walking down from |root|.  With |create|,
 * missing tables are made, and in the user half each table made counts as
 * one more used entry of the table above it.  |*parent| (if asked) is the
 * entry pointing at the returned entry's table, NULL for the root.
 */
static uint64_t *walk_counted(uint64_t root, uint64_t va, int level, int create, uint64_t **parent)
{
    uint64_t *table = phys_to_virt(root), *up = NULL;

    for (int l = 3; l > level; l--) {
        uint64_t *e = &table[index_of(va, l)];
        bool was_empty = !(*e & PTE_P);
        table = next_table(e, va, create);
        if (!table)
            return NULL;
        if (was_empty && up && counted(va))
            *up += PTE_COUNT_ONE;
        up = e;
    }
    if (parent)
        *parent = up;
    return &table[index_of(va, level)];
}

static uint64_t *walk(uint64_t root, uint64_t va, int level, int create)
{
    return walk_counted(root, va, level, create, NULL);
}

int paging_set(uint64_t root, uint64_t va, uint64_t entry)
{
    uint64_t *parent, *e = walk_counted(root, va, 0, 1, &parent);

    if (!e)
        return -1;
    if (*e == 0 && counted(va))
        *parent += PTE_COUNT_ONE;
    *e = entry;
    return 0;
}

int paging_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    return paging_set(root, va, pa | flags | PTE_P);
}

uint64_t *paging_lookup(uint64_t root, uint64_t va)
{
    return walk(root, va, 0, 0);
}

uint64_t *paging_lookup_create(uint64_t root, uint64_t va)
{
    return walk(root, va, 0, 1);
}

/*
 * The first index in [i, last) whose entry is not 0, or |last|.  Eight
 * empty entries a step where it can: a sparse table is mostly zeros, and
 * every teardown and unmap walks past them.
 */
static unsigned next_nonzero(const uint64_t *t, unsigned i, unsigned last)
{
    while (i < last && (i & 7) && !t[i])
        i++;
    while (i + 8 <= last && !(t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] | t[i + 5] |
                              t[i + 6] | t[i + 7]))
        i += 8;
    while (i < last && !t[i])
        i++;
    return i;
}

/* One past the last index of the |level| table starting at |base| that [.., end) reaches. */
static unsigned end_index(uint64_t base, uint64_t end, int level)
{
    uint64_t span = span_of(level);

    return end - base >= span * ENTRIES ? ENTRIES : (unsigned)((end - base + span - 1) / span);
}

/* The first page in [va, end) with a used entry under |table| at |level|, or |end|. */
static uint64_t next_used(const uint64_t *table, int level, uint64_t va, uint64_t end)
{
    uint64_t span = span_of(level), base = va & ~(span * ENTRIES - 1);
    unsigned last = end_index(base, end, level);

    for (unsigned i = next_nonzero(table, index_of(va, level), last); i < last;
         i = next_nonzero(table, i + 1, last)) {
        uint64_t at = base + i * span > va ? base + i * span : va;
        if (level == 0)
            return at;
        uint64_t found = next_used(table_of(table[i]), level - 1, at, end);
        if (found < end)
            return found;
    }
    return end;
}

uint64_t paging_next_used(uint64_t root, uint64_t va, uint64_t end)
{
    return next_used(phys_to_virt(root), 3, va, end);
}

/*
 * Clears the used entries in [va, end) of the table |*up| points to (at
 * |level|), giving each leaf to |fn|, and frees every table below that
 * empties.  Stops as soon as the table's count says nothing is left.
 * Returns the number of tables freed.
 */
static uint64_t clear_table(uint64_t *up, int level, uint64_t va, uint64_t end,
                            paging_clear_fn fn, void *ctx)
{
    uint64_t *table = table_of(*up), freed = 0, span = span_of(level);
    uint64_t base = va & ~(span * ENTRIES - 1);     /* where this table's region starts */
    unsigned last = end_index(base, end, level);

    for (unsigned i = next_nonzero(table, index_of(va, level), last); i < last;
         i = next_nonzero(table, i + 1, last)) {
        uint64_t old = table[i], at = base + i * span > va ? base + i * span : va;
        if (level == 0) {
            table[i] = 0;
            *up -= PTE_COUNT_ONE;
            fn(at, old, ctx);
        } else {
            freed += clear_table(&table[i], level - 1, at, end, fn, ctx);
            if (count_of(table[i]) == 0) {
                table_free(old & PTE_ADDR);
                table[i] = 0;
                *up -= PTE_COUNT_ONE;
                freed++;
            }
        }
        if (count_of(*up) == 0)
            break;                      /* nothing left in this table */
    }
    return freed;
}

uint64_t paging_clear_range(uint64_t root, uint64_t va, uint64_t end, paging_clear_fn fn, void *ctx)
{
    uint64_t *pml4 = phys_to_virt(root), freed = 0, span = span_of(3);
    unsigned last;

    if (va >= end)
        return 0;
    /* The user half, or within the kernel stacks' one PML4 entry (whose table stays). */
    ASSERT(end <= USER_TOP || (va >= KSTACK_REGION && end <= KSTACK_REGION_END));
    last = index_of(end - 1, 3) + 1;
    for (unsigned i = next_nonzero(pml4, index_of(va, 3), last); i < last;
         i = next_nonzero(pml4, i + 1, last)) {
        freed += clear_table(&pml4[i], 2, i * span > va ? i * span : va, end, fn, ctx);
        if (count_of(pml4[i]) == 0 && i < ENTRIES / 2) {    /* kernel-half ones are shared */
            table_free(pml4[i] & PTE_ADDR);
            pml4[i] = 0;
            freed++;
        }
    }
    return freed;
}

static void map_image_range(const char *start, const char *end, uint64_t flags)
{
    for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
        if (paging_map(kernel_root, va, va - KERNEL_VMA, flags | PTE_G) < 0)
            panic("paging: out of frames mapping the kernel image");
}

void paging_init(uint64_t phys_limit, uint64_t (*alloc_zeroed)(void), void (*free)(uint64_t pa))
{
    frames_alloc_zeroed = alloc_zeroed;
    frames_free = free;
    kernel_root = frames_alloc_zeroed();
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

int paging_map_device(uint64_t pa, uint64_t len, bool device)
{
    uint64_t flags = PTE_P | PTE_W | PTE_G | PTE_NX | (device ? PTE_PCD | PTE_PWT : 0);

    if (len > DEVICE_PHYS_LIMIT || pa > DEVICE_PHYS_LIMIT - len)
        return -1;                  /* a firmware table's address that cannot be real */
    for (uint64_t p = pa & ~(uint64_t)(PAGE_SIZE - 1); p < pa + len; p += PAGE_SIZE) {
        uint64_t *pde = walk(kernel_root, DIRECT_MAP_BASE + p, 1, 1);
        if (!pde)
            return -1;
        if (*pde & PTE_PS)
            continue;               /* RAM the direct map already covers */
        uint64_t *pte = walk(kernel_root, DIRECT_MAP_BASE + p, 0, 1);
        if (!pte)
            return -1;
        *pte = p | flags;
        invlpg(DIRECT_MAP_BASE + p);
    }
    return 0;
}

uint64_t paging_kernel_root(void)
{
    return kernel_root;
}
