/*
 * sections_sharing: shared-memory sections across processes
 * (ARCHITECTURE.md section 6, kernel/ipc/section.h): one set of frames is
 * seen by every mapping in every process (a child sees our writes, we see
 * its); we can map a section into another process through its handle,
 * which needs RIGHT_MANAGE, and not into one that has ended
 * (E_PEERCLOSED); a named section opens in a child, and CREATE_OPEN_EXISTING
 * gives the same one; 100,000 tokens go through a ring in a section, kept
 * in step by two semaphores.
 */
#include <stdio.h>
#include "tests/user/section_util.h"

#define SLOTS               16          /* the token ring */
#define TOKENS              100000
#define NAME                "/obj/test.sections.named"

/* ---- helper modes (children) ----------------------------------------------------- */

/* "--check-and-reply": the first word must be MAGIC; writes REPLY into the last one. */
static int helper_check_and_reply(int argc, char **argv)
{
    volatile uint64_t *p = map_rw(passed(0));

    (void)argc, (void)argv;
    if (!p || p[0] != MAGIC)
        return 1;
    p[SIZE / sizeof *p - 1] = REPLY;
    return section_unmap(0, (void *)p) == 0 ? 0 : 2;
}

/* "--read-at ADDR": waits for the event, then exits with the word at ADDR (mapped by the parent). */
static int helper_read_at(int argc, char **argv)
{
    if (argc < 1 || object_wait(passed(0), CHILD_TIMEOUT_NS) != 0)
        return -1;
    return (int)*(volatile uint64_t *)strtoul(argv[0], NULL, 0);
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
    volatile uint64_t *ring = map_rw(passed(0));
    handle_t free_slots = passed(1), full_slots = passed(2);
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
    { "--open-named", helper_open_named },
    { "--consume", helper_consume },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
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
    ASSERT_EQ(run_passing("--check-and-reply", NULL, &s, 1, &st), 0);
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
    handle_t child = spawn_passing("--read-at", addr, &go, 1);
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
    handle_t s = section_create(SIZE, 0, NULL), child = spawn_self("--sleep", NULL);
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
    handle_t s = section_create(SIZE, 0, NULL), child = spawn_self("--exit", NULL);
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
    ASSERT_EQ(run_self("--open-named", NULL, &st), 0);
    EXPECT_EQ(st.exit_code, CHILD_VALUE);
    EXPECT_EQ(section_unmap(0, (void *)p), 0);
    EXPECT_EQ(handle_close(s), 0);
    EXPECT_ERR(object_open(NAME, OB_TYPE_SECTION), E_NOTFOUND);
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

    handle_t child = spawn_passing("--consume", NULL, (handle_t[]){ s, free_slots, full_slots }, 3);
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
