/*
 * kstack.c: kernel stacks, one per thread, each above an unmapped guard.
 *
 * A stack is KSTACK_PAGES frames taken from the frame allocator when the
 * thread is made and given back when it is reaped, mapped in a region of
 * the kernel half of its own (KSTACK_REGION, PML4 entry 510).  The region
 * is divided into slots of KSTACK_SLOT_SIZE: an unmapped guard as large as
 * the stack, then the stack.  A kernel stack overflow runs into the guard
 * and faults (and, through the double-fault IST stack, still prints a dump)
 * instead of silently overwriting a neighbour.
 *
 * Which slot?  A stack's first frame is its own while the stack lives, so
 * the frame's number names a slot no other live stack can have: slot N
 * belongs to the stack whose first frame is frame N.  So there is no table
 * of slots and no free list to keep, and no fixed number of stacks: the
 * region has a slot for every frame of memory, and what limits stacks is
 * memory and the job's quota (thread_create_user charges them).
 *
 * The region's page tables are made as stacks need them and freed when
 * their last stack goes (paging.c counts the entries of each, as it does
 * for user tables), so a thousand threads made and ended leave no table
 * behind.  The region's own PML4 entry exists from boot: every address
 * space shares the kernel half by copying those entries, so every address
 * space sees every kernel stack.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/lib/panic.h"
#include "kernel/mm/frame.h"
#include "kernel/sched/kstack.h"
#include "kernel/sched/thread.h"

#define KSTACK_SLOT_SIZE    (2 * KSTACK_SIZE)      /* the guard, then the stack */
#define KSTACK_SLOTS        ((KSTACK_REGION_END - KSTACK_REGION) / KSTACK_SLOT_SIZE)

/* The lowest address of the stack whose first frame is |pa|. */
static uint64_t stack_base(uint64_t pa)
{
    return KSTACK_REGION + (pa >> PAGE_SHIFT) * KSTACK_SLOT_SIZE + KSTACK_SIZE;
}

void kstack_init(void)
{
    /* 16 Mi slots of 32 KiB: every frame of up to 64 GiB of memory can name one. */
    if (frame_phys_limit() / PAGE_SIZE > KSTACK_SLOTS)
        panic("kstack: memory beyond %lu GiB has no kernel-stack slot",
              (unsigned long)(KSTACK_SLOTS * PAGE_SIZE >> 30));
}

static void free_stack_page(uint64_t va, uint64_t old, void *ctx)
{
    (void)va, (void)ctx;
    frame_free(old & PTE_ADDR);
}

/* Unmaps the stack at |base| (whatever of it is mapped), frees its frames and emptied tables. */
static void unmap_stack(uint64_t base)
{
    paging_clear_range(paging_kernel_root(), base, base + KSTACK_SIZE, free_stack_page, NULL);
    /* The pages were global; INVLPG also drops cached pointers to freed tables. */
    for (int i = 0; i < KSTACK_PAGES; i++)
        invlpg(base + (uint64_t)i * PAGE_SIZE);
}

uint64_t kstack_alloc(void)
{
    uint64_t frames[KSTACK_PAGES], base;
    int n, mapped;

    for (n = 0; n < KSTACK_PAGES; n++)
        if (!(frames[n] = frame_alloc()))
            goto fail;
    base = stack_base(frames[0]);
    for (mapped = 0; mapped < KSTACK_PAGES; mapped++)
        if (paging_map(paging_kernel_root(), base + (uint64_t)mapped * PAGE_SIZE, frames[mapped],
                       PTE_W | PTE_NX | PTE_G) < 0)
            break;
    if (mapped == KSTACK_PAGES)
        return base + KSTACK_SIZE;
    unmap_stack(base);                  /* frees the frames it had mapped, and their tables */
    for (int i = mapped; i < KSTACK_PAGES; i++)
        frame_free(frames[i]);
    return 0;
fail:
    while (n-- > 0)
        frame_free(frames[n]);
    return 0;
}

void kstack_free(uint64_t top)
{
    unmap_stack(top - KSTACK_SIZE);
}
