/* Physical page frames: one bit each, 1 = in use; reservations promise frames for later. */
#ifndef EMBER_FRAME_H
#define EMBER_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/arch/x86_64/multiboot.h"

/*
 * Marks every page of |avail| free except those touching a |reserved| range,
 * and places the bitmap itself in free memory.  Returns 0, or -1 when no
 * region can hold the bitmap.
 */
int frame_init(const struct mem_region *avail, int navail,
               const struct mem_region *reserved, int nreserved);
/* One frame, not zeroed; 0 when memory is exhausted (frame 0 is never handed out). */
uint64_t frame_alloc(void);
uint64_t frame_alloc_zeroed(void);
/*
 * Promises |n| frames for later frame_alloc_reserved calls; false (nothing
 * promised) when fewer than |n| unpromised frames are free.  frame_alloc
 * never takes a promised frame.
 */
bool frame_reserve(uint64_t n);
void frame_unreserve(uint64_t n);
/* One frame, not zeroed, out of the caller's reservation (which shrinks by one); never fails. */
uint64_t frame_alloc_reserved(void);
/* |n| physically contiguous frames; 0 when no run is long enough. */
uint64_t frame_alloc_contig(size_t n);
void frame_free(uint64_t pa);
void frame_free_contig(uint64_t pa, size_t n);
/* Free frames nobody was promised. */
uint64_t frame_free_count(void);
uint64_t frame_total_count(void);
/* The highest physical address of usable memory, rounded up to a page. */
uint64_t frame_phys_limit(void);

#endif
