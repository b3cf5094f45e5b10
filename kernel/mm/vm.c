/*
 * vm.c: process address spaces (vm.h).
 *
 * The page tables are the only record of what is mapped: mapping checks
 * them, unmapping walks them, teardown frees every table of the lower half.
 * An address space that is not loaded is changed through the direct map.
 * The one exception is shared ranges (sections): their frames are another
 * object's, so their pages carry PTE_SHARED (never freed here) and a short
 * list in struct vm remembers each range, to tell its owner when it goes.
 */
#include "kernel/abi/errors.h"
#include "kernel/abi/types.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/lib/string.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/phys.h"
#include "kernel/mm/vm.h"

#define ENTRIES         512
#define USER_ENTRIES    256         /* PML4 entries of the lower half */

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
    vm->mmap_next = USER_MMAP_BASE;
    list_init(&vm->shared);
    return vm;
}

/* Frees the table at |pa| of |level| (2 = PDPT .. 0 = PT) and everything below it. */
static void free_table(uint64_t pa, int level)
{
    uint64_t *e = phys_to_virt(pa);

    for (int i = 0; i < ENTRIES; i++) {
        if (!(e[i] & PTE_P))
            continue;
        if (level > 0)
            free_table(e[i] & PTE_ADDR, level - 1);
        else if (!(e[i] & PTE_SHARED))  /* a section's frame is the section's to free */
            frame_free(e[i] & PTE_ADDR);
    }
    frame_free(pa);
}

void vm_destroy(struct vm *vm)
{
    uint64_t *pml4 = phys_to_virt(vm->root);
    struct list_node *n;

    for (int i = 0; i < USER_ENTRIES; i++)
        if (pml4[i] & PTE_P)
            free_table(pml4[i] & PTE_ADDR, 2);
    frame_free(vm->root);
    while ((n = list_pop_front(&vm->shared))) {
        struct vm_shared *m = LIST_ENTRY(n, struct vm_shared, node);
        m->release(m);                  /* its owner may free the frames now */
    }
    kfree(vm);
}

static int is_loaded(const struct vm *vm)
{
    return read_cr3() == vm->root;
}

void vm_unmap(struct vm *vm, uint64_t addr, uint64_t len)
{
    for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
        uint64_t next = paging_skip_absent(vm->root, va);
        if (next != va) {               /* no page table here: jump past its whole region */
            va = next - PAGE_SIZE;
            continue;
        }
        uint64_t *pte = paging_lookup(vm->root, va);
        if (!pte || !(*pte & PTE_P))
            continue;
        if (!(*pte & PTE_SHARED)) {
            frame_free(*pte & PTE_ADDR);
            vm->pages--;
        }
        *pte = 0;
        if (is_loaded(vm))
            invlpg(va);
    }
}

static uint64_t pte_flags_of(unsigned long flags)
{
    return PTE_U | (flags & MEM_WRITE ? PTE_W : 0) | (flags & MEM_EXEC ? 0 : PTE_NX);
}

/* Whether no page of [addr, addr + len) is mapped. */
static bool range_is_free(struct vm *vm, uint64_t addr, uint64_t len)
{
    for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
        uint64_t *pte = paging_lookup(vm->root, va);
        if (pte && (*pte & PTE_P))
            return false;
    }
    return true;
}

long vm_map(struct vm *vm, uint64_t addr, uint64_t len, unsigned long flags)
{
    uint64_t pte_flags = pte_flags_of(flags);

    if (len / PAGE_SIZE > frame_free_count())
        return E_NOMEM;                 /* and the loops below stay bounded by memory */
    if (!range_is_free(vm, addr, len))
        return E_EXISTS;
    for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
        uint64_t pa = frame_alloc_zeroed();
        if (!pa || paging_map(vm->root, va, pa, pte_flags) < 0) {
            if (pa)
                frame_free(pa);
            vm_unmap(vm, addr, va - addr);
            return E_NOMEM;
        }
        vm->pages++;
    }
    return 0;
}

long vm_map_shared(struct vm *vm, struct vm_shared *m, const uint64_t *frames, unsigned long flags)
{
    uint64_t pte_flags = pte_flags_of(flags) | PTE_SHARED;

    if (!range_is_free(vm, m->addr, m->len))
        return E_EXISTS;
    for (uint64_t off = 0; off < m->len; off += PAGE_SIZE) {
        if (paging_map(vm->root, m->addr + off, frames[off / PAGE_SIZE], pte_flags) < 0) {
            vm_unmap(vm, m->addr, off);         /* clears the PTEs; the frames are not ours */
            return E_NOMEM;
        }
    }
    list_push_back(&vm->shared, &m->node);
    return 0;
}

long vm_unmap_shared(struct vm *vm, uint64_t addr)
{
    struct list_node *pos;

    LIST_FOR_EACH(pos, &vm->shared) {
        struct vm_shared *m = LIST_ENTRY(pos, struct vm_shared, node);
        if (m->addr == addr) {
            vm_unmap(vm, m->addr, m->len);
            list_remove(&m->node);
            m->release(m);
            return 0;
        }
    }
    return E_INVAL;
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
    uint64_t a = vm->mmap_next, limit = USER_STACK_TOP - USER_STACK_SIZE;

    if (a > limit || len > limit - a)   /* used up: mmap_next may lie one guard page past the limit */
        return 0;
    vm->mmap_next = a + len + PAGE_SIZE;    /* an unmapped page between regions catches overruns */
    return a;
}

long vm_write(struct vm *vm, uint64_t addr, const void *src, size_t len)
{
    const uint8_t *s = src;

    while (len) {
        uint64_t *pte = paging_lookup(vm->root, addr);
        if (!pte || !(*pte & PTE_P))
            return E_FAULT;
        size_t off = addr & (PAGE_SIZE - 1), n = PAGE_SIZE - off;
        if (n > len)
            n = len;
        memcpy((uint8_t *)phys_to_virt(*pte & PTE_ADDR) + off, s, n);
        addr += n, s += n, len -= n;
    }
    return 0;
}
