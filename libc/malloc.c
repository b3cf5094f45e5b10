/*
 * malloc.c: the heap: malloc, free, calloc, realloc.
 *
 * Small blocks come from chunks of CHUNK_BYTES mapped with mem_map.  A chunk
 * is a row of blocks, each with a header giving its own size and the size of
 * the block below it (boundary tags), so free can merge a block with both
 * neighbours at once; a fence header closes the row.  Free blocks sit on one
 * circular list, searched first-fit.  Requests of LARGE_BYTES or more get a
 * mapping of their own, which free unmaps.  Chunks are never given back: the
 * process's exit returns them.
 *
 * Every header starts with a magic word saying what the block is, so free
 * and realloc notice a pointer malloc never returned, or one freed twice,
 * and abort() instead of corrupting the heap.
 *
 * Lock rule: heap_lock guards the free list and every header in the chunks.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ember.h>
#include "libc/lock.h"

#define MALLOC_ALIGN    16
#define PAGE_BYTES      4096
#define CHUNK_BYTES     (64 * 1024)
#define LARGE_BYTES     (32 * 1024)     /* from this size on, a mapping of its own */

#define MAGIC_USED      0xA110CA7EDB10Cull  /* "allocated block" */
#define MAGIC_FREE      0xF7EEB10Cull       /* "free block" */
#define MAGIC_LARGE     0x1A46EB10Cull      /* "large block": a mapping of its own */
#define MAGIC_FENCE     0xFE4CEull          /* "fence": the end of a chunk */
#define MAGIC_NONE      0                   /* merged into a neighbour: no block here now */

struct block {
    uint64_t magic;             /* MAGIC_*: what this block is */
    size_t size;                /* bytes, this header included; a multiple of MALLOC_ALIGN */
    size_t prev_size;           /* size of the block just below in the chunk; 0 for the first */
    uint64_t pad;               /* makes the header, hence every payload, 16-byte aligned */
};

struct free_block {             /* a free block keeps its list links in its payload */
    struct block hdr;
    struct free_block *next, *prev;
};

#define HEADER_BYTES    sizeof(struct block)
#define MIN_BLOCK_BYTES round_up(sizeof(struct free_block), MALLOC_ALIGN)

_Static_assert(sizeof(struct block) % MALLOC_ALIGN == 0, "payloads must stay aligned");

static struct libc_lock heap_lock;
static struct free_block free_list = { .next = &free_list, .prev = &free_list };

static size_t round_up(size_t n, size_t align)
{
    return (n + align - 1) & ~(align - 1);
}

static struct block *next_block(struct block *b)
{
    return (struct block *)((char *)b + b->size);
}

static struct block *prev_block(struct block *b)
{
    return b->prev_size ? (struct block *)((char *)b - b->prev_size) : NULL;
}

static void list_insert_locked(struct block *b)
{
    struct free_block *fb = (struct free_block *)b;

    b->magic = MAGIC_FREE;
    fb->next = free_list.next;
    fb->prev = &free_list;
    free_list.next->prev = fb;
    free_list.next = fb;
}

static void list_remove_locked(struct block *b)
{
    struct free_block *fb = (struct free_block *)b;

    fb->prev->next = fb->next;
    fb->next->prev = fb->prev;
}

/* Maps a new chunk: one free block, then the fence.  False when memory runs out. */
static bool chunk_create_locked(void)
{
    long addr = mem_map(NULL, CHUNK_BYTES, MEM_WRITE);
    struct block *first = (struct block *)addr, *fence;

    if (addr < 0)
        return false;
    first->size = CHUNK_BYTES - HEADER_BYTES;
    first->prev_size = 0;
    fence = next_block(first);
    fence->magic = MAGIC_FENCE;
    fence->size = HEADER_BYTES;
    fence->prev_size = first->size;
    list_insert_locked(first);
    return true;
}

/* Cuts |b| down to |size| bytes when the rest is big enough to be a block of its own. */
static void split_locked(struct block *b, size_t size)
{
    struct block *rest;

    if (b->size - size < MIN_BLOCK_BYTES)
        return;
    rest = (struct block *)((char *)b + size);
    rest->size = b->size - size;
    rest->prev_size = size;
    b->size = size;
    next_block(rest)->prev_size = rest->size;
    list_insert_locked(rest);
}

