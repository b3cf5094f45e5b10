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
#include "kernel/mm/usercopy.h"
#include "kernel/ob/object.h"

struct vm;

extern const struct ob_type section_type;

/* A section of |npages| zeroed pages (one reference), or NULL when out of memory. */
struct ob *section_create(uint64_t npages);
/* Its size in bytes (whole pages). */
uint64_t section_size(struct ob *section);
/* What section_map_view maps, decoded and checked by the caller as noted. */
struct section_view_args {
    uint64_t addr;              /* page-aligned (caller), or 0: |vm| picks */
    uint64_t offset;            /* page-aligned, inside the section (checked here) */
    uint64_t len;               /* bytes, rounded up to pages; 0: to the section's end */
    unsigned long flags;        /* MEM_WRITE or 0 */
    unsigned long max_flags;    /* the most section_protect may give it later */
};
/*
 * Maps [offset, offset + len) of |section| into |vm|: readable, and
 * writable with MEM_WRITE.  Returns the address, or E_INVAL (|offset| not
 * page-aligned, the window not inside the section, or |addr| + len not in
 * user space), E_EXISTS
 * (something is mapped there), E_NOMEM.
 */
long section_map_view(struct ob *section, struct vm *vm, const struct section_view_args *args);
/* section_unmap's |how| */
#define SECTION_UNMAP_AT_START  0   /* |addr| must be where the view starts (section_unmap) */
#define SECTION_UNMAP_INSIDE    1   /* any address inside the view */
/* Unmaps the view at |addr|; 0, or E_INVAL if there is none. */
long section_unmap(struct vm *vm, uint64_t addr, unsigned how);
/*
 * Makes the whole view containing |addr| readable, and writable with
 * MEM_WRITE in |flags|.  E_INVAL if no view contains |addr|, E_ACCESS if
 * |flags| asks more than the view's handle allowed when it was mapped.
 */
long section_protect(struct vm *vm, uint64_t addr, unsigned long flags);
/*
 * Copy up to SECTION_IO_MAX bytes between |section| at |offset| and the
 * user buffer |buf| without mapping; the count, E_FAULT for a bad buffer,
 * E_INVAL when the range is not inside the section.
 */
long section_read(struct ob *section, uint64_t offset, user_ptr buf, uint64_t len);
long section_write(struct ob *section, uint64_t offset, user_ptr buf, uint64_t len);

#endif
