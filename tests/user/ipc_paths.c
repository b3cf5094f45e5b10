/*
 * ipc_paths: each wake-up that can take the direct switch, forced down both
 * paths (kernel/sched/sched.c, "The direct switch").
 *
 * A thread woken at its waker's priority, with nobody else ready, skips the
 * run queue and runs as soon as its waker blocks (the fast path).  A thread
 * woken at a higher priority than its waker goes through the run queue and
 * preempts it (the slow path).  Each case runs twice: _fast with the waker
 * and the woken thread at the same priority, _slow with the waker lowered
 * below the thread it wakes (for ports, _slow_request and _slow_reply
 * force the request's wake and the reply's).  All must give the same results: a request to
 * a server waiting in receive (bytes, handles), its reply to the waiting
 * client, an event set, a semaphore release and a pipe write that wake a
 * waiting thread, and a reply to a client that died during its call; and a
 * woken thread killed before it ran.
 * `make test` also boots the port, pipe, event and semaphore suites with
 * the direct switch off (the slowpath layer), so every one of their cases
 * runs down both paths.  Each case also checks which path ran, by the
 * kernel's count of direct switches (system_stats.direct_switches): a fast
 * case that never switched directly fails, and so does a slow one that did
 * where it should not.
 */
#include <string.h>
#include <test.h>
#include "tests/user/port_util.h"

enum path {
    FAST,           /* waker and woken at one priority */
    SLOW,           /* the woken thread above its waker */
    SLOW_REPLY,     /* port cases: the server below its client, so only the reply wakes slowly */
};

#define PATHS_PORT      "/obj/test.ipc_paths"
#define REQUEST_TEXT    "ping over the fast path?"
#define REPLY_TEXT      "pong"

static struct system_stats stats;

/* The kernel's count of direct switches since boot. */
static uint64_t direct_switches(void)
{
    return system_stats(&stats, sizeof stats) < 0 ? 0 : stats.direct_switches;
}

/*
 * After a case that started at |before|: on FAST at least |fast| direct
 * switches happened, on the slow paths at most |slow| (the wakes a slow
 * case leaves fast: a port case forces only one of its two wakes slow).
 * In a boot with fastpath=off (the slowpath layer) there must be none.
 */
static void expect_path(enum path path, uint64_t before, uint64_t fast, uint64_t slow)
{
    uint64_t n = direct_switches() - before;

    if (!stats.direct_switch_on)
        EXPECT_EQ(n, 0u);
    else if (path == FAST)
        EXPECT_TRUE(n >= fast);
    else
        EXPECT_TRUE(n <= slow);
}

/* The calling thread is the waker: for SLOW it drops below the threads it will wake. */
static void take_path(enum path path)
{
    ASSERT_EQ(thread_set_priority(0, path == SLOW ? PRIORITY_NORMAL - 1 : PRIORITY_NORMAL), 0);
}

/* ---- a request to a server waiting in receive, and the reply to its waiting client ---- */

struct server {
    handle_t port;
    int priority;
    long received_handles;
    char got[MSG_MAX];
    volatile long result;
};

/* Receives one request and answers it with REPLY_TEXT and the handles that came with it. */
static void serve_one(void *arg)
{
    struct server *s = arg;
    handle_t hs[PORT_MAX_HANDLES];
    struct port_message m = incoming(s->got, sizeof s->got, hs, PORT_MAX_HANDLES);

    thread_set_priority(0, s->priority);
    s->result = port_receive(s->port, &m, 0, WAIT_NS);
    if (s->result < 0 || m.kind != PORT_MSG_REQUEST) {
        s->result = s->result < 0 ? s->result : E_INVAL;
        return;
    }
    s->received_handles = m.nhandles;
    struct port_message r = outgoing(REPLY_TEXT, sizeof REPLY_TEXT, hs, m.nhandles);
    r.id = m.id;
    s->result = port_reply(s->port, &r);
}

