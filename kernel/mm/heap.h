/*
 * The kernel heap.  Every allocation carries a 4-character tag naming what
 * it is for ("Evnt", "Thrd"...), and the heap keeps, per tag, the live,
 * peak and total number of allocations and the live bytes: the numbers
 * behind the leak check.
 */
#ifndef EMBER_HEAP_H
#define EMBER_HEAP_H

#include <stddef.h>
#include <stdint.h>

/* TAG("Evnt"): the four characters as one integer, in memory order. */
#define TAG(s) ((uint32_t)(s)[0] | (uint32_t)(s)[1] << 8 | (uint32_t)(s)[2] << 16 | (uint32_t)(s)[3] << 24)

#define HEAP_MAX_TAGS 64

struct tag_stats {
    uint32_t tag;
    uint32_t reserved;
    uint64_t live;          /* allocations not yet freed */
    uint64_t peak;          /* the most live at once */
    uint64_t total;         /* allocations ever made */
    uint64_t bytes;         /* bytes live */
};

/* |size| bytes, 16-byte aligned, not zeroed; NULL when out of memory. */
void *kmalloc(size_t size, uint32_t tag);
void *kzalloc(size_t size, uint32_t tag);
void kfree(void *p);            /* NULL is allowed */
/* Copies up to |max| tags' statistics into |out|; returns how many tags there are. */
int heap_stats(struct tag_stats *out, int max);
/* Statistics of one tag (zeros if it never allocated). */
struct tag_stats heap_tag_stats(uint32_t tag);
/* Empty slab pages kept for reuse: free memory, though not in the frame allocator. */
uint64_t heap_cached_pages(void);

#endif
