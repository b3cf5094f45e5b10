/*
 * test_frame.c: the contract of the physical frame allocator
 * (kernel/mm/frame.h) over a fake physical memory: every page of the
 * available regions is handed out exactly once, never a page that is
 * reserved, outside the regions, the bitmap's own or frame 0; freed frames
 * come back; contiguous runs do not cross holes; frame_init fails only when
 * the bitmap fits nowhere.  frame_init marks ranges a 64-frame word at a
 * time: maps whose edges fall inside words, on word edges and one frame
 * either side of them must give exactly the frames a frame-by-frame model
 * gives.  Reserved frames are never taken by frame_alloc, only by
 * frame_alloc_reserved, and are not counted free.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "kernel/arch/x86_64/phys.h"
#include "kernel/mm/frame.h"
#include "tests/unit/check.h"

#define KiB             1024ull
#define MiB             (1024 * KiB)
#define PHYS_SIZE       (16 * MiB)              /* the fake machine's RAM */
#define NFRAMES         (PHYS_SIZE / PAGE_SIZE)
#define DIV_UP(a, b)    (((a) + (b) - 1) / (b))
#define BITMAP_BYTES    (NFRAMES / 8)           /* one bit per frame */
#define BITMAP_PAGES    DIV_UP(BITMAP_BYTES, PAGE_SIZE)
#define FILL_BYTE       0xa5

/*
 * A PC-like map: low memory up to the EBDA (its end not page-aligned), a
 * hole for VGA and the ROMs, then two regions split by a small hole, the
 * last one starting off a page boundary.
 */
#define LOW_END         0x9fc00
#define HOLE_START      (8 * MiB)
#define HIGH_START      (HOLE_START + 64 * KiB + 0x800)

static const struct mem_region avail[] = {
    { 0, LOW_END },
    { 1 * MiB, HOLE_START - 1 * MiB },
    { HIGH_START, PHYS_SIZE - HIGH_START },
};
#define NAVAIL      (int)(sizeof avail / sizeof avail[0])
#define HIGH_REGION 2

/*
 * The kernel image, and a boot module that starts and ends inside pages:
 * its length alone is under two pages, yet it touches three.
 */
static const struct mem_region reserved[] = {
    { 1 * MiB, 1 * MiB },
    { 3 * MiB + 0xf00, PAGE_SIZE + 0x200 },
};
#define NRESERVED (int)(sizeof reserved / sizeof reserved[0])

static bool used[NFRAMES];      /* frames handed out and not yet freed */

/* The whole pages inside |r|: the only ones the allocator may count. */
static uint64_t first_page(const struct mem_region *r) { return DIV_UP(r->base, PAGE_SIZE); }
static uint64_t end_page(const struct mem_region *r) { return (r->base + r->len) / PAGE_SIZE; }

/* The pages |r| touches at all: a reserved range keeps all of them. */
static uint64_t touched_pages(const struct mem_region *r)
{
    return DIV_UP(r->base + r->len, PAGE_SIZE) - r->base / PAGE_SIZE;
}

/*
 * The free frames the map above implies: the whole pages of each region,
 * minus frame 0 (it means "no frame"; it lies in the low region), minus every
 * page a reserved range touches (all inside regions), minus the bitmap, one
 * bit per frame of 0 .. PHYS_SIZE, which takes pages from the regions too.
 * Here: 159 + 1792 + 2031 - 1 - (256 + 3) - 1 = 3721.
 */
static uint64_t expected_free(void)
{
    uint64_t n = 0;

    for (int i = 0; i < NAVAIL; i++)
        n += end_page(&avail[i]) - first_page(&avail[i]);
    n -= 1;                     /* frame 0 */
    for (int j = 0; j < NRESERVED; j++)
        n -= touched_pages(&reserved[j]);
    return n - BITMAP_PAGES;
}

