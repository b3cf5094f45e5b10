/*
 * vm.c: process address spaces (vm.h).
 *
 * The page tables are the only record of what is mapped: mapping checks
 * them, unmapping and teardown clear them through paging_clear_range,
 * which visits only tables that exist and frees each one that empties, and
 * mem_map(NULL) finds a free range by walking them from a hint (the lowest
 * address that may be free), so unmapped ranges are handed out again.
 *
 * Private pages are demand-zero: vm_map writes a not-present entry marked
 * PTE_DEMAND with the page's rights, and charges the page at once
 * (charge_pages: its frame is promised, so the touch cannot fail).  The
 * first touch (vm_fault, from trap.c) or the loader's write (vm_write)
 * gives it a frame, zeroing only the bytes nobody is about to write.
 *
 * An address space that is not loaded is changed through the direct map.
 * The one exception is shared ranges (sections): their frames are another
 * object's, so their pages carry PTE_SHARED (never freed here) and a short
 * list in struct vm remembers each range, to tell its owner when it goes.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/types.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/phys.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/string.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/vm.h"

#define USER_ENTRIES    256         /* PML4 entries of the lower half */
#define PAGE_MASK       (PAGE_SIZE - 1)
#define GUARD_SIZE      PAGE_SIZE   /* unmapped, on each side of a range mem_map picks */

struct vm *vm_create(void)
{
    struct vm *vm = kzalloc(sizeof *vm, TAG("Vm  "));

    if (!vm)
        return NULL;
    vm->root = frame_alloc_zeroed();
    if (!vm->root) {
        kfree(vm);
        return NULL;
    }
    uint64_t *mine = phys_to_virt(vm->root), *kernel = phys_to_virt(paging_kernel_root());
    memcpy(mine + USER_ENTRIES, kernel + USER_ENTRIES, USER_ENTRIES * sizeof(uint64_t));
    vm->pick_hint = USER_MMAP_BASE;
    list_init(&vm->shared);
    return vm;
}

/*
 * Charging: every private page (present or demand-zero) is charged to its
 * address space here and nowhere else, so a quota on committed pages hooks
 * into these two.  Charging promises the frames (frame_reserve), so a first
 * touch never fails; the promise is kept by frame_alloc_reserved in
 * give_frame, or given back by release_page.
 */
static long charge_pages(struct vm *vm, uint64_t n)
{
    if (!frame_reserve(n))
        return E_NOMEM;
    vm->committed += n;
    return 0;
}

static void uncharge_pages(struct vm *vm, uint64_t n)
{
    ASSERT(n <= vm->committed);
    vm->committed -= n;
}

static bool is_loaded(const struct vm *vm)
{
    return read_cr3() == vm->root;
}

/* paging_clear_range's callback: a page left the address space. */
static void release_page(uint64_t va, uint64_t old, void *ctx)
{
    struct vm *vm = ctx;

    if (old & PTE_SHARED)
        ;                               /* a section's frame is the section's to free */
    else if (old & PTE_P)
        frame_free(old & PTE_ADDR);
    else
        frame_unreserve(1);             /* demand-zero, never touched: only a promise */
    if (!(old & PTE_SHARED))
        uncharge_pages(vm, 1);
    if ((old & PTE_P) && is_loaded(vm))
        invlpg(va);
}

/* Clears [addr, end), freeing emptied tables; flushes what the TLB may still hold of them. */
static void clear_range(struct vm *vm, uint64_t addr, uint64_t end)
{
    if (paging_clear_range(vm->root, addr, end, release_page, vm) && is_loaded(vm))
        write_cr3(vm->root);            /* paging-structure caches may point at freed tables */
}

void vm_destroy(struct vm *vm)
{
    struct list_node *n;

    clear_range(vm, 0, USER_TOP);
    ASSERT(vm->committed == 0);
    frame_free(vm->root);
    while ((n = list_pop_front(&vm->shared))) {
        struct vm_shared *m = LIST_ENTRY(n, struct vm_shared, node);
        m->release(m);                  /* its owner may free the frames now */
    }
    kfree(vm);
}

/* A range at |addr| may be free again: vm_pick_range looks from there (with its guard page). */
static void lower_pick_hint(struct vm *vm, uint64_t addr)
{
    uint64_t from = addr >= USER_MMAP_BASE + GUARD_SIZE ? addr - GUARD_SIZE : USER_MMAP_BASE;

    if (from < vm->pick_hint)
        vm->pick_hint = from;
}

void vm_unmap(struct vm *vm, uint64_t addr, uint64_t len)
{
    clear_range(vm, addr, addr + len);
    lower_pick_hint(vm, addr);
}

static uint64_t pte_flags_of(unsigned long flags)
{
    return PTE_U | (flags & MEM_WRITE ? PTE_W : 0) | (flags & MEM_EXEC ? 0 : PTE_NX);
}

/* Whether no page of [addr, addr + len) is mapped (or promised). */
static bool range_is_free(struct vm *vm, uint64_t addr, uint64_t len)
{
    return paging_next_used(vm->root, addr, addr + len) == addr + len;
}