/* A request of REQUEST_TEXT (with an event, if |carry|) to a server thread already in receive. */
static void request_to_waiting_server(enum path path, int carry)
{
    handle_t server, client, end, event = event_create(0, NULL), back[PORT_MAX_HANDLES];
    struct server s = { .result = NOT_YET };
    char in[MSG_MAX];

    open_connection(PATHS_PORT, &server, &client, &end);
    s.port = server;
    s.priority = path == SLOW_REPLY ? PRIORITY_NORMAL - 1 : PRIORITY_NORMAL;
    take_path(path);
    handle_t t = thread_start(serve_one, &s, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    ASSERT_TRUE(settle_blocked(1));                 /* the server waits in receive */
    struct port_message req = outgoing(REQUEST_TEXT, sizeof REQUEST_TEXT, &event, carry ? 1 : 0);
    struct port_message rep = incoming(in, sizeof in, back, PORT_MAX_HANDLES);
    uint64_t before = direct_switches();
    EXPECT_EQ(port_request(client, &req, &rep), 0);
    EXPECT_EQ(join(t), 0);
    expect_path(path, before, 2, 1);                /* fast: the request's wake and the reply's */
    EXPECT_EQ(s.result, 0);
    EXPECT_STR(s.got, REQUEST_TEXT);
    EXPECT_EQ(s.received_handles, carry ? 1 : 0);
    EXPECT_STR(in, REPLY_TEXT);
    EXPECT_EQ(rep.nhandles, carry ? 1u : 0u);
    if (carry) {                                    /* the event came back, and still works */
        EXPECT_EQ(event_set(back[0]), 0);
        EXPECT_EQ(object_wait(back[0], 0), 0);
        EXPECT_EQ(handle_close(back[0]), 0);
    } else {
        EXPECT_EQ(handle_close(event), 0);
    }
    close_connection(server, client, end);
}

TEST(request_to_waiting_server_fast) { request_to_waiting_server(FAST, 0); }
TEST(request_to_waiting_server_slow_request) { request_to_waiting_server(SLOW, 0); }
TEST(request_to_waiting_server_slow_reply) { request_to_waiting_server(SLOW_REPLY, 0); }
TEST(request_with_handle_to_waiting_server_fast) { request_to_waiting_server(FAST, 1); }
TEST(request_with_handle_to_waiting_server_slow_request) { request_to_waiting_server(SLOW, 1); }
TEST(request_with_handle_to_waiting_server_slow_reply) { request_to_waiting_server(SLOW_REPLY, 1); }

/* ---- a reply to a client that died during its call ---- */

static int client_mode(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return request_once(PATHS_PORT, REQUEST_TEXT);     /* killed while in there */
}

static void reply_to_dead_client(enum path path)
{
    handle_t server = port_create(PATHS_PORT, MSG_MAX, PORT_MAX_HANDLES);
    struct port_message m;
    char buf[MSG_MAX];

    ASSERT_TRUE(server > 0);
    take_path(path);
    handle_t child = spawn_self("--client", "");
    ASSERT_TRUE(child > 0);
    ASSERT_EQ(receive_one(server, &m, buf, sizeof buf), 0);
    ASSERT_EQ(m.kind, PORT_MSG_CONNECT);
    handle_t end = port_accept(server, m.id, CONTEXT);
    ASSERT_TRUE(end > 0);
    ASSERT_EQ(receive_one(server, &m, buf, sizeof buf), 0);
    ASSERT_EQ(m.kind, PORT_MSG_REQUEST);
    kill_and_reap(child);                           /* the caller dies waiting for us */
    struct port_message r = outgoing(REPLY_TEXT, sizeof REPLY_TEXT, NULL, 0);
    r.id = m.id;
    EXPECT_ERR(port_reply(server, &r), E_PEERCLOSED);
    EXPECT_EQ(handle_close(end), 0);
    EXPECT_EQ(handle_close(server), 0);
}

TEST(reply_to_dead_client_fast) { reply_to_dead_client(FAST); }
TEST(reply_to_dead_client_slow) { reply_to_dead_client(SLOW); }

/* ---- event, semaphore, pipe: one waiting thread woken ---- */

struct waiter {
    handle_t object;                /* what to wait on (a pipe's read end: read one byte) */
    handle_t done;                  /* set once woken */
    volatile long result;
    char byte;
};

static void wait_then_signal(void *arg)
{
    struct waiter *w = arg;

    w->result = object_wait(w->object, WAIT_NS);
    event_set(w->done);
}

static void read_then_signal(void *arg)
{
    struct waiter *w = arg;

    w->result = pipe_read(w->object, &w->byte, 1);
    event_set(w->done);
}

/* Starts |fn| on |w| and lets it block; the caller then wakes it. */
static handle_t start_waiter(void (*fn)(void *), struct waiter *w)
{
    w->done = event_create(0, NULL);
    w->result = NOT_YET;
    handle_t t = thread_start(fn, w, THREAD_STACK);
    ASSERT_TRUE(t > 0);
    ASSERT_TRUE(settle_blocked(1));
    return t;
}

static void finish_waiter(handle_t t, struct waiter *w)
{
    EXPECT_EQ(object_wait(w->done, WAIT_NS), 0);
    EXPECT_EQ(join(t), 0);
    EXPECT_EQ(handle_close(w->done), 0);
}

static void event_wakes_waiter(enum path path)
{
    struct waiter w = { .object = event_create(0, NULL) };

    take_path(path);
    handle_t t = start_waiter(wait_then_signal, &w);
    uint64_t before = direct_switches();
    EXPECT_EQ(event_set(w.object), 0);
    finish_waiter(t, &w);
    expect_path(path, before, 1, 0);
    EXPECT_EQ(w.result, 0);
    EXPECT_ERR(object_wait(w.object, 0), E_TIMEDOUT);   /* auto reset: taken by the waiter */
    EXPECT_EQ(handle_close(w.object), 0);
}

TEST(event_set_wakes_waiter_fast) { event_wakes_waiter(FAST); }
TEST(event_set_wakes_waiter_slow) { event_wakes_waiter(SLOW); }

static void semaphore_wakes_waiter(enum path path)
{
    struct waiter w = { .object = semaphore_create(0, 2, 0, NULL) };

    take_path(path);
    handle_t t = start_waiter(wait_then_signal, &w);
    uint64_t before = direct_switches();
    EXPECT_EQ(semaphore_release(w.object, 1), 0);       /* the previous count */
    finish_waiter(t, &w);
    expect_path(path, before, 1, 0);
    EXPECT_EQ(w.result, 0);
    EXPECT_ERR(object_wait(w.object, 0), E_TIMEDOUT);   /* the waiter took the one */
    EXPECT_EQ(handle_close(w.object), 0);
}

TEST(semaphore_release_wakes_waiter_fast) { semaphore_wakes_waiter(FAST); }
TEST(semaphore_release_wakes_waiter_slow) { semaphore_wakes_waiter(SLOW); }

static void pipe_write_wakes_reader(enum path path)
{
    handle_t ends[PIPE_ENDS];

    ASSERT_EQ(pipe_create(ends), 0);
    struct waiter w = { .object = ends[PIPE_READ_END] };
    take_path(path);
    handle_t t = start_waiter(read_then_signal, &w);
    uint64_t before = direct_switches();
    EXPECT_EQ(pipe_write(ends[PIPE_WRITE_END], "x", 1), 1);
    finish_waiter(t, &w);
    expect_path(path, before, 1, 0);
    EXPECT_EQ(w.result, 1);
    EXPECT_EQ(w.byte, 'x');
    EXPECT_EQ(handle_close(ends[PIPE_READ_END]), 0);
    EXPECT_EQ(handle_close(ends[PIPE_WRITE_END]), 0);
}

TEST(pipe_write_wakes_reader_fast) { pipe_write_wakes_reader(FAST); }
TEST(pipe_write_wakes_reader_slow) { pipe_write_wakes_reader(SLOW); }

/* ---- a thread killed between its wake and its turn ---- */

/* "--wait-event": waits for the event it was given; 0 once it has it (if not killed first). */
static int wait_event_mode(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return (int)object_wait(start_info()->handles[STDIO_HANDLES], TIMEOUT_INFINITE);
}

/*
 * The wake puts the waiter in line to run next (on the fast path: in the
 * scheduler's handoff slot, no run queue), and the kill comes before its
 * waker blocks: the kill must still win (sched_hurry takes it out of the
 * slot), so the process ends killed, not with the 0 of its satisfied wait.
 * Only one variant: a waiter above its waker would run before the kill.
 * The slowpath layer runs it with the wake through the run queue.
 */
TEST(killed_between_wake_and_turn)
{
    const char *argv[] = { self_path(), "--wait-event", NULL };
    handle_t ev = event_create(0, NULL), pass[STDIO_HANDLES + 1] = { 0, 0, 0, ev };
    struct process_status st;

    ASSERT_TRUE(ev > 0);
    take_path(FAST);
    handle_t child = process_spawn(self_path(), argv, pass, STDIO_HANDLES + 1);
    ASSERT_TRUE(child > 0);
    ASSERT_EQ(process_status(child, &st), 0);
    ASSERT_TRUE(settle_blocked_of(st.pid, 1));
    EXPECT_EQ(event_set(ev), 0);                    /* it would run next... */
    EXPECT_EQ(process_kill(child, KILL_CODE), 0);   /* ...but is killed first */
    EXPECT_EQ(reap(child, &st), 0);
    EXPECT_EQ(st.state, PROCESS_KILLED);
    EXPECT_EQ(st.exit_code, KILL_CODE);
    EXPECT_ERR(object_wait(ev, 0), E_TIMEDOUT);     /* the wake took the event all the same */
    EXPECT_EQ(handle_close(ev), 0);
}

static const struct helper_mode modes[] = {
    { "--client", client_mode }, { "--wait-event", wait_event_mode },
};

int main(int argc, char **argv)
{
    return suite_main(argc, argv, modes, sizeof modes / sizeof modes[0]);
}