/* May the allocator hand out |pa|?  In a region's whole pages, not reserved, not 0. */
static bool usable(uint64_t pa)
{
    uint64_t page = pa / PAGE_SIZE;
    bool inside = false;

    for (int i = 0; i < NAVAIL; i++)
        if (page >= first_page(&avail[i]) && page < end_page(&avail[i]))
            inside = true;
    for (int j = 0; j < NRESERVED; j++)
        if (page >= reserved[j].base / PAGE_SIZE &&
            page < DIV_UP(reserved[j].base + reserved[j].len, PAGE_SIZE))
            return false;
    return inside && pa != 0;
}

static int init_map(void)
{
    memset(used, 0, sizeof used);
    return frame_init(avail, NAVAIL, reserved, NRESERVED);
}

/* Returns every frame marked in |used|. */
static void free_all_used(void)
{
    for (uint64_t i = 0; i < NFRAMES; i++) {
        if (used[i])
            frame_free(i * PAGE_SIZE);
        used[i] = false;
    }
}

static void init_counts(void)
{
    CHECK_EQ(init_map(), 0);
    CHECK_EQ(frame_free_count(), expected_free());
    CHECK_EQ(frame_total_count(), expected_free());
    CHECK_EQ(frame_phys_limit(), PHYS_SIZE);
}

static void alloc_every_frame(void)
{
    CHECK_EQ(init_map(), 0);
    uint64_t n = 0, pa;

    while ((pa = frame_alloc()) != 0) {
        CHECK_EQ(pa % PAGE_SIZE, 0);
        CHECK(pa < PHYS_SIZE);
        CHECK(usable(pa));
        CHECK(!used[pa / PAGE_SIZE]);
        used[pa / PAGE_SIZE] = true;
        /* scribbling on the frame would corrupt the bitmap if it were handed out */
        memset(phys_to_virt(pa), FILL_BYTE, PAGE_SIZE);
        n++;
    }
    CHECK_EQ(n, expected_free());
    CHECK_EQ(frame_free_count(), 0);
    /* exhausted stays exhausted */
    CHECK_EQ(frame_alloc(), 0);
    CHECK_EQ(frame_alloc_contig(1), 0);

    free_all_used();
    CHECK_EQ(frame_free_count(), expected_free());
    CHECK_EQ(frame_total_count(), expected_free());
}

/* Freed frames are handed out again: a second round gets the same number. */
static void free_then_realloc(void)
{
    CHECK_EQ(init_map(), 0);
    uint64_t first_round = 0, second_round = 0, pa;

    while ((pa = frame_alloc()) != 0) {
        CHECK(usable(pa));
        used[pa / PAGE_SIZE] = true;
        first_round++;
    }
    free_all_used();
    while ((pa = frame_alloc()) != 0) {
        CHECK(usable(pa));
        CHECK(!used[pa / PAGE_SIZE]);
        used[pa / PAGE_SIZE] = true;
        second_round++;
    }
    CHECK_EQ(second_round, first_round);
    free_all_used();
    CHECK_EQ(frame_free_count(), expected_free());
}

static void contig_run(void)
{
    const size_t n = 100;

    CHECK_EQ(init_map(), 0);
    uint64_t base = frame_alloc_contig(n);
    CHECK(base != 0);
    CHECK_EQ(base % PAGE_SIZE, 0);
    for (size_t k = 0; k < n; k++) {
        CHECK(usable(base + k * PAGE_SIZE));
        used[base / PAGE_SIZE + k] = true;
    }
    CHECK_EQ(frame_free_count(), expected_free() - n);

    /* the run's frames were really taken: no later frame_alloc returns one */
    uint64_t pa;
    while ((pa = frame_alloc()) != 0) {
        CHECK(!used[pa / PAGE_SIZE]);
        used[pa / PAGE_SIZE] = true;
    }
    free_all_used();
    CHECK_EQ(frame_free_count(), expected_free());
}

/*
 * The high region is the longest free run: it fits exactly, one frame more
 * would have to span the hole (or the module) and must fail even though far
 * more frames than that are free in total.
 */
