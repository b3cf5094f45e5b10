/*
 * ipc_lifetimes: what a review of kernel/ipc, kernel/mm/vm.c and process
 * teardown checks from ring 3.
 *
 *   - The kernel never picks a mapping address outside the mmap region
 *     (vm_pick_range), however full the region is: a wrapped check once
 *     let section_map(NULL) map user frames into the kernel half.
 *   - Random pipes, ports (connects, requests, replies, datagrams, handles
 *     in flight, receives that fault), sections mapped into each other,
 *     handles duplicated into siblings and short-lived children spawned
 *     with handles, from several threads in several processes, all killed
 *     midway: the kernel neither panics nor hangs, and once every process
 *     is gone nothing is left (the runner's leak check).
 *
 * Self-contained (no util.h) so it does not depend on the other suites'
 * helpers.
 */
#include <ember.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <test.h>
#include "kernel/abi/rights.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/mm/vm.h"

#define NS_PER_SEC          1000000000L
#define WAIT_NS             (10 * NS_PER_SEC)
#define MMAP_LIMIT          (USER_STACK_TOP - USER_STACK_SIZE)  /* where vm_pick_range stops */
#define BLOCK_STEP          (1ul << 44)                         /* 16 TiB */
#define KERNEL_HALF_TARGET  (257ul << 39)   /* PML4 entry 257: a kernel-half table */

/* ---- sections: the kernel never picks an address outside the mmap region --------- */

/*
 * vm_pick_range checked "len > limit - next" with unsigned numbers: once the
 * region was used up (next past the limit) the subtraction wrapped, every
 * length passed, and the picks went on past the stack, past USER_TOP and
 * into the kernel half.  section_map(NULL) does not check the address it
 * gets, so it mapped the section into the kernel's shared page tables.
 * Picks reuse unmapped space now, so the region is used up here by a page
 * every BLOCK_STEP: no free run is that long, and a longer pick must fail.
 */
TEST(picked_addresses_stay_in_the_mmap_region)
{
    handle_t s = section_create(PAGE_SIZE, 0, NULL);
    ASSERT_TRUE(s > 0);
    for (unsigned long at = USER_MMAP_BASE + BLOCK_STEP; at < MMAP_LIMIT; at += BLOCK_STEP)
        ASSERT_EQ(mem_map((void *)at, PAGE_SIZE, 0), (long)at);

    EXPECT_ERR(mem_map(NULL, BLOCK_STEP, 0), E_NOMEM);
    EXPECT_ERR(mem_map(NULL, MMAP_LIMIT - USER_MMAP_BASE, 0), E_NOMEM);
    unsigned long push = KERNEL_HALF_TARGET - (MMAP_LIMIT + PAGE_SIZE) - PAGE_SIZE;
    EXPECT_ERR(mem_map(NULL, push, 0), E_NOMEM);
    long r = section_map(s, 0, NULL, MEM_WRITE);
    EXPECT_TRUE(r >= (long)USER_MMAP_BASE && r + PAGE_SIZE <= (long)MMAP_LIMIT);
    if (r > 0)
        section_unmap(0, (void *)r);
    r = mem_map(NULL, PAGE_SIZE, MEM_WRITE);
    EXPECT_TRUE(r >= (long)USER_MMAP_BASE && r + PAGE_SIZE <= (long)MMAP_LIMIT);
    EXPECT_EQ(handle_close(s), 0);
}

/* ---- chaos: random IPC in several processes, killed midway: no panic, no leak ---- */

#define CHAOS_THREADS   7           /* 0: janitor, 1-2: servers, the rest: anything */
#define CHAOS_PROCS     3
#define CHAOS_NAMES     2
#define CHAOS_MSG       128
#define CHAOS_RUN_NS    (3 * NS_PER_SEC)
#define MS              1000000L

enum kind { K_READ, K_WRITE, K_SERVER, K_CLIENT, K_END, K_SECTION, K_PROC, KINDS };
#define SLOTS           6

static handle_t pool[KINDS][SLOTS];
static long chaos_parent;           /* the chaos processes are the CHAOS_PROCS pids after it */

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Mostly a handle of |k|, sometimes of any kind. */
static handle_t pick(uint64_t *s, enum kind k)
{
    if (rnd(s) % 8 == 0)
        k = (enum kind)(rnd(s) % KINDS);
    return __atomic_load_n(&pool[k][rnd(s) % SLOTS], __ATOMIC_RELAXED);
}

