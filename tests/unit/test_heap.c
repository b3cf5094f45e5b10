/*
 * test_heap.c: the contract of the tagged kernel heap (kernel/mm/heap.h) on
 * top of the real frame allocator over a fake physical memory: blocks are
 * 16-byte aligned, never overlap, kzalloc zeroes, the per-tag statistics
 * follow every kmalloc and kfree, and once everything is freed no frame is
 * missing (apart from the empty slabs the heap says it keeps).
 *
 * The heap has no init and no reset, like in the kernel: the tests share it
 * and run in order, and the last one checks that nothing leaked.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "kernel/arch/x86_64/phys.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "tests/unit/check.h"

#define MiB             (1024ull * 1024)
#define PHYS_SIZE       (16 * MiB)
#define ALIGN           16              /* heap.h: every block is 16-byte aligned */
#define TEST_TAG        TAG("Test")
#define OTHER_TAG       TAG("Othr")
#define UNUSED_TAG      TAG("None")
#define DIRTY_BYTE      0xff

static uint64_t free_before_heap;       /* frames free before the first kmalloc */

/* Byte i of the allocation numbered |id|: differs between blocks and along each. */
static uint8_t pattern(uint32_t id, size_t i)
{
    return (uint8_t)(id * 131 + i);
}

static void fill(void *p, size_t size, uint32_t id)
{
    for (size_t i = 0; i < size; i++)
        ((uint8_t *)p)[i] = pattern(id, i);
}

/* Whether the block still holds its pattern: if not, another block overlapped it. */
static bool intact(const void *p, size_t size, uint32_t id)
{
    for (size_t i = 0; i < size; i++)
        if (((const uint8_t *)p)[i] != pattern(id, i))
            return false;
    return true;
}

/* Slab classes, their edges (header included: 1008 + 16 is the largest small block), large blocks. */
static const size_t sizes[] = { 0, 1, 15, 16, 17, 1000, 1008, 1009, 4096, 100000 };
#define NSIZES (sizeof sizes / sizeof sizes[0])

static void sizes_alloc_and_free(void)
{
    void *p[NSIZES];
    uint64_t bytes = 0;

    for (size_t i = 0; i < NSIZES; i++) {
        p[i] = kmalloc(sizes[i], TEST_TAG);
        CHECK(p[i] != NULL);
        CHECK_EQ((uintptr_t)p[i] % ALIGN, 0);
        fill(p[i], sizes[i], (uint32_t)i);
        bytes += sizes[i];
    }
    /* all live at once, so any overlap shows in some pattern */
    for (size_t i = 0; i < NSIZES; i++)
        CHECK(intact(p[i], sizes[i], (uint32_t)i));
    CHECK_EQ(heap_tag_stats(TEST_TAG).live, NSIZES);
    CHECK_EQ(heap_tag_stats(TEST_TAG).bytes, bytes);
    for (size_t i = 0; i < NSIZES; i++)
        kfree(p[i]);
    CHECK_EQ(heap_tag_stats(TEST_TAG).live, 0);
    CHECK_EQ(heap_tag_stats(TEST_TAG).bytes, 0);
}

#define NTEST   3
#define NOTHER  2

static void tag_statistics(void)
{
    const size_t test_sizes[NTEST] = { 10, 20, 30 };
    const size_t other_sizes[NOTHER] = { 100, 5000 };   /* one slab block, one large */
    void *t[NTEST], *o[NOTHER];
    uint64_t test_bytes = 0, other_bytes = 0;
    /* Test already has a history from the tests before: only the changes count */
    const struct tag_stats before = heap_tag_stats(TEST_TAG);

    CHECK_EQ(before.live, 0);
    CHECK_EQ(heap_tag_stats(OTHER_TAG).total, 0);
    for (int i = 0; i < NTEST; i++) {
        CHECK((t[i] = kmalloc(test_sizes[i], TEST_TAG)) != NULL);
        test_bytes += test_sizes[i];
    }
    for (int i = 0; i < NOTHER; i++) {
        CHECK((o[i] = kmalloc(other_sizes[i], OTHER_TAG)) != NULL);
        other_bytes += other_sizes[i];
    }

    struct tag_stats s = heap_tag_stats(TEST_TAG);
    CHECK_EQ(s.tag, TEST_TAG);
    CHECK_EQ(s.live, NTEST);
    CHECK_EQ(s.total, before.total + NTEST);
    CHECK_EQ(s.bytes, test_bytes);
    CHECK_EQ(s.peak, before.peak > NTEST ? before.peak : NTEST);
    s = heap_tag_stats(OTHER_TAG);
    CHECK_EQ(s.tag, OTHER_TAG);
    CHECK_EQ(s.live, NOTHER);
    CHECK_EQ(s.peak, NOTHER);
    CHECK_EQ(s.total, NOTHER);
    CHECK_EQ(s.bytes, other_bytes);

    /* a free lowers live and bytes of its own tag only; peak and total stay */
    kfree(o[1]);
    s = heap_tag_stats(OTHER_TAG);
    CHECK_EQ(s.live, NOTHER - 1);
    CHECK_EQ(s.peak, NOTHER);
    CHECK_EQ(s.total, NOTHER);
    CHECK_EQ(s.bytes, other_bytes - other_sizes[1]);
    CHECK_EQ(heap_tag_stats(TEST_TAG).live, NTEST);
    CHECK_EQ(heap_tag_stats(TEST_TAG).bytes, test_bytes);

    for (int i = 0; i < NTEST; i++)
        kfree(t[i]);
    kfree(o[0]);
    s = heap_tag_stats(TEST_TAG);
    CHECK_EQ(s.live, 0);
    CHECK_EQ(s.bytes, 0);
    CHECK_EQ(s.total, before.total + NTEST);
    s = heap_tag_stats(OTHER_TAG);
    CHECK_EQ(s.live, 0);
    CHECK_EQ(s.bytes, 0);

    /* one more allocation, below the peak: total grows, the peak does not */
    void *again = kmalloc(1, OTHER_TAG);
    CHECK(again != NULL);
    s = heap_tag_stats(OTHER_TAG);
    CHECK_EQ(s.live, 1);
    CHECK_EQ(s.peak, NOTHER);
    CHECK_EQ(s.total, NOTHER + 1);
    kfree(again);

    /* heap.h: zeros for a tag that never allocated */
    s = heap_tag_stats(UNUSED_TAG);
    CHECK_EQ(s.tag, UNUSED_TAG);
    CHECK_EQ(s.live + s.peak + s.total + s.bytes, 0);
}

