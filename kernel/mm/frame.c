/*
 * frame.c: the physical frame allocator, a bitmap with one bit per 4 KiB
 * frame (1 = in use).  A hint remembers the lowest word that may have a free
 * bit, so allocation usually looks at one word; freeing a frame below the
 * hint moves it back.  Contiguous runs (the heap's large allocations) are
 * found by a linear scan.
 *
 * Reservations: frame_reserve promises frames without taking them (an
 * address space commits demand-zero pages that way, so a later page fault
 * can always be served).  A reserved frame is still free in the bitmap but
 * no longer counted by frame_free_count, and only frame_alloc_reserved may
 * take it: nfree >= nreserved always.
 *
 * The bitmap lives in free memory found at init and is reached through the
 * direct map; everything here is pure bookkeeping, tested on the host by
 * tests/unit/test_frame.c.
 *
 * Locking: frame_lock (a spinlock, the innermost of the kernel's but the
 * log's: docs/14-smp.md, "The lock list") guards the bitmap, the hint and
 * the counts.  frame_alloc_zeroed clears its page outside it.
 */
#include "kernel/arch/x86_64/phys.h"
#include "kernel/arch/x86_64/spinlock.h"
#include "kernel/lib/panic.h"
#include "kernel/lib/string.h"
#include "kernel/mm/frame.h"

#define PAGE_MASK   (PAGE_SIZE - 1)
#define BITS        64

static uint64_t *bitmap;
static uint64_t nframes;            /* frames the bitmap covers (a multiple of 64) */
static uint64_t limit_frames;       /* frames up to the end of usable memory */
static uint64_t nfree;
static uint64_t ntotal;             /* usable frames at boot */
static uint64_t hint;               /* lowest word that may have a free bit */
static uint64_t nreserved;          /* free frames promised to frame_alloc_reserved callers */
static LOCK_CLASS(frame_class, "frame");
static struct spinlock frame_lock = SPINLOCK_INIT("frame", frame_class);   /* all of the above */

static int test_bit(uint64_t i) { return (bitmap[i / BITS] >> (i % BITS)) & 1; }
static void set_bit(uint64_t i) { bitmap[i / BITS] |= 1ull << (i % BITS); }
static void clear_bit(uint64_t i) { bitmap[i / BITS] &= ~(1ull << (i % BITS)); }

