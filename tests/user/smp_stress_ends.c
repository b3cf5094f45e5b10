/*
 * smp_stress_ends: races in which something ends under a thread still
 * using it (issue 15, "Bad input and faults"; docs/14-smp.md, "Stress
 * tests"), each STRESS_ROUNDS rounds in child processes of this suite, with
 * no panic, no hang and no leak (the runner's check after each case):
 *
 *   a thread unmaps memory another thread touches, in ring 3 and through
 *   file_read: the child exits, or a page fault in the hole ends it, and
 *   its frames all come back;
 *   two threads end their process at once (one kills it, one exits), the
 *   parent sometimes killing too; two processes kill each other at once;
 *   a port server killed while three client threads (two on one
 *   connection) are mid-request: each gets E_PEERCLOSED after its replies.
 *
 * As in smp_stress_objects, the racers share CPU 0 today and need not
 * later.  smp_stress_ends_full runs this file with 1,000 rounds (make stress).
 */
#include "tests/user/smp_stress.h"
#include "tests/user/port_util.h"

#define UNEXPECTED      2                               /* a helper's "a call returned what it may not" */
#define UNMAP_AT        (USER_MMAP_BASE + 0x10000000UL) /* the unmap race's region, at a fixed address */
#define UNMAP_PAGES     4
#define UNMAP_SPAN      64          /* file_read's copies straddle each page end by this much */
#define END_KILL_CODE   41          /* the --end-self threads' codes, and the parent's */
#define END_EXIT_CODE   42
#define PARENT_CODE     43
#define PEER_CODE       44
#define PORT_NAME       "/obj/test.stress"
#define CLIENTS         3           /* port clients: 0 and 1 share a connection, 2 has its own */

/* ---- helper processes --------------------------------------------------------- */

struct toucher {
    volatile char *region;
    handle_t file;
    volatile int stop;
    volatile long touches, unexpected;
};

/* Writes the region in ring 3 and has the kernel copy into it, until told to stop. */
static void toucher_main(void *arg)
{
    struct toucher *t = arg;

    for (long i = 0; !t->stop; i++) {
        long page = i % UNMAP_PAGES, len = page < UNMAP_PAGES - 1 ? 2 * UNMAP_SPAN : UNMAP_SPAN;
        t->region[page * PAGE_SIZE + (i * 8) % PAGE_SIZE] = (char)i;
        long n = file_read(t->file, (void *)(t->region + (page + 1) * PAGE_SIZE - UNMAP_SPAN), len, 0);
        if (n != len && n != E_FAULT)
            t->unexpected = n;
        t->touches++;
        thread_yield();
    }
}

/* The pages "--unmap ROUND" takes out of its region: *|first| and *|count|. */
static void unmap_hole(long round, long *first, long *count)
{
    *first = round % UNMAP_PAGES;
    *count = 1 + (round / UNMAP_PAGES) % (UNMAP_PAGES - *first);
}

/* "--unmap ROUND": unmaps part of a region while a second thread touches all of it. */
static int helper_unmap(int argc, char **argv)
{
    long round = argc > 0 ? atol(argv[0]) : 0, first, count;
    struct toucher t = { (volatile char *)UNMAP_AT, file_open(README_PATH), 0, 0, 0 };

    unmap_hole(round, &first, &count);
    if (t.file < 0 || mem_map((void *)UNMAP_AT, UNMAP_PAGES * PAGE_SIZE, MEM_WRITE) != (long)UNMAP_AT)
        return UNEXPECTED;
    handle_t th = thread_start(toucher_main, &t, STRESS_STACK);
    while (th > 0 && t.touches < 1 + round % 3)
        thread_yield();
    if (th < 0 || mem_unmap((void *)(UNMAP_AT + first * PAGE_SIZE), count * PAGE_SIZE) != 0)
        return UNEXPECTED;
    for (long i = 0; i < round % 3; i++)        /* let the toucher run into the hole, or not */
        thread_yield();
    t.stop = 1;
    if (object_wait(th, STRESS_HANG_NS) != 0)
        return UNEXPECTED;
    return t.unexpected ? UNEXPECTED : 0;
}

struct ender {
    handle_t go, self;
};

static void killer_main(void *arg)
{
    struct ender *e = arg;

    object_wait(e->go, STRESS_HANG_NS);
    process_kill(e->self, END_KILL_CODE);
}

static void exiter_main(void *arg)
{
    struct ender *e = arg;

    object_wait(e->go, STRESS_HANG_NS);
    process_exit(END_EXIT_CODE);
}

/* "--end-self ROUND": one thread kills this process as another exits it. */
static int helper_end_self(int argc, char **argv)
{
    long round = argc > 0 ? atol(argv[0]) : 0;
    struct ender e = { event_create(EVENT_MANUAL_RESET, NULL), process_open(process_self_id()) };
    void (*first)(void *) = round % 2 ? killer_main : exiter_main;

    if (e.go < 0 || e.self < 0 || thread_start(first, &e, STRESS_STACK) < 0 ||
        thread_start(first == killer_main ? exiter_main : killer_main, &e, STRESS_STACK) < 0)
        return UNEXPECTED;
    for (long i = 0; i < round % 3; i++)
        thread_yield();
    event_set(e.go);
    thread_sleep(STRESS_HANG_NS);               /* one of them ends us first */
    return UNEXPECTED;
}