/* The block is dirtied and freed first, so kzalloc gets recycled, dirty memory. */
static void kzalloc_zeroes(void)
{
    const size_t sizes_to_try[] = { 100, 5000 };

    for (int k = 0; k < 2; k++) {
        size_t size = sizes_to_try[k];
        void *dirty = kmalloc(size, TEST_TAG);
        CHECK(dirty != NULL);
        memset(dirty, DIRTY_BYTE, size);
        kfree(dirty);

        uint8_t *p = kzalloc(size, TEST_TAG);
        CHECK(p != NULL);
        CHECK_EQ((uintptr_t)p % ALIGN, 0);
        for (size_t i = 0; i < size; i++)
            CHECK_EQ(p[i], 0);
        kfree(p);
    }
}

static void kfree_null(void)
{
    const struct tag_stats before = heap_tag_stats(TEST_TAG);
    const uint64_t free_frames = frame_free_count();

    kfree(NULL);
    CHECK_EQ(heap_tag_stats(TEST_TAG).live, before.live);
    CHECK_EQ(frame_free_count(), free_frames);
}

/* heap.h: NULL when out of memory, and a failed kmalloc counts nothing. */
static void out_of_memory(void)
{
    const struct tag_stats before = heap_tag_stats(TEST_TAG);

    CHECK(kmalloc(PHYS_SIZE, TEST_TAG) == NULL);
    CHECK(kmalloc(SIZE_MAX, TEST_TAG) == NULL);
    CHECK_EQ(heap_tag_stats(TEST_TAG).total, before.total);
    CHECK_EQ(heap_tag_stats(TEST_TAG).live, 0);
}

/* A fixed-seed xorshift: the same "random" run every time, so failures repeat. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#define STRESS_SLOTS    200
#define STRESS_OPS      5000
#define SMALL_MAX       1100            /* mostly slab sizes, around the 1 KiB edge */
#define LARGE_MAX       20000           /* sometimes a few pages */
#define LARGE_ONE_IN    10

struct slot {
    uint8_t *p;
    size_t size;
    uint32_t id;
    uint32_t tag;
};

/* Random allocs and frees; each block's pattern is checked just before it is freed. */
static void stress(void)
{
    static struct slot slots[STRESS_SLOTS];
    uint32_t next_id = 1;

    for (int op = 0; op < STRESS_OPS; op++) {
        struct slot *s = &slots[rng() % STRESS_SLOTS];
        if (s->p) {
            CHECK(intact(s->p, s->size, s->id));
            kfree(s->p);
            s->p = NULL;
            continue;
        }
        s->size = rng() % LARGE_ONE_IN ? rng() % SMALL_MAX : rng() % LARGE_MAX;
        s->tag = rng() % 2 ? TEST_TAG : OTHER_TAG;
        s->id = next_id++;
        s->p = kmalloc(s->size, s->tag);
        CHECK(s->p != NULL);
        CHECK_EQ((uintptr_t)s->p % ALIGN, 0);
        fill(s->p, s->size, s->id);
    }
    for (int i = 0; i < STRESS_SLOTS; i++) {
        if (slots[i].p) {
            CHECK(intact(slots[i].p, slots[i].size, slots[i].id));
            kfree(slots[i].p);
            slots[i].p = NULL;
        }
    }
}

/* Last: every tag back to zero, and every frame either free or a cached slab. */
static void nothing_leaked(void)
{
    struct tag_stats all[HEAP_MAX_TAGS];
    int n = heap_stats(all, HEAP_MAX_TAGS);

    CHECK(n >= 2);              /* Test and Othr at least */
    for (int i = 0; i < n; i++) {
        CHECK_EQ(all[i].live, 0);
        CHECK_EQ(all[i].bytes, 0);
    }
    CHECK_EQ(frame_free_count() + heap_cached_pages(), free_before_heap);
}

int main(void)
{
    /* all the fake RAM but frame 0 is one available region */
    const struct mem_region ram[] = { { PAGE_SIZE, PHYS_SIZE - PAGE_SIZE } };

    host_phys_base = aligned_alloc(PAGE_SIZE, PHYS_SIZE);
    if (!host_phys_base || frame_init(ram, 1, NULL, 0) < 0) {
        fprintf(stderr, "test_heap: cannot set up the fake physical memory\n");
        return 1;
    }
    free_before_heap = frame_free_count();
    RUN(sizes_alloc_and_free);
    RUN(tag_statistics);
    RUN(kzalloc_zeroes);
    RUN(kfree_null);
    RUN(out_of_memory);
    RUN(stress);
    RUN(nothing_leaked);
    free(host_phys_base);
    return check_status();
}
