/*
 * Address spaces.  Each process has one: a PML4 whose upper half is the
 * kernel's (copied once, shared) and whose lower half maps the program,
 * its stack and what it asked mem_map for.  User pages are zero-filled on
 * first touch (committed when mapped), always readable, writable and
 * executable only when asked.
 */
#ifndef EMBER_VM_H
#define EMBER_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/lib/list.h"

#define USER_STACK_TOP      0x0000700000000000ull
#define USER_STACK_SIZE     (64 * 1024)
#define USER_MMAP_BASE      0x0000100000000000ull   /* where mem_map places regions */

struct vm {
    uint64_t root;              /* physical address of the PML4 */
    uint64_t pick_hint;         /* vm_pick_range: no free range starts below this */
    uint64_t committed;         /* private pages charged: present or demand-zero */
    struct list_node shared;    /* struct vm_shared.node: ranges whose frames are not ours */
};

/*
 * A range mapped onto frames someone else owns (a section's).  Its pages
 * carry PTE_SHARED, so no unmap or teardown ever frees those frames; the
 * owner learns through |release| when the range is unmapped or the address
 * space is destroyed, and frees the record there.
 */
struct vm_shared {
    struct list_node node;      /* in vm->shared */
    uint64_t addr, len;
    unsigned long max_flags;    /* MEM_* the owner lets vm_protect_shared give it */
    void (*release)(struct vm_shared *m);
};

struct vm *vm_create(void);
/* Frees every user page and page table, then the PML4.  Must not be the loaded CR3. */
void vm_destroy(struct vm *vm);
/*
 * Commits zero-filled pages over [addr, addr + len) (page-aligned) with
 * MEM_* |flags|; each gets its frame on first touch.  E_NOMEM when memory
 * cannot back them all (nothing stays mapped), E_EXISTS if a page there is
 * mapped already.
 */
long vm_map(struct vm *vm, uint64_t addr, uint64_t len, unsigned long flags);
/*
 * Unmaps the mapped pages of [addr, addr + len) and frees them (PTE_SHARED
 * ones: only unmaps), and the page tables that empty.  Costs what is mapped
 * there, not |len|.
 */
void vm_unmap(struct vm *vm, uint64_t addr, uint64_t len);
/*
 * A page fault at user address |addr| with the CPU's |error| code: gives a
 * demand-zero page its frame and returns 0 (retry the access), or E_FAULT
 * when the access is the process's fault.
 */
long vm_fault(struct vm *vm, uint64_t addr, uint64_t error);
/*
 * Maps the frames |frames| over [m->addr, m->addr + m->len) with MEM_* |flags|
 * and PTE_SHARED, and records |m|.  E_EXISTS if a page there is mapped,
 * E_NOMEM (then nothing stays mapped and |m| is not recorded).
 */
long vm_map_shared(struct vm *vm, struct vm_shared *m, const uint64_t *frames, unsigned long flags);
/* The shared range that contains |addr|, or NULL. */
struct vm_shared *vm_find_shared(struct vm *vm, uint64_t addr);
/* Unmaps the shared range |m| of |vm| and releases it. */
void vm_unmap_shared(struct vm *vm, struct vm_shared *m);
/* Gives every page of the shared range |m| the MEM_* rights |flags| (the caller checks max_flags). */
void vm_protect_shared(struct vm *vm, struct vm_shared *m, unsigned long flags);
/* Whether [addr, addr + len) overlaps a shared range. */
bool vm_overlaps_shared(struct vm *vm, uint64_t addr, uint64_t len);
/*
 * A free range of |len| bytes for mem_map between USER_MMAP_BASE and the
 * stack, with an unmapped guard page on each side; the lowest that fits
 * (unmapped ranges are reused), or 0 when none does.
 */
uint64_t vm_pick_range(struct vm *vm, uint64_t len);
/*
 * Copies |len| bytes into |vm|'s mapped pages at |addr| (loader); a
 * demand-zero page gets its frame, zeroed only where |len| does not cover
 * it.  E_FAULT if a page is unmapped.
 */
long vm_write(struct vm *vm, uint64_t addr, const void *src, size_t len);

#endif