/* "--kill-peer": reads a handle to its sibling from the pipe it was passed, then kills it at "go". */
static int helper_kill_peer(int argc, char **argv)
{
    handle_t peer;

    (void)argc, (void)argv;
    if (pipe_read(passed(0), &peer, sizeof peer) != sizeof peer || object_wait(passed(1), STRESS_HANG_NS) != 0)
        return UNEXPECTED;
    return process_kill(peer, PEER_CODE) == 0 ? 0 : UNEXPECTED;
}

/* Sends |len| bytes of |data| as the reply to request |id| on the server port |s|. */
static void reply_to(handle_t s, uint64_t id, const void *data, uint32_t len)
{
    struct port_message r = outgoing(data, len, NULL, 0);

    r.id = id;
    port_reply(s, &r);
}

/* "--echo-port": echoes every request, holding every third until the next one comes. */
static int helper_echo_port(int argc, char **argv)
{
    char buf[MSG_MAX], held[MSG_MAX];
    struct port_message m;
    uint64_t held_id = 0;
    uint32_t held_len = 0;
    handle_t s = port_create(PORT_NAME, MSG_MAX, 0);

    (void)argc, (void)argv;
    for (long n = 0; s > 0; ) {
        if (receive_one(s, &m, buf, sizeof buf) != 0)
            continue;
        if (m.kind == PORT_MSG_CONNECT)
            port_accept(s, m.id, 0);
        if (m.kind != PORT_MSG_REQUEST)
            continue;
        if (held_id)
            reply_to(s, held_id, held, held_len);
        held_id = n++ % 3 == 2 ? m.id : 0;
        if (held_id)
            memcpy(held, buf, held_len = m.len);
        else
            reply_to(s, m.id, buf, m.len);
    }
    return UNEXPECTED;
}

static const struct helper_mode helpers[] = {
    { "--unmap", helper_unmap },
    { "--end-self", helper_end_self },
    { "--kill-peer", helper_kill_peer },
    { "--echo-port", helper_echo_port },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, helpers, ARRAY_LEN(helpers));
}

/* ---- memory ----------------------------------------------------------------------- */

static long free_frames(void)
{
    static struct system_stats s;

    system_stats(&s, sizeof s);
    return (long)s.free_frames;
}

TEST(unmap_under_a_touching_thread)
{
    struct process_status st;
    char arg[24];
    long faulted = 0, first, count, frames = free_frames();

    for (long r = 0; r < STRESS_ROUNDS; r++) {
        snprintf(arg, sizeof arg, "%ld", r);
        ROUND_ASSERT_EQ(r, run_self("--unmap", arg, &st), 0);
        unmap_hole(r, &first, &count);
        uint64_t hole = UNMAP_AT + first * PAGE_SIZE;
        if (st.state == PROCESS_FAULTED) {
            ROUND_ASSERT_EQ(r, st.fault_vector, VEC_PAGE_FAULT);
            ROUND_ASSERT_TRUE(r, st.fault_addr >= hole && st.fault_addr < hole + count * PAGE_SIZE);
            ROUND_ASSERT_EQ(r, st.fault_error & FAULT_PF_PRESENT, 0);
            faulted++;
        } else {
            ROUND_ASSERT_EQ(r, st.state, PROCESS_EXITED);
            ROUND_ASSERT_EQ(r, st.exit_code, 0);
        }
        ROUND_ASSERT_EQ(r, free_frames(), frames);      /* the child's frames all came back */
    }
    printf("smp_stress: %d rounds; %ld ended by a page fault in the hole\n", STRESS_ROUNDS, faulted);
}

/* ---- killing ------------------------------------------------------------------------ */

TEST(threads_end_their_process_at_once)
{
    struct process_status st;
    char arg[24];
    long by[3] = { 0, 0, 0 };

    for (long r = 0; r < STRESS_ROUNDS; r++) {
        snprintf(arg, sizeof arg, "%ld", r);
        handle_t h = spawn_self("--end-self", arg);
        ROUND_ASSERT_TRUE(r, h > 0);
        if (r % 4 == 3)             /* the parent joins the race */
            ROUND_ASSERT_EQ(r, process_kill(h, PARENT_CODE), 0);
        ROUND_ASSERT_EQ(r, reap(h, &st), 0);
        int killed = st.state == PROCESS_KILLED, code = (int)st.exit_code;
        ROUND_ASSERT_TRUE(r, (killed && code == END_KILL_CODE) || (!killed && code == END_EXIT_CODE) ||
                             (killed && code == PARENT_CODE && r % 4 == 3));
        ROUND_ASSERT_TRUE(r, killed || st.state == PROCESS_EXITED);
        by[code - END_KILL_CODE]++;
    }
    printf("smp_stress: %d rounds; killed by a thread %ld, exited %ld, killed by the parent %ld\n",
           STRESS_ROUNDS, by[0], by[1], by[2]);
}

