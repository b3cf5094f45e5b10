/*
 * heap.c: the tagged kernel heap.
 *
 * Small allocations (up to 1 KiB with their header) come from slabs: one
 * page per slab, all blocks of one size class, a free list threaded through
 * the free blocks and a count of blocks in use.  Each class keeps a list of
 * slabs that have free blocks.  When a slab empties it goes back to the
 * frame allocator, except one per class that is kept so that a create/close
 * loop does not allocate a frame every time.
 * Larger allocations take whole, physically contiguous pages.
 *
 * Every block starts with a 16-byte header {tag, size}, so kfree knows what
 * to uncount.  Per-tag statistics live in a small open-addressed hash table.
 *
 * Locking: heap_lock (a spinlock) guards the size classes, their slabs and
 * the tag statistics.  It is taken inside every other lock but the frame
 * allocator's and the log's (a slab or a large block comes from frame.c
 * with heap_lock held); kzalloc clears its block outside it.
 */
#include "kernel/arch/x86_64/phys.h"
#include "kernel/arch/x86_64/spinlock.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/string.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"

#define HEADER_SIZE     16
#define NCLASSES        6               /* 32, 64, ..., 1024 bytes */
#define MIN_CLASS_SHIFT 5
#define MAX_SMALL       (1u << (MIN_CLASS_SHIFT + NCLASSES - 1))
#define SLAB_MAGIC      0x51ab
#define LARGE_MAGIC     0x1a7e

struct header {
    uint32_t tag;
    uint16_t magic;         /* SLAB_MAGIC or LARGE_MAGIC: catches frees of bad pointers */
    uint16_t reserved;
    uint64_t size;          /* requested bytes */
};

struct slab {               /* at the start of each slab page */
    struct slab *next, *prev;   /* in its class's list of slabs with free blocks */
    void *free;             /* first free block */
    uint16_t class, inuse;
};

struct size_class {
    struct slab *partial;   /* slabs with at least one free block */
    struct slab *cached;    /* one empty slab kept for reuse, or NULL */
};

static LOCK_CLASS(heap_class, "heap");
static struct spinlock heap_lock = SPINLOCK_INIT("heap", heap_class);   /* everything below */
static struct size_class classes[NCLASSES];
static struct tag_stats tags[HEAP_MAX_TAGS];
static int ntags;

static unsigned tag_slot(uint32_t tag)
{
    return (tag * 2654435761u) >> 26;           /* 6 bits: HEAP_MAX_TAGS */
}

/* The slow path of stats_for: probe on, or claim a slot for a new tag. */
static struct tag_stats *stats_probe(uint32_t tag, unsigned i)
{
    for (;; i = (i + 1) % HEAP_MAX_TAGS) {
        if (tags[i].tag == tag)
            return &tags[i];
        if (tags[i].tag == 0) {
            if (ntags == HEAP_MAX_TAGS - 1)
                panic("heap: more than %d tags", HEAP_MAX_TAGS - 1);
            ntags++;
            tags[i].tag = tag;
            return &tags[i];
        }
    }
}

/* The statistics of |tag|: almost always its home slot, checked inline. */
static inline struct tag_stats *stats_for(uint32_t tag)
{
    unsigned i = tag_slot(tag);

    return tags[i].tag == tag ? &tags[i] : stats_probe(tag, i);
}

static void count_alloc(uint32_t tag, size_t size)
{
    struct tag_stats *s = stats_for(tag);

    s->live++;
    s->total++;
    s->bytes += size;
    if (s->live > s->peak)
        s->peak = s->live;
}

/* The smallest class whose blocks hold |total| bytes: log2 rounded up, less the smallest shift. */
static int class_of(size_t total)
{
    if (total <= (1u << MIN_CLASS_SHIFT))
        return 0;
    return (int)(sizeof(long) * 8) - __builtin_clzl(total - 1) - MIN_CLASS_SHIFT;
}

static size_t class_size(int c)
{
    return (size_t)1 << (MIN_CLASS_SHIFT + c);
}