/* First fit: takes a free block of at least |size| bytes off the list, or NULL. */
static struct block *take_fit_locked(size_t size)
{
    for (struct free_block *fb = free_list.next; fb != &free_list; fb = fb->next) {
        if (fb->hdr.size >= size) {
            list_remove_locked(&fb->hdr);
            split_locked(&fb->hdr, size);
            fb->hdr.magic = MAGIC_USED;
            return &fb->hdr;
        }
    }
    return NULL;
}

static void *large_alloc(size_t size)
{
    size_t len;
    long addr;

    if (size > SIZE_MAX - HEADER_BYTES - PAGE_BYTES) {
        errno = ENOMEM;
        return NULL;
    }
    len = round_up(size + HEADER_BYTES, PAGE_BYTES);
    addr = mem_map(NULL, len, MEM_WRITE);
    if (addr < 0) {
        errno = errno_of(addr);
        return NULL;
    }
    struct block *b = (struct block *)addr;
    b->magic = MAGIC_LARGE;
    b->size = len;
    return b + 1;
}

void *malloc(size_t size)
{
    size_t need;
    struct block *b;

    if (size >= LARGE_BYTES)
        return large_alloc(size);
    need = round_up(size + HEADER_BYTES, MALLOC_ALIGN);
    if (need < MIN_BLOCK_BYTES)
        need = MIN_BLOCK_BYTES;
    libc_lock_acquire(&heap_lock);
    b = take_fit_locked(need);
    if (!b && chunk_create_locked())
        b = take_fit_locked(need);
    libc_lock_release(&heap_lock);
    if (!b) {
        errno = ENOMEM;
        return NULL;
    }
    return b + 1;
}

/* The header of |p|, which must be a live block from malloc: anything else aborts. */
static struct block *block_of(void *p, const char *caller)
{
    struct block *b = (struct block *)p - 1;
    bool aligned = (uintptr_t)p % MALLOC_ALIGN == 0;

    if (aligned && (b->magic == MAGIC_USED || b->magic == MAGIC_LARGE))
        return b;
    fprintf(stderr, "%s(%p): %s\n", caller, p, aligned && b->magic == MAGIC_FREE ?
            "block already freed" : "not a pointer malloc returned");
    abort();
}

/* Merges the free block |b| with free neighbours; returns the merged block. */
static struct block *merge_locked(struct block *b)
{
    struct block *next = next_block(b), *prev = prev_block(b);

    if (next->magic == MAGIC_FREE) {
        list_remove_locked(next);
        next->magic = MAGIC_NONE;
        b->size += next->size;
    }
    if (prev && prev->magic == MAGIC_FREE) {
        list_remove_locked(prev);
        b->magic = MAGIC_NONE;
        prev->size += b->size;
        b = prev;
    }
    next_block(b)->prev_size = b->size;
    return b;
}

void free(void *p)
{
    struct block *b;

    if (!p)
        return;
    b = block_of(p, "free");
    if (b->magic == MAGIC_LARGE) {
        b->magic = MAGIC_NONE;
        mem_unmap(b, b->size);
        return;
    }
    libc_lock_acquire(&heap_lock);
    list_insert_locked(merge_locked(b));
    libc_lock_release(&heap_lock);
}

void *calloc(size_t n, size_t size)
{
    size_t total;
    void *p;

    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    p = malloc(total);
    return p ? memset(p, 0, total) : NULL;
}

/* Grows by moving (a block is never extended in place); shrinking keeps the block. */
void *realloc(void *p, size_t size)
{
    size_t capacity;
    void *q;

    if (!p)
        return malloc(size);
    if (size == 0) {
        free(p);
        return NULL;
    }
    capacity = block_of(p, "realloc")->size - HEADER_BYTES;
    if (size <= capacity)
        return p;
    q = malloc(size);
    if (!q)
        return NULL;
    memcpy(q, p, capacity);
    free(p);
    return q;
}
