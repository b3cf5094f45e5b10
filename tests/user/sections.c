/*
 * sections: the shared-memory contract (ARCHITECTURE.md section 6,
 * kernel/ipc/section.h): zeroed pages, whole pages, one set of frames seen
 * by every mapping in every process; mapping into another process through
 * its handle, which needs RIGHT_MANAGE; a read-write mapping needs
 * RIGHT_WRITE on the section, any mapping RIGHT_MAP; mem_unmap refuses
 * section pages and section_unmap removes a whole mapping; the frames come
 * back only when the last handle and the last mapping are gone (counted
 * with system_stats); 100,000 tokens through a shared ring kept in step by
 * two semaphores.
 *
 * Children get the section (and semaphores or events) as handles after the
 * three stdio ones (0: the console), as the spawn convention has it.
 */
#include <stdio.h>
#include "kernel/abi/rights.h"
#include "tests/user/util.h"

#define PAGES               4
#define SIZE                (PAGES * PAGE_SIZE)
#define FIXED_ADDR          (USER_STACK_TOP / 4 + 64 * PAGE_SIZE)  /* far from mem_map(NULL) */
#define FRAME_PAGES         64          /* a section big enough to see in the free-frame count */
#define MAGIC               0x5ec7104e
#define REPLY               0x0ddba11
#define CHILD_VALUE         42
#define SLOTS               16          /* the token ring */
#define TOKENS              100000
#define NAME                "/obj/test.sections.named"
#define FIRST_EXTRA         STDIO_HANDLES   /* handles[3]: the first one after stdin/out/err */
#define HANDLE_ARG_COUNT    (STDIO_HANDLES + 3)

/* ---- helpers ------------------------------------------------------------------- */

static handle_t extra_handle(int i)
{
    const struct start_info *si = start_info();

    return FIRST_EXTRA + i < (int)si->nhandles ? si->handles[FIRST_EXTRA + i] : 0;
}

/* Spawns this program in |mode| with up to three extra handles (0: none). */
static handle_t spawn_with(const char *mode, const char *arg, handle_t a, handle_t b, handle_t c)
{
    const char *argv[] = { self_path(), mode, arg, NULL };
    handle_t hs[HANDLE_ARG_COUNT] = { 0, 0, 0, a, b, c };

    return process_spawn(self_path(), argv, hs, HANDLE_ARG_COUNT);
}

static long run_with(const char *mode, const char *arg, handle_t a, struct process_status *st)
{
    handle_t h = spawn_with(mode, arg, a, 0, 0);

    memset(st, 0, sizeof *st);
    return h < 0 ? h : reap(h, st);
}

static uint64_t free_frames(void)
{
    static struct system_stats s;

    system_stats(&s, sizeof s);
    return s.free_frames;
}

static volatile uint64_t *map_rw(handle_t s)
{
    long a = section_map(s, 0, NULL, MEM_WRITE);

    return a > 0 ? (volatile uint64_t *)a : NULL;
}

/* ---- helper modes (children) ----------------------------------------------------- */

/* "--check-and-reply": the first word must be MAGIC; writes REPLY into the last one. */
static int helper_check_and_reply(int argc, char **argv)
{
    volatile uint64_t *p = map_rw(extra_handle(0));

    (void)argc, (void)argv;
    if (!p || p[0] != MAGIC)
        return 1;
    p[SIZE / sizeof *p - 1] = REPLY;
    return section_unmap(0, (void *)p) == 0 ? 0 : 2;
}

/* "--read-at ADDR": waits for the event, then exits with the word at ADDR (mapped by the parent). */
static int helper_read_at(int argc, char **argv)
{
    if (argc < 1 || object_wait(extra_handle(0), CHILD_TIMEOUT_NS) != 0)
        return -1;
    return (int)*(volatile uint64_t *)strtoul(argv[0], NULL, 0);
}

/* "--write-readonly": maps without MEM_WRITE, reads, then writes: a page fault. */
static int helper_write_readonly(int argc, char **argv)
{
    long a = section_map(extra_handle(0), 0, NULL, 0);
    volatile uint64_t *p = (volatile uint64_t *)a;

    (void)argc, (void)argv;
    if (a <= 0 || p[0] != 0)
        return 1;
    p[0] = 1;
    return 2;
}

/* "--map-and-exit": maps and leaves without unmapping: exit must drop the mapping. */
static int helper_map_and_exit(int argc, char **argv)
{
    volatile uint64_t *p = map_rw(extra_handle(0));

    (void)argc, (void)argv;
    if (!p)
        return 1;
    p[0] = CHILD_VALUE;
    return 0;
}

