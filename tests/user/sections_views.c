/*
 * sections_views: views, protection and copies without a mapping
 * (kernel/ipc/section.h, docs/06-sections.md): a view maps a page-aligned
 * window [offset, offset + size) of a section (size 0: to the end) and sees
 * exactly those pages; section_unmap_view takes a view away by any address
 * inside it, while the older section_unmap still wants its start;
 * section_protect changes a view's rights later, never beyond what the
 * handle it was mapped with allowed; section_read and section_write copy
 * without mapping, at most SECTION_IO_MAX bytes per call.  Bad input: a
 * view past the section's end, an offset or address not page-aligned, a
 * window that wraps, protection above the handle's rights, a copy outside
 * the section or into a bad buffer: each a clear error, nothing changed.
 */
#include "tests/user/section_util.h"

#define VIEW_PAGES      8
#define VIEW_SIZE       (VIEW_PAGES * PAGE_SIZE)
#define BIG_PAGES       32              /* more than SECTION_IO_MAX */

/* A section of VIEW_PAGES pages whose page i holds the word i + 1 at its start. */
static handle_t numbered_section(void)
{
    handle_t s = section_create(VIEW_SIZE, 0, NULL);

    for (uint64_t i = 0; s > 0 && i < VIEW_PAGES; i++) {
        uint64_t word = i + 1;
        if (section_write(s, (long)(i * PAGE_SIZE), &word, sizeof word) != sizeof word)
            return E_FAULT;
    }
    return s;
}

/* "--protect-then-write": maps the section read-write, protects it read-only, writes: a fault. */
static int helper_protect_then_write(int argc, char **argv)
{
    long a = section_map_view(passed(0), 0, NULL, 0, 0, MEM_WRITE);
    volatile uint64_t *p = (volatile uint64_t *)a;

    (void)argc, (void)argv;
    if (a <= 0)
        return 1;
    p[0] = 1;                           /* writable so far */
    if (section_protect(0, (void *)(a + PAGE_SIZE), 0) != 0)
        return 2;
    p[0] = 2;
    return 3;
}