/* Starts a --kill-peer child, passing it the read end of |pipe| and |go|. */
static handle_t spawn_killer(const handle_t *pipe, handle_t go)
{
    handle_t hs[2] = { pipe[PIPE_READ_END], go };

    return spawn_passing("--kill-peer", NULL, hs, 2);
}

TEST(processes_kill_each_other_at_once)
{
    struct process_status st[2];
    long both = 0;

    for (long r = 0; r < STRESS_ROUNDS; r++) {
        handle_t go = event_create(EVENT_MANUAL_RESET, NULL), pipes[2][PIPE_ENDS], kid[2];
        for (int i = 0; i < 2; i++) {
            ROUND_ASSERT_EQ(r, pipe_create(pipes[i]), 0);
            ROUND_ASSERT_TRUE(r, (kid[i] = spawn_killer(pipes[i], go)) > 0);
        }
        for (int i = 0; i < 2; i++) {
            handle_t peer = handle_duplicate(kid[1 - i], kid[i], RIGHT_KILL);
            ROUND_ASSERT_TRUE(r, peer > 0);
            ROUND_ASSERT_EQ(r, pipe_write(pipes[i][PIPE_WRITE_END], &peer, sizeof peer), sizeof peer);
        }
        for (long i = 0; i < r % 3; i++)
            thread_yield();
        event_set(go);
        for (int i = 0; i < 2; i++) {
            ROUND_ASSERT_EQ(r, reap(kid[i], &st[i]), 0);
            ROUND_ASSERT_TRUE(r, (st[i].state == PROCESS_KILLED && st[i].exit_code == PEER_CODE) ||
                                 (st[i].state == PROCESS_EXITED && st[i].exit_code == 0));
            handle_close(pipes[i][PIPE_READ_END]);
            handle_close(pipes[i][PIPE_WRITE_END]);
        }
        ROUND_ASSERT_TRUE(r, st[0].state == PROCESS_KILLED || st[1].state == PROCESS_KILLED);
        both += st[0].state == PROCESS_KILLED && st[1].state == PROCESS_KILLED;
        handle_close(go);
    }
    printf("smp_stress: %d rounds; both killed in %ld\n", STRESS_ROUNDS, both);
}

/* ---- ports --------------------------------------------------------------------------- */

struct client {
    handle_t port;
    int index;
    volatile long *replies;
    volatile long result, wrong;
};

/* Requests until the server is gone, checking each echo. */
static void client_main(void *arg)
{
    struct client *c = arg;
    char out[32], in[MSG_MAX];

    for (long i = 0;; i++) {
        uint32_t len = (uint32_t)snprintf(out, sizeof out, "%d:%ld", c->index, i) + 1;
        struct port_message req = outgoing(out, len, NULL, 0), rep = incoming(in, sizeof in, NULL, 0);
        long r = port_request_timeout(c->port, &req, &rep, STRESS_HANG_NS);
        if (r != 0) {
            c->result = r;
            return;
        }
        c->wrong += rep.len != len || memcmp(in, out, len) != 0;
        __atomic_add_fetch(c->replies, 1, __ATOMIC_SEQ_CST);
    }
}

TEST(port_server_killed_mid_request)
{
    static volatile long replies;
    struct client c[CLIENTS];
    handle_t t[CLIENTS], conn[2];
    long held = handles_held(), total = 0;

    for (long r = 0; r < STRESS_ROUNDS; r++) {
        handle_t server = spawn_self("--echo-port", NULL);
        ROUND_ASSERT_TRUE(r, server > 0);
        for (int i = 0; i < 2; i++)
            ROUND_ASSERT_TRUE(r, (conn[i] = connect_retry(PORT_NAME)) > 0);
        replies = 0;
        for (int i = 0; i < CLIENTS; i++) {
            c[i] = (struct client){ conn[i / 2], i, &replies, NOT_YET, 0 };
            t[i] = stress_thread(client_main, &c[i]);
        }
        long deadline = clock_now() + STRESS_HANG_NS;
        while (replies < r % 8 && clock_now() < deadline)
            thread_yield();
        kill_and_reap(server);
        for (int i = 0; i < CLIENTS; i++) {
            ROUND_ASSERT_EQ(r, stress_join(t[i]), 0);       /* none hangs */
            ROUND_ASSERT_EQ(r, c[i].result, E_PEERCLOSED);
            ROUND_ASSERT_EQ(r, c[i].wrong, 0);
        }
        handle_close(conn[0]);
        handle_close(conn[1]);
        ROUND_ASSERT_EQ(r, handles_held(), held);
        total += replies;
    }
    printf("smp_stress: %d rounds; %ld replies before the kills\n", STRESS_ROUNDS, total);
}