/* "--open-named": opens the section by name and returns its first word. */
static int helper_open_named(int argc, char **argv)
{
    handle_t s = object_open(NAME, OB_TYPE_SECTION);
    volatile uint64_t *p = s > 0 ? map_rw(s) : NULL;

    (void)argc, (void)argv;
    return p ? (int)p[0] : -1;
}

/* "--consume": TOKENS tokens out of the ring: wait "full", take one, release "free". */
static int helper_consume(int argc, char **argv)
{
    volatile uint64_t *ring = map_rw(extra_handle(0));
    handle_t free_slots = extra_handle(1), full_slots = extra_handle(2);
    uint64_t wrong = 0;

    (void)argc, (void)argv;
    if (!ring)
        return 1;
    for (uint64_t i = 0; i < TOKENS; i++) {
        if (object_wait(full_slots, CHILD_TIMEOUT_NS) != 0)
            return 2;
        wrong += ring[i % SLOTS] != i;
        semaphore_release(free_slots, 1);
    }
    return wrong ? 3 : 0;
}

static const struct helper_mode helpers[] = {
    { "--sleep", helper_sleep },
    { "--exit", helper_exit },
    { "--check-and-reply", helper_check_and_reply },
    { "--read-at", helper_read_at },
    { "--write-readonly", helper_write_readonly },
    { "--map-and-exit", helper_map_and_exit },
    { "--open-named", helper_open_named },
    { "--consume", helper_consume },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- create ---------------------------------------------------------------------- */

TEST(create_rejects_bad_sizes_and_flags)
{
    EXPECT_ERR(section_create(0, 0, NULL), E_INVAL);
    EXPECT_ERR(section_create(SECTION_MAX_SIZE + 1, 0, NULL), E_TOOBIG);
    EXPECT_ERR(section_create(UINT64_MAX, 0, NULL), E_TOOBIG);
    EXPECT_ERR(section_create(PAGE_SIZE, MEM_WRITE, NULL), E_INVAL);
    EXPECT_ERR(section_create(PAGE_SIZE, 1UL << 63, NULL), E_INVAL);
    EXPECT_ERR(section_create(PAGE_SIZE, 0, ""), E_INVAL);
    EXPECT_ERR(section_create(PAGE_SIZE, 0, (const char *)KERNEL_HEAP_ADDR), E_FAULT);
}

TEST(mapping_is_zeroed_and_writable)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    volatile uint64_t *p = map_rw(s);
    uint64_t nonzero = 0;

    ASSERT_NE(p, NULL);
    EXPECT_EQ((uint64_t)p % PAGE_SIZE, 0);
    for (size_t i = 0; i < SIZE / sizeof *p; i++)
        nonzero += p[i] != 0;
    EXPECT_EQ(nonzero, 0);
    p[0] = MAGIC;
    p[SIZE / sizeof *p - 1] = MAGIC;
    EXPECT_EQ(section_unmap(0, (void *)p), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(size_rounds_up_to_whole_pages)
{
    handle_t s = section_create(1, 0, NULL);
    ASSERT_TRUE(s > 0);
    volatile char *p = (volatile char *)map_rw(s);

    ASSERT_NE(p, NULL);
    p[PAGE_SIZE - 1] = 1;
    EXPECT_EQ(section_unmap(0, (void *)p), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(two_mappings_share_the_same_bytes)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    volatile uint64_t *a = map_rw(s), *b = map_rw(s);

    ASSERT_TRUE(a && b);
    EXPECT_NE(a, b);
    a[1] = MAGIC;
    EXPECT_EQ(b[1], MAGIC);
    b[SIZE / sizeof *b - 1] = REPLY;
    EXPECT_EQ(a[SIZE / sizeof *a - 1], REPLY);
    EXPECT_EQ(section_unmap(0, (void *)a), 0);
    EXPECT_EQ(b[1], MAGIC);                         /* the other mapping stays */
    EXPECT_EQ(section_unmap(0, (void *)b), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(fixed_address_is_honoured)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);

    EXPECT_EQ(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), (long)FIXED_ADDR);
    *(volatile uint64_t *)FIXED_ADDR = MAGIC;
    EXPECT_ERR(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), E_EXISTS);
    EXPECT_ERR(mem_map((void *)(FIXED_ADDR + PAGE_SIZE), PAGE_SIZE, MEM_WRITE), E_EXISTS);
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* ---- other processes ------------------------------------------------------------- */

TEST(child_sees_our_writes_and_we_see_its)
{
    struct process_status st;
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    volatile uint64_t *p = map_rw(s);

    ASSERT_NE(p, NULL);
    p[0] = MAGIC;
    ASSERT_EQ(run_with("--check-and-reply", NULL, s, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_EQ(p[SIZE / sizeof *p - 1], REPLY);
    EXPECT_EQ(section_unmap(0, (void *)p), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* We map the section into the child's address space; it reads there what we wrote here. */
TEST(map_into_another_process)
{
    char addr[24];
    struct process_status st;
    handle_t s = section_create(SIZE, 0, NULL), go = event_create(0, NULL);
    ASSERT_TRUE(s > 0 && go > 0);

    snprintf(addr, sizeof addr, "%#lx", (unsigned long)FIXED_ADDR);
    handle_t child = spawn_with("--read-at", addr, go, 0, 0);
    ASSERT_TRUE(child > 0);
    EXPECT_EQ(section_map(s, child, (void *)FIXED_ADDR, 0), (long)FIXED_ADDR);
    volatile uint64_t *p = map_rw(s);
    ASSERT_NE(p, NULL);
    p[0] = CHILD_VALUE;
    EXPECT_EQ(event_set(go), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, CHILD_VALUE);
    EXPECT_EQ(section_unmap(0, (void *)p), 0);
    EXPECT_EQ(handle_close(go), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(another_process_needs_manage_right)
{
    struct process_status st;
    handle_t s = section_create(SIZE, 0, NULL), child = spawn_with("--sleep", NULL, 0, 0, 0);
    ASSERT_TRUE(s > 0 && child > 0);
    handle_t weak = handle_duplicate(child, 0, RIGHT_WAIT | RIGHT_INFO | RIGHT_KILL | RIGHT_MAP);
    ASSERT_TRUE(weak > 0);

    EXPECT_ERR(section_map(s, weak, NULL, 0), E_ACCESS);
    long a = section_map(s, child, NULL, MEM_WRITE);
    EXPECT_TRUE(a > 0);
    EXPECT_ERR(section_unmap(weak, (void *)a), E_ACCESS);
    EXPECT_EQ(section_unmap(child, (void *)a), 0);
    EXPECT_EQ(handle_close(weak), 0);
    EXPECT_EQ(process_kill(child, 0), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(ended_process_is_peerclosed)
{
    struct process_status st;
    handle_t s = section_create(SIZE, 0, NULL), child = spawn_with("--exit", NULL, 0, 0, 0);
    ASSERT_TRUE(s > 0 && child > 0);

    EXPECT_EQ(object_wait(child, CHILD_TIMEOUT_NS), 0);
    EXPECT_ERR(section_map(s, child, NULL, 0), E_PEERCLOSED);
    EXPECT_ERR(section_unmap(child, (void *)FIXED_ADDR), E_PEERCLOSED);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(named_section_opens_in_a_child)
{
    struct process_status st;
    handle_t s = section_create(SIZE, 0, NAME);
    ASSERT_TRUE(s > 0);
    volatile uint64_t *p = map_rw(s);

    ASSERT_NE(p, NULL);
    p[0] = CHILD_VALUE;
    EXPECT_ERR(section_create(SIZE, 0, NAME), E_EXISTS);
    handle_t again = section_create(SIZE, CREATE_OPEN_EXISTING, NAME);
    EXPECT_TRUE(again > 0);
    EXPECT_EQ(handle_close(again), 0);
    ASSERT_EQ(run_with("--open-named", NULL, 0, &st), 0);
    EXPECT_EQ(st.exit_code, CHILD_VALUE);
    EXPECT_EQ(section_unmap(0, (void *)p), 0);
    EXPECT_EQ(handle_close(s), 0);
    EXPECT_ERR(object_open(NAME, OB_TYPE_SECTION), E_NOTFOUND);
}

/* ---- rights -------------------------------------------------------------------------- */

TEST(write_mapping_needs_write_right)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    handle_t map_only = handle_duplicate(s, 0, RIGHT_MAP), no_map = handle_duplicate(s, 0, RIGHT_WRITE);
    ASSERT_TRUE(map_only > 0 && no_map > 0);

    EXPECT_ERR(section_map(map_only, 0, NULL, MEM_WRITE), E_ACCESS);
    long a = section_map(map_only, 0, NULL, 0);
    EXPECT_TRUE(a > 0);
    EXPECT_EQ(section_unmap(0, (void *)a), 0);
    EXPECT_ERR(section_map(no_map, 0, NULL, 0), E_ACCESS);
    EXPECT_EQ(handle_close(map_only), 0);
    EXPECT_EQ(handle_close(no_map), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(read_only_mapping_faults_on_write)
{
    struct process_status st;
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);

    ASSERT_EQ(run_with("--write-readonly", NULL, s, &st), 0);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    EXPECT_EQ(st.fault_error & (FAULT_PF_PRESENT | FAULT_PF_WRITE), FAULT_PF_PRESENT | FAULT_PF_WRITE);
    EXPECT_EQ(handle_close(s), 0);
}

/* ---- bad input --------------------------------------------------------------------- */

TEST(map_rejects_bad_addresses_flags_and_handles)
{
    handle_t s = section_create(SIZE, 0, NULL), file = file_open(self_path());
    ASSERT_TRUE(s > 0 && file > 0);

    EXPECT_ERR(section_map(s, 0, NULL, MEM_EXEC), E_INVAL);
    EXPECT_ERR(section_map(s, 0, NULL, 1UL << 63), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)(FIXED_ADDR + 1), 0), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)PAGE_SIZE, 0), E_INVAL);          /* below USER_BASE */
    EXPECT_ERR(section_map(s, 0, (void *)(USER_TOP - PAGE_SIZE), 0), E_INVAL);  /* runs past it */
    EXPECT_ERR(section_map(s, 0, (void *)USER_TOP, 0), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)KERNEL_HEAP_ADDR, 0), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)KERNEL_IMAGE_ADDR, 0), E_INVAL);
    EXPECT_ERR(section_map(s, 0, (void *)USER_BASE, 0), E_EXISTS);         /* our own code */
    EXPECT_ERR(section_map(0, 0, NULL, 0), E_BADHANDLE);
    EXPECT_ERR(section_map(file, 0, NULL, 0), E_WRONGTYPE);
    EXPECT_ERR(section_map(s, file, NULL, 0), E_WRONGTYPE);
    EXPECT_ERR(section_map(s, -1, NULL, 0), E_BADHANDLE);
    EXPECT_ERR(section_unmap(file, (void *)FIXED_ADDR), E_WRONGTYPE);
    EXPECT_EQ(handle_close(file), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(unmap_takes_whole_section_mappings_only)
{
    handle_t s = section_create(SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), (long)FIXED_ADDR);

    EXPECT_ERR(section_unmap(0, (void *)(FIXED_ADDR + PAGE_SIZE)), E_INVAL);   /* not its start */
    EXPECT_ERR(section_unmap(0, (void *)(FIXED_ADDR - PAGE_SIZE)), E_INVAL);
    EXPECT_ERR(section_unmap(0, (void *)KERNEL_HEAP_ADDR), E_INVAL);
    EXPECT_ERR(mem_unmap((void *)(FIXED_ADDR + PAGE_SIZE), PAGE_SIZE), E_INVAL);
    EXPECT_ERR(mem_unmap((void *)(FIXED_ADDR - PAGE_SIZE), SIZE + 2 * PAGE_SIZE), E_INVAL);
    *(volatile uint64_t *)(FIXED_ADDR + PAGE_SIZE) = MAGIC;     /* still mapped */
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_ERR(section_unmap(0, (void *)FIXED_ADDR), E_INVAL);
    EXPECT_EQ(mem_map((void *)FIXED_ADDR, SIZE, MEM_WRITE), (long)FIXED_ADDR);  /* the range is free */
    EXPECT_EQ(*(volatile uint64_t *)(FIXED_ADDR + PAGE_SIZE), 0);
    EXPECT_EQ(mem_unmap((void *)FIXED_ADDR, SIZE), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* A kernel copy into section pages works like any other, and fails cleanly once unmapped. */
TEST(kernel_copies_reach_section_pages)
{
    handle_t s = section_create(SIZE, 0, NULL), f = file_open(self_path());
    ASSERT_TRUE(s > 0 && f > 0);
    char *p = (char *)map_rw(s);

    ASSERT_NE(p, NULL);
    EXPECT_EQ(file_read(f, p, 4, 0), 4);
    EXPECT_EQ(memcmp(p, "\177ELF", 4), 0);
    EXPECT_EQ(section_unmap(0, p), 0);
    EXPECT_ERR(file_read(f, p, 4, 0), E_FAULT);
    EXPECT_EQ(handle_close(f), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* ---- lifetime of the frames ------------------------------------------------------------ */

/* Maps and unmaps once at FIXED_ADDR, so its page tables exist before we count frames. */
static void warm_up_page_tables(handle_t s)
{
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, 0), (long)FIXED_ADDR);
    ASSERT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
}

TEST(frames_live_until_last_handle_and_last_mapping)
{
    handle_t warm = section_create(FRAME_PAGES * PAGE_SIZE, 0, NULL);
    ASSERT_TRUE(warm > 0);
    warm_up_page_tables(warm);
    EXPECT_EQ(handle_close(warm), 0);

    uint64_t before = free_frames();
    handle_t s = section_create(FRAME_PAGES * PAGE_SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    EXPECT_TRUE(free_frames() <= before - FRAME_PAGES);
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), (long)FIXED_ADDR);
    EXPECT_EQ(handle_close(s), 0);                      /* the mapping keeps the frames */
    EXPECT_TRUE(free_frames() <= before - FRAME_PAGES);
    *(volatile uint64_t *)FIXED_ADDR = MAGIC;
    EXPECT_EQ(*(volatile uint64_t *)FIXED_ADDR, MAGIC);
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_EQ(free_frames(), before);

    s = section_create(FRAME_PAGES * PAGE_SIZE, 0, NULL);   /* the other order */
    ASSERT_TRUE(s > 0);
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, MEM_WRITE), (long)FIXED_ADDR);
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_TRUE(free_frames() <= before - FRAME_PAGES);     /* the handle keeps them */
    EXPECT_EQ(handle_close(s), 0);
    EXPECT_EQ(free_frames(), before);
}

/* A process that ends with the section still mapped gives its mapping back. */
TEST(exit_drops_the_mapping)
{
    struct process_status st;
    handle_t s = section_create(FRAME_PAGES * PAGE_SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    warm_up_page_tables(s);
    uint64_t before = free_frames();

    ASSERT_EQ(run_with("--map-and-exit", NULL, s, &st), 0);
    EXPECT_EQ(st.exit_code, 0);
    ASSERT_EQ(section_map(s, 0, (void *)FIXED_ADDR, 0), (long)FIXED_ADDR);
    EXPECT_EQ(*(volatile uint64_t *)FIXED_ADDR, CHILD_VALUE);
    EXPECT_EQ(section_unmap(0, (void *)FIXED_ADDR), 0);
    EXPECT_EQ(free_frames(), before);                   /* the child and its mapping are gone */
    EXPECT_EQ(handle_close(s), 0);
}

TEST(killing_a_process_with_a_mapping_leaves_nothing)
{
    struct process_status st;
    handle_t s = section_create(SIZE, 0, NULL), child = spawn_with("--sleep", NULL, 0, 0, 0);
    ASSERT_TRUE(s > 0 && child > 0);

    EXPECT_TRUE(section_map(s, child, NULL, MEM_WRITE) > 0);
    EXPECT_EQ(handle_close(s), 0);                      /* only the child's mapping is left */
    EXPECT_EQ(process_kill(child, 0), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
}

/* ---- a producer and a consumer ------------------------------------------------------- */

/* TOKENS tokens through a SLOTS-slot ring in a section, in step through two semaphores. */
TEST(tokens_flow_through_a_shared_ring)
{
    struct process_status st;
    handle_t s = section_create(SLOTS * sizeof(uint64_t), 0, NULL);
    handle_t free_slots = semaphore_create(SLOTS, SLOTS, 0, NULL);
    handle_t full_slots = semaphore_create(0, SLOTS, 0, NULL);
    ASSERT_TRUE(s > 0 && free_slots > 0 && full_slots > 0);
    volatile uint64_t *ring = map_rw(s);
    ASSERT_NE(ring, NULL);

    handle_t child = spawn_with("--consume", NULL, s, free_slots, full_slots);
    ASSERT_TRUE(child > 0);
    for (uint64_t i = 0; i < TOKENS; i++) {
        ASSERT_EQ(object_wait(free_slots, CHILD_TIMEOUT_NS), 0);
        ring[i % SLOTS] = i;
        semaphore_release(full_slots, 1);
    }
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_EXITED);
    EXPECT_EQ(st.exit_code, 0);
    EXPECT_EQ(section_unmap(0, (void *)ring), 0);
    EXPECT_EQ(handle_close(full_slots), 0);
    EXPECT_EQ(handle_close(free_slots), 0);
    EXPECT_EQ(handle_close(s), 0);
}