/* Bits set in |x|, in a fixed dozen steps (no libgcc, no POPCNT): adds neighbouring bit counts in parallel, 2, 4, 8 bits wide, then the bytes. */
static unsigned popcount(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* The bits of word |w| that frames [first, last) cover. */
static uint64_t word_mask(uint64_t w, uint64_t first, uint64_t last)
{
    uint64_t lo = first > w * BITS ? first - w * BITS : 0;
    uint64_t hi = last < (w + 1) * BITS ? last - w * BITS : BITS;
    uint64_t upto = hi == BITS ? ~0ull : (1ull << hi) - 1;

    return upto & ~((1ull << lo) - 1);
}
static int overlaps(uint64_t a, uint64_t alen, const struct mem_region *r)
{
    return a < r->base + r->len && r->base < a + alen;
}

/* Lowest page-aligned address in |avail| with |len| bytes touching no reserved range. */
static uint64_t find_space(const struct mem_region *avail, int navail,
                           const struct mem_region *reserved, int nreserved, uint64_t len)
{
    for (int i = 0; i < navail; i++) {
        uint64_t a = (avail[i].base + PAGE_MASK) & ~(uint64_t)PAGE_MASK;
        uint64_t end = avail[i].base + avail[i].len;
        if (a == 0)
            a = PAGE_SIZE;              /* address 0 means "not found" */
        for (int moved = 1; moved && a + len <= end;) {
            moved = 0;
            for (int j = 0; j < nreserved; j++) {
                if (overlaps(a, len, &reserved[j])) {
                    a = (reserved[j].base + reserved[j].len + PAGE_MASK) & ~(uint64_t)PAGE_MASK;
                    moved = 1;
                }
            }
        }
        if (a + len <= end)
            return a;
    }
    return 0;
}

/*
 * Marks frames [base, base + len) rounded out to pages in use (|used|) or
 * free, a word at a time: boot marks all of memory this way, so its cost is
 * the number of words, not of frames.
 */
static void mark_range(uint64_t base, uint64_t len, int used)
{
    uint64_t first = base / PAGE_SIZE, last = (base + len + PAGE_MASK) / PAGE_SIZE;

    if (last > nframes)
        last = nframes;
    for (uint64_t w = first / BITS; first < last && w <= (last - 1) / BITS; w++) {
        uint64_t mask = word_mask(w, first, last);
        if (used) {
            nfree -= popcount(~bitmap[w] & mask);
            bitmap[w] |= mask;
        } else {
            nfree += popcount(bitmap[w] & mask);
            bitmap[w] &= ~mask;
        }
    }
}

int frame_init(const struct mem_region *avail, int navail,
               const struct mem_region *reserved, int nreserved)
{
    uint64_t limit = 0;

    for (int i = 0; i < navail; i++)
        if (avail[i].base + avail[i].len > limit)
            limit = avail[i].base + avail[i].len;
    limit_frames = (limit + PAGE_MASK) / PAGE_SIZE;
    nframes = (limit_frames + BITS - 1) / BITS * BITS;
    uint64_t bytes = nframes / 8;
    uint64_t at = find_space(avail, navail, reserved, nreserved, bytes);
    if (!at)
        return -1;
    bitmap = phys_to_virt(at);
    memset(bitmap, 0xff, bytes);
    nfree = 0;
    for (int i = 0; i < navail; i++) {  /* whole pages inside each region */
        uint64_t b = (avail[i].base + PAGE_MASK) & ~(uint64_t)PAGE_MASK;
        uint64_t e = (avail[i].base + avail[i].len) & ~(uint64_t)PAGE_MASK;
        if (e > b)
            mark_range(b, e - b, 0);
    }
    mark_range(0, PAGE_SIZE, 1);        /* 0 means "no frame" */
    for (int j = 0; j < nreserved; j++)
        mark_range(reserved[j].base & ~(uint64_t)PAGE_MASK,
                   reserved[j].len + (reserved[j].base & PAGE_MASK), 1);
    mark_range(at, bytes, 1);
    ntotal = nfree;
    hint = 0;
    nreserved = 0;
    return 0;
}

/* Takes the lowest free frame, reserved or not; 0 when none is left. */
static uint64_t take_frame(void)
{
    for (uint64_t w = hint; w < nframes / BITS; w++) {
        if (bitmap[w] != ~0ull) {
            uint64_t i = w * BITS + (uint64_t)__builtin_ctzll(~bitmap[w]);
            set_bit(i);
            nfree--;
            hint = w;
            return i * PAGE_SIZE;
        }
    }
    hint = nframes / BITS;
    return 0;
}

uint64_t frame_alloc(void)
{
    spin_lock(&frame_lock);
    uint64_t pa = nfree > nreserved ? take_frame() : 0;    /* never a frame someone was promised */
    spin_unlock(&frame_lock);
    return pa;
}

bool frame_reserve(uint64_t n)
{
    bool ok;

    spin_lock(&frame_lock);
    ok = n <= nfree - nreserved;
    if (ok)
        nreserved += n;
    spin_unlock(&frame_lock);
    return ok;
}

void frame_unreserve(uint64_t n)
{
    spin_lock(&frame_lock);
    ASSERT(n <= nreserved);
    nreserved -= n;
    spin_unlock(&frame_lock);
}

uint64_t frame_alloc_reserved(void)
{
    spin_lock(&frame_lock);
    ASSERT(nreserved > 0);              /* the caller holds a reservation: this cannot fail */
    nreserved--;
    uint64_t pa = take_frame();
    spin_unlock(&frame_lock);
    return pa;
}

uint64_t frame_alloc_zeroed(void)
{
    uint64_t pa = frame_alloc();

    if (pa)
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
    return pa;
}

/* The first of |n| free frames in a row, marked used; 0 when no run is long enough. */
static uint64_t take_run(size_t n)
{
    uint64_t run = 0;

    if (n == 0 || n > nfree - nreserved)
        return 0;
    for (uint64_t i = hint * BITS; i < nframes; i++) {
        run = test_bit(i) ? 0 : run + 1;
        if (run == n) {
            uint64_t first = i + 1 - n;
            for (uint64_t k = first; k <= i; k++)
                set_bit(k);
            nfree -= n;
            return first * PAGE_SIZE;
        }
    }
    return 0;
}

uint64_t frame_alloc_contig(size_t n)
{
    spin_lock(&frame_lock);
    uint64_t pa = take_run(n);
    spin_unlock(&frame_lock);
    return pa;
}

static void free_locked(uint64_t pa)
{
    uint64_t i = pa / PAGE_SIZE;

    spin_assert_held(&frame_lock);
    ASSERT((pa & PAGE_MASK) == 0 && i < nframes && i != 0);
    ASSERT(test_bit(i));                /* a double free is a kernel bug */
    clear_bit(i);
    nfree++;
    if (i / BITS < hint)
        hint = i / BITS;
}

void frame_free(uint64_t pa)
{
    spin_lock(&frame_lock);
    free_locked(pa);
    spin_unlock(&frame_lock);
}

void frame_free_contig(uint64_t pa, size_t n)
{
    spin_lock(&frame_lock);
    for (size_t k = 0; k < n; k++)
        free_locked(pa + k * PAGE_SIZE);
    spin_unlock(&frame_lock);
}

uint64_t frame_free_count(void)
{
    spin_lock(&frame_lock);
    uint64_t n = nfree - nreserved;
    spin_unlock(&frame_lock);
    return n;
}

uint64_t frame_total_count(void)
{
    return ntotal;                      /* fixed at boot */
}

uint64_t frame_phys_limit(void)
{
    return limit_frames * PAGE_SIZE;    /* fixed at boot */
}