static handle_t any(uint64_t *s)
{
    return pick(s, (enum kind)(rnd(s) % KINDS));
}

/* Puts |h| in a random slot of |k|, closing what was there. */
static void keep(uint64_t *s, enum kind k, handle_t h)
{
    if (h <= 0)
        return;
    handle_t old = __atomic_exchange_n(&pool[k][rnd(s) % SLOTS], h, __ATOMIC_RELAXED);
    if (old > 0)
        handle_close(old);
}

static void drop_one(uint64_t *s)
{
    handle_t h = __atomic_exchange_n(&pool[rnd(s) % KINDS][rnd(s) % SLOTS], 0, __ATOMIC_RELAXED);

    if (h > 0)
        handle_close(h);
}

static void chaos_name(uint64_t *s, char *out)
{
    snprintf(out, 32, "/obj/ipc_lifetimes.chaos%d", (int)(rnd(s) % CHAOS_NAMES));
}

static uint32_t some_handles(uint64_t *s, handle_t *hs, uint32_t max)
{
    uint32_t n = rnd(s) % 3 ? 0 : (uint32_t)(rnd(s) % (max + 1));

    for (uint32_t i = 0; i < n; i++)
        hs[i] = any(s);
    return n;
}

/* Handles that arrived: filed under a random kind (the ops cope with the wrong type). */
static void keep_arrived(uint64_t *s, const handle_t *hs, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        keep(s, (enum kind)(rnd(s) % KINDS), hs[i]);
}

static void make_something(uint64_t *s)
{
    char name[32];
    handle_t ends[2];

    switch (rnd(s) % 5) {
    case 0:
        if (pipe_create(ends) == 0) {
            keep(s, K_READ, ends[0]);
            keep(s, K_WRITE, ends[1]);
        }
        break;
    case 1:
        chaos_name(s, name);
        keep(s, K_SERVER, port_create(name, CHAOS_MSG, rnd(s) % (PORT_MAX_HANDLES + 1)));
        break;
    case 2:
        keep(s, K_SECTION, section_create(PAGE_SIZE * (1 + rnd(s) % 3), 0, NULL));
        break;
    case 3:
        keep(s, K_PROC, process_open(chaos_parent + 1 + (long)(rnd(s) % CHAOS_PROCS)));
        break;
    default: {
        enum kind k = (enum kind)(rnd(s) % KINDS);
        keep(s, k, handle_duplicate(pick(s, k), 0, RIGHT_SAME));
        break;
    }
    }
}

/* Never blocks: closes and makes objects, so the other threads never all hang for good. */
static void chaos_janitor(uint64_t *s)
{
    for (;;) {
        drop_one(s);
        make_something(s);
        if (rnd(s) % 16 == 0)
            process_kill(pick(s, K_PROC), 5);
        if (rnd(s) % 400 == 0)
            process_exit(3);
        thread_sleep((long)(rnd(s) % 3) * MS);
    }
}

/* Receives on a server port and answers, mostly. */
static void chaos_serve(uint64_t *s)
{
    char buf[CHAOS_MSG] = "reply";
    handle_t hs[PORT_MAX_HANDLES];

    for (;;) {
        handle_t p = pick(s, K_SERVER);
        struct port_message m = { .data = buf, .data_room = (uint32_t)(rnd(s) % CHAOS_MSG),
                                  .handles = hs, .handles_room = (uint32_t)(rnd(s) % 4) };
        if (rnd(s) % 16 == 0)
            m.handles = (handle_t *)(uintptr_t)PAGE_SIZE;   /* faults: the message stays queued */
        if (port_receive(p, &m, 0, (long)(rnd(s) % 10) * MS) < 0) {
            thread_yield();
            continue;
        }
        keep_arrived(s, hs, m.nhandles);
        long x = (long)(rnd(s) % 8);
        if (m.kind == PORT_MSG_CONNECT) {
            if (x == 0)
                port_refuse(p, m.id);
            else if (x != 1)
                keep(s, K_END, port_accept(p, m.id, rnd(s)));
        } else if (m.kind == PORT_MSG_REQUEST && x != 0) {
            struct port_message r = { .data = buf, .len = (uint32_t)(rnd(s) % CHAOS_MSG),
                                      .handles = hs, .nhandles = some_handles(s, hs, 3),
                                      .id = m.id, .data_room = sizeof buf, .handles_room = 4 };
            if (x >= 5) {
                if (port_receive(p, &r, PORT_RECEIVE_REPLY, (long)(rnd(s) % 3) * MS) == 0)
                    keep_arrived(s, hs, r.nhandles);
            } else {
                port_reply(p, &r);
            }
        }
    }
}