static void contig_respects_holes(void)
{
    const struct mem_region *high = &avail[HIGH_REGION];
    const uint64_t high_pages = end_page(high) - first_page(high);

    CHECK_EQ(init_map(), 0);
    CHECK(frame_free_count() > high_pages + 1);
    CHECK_EQ(frame_alloc_contig(high_pages + 1), 0);
    CHECK_EQ(frame_free_count(), expected_free());

    uint64_t base = frame_alloc_contig(high_pages);
    CHECK_EQ(base, first_page(high) * PAGE_SIZE);
    CHECK_EQ(frame_free_count(), expected_free() - high_pages);
    frame_free_contig(base, high_pages);
    CHECK_EQ(frame_free_count(), expected_free());
}

/* Every free frame is dirtied first, so whichever one comes back was dirty. */
static void alloc_zeroed(void)
{
    CHECK_EQ(init_map(), 0);
    uint64_t pa;

    while ((pa = frame_alloc()) != 0) {
        CHECK(usable(pa));
        memset(phys_to_virt(pa), FILL_BYTE, PAGE_SIZE);
        used[pa / PAGE_SIZE] = true;
    }
    free_all_used();

    pa = frame_alloc_zeroed();
    CHECK(pa != 0);
    const uint8_t *page = phys_to_virt(pa);
    for (int i = 0; i < PAGE_SIZE; i++)
        CHECK_EQ(page[i], 0);
    frame_free(pa);
}

static void init_fails_without_room_for_bitmap(void)
{
    /* every available byte is reserved */
    const struct mem_region all_kernel[] = { { 1 * MiB, 1 * MiB } };
    CHECK_EQ(frame_init(all_kernel, 1, all_kernel, 1), -1);

    /* two slivers, each too small for the bitmap (512 bytes for 16 MiB) */
    const uint64_t sliver = BITMAP_BYTES / 2;
    const struct mem_region slivers[] = {
        { PAGE_SIZE, sliver },
        { PHYS_SIZE - sliver, sliver },
    };
    CHECK_EQ(frame_init(slivers, 2, NULL, 0), -1);
}

/*
 * One region from address 0 with nothing reserved: the bitmap fits in the
 * page after frame 0, so frame_init must succeed (frame.h: -1 only "when no
 * region can hold the bitmap").  All frames but frame 0 and the bitmap's are free.
 */
static void init_region_at_zero(void)
{
    const struct mem_region ram[] = { { 0, PHYS_SIZE } };

    CHECK_EQ(frame_init(ram, 1, NULL, 0), 0);
    CHECK_EQ(frame_free_count(), NFRAMES - 1 - BITMAP_PAGES);
}

/*
 * frame.h: "the highest physical address of usable memory, rounded up to a
 * page", which paging_init maps.  RAM that ends one page past 5 MiB (not on
 * a 64-frame bitmap word) must not stretch the limit to the word's end.
 */
static void phys_limit_is_end_of_memory(void)
{
    const uint64_t end = 5 * MiB + PAGE_SIZE;
    const struct mem_region ram[] = { { 1 * MiB, end - 1 * MiB } };

    CHECK_EQ(frame_init(ram, 1, NULL, 0), 0);
    CHECK_EQ(frame_phys_limit(), end);
}

/* ---- range marking against a frame-by-frame model --------------------------- */

#define MAX_RANGES  6

struct map {
    struct mem_region avail[MAX_RANGES], reserved[MAX_RANGES];
    int navail, nreserved;
};

/* The model: is page |i| free after frame_init(m), ignoring the bitmap's own pages? */
static bool model_free(const struct map *m, uint64_t i)
{
    bool inside = false;

    for (int k = 0; k < m->navail; k++)
        if (i >= first_page(&m->avail[k]) && i < end_page(&m->avail[k]))
            inside = true;
    for (int k = 0; k < m->nreserved; k++)
        if (i >= m->reserved[k].base / PAGE_SIZE &&
            i < DIV_UP(m->reserved[k].base + m->reserved[k].len, PAGE_SIZE))
            return false;
    return inside && i != 0;
}

#define F(n)        ((uint64_t)(n) * PAGE_SIZE)     /* frame n's address */
#define WORD        64                              /* frames per bitmap word */

/*
 * Region edges at a word edge, one frame either side of it, inside a word,
 * a single frame, a region inside one word, reserved ranges that cut words
 * in three and that span several whole words.  The last region only makes
 * the bitmap cover 8 MiB and more.
 */
