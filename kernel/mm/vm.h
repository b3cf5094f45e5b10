/*
 * Address spaces.  Each process has one: a PML4 whose upper half is the
 * kernel's (copied once, shared) and whose lower half maps the program,
 * its stack and what it asked mem_map for.  User pages are zero-filled,
 * always readable, writable and executable only when asked.
 */
#ifndef EMBER_VM_H
#define EMBER_VM_H

#include <stddef.h>
#include <stdint.h>

#define USER_STACK_TOP      0x0000700000000000ull
#define USER_STACK_SIZE     (64 * 1024)
#define USER_MMAP_BASE      0x0000100000000000ull   /* where mem_map places regions */

struct vm {
    uint64_t root;              /* physical address of the PML4 */
    uint64_t mmap_next;         /* next address mem_map hands out (never reused) */
};

struct vm *vm_create(void);
/* Frees every user page and page table, then the PML4.  Must not be the loaded CR3. */
void vm_destroy(struct vm *vm);
/*
 * Maps zeroed pages over [addr, addr + len) (page-aligned) with MEM_* |flags|.
 * E_EXISTS if a page there is mapped already, E_NOMEM (nothing stays mapped).
 */
long vm_map(struct vm *vm, uint64_t addr, uint64_t len, unsigned long flags);
/* Unmaps the mapped pages of [addr, addr + len) and frees them. */
void vm_unmap(struct vm *vm, uint64_t addr, uint64_t len);
/* A free range of |len| bytes for mem_map, or 0 when the region is used up. */
uint64_t vm_pick_range(struct vm *vm, uint64_t len);
/* Copies |len| bytes into |vm|'s mapped pages at |addr| (loader); E_FAULT if one is unmapped. */
long vm_write(struct vm *vm, uint64_t addr, const void *src, size_t len);

#endif
