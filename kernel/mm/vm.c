/*
 * vm.c: process address spaces (vm.h).
 *
 * The page tables are the only record of what is mapped: mapping checks
 * them, unmapping walks them, teardown frees every table of the lower half.
 * An address space that is not loaded is changed through the direct map.
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
    return vm;
}

/* Frees the table at |pa| of |level| (2 = PDPT .. 0 = PT) and everything below it. */
static void free_table(uint64_t pa, int level)
{
    uint64_t *e = phys_to_virt(pa);

    for (int i = 0; i < ENTRIES; i++) {
        if (!(e[i] & PTE_P))
            continue;
        if (level == 0)
            frame_free(e[i] & PTE_ADDR);
        else
            free_table(e[i] & PTE_ADDR, level - 1);
    }
    frame_free(pa);
}

void vm_destroy(struct vm *vm)
{
    uint64_t *pml4 = phys_to_virt(vm->root);

    for (int i = 0; i < USER_ENTRIES; i++)
        if (pml4[i] & PTE_P)
            free_table(pml4[i] & PTE_ADDR, 2);
    frame_free(vm->root);
    kfree(vm);
}

static int is_loaded(const struct vm *vm)
{
    return read_cr3() == vm->root;
}

void vm_unmap(struct vm *vm, uint64_t addr, uint64_t len)
{
    for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
        uint64_t *pte = paging_lookup(vm->root, va);
        if (!pte || !(*pte & PTE_P))
            continue;
        frame_free(*pte & PTE_ADDR);
        *pte = 0;
        if (is_loaded(vm))
            invlpg(va);
    }
}

long vm_map(struct vm *vm, uint64_t addr, uint64_t len, unsigned long flags)
{
    uint64_t pte_flags = PTE_U | (flags & MEM_WRITE ? PTE_W : 0) | (flags & MEM_EXEC ? 0 : PTE_NX);

    for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
        uint64_t *pte = paging_lookup(vm->root, va);
        if (pte && (*pte & PTE_P))
            return E_EXISTS;
    }
    for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE) {
        uint64_t pa = frame_alloc_zeroed();
        if (!pa || paging_map(vm->root, va, pa, pte_flags) < 0) {
            if (pa)
                frame_free(pa);
            vm_unmap(vm, addr, va - addr);
            return E_NOMEM;
        }
    }
    return 0;
}

uint64_t vm_pick_range(struct vm *vm, uint64_t len)
{
    uint64_t a = vm->mmap_next;

    if (len > USER_STACK_TOP - USER_STACK_SIZE - a)
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