long vm_map(struct vm *vm, uint64_t addr, uint64_t len, unsigned long flags)
{
    uint64_t marker = pte_flags_of(flags) | PTE_DEMAND, end = addr + len;

    if (charge_pages(vm, len / PAGE_SIZE) < 0)
        return E_NOMEM;                 /* and the loops below stay bounded by memory */
    if (!range_is_free(vm, addr, len)) {
        frame_unreserve(len / PAGE_SIZE);
        uncharge_pages(vm, len / PAGE_SIZE);
        return E_EXISTS;
    }
    for (uint64_t va = addr; va < end; va += PAGE_SIZE) {
        if (paging_set(vm->root, va, marker) < 0) {
            frame_unreserve((end - va) / PAGE_SIZE);
            uncharge_pages(vm, (end - va) / PAGE_SIZE);
            vm_unmap(vm, addr, va + PAGE_SIZE - addr);  /* also frees tables made for |va| */
            return E_NOMEM;
        }
    }
    return 0;
}

/*
 * Gives the demand-zero page whose entry is |pte| its frame, out of the
 * charge's promise.  Zeroes all of it but [keep, keep_end), which the
 * caller is about to fill: so every byte is written about once.  The
 * zeroing is widened to whole 8-byte words (memset's fast path; the
 * caller's copy overwrites those few bytes).
 */
static uint8_t *give_frame(uint64_t *pte, size_t keep, size_t keep_end)
{
    uint64_t pa = frame_alloc_reserved();
    uint8_t *page = phys_to_virt(pa);
    size_t head = (keep + 7) & ~(size_t)7, tail = keep_end & ~(size_t)7;

    memset(page, 0, head);
    memset(page + tail, 0, PAGE_SIZE - tail);
    *pte = (*pte & ~PTE_DEMAND) | pa | PTE_P;   /* not present before: nothing in the TLB */
    return page;
}

long vm_fault(struct vm *vm, uint64_t addr, uint64_t error)
{
    uint64_t *pte = addr < USER_TOP ? paging_lookup(vm->root, addr) : NULL;

    if (!pte || !(*pte & PTE_DEMAND) || (error & PF_PRESENT))
        return E_FAULT;
    /*
     * Even for an access its rights forbid (a write to a read-only page):
     * the retry then faults as "present, protection violation", as it
     * would have without demand paging.
     */
    give_frame(pte, 0, 0);
    return 0;
}

long vm_map_shared(struct vm *vm, struct vm_shared *m, const uint64_t *frames, unsigned long flags)
{
    uint64_t pte_flags = pte_flags_of(flags) | PTE_SHARED;

    if (!range_is_free(vm, m->addr, m->len))
        return E_EXISTS;
    for (uint64_t off = 0; off < m->len; off += PAGE_SIZE) {
        if (paging_map(vm->root, m->addr + off, frames[off / PAGE_SIZE], pte_flags) < 0) {
            vm_unmap(vm, m->addr, off + PAGE_SIZE);     /* clears the PTEs; the frames are not ours */
            return E_NOMEM;
        }
    }
    list_push_back(&vm->shared, &m->node);
    return 0;
}

struct vm_shared *vm_find_shared(struct vm *vm, uint64_t addr)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &vm->shared) {
        struct vm_shared *m = LIST_ENTRY(pos, struct vm_shared, node);
        if (addr >= m->addr && addr - m->addr < m->len)
            return m;
    }
    return NULL;
}

void vm_unmap_shared(struct vm *vm, struct vm_shared *m)
{
    vm_unmap(vm, m->addr, m->len);
    list_remove(&m->node);
    m->release(m);
}

void vm_protect_shared(struct vm *vm, struct vm_shared *m, unsigned long flags)
{
    uint64_t keep = PTE_ADDR | PTE_P | PTE_SHARED, rights = pte_flags_of(flags);

    for (uint64_t va = m->addr; va < m->addr + m->len; va += PAGE_SIZE) {
        uint64_t *pte = paging_lookup(vm->root, va);
        *pte = (*pte & keep) | rights;  /* present before and after: the table counts stay */
        if (is_loaded(vm))
            invlpg(va);
    }
}

bool vm_overlaps_shared(struct vm *vm, uint64_t addr, uint64_t len)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &vm->shared) {
        struct vm_shared *m = LIST_ENTRY(pos, struct vm_shared, node);
        if (addr < m->addr + m->len && m->addr < addr + len)
            return true;
    }
    return false;
}

uint64_t vm_pick_range(struct vm *vm, uint64_t len)
{
    uint64_t limit = USER_STACK_TOP - USER_STACK_SIZE, need = len + 2 * GUARD_SIZE;

    if (len == 0 || len > limit)
        return 0;
    /* First fit from the hint: each round skips past one used page (or a missing table). */
    for (uint64_t s = vm->pick_hint; s <= limit && need <= limit - s;) {
        uint64_t used = paging_next_used(vm->root, s, s + need);
        if (used == s + need) {
            if (s == vm->pick_hint)
                vm->pick_hint = s + GUARD_SIZE + len;   /* nothing free below it now */
            return s + GUARD_SIZE;
        }
        s = used + PAGE_SIZE;
    }
    return 0;
}

long vm_write(struct vm *vm, uint64_t addr, const void *src, size_t len)
{
    const uint8_t *s = src;

    while (len) {
        uint64_t *pte = addr < USER_TOP ? paging_lookup(vm->root, addr) : NULL;
        size_t off = addr & PAGE_MASK, n = PAGE_SIZE - off;
        if (n > len)
            n = len;
        if (!pte || !(*pte & (PTE_P | PTE_DEMAND)))
            return E_FAULT;
        uint8_t *page = *pte & PTE_P ? phys_to_virt(*pte & PTE_ADDR) : give_frame(pte, off, off + n);
        memcpy(page + off, s, n);
        addr += n, s += n, len -= n;
    }
    return 0;
}