static const struct map range_maps[] = {
    { { { F(1), F(WORD - 1) }, { F(WORD + 1), F(3 * WORD) }, { 8 * MiB, 64 * KiB } }, { { 0 } }, 3, 0 },
    { { { F(5), F(7) }, { F(WORD), F(1) }, { F(2 * WORD - 1), F(2) }, { 8 * MiB, 64 * KiB } },
      { { 0 } }, 4, 0 },
    { { { F(1), F(10 * WORD) }, { 8 * MiB, 64 * KiB } },
      { { F(3), F(5) }, { F(WORD - 1), F(2 * WORD + 2) }, { F(5 * WORD) + 0x10, F(WORD) } }, 2, 3 },
    { { { F(1), F(WORD) + 0x800 }, { F(4 * WORD) + 0x123, F(WORD) }, { 8 * MiB, 64 * KiB } },
      { { F(WORD / 2), 1 } }, 3, 1 },
};

/* frame_alloc hands out only frames the model calls free, and all of them but the bitmap's page. */
static void init_by_ranges_matches_model(void)
{
    for (size_t c = 0; c < sizeof range_maps / sizeof range_maps[0]; c++) {
        const struct map *m = &range_maps[c];
        uint64_t expected = 0, got = 0, pa;

        for (uint64_t i = 0; i < NFRAMES; i++)
            expected += model_free(m, i);
        memset(used, 0, sizeof used);
        CHECK_EQ(frame_init(m->avail, m->navail, m->reserved, m->nreserved), 0);
        uint64_t at_start = frame_free_count();
        while ((pa = frame_alloc()) != 0) {
            CHECK(model_free(m, pa / PAGE_SIZE));
            CHECK(!used[pa / PAGE_SIZE]);
            used[pa / PAGE_SIZE] = true;
            got++;
        }
        CHECK_EQ(got, at_start);
        CHECK_EQ(got, expected - BITMAP_PAGES);      /* the bitmap took the first free page */
        free_all_used();
        CHECK_EQ(frame_free_count(), at_start);
    }
}

/* A reservation takes frames out of the free count; only frame_alloc_reserved may use them. */
static void reserved_frames_are_kept(void)
{
    CHECK_EQ(init_map(), 0);
    const uint64_t all = frame_free_count(), keep = 10;
    uint64_t pa, n = 0;

    CHECK(frame_reserve(keep));
    CHECK_EQ(frame_free_count(), all - keep);
    CHECK(!frame_reserve(all));                 /* more than is unpromised: nothing changes */
    CHECK_EQ(frame_free_count(), all - keep);
    while ((pa = frame_alloc()) != 0) {
        used[pa / PAGE_SIZE] = true;
        n++;
    }
    CHECK_EQ(n, all - keep);                    /* the promised frames stayed */
    CHECK_EQ(frame_alloc_contig(1), 0);
    for (uint64_t k = 0; k < keep - 1; k++) {
        pa = frame_alloc_reserved();
        CHECK(pa != 0 && usable(pa) && !used[pa / PAGE_SIZE]);
        used[pa / PAGE_SIZE] = true;
    }
    CHECK_EQ(frame_free_count(), 0);
    frame_unreserve(1);                         /* the last promise, given back unused */
    CHECK_EQ(frame_free_count(), 1);
    pa = frame_alloc();
    CHECK(pa != 0 && !used[pa / PAGE_SIZE]);
    used[pa / PAGE_SIZE] = true;
    free_all_used();
    CHECK_EQ(frame_free_count(), all);
}

int main(void)
{
    host_phys_base = aligned_alloc(PAGE_SIZE, PHYS_SIZE);
    if (!host_phys_base)
        return 1;
    RUN(init_counts);
    RUN(alloc_every_frame);
    RUN(free_then_realloc);
    RUN(contig_run);
    RUN(contig_respects_holes);
    RUN(alloc_zeroed);
    RUN(init_fails_without_room_for_bitmap);
    RUN(init_region_at_zero);
    RUN(phys_limit_is_end_of_memory);
    RUN(init_by_ranges_matches_model);
    RUN(reserved_frames_are_kept);
    free(host_phys_base);
    return check_status();
}
