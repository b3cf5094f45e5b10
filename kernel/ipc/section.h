/*
 * Sections: shared memory.  A section owns a fixed set of zeroed frames;
 * mapping it puts those same frames into an address space, so every mapping
 * (in one process or several) sees the same bytes.  Each mapping holds a
 * reference on the section, so the frames live until the last handle and
 * the last mapping are both gone.
 */
#ifndef EMBER_SECTION_H
#define EMBER_SECTION_H

#include <stdint.h>
#include "kernel/ob/object.h"

struct vm;

extern const struct ob_type section_type;

/* A section of |npages| zeroed pages (one reference), or NULL when out of memory. */
struct ob *section_create(uint64_t npages);
/* Its size in bytes (whole pages). */
uint64_t section_size(struct ob *section);
/*
 * Maps all of |section| into |vm| at |addr| (page-aligned, checked by the
 * caller; 0: |vm| picks), readable, and writable with MEM_WRITE in |flags|.
 * Returns the address, or E_EXISTS (something is mapped there), E_NOMEM.
 */
long section_map(struct ob *section, struct vm *vm, uint64_t addr, unsigned long flags);
/* Unmaps the whole section mapping that starts at |addr|; 0, or E_INVAL if none does. */
long section_unmap(struct vm *vm, uint64_t addr);

#endif