static char big[70000];
static int extra_threads;
static void short_thread(void *arg);

static void chaos_step(uint64_t *s)
{
    char buf[CHAOS_MSG] = "chaos", name[32];
    handle_t hs[PORT_MAX_HANDLES];
    struct port_message m, r;
    long x;

    switch (rnd(s) % 20) {
    case 0:
        chaos_name(s, name);
        keep(s, K_CLIENT, port_connect(name, "hello", rnd(s) % 6));
        break;
    case 1:
    case 2:
        m = (struct port_message){ .data = buf, .len = (uint32_t)(rnd(s) % CHAOS_MSG),
                                   .handles = hs, .nhandles = some_handles(s, hs, 3) };
        r = (struct port_message){ .data = buf, .data_room = (uint32_t)(rnd(s) % CHAOS_MSG),
                                   .handles = hs, .handles_room = (uint32_t)(rnd(s) % 4) };
        if (port_request(pick(s, K_CLIENT), &m, &r) == 0)
            keep_arrived(s, hs, r.nhandles);
        break;
    case 3:
        m = (struct port_message){ .data = buf, .len = (uint32_t)(rnd(s) % CHAOS_MSG),
                                   .handles = hs, .nhandles = some_handles(s, hs, 3) };
        port_send(pick(s, rnd(s) % 2 ? K_CLIENT : K_END), &m);
        break;
    case 4:
        m = (struct port_message){ .data = buf, .data_room = (uint32_t)(rnd(s) % CHAOS_MSG),
                                   .handles = hs, .handles_room = (uint32_t)(rnd(s) % 4) };
        if (port_receive(pick(s, K_CLIENT), &m, 0, (long)(rnd(s) % 5) * MS) == 0)
            keep_arrived(s, hs, m.nhandles);
        break;
    case 5:
        pipe_write(pick(s, K_WRITE), buf, rnd(s) % 4 == 0 ? sizeof buf : rnd(s) % 8);
        break;
    case 6:
        pipe_read(pick(s, K_READ), buf, rnd(s) % sizeof buf);
        break;
    case 7:
        x = section_map(pick(s, K_SECTION), rnd(s) % 2 ? 0 : pick(s, K_PROC), NULL,
                        rnd(s) % 2 ? MEM_WRITE : 0);
        if (x > 0 && rnd(s) % 2)
            section_unmap(0, (void *)x);
        break;
    case 8:
        object_wait(any(s), (long)(rnd(s) % 5) * MS);
        break;
    case 9: {
        handle_t w[3] = { any(s), any(s), any(s) };
        long idx;
        object_wait_many(w, 3, rnd(s) % 2 ? WAIT_FOR_ALL : 0, (long)(rnd(s) % 5) * MS, &idx);
        break;
    }
    case 10:
        handle_duplicate(any(s), pick(s, K_PROC), RIGHT_SAME);     /* into a sibling */
        break;
    case 11:
        drop_one(s);
        break;
    case 12:
        make_something(s);
        break;
    case 13: {
        const char *self = start_info()->argv[0];
        const char *argv[] = { self, "--linger", NULL };
        handle_t pass[6] = { rnd(s) % 2 ? pick(s, K_READ) : 0, rnd(s) % 2 ? pick(s, K_WRITE) : 0, 0,
                             any(s), pick(s, K_CLIENT), pick(s, K_SERVER) };
        keep(s, K_PROC, process_spawn(self, argv, pass, rnd(s) % 7));
        break;
    }
    case 14:
        pipe_write(pick(s, K_WRITE), big, sizeof big);
        break;
    case 15:
        if (__atomic_add_fetch(&extra_threads, 1, __ATOMIC_RELAXED) < 8)
            handle_close(thread_start(short_thread, (void *)rnd(s), 32 * 1024));
        else
            __atomic_sub_fetch(&extra_threads, 1, __ATOMIC_RELAXED);
        break;
    default:
        thread_yield();
        break;
    }
}