static void list_remove(struct size_class *sc, struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        sc->partial = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

static void list_push(struct size_class *sc, struct slab *s)
{
    s->prev = NULL;
    s->next = sc->partial;
    if (sc->partial)
        sc->partial->prev = s;
    sc->partial = s;
}

/* A fresh slab for class |c|: its blocks, after the slab header, all free. */
static struct slab *slab_create(int c)
{
    uint64_t pa = frame_alloc();

    if (!pa)
        return NULL;
    struct slab *s = phys_to_virt(pa);
    size_t bs = class_size(c);
    uintptr_t first = ((uintptr_t)s + sizeof *s + bs - 1) & ~(uintptr_t)(bs - 1);
    uintptr_t end = (uintptr_t)s + PAGE_SIZE;

    *s = (struct slab){ .class = (uint16_t)c };
    for (uintptr_t b = end - bs; b >= first; b -= bs) {
        *(void **)b = s->free;
        s->free = (void *)b;
    }
    return s;
}

static struct header *small_alloc(int c)
{
    struct size_class *sc = &classes[c];
    struct slab *s = sc->partial;

    if (!s) {
        s = sc->cached ? sc->cached : slab_create(c);
        if (!s)
            return NULL;
        sc->cached = NULL;
        list_push(sc, s);
    }
    struct header *h = s->free;
    s->free = *(void **)h;
    s->inuse++;
    if (!s->free)
        list_remove(sc, s);
    h->magic = SLAB_MAGIC;
    return h;
}

static void small_free(struct header *h)
{
    struct slab *s = (struct slab *)((uintptr_t)h & ~(uintptr_t)(PAGE_SIZE - 1));
    struct size_class *sc = &classes[s->class];

    if (!s->free)
        list_push(sc, s);
    h->magic = 0;
    *(void **)h = s->free;
    s->free = h;
    if (--s->inuse)
        return;
    list_remove(sc, s);
    if (sc->cached)
        frame_free(virt_to_phys(s));
    else
        sc->cached = s;
}

static struct header *alloc_locked(size_t size, uint32_t tag)
{
    struct header *h;
    size_t total = size + HEADER_SIZE;

    spin_assert_held(&heap_lock);
    if (total <= MAX_SMALL) {
        h = small_alloc(class_of(total));
    } else {
        uint64_t pa = frame_alloc_contig((total + PAGE_SIZE - 1) / PAGE_SIZE);
        h = pa ? phys_to_virt(pa) : NULL;
        if (h)
            h->magic = LARGE_MAGIC;
    }
    if (!h)
        return NULL;
    h->tag = tag;
    h->size = size;
    count_alloc(tag, size);
    return h;
}

void *kmalloc(size_t size, uint32_t tag)
{
    if (size > (1ull << 40))
        return NULL;
    spin_lock(&heap_lock);
    struct header *h = alloc_locked(size, tag);
    spin_unlock(&heap_lock);
    return h ? (uint8_t *)h + HEADER_SIZE : NULL;
}

void *kzalloc(size_t size, uint32_t tag)
{
    void *p = kmalloc(size, tag), *dst = p;
    /* Every block has room for |size| rounded up to 8 bytes: clear whole quadwords. */
    size_t quads = (size + 7) / 8;

    if (p)
        __asm__ volatile("rep stosq" : "+D"(dst), "+c"(quads) : "a"(0ul) : "memory");
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    struct header *h = (struct header *)((uint8_t *)p - HEADER_SIZE);

    spin_lock(&heap_lock);
    /* A free block's first word is the free-list link, so a double free fails here too. */
    ASSERT(h->magic == SLAB_MAGIC || h->magic == LARGE_MAGIC);
    struct tag_stats *s = stats_for(h->tag);
    ASSERT(s->live > 0 && s->bytes >= h->size);
    s->live--;
    s->bytes -= h->size;
    if (h->magic == SLAB_MAGIC) {
        small_free(h);
    } else {
        h->magic = 0;
        frame_free_contig(virt_to_phys(h), (h->size + HEADER_SIZE + PAGE_SIZE - 1) / PAGE_SIZE);
    }
    spin_unlock(&heap_lock);
}

int heap_stats(struct tag_stats *out, int max)
{
    int n = 0;

    spin_lock(&heap_lock);
    for (int i = 0; i < HEAP_MAX_TAGS; i++)
        if (tags[i].tag && n < max)
            out[n++] = tags[i];
    n = ntags;
    spin_unlock(&heap_lock);
    return n;
}

struct tag_stats heap_tag_stats(uint32_t tag)
{
    struct tag_stats found = { .tag = tag };

    spin_lock(&heap_lock);
    for (int i = 0; i < HEAP_MAX_TAGS; i++)
        if (tags[i].tag == tag)
            found = tags[i];
    spin_unlock(&heap_lock);
    return found;
}

uint64_t heap_cached_pages(void)
{
    uint64_t n = 0;

    spin_lock(&heap_lock);
    for (int c = 0; c < NCLASSES; c++)
        n += classes[c].cached != NULL;
    spin_unlock(&heap_lock);
    return n;
}