static const struct helper_mode helpers[] = {
    { "--protect-then-write", helper_protect_then_write },
    { "--sleep", helper_sleep },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- views ------------------------------------------------------------------------ */

TEST(view_sees_the_pages_at_its_offset)
{
    handle_t s = numbered_section();
    ASSERT_TRUE(s > 0);
    long a = section_map_view(s, 0, NULL, 2 * PAGE_SIZE, 3 * PAGE_SIZE, MEM_WRITE);
    ASSERT_TRUE(a > 0);
    volatile uint64_t *v = (volatile uint64_t *)a;

    EXPECT_EQ(v[0], 3);
    EXPECT_EQ(v[2 * PAGE_SIZE / 8], 5);
    v[PAGE_SIZE / 8] = 0x77;            /* page 3 of the section */
    uint64_t word = 0;
    EXPECT_EQ(section_read(s, 3 * PAGE_SIZE, &word, sizeof word), (long)sizeof word);
    EXPECT_EQ(word, 0x77);
    EXPECT_EQ(section_unmap_view(0, (void *)a), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(view_of_size_0_runs_to_the_end_and_size_rounds_up)
{
    handle_t s = numbered_section();
    ASSERT_TRUE(s > 0);
    long a = section_map_view(s, 0, NULL, 5 * PAGE_SIZE, 0, 0);
    ASSERT_TRUE(a > 0);
    EXPECT_EQ(((volatile uint64_t *)a)[2 * PAGE_SIZE / 8], VIEW_PAGES);
    EXPECT_EQ(section_unmap_view(0, (void *)a), 0);
    a = section_map_view(s, 0, NULL, 7 * PAGE_SIZE, 1, 0);  /* one byte: the last page */
    ASSERT_TRUE(a > 0);
    EXPECT_EQ(((volatile uint64_t *)a)[0], VIEW_PAGES);
    EXPECT_EQ(section_unmap_view(0, (void *)a), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(view_at_a_fixed_address_is_honoured)
{
    handle_t s = numbered_section();
    ASSERT_TRUE(s > 0);
    EXPECT_EQ(section_map_view(s, 0, (void *)FIXED_ADDR, PAGE_SIZE, PAGE_SIZE, 0), (long)FIXED_ADDR);
    EXPECT_EQ(((volatile uint64_t *)FIXED_ADDR)[0], 2);
    EXPECT_ERR(section_map_view(s, 0, (void *)FIXED_ADDR, 0, PAGE_SIZE, 0), E_EXISTS);
    EXPECT_EQ(section_unmap_view(0, (void *)FIXED_ADDR), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(unmap_view_takes_any_address_inside)
{
    handle_t s = numbered_section();
    ASSERT_TRUE(s > 0);
    long a = section_map_view(s, 0, NULL, 0, 4 * PAGE_SIZE, 0);
    ASSERT_TRUE(a > 0);

    EXPECT_ERR(section_unmap(0, (void *)(a + PAGE_SIZE)), E_INVAL);    /* the old call: start only */
    EXPECT_ERR(section_unmap_view(0, (void *)(a + 4 * PAGE_SIZE)), E_INVAL);  /* just past it */
    EXPECT_EQ(section_unmap_view(0, (void *)(a + 3 * PAGE_SIZE + 123)), 0);
    EXPECT_ERR(section_unmap_view(0, (void *)a), E_INVAL);             /* gone */
    EXPECT_EQ(handle_close(s), 0);
}

/* Through a process handle (RIGHT_MANAGE): map, protect and unmap in a child; its end takes the rest. */
TEST(views_in_another_process)
{
    handle_t s = numbered_section(), child = spawn_self("--sleep", NULL);
    struct process_status st;

    ASSERT_TRUE(s > 0 && child > 0);
    long a = section_map_view(s, child, NULL, 2 * PAGE_SIZE, PAGE_SIZE, 0);
    ASSERT_TRUE(a > 0);
    EXPECT_EQ(section_protect(child, (void *)(a + 8), MEM_WRITE), 0);
    EXPECT_ERR(section_unmap_view(0, (void *)a), E_INVAL);             /* not in our address space */
    EXPECT_EQ(section_unmap_view(child, (void *)(a + PAGE_SIZE - 1)), 0);
    EXPECT_TRUE(section_map_view(s, child, NULL, 0, 0, MEM_WRITE) > 0);  /* left for its end */
    EXPECT_EQ(process_kill(child, 0), 0);
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* The view holds the section: closing the handle first leaves the bytes there. */
TEST(view_outlives_the_handle)
{
    handle_t s = numbered_section();
    ASSERT_TRUE(s > 0);
    long a = section_map_view(s, 0, NULL, PAGE_SIZE, PAGE_SIZE, 0);
    ASSERT_TRUE(a > 0);
    EXPECT_EQ(handle_close(s), 0);
    EXPECT_EQ(((volatile uint64_t *)a)[0], 2);
    EXPECT_EQ(section_unmap_view(0, (void *)a), 0);
}

TEST(bad_views_are_refused)
{
    handle_t s = numbered_section(), ro;
    ASSERT_TRUE(s > 0);
    ASSERT_TRUE((ro = handle_duplicate(s, 0, RIGHT_MAP)) > 0);

    EXPECT_ERR(section_map_view(s, 0, NULL, VIEW_SIZE, 0, 0), E_INVAL);             /* at the end */
    EXPECT_ERR(section_map_view(s, 0, NULL, 0, VIEW_SIZE + 1, 0), E_INVAL);         /* past it */
    EXPECT_ERR(section_map_view(s, 0, NULL, PAGE_SIZE, VIEW_SIZE, 0), E_INVAL);
    EXPECT_ERR(section_map_view(s, 0, NULL, 1, PAGE_SIZE, 0), E_INVAL);             /* unaligned */
    EXPECT_ERR(section_map_view(s, 0, NULL, PAGE_SIZE / 2, 0, 0), E_INVAL);
    EXPECT_ERR(section_map_view(s, 0, (void *)(FIXED_ADDR + 8), 0, PAGE_SIZE, 0), E_INVAL);
    EXPECT_ERR(section_map_view(s, 0, (void *)PAGE_SIZE, 0, PAGE_SIZE, 0), E_INVAL);  /* below user space */
    EXPECT_ERR(section_map_view(s, 0, NULL, -PAGE_SIZE, 2 * PAGE_SIZE, 0), E_INVAL);  /* wraps */
    EXPECT_ERR(section_map_view(s, 0, NULL, PAGE_SIZE, -1L, 0), E_INVAL);
    EXPECT_ERR(section_map_view(s, 0, (void *)(USER_TOP - PAGE_SIZE), 0, 2 * PAGE_SIZE, 0), E_INVAL);
    EXPECT_ERR(section_map_view(s, 0, NULL, 0, 0, MEM_EXEC), E_INVAL);
    EXPECT_ERR(section_map_view(ro, 0, NULL, 0, 0, MEM_WRITE), E_ACCESS);
    EXPECT_EQ(handle_close(ro), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* ---- protection -------------------------------------------------------------------- */

TEST(protect_makes_a_view_writable)
{
    handle_t s = numbered_section();
    ASSERT_TRUE(s > 0);
    long a = section_map_view(s, 0, NULL, 0, 2 * PAGE_SIZE, 0);
    ASSERT_TRUE(a > 0);

    EXPECT_EQ(section_protect(0, (void *)(a + PAGE_SIZE + 8), MEM_WRITE), 0);
    ((volatile uint64_t *)a)[0] = 0x99;
    uint64_t word = 0;
    EXPECT_EQ(section_read(s, 0, &word, sizeof word), (long)sizeof word);
    EXPECT_EQ(word, 0x99);
    EXPECT_EQ(section_unmap_view(0, (void *)a), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(protect_read_only_then_write_faults)
{
    handle_t s = section_create(2 * PAGE_SIZE, 0, NULL);
    struct process_status st;

    ASSERT_TRUE(s > 0);
    ASSERT_EQ(run_passing("--protect-then-write", NULL, &s, 1, &st), 0);
    EXPECT_EQ(st.state, PROCESS_FAULTED);
    EXPECT_EQ(st.fault_vector, VEC_PAGE_FAULT);
    EXPECT_EQ(st.fault_error & (FAULT_PF_PRESENT | FAULT_PF_WRITE), FAULT_PF_PRESENT | FAULT_PF_WRITE);
    uint64_t word = 0;
    EXPECT_EQ(section_read(s, 0, &word, sizeof word), (long)sizeof word);
    EXPECT_EQ(word, 1);                 /* the write before the protect landed, the one after not */
    EXPECT_EQ(handle_close(s), 0);
}

/* Mapped through a handle without RIGHT_WRITE: MEM_WRITE stays out of reach, even later. */
TEST(protect_above_the_handles_rights_is_access)
{
    handle_t s = numbered_section(), ro;
    ASSERT_TRUE(s > 0);
    ASSERT_TRUE((ro = handle_duplicate(s, 0, RIGHT_MAP)) > 0);
    long a = section_map_view(ro, 0, NULL, 0, 0, 0);
    ASSERT_TRUE(a > 0);

    EXPECT_ERR(section_protect(0, (void *)a, MEM_WRITE), E_ACCESS);
    EXPECT_EQ(section_protect(0, (void *)a, 0), 0);
    EXPECT_ERR(section_protect(0, (void *)a, MEM_EXEC), E_INVAL);
    EXPECT_ERR(section_protect(0, (void *)(a - PAGE_SIZE), 0), E_INVAL);   /* no view there */
    EXPECT_EQ(section_unmap_view(0, (void *)a), 0);
    EXPECT_ERR(section_protect(0, (void *)a, 0), E_INVAL);
    EXPECT_EQ(handle_close(ro), 0);
    EXPECT_EQ(handle_close(s), 0);
}

/* ---- read and write without a mapping ----------------------------------------------- */

TEST(read_and_write_cross_pages)
{
    handle_t s = section_create(2 * PAGE_SIZE, 0, NULL);
    char out[100], in[100];

    ASSERT_TRUE(s > 0);
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (char)(i * 7 + 1);
    EXPECT_EQ(section_write(s, PAGE_SIZE - 50, out, sizeof out), (long)sizeof out);
    EXPECT_EQ(section_read(s, PAGE_SIZE - 50, in, sizeof in), (long)sizeof in);
    EXPECT_EQ(memcmp(in, out, sizeof in), 0);
    volatile char *m = (volatile char *)section_map_view(s, 0, NULL, PAGE_SIZE, 0, 0);
    ASSERT_TRUE((long)m > 0);
    EXPECT_EQ(m[49], out[99]);          /* the mapping sees what was written */
    EXPECT_EQ(section_unmap_view(0, (void *)m), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(copies_stop_at_section_io_max)
{
    handle_t s = section_create(BIG_PAGES * PAGE_SIZE, 0, NULL);
    long big = mem_map(NULL, BIG_PAGES * PAGE_SIZE, MEM_WRITE);

    ASSERT_TRUE(s > 0 && big > 0);
    EXPECT_EQ(section_read(s, 0, (void *)big, BIG_PAGES * PAGE_SIZE), (long)SECTION_IO_MAX);
    EXPECT_EQ(section_write(s, 0, (void *)big, BIG_PAGES * PAGE_SIZE), (long)SECTION_IO_MAX);
    EXPECT_EQ(mem_unmap((void *)big, BIG_PAGES * PAGE_SIZE), 0);
    EXPECT_EQ(handle_close(s), 0);
}

TEST(bad_copies_are_refused)
{
    handle_t s = section_create(2 * PAGE_SIZE, 0, NULL), bare;
    char buf[16] = { 0 };

    ASSERT_TRUE(s > 0);
    ASSERT_TRUE((bare = handle_duplicate(s, 0, RIGHT_MAP)) > 0);
    EXPECT_EQ(section_read(s, 2 * PAGE_SIZE, buf, 0), 0);                   /* nothing, at the end */
    EXPECT_ERR(section_read(s, 2 * PAGE_SIZE + 1, buf, 0), E_INVAL);
    EXPECT_ERR(section_read(s, 2 * PAGE_SIZE - 8, buf, sizeof buf), E_INVAL);
    EXPECT_ERR(section_write(s, -8L, buf, sizeof buf), E_INVAL);
    EXPECT_ERR(section_write(s, PAGE_SIZE, buf, -1L), E_FAULT);              /* the buffer wraps */
    EXPECT_ERR(section_read(s, -PAGE_SIZE, buf, 2 * PAGE_SIZE), E_INVAL);    /* the range wraps */
    EXPECT_ERR(section_read(s, 0, (void *)KERNEL_HEAP_ADDR, sizeof buf), E_FAULT);
    EXPECT_ERR(section_write(s, 0, NULL, sizeof buf), E_FAULT);
    EXPECT_ERR(section_read(bare, 0, buf, sizeof buf), E_ACCESS);
    EXPECT_ERR(section_write(bare, 0, buf, sizeof buf), E_ACCESS);
    EXPECT_EQ(handle_close(bare), 0);
    EXPECT_EQ(handle_close(s), 0);
}