static void short_thread(void *arg)
{
    uint64_t s = (uint64_t)arg | 1;

    for (int i = 0; i < 10; i++)
        chaos_step(&s);
    __atomic_sub_fetch(&extra_threads, 1, __ATOMIC_RELAXED);
}

static void chaos_thread(void *arg)
{
    uint64_t s = (uint64_t)arg | 1;
    uint64_t role = (uint64_t)arg % CHAOS_THREADS;

    if (role == 0)
        chaos_janitor(&s);
    if (role <= 2)
        chaos_serve(&s);
    for (;;)
        chaos_step(&s);
}

static void linger_exit(void *arg)
{
    thread_sleep((long)(uintptr_t)arg * MS);
    process_exit(0);
}

/* "--linger": a short-lived child that uses what it was passed, then exits. */
static int helper_linger(void)
{
    const struct start_info *si = start_info();
    uint64_t s = (uint64_t)clock_now() | 1;
    char buf[CHAOS_MSG] = "linger";

    thread_start(linger_exit, (void *)(uintptr_t)(rnd(&s) % 50), 16 * 1024);
    for (uint64_t i = 0; i < si->nhandles; i++) {
        handle_t h = si->handles[i];
        struct port_message m = { .data = buf, .len = 8, .data_room = sizeof buf };
        switch (rnd(&s) % 5) {
        case 0: pipe_read(h, buf, sizeof buf); break;
        case 1: pipe_write(h, buf, sizeof buf); break;
        case 2: port_request(h, &m, &m); break;
        case 3: port_receive(h, &m, 0, 5 * MS); break;
        default: port_send(h, &m); break;
        }
    }
    thread_sleep((long)(rnd(&s) % 20) * MS);
    return 0;
}

/* "--chaos SEED PARENT": random IPC from CHAOS_THREADS threads until killed. */
static int helper_chaos(const char *seed, const char *parent)
{
    uint64_t s = (uint64_t)atol(seed) * 0x9e3779b97f4a7c15ull | 1;

    chaos_parent = atol(parent);
    for (uint64_t i = 1; i < CHAOS_THREADS; i++)
        thread_start(chaos_thread, (void *)(rnd(&s) / CHAOS_THREADS * CHAOS_THREADS + i), 64 * 1024);
    chaos_thread((void *)(rnd(&s) / CHAOS_THREADS * CHAOS_THREADS));
    return 0;
}

/* Whether a process other than the runner's and ours, born after us, still exists. */
static int descendants_left(void)
{
    static struct process_info list[128];
    long n = process_list(list, sizeof list), self = process_self_id();

    for (long i = 0; i < n && i < 128; i++)
        if ((long)list[i].pid > self)
            return 1;
    return 0;
}

static void chaos_round(int seed)
{
    char arg[16], parent[16];
    handle_t kids[CHAOS_PROCS];
    const char *self = start_info()->argv[0];

    snprintf(parent, sizeof parent, "%ld", process_self_id());
    for (int i = 0; i < CHAOS_PROCS; i++) {
        snprintf(arg, sizeof arg, "%d", seed * 16 + i);
        const char *argv[] = { self, "--chaos", arg, parent, NULL };
        kids[i] = process_spawn(self, argv, NULL, 0);
        ASSERT_TRUE(kids[i] > 0);
    }
    thread_sleep(CHAOS_RUN_NS / 3 * (1 + seed % 4));
    for (int i = 0; i < CHAOS_PROCS; i++) {
        EXPECT_EQ(process_kill(kids[i], 9), 0);
        EXPECT_EQ(object_wait(kids[i], WAIT_NS), 0);    /* no thread of it hangs in the kernel */
        thread_sleep(seed % 3 * MS);                    /* the others go on meanwhile */
    }
    for (int i = 0; i < CHAOS_PROCS; i++)
        handle_close(kids[i]);
    long deadline = clock_now() + WAIT_NS;              /* the --linger children end on their own */
    while (descendants_left() && clock_now() < deadline)
        thread_sleep(10 * MS);
    EXPECT_FALSE(descendants_left());
}

TEST(killed_in_random_ipc_1) { chaos_round(1); }
TEST(killed_in_random_ipc_2) { chaos_round(2); }
TEST(killed_in_random_ipc_3) { chaos_round(3); }

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--linger") == 0)
        return helper_linger();
    if (argc == 4 && strcmp(argv[1], "--chaos") == 0)
        return helper_chaos(argv[2], argv[3]);
    return test_main(argc, argv);
}
