/*
 * kstack.c: kernel stacks with guard pages.
 *
 * Stacks live in their own region of the kernel half (KSTACK_REGION), one
 * slot of KSTACK_SIZE + a guard page each.  The guard page is never mapped,
 * so a kernel stack overflow faults (and, through the double-fault IST
 * stack, still prints a dump) instead of silently overwriting a neighbour.
 * Because the kernel half's page tables are shared, a stack mapped here is
 * visible in every address space.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/lib/panic.h"
#include "kernel/mm/frame.h"
#include "kernel/sched/kstack.h"
#include "kernel/sched/thread.h"

#define KSTACK_REGION       0xffffff0000000000ull   /* PML4 entry 510 */
#define KSTACK_SLOTS        4096
#define KSTACK_SLOT_SIZE    (KSTACK_SIZE + PAGE_SIZE)

static uint64_t used[KSTACK_SLOTS / 64];

static uint64_t slot_base(int slot)
{
    return KSTACK_REGION + (uint64_t)slot * KSTACK_SLOT_SIZE + PAGE_SIZE;   /* above the guard */
}

static void unmap_pages(int slot, int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t va = slot_base(slot) + (uint64_t)i * PAGE_SIZE;
        uint64_t *pte = paging_lookup(paging_kernel_root(), va);
        frame_free(*pte & PTE_ADDR);
        *pte = 0;
        invlpg(va);
    }
}

void kstack_init(void)
{
    /* Create every page table of the region now, so later stacks never allocate (or leak) one. */
    for (uint64_t off = 0; off < (uint64_t)KSTACK_SLOTS * KSTACK_SLOT_SIZE; off += 512 * PAGE_SIZE)
        if (!paging_lookup_create(paging_kernel_root(), KSTACK_REGION + off))
            panic("kstack: out of frames for the stack region's tables");
}

uint64_t kstack_alloc(int *slot)
{
    int s = -1;

    for (int w = 0; w < KSTACK_SLOTS / 64 && s < 0; w++)
        if (used[w] != ~0ull)
            s = w * 64 + __builtin_ctzll(~used[w]);
    if (s < 0)
        return 0;
    for (int i = 0; i < KSTACK_PAGES; i++) {
        uint64_t pa = frame_alloc();
        if (!pa || paging_map(paging_kernel_root(), slot_base(s) + (uint64_t)i * PAGE_SIZE, pa,
                              PTE_W | PTE_NX | PTE_G) < 0) {
            if (pa)
                frame_free(pa);
            unmap_pages(s, i);
            return 0;
        }
    }
    used[s / 64] |= 1ull << (s % 64);
    *slot = s;
    return slot_base(s) + KSTACK_SIZE;
}

void kstack_free(int slot)
{
    unmap_pages(slot, KSTACK_PAGES);
    used[slot / 64] &= ~(1ull << (slot % 64));
}
